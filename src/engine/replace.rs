//! Step 5 of `decide`: `replace` rules rewrite spans of the lines that are left.
//!
//! In a text wrapped at a fixed width, a paragraph's run of kept lines is matched as one
//! line, the wrapper's line breaks read as spaces (the joined copy of
//! [`Wrapping::join_paragraphs`](super::unwrap::Wrapping::join_paragraphs), which keeps
//! every byte's offset), as the line rules see it: a span the wrapper cut in two is found.
//! Each match is then cut back into a rewrite per line it covers, so that the cleaned text
//! keeps the text's own line breaks.

use std::ops::Range;

use super::Engine;
use super::decide::{LineSpan, Removal, Rewrite, RewriteBy, apply_rewrites, is_blank, within};

/// What the replace rules see of one document.
pub(super) struct ReplaceInput<'a> {
    pub text: &'a str,
    pub lines: &'a [LineSpan],
    /// A wrapped text's joined copy and, per paragraph (line of the copy), its first line
    /// in `lines`; `None` for a text that is not wrapped, each line its own paragraph.
    pub joined: Option<(&'a str, &'a [u32])>,
    pub protected: &'a [bool],
    /// Per pack, whether it applies to this document.
    pub active: &'a [bool],
    /// How many paragraphs are not blank: the position limits count them, as the line
    /// rules do on a wrapped text.
    pub total_nonblank: usize,
}

impl Engine {
    /// Runs the replace rules on the kept, unprotected lines: rewrites, and the lines a
    /// rewrite left blank as removals by its rule (marked in `removed`, added to
    /// `removals` in line order).
    pub(super) fn replace_spans(
        &self,
        input: &ReplaceInput,
        removed: &mut [bool],
        removals: &mut Vec<Removal>,
    ) -> Vec<Rewrite> {
        let mut rewrites = Vec::new();
        if self.replaces.is_empty() {
            return rewrites;
        }
        let (source, paragraphs) = match input.joined {
            Some((joined, starts)) => (joined, Some(starts)),
            None => (input.text, None),
        };
        let lines = input.lines;
        let paragraph_count = paragraphs.map_or(lines.len(), <[u32]>::len);
        let paragraph = |p: usize| match paragraphs {
            Some(starts) => starts[p] as usize..starts.get(p + 1).map_or(lines.len(), |&next| next as usize),
            None => p..p + 1,
        };
        let before_replaces = removals.len();
        let (mut found, mut pieces) = (Vec::new(), Vec::new());
        let mut rank = 0;
        for p in 0..paragraph_count {
            let para = paragraph(p);
            if lines[para.start].blank {
                continue; // a wrapped paragraph has no blank line
            }
            // The runs of the paragraph's lines that nothing removed or protected; most
            // paragraphs are one line.
            let mut first = para.start;
            while first < para.end {
                if removed[first] || input.protected[first] {
                    first += 1;
                    continue;
                }
                let mut end = first + 1;
                while end < para.end && !removed[end] && !input.protected[end] {
                    end += 1;
                }
                let run = first..end;
                first = end;
                found.clear();
                self.find_replacements(
                    input.active,
                    source,
                    lines,
                    run.clone(),
                    (rank, input.total_nonblank),
                    &mut found,
                );
                if found.is_empty() {
                    continue; // most lines: nothing to apply, no copy of the line to test
                }
                // Overlapping spans: the earliest wins; the others are dropped.
                found.sort_by_key(|w| (w.bytes.start, std::cmp::Reverse(w.bytes.end)));
                let mut keep_until = 0;
                found.retain(|w| {
                    let keep = w.bytes.start >= keep_until;
                    if keep {
                        keep_until = w.bytes.end;
                    }
                    keep
                });
                pieces.clear();
                for w in found.drain(..) {
                    cut_at_lines(input.text, lines, run.clone(), w, &mut pieces);
                }
                apply_pieces(input.text, lines, &mut pieces, removed, removals, &mut rewrites);
            }
            rank += 1;
        }
        // Lines emptied by a rewrite were added in order after the others.
        if removals.len() > before_replaces {
            removals.sort_by_key(|r| r.lines.start);
        }
        rewrites
    }

