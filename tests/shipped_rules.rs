//! The shipped packs load, lint clean, and every rule's examples pass.

use dechrome::RuleSet;
use dechrome::rules::lint::{Severity, lint};

#[test]
fn every_shipped_rule_example_passes() {
    let set = RuleSet::default_rules().unwrap();
    let (run, failures) = dechrome::examples::test_examples(&set.packs).unwrap();
    assert!(failures.is_empty(), "{failures:#?}");
    let rules: usize = set.packs.iter().map(|p| p.rules.len()).sum();
    assert!(run >= rules, "only {run} examples for {rules} rules");
}

#[test]
fn every_shipped_rule_has_examples_and_lint_is_clean() {
    let set = RuleSet::default_rules().unwrap();
    let findings = lint(&set.packs);
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(findings.iter().all(|f| f.severity != Severity::Error));
}

#[test]
fn the_example_runner_catches_a_wrong_example() {
    let text = "[pack]\nname = \"t\"\ndescription = \"d\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"share\"]\nexamples.remove = [\"Follow us\"]\nexamples.keep = [\"Share prices fell\"]\n";
    let set =
        RuleSet::from_sources(&[dechrome::rules::PackSource { name: "t.toml".into(), text: text.into() }]).unwrap();
    let (run, failures) = dechrome::examples::test_examples(&set.packs).unwrap();
    assert_eq!(run, 2);
    assert_eq!(failures.len(), 2, "{failures:#?}");
}

#[test]
fn lint_notes_unicode_classes_in_tail_markers() {
    let pack = |markers: &str| {
        format!(
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"tail\"\nkind = \"detector\"\nwhy = \"w\"\n\
             detector = \"tail-after-marker\"\nexamples.keep = [\"x\"]\n[rule.params]\n\
             enabled = {{ conservative = true, balanced = true, aggressive = true }}\nmarkers = [{markers}]\n"
        )
    };
    let notes = |markers: &str| {
        let source = dechrome::rules::PackSource { name: "t.toml".into(), text: pack(markers) };
        let set = RuleSet::from_sources(&[source]).unwrap();
        lint(&set.packs).into_iter().map(|f| f.message).collect::<Vec<_>>()
    };
    let found = notes(r"'^related posts\W*$', '^more \pL+$'");
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].contains("Unicode class") && found[0].contains(r"^related posts\W*$"), "{}", found[0]);
    // ASCII classes, `\b`, and an escaped backslash before a `W` are fine.
    assert!(notes(r"'^related posts[[:punct:] ]*$', '^leave a reply\b', '^a\\W$'").is_empty());
}

#[test]
fn lint_notes_a_line_runs_pattern_that_compiles_large() {
    let notes = |pattern: &str| {
        let text = format!(
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"runs\"\nkind = \"detector\"\nwhy = \"w\"\n\
             detector = \"line-runs\"\nexamples.keep = [\"x\"]\n\
             params = {{ pattern = '{pattern}', min_lines = 4, max_chars = 80 }}\n"
        );
        let set = RuleSet::from_sources(&[dechrome::rules::PackSource { name: "t.toml".into(), text }]).unwrap();
        lint(&set.packs).into_iter().map(|f| f.message).collect::<Vec<_>>()
    };
    // `counted-list`'s first pattern: sixty copies of a Unicode class, and Unicode digits.
    let found = notes(r"[^\s.!?()][^.!?()]{0,59}\s\(\d{1,3}\)");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("NFA states") && found[0].contains("`runs`"), "{}", found[0]);
    // The shipped one.
    assert!(notes(r"[^\s.!?()][^.!?()]*\s\([0-9]{1,3}\)").is_empty());
}
