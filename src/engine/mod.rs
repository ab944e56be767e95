//! The engine: packs compiled once into matcher tiers, then for each document
//! decide (every rule on the original lines) and apply (once).

pub mod apply;
pub mod dated_cards;
pub mod decide;
pub mod detectors;
pub mod features;
pub mod gate;
pub mod glued_cards;
pub mod line_runs;
pub mod line_scorer;
pub mod link_cards;
pub mod link_list;
pub mod normalize;
pub mod orphans;
pub mod protect;
mod replace;
pub mod scope;
pub mod tail;
pub mod tail_marker;
pub mod tiers;
pub mod trailing_headlines;
pub mod unwrap;

use std::collections::HashSet;
use std::sync::Arc;

use regex::Regex;

use crate::rules::{Location, Matcher, Pack, Position, RuleError, RuleErrors, RuleKind};
use detectors::Detector;
pub use detectors::Profile;
use gate::{Gate, GateBuilder};
pub use scope::DocContext;
use scope::ScopeIndex;
use tiers::{MatcherId, RegexGate, Tiers, TiersBuilder};

/// A loaded rule as the engine and reports see it.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub why: String,
    pub kind: &'static str,
    pub location: Location,
    pub pack: u32,
    pub position: Position,
    /// Its removals are not shown to the detectors (see `Rule::after_detectors`).
    pub after_detectors: bool,
}

#[derive(Clone, Debug)]
pub struct PackInfo {
    pub name: String,
    pub file: Arc<str>,
    /// `false` when the pack turns paragraph repair off for the documents it applies to.
    pub repair_paragraphs: bool,
}

/// The four views a matcher can look at: normalised or raw, case-folded or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    Normalized = 0,
    NormalizedCase = 1,
    Raw = 2,
    RawCase = 3,
}

impl View {
    pub(crate) const ALL: [View; 4] = [View::Normalized, View::NormalizedCase, View::Raw, View::RawCase];

    fn of(raw: bool, case_sensitive: bool) -> View {
        match (raw, case_sensitive) {
            (false, false) => View::Normalized,
            (false, true) => View::NormalizedCase,
            (true, false) => View::Raw,
            (true, true) => View::RawCase,
        }
    }

    /// The start of a line in a normalised view, at least `limit` bytes of it when the
    /// line is that long; returns whether the whole line was rendered.
    pub(crate) fn render_head(self, line: &str, buf: &mut String, limit: usize) -> bool {
        normalize::normalize_head_into(line, self.folds_case(), buf, limit)
    }

    /// The first byte of a raw view of the trimmed line `trimmed`, when it is known
    /// without rendering: always for the case-sensitive view, for an ASCII first
    /// character in the case-folded one. `None` for normalised views.
    pub(crate) fn raw_first_byte(self, trimmed: &str) -> Option<u8> {
        let b = *trimmed.as_bytes().first()?;
        match self {
            View::RawCase => Some(b),
            View::Raw if b.is_ascii() => Some(b.to_ascii_lowercase()),
            _ => None,
        }
    }

    pub(crate) fn normalizes(self) -> bool {
        matches!(self, View::Normalized | View::NormalizedCase)
    }

    fn folds_case(self) -> bool {
        matches!(self, View::Normalized | View::Raw)
    }

    /// The form of a line (or a literal pattern) in this view; `buf` holds it unless the
    /// line itself can be returned.
    pub(crate) fn render<'a>(self, line: &'a str, buf: &'a mut String) -> &'a str {
        match self {
            View::Normalized | View::NormalizedCase => {
                normalize::normalize_into(line, self.folds_case(), buf);
                buf
            }
            View::RawCase | View::Raw => self.render_trimmed(normalize::trim(line), buf),
        }
    }

