//! Decide: every active rule looks at the document's original lines (in a text wrapped at
//! a fixed width, the line rules and every detector but the scorer see each paragraph as one
//! line); the removals are united so that each removed line has exactly one reason.

use std::ops::Range;

use super::detectors::{self, DocView};
use super::replace::ReplaceInput;
use super::scope::DocContext;
use super::tiers::{MatcherId, TierScratch};
use super::unwrap::Wrapping;
use super::{Engine, Role, View, gate, normalize};

/// One line of the input: its content (without terminator) and where it ends
/// (terminator included).
#[derive(Clone, Debug)]
pub struct LineSpan {
    pub content: Range<usize>,
    pub end: usize,
    /// Only whitespace.
    pub blank: bool,
}

/// A removal: which rule, which lines (0-based, end exclusive) and which input bytes.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    pub rule: u32,
    pub lines: Range<usize>,
    pub bytes: Range<usize>,
    /// A detector's reasoning (scores, thresholds).
    pub detail: Option<String>,
    /// The line a `replace` match began on when this removal is only its rest (a match
    /// over a wrapped paragraph's lines): it counts as one hit with that line's piece.
    pub continues_from: Option<usize>,
}

/// Who made a rewrite: a `replace` rule, or the engine's paragraph repair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RewriteBy {
    Rule(u32),
    ParagraphRepair,
}

/// A rewrite of input bytes `bytes` (within line `line`, or across a paragraph break).
#[derive(Clone, Debug, PartialEq)]
pub struct Rewrite {
    pub by: RewriteBy,
    pub line: usize,
    pub bytes: Range<usize>,
    pub replacement: String,
    /// The line the match began on when this is its rest on a later line (a wrapped
    /// paragraph read as one line): one match, one hit, counted at its first piece.
    pub continues_from: Option<usize>,
}

/// What the line scorer decided on a document, for `explain --scores`.
#[derive(Default, Debug, Clone)]
pub struct LineScores {
    /// The P(content) below which this page's lines went (see the scorer's page threshold).
    pub threshold: Option<f32>,
    /// Every line it scored, kept or not.
    pub lines: Vec<ScoredLine>,
}

/// A line the scorer judged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoredLine {
    pub line: usize,
    /// P(content).
    pub p: f32,
    /// Kept by the page's threshold and the guards, before the scored tail was cut.
    pub kept_before_tail: bool,
    /// The guard that kept it under the threshold (`title`, `prose`, `block`,
    /// `continuation`, `section`), if one did.
    pub kept_by: Option<&'static str>,
}

/// Per-worker buffers: nothing here is allocated per line once warmed up.
#[derive(Default)]
pub struct Scratch {
    /// Detectors leave out their reasons (scores, thresholds) from removals. Only reports
    /// and `explain` read them, and writing them costs ~10% on large corpora; off by
    /// default, so library callers get them.
    pub skip_details: bool,
    /// When set, the line scorer records what it scored (`explain --scores`); cleared by
    /// each document.
    pub scores: Option<LineScores>,
    pub(crate) lines: Vec<LineSpan>,
    /// A wrapped text with each paragraph on one line, its lines, and each one's first line
    /// in the text (see [`Wrapping::join_paragraphs`]).
    joined: String,
    joined_lines: Vec<LineSpan>,
    paragraph_starts: Vec<u32>,
    view_text: [String; 4],
    tier: TierScratch,
    found: Vec<MatcherId>,
    hits: Vec<(u32, MatcherId)>,
    active: Vec<bool>,
    /// Per line the line rules read (a wrapped text's paragraphs), how many non-blank
    /// ones come before it.
    nonblank_rank: Vec<u32>,
    /// Lines the normalised views look at (see `gate`), and the gate's scratch.
    candidate: Vec<u8>,
    /// A whole normalised line when the candidate view only holds its start.
    whole: String,
    /// The gate's normalised line starts.
    head: String,
    lower: Vec<u8>,
    candidates: Vec<Candidate>,
    pub(crate) protected: Vec<bool>,
    owner: Vec<u32>,
    /// What one detector found: on big documents, tens of thousands of lines.
    detections: Vec<super::detectors::Detection>,
    /// A buffer for the next cleaned text. Callers that clean many large documents
    /// hand back the texts they are done with (`recycle`): a fresh multi-megabyte
    /// buffer per document costs a page fault per 4 KiB.
    output: String,
}

