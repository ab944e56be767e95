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
