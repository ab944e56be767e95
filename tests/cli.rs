//! The binary as a user runs it: acceptance steps of the v0 issue.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn dechrome() -> Command {
    let mut cmd = Command::cargo_bin("dechrome").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().display().to_string(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn clean_mirrors_a_directory_and_matches_the_library() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let assert = dechrome().arg("clean").arg(fixtures_dir()).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("5 documents"), "{stderr}");
    assert!(stderr.contains("top rules by hits"), "{stderr}");
    let engine = common::shipped();
    let written = files_under(&out);
    assert_eq!(written.len(), 5);
    for (name, text) in common::fixtures() {
        let (_, bytes) = written.iter().find(|(n, _)| *n == name).unwrap();
        let path = fixtures_dir().join(&name).display().to_string();
        let expected = engine.clean(&text, dechrome::DocContext { path: Some(&path), ..Default::default() }).text;
        assert_eq!(String::from_utf8_lossy(bytes), expected, "{name}");
    }
}

#[test]
fn an_output_directory_inside_the_input_tree_is_not_cleaned_again() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a.txt"), "Share this\nThe minister spoke on Tuesday.\n").unwrap();
    let out = input.join("cleaned");
    // Twice: the second run finds the first one's output under the input tree.
    for _ in 0..2 {
        dechrome().arg("clean").arg(&input).arg("-o").arg(&out).arg("--quiet").assert().success();
    }
    let written = files_under(&out);
    assert_eq!(written.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(), ["a.txt"]);
    assert_eq!(String::from_utf8_lossy(&written[0].1), "The minister spoke on Tuesday.\n");
    // Writing into the input directory itself is still refused.
    dechrome().arg("clean").arg(&input).arg("-o").arg(&input).assert().code(2);
}

#[test]
fn a_text_file_cleaned_in_segments_gets_a_note_about_the_scorer() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("pages.txt");
    let page = "* [Home](#)\n* [News](#)\n\nThe minister said on Tuesday that the budget would be published.\n\n";
    fs::write(&big, page.repeat((1 << 20) / page.len() + 10)).unwrap();
    let note = "cleaned in segments, and the line scorer guesses where the pages in them meet";
    let stderr = |segment_mib: &str, extra: &[&str]| {
        let out = tmp.path().join("out.txt");
        let mut cmd = dechrome();
        cmd.arg("clean").arg(&big).arg("-o").arg(out).args(["--segment-mib", segment_mib]).args(extra);
        String::from_utf8_lossy(&cmd.assert().success().get_output().stderr).to_string()
    };
    let first = stderr("1", &[]);
    assert!(first.contains(&format!("note: 1 document(s) above 1 MiB or 131,072 lines were {note}")), "{first}");
    // One file, one document, however many segments it was cleaned in.
    assert!(first.contains("dechrome: 1 document read: 1 written,"), "{first}");
    assert!(first.contains("dechrome: 1 document cleaned,"), "{first}");
    assert!(first.contains("--doc-separator LINE"), "{first}");
    assert!(!stderr("1", &["--disable", "line-scorer"]).contains(note));
    assert!(!stderr("8", &[]).contains(note));
    // 1 MiB is the default: a text file of many pages loses less in small segments.
    let mut default = dechrome();
    default.arg("clean").arg(&big).arg("-o").arg(tmp.path().join("out.txt"));
    assert!(String::from_utf8_lossy(&default.assert().success().get_output().stderr).contains(note));
    // A JSONL record that big is cleaned in segments too, and counted.
    let record = serde_json::json!({"text": fs::read_to_string(&big).unwrap()});
    let jsonl = tmp.path().join("pages.jsonl");
    fs::write(&jsonl, format!("{record}\n")).unwrap();
    let mut run = dechrome();
    run.arg("clean").arg(&jsonl).arg("-o").arg(tmp.path().join("out.jsonl")).args(["--segment-mib", "1"]);
    let stderr = String::from_utf8_lossy(&run.assert().success().get_output().stderr).to_string();
    assert!(stderr.contains(&format!("note: 1 document(s) above 1 MiB or 131,072 lines were {note}")), "{stderr}");
    assert!(!stderr.contains("--doc-separator"), "no text input: {stderr}");
}

/// A text file read in segments: a page's tail that ends a segment is not the document's
/// end, and the next page's start in that segment stays.
#[test]
fn a_segment_end_is_not_cut_as_a_pages_tail() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("pages.txt");
    let comments = "## 2 thoughts on \"Bridge to close\"\n\nJane says: about time, nobody listened to us.\n\n";
    let paragraph = |i: usize| {
        format!(
            "Paragraph {i}: the council voted on Tuesday to close the old bridge to cars from next spring, after \
             engineers warned the city that the steel frame under its deck had corroded.\n\n"
        )
    };
    // Two pages, each a little under 1 MiB: the first segment of 1 MiB ends a few
    // paragraphs into the second page.
    let mut page = String::new();
    while page.len() + 3000 < 1 << 20 {
        page.push_str(&paragraph(page.len()));
    }
    page.push_str(comments);
    fs::write(&input, page.repeat(2)).unwrap();
    let out = tmp.path().join("out.txt");
    dechrome().arg("clean").arg(&input).arg("-o").arg(&out).args(["--segment-mib", "1"]).assert().success();
    let cleaned = fs::read_to_string(&out).unwrap();
    let paragraphs = page.matches("Paragraph").count();
    assert_eq!(cleaned.matches("Paragraph").count(), 2 * paragraphs, "every paragraph of both pages");
    assert_eq!(cleaned.matches("Jane says").count(), 1, "only the comments at the file's end go");
}

