//! `line-runs`: runs of short lines of one shape, the shape given by a regex in the pack.
//! A sidebar's "Topics" or "Archives" box keeps its post counts when the links are gone
//! ("small business tips (188)", "March 2021 (4)"): one such line may be an article's, a
//! run of them is a widget.

use regex::Regex;
use regex_automata::hybrid::LazyStateID;
use regex_automata::hybrid::dfa::{Cache, DFA};
use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, Run};
use super::normalize::{normalize_head_into, normalize_into};

/// Drops each run of at least `min_lines` lines that `pattern` matches whole (leading and
/// trailing ASCII whitespace aside), each at most `max_chars` bytes long. Blank lines and lines
/// other rules removed sit inside a run without ending it or counting towards it; any
/// other line ends it.
#[derive(Debug)]
pub struct LineRuns {
    /// The pack's pattern, anchored at the end only: the regex engine then matches from
    /// the end backwards and gives up on most lines at their last character. `member`
    /// asks for a match from the start.
    end_anchored: Regex,
    /// Which last two bytes a match can end with: most short lines end otherwise and are
    /// turned away before the regex's per-search set-up, which costs more than the search
    /// itself on a short line.
    ends: Ends,
    min_lines: usize,
    max_chars: usize,
    /// With a label: only a run right under a line this matches whole counts, and the
    /// label goes with it.
    label: Option<Label>,
}

/// The line a run must follow ("Related articles", "Read more"): a pattern matched whole
/// against the normalised, lower-cased line, as a line rule's would be.
#[derive(Debug)]
struct Label {
    whole: Regex,
    /// The first bytes a label can have: most short lines are turned away by the start of
    /// their normalised form, without normalising the rest.
    heads: Heads,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    pattern: String,
    min_lines: usize,
    /// Longer lines are never in a run and are not matched at all: the pattern costs
    /// nothing on the article's paragraphs.
    max_chars: usize,
    /// The label a run must follow (see `Label`); blank lines and removed lines may come
    /// between. Without it, any run counts.
    after: Option<String>,
}

/// A label is a few words: longer lines (in bytes of the original) are not normalised to
/// be tried.
const MAX_LABEL_CHARS: usize = 60;

impl LineRuns {
    pub fn from_params(params: toml::Table) -> Result<Self, String> {
        let p: Params = super::detectors::params_into(params)?;
        if p.min_lines < 2 {
            return Err(format!(
                "bad params: min_lines {} must be at least 2 (one line is a line rule's job)",
                p.min_lines
            ));
        }
        if p.max_chars == 0 {
            return Err("bad params: max_chars must be at least 1".into());
        }
        // Parsed as written first, so that an error points into the pack's text, not into
        // the anchored copy.
        regex_syntax::Parser::new().parse(&p.pattern).map_err(|e| format!("bad params: pattern: {e}"))?;
        let anchored = format!("(?:{})$", p.pattern);
        let end_anchored = Regex::new(&anchored).map_err(|e| format!("bad params: pattern: {e}"))?;
        let ends = Ends::new(&anchored);
        let label = match p.after {
            Some(after) => {
                regex_syntax::Parser::new().parse(&after).map_err(|e| format!("bad params: after: {e}"))?;
                let anchored = format!("^(?:{after})$");
                let whole = Regex::new(&anchored).map_err(|e| format!("bad params: after: {e}"))?;
                Some(Label { whole, heads: Heads::new(&anchored) })
            }
            None => None,
        };
        Ok(LineRuns { end_anchored, ends, min_lines: p.min_lines, max_chars: p.max_chars, label })
    }

    /// Whether line `i` is a label that a run may follow. A list item is not one, nor an
    /// indented line (a list whose bullets a converter dropped): "See also" in a table of
    /// contents is an entry, not a label over the lines after it.
    fn is_label(&self, label: &Label, doc: &DocView<'_>, i: usize, norm: &mut String) -> bool {
        if doc.lines[i].content.len() > MAX_LABEL_CHARS {
            return false;
        }
        let line = doc.line(i);
        label.heads.may_start_raw(line)
            && matches!(Shape::of(line), Shape::Heading | Shape::Plain)
            && {
                normalize_head_into(line, true, norm, Heads::LEN);
                label.heads.may_start(norm.as_bytes())
            }
            && {
                normalize_into(line, true, norm);
                label.whole.is_match(norm)
            }
    }

