//! Matcher tiers for one view of a line. Cost does not grow with the number of rules:
//! exact lines are one hash lookup, all prefixes one anchored automaton, all phrases
//! (contains, suffix, and the required literals of regexes) one unanchored automaton;
//! a regex runs only on lines where one of its literals was found.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use regex::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Index of a matcher in the engine's matcher table.
pub type MatcherId = u32;

/// Beyond this many patterns an automaton has no SIMD prefilter; a DFA is faster.
const DFA_THRESHOLD: usize = 100;
/// A regex literal shorter than this is too common to gate anything.
const MIN_LITERAL_LEN: usize = 3;

#[derive(Clone, Copy, Debug)]
enum PhraseKind {
    Contains,
    Suffix,
    Regex(u32),
}

#[derive(Default)]
pub struct TiersBuilder {
    fold_case: bool,
    exact: HashMap<Box<str>, Vec<MatcherId>>,
    prefixes: Vec<(String, MatcherId)>,
    phrases: Vec<(String, PhraseKind, MatcherId)>,
    regexes: Vec<(Regex, MatcherId)>,
    ungated: Vec<u32>,
}

pub struct Tiers {
    exact: HashMap<Box<str>, Vec<MatcherId>>,
    prefix_ac: Option<AhoCorasick>,
    /// Per prefix pattern: its matchers, and the other prefix patterns that are prefixes
    /// of it (leftmost-longest reports only the longest; these are the shorter ones).
    prefix_targets: Vec<Vec<MatcherId>>,
    prefix_shorter: Vec<Vec<u32>>,
    phrase_ac: Option<AhoCorasick>,
    phrase_targets: Vec<Vec<(PhraseKind, MatcherId)>>,
    regexes: Vec<(Regex, MatcherId)>,
    /// Regexes without a usable literal: they run on every line of this view.
    ungated: Vec<u32>,
}

impl TiersBuilder {
    pub fn new(fold_case: bool) -> Self {
        TiersBuilder { fold_case, ..Default::default() }
    }

    pub fn add_exact(&mut self, pattern: String, m: MatcherId) {
        self.exact.entry(pattern.into_boxed_str()).or_default().push(m);
    }
    pub fn add_prefix(&mut self, pattern: String, m: MatcherId) {
        self.prefixes.push((pattern, m));
    }
    pub fn add_suffix(&mut self, pattern: String, m: MatcherId) {
        self.phrases.push((pattern, PhraseKind::Suffix, m));
    }
    pub fn add_contains(&mut self, pattern: String, m: MatcherId) {
        self.phrases.push((pattern, PhraseKind::Contains, m));
    }

    /// Add a regex; returns whether it got a gating literal (false: it runs on every line).
    pub fn add_regex(&mut self, pattern: &str, m: MatcherId) -> Result<bool, String> {
        let regex = regex::RegexBuilder::new(pattern)
            .case_insensitive(self.fold_case)
            .build()
            .map_err(|e| format!("bad regex `{pattern}`: {e}"))?;
        let index = self.regexes.len() as u32;
        self.regexes.push((regex, m));
        match required_literals(pattern, self.fold_case) {
            Some(literals) => {
                for lit in literals {
                    self.phrases.push((lit, PhraseKind::Regex(index), m));
                }
                Ok(true)
            }
            None => {
                self.ungated.push(index);
                Ok(false)
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty() && self.phrases.is_empty() && self.regexes.is_empty()
    }

    pub fn build(self) -> Tiers {
        let (prefix_patterns, prefix_targets) = group(self.prefixes.into_iter());
        let index: HashMap<&str, u32> =
            prefix_patterns.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)).collect();
        let prefix_shorter = prefix_patterns
            .iter()
            .map(|p| p.char_indices().skip(1).filter_map(|(at, _)| index.get(&p[..at]).copied()).collect())
            .collect();
        let prefix_ac = automaton(&prefix_patterns, MatchKind::LeftmostLongest, StartKind::Anchored);
        let (phrase_patterns, phrase_targets) = group(self.phrases.into_iter().map(|(p, k, m)| (p, (k, m))));
        let phrase_ac = automaton(&phrase_patterns, MatchKind::Standard, StartKind::Unanchored);
        Tiers {
            exact: self.exact,
            prefix_ac,
            prefix_targets,
            prefix_shorter,
            phrase_ac,
            phrase_targets,
            regexes: self.regexes,
            ungated: self.ungated,
        }
    }
}

/// Deduplicate patterns, keeping every target of each.
fn group<T>(items: impl Iterator<Item = (String, T)>) -> (Vec<String>, Vec<Vec<T>>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut patterns = Vec::new();
    let mut targets: Vec<Vec<T>> = Vec::new();
    for (p, t) in items {
        let i = *index.entry(p.clone()).or_insert_with(|| {
            patterns.push(p);
            targets.push(Vec::new());
            patterns.len() - 1
        });
        targets[i].push(t);
    }
    (patterns, targets)
}

