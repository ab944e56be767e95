//! The `line-scorer` detector: a learned logistic scorer over line and context features,
//! with the guards that keep the article's own lines it doubts.

use serde::Deserialize;

use super::decide::{LineScores, ScoredLine};
use super::detectors::{Detection, Detector, DocView, PerProfile, Profile, max_tail_lines, params_into, yes};
use super::features;
use super::normalize::word_count;
use super::tail;

/// Logistic regression over `features::NAMES`: P(content) = σ(bias + Σ wᵢ·fᵢ). Lines
/// below the page's threshold are dropped; the detail names the features that weighed
/// most, so `explain` shows why.
pub struct LineScorer {
    /// The weights for markdown text, which all training pages were.
    weights: ScorerWeights,
    /// The weights for text without a markdown link (plain-text extractions, WET records),
    /// trained on the same pages with their markdown taken out; without them, `weights`.
    plain: Option<ScorerWeights>,
    /// How each page's threshold is set.
    page_threshold: PageThreshold,
    /// Pages of fewer scored lines than this get `conservative`'s page threshold (0: none).
    short_page_lines: usize,
    short_page_threshold: PageThreshold,
    phrases: Option<features::PhraseMatcher>,
    keep_title: bool,
    /// Lines of prose with at least this many words are dropped only below `prose_floor`
    /// (0 words: no guard).
    protect_words: usize,
    /// P(content) below which even a line of prose goes (0: never).
    prose_floor: f32,
    /// Documents with fewer lines are left alone: too little context to judge.
    min_lines: usize,
    /// See `LineScorerParams::block_keep_share` (0: off).
    block_keep_share: f32,
    block_min_lines: usize,
    block_min_blank_share: f32,
    /// See [`Continuation`].
    continuation: Option<Continuation>,
    /// See [`Section`].
    section: Option<Section>,
    /// See [`Closing`].
    closing: Option<Closing>,
    /// See [`LoneParagraph`].
    lone_paragraph: Option<LoneParagraph>,
    /// See [`Series`].
    series: Option<Series>,
    /// The scored tail (see [`tail`]), if trained and on in this profile.
    tail: Option<tail::TailModel>,
    /// Where a text of many pages is cut into pages to be scored one by one.
    windows: PageWindows,
}

/// One trained model: the first stage over each line's features and the second over the
/// first stage's logits of neighbouring lines, if trained.
struct ScorerWeights {
    bias: f32,
    line: [f32; features::N],
    context: Option<(f32, [f32; features::CONTEXT_N])>,
}

impl ScorerWeights {
    fn of(
        bias: f64,
        line: &std::collections::BTreeMap<String, f64>,
        context: Option<&ContextParams>,
    ) -> Result<Self, String> {
        let context = match context {
            Some(c) => Some((c.bias as f32, named_weights(&c.weights, features::CONTEXT_NAMES)?)),
            None => None,
        };
        Ok(ScorerWeights { bias: bias as f32, line: named_weights(line, features::NAMES)?, context })
    }

    /// The first stage's logit of line `k` and each feature's part in it.
    fn line(&self, feats: &features::DocumentFeatures, k: usize) -> (f32, [f32; features::N]) {
        linear(self.bias, &self.line, &feats.row(k))
    }
}

/// When a text seems to hold many pages, and where one ends (see
/// `features::DocumentFeatures::page_windows`).
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct PageWindows {
    /// Texts of fewer scored lines are one page (0: always).
    min_lines: usize,
    /// Lines between two paragraphs where one page may end and the next begin.
    min_gap: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineScorerParams {
    /// Never drop the document's title (extraction benchmarks leave titles out of their
    /// gold text, so a trained scorer learns to drop them; readers want them).
    #[serde(default = "yes")]
    keep_title: bool,
    bias: f64,
    weights: std::collections::BTreeMap<String, f64>,
    threshold: PerProfile<f64>,
    /// Per profile: each page's threshold is this times the one that maximises its expected
    /// F1, kept within `threshold_floor` and `threshold`. Without it, `threshold` for all.
    page_factor: Option<PerProfile<f64>>,
    threshold_floor: Option<PerProfile<f64>>,
    #[serde(default)]
    phrases: Vec<String>,
    context: Option<ContextParams>,
    /// Weights for text without a markdown link (see `LineScorer::plain`).
    plain: Option<PlainParams>,
    /// Per profile: prose lines of at least this many words are kept unless their
    /// P(content) is below `prose_floor`.
    protect_words: Option<PerProfile<usize>>,
    /// Per profile; without it, prose lines are kept whatever their score.
    prose_floor: Option<PerProfile<f64>>,
    #[serde(default = "defaults::min_lines")]
    min_lines: usize,
    /// Per profile: a line the scorer would drop is kept when it has no link and at least
    /// this share of the other lines of its block (lines between blank lines, at least
    /// `block_min_lines` of them) are kept. Without it, or 0: no block guard.
    block_keep_share: Option<PerProfile<f64>>,
    #[serde(default = "defaults::block_min_lines")]
    block_min_lines: usize,
    /// A page whose blank lines are fewer than this share of its lines has no blocks. A
    /// Common Crawl WET record puts no blank line between paragraphs: the guard took the
    /// whole page for one block and, once half of it was kept, kept all of it.
    #[serde(default)]
    block_min_blank_share: f64,
    /// Without it, no continuation guard.
    continuation: Option<Continuation>,
    /// Without it, no section guard.
    section: Option<Section>,
    /// Without it, no closing guard.
    closing: Option<Closing>,
    /// Without it, no lone-paragraph guard.
    lone_paragraph: Option<LoneParagraph>,
    /// Without it, no series guard.
    series: Option<Series>,
    tail: Option<TailParams>,
    /// Without it, every text is scored as one page.
    page_windows: Option<PageWindows>,
    /// Per profile: pages of fewer scored lines than this are judged with `conservative`'s
    /// `page_factor`, `threshold_floor` and `threshold`. Without it, or 0: none.
    short_page_lines: Option<PerProfile<usize>>,
}

/// How a page's threshold is set: `factor` times its F1-optimal threshold (see
/// [`f1_optimal_threshold`]), within `floor..=ceiling`; `ceiling` itself without a factor.
#[derive(Clone, Copy)]
struct PageThreshold {
    factor: f32,
    floor: f32,
    ceiling: f32,
}

impl PageThreshold {
    fn of(p: &LineScorerParams, profile: Profile) -> Result<Self, String> {
        let ceiling = p.threshold.get(profile) as f32;
        let factor = p.page_factor.map_or(0.0, |f| f.get(profile)) as f32;
        let floor = p.threshold_floor.map_or(0.0, |f| f.get(profile)) as f32;
        if !(0.0..=2.0).contains(&factor) || !(0.0..=ceiling).contains(&floor) {
            return Err(format!(
                "bad params: page_factor {factor} must be between 0 and 2, threshold_floor {floor} between 0 and \
                 the threshold {ceiling}"
            ));
        }
        Ok(PageThreshold { factor, floor, ceiling })
    }

    /// The page's threshold, given half its best expected F1 when there is a factor.
    fn apply(self, optimal: Option<f32>) -> f32 {
        optimal.map_or(self.ceiling, |optimal| (self.factor * optimal).clamp(self.floor, self.ceiling))
    }
}

/// The continuation guard: a line of prose (at least `words` words, ending like a sentence,
/// few links) that the scorer would drop is kept when a line next to it (blank lines and
/// lines the rules removed aside) is kept prose of as many words or a protected line (code),
/// unless its P(content) is below `floor`. A short article's last paragraph sits next to the
/// footer's links and its first next to the menu, and their links pulled such paragraphs
/// under the threshold (see [`guard_continuations`]).
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Continuation {
    words: usize,
    floor: f32,
}

/// The closing guard: the line right after a page's last kept line, when the scorer would
/// drop it and everything after it, is kept if it reads like the article's closing
/// sentence: `words` words or more, ending like a sentence, no link, markup, image,
/// boilerplate phrase or furniture word, not a heading, a P(content) of at least `floor`,
/// and the kept line above it not a heading. A scene's last line of dialogue, a short
/// story's last sentence: what the footer's links pull under the threshold and the
/// continuation guard, which wants long lines, does not keep.
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Closing {
    words: u32,
    floor: f32,
}

/// The lone-paragraph guard, the last: when a page would keep fewer words than `share` of
/// its longest dropped paragraph (prose of `words` words or more), that paragraph is kept.
/// A page whose article is one long line (a newsletter's body run together) can otherwise
/// lose all of it to one doubtful score, and keep only its title; a page that keeps any
/// real text is left alone.
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct LoneParagraph {
    words: usize,
    share: f32,
}

/// The series guard: a numbered item (`12) …`, `12. …`) the scorer would drop is kept when
/// the numbered item before it, at most `max_gap` scored lines up, is number 11 and kept. A
/// list article's later items ("12) Roger Waters – The Wall (DVD)", each under its shop
/// link) scored like the links around them once the prose above them was far away.
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Series {
    max_gap: usize,
}

/// The section guard: the short lines between a kept heading (or the title) and the kept
/// paragraph of prose (`words` words or more) or kept heading that follows it are the
/// section's details, kept when there are at most `max_lines` of them and each has two
/// words or more, no link, markup, image, boilerplate phrase or furniture word, and a
/// P(content) of at least `floor`. A restaurant page's address and opening hours, a job's
/// employer, place and salary: the scorer doubts such lines one by one, and dropped all of
/// them. The last section of a numbered series needs nothing after it (see
/// [`guard_sections`]); a heading right above code is kept first (see
/// [`guard_code_headings`]).
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Section {
    words: usize,
    max_lines: usize,
    floor: f32,
}

/// The scored tail's model (see [`tail`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TailParams {
    bias: f64,
    weights: std::collections::BTreeMap<String, f64>,
    /// Per profile: the page is cut where P(the rest is chrome) first exceeds this (0: never).
    threshold: PerProfile<f64>,
    /// No cut leaves more of the scorer's lines after it (more pages in one text).
    #[serde(default = "max_tail_lines")]
    max_lines: usize,
}