#[test]
fn pages_joined_with_a_doc_separator_clean_as_each_page_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let names = ["000_14c45c499be95dbc.txt", "002_ba4d5c5bb0ec0335.txt", "004_59387c06640d78c0.txt"];
    let pages: Vec<String> = names.iter().map(|n| fs::read_to_string(fixtures_dir().join(n)).unwrap()).collect();
    let alone: Vec<String> = names
        .iter()
        .map(|n| {
            let out = dechrome().arg("clean").arg(fixtures_dir().join(n)).arg("--quiet").output().unwrap();
            String::from_utf8(out.stdout).unwrap()
        })
        .collect();
    let joined = tmp.path().join("joined.txt");
    let with_newline = |p: &String| if p.ends_with('\n') { p.clone() } else { format!("{p}\n") };
    fs::write(&joined, pages.iter().map(with_newline).collect::<Vec<_>>().join("<|endoftext|>\n")).unwrap();
    let clean = |extra: &[&str]| {
        let out = dechrome().arg("clean").arg(&joined).arg("--quiet").args(extra).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let separated = clean(&["--doc-separator", "<|endoftext|>"]);
    let expected: Vec<String> = alone.iter().map(with_newline).collect();
    assert_eq!(separated.split("<|endoftext|>\n").collect::<Vec<_>>(), expected);
    // Without the option the file is one page, and the separators are text like any other.
    assert_ne!(clean(&[]), separated);
    // A document dropped by --max-removed (the first two lose 43-45% of their bytes, the
    // third 17%) leaves its separator: the documents stay aligned with the input's.
    let dropped = clean(&["--doc-separator", "<|endoftext|>", "--max-removed", "0.3"]);
    assert_eq!(dropped.split("<|endoftext|>\n").collect::<Vec<_>>(), ["", "", &expected[2]]);

    // The report gives each document's first line, and `explain --line` shows that one.
    let report = dechrome()
        .arg("clean")
        .arg(&joined)
        .args(["--doc-separator", "<|endoftext|>", "--quiet", "--report", "-", "-o"])
        .arg(tmp.path().join("out.txt"))
        .output()
        .unwrap();
    let lines: Vec<u64> = String::from_utf8(report.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["line"].as_u64().unwrap())
        .collect();
    let second_starts = with_newline(&pages[0]).lines().count() as u64 + 2;
    assert_eq!(lines[..2], [1, second_starts]);
    let explain = |extra: &[&str]| dechrome().arg("explain").arg(&joined).args(extra).assert();
    let stderr = |a: assert_cmd::assert::Assert| String::from_utf8_lossy(&a.code(2).get_output().stderr).to_string();
    let shown = explain(&["--doc-separator", "<|endoftext|>", "--line", &second_starts.to_string()]).success();
    let shown = String::from_utf8_lossy(&shown.get_output().stdout).to_string();
    assert!(shown.contains(&format!("joined.txt:{second_starts}")), "{shown}");
    let title = |p: &String| p.lines().find(|l| !l.trim().is_empty()).unwrap().to_string();
    assert!(shown.contains(&title(&pages[1])) && !shown.contains(&title(&pages[0])), "{shown}");
    assert!(stderr(explain(&["--line", "1"])).contains("--doc-separator"));
    assert!(stderr(explain(&["--doc-separator", " "])).contains("cannot be blank"));
}

#[test]
fn dumped_rules_can_be_edited_and_used_without_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("R");
    dechrome().args(["rules", "dump"]).arg(&rules).assert().success();
    assert!(rules.join("generic/ads.toml").is_file());
    // Dumping again refuses to overwrite.
    dechrome().args(["rules", "dump"]).arg(&rules).assert().code(2);
    let pack = rules.join("generic/ads.toml");
    let mut text = fs::read_to_string(&pack).unwrap();
    text.push_str("\n[[rule]]\nid = \"my-new-rule\"\nkind = \"line\"\nwhy = \"added by hand\"\nprefix = [\"Washington: US President-elect\"]\n");
    fs::write(&pack, text).unwrap();
    let file = fixtures_dir().join("002_ba4d5c5bb0ec0335.txt");
    let output = dechrome().args(["clean", "--no-default-rules", "--rules"]).arg(&rules).arg(&file).output().unwrap();
    assert!(output.status.success());
    let cleaned = String::from_utf8(output.stdout).unwrap();
    assert!(!cleaned.contains("Washington: US President-elect"));
    assert!(cleaned.contains("However, Kremlin spokesperson Dmitry Peskov denied"));
    // The rule is listed with its file and line.
    let list = dechrome().args(["rules", "list", "--no-default-rules", "--rules"]).arg(&rules).output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("my-new-rule"));
}