fn automaton(patterns: &[String], kind: MatchKind, start: StartKind) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = AhoCorasick::builder();
    b.match_kind(kind).start_kind(start);
    if patterns.len() > DFA_THRESHOLD {
        b.kind(Some(AhoCorasickKind::DFA));
    }
    Some(b.build(patterns).expect("literal patterns always build"))
}

/// Literals one of which every match of `pattern` must contain, if there is a useful set.
/// Tried as prefixes first, then suffixes. With `fold_case` they are lower-cased to meet
/// the lower-cased view.
pub fn required_literals(pattern: &str, fold_case: bool) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let seq = Extractor::new().kind(kind).extract(&hir);
        let Some(literals) = seq.literals() else { continue };
        if literals.is_empty() || literals.len() > 64 {
            continue;
        }
        let mut out: Vec<String> = Vec::with_capacity(literals.len());
        for lit in literals {
            let Ok(s) = std::str::from_utf8(lit.as_bytes()) else { return None };
            let s = if fold_case { s.to_lowercase() } else { s.to_string() };
            out.push(s);
        }
        if out.iter().all(|s| s.trim().len() >= MIN_LITERAL_LEN) {
            out.sort();
            out.dedup();
            return Some(out);
        }
    }
    None
}

/// Per-worker scratch so matching allocates nothing per line.
#[derive(Default)]
pub struct TierScratch {
    regex_seen: Vec<u32>,
}

impl Tiers {
    /// Push every matcher that accepts `line` (already in this view's form) into `out`.
    /// A matcher may be pushed more than once.
    pub fn matches(&self, line: &str, scratch: &mut TierScratch, out: &mut Vec<MatcherId>) {
        if let Some(ms) = self.exact.get(line) {
            out.extend_from_slice(ms);
        }
        if let Some(ac) = &self.prefix_ac
            && let Some(m) = ac.find(Input::new(line).anchored(Anchored::Yes))
        {
            {
                let p = m.pattern().as_usize();
                out.extend_from_slice(&self.prefix_targets[p]);
                for &shorter in &self.prefix_shorter[p] {
                    out.extend_from_slice(&self.prefix_targets[shorter as usize]);
                }
            }
        }
        scratch.regex_seen.clear();
        if let Some(ac) = &self.phrase_ac {
            for m in ac.find_overlapping_iter(line) {
                for &(kind, matcher) in &self.phrase_targets[m.pattern().as_usize()] {
                    match kind {
                        PhraseKind::Contains => out.push(matcher),
                        PhraseKind::Suffix if m.end() == line.len() => out.push(matcher),
                        PhraseKind::Suffix => {}
                        PhraseKind::Regex(r) => {
                            if !scratch.regex_seen.contains(&r) {
                                scratch.regex_seen.push(r);
                            }
                        }
                    }
                }
            }
        }
        for i in 0..scratch.regex_seen.len() {
            let (re, matcher) = &self.regexes[scratch.regex_seen[i] as usize];
            if re.is_match(line) {
                out.push(*matcher);
            }
        }
        for &r in &self.ungated {
            let (re, matcher) = &self.regexes[r as usize];
            if re.is_match(line) {
                out.push(*matcher);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_matching_prefix_is_reported_not_just_the_longest() {
        let mut b = TiersBuilder::new(true);
        b.add_prefix("share".into(), 1);
        b.add_prefix("share this".into(), 2);
        b.add_prefix("other".into(), 3);
        let t = b.build();
        let mut out = Vec::new();
        t.matches("share this article", &mut TierScratch::default(), &mut out);
        out.sort();
        assert_eq!(out, [1, 2]);
        out.clear();
        t.matches("we share this", &mut TierScratch::default(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn suffix_contains_and_gated_regex() {
        let mut b = TiersBuilder::new(true);
        b.add_suffix("all rights reserved.".into(), 1);
        b.add_contains("ad blocker".into(), 2);
        assert!(b.add_regex(r"views expressed .* not necessarily reflect", 3).unwrap());
        assert!(!b.add_regex(r"^\W+$", 4).unwrap());
        let t = b.build();
        let mut scratch = TierScratch::default();
        let mut run = |line: &str| {
            let mut out = Vec::new();
            t.matches(line, &mut scratch, &mut out);
            out.sort();
            out.dedup();
            out
        };
        assert_eq!(run("© 2024 acme. all rights reserved."), [1]);
        assert_eq!(run("all rights reserved. not at the end"), Vec::<u32>::new());
        assert_eq!(run("you seem to have an ad blocker on."), [2]);
        assert_eq!(run("the views expressed here do not necessarily reflect ours"), [3]);
        assert_eq!(run("--- ***"), [4]);
    }

    #[test]
    fn literals_are_extracted_and_folded() {
        assert_eq!(required_literals("Region: .*", true), Some(vec!["region: ".to_string()]));
        assert_eq!(
            required_literals(r"(?:Foo|Bar)baz\d", false),
            Some(vec!["Barbaz".to_string(), "Foobaz".to_string()])
        );
        assert_eq!(required_literals(r"\d+ min", true), Some(vec![" min".to_string()]));
        assert_eq!(required_literals(r"^\s*$", true), None);
    }
}