    /// Whether line `i` is one of a run's lines: only short lines whose last two bytes a
    /// match can end with go to the regex.
    #[inline(always)]
    fn member(&self, doc: &DocView<'_>, i: usize) -> bool {
        let span = doc.lines[i].content.clone();
        if span.len() > self.max_chars {
            return false;
        }
        // Bytes first: most lines stop at their last two, before a `str` is cut.
        self.ends.may_end(doc.text.as_bytes()[span].trim_ascii_end()) && {
            let line = doc.line(i).trim_ascii();
            self.end_anchored.find(line).is_some_and(|m| m.start() == 0)
        }
    }
}

impl Detector for LineRuns {
    fn detect(&self, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        if let Some(label) = &self.label {
            return self.detect_after(label, doc, out);
        }
        let mut run = Run::default();
        let why = |lines| format!("{lines} lines in a row match the rule's pattern (needs ≥{})", self.min_lines);
        for i in 0..doc.lines.len() {
            if doc.removed[i] || doc.is_blank(i) {
                continue;
            }
            if self.member(doc, i) {
                run.add(i, i);
            } else {
                run.end(self.min_lines, doc, out, why);
            }
        }
        run.end(self.min_lines, doc, out, why);
    }
}

impl LineRuns {
    /// Runs under a label: the label opens a run (removed or not: a line rule may have
    /// taken it already), its members follow, and any other kept line closes it.
    fn detect_after(&self, label: &Label, doc: &DocView<'_>, out: &mut Vec<Detection>) {
        let mut run = Run::default();
        let mut open = false;
        // The first member's shape: the others have it too. A list of headlines is all list
        // items, all headings or all plain lines; a line of another shape is the article
        // going on (its next section's heading, after the list).
        let mut shape = None;
        let mut norm = String::new();
        let why = |lines| {
            format!("{lines} lines in a row under the rule's label match its pattern (needs ≥{})", self.min_lines)
        };
        for i in 0..doc.lines.len() {
            if doc.is_blank(i) {
                continue;
            }
            if self.is_label(label, doc, i, &mut norm) {
                run.end(self.min_lines, doc, out, why);
                run.open_at(i);
                (open, shape) = (true, None);
            } else if doc.removed[i] {
                continue;
            } else if open
                && {
                    let this = Shape::of(doc.line(i));
                    *shape.get_or_insert(this) == this
                }
                && self.member(doc, i)
            {
                run.add(i, i);
            } else {
                run.end(self.min_lines, doc, out, why);
                open = false;
            }
        }
        run.end(self.min_lines, doc, out, why);
    }
}

/// The first `LEN` bytes of the matches of a start-anchored pattern, read off its lazy DFA
/// (see `Ends` for the reverse case): every path of `LEN` bytes from the start state that
/// does not die. Without them (`heads` is `None`) every line passes: a pattern whose
/// matches start too many ways (a broad class), or that the lazy DFA gives up on.
#[derive(Debug)]
struct Heads {
    heads: Option<Vec<[u8; Heads::LEN]>>,
    /// The same paths one and two bytes long, when each starts with a lower-case ASCII
    /// letter: enough to look at the original line without normalising it.
    raw: Option<RawStarts>,
}

#[derive(Debug)]
struct RawStarts {
    letters: [bool; 26],
    /// `pairs[a][b]`: some match starts with letters `a` then `b`.
    pairs: [[bool; 26]; 26],
    /// Bit `(a * 26 + b) * 26 + c`: some match starts with letters `a`, `b`, `c`.
    triples: [u64; 26 * 26 * 26 / 64 + 1],
}

