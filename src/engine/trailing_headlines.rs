//! The `trailing-headlines` detector: the "Top News" list after an article.

use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, ends_like_sentence, params_into, without_closers};
use super::features;
use super::normalize::{normalize_into, normalized_word_count};

/// Trailing headline lists. From the end of the document upwards, collect the run of
/// short lines (at most `max_words` words) that follows the last long line; drop it
/// from its first headline-like line (short, not ending like a sentence) when it holds
/// at least `min_lines` headline-like lines making up at least `min_share` of the run.
/// Nothing is dropped unless a long (article) line comes before the run, and one that
/// ends in a colon announces a list of the article's own; nor when fewer than
/// `min_article_lines` long lines come before it: a page of one paragraph and a list (an
/// event's programme, a podcast's chapters, a band's records) is about its list. A story
/// told in short paragraphs goes on into the run, which is judged after them (see
/// `short_paragraphs_end`). The cut starts past headings that sit right above an unlinked
/// list item: those are sections of the article's own.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct TrailingHeadlines {
    #[serde(default = "defaults::min_lines")]
    pub min_lines: usize,
    #[serde(default = "defaults::max_words")]
    pub max_words: usize,
    #[serde(default = "defaults::min_share")]
    pub min_share: f64,
    #[serde(default = "defaults::min_article_lines")]
    pub min_article_lines: usize,
    /// Lines that name the list under them without a colon ("Pros", "Cons",
    /// "Ingredients"), compared lower-cased with markup and a final `:` aside: the list is
    /// the article's, as one a label with a colon introduces.
    #[serde(default)]
    pub list_labels: Vec<String>,
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
    pub fn min_article_lines() -> usize {
        2
    }
}

impl TrailingHeadlines {
    pub(crate) fn from_params(params: toml::Table) -> Result<Self, String> {
        let mut d: Self = params_into(params)?;
        // Normalised as the lines they are compared with: a pack's `What’s in the box`
        // matches the line as `what's in the box` does.
        for label in &mut d.list_labels {
            let mut normalized = String::new();
            normalize_into(label.trim_end_matches(':'), true, &mut normalized);
            *label = normalized;
        }
        if d.min_lines == 0 || d.max_words == 0 || !(0.0..=1.0).contains(&d.min_share) {
            return Err("bad params: min_lines and max_words must be at least 1, min_share within 0..1".into());
        }
        Ok(d)
    }
}

/// A list item without a link: a list of the article's own (release notes, steps,
/// ingredients). A list of headlines or a menu links its items.
fn is_plain_list_item(line: &str) -> bool {
    features::list_item_body(line.trim_start()).is_some_and(|body| !body.contains("]("))
}

/// Line `i`'s sentence goes on at the start of the next line, with no blank line between:
/// a paragraph wrapped at a fixed width (html2text, `lynx -dump`, mail), whose lines are
/// short and end without punctuation like headlines, but a headline's successor starts a
/// headline of its own, with a capital.
fn runs_on(doc: &DocView<'_>, i: usize) -> bool {
    i + 1 < doc.lines.len()
        && !doc.is_blank(i + 1)
        && doc.line(i + 1).trim_start().chars().next().is_some_and(char::is_lowercase)
}

