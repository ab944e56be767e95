//! The commands behind the CLI: resolve inputs and options, call the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use dechrome::io::format::{Format, output_name};
use dechrome::io::records::{Fields, Pick, TextSplit, find_record};
use dechrome::io::sink::Sink;
use dechrome::io::{Job, walk};
use dechrome::pipeline::{self, RunOptions};
use dechrome::report::plural;
use dechrome::rules::{self, RuleErrors, lint};
use dechrome::{Engine, Profile, RuleOptions, RuleSet, Scratch, explain, suggest};

use crate::cli::{
    CleanArgs, Cli, ColorChoice, Command, ExplainArgs, FormatArg, InputArgs, ProfileArg, RuleArgs, RulesCommand,
    SuggestArgs,
};

const RULES_FAILED: u8 = 2;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Clean(args) => clean(*args),
        Command::Explain(args) => explain_cmd(args),
        Command::Rules(RulesCommand::Suggest(args)) => suggest_cmd(*args),
        Command::Rules(cmd) => rules_cmd(cmd),
    }
}

fn rule_options(args: &RuleArgs) -> RuleOptions {
    let profile = match args.profile {
        ProfileArg::Conservative => dechrome::Profile::Conservative,
        ProfileArg::Balanced => dechrome::Profile::Balanced,
        ProfileArg::Aggressive => dechrome::Profile::Aggressive,
    };
    RuleOptions {
        profile,
        no_default_rules: args.no_default_rules,
        paths: args.rules.clone(),
        disabled: args.disable.clone(),
    }
}

/// Print every rule error and a count (`then`: what the command did not do), and give
/// the exit code for them.
fn report_rule_errors(errors: &RuleErrors, then: Option<&str>) -> ExitCode {
    for e in &errors.0 {
        eprintln!("error: {e}");
    }
    match then {
        Some(then) => eprintln!("dechrome: {} rule error(s); {then}", errors.0.len()),
        None => eprintln!("dechrome: {} rule error(s)", errors.0.len()),
    }
    ExitCode::from(RULES_FAILED)
}

fn load(args: &RuleArgs) -> Result<Engine, ExitCode> {
    let options = rule_options(args);
    if !options.no_default_rules || !options.paths.is_empty() {
        return dechrome::load_engine(&options).map_err(|e| report_rule_errors(&e, Some("nothing was written")));
    }
    eprintln!("dechrome: --no-default-rules without --rules leaves no rules to apply");
    Err(ExitCode::from(2))
}

fn fields_of(args: &InputArgs) -> Fields {
    Fields::new(&args.text_field, &args.id_field, args.url_field.as_deref())
}

/// `--segment-mib` in bytes.
fn segment_bytes(args: &InputArgs) -> usize {
    (args.segment_mib as usize) << 20
}

/// How text inputs are cut: into segments (`clean`), or into whole documents (`explain`,
/// which then cleans them in the same segments).
fn text_split(args: &InputArgs, segmented: bool) -> TextSplit {
    let separator = args.doc_separator.clone();
    match segmented {
        true => TextSplit { segment_bytes: segment_bytes(args), separator },
        false => TextSplit::whole(separator),
    }
}

fn format_of(args: &InputArgs, path: &Path) -> Format {
    match args.format {
        Some(FormatArg::Text) => Format::Text,
        Some(FormatArg::Jsonl) => Format::Jsonl,
        Some(FormatArg::Wet) => Format::Wet,
        None => Format::of(path),
    }
}

/// The `--glob` patterns as one set, or `None` for every file.
fn glob_set(globs: &[String]) -> Result<Option<globset::GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = globset::GlobSetBuilder::new();
    for g in globs {
        b.add(globset::Glob::new(g).with_context(|| format!("bad --glob `{g}`"))?);
    }
    Ok(Some(b.build()?))
}

