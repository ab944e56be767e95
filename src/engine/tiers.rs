//! Matcher tiers for one view of a line. Cost does not grow with the number of rules:
//! exact lines are one hash lookup, all prefixes one anchored automaton, all phrases
//! (contains, suffix, and the required literals of regexes) one unanchored automaton;
//! a regex runs only on lines where one of its literals was found.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::syntax;
use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// Index of a matcher in the engine's matcher table.
pub type MatcherId = u32;

/// Beyond this many patterns an automaton has no SIMD prefilter: the kind is chosen by use.
const DFA_THRESHOLD: usize = 100;
/// A regex literal shorter than this is too common to gate anything.
const MIN_LITERAL_LEN: usize = 3;

/// What a prefix pattern stands for: a matcher, or the literal start of an anchored regex.
#[derive(Clone, Copy, Debug)]
enum PrefixTarget {
    Matcher(MatcherId),
    Regex(u32),
}

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
    prefixes: Vec<(String, PrefixTarget)>,
    phrases: Vec<(String, PhraseKind, MatcherId)>,
    regexes: Vec<(Regex, MatcherId)>,
    anchored: Vec<(u32, Box<[bool; 256]>)>,
    ungated: Vec<u32>,
}

/// How a regex is kept from running on every line.
pub enum RegexGate {
    /// One of these literals must be in the line.
    Literals(Vec<String>),
    /// Anchored: the line must start with one of these literals.
    PrefixLiterals(Vec<String>),
    /// Anchored at the line start: the line's first byte must be one of a set.
    FirstByte,
    /// Nothing: it runs on every line of its view.
    None,
}

/// A regex that only confirms lines the gate found: the regex crate's syntax and match
/// semantics, without the regex's own literal prefilter (the gate has found its literal
/// already; extracting it again was half of the build time of a pack with 500 regexes),
/// without explicit capture groups (only `is_match` is asked), and without a full DFA:
/// the lazy one matches the few lines the gate lets through as fast (callgrind, 5 MB of
/// bench text: the same instructions), and building full DFAs for the shipped packs' small
/// regexes was 4% of start-up (188M instructions with, 181M without).
fn confirming_regex(pattern: &str, fold_case: bool) -> Result<Regex, String> {
    Regex::builder()
        .configure(Regex::config().auto_prefilter(false).which_captures(WhichCaptures::Implicit).dfa(false))
        .syntax(syntax::Config::new().case_insensitive(fold_case))
        .build(pattern)
        .map_err(|e| match (e.syntax_error(), e.size_limit()) {
            (Some(syntax), _) => syntax.to_string(),
            (None, Some(limit)) => format!("the compiled regex exceeds the size limit of {limit} bytes"),
            (None, None) => e.to_string(),
        })
}

/// FxHash (rustc's hasher): exact-line lookups hash every candidate line, and SipHash's
/// DoS resistance buys nothing for patterns the user wrote.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(c.try_into().unwrap())).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

pub type FxBuild = std::hash::BuildHasherDefault<FxHasher>;

/// Which line lengths (in bytes) some exact pattern has: most lines are skipped
/// without hashing.
#[derive(Default)]
struct LengthSet {
    short: [u64; 4],
    any_long: bool,
}

impl LengthSet {
    fn insert(&mut self, len: usize) {
        if len < 256 { self.short[len / 64] |= 1 << (len % 64) } else { self.any_long = true }
    }
    fn may_contain(&self, len: usize) -> bool {
        if len < 256 { self.short[len / 64] & (1 << (len % 64)) != 0 } else { self.any_long }
    }
}

pub struct Tiers {
    exact: HashMap<Box<str>, Vec<MatcherId>, FxBuild>,
    exact_lengths: LengthSet,
    prefixes: Option<Prefixes>,
    /// Per prefix pattern: its matchers.
    prefix_targets: Vec<Vec<PrefixTarget>>,
    phrase_ac: Option<AhoCorasick>,
    phrase_targets: Vec<Vec<(PhraseKind, MatcherId)>>,
    regexes: Vec<(Regex, MatcherId)>,
    /// Regexes anchored at the line start, with the bytes a match can start with.
    anchored: Vec<(u32, Box<[bool; 256]>)>,
    /// Regexes without a usable literal: they run on every line of this view.
    ungated: Vec<u32>,
    /// When every pattern of this view is anchored at the line start (exact lines,
    /// prefixes, anchored regexes): the bytes a match can start with, so that a line
    /// starting otherwise need not be rendered in this view at all.
    first_bytes: Option<Box<[bool; 256]>>,
}

