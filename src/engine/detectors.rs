//! Structural detectors: mechanisms in code, thresholds in pack files. A detector rule
//! names one of these and gives its `params`; adding a detector means a module of its own
//! and an entry in `REGISTRY`, not touching the rule parser. This module holds what they
//! share: the view of a document they judge, the trait, the registry and a few line tests.

use std::ops::Range;

use serde::Deserialize;

use super::decide::{LineScores, LineSpan};

/// What a detector sees: the document's lines, and which of them pattern rules already
/// remove (detectors look at the structure that is left, so cleaning stays idempotent).
pub struct DocView<'a> {
    pub text: &'a str,
    pub lines: &'a [LineSpan],
    pub removed: &'a [bool],
    /// Lines a keep rule protects: no detector's removal of them takes effect.
    pub protected: &'a [bool],
    /// Whether `Detection::detail` is wanted (empty otherwise).
    pub details: bool,
    /// The text ends its document (see `DocContext::continues`): only then is its
    /// tail a page's tail.
    pub ends_document: bool,
    /// Lines of the document before this text, for explanations that name lines.
    pub first_line: usize,
    /// The width the text was wrapped at, if it was (for the line scorer, which joins a
    /// wrapped paragraph's lines itself).
    pub wrap_width: Option<usize>,
    /// When this view has a wrapped text's paragraphs each on one line (what every detector
    /// but the scorer sees): each line's first line in the text.
    pub joined_from: Option<&'a [u32]>,
}

impl DocView<'_> {
    /// A line's content, without its terminator.
    pub fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].content.clone()]
    }
    pub fn is_blank(&self, i: usize) -> bool {
        self.lines[i].blank
    }
    /// Line `i`'s number in the document, from 1, for explanations.
    pub fn line_number(&self, i: usize) -> usize {
        self.first_line + self.joined_from.map_or(i, |starts| starts[i] as usize) + 1
    }
}

/// One finding: the lines to drop and why, with the score that decided it (empty when
/// the caller did not ask for details).
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub lines: Range<usize>,
    pub detail: String,
}

pub trait Detector: Send + Sync {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>);

    /// `detect`, also giving the score of every line it scored, removed or not, and the
    /// threshold: for `explain --scores`. Detectors without a score per line only detect.
    fn detect_scored(&self, doc: &DocView<'_>, out: &mut Vec<Detection>, _scores: &mut LineScores) {
        self.detect(doc, out);
    }

    /// Whether it judges what the reader is left with, and so must also see the lines of
    /// line rules with `after_detectors` (hidden from the others, which judge a line by its
    /// neighbours). Such a detector must run in the last phase (see `phase`).
    fn sees_every_removal(&self) -> bool {
        false
    }
}

/// How much to remove: detectors pick their thresholds by profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Profile {
    /// Only what is certainly chrome.
    Conservative,
    #[default]
    Balanced,
    /// The smallest clean text, at some risk to content.
    Aggressive,
}

/// A parameter with a value per profile: `{ conservative = …, balanced = …, aggressive = … }`.
#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub(crate) struct PerProfile<T> {
    conservative: T,
    balanced: T,
    aggressive: T,
}

impl<T: Copy> PerProfile<T> {
    pub(crate) fn get(&self, profile: Profile) -> T {
        match profile {
            Profile::Conservative => self.conservative,
            Profile::Balanced => self.balanced,
            Profile::Aggressive => self.aggressive,
        }
    }
}

/// The most lines a tail cut may take by default: a page's comments and teasers are a few
/// hundred lines, so a longer tail means a text that holds several pages (a concatenated
/// file). The default of both the scorer's `tail.max_lines` and `tail-after-marker`'s
/// `max_tail_lines`.
pub(crate) fn max_tail_lines() -> usize {
    600
}

type Constructor = fn(toml::Table, Profile) -> Result<Box<dyn Detector>, String>;

/// Every detector: name, one-line description, constructor from `params`.
pub const REGISTRY: &[(&str, &str, Constructor)] = &[
    (
        "trailing-headlines",
        "a run of short headline-like lines after the last article paragraph (\"Top News\", \"Latest Additions\" lists)",
        |params, _| Ok(Box::new(super::trailing_headlines::TrailingHeadlines::from_params(params)?)),
    ),
    (
        "tail-after-marker",
        "everything from a comments or related-posts heading (\"Leave a Reply\", \"Related Posts\") to the end, once article paragraphs came before it",
        |params, profile| Ok(Box::new(super::tail_marker::TailAfterMarker::from_params(params, profile)?)),
    ),
    (
        "link-cards",
        "runs of links whose text spans several lines (teaser cards: headline, byline, date between `[` and `](#)`)",
        |params, _| Ok(Box::new(super::link_cards::LinkCards::from_params(params)?)),
    ),
    (
        "glued-cards",
        "runs of lines whose title runs into its description (`Cloud StorageGlobally unified…`): a menu of link cards in text without links",
        |params, _| Ok(Box::new(super::glued_cards::GluedCards::from_params(params)?)),
    ),
    (
        "dated-cards",
        "runs of cards of the same shape, each with a line that is only a date (teasers, recent posts and comments in text without links)",
        |params, _| Ok(Box::new(super::dated_cards::DatedCards::from_params(params)?)),
    ),
    (
        "line-runs",
        "runs of at least `min_lines` short lines that one regex matches (a sidebar's topics or archive months with their post counts)",
        |params, _| Ok(Box::new(super::line_runs::LineRuns::from_params(params)?)),
    ),
    (
        "link-list",
        "the numbered list of link targets that `lynx -dump` appends to a page (\"References\", then \"1. https://…\"), when the text above holds its `[1]` markers",
        |params, _| Ok(Box::new(super::link_list::LinkList::from_params(params)?)),
    ),
    (
        "orphan-headings",
        "a heading whose section the other rules removed (\"## More stories\" above the links the scorer took); runs after them all",
        |params, _| Ok(Box::new(super::orphans::OrphanHeadings::from_params(params)?)),
    ),
    (
        "line-scorer",
        "a learned logistic scorer over line and context features; drops lines whose P(content) is below the profile's threshold",
        |params, profile| Ok(Box::new(super::line_scorer::LineScorer::from_params(params, profile)?)),
    ),
];

