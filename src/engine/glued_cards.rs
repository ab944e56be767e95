//! The `glued-cards` detector: menus of cards whose title and description the converter
//! ran together ("Compute EngineComputing infrastructure in predefined machine sizes").

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, params_into};
use super::features::bytes_between;

/// A product menu or a "Resources" box is a grid of links, each wrapping a title and a
/// line of description in elements of their own. Converters that drop the markup (Common
/// Crawl's WET, most extractors' plain text) join the two with nothing between them, so
/// the title's last word runs into the description's first: `RetailAnalytics and
/// collaboration tools`. A run of at least `min_cards` such lines (blank lines between
/// them allowed) is that grid.
///
/// Brand names are spelt the same way (`ActiveCampaign`, `YouTube`, `TikTok`), and a
/// review of them repeats them; a card's glued word is unique to its card. So a line only
/// counts when its glued word occurs once in the whole document, and a run must also look
/// like a menu rather than a list of names (see `is_menu`). List items never count.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct GluedCards {
    pub min_cards: usize,
    /// The glued word is at most this many words into the line (titles are short).
    pub max_title_words: usize,
    /// Words of description after the glued word, at least.
    pub min_words_after: usize,
}

impl GluedCards {
    pub(crate) fn from_params(params: toml::Table) -> Result<Self, String> {
        let d: Self = params_into(params)?;
        if d.min_cards < 2 || d.max_title_words == 0 {
            return Err("bad params: min_cards must be at least 2, max_title_words at least 1".into());
        }
        Ok(d)
    }

    /// The glued word of a card line (see `Glued`). `None` for any other line, and for
    /// list items: the cards come out of the converter as lines of their own, where a list
    /// of class names or brands keeps its markers (`* QueryError if the server rejects the
    /// query`).
    fn glued_word<'t>(&self, line: &'t str) -> Option<Glued<'t>> {
        // This runs on every line: bytes first, then the join in the title's reach, eight
        // bytes at a time, and words only for a line that has one.
        if line.len() > MAX_CARD_BYTES {
            return None;
        }
        let body = &line[line.bytes().position(|b| !matches!(b, b' ' | b'\t' | b'#' | b'>'))?..];
        let first = body.as_bytes()[0];
        if !(first.is_ascii_uppercase()
            || first.is_ascii_digit()
            || (!first.is_ascii() && body.chars().next().is_some_and(char::is_uppercase)))
        {
            return None;
        }
        let mut reach = body.len().min(TITLE_BYTES);
        while !body.is_char_boundary(reach) {
            reach -= 1;
        }
        let join = join_in(&body[..reach])?;
        let word_start = body[..join].trim_end_matches(|c: char| !c.is_whitespace()).len();
        let mut title = body[..word_start].split_whitespace();
        if title.clone().count() >= self.max_title_words || title.next().is_some_and(is_list_number) {
            return None;
        }
        let word_end = body[join..].find(char::is_whitespace).map_or(body.len(), |space| join + space);
        if body[word_end..].split_whitespace().take(self.min_words_after).count() < self.min_words_after {
            return None;
        }
        let word = &body[word_start..word_end];
        let join = join - word_start;
        let end = word[join..]
            .char_indices()
            .skip(1)
            .find(|&(_, c)| !c.is_lowercase())
            .map_or(word.len(), |(at, _)| join + at);
        Some(Glued { word: &word[..end], join, titled: word_start > 0 })
    }
}

/// Where a card line's title runs into its description.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Glued<'t> {
    /// From the start of the word where a lower-case letter pair meets an upper-case
    /// letter followed by a lower-case one, through that lower-case run: `EngineComputing`.
    word: &'t str,
    /// Where the description begins in `word` (6).
    join: usize,
    /// Whether words come before `word` (`Compute EngineComputing`).
    titled: bool,
}

impl<'t> Glued<'t> {
    fn description(&self) -> &'t str {
        &self.word[self.join..]
    }
}

/// How far into a line a card's title can end: titles are a few words.
const TITLE_BYTES: usize = 64;

/// The longest card: a title and a sentence or two of description (on the dev pages'
/// menus, at most 255 bytes).
const MAX_CARD_BYTES: usize = 320;

/// `1.`, `2)`, `3\.`: the marker of a numbered list item.
fn is_list_number(word: &str) -> bool {
    let marker = word.trim_start_matches(|c: char| c.is_ascii_digit());
    marker.len() < word.len() && matches!(marker, "." | ")" | "\\.")
}

