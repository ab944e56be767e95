//! The normalised view of a line that rules match against. Markdown residue of
//! HTML-to-text converters is reduced to its words, so one pattern covers
//! `**Related article:** [x](#)`, `Related article: x` and `* [Related article](#): x`.
//! What is kept or dropped is always the original bytes; this view is only looked at.

/// Write the normalised form of `line` into `out` (cleared first):
/// - leading block markers removed: headings `#`, quotes `>`, list bullets `* - + •`,
///   numbered items `1.` / `1)`;
/// - markdown links and images reduced to their text (`[text](url)` → `text`);
/// - emphasis and code markers (`*`, `_` at word edges, `` ` ``, `~~`) removed;
/// - typographic quotes, dashes, ellipsis and unusual spaces folded to ASCII;
/// - emoji, arrows, check marks and other pictographs read as spaces (`🔊 Listen to
///   this article`, `Read more →`): decoration, never a word of the rule's;
/// - whitespace collapsed to single spaces and trimmed;
/// - lower-cased when `fold_case`.
pub fn normalize_into(line: &str, fold_case: bool, out: &mut String) {
    normalize_head_into(line, fold_case, out, usize::MAX);
}

/// Like `normalize_into`, but stops once more than `limit` bytes are written: enough for
/// exact and prefix patterns of at most `limit` bytes. Returns whether the line is whole.
pub fn normalize_head_into(line: &str, fold_case: bool, out: &mut String, limit: usize) -> bool {
    normalize_up_to::<false>(line, fold_case, out, limit)
}

/// The lower-cased normalised form of `line` up to its first space: all that a line's
/// first token needs, however long the head patterns are. Returns whether the token is
/// whole (else it is longer than `limit` bytes).
pub fn normalize_first_token_into(line: &str, out: &mut String, limit: usize) -> bool {
    normalize_up_to::<true>(line, true, out, limit)
}