impl TiersBuilder {
    pub fn new(fold_case: bool) -> Self {
        TiersBuilder { fold_case, ..Default::default() }
    }

    pub fn add_exact(&mut self, pattern: String, m: MatcherId) {
        self.exact.entry(pattern.into_boxed_str()).or_default().push(m);
    }
    pub fn add_prefix(&mut self, pattern: String, m: MatcherId) {
        self.prefixes.push((pattern, PrefixTarget::Matcher(m)));
    }
    pub fn add_suffix(&mut self, pattern: String, m: MatcherId) {
        self.phrases.push((pattern, PhraseKind::Suffix, m));
    }
    pub fn add_contains(&mut self, pattern: String, m: MatcherId) {
        self.phrases.push((pattern, PhraseKind::Contains, m));
    }

    /// Add a regex; says how it is gated.
    pub fn add_regex(&mut self, pattern: &str, m: MatcherId) -> Result<RegexGate, String> {
        let regex = confirming_regex(pattern, self.fold_case).map_err(|e| format!("bad regex `{pattern}`: {e}"))?;
        let index = self.regexes.len() as u32;
        self.regexes.push((regex, m));
        // Anchored with a literal start: one anchored lookup per line, like a prefix.
        if let Some(literals) = anchored_prefix_literals(pattern, self.fold_case) {
            for lit in &literals {
                self.prefixes.push((lit.clone(), PrefixTarget::Regex(index)));
            }
            return Ok(RegexGate::PrefixLiterals(literals));
        }
        if let Some(literals) = required_literals(pattern, self.fold_case) {
            for lit in &literals {
                self.phrases.push((lit.clone(), PhraseKind::Regex(index), m));
            }
            return Ok(RegexGate::Literals(literals));
        }
        if let Some(first) = anchored_first_bytes(pattern, self.fold_case) {
            self.anchored.push((index, first));
            return Ok(RegexGate::FirstByte);
        }
        self.ungated.push(index);
        Ok(RegexGate::None)
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty() && self.phrases.is_empty() && self.regexes.is_empty()
    }

    pub fn build(self) -> Tiers {
        let first_bytes = (self.phrases.is_empty() && self.ungated.is_empty()).then(|| {
            let mut all = Box::new([false; 256]);
            let literal_starts =
                self.exact.keys().map(|p| p.as_bytes()).chain(self.prefixes.iter().map(|(p, _)| p.as_bytes()));
            for p in literal_starts {
                match p.first() {
                    Some(&b) => all[b as usize] = true,
                    None => all.fill(true), // an empty prefix matches every line
                }
            }
            for (_, first) in &self.anchored {
                for (a, b) in all.iter_mut().zip(first.iter()) {
                    *a |= b;
                }
            }
            all
        });
        let (prefix_patterns, prefix_targets) = group(self.prefixes.into_iter());
        let prefixes = Prefixes::new(prefix_patterns);
        let (phrase_patterns, phrase_targets) = group(self.phrases.into_iter().map(|(p, k, m)| (p, (k, m))));
        let phrase_ac = automaton(&phrase_patterns, MatchKind::Standard, StartKind::Unanchored, AhoCorasickKind::DFA);
        let mut exact_lengths = LengthSet::default();
        for p in self.exact.keys() {
            exact_lengths.insert(p.len());
        }
        Tiers {
            exact: self.exact.into_iter().collect(),
            exact_lengths,
            prefixes,
            prefix_targets,
            phrase_ac,
            phrase_targets,
            regexes: self.regexes,
            anchored: self.anchored,
            ungated: self.ungated,
            first_bytes,
        }
    }
}

