//! The `tail-after-marker` detector: comments and related posts from their heading to the end.

use serde::Deserialize;

use super::detectors::{
    Detection, Detector, DocView, PerProfile, Profile, ends_like_sentence, max_tail_lines, params_into, yes,
};
use super::features;
use super::normalize::{normalize_head_into, normalize_into, normalized_word_count, strip_block_markers};

/// The tail of a page from a heading that opens its comments or its related-posts list
/// ("Leave a Reply", "3 thoughts on …", "Related Posts", "You may also like") to the end
/// of the document. Prose in comments looks like article text to line features; the
/// heading does not. The marker must be a short line (at most `max_words` words) that
/// matches one of `markers` (regexes on the normalised, lower-cased line) and comes
/// after at least `min_prose_before` lines of prose (`prose_words` words, ending like a
/// sentence), so a navigation link with the same words near the top never triggers it.
/// Only the first marker counts, and nothing is cut when more than `max_tail_lines` non-blank
/// lines follow it: a page's comments and teasers are a few hundred lines, so a longer
/// tail means a text that holds several pages (a concatenated file), where cutting to
/// the end would take the next pages with it. `enabled` says per profile whether it runs.
/// With `removed_marker_max_prose_after`, a marker line that another rule already removed
/// still counts when at most that many prose lines follow it: a line rule takes "Leave a
/// Reply" itself, and the thread after it (prose, any amount) must go too, while a "You
/// may also like" box a rule took in the middle of an article has the article after it.
/// Without it such a line is passed over. With `max_paragraph_run_after = N`, no marker
/// counts when more than N paragraphs in a row follow it (lines of at least
/// `paragraph_words` words ending like a sentence, not cut short with `...`, blank lines
/// aside): a "Trending" or "Latest news" box some sites put in the middle of an article has
/// the rest of the article after it, paragraph after paragraph, while teasers put a
/// headline between one summary and the next, or glue it to a summary cut short. With
/// `paragraph_run_within = K` as well, only a run that starts within K kept non-blank
/// lines of the marker counts: a box in the article is a few teasers, while a page's tail
/// may hold a terms-of-use text far below its "Most read" list. With `link_markers =
/// false`, a line that starts with a link is never the marker: "[Leave a comment](#)" is a
/// call to action, which newsletters put in the middle of an article, while the heading of
/// a thread is text (a related-posts tab, "[Most popular](#)", is a link and a fair
/// marker). With `prose_after_at_most_before = true`, no marker counts that has more lines
/// of prose after it than before it: a page's tail is shorter than its article, and a
/// heading with most of the page's prose below it ("Why trust us?" at the top of a long
/// review) is in the article.
pub struct TailAfterMarker {
    markers: regex::RegexSet,
    /// Bytes the markers can start with, when every marker is anchored and none starts
    /// with ASCII punctuation: a line whose first letter (or the first byte of its normal
    /// form, see `may_start_marker`) is not among them is not normalised at all.
    first_letters: Option<Box<[bool; 256]>>,
    /// The words the markers' lines can start with (see `first_words`), by their first
    /// letter: a line whose first word fits none is not normalised either.
    first_words: Option<FirstWords>,
    /// A prose line is too long to be a marker (`prose_words > max_words + 2`), so once
    /// `min_prose_before` prose lines are found, lines need not be tested for prose any
    /// more: only `explain`'s count of them is left to keep.
    prose_never_marker: bool,
    max_words: usize,
    max_tail_lines: usize,
    min_prose_before: usize,
    prose_words: usize,
    removed_marker_max_prose_after: Option<usize>,
    max_paragraph_run_after: Option<usize>,
    paragraph_run_within: Option<usize>,
    paragraph_words: usize,
    prose_after_at_most_before: bool,
    link_markers: bool,
    enabled: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TailAfterMarkerParams {
    markers: Vec<String>,
    #[serde(default = "defaults::max_words")]
    max_words: usize,
    #[serde(default = "defaults::min_prose_before")]
    min_prose_before: usize,
    #[serde(default = "defaults::prose_words")]
    prose_words: usize,
    #[serde(default = "max_tail_lines")]
    max_tail_lines: usize,
    #[serde(default)]
    removed_marker_max_prose_after: Option<usize>,
    #[serde(default)]
    max_paragraph_run_after: Option<usize>,
    #[serde(default)]
    paragraph_run_within: Option<usize>,
    #[serde(default = "defaults::paragraph_words")]
    paragraph_words: usize,
    #[serde(default)]
    prose_after_at_most_before: bool,
    #[serde(default = "yes")]
    link_markers: bool,
    enabled: PerProfile<bool>,
}

impl TailAfterMarker {
    pub(crate) fn from_params(params: toml::Table, profile: Profile) -> Result<Self, String> {
        let p: TailAfterMarkerParams = params_into(params)?;
        if p.paragraph_run_within.is_some() && p.max_paragraph_run_after.is_none() {
            return Err("bad params: paragraph_run_within needs max_paragraph_run_after".to_string());
        }
        let markers = regex::RegexSet::new(&p.markers).map_err(|e| format!("bad params: markers: {e}"))?;
        let first_letters = p.markers.iter().try_fold(Box::new([false; 256]), |mut all, m| {
            let bytes = super::tiers::anchored_first_bytes(m, false)?;
            for (a, b) in all.iter_mut().zip(bytes.iter()) {
                *a |= b;
            }
            Some(all)
        });
        // Most lines are judged by their first letter, past any punctuation before it: a
        // marker that may start with punctuation (`^\(\d+\) comments`) needs every line
        // normalised.
        let first_letters = first_letters.filter(|t| (0..0x80).all(|b| !t[b] || (b as u8).is_ascii_alphanumeric()));
        Ok(TailAfterMarker {
            first_words: first_words(&p.markers),
            prose_never_marker: p.prose_words > p.max_words + 2,
            markers,
            first_letters,
            max_words: p.max_words,
            max_tail_lines: p.max_tail_lines,
            min_prose_before: p.min_prose_before,
            prose_words: p.prose_words,
            removed_marker_max_prose_after: p.removed_marker_max_prose_after,
            max_paragraph_run_after: p.max_paragraph_run_after,
            paragraph_run_within: p.paragraph_run_within,
            paragraph_words: p.paragraph_words,
            prose_after_at_most_before: p.prose_after_at_most_before,
            link_markers: p.link_markers,
            enabled: p.enabled.get(profile),
        })
    }