impl RawStarts {
    fn triple(a: usize, b: usize, c: usize) -> (usize, u64) {
        let bit = (a * 26 + b) * 26 + c;
        (bit / 64, 1 << (bit % 64))
    }
}

impl Heads {
    const LEN: usize = 3;
    const MAX_HEADS: usize = 256;

    fn new(start_anchored: &str) -> Self {
        let Ok(Some([firsts, seconds, thirds])) = Self::read_off(start_anchored) else {
            return Heads { heads: None, raw: None };
        };
        let letter = |b: u8| b.is_ascii_lowercase().then(|| (b - b'a') as usize);
        let raw = firsts.iter().all(|p| letter(p[0]).is_some()).then(|| {
            let mut raw =
                RawStarts { letters: [false; 26], pairs: [[false; 26]; 26], triples: [0; 26 * 26 * 26 / 64 + 1] };
            firsts.iter().filter_map(|p| letter(p[0])).for_each(|a| raw.letters[a] = true);
            for p in &seconds {
                if let (Some(a), Some(b)) = (letter(p[0]), letter(p[1])) {
                    raw.pairs[a][b] = true;
                }
            }
            for p in &thirds {
                if let (Some(a), Some(b), Some(c)) = (letter(p[0]), letter(p[1]), letter(p[2])) {
                    let (word, bit) = RawStarts::triple(a, b, c);
                    raw.triples[word] |= bit;
                }
            }
            raw
        });
        let mut heads: Vec<[u8; Self::LEN]> = thirds.into_iter().map(|p| p.try_into().expect("LEN bytes")).collect();
        heads.sort_unstable();
        Heads { heads: Some(heads), raw }
    }

    /// A first look at the original line, before normalising its head. Past the markup
    /// that normalising drops or a list's marker, one, two or three ASCII letters that no
    /// match starts with mean no match: normalising only lower-cases them. (It may keep a
    /// `-`, `+` or `#` skipped here, but then the line starts with no letter, and no match
    /// does.) Anything else (a digit, a non-ASCII character, a letter then markup) is left
    /// to `may_start`.
    fn may_start_raw(&self, line: &str) -> bool {
        let Some(raw) = &self.raw else { return true };
        let bytes = line.as_bytes();
        let Some(at) = bytes.iter().position(|b| {
            !matches!(b, b' ' | b'\t' | b'#' | b'>' | b'*' | b'_' | b'[' | b'!' | b'`' | b'~' | b'-' | b'+')
        }) else {
            return true;
        };
        let letter = |at: usize| {
            bytes.get(at).filter(|b| b.is_ascii_alphabetic()).map(|b| (b.to_ascii_lowercase() - b'a') as usize)
        };
        match (letter(at), letter(at + 1), letter(at + 2)) {
            (Some(a), Some(b), Some(c)) => {
                let (word, bit) = RawStarts::triple(a, b, c);
                raw.triples[word] & bit != 0
            }
            (Some(a), Some(b), None) => raw.pairs[a][b],
            (Some(a), None, _) => raw.letters[a],
            // A letter of another script stays one (lower-cased) once normalised: no
            // match starts with it. (Emoji, quotes and dashes are not letters.)
            _ if bytes[at] >= 0x80 => line[at..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphabetic() || c.to_lowercase().next().is_some_and(|lower| lower.is_ascii())),
            _ => true,
        }
    }

    /// The paths one, two and `LEN` bytes long from the start state.
    fn read_off(start_anchored: &str) -> Result<Option<[Vec<Vec<u8>>; Self::LEN]>, String> {
        use regex_automata::{Anchored, Input};
        let dfa = DFA::new(start_anchored).map_err(|e| e.to_string())?;
        let mut cache = dfa.create_cache();
        let start =
            dfa.start_state_forward(&mut cache, &Input::new("").anchored(Anchored::Yes)).map_err(|e| e.to_string())?;
        let mut paths = vec![(Vec::new(), start)];
        let mut levels: [Vec<Vec<u8>>; Self::LEN] = Default::default();
        for level in &mut levels {
            let mut longer = Vec::new();
            for (path, state) in paths {
                for (b, next) in live_steps(&dfa, &mut cache, state)? {
                    if next.is_quit() {
                        return Ok(None);
                    }
                    let mut p: Vec<u8> = path.clone();
                    p.push(b);
                    longer.push((p, next));
                }
            }
            if longer.len() > Self::MAX_HEADS {
                return Ok(None);
            }
            *level = longer.iter().map(|(p, _)| p.clone()).collect();
            paths = longer;
        }
        Ok(Some(levels))
    }