#[derive(Clone, Debug)]
struct Candidate {
    rule: u32,
    lines: Range<usize>,
    detail: Option<String>,
}

const NO_OWNER: u32 = u32::MAX;

impl Scratch {
    /// Scratch whose detectors record their reasons only when `details`.
    pub fn with_details(details: bool) -> Self {
        Scratch { skip_details: !details, ..Scratch::default() }
    }

    /// Offer a text that is no longer needed as the buffer of the next cleaned text.
    pub fn recycle(&mut self, text: String) {
        if text.capacity() > self.output.capacity() {
            self.output = text;
        }
    }

    pub(crate) fn take_output(&mut self) -> String {
        let mut out = std::mem::take(&mut self.output);
        out.clear();
        out
    }
}

/// What `decide` found; `apply` turns it into text.
pub struct Decisions {
    pub removals: Vec<Removal>,
    /// Per line: removed?
    pub removed: Vec<bool>,
    /// Rewrites of kept lines by `replace` rules, in line order.
    pub rewrites: Vec<Rewrite>,
    pub repair_paragraphs: bool,
}

/// Split into lines keeping terminators (`\n` or `\r\n`); a final line without a
/// terminator counts too.
pub fn split_lines(text: &str, out: &mut Vec<LineSpan>) {
    out.clear();
    let bytes = text.as_bytes();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let content_end = if nl > start && bytes[nl - 1] == b'\r' { nl - 1 } else { nl };
        out.push(LineSpan { content: start..content_end, end: nl + 1, blank: is_blank(&text[start..content_end]) });
        start = nl + 1;
    }
    if start < bytes.len() {
        out.push(LineSpan { content: start..bytes.len(), end: bytes.len(), blank: is_blank(&text[start..]) });
    }
}