/// `[rule.params.plain]`: a model of the same shape as the pack's own, for text without
/// a markdown link.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainParams {
    bias: f64,
    weights: std::collections::BTreeMap<String, f64>,
    context: Option<ContextParams>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextParams {
    bias: f64,
    weights: std::collections::BTreeMap<String, f64>,
}

impl LineScorer {
    pub(crate) fn from_params(params: toml::Table, profile: Profile) -> Result<Self, String> {
        let p: LineScorerParams = params_into(params)?;
        let weights = ScorerWeights::of(p.bias, &p.weights, p.context.as_ref())?;
        let plain = p.plain.as_ref().map(|m| ScorerWeights::of(m.bias, &m.weights, m.context.as_ref()));
        let plain = plain.transpose().map_err(|e| format!("plain: {e}"))?;
        let page_threshold = PageThreshold::of(&p, profile)?;
        let threshold = page_threshold.ceiling;
        let short_page_threshold = PageThreshold::of(&p, Profile::Conservative)?;
        let short_page_lines = p.short_page_lines.map_or(0, |n| n.get(profile));
        let protect_words = p.protect_words.map_or(0, |w| w.get(profile));
        let prose_floor = p.prose_floor.map_or(0.0, |f| f.get(profile)) as f32;
        let block_keep_share = p.block_keep_share.map_or(0.0, |f| f.get(profile)) as f32;
        if !(0.0..=1.0).contains(&block_keep_share)
            || p.block_min_lines < 2
            || !(0.0..=1.0).contains(&p.block_min_blank_share)
        {
            return Err(format!(
                "bad params: block_keep_share {block_keep_share} and block_min_blank_share {} must be between 0 \
                 and 1, block_min_lines {} at least 2",
                p.block_min_blank_share, p.block_min_lines
            ));
        }
        if let Some(c) = p.continuation {
            check_guard("continuation", c.words, "floor", c.floor)?;
        }
        if let Some(g) = p.section
            && (g.words == 0 || g.max_lines == 0 || !(0.0..=1.0).contains(&g.floor))
        {
            return Err(format!(
                "bad params: section.words {} and section.max_lines {} must be at least 1, section.floor {} \
                 between 0 and 1",
                g.words, g.max_lines, g.floor
            ));
        }
        if let Some(c) = p.closing {
            check_guard("closing", c.words as usize, "floor", c.floor)?;
        }
        if let Some(g) = p.lone_paragraph {
            check_guard("lone_paragraph", g.words, "share", g.share)?;
        }
        if p.series.is_some_and(|s| s.max_gap == 0) {
            return Err("bad params: series.max_gap must be at least 1".to_string());
        }
        if !(0.0..=threshold).contains(&prose_floor) {
            return Err(format!(
                "bad params: prose_floor {prose_floor} must be between 0 and the threshold {threshold}"
            ));
        }
        let tail = match &p.tail {
            Some(t) => {
                let threshold = t.threshold.get(profile) as f32;
                if !(0.0..1.0).contains(&threshold) {
                    return Err(format!("bad params: tail.threshold {threshold} must be at least 0 and below 1"));
                }
                let weights = named_weights(&t.weights, &tail::NAMES)?;
                let max_lines = t.max_lines;
                (threshold > 0.0).then_some(tail::TailModel { bias: t.bias as f32, weights, threshold, max_lines })
            }
            None => None,
        };
        let phrases = (!p.phrases.is_empty())
            .then(|| features::PhraseMatcher::new(&p.phrases))
            .transpose()
            .map_err(|e| format!("bad params: phrases: {e}"))?;
        Ok(LineScorer {
            weights,
            plain,
            page_threshold,
            short_page_lines,
            short_page_threshold,
            phrases,
            keep_title: p.keep_title,
            protect_words,
            prose_floor,
            min_lines: p.min_lines,
            block_keep_share,
            block_min_lines: p.block_min_lines,
            block_min_blank_share: p.block_min_blank_share as f32,
            continuation: p.continuation,
            section: p.section,
            closing: p.closing,
            lone_paragraph: p.lone_paragraph,
            series: p.series,
            tail,
            windows: p.page_windows.unwrap_or(PageWindows { min_lines: 0, min_gap: 0 }),
        })
    }

    /// The title is looked for in the first third of a page's lines, and at least this
    /// many: on a short page a menu of four links fills the first third, and the title
    /// comes after it. (Looking up to the first paragraph of prose instead changed 158 dev
    /// pages, most by keeping a title the gold leaves out: balanced F1 -0.0018.)
    const TITLE_WITHIN_LINES: usize = 10;

    /// The weights for `doc`: the plain-text ones when there are some and the text holds no
    /// markdown link (`](`), whose features (link density, lines that start with a link)
    /// the markdown weights lean on most.
    fn weights_for(&self, doc: &DocView<'_>) -> &ScorerWeights {
        match &self.plain {
            Some(plain) if memchr::memmem::find(doc.text.as_bytes(), b"](").is_none() => plain,
            _ => &self.weights,
        }
    }

