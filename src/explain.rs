//! `explain`: a document with every removed or rewritten line marked with its rule.

use std::fmt::Write;

use crate::engine::decide::{LineScores, ScoredLine, split_lines};
use crate::report::origin;
use crate::{Cleaned, Engine, RewriteBy};

/// ANSI styles, or nothing.
#[derive(Clone, Copy)]
pub struct Palette {
    pub removed: &'static str,
    pub rewritten: &'static str,
    pub rule: &'static str,
    pub dim: &'static str,
    pub reset: &'static str,
}

impl Palette {
    pub const PLAIN: Palette = Palette { removed: "", rewritten: "", rule: "", dim: "", reset: "" };
    pub const ANSI: Palette =
        Palette { removed: "\x1b[31m", rewritten: "\x1b[33m", rule: "\x1b[36m", dim: "\x1b[2m", reset: "\x1b[0m" };
}

/// Render `input` with its decisions: one row per line, `-` removed, `~` rewritten,
/// the rule id in its own column, then a legend naming each rule's pack and line.
/// The line scorer's `scores`, if given, are shown on the lines it kept, with its threshold.
pub fn render(
    engine: &Engine,
    name: &str,
    input: &str,
    cleaned: &Cleaned,
    scores: Option<&LineScores>,
    p: Palette,
) -> String {
    let mut lines = Vec::new();
    split_lines(input, &mut lines);
    let mut marks: Vec<Option<(char, String)>> = vec![None; lines.len()];
    for r in &cleaned.removals {
        for l in r.lines.clone() {
            marks[l] = Some(('-', engine.rules[r.rule as usize].id.clone()));
        }
    }
    for w in &cleaned.rewrites {
        let id = engine.rewrite_id(w.by).to_string();
        match &mut marks[w.line] {
            Some((_, ids)) if !ids.split(',').any(|x| x == id) => {
                ids.push(',');
                ids.push_str(&id);
            }
            Some(_) => {}
            slot @ None => *slot = Some(('~', id)),
        }
    }
    let mut kept_scores: Vec<Option<String>> = vec![None; lines.len()];
    for &ScoredLine { line, p: score, kept_by, .. } in scores.map_or(&[][..], |s| &s.lines) {
        if marks[line].is_none() {
            kept_scores[line] = Some(match kept_by {
                Some(guard) => format!("P {score:.2} {guard}"),
                None => format!("P {score:.2}"),
            });
        }
    }
    let id_width = marks
        .iter()
        .flatten()
        .map(|(_, id)| id.chars().count())
        .chain(kept_scores.iter().flatten().map(String::len))
        .max()
        .unwrap_or(0);
    let num_width = lines.len().to_string().len();
    let removed_lines: usize = cleaned.removals.iter().map(|r| r.lines.len()).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{name}: {} lines, {removed_lines} removed in {} removals, {} rewrites; {} → {} bytes{}",
        p.dim,
        lines.len(),
        cleaned.removals.len(),
        cleaned.rewrites.len(),
        input.len(),
        cleaned.text.len(),
        p.reset
    );
    for (i, line) in lines.iter().enumerate() {
        let text = &input[line.content.clone()];
        match &marks[i] {
            None => {
                let (score, dim, reset) = match &kept_scores[i] {
                    Some(score) => (score.as_str(), p.dim, p.reset),
                    None => ("", "", ""),
                };
                let _ = writeln!(out, "  {:>num_width$} {dim}{score:id_width$}{reset} │ {text}", i + 1);
            }
            Some((mark, id)) => {
                let colour = if *mark == '-' { p.removed } else { p.rewritten };
                let _ = writeln!(
                    out,
                    "{colour}{mark} {:>num_width$}{} {}{id:id_width$}{} {colour}│ {text}{}",
                    i + 1,
                    p.reset,
                    p.rule,
                    p.reset,
                    p.reset
                );
            }
        }
    }
    let _ = writeln!(out, "{}rules:{}", p.dim, p.reset);
    if kept_scores.iter().any(Option::is_some) {
        let threshold = scores.and_then(|s| s.threshold).map_or(String::new(), |t| format!(" of {t:.2} on this page"));
        let _ = writeln!(
            out,
            "  {}P 0.61{}: the line scorer's P(content) of a line it kept; below its threshold{threshold}, the guard that kept it follows (title, prose, keep rule, block, continuation, heading, section, closing, paragraph)",
            p.dim, p.reset
        );
    }
    for r in &cleaned.removals {
        let rule = &engine.rules[r.rule as usize];
        let lines = if r.lines.len() == 1 {
            format!("line {}", r.lines.start + 1)
        } else {
            format!("lines {}-{}", r.lines.start + 1, r.lines.end)
        };
        let _ = write!(
            out,
            "  {}{}{} removed {lines} ({}:{}): {}",
            p.rule, rule.id, p.reset, rule.location.file, rule.location.line, rule.why
        );
        if let Some(detail) = &r.detail {
            let _ = write!(out, " [{detail}]");
        }
        if let Some(first) = r.continues_from {
            let _ = write!(out, " [the rest of its match on line {}]", first + 1);
        }
        out.push('\n');
    }
    for w in &cleaned.rewrites {
        let (file, line) = origin(engine, w.by);
        let what = match w.by {
            RewriteBy::Rule(_) => match w.continues_from {
                Some(first) => format!(
                    "deleted {:?} on line {}, the rest of its match on line {}",
                    &input[w.bytes.clone()],
                    w.line + 1,
                    first + 1
                ),
                None => format!("rewrote {:?} to {:?} on line {}", &input[w.bytes.clone()], w.replacement, w.line + 1),
            },
            RewriteBy::ParagraphRepair => format!("joined line {} to the paragraph before it", w.line + 1),
        };
        let place = if line == 0 { "built into the engine".to_string() } else { format!("{file}:{line}") };
        let _ = writeln!(out, "  {}{}{} {what} ({place})", p.rule, engine.rewrite_id(w.by), p.reset);
    }
    out
}

/// A unified diff of input and cleaned text.
pub fn diff(name: &str, input: &str, cleaned: &str) -> String {
    similar::TextDiff::from_lines(input, cleaned)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