#[test]
fn a_broken_pack_stops_everything_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    fs::write(&bad, "[pack]\nname = \"bad\"\ndescription = \"d\"\n\n[[rule]]\nid = \"x\"\nkind = \"line\"\nwhy = \"w\"\nprefx = [\"a\"]\n").unwrap();
    let broken_regex = tmp.path().join("regex.toml");
    fs::write(&broken_regex, "[pack]\nname = \"re\"\ndescription = \"d\"\n\n[[rule]]\nid = \"y\"\nkind = \"line\"\nwhy = \"w\"\nregex = [\"(oops\"]\n").unwrap();
    let out = tmp.path().join("out");
    let assert = dechrome()
        .arg("clean")
        .arg(fixtures_dir())
        .arg("-o")
        .arg(&out)
        .arg("--rules")
        .arg(&bad)
        .arg("--rules")
        .arg(&broken_regex)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains(&format!("{}:9:1", bad.display())) && stderr.contains("prefx"), "{stderr}");
    assert!(stderr.contains(&format!("{}:9:", broken_regex.display())) && stderr.contains("bad regex"), "{stderr}");
    assert!(!out.exists(), "output written although the rules did not load");
    let check = dechrome().args(["rules", "check"]).arg(&bad).assert().code(2);
    assert!(String::from_utf8_lossy(&check.get_output().stderr).contains("bad.toml:9:1"));
    // No place in a file: the file or the option alone, not `:0:0`.
    let missing = tmp.path().join("missing.toml");
    let check = dechrome().args(["rules", "check"]).arg(&missing).assert().code(2);
    let stderr = String::from_utf8_lossy(&check.get_output().stderr).to_string();
    assert!(stderr.contains(&format!("{}: cannot read rule file", missing.display())), "{stderr}");
    let disabled = dechrome().args(["clean", "-", "--disable", "no-such-rule"]).write_stdin("x\n").assert().code(2);
    let stderr = String::from_utf8_lossy(&disabled.get_output().stderr).to_string();
    assert!(stderr.contains("error: --disable: no loaded rule has id `no-such-rule`"), "{stderr}");
    // `rules check` compiles every profile: a setting only `conservative` uses is checked too.
    let floor = tmp.path().join("floor.toml");
    fs::write(
        &floor,
        "[pack]\nname = \"f\"\ndescription = \"d\"\n\n[[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\n\
         detector = \"line-scorer\"\n[rule.params]\nbias = 0.5\nweights = {}\n\
         threshold = { conservative = 0.1, balanced = 0.5, aggressive = 0.5 }\n\
         prose_floor = { conservative = 0.3, balanced = 0.1, aggressive = 0.1 }\n",
    )
    .unwrap();
    let check = dechrome().args(["rules", "check"]).arg(&floor).assert().code(2);
    let stderr = String::from_utf8_lossy(&check.get_output().stderr).to_string();
    assert!(stderr.contains("floor.toml:6:") && stderr.contains("prose_floor 0.3"), "{stderr}");
}

#[test]
fn output_is_identical_for_any_number_of_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let tree = tmp.path().join("tree");
    for round in 0..12 {
        for (name, text) in common::fixtures() {
            let dir = tree.join(format!("{round:02}"));
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join(name), text).unwrap();
        }
    }
    let run = |jobs: &str| {
        let out = tmp.path().join(format!("out{jobs}"));
        let report = tmp.path().join(format!("report{jobs}.jsonl"));
        dechrome()
            .arg("clean")
            .arg(&tree)
            .arg("-o")
            .arg(&out)
            .args(["--jobs", jobs, "-q", "--report"])
            .arg(&report)
            .assert()
            .success();
        let report = fs::read_to_string(report).unwrap().replace(&out.display().to_string(), "OUT");
        (files_under(&out), report)
    };
    let (one, report_one) = run("1");
    let (four, report_four) = run("4");
    assert_eq!(one.len(), 60);
    assert!(one == four, "outputs differ between --jobs 1 and --jobs 4");
    assert_eq!(report_one, report_four);
    assert_eq!(report_one.lines().count(), 60);
}

#[test]
fn report_lines_are_json_with_rule_pack_lines_and_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("r.jsonl");
    let file = fixtures_dir().join("001_4634952704be4858.txt");
    dechrome().arg("clean").arg(&file).arg("-q").arg("--report").arg(&report).assert().success();
    let line = fs::read_to_string(&report).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    let removals = v["removals"].as_array().unwrap();
    let related = removals.iter().find(|r| r["rule"] == "related-article").expect("a related-article removal");
    assert_eq!(related["pack"], "embedded:generic/related.toml");
    assert_eq!(related["lines"], serde_json::json!([29, 29]));
    let input = fs::read_to_string(&file).unwrap();
    let [s, e] = [related["bytes"][0].as_u64().unwrap() as usize, related["bytes"][1].as_u64().unwrap() as usize];
    assert!(input[s..e].starts_with("**Related article:**"));
    assert_eq!(v["rewrites"][0]["rule"], "paragraph-repair");
}