    /// A raw view of a line already trimmed.
    pub(crate) fn render_trimmed<'a>(self, trimmed: &'a str, buf: &'a mut String) -> &'a str {
        debug_assert!(!self.normalizes());
        if !self.folds_case() {
            return trimmed;
        }
        buf.clear();
        normalize::lowercase_into(trimmed, buf);
        buf
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Role {
    Remove,
    Keep,
    BlockStart(u32),
    BlockEnd(u32),
    /// One line of a sequence; `SequenceInfo::steps` knows which.
    SequenceStep,
}

#[derive(Clone, Debug)]
pub(crate) struct MatcherInfo {
    pub rule: u32,
    pub role: Role,
    pub max_words: Option<usize>,
}

pub(crate) struct BlockInfo {
    pub rule: u32,
    /// A keep rule's block: its lines are protected, not removed.
    pub keep: bool,
    pub has_end: bool,
    pub end_inclusive: bool,
    pub max_lines: Option<usize>,
    pub max_tail_lines: Option<usize>,
}

pub(crate) struct SequenceInfo {
    pub rule: u32,
    pub steps: Vec<MatcherId>,
}

pub(crate) struct ReplaceInfo {
    pub rule: u32,
    pub regexes: Vec<ReplaceRegex>,
    pub with: String,
}

/// A replace rule's regex, with the bytes its matches can begin and end with.
pub(crate) struct ReplaceRegex {
    pub regex: Regex,
    pub edges: EdgeBytes,
}

/// For a regex anchored at the line's start (end), the bytes its matches can begin (end)
/// with: replace rules are tried on every kept line, and these tests turn most lines away
/// before a regex search is set up. `None`: any byte.
#[derive(Clone)]
pub(crate) struct EdgeBytes {
    first: Option<Box<[bool; 256]>>,
    last: Option<Box<[bool; 256]>>,
}

impl EdgeBytes {
    fn of(pattern: &str, fold_case: bool) -> EdgeBytes {
        EdgeBytes {
            first: tiers::anchored_first_bytes(pattern, fold_case),
            last: tiers::anchored_last_bytes(pattern, fold_case),
        }
    }
}

/// Which replace regexes may match a line, by its first and last bytes: one bit per
/// regex, in rule order, in a table per edge. Two lookups pass by a line no regex may
/// match, and pick out the few that may from the rest (most lines begin with a capital
/// letter, which only an unanchored regex or one for such lines can match).
pub(crate) struct ReplaceIndex {
    /// Per bit: (the rule in `Engine::replaces`, the regex in the rule).
    regexes: Vec<(u32, u32)>,
    first: Box<[u64; 256]>,
    last: Box<[u64; 256]>,
    /// The regexes that may match an empty line: anchored at neither edge.
    empty: u64,
}

impl ReplaceIndex {
    fn new(replaces: &[ReplaceInfo]) -> ReplaceIndex {
        let mut index =
            ReplaceIndex { regexes: Vec::new(), first: Box::new([0; 256]), last: Box::new([0; 256]), empty: 0 };
        for (r, info) in replaces.iter().enumerate() {
            for (x, re) in info.regexes.iter().enumerate() {
                let bit = 1u64.checked_shl(index.regexes.len() as u32).unwrap_or(0);
                index.regexes.push((r as u32, x as u32));
                for (table, set) in [(&mut index.first, &re.edges.first), (&mut index.last, &re.edges.last)] {
                    for (b, slot) in table.iter_mut().enumerate() {
                        if set.as_ref().is_none_or(|set| set[b]) {
                            *slot |= bit;
                        }
                    }
                }
                if re.edges.first.is_none() && re.edges.last.is_none() {
                    index.empty |= bit;
                }
            }
        }
        index
    }

    /// The (rule, regex) pairs that may match `line`, in rule order. Regexes past the
    /// 64th have no bit and are always tried.
    pub fn candidates(&self, line: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
        let bytes = line.as_bytes();
        let mut bits = match (bytes.first(), bytes.last()) {
            (Some(&f), Some(&l)) => self.first[f as usize] & self.last[l as usize],
            _ => self.empty,
        };
        let masked = std::iter::from_fn(move || {
            let k = bits.trailing_zeros() as usize;
            bits &= bits.wrapping_sub(1);
            (k < 64).then_some(k)
        });
        masked.chain(64..self.regexes.len()).map(|k| (self.regexes[k].0 as usize, self.regexes[k].1 as usize))
    }
}

pub(crate) struct KeeperInfo {
    pub rule: u32,
    pub keeper: Box<dyn protect::Keeper>,
}

pub(crate) struct DetectorInfo {
    pub rule: u32,
    pub detector: Box<dyn Detector>,
    /// When it runs (see `detectors::phase`).
    pub phase: u8,
}

/// Compiled rules. Build once, share across threads (`Engine: Sync`).
pub struct Engine {
    pub rules: Vec<RuleInfo>,
    pub packs: Vec<PackInfo>,
    pub(crate) scope: ScopeIndex,
    pub(crate) views: [Option<Tiers>; 4],
    /// Which lines the normalised views need to look at, for the packs that apply
    /// everywhere.
    pub(crate) gate: Gate,
    /// The same for each scoped pack, run only on documents in its scope: site packs
    /// do not slow the documents of other sites.
    pub(crate) scoped_gates: Vec<ScopedGate>,
    pub(crate) matchers: Vec<MatcherInfo>,
    pub(crate) blocks: Vec<BlockInfo>,
    pub(crate) sequences: Vec<SequenceInfo>,
    pub(crate) replaces: Vec<ReplaceInfo>,
    pub(crate) replace_index: ReplaceIndex,
    pub(crate) detectors: Vec<DetectorInfo>,
    pub(crate) keepers: Vec<KeeperInfo>,
    /// Regexes that got no gating literal, for `rules check`: in a normalised view every
    /// line is then normalised for them; in the raw view, without even a known first
    /// byte, they run on every line.
    pub ungated_regexes: Vec<(String, String)>,
    /// Patterns found anywhere in a line whose gate anchor (their rarest-looking word) is
    /// short, so that it is inside many words, or missing, so that every line is a
    /// candidate: (rule id, pattern, anchor), for `rules check`.
    pub short_anchors: Vec<(String, String, Option<String>)>,
}

/// How many head patterns of scoped packs may share the global gate (see `compile`);
/// the shipped site packs have a handful.
const SCOPED_HEADS_IN_GLOBAL_GATE: usize = 64;

pub(crate) struct ScopedGate {
    pub pack: u32,
    pub gate: Gate,
}

/// Where in a line a literal pattern must be.
#[derive(Clone, Copy)]
enum Place {
    Whole,
    Start,
    Anywhere,
}

/// How a literal pattern enters its tier.
type AddLiteral = fn(&mut TiersBuilder, String, MatcherId);

struct Compiler {
    builders: [TiersBuilder; 4],
    /// The gate of the packs that apply everywhere, then one per scoped pack (with its
    /// index); patterns go to `gates[current_gate]`.
    gates: Vec<(Option<u32>, GateBuilder)>,
    current_gate: usize,
    matchers: Vec<MatcherInfo>,
    errors: Vec<RuleError>,
    ungated: Vec<(String, String)>,
    short_anchors: Vec<(String, String, Option<String>)>,
    scratch: String,
}

impl Compiler {
    fn gate(&mut self) -> &mut GateBuilder {
        &mut self.gates[self.current_gate].1
    }

    fn error(&mut self, location: &Location, message: String) {
        self.errors.push(RuleError { location: location.clone(), message });
    }

    /// A pattern of a normalised view that can match anywhere in a line, into the gate.
    fn add_anywhere(&mut self, id: &str, pattern: &str, rendered: &str) {
        let anchor = self.gates[self.current_gate].1.add_full(rendered);
        // Once per pattern, however many literals a regex has.
        if anchor.is_none_or(|a| a.len() < gate::SHORT_ANCHOR)
            && self.short_anchors.last().is_none_or(|(i, p, _)| i != id || p != pattern)
        {
            self.short_anchors.push((id.to_string(), pattern.to_string(), anchor.map(str::to_string)));
        }
    }

    fn add_matcher(&mut self, rule: u32, id: &str, location: &Location, m: &Matcher, role: Role) {
        let view = View::of(m.raw, m.case_sensitive);
        let matcher = self.matchers.len() as MatcherId;
        self.matchers.push(MatcherInfo { rule, role, max_words: m.max_words });
        // (patterns, how they enter the tiers, how they enter the gate)
        let lists: [(&[String], AddLiteral, Place); 4] = [
            (&m.exact, TiersBuilder::add_exact, Place::Whole),
            (&m.prefix, TiersBuilder::add_prefix, Place::Start),
            (&m.suffix, TiersBuilder::add_suffix, Place::Anywhere),
            (&m.contains, TiersBuilder::add_contains, Place::Anywhere),
        ];
        for (patterns, add, place) in lists {
            for p in patterns {
                let rendered = view.render(p, &mut self.scratch).to_string();
                if rendered.is_empty() {
                    self.error(
                        location,
                        format!(
                            "rule `{id}`: pattern `{p}` is empty once normalised (set `raw = true` to match markup)"
                        ),
                    );
                    continue;
                }
                if view.normalizes() {
                    match place {
                        Place::Whole => self.gate().add_head(&rendered, false),
                        Place::Start => self.gate().add_head(&rendered, true),
                        Place::Anywhere => self.add_anywhere(id, p, &rendered),
                    }
                }
                add(&mut self.builders[view as usize], rendered, matcher);
            }
        }
        for p in &m.regex {
            match self.builders[view as usize].add_regex(p, matcher) {
                Ok(RegexGate::Literals(literals)) if view.normalizes() => {
                    literals.iter().for_each(|l| self.add_anywhere(id, p, l))
                }
                Ok(RegexGate::PrefixLiterals(literals)) if view.normalizes() => {
                    literals.iter().for_each(|l| self.gate().add_head(l, true))
                }
                Ok(RegexGate::Literals(_) | RegexGate::PrefixLiterals(_)) => {}
                Ok(gate) => {
                    // Either opens the line gate of a normalised view: every line is
                    // normalised for it, which costs more than the regex.
                    if view.normalizes() {
                        self.gate().add_ungated();
                    }
                    if matches!(gate, RegexGate::None) || view.normalizes() {
                        self.ungated.push((id.to_string(), p.clone()));
                    }
                }
                Err(e) => self.error(location, format!("rule `{id}`: {e}")),
            }
        }
    }
}

impl Engine {
    /// Compile packs; rules whose id is in `disabled` are left out. All errors are
    /// reported together.
    pub fn compile(packs: &[Pack], disabled: &[String]) -> Result<Engine, RuleErrors> {
        Self::compile_with_profile(packs, disabled, Profile::default())
    }

    /// Compile with a profile: detectors take their thresholds from it.
    pub fn compile_with_profile(packs: &[Pack], disabled: &[String], profile: Profile) -> Result<Engine, RuleErrors> {
        let mut c = Compiler {
            builders: View::ALL.map(|v| TiersBuilder::new(v.folds_case())),
            gates: vec![(None, GateBuilder::default())],
            current_gate: 0,
            matchers: Vec::new(),
            errors: Vec::new(),
            ungated: Vec::new(),
            short_anchors: Vec::new(),
            scratch: String::new(),
        };
        let mut rules = Vec::new();
        let mut blocks = Vec::new();
        let mut sequences = Vec::new();
        let mut replaces = Vec::new();
        // Each detector sees what the ones before it left, in the order of their phase (see
        // `detectors::phase`), then of the packs.
        let mut detectors = Vec::new();
        let mut keepers = Vec::new();
        for (pack_index, pack) in packs.iter().enumerate() {
            c.current_gate = if pack.scope.is_global() {
                0
            } else {
                c.gates.push((Some(pack_index as u32), GateBuilder::default()));
                c.gates.len() - 1
            };
            for rule in pack.rules.iter().filter(|r| !disabled.contains(&r.id)) {
                let index = rules.len() as u32;
                rules.push(RuleInfo {
                    id: rule.id.clone(),
                    why: rule.why.clone(),
                    kind: rule.kind.name(),
                    location: rule.location.clone(),
                    pack: pack_index as u32,
                    position: rule.position,
                    after_detectors: rule.after_detectors,
                });
                let (id, loc) = (&rule.id, &rule.location);
                match &rule.kind {
                    RuleKind::Line(m) => c.add_matcher(index, id, loc, m, Role::Remove),
                    RuleKind::Keep(m) => c.add_matcher(index, id, loc, m, Role::Keep),
                    RuleKind::Block(b) | RuleKind::KeepBlock(b) => {
                        let block = blocks.len() as u32;
                        blocks.push(BlockInfo {
                            rule: index,
                            keep: matches!(rule.kind, RuleKind::KeepBlock(_)),
                            has_end: b.end.is_some(),
                            end_inclusive: b.end_inclusive,
                            max_lines: b.max_lines,
                            max_tail_lines: b.max_tail_lines,
                        });
                        c.add_matcher(index, id, loc, &b.start, Role::BlockStart(block));
                        if let Some(end) = &b.end {
                            c.add_matcher(index, id, loc, end, Role::BlockEnd(block));
                        }
                    }
                    RuleKind::Sequence(s) => {
                        let mut steps = Vec::new();
                        for line in &s.lines {
                            steps.push(c.matchers.len() as MatcherId);
                            let m = Matcher {
                                exact: vec![line.clone()],
                                case_sensitive: s.case_sensitive,
                                ..Default::default()
                            };
                            c.add_matcher(index, id, loc, &m, Role::SequenceStep);
                        }
                        sequences.push(SequenceInfo { rule: index, steps });
                    }
                    RuleKind::Replace(r) => {
                        let mut regexes = Vec::new();
                        for p in &r.regex {
                            match regex::RegexBuilder::new(p).case_insensitive(!r.case_sensitive).build() {
                                Ok(regex) => {
                                    regexes.push(ReplaceRegex { regex, edges: EdgeBytes::of(p, !r.case_sensitive) })
                                }
                                Err(e) => c.error(loc, format!("rule `{id}`: bad regex `{p}`: {e}")),
                            }
                        }
                        replaces.push(ReplaceInfo { rule: index, regexes, with: r.with.clone() });
                    }
                    RuleKind::Detector(d) => match detectors::build(&d.name, &d.params, profile) {
                        Ok(detector) => {
                            let phase = detectors::phase(&d.name);
                            detectors.push((phase, DetectorInfo { rule: index, detector, phase }))
                        }
                        Err(e) => c.error(loc, format!("rule `{id}`: {e}")),
                    },
                    RuleKind::KeepDetector(d) => match protect::build(&d.name, &d.params) {
                        Ok(keeper) => keepers.push(KeeperInfo { rule: index, keeper }),
                        Err(e) => c.error(loc, format!("rule `{id}`: {e}")),
                    },
                }
            }
        }
        detectors.sort_by_key(|&(phase, _)| phase); // stable: pack order within a phase
        let detectors: Vec<DetectorInfo> = detectors.into_iter().map(|(_, d)| d).collect();
        for id in disabled {
            if !packs.iter().any(|p| p.rules.iter().any(|r| &r.id == id)) {
                c.errors.push(RuleError {
                    location: Location { file: "--disable".into(), line: 0, col: 0 },
                    message: format!("no loaded rule has id `{id}` (see `dechrome rules list`)"),
                });
            }
        }
        let scopes: Vec<_> = packs.iter().map(|p| &p.scope).collect();
        let scope = match ScopeIndex::new(&scopes) {
            Ok(s) => s,
            Err(e) => {
                c.errors.push(RuleError { location: Location { file: "scope".into(), line: 0, col: 0 }, message: e });
                ScopeIndex::default()
            }
        };
        if !c.errors.is_empty() {
            return Err(RuleErrors(c.errors));
        }
        let views = c.builders.map(|b| if b.is_empty() { None } else { Some(b.build()) });
        let mut gates = c.gates.into_iter();
        let mut global = gates.next().expect("the global gate").1;
        // A few scoped patterns cost every document next to nothing in the global gate,
        // while a gate of their own costs the documents in scope another pass: a scoped
        // pack joins the global gate while that keeps its anchors behind the prefilter
        // and adds few head patterns. Past that (hundreds of site packs, or a big one),
        // and for a pack that would open the gate, it gets a gate of its own.
        let mut shared_heads = 0;
        let mut words: HashSet<String> = global.anchor_words().map(str::to_string).collect();
        let mut scoped_gates = Vec::new();
        for (pack, g) in gates.filter(|(_, g)| !g.is_empty()) {
            let new_words: HashSet<&str> = g.anchor_words().filter(|w| !words.contains(*w)).collect();
            if !g.is_open()
                && words.len() + new_words.len() <= gate::PREFILTERED_ANCHORS
                && shared_heads + g.head_patterns() <= SCOPED_HEADS_IN_GLOBAL_GATE
            {
                words.extend(new_words.into_iter().map(str::to_string));
                shared_heads += g.head_patterns();
                global.extend(g);
            } else {
                scoped_gates.push(ScopedGate { pack: pack.expect("a scoped pack"), gate: g.build() });
            }
        }
        let gate = global.build();
        Ok(Engine {
            rules,
            packs: packs
                .iter()
                .map(|p| PackInfo {
                    name: p.name.clone(),
                    file: p.file.clone(),
                    repair_paragraphs: p.options.repair_paragraphs.unwrap_or(true),
                })
                .collect(),
            scope,
            views,
            gate,
            scoped_gates,
            matchers: c.matchers,
            blocks,
            sequences,
            replace_index: ReplaceIndex::new(&replaces),
            replaces,
            detectors,
            keepers,
            ungated_regexes: c.ungated,
            short_anchors: c.short_anchors,
        })
    }

    /// Whether `rule` removes lines after the line scorer has judged them (replace rules,
    /// rules with `after_detectors`, `orphan-headings`), so that the scorer saw them as
    /// context: its trainer must too.
    pub fn runs_after_scorer(&self, rule: u32) -> bool {
        let info = &self.rules[rule as usize];
        info.kind == "replace"
            || info.after_detectors
            || self.detectors.iter().any(|d| d.rule == rule && d.phase > detectors::phase("line-scorer"))
    }

    /// How many words the line gate that every document passes looks for, for `rules
    /// check`: past [`gate::PREFILTERED_ANCHORS`] its automaton reads every byte.
    pub fn gate_anchor_count(&self) -> usize {
        self.gate.anchor_count()
    }

    pub fn rule_index(&self, id: &str) -> Option<u32> {
        self.rules.iter().position(|r| r.id == id).map(|i| i as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::{EdgeBytes, ReplaceIndex, ReplaceInfo, ReplaceRegex};

    #[test]
    fn edge_bytes_turn_away_lines_a_replace_regex_cannot_match() {
        let index = ReplaceIndex::new(&replaces(&[&[r"^\s*\[\]\(#\)\s*$"], &[r"^date \d+"]]));
        let may_match = |rule: usize, line: &str| index.candidates(line).any(|(r, _)| r == rule);
        assert!(may_match(0, "[](#)") && may_match(0, "  [](#) "));
        assert!(!may_match(0, "Text [](#)") && !may_match(0, "[](#) text") && !may_match(0, ""));
        assert!(may_match(1, "date 12 and more") && !may_match(1, "The date 12"));
        let folded = EdgeBytes::of(r"^date \d+", true);
        assert!(folded.first.as_ref().is_some_and(|set| set[b'D' as usize] && set[b'd' as usize]));
    }

    fn replaces(rules: &[&[&str]]) -> Vec<ReplaceInfo> {
        let regex = |p: &str| ReplaceRegex { regex: regex::Regex::new(p).unwrap(), edges: EdgeBytes::of(p, false) };
        let info = |(i, ps): (usize, &&[&str])| ReplaceInfo {
            rule: i as u32,
            regexes: ps.iter().map(|p| regex(p)).collect(),
            with: String::new(),
        };
        rules.iter().enumerate().map(info).collect()
    }

    #[test]
    fn replace_index_picks_the_regexes_a_line_may_match_in_rule_order() {
        let index = ReplaceIndex::new(&replaces(&[&[r"^\s*\[\]\(#\)\s*$", r"^#+$"], &[r"^[A-Z].*\.$", r"\d+ min"]]));
        let picked = |line: &str| index.candidates(line).collect::<Vec<_>>();
        assert_eq!(picked("[](#)"), [(0, 0), (1, 1)]);
        assert_eq!(picked("##"), [(0, 1), (1, 1)]);
        assert_eq!(picked("Text."), [(1, 0), (1, 1)]);
        assert_eq!(picked("Text"), [(1, 1)]);
        assert_eq!(picked(""), [(1, 1)]);
        // Past 64 regexes, the others are always tried.
        let many: Vec<&str> = vec![r"^x$"; 70];
        let index = ReplaceIndex::new(&replaces(&[&many]));
        assert_eq!(index.candidates("x").count(), 70);
        assert_eq!(index.candidates("y").map(|(_, x)| x).collect::<Vec<_>>(), (64..70).collect::<Vec<_>>());
    }
}