    /// The title: the first markdown heading in the first third of the lines (or the
    /// first [`Self::TITLE_WITHIN_LINES`]), else the first line when it has 3 to 25 words, no
    /// link, and fewer than two ` | ` or ` · ` separators.
    fn title(doc: &DocView<'_>, considered: &[usize]) -> Option<usize> {
        let third = considered.len().div_ceil(3);
        let head = third.max(Self::TITLE_WITHIN_LINES).min(considered.len());
        if let Some(&h) = considered[..head].iter().find(|&&i| doc.line(i).trim_start().starts_with("# ")) {
            return Some(h);
        }
        let &first = considered.first()?;
        let line = doc.line(first);
        let words = word_count(line);
        // Two separators or more make a menu bar ("Docs | API | Guides | Blog"), not a
        // title ("Client.query() | Example Docs").
        let separators = line.matches(" | ").count() + line.matches(" · ").count();
        ((3..=25).contains(&words) && !line.contains("](") && separators < 2).then_some(first)
    }
}

/// A weight vector from `name = weight` pairs; unknown names are errors, missing ones 0.
fn named_weights<const K: usize>(
    named: &std::collections::BTreeMap<String, f64>,
    names: &[&str],
) -> Result<[f32; K], String> {
    let mut weights = [0.0; K];
    for (name, w) in named {
        let Some(i) = names.iter().position(|n| n == name) else {
            return Err(format!("bad params: unknown feature `{name}` (known: {})", names.join(", ")));
        };
        weights[i] = *w as f32;
    }
    Ok(weights)
}

/// The logit and each feature's contribution to it.
fn linear<const K: usize>(bias: f32, weights: &[f32; K], f: &[f32; K]) -> (f32, [f32; K]) {
    let mut contributions = [0.0; K];
    let mut z = bias;
    for i in 0..K {
        contributions[i] = weights[i] * f[i];
        z += contributions[i];
    }
    (z, contributions)
}

/// Append the three contributions that pushed hardest towards chrome, as `name ±value`.
fn most_negative<const K: usize>(out: &mut String, contributions: &[f32; K], names: &[&str]) {
    strongest(out, contributions, names, 1.0);
}

/// Append the three contributions that pushed hardest in the direction of `sign` times a
/// lower score (1.0: towards chrome; -1.0: towards a higher score), as `name ±value`.
fn strongest<const K: usize>(out: &mut String, contributions: &[f32; K], names: &[&str], sign: f32) {
    use std::fmt::Write;
    let mut top: [Option<usize>; 3] = [None; 3];
    for i in (0..K).filter(|&i| contributions[i] != 0.0) {
        // Insertion into a sorted top three: no allocation per line.
        let mut candidate = i;
        for slot in top.iter_mut() {
            match slot {
                None => {
                    *slot = Some(candidate);
                    break;
                }
                Some(j) if sign * contributions[candidate] < sign * contributions[*j] => {
                    std::mem::swap(j, &mut candidate)
                }
                Some(_) => {}
            }
        }
    }
    for (n, i) in top.iter().flatten().enumerate() {
        let _ = write!(out, "{}{} {:+.2}", if n > 0 { ", " } else { "" }, names[*i], contributions[*i]);
    }
}

/// A cleaning worker's buffers for the line scorer, kept from one document to the next:
/// for a 4 MiB segment they come to several megabytes, and allocating them afresh each
/// time cost a page fault per 4 KiB (a tenth of the scorer's run time).
#[derive(Default)]
struct ScorerScratch {
    considered: Vec<usize>,
    features: features::DocumentFeatures,
    logits: Vec<f32>,
    context: features::ContextFeatures,
    probs: Vec<f32>,
    dropped: Vec<bool>,
    tail_lines: Vec<tail::ScorerLine>,
    tail_candidates: tail::Candidates,
    windows: Vec<std::ops::Range<usize>>,
    paragraphs: super::unwrap::Paragraphs,
}

thread_local! {
    static SCORER_SCRATCH: std::cell::RefCell<ScorerScratch> = Default::default();
}

impl Detector for LineScorer {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        SCORER_SCRATCH.with_borrow_mut(|scratch| self.detect_with(doc, scratch, out, None));
    }

    /// The scores are P(content).
    fn detect_scored(&self, doc: &DocView<'_>, out: &mut Vec<Detection>, scores: &mut LineScores) {
        SCORER_SCRATCH.with_borrow_mut(|scratch| self.detect_with(doc, scratch, out, Some(scores)));
    }
}