/// For a regex anchored at the line start (`^…`) whose matches all begin with one of a
/// few literals, those literals (of any length: they are looked up at the start only).
pub fn anchored_prefix_literals(pattern: &str, fold_case: bool) -> Option<Vec<String>> {
    use regex_syntax::hir::Look;
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    if !hir.properties().look_set_prefix().contains(Look::Start) {
        return None;
    }
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > 256 || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    let mut out = Vec::with_capacity(literals.len());
    for lit in literals {
        let s = std::str::from_utf8(lit.as_bytes()).ok()?;
        out.push(if fold_case { super::normalize::lowercase(s) } else { s.to_string() });
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// For a regex anchored at the line start (`^…`), the bytes its matches can begin with.
pub fn anchored_first_bytes(pattern: &str, fold_case: bool) -> Option<Box<[bool; 256]>> {
    anchored_edge_bytes(pattern, fold_case, Edge::First)
}

/// For a regex anchored at the line end (`…$`), the bytes its matches can end with.
pub fn anchored_last_bytes(pattern: &str, fold_case: bool) -> Option<Box<[bool; 256]>> {
    anchored_edge_bytes(pattern, fold_case, Edge::Last)
}

#[derive(Clone, Copy, PartialEq)]
enum Edge {
    First,
    Last,
}

fn anchored_edge_bytes(pattern: &str, fold_case: bool, edge: Edge) -> Option<Box<[bool; 256]>> {
    use regex_syntax::hir::Look;
    let hir = regex_syntax::ParserBuilder::new().case_insensitive(fold_case).build().parse(pattern).ok()?;
    let (looks, anchor) = match edge {
        Edge::First => (hir.properties().look_set_prefix(), Look::Start),
        Edge::Last => (hir.properties().look_set_suffix(), Look::End),
    };
    if !looks.contains(anchor) {
        return None;
    }
    let mut set = Box::new([false; 256]);
    let nullable = add_edge_bytes(&hir, &mut set, edge);
    (!nullable).then_some(set)
}

/// Add the bytes a non-empty match of `hir` can start (or end) with; returns whether `hir`
/// can match the empty string (then what comes before or after it can make that edge).
fn add_edge_bytes(hir: &regex_syntax::hir::Hir, set: &mut [bool; 256], edge: Edge) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match if edge == Edge::First { lit.0.first() } else { lit.0.last() } {
            Some(&b) => {
                set[b as usize] = true;
                false
            }
            None => true,
        },
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.ranges() {
                for b in r.start()..=r.end() {
                    set[b as usize] = true;
                }
            }
            false
        }
        HirKind::Class(Class::Unicode(c)) => {
            // UTF-8 keeps code point order, so every character in a range has a lead
            // byte between those of its ends. A character of two bytes or more ends with
            // a continuation byte.
            let lead = |c: char| {
                let mut buf = [0; 4];
                c.encode_utf8(&mut buf);
                buf[0]
            };
            for r in c.ranges() {
                let (lo, hi) = (lead(r.start()), lead(r.end()));
                match edge {
                    Edge::First => (lo..=hi).for_each(|b| set[b as usize] = true),
                    Edge::Last => {
                        (lo..=hi.min(0x7F)).for_each(|b| set[b as usize] = true);
                        if !r.end().is_ascii() {
                            (0x80..=0xBF).for_each(|b| set[b as usize] = true);
                        }
                    }
                }
            }
            false
        }
        HirKind::Repetition(rep) => add_edge_bytes(&rep.sub, set, edge) || rep.min == 0,
        HirKind::Capture(cap) => add_edge_bytes(&cap.sub, set, edge),
        HirKind::Concat(subs) => match edge {
            Edge::First => subs.iter().all(|s| add_edge_bytes(s, set, edge)),
            Edge::Last => subs.iter().rev().all(|s| add_edge_bytes(s, set, edge)),
        },
        HirKind::Alternation(subs) => subs.iter().fold(false, |nullable, s| add_edge_bytes(s, set, edge) | nullable),
    }
}

/// Every pattern a string starts with. A handful are checked directly (an automaton call
/// costs more than a few `starts_with`); more go through one anchored leftmost-longest
/// automaton, with, per pattern, the shorter patterns that are prefixes of it (the
/// automaton reports only the longest, and aho-corasick has no anchored overlapping search).
pub enum Prefixes {
    Few(Vec<String>),
    Many { ac: AhoCorasick, shorter: Vec<Vec<u32>> },
}