    /// A line of at least `prose_words` words that ends like a sentence, in Chinese and
    /// Japanese too (full-width punctuation; a word per two characters, as the line
    /// features count them).
    fn is_prose(&self, line: &str) -> bool {
        self.ends_sentence_after(line, self.prose_words)
    }

    /// A line of at least `min_words` words that ends like a sentence (see `is_prose`).
    fn ends_sentence_after(&self, line: &str, min_words: usize) -> bool {
        let end = line.trim_end_matches(['*', '_', ' ', '\t']);
        let cjk_end =
            || end.trim_end_matches(['"', '\'', ')', ']', '」', '』', '）']).ends_with(['。', '！', '：', '；', '，']);
        let words = || {
            let spaced = count_words_up_to(line, min_words);
            if spaced < min_words { spaced + unspaced_words(line) } else { spaced }
        };
        (ends_like_sentence(end) || (!end.is_ascii() && cjk_end())) && words() >= min_words
    }

    /// For each line, how many lines of prose (kept ones) there are from it to the end, one
    /// more entry (0) for the end; found once a page, when a marker first asks (the
    /// guards of `removed_marker_max_prose_after` and `prose_after_at_most_before`).
    fn prose_from_each_line(&self, doc: &DocView<'_>) -> Vec<u32> {
        let mut from = vec![0u32; doc.lines.len() + 1];
        for l in (0..doc.lines.len()).rev() {
            let prose = !doc.removed[l] && !doc.is_blank(l) && self.is_prose(doc.line(l));
            from[l] = from[l + 1] + prose as u32;
        }
        from
    }

    /// Where the page's runs of more than `max` paragraphs in a row start (lines of
    /// `paragraph_words` words or more ending like a sentence, but not cut short as a
    /// teaser's summary is, with `...`; blank and removed lines aside), in order, and for
    /// each line how many kept non-blank lines come before it.
    fn paragraph_runs(&self, doc: &DocView<'_>, max: usize) -> ParagraphRuns {
        let mut runs = ParagraphRuns { starts: Vec::new(), kept_before: Vec::with_capacity(doc.lines.len() + 1) };
        let (mut kept, mut run, mut run_start) = (0u32, 0, 0);
        for l in 0..doc.lines.len() {
            runs.kept_before.push(kept);
            if doc.removed[l] || doc.is_blank(l) {
                continue;
            }
            kept += 1;
            let line = doc.line(l);
            if features::list_item_body(line.trim_start()).is_none()
                && !features::ends_cut_short(line)
                && self.ends_sentence_after(line, self.paragraph_words)
            {
                if run == 0 {
                    run_start = l;
                }
                run += 1;
                if run == max + 1 {
                    runs.starts.push(run_start);
                }
            } else {
                run = 0;
            }
        }
        runs.kept_before.push(kept);
        runs
    }

    /// Whether a run of more than `max_paragraph_run_after` paragraphs follows the marker
    /// at `marker` (within `paragraph_run_within` kept lines, when that is set).
    fn paragraphs_follow(&self, runs: &ParagraphRuns, marker: usize) -> bool {
        let next = runs.starts.partition_point(|&s| s <= marker);
        runs.starts.get(next).is_some_and(|&start| {
            let between = (runs.kept_before[start] - runs.kept_before[marker + 1]) as usize;
            self.paragraph_run_within.is_none_or(|within| between <= within)
        })
    }