/// The offset of the first join in `text`: two lower-case letters, then an upper-case one,
/// then a lower-case one. Upper-case letters are found eight bytes at a time (prose has few
/// of them past its first), and a character at a time only in text with letters of two
/// bytes, where Latin, Greek and Cyrillic letters with case are: curly quotes, dashes and
/// no-break spaces (three bytes, or two from 0xC2) and caseless scripts take the fast way.
fn join_in(text: &str) -> Option<usize> {
    const TOPS: u64 = 0x8080_8080_8080_8080;
    let bytes = text.as_bytes();
    let lower = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_lowercase);
    let chunks = bytes.chunks_exact(8);
    let mut last = [0u8; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    let last = u64::from_le_bytes(last);
    for (k, chunk) in chunks.map(|chunk| u64::from_le_bytes(chunk.try_into().unwrap())).chain([last]).enumerate() {
        if chunk & TOPS != 0 && (chunk.to_le_bytes().iter().any(|b| (0xC3..=0xDF).contains(b))) {
            return join_in_chars(text);
        }
        let mut upper = bytes_between(chunk, b'A', b'Z');
        while upper != 0 {
            let j = k * 8 + upper.trailing_zeros() as usize / 8;
            upper &= upper - 1;
            if j >= 2 && lower(j - 2) && lower(j - 1) && lower(j + 1) {
                return Some(j);
            }
        }
    }
    None
}

/// `join_in` for text with letters outside ASCII, a character at a time.
fn join_in_chars(text: &str) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    let (mut before_last, mut last) = (false, false);
    while let Some((at, c)) = chars.next() {
        if before_last && last && c.is_uppercase() && chars.peek().is_some_and(|&(_, next)| next.is_lowercase()) {
            return Some(at);
        }
        (before_last, last) = (last, c.is_lowercase());
    }
    None
}

