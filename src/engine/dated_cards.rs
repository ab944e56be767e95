//! `dated-cards`: teaser cards found by the dates in them. A news site's "More stories"
//! box, a blog's "Recent posts" and a comment thread repeat one shape per item (headline,
//! byline, date, a sentence of teaser), and in text without markup (html2text, `lynx
//! -dump`, Common Crawl WET) nothing else marks them: the headline is no longer a link
//! and the items carry no list markers. A line that is only a date, coming back every `p`
//! lines, is that shape; an article's own dates sit inside sentences or at irregular
//! distances.

use regex::Regex;
use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, params_into};
use super::features::bytes_between;
use super::normalize::{normalize_into, normalized_word_count};

/// Drops a run of at least `min_cards` cards of the same number of non-blank lines (2 to
/// `max_card_lines`), each holding one line that is only a date ("Tuesday November 19,
/// 2019", "Nov 3, 2025 12:01 PM", "Posted on 2021-12-17"), once `min_prose_before`
/// article paragraphs came before the run. A card's first line is found from the lines
/// above each date that do not end a sentence: the headline and byline above a date belong
/// to its card, the teaser above them to the card before.
pub struct DatedCards {
    min_cards: usize,
    max_card_lines: usize,
    min_prose_before: usize,
    date_line: Regex,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    min_cards: usize,
    max_card_lines: usize,
    min_prose_before: usize,
}

/// A date line is short: a weekday, "Updated", a time and a time zone around the date.
const MAX_DATE_LINE_BYTES: usize = 64;

/// A date line's last digit is at most this many bytes from its end (`1 p.m. EST**`).
const DIGIT_NEAR_END: usize = 12;

/// A paragraph of article text, as the line scorer's features count one: enough words, and
/// an end like a sentence's.
const PROSE_WORDS: usize = 12;

/// The whole line, once markup is blanked out: an optional weekday and "Updated" or
/// "Posted (on)", then an English date (month named, day first or month first) or a
/// numeric one (2019-11-19, 19/11/2019, 11.19.19), then an optional time. ASCII only
/// (`-u`): a third of the Unicode version's build instructions.
const DATE_LINE: &str = r"(?xi-u)
    ^(?:(?:mon|tue|tues|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?\.?,?\s)?
    (?:(?:last\s)?(?:updated|posted|published)(?:\son)?:?\s)?
    (?:
        (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?
            \s\d{1,2}(?:st|nd|rd|th)?,?\s\d{4}
      | \d{1,2}(?:st|nd|rd|th)?\s
        (?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?
            ,?\s\d{4}
      | \d{4}-\d{2}-\d{2}
      | \d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})
    )
    (?:,?\s(?:at\s)?\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?(?:\s[a-z]{2,4})?)?$";

impl DatedCards {
    pub fn from_params(params: toml::Table) -> Result<Self, String> {
        let p: Params = params_into(params)?;
        if p.min_cards < 2 || p.max_card_lines < 2 || p.min_prose_before == 0 {
            return Err(
                "bad params: min_cards and max_card_lines must be at least 2, min_prose_before at least 1".into()
            );
        }
        Ok(DatedCards {
            min_cards: p.min_cards,
            max_card_lines: p.max_card_lines,
            min_prose_before: p.min_prose_before,
            date_line: Regex::new(DATE_LINE).expect("the date pattern compiles"),
        })
    }

    /// Whether `line` is a date and nothing else (markup and a trailing period aside).
    /// `scratch` holds the line with its markup blanked out.
    fn is_date_line(&self, line: &str, scratch: &mut String) -> bool {
        // This runs on every line: the cheap tests first. A date line ends with its date's
        // last digit, or with a time's "p.m. EST" or a closing `_` or `*` after it; every date
        // form has four digits or more (2019, 1/2/19), and six bytes.
        let bytes = line.as_bytes().trim_ascii();
        if bytes.len() < 6
            || bytes.len() > MAX_DATE_LINE_BYTES
            || !bytes[bytes.len().saturating_sub(DIGIT_NEAR_END)..].iter().any(u8::is_ascii_digit)
            || ascii_digits(bytes) < 4
        {
            return false;
        }
        let line = line.trim();
        scratch.clear();
        for word in line.split(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '|' | '#' | '>')) {
            if !word.is_empty() {
                if !scratch.is_empty() {
                    scratch.push(' ');
                }
                scratch.push_str(word);
            }
        }
        self.date_line.is_match(scratch.trim_end_matches(['.', ',', ' ']))
    }

    /// The line of the `min_prose_before`th paragraph that no rule removed: cards after it
    /// follow an article.
    fn article_ends(&self, doc: &DocView<'_>, norm: &mut String) -> Option<usize> {
        (0..doc.lines.len())
            .filter(|&i| !doc.removed[i] && !doc.is_blank(i) && is_prose(doc, i, norm))
            .nth(self.min_prose_before - 1)
    }
}