impl LineScorer {
    fn detect_with(
        &self,
        doc: &DocView<'_>,
        scratch: &mut ScorerScratch,
        out: &mut Vec<Detection>,
        mut scores: Option<&mut LineScores>,
    ) {
        let ScorerScratch {
            considered,
            features: feats,
            logits,
            context,
            probs,
            dropped,
            tail_lines,
            tail_candidates,
            windows,
            paragraphs,
        } = scratch;
        considered.clear();
        considered.extend((0..doc.lines.len()).filter(|&i| !doc.removed[i] && !doc.is_blank(i)));
        if considered.len() < self.min_lines {
            return;
        }
        // A text wrapped at a fixed width is scored a paragraph at a time: `considered`
        // then holds each paragraph's first line.
        let wrapped = paragraphs.join(considered, |i| doc.line(i), doc.wrap_width);
        let considered = &*considered;
        feats.compute(
            considered.len(),
            |k| if wrapped { paragraphs.line(k) } else { doc.line(considered[k]) },
            |k| doc.protected[considered[k]],
            self.phrases.as_ref(),
        );
        let title = if self.keep_title { Self::title(doc, considered) } else { None };
        let weights = self.weights_for(doc);
        let n = considered.len();
        logits.clear();
        logits.resize(n, 0.0);
        probs.clear();
        probs.resize(n, 0.0);
        dropped.clear();
        dropped.resize(n, false);
        // A text of many pages is scored page by page, as the model was trained.
        feats.page_windows(self.windows.min_lines, self.windows.min_gap, windows);
        let last = windows.len() - 1;
        for (w, window) in windows.iter().enumerate() {
            let (a, b) = (window.start, window.end);
            if last > 0 {
                feats.set_window(a..b); // `compute` took the whole text already
            }
            // Logits only; the per-feature contributions are recomputed for the lines
            // dropped when details are wanted (keeping them for every line cost memory and
            // time).
            for (k, logit) in (a..b).zip(&mut logits[a..b]) {
                *logit = weights.line(feats, k).0;
            }
            let context = weights.context.as_ref().map(|(bias, w)| {
                context.compute(&logits[a..b]);
                (*bias, w, &*context)
            });
            for k in a..b {
                let z = match &context {
                    Some((bias, w, g)) => linear(*bias, w, &g.row(k - a)).0,
                    None => logits[k],
                };
                probs[k] = 1.0 / (1.0 + (-z).exp());
            }
            // A short page gives the scorer little to go on, and its position features were
            // learned on long pages: a recipe's ingredients or a scene's last lines of dialogue
            // scored like a footer.
            let rule = if b - a < self.short_page_lines { self.short_page_threshold } else { self.page_threshold };
            let optimal = if rule.factor > 0.0 {
                f1_optimal_threshold(&probs[a..b], |j| feats.words(a + j) as f32)
            } else {
                None
            };
            let threshold = rule.apply(optimal);
            if let Some(scores) = scores.as_mut().filter(|_| last == 0) {
                scores.threshold = Some(threshold);
            }
            for k in a..b {
                let p = probs[k];
                // A line a keep rule protects (code) stays whatever its score, and the guards
                // and the tail model must see it kept: counted as dropped, a code block was a
                // gap after which the tail model cut the rest of a plain tutorial.
                dropped[k] = p < threshold
                    && Some(considered[k]) != title
                    && !doc.protected[considered[k]]
                    && !(p >= self.prose_floor && self.is_prose(feats, k));
            }
            // For `explain --scores`: which guard kept each line under the threshold.
            let mut guards = scores.is_some().then(|| {
                let kept_by = (a..b).map(|k| {
                    let guarded = !dropped[k] && probs[k] < threshold;
                    guarded.then_some(if Some(considered[k]) == title {
                        "title"
                    } else if doc.protected[considered[k]] {
                        "keep rule"
                    } else {
                        "prose"
                    })
                });
                GuardLog { kept_by: kept_by.collect(), before: Vec::new() }
            });
            let blocks = BlockGuard {
                share: self.block_keep_share,
                min_lines: self.block_min_lines,
                min_blank_share: self.block_min_blank_share,
            };
            let from_line = if a == 0 { 0 } else { considered[a] };
            if self.block_keep_share > 0.0 {
                GuardLog::run(&mut guards, "block", &mut dropped[a..b], |drops| {
                    blocks.run(doc, from_line, &considered[a..b], drops)
                });
            }
            tail_lines.clear();
            tail_lines.extend((a..b).map(|k| tail::ScorerLine {
                p: probs[k],
                words: feats.words(k) as f32,
                kept: !dropped[k],
            }));
            // Only the document's last page has its tail here: a segment's last lines are
            // not the page's end when more of the document follows.
            let cut = self.tail.as_ref().filter(|_| w == last && doc.ends_document).and_then(|model| {
                tail_candidates.compute(tail_lines);
                model.cut(&tail_candidates.found, b - a)
            });
            // After the tail model, so that what it sees and where it cuts stay as they were:
            // keeping a line there moved some cuts later, keeping comment threads. Neither
            // guard reaches past the cut.
            let end = cut.as_ref().map_or(b, |cut| a + cut.from);
            if let Some(c) = self.continuation {
                GuardLog::run(&mut guards, "continuation", &mut dropped[a..end], |drops| {
                    guard_continuations(
                        drops,
                        &probs[a..end],
                        |j| feats.is_prose(a + j, c.words),
                        |j| doc.protected[considered[a + j]],
                        c.floor,
                    )
                });
            }
            // A line the section and closing guards may keep: plain (no link, markup,
            // boilerplate phrase or furniture word), not a heading, of `words`+ words, and
            // P(content) at least `floor`.
            let plain_text = |k: usize, words: u32, floor: f32| {
                feats.plain(k) && !feats.heading(k) && feats.words(k) >= words && probs[k] >= floor
            };
            if let Some(section) = self.section {
                GuardLog::run(&mut guards, "heading", &mut dropped[a..end], |drops| {
                    guard_code_headings(drops, |j| feats.heading(a + j), |j| doc.protected[considered[a + j]])
                });
                let detail = |j: usize| plain_text(a + j, 2, section.floor);
                GuardLog::run(&mut guards, "section", &mut dropped[a..end], |drops| {
                    guard_sections(
                        drops,
                        |j| {
                            let is_heading = Some(considered[a + j]) == title || feats.heading(a + j);
                            is_heading.then(|| SectionHeading::of(doc.line(considered[a + j])))
                        },
                        |j| feats.is_prose(a + j, section.words),
                        detail,
                        section.max_lines,
                    )
                });
            }
            if let Some(s) = self.series {
                GuardLog::run(&mut guards, "series", &mut dropped[a..end], |drops| {
                    guard_series(drops, |j| item_number(doc.line(considered[a + j])), s.max_gap)
                });
            }
            if let Some(c) = self.closing {
                GuardLog::run(&mut guards, "closing", &mut dropped[a..end], |drops| {
                    guard_closing(
                        drops,
                        |j| plain_text(a + j, c.words, c.floor) && feats.terminal(a + j),
                        |j| feats.heading(a + j),
                    )
                });
            }
            if let Some(cut) = &cut {
                // Long lines go too: past the article's end they are teasers and comments
                // (the prose guard would keep most of them). The title stays; protected
                // lines stay because no detector removes them.
                for k in a + cut.from..b {
                    dropped[k] |= Some(considered[k]) != title;
                }
            }
            // Last, and past the cut: it is for a page that kept next to nothing.
            if let Some(g) = self.lone_paragraph {
                GuardLog::run(&mut guards, "paragraph", &mut dropped[a..b], |drops| {
                    guard_lone_paragraph(drops, |j| feats.words(a + j), |j| feats.is_prose(a + j, g.words), g.share)
                });
            }
            let page = PageVerdict {
                considered,
                lines: a..b,
                threshold,
                rule,
                optimal,
                cut: cut.as_ref(),
                context,
                one_of_several: last > 0,
                weights,
                // Only for `explain`: counting the blank lines again costs a pass.
                without_blocks: doc.details
                    && self.block_keep_share > 0.0
                    && !blocks.has_blocks(doc, from_line, &considered[a..b]),
            };
            for k in a..b {
                let (line, p) = (considered[k], probs[k]);
                let kept_before_tail = tail_lines[k - a].kept;
                if let Some(scores) = scores.as_mut() {
                    let kept_by = guards.as_ref().and_then(|g| g.kept_by[k - a]).filter(|_| !dropped[k]);
                    scores.lines.push(ScoredLine { line, p, kept_before_tail, kept_by });
                }
                if dropped[k] {
                    let detail = if doc.details {
                        self.explain_drop(doc, feats, &page, k, p, kept_before_tail)
                    } else {
                        String::new()
                    };
                    let end = if wrapped { paragraphs.end(k) } else { line + 1 };
                    out.push(Detection { lines: line..end, detail });
                }
            }
        }
    }

    /// Whether the `k`th considered line is prose this profile guards (`protect_words`).
    fn is_prose(&self, feats: &features::DocumentFeatures, k: usize) -> bool {
        self.protect_words > 0 && feats.is_prose(k, self.protect_words)
    }

    /// Why the `k`th considered line (P(content) `p`) went: the threshold or the tail
    /// that dropped it, then the features that pushed hardest towards chrome.
    fn explain_drop(
        &self,
        doc: &DocView<'_>,
        feats: &features::DocumentFeatures,
        page: &PageVerdict<'_>,
        k: usize,
        p: f32,
        kept_before_tail: bool,
    ) -> String {
        use std::fmt::Write;
        let (a, b, considered) = (page.lines.start, page.lines.end, page.considered);
        let mut detail = String::with_capacity(160);
        if let Some(cut) = page.cut.filter(|_| kept_before_tail) {
            let _ = write!(
                detail,
                "P(content) {p:.2}, kept by the threshold {:.2}, but in the page's tail: from line {} on, \
                 P(the rest is chrome) {:.2} > {:.2}; ",
                page.threshold,
                doc.line_number(considered[a + cut.from]),
                cut.p,
                self.tail.as_ref().map_or(0.0, |m| m.threshold),
            );
            strongest(&mut detail, &cut.contributions, &tail::NAMES, -1.0);
            return detail;
        }
        if self.is_prose(feats, k) {
            let _ = write!(detail, "P(content) {p:.2} < {:.2} (the floor for prose)", self.prose_floor);
        } else {
            let _ = write!(detail, "P(content) {p:.2} < {:.2}", page.threshold);
            if let Some(optimal) = page.optimal {
                let rule = page.rule;
                let _ = write!(
                    detail,
                    " (this page's: {} × half of {:.2}, its best expected F1; within {:.2}-{:.2}",
                    rule.factor,
                    2.0 * optimal,
                    rule.floor,
                    rule.ceiling
                );
                if page.lines.len() < self.short_page_lines {
                    let _ = write!(
                        detail,
                        "; conservative's, on a page of {} scored lines, under {}",
                        page.lines.len(),
                        self.short_page_lines
                    );
                }
                detail.push(')');
            }
        }
        if page.one_of_several {
            let _ = write!(
                detail,
                "; scored as one page, lines {}-{}, of the several this text seems to hold",
                doc.line_number(considered[a]),
                doc.line_number(considered[b - 1])
            );
        }
        if self.plain.as_ref().is_some_and(|plain| std::ptr::eq(plain, page.weights)) {
            detail.push_str("; plain-text weights: the text has no markdown link");
        }
        if page.without_blocks {
            let _ = write!(
                detail,
                "; no block guard: fewer than {:.0}% of the page's lines are blank (a WET record), so it has no \
                 blocks",
                self.block_min_blank_share * 100.0
            );
        }
        if let Some((bias, w, g)) = page.context {
            detail.push_str("; context: ");
            most_negative(&mut detail, &linear(bias, w, &g.row(k - a)).1, features::CONTEXT_NAMES);
        }
        detail.push_str("; line: ");
        most_negative(&mut detail, &page.weights.line(feats, k).1, features::NAMES);
        detail
    }
}

