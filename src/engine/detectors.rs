//! Structural detectors: mechanisms in code, thresholds in pack files. A detector rule
//! names one of these and gives its `params`; adding a detector means adding an entry
//! to `REGISTRY`, not touching the rule parser.

use std::ops::Range;

use serde::Deserialize;

use super::normalize::{normalize_into, word_count};

/// What a detector sees: the document's lines, and which of them pattern rules already
/// remove (detectors look at the structure that is left, so cleaning stays idempotent).
pub struct DocView<'a> {
    pub text: &'a str,
    /// Byte range of each line's content (without its terminator).
    pub lines: &'a [Range<usize>],
    pub removed: &'a [bool],
}

impl DocView<'_> {
    pub fn line(&self, i: usize) -> &str {
        &self.text[self.lines[i].clone()]
    }
    pub fn is_blank(&self, i: usize) -> bool {
        self.line(i).trim().is_empty()
    }
}

/// One finding: the lines to drop and why, with the score that decided it.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    pub lines: Range<usize>,
    pub detail: String,
}

pub trait Detector: Send + Sync {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>);
}

type Constructor = fn(toml::Table) -> Result<Box<dyn Detector>, String>;

/// Every detector: name, one-line description, constructor from `params`.
pub const REGISTRY: &[(&str, &str, Constructor)] = &[(
    "trailing-headlines",
    "a run of short headline-like lines after the last article paragraph (\"Top News\", \"Latest Additions\" lists)",
    |params| Ok(Box::new(TrailingHeadlines::from_params(params)?)),
)];

pub fn build(name: &str, params: &toml::Table) -> Result<Box<dyn Detector>, String> {
    match REGISTRY.iter().find(|(n, _, _)| *n == name) {
        Some((_, _, construct)) => construct(params.clone()),
        None => Err(format!(
            "unknown detector `{name}` (known: {})",
            REGISTRY.iter().map(|(n, _, _)| *n).collect::<Vec<_>>().join(", ")
        )),
    }
}

fn params_into<T: for<'de> Deserialize<'de>>(params: toml::Table) -> Result<T, String> {
    toml::Value::Table(params).try_into().map_err(|e: toml::de::Error| format!("bad params: {}", e.message().trim()))
}

/// Trailing headline lists. From the end of the document upwards, collect the run of
/// short lines (at most `max_words` words) that follows the last long line; drop it
/// from its first headline-like line (short, not ending like a sentence) when it holds
/// at least `min_lines` headline-like lines making up at least `min_share` of the run.
/// Nothing is dropped unless a long (article) line comes before the run.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TrailingHeadlines {
    #[serde(default = "defaults::min_lines")]
    pub min_lines: usize,
    #[serde(default = "defaults::max_words")]
    pub max_words: usize,
    #[serde(default = "defaults::min_share")]
    pub min_share: f64,
}

mod defaults {
    pub fn min_lines() -> usize {
        5
    }
    pub fn max_words() -> usize {
        16
    }
    pub fn min_share() -> f64 {
        0.8
    }
}

impl TrailingHeadlines {
    fn from_params(params: toml::Table) -> Result<Self, String> {
        let d: Self = params_into(params)?;
        if d.min_lines == 0 || d.max_words == 0 || !(0.0..=1.0).contains(&d.min_share) {
            return Err("bad params: min_lines and max_words must be at least 1, min_share within 0..1".into());
        }
        Ok(d)
    }
}

/// Ends like a sentence or a label (`.`, `!`, `:`, `;`, `,`), ignoring closing quotes
/// and brackets. A question mark does not count: headlines are often questions.
fn ends_like_sentence(normalized: &str) -> bool {
    let trimmed = normalized.trim_end_matches(['"', '\'', ')', ']', ' ']);
    trimmed.ends_with(['.', '!', ':', ';', ','])
}

impl Detector for TrailingHeadlines {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        let mut norm = String::new();
        // (line, headline-like) for the short run at the end, bottom-up.
        let mut run: Vec<(usize, bool)> = Vec::new();
        let mut article_line_before = false;
        for i in (0..doc.lines.len()).rev() {
            if doc.removed[i] || doc.is_blank(i) {
                continue;
            }
            normalize_into(doc.line(i), true, &mut norm);
            if norm.is_empty() {
                continue;
            }
            if word_count(&norm) > self.max_words {
                article_line_before = true;
                break;
            }
            run.push((i, !ends_like_sentence(&norm)));
        }
        if !article_line_before {
            return;
        }
        run.reverse();
        let Some(first) = run.iter().position(|&(_, headline)| headline) else { return };
        let zone = &run[first..];
        let headlines = zone.iter().filter(|&&(_, h)| h).count();
        let share = headlines as f64 / zone.len() as f64;
        if headlines >= self.min_lines && share >= self.min_share {
            out.push(Detection {
                lines: zone[0].0..doc.lines.len(),
                detail: format!(
                    "{headlines} headline-like lines of {} short lines after the article (share {share:.2}; needs ≥{} and ≥{:.2})",
                    zone.len(),
                    self.min_lines,
                    self.min_share
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(detector: &dyn Detector, text: &str) -> Vec<Detection> {
        let mut lines = Vec::new();
        let mut start = 0;
        for l in text.split('\n') {
            lines.push(start..start + l.len());
            start += l.len() + 1;
        }
        let removed = vec![false; lines.len()];
        let mut out = Vec::new();
        detector.detect(&DocView { text, lines: &lines, removed: &removed }, &mut out);
        out
    }

    const ARTICLE: &str =
        "This is a long article paragraph with more than sixteen words in it, so it counts as article text for sure.";

    #[test]
    fn trailing_headline_list_is_found() {
        let d = build("trailing-headlines", &toml::Table::new()).unwrap();
        let text = format!(
            "{ARTICLE}\n\nTop News\n\nFirst headline here\n\nSecond headline: the sequel\n\nThird one\nFourth one\nFifth one\n"
        );
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 2);
    }

    #[test]
    fn a_short_closing_sentence_and_short_documents_are_left_alone() {
        let d = build("trailing-headlines", &toml::Table::new()).unwrap();
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\nHe declined to comment.\n")).is_empty());
        // No article line before the short lines: a list page, not chrome after an article.
        assert!(run(d.as_ref(), "One\nTwo\nThree\nFour\nFive\nSix\n").is_empty());
        // Too few headline-like lines among sentences.
        let text =
            format!("{ARTICLE}\nA short sentence.\nAnother one.\nHeadline\nYet another sentence.\nAnd one more.\n");
        assert!(run(d.as_ref(), &text).is_empty());
    }

    #[test]
    fn params_are_strict() {
        let mut params = toml::Table::new();
        params.insert("min_line".into(), toml::Value::Integer(3));
        assert!(build("trailing-headlines", &params).err().unwrap().contains("min_line"));
        assert!(build("nope", &toml::Table::new()).err().unwrap().contains("unknown detector `nope`"));
    }
}
