//! Keep rules found by shape rather than by pattern: blocks of content that no line
//! pattern can describe, protected from every removal as a `keep` rule's lines are.
//!
//! Configured by `kind = "keep"` rules with `detector = "NAME"` and `params`, like the
//! structural detectors; their mechanisms live here.

use std::ops::Range;

use serde::Deserialize;

use super::decide::LineSpan;
use super::detectors::params_into;

/// A detector whose finds are protected.
pub trait Keeper: Send + Sync {
    /// Push the line ranges (0-based, end exclusive) to protect in `text`.
    fn find(&self, text: &str, lines: &[LineSpan], out: &mut Vec<Range<usize>>);
}

pub const NAMES: &[&str] = &["indented-code"];

pub fn build(name: &str, params: &toml::Table) -> Result<Box<dyn Keeper>, String> {
    match name {
        "indented-code" => Ok(Box::new(IndentedCode::from_params(params.clone())?)),
        other => Err(format!("unknown keep detector `{other}` (expected one of: {})", NAMES.join(", "))),
    }
}

/// Indented code blocks, as CommonMark has them: after a blank line (or at the start),
/// lines indented by four spaces or a tab, blank lines between them allowed. Both
/// markdown converters and plain-text ones (html2text, `lynx -dump`) write `<pre>` so.
/// Nested list items and archive lists are indented as deeply, so a block counts only
/// with at least `min_lines` non-blank lines, no markdown link, and at least
/// `min_code_share` of its lines reading like code: `=`, `{`, `}`, `<`, `>`, a call
/// (`name(`), a final `;`, a bracket opened at the end or closed at the start, a comment
/// or shell prompt at the start, a table's `|`, `-+-` or box-drawing characters (a
/// console's output). The line scorer, trained mostly on news, doubts such
/// lines, and a code sample with lines missing is broken.
///
/// A page whose blank lines are fewer than `min_blank_share` of its lines (a Common Crawl
/// WET record, a corpus that dropped empty lines) has no paragraphs to tell a block from:
/// there any indented line after an unindented one opens a block.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct IndentedCode {
    #[serde(default = "default_min_lines")]
    pub min_lines: usize,
    #[serde(default = "default_min_code_share")]
    pub min_code_share: f64,
    #[serde(default = "default_min_blank_share")]
    pub min_blank_share: f64,
}

fn default_min_lines() -> usize {
    2
}

fn default_min_code_share() -> f64 {
    1.0 / 3.0
}

fn default_min_blank_share() -> f64 {
    0.02
}

impl IndentedCode {
    fn from_params(params: toml::Table) -> Result<Self, String> {
        let k: Self = params_into(params)?;
        if k.min_lines == 0 || !(0.0..=1.0).contains(&k.min_code_share) || !(0.0..=1.0).contains(&k.min_blank_share) {
            return Err(
                "bad params: min_lines must be at least 1, min_code_share and min_blank_share within 0..1".into()
            );
        }
        Ok(k)
    }
}

fn indented(line: &[u8]) -> bool {
    line.first() == Some(&b'\t') || line.starts_with(b"    ")
}

/// Whether a line (indentation aside) reads like code rather than like a menu entry or a
/// heading: `# ` counts only before a lower-case word (a comment, not `### Headline`),
/// `;` only at the end (prose has semicolons inside sentences).
fn reads_like_code(line: &[u8]) -> bool {
    let l = line.trim_ascii();
    let comment_or_prompt = l.starts_with(b"//")
        || l.starts_with(b"--")
        || l.starts_with(b"#!")
        || l.starts_with(b"#include")
        || l.strip_prefix(b"# ").is_some_and(|rest| rest.first().is_some_and(u8::is_ascii_lowercase))
        || l.starts_with(b"$ ")
        || l.starts_with(b">>>");
    let edges =
        l.ends_with(b";") || l.starts_with(b")") || l.starts_with(b"]") || l.ends_with(b"(") || l.ends_with(b"[");
    comment_or_prompt || edges || l.iter().enumerate().any(|(k, &c)| code_at(l, k, c))
}

/// One byte's test for [`reads_like_code`], with its neighbours: an operator or a brace, a
/// call's `(` after a name, a table's `|` or `-+-`, a command's long option (` --all`) or
/// home path (`~/`), a box-drawing `│` or `─` (E2 94 82, E2 94 80).
#[inline]
fn code_at(l: &[u8], k: usize, c: u8) -> bool {
    let before = |b: u8| k > 0 && l[k - 1] == b;
    match c {
        b'=' | b'{' | b'}' | b'<' | b'>' | b'|' => true,
        b'(' => k > 0 && (l[k - 1].is_ascii_alphanumeric() || l[k - 1] == b'_'),
        b'+' => before(b'-') && l.get(k + 1) == Some(&b'-'),
        b'-' => before(b' ') && l.get(k + 1) == Some(&b'-') && l.get(k + 2).is_some_and(u8::is_ascii_lowercase),
        b'/' => before(b'~'),
        0x94 => before(0xE2) && matches!(l.get(k + 1), Some(0x80 | 0x82)),
        _ => false,
    }
}