/// A report asks the detectors for their reasons, which split a run of lines into a
/// removal per line: the statistics count hits the same with it and without (the line
/// scorer's hits on the dev pages were doubled by `--report`).
#[test]
fn statistics_are_the_same_with_a_report_and_without() {
    let tmp = tempfile::tempdir().unwrap();
    let stats = |name: &str, report: bool| {
        let path = tmp.path().join(name);
        let mut run = dechrome();
        let probes = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/probes");
        run.arg("clean").arg(probes).arg("-o").arg(tmp.path().join(format!("out-{name}")));
        run.arg("-q").arg("--stats").arg(&path);
        if report {
            run.arg("--report").arg(tmp.path().join("report.jsonl"));
        }
        run.assert().success();
        serde_json::from_str::<serde_json::Value>(&fs::read_to_string(path).unwrap()).unwrap()
    };
    let (without, with) = (stats("without.json", false), stats("with.json", true));
    assert!(without["rules"]["line-scorer"]["hits"].as_u64().unwrap() > 0);
    assert_eq!(without, with);
}

#[test]
fn side_outputs_go_to_stdout_only_when_the_cleaned_text_does_not() {
    let tmp = tempfile::tempdir().unwrap();
    let file = fixtures_dir().join("001_4634952704be4858.txt");
    let out = tmp.path().join("cleaned.txt");
    // With -o, `--report -` prints the report.
    let ok = dechrome().arg("clean").arg(&file).arg("-o").arg(&out).args(["-q", "--report", "-"]).output().unwrap();
    assert!(ok.status.success());
    let v: serde_json::Value = serde_json::from_str(String::from_utf8(ok.stdout).unwrap().trim()).unwrap();
    assert!(v["removals"].as_array().is_some_and(|r| !r.is_empty()));
    assert!(out.exists());
    // Without -o, standard output carries the cleaned text: refused before anything is written.
    for flags in [&["--report", "-"][..], &["--stats", "-"], &["--report", "-", "--stats", "-"]] {
        let refused =
            dechrome().current_dir(tmp.path()).arg("clean").arg(&file).arg("-q").args(flags).output().unwrap();
        assert_eq!(refused.status.code(), Some(2), "{flags:?}");
        assert!(refused.stdout.is_empty(), "{flags:?}");
        let stderr = String::from_utf8(refused.stderr).unwrap();
        assert!(stderr.contains("standard output"), "{stderr}");
        assert!(!tmp.path().join("-").exists(), "no file named `-`");
    }
}