    /// Whether a line whose normalised form starts with `head` may match. A head shorter
    /// than `LEN` is the whole line: the regex decides.
    fn may_start(&self, head: &[u8]) -> bool {
        match (&self.heads, head.first_chunk::<{ Self::LEN }>()) {
            (Some(heads), Some(first)) => heads.binary_search(first).is_ok(),
            _ => true,
        }
    }
}

/// The bytes that take a lazy DFA from `state` to a state that is not dead (a quit state
/// included: past it the DFA knows nothing), each with that state.
fn live_steps(dfa: &DFA, cache: &mut Cache, state: LazyStateID) -> Result<Vec<(u8, LazyStateID)>, String> {
    let mut steps = Vec::new();
    for b in 0..=255u8 {
        let next = dfa.next_state(cache, state, b).map_err(|e| e.to_string())?;
        if !next.is_dead() {
            steps.push((b, next));
        }
    }
    Ok(steps)
}

/// How a line starts, as markdown or a text converter marks it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Heading,
    ListItem,
    /// Indented by two spaces or a tab and not a list item: a list whose bullets the
    /// converter dropped, or code.
    Indented,
    Plain,
}

impl Shape {
    fn of(line: &str) -> Shape {
        let b = line.as_bytes();
        let t = b.trim_ascii_start();
        let plain = if b.starts_with(b"  ") || b.starts_with(b"\t") { Shape::Indented } else { Shape::Plain };
        let marker_len = match t.first() {
            Some(b'#') => return Shape::Heading,
            Some(b'*' | b'-' | b'+') => 1,
            Some(b'0'..=b'9') => {
                let digits = t.iter().take_while(|c| c.is_ascii_digit()).count();
                if !matches!(t.get(digits), Some(b'.' | b')')) {
                    return plain;
                }
                digits + 1
            }
            _ if t.starts_with("\u{2022}".as_bytes()) => "\u{2022}".len(),
            _ => return plain,
        };
        if matches!(t.get(marker_len), Some(b' ' | b'\t')) { Shape::ListItem } else { plain }
    }
}

/// The last two bytes of the matches of an end-anchored pattern, read off the reverse
/// lazy DFA: a byte can end a match when it takes the DFA out of its start state without
/// killing it, and likewise for the byte before it from there. Only the states one and
/// two bytes from the start are built. (A DFA reports a match one byte late: a pattern
/// that matches the empty string lets every byte through, with no special case.)
#[derive(Debug)]
struct Ends {
    /// For each byte, 0 when no match ends with it, else 1 + its row in `before`.
    last: [u16; 256],
    /// The bytes that can come before one that ends a match.
    before: Vec<[bool; 256]>,
}

impl Ends {
    /// Past this many bytes that can end a match, the byte before goes unchecked: the
    /// pattern ends in a broad class, and building its rows would cost start-up time.
    const MAX_ROWS: usize = 32;

    /// Everything passes: for a pattern the lazy DFA cannot take, the regex decides alone.
    fn any() -> Self {
        Ends { last: [1; 256], before: vec![[true; 256]] }
    }

    /// The filter for `end_anchored`, a pattern the regex crate has accepted.
    fn new(end_anchored: &str) -> Self {
        Self::read_off(end_anchored).unwrap_or_else(|_| Self::any())
    }