    /// The matches of the replace rules in lines `run` (read in `source`, where they are
    /// one line if a wrapper cut them), as rewrites with input offsets, all said to be on
    /// the run's first line. `rank`: the paragraph's among the non-blank ones, and their
    /// number.
    fn find_replacements(
        &self,
        active: &[bool],
        source: &str,
        lines: &[LineSpan],
        run: Range<usize>,
        (rank, total): (usize, usize),
        found: &mut Vec<Rewrite>,
    ) {
        let span = lines[run.start].content.start..lines[run.end - 1].content.end;
        let line = &source[span.clone()];
        for (r, x) in self.replace_index.candidates(line) {
            let r = &self.replaces[r];
            let rule = &self.rules[r.rule as usize];
            if !active[rule.pack as usize] || !within(rule.position, rank, total) {
                continue;
            }
            // `is_match` first: most lines match no replace rule, and it is the cheapest
            // search (no capture slots to set up).
            let re = &r.regexes[x].regex;
            if !re.is_match(line) {
                continue;
            }
            for caps in re.captures_iter(line) {
                let m = caps.get(0).expect("group 0");
                if m.is_empty() {
                    continue;
                }
                let mut replacement = String::new();
                caps.expand(&r.with, &mut replacement);
                found.push(Rewrite {
                    by: RewriteBy::Rule(r.rule),
                    line: run.start,
                    bytes: span.start + m.start()..span.start + m.end(),
                    replacement,
                    continues_from: None,
                });
            }
        }
    }
}

/// Applies one run's rewrites (`pieces`: sorted, each within its line): a line they leave
/// blank is removed by the rule of its first rewrite (one removal for the lines of a run
/// that one rule emptied one after another); the other lines keep their rewrites.
fn apply_pieces(
    text: &str,
    lines: &[LineSpan],
    pieces: &mut Vec<Rewrite>,
    removed: &mut [bool],
    removals: &mut Vec<Removal>,
    rewrites: &mut Vec<Rewrite>,
) {
    let run_removals = removals.len();
    let mut pieces = pieces.drain(..).peekable();
    let mut on_line = Vec::new();
    while let Some(piece) = pieces.next() {
        let l = piece.line;
        on_line.clear();
        on_line.push(piece);
        on_line.extend(std::iter::from_fn(|| pieces.next_if(|p| p.line == l)));
        let rest = apply_rewrites(text, lines[l].content.clone(), &on_line);
        if !is_blank(&rest) {
            rewrites.append(&mut on_line);
            continue;
        }
        let RewriteBy::Rule(rule) = on_line[0].by else { unreachable!("only replace rules here") };
        // A line that only the rest of an earlier line's match emptied is no hit of its own.
        let continues_from = on_line[0].continues_from.filter(|_| on_line.iter().all(|p| p.continues_from.is_some()));
        removed[l] = true;
        let from_this_run = removals.len() > run_removals;
        match removals.last_mut() {
            // A new match does not join the removal of an earlier match's rest: it is a hit.
            Some(r)
                if from_this_run
                    && r.rule == rule
                    && r.lines.end == l
                    && (r.continues_from.is_none() || continues_from.is_some()) =>
            {
                r.lines.end = l + 1;
                r.bytes.end = lines[l].end;
            }
            _ => removals.push(Removal {
                rule,
                lines: l..l + 1,
                bytes: lines[l].content.start..lines[l].end,
                detail: None,
                continues_from,
            }),
        }
    }
}