#[test]
fn stdin_to_stdout_and_single_file_to_stdout() {
    let out = dechrome()
        .args(["clean", "-", "-q"])
        .write_stdin("Story text.\n\nYou seem to have an Ad Blocker on.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Story text.\n");
    // `-o -` is standard output too, and leaves no file named `-` behind.
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("page.txt");
    std::fs::write(&page, "Story text.\n\nYou seem to have an Ad Blocker on.\n").unwrap();
    let out = dechrome().current_dir(tmp.path()).args(["clean", "page.txt", "-o", "-", "-q"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Story text.\n");
    assert!(!tmp.path().join("-").exists());
}

#[test]
fn usage_and_io_errors_exit_2_and_good_inputs_survive_bad_ones() {
    let tmp = tempfile::tempdir().unwrap();
    dechrome().args(["clean", "no/such/file"]).assert().code(2);
    dechrome().arg("clean").arg(fixtures_dir()).assert().code(2); // a directory needs -o
    let explain_dir = dechrome().arg("explain").arg(fixtures_dir()).assert().code(2);
    assert!(String::from_utf8_lossy(&explain_dir.get_output().stderr).contains("is a directory: explain shows one"));
    dechrome().args(["clean", "--frobnicate", "x"]).assert().code(2);
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a.txt"), "good text\n").unwrap();
    fs::write(dir.join("b.png"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\n").unwrap();
    let out = tmp.path().join("out");
    let assert = dechrome().arg("clean").arg(&dir).arg("-o").arg(&out).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("b.png:1: binary data"), "{stderr}");
    assert!(stderr.contains("2 documents read: 1 written, 0 dropped (--max-removed), 1 rejected (bad)"), "{stderr}");
    assert_eq!(fs::read_to_string(out.join("a.txt")).unwrap(), "good text\n");
    assert!(!out.join("b.png").exists());

    // The output's format follows the input's; a file name that says another is refused
    // before anything is written (names that say nothing are fine, --format overrides).
    let jsonl = tmp.path().join("in.jsonl");
    fs::write(&jsonl, "{\"text\":\"good text\"}\n").unwrap();
    let text = dir.join("a.txt");
    let refused = [
        (&jsonl, "out.txt", "a JSONL input is written as JSONL, but this name says text"),
        (&text, "out.jsonl.gz", "a text input is written as text, but this name says JSONL"),
    ];
    for (input, output, says) in refused {
        let out = tmp.path().join(output);
        let run = dechrome().arg("clean").arg(input).arg("-o").arg(&out).assert().code(2);
        let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
        assert!(stderr.contains(&format!("{output}: {says}")), "{stderr}");
        assert!(!out.exists());
    }
    dechrome().arg("clean").arg(&jsonl).arg("-o").arg(tmp.path().join("out")).assert().success();
    let forced = tmp.path().join("as-text.jsonl");
    dechrome().arg("clean").arg(&jsonl).arg("-o").arg(&forced).args(["--format", "text"]).assert().success();
}

/// Scraped text carries stray bytes of other encodings: the page is cleaned with each
/// invalid sequence replaced by U+FFFD, and the run says where (under --strict, it stops).
/// A write that fails (a full disk; here a file size limit, which fails the same way)
/// names the output, not its temporary file, and leaves no temporary file behind.
#[cfg(unix)]
#[test]
fn a_failed_write_names_the_output_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let input = fixtures_dir().join(&files_under(&fixtures_dir())[0].0);
    let bin = assert_cmd::cargo::cargo_bin("dechrome");
    // 1 KiB blocks: the first output over 2 KiB fails with EFBIG (SIGXFSZ ignored).
    let run = std::process::Command::new("sh")
        .args(["-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\""])
        .arg(&bin)
        .arg("clean")
        .arg(&input)
        .arg("-o")
        .arg(out.join("page.txt"))
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.starts_with(&format!("dechrome: {}: File too large", out.join("page.txt").display())), "{stderr}");
    assert!(fs::read_dir(&out).unwrap().next().is_none(), "left {:?}", fs::read_dir(&out).unwrap().collect::<Vec<_>>());
}

#[test]
fn a_stray_byte_costs_itself_not_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("page.txt");
    fs::write(&input, b"Share this\nThe caf\xe9 opened on Tuesday.\n").unwrap();
    let out = tmp.path().join("page.clean.txt");
    let run = dechrome().arg("clean").arg(&input).arg("-o").arg(&out).assert().success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(stderr.contains("page.txt:2: invalid UTF-8, 1 byte sequence(s) replaced with U+FFFD"), "{stderr}");
    assert!(stderr.contains("1 with invalid UTF-8 replaced"), "{stderr}");
    assert_eq!(fs::read_to_string(&out).unwrap(), "The caf\u{FFFD} opened on Tuesday.\n");
    fs::remove_file(&out).unwrap();
    let strict = dechrome().arg("clean").arg(&input).arg("-o").arg(&out).arg("--strict").assert().code(2);
    let stderr = String::from_utf8_lossy(&strict.get_output().stderr).to_string();
    assert!(stderr.contains("error: ") && stderr.contains("page.txt:2: invalid UTF-8"), "{stderr}");
    assert!(!out.exists());
    // A document cleaned in segments, a stray byte in two of them: two warnings, one document.
    let paragraph = b"The minister said on Tuesday that the budget would be published.\n\n";
    let mut big = paragraph.repeat((1 << 20) / paragraph.len());
    big.extend_from_slice(b"caf\xe9\n\n");
    big.extend_from_slice(&paragraph.repeat((1 << 20) / paragraph.len()));
    big.extend_from_slice(b"caf\xe9\n\n");
    fs::write(&input, big).unwrap();
    let run = dechrome().arg("clean").arg(&input).arg("-o").arg(&out).args(["--segment-mib", "1"]).assert().success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert_eq!(stderr.matches("warning: ").count(), 2, "{stderr}");
    assert!(
        stderr.contains("1 document read: 1 written, 0 dropped (--max-removed), 0 rejected (bad); 1 with invalid"),
        "{stderr}"
    );
}

#[test]
fn explain_names_rules_and_honours_no_color() {
    let file = fixtures_dir().join("000_14c45c499be95dbc.txt");
    let plain = dechrome().arg("explain").arg(&file).env("NO_COLOR", "1").output().unwrap();
    let text = String::from_utf8(plain.stdout).unwrap();
    assert!(text.contains("globalresearch-footer") && !text.contains('\x1b'));
    let coloured = dechrome().arg("explain").arg(&file).args(["--color", "always"]).output().unwrap();
    assert!(String::from_utf8(coloured.stdout).unwrap().contains("\x1b[31m"));
    let diff = dechrome().arg("explain").arg(&file).arg("--diff").output().unwrap();
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(diff.contains("-Global Research, November 13, 2024"), "{diff}");
}