/// Only whitespace. Decided at the first byte for almost every line.
pub fn is_blank(s: &str) -> bool {
    match s.bytes().find(|b| !b.is_ascii_whitespace()) {
        None => true,
        Some(b) if b.is_ascii() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Per line, how many non-blank lines come before it; returns all of them.
fn rank_nonblank(lines: &[LineSpan], ranks: &mut Vec<u32>) -> usize {
    ranks.clear();
    let mut nonblank = 0u32;
    for line in lines {
        ranks.push(nonblank);
        if !line.blank {
            nonblank += 1;
        }
    }
    nonblank as usize
}

/// The lines of a text that lines `joined` of its joined copy cover (see
/// [`Wrapping::join_paragraphs`]: `starts` gives each joined line's first line, `lines` is
/// how many the text has).
fn unjoin(starts: &[u32], lines: usize, joined: Range<usize>) -> Range<usize> {
    let at = |j: usize| starts.get(j).map_or(lines, |&line| line as usize);
    at(joined.start)..at(joined.end)
}

impl Engine {
    pub fn decide(&self, text: &str, ctx: DocContext, s: &mut Scratch) -> Decisions {
        split_lines(text, &mut s.lines);
        let n = s.lines.len();
        if let Some(scores) = s.scores.as_mut() {
            scores.threshold = None;
            scores.lines.clear();
        }
        self.scope.active(ctx, text, &mut s.active);
        let repair_paragraphs = self.packs.iter().zip(&s.active).all(|(p, &active)| !active || p.repair_paragraphs);

        // In a text wrapped at a fixed width, the pattern rules see each paragraph as one
        // line (steps 1 and 2), then their findings are mapped back to the text's lines.
        let mut joined = std::mem::take(&mut s.joined);
        let mut starts = std::mem::take(&mut s.paragraph_starts);
        let wrap_width = Wrapping::of(text, &s.lines).map(|wrapping| {
            wrapping.join_paragraphs(&mut joined, &mut starts);
            wrapping.width()
        });
        let wrapped = wrap_width.is_some();
        let rule_text: &str = if wrapped {
            split_lines(&joined, &mut s.joined_lines);
            std::mem::swap(&mut s.lines, &mut s.joined_lines);
            &joined
        } else {
            text
        };
        let total_nonblank = rank_nonblank(&s.lines, &mut s.nonblank_rank);

        // 1. Line matching, all tiers, every view in use; normalised views only on
        //    candidate lines.
        // A scoped pack's patterns make candidates only in the documents in its scope.
        let active = &s.active;
        let gates = std::iter::once(&self.gate)
            .chain(self.scoped_gates.iter().filter(|g| active[g.pack as usize]).map(|g| &g.gate));
        let head_limit = gates.clone().map(|g| g.head_limit).max().unwrap_or(0);
        if self.views[View::Normalized as usize].is_some() || self.views[View::NormalizedCase as usize].is_some() {
            gate::candidates(gates, rule_text, &s.lines, &mut s.lower, &mut s.head, &mut s.candidate);
        }
        s.hits.clear();
        for i in 0..s.lines.len() {
            if s.lines[i].blank {
                continue;
            }
            let line_hits = s.hits.len();
            let line = &rule_text[s.lines[i].content.clone()];
            let rank = s.nonblank_rank[i] as usize;
            for view in View::ALL {
                let Some(tiers) = &self.views[view as usize] else { continue };
                s.found.clear();
                // Normalised views: the whole line, just its start, or nothing, as the
                // gate says. `whole` tells whether `vt` is the entire line.
                let level = if view.normalizes() { s.candidate[i] } else { gate::FULL };
                let (vt, whole) = match level {
                    gate::SKIP => continue,
                    gate::HEAD => {
                        let buf = &mut s.view_text[view as usize];
                        let whole = view.render_head(line, buf, head_limit);
                        if tiers.matches_head(buf, whole, &mut s.tier, &mut s.found) {
                            // An anchored regex wants the whole line: match it all.
                            s.found.clear();
                            let vt = view.render(line, buf);
                            tiers.matches(vt, &mut s.tier, &mut s.found);
                            (vt, true)
                        } else {
                            (buf.as_str(), whole)
                        }
                    }
                    _ => {
                        // Raw views whose patterns all match at the line start: the trimmed
                        // line's first byte decides whether it is worth rendering (for the
                        // case-folded view, lower-casing) at all.
                        let buf = &mut s.view_text[view as usize];
                        let vt = if view.normalizes() {
                            view.render(line, buf)
                        } else {
                            let trimmed = normalize::trim(line);
                            if !tiers.may_start_with(view.raw_first_byte(trimmed)) {
                                continue;
                            }
                            view.render_trimmed(trimmed, buf)
                        };
                        tiers.matches(vt, &mut s.tier, &mut s.found);
                        (vt, true)
                    }
                };
                let mut words = None;
                for &m in &s.found {
                    let info = &self.matchers[m as usize];
                    let rule = &self.rules[info.rule as usize];
                    // Position limits concern where a rule starts, not where a block ends.
                    let positional = !matches!(info.role, Role::BlockEnd(_));
                    if !s.active[rule.pack as usize] || (positional && !within(rule.position, rank, total_nonblank)) {
                        continue;
                    }
                    if let Some(max) = info.max_words {
                        let count = *words.get_or_insert_with(|| {
                            if whole {
                                vt.split_whitespace().count()
                            } else {
                                view.render(line, &mut s.whole).split_whitespace().count()
                            }
                        });
                        if count > max {
                            continue;
                        }
                    }
                    s.hits.push((i as u32, m));
                }
            }
            // Lines come in order: sorting each line's few hits sorts them all.
            s.hits[line_hits..].sort_unstable();
        }
        s.hits.dedup();

        // 2. Interpret hits.
        s.protected.clear();
        s.protected.resize(s.lines.len(), false);
        s.candidates.clear();
        let mut block_starts: Vec<(u32, usize)> = Vec::new();
        let mut block_ends: Vec<(u32, usize)> = Vec::new();
        for &(line, m) in &s.hits {
            let info = &self.matchers[m as usize];
            let line = line as usize;
            match info.role {
                Role::Remove => s.candidates.push(Candidate { rule: info.rule, lines: line..line + 1, detail: None }),
                Role::Keep => s.protected[line] = true,
                Role::BlockStart(b) => block_starts.push((b, line)),
                Role::BlockEnd(b) => block_ends.push((b, line)),
                Role::SequenceStep => {}
            }
        }
        self.find_blocks(&block_starts, &block_ends, ctx.continues, s);
        self.find_sequences(s);
        if wrapped {
            std::mem::swap(&mut s.lines, &mut s.joined_lines);
            for c in &mut s.candidates {
                c.lines = unjoin(&starts, n, c.lines.clone());
            }
            let joined_protected = std::mem::replace(&mut s.protected, vec![false; n]);
            for (j, _) in joined_protected.iter().enumerate().filter(|(_, p)| **p) {
                s.protected[unjoin(&starts, n, j..j + 1)].fill(true);
            }
        }
        (s.joined, s.paragraph_starts) = (joined, starts);
        for k in &self.keepers {
            if s.active[self.rules[k.rule as usize].pack as usize] {
                let mut found = Vec::new();
                k.keeper.find(text, &s.lines, &mut found);
                for range in found {
                    s.protected[range].fill(true);
                }
            }
        }

        // 3. Detectors see what pattern rules left (but for rules that asked to go
        //    unseen: their lines stay the scorer's context, and only a detector that
        //    judges what is left, run last, sees them).
        if !self.detectors.is_empty() {
            let mut removed = vec![false; n];
            self.mark_removals(s, false, &mut removed);
            let mut found = std::mem::take(&mut s.detections);
            let mut hidden_shown = false;
            // What the joined copy's lines are to a detector that sees it: removed when all
            // of their lines are (per detector: each one removes more), protected when any
            // is (the keep rules are done by now).
            let lines_of = |j: usize| unjoin(&s.paragraph_starts, n, j..j + 1);
            let joined_lines = if wrapped { s.paragraph_starts.len() } else { 0 };
            let joined_protected: Vec<bool> = (0..joined_lines).map(|j| lines_of(j).any(|l| s.protected[l])).collect();
            let mut joined_removed = Vec::new();
            for d in &self.detectors {
                if !s.active[self.rules[d.rule as usize].pack as usize] {
                    continue;
                }
                if d.detector.sees_every_removal() && !hidden_shown {
                    hidden_shown = true;
                    self.mark_removals(s, true, &mut removed);
                }
                let hidden = self.rules[d.rule as usize].after_detectors;
                found.clear();
                // A wrapped text's paragraphs are one line each to every detector but the
                // scorer, which joins them its own way (see `unwrap::Paragraphs`).
                let joined = wrapped && d.phase != detectors::phase("line-scorer");
                let view = if joined {
                    joined_removed.clear();
                    joined_removed.extend((0..joined_lines).map(|j| lines_of(j).all(|l| removed[l])));
                    DocView {
                        text: &s.joined,
                        lines: &s.joined_lines,
                        removed: &joined_removed,
                        protected: &joined_protected,
                        details: !s.skip_details,
                        ends_document: !ctx.continues,
                        first_line: ctx.first_line,
                        wrap_width: None,
                        joined_from: Some(&s.paragraph_starts),
                    }
                } else {
                    DocView {
                        text,
                        lines: &s.lines,
                        removed: &removed,
                        protected: &s.protected,
                        details: !s.skip_details,
                        ends_document: !ctx.continues,
                        first_line: ctx.first_line,
                        wrap_width,
                        joined_from: None,
                    }
                };
                match s.scores.as_mut() {
                    Some(scores) => d.detector.detect_scored(&view, &mut found, scores),
                    None => d.detector.detect(&view, &mut found),
                }
                if joined {
                    for det in &mut found {
                        det.lines = unjoin(&s.paragraph_starts, n, det.lines.clone());
                    }
                }
                // Later detectors (the line scorer last) see what earlier ones left, except
                // what a rule with `after_detectors` removed: `mark_removals` shows that
                // only to the detector that sees every removal.
                for det in found.drain(..) {
                    if !hidden {
                        for l in det.lines.clone() {
                            removed[l] |= !s.protected[l];
                        }
                    }
                    let detail = (!det.detail.is_empty()).then_some(det.detail);
                    s.candidates.push(Candidate { rule: d.rule, lines: det.lines, detail });
                }
            }
            s.detections = found;
        }

        // 4. Unite: larger removals claim their lines first, then rule order decides
        //    (then input order). Most candidates are one line: those need no sort, only
        //    the lowest rule per line.
        s.owner.clear();
        s.owner.resize(n, NO_OWNER);
        let mut spans: Vec<u32> =
            (0..s.candidates.len() as u32).filter(|&ci| s.candidates[ci as usize].lines.len() > 1).collect();
        spans.sort_by(|&a, &b| {
            let (a, b) = (&s.candidates[a as usize], &s.candidates[b as usize]);
            b.lines.len().cmp(&a.lines.len()).then(a.rule.cmp(&b.rule)).then(a.lines.start.cmp(&b.lines.start))
        });
        for &ci in &spans {
            for l in s.candidates[ci as usize].lines.clone() {
                if !s.protected[l] && s.owner[l] == NO_OWNER {
                    s.owner[l] = ci;
                }
            }
        }
        for (ci, c) in s.candidates.iter().enumerate().filter(|(_, c)| c.lines.len() == 1) {
            let l = c.lines.start;
            if s.protected[l] {
                continue;
            }
            match s.owner[l] {
                NO_OWNER => s.owner[l] = ci as u32,
                o if s.candidates[o as usize].lines.len() == 1 && c.rule < s.candidates[o as usize].rule => {
                    s.owner[l] = ci as u32
                }
                _ => {} // a larger removal, or a lower rule, has the line
            }
        }
        let mut removals: Vec<Removal> = Vec::new();
        let mut removed: Vec<bool> = s.owner.iter().map(|&o| o != NO_OWNER).collect();
        for (l, &owner) in s.owner.iter().enumerate() {
            if owner == NO_OWNER {
                continue;
            }
            let c = &s.candidates[owner as usize];
            match removals.last_mut() {
                Some(r) if r.lines.end == l && r.rule == c.rule && r.detail == c.detail => {
                    r.lines.end = l + 1;
                    r.bytes.end = s.lines[l].end;
                }
                _ => removals.push(Removal {
                    rule: c.rule,
                    lines: l..l + 1,
                    bytes: s.lines[l].content.start..s.lines[l].end,
                    detail: c.detail.clone(),
                    continues_from: None,
                }),
            }
        }

        // 5. Replace rules on kept, unprotected lines (a wrapped text's paragraphs as one
        //    line each).
        let input = ReplaceInput {
            text,
            lines: &s.lines,
            joined: wrapped.then_some((s.joined.as_str(), s.paragraph_starts.as_slice())),
            protected: &s.protected,
            active: &s.active,
            total_nonblank,
        };
        let rewrites = self.replace_spans(&input, &mut removed, &mut removals);
        Decisions { removals, removed, rewrites, repair_paragraphs }
    }

    /// Marks in `removed` the unprotected lines of the candidates so far (the pattern
    /// rules', and the detectors' that ran): those of rules with `after_detectors` when
    /// `hidden`, else the others.
    fn mark_removals(&self, s: &Scratch, hidden: bool, removed: &mut [bool]) {
        for c in s.candidates.iter().filter(|c| self.rules[c.rule as usize].after_detectors == hidden) {
            for l in c.lines.clone() {
                removed[l] |= !s.protected[l];
            }
        }
    }

    /// `continues`: more of the document follows this text (see `DocContext::continues`).
    fn find_blocks(&self, starts: &[(u32, usize)], ends: &[(u32, usize)], continues: bool, s: &mut Scratch) {
        let n = s.lines.len();
        let mut covered_until = vec![0usize; self.blocks.len()];
        // Per block rule, the end line of a start whose block was too long: it closed that
        // block, so it does not open one (a code fence is both a start and an end).
        let mut closed_too_far = vec![usize::MAX; self.blocks.len()];
        for &(b, start) in starts {
            if start < covered_until[b as usize] || start == closed_too_far[b as usize] {
                continue; // a repeated start inside a block already found
            }
            let block = &self.blocks[b as usize];
            let start_rank = s.nonblank_rank[start] as usize;
            let fits =
                |line: usize| block.max_lines.is_none_or(|max| s.nonblank_rank[line] as usize - start_rank < max);
            let range = if block.has_end {
                let Some(&(_, end)) = ends.iter().find(|&&(eb, l)| eb == b && l > start) else { continue };
                if !fits(end) {
                    closed_too_far[b as usize] = end;
                    continue;
                }
                start..if block.end_inclusive { end + 1 } else { end }
            } else {
                if let Some(max) = block.max_tail_lines
                    && (start..n).filter(|&l| !s.lines[l].blank).count() > max
                {
                    continue;
                }
                let mut end = start + 1;
                while end < n && fits(end) {
                    end += 1;
                }
                // Run into the end of a segment, a removal would stop at a blank line cut
                // for memory's sake, with the rest of the document, and of the tail it
                // meant, left after it; nor can `max_tail_lines` be counted there. (A keep
                // block still protects what it can.)
                if continues && !block.keep && (end == n || block.max_tail_lines.is_some()) {
                    continue;
                }
                start..end
            };
            covered_until[b as usize] = range.end;
            if block.keep {
                s.protected[range].fill(true);
            } else {
                s.candidates.push(Candidate { rule: block.rule, lines: range, detail: None });
            }
        }
    }

    fn find_sequences(&self, s: &mut Scratch) {
        let has = |hits: &[(u32, MatcherId)], line: usize, m: MatcherId| hits.binary_search(&(line as u32, m)).is_ok();
        let n = s.lines.len();
        for seq in &self.sequences {
            let mut line = 0;
            'starts: while line < n {
                if !has(&s.hits, line, seq.steps[0]) {
                    line += 1;
                    continue;
                }
                // The next steps must follow on the next non-blank lines.
                let mut at = line;
                for &step in &seq.steps[1..] {
                    at += 1;
                    while at < n && s.lines[at].blank {
                        at += 1;
                    }
                    if at >= n || !has(&s.hits, at, step) {
                        line += 1;
                        continue 'starts;
                    }
                }
                s.candidates.push(Candidate { rule: seq.rule, lines: line..at + 1, detail: None });
                line = at + 1;
            }
        }
    }
}

/// Whether a line at non-blank rank `rank` (of `total`) satisfies a position limit.
pub(super) fn within(p: super::Position, rank: usize, total: usize) -> bool {
    p.within_first.is_none_or(|n| rank < n) && p.within_last.is_none_or(|n| total - rank <= n)
}

/// The content of `span` with `rewrites` (sorted, non-overlapping, inside it) applied.
pub fn apply_rewrites(text: &str, span: Range<usize>, rewrites: &[Rewrite]) -> String {
    let mut out = String::with_capacity(span.len());
    let mut at = span.start;
    for w in rewrites {
        out.push_str(&text[at..w.bytes.start]);
        out.push_str(&w.replacement);
        at = w.bytes.end;
    }
    out.push_str(&text[at..span.end]);
    out
}