impl Detector for TrailingHeadlines {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        let mut norm = String::new();
        // The short run at the end, bottom-up.
        let mut run: Vec<ShortLine> = Vec::new();
        let mut article_line_before = None;
        for i in (0..doc.lines.len()).rev() {
            if doc.removed[i] || doc.is_blank(i) {
                continue;
            }
            normalize_into(doc.line(i), true, &mut norm);
            if norm.is_empty() {
                continue;
            }
            if normalized_word_count(&norm) > self.max_words {
                // A paragraph that ends in a colon announces the list after it ("Here
                // are the offers:"): the list is the article's.
                article_line_before = (!norm.trim_end().ends_with(':')).then_some(i);
                break;
            }
            let label = norm.trim_end_matches(':');
            let named_list = self.list_labels.iter().any(|l| label == l);
            let headline = !ends_like_sentence(&norm) && !is_plain_list_item(doc.line(i)) && !runs_on(doc, i);
            run.push(ShortLine { line: i, headline, sentence: is_sentence(&norm), named_list });
        }
        let Some(article_line) = article_line_before else {
            return;
        };
        run.reverse();
        block_of_the_article_is_not_headlines(doc, article_line, &mut run);
        introduced_lists_are_not_headlines(doc, &mut run);
        numbered_series_are_not_headlines(doc, &mut run);
        data_lines_are_not_headlines(doc, &mut run);
        let article_end = short_paragraphs_end(&run);
        let Some(first) = run[article_end..].iter().position(|l| l.headline).map(|k| article_end + k) else {
            return;
        };
        let zone = &run[first..];
        let headlines = zone.iter().filter(|l| l.headline).count();
        let share = headlines as f64 / zone.len() as f64;
        if headlines >= self.min_lines && share >= self.min_share && self.enough_article_above(doc, article_line) {
            // The zone is judged whole, but the cut passes over headings of the article's
            // own lists: a heading right above an unlinked list item opens a section
            // (a permit office's "Typical Projects Requiring Inspections" over "Building",
            // "Electrical"), and the footer's links start at the next headline-like line.
            let opens_own_list = |k: usize| run.get(k + 1).is_some_and(|l| is_plain_list_item(doc.line(l.line)));
            let start = (first..run.len()).find(|&k| run[k].headline && !opens_own_list(k)).unwrap_or(first);
            out.push(Detection {
                lines: run[start].line..doc.lines.len(),
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

impl TrailingHeadlines {
    /// Whether `min_article_lines` long lines, `article_line` the last of them, come before
    /// the run. Asked only of a run about to be cut: the look goes up the page.
    fn enough_article_above(&self, doc: &DocView<'_>, article_line: usize) -> bool {
        // The others needed above it; with a limit of 0 or 1, `article_line` is enough.
        let Some(others) = self.min_article_lines.checked_sub(2) else {
            return true;
        };
        let mut norm = String::new();
        (0..article_line)
            .rev()
            .filter(|&i| !doc.removed[i] && !doc.is_blank(i))
            .filter(|&i| {
                normalize_into(doc.line(i), true, &mut norm);
                normalized_word_count(&norm) > self.max_words
            })
            .nth(others)
            .is_some()
    }
}

/// A line of the short run at a document's end, as [`TrailingHeadlines`] reads it.
struct ShortLine {
    line: usize,
    /// Short, not ending like a sentence, not a plain list item, not running on.
    headline: bool,
    /// A sentence of some length, see [`is_sentence`].
    sentence: bool,
    /// One of the detector's `list_labels` ("Pros", "Ingredients"), headline-like unless
    /// the block under it is taken for its list.
    named_list: bool,
}

/// At least [`SENTENCE_MIN_WORDS`] words ending in `.` or `!` (closing quotes and brackets
/// ignored): a line of prose, not a headline, a label or "He declined to comment."
fn is_sentence(normalized: &str) -> bool {
    let trimmed = without_closers(normalized);
    trimmed.ends_with(['.', '!']) && normalized_word_count(trimmed) >= SENTENCE_MIN_WORDS
}

const SENTENCE_MIN_WORDS: usize = 8;

/// Where a story told in short paragraphs (each under the run's word limit, as local news
/// and wire copy often are) ends in the short run (top-down): past the last of its
/// paragraphs, two or more sentences in a row, chained from the run's start with at most
/// one headline-like line (a subheading) between one and the next. 0 when the run does not
/// start that way. A footer's sentences ("By clicking Subscribe you agree…") come after
/// its headlines, not before them, so they do not count.
fn short_paragraphs_end(run: &[ShortLine]) -> usize {
    let (mut end, mut k, mut headlines_since) = (0, 0, 0);
    while k < run.len() {
        let sentences = run[k..].iter().take_while(|l| l.sentence).count();
        if sentences >= 2 {
            k += sentences;
            end = k;
            headlines_since = 0;
            continue;
        }
        if run[k].headline {
            headlines_since += 1;
            if headlines_since > 1 {
                break;
            }
        }
        k += 1;
    }
    end
}

/// Whether the text has blank lines, and so blocks between them: a WET record has none.
fn has_blank_lines(doc: &DocView<'_>) -> bool {
    (0..doc.lines.len()).any(|i| doc.is_blank(i))
}

/// Lines of a short run (top-down) that go on from the article's last long line without a
/// blank line between: the rest of its block (a list whose items the converter wrote as
/// lines of one paragraph, a changelog's last entries). A footer's headlines come in blocks
/// of their own. A text without blank lines (a WET record) has no blocks: nothing there.
fn block_of_the_article_is_not_headlines(doc: &DocView<'_>, article_line: usize, run: &mut [ShortLine]) {
    if !has_blank_lines(doc) {
        return;
    }
    let mut previous = article_line;
    for l in run.iter_mut() {
        if l.line != previous + 1 {
            return;
        }
        l.headline = false;
        previous = l.line;
    }
}

/// Lines of a short run (top-down) that a label ending in a colon ("Key points:") or one
/// of the detector's `list_labels` ("Pros") introduces: the block after it, up to the next
/// blank line and at most [`INTRODUCED_LIST_LINES`] lines, is the article's list, as a list
/// item is. Without its markers (plain text), a list of the article's own looks like a list
/// of headlines. Only labels before the run's first headline-like line count: after it,
/// "Articles:" or "Tags:" introduce the footer's lists.
fn introduced_lists_are_not_headlines(doc: &DocView<'_>, run: &mut [ShortLine]) {
    let mut k = 0;
    while k < run.len() {
        // A named label is headline-like until its list is found to be one block.
        if run[k].headline && !run[k].named_list {
            return;
        }
        // A heading names a section ("## Other Posts:"); a label introduces a list.
        let label = doc.line(run[k].line).trim().trim_end_matches(['*', '_']);
        if !run[k].named_list && (!label.ends_with(':') || label.starts_with('#')) {
            k += 1;
            continue;
        }
        // The list is one block: it ends at a blank line after its first line, or with the
        // text. A text without blank lines (a WET record) has no blocks, and nothing there
        // tells the list from the footer after it.
        let mut end = k + 1;
        while end < run.len() && (end == k + 1 || !(run[end - 1].line + 1..run[end].line).any(|i| doc.is_blank(i))) {
            end += 1;
        }
        let ended = end < run.len() || has_blank_lines(doc);
        if ended && end - k - 1 <= INTRODUCED_LIST_LINES {
            run[k..end].iter_mut().for_each(|l| l.headline = false);
        } else if run[k].headline {
            return;
        }
        k = end;
    }
}

/// Lines of a short run that count on from the line before them with the same word
/// ("Week 1: Introduction", "Week 2: Cotton and the factory system", …; "Day 3 – Lisbon",
/// "Step 4 Fit the tyre"), at least [`OWN_RUN_MIN_LINES`] in a row: a schedule or steps of
/// the article's own, whose list markers a converter left out (or that never had any).
/// Each line needs words after its number (bare "Page 2" is pagination) and no link: a
/// series of linked parts is a series' navigation.
fn numbered_series_are_not_headlines(doc: &DocView<'_>, run: &mut [ShortLine]) {
    let labels: Vec<Option<(&str, u32)>> = run.iter().map(|l| numbered_label(doc.line(l.line))).collect();
    let counts_on = |k: usize| match (labels[k - 1], labels[k]) {
        (Some((word, n)), Some((next, m))) => {
            m == n + 1 && word.chars().flat_map(char::to_lowercase).eq(next.chars().flat_map(char::to_lowercase))
        }
        _ => false,
    };
    not_headlines_in_runs(run, counts_on);
}

/// Lines of a short run that each give a label and its value ("Director: Hanna Lind",
/// "Running time: 104 minutes", "Where: Hollins Park") or a row of figures ("1 Millbrook
/// 14 9 3 2 30"), at least [`OWN_RUN_MIN_LINES`] in a row and without links: a review's
/// credits, a story's "If you go" box, a league table. On the dev pages three or more such
/// lines in a row are mostly content (label and value: a company's facts, an e-mail's
/// headers, ticket prices, 1,575 CONTENT tokens against 98 CHROME; rows of figures: tables,
/// 1,202 against 432, the CHROME ones tables the gold leaves out); in the runs this
/// detector judges there are none, only single dates and phone numbers between headlines.
fn data_lines_are_not_headlines(doc: &DocView<'_>, run: &mut [ShortLine]) {
    let data: Vec<bool> = run
        .iter()
        .map(|l| {
            let line = doc.line(l.line);
            !line.contains("](") && (is_fact_line(line) || is_row_of_figures(line) || is_quantity_line(line))
        })
        .collect();
    not_headlines_in_runs(run, |k| data[k - 1] && data[k]);
}

/// Marks as not headline-like each stretch of at least [`OWN_RUN_MIN_LINES`] lines of the
/// run in which every line `continues` the one before it (`continues(k)` judges lines
/// `k - 1` and `k`).
fn not_headlines_in_runs(run: &mut [ShortLine], continues: impl Fn(usize) -> bool) {
    let mut k = 0;
    while k < run.len() {
        let end = (k + 1..run.len()).find(|&j| !continues(j)).unwrap_or(run.len());
        if end - k >= OWN_RUN_MIN_LINES {
            run[k..end].iter_mut().for_each(|l| l.headline = false);
        }
        k = end;
    }
}

/// `Label: value`, markup aside: a label of one to three words that starts with a capital
/// and a value after the colon. A value that asks or exclaims is a headline's ("Japanese
/// Tenkara: What is it & Why Should You Care?").
fn is_fact_line(line: &str) -> bool {
    let text = line.trim().trim_start_matches(['*', '_']);
    let Some((label, value)) = text.split_once(':') else {
        return false;
    };
    let label = label.trim_end_matches(['*', '_']);
    let value = value.trim_start_matches(['*', '_']);
    label.starts_with(char::is_uppercase)
        && (1..=3).contains(&label.split(' ').count())
        && label.chars().all(|c| c.is_alphabetic() || c == ' ')
        && value.starts_with(' ')
        && !value.trim().is_empty()
        && !value.trim_end().ends_with(['?', '!'])
}

/// A label of one to three words (the first capitalised, letters only) and a quantity,
/// markup aside: "Weight 1.2 kg", "Battery 10 hours", "Calories 520", "Fat 21g", "Price
/// £16.99": a spec sheet or a recipe's nutrition without colons. The quantity is a figure
/// with its unit attached or after it (a word of up to eight letters); a bare whole number
/// needs two digits and is not a year: "Grade 1", "Share 0" and an archive's "March 2024"
/// are menus and counters, not data.
fn is_quantity_line(line: &str) -> bool {
    let words: Vec<&str> =
        line.split_whitespace().map(|w| w.trim_matches(['*', '_'])).filter(|w| !w.is_empty()).collect();
    if words.len() > 6 {
        return false;
    }
    let is_unit =
        |w: &str| (1..=8).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b'%' || b == b'/');
    let (label, figure, unit_after) = match words.as_slice() {
        [label @ .., figure, unit] if is_unit(unit) && figure.starts_with(|c: char| c.is_ascii_digit()) => {
            (label, *figure, true)
        }
        [label @ .., figure] => (label, *figure, false),
        [] => return false,
    };
    let Some(quantity) = parse_quantity(figure) else {
        return false;
    };
    let bare = !unit_after && quantity.bare_integer;
    let year = bare && quantity.digits == 4 && (figure.starts_with("19") || figure.starts_with("20"));
    (1..=3).contains(&label.len())
        && label[0].starts_with(char::is_uppercase)
        && label.iter().all(|w| w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\''))
        && !(bare && quantity.digits < 2)
        && !year
}

/// What [`is_quantity_line`] needs to know of a figure.
struct Quantity {
    digits: usize,
    /// Digits only: no currency, decimal point, separator or unit.
    bare_integer: bool,
}

/// A figure, perhaps after a currency sign and before a unit of up to four letters (or
/// `%`): `520`, `1,113`, `21.4`, `£16.99`, `21g`, `350W`, `44%`.
fn parse_quantity(word: &str) -> Option<Quantity> {
    let number = word.trim_start_matches(['£', '$', '€']);
    let currency = number.len() != word.len();
    let end = number.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).unwrap_or(number.len());
    let (figure, unit) = number.split_at(end);
    let digits = figure.bytes().filter(u8::is_ascii_digit).count();
    let unit_ok = unit.len() <= 4 && unit.bytes().all(|b| b.is_ascii_alphabetic() || b == b'%');
    (figure.starts_with(|c: char| c.is_ascii_digit()) && !figure.ends_with([',', '.']) && unit_ok)
        .then_some(Quantity { digits, bare_integer: !currency && unit.is_empty() && digits == figure.len() })
}

/// Three or more words, at least half of them figures (`14`, `2,779.1`, `-0.5`, `44.92%`),
/// table bars and markup aside: a row of a table. A date has two words in three that are
/// figures, but dates come one to a headline, not three in a row.
fn is_row_of_figures(line: &str) -> bool {
    let is_figure = |w: &str| {
        w.bytes().any(|b| b.is_ascii_digit()) && w.bytes().all(|b| b.is_ascii_digit() || b".,:%/+-()".contains(&b))
    };
    let words = line.split([' ', '\t', '|']).map(|w| w.trim_matches(['*', '_'])).filter(|w| !w.is_empty());
    let (mut total, mut figures) = (0, 0);
    for w in words {
        total += 1;
        figures += usize::from(is_figure(w));
    }
    total >= 3 && figures * 2 >= total
}

/// The word and number that open a line of a numbered series ("Week 12: …"), markup
/// aside, when words follow the number and the line has no link.
fn numbered_label(line: &str) -> Option<(&str, u32)> {
    if line.contains("](") {
        return None;
    }
    let text = line.trim_start_matches(['#', '*', '_', ' ', '\t']);
    let (word, rest) = text.split_at(text.find(|c: char| !c.is_alphabetic())?);
    let rest = rest.strip_prefix(' ')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // The number ends at punctuation or a space, and words follow it.
    let words_after = rest[digits..]
        .strip_prefix([':', '.', ')', ' ', '-', '–', '—'])?
        .trim_start_matches([' ', '-', '–', '—', '*', '_']);
    if word.is_empty() || !(1..=3).contains(&digits) || !words_after.starts_with(char::is_alphanumeric) {
        return None;
    }
    Some((word, rest[..digits].parse().ok()?))
}

/// The fewest lines of a numbered series, or of label-and-value lines and rows of figures,
/// that make them the article's own (see [`numbered_series_are_not_headlines`],
/// [`data_lines_are_not_headlines`]).
const OWN_RUN_MIN_LINES: usize = 3;

/// The most lines of a list a label introduces (see [`introduced_lists_are_not_headlines`]).
const INTRODUCED_LIST_LINES: usize = 20;

#[cfg(test)]
mod tests {
    use crate::engine::Profile;
    use crate::engine::detectors::Detector;
    use crate::engine::detectors::build;
    use crate::engine::detectors::tests::{ARTICLE, run};

