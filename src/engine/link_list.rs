//! `link-list`: the numbered list of link targets that `lynx -dump` (and `elinks -dump`)
//! append to a page: a "References" line, then "1. https://…" for every link, whose number
//! the text above gives as a `[1]` marker before the link's words. The list is a tenth to a
//! half of such a page's words, and none of them is the article's.

use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView};

/// Drops the list from its heading to the end of the document. Every non-blank line after
/// the `heading` must be one of `dividers` (a trailing colon aside) or an entry: a number,
/// a dot and one word that holds `:` or `/` (a URL); there must be at least one entry, and
/// the text above the heading must hold the first entry's marker (`[1]`). A bibliography
/// ("References", then "1. Smith, J. …") has more than one word an entry, and an article's
/// own list of bare URLs has no markers.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct LinkList {
    /// The list's first line, exactly (case and all).
    pub heading: String,
    /// Lines that divide it ("Visible links", "Hidden links"), exactly, a colon aside.
    #[serde(default)]
    pub dividers: Vec<String>,
}

impl LinkList {
    pub fn from_params(params: toml::Table) -> Result<Self, String> {
        let d: Self = super::detectors::params_into(params)?;
        if d.heading.trim().is_empty() {
            return Err("bad params: heading must not be empty".to_string());
        }
        Ok(d)
    }

    fn is_divider(&self, line: &str) -> bool {
        let line = line.trim();
        let line = line.strip_suffix(':').unwrap_or(line);
        self.dividers.iter().any(|d| d == line)
    }
}

/// The number of an entry of the list ("  12. https://example.com/a"), if `line` is one.
fn entry_number(line: &str) -> Option<&str> {
    let line = line.trim();
    let (number, rest) = line.split_once(". ")?;
    let target = rest.trim_start();
    let is_entry = !number.is_empty()
        && number.len() <= 6
        && number.bytes().all(|b| b.is_ascii_digit())
        && !target.is_empty()
        && !target.contains(char::is_whitespace)
        && target.contains([':', '/']);
    is_entry.then_some(number)
}

impl Detector for LinkList {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        // The list ends the page: a text that continues its document has not reached it.
        if !doc.ends_document {
            return;
        }
        // From the end up, over the list's lines, to its heading.
        let mut first_entry = None;
        let mut entries = 0usize;
        for i in (0..doc.lines.len()).rev() {
            let line = doc.line(i);
            if doc.is_blank(i) || self.is_divider(line) {
                continue;
            }
            if let Some(number) = entry_number(line) {
                first_entry = Some(number);
                entries += 1;
                continue;
            }
            if line.trim_end() == self.heading {
                let Some(number) = first_entry else { return };
                let above = &doc.text[..doc.lines[i].content.start];
                if !above.contains(&format!("[{number}]")) {
                    return;
                }
                let detail = if doc.details {
                    format!(
                        "{entries} numbered link targets under `{}`, whose `[{number}]` marker is in the text above",
                        self.heading
                    )
                } else {
                    String::new()
                };
                out.push(Detection { lines: i..doc.lines.len(), detail });
            }
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::tests::run_after_rules;

    fn lynx() -> LinkList {
        LinkList { heading: "References".into(), dividers: vec!["Visible links".into(), "Hidden links".into()] }
    }

    /// The lines (0-based) the detector drops from `text`.
    fn dropped(text: &str) -> Vec<usize> {
        run_after_rules(&lynx(), text, &[]).iter().flat_map(|d| d.lines.clone()).collect()
    }

    #[test]
    fn drops_lynx_references_whose_markers_are_in_the_text() {
        let text = "   [1]Docs [2]Blog\n\n   Some text with a [3]link in it.\n\nReferences\n\n   1. https://example.com/docs\n   2. file:///blog\n   3. https://x.org/a\n";
        assert_eq!(dropped(text), (4..9).collect::<Vec<_>>());
        // elinks divides the list; lynx adds hidden links after a blank line.
        let text = "Text with [1]a link.\n\nReferences\n\n   Visible links\n   1. https://a.example/\n\n   Hidden links:\n   2. https://b.example/\n";
        assert_eq!(dropped(text), (2..9).collect::<Vec<_>>());
    }

    #[test]
    fn keeps_a_bibliography_and_an_articles_own_list_of_urls() {
        // Entries of several words: a bibliography.
        assert!(dropped("Text [1].\n\nReferences\n\n1. Smith, J. (2020). A study. https://doi.org/x\n").is_empty());
        // Bare URLs, but no `[1]` marker above: the article's own sources.
        assert!(dropped("Text.\n\nReferences\n\n1. https://a.example/\n2. https://b.example/\n").is_empty());
        // Something after the list that is not an entry: not the page's end.
        assert!(dropped("Text [1]x.\n\nReferences\n\n1. https://a.example/\n\nMore article text.\n").is_empty());
        // No entry at all.
        assert!(dropped("Text [1]x.\n\nReferences\n").is_empty());
        // The heading in another case.
        assert!(dropped("Text [1]x.\n\nreferences\n\n1. https://a.example/\n").is_empty());
    }

    #[test]
    fn entries_are_a_number_and_one_url() {
        assert_eq!(entry_number("   12. https://example.com/a?b=c"), Some("12"));
        assert_eq!(entry_number("1. mailto:someone@example.com"), Some("1"));
        assert_eq!(entry_number("1. Smith and Jones"), None);
        assert_eq!(entry_number("1. word"), None);
        assert_eq!(entry_number("a. https://x"), None);
        assert_eq!(entry_number("2020. https://x is a URL"), None);
    }
}