/// `explain --scores` puts the line scorer's P(content) on the lines it kept, and only then.
#[test]
fn explain_scores_show_how_near_kept_lines_came() {
    let file = fixtures_dir().join("000_14c45c499be95dbc.txt");
    let run = |args: &[&str]| {
        let out = dechrome().arg("explain").arg(&file).args(args).env("NO_COLOR", "1").output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let scored = run(&["--scores"]);
    let plain = run(&[]);
    let kept_with_p =
        |s: &str| s.lines().filter(|l| l.starts_with(' ') && l.contains(" P 0.") && l.contains('│')).count();
    assert!(kept_with_p(&scored) >= 5, "{scored}");
    assert_eq!(kept_with_p(&plain), 0);
    assert!(scored.contains("the line scorer's P(content) of a line it kept"));
    // With its threshold for this page, which depends on the page.
    assert!(scored.contains("below its threshold of 0.") && scored.contains(" on this page, the guard"), "{scored}");
    // Removed lines and the cleaned result are the same either way.
    let removed = |s: &str| s.lines().filter(|l| l.starts_with('-')).map(String::from).collect::<Vec<_>>();
    assert_eq!(removed(&scored), removed(&plain));
    // A line kept under the threshold names the guard that kept it. The address page is
    // short, and short pages get conservative's threshold, under which the guards have
    // little to do: this scorer is the shipped one without that.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped = fs::read_to_string(root.join("rules/generic/scorer.toml")).unwrap();
    let short_pages = "[rule.params.short_page_lines]\nconservative = 0\nbalanced = 30\naggressive = 30\n";
    assert!(shipped.contains(short_pages), "the shipped scorer's short_page_lines changed");
    let long_pages = shipped
        .replace(short_pages, "[rule.params.short_page_lines]\nconservative = 0\nbalanced = 0\naggressive = 0\n")
        .replace("name = \"generic-scorer\"", "name = \"scorer-without-short-pages\"")
        .replace("id = \"line-scorer\"", "id = \"line-scorer-long-pages\"");
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("scorer.toml"), long_pages).unwrap();
    let probe = root.join("tests/data/probes/address.txt");
    let out = dechrome()
        .arg("explain")
        .arg(&probe)
        .arg("--scores")
        .args(["--disable", "line-scorer", "--rules"])
        .arg(tmp.path().join("scorer.toml"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let row =
        |text: &str| out.lines().find(|l| l.ends_with(text)).unwrap_or_else(|| panic!("{text}: {out}")).to_string();
    assert!(row("│ # Visit us").contains(" title "), "{out}");
    assert!(row("│ 123 Main Street").contains(" section "), "{out}");
    assert!(!row("│ We take reservations for groups of six or more. Call us or book online, and tell us about any allergies when you book.").contains(" section "), "{out}");
}

/// `explain` on a corpus shows one record: the first, or the one `--id` or `--line` (as
/// `clean --report` gives it) names; a bad or missing pick is an error saying which.
#[test]
fn explain_picks_one_record_of_a_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let seed = fs::read_to_string(fixtures_dir().join("000_14c45c499be95dbc.txt")).unwrap();
    let corpus = tmp.path().join("c.jsonl");
    let record = |id: &str, text: &str| serde_json::json!({"id": id, "text": text}).to_string();
    let lines = [record("short", "Story text.\n\nShare this\n"), "not json".into(), record("seed", &seed)];
    fs::write(&corpus, lines.join("\n") + "\n").unwrap();
    let explain =
        |args: &[&str]| dechrome().arg("explain").arg(&corpus).args(args).env("NO_COLOR", "1").output().unwrap();
    let stdout = |out: std::process::Output| String::from_utf8(out.stdout).unwrap();

    let first = stdout(explain(&[]));
    assert!(first.starts_with(&format!("{}:1 (id short): 3 lines, 1 removed", corpus.display())), "{first}");
    let by_id = stdout(explain(&["--id", "seed"]));
    assert!(by_id.contains(":3 (id seed)") && by_id.contains("globalresearch-footer"), "{by_id}");
    // The line a report gives for a record picks the same record.
    let report = tmp.path().join("r.jsonl");
    dechrome()
        .arg("clean")
        .arg(&corpus)
        .arg("-o")
        .arg(tmp.path().join("out.jsonl"))
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    let last: serde_json::Value =
        serde_json::from_str(fs::read_to_string(&report).unwrap().lines().last().unwrap()).unwrap();
    assert_eq!(last["id"], "seed");
    assert_eq!(stdout(explain(&["--line", &last["line"].to_string()])), by_id);

    for (args, error) in [
        (&["--id", "nope"][..], "no record has id `nope` (3 records read)"),
        (&["--line", "2"], "c.jsonl:2: invalid JSON"),
        (&["--line", "9"], "no record starts on line 9"),
    ] {
        let out = explain(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(error), "{args:?}: {stderr}");
    }
    let text = dechrome()
        .arg("explain")
        .arg(fixtures_dir().join("000_14c45c499be95dbc.txt"))
        .args(["--id", "x"])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(2));
    assert!(String::from_utf8(text.stderr).unwrap().contains("is read as plain text"));
}