/// How many ASCII digits `bytes` holds, eight bytes at a time: this runs on the short lines
/// that end near a digit.
fn ascii_digits(bytes: &[u8]) -> u32 {
    let (chunks, rest) = bytes.as_chunks::<8>();
    let digits = |x: u64| bytes_between(x, b'0', b'9').count_ones();
    chunks.iter().map(|c| digits(u64::from_le_bytes(*c))).sum::<u32>()
        + rest.iter().filter(|b| b.is_ascii_digit()).count() as u32
}

/// Whether line `i` reads like a paragraph of article text.
fn is_prose(doc: &DocView<'_>, i: usize, norm: &mut String) -> bool {
    // Twelve words take at least 23 bytes: shorter lines are not normalised.
    if doc.line(i).len() < 2 * PROSE_WORDS - 1 {
        return false;
    }
    normalize_into(doc.line(i), true, norm);
    normalized_word_count(norm) >= PROSE_WORDS && ends_sentence(norm)
}

/// Ends with a full stop, an exclamation mark or an ellipsis, closing quotes and brackets
/// aside: a teaser does, a headline or a byline does not. A question mark does not count:
/// headlines are often questions.
fn ends_sentence(normalized: &str) -> bool {
    normalized.trim_end_matches(['"', '\'', ')', ']', ' ', '\u{201D}']).ends_with(['.', '!', '\u{2026}'])
}