/// `normalize_head_into`, stopping at the first space if `FIRST_TOKEN`.
#[inline(always)]
fn normalize_up_to<const FIRST_TOKEN: bool>(line: &str, fold_case: bool, out: &mut String, limit: usize) -> bool {
    out.clear();
    let body = strip_block_markers(line);
    let bytes = body.as_bytes();
    let mut pending_space = false;
    let mut unclosed_target = false;
    let mut i = 0;
    while i < body.len() {
        if out.len() > limit {
            return false;
        }
        if FIRST_TOKEN && pending_space {
            return true;
        }
        let b = bytes[i];
        // Fastest path: a run of ASCII words and single spaces without markup, which
        // normalises to itself, copied at once. (At most `limit + 1` bytes per run, so
        // that a head stays short.)
        if PLAIN[b as usize] {
            let end = bytes.len().min(i.saturating_add(limit.saturating_add(1)));
            let mut j = i + 1;
            while j < end
                && (PLAIN[bytes[j] as usize] || (bytes[j] == b' ' && j + 1 < end && PLAIN[bytes[j + 1] as usize]))
            {
                j += 1;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            let start = out.len();
            out.push_str(&body[i..j]);
            if fold_case {
                out[start..].make_ascii_lowercase();
            }
            if FIRST_TOKEN && let Some(space) = out[start..].find(' ') {
                out.truncate(start + space);
                return true;
            }
            i = j;
            continue;
        }
        // ASCII fast path.
        if b < 0x80 {
            match b {
                b'[' => {
                    i += lynx_marker_len(bytes, i).unwrap_or(1);
                    continue;
                }
                b'!' if bytes.get(i + 1) == Some(&b'[') => {
                    i += 1;
                    continue;
                }
                b']' => {
                    // `](target)`: skip the target. Once a target has run to the end of
                    // the line unclosed, later ones are looked for within MAX_TARGET
                    // bytes: a line of unclosed `](` would cost a scan to its end each.
                    if bytes.get(i + 1) == Some(&b'(') {
                        let rest = &bytes[i + 2..];
                        let rest = if unclosed_target { &rest[..rest.len().min(MAX_TARGET)] } else { rest };
                        match closing_paren(rest) {
                            Some(close) => {
                                i += close + 3;
                                continue;
                            }
                            None => unclosed_target = true,
                        }
                    }
                    i += 1;
                    continue;
                }
                b'*' | b'`' => {
                    i += 1;
                    continue;
                }
                b'~' if bytes.get(i + 1) == Some(&b'~') => {
                    i += 2;
                    continue;
                }
                b'_' => {
                    let prev_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
                    let next_word = bytes.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
                    if !(prev_word && next_word) {
                        i += 1;
                        continue;
                    }
                    push(out, '_', fold_case, &mut pending_space);
                }
                b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c => pending_space = !out.is_empty(),
                _ => {
                    if pending_space {
                        out.push(' ');
                        pending_space = false;
                    }
                    out.push(if fold_case { b.to_ascii_lowercase() } else { b } as char);
                }
            }
            i += 1;
            continue;
        }
        let c = body[i..].chars().next().expect("char boundary");
        i += c.len_utf8();
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => {
                push(out, '\'', false, &mut pending_space)
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => {
                push(out, '"', false, &mut pending_space)
            }
            '\u{2010}'..='\u{2015}' | '\u{2212}' => push(out, '-', false, &mut pending_space),
            '\u{2026}' => {
                for _ in 0..3 {
                    push(out, '.', false, &mut pending_space);
                }
            }
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            c if c.is_whitespace() || is_pictograph(c) => pending_space = !out.is_empty(),
            c => push(out, c, fold_case, &mut pending_space),
        }
    }
    true
}

/// Emoji and the symbol blocks pages decorate chrome with: arrows, technical symbols
/// (`⏱`), geometric shapes (`▶ ●`), miscellaneous symbols and dingbats (`☎ ✓ ✉`),
/// `⭐ ⬇`, the emoji planes, and the selectors and tags that compose emoji. Not `©`, `®`,
/// `°` or `™` (rules name them), not box drawing (a text table's borders).
fn is_pictograph(c: char) -> bool {
    matches!(c,
        '\u{2190}'..='\u{21FF}'
            | '\u{2300}'..='\u{23FF}'
            | '\u{25A0}'..='\u{25FF}'
            | '\u{2600}'..='\u{27BF}'
            | '\u{2B00}'..='\u{2BFF}'
            | '\u{1F000}'..='\u{1FAFF}'
            | '\u{FE0E}' | '\u{FE0F}' | '\u{20E3}'
            | '\u{E0020}'..='\u{E007F}')
}

/// ASCII bytes that normalise to themselves (ASCII case aside) whatever surrounds them:
/// not markup (`[ ] ! * _ ` ~`), not whitespace.
static PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b < 0x7f {
        t[b] = !matches!(b as u8, b'[' | b']' | b'!' | b'*' | b'_' | b'`' | b'~');
        b += 1;
    }
    t
};

#[inline]
fn push(out: &mut String, c: char, fold_case: bool, pending_space: &mut bool) {
    if *pending_space {
        out.push(' ');
        *pending_space = false;
    }
    if fold_case {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            push_lowercase(out, c);
        }
    } else {
        out.push(c);
    }
}

/// The length of the `[N]` that `lynx -dump` puts before a link's words (`[12]Facebook`)
/// when one starts at `at`: 1 to 4 digits in brackets, at the line's start or after a
/// space or `(`, a letter, digit or quote right after. A citation follows a word
/// (`disagree.[4]`) and is left as it is (its brackets dropped, as any).
fn lynx_marker_len(bytes: &[u8], at: usize) -> Option<usize> {
    if at > 0 && !matches!(bytes[at - 1], b' ' | b'\t' | b'(') {
        return None;
    }
    let digits = bytes[at + 1..].iter().take(5).take_while(|b| b.is_ascii_digit()).count();
    let after = *bytes.get(at + 2 + digits)?;
    ((1..=4).contains(&digits)
        && bytes[at + 1 + digits] == b']'
        && (after.is_ascii_alphanumeric() || after >= 0x80 || matches!(after, b'"' | b'\'')))
    .then_some(digits + 2)
}

