//! `rules check`: problems that load fine but make a pack wrong or slow.

use std::collections::HashMap;

use super::{Pack, RuleKind};
use crate::engine::normalize::normalize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Severity {
    /// Fails `rules check` (exit 1).
    Error,
    /// Printed, does not fail.
    Note,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub location: String,
    pub message: String,
}

/// Duplicate patterns across rules (one of them is dead weight, or the two disagree),
/// and rules without examples (nothing guards them against regressions).
pub fn lint(packs: &[Pack]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut seen: HashMap<(String, &'static str, String), String> = HashMap::new();
    for pack in packs {
        for rule in &pack.rules {
            let matcher = match &rule.kind {
                RuleKind::Line(m) => Some(m),
                _ => None,
            };
            if let Some(m) = matcher {
                let kinds: [(&'static str, &Vec<String>); 4] =
                    [("exact", &m.exact), ("prefix", &m.prefix), ("suffix", &m.suffix), ("contains", &m.contains)];
                for (kind, patterns) in kinds {
                    for p in patterns {
                        let key_text = if m.raw { p.trim().to_string() } else { normalize(p, !m.case_sensitive) };
                        let key = (pack.file.to_string(), kind, key_text);
                        if let Some(other) = seen.get(&key) {
                            if other != &rule.id {
                                findings.push(Finding {
                                    severity: Severity::Error,
                                    location: rule.location.to_string(),
                                    message: format!(
                                        "rule `{}`: {kind} pattern {p:?} is also in rule `{other}`",
                                        rule.id
                                    ),
                                });
                            }
                        } else {
                            seen.insert(key, rule.id.clone());
                        }
                    }
                }
            }
            if let RuleKind::Detector(d) = &rule.kind {
                let markers = d.params.get("markers").and_then(|m| m.as_array()).into_iter().flatten();
                for marker in markers.filter_map(|m| m.as_str()).filter(|m| uses_unicode_class(m)) {
                    findings.push(Finding {
                        severity: Severity::Note,
                        location: rule.location.to_string(),
                        message: format!(
                            "rule `{}`: marker '{marker}' uses a Unicode class (`\\W`, `\\w`, `\\p`), about 2 ms \
                             of start-up each to compile; markers see the normalised line, where \
                             `[[:punct:] ]` covers trailing punctuation",
                            rule.id
                        ),
                    });
                }
                let line_runs_pattern =
                    d.params.get("pattern").and_then(|p| p.as_str()).filter(|_| d.name == "line-runs");
                if let Some(states) = line_runs_pattern.and_then(nfa_states).filter(|&n| n > LARGE_NFA_STATES) {
                    findings.push(Finding {
                        severity: Severity::Note,
                        location: rule.location.to_string(),
                        message: format!(
                            "rule `{}`: its pattern compiles to {states} NFA states (over {LARGE_NFA_STATES}), slow to \
                             build at every start: a bounded repetition copies its class (`[^.]{{0,59}}` is \
                             60 Unicode classes): `*`, with `max_chars` bounding the line, and `[0-9]` for \
                             `\\d` (if ASCII digits will do) compile small",
                            rule.id
                        ),
                    });
                }
            }
            if rule.examples.remove.is_empty() && rule.examples.keep.is_empty() {
                findings.push(Finding {
                    severity: Severity::Note,
                    location: rule.location.to_string(),
                    message: format!("rule `{}` has no examples; `rules test` cannot guard it", rule.id),
                });
            }
        }
    }
    findings
}

/// Whether a regex holds `\W`, `\w`, `\p` or `\P`: classes whose Unicode tables make a
/// regex set slow to build. (`\\`, an escaped backslash, is skipped.)
fn uses_unicode_class(regex: &str) -> bool {
    let mut chars = regex.chars();
    while let Some(c) = chars.next() {
        if c == '\\' && matches!(chars.next(), Some('W' | 'w' | 'p' | 'P')) {
            return true;
        }
    }
    false
}

/// Above this many states a `line-runs` pattern takes about a millisecond to compile: the
/// shipped `counted-list` has 61; its first version, with `{0,59}` and `\d`, had 724 and cost
/// 7.3M instructions at start-up against 1.1M.
const LARGE_NFA_STATES: usize = 500;

/// The states of `pattern`'s Thompson NFA (forward, no captures), or `None` if it does not
/// compile (loading the pack reports that).
fn nfa_states(pattern: &str) -> Option<usize> {
    use regex_automata::nfa::thompson::{NFA, WhichCaptures};
    let config = NFA::config().which_captures(WhichCaptures::None);
    NFA::compiler().configure(config).build(pattern).ok().map(|nfa| nfa.states().len())
}