/// Cuts rewrite `w`, whose bytes may run over several of lines `run`, into one rewrite per
/// line it covers, appended to `out`: the first carries the replacement, the others
/// delete and say which line the match began on (`continues_from`). On a line the match
/// only goes on to, the line's indentation stays and the spaces after the match go with it,
/// so that what is left starts where the line's text did ("needed) and a hearing." keeps
/// "and a hearing.", not " and a hearing.").
fn cut_at_lines(text: &str, lines: &[LineSpan], run: Range<usize>, w: Rewrite, out: &mut Vec<Rewrite>) {
    if run.len() == 1 {
        out.push(w);
        return;
    }
    let bytes = text.as_bytes();
    let mut replacement = Some(w.replacement);
    let mut first_line = None;
    for l in run {
        let content = lines[l].content.clone();
        if content.start >= w.bytes.end {
            break;
        }
        let goes_on = w.bytes.start < content.start;
        let mut start = w.bytes.start.max(content.start);
        let mut end = w.bytes.end.min(content.end);
        if goes_on {
            start = start
                .max(content.start + (bytes[content.clone()].iter().take_while(|b| b.is_ascii_whitespace()).count()));
            if end < content.end {
                end += bytes[end..content.end].iter().take_while(|b| b.is_ascii_whitespace()).count();
            }
        }
        if start >= end {
            continue;
        }
        // The spaces taken after the match stop where the next match on the line begins.
        if let Some(previous) = out.last_mut().filter(|p| p.line == l && p.bytes.end > start) {
            previous.bytes.end = start;
        }
        out.push(Rewrite {
            by: w.by,
            line: l,
            bytes: start..end,
            replacement: replacement.take().unwrap_or_default(),
            continues_from: first_line,
        });
        first_line = first_line.or(Some(l));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::decide::split_lines;

    fn rewrite(bytes: Range<usize>, replacement: &str) -> Rewrite {
        Rewrite { by: RewriteBy::Rule(0), line: 0, bytes, replacement: replacement.into(), continues_from: None }
    }

    /// The pieces of one match over lines `run`, as (line, text taken, replacement).
    fn cut(text: &str, run: Range<usize>, matches: &[(&str, &str)]) -> Vec<(usize, String, String)> {
        let mut lines = Vec::new();
        split_lines(text, &mut lines);
        let mut out = Vec::new();
        for (span, with) in matches {
            let start = text.find(span).expect("span in text");
            cut_at_lines(text, &lines, run.clone(), rewrite(start..start + span.len(), with), &mut out);
        }
        out.into_iter().map(|w| (w.line, text[w.bytes].to_string(), w.replacement)).collect()
    }

    #[test]
    fn a_match_over_lines_is_cut_at_them_keeping_indentation() {
        // The wrapper's break reads as a space; the second line is indented.
        let text = "a long line ends (ad: one\n   two) and more\n";
        let pieces = cut(text, 0..2, &[("(ad: one\n   two)", "[x]")]);
        assert_eq!(pieces, [(0, "(ad: one".to_string(), "[x]".to_string()), (1, "two) ".to_string(), String::new())]);
        // A match over three lines empties the middle one.
        let text = "text (ad: one\ntwo three\nfour) more\n";
        let pieces: Vec<_> = cut(text, 0..3, &[("(ad: one\ntwo three\nfour)", "")]).into_iter().map(|p| p.1).collect();
        assert_eq!(pieces, ["(ad: one", "two three", "four) "]);
    }

    #[test]
    fn spaces_taken_after_a_match_stop_at_the_next_one() {
        let text = "text (ad: one\ntwo) (ad: three) end\n";
        let pieces: Vec<_> =
            cut(text, 0..2, &[("(ad: one\ntwo)", ""), (" (ad: three)", "")]).into_iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(pieces, [(0, "(ad: one".into()), (1, "two)".into()), (1, " (ad: three)".into())]);
        // A match on one line of a run is left as it is.
        let pieces = cut("a (ad) b\nc\n", 0..1, &[("(ad)", "")]);
        assert_eq!(pieces, [(0, "(ad)".to_string(), String::new())]);
    }
}