/// How far a link target is looked for once one on the line never closed.
const MAX_TARGET: usize = 512;

/// Offset of the `)` that closes an already opened `(`, allowing nested pairs
/// (`[x](https://en.wikipedia.org/wiki/A_(b))`).
fn closing_paren(bytes: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    for (at, &b) in bytes.iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' if depth == 0 => return Some(at),
            b')' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Remove leading heading, quote and list markers (repeatedly: `> * ## x` → `x`).
pub(crate) fn strip_block_markers(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        let before = s.len();
        let b = s.as_bytes();
        match b.first() {
            Some(b'#') => {
                let n = b.iter().take_while(|&&c| c == b'#').count();
                if b.get(n).is_none_or(|c| *c == b' ' || *c == b'\t') {
                    s = s[n..].trim_start();
                }
            }
            Some(b'>') => s = s[1..].trim_start(),
            Some(b'*' | b'-' | b'+') if matches!(b.get(1), Some(b' ' | b'\t')) => s = s[2..].trim_start(),
            Some(b'0'..=b'9') => {
                let n = b.iter().take_while(|c| c.is_ascii_digit()).count();
                if n <= 3 && matches!(b.get(n), Some(b'.' | b')')) && matches!(b.get(n + 1), Some(b' ' | b'\t')) {
                    s = s[n + 2..].trim_start();
                }
            }
            _ => {
                if let Some(rest) = s.strip_prefix('\u{2022}') {
                    s = rest.trim_start();
                }
            }
        }
        if s.len() == before {
            return s;
        }
    }
}

/// Append `c` lower-cased, as every case-folding view and the gate fold it:
/// `char::to_lowercase`, except Turkish `İ`, whose lower case is `i` and a combining dot
/// above, which no rule written in lower case holds. As `i`, "içeriğe geç" matches
/// "İçeriğe geç".
#[inline]
pub fn push_lowercase(out: &mut String, c: char) {
    if c == '\u{130}' {
        out.push('i');
    } else {
        out.extend(c.to_lowercase());
    }
}

/// `s` lower-cased as [`push_lowercase`] does: for patterns and literals, which must fold
/// as the lines they are looked for in.
pub fn lowercase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lowercase_into(s, &mut out);
    out
}