    fn read_off(end_anchored: &str) -> Result<Self, String> {
        use regex_automata::{Anchored, Input, nfa::thompson};
        // `\b` is a Unicode word boundary, which a lazy DFA takes only by giving up on
        // non-ASCII bytes: those it gives up on lead to a "quit" state, not a dead one, so
        // they pass.
        let dfa = DFA::builder()
            .configure(DFA::config().unicode_word_boundary(true))
            .thompson(thompson::Config::new().reverse(true))
            .build(end_anchored)
            .map_err(|e| e.to_string())?;
        let mut cache = dfa.create_cache();
        let start =
            dfa.start_state_reverse(&mut cache, &Input::new("").anchored(Anchored::Yes)).map_err(|e| e.to_string())?;
        let after_last = live_steps(&dfa, &mut cache, start)?;
        let mut ends = Ends { last: [0; 256], before: Vec::new() };
        if after_last.len() > Self::MAX_ROWS {
            ends.before.push([true; 256]);
            for (last, _) in after_last {
                ends.last[last as usize] = 1;
            }
            return Ok(ends);
        }
        for (last, state) in after_last {
            // Past a quit state the DFA knows nothing: every byte before it passes.
            let mut before = [state.is_quit(); 256];
            if !state.is_quit() {
                for (b, _) in live_steps(&dfa, &mut cache, state)? {
                    before[b as usize] = true;
                }
            }
            ends.before.push(before);
            ends.last[last as usize] = ends.before.len() as u16;
        }
        Ok(ends)
    }

