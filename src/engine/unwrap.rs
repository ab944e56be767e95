//! Paragraphs of a text wrapped at a fixed width.
//!
//! html2text (78 columns by default), `lynx -dump` and mail archives cut every paragraph
//! into lines of at most a width. Each such line is short and most end without a sentence's
//! punctuation, which is what a menu entry looks like, so the scorer judged them one by one
//! and dropped them. A greedy wrapper breaks a line only where the next word would not fit:
//! where that holds, the lines are one paragraph. [`Wrapping`] joins them for the line rules
//! and the structural detectors, which see each paragraph as one line, as they would have
//! before the text was wrapped; [`Paragraphs`] joins them for the scorer, which scores each
//! as one line (and ends a paragraph at a sentence's end as well: see `runs_on`).

use std::ops::Range;

use super::decide::LineSpan;

/// A text wrapped at a fixed width, judged once on all of its non-blank lines (what rules
/// remove does not change it).
pub struct Wrapping<'a> {
    text: &'a str,
    lines: &'a [LineSpan],
    width: usize,
}

impl<'a> Wrapping<'a> {
    /// How `text` was wrapped (html2text, `lynx -dump`, mail archives), if it was (see
    /// `wrap_width`).
    pub fn of(text: &'a str, lines: &'a [LineSpan]) -> Option<Self> {
        let line = |i: usize| &text[lines[i].content.clone()];
        let width = wrap_width((0..lines.len()).filter(|&i| !lines[i].blank).map(line))?;
        Some(Wrapping { text, lines, width })
    }

    /// The width its paragraphs were cut at.
    pub fn width(&self) -> usize {
        self.width
    }

    fn line(&self, i: usize) -> &'a str {
        &self.text[self.lines[i].content.clone()]
    }

    /// Whether the wrapper cut line `i` off from line `i + 1` (see [`broke_before`]):
    /// sentences may end at a line's end inside a paragraph. The cheap tests come first.
    fn broke_after(&self, i: usize) -> bool {
        i + 1 < self.lines.len()
            && !self.lines[i].blank
            && !self.lines[i + 1].blank
            && broke_before(self.line(i), self.line(i + 1), self.width)
    }

    /// Writes the text into `joined` with each paragraph on one line (the line breaks the
    /// wrapper made become spaces, so every byte keeps its offset), and into `starts`, per
    /// line of `joined`, its first line here. The rules match there as they would on the
    /// text before it was wrapped: a phrase cut in two is found, a pattern anchored at a
    /// line's start or end holds at the paragraph's, and a detector counts a paragraph as one
    /// line.
    pub fn join_paragraphs(&self, joined: &mut String, starts: &mut Vec<u32>) {
        joined.clear();
        starts.clear();
        let (mut copied, mut goes_on) = (0, false);
        for i in 0..self.lines.len() {
            if !goes_on {
                starts.push(i as u32);
            }
            goes_on = self.broke_after(i);
            if goes_on {
                let (end, next) = (self.lines[i].content.end, self.lines[i + 1].content.start);
                joined.push_str(&self.text[copied..end]);
                joined.extend(std::iter::repeat_n(' ', next - end));
                copied = next;
            }
        }
        joined.push_str(&self.text[copied..]);
    }
}

/// The joined paragraphs of one text, reused from one document to the next.
#[derive(Default)]
pub struct Paragraphs {
    /// The paragraphs' text, each one's lines joined with a space.
    text: String,
    /// Per scored line: its text in `text`.
    spans: Vec<Range<usize>>,
    /// Per scored line: one past its last line in the document.
    ends: Vec<usize>,
}

/// A text is taken as wrapped only when its width is at most this many characters...
const MAX_WIDTH: usize = 100;
const MIN_WIDTH: usize = 40;
/// ...and at least 5 of its lines, and 2% of them, come within this many characters of it.
/// Not more: a page's menus and link lists can outnumber its wrapped lines many times over
/// (a tenth had left six dev pages unjoined, one of them losing 93% of its text).
const NEAR_WIDTH: usize = 10;
/// A line shorter than the width by more than this ends its paragraph, whatever follows.
const MAX_SHORTFALL: usize = 25;

