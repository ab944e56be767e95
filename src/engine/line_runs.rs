//! `line-runs`: runs of short lines of one shape, the shape given by a regex in the pack.
//! A sidebar's "Topics" or "Archives" box keeps its post counts when the links are gone
//! ("small business tips (188)", "March 2021 (4)"): one such line may be an article's, a
//! run of them is a widget.

use regex::Regex;
use serde::Deserialize;

use super::detectors::{Detection, Detector, DocView, Run};

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    pattern: String,
    min_lines: usize,
    /// Longer lines are never in a run and are not matched at all: the pattern costs
    /// nothing on the article's paragraphs.
    max_chars: usize,
}

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
        Ok(LineRuns { end_anchored, ends, min_lines: p.min_lines, max_chars: p.max_chars })
    }

    /// Whether line `i` is one of a run's lines: only short lines whose last two bytes a
    /// match can end with go to the regex.
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
        use regex_automata::{Anchored, Input, hybrid::dfa::DFA, nfa::thompson};
        // `\b` is a Unicode word boundary, which a lazy DFA takes only by giving up on
        // non-ASCII bytes: those it gives up on lead to a "quit" state, not a dead one, so
        // they pass.
        let dfa = DFA::builder()
            .configure(DFA::config().unicode_word_boundary(true))
            .thompson(thompson::Config::new().reverse(true))
            .build(end_anchored)
            .map_err(|e| e.to_string())?;
        let mut cache = dfa.create_cache();
        let err = |e: regex_automata::hybrid::CacheError| e.to_string();
        let start =
            dfa.start_state_reverse(&mut cache, &Input::new("").anchored(Anchored::Yes)).map_err(|e| e.to_string())?;
        let mut after_last = Vec::new();
        for last in 0..=255u8 {
            let state = dfa.next_state(&mut cache, start, last).map_err(err)?;
            if !state.is_dead() {
                after_last.push((last, state));
            }
        }
        let mut ends = Ends { last: [0; 256], before: Vec::new() };
        if after_last.len() > Self::MAX_ROWS {
            ends.before.push([true; 256]);
            for (last, _) in after_last {
                ends.last[last as usize] = 1;
            }
            return Ok(ends);
        }
        for (last, state) in after_last {
            let mut before = [true; 256];
            // Past a quit state the DFA knows nothing: every byte before it passes.
            if !state.is_quit() {
                for (b, can) in before.iter_mut().enumerate() {
                    *can = !dfa.next_state(&mut cache, state, b as u8).map_err(err)?.is_dead();
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
    }
}