/// What the scorer decided for one page (all of a text, or one of the pages guessed in a
/// text of many), for the explanations of the lines it dropped.
struct PageVerdict<'a> {
    /// The document's lines the scorer considered (not blank, not removed by a rule).
    considered: &'a [usize],
    /// The page's part of them.
    lines: std::ops::Range<usize>,
    threshold: f32,
    /// How the threshold was set: the profile's, or `conservative`'s on a short page.
    rule: PageThreshold,
    /// Half the page's best expected F1, when the threshold was set from it.
    optimal: Option<f32>,
    cut: Option<&'a tail::Cut>,
    context: Option<(f32, &'a [f32; features::CONTEXT_N], &'a features::ContextFeatures)>,
    one_of_several: bool,
    weights: &'a ScorerWeights,
    /// The block guard is on but the page has too few blank lines for blocks.
    without_blocks: bool,
}

/// The block guard: in each block of at least `min_lines` lines between blank lines, a line
/// without a link that the scorer would drop is kept when at least `share` of the block's
/// other lines are kept (by the rules and the scorer). Verse, addresses and list items
/// are short lines the scorer doubts one by one; a block that is mostly kept is content.
/// A page with fewer blank lines than `min_blank_share` of its lines has no blocks.
struct BlockGuard {
    share: f32,
    min_lines: usize,
    min_blank_share: f32,
}

impl BlockGuard {
    /// Whether the page (from `from_line` to its last considered line) has enough blank
    /// lines to have blocks.
    fn has_blocks(&self, doc: &DocView<'_>, from_line: usize, considered: &[usize]) -> bool {
        let page_end = considered.last().map_or(from_line, |&l| l + 1);
        let blanks = (from_line..page_end).filter(|&i| doc.is_blank(i)).count();
        blanks as f32 >= self.min_blank_share * (page_end - from_line) as f32
    }

    /// `dropped` is per considered line; all lines of a block are judged on the scorer's
    /// decisions, before any is changed. Blocks are looked for from `from_line` on (a page
    /// of a text of many starts there) to the page's last considered line.
    fn run(&self, doc: &DocView<'_>, from_line: usize, considered: &[usize], dropped: &mut [bool]) {
        if !self.has_blocks(doc, from_line, considered) {
            return;
        }
        let mut k = 0; // index into `considered` of the first line at or after `start`
        let mut start = from_line;
        while start < doc.lines.len() && k < considered.len() {
            if doc.is_blank(start) {
                start += 1;
                continue;
            }
            let end = (start..doc.lines.len()).find(|&i| doc.is_blank(i)).unwrap_or(doc.lines.len());
            let first = k;
            while k < considered.len() && considered[k] < end {
                k += 1;
            }
            let lines = end - start;
            if lines >= self.min_lines {
                // Lines removed by rules are not considered, and count as not kept.
                let kept = (first..k).filter(|&j| !dropped[j]).count();
                let enough = kept as f32 >= self.share * (lines - 1) as f32;
                if enough {
                    for j in first..k {
                        if dropped[j] && !doc.line(considered[j]).contains("](") {
                            dropped[j] = false;
                        }
                    }
                }
            }
            start = end;
        }
    }
}

/// The continuation guard (see [`Continuation`]) over one page's considered lines: `dropped`,
/// `probs`, and `prose(j)`, `protected(j)` by index into them. Every line is judged on the
/// decisions made before the guard, so a run of dropped prose (a comment thread after the
/// article) loses at most its ends, not all of it one line at a time.
fn guard_continuations(
    dropped: &mut [bool],
    probs: &[f32],
    prose: impl Fn(usize) -> bool,
    protected: impl Fn(usize) -> bool,
    floor: f32,
) {
    let body = |j: usize, dropped: &[bool]| !dropped[j] && (prose(j) || protected(j));
    let rescued: Vec<usize> = (0..dropped.len())
        .filter(|&j| dropped[j] && probs[j] >= floor && prose(j))
        .filter(|&j| (j > 0 && body(j - 1, dropped)) || (j + 1 < dropped.len() && body(j + 1, dropped)))
        .collect();
    for j in rescued {
        dropped[j] = false;
    }
}

/// The closing guard (see [`Closing`]) over one page's considered lines: the line after the
/// last kept one is kept when `closing(j)` holds and the kept one is not a heading
/// (`heading(j)`).
fn guard_closing(dropped: &mut [bool], closing: impl Fn(usize) -> bool, heading: impl Fn(usize) -> bool) {
    let Some(last_kept) = dropped.iter().rposition(|&d| !d) else { return };
    let next = last_kept + 1;
    if next < dropped.len() && !heading(last_kept) && closing(next) {
        dropped[next] = false;
    }
}

/// A guard's parameters: `words` at least 1, `fraction` (its floor or share) within 0..=1.
fn check_guard(guard: &str, words: usize, fraction_name: &str, fraction: f32) -> Result<(), String> {
    if words == 0 || !(0.0..=1.0).contains(&fraction) {
        return Err(format!(
            "bad params: {guard}.words {words} must be at least 1, {guard}.{fraction_name} {fraction} between 0 and 1"
        ));
    }
    Ok(())
}