impl Paragraphs {
    /// When the text was wrapped at `width` (see `wrap_width`: judged on all of its lines,
    /// since what rules removed does not change how it was wrapped), joins each paragraph's
    /// lines among `considered` (document line numbers of the lines the scorer sees, `line`
    /// their text): `considered` keeps each paragraph's first line, and `line(k)` and
    /// `end(k)` give the `k`th one's joined text and where it ends. Returns whether it
    /// joined any; if not, `considered` is as it was.
    pub fn join<'a>(
        &mut self,
        considered: &mut Vec<usize>,
        line: impl Fn(usize) -> &'a str,
        width: Option<usize>,
    ) -> bool {
        self.text.clear();
        self.spans.clear();
        self.ends.clear();
        let Some(width) = width else { return false };
        let continues = |j: usize| {
            considered[j + 1] == considered[j] + 1 && runs_on(line(considered[j]), line(considered[j + 1]), width)
        };
        if !(0..considered.len().saturating_sub(1)).any(continues) {
            return false;
        }
        let mut firsts = Vec::with_capacity(considered.len());
        let mut j = 0;
        while j < considered.len() {
            let start = self.text.len();
            self.text.push_str(line(considered[j]).trim_end());
            let first = considered[j];
            while j + 1 < considered.len() && continues(j) {
                j += 1;
                self.text.push(' ');
                self.text.push_str(line(considered[j]).trim());
            }
            self.spans.push(start..self.text.len());
            self.ends.push(considered[j] + 1);
            firsts.push(first);
            j += 1;
        }
        *considered = firsts;
        true
    }

    /// The `k`th scored line's text: a paragraph's lines joined.
    pub fn line(&self, k: usize) -> &str {
        &self.text[self.spans[k].clone()]
    }

    /// One past the document line where the `k`th scored line ends.
    pub fn end(&self, k: usize) -> usize {
        self.ends[k]
    }
}

/// The width the lines were wrapped at, if they look wrapped: the 99th percentile of their
/// lengths, between [`MIN_WIDTH`] and [`MAX_WIDTH`], with 5 of the lines and 2% of them
/// within [`NEAR_WIDTH`] of it. A text that is not wrapped has paragraphs far longer.
fn wrap_width<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> Option<usize> {
    let n = lines.clone().count();
    if n < 10 {
        return None;
    }
    // Most texts have paragraphs: more than 1% of their lines past the widest width, found
    // after a few of them and without counting characters (a line of up to MAX_WIDTH bytes
    // has at most as many characters, one of more than four times that has more).
    let allowed = n - 1 - (n - 1) * 99 / 100;
    let mut past = 0;
    for line in lines.clone() {
        let line = line.trim_end();
        let long = line.len() > MAX_WIDTH && (line.len() > 4 * MAX_WIDTH || line.chars().count() > MAX_WIDTH);
        past += long as usize;
        if past > allowed {
            return None;
        }
    }
    let mut lengths: Vec<usize> = lines.map(|l| l.trim_end().chars().count()).collect();
    lengths.sort_unstable();
    let width = lengths[(lengths.len() - 1) * 99 / 100];
    let near = lengths.iter().filter(|&&l| l + NEAR_WIDTH >= width && l <= width).count();
    ((MIN_WIDTH..=MAX_WIDTH).contains(&width) && near >= 5 && near * 50 >= lengths.len()).then_some(width)
}

/// Whether line `next`, right below `here` in a text wrapped at `width`, goes on with its
/// paragraph: a greedy wrapper broke the line there (see [`broke_before`]), and `here` does
/// not end a sentence. Where it does, a line of its own may follow as well.
fn runs_on(here: &str, next: &str, width: usize) -> bool {
    !here.trim_end().ends_with(['.', '!', '?', ':', ';']) && broke_before(here, next, width)
}

/// Whether a greedy wrapper at `width` broke a line between `here` and `next`: `here` is
/// as full as it leaves a line (`next`'s first word would not have fitted), and `next`
/// opens no block of its own.
fn broke_before(here: &str, next: &str, width: usize) -> bool {
    let (here, next) = (here.trim_end(), next.trim());
    if here.len() + MAX_SHORTFALL < width {
        return false; // a line of n bytes has at most n characters
    }
    let len = here.chars().count();
    let first_word = next.split(' ').next().map_or(0, |w| w.chars().count());
    len + MAX_SHORTFALL >= width && len + 1 + first_word > width && !starts_block(next)
}