/// When a detector runs, each seeing what the ones before it removed: the structural ones
/// first, then the line scorer (it judges a line by its neighbours, so it sees the page
/// without its tail), then `dated-cards` (on what the scorer kept: cut before it, the cards
/// moved the scorer's position features, and one dev page lost a paragraph of its article),
/// then `orphan-headings`, which tidies up after all of them.
pub fn phase(name: &str) -> u8 {
    match name {
        "line-scorer" => 1,
        "dated-cards" => 2,
        "orphan-headings" => 3,
        _ => 0,
    }
}

pub fn build(name: &str, params: &toml::Table, profile: Profile) -> Result<Box<dyn Detector>, String> {
    match REGISTRY.iter().find(|(n, _, _)| *n == name) {
        Some((_, _, construct)) => construct(params.clone(), profile),
        None => Err(format!(
            "unknown detector `{name}` (known: {})",
            REGISTRY.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
        )),
    }
}

pub(crate) fn params_into<T: for<'de> Deserialize<'de>>(params: toml::Table) -> Result<T, String> {
    toml::Value::Table(params).try_into().map_err(|e: toml::de::Error| format!("bad params: {}", e.message().trim()))
}

/// `true`, for serde's `default` of a flag that is on unless a pack turns it off.
pub(crate) fn yes() -> bool {
    true
}

/// Ends like a sentence or a label (`.`, `!`, `:`, `;`, `,`), ignoring closing quotes
/// and brackets. A question mark does not count: headlines are often questions.
pub(crate) fn ends_like_sentence(normalized: &str) -> bool {
    without_closers(normalized).ends_with(['.', '!', ':', ';', ','])
}

/// `normalized` without the closing quotes, brackets and spaces at its end.
pub(crate) fn without_closers(normalized: &str) -> &str {
    normalized.trim_end_matches(['"', '\'', ')', ']', ' '])
}

/// A run of units (lines, cards) a detector is collecting: its first and last line and how
/// many units it holds.
#[derive(Default)]
pub(crate) struct Run(Option<(usize, usize, usize)>);

impl Run {
    /// Add a unit on lines `first..=last`.
    pub(crate) fn add(&mut self, first: usize, last: usize) {
        let (start, units) = self.0.map_or((first, 0), |(start, _, units)| (start, units));
        self.0 = Some((start, last, units + 1));
    }

    /// Start a run at line `first` that counts no unit yet (a label above its units).
    pub(crate) fn open_at(&mut self, first: usize) {
        self.0 = Some((first, first, 0));
    }

    /// End the run: a detection if it holds at least `min` units, with `why(units)` as its
    /// detail when the caller wants details.
    pub(crate) fn end(
        &mut self,
        min: usize,
        doc: &DocView<'_>,
        out: &mut Vec<Detection>,
        why: impl Fn(usize) -> String,
    ) {
        if let Some((first, last, units)) = self.0.take()
            && units >= min
        {
            let detail = if doc.details { why(units) } else { String::new() };
            out.push(Detection { lines: first..last + 1, detail });
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::decide::split_lines;
    use super::*;

    pub(crate) fn run(detector: &dyn Detector, text: &str) -> Vec<Detection> {
        run_after_rules(detector, text, &[])
    }

    /// `f` on a view of the whole of `text`, with the lines (0-based) in `removed_lines`
    /// removed by rules and none protected.
    pub(crate) fn with_doc<R>(
        text: &str,
        removed_lines: &[usize],
        details: bool,
        f: impl FnOnce(&DocView<'_>) -> R,
    ) -> R {
        let mut lines = Vec::new();
        split_lines(text, &mut lines);
        let removed: Vec<bool> = (0..lines.len()).map(|i| removed_lines.contains(&i)).collect();
        let protected = vec![false; lines.len()];
        f(&DocView {
            text,
            lines: &lines,
            removed: &removed,
            protected: &protected,
            details,
            ends_document: true,
            first_line: 0,
            wrap_width: None,
            joined_from: None,
        })
    }

    /// What `detector` finds in `text` once rules removed `removed_lines` (0-based).
    pub(crate) fn run_after_rules(detector: &dyn Detector, text: &str, removed_lines: &[usize]) -> Vec<Detection> {
        with_doc(text, removed_lines, true, |doc| {
            let mut out = Vec::new();
            detector.detect(doc, &mut out);
            out
        })
    }

    pub(crate) const ARTICLE: &str =
        "This is a long article paragraph with more than sixteen words in it, so it counts as article text for sure.";

    #[test]
    fn params_are_strict() {
        let mut params = toml::Table::new();
        params.insert("min_line".into(), toml::Value::Integer(3));
        assert!(build("trailing-headlines", &params, Profile::Balanced).err().unwrap().contains("min_line"));
        assert!(
            build("nope", &toml::Table::new(), Profile::Balanced).err().unwrap().contains("unknown detector `nope`")
        );
    }
}
