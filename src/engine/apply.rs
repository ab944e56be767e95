//! Apply, once: drop removed lines, apply rewrites to kept lines, repair paragraphs that
//! were split mid-sentence, and collapse the runs of blank lines that removals left.
//! The document's own line endings and its own spacing elsewhere are kept.

use super::decide::{Decisions, LineSpan, Rewrite, RewriteBy, apply_rewrites, is_blank};

/// Text of the cleaned document, written into `out` (cleared), and the paragraph-repair
/// rewrites made on the way.
pub fn apply(text: &str, lines: &[LineSpan], d: &Decisions, mut out: String) -> (String, Vec<Rewrite>) {
    out.clear();
    out.reserve(text.len());
    let mut repairs = Vec::new();
    let mut rewrites = d.rewrites.iter().peekable();

    // The last emitted non-blank line: its start in `out`, where its content ends in the
    // input, and its terminator, which is written only once we know it is not joined.
    let mut previous: Option<(usize, usize, &str)> = None;
    // The gap since then: kept blank lines, and blank counts per segment between removals.
    let mut gap_blanks: Vec<usize> = Vec::new();
    let mut segments: Vec<usize> = vec![0];
    let mut gap_has_removal = false;

    for (i, line) in lines.iter().enumerate() {
        // Most lines: kept, not blank, no rewrite, nothing removed since the last emitted
        // line and no paragraph to join: the previous terminator, the blank lines between
        // (all kept) and this content are contiguous in the input, copied at once.
        if !d.removed[i]
            && !line.blank
            && !gap_has_removal
            && rewrites.peek().is_none_or(|w| w.line != i)
            && let Some((prev_start, prev_end, _)) = previous
            && (gap_blanks.is_empty()
                || !(d.repair_paragraphs && should_join(&out[prev_start..], &text[line.content.clone()])))
        {
            let start = out.len() + (line.content.start - prev_end);
            out.push_str(&text[prev_end..line.content.end]);
            previous = Some((start, line.content.end, &text[line.content.end..line.end]));
            gap_blanks.clear();
            segments.clear();
            segments.push(0);
            continue;
        }
        if d.removed[i] {
            gap_has_removal = true;
            segments.push(0);
            continue;
        }
        let mut on_line = Vec::new();
        while let Some(w) = rewrites.next_if(|w| w.line == i) {
            on_line.push(w.clone());
        }
        let content = if on_line.is_empty() {
            std::borrow::Cow::Borrowed(&text[line.content.clone()])
        } else {
            std::borrow::Cow::Owned(apply_rewrites(text, line.content.clone(), &on_line))
        };
        if if on_line.is_empty() { line.blank } else { is_blank(&content) } {
            gap_blanks.push(i);
            *segments.last_mut().expect("one segment") += 1;
            continue;
        }
        let gap = !gap_blanks.is_empty() || gap_has_removal;
        match previous {
            Some((prev_start, prev_end, _))
                if gap && d.repair_paragraphs && should_join(&out[prev_start..], &content) =>
            {
                let next = content.trim_start();
                let skipped = content.len() - next.len();
                out.push(' ');
                out.push_str(next);
                repairs.push(Rewrite {
                    by: RewriteBy::ParagraphRepair,
                    line: i,
                    bytes: prev_end..line.content.start + skipped.min(line.content.len()),
                    replacement: " ".to_string(),
                    continues_from: None,
                });
                previous = Some((prev_start, line.content.end, &text[line.content.end..line.end]));
            }
            _ => {
                let keep = if !gap_has_removal {
                    gap_blanks.len()
                } else if previous.is_none() {
                    segments[0]
                } else {
                    segments.iter().copied().max().unwrap_or(0)
                };
                if let Some((_, _, terminator)) = previous {
                    out.push_str(terminator);
                }
                for &b in gap_blanks.iter().take(keep) {
                    out.push_str(&text[lines[b].content.start..lines[b].end]);
                }
                let start = out.len();
                out.push_str(&content);
                previous = Some((start, line.content.end, &text[line.content.end..line.end]));
            }
        }
        gap_blanks.clear();
        segments.clear();
        segments.push(0);
        gap_has_removal = false;
    }
    if let Some((_, _, terminator)) = previous {
        out.push_str(terminator);
    }
    let keep = if gap_has_removal { *segments.last().expect("one segment") } else { gap_blanks.len() };
    // At the end, the blank lines after the last removal are the document's own.
    for &b in gap_blanks.iter().rev().take(keep).collect::<Vec<_>>().iter().rev() {
        out.push_str(&text[lines[*b].content.start..lines[*b].end]);
    }
    (out, repairs)
}

/// A paragraph ending without terminal punctuation followed by one starting in lower
/// case was split mid-sentence (by the scrape, or by a removal between them).
pub fn should_join(previous: &str, next: &str) -> bool {
    let n = next.trim_start();
    if !n.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let p = previous.trim_end();
    // Short lines are labels and headings more often than half sentences.
    if p.len() < 40 || p.chars().count() < 40 || p.starts_with(['#', '|', '>']) || n.starts_with(['|', '>']) {
        return false;
    }
    let Some(last) = p.trim_end_matches(['*', '_', '"', '\'', '\u{201D}', '\u{2019}', ')', ']']).chars().last() else {
        return false;
    };
    last.is_alphanumeric() || last == ','
}

#[cfg(test)]
mod tests {
    use super::should_join;

    #[test]
    fn joins_only_mid_sentence_splits() {
        let long = "One possibility is that someone on his team was tasked with introducing the report's two";
        assert!(should_join(long, "narratives, that Trump told Putin"));
        assert!(should_join(
            "In this context, the outcomes are ultimately secondary. For Russia,",
            "the proverbial journey"
        ));
        assert!(!should_join("A finished sentence that is long enough to be a real paragraph.", "lower case start"));
        assert!(!should_join(long, "Upper case start"));
        assert!(!should_join("Top News", "lower"));
        assert!(!should_join("## A heading that is long enough to be considered here", "text"));
    }
}