    /// Whether the normalised line could start like a marker. A line that starts, past
    /// markup, with an ASCII letter is judged by that letter (normalising keeps it: it
    /// drops only markup and list numbers before it) and by the run of letters it starts.
    /// Any other line (a list number or a link number first, a pictograph, a quote, a
    /// letter inside a link target) by the first byte of its normal form, found into
    /// `scratch`: a line of digits or symbols is no marker's, once normalised, for most.
    fn may_start_marker(&self, line: &str, scratch: &mut String) -> bool {
        let bytes = line.as_bytes();
        let first = bytes.iter().position(|b| b.is_ascii_alphanumeric() || !b.is_ascii());
        // Inside parentheses, the first letter may be a link target's (`[](https://…)
        // Related`), which normalising drops.
        let in_target = first.is_some_and(|at| {
            bytes[..at].iter().rposition(|&b| b == b'(' || b == b')').is_some_and(|k| bytes[k] == b'(')
        });
        let fits = match (&self.first_letters, first) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(table), Some(at)) if bytes[at].is_ascii_alphabetic() && !in_target => {
                table[bytes[at].to_ascii_lowercase() as usize]
                    && self.first_words.as_ref().is_none_or(|words| {
                        word_may_begin(&bytes[at..], &words[(bytes[at].to_ascii_lowercase() - b'a') as usize])
                    })
            }
            (Some(table), Some(_)) => {
                normalize_head_into(line, true, scratch, 0);
                scratch.as_bytes().first().is_some_and(|&b| table[b as usize])
            }
        };
        fits && (self.link_markers || !strip_block_markers(line).starts_with('['))
    }
}

impl Detector for TailAfterMarker {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        // A marker comes after `min_prose_before` lines: a record of a line or two (a
        // comment, a title) has none, and five rules testing its lines for prose were a
        // tenth of the cleaning of one-line JSONL records.
        if !self.enabled || !doc.ends_document || doc.lines.len() <= self.min_prose_before {
            return;
        }
        let mut norm = String::new();
        let mut prose = 0;
        // Found once, when a marker first asks: scanned from each candidate marker, a page
        // of many of them was quadratic (50,000 "Popular" lines: 17 s; 50,000 removed
        // "Leave a Reply" lines: 2.3 s).
        let mut paragraph_runs = None;
        let mut prose_from = None;
        // For `explain`: the first marker a guard passed over, so that a rule author sees
        // why the tail starts where it does.
        let mut passed_over = String::new();
        for i in 0..doc.lines.len() {
            if doc.is_blank(i) || (doc.removed[i] && self.removed_marker_max_prose_after.is_none()) {
                continue;
            }
            // Judged on the raw line: normalising every line of every page cost more than
            // the rest of the pattern rules. Markup tokens (bullets, `#`) only add words.
            // Cheap tests first: words are counted only for lines that could need them.
            // A removed line is no prose, but it may be the marker.
            let line = doc.line(i);
            let counting = prose < self.min_prose_before || doc.details || !self.prose_never_marker;
            if counting && !doc.removed[i] && self.is_prose(line) {
                prose += 1;
                continue;
            }
            if prose < self.min_prose_before
                || !self.may_start_marker(line, &mut norm)
                || count_words_up_to(line, self.max_words + 3) > self.max_words + 2
            {
                continue;
            }
            normalize_into(line, true, &mut norm);
            let words = normalized_word_count(&norm);
            if words <= self.max_words && self.markers.is_match(&norm) {
                let kept_after = |from: usize| (from..doc.lines.len()).filter(|&l| !doc.removed[l] && !doc.is_blank(l));
                if doc.removed[i]
                    && let Some(max) = self.removed_marker_max_prose_after
                    && prose_from.get_or_insert_with(|| self.prose_from_each_line(doc))[i + 1] as usize > max
                {
                    if doc.details && passed_over.is_empty() {
                        let (at, lines) = (doc.line_number(i), max + 1);
                        passed_over = format!(
                            "; passed over {norm:?} (line {at}, removed before): {lines}+ lines of prose follow it"
                        );
                    }
                    continue;
                }
                if let Some(max) = self.max_paragraph_run_after
                    && self.paragraphs_follow(paragraph_runs.get_or_insert_with(|| self.paragraph_runs(doc, max)), i)
                {
                    if doc.details && passed_over.is_empty() {
                        let (at, runs) = (doc.line_number(i), max + 1);
                        let place = self
                            .paragraph_run_within
                            .map_or("follow it".to_string(), |within| format!("start within {within} lines of it"));
                        passed_over =
                            format!("; passed over {norm:?} (line {at}): {runs}+ paragraphs in a row {place}");
                    }
                    continue;
                }
                if self.prose_after_at_most_before {
                    let from = prose_from.get_or_insert_with(|| self.prose_from_each_line(doc));
                    let (before, after) = (from[0] - from[i], from[i + 1]);
                    if after > before {
                        if doc.details && passed_over.is_empty() {
                            let at = doc.line_number(i);
                            passed_over = format!(
                                "; passed over {norm:?} (line {at}): {after} lines of prose follow it, {before} come before it"
                            );
                        }
                        continue;
                    }
                }
                let tail = kept_after(i).count();
                if tail > self.max_tail_lines {
                    return;
                }
                out.push(Detection {
                    lines: i..doc.lines.len(),
                    detail: if doc.details {
                        format!(
                            "from {norm:?} to the end ({tail} non-blank lines not removed before), after {prose} lines of prose{passed_over}"
                        )
                    } else {
                        String::new()
                    },
                });
                return;
            }
        }
    }
}

/// The runs of paragraphs of a page (see `TailAfterMarker::paragraph_runs`), found once a
/// page, when a marker first asks.
struct ParagraphRuns {
    /// The first line of each run of more than `max_paragraph_run_after` paragraphs.
    starts: Vec<usize>,
    /// Kept non-blank lines before each line, one more entry for the end.
    kept_before: Vec<u32>,
}