#[test]
fn rules_test_and_check_pass_on_shipped_packs_and_fail_on_bad_examples() {
    let out = dechrome().args(["rules", "test"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(" 0 failed"));
    dechrome().args(["rules", "check"]).assert().success();
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("p.toml");
    fs::write(&pack, "[pack]\nname = \"p\"\ndescription = \"d\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"share\"]\nexamples.keep = [\"Share prices fell\"]\n").unwrap();
    let out = dechrome().args(["rules", "test"]).arg(&pack).assert().code(1);
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("FAIL x"));
    // A remove example with an article line in it fails, and the message says why.
    fs::write(&pack, "[pack]\nname = \"p\"\ndescription = \"d\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"©\"]\nexamples.remove = [\"Article text.\\n\\n© 2020 Footer\"]\n").unwrap();
    let out = dechrome().args(["rules", "test"]).arg(&pack).assert().code(1);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("line(s) [1] not removed (every non-blank line of a remove example must go)"), "{stdout}");
}

/// A pattern the line gate cannot narrow makes every document slower; `rules check` says
/// which (the shipped packs have none).
#[test]
fn rules_check_notes_patterns_that_let_most_lines_through_the_gate() {
    let out = dechrome().args(["rules", "check"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("note: rule"), "{}", String::from_utf8_lossy(&out.stdout));
    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("p.toml");
    let rule = |id: &str, key: &str, pattern: &str| {
        format!(
            "[[rule]]\nid = \"{id}\"\nkind = \"line\"\nwhy = \"w\"\n{key} = ['{pattern}']\nexamples.keep = [\"x\"]\n"
        )
    };
    let text = [
        "[pack]\nname = \"p\"\ndescription = \"d\"\n".to_string(),
        rule("no-literal", "regex", r"^\w+ \d+$"),
        rule("short-word", "contains", "by ap"),
        rule("no-word", "contains", "!!"),
        rule("fine", "contains", "photo by"),
    ]
    .concat();
    fs::write(&pack, text).unwrap();
    let out = dechrome().args(["rules", "check"]).arg(&pack).output().unwrap();
    assert!(out.status.success(), "notes are not errors");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("rule `no-literal`: regex") && stdout.contains("has no literal"), "{stdout}");
    assert!(
        stdout.contains("rule `short-word`: pattern \"by ap\" is looked for by its rarest-looking word, \"ap\""),
        "{stdout}"
    );
    assert!(stdout.contains("rule `no-word`: pattern \"!!\" has no word"), "{stdout}");
    assert!(!stdout.contains("`fine`"), "{stdout}");
}