/// Turn the inputs and `-o` into jobs, refusing ambiguous or destructive layouts.
fn resolve_jobs(args: &CleanArgs) -> Result<Vec<Job>> {
    let globs = glob_set(&args.glob)?;
    // `-o -` is standard output, as `-` is standard input: the same as no -o (it used to
    // write a file named `-`).
    let output = args.output.as_ref().filter(|o| o.as_os_str() != "-");
    // Any existing non-directory counts as a file: FIFOs (`<(zcat x.gz)`) and devices too.
    let is_file = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.is_dir());
    let single_file = args.inputs.len() == 1 && (args.inputs[0].as_os_str() == "-" || is_file(&args.inputs[0]));
    let out_is_file = single_file && output.is_some_and(|o| !o.is_dir() && !o.to_string_lossy().ends_with('/'));
    // (input, output path relative to OUT or absolute, name for the attribute file)
    let mut jobs = Vec::new();
    let attributes = |rel: &Path| args.attributes.as_ref().map(|dir| dir.join(rel));
    for input in &args.inputs {
        if input.as_os_str() == "-" {
            if args.inputs.len() > 1 {
                bail!("`-` (standard input) cannot be combined with other inputs");
            }
            let format = format_of(&args.input, input);
            let attr_name = output.and_then(|o| o.file_name()).map_or_else(
                || PathBuf::from(if format.output() == Format::Text { "stdin.txt" } else { "stdin.jsonl" }),
                PathBuf::from,
            );
            jobs.push(Job {
                input: input.clone(),
                format,
                output: output.cloned(),
                attributes: attributes(&attr_name),
            });
        } else if input.is_dir() {
            let Some(out) = output else {
                bail!("{} is a directory: give -o DIR to mirror it into", input.display());
            };
            for rel in
                walk(input, globs.as_ref(), Some(out)).with_context(|| format!("cannot walk {}", input.display()))?
            {
                let path = input.join(&rel);
                let format = format_of(&args.input, &path);
                let out_rel = output_name(&rel, format);
                jobs.push(Job {
                    input: path,
                    format,
                    output: Some(out.join(&out_rel)),
                    attributes: attributes(&out_rel),
                });
            }
        } else if is_file(input) {
            let format = format_of(&args.input, input);
            let output = match output {
                None if single_file => None,
                None => bail!("several inputs need -o DIR"),
                Some(out) if out_is_file => Some(out.clone()),
                Some(out) => {
                    Some(out.join(output_name(Path::new(input.file_name().context("input has no file name")?), format)))
                }
            };
            let attr_name = output
                .as_ref()
                .and_then(|o| o.file_name())
                .map_or_else(|| output_name(Path::new(input.file_name().unwrap_or_default()), format), PathBuf::from);
            jobs.push(Job { input: input.clone(), format, output, attributes: attributes(&attr_name) });
        } else {
            bail!("{}: no such file or directory", input.display());
        }
    }
    if out_is_file && args.input.format.is_none() {
        for job in &jobs {
            check_output_name(job.output.as_deref(), job.format)?;
        }
    }
    let mut seen = std::collections::HashMap::new();
    for job in &jobs {
        for out in job.output.iter().chain(&job.attributes) {
            if same_file(out, &job.input) {
                bail!("{} would overwrite its own input; write to another place", out.display());
            }
            if let Some(first) = seen.insert(out.clone(), job.input.clone()) {
                bail!("{} and {} would both be written to {}", first.display(), job.input.display(), out.display());
            }
        }
    }
    Ok(jobs)
}

/// A single output file whose name says another format than cleaning writes: the format
/// follows the input (WET records become JSONL), the name only picks the compression, so
/// `clean x.jsonl -o x.txt` would write JSONL into a `.txt` file. Names that say nothing
/// (`out`, `/dev/stdout`) are fine.
fn check_output_name(output: Option<&Path>, input: Format) -> Result<()> {
    let Some(output) = output else { return Ok(()) };
    let name = output.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let named = match Format::of(output) {
        Format::Text if [".txt", ".txt.gz", ".txt.zst", ".md"].iter().any(|e| name.ends_with(e)) => Some("text"),
        Format::Text => None,
        Format::Jsonl => Some("JSONL"),
        Format::Wet => Some("WET"),
    };
    let (reads, writes, fix) = match input {
        Format::Text => {
            ("text", "text", "name it `.txt` (`.txt.gz`, `.txt.zst`), or read the input as JSONL with --format jsonl")
        }
        Format::Jsonl => ("JSONL", "JSONL", "name it `.jsonl` (`.jsonl.gz`, `.jsonl.zst`)"),
        Format::Wet => ("WET", "JSONL", "name it `.jsonl` (`.jsonl.gz`, `.jsonl.zst`)"),
    };
    match named {
        Some(named) if named != writes => {
            bail!("{}: a {reads} input is written as {writes}, but this name says {named}: {fix}", output.display())
        }
        _ => Ok(()),
    }
}