/// Whether a run of glued lines (each word unique on the page) is a menu of cards. Not
/// when more than half of them share the word after the join: a family of names
/// (`QueryError`, `TimeoutError`, `KeyError`), where descriptions start with all kinds of
/// words. Not when every line opens with its glued word: a list of brands, each the
/// subject of its line (`GitHub hosts the code`, `JavaScript runs the front end`), where
/// some of a menu's titles are longer (`Compute EngineComputing`).
fn is_menu(run: &[(usize, Glued<'_>)]) -> bool {
    let mut shared: HashMap<&str, usize> = HashMap::new();
    run.iter().for_each(|(_, g)| *shared.entry(g.description()).or_default() += 1);
    run.iter().any(|(_, g)| g.titled) && shared.values().all(|&n| 2 * n <= run.len())
}

impl Detector for GluedCards {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        // The candidates, and the runs of at least `min_cards` of them (ranges of
        // `candidates`; only their words are counted). A run goes on over blank lines and
        // lines already removed.
        let mut candidates: Vec<(usize, Glued<'_>)> = Vec::new();
        let mut runs: Vec<Range<usize>> = Vec::new();
        let mut run_start = 0;
        let mut end_run = |candidates: &mut Vec<(usize, Glued<'_>)>, run_start: usize| {
            if candidates.len() - run_start < self.min_cards {
                candidates.truncate(run_start);
            } else {
                runs.push(run_start..candidates.len());
            }
        };
        for i in 0..doc.lines.len() {
            if doc.removed[i] || doc.is_blank(i) {
                continue;
            }
            match self.glued_word(doc.line(i)) {
                Some(glued) => candidates.push((i, glued)),
                None => {
                    end_run(&mut candidates, run_start);
                    run_start = candidates.len();
                }
            }
        }
        end_run(&mut candidates, run_start);
        if candidates.is_empty() {
            return;
        }

        // How often each glued word occurs in the document, in one pass over it. (A word
        // listed twice counts on the first of its patterns, leaving the other at 0.)
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(candidates.iter().map(|(_, glued)| glued.word))
            .expect("short literal words");
        let mut counts = vec![0u32; candidates.len()];
        for found in automaton.find_iter(doc.text) {
            counts[found.pattern().as_usize()] += 1;
        }

        // Each run, cut at the lines whose word is not unique, in menus.
        let mut report = |menu: &[(usize, Glued<'_>)]| {
            if menu.len() >= self.min_cards && is_menu(menu) {
                let detail = if doc.details {
                    format!(
                        "{} lines in a row whose title runs into its description, each word unique (needs ≥{})",
                        menu.len(),
                        self.min_cards
                    )
                } else {
                    String::new()
                };
                out.push(Detection { lines: menu[0].0..menu[menu.len() - 1].0 + 1, detail });
            }
        };
        for run in runs {
            let mut menu_start = run.start;
            for k in run.clone() {
                if counts[k] != 1 {
                    report(&candidates[menu_start..k]);
                    menu_start = k + 1;
                }
            }
            report(&candidates[menu_start..run.end]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{GluedCards, join_in};
    use crate::engine::Profile;
    use crate::engine::detectors::build;
    use crate::engine::detectors::tests::{ARTICLE, run};

    fn detector() -> Box<dyn crate::engine::detectors::Detector> {
        let params = toml::toml! { min_cards = 3
        max_title_words = 6
        min_words_after = 2 };
        build("glued-cards", &params, Profile::Conservative).unwrap()
    }

    const MENU: &str = "Compute EngineComputing infrastructure in predefined or custom machine sizes.\n\n\
        Cloud StorageGlobally unified, scalable, and highly durable object storage.\n\n\
        BigQueryServerless, highly scalable, and cost-effective cloud data warehouse.\n";

    #[test]
    fn a_glued_word_is_found_where_a_title_runs_into_its_description() {
        let d: GluedCards = GluedCards::from_params(toml::toml! { min_cards = 3
        max_title_words = 3
        min_words_after = 2 })
        .unwrap();
        let glued = |line| d.glued_word(line).map(|g| (g.word, g.description(), g.titled));
        assert_eq!(glued("  Cloud StorageGlobally unified, scalable"), Some(("StorageGlobally", "Globally", true)));
        assert_eq!(glued("### Customer storiesExplore case studies."), Some(("storiesExplore", "Explore", true)));
        assert_eq!(glued("BlogRead about the latest trends."), Some(("BlogRead", "Read", false)));
        // After a no-break space, a space of two bytes.
        assert_eq!(glued("Cloud\u{a0}StorageGlobally unified, scalable"), Some(("StorageGlobally", "Globally", true)));
        // Any script with cases.
        assert_eq!(glued("Все СервисыОблачные вычисления для всех"), Some(("СервисыОблачные", "Облачные", true)));
        for not_glued in [
            "* QueryError if the server rejects the query.", // a list item
            "2. QueryError if the server rejects the query.",
            "[Customer storiesExplore case studies and videos.](#)", // a markdown link
            "Cloud StorageGlobally unified",                         // one word of description
            "one more StorageGlobally unified, x",                   // not a capital first
            "A b c StorageGlobally unified, x",                      // too far in
            "Use iPhone apps every day",                             // one lower-case letter before
            "CEOs and CTOs agree on this",                           // no lower-case letter after
            "Internationalisation-and-localisation-of-software-at-enterprise-scaleGuide for teams", // past 64 bytes
        ] {
            assert_eq!(glued(not_glued), None, "{not_glued}");
        }
    }

    #[test]
    fn the_byte_search_finds_a_join_at_any_offset_as_the_char_search_does() {
        for pad in 0..20 {
            let text = format!("{}abCd", "x".repeat(pad));
            assert_eq!(join_in(&text), Some(pad + 2), "{text}");
            // The same text with a Latin letter of two bytes ahead takes the other path, and
            // with a curly quote of three bytes ahead the same one.
            let latin = format!("é{text}");
            assert_eq!(join_in(&latin), Some(pad + 4), "{latin}");
            let quoted = format!("’{text}");
            assert_eq!(join_in(&quoted), Some(pad + 5), "{quoted}");
        }
        assert_eq!(join_in("ÉaÀb"), None, "one lower-case letter before");
        assert_eq!(join_in("straßeÖffnung"), Some(7), "letters outside ASCII have case too");
        for none in ["aBcd", "abC", "abCD", "ab Cd", "AbCd", "abcd", "ab’Cd"] {
            assert_eq!(join_in(none), None, "{none}");
        }
    }

    #[test]
    fn three_unique_glued_cards_in_a_row_are_a_menu() {
        let text = format!("{ARTICLE}\n\n{MENU}\n{ARTICLE}\n");
        let found = run(detector().as_ref(), &text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].lines, 2..7);
    }

    #[test]
    fn brand_names_repeated_on_the_page_and_short_runs_are_not() {
        let d = detector();
        // The same lines, but one word comes back elsewhere: a review naming its subject.
        let review = format!("{MENU}\nWe liked BigQueryServerless a lot.\n{ARTICLE}\n");
        assert!(run(d.as_ref(), &review).is_empty());
        // Two cards, or three with a line of another kind between them.
        let two = MENU.lines().take(3).collect::<Vec<_>>().join("\n");
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n{two}\n")).is_empty());
        let broken = MENU.replacen("\n\nCloud", "\nSee all products\nCloud", 1);
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n{broken}")).is_empty());
        // A menu listing one card twice.
        let twice = format!("{MENU}{}", MENU.lines().next().unwrap());
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n{twice}\n")).is_empty());
    }

    #[test]
    fn a_family_of_names_and_a_list_of_brands_are_not_a_menu() {
        let d = detector();
        let errors = "Raises QueryError if the server rejects the query.\nRaises TimeoutError if the timeout passes.\n\
            Raises ConnectionError if the connection was lost.\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n{errors}")).is_empty());
        let brands = "GitHub hosts the code and the issues.\nReadTheDocs builds the manual from each tag.\n\
            JavaScript runs the front end.\n";
        assert!(run(d.as_ref(), &format!("{ARTICLE}\n{brands}")).is_empty());
        // Two of four sharing a first word is still a menu.
        let menu = format!("{MENU}People AnalyticsDevelop a full analytics skill set.\n");
        let menu = menu.replacen("BigQueryServerless", "BigQueryComputing", 1);
        assert_eq!(run(d.as_ref(), &format!("{ARTICLE}\n{menu}")).len(), 1);
    }
}