impl Detector for DatedCards {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        // Cards are counted in non-blank lines: text without blank lines (WET) has the
        // same cards. Lines rules removed still count: the shape is the page's.
        let non_blank: Vec<usize> = (0..doc.lines.len()).filter(|&i| !doc.is_blank(i)).collect();
        let mut scratch = String::new();
        // Positions in `non_blank` of the date lines.
        let dates: Vec<usize> =
            (0..non_blank.len()).filter(|&k| self.is_date_line(doc.line(non_blank[k]), &mut scratch)).collect();
        if dates.len() < self.min_cards {
            return;
        }
        let mut norm = String::new();
        // The line of the article's `min_prose_before`th paragraph, once a run asks.
        let mut article_ends: Option<Option<usize>> = None;
        let mut k = 0;
        while k + 1 < dates.len() {
            let period = dates[k + 1] - dates[k];
            if period < 2 || period > self.max_card_lines {
                k += 1;
                continue;
            }
            let mut last = k + 1;
            while last + 1 < dates.len() && dates[last + 1] - dates[last] == period {
                last += 1;
            }
            let cards = last - k + 1;
            if cards < self.min_cards {
                // A run starting inside this one is shorter still: go on from its end
                // (each date is passed over once, however the dates fall).
                k = last;
                continue;
            }
            // How many lines of a card come before its date: the lines above a date
            // that do not end a sentence (headline, byline), most often over the run's
            // later dates (on a tie the most: the cut then stops sooner after the last
            // date); the one that does is the teaser that ends the card before.
            let mut above = |date: usize, most: usize| {
                (1..=most)
                    .take_while(|&o| {
                        normalize_into(doc.line(non_blank[date - o]), true, &mut norm);
                        !ends_sentence(&norm)
                    })
                    .count()
            };
            let mut counts = vec![0usize; period];
            for d in k + 1..=last {
                counts[above(dates[d], period - 1)] += 1;
            }
            let before = (0..period).max_by_key(|&b| (counts[b], b)).unwrap_or(0);
            // The first card: no further up than its own lines go.
            let first = dates[k] - above(dates[k], before.min(dates[k]));
            let end = (dates[last] + period - 1 - before).min(non_blank.len() - 1);
            let (from, to) = (non_blank[first], non_blank[end]);
            let article = *article_ends.get_or_insert_with(|| self.article_ends(doc, &mut norm));
            if article.is_some_and(|line| line < from) {
                let detail = if doc.details {
                    format!(
                        "{cards} cards of {period} lines, each with a line that is a date ('{}'), after the article \
                         (needs ≥{} cards, and ≥{} paragraphs before them)",
                        doc.line(non_blank[dates[k]]).trim(),
                        self.min_cards,
                        self.min_prose_before
                    )
                } else {
                    String::new()
                };
                out.push(Detection { lines: from..to + 1, detail });
            }
            k = last + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::tests::run_after_rules;

    fn detector() -> DatedCards {
        let params: toml::Table = "min_cards = 3\nmax_card_lines = 8\nmin_prose_before = 2".parse().unwrap();
        DatedCards::from_params(params).unwrap()
    }

    /// The lines `detector` removes from `text`: first and last, 1-based.
    fn removed(text: &str) -> Vec<(usize, usize)> {
        let found = run_after_rules(&detector(), text, &[]);
        found.into_iter().map(|d| (d.lines.start + 1, d.lines.end)).collect()
    }

    const ARTICLE: &str = "The council voted on Tuesday to close the old bridge to cars from next spring, after \
        engineers warned that its frame had corroded.\n\nCyclists and pedestrians will keep a lane on the east side \
        while the deck is rebuilt, which the city expects to take two years.\n\nMore from the Courier\n\n";

    fn card(headline: &str, date: &str, teaser: &str) -> String {
        format!("{headline}\nAnn Lee\n{date}\n{teaser}\n\n")
    }

    #[test]
    fn cards_after_the_article_go_from_the_first_headline_to_the_last_teaser() {
        let cards = [
            card("Library hours change for the winter", "Tuesday November 19, 2019", "It will close at six."),
            card("Will the market square get benches?", "Monday November 18, 2019", "Twelve oak ones, maybe."),
            card("School run traffic plan approved", "Nov 18, 2019", "Parents will park at the leisure centre."),
        ]
        .concat();
        let text = format!("{ARTICLE}{cards}Contact us\n");
        // Lines 1-6 are the article and its "More from" heading; line 22 is the footer.
        assert_eq!(removed(&text), [(7, 20)]);
        // Without blank lines (a WET record) the cards are the same.
        let wet: String = text.lines().filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
        assert_eq!(removed(&wet), [(4, 15)]);
    }

    #[test]
    fn dates_at_irregular_distances_or_before_the_article_stay() {
        // An article's timeline: its dates are in sentences.
        let timeline = format!(
            "{ARTICLE}On March 3, 2019 engineers reported rust.\nOn June 12, 2019 the council ordered a survey.\n\
             On November 19, 2019 the survey confirmed it.\n"
        );
        assert!(removed(&timeline).is_empty());
        // Dates alone on their lines, but not every so many lines.
        let uneven = format!(
            "{ARTICLE}{}{}Extra line\n{}",
            card("One", "May 1, 2020", "First."),
            card("Two", "May 2, 2020", "Second."),
            card("Three", "May 3, 2020", "Third.")
        );
        assert!(removed(&uneven).is_empty());
        // A listing with no article before it: the cards are the page.
        let listing: String = (1..=4).map(|d| card("A post", &format!("May {d}, 2020"), "Its teaser.")).collect();
        assert!(removed(&listing).is_empty());
    }

    #[test]
    fn date_lines_are_only_dates() {
        let d = detector();
        let mut s = String::new();
        for yes in [
            "Tuesday November 19, 2019",
            "Wednesday, November 20, 2019",
            "| November 18, 2019 12:01 PM",
            "Nov 03, 2025",
            "_Mar 3, 2026_",
            "3 March 2026.",
            "Posted on 2021-12-17",
            "Updated: 19/11/2019 at 6:55 am EST",
        ] {
            assert!(d.is_date_line(yes, &mut s), "{yes}");
        }
        for no in [
            "On November 19, 2019, the council voted.",
            "Retrieved 1 May 2015 from the archive",
            "Version 4.2",
            "12:01 PM",
            "Call 555-1234",
            "2019",
        ] {
            assert!(!d.is_date_line(no, &mut s), "{no}");
        }
    }
}