/// Append `s` lower-cased character by character ([`push_lowercase`]) to `out`.
/// ASCII runs, most of any line, are copied and lower-cased in one go; only the other
/// characters go through the Unicode tables.
pub fn lowercase_into(s: &str, out: &mut String) {
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest.bytes().position(|b| !b.is_ascii()).unwrap_or(rest.len());
        let start = out.len();
        out.push_str(&rest[..ascii]);
        out[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            push_lowercase(out, c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Convenience for patterns and tests.
pub fn normalize(line: &str, fold_case: bool) -> String {
    let mut out = String::new();
    normalize_into(line, fold_case, &mut out);
    out
}

/// `str::trim`, with ASCII whitespace trimmed bytewise first: the Unicode-aware trim
/// decodes characters at both ends, which is most of the cost of a raw-view line.
pub fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    if t.as_bytes().first().is_some_and(|b| !b.is_ascii()) || t.as_bytes().last().is_some_and(|b| !b.is_ascii()) {
        t.trim()
    } else {
        t
    }
}

/// Number of whitespace-separated words.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// `word_count` of a normalised line, or of a piece of one: its only whitespace is the
/// ASCII space (see `normalize_into`), so a word starts at each byte after a space that is
/// not one. Counted in a loop the compiler vectorises; splitting at Unicode whitespace
/// cost more than normalising the line (`trailing-headline-list` counts the words of every
/// short line at a page's end: of a page of short records, most of it).
pub fn normalized_word_count(normalized: &str) -> usize {
    let b = normalized.as_bytes();
    let starts = b.iter().zip(&b[1.min(b.len())..]).filter(|&(&prev, &c)| (prev == b' ') & (c != b' ')).count();
    starts + b.first().is_some_and(|&c| c != b' ') as usize
}

#[cfg(test)]
mod tests {
    use super::normalize;

    /// Counted by spaces, a normalised line has the words that splitting it at any
    /// whitespace finds, and so has every piece of it.
    #[test]
    fn normalized_lines_count_their_words_by_spaces() {
        use super::{normalized_word_count, word_count};
        let lines = [
            "",
            " ",
            "word",
            "  Two\twords  ",
            "**Related:** [Three words here](https://example.com/a b) \u{00A0}and\u{3000}more\u{2003}",
            "\u{1F50A} Listen\u{200B} to\u{2028}this \u{2192} now \u{2605}",
            "* 1. item\u{000B}with\u{000C}odd\u{0085}breaks\r",
            "Das ist — ein Satz … „zitiert“ ( ) [ ]",
            "日本語の文 と 中文",
        ];
        for line in lines {
            let norm = normalize(line, true);
            assert_eq!(normalized_word_count(&norm), word_count(&norm), "{line:?} -> {norm:?}");
            for cut in (0..=norm.len()).filter(|&k| norm.is_char_boundary(k)) {
                let (head, tail) = norm.split_at(cut);
                assert_eq!(normalized_word_count(head), word_count(head), "{head:?}");
                assert_eq!(normalized_word_count(tail), word_count(tail), "{tail:?}");
            }
        }
    }

    #[test]
    fn markdown_is_reduced_to_words() {
        assert_eq!(
            normalize("**Related article:** [A Ukrainian Drone](#)", true),
            "related article: a ukrainian drone"
        );
        assert_eq!(normalize("* [Contact Us](https://x.org/a_(b))", false), "Contact Us");
        assert_eq!(normalize("## Top  News ##", true), "top news ##");
        assert_eq!(normalize("> 1. ![logo](#) *Item*", true), "logo item");
        assert_eq!(normalize("snake_case _emph_", true), "snake_case emph");
    }

    /// Link targets are skipped, nested parentheses too; an unclosed one leaves the text
    /// as it was, and after it, short targets are still skipped while a line of thousands
    /// of unclosed `](` (which used to cost a scan to the end of the line each) is cut short.
    #[test]
    fn link_targets_are_skipped_and_unclosed_ones_stay() {
        assert_eq!(normalize("[A](https://x.org/a_(b)) c", true), "a c");
        assert_eq!(normalize("[a](x y", true), "a(x y");
        assert_eq!(normalize("[a](x [b](#) c", true), "a(x b c");
        let far = format!("[a](x [b]({}) c", "t".repeat(super::MAX_TARGET + 10));
        assert!(normalize(&far, true).ends_with(") c"), "beyond the bound after an unclosed target: kept");
        let many = "[x](#".repeat(20_000);
        assert_eq!(normalize(&many, true), "x(#".repeat(20_000));
    }

    /// `lynx -dump`'s link numbers go, so that `[12]Facebook [13]Twitter` is a share row
    /// to the rules; citations, markdown's reference links and bracketed years are not
    /// markers.
    #[test]
    fn lynx_link_markers_are_dropped() {
        assert_eq!(
            normalize("   [12]Facebook [13]Twitter ([14]\u{201C}Email\u{201D})", true),
            "facebook twitter (\"email\")"
        );
        assert_eq!(normalize("[1]Home", false), "Home");
        assert_eq!(normalize("as they said.[4] Then", true), "as they said.4 then");
        assert_eq!(normalize("[1]: https://x.org", true), "1: https://x.org");
        assert_eq!(normalize("[2](#) [20231]Report [12] items", true), "2 20231report 12 items");
    }

    #[test]
    fn pictographs_read_as_spaces() {
        assert_eq!(normalize("\u{1F50A} Listen to this article", true), "listen to this article");
        assert_eq!(normalize("Read more \u{2192}", true), "read more");
        assert_eq!(normalize("\u{2714}\u{FE0F}Subscribe\u{1F4E9}now", true), "subscribe now");
        assert_eq!(normalize("\u{1F44D}\u{1F3FD} \u{1F468}\u{200D}\u{1F469}", true), "");
        // Symbols that rules name, and a text table's borders, stay.
        assert_eq!(normalize("\u{00A9} 2024 Acme\u{2122} 20\u{00B0}C", true), "\u{00A9} 2024 acme\u{2122} 20\u{00B0}c");
        assert_eq!(normalize("\u{2500}\u{253C}\u{2500}", true), "\u{2500}\u{253C}\u{2500}");
    }

    #[test]
    fn turkish_dotted_capital_i_folds_to_i() {
        assert_eq!(normalize("İÇERİĞE GEÇ", true), "içeriğe geç");
        assert_eq!(normalize("İlgili Haberler", true), "ilgili haberler");
        assert_eq!(normalize("İlgili", false), "İlgili");
    }

    #[test]
    fn typography_is_folded() {
        assert_eq!(
            normalize("\u{201C}Pure fiction\u{201D} \u{2014} it\u{2019}s\u{2026}", true),
            "\"pure fiction\" - it's..."
        );
        assert_eq!(normalize("\u{00A0} A\u{00A0}\u{00A0}B\t ", false), "A B");
        assert_eq!(normalize("ÉCOLE Straße", true), "école straße");
    }

    #[test]
    fn plain_runs_keep_single_spaces_and_collapse_the_rest() {
        assert_eq!(normalize("Hello  World, it is  ", true), "hello world, it is");
        assert_eq!(normalize("a b\tc \u{a0}d e_f _g_ h!", true), "a b c d e_f g h!");
        let mut head = String::new();
        assert!(!super::normalize_head_into("Alpha beta gamma delta", true, &mut head, 5));
        assert!(head.starts_with("alpha") && head.len() <= 12);
        assert!(super::normalize_head_into("Alpha beta", true, &mut head, 50));
        assert_eq!(head, "alpha beta");
    }

    #[test]
    fn trim_matches_str_trim() {
        for s in ["  a b \t", "\u{a0}x\u{3000}", " \u{2003} y ", "", " ", "é ", "\r\n"] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn separators_normalise_to_nothing() {
        assert_eq!(normalize("*", true), "");
        assert_eq!(normalize("* * *", true), "");
    }

    #[test]
    fn lowercase_into_matches_char_by_char_lowercasing() {
        for s in ["", "ASCII Only", "Straße ÜBER", "İstanbul", "ΣΑΣ and Σ", "Mixed “Quotes” — DASH", "日本語 ABC", "ǅ"]
        {
            let mut out = String::from("kept ");
            super::lowercase_into(s, &mut out);
            let mut expected = String::new();
            s.chars().for_each(|c| super::push_lowercase(&mut expected, c));
            assert_eq!(out, format!("kept {expected}"), "{s:?}");
        }
        // The one exception to `char::to_lowercase`, so that a raw view folds as the
        // normalised one does.
        assert_eq!(super::lowercase("İstanbul İÇİN"), "istanbul için");
    }

    #[test]
    fn the_first_token_is_the_normal_forms_first_word() {
        let lines = [
            "# The Kremlin Said Trump-Putin Phone Call Never Happened. Why?",
            "[分享到微信](#) [分享到微博](#)",
            "**Related article:** [x](#)",
            "  * [ Leave a comment](#)",
            "“Quoted” words",
            "Straße ÜBER alles",
            "one",
            "   ",
            "a_b c",
            "[](#) [](#) word",
        ];
        let mut out = String::new();
        for line in lines {
            let normal = super::normalize(line, true);
            let first = normal.split(' ').next().unwrap_or("");
            for limit in [3, 8, 64] {
                // Not whole: longer than `limit` (a token may also come whole at a byte
                // more, as from `normalize_head_into`).
                let whole = super::normalize_first_token_into(line, &mut out, limit);
                assert!(whole || first.len() > limit, "{line:?} at {limit}");
                if whole {
                    assert_eq!(out, first, "{line:?} at {limit}");
                }
            }
        }
    }
}