/// A line that starts a block of its own: a list item, a heading, a quote, a table row.
fn starts_block(line: &str) -> bool {
    super::features::list_item_body(line).is_some() || line.starts_with(['#', '>', '|'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn join(text: &str) -> Option<(Vec<usize>, Vec<String>, Vec<usize>)> {
        let lines: Vec<&str> = text.lines().collect();
        let mut considered: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].trim().is_empty()).collect();
        let mut p = Paragraphs::default();
        let width = wrap_width(considered.iter().map(|&i| lines[i]));
        p.join(&mut considered, |i| lines[i], width).then(|| {
            let joined = (0..considered.len()).map(|k| p.line(k).to_string()).collect();
            let ends = (0..considered.len()).map(|k| p.end(k)).collect();
            (considered, joined, ends)
        })
    }

    /// Two paragraphs wrapped at 72 columns by a greedy wrapper (Python's `textwrap`),
    /// between short lines that are not.
    const WRAPPED: &str = "Home\nNews\n\n\
        The storm swept across the region overnight, and more than forty\n\
        thousand homes lost power before dawn. Crews worked through the morning\n\
        to restore it, and by noon most of the city had light again.\n\n\
        Schools in three counties were closed, and officials urged residents to\n\
        stay off the roads until Wednesday, when the snow is expected to ease\n\
        and the ploughs can reach the smaller villages in the hills north of\n\
        town.\n\n\
        Related: five ways to prepare for an outage\n\
        Most read\n";

    #[test]
    fn a_wrapped_text_is_joined_into_its_paragraphs() {
        let (considered, joined, ends) = join(WRAPPED).expect("wrapped");
        assert_eq!(considered, [0, 1, 3, 7, 12, 13]);
        assert_eq!(ends, [1, 2, 6, 11, 13, 14]);
        assert_eq!(
            joined[2],
            "The storm swept across the region overnight, and more than forty thousand homes lost power before \
             dawn. Crews worked through the morning to restore it, and by noon most of the city had light again."
        );
        assert!(joined[3].starts_with("Schools in three") && joined[3].ends_with("in the hills north of town."));
        assert_eq!(joined[4], "Related: five ways to prepare for an outage");
    }

    #[test]
    fn a_line_that_ends_a_sentence_or_opens_a_list_ends_its_paragraph() {
        // "…morning" ends with a full stop now: the next line starts a paragraph of its own.
        let stopped = WRAPPED.replace("through the morning\n", "through the night.\n");
        let (considered, _, _) = join(&stopped).expect("still wrapped");
        assert_eq!(considered, [0, 1, 3, 5, 7, 12, 13]);
        // A list item after a full line is an item, not the line's continuation.
        let listed = WRAPPED.replace("to restore it,", "* restore it,");
        let (considered, _, _) = join(&listed).expect("still wrapped");
        assert_eq!(considered, [0, 1, 3, 5, 7, 12, 13]);
    }

    #[test]
    fn a_wrapped_article_under_a_long_menu_is_joined() {
        // 100 menu lines, then 10 of 122 lines near the width (8%).
        let menu = "Home\nNews\nSport\nWeather\nTravel\n".repeat(20);
        let (considered, joined, _) = join(&format!("{menu}\n{WRAPPED}{WRAPPED}")).expect("wrapped");
        assert_eq!(considered.len(), 100 + 2 * 6);
        assert!(joined[102].starts_with("The storm swept") && joined[102].ends_with("had light again."));
    }

    #[test]
    fn text_that_is_not_wrapped_is_left_as_it_is() {
        // Paragraphs on one line each: far past any wrapping width.
        let unwrapped = WRAPPED.replace("forty\nthousand", "forty thousand").replace("morning\nto", "morning to");
        let long = format!(
            "{unwrapped}\n{}\n",
            "A paragraph that runs on well past a hundred characters, as web text does when no one wraps it at all. "
                .repeat(3)
        );
        assert!(join(&long).is_none());
        // Short lines only (a menu, a list of headlines): nothing to join.
        assert!(join(&"Home\nNews\nSport\nWeather\nTravel\nCulture\n".repeat(3)).is_none());
        // Too few lines to tell.
        assert!(join("The storm swept across the region overnight, and more than forty\nthousand homes.\n").is_none());
    }
}