/// `output` names the existing file `input`. Checked for every input of a tree, so a
/// missing output (the usual case) costs one `stat`, not two `realpath`s.
fn same_file(output: &Path, input: &Path) -> bool {
    if std::fs::symlink_metadata(output).is_err() {
        return false;
    }
    match (output.canonicalize(), input.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn clean(args: CleanArgs) -> Result<ExitCode> {
    let engine = match load(&args.rules) {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let jobs = resolve_jobs(&args)?;
    if jobs.is_empty() {
        bail!("no input files (check the inputs and --glob)");
    }
    if args.input.doc_separator.is_some() && !args.quiet && jobs.iter().all(|j| j.format != Format::Text) {
        eprintln!("warning: --doc-separator applies to plain-text inputs, and none of these is read as text");
    }
    if args.mark_only
        && let Some(text) = jobs.iter().find(|j| j.format.output() == Format::Text)
    {
        bail!(
            "--mark-only flags records with a `dechrome` field, which JSONL has and {} (text) has not: keep \
             what --max-removed drops with --rejected FILE instead",
            text.input.display()
        );
    }
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build()?;
    // Sizing the inputs costs a `stat` per file: only for the progress bar.
    let bar = (!args.quiet && !args.no_progress && std::io::stderr().is_terminal())
        .then(|| progress_bar(jobs.iter().map(|j| std::fs::metadata(&j.input).map_or(0, |m| m.len())).sum()));
    let on_progress = |p: &pipeline::Progress| {
        if let Some(bar) = &bar {
            bar.set_position(p.input_bytes);
            bar.set_message(format!("{} records", p.records));
        }
    };
    let options = RunOptions {
        url: args.url.as_deref(),
        fields: fields_of(&args.input),
        text_split: text_split(&args.input, true),
        report: args.report.is_some(),
        max_removed: args.max_removed,
        mark_only: args.mark_only,
        strict: args.strict,
        skip_existing: args.skip_existing,
        progress: Some(&on_progress),
        ..RunOptions::default()
    };
    check_side_outputs(&args, &jobs)?;
    // Written under temporary names, renamed when the run succeeds (compressed by extension);
    // `-` is standard output.
    let create = |p: &Path| match is_stdout(p) {
        true => Ok(Sink::stdout()),
        false => Sink::file(p).with_context(|| format!("cannot create {}", p.display())),
    };
    let mut report_file = args.report.as_deref().map(create).transpose()?;
    let mut rejected_file = args.rejected.as_deref().map(create).transpose()?;
    let outcome = pool.install(|| {
        let extra = pipeline::Extra {
            report: report_file.as_mut().map(Sink::writer),
            rejected: rejected_file.as_mut().map(Sink::writer),
        };
        pipeline::run(&engine, &jobs, &options, extra)
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    for e in &outcome.errors {
        eprintln!("error: {e}");
    }
    if outcome.aborted {
        eprintln!("dechrome: stopped at the first bad record (--strict); its output was not written");
        return Ok(ExitCode::from(2));
    }
    for f in [report_file, rejected_file].into_iter().flatten() {
        f.finish()?;
    }
    if let Some(path) = &args.stats {
        write_stats(path, &engine, &outcome)?;
    }
    if !args.quiet {
        let c = &outcome.counts;
        // A text file (or each part between `--doc-separator`s) is a document, not a record.
        let unit = if jobs.iter().all(|j| j.format == Format::Text) { "document" } else { "record" };
        eprintln!(
            "dechrome: {} read: {} written, {} dropped (--max-removed), {} rejected (bad){}{}{}{}{}{}",
            plural(c.read, unit),
            c.written,
            c.dropped,
            c.rejected,
            if c.unwritten > 0 { format!(", {} not written with their file", c.unwritten) } else { String::new() },
            if c.flagged > 0 { format!(", {} flagged", c.flagged) } else { String::new() },
            if c.uncleaned > 0 {
                format!("; {} written uncleaned after an internal error (see the errors)", c.uncleaned)
            } else {
                String::new()
            },
            if c.null_texts > 0 {
                format!("; {} with a null text, written unchanged", plural(c.null_texts, "record"))
            } else {
                String::new()
            },
            if c.utf8_replaced > 0 {
                format!("; {} with invalid UTF-8 replaced (see the warnings)", c.utf8_replaced)
            } else {
                String::new()
            },
            if c.inputs_skipped > 0 {
                format!("; {} skipped (output exists)", plural(c.inputs_skipped, "input"))
            } else {
                String::new()
            },
        );
        eprintln!("{}", outcome.stats.summary(args.top));
        if c.segmented_documents > 0 && engine.rule_index("line-scorer").is_some() {
            // The scorer's context (position, the main block, the page's threshold) is a
            // page's: in a segment of many pages it guesses where they meet, and loses some
            // content where it guesses wrong.
            let unseparated_text = args.input.doc_separator.is_none() && jobs.iter().any(|j| j.format == Format::Text);
            let advice = match unseparated_text {
                true => {
                    "; if a text file holds many pages and marks where they end, --doc-separator LINE \
                     cleans each alone, and one page per file or JSONL does too"
                }
                false => "",
            };
            eprintln!(
                "note: {} document(s) above {} MiB or 131,072 lines were cleaned in segments, and the line \
                 scorer guesses where the pages in them meet{advice} (see README, \"Many pages in one text file\")",
                c.segmented_documents, args.input.segment_mib
            );
        }
    }
    let only_bad_data = outcome.counts.inputs_unreadable == 0;
    Ok(if outcome.errors.is_empty() || (args.allow_bad_records && only_bad_data) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
    )
    .expect("valid template");
    bar.set_style(style);
    bar
}

/// `-` as a file name: standard output.
fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// `--report`, `--rejected` and `--stats` may write to standard output (`-`), one of
/// them at a time and only when the cleaned text goes to files (`-o`).
fn check_side_outputs(args: &CleanArgs, jobs: &[Job]) -> Result<()> {
    let to_stdout: Vec<&str> = [("--report", &args.report), ("--rejected", &args.rejected), ("--stats", &args.stats)]
        .into_iter()
        .filter(|(_, p)| p.as_deref().is_some_and(is_stdout))
        .map(|(flag, _)| flag)
        .collect();
    match to_stdout[..] {
        [] => Ok(()),
        [flag] if jobs.iter().any(|j| j.output.is_none()) => bail!(
            "{flag} -: standard output already carries the cleaned text; write it to files with -o, or give {flag} a file name"
        ),
        [_] => Ok(()),
        _ => bail!("{} all ask for standard output (-): at most one can have it", to_stdout.join(", ")),
    }
}

fn write_stats(path: &Path, engine: &Engine, outcome: &pipeline::RunOutcome) -> Result<()> {
    let rules: serde_json::Map<String, serde_json::Value> = outcome
        .stats
        .top_rules()
        .into_iter()
        .map(|(id, hits, bytes)| {
            let kind = engine.rule_index(id).map_or("engine", |i| engine.rules[i as usize].kind);
            (id.to_string(), serde_json::json!({"hits": hits, "bytes": bytes, "kind": kind}))
        })
        .collect();
    let stats = serde_json::json!({
        "totals": {
            "records": outcome.counts,
            "documents": outcome.stats.documents,
            "bytes_in": outcome.stats.bytes_in,
            "bytes_out": outcome.stats.bytes_out,
            "removed_share": outcome.stats.removed_share(),
        },
        "rules": rules,
        "domains": outcome.domains,
    });
    let mut f = match is_stdout(path) {
        true => Sink::stdout(),
        false => Sink::file(path).with_context(|| format!("cannot create {}", path.display()))?,
    };
    serde_json::to_writer_pretty(f.writer(), &stats)?;
    f.writer().write_all(b"\n")?;
    f.finish().with_context(|| format!("cannot write {}", path.display()))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn explain_cmd(args: ExplainArgs) -> Result<ExitCode> {
    let engine = match load(&args.rules) {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let file = if args.file.as_os_str() == "-" { "<stdin>".to_string() } else { args.file.display().to_string() };
    let format = format_of(&args.input, &args.file);
    let pick = match (&args.id, args.line) {
        (Some(id), _) => Pick::Id(id),
        (None, Some(line)) => Pick::Line(line),
        (None, None) => Pick::First,
    };
    if args.file.is_dir() {
        bail!(
            "{file} is a directory: explain shows one document (`clean {file} -o OUT --report FILE` lists every \
             removal of a tree)"
        );
    }
    let separated = args.input.doc_separator.is_some();
    match pick {
        Pick::Id(_) if format == Format::Text => {
            bail!("--id picks a record of a JSONL or WET input; {file} is read as plain text (see --format)")
        }
        Pick::Line(_) if format == Format::Text && !separated => bail!(
            "--line picks a record of a JSONL or WET input, or a document of a text file cut by \
             --doc-separator; {file} is read as one plain-text document (see --format)"
        ),
        _ => {}
    }
    // Read whole, however large; cleaned in the segments `clean` would cut.
    let split = text_split(&args.input, false);
    let record =
        find_record(&args.file, &file, format, fields_of(&args.input), &split, pick).map_err(anyhow::Error::msg)?;
    if let Some(r) = record.replaced {
        eprintln!("warning: {}", r.describe(&file));
    }
    let name = match (format, &record.id) {
        (Format::Text, _) if separated => format!("{file}:{}", record.line),
        (Format::Text, _) => file,
        (_, Some(id)) => format!("{file}:{} (id {id})", record.line),
        (_, None) => format!("{file}:{}", record.line),
    };
    let text = record.text;
    let url = args.url.as_deref().or(record.url.as_deref());
    let mut scratch = Scratch::with_details(true);
    scratch.scores = args.scores.then(Default::default);
    let ctx = dechrome::DocContext { url, path: Some(&name), ..Default::default() };
    let (cleaned, segmented) =
        dechrome::pipeline::clean_in_segments(&engine, &text, ctx, &mut scratch, segment_bytes(&args.input));
    if segmented {
        eprintln!(
            "note: above {} MiB or 131,072 lines, this document was cleaned in segments, as `clean` does; the line \
             scorer guessed where the pages in them meet",
            args.input.segment_mib
        );
    }
    let rendered = if args.diff {
        explain::diff(&name, &text, &cleaned.text)
    } else {
        let palette = if use_color(args.color) { explain::Palette::ANSI } else { explain::Palette::PLAIN };
        explain::render(&engine, &name, &text, &cleaned, scratch.scores.as_ref(), palette)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(rendered.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The packs at `paths`, or the shipped ones when there are none, parsed and compiled
/// for every profile (compiling catches regex errors and detector settings that only one
/// profile uses); returns the default profile's engine.
fn load_checked(paths: &[PathBuf]) -> Result<(RuleSet, Engine), RuleErrors> {
    let options = RuleOptions { no_default_rules: !paths.is_empty(), paths: paths.to_vec(), ..RuleOptions::default() };
    let set = RuleSet::load(&options)?;
    let mut errors: Vec<rules::RuleError> = Vec::new();
    let mut default_engine = None;
    for profile in [Profile::Conservative, Profile::Balanced, Profile::Aggressive] {
        match Engine::compile_with_profile(&set.packs, &[], profile) {
            Ok(engine) if profile == Profile::default() => default_engine = Some(engine),
            Ok(_) => {}
            Err(e) => {
                for new in e.0 {
                    // A pattern error is the same in every profile: report it once.
                    if !errors.iter().any(|old| old.to_string() == new.to_string()) {
                        errors.push(new);
                    }
                }
            }
        }
    }
    match default_engine {
        Some(engine) if errors.is_empty() => Ok((set, engine)),
        _ => Err(RuleErrors(errors)),
    }
}

/// What a slow pattern costs, in `rules check`'s notes: a scoped pack's patterns are looked
/// for only in the documents in its scope (see `Compiler` on scoped gates).
const IN_SCOPE: &str = " (of the documents in scope, for a scoped pack)";

fn rules_cmd(cmd: RulesCommand) -> Result<ExitCode> {
    match cmd {
        RulesCommand::Check { paths } => {
            let (set, engine) = match load_checked(&paths) {
                Ok(loaded) => loaded,
                Err(e) => return Ok(report_rule_errors(&e, None)),
            };
            let findings = lint::lint(&set.packs);
            let errors = findings.iter().filter(|f| f.severity == lint::Severity::Error).count();
            for f in &findings {
                let tag = if f.severity == lint::Severity::Error { "error" } else { "note" };
                println!("{tag}: {}: {}", f.location, f.message);
            }
            for (id, re) in &engine.ungated_regexes {
                println!(
                    "note: rule `{id}`: regex {re:?} has no literal of 3+ characters that every match holds (as a \
                     prefix, suffix or alternatives of them), so every line{IN_SCOPE} is normalised and tried \
                     against it: one such regex made the shipped packs without the scorer 1.4x slower on the bench \
                     corpus"
                );
            }
            for (id, pattern, anchor) in &engine.short_anchors {
                match anchor {
                    Some(anchor) => println!(
                        "note: rule `{id}`: pattern {pattern:?} is looked for by its rarest-looking word, {anchor:?}, \
                         which is short: every line{IN_SCOPE} holding it, even inside a word, is normalised and \
                         tried"
                    ),
                    None => println!(
                        "note: rule `{id}`: pattern {pattern:?} has no word of 2+ letters or digits to look for, so \
                         every line{IN_SCOPE} is normalised and tried against it"
                    ),
                }
            }
            let anchors = engine.gate_anchor_count();
            if anchors > dechrome::engine::gate::PREFILTERED_ANCHORS {
                println!(
                    "note: the line gate looks for {anchors} words, more than {}: its automaton then reads every \
                     byte of every document instead of skipping to candidates (at 69 words the shipped packs took \
                     12% more instructions). Patterns that share a rarer word with others keep the count down.",
                    dechrome::engine::gate::PREFILTERED_ANCHORS
                );
            }
            let rules: usize = set.packs.iter().map(|p| p.rules.len()).sum();
            println!(
                "{} packs, {rules} rules: {errors} error(s); the line gate looks for {anchors} words",
                set.packs.len()
            );
            Ok(if errors == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        RulesCommand::Test { paths } => {
            let (set, _) = match load_checked(&paths) {
                Ok(loaded) => loaded,
                Err(e) => return Ok(report_rule_errors(&e, None)),
            };
            let (run, failures) = match dechrome::examples::test_examples(&set.packs) {
                Ok(r) => r,
                Err(e) => return Ok(report_rule_errors(&e, None)),
            };
            for f in &failures {
                println!("FAIL {} ({}): {}", f.rule, f.location, f.message);
            }
            println!("{} passed, {} failed", run - failures.len(), failures.len());
            Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        RulesCommand::List { rules } => {
            let engine = match load(&rules) {
                Ok(e) => e,
                Err(code) => return Ok(code),
            };
            let width = engine.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            let mut out = std::io::stdout().lock();
            for r in &engine.rules {
                writeln!(out, "{:width$}  {:9}  {}:{}  {}", r.id, r.kind, r.location.file, r.location.line, r.why)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Show { id, rules } => {
            let options = rule_options(&rules);
            let set = match RuleSet::load(&options) {
                Ok(s) => s,
                Err(e) => return Ok(report_rule_errors(&e, None)),
            };
            let Some((pack, rule)) = set.packs.iter().find_map(|p| p.rules.iter().find(|r| r.id == id).map(|r| (p, r)))
            else {
                eprintln!("dechrome: no loaded rule has id `{id}` (see `dechrome rules list`)");
                return Ok(ExitCode::from(2));
            };
            println!("{} ({} rule) in pack `{}`, {}", rule.id, rule.kind.name(), pack.name, rule.location);
            println!("why: {}", rule.why);
            if !pack.scope.is_global() {
                let s = &pack.scope;
                let excluded = s.excluded_domains.iter().map(|d| format!("~{d}"));
                let domains: Vec<String> = s.domains.iter().cloned().chain(excluded).collect();
                for (what, list) in [("domains", &domains), ("signatures", &s.signatures), ("paths", &s.paths)] {
                    if !list.is_empty() {
                        println!("scope {what}: {}", list.join(", "));
                    }
                }
            }
            if let Some(src) = set.source_of(&rule.location) {
                println!("\n{src}");
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Dump { dir, force } => {
            let written =
                rules::dump_embedded(&dir, force).with_context(|| format!("cannot dump into {}", dir.display()))?;
            for w in &written {
                println!("{}", w.display());
            }
            eprintln!(
                "dechrome: wrote {} packs; use them with: dechrome clean --no-default-rules --rules {} …",
                written.len(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Suggest(_) => unreachable!("dispatched in `run`"),
    }
}

/// `rules suggest`: mine the inputs, then print the one site's draft or write one per site.
fn suggest_cmd(args: SuggestArgs) -> Result<ExitCode> {
    let engine = match load(&args.rules) {
        Ok(e) => e,
        Err(code) => return Ok(code),
    };
    let globs = glob_set(&args.glob)?;
    let mut inputs = Vec::new();
    for input in &args.inputs {
        if input.as_os_str() == "-" {
            inputs.push((input.clone(), format_of(&args.input, input), "<stdin>".to_string()));
        } else if input.is_dir() {
            for rel in walk(input, globs.as_ref(), None).with_context(|| format!("cannot walk {}", input.display()))? {
                let path = input.join(rel);
                inputs.push((path.clone(), format_of(&args.input, &path), path.display().to_string()));
            }
        } else if std::fs::metadata(input).is_ok() {
            inputs.push((input.clone(), format_of(&args.input, input), input.display().to_string()));
        } else {
            bail!("{}: no such file or directory", input.display());
        }
    }
    if inputs.is_empty() {
        bail!("no input files (check the inputs and --glob)");
    }
    let options = suggest::MineOptions {
        fields: fields_of(&args.input),
        separator: args.input.doc_separator.clone(),
        url: args.url.as_deref(),
        segment_bytes: segment_bytes(&args.input),
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(args.jobs.unwrap_or(0)).build()?;
    let mined = pool.install(|| suggest::mine(&engine, &inputs, &options));
    // As `clean`: what could not be read is named and passed over, and the exit code says so.
    let done = if mined.errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) };
    for e in &mined.errors {
        eprintln!("error: {e}");
    }
    let sites = mined.sites.sites();
    if sites.is_empty() {
        bail!(
            "no page has a URL, so none has a site to draft a pack for: pass --url with the site of plain-text pages"
        );
    }
    if mined.without_site > 0 {
        eprintln!(
            "warning: {} without a URL not counted: pass --url with the site of plain-text pages",
            plural(mined.without_site, "page")
        );
    }
    let drafts = mined.sites.drafts(args.min_pages, args.min_share);
    let few = sites.iter().filter(|(_, pages, _)| *pages < args.min_pages).count();
    for (site, pages, copies) in sites.iter().filter(|(_, pages, _)| *pages >= args.min_pages) {
        let lines = drafts.iter().find(|d| d.site == *site).map_or(0, |d| d.lines.len());
        let copies = match copies {
            0 => String::new(),
            &n => format!(" (and {} of them, not counted)", plural(n.into(), "copy")),
        };
        eprintln!("{site}: {}{copies}, {}", plural((*pages).into(), "page"), plural(lines as u64, "repeated line"));
    }
    if few > 0 {
        eprintln!("{} with fewer than {} pages: not drafted", plural(few as u64, "site"), args.min_pages);
    }
    let drafts: Vec<_> = drafts.into_iter().filter(|d| !d.lines.is_empty()).collect();
    if drafts.is_empty() {
        eprintln!(
            "dechrome: no kept line is on {} or more pages and {:.0}% of its site's pages: nothing drafted",
            args.min_pages,
            args.min_share * 100.0
        );
        return Ok(done);
    }
    let Some(dir) = &args.output else {
        if drafts.len() > 1 {
            bail!("{} sites have repeated lines: give -o DIR to write one draft per site", drafts.len());
        }
        print!("{}", drafts[0].to_toml(args.min_pages, args.min_share));
        return Ok(done);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for draft in &drafts {
        let path = dir.join(format!("{}.toml", draft.site));
        if !args.force && path.exists() {
            bail!("{} exists (--force overwrites it)", path.display());
        }
    }
    for draft in &drafts {
        let path = dir.join(format!("{}.toml", draft.site));
        let text = draft.to_toml(args.min_pages, args.min_share);
        dechrome::io::write_atomic(&path, text.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(done)
}