mod defaults {
    pub fn max_words() -> usize {
        12
    }
    pub fn min_prose_before() -> usize {
        2
    }
    pub fn prose_words() -> usize {
        30
    }
    pub fn paragraph_words() -> usize {
        15
    }
}

/// The runs of ASCII letters that the markers' literal prefixes start with (lower-cased,
/// as the markers are): a line whose first letter is an ASCII one normalises to that
/// letter after at most some ASCII punctuation, so only these runs can begin a match. A
/// run the prefix goes on after (`i ` of `^i commenti`) is a whole word: a line's longer
/// run (`In`, `It`) cannot begin that match, since normalising never splits a run of
/// ASCII letters. A prefix that starts with a digit or a non-ASCII character matches no
/// such line.
/// Nor does a marker without a finite set of prefixes whose first character is never an
/// ASCII letter or punctuation (`^\d+ comments`). `None` (no test) when another marker has
/// no finite set of prefixes, or one starts with punctuation.
fn first_words(markers: &[String]) -> Option<FirstWords> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut words: FirstWords = Default::default();
    for marker in markers {
        let hir = regex_syntax::ParserBuilder::new().build().parse(marker).ok()?;
        let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let Some(literals) = prefixes.literals() else {
            let first = super::tiers::anchored_first_bytes(marker, false)?;
            if (0..0x80u8).any(|b| first[b as usize] && !b.is_ascii_digit()) {
                return None;
            }
            continue;
        };
        for literal in literals {
            let bytes = literal.as_bytes();
            match bytes.first() {
                Some(b) if b.is_ascii_lowercase() => {
                    let run = bytes.iter().take_while(|b| b.is_ascii_lowercase()).count();
                    let word = FirstWord { letters: bytes[..run].into(), whole: run < bytes.len() };
                    words[(b - b'a') as usize].push(word);
                }
                Some(b) if b.is_ascii_digit() || !b.is_ascii() => {}
                _ => return None,
            }
        }
    }
    for same_letter in &mut words {
        same_letter.sort();
        same_letter.dedup();
    }
    Some(words)
}

/// Runs of lower-case ASCII letters, by their first letter.
type FirstWords = [Vec<FirstWord>; 26];

/// The run of ASCII letters a marker's literal prefix starts with.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct FirstWord {
    letters: Box<[u8]>,
    /// The prefix goes on after the run with something else than a letter: the line's
    /// first word must be the run itself, not a longer word.
    whole: bool,
}

/// Whether the line whose first letter starts `rest` may normalise to a line that begins
/// with one of `words` (see `first_words`). Its run of ASCII letters is all of its
/// normalised first word unless normalising can join more to it: markup (`*`, `` ` ``,
/// `[`, `]`, `!`, `~`, `_`) or a non-ASCII character after it.
fn word_may_begin(rest: &[u8], words: &[FirstWord]) -> bool {
    let run = rest.iter().position(|b| !b.is_ascii_alphabetic()).unwrap_or(rest.len());
    let may_go_on = rest.get(run).is_some_and(|&b| !b.is_ascii() || b"*`[]!~_".contains(&b));
    let word = &rest[..run];
    let lower = |a: &[u8], b: &[u8]| a.iter().zip(b).all(|(x, y)| x.to_ascii_lowercase() == *y);
    words.iter().any(|FirstWord { letters: w, whole }| {
        let long_enough = if *whole { word.len() == w.len() } else { word.len() >= w.len() };
        (long_enough && lower(&word[..w.len()], w)) || (may_go_on && w.len() > word.len() && lower(word, w))
    })
}

/// Words of the scripts written without spaces (`features::unspaced_word_chars`): none
/// in an ASCII line, which is checked first.
fn unspaced_words(line: &str) -> usize {
    if line.is_ascii() {
        return 0;
    }
    // In twelfths of a word: a character of a script of 2 or 4 characters a word is 6 or 3.
    let twelfths: usize = line.chars().filter_map(features::unspaced_word_chars).map(|per_word| 12 / per_word).sum();
    twelfths / 12
}

