//! `rules test`: every rule's own examples, run against that rule alone (scope ignored).
//! - line, block, sequence: every non-blank line of a `remove` example is removed;
//! - replace: a `remove` example is rewritten;
//! - detector: a `remove` example (a whole document) loses at least one line;
//! - keep: `keep` examples are lines it protects, `remove` examples lines it does not
//!   (with `detector`: documents all of whose lines it protects, or none);
//! - any kind: a `keep` example comes out unchanged.

use crate::rules::{Matcher, Pack, PackOptions, Rule, RuleErrors, RuleKind, Scope};
use crate::{DocContext, Engine};

#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule: String,
    pub location: String,
    pub message: String,
}

/// Run the examples of every rule; returns (examples run, failures).
pub fn test_examples(packs: &[Pack]) -> Result<(usize, Vec<ExampleFailure>), RuleErrors> {
    let mut run = 0;
    let mut failures = Vec::new();
    for pack in packs {
        for rule in &pack.rules {
            let engine = single_rule_engine(pack, rule)?;
            for example in &rule.examples.remove {
                run += 1;
                if let Some(message) = check_remove(&engine, rule, example) {
                    failures.push(failure(rule, format!("remove example {example:?}: {message}")));
                }
            }
            for example in &rule.examples.keep {
                run += 1;
                if let Some(message) = check_keep(&engine, rule, example) {
                    failures.push(failure(rule, format!("keep example {example:?}: {message}")));
                }
            }
        }
    }
    Ok((run, failures))
}

fn failure(rule: &Rule, message: String) -> ExampleFailure {
    ExampleFailure { rule: rule.id.clone(), location: rule.location.to_string(), message }
}

/// The rule alone, in scope everywhere, with paragraph repair off; a keep rule is
/// turned into the line or block rule it mirrors, so that what it protects becomes visible.
/// A keep detector has no such mirror: it runs beside a rule that removes every line, and
/// what it protects is what stays.
fn single_rule_engine(pack: &Pack, rule: &Rule) -> Result<Engine, RuleErrors> {
    let mut rule = rule.clone();
    let mut rules = Vec::new();
    match &rule.kind {
        RuleKind::Keep(m) => rule.kind = RuleKind::Line(m.clone()),
        RuleKind::KeepBlock(b) => rule.kind = RuleKind::Block(b.clone()),
        RuleKind::KeepDetector(_) => {
            let every_line =
                Matcher { regex: vec![r"\S".into()], raw: true, case_sensitive: true, ..Default::default() };
            rules.push(Rule {
                id: format!("{}-every-line", rule.id),
                kind: RuleKind::Line(every_line),
                ..rule.clone()
            });
        }
        _ => {}
    }
    rules.insert(0, rule);
    let alone = Pack {
        name: pack.name.clone(),
        description: String::new(),
        file: pack.file.clone(),
        scope: Scope::default(),
        options: PackOptions { repair_paragraphs: Some(false) },
        rules,
    };
    Engine::compile(&[alone], &[])
}

fn nonblank_lines(text: &str) -> Vec<usize> {
    text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).map(|(i, _)| i).collect()
}

fn check_remove(engine: &Engine, rule: &Rule, example: &str) -> Option<String> {
    let cleaned = engine.clean(example, DocContext::default());
    let removed = |line: usize| cleaned.removals.iter().any(|r| r.lines.contains(&line));
    match rule.kind {
        RuleKind::Replace(_) => cleaned.text.eq(example).then(|| "not rewritten".to_string()),
        RuleKind::Detector(_) => cleaned.removals.is_empty().then(|| "the detector removed nothing".to_string()),
        RuleKind::KeepDetector(_) => {
            // Beside a rule that removes every line: what stays is what it protects.
            let kept: Vec<usize> =
                nonblank_lines(example).into_iter().filter(|&l| !removed(l)).map(|l| l + 1).collect();
            (!kept.is_empty()).then(|| format!("the keep rule protects line(s) {kept:?} of it"))
        }
        RuleKind::Keep(_) | RuleKind::KeepBlock(_) => {
            let hit = nonblank_lines(example).into_iter().filter(|&l| removed(l)).collect::<Vec<_>>();
            (!hit.is_empty()).then(|| format!("the keep rule protects line(s) {hit:?} of it"))
        }
        _ => {
            let missed: Vec<usize> =
                nonblank_lines(example).into_iter().filter(|&l| !removed(l)).map(|l| l + 1).collect();
            // Lines a rule is not meant to touch (an article line before a footer) do
            // not belong in its example: say so, as the failure looks like a bad rule.
            (!missed.is_empty())
                .then(|| format!("line(s) {missed:?} not removed (every non-blank line of a remove example must go)"))
        }
    }
}

fn check_keep(engine: &Engine, rule: &Rule, example: &str) -> Option<String> {
    let cleaned = engine.clean(example, DocContext::default());
    if let RuleKind::Keep(_) | RuleKind::KeepBlock(_) = rule.kind {
        let missed: Vec<usize> = nonblank_lines(example)
            .into_iter()
            .filter(|&l| !cleaned.removals.iter().any(|r| r.lines.contains(&l)))
            .map(|l| l + 1)
            .collect();
        return (!missed.is_empty()).then(|| format!("line(s) {missed:?} not protected by the keep rule"));
    }
    if let RuleKind::KeepDetector(_) = rule.kind
        && !cleaned.removals.is_empty()
    {
        let lines: Vec<usize> = cleaned.removals.iter().flat_map(|r| r.lines.clone()).map(|l| l + 1).collect();
        return Some(format!("line(s) {lines:?} not protected by the keep rule"));
    }
    if !cleaned.removals.is_empty() {
        let lines: Vec<usize> = cleaned.removals.iter().flat_map(|r| r.lines.clone()).map(|l| l + 1).collect();
        return Some(format!("line(s) {lines:?} removed"));
    }
    (!cleaned.rewrites.is_empty()).then(|| format!("rewritten to {:?}", cleaned.text))
}