/// Past 64 words the line gate's automaton reads every byte: `rules check` gives the
/// count, and a note once a pack goes past it (the shipped packs stay below).
#[test]
fn rules_check_counts_the_gates_words_and_notes_too_many() {
    let out = dechrome().args(["rules", "check"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let count: usize = stdout
        .split("the line gate looks for ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count: {stdout}"));
    assert!(count > 0 && count <= 64, "{stdout}");
    assert!(!stdout.contains("note: the line gate"), "{stdout}");

    let tmp = tempfile::tempdir().unwrap();
    let pack = tmp.path().join("p.toml");
    let words: Vec<String> = (0..70).map(|i| format!("\"zorblax{i:02} notice\"")).collect();
    let text = format!(
        "[pack]\nname = \"p\"\ndescription = \"d\"\n[[rule]]\nid = \"many\"\nkind = \"line\"\nwhy = \"w\"\n\
         contains = [{}]\nexamples.keep = [\"x\"]\n",
        words.join(", ")
    );
    fs::write(&pack, text).unwrap();
    let out = dechrome().args(["rules", "check"]).arg(&pack).output().unwrap();
    assert!(out.status.success(), "a note is not an error");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(stdout.contains("note: the line gate looks for 70 words, more than 64"), "{stdout}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let file = fixtures_dir().join("001_4634952704be4858.txt");
    let bin = assert_cmd::cargo::cargo_bin("dechrome");
    let script = format!(
        "set -o pipefail; for i in $(seq 200); do cat '{}'; done > big.txt; '{}' clean big.txt -q | head -c 10 > /dev/null",
        file.display(),
        bin.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("bash").arg("-c").arg(script).current_dir(tmp.path()).status().unwrap();
    assert!(status.success());
}

#[test]
fn rules_show_prints_where_why_scope_and_the_rule_itself() {
    let out = dechrome().args(["rules", "show", "udayavani-tail"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("udayavani-tail (block rule) in pack `udayavani.com`, embedded:sites/udayavani.com.toml:")
    );
    assert!(text.contains("scope domains: udayavani.com"), "{text}");
    assert!(text.contains("[[rule]]\nid = \"udayavani-tail\""), "{text}");
    dechrome().args(["rules", "show", "no-such-rule"]).assert().code(2);
}

/// Pages of one made-up site: its template (a motto, a tip line, a section heading every
/// page has) around articles of their own.
fn gazette_pages() -> Vec<String> {
    let stories = [
        "The town council voted on Tuesday to repair the old bridge over the river before winter comes.",
        "Volunteers planted two hundred trees along the lake shore, and the school children named each one.",
        "The bakery on Main Street closes after forty years; its owners plan to sail around the world.",
        "A heron nesting in the harbour has drawn bird watchers from three counties this spring.",
    ];
    stories
        .iter()
        .map(|story| {
            format!(
                "The Lakeside Gazette: all the news from the shore since 1921\n\n# {}\n\n{story}\n\n{story} Residents \
                 spoke about it at length at the meeting.\n\n## More from the shore\n\nGot a tip? Write to the \
                 newsroom and tell us what is happening on your street.\n",
                &story[..30]
            )
        })
        .collect()
}

#[test]
fn suggest_drafts_a_site_pack_that_removes_the_template_and_keeps_the_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let pages = tmp.path().join("pages");
    fs::create_dir(&pages).unwrap();
    let gazette = gazette_pages();
    for (i, page) in gazette.iter().enumerate() {
        fs::write(pages.join(format!("{i}.txt")), page).unwrap();
    }
    // The same article under a second name must not make its text look like template.
    fs::write(pages.join("9-copy.txt"), &gazette[0]).unwrap();

    let no_url = dechrome().args(["rules", "suggest"]).arg(&pages).assert().code(2);
    let stderr = String::from_utf8_lossy(&no_url.get_output().stderr).to_string();
    assert!(stderr.contains("pass --url"), "{stderr}");

    let url = "https://www.lakeside.example/news/";
    let run = dechrome().args(["rules", "suggest", "--url", url]).arg(&pages).assert().success();
    let draft = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).to_string();
    assert!(
        stderr.contains("lakeside.example: 4 pages (and 1 copy of them, not counted), 3 repeated lines"),
        "{stderr}"
    );
    assert!(draft.contains("domains = [\"lakeside.example\"]"), "{draft}");
    assert!(
        draft.contains("\n    \"The Lakeside Gazette: all the news from the shore since 1921\", # 4 of 4 pages"),
        "{draft}"
    );
    assert!(draft.contains("\n    # \"## More from the shore\", # 4 of 4 pages; a heading"), "{draft}");
    assert!(!draft.contains("bridge"), "article text drafted: {draft}");

    let pack = tmp.path().join("lakeside.toml");
    fs::write(&pack, &draft).unwrap();
    dechrome().args(["rules", "check"]).arg(&pack).assert().success();
    let page = pages.join("1.txt");
    let clean = |url: &str| {
        let out = dechrome().args(["clean", "-q", "--url", url, "--rules"]).arg(&pack).arg(&page).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let cleaned = clean(url);
    assert!(!cleaned.contains("Lakeside Gazette") && !cleaned.contains("Got a tip"), "{cleaned}");
    assert!(cleaned.contains("Volunteers planted two hundred trees"), "{cleaned}");
    // The draft leaves the heading to the author (commented out, above); `orphan-heading`
    // drops it once the line under it went.
    assert!(!cleaned.contains("## More from the shore"), "{cleaned}");
    assert!(clean("https://other.example/").contains("Got a tip"), "the draft is scoped to its site");
}

#[test]
fn suggest_writes_one_draft_per_site_and_keeps_existing_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let jsonl = tmp.path().join("crawl.jsonl");
    let mut lines = String::new();
    for (i, page) in gazette_pages().iter().enumerate() {
        for site in ["lakeside.example", "hillside.example"] {
            let record =
                serde_json::json!({"id": format!("{site}-{i}"), "url": format!("https://{site}/{i}"), "text": page});
            lines.push_str(&format!("{record}\n"));
        }
    }
    lines.push_str("{\"id\": \"broken\n");
    fs::write(&jsonl, lines).unwrap();

    let several = dechrome().args(["rules", "suggest"]).arg(&jsonl).assert().code(2);
    let stderr = String::from_utf8_lossy(&several.get_output().stderr).to_string();
    assert!(stderr.contains("2 sites have repeated lines: give -o DIR"), "{stderr}");
    assert!(stderr.contains("crawl.jsonl:9: "), "a bad record is named and passed over: {stderr}");

    // The bad record makes the exit code 2; the good ones still give their drafts.
    let drafts = tmp.path().join("drafts");
    dechrome().args(["rules", "suggest", "-o"]).arg(&drafts).arg(&jsonl).assert().code(2);
    let written: Vec<String> = files_under(&drafts).into_iter().map(|(name, _)| name).collect();
    assert_eq!(written, ["hillside.example.toml", "lakeside.example.toml"]);
    let again = dechrome().args(["rules", "suggest", "-o"]).arg(&drafts).arg(&jsonl).assert().code(2);
    assert!(String::from_utf8_lossy(&again.get_output().stderr).contains("exists (--force overwrites it)"));
    let forced = dechrome().args(["rules", "suggest", "--force", "-o"]).arg(&drafts).arg(&jsonl).assert().code(2);
    assert!(String::from_utf8_lossy(&forced.get_output().stdout).contains("lakeside.example.toml"));
}