    /// The detector as shipped but for `min_article_lines`: most tests below put one
    /// article line above the run.
    fn after_one_article_line() -> Box<dyn Detector> {
        let params: toml::Table = toml::from_str("min_article_lines = 1").unwrap();
        build("trailing-headlines", &params, Profile::Balanced).unwrap()
    }

    /// Fails unless `d` finds one run to cut in each list put after an article line.
    fn each_is_cut(d: &dyn Detector, lists: &[&str]) {
        for list in lists {
            assert_eq!(run(d, &format!("{ARTICLE}\n\n{list}")).len(), 1, "{list}");
        }
    }

    #[test]
    fn a_page_of_one_paragraph_and_a_list_is_about_its_list() {
        let shipped = build("trailing-headlines", &toml::Table::new(), Profile::Balanced).unwrap();
        let programme = "09:00 Registration and coffee\n09:30 Welcome from the organisers\n\
                         09:45 Keynote: open bus timetables\n10:30 Mapping flood risk\n12:30 Lunch\n15:00 Closing remarks\n";
        let one = format!("{ARTICLE}\n\nSaturday 7 March\n\n{programme}");
        assert!(run(shipped.as_ref(), &one).is_empty(), "{one}");
        // A second article paragraph above it (the one right above the run is not enough on
        // its own), and the run goes.
        let two = format!("{ARTICLE}\n\n{one}");
        let found = run(shipped.as_ref(), &two);
        assert_eq!(found.len(), 1, "{two}");
        assert_eq!(found[0].lines.start, 4);
        // Short and blank lines between the two are passed over.
        let short_between = format!("{ARTICLE}\n\nA short line.\n\n{one}");
        assert_eq!(run(shipped.as_ref(), &short_between).len(), 1);
        assert_eq!(run(after_one_article_line().as_ref(), &one).len(), 1);
    }