impl Keeper for IndentedCode {
    fn find(&self, text: &str, lines: &[LineSpan], out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let line = |i: usize| &bytes[lines[i].content.clone()];
        let n = lines.len();
        // Whether the page has paragraphs, counted once it matters (most pages have no
        // indented line that is not after a blank one).
        let mut paragraphs = None;
        let mut i = 0;
        while i < n {
            // Only a line after a blank one opens a block: an indented line inside a
            // paragraph continues it. Without paragraphs, any line not indented does.
            // (Tested in this order, cheapest and rarest first.)
            if lines[i].blank || !indented(line(i)) {
                i += 1;
                continue;
            }
            if i > 0 && !lines[i - 1].blank {
                let has_paragraphs = *paragraphs.get_or_insert_with(|| {
                    lines.iter().filter(|l| l.blank).count() as f64 >= self.min_blank_share * n as f64
                });
                if has_paragraphs || indented(line(i - 1)) {
                    i += 1;
                    continue;
                }
            }
            let (mut last, mut total, mut code, mut links) = (i, 0usize, 0usize, false);
            let mut j = i;
            while j < n && (lines[j].blank || indented(line(j))) {
                if !lines[j].blank {
                    last = j;
                    total += 1;
                    // A block with a markdown link is a menu: no need to read on.
                    links = links || memchr::memmem::find(line(j), b"](").is_some();
                    code += (!links && reads_like_code(line(j))) as usize;
                }
                j += 1;
            }
            if !links && total >= self.min_lines && code as f64 >= self.min_code_share * total as f64 {
                out.push(i..last + 1);
            }
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::decide::split_lines;

    fn blocks(text: &str) -> Vec<Range<usize>> {
        let keeper = build("indented-code", &toml::Table::new()).unwrap();
        let mut out = Vec::new();
        let mut lines = Vec::new();
        split_lines(text, &mut lines);
        keeper.find(text, &lines, &mut out);
        out
    }

    #[test]
    fn an_indented_query_after_a_blank_line_is_code() {
        let text = "Run this:\n\n    SELECT name\n    FROM users\n    WHERE id = 42;\n\nThen look.\n";
        assert_eq!(blocks(text), vec![2..5]);
    }

    #[test]
    fn blank_lines_inside_a_block_keep_it_whole() {
        let text = "Intro.\n\n    x = 1\n\n    y = f(x)\n\nAfter.\n";
        assert_eq!(blocks(text), vec![2..5]);
    }

    #[test]
    fn nested_menus_headlines_and_archives_are_not_code() {
        // A plain nested menu, indented headings, an archive list, a markdown menu.
        for text in [
            "Docs\n\n    Getting started\n    Understanding Z-Score\n",
            "News\n\n    ### Trump taps Mattis as defense chief\n    ### The real problem behind fake news\n",
            "Archive\n\n    January (27)\n    February (30)\n    March (33)\n",
            "Menu\n\n    * [Home](/)\n    * [a = b](/x)\n",
        ] {
            assert!(blocks(text).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn an_indented_line_inside_a_paragraph_opens_no_block() {
        let text = "Intro.\n\nA paragraph that goes on\n    x = 1\n    y = 2\n\nEnd.\n";
        assert!(blocks(text).is_empty());
    }

    #[test]
    fn without_blank_lines_an_unindented_line_opens_a_block() {
        // A WET record: no blank lines, so no paragraph an indented line could continue.
        let text = "Run this:\n    SELECT name\n    FROM users\n    WHERE id = 42;\nThen look.\n";
        assert_eq!(blocks(text), vec![1..4]);
        // The same on a page with paragraphs is a paragraph's continuation.
        let text = format!("Intro.\n\n{text}\nMore.\n\nEnd.\n");
        assert!(blocks(&text).is_empty(), "{text:?}");
    }

    #[test]
    fn shell_commands_read_like_code_by_their_long_options_and_home_paths() {
        let text = "Install it:\n\n    sudo apt install fooctl\n    fooctl init --dir work\n    cd ~/work\n\nDone.\n";
        assert_eq!(blocks(text), vec![2..5]);
        // A dash pair in prose is not an option: spaced after, or between numbers.
        for line in ["    Pros -- and cons", "    The 2019--2020 season", "    Home / About"] {
            assert!(!reads_like_code(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn one_line_is_not_enough() {
        assert!(blocks("Intro.\n\n    {\"loadingDistance\":600}\n").is_empty());
    }
}
