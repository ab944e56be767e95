//! The `link-cards` detector: grids of teaser cards, each a link over several lines.

use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, Run, params_into};

/// Teaser cards. HTML-to-markdown conversion turns a link that wraps a card (headline,
/// byline, date) into a `[` line, the card's lines, and a `](#)` line. A run of at least
/// `min_cards` such links, each closing within `max_card_lines` lines and separated only
/// by blank lines, is a grid of teasers: articles do not wrap paragraphs in links.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LinkCards {
    #[serde(default = "defaults::min_cards")]
    pub min_cards: usize,
    #[serde(default = "defaults::max_card_lines")]
    pub max_card_lines: usize,
}

impl LinkCards {
    pub(crate) fn from_params(params: toml::Table) -> Result<Self, String> {
        let d: Self = params_into(params)?;
        if d.min_cards == 0 || d.max_card_lines < 2 {
            return Err("bad params: min_cards must be at least 1, max_card_lines at least 2".into());
        }
        Ok(d)
    }

    /// A line that opens a link it does not close: `[` first, more `[` than `]`. This
    /// runs on every line: indentation is skipped a byte at a time.
    fn opens_card(line: &str) -> bool {
        let t = line.as_bytes().trim_ascii_start();
        t.first() == Some(&b'[') && t.iter().filter(|&&b| b == b'[').count() > t.iter().filter(|&&b| b == b']').count()
    }

    /// A line that closes a link opened above: `](` first.
    fn closes_card(line: &str) -> bool {
        line.as_bytes().trim_ascii_start().starts_with(b"](")
    }

    /// The line that closes the card opened on `open`, if it closes within reach.
    fn card_end(&self, doc: &DocView<'_>, open: usize) -> Option<usize> {
        let last = (open + self.max_card_lines).min(doc.lines.len() - 1);
        for i in open + 1..=last {
            if doc.removed[i] || doc.is_blank(i) {
                continue;
            }
            let line = doc.line(i);
            if Self::closes_card(line) {
                return Some(i);
            }
            if Self::opens_card(line) {
                return None;
            }
        }
        None
    }
}

impl Detector for LinkCards {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        let mut run = Run::default();
        let why = |cards| format!("{cards} links in a row whose text spans lines (needs ≥{})", self.min_cards);
        let mut i = 0;
        while i < doc.lines.len() {
            if doc.removed[i] || doc.is_blank(i) {
                i += 1;
                continue;
            }
            match Self::opens_card(doc.line(i)).then(|| self.card_end(doc, i)).flatten() {
                Some(end) => {
                    run.add(i, end);
                    i = end + 1;
                }
                None => {
                    run.end(self.min_cards, doc, out, why);
                    i += 1;
                }
            }
        }
        run.end(self.min_cards, doc, out, why);
    }
}

mod defaults {
    pub fn min_cards() -> usize {
        2
    }
    pub fn max_card_lines() -> usize {
        8
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Profile;
    use crate::engine::detectors::build;
    use crate::engine::detectors::tests::{ARTICLE, run};

    #[test]
    fn runs_of_link_cards_are_found_and_single_links_left() {
        let d = build("link-cards", &toml::Table::new(), Profile::Conservative).unwrap();
        let card = |title: &str| format!("[ {title}\n\n  * By STAFF\n  * 11/20/2019 01:14 PM\n\n](#)\n");
        let text = format!("{ARTICLE}\n\n{}\n{}\n{ARTICLE}\n", card("One headline"), card("Another headline"));
        let found = run(d.as_ref(), &text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].lines, 2..15, "from the first `[` to the last `](#)`");
        // One card alone, a link closed on its own line, a card that never closes, or an
        // opener too far from its closer: nothing.
        for kept in [
            format!("{ARTICLE}\n\n{}\n{ARTICLE}\n", card("Alone")),
            format!("[Home](#)\n[News](#)\n{ARTICLE}\n"),
            format!("[ Open\n\ntext\n\n{}", card("Next")),
            format!("[ Far\n{}](#)\n{}", "line\n".repeat(9), card("Next")),
        ] {
            assert!(run(d.as_ref(), &kept).is_empty(), "{kept}");
        }
    }
}
