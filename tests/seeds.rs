//! The five seed scrapes: snapshots of their cleaned and explained output, the cleaning
//! policy spelled out as assertions, and idempotence.

mod common;

use common::{fixtures, shipped};
use dechrome::explain;

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("../snapshots");
    s.set_prepend_module_to_snapshot(false);
    // Explain cites each rule as `pack.toml:LINE`. The line moves whenever a rule is added
    // above it, which is not a change in how the seeds are cleaned: the snapshots keep the
    // pack and rule id, and tests/rule_kinds.rs checks that a removal records its rule's
    // own line.
    s.add_filter(r"(\.toml):\d+\)", "$1:N)");
    s
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn cleaned_seeds_match_snapshots() {
    let engine = shipped();
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/*.txt", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let cleaned = engine.clean(&text, Default::default());
            insta::assert_snapshot!("clean", cleaned.text);
        });
    });
}

#[test]
fn explained_seeds_match_snapshots() {
    let engine = shipped();
    snapshot_settings().bind(|| {
        insta::glob!("fixtures/*.txt", |path| {
            let text = std::fs::read_to_string(path).unwrap();
            let name = file_name(path);
            let cleaned = engine.clean(&text, Default::default());
            let rendered = explain::render(&engine, &name, &text, &cleaned, None, explain::Palette::PLAIN);
            insta::assert_snapshot!("explain", rendered);
        });
    });
}

#[test]
fn cleaning_is_idempotent_on_every_fixture() {
    let engine = shipped();
    for (name, text) in fixtures() {
        let once = engine.clean(&text, Default::default()).text;
        let twice = engine.clean(&once, Default::default());
        assert_eq!(twice.text, once, "{name}: second pass changed the text");
        assert!(twice.removals.is_empty() && twice.rewrites.is_empty(), "{name}: second pass found {twice:?}");
    }
}

#[test]
fn every_removed_line_names_its_rule() {
    let engine = shipped();
    for (name, text) in fixtures() {
        let cleaned = engine.clean(&text, Default::default());
        let rendered = explain::render(&engine, &name, &text, &cleaned, None, explain::Palette::PLAIN);
        for row in rendered.lines().filter(|l| l.starts_with("- ")) {
            let rule = row[2..].split_whitespace().nth(1).unwrap();
            assert!(engine.rule_index(rule).is_some(), "{name}: row without a rule id: {row}");
        }
        let marked = rendered.lines().filter(|l| l.starts_with("- ")).count();
        let removed: usize = cleaned.removals.iter().map(|r| r.lines.len()).sum();
        assert_eq!(marked, removed, "{name}");
    }
}

/// What the shipped packs must do to each seed (the v0 policy), independent of snapshots.
#[test]
fn seeds_follow_the_cleaning_policy() {
    let engine = shipped();
    let seeds = fixtures();
    let get = |prefix: &str| {
        let (_, text) = seeds.iter().find(|(n, _)| n.starts_with(prefix)).unwrap();
        (text.clone(), engine.clean(text, Default::default()).text)
    };
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();

    // Global Research
    let (raw, out) = get("000");
    for gone in [
        "Global Research, November 13, 2024",
        "Region:",
        "Theme:",
        "🔒 7 min",
        "Click the share button",
        "For media inquiries",
        "Disclaimer:",
        "fair use",
        "Become a Member",
    ] {
        assert!(!out.contains(gone), "000 still has {gone:?}");
    }
    assert!(!lines(&out).iter().any(|l| l.trim() == "*"), "000 keeps a lone separator");
    assert!(out.contains("the report's two narratives, that Trump told Putin"), "000 split paragraph not joined");
    for kept in [
        "Did Trump Really Call Putin Late Last Week?",
        "There are reasons to doubt WaPo's report.",
        "Looking forward, the first official Putin-Trump call",
    ] {
        assert!(out.contains(kept), "000 lost {kept:?}");
    }

    // The Moscow Times republished, with Related article lines
    let (_, out) = get("001");
    for gone in ["Related article", "The views expressed", "Original url", "https://www.themoscowtimes.com"] {
        assert!(!out.contains(gone), "001 still has {gone:?}");
    }
    assert!(out.contains("For Russia, the proverbial journey is its own reward."), "001 split paragraph not joined");
    assert!(out.contains("# The Kremlin Said Trump-Putin Phone Call Never Happened. Why?"));

    // Udayavani: the Telegram prompt and everything after it
    let (_, out) = get("002");
    assert!(
        out.trim_end().ends_with("because he represents global peace and stability,” Cheung said."),
        "002 tail: {:?}",
        &out[out.len().saturating_sub(200)..]
    );
    assert!(out.starts_with("‘Pure fiction’: Kremlin denies"));

    // Leaked date prefix: the sentence after it stays
    let (_, out) = get("003");
    assert!(out.starts_with("The Kremlin denied a phone call took place"), "003: {:?}", &out[..80]);

    // Placeholder address twice, Moscow Times appeal
    let (_, out) = get("004");
    for gone in [
        "Physical Address",
        "304 North Cardinal St.",
        "Dorchester Center",
        "A Message from The Moscow Times",
        "Dear readers",
        "Thank you for standing with us",
    ] {
        assert!(!out.contains(gone), "004 still has {gone:?}");
    }
    assert!(out.starts_with("On the evening of Nov. 10"));
    assert!(out.contains("For Russia, the proverbial journey is its own reward."));

    // No article paragraph lost anywhere: every long raw line survives, whole or joined.
    for (name, raw) in &seeds {
        let out = engine.clean(raw, Default::default()).text;
        let chrome = [
            "Click the share button",
            "Andrew Korybko is an American",
            "Disclaimer:",
            "contains copyrighted material",
            "We are facing unprecedented",
            "These actions are direct",
            "We, the journalists",
            "Your support, no matter",
            "By supporting The Moscow",
            "Udayavani is now",
            "The views expressed",
            "Kidnapped for ransom",
            "100 engineering colleges",
            "Siddaramaiah defends",
            "Renovated Medical",
            "Pak government",
            "Gangster Lawrence",
            "Pakistan to launch",
            "PM Modi arrives",
            "China announces",
            "Karnataka Health",
            "Actress Kasthuri",
            "AIMPLB to hold",
            "Featured image:",
            "This article was originally published",
            "**Related article:**",
        ];
        for line in raw.lines().filter(|l| l.split_whitespace().count() >= 12) {
            if chrome.iter().any(|c| line.contains(c)) {
                continue;
            }
            let body = line.trim().trim_start_matches(" date 2024-11-11 ").trim_start_matches("date 2024-11-11 ");
            assert!(out.contains(body), "{name}: lost article text: {line:?}");
        }
    }
    let _ = raw;
}