/// The number of a numbered item: `12) …`, `12. …`, `**3.** …` (one to three digits, so
/// that a year opening a sentence is not one).
fn item_number(line: &str) -> Option<u32> {
    // Bytes, not `trim_start_matches("**")`: a string pattern builds a searcher per call,
    // and this runs on every scored line (it cost 8% of a run's instructions that way).
    fn bold(b: &[u8]) -> &[u8] {
        b.strip_prefix(b"**").unwrap_or(b)
    }
    // Most lines start with a letter: turned away at their first byte.
    if !line.as_bytes().first().is_some_and(|b| b.is_ascii_digit() || matches!(b, b'*' | b' ' | b'\t')) {
        return None;
    }
    let text = bold(line.trim_ascii_start().as_bytes());
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=3).contains(&digits) {
        return None;
    }
    let rest = bold(&text[digits..]);
    let after = bold(rest.get(1..).unwrap_or(&[]));
    let item = matches!(rest.first(), Some(b'.' | b')'))
        && after.first() == Some(&b' ')
        && after.get(1).is_some_and(|b| !b.is_ascii_whitespace());
    item.then(|| text[..digits].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// The series guard (see [`Series`]) over one page's considered lines: `number(j)` is a
/// line's item number, if it is an item.
fn guard_series(dropped: &mut [bool], number: impl Fn(usize) -> Option<u32>, max_gap: usize) {
    let mut previous: Option<(usize, u32)> = None;
    for j in 0..dropped.len() {
        let Some(n) = number(j) else { continue };
        if let Some((at, m)) = previous
            && dropped[j]
            && !dropped[at]
            && m + 1 == n
            && j - at <= max_gap
        {
            dropped[j] = false;
        }
        previous = Some((j, n));
    }
}

/// The lone-paragraph guard (see [`LoneParagraph`]) over one page's considered lines: the
/// longest dropped line of prose (`prose(j)`, by `words(j)`) is kept when the kept lines hold
/// fewer words than `share` of its.
fn guard_lone_paragraph(dropped: &mut [bool], words: impl Fn(usize) -> u32, prose: impl Fn(usize) -> bool, share: f32) {
    let kept: u32 = (0..dropped.len()).filter(|&j| !dropped[j]).map(&words).sum();
    let longest = (0..dropped.len()).filter(|&j| dropped[j] && prose(j)).max_by_key(|&j| words(j));
    if let Some(j) = longest.filter(|&j| (kept as f32) < share * words(j) as f32) {
        dropped[j] = false;
    }
}

/// Which guard kept each line of a page under the threshold, for `explain --scores`: each
/// guard's rescues are the lines dropped before it and kept after it.
struct GuardLog {
    kept_by: Vec<Option<&'static str>>,
    before: Vec<bool>,
}

impl GuardLog {
    /// Run `guard` over `dropped` (a page's lines from its first), and note in `log`, when
    /// there is one, the lines it kept.
    fn run(log: &mut Option<GuardLog>, name: &'static str, dropped: &mut [bool], guard: impl FnOnce(&mut [bool])) {
        if let Some(log) = log.as_mut() {
            log.before.clear();
            log.before.extend_from_slice(dropped);
        }
        guard(dropped);
        if let Some(log) = log.as_mut() {
            for (j, (&was, &is)) in log.before.iter().zip(dropped.iter()).enumerate() {
                if was && !is {
                    log.kept_by[j] = Some(name);
                }
            }
        }
    }
}

/// Before the section guard: a dropped heading right above a protected line (a code block:
/// "## Example" over its snippet) is the code's heading, and kept. On the dev pages no
/// heading is dropped there; on a function's reference page `balanced` dropped
/// "## Signature" above the signature.
fn guard_code_headings(dropped: &mut [bool], heading: impl Fn(usize) -> bool, protected: impl Fn(usize) -> bool) {
    for j in 1..dropped.len() {
        if dropped[j - 1] && heading(j - 1) && protected(j) {
            dropped[j - 1] = false;
        }
    }
}

/// A heading as the section guard sees it: its level (the `#`s, 0 for a title without
/// them or a line that only starts with `#`) and the number it starts with, if any
/// (`## 5. Usedom`: an item of a list article).
#[derive(Clone, Copy, PartialEq, Debug)]
struct SectionHeading {
    level: usize,
    number: Option<u32>,
}

impl SectionHeading {
    fn of(line: &str) -> Self {
        let level = features::heading_level(line).unwrap_or(0);
        let text = line.trim_start()[level..].trim_start();
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        // An item's number, not a year.
        let number = if digits <= 3 { text[..digits].parse().ok() } else { None };
        SectionHeading { level, number }
    }

    /// The heading after `before` in a numbered series: same level, next number up or down.
    fn follows(self, before: SectionHeading) -> bool {
        self.level == before.level && matches!((before.number, self.number), (Some(x), Some(y)) if x.abs_diff(y) == 1)
    }
}

/// The section guard (see [`Section`]) over one page's considered lines: after each kept
/// heading (`heading(j)`, `None` for a line that is not one), the dropped lines up to the
/// next kept line are kept when there are at most `max_lines` of them, all `detail`, and
/// kept `prose` or a kept heading follows. The last section of a numbered series (`## 5.`
/// after a kept `## 4.` with kept prose under it) may also end at the page's end or at a
/// kept heading; its leading `detail` lines are kept then: a list article's last item,
/// whose sentence the links after it pulled under the threshold.
fn guard_sections(
    dropped: &mut [bool],
    heading: impl Fn(usize) -> Option<SectionHeading>,
    prose: impl Fn(usize) -> bool,
    detail: impl Fn(usize) -> bool,
    max_lines: usize,
) {
    let kept_heading = |j: usize, dropped: &[bool]| if dropped[j] { None } else { heading(j) };
    let mut k = 0;
    while k < dropped.len() {
        let Some(own) = kept_heading(k, dropped) else {
            k += 1;
            continue;
        };
        let run = k + 1..(k + 1..dropped.len()).find(|&j| !dropped[j]).unwrap_or(dropped.len());
        let details = run.start + run.clone().take_while(|&j| detail(j)).count();
        let at_end = run.end == dropped.len();
        let next_section = !at_end && kept_heading(run.end, dropped).is_some();
        // The details end where the section's text or the next section begins.
        let closed = details == run.end && !at_end && (prose(run.end) || next_section);
        let last_of_series = (at_end || next_section) && {
            let sibling =
                (0..k).rev().find_map(|j| kept_heading(j, dropped).filter(|h| h.level == own.level).map(|h| (j, h)));
            sibling.is_some_and(|(s, h)| own.follows(h) && (s + 1..k).any(|j| !dropped[j] && prose(j)))
        };
        if details > run.start && details - run.start <= max_lines && (closed || last_of_series) {
            dropped[run.start..details].fill(false);
        }
        k = run.end;
    }
}

/// Half the page's best expected token F1, the threshold that keeps what maximises it: each
/// line's probability is taken for the share of its words that are content, and lines are
/// kept from the most likely down while 2·E[content kept] / (words kept + E[content]) rises.
/// A line pays for itself when its P(content) is above half that F1 (Lipton et al. 2014,
/// "Thresholding classifiers to maximize F1"), so the threshold is at most 0.5, and lower on
/// pages the model is unsure of: there, dropping a doubtful line risks more recall than it
/// gains precision. `None` when the lines have no words.
fn f1_optimal_threshold(probs: &[f32], words: impl Fn(usize) -> f32) -> Option<f32> {
    // Lines in order of probability, as 256 bins of 1/256 each: sorting the lines cost 3% of
    // the whole run, and a step of 0.004 in P(content) moves the optimum by less.
    const BINS: usize = 256;
    let (mut content, mut total) = ([0.0f32; BINS], [0.0f32; BINS]);
    for (k, &p) in probs.iter().enumerate() {
        let bin = ((p * BINS as f32) as usize).min(BINS - 1);
        content[bin] += p * words(k);
        total[bin] += words(k);
    }
    let expected: f32 = content.iter().sum();
    if expected <= 0.0 {
        return None;
    }
    let (mut kept_content, mut kept_words, mut best) = (0.0f32, 0.0f32, 0.0f32);
    for bin in (0..BINS).rev() {
        kept_content += content[bin];
        kept_words += total[bin];
        best = best.max(2.0 * kept_content / (kept_words + expected));
    }
    Some(best / 2.0)
}

mod defaults {
    pub fn min_lines() -> usize {
        5
    }
    pub fn block_min_lines() -> usize {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::build;
    use crate::engine::detectors::tests::{ARTICLE, with_doc};

    /// The lines the block guard keeps of those in `drop`, with the lines in `removed` taken
    /// out by rules first.
    fn block_guard(text: &str, removed_lines: &[usize], drop: &[usize], share: f32) -> Vec<usize> {
        block_guard_with(text, removed_lines, drop, BlockGuard { share, min_lines: 3, min_blank_share: 0.0 })
    }

    fn block_guard_with(text: &str, removed_lines: &[usize], drop: &[usize], guard: BlockGuard) -> Vec<usize> {
        with_doc(text, removed_lines, false, |doc| {
            let considered: Vec<usize> =
                (0..doc.lines.len()).filter(|&i| !doc.removed[i] && !doc.is_blank(i)).collect();
            let mut dropped: Vec<bool> = considered.iter().map(|i| drop.contains(i)).collect();
            guard.run(doc, 0, &considered, &mut dropped);
            considered.iter().zip(&dropped).filter(|(i, d)| drop.contains(i) && !**d).map(|(&i, _)| i).collect()
        })
    }

    /// The title `LineScorer::title` finds in `text` (0-based line), with no line removed.
    fn title_of(text: &str) -> Option<usize> {
        with_doc(text, &[], false, |doc| {
            let considered: Vec<usize> = (0..doc.lines.len()).filter(|&i| !doc.is_blank(i)).collect();
            LineScorer::title(doc, &considered)
        })
    }

    #[test]
    fn a_first_line_of_menu_entries_is_not_the_title() {
        let body = "\nRuns a query on the server and returns its rows.\n";
        assert_eq!(title_of(&format!("Client.query() | Example Docs{body}")), Some(0));
        assert_eq!(title_of(&format!("Docs | API | Guides | Blog | GitHub{body}")), None);
        assert_eq!(title_of(&format!("Home · Shop · About us · Contact{body}")), None);
        assert_eq!(title_of(&format!("Docs | API | Guides\n# Client.query(){body}")), Some(1));
    }

    #[test]
    fn item_numbers_are_list_numbers_not_years_or_counts() {
        assert_eq!(item_number("12) Roger Waters – The Wall (DVD)"), Some(12));
        assert_eq!(item_number("  3. Photo credit"), Some(3));
        assert_eq!(item_number("**4.** The fourth"), Some(4));
        assert_eq!(item_number("2019. A year to forget"), None);
        assert_eq!(item_number("12 people died"), None);
        assert_eq!(item_number("3.5 stars"), None);
        assert_eq!(item_number("7)"), None);
    }

    #[test]
    fn the_series_guard_keeps_the_next_number_after_a_kept_item() {
        // Per line: dropped, item number.
        let run = |lines: &[(bool, Option<u32>)], max_gap: usize| {
            let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
            guard_series(&mut dropped, |j| lines[j].1, max_gap);
            (0..lines.len()).filter(|&j| lines[j].0 && !dropped[j]).collect::<Vec<_>>()
        };
        // 11 kept; 12 and 13 follow it (each under a link line), 15 skips a number.
        let lines =
            [(false, Some(11)), (false, None), (true, Some(12)), (true, None), (true, Some(13)), (true, Some(15))];
        assert_eq!(run(&lines, 4), [2, 4]);
        // Too far from the kept item, or after a dropped one: left dropped.
        assert!(run(&[(false, Some(1)), (true, None), (true, None), (true, Some(2))], 2).is_empty());
        assert!(run(&[(true, Some(1)), (true, Some(2))], 4).is_empty());
    }

    #[test]
    fn the_closing_guard_keeps_only_the_line_after_the_last_kept_one() {
        // Per line: dropped, reads like a closing sentence, heading.
        let run = |lines: &[(bool, bool, bool)]| {
            let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
            guard_closing(&mut dropped, |j| lines[j].1, |j| lines[j].2);
            (0..lines.len()).filter(|&j| lines[j].0 && !dropped[j]).collect::<Vec<_>>()
        };
        // 1 is dropped between kept lines: not the page's end. 4 follows the last kept line;
        // 5 would do too, but only the first line after it is the closing one.
        let lines = [
            (false, false, false),
            (true, true, false),
            (false, false, false),
            (false, false, false),
            (true, true, false),
            (true, true, false),
        ];
        assert_eq!(run(&lines), [4]);
        // Not a closing sentence, or after a kept heading: nothing.
        assert!(run(&[(false, false, false), (true, false, false)]).is_empty());
        assert!(run(&[(false, false, true), (true, true, false)]).is_empty());
        // Nothing kept, or nothing after the last kept line: nothing.
        assert!(run(&[(true, true, false), (true, true, false)]).is_empty());
        assert!(run(&[(true, true, false), (false, false, false)]).is_empty());
    }

    #[test]
    fn the_lone_paragraph_guard_keeps_the_longest_paragraph_of_a_page_left_with_next_to_nothing() {
        // Per line: dropped, words, prose. The page keeps 10 words; its dropped paragraphs
        // have 30 and 50, and only the longer is kept, being more than 4 times what is kept.
        let run = |lines: &[(bool, u32, bool)]| {
            let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
            guard_lone_paragraph(&mut dropped, |j| lines[j].1, |j| lines[j].2, 0.25);
            (0..lines.len()).filter(|&j| lines[j].0 && !dropped[j]).collect::<Vec<_>>()
        };
        let page = [(false, 10, false), (true, 30, true), (true, 50, true), (true, 90, false)];
        assert_eq!(run(&page), [2]);
        // The page keeps 13 words, more than a quarter of 50: nothing.
        let page = [(false, 13, false), (true, 30, true), (true, 50, true)];
        assert!(run(&page).is_empty());
        // Nothing kept and no prose dropped (a menu): nothing.
        assert!(run(&[(true, 3, false), (true, 90, false)]).is_empty());
    }

    #[test]
    fn the_shipped_scorer_builds_and_a_guard_out_of_range_is_named() {
        let pack: toml::Table = toml::from_str(include_str!("../../rules/generic/scorer.toml")).unwrap();
        let params = pack["rule"][0]["params"].as_table().unwrap().clone();
        assert!(build("line-scorer", &params, Profile::Balanced).is_ok());
        for (guard, key, value, message) in [
            ("lone_paragraph", "share", toml::Value::Float(2.0), "lone_paragraph.share 2 between 0 and 1"),
            ("closing", "words", toml::Value::Integer(0), "closing.words 0 must be at least 1"),
            ("continuation", "floor", toml::Value::Float(-1.0), "continuation.floor -1 between 0 and 1"),
        ] {
            let mut bad = params.clone();
            bad[guard].as_table_mut().unwrap().insert(key.into(), value);
            let Err(e) = build("line-scorer", &bad, Profile::Balanced) else { panic!("{guard}.{key} accepted") };
            assert!(e.contains(message), "{e}");
        }
    }

    #[test]
    fn the_continuation_guard_keeps_prose_next_to_the_body_but_not_a_run_of_it() {
        // Per line: dropped, P(content), prose, protected. 1 is prose after kept prose; 3 and
        // 5 are prose on either side of code; 6 and 7 go on from 5, judged on the decisions
        // before the guard (a comment thread after the article is not kept line by line);
        // 8 is kept but not prose; 9 is next to kept prose but below the floor; 11 is not
        // prose.
        let lines = [
            (false, 0.9, true, false),
            (true, 0.3, true, false),
            (true, 0.0, false, false),
            (true, 0.3, true, false),
            (false, 0.5, false, true),
            (true, 0.3, true, false),
            (true, 0.3, true, false),
            (true, 0.3, true, false),
            (false, 0.9, false, false),
            (true, 0.1, true, false),
            (false, 0.9, true, false),
            (true, 0.3, false, false),
        ];
        let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
        let probs: Vec<f32> = lines.iter().map(|l| l.1).collect();
        guard_continuations(&mut dropped, &probs, |j| lines[j].2, |j| lines[j].3, 0.2);
        let rescued: Vec<usize> = (0..lines.len()).filter(|&j| lines[j].0 && !dropped[j]).collect();
        assert_eq!(rescued, [1, 3, 5]);
    }

    #[test]
    fn the_section_guard_keeps_the_details_between_a_heading_and_its_paragraph() {
        // Per line: dropped, heading, prose, detail. 1-2 sit between kept heading 0 and kept
        // prose 3: kept. 5 follows kept heading 4 but 6 is not prose; 8-9 follow heading 7
        // but 9 is not a detail (a link, say); 12-14 are one line too many for max_lines 2;
        // 17 follows a dropped heading (16), and 19 kept prose, not a heading.
        let h = (false, Some(SectionHeading::of("## Hours")), false, false);
        let (p, d) = ((false, None, true, false), (true, None, false, true));
        #[rustfmt::skip]
        let lines = [
            h, d, d, p, // 1-2 rescued
            h, d, (false, None, false, false),
            h, d, (true, None, false, false), p,
            h, d, d, d, p,
            (true, h.1, false, false), d, p,
            d, p,
        ];
        assert_eq!(section_rescues(&lines), [1, 2]);
    }

    #[test]
    fn the_section_guard_ends_details_at_a_kept_heading() {
        // "# Title", a dropped summary, a kept "## Signature": the summary is the title's.
        let h = |text: &str| (false, Some(SectionHeading::of(text)), false, false);
        let d = (true, None, false, true);
        assert_eq!(section_rescues(&[h("# Client.query()"), d, h("## Signature")]), [1]);
        // A dropped heading does not end them.
        assert!(
            section_rescues(&[h("# Title"), d, (true, Some(SectionHeading::of("## Next")), false, false)]).is_empty()
        );
    }

    #[test]
    fn a_dropped_heading_right_above_code_is_kept() {
        // Per line: dropped, heading, protected (code).
        let lines = [
            (true, true, false),
            (false, false, true),
            (true, true, false),
            (true, false, false),
            (false, false, true),
        ];
        let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
        guard_code_headings(&mut dropped, |j| lines[j].1, |j| lines[j].2);
        // 0 is right above code; 2 has a dropped line between it and the code.
        assert_eq!(dropped, [false, false, true, true, false]);
    }

    #[test]
    fn the_section_guard_keeps_the_last_item_of_a_numbered_series() {
        let item = |text: &str| (false, Some(SectionHeading::of(text)), false, false);
        let (p, d) = ((false, None, true, false), (true, None, false, true));
        let link = (true, None, false, false);
        let (four, five) = (item("## 4. Hamburg"), item("## 5. Usedom"));
        // A list article's last item: its two sentences dropped, then links to the end.
        assert_eq!(section_rescues(&[four, p, five, d, d, link, link]), [3, 4]);
        // Counting down; a kept heading ends the section as the page's end does.
        assert_eq!(section_rescues(&[item("### 2) Rome"), p, item("### 1) Paris"), d, item("## More")]), [3]);
        // Not a series: no numbers, another level, a gap in the numbers, no kept prose
        // under the item before.
        assert!(section_rescues(&[item("## Hamburg"), p, item("## Usedom"), d]).is_empty());
        assert!(section_rescues(&[item("### 4. Hamburg"), p, five, d]).is_empty());
        assert!(section_rescues(&[item("## 3. Dresden"), p, five, d]).is_empty());
        assert!(section_rescues(&[four, d, link, five, d]).is_empty());
        // Not the section's end: a kept line other than a heading follows.
        assert!(section_rescues(&[four, p, five, d, link, (false, None, false, false)]).is_empty());
    }

    #[test]
    fn a_section_heading_has_a_level_and_maybe_a_number() {
        let of = |line: &str| {
            let h = SectionHeading::of(line);
            (h.level, h.number)
        };
        assert_eq!(of("## 5. Usedom"), (2, Some(5)));
        assert_eq!(of("  ### 12) Twelve"), (3, Some(12)));
        // Not a markdown heading, though the scorer's `heading` feature counts it.
        assert_eq!(of("#5 reasons"), (0, None));
        assert_eq!(of("# 2026 in review"), (1, None));
        assert_eq!(of("Plain title"), (0, None));
    }

    /// The dropped lines the section guard keeps, given per line: dropped, heading, prose,
    /// detail.
    fn section_rescues(lines: &[(bool, Option<SectionHeading>, bool, bool)]) -> Vec<usize> {
        let mut dropped: Vec<bool> = lines.iter().map(|l| l.0).collect();
        guard_sections(&mut dropped, |j| lines[j].1, |j| lines[j].2, |j| lines[j].3, 2);
        (0..lines.len()).filter(|&j| lines[j].0 && !dropped[j]).collect()
    }

    #[test]
    fn the_block_guard_keeps_doubted_lines_of_a_mostly_kept_block() {
        let stanza = "Two roads diverged in a wood, and I,\nI took the one less traveled by,\n\
                      And that has made all the difference.\n[Share](#) [Print](#)\n";
        let text = format!("{stanza}\nshort\nlines\n\nA\nB\nC\nD\n");
        // Lines 1 and 2 of the stanza were doubted, line 3 is links: 1 of the 3 others is
        // kept for each of 1 and 2 (a third), and 2 of 3 once they are judged on 0 and 3.
        assert_eq!(block_guard(&text, &[], &[1, 2, 3], 0.5), Vec::<usize>::new());
        assert_eq!(block_guard(&text, &[], &[1, 2], 0.5), [1, 2]);
        assert_eq!(block_guard(&text, &[], &[2, 3], 0.5), [2], "a line with links stays dropped");
        // A line removed by a rule counts as not kept.
        assert_eq!(block_guard(&text, &[0], &[1, 2], 0.5), Vec::<usize>::new());
        // Blocks of fewer than 3 lines are left alone; each block is judged on its own.
        assert_eq!(block_guard(&text, &[], &[5, 6], 0.5), Vec::<usize>::new());
        assert_eq!(block_guard(&text, &[], &[8, 1], 0.6), [1, 8]);
        assert_eq!(block_guard(&text, &[], &[8, 9], 0.7), Vec::<usize>::new());
    }

    #[test]
    fn a_page_without_blank_lines_has_no_blocks_for_the_guard() {
        // A WET record: paragraphs and menu entries on consecutive lines. As one block, two
        // of four lines kept would keep the menu entries too.
        let text = format!("Home\nNews\n{ARTICLE}\n{ARTICLE}\n");
        let guard = |min_blank_share| BlockGuard { share: 0.5, min_lines: 3, min_blank_share };
        assert_eq!(block_guard_with(&text, &[], &[0, 1], guard(0.0)), [0, 1]);
        assert_eq!(block_guard_with(&text, &[], &[0, 1], guard(0.02)), Vec::<usize>::new());
        // One blank line in five is enough for blocks.
        let text = format!("Home\nNews\n{ARTICLE}\n{ARTICLE}\n\nEnd.\n");
        assert_eq!(block_guard_with(&text, &[], &[0, 1], guard(0.02)), [0, 1]);
    }

    #[test]
    fn f1_optimal_threshold_is_lower_on_pages_the_model_is_unsure_of() {
        // A clear page: two sure paragraphs, a doubtful short line, a sure menu line. Keeping
        // the doubtful line would cost more precision than it could add recall.
        let (probs, words) = ([0.95, 0.9, 0.4, 0.05], [50.0, 40.0, 5.0, 5.0]);
        // Best: the two paragraphs, 2·83.5 / (90 + 85.75) = 0.950.
        let t = f1_optimal_threshold(&probs, |k| words[k]).unwrap();
        assert!((t - 0.475).abs() < 1e-3, "{t}");
        // An unsure page: every line could be content, and dropping any loses more than it
        // gains, so all are kept (a fixed 0.5 would drop three).
        let (probs, words) = ([0.6, 0.45, 0.4, 0.35], [10.0; 4]);
        let t = f1_optimal_threshold(&probs, |k| words[k]).unwrap();
        assert!((t - 0.310).abs() < 1e-3, "{t}");
        // Nothing to weigh.
        assert_eq!(f1_optimal_threshold(&[0.2, 0.7], |_| 0.0), None);
    }
}