const FEW_PREFIXES: usize = 8;

impl Prefixes {
    pub fn new(patterns: Vec<String>) -> Option<Prefixes> {
        if patterns.is_empty() {
            return None;
        }
        if patterns.len() <= FEW_PREFIXES {
            return Some(Prefixes::Few(patterns));
        }
        let index: HashMap<&str, u32> = patterns.iter().enumerate().map(|(i, p)| (p.as_str(), i as u32)).collect();
        let shorter = patterns
            .iter()
            .map(|p| p.char_indices().skip(1).filter_map(|(at, _)| index.get(&p[..at]).copied()).collect())
            .collect();
        // Past a hundred patterns (the shipped packs' prefixes in a dozen languages), a DFA
        // costs more to build (a third of the start-up) than it saves on the heads of
        // candidate lines; a small set (the gate's, asked on every line) keeps the DFA.
        let ac = automaton(&patterns, MatchKind::LeftmostLongest, StartKind::Anchored, AhoCorasickKind::ContiguousNFA)
            .expect("non-empty");
        Some(Prefixes::Many { ac, shorter })
    }

    /// Call `f` with the index of every pattern `s` starts with.
    pub fn for_each_match(&self, s: &str, mut f: impl FnMut(usize)) {
        match self {
            Prefixes::Few(patterns) => {
                for (i, p) in patterns.iter().enumerate() {
                    if s.starts_with(p.as_str()) {
                        f(i);
                    }
                }
            }
            Prefixes::Many { ac, shorter } => {
                if let Some(m) = ac.find(Input::new(s).anchored(Anchored::Yes)) {
                    let p = m.pattern().as_usize();
                    f(p);
                    for &q in &shorter[p] {
                        f(q as usize);
                    }
                }
            }
        }
    }

    pub fn any(&self, s: &str) -> bool {
        let mut found = false;
        self.for_each_match(s, |_| found = true);
        found
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

/// An automaton over `patterns`, of kind `large` past `DFA_THRESHOLD` of them (else the
/// crate's choice).
fn automaton(patterns: &[String], kind: MatchKind, start: StartKind, large: AhoCorasickKind) -> Option<AhoCorasick> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = AhoCorasick::builder();
    b.match_kind(kind).start_kind(start);
    if patterns.len() > DFA_THRESHOLD {
        b.kind(Some(large));
    }
    Some(b.build(patterns).expect("literal patterns always build"))
}

/// Literals one of which every match of `pattern` must contain, if there is a useful set:
/// of its prefixes and of its suffixes, the set whose shortest literal is longer (a
/// short one, such as `sent` in `(delivered|sent) … inbox`, is inside many words; `inbox`
/// is not). With `fold_case` they are lower-cased to meet the lower-cased view.
pub fn required_literals(pattern: &str, fold_case: bool) -> Option<Vec<String>> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut best: Option<Vec<String>> = None;
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let Some(set) = literal_set(&hir, kind, fold_case) else { continue };
        let shortest = |set: &[String]| set.iter().map(|s| s.trim().len()).min().unwrap_or(0);
        if best.as_ref().is_none_or(|b| shortest(&set) > shortest(b)) {
            best = Some(set);
        }
    }
    best
}