    #[test]
    fn trailing_headline_list_is_found() {
        let d = after_one_article_line();
        let text = format!(
            "{ARTICLE}\n\nTop News\n\nFirst headline here\n\nSecond headline: the sequel\n\nThird one\nFourth one\nFifth one\n"
        );
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 2);
        // The same list announced by the paragraph before it ("… these offers:") is the
        // article's own.
        let lead_in = format!("{}:", ARTICLE.trim_end().trim_end_matches('.'));
        let announced = text.replacen(ARTICLE, &lead_in, 1);
        assert!(run(d.as_ref(), &announced).is_empty(), "{announced}");
        // Headings over unlinked lists before the footer's links are the article's: the cut
        // starts at the links' heading (line 7), though the run is judged from line 2.
        let links: String =
            ["Permit form", "Municipal code", "Map center", "Contact us", "Site map", "Privacy", "Jobs"]
                .iter()
                .enumerate()
                .map(|(k, name)| format!("{}. [{name}](#)\n", k + 1))
                .collect();
        let sections =
            format!("{ARTICLE}\n\n## Typical projects\n\n* Building\n* Plumbing\n\n## Quick Links\n\n{links}");
        let found = run(d.as_ref(), &sections);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 7, "{sections}");
    }

    #[test]
    fn a_list_a_label_introduces_is_the_articles() {
        let d = after_one_article_line();
        // Plain text: the steps and key points lost their markers. The cut starts after the
        // label's block, at the share bar (line 10).
        let footer =
            "Share Tweet Email\n\nRelated guides\n\nHow to adjust brakes\nHow to clean a chain\nHow to true a wheel\n";
        let text = format!(
            "{ARTICLE}\n\nKey points:\n\nCarry a spare tube\nCheck the pressure weekly\nOil the chain monthly\n\n{footer}"
        );
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 8, "{text}");
        // A label after the first headline-like line, or a heading, introduces the footer's:
        // the headlines go (from the heading's first headline; a heading ends like a label).
        for (label, start) in [("Related guides\n\nMore:", 2), ("## Other posts:", 4)] {
            let text = format!(
                "{ARTICLE}\n\n{label}\n\nOne headline here\nTwo headline here\nThree headline\nFour headline\nFive headline\n"
            );
            let found = run(d.as_ref(), &text);
            assert_eq!(found.len(), 1, "{text}");
            assert_eq!(found[0].lines.start, start, "{text}");
        }
        // Without blank lines (a WET record) no block ends the list: it is judged as before.
        let wet: String = text.lines().filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
        let found = run(d.as_ref(), &wet);
        assert_eq!(found.len(), 1, "{wet}");
        assert_eq!(found[0].lines.start, 2, "{wet}");
    }

    #[test]
    fn the_rest_of_the_articles_last_block_is_its_own() {
        let d = after_one_article_line();
        // A changelog without markers: its last entries are short, but written in the
        // block of the article's last long line. The cut starts at the footer (line 8).
        let entries = "Server list has been improved\nButtons can now be placed on the ceiling\n\
                       Mob heads show both skin layers\nLots of other changes\n";
        let footer = "Official links\n\nMinecraft.net\nMinecraft Realms\nBug tracker\nAccount Support\n";
        let text = format!("Minecraft 1.8\n\n{ARTICLE}\n{entries}\n{footer}");
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].lines.start, 8, "{text}");
        // In a block of their own, the entries read as headlines like the footer's.
        let apart = text.replacen(&format!("{ARTICLE}\n"), &format!("{ARTICLE}\n\n"), 1);
        assert_eq!(run(d.as_ref(), &apart)[0].lines.start, 4, "{apart}");
        // Without blank lines (a WET record) there are no blocks: judged as before.
        let wet: String = text.lines().filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
        assert_eq!(run(d.as_ref(), &wet)[0].lines.start, 2, "{wet}");
    }

    /// A list named by one of `list_labels` ("Pros", no colon) is the article's, as one a
    /// colon introduces; without the label in the list, it is a run of headlines.
    #[test]
    fn a_list_a_named_label_introduces_is_the_articles() {
        let params: toml::Table =
            toml::from_str("min_article_lines = 1\nlist_labels = [\"Pros\", \"cons\", \"What’s good\"]").unwrap();
        let d = build("trailing-headlines", &params, Profile::Balanced).unwrap();
        let verdict = "**Pros**\nExtraordinary cleaning power\nHas its own internal heater\nEasy-to-read controls\n\
                       Cons:\nA few slow cycles\nOccasionally smelly gasket\n";
        let footer = "\nShare Tweet Email\n\nRelated guides\n\nHow to descale it\nHow to load it\nBest tablets\n";
        let text = format!("{ARTICLE}\n\n{verdict}{footer}");
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].lines.start, 10, "the cut starts at the share bar: {text}");
        // Labels are normalised as the lines are (curly quotes, case).
        let curly = text.replace("**Pros**", "WHAT'S GOOD");
        assert_eq!(run(d.as_ref(), &curly)[0].lines.start, 10, "{curly}");
        let unnamed = text.replace("**Pros**", "Good points");
        assert_eq!(run(d.as_ref(), &unnamed)[0].lines.start, 2, "{unnamed}");
    }

    #[test]
    fn a_numbered_series_is_the_articles_own() {
        let d = after_one_article_line();
        let schedule = "Week 1: Introduction and sources\nWeek 2: Cotton and the factory system\n\
                        week 3 - Canals, roads and railways\nWeek 4: Coal and iron\nWeek 5: Reading week\n";
        let footer = "Most read\n[Cup draw](#)\n[Transfer rumours](#)\n[League table](#)\n[Weather](#)\n[Jobs](#)\n";
        // Without the series, the schedule is a run of headlines; with it, the cut starts at
        // the footer (line 7).
        let found = run(d.as_ref(), &format!("{ARTICLE}\n\nSchedule\n{schedule}"));
        assert!(found.is_empty(), "{found:?}");
        let found = run(d.as_ref(), &format!("{ARTICLE}\n\n{schedule}{footer}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 7);
        // Not a series: numbers that do not count on, a word that changes, bare pagination,
        // linked parts of a series (its navigation), and two lines only.
        each_is_cut(
            d.as_ref(),
            &[
                "Week 1: One thing\nWeek 3: Another\nWeek 4: A third\nWeek 2: A fourth\nWeek 6: A fifth\n",
                "Week 1: One thing\nDay 2: Another\nWeek 3: A third\nDay 4: A fourth\nWeek 5: A fifth\n",
                "Page 1\nPage 2\nPage 3\nPage 4\nPage 5\n",
                "[Part 1: The start](#)\n[Part 2: The middle](#)\n[Part 3: The end](#)\n[Part 4: After](#)\n[Part 5: Notes](#)\n",
                "Step 1: Remove the wheel\nStep 2: Find the hole\nStorm hits the coast\nMayor resigns\nFair returns\n",
            ],
        );
    }

    #[test]
    fn label_and_value_lines_and_rows_of_figures_are_the_articles_own() {
        let d = after_one_article_line();
        let credits = "Director: Hanna Lind\nWriters: Hanna Lind, Owen Carr\n**Running time:** 104 minutes\n\
                       Certificate: 12A\nRating: 4/5\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\n{credits}")).is_empty());
        let table = "League table\n1 Millbrook 14 9 3 2 30\n2 Hollins 15 9 2 4 29\n3 Carlow 15 8 4 3 28\n\
                     4 Eastfield | 15 | 7 | 24\nRedbridge 14 6 -4 22\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\n{table}")).is_empty());
        // A label and a quantity without a colon: a spec sheet, a recipe's nutrition.
        let specs =
            "Specifications\nWeight 24.6 kg\nRange 40 miles\nMotor 250 W\n**Charging time** 5 hours\nPrice £1,899\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\n{specs}")).is_empty());
        let nutrition = "Nutrition per serving\nCalories 520\nFat 14g\nSaturated fat 3g\nSalt 1.2g\nFibre 13g\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\n{nutrition}")).is_empty());
        // Not the article's: two such lines only, linked ones, values that ask, labels of
        // more than three words or with digits, dates between headlines, a ranked list.
        each_is_cut(
            d.as_ref(),
            &[
                "Director: Hanna Lind\nRating: 4/5\nStorm hits the coast\nMayor resigns\nFair returns\n",
                "[Review: Brightwater](#)\n[Review: The Long Field](#)\n[Review: Night Ferry](#)\nMayor resigns\nFair returns\n",
                "Tenkara: What is it?\nPodcast: Why go?\nBooks: Which one?\nMayor resigns\nFair returns\n",
                "The best of the year: one\nThe best of the month: two\nTop 10 picks: three\nMayor resigns\nFair returns\n",
                "Storm hits the coast\nNovember 19, 2019\nMayor resigns\nNovember 18, 2019\nFair returns\n1 2 3\n",
                "1 Storm hits the coast\n2 Mayor resigns\n3 Fair returns\n4 New bridge opens\n5 Schools close early\n",
                // Counters, a menu's grades and an archive's months are not quantities.
                "Share 0\nTweet 0\nPin it 0\nMayor resigns\nFair returns\n",
                "Grade 1\nGrade 2\nGrade 3\nMayor resigns\nFair returns\n",
                "Archives\nMarch 2024\nFebruary 2024\nJanuary 2024\nDecember 2023\n",
            ],
        );
    }

    #[test]
    fn a_short_closing_sentence_and_short_documents_are_left_alone() {
        let d = after_one_article_line();
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\nHe declined to comment.\n")).is_empty());
        // No article line before the short lines: a list page, not chrome after an article.
        assert!(run(d.as_ref(), "One\nTwo\nThree\nFour\nFive\nSix\n").is_empty());
        // Too few headline-like lines among sentences.
        let text =
            format!("{ARTICLE}\nA short sentence.\nAnother one.\nHeadline\nYet another sentence.\nAnd one more.\n");
        assert!(run(d.as_ref(), &text).is_empty());
        // The article's last paragraph wrapped at a fixed width: its short lines end without
        // punctuation, but each sentence runs on into the next line.
        let wrapped = "Bootstrap arrived in 2011 and made responsive\ndesign accessible to everyone. \
                       Twitter's internal team\nhad built it to standardize their own work, but they\n\
                       open-sourced it and it spread like wildfire. Suddenly\nyou could drop Bootstrap \
                       into a project and get a\nresponsive grid, decent typography, and styled form\n\
                       elements out of the box.\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n\n{wrapped}")).is_empty());
        // Headlines one per line, with no blank line between, are still a list.
        let headlines = "Storm hits the coast\nMayor resigns\nNew bridge opens\nSchools close early\nFair returns\n";
        assert_eq!(run(d.as_ref(), &format!("{ARTICLE}\n\n{headlines}")).len(), 1);
    }

    #[test]
    fn a_story_in_short_paragraphs_goes_on_past_its_subheadings() {
        let d = after_one_article_line();
        // Lines 1-8 (0-based): two-sentence paragraphs under subheadings, every line short.
        let story = "Around 600 people came, twice as many as last year, despite the rain.\n\
                     The raffle sold out by two, and the dog show ran an hour late.\n\
                     What happens next\n\
                     Work on the roof is due to start in the summer, the head teacher said.\n\
                     The school still needs about £2,000 for the rest of the work.\n\
                     How to help\n\
                     Donations can be left at the school office on weekday mornings.\n\
                     The next fundraising event is a quiz night in the village hall.\n";
        let headlines = "Bypass plan goes back to the council\nBus route 12 runs on Sundays again\n\
                         Library hours cut from April\nTwo charged after shop break-in\n\
                         New owners for the Red Lion\nSchool meals to cost 10p more\n";
        let found = run(d.as_ref(), &format!("{ARTICLE}\n{story}{headlines}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 9, "the headlines after the story's last sentence");
        // Two headline-like lines in a row end the story: the sentences after them are the
        // footer's, and the cut starts at the first of them.
        let about = "Contact us\nAbout\nOur newsroom is open from nine to five on weekdays.\n\
                     Letters to the editor are welcome by email or by post.\n";
        let found = run(d.as_ref(), &format!("{ARTICLE}\n{story}{about}{headlines}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 9);
        // A footer's sentences after its first headlines do not stop the cut there.
        let form = "Newsletter\nSign up\nGet the day's news\nBy clicking Subscribe you agree to our privacy policy.\n\
                    We are having some technical difficulties, try again later.\n";
        let found = run(d.as_ref(), &format!("{ARTICLE}\n{form}{headlines}"));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines.start, 1);
    }
}