    /// Whether `line` may end a match. A one-byte line does when its byte can end one:
    /// a match of one byte has no byte before it.
    fn may_end(&self, line: &[u8]) -> bool {
        match line {
            [.., before, last] => match self.last[*last as usize] {
                0 => false,
                row => self.before[row as usize - 1][*before as usize],
            },
            [last] => self.last[*last as usize] != 0,
            [] => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::detectors::tests::run_after_rules;

    const COUNTED: &str = r"[^\s.!?()][^.!?()]{0,59}\s\(\d{1,3}\)";

    fn line_runs(pattern: &str, min_lines: usize, max_chars: usize) -> LineRuns {
        let mut params = toml::Table::new();
        params.insert("pattern".into(), pattern.into());
        params.insert("min_lines".into(), (min_lines as i64).into());
        params.insert("max_chars".into(), (max_chars as i64).into());
        LineRuns::from_params(params).expect("valid params")
    }

    /// The lines (0-based) `line-runs` drops from `text`, given the lines rules removed.
    fn dropped(runs: &LineRuns, text: &str, removed_lines: &[usize]) -> Vec<usize> {
        run_after_rules(runs, text, removed_lines).iter().flat_map(|d| d.lines.clone()).collect()
    }

    #[test]
    fn a_run_of_counted_lines_goes_and_a_shorter_one_stays() {
        let runs = line_runs(COUNTED, 4, 80);
        let text = "Article text.\nTopics\n  tips (188)\n\n  accounting (60)  \nnetsuite (121)\nerp (44)\nFooter.\n";
        // The blank line inside the run goes with it; the heading above and the line
        // after stay; trailing whitespace does not stop a line matching.
        assert_eq!(dropped(&runs, text, &[]), [2, 3, 4, 5, 6]);
        // A line of another shape ends the run: two and two are not four.
        let broken = "tips (188)\naccounting (60)\nThis one is a sentence (12).\nnetsuite (121)\nerp (44)\n";
        assert!(dropped(&runs, broken, &[]).is_empty(), "{:?}", dropped(&runs, broken, &[]));
        // Unless a rule removed it: then the run goes on past it.
        assert_eq!(dropped(&runs, broken, &[2]), [0, 1, 2, 3, 4]);
    }

    const HEADLINE: &str = r"[^.!?]*[^.!?\s]";

    fn labelled_runs(after: &str) -> LineRuns {
        let mut params = toml::Table::new();
        params.insert("pattern".into(), HEADLINE.into());
        params.insert("min_lines".into(), 2.into());
        params.insert("max_chars".into(), 80.into());
        params.insert("after".into(), after.into());
        LineRuns::from_params(params).expect("valid params")
    }

    #[test]
    fn with_a_label_only_the_run_under_it_goes_and_the_label_with_it() {
        let runs = labelled_runs("related( articles)?:?");
        let text = "Short line\nAnother short line\nThe story goes on.\n## Related articles\n\n\
                    Budget shortfall grows\nCycle lanes open\nThe mayor said more.\nTail line\nTail line two\n";
        // The lines above the label are a run of the pattern, but no label heads them; the
        // run ends at the first line of another shape, and what follows it is not a run.
        assert_eq!(dropped(&runs, text, &[]), [3, 4, 5, 6]);
        // A label a line rule already removed still heads its run.
        assert_eq!(dropped(&runs, text, &[3]), [3, 4, 5, 6]);
        // One headline is not a list.
        assert!(dropped(&runs, "Related:\nBudget shortfall grows\nThe mayor said more.\n", &[]).is_empty());
    }

    #[test]
    fn a_labelled_run_keeps_one_shape_and_a_list_item_is_no_label() {
        let runs = labelled_runs("related|see also");
        // Bulleted headlines, then the article's next section heading: the heading stays.
        let text = "Related\n- Budget shortfall grows\n- Cycle lanes open\n\nTrend 5: mental health\nBody.\n";
        assert_eq!(dropped(&runs, text, &[]), [0, 1, 2]);
        // Indented headlines, then a plain line: the plain line stays.
        let text = "Related\n  Budget shortfall grows\n  Cycle lanes open\nGet alerts by email\n";
        assert_eq!(dropped(&runs, text, &[]), [0, 1, 2]);
        // "See also" as an entry of a table of contents heads nothing.
        for toc in ["  * See also\n  * References\n  * Notes\n", "  See also\n  References\n  Notes\n"] {
            assert!(dropped(&runs, toc, &[]).is_empty(), "{toc:?}");
        }
    }

    #[test]
    fn the_pattern_must_match_the_whole_line() {
        let runs = line_runs(COUNTED, 2, 80);
        assert_eq!(dropped(&runs, "tips (188)\nerp (44)\n", &[]), [0, 1]);
        // The end of each line matches, its start does not (a full stop in the label).
        assert!(dropped(&runs, "So it goes. tips (188)\nSo it goes. erp (44)\n", &[]).is_empty());
        // A line longer than `max_chars` is never matched.
        let runs = line_runs(COUNTED, 2, 10);
        assert_eq!(dropped(&runs, "tips (188)\nerp (44)\n", &[]), [0, 1]);
        assert!(dropped(&runs, "tips (188)\naccounting (60)\n", &[]).is_empty());
    }

    #[test]
    fn ends_pass_exactly_the_last_two_bytes_a_match_can_have() {
        let ends = Ends::new(r"(?:\(\d+\))$");
        assert!(ends.may_end(b"x (12)"));
        assert!(!ends.may_end(b"see (a)"), "a letter before `)`");
        assert!(!ends.may_end(b"no count"));
        // One byte that can end a match: the regex decides.
        assert!(ends.may_end(b")") && !ends.may_end(b"x"));
        // A multi-byte character at the end: its last two bytes.
        let ends = Ends::new("(?:café)$");
        assert!(ends.may_end("un café".as_bytes()));
        assert!(!ends.may_end("un cafe".as_bytes()));
        // A pattern that matches the empty string lets anything through.
        let ends = Ends::new("(?:a*)$");
        assert!(ends.may_end(b"xyz") && ends.may_end(b"q"));
        // A Unicode word boundary: the DFA gives up on non-ASCII bytes, which then pass.
        let ends = Ends::new(r"(?:\bde\b)$");
        assert!(ends.may_end(b"x de") && ends.may_end("x d\u{e9}".as_bytes()));
        // A line may end with any of more than `MAX_ROWS` bytes: the byte before is not checked.
        let ends = Ends::new(r"(?:x\w)$");
        assert!(ends.before.len() == 1 && ends.may_end(b"ab") && !ends.may_end(b"a."));
    }

    #[test]
    fn heads_are_the_first_bytes_a_label_can_have() {
        let heads = Heads::new("^(?:read more|related(?: articles)?|more from [^:]{1,30}) ?:?$");
        assert_eq!(heads.heads.as_ref().map(Vec::len), Some(3), "{heads:?}");
        assert!(heads.may_start(b"rea") && heads.may_start(b"related") && heads.may_start(b"more from x"));
        assert!(!heads.may_start(b"the mayor said") && !heads.may_start(b"reb"));
        // Shorter than a head: the regex decides.
        assert!(heads.may_start(b"re") && heads.may_start(b""));
        // A pattern that starts with a broad class has no useful heads: everything passes.
        assert!(Heads::new(r"^(?:\w+ more)$").heads.is_none());
        // The original line's first letter past its markup, before normalising.
        assert!(heads.may_start_raw("## **Related** articles") && heads.may_start_raw("  * [More](#) from us"));
        assert!(!heads.may_start_raw("## The mayor said") && !heads.may_start_raw("- [Budget](#)"));
        assert!(heads.may_start_raw("[12]Read more") && heads.may_start_raw("\u{1F50A} Read more"));
        // Two letters: "rb" starts no label; a letter then markup is left to the next check.
        assert!(!heads.may_start_raw("Rb") && heads.may_start_raw("R**ead more**"));
        // Three: "reb" starts none, "rel" does.
        assert!(!heads.may_start_raw("Rebuzz") && heads.may_start_raw("RELATED"));
        // A letter of another script starts none; the Kelvin sign lower-cases to `k`.
        assert!(!heads.may_start_raw("Ähnliche Artikel") && !heads.may_start_raw("## Статьи"));
        assert!(Heads::new("^(?:kelvin)$").may_start_raw("\u{212A}elvin"));
        // Lines the pattern matches always pass.
        for pattern in [r"^(?:café|caf)$", r"^(?:x\d{2}y)$", r"^(?:ab|a)$", r"^(?:(?i)share)$"] {
            let (regex, heads) = (Regex::new(pattern).unwrap(), Heads::new(pattern));
            for line in ["café", "caf", "x12y", "ab", "a", "SHARE", "share", "Share"] {
                let passes = heads.may_start(line.as_bytes()) && heads.may_start_raw(line);
                assert!(!regex.is_match(line) || passes, "{pattern} on {line:?}");
            }
        }
    }

    /// The filter only saves the regex work: a line the pattern matches always passes it.
    #[test]
    fn ends_never_turn_away_a_match() {
        let patterns =
            [COUNTED, r"\bde\b", r"\w+:", r"[a-z]*", r"café|\d{2,}", r"(?i)share|tweet", r"\p{Greek}+", r"x\s*"];
        let lines =
            ["tips (188)", "de", "Note:", "", "z", "un café", "1999", "SHARE", "Tweet", "αβγ", "x  ", "a (1)", "é"];
        for pattern in patterns {
            let anchored = format!("(?:{pattern})$");
            let (regex, ends) = (Regex::new(&anchored).unwrap(), Ends::new(&anchored));
            for line in lines.iter().filter(|l| !l.is_empty()) {
                let matched = regex.find(line).is_some_and(|m| m.start() == 0);
                assert!(!matched || ends.may_end(line.as_bytes()), "{pattern} on {line:?}");
            }
        }
    }

    #[test]
    fn bad_params_are_named() {
        let err = |table: toml::Table| LineRuns::from_params(table).unwrap_err();
        assert!(err(toml::toml! { pattern = "a" min_lines = 1 max_chars = 80 }).contains("min_lines 1"));
        let unclosed = err(toml::toml! { pattern = "(a" min_lines = 4 max_chars = 80 });
        assert!(unclosed.contains("pattern") && !unclosed.contains("(?:"), "{unclosed}");
        assert!(err(toml::toml! { pattern = "a" min_lines = 4 }).contains("max_chars"));
        let label = err(toml::toml! { pattern = "a" min_lines = 2 max_chars = 80 after = "[x" });
        assert!(label.contains("after:") && !label.contains("^(?:"), "{label}");
    }
}