/// The prefix or suffix literals of a regex, when they are a useful set: a few, all of
/// at least `MIN_LITERAL_LEN` bytes.
fn literal_set(hir: &regex_syntax::hir::Hir, kind: ExtractKind, fold_case: bool) -> Option<Vec<String>> {
    let seq = Extractor::new().kind(kind).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > 64 {
        return None;
    }
    let mut out: Vec<String> = Vec::with_capacity(literals.len());
    for lit in literals {
        let s = std::str::from_utf8(lit.as_bytes()).ok()?;
        out.push(if fold_case { super::normalize::lowercase(s) } else { s.to_string() });
    }
    if !out.iter().all(|s| s.trim().len() >= MIN_LITERAL_LEN) {
        return None;
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Per-worker scratch so matching allocates nothing per line.
#[derive(Default)]
pub struct TierScratch {
    regex_seen: Vec<u32>,
}

impl Tiers {
    /// Whether a line whose rendered form starts with `first` (`None`: not known
    /// without rendering) can match anything in this view.
    pub fn may_start_with(&self, first: Option<u8>) -> bool {
        match (&self.first_bytes, first) {
            (Some(bytes), Some(b)) => bytes[b as usize],
            _ => true,
        }
    }

    /// Push every matcher that accepts `line` (already in this view's form) into `out`.
    /// A matcher may be pushed more than once.
    pub fn matches(&self, line: &str, scratch: &mut TierScratch, out: &mut Vec<MatcherId>) {
        self.matches_in(line, Mode::Full, scratch, out);
    }

    /// Exact and prefix patterns only, on the start of a line (`whole`: it is all there).
    /// Returns true when an anchored regex needs the whole line to confirm.
    pub fn matches_head(&self, head: &str, whole: bool, scratch: &mut TierScratch, out: &mut Vec<MatcherId>) -> bool {
        self.matches_in(head, Mode::Head { whole }, scratch, out)
    }

    fn matches_in(&self, line: &str, mode: Mode, scratch: &mut TierScratch, out: &mut Vec<MatcherId>) -> bool {
        let whole = match mode {
            Mode::Full => true,
            Mode::Head { whole } => whole,
        };
        if whole
            && self.exact_lengths.may_contain(line.len())
            && let Some(ms) = self.exact.get(line)
        {
            out.extend_from_slice(ms);
        }
        scratch.regex_seen.clear();
        if let Some(prefixes) = &self.prefixes {
            prefixes.for_each_match(line, |q| {
                for &target in &self.prefix_targets[q] {
                    match target {
                        PrefixTarget::Matcher(matcher) => out.push(matcher),
                        PrefixTarget::Regex(r) => {
                            if !scratch.regex_seen.contains(&r) {
                                scratch.regex_seen.push(r);
                            }
                        }
                    }
                }
            });
        }
        if let Mode::Head { .. } = mode {
            return !scratch.regex_seen.is_empty();
        }
        // Most lines that reach here have no phrase at all: a plain search says so
        // faster than the overlapping one, which runs only to list every match.
        if let Some(ac) = self.phrase_ac.as_ref().filter(|ac| ac.is_match(line)) {
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
        if let Some(&first) = line.as_bytes().first() {
            for (r, bytes) in &self.anchored {
                if bytes[first as usize] {
                    let (re, matcher) = &self.regexes[*r as usize];
                    if re.is_match(line) {
                        out.push(*matcher);
                    }
                }
            }
        }
        for &r in &self.ungated {
            let (re, matcher) = &self.regexes[r as usize];
            if re.is_match(line) {
                out.push(*matcher);
            }
        }
        false
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Full,
    Head { whole: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_regexes_are_looked_up_as_prefixes() {
        assert_eq!(
            anchored_prefix_literals(r"^<?https?://\S+>?$", false).unwrap(),
            ["<http://", "<https://", "http://", "https://"]
        );
        assert_eq!(
            anchored_prefix_literals(r"^(original|source) url:", true).unwrap(),
            ["original url:", "source url:"]
        );
        assert!(anchored_prefix_literals(r"^\s*date", true).is_none());
        let mut b = TiersBuilder::new(false);
        b.add_regex(r"^https?://\S+$", 7).unwrap();
        let t = b.build();
        let mut out = Vec::new();
        t.matches("https://x.org/a", &mut TierScratch::default(), &mut out);
        assert_eq!(out, [7]);
        out.clear();
        t.matches("see https://x.org/a", &mut TierScratch::default(), &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn line_start_filter_only_when_every_pattern_is_anchored() {
        let mut b = TiersBuilder::new(true);
        b.add_exact("tweet".into(), 1);
        b.add_prefix("share this".into(), 2);
        b.add_regex(r"^\d+$", 3).unwrap();
        let t = b.build();
        for (first, may) in [(b't', true), (b's', true), (b'4', true), (b'x', false), (b'<', false)] {
            assert_eq!(t.may_start_with(Some(first)), may, "{}", first as char);
        }
        assert!(t.may_start_with(None), "an unknown first byte is always worth a look");
        // A phrase can match anywhere: no filter.
        let mut b = TiersBuilder::new(true);
        b.add_exact("tweet".into(), 1);
        b.add_contains("ad blocker".into(), 2);
        assert!(b.build().may_start_with(Some(b'x')));
    }

    #[test]
    fn few_and_many_prefix_sets_report_every_matching_prefix() {
        let few = Prefixes::new(vec!["share".into(), "share this".into()]).unwrap();
        let many =
            Prefixes::new((0..20).map(|i| format!("p{i}")).chain(["share".into(), "share this".into()]).collect())
                .unwrap();
        assert!(matches!(few, Prefixes::Few(_)) && matches!(many, Prefixes::Many { .. }));
        for (set, offset) in [(few, 0), (many, 20)] {
            let mut hits = Vec::new();
            set.for_each_match("share this article", |i| hits.push(i - offset));
            hits.sort();
            assert_eq!(hits, [0, 1]);
            assert!(!set.any("we share this"));
        }
    }

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
        assert!(matches!(
            b.add_regex(r"views expressed .* not necessarily reflect", 3).unwrap(),
            RegexGate::Literals(_)
        ));
        assert!(matches!(b.add_regex(r"^\W+$", 4).unwrap(), RegexGate::FirstByte));
        assert!(matches!(b.add_regex(r"\d{4}!$", 5).unwrap(), RegexGate::None));
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
        assert_eq!(run("in 2024!"), [5]);
    }

    #[test]
    fn confirming_regexes_match_as_the_regex_crate_and_say_why_they_do_not_build() {
        let re = confirming_regex(r"^share (this|on) \w+$", true).unwrap();
        assert!(re.is_match("Share THIS story") && !re.is_match("share this story now"));
        let syntax = confirming_regex("Share (this", false).unwrap_err();
        assert!(syntax.contains("unclosed group"), "{syntax}");
        let size = confirming_regex(r"\w{5000}x", false).unwrap_err();
        assert!(size.contains("exceeds the size limit"), "{size}");
    }

    #[test]
    fn first_bytes_of_anchored_regexes() {
        let fb = anchored_first_bytes(r"^(?:[*\-]\s*)+$", false).unwrap();
        assert!(fb[b'*' as usize] && fb[b'-' as usize] && !fb[b'a' as usize]);
        let fb = anchored_first_bytes(r"^\s*(?:\d+ min\s*)*[\p{So}]", false).unwrap();
        assert!(fb[b' ' as usize] && fb[b'7' as usize] && fb[0xF0] && !fb[b'a' as usize]);
        assert!(anchored_first_bytes(r"^\s*$", false).is_none()); // can match empty
        assert!(anchored_first_bytes(r"x$", false).is_none()); // not anchored
        let fb = anchored_first_bytes(r"^date", true).unwrap();
        assert!(fb[b'd' as usize] && fb[b'D' as usize]);
    }

    #[test]
    fn last_bytes_of_regexes_anchored_at_the_end() {
        let lb = anchored_last_bytes(r"^\[\]\([^)]*\)[*•]*$", false).unwrap();
        assert!(lb[b')' as usize] && lb[b'*' as usize] && lb[0x80] && !lb[b'[' as usize] && !lb[b'a' as usize]);
        let lb = anchored_last_bytes(r"(?:ab|cd)e?$", true).unwrap();
        assert!(lb[b'b' as usize] && lb[b'D' as usize] && lb[b'e' as usize] && !lb[b'a' as usize]);
        assert!(anchored_last_bytes(r"^x", false).is_none()); // not anchored at the end
        assert!(anchored_last_bytes(r"x*$", false).is_none()); // can match empty
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
        // Of prefixes and suffixes, the set whose shortest literal is longer.
        assert_eq!(
            required_literals(r"(delivered|sent)( [a-z]+){0,3} to your inbox", false),
            Some(vec![" to your inbox".to_string()])
        );
        assert_eq!(required_literals(r"copyright \d+ \w", false), Some(vec!["copyright ".to_string()]));
    }
}