/// Space- or tab-separated tokens of `line`, counted up to `cap`. This runs on lines of
/// every page: a token is counted where it starts, a chunk of bytes at a time (a loop the
/// compiler vectorises), and long lines stop early.
fn count_words_up_to(line: &str, cap: usize) -> usize {
    // At most 64 starts per chunk: a byte counter, which the compiler vectorises.
    const CHUNK: usize = 64;
    let sep = |b: u8| b == b' ' || b == b'\t';
    let b = line.as_bytes();
    let mut words = b.first().is_some_and(|&c| !sep(c)) as usize;
    let mut at = 1;
    while at < b.len() && words < cap {
        let end = (at + CHUNK).min(b.len());
        let starts =
            b[at..end].iter().zip(&b[at - 1..end - 1]).fold(0u8, |n, (&c, &prev)| n + (sep(prev) & !sep(c)) as u8);
        words += starts as usize;
        at = end;
    }
    words.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::build;
    use crate::engine::detectors::tests::{ARTICLE, run, run_after_rules};

    #[test]
    fn words_are_counted_up_to_the_cap() {
        let long = "word ".repeat(70) + "\tlast";
        for line in ["", " ", "a", " a  b\tc ", "\t\tx y", "one two three", long.as_str(), ARTICLE] {
            let all = line.split([' ', '\t']).filter(|t| !t.is_empty()).count();
            for cap in [1, 3, 30, 100] {
                assert_eq!(count_words_up_to(line, cap), all.min(cap), "{line:?} cap {cap}");
            }
        }
    }

    /// The shipped `tail-after-marker` rules, built with their markers only (every other
    /// setting at its default), and the markers.
    fn shipped_marker_rules() -> Vec<(TailAfterMarker, Vec<String>)> {
        let pack: toml::Table = toml::from_str(include_str!("../../rules/generic/structure.toml")).unwrap();
        let rules =
            pack["rule"].as_array().unwrap().iter().filter(|r| r["detector"].as_str() == Some("tail-after-marker"));
        rules
            .map(|r| {
                let markers = &r["params"]["markers"];
                let rule = TailAfterMarker::from_params(params_with(&markers.to_string(), ""), Profile::Balanced);
                let markers = markers.as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
                (rule.unwrap(), markers)
            })
            .collect()
    }

    /// The first-letter and first-word tests only turn away lines that no marker matches
    /// once normalised: every line of the fixtures and probe pages, and marker headings
    /// written in the ways markup, case, numbering, quotes and invisible characters vary.
    #[test]
    fn lines_turned_away_unnormalised_match_no_marker() {
        let rules = shipped_marker_rules();
        assert!(rules.len() >= 5);
        assert!(rules.iter().filter(|(r, _)| r.first_words.is_some()).count() >= 4, "the word test is in use");
        let mut lines: Vec<String> = Vec::new();
        for dir in ["tests/fixtures", "tests/data/probes"] {
            for file in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/").to_string() + dir).unwrap() {
                lines.extend(std::fs::read_to_string(file.unwrap().path()).unwrap().lines().map(String::from));
            }
        }
        for heading in ["Related posts", "You may also like", "Leave a Reply", "Editor's picks", "3 thoughts on x"] {
            let (first, rest) = heading.split_at(3);
            for variant in [
                heading.to_string(),
                heading.to_uppercase(),
                format!("## {heading}"),
                format!("**{heading}**"),
                format!("[{heading}](#)"),
                format!("1. {heading}"),
                format!("[12]{heading}"),
                format!("\u{2605} {heading}"),
                format!("\u{1F50A}\u{200D}{heading}"),
                format!("  10) **{heading}**"),
                format!("{first}*{rest}"),
                format!("{first}`{rest}"),
                format!("{first}\u{200B}{rest}"),
                format!("\u{201C}{heading}\u{201D}"),
                format!("{heading}:"),
                heading.replace(' ', "  "),
                heading.replace('\'', "\u{2019}"),
                format!("[](https://example.com/icon) {heading}"),
                format!("[![](https://example.com/a.png)](https://example.com/) {heading}"),
            ] {
                lines.push(variant);
            }
        }
        let mut norm = String::new();
        let (mut turned_away, mut matched) = (0, 0);
        for (rule, markers) in &rules {
            let set = regex::RegexSet::new(markers).unwrap();
            for line in &lines {
                normalize_into(line, true, &mut norm);
                let matches = set.is_match(&norm);
                matched += matches as usize;
                if !rule.may_start_marker(line, &mut String::new()) {
                    assert!(!matches, "{line:?} turned away, yet it normalises to {norm:?}, a marker");
                    turned_away += 1;
                }
            }
        }
        assert!(matched > 40 && turned_away > lines.len(), "{matched} matched, {turned_away} turned away");
    }

    /// A record shorter than the prose a marker needs before it is passed over whole, and
    /// one just long enough is still looked at.
    #[test]
    fn a_marker_may_end_the_shortest_record_that_can_hold_one() {
        let one_line_of_prose = with_markers("['^leave a reply$']", "min_prose_before = 1");
        let found = run(one_line_of_prose.as_ref(), &format!("{PROSE}\nLeave a Reply"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines, 1..2, "from the marker to the end");
        assert!(run(one_line_of_prose.as_ref(), "Leave a Reply").is_empty());
        let two_lines = with_markers("['^leave a reply$']", "");
        assert_eq!(run(two_lines.as_ref(), &format!("{PROSE}\n{PROSE}\nLeave a Reply")).len(), 1);
    }

    /// The first-letter and first-word tests hold only for markers anchored at the line's
    /// start and starting with a letter or digit: other markers have every line looked at.
    #[test]
    fn markers_the_first_letter_cannot_tell_look_at_every_line() {
        let rule = |markers: &str| TailAfterMarker::from_params(params_with(markers, ""), Profile::Balanced).unwrap();
        let mut scratch = String::new();
        for (markers, line) in [
            (r"['^\(\d+\) comments']", "(3) Comments"),
            (r"['^\(\d+\) comments']", "**(3) Comments**"),
            (r#"['^"related']"#, "\"Related posts\""),
            (r"['comments$', '^related']", "Show comments"),
            (r"['^related', 'responses']", "3 responses"),
        ] {
            let rule = rule(markers);
            assert!(rule.markers.is_match(&crate::engine::normalize::lowercase(line.trim_matches('*'))));
            assert!(rule.may_start_marker(line, &mut scratch), "{markers}: {line:?} turned away");
        }
        // Anchored markers that start with a letter: a line of another letter is not looked at.
        assert!(!rule("['^related', '^\\d+ comments']").may_start_marker("Show comments", &mut scratch));
    }

    #[test]
    fn first_words_come_from_the_markers_literal_prefixes() {
        let words = |markers: &[&str]| {
            first_words(&markers.iter().map(|m| m.to_string()).collect::<Vec<_>>()).map(|w| {
                let word = |w: &FirstWord| String::from_utf8(w.letters.to_vec()).unwrap() + ["", "$"][w.whole as usize];
                w.iter().flatten().map(word).collect::<Vec<_>>()
            })
        };
        assert_eq!(
            words(&["^(popular|more) (posts|stories)$", r"^editor'?s'? picks", r"^\d+ comments", "^ähnliche artikel"]),
            Some(["editor$", "editors$", "more$", "popular$"].map(String::from).to_vec())
        );
        assert_eq!(
            words(&["^i commenti", "^l['’]articolo", "^you(r)? may", r"^recommend\w* for"]),
            Some(["i$", "l$", "recommend", "you$", "your$"].map(String::from).to_vec()),
            "a run the prefix goes on after is a whole word; `recommend` may be `recommended`"
        );
        assert_eq!(words(&["^\"quoted\""]), None, "punctuation first");
        assert_eq!(words(&["^[a-z]+ comments"]), None, "no finite set of prefixes");
        let prefix = |w: &[u8]| [FirstWord { letters: w.into(), whole: false }];
        let whole = |w: &[u8]| [FirstWord { letters: w.into(), whole: true }];
        assert!(word_may_begin(b"Related posts", &prefix(b"related")));
        assert!(word_may_begin(b"Rel*ated", &prefix(b"related")), "markup may join the word");
        assert!(!word_may_begin(b"Rel ated", &prefix(b"related")));
        assert!(!word_may_begin(b"Really", &prefix(b"related")));
        assert!(word_may_begin(b"Yourself", &prefix(b"you")));
        assert!(word_may_begin(b"I commenti", &whole(b"i")));
        assert!(word_may_begin(b"I*n*", &whole(b"i")), "markup may join more letters: looked at closer");
        assert!(!word_may_begin(b"In the end", &whole(b"i")), "a longer word");
        assert!(!word_may_begin(b"Its", &whole(b"i")));
    }

    #[test]
    fn tail_after_marker_cuts_after_prose_but_not_a_concatenation_or_a_menu() {
        let params = |max_tail_lines: i64| {
            let mut t: toml::Table = toml::from_str(
                "markers = ['^leave a reply$']\nenabled = { conservative = false, balanced = true, aggressive = true }",
            )
            .unwrap();
            t.insert("max_tail_lines".into(), max_tail_lines.into());
            t
        };
        let prose = PROSE;
        let d = build("tail-after-marker", &params(600), Profile::Balanced).unwrap();
        let page = format!("{prose}\n\n{prose}\n\n## Leave a Reply\n\nJane says: nice.\n");
        let found = run(d.as_ref(), &page);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines, 4..7);
        assert!(found[0].detail.contains("after 2 lines of prose"), "{}", found[0].detail);
        // The same words as a menu link before the article: no prose before it yet.
        assert!(run(d.as_ref(), &format!("[Leave a reply](#)\n\n{prose}\n\n{prose}\n")).is_empty());
        // More lines after the marker than a page's tail: several pages in one text.
        let small = build("tail-after-marker", &params(3), Profile::Balanced).unwrap();
        assert!(run(small.as_ref(), &format!("{page}{page}")).is_empty());
        // Off in the profiles that say so.
        let off = build("tail-after-marker", &params(600), Profile::Conservative).unwrap();
        assert!(run(off.as_ref(), &page).is_empty());
    }

    /// A paragraph of prose: 30 words or more, ending like a sentence.
    const PROSE: &str = "The council voted on Tuesday to close the old bridge to cars from next spring, after \
                         engineers warned the city last year that the steel frame under its deck had corroded badly.";

    /// The detector with `markers` (a TOML array of patterns), on in every profile, and
    /// `extra` settings (TOML lines).
    fn with_markers(markers: &str, extra: &str) -> Box<dyn Detector> {
        build("tail-after-marker", &params_with(markers, extra), Profile::Balanced).unwrap()
    }

    /// The parameters `with_markers` builds the detector from.
    fn params_with(markers: &str, extra: &str) -> toml::Table {
        toml::from_str(&format!(
            "markers = {markers}\nenabled = {{ conservative = true, balanced = true, aggressive = true }}\n{extra}"
        ))
        .unwrap()
    }

    #[test]
    fn tail_after_marker_may_start_at_a_line_a_rule_removed_but_not_at_a_link() {
        let build_with = |extra: &str| with_markers("['^leave a reply$', '^leave a comment$']", extra);
        let prose = PROSE;
        // Two lines of article, the heading (line 4), three comments.
        let page = format!("{prose}\n\n{prose}\n\n## Leave a Reply\n\n{prose}\n\n{prose}\n\n{prose}\n");
        // By default a heading a rule removed is passed over.
        assert!(run_after_rules(build_with("").as_ref(), &page, &[4]).is_empty());
        // With the setting it opens the tail, when few enough prose lines follow it.
        let any = build_with("removed_marker_max_prose_after = 600");
        let found = run_after_rules(any.as_ref(), &page, &[4]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines, 4..11);
        let two = build_with("removed_marker_max_prose_after = 2");
        assert!(run_after_rules(two.as_ref(), &page, &[4]).is_empty(), "three prose lines follow");
        assert_eq!(run(two.as_ref(), &page).len(), 1, "a heading no rule removed counts whatever follows");
        // A later heading opens it, and `explain` says why the first did not.
        let later = run_after_rules(two.as_ref(), &format!("{page}\n## Leave a comment\n\nNice.\n"), &[4]);
        assert_eq!(later[0].lines.start, 12);
        let why = &later[0].detail;
        assert!(
            why.ends_with(r#"; passed over "leave a reply" (line 5, removed before): 3+ lines of prose follow it"#),
            "{why}"
        );
        // A link is a marker unless `link_markers = false`.
        let link = page.replace("## Leave a Reply", "[Leave a comment](#)");
        assert_eq!(run(any.as_ref(), &link).len(), 1);
        assert!(run(build_with("link_markers = false").as_ref(), &link).is_empty());
    }

    #[test]
    fn a_marker_followed_by_paragraphs_in_a_row_is_a_box_in_the_article() {
        let build_with = |extra: &str| with_markers("['^trending$', '^latest news$']", extra);
        let prose = PROSE;
        // Paragraphs of 15-29 words: too short for prose before a marker, but the article's.
        let short = "Engineers will replace the two worst girders first, closing the deck to walkers for six weeks.";
        let teasers = "Ferry to resume in May\nA new service could run from the old pier by the spring, operators say.\n\
                       Library hours to change\nThe central library will open later on Mondays from January, the council said.\n";
        // Two lines of article, a "Trending" box (line 4), three more paragraphs of the
        // article, then the tail (line 14): teasers, a headline between their summaries.
        let page = format!(
            "{prose}\n\n{prose}\n\nTrending\n\nFerry to resume in May\n\n{short}\n\n{short}\n\n{prose}\n\n\
             Latest news\n\n{teasers}"
        );
        assert_eq!(run(build_with("").as_ref(), &page)[0].lines.start, 4, "unbounded: the first marker");
        let found = run(build_with("max_paragraph_run_after = 2").as_ref(), &page);
        assert_eq!(found.len(), 1, "{page}");
        assert_eq!(found[0].lines.start, 14, "three paragraphs in a row after the box");
        let why = &found[0].detail;
        assert!(why.ends_with(r#"; passed over "trending" (line 5): 3+ paragraphs in a row follow it"#), "{why}");
        assert_eq!(run(build_with("max_paragraph_run_after = 3").as_ref(), &page)[0].lines.start, 4);
        // Longer paragraphs count only from `paragraph_words` words.
        let long_only = build_with("max_paragraph_run_after = 2\nparagraph_words = 30");
        assert_eq!(run(long_only.as_ref(), &page)[0].lines.start, 4);
        // Without blank lines (a WET record) the same.
        let wet: String = page.lines().filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
        assert_eq!(run(build_with("max_paragraph_run_after = 2").as_ref(), &wet)[0].lines.start, 7, "{wet}");
    }

    #[test]
    fn only_paragraphs_close_after_a_marker_keep_it_from_counting_with_paragraph_run_within() {
        let build_with =
            |extra: &str| with_markers("['^most read$']", &format!("max_paragraph_run_after = 2\n{extra}"));
        let start = |d: &dyn Detector, page: &str| run(d, page).first().map(|found| found.lines.start);
        let prose = PROSE;
        let menu: String = (1..=25).map(|n| format!("[Section {n}](#)\n")).collect();
        // A "Most read" list (line 4), 25 menu lines, then a terms-of-use text of three
        // paragraphs: far below the marker.
        let page = format!("{prose}\n\n{prose}\n\nMost read\n\n{menu}\n{prose}\n\n{prose}\n\n{prose}\n");
        assert!(run(build_with("").as_ref(), &page).is_empty(), "anywhere after it: no marker");
        let within = build_with("paragraph_run_within = 20");
        assert_eq!(start(within.as_ref(), &page), Some(4), "{page}");
        // 25 kept lines between the marker and the run.
        assert_eq!(start(build_with("paragraph_run_within = 24").as_ref(), &page), Some(4));
        assert_eq!(start(build_with("paragraph_run_within = 25").as_ref(), &page), None);
        // The article going on right after a small box: no marker, within 20 or not.
        let boxed =
            format!("{prose}\n\n{prose}\n\nMost read\n\nFerry to resume in May\n\n{prose}\n\n{prose}\n\n{prose}\n");
        assert!(run(within.as_ref(), &boxed).is_empty(), "{boxed}");
        // Numbered teasers, a headline and its summary on one line, are list items, not paragraphs.
        let ranked: String = (1..=4).map(|n| format!("{n}. Ferry news {n} {prose}\n")).collect();
        let ranked_page = format!("{prose}\n\n{prose}\n\nMost read\n{ranked}");
        assert_eq!(start(within.as_ref(), &ranked_page), Some(4), "{ranked_page}");
        let unnumbered = ranked_page.replace(". Ferry", " Ferry");
        assert!(run(within.as_ref(), &unnumbered).is_empty(), "{unnumbered}");
        let params = |extra: &str| params_with("['^x$']", extra);
        assert!(build("tail-after-marker", &params("max_paragraph_run_after = 2"), Profile::Balanced).is_ok());
        let alone = build("tail-after-marker", &params("paragraph_run_within = 3"), Profile::Balanced);
        assert!(alone.is_err_and(|e| e.contains("needs max_paragraph_run_after")), "a window needs a run length");
    }

    #[test]
    fn a_marker_with_more_prose_after_it_than_before_is_in_the_article() {
        let build_with = |extra: &str| with_markers("['^why trust us\\?$', '^sources$']", extra);
        let guarded = build_with("prose_after_at_most_before = true");
        let prose = PROSE;
        let item = "  * Coverage for preexisting conditions with select plans";
        // Two paragraphs, a "Why trust us?" box (line 4), then the review: a list and
        // three paragraphs apart from each other, no paragraphs in a row.
        let review = format!("{prose}\n{item}\n{item}\n{prose}\n{item}\n{prose}\n");
        let page = format!("{prose}\n\n{prose}\n\nWhy trust us?\n\n{review}");
        assert_eq!(run(build_with("").as_ref(), &page).first().map(|f| f.lines.start), Some(4), "unguarded");
        assert!(run(guarded.as_ref(), &page).is_empty(), "3 lines of prose after it, 2 before");
        // As many after as before: the tail goes.
        let even = page.replacen(&format!("{prose}\n{item}\n{item}\n"), &format!("{item}\n{item}\n"), 1);
        assert_eq!(run(guarded.as_ref(), &even).first().map(|f| f.lines.start), Some(4), "{even}");
        // A later marker with less prose after it opens the tail, and `explain` says why the
        // first did not count.
        let later = run(guarded.as_ref(), &format!("{page}\nSources\n\n{prose}\n"));
        assert_eq!(later.first().map(|f| f.lines.start), Some(13));
        let why = &later[0].detail;
        assert!(
            why.ends_with(r#"; passed over "why trust us?" (line 5): 4 lines of prose follow it, 2 come before it"#),
            "{why}"
        );
        // Removed lines are no prose: without two of the three after it, the first marker counts.
        assert_eq!(run_after_rules(guarded.as_ref(), &page, &[6, 9]).first().map(|f| f.lines.start), Some(4));
    }

    #[test]
    fn teasers_cut_short_are_not_the_article_going_on() {
        let guarded = with_markers("['^about the author$']", "max_paragraph_run_after = 2");
        let prose = PROSE;
        // An author's bio (line 4), then teasers whose headline and summary are glued into
        // one line that reads as a paragraph, each summary cut short.
        let teaser = |n: usize| {
            format!(
                "Guide {n} to the islandsLearn all you need to know about the islands in one long guide for visitors who..."
            )
        };
        let teasers: String = (1..=4).map(|n| format!("{}\n\n", teaser(n))).collect();
        let page = format!("{prose}\n\n{prose}\n\nAbout the author\n\n{prose}\n\n{teasers}");
        let found = run(guarded.as_ref(), &page);
        assert_eq!(found.first().map(|f| f.lines.start), Some(4), "{page}");
        // The same lines ending like a sentence are paragraphs: the article going on.
        let ended = page.replace("visitors who...", "visitors.");
        assert!(run(guarded.as_ref(), &ended).is_empty(), "{ended}");
        // With `…`, and with markup after it.
        assert_eq!(run(guarded.as_ref(), &page.replace("who...", "who…")).len(), 1);
        assert_eq!(run(guarded.as_ref(), &page.replace("who...", "who...**")).len(), 1);
    }

    #[test]
    fn tail_after_marker_counts_chinese_prose() {
        let params: toml::Table = toml::from_str(
            "markers = ['^发表回复']\nenabled = { conservative = true, balanced = true, aggressive = true }",
        )
        .unwrap();
        let d = build("tail-after-marker", &params, Profile::Balanced).unwrap();
        // 64 characters, 32 words as the line features count them, ending in a full stop.
        let prose = "北京市交通委员会周二表示，今年将在城区新建十条自行车专用道，总长度超过一百公里，\
                     预计年底前全部完工。新建的专用道将全部采用彩色路面，并设置隔离护栏和指示牌。";
        let page = format!("{prose}\n\n{prose}\n\n### 发表回复\n\n张先生说：好消息。\n");
        let found = run(d.as_ref(), &page);
        assert_eq!(found.len(), 1, "{page}");
        assert_eq!(found[0].lines, 4..7);
        // Without its full stop a paragraph is not prose; half as long, it is too short.
        let unended = page.replace("指示牌。", "指示牌");
        assert!(run(d.as_ref(), &unended).is_empty());
        let half: String = prose.chars().take(prose.chars().count() / 2).collect();
        let short = page.replace(prose, &half);
        assert!(run(d.as_ref(), &short).is_empty());
    }
}
