//! `orphan-headings`: a heading whose section the other rules emptied. "## More
//! interviews" above a list of links the scorer took, "### You may like these posts" above
//! teasers a tail rule cut: once its lines are gone the heading is chrome too, and it is
//! the one line of the section a reader still sees.

use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView};
use super::features::heading_level;

/// Drops a heading (`#` to `######` and a space, of level `min_level` or deeper) when
/// lines follow it up to the next kept heading of a higher level (fewer `#`s) or the end of
/// the document, and all of them were removed. A kept heading of its own level after it
/// saves it: that may be a sibling in the article ("### Krups Simply Brew" above its
/// removed price links, then "### Features"). It runs after every other detector.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct OrphanHeadings {
    /// `# ` is usually the page's title: 2 leaves it alone.
    pub min_level: usize,
}

impl OrphanHeadings {
    pub fn from_params(params: toml::Table) -> Result<Self, String> {
        let d: Self = super::detectors::params_into(params)?;
        if !(1..=6).contains(&d.min_level) {
            return Err(format!("bad params: min_level {} must be between 1 and 6", d.min_level));
        }
        Ok(d)
    }
}

impl Detector for OrphanHeadings {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        // From the end up: the nearest kept line below, and whether removed lines lie
        // between it and the line at hand. A heading dropped here counts as removed for
        // the ones above it, so a section whose only subsection went goes too.
        let mut next_kept: Option<(usize, Option<usize>)> = None;
        let mut removed_below = false;
        for i in (0..doc.lines.len()).rev() {
            if doc.is_blank(i) {
                continue;
            }
            if doc.removed[i] {
                removed_below = true;
                continue;
            }
            let level = heading_level(doc.line(i));
            let orphan = level.filter(|&l| l >= self.min_level && !doc.protected[i]).is_some_and(|own| {
                let section_ends = match next_kept {
                    Some((_, next)) => next.is_some_and(|next| next < own),
                    // A text that continues its document may not end the section.
                    None => doc.ends_document,
                };
                removed_below && section_ends
            });
            if orphan {
                let detail = if doc.details {
                    match next_kept {
                        Some((next, _)) => format!(
                            "a heading with nothing left under it: every line up to the next higher heading (line {}) was removed",
                            doc.line_number(next)
                        ),
                        None => "a heading with nothing left under it: every line after it was removed".to_string(),
                    }
                } else {
                    String::new()
                };
                out.push(Detection { lines: i..i + 1, detail });
                continue;
            }
            next_kept = Some((i, level));
            removed_below = false;
        }
    }

    /// A heading above a list that an `after_detectors` rule removed goes too.
    fn sees_every_removal(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::tests::run_after_rules;

    /// The lines (0-based) the detector drops from `text`, given the lines the other rules
    /// removed.
    fn orphans(text: &str, removed_lines: &[usize], min_level: usize) -> Vec<usize> {
        let found = run_after_rules(&OrphanHeadings { min_level }, text, removed_lines);
        found.iter().flat_map(|d| d.lines.clone()).collect()
    }

    #[test]
    fn a_heading_goes_when_its_section_was_removed() {
        let text = "# Title\nText.\n## Part\nMore text.\n## More stories\n* [A](#)\n* [B](#)\n\n[Footer](#)\n";
        assert_eq!(orphans(text, &[5, 6, 8], 2), [4]);
        // Something of the section left: the heading stays.
        assert!(orphans(text, &[5, 8], 2).is_empty());
        // Nothing removed under it: not the rules' doing, left alone.
        assert!(orphans(text, &[], 2).is_empty());
        // The title's level is left alone at min_level 2.
        assert!(orphans("# Title\n[A](#)\n", &[1], 2).is_empty());
        assert_eq!(orphans("# Title\n[A](#)\n", &[1], 1), [0]);
    }

    #[test]
    fn a_section_ends_at_a_higher_heading_and_subsections_cascade() {
        // "### Sub" kept under "## Part": the part's section is not empty.
        let text = "# Title\n## Part\n[x](#)\n### Sub\nKept text.\n# Next\nText.\n";
        assert!(orphans(text, &[2], 2).is_empty());
        // The subsection emptied too: both go.
        assert_eq!(orphans(text, &[2, 4], 2), [3, 1]);
        // A deeper heading does not end a section; kept text under it keeps the heading.
        assert!(orphans("## A\n[x](#)\n#### Deep\nText.\n", &[1], 2).is_empty());
        // Nor does one of its own level: a product's name above its removed price links,
        // then "### Features".
        assert!(orphans("### Krups\n[$71](#)\n### Features\nText.\n", &[1], 2).is_empty());
    }
}
