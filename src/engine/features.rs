//! Line features for the learned line scorer. The run-time detector and the trainer
//! (`examples/train_scorer.rs`) both call `document_features`, so a model is always
//! applied to the features it was trained on.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;

/// Feature names, in vector order; pack files give weights by these names.
pub const NAMES: &[&str] = &[
    "log_words",
    "word_length",
    "link_density",
    "log_links",
    "terminal",
    "list_item",
    "heading",
    "caps_ratio",
    "stop_ratio",
    "digit_ratio",
    "pipes",
    "image",
    "phrase",
    "comma_ratio",
    "position",
    "before_main",
    "after_main",
    "prev_log_words",
    "next_log_words",
    "prev_link_density",
    "next_link_density",
    "prev_terminal",
    "next_terminal",
    "window_link_density",
    "window_log_words",
    "short_run",
    "duplicate",
    "window_paragraphs",
    "words_if_terminal",
    "indent",
    "only_link",
    "long_words_ratio",
    "html",
    "comment_byline",
    "wordy_without_function_words",
    "starts_with_link",
    "after_colon",
    "ellipsis",
    "furniture_words",
    // The line ends in a markdown line break, or the line before it does: lines of one
    // block broken by `<br>` (addresses, a directory's entries, verse).
    "in_broken_block",
];

pub const N: usize = 40;

/// Function words of a few languages: prose has many, menus and headlines few.
#[rustfmt::skip]
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "because", "been", "but", "by", "can",
    "could", "did", "do", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into",
    "is", "it", "its", "just", "like", "more", "most", "not", "of", "on", "one", "only", "or", "other", "our", "out",
    "she", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "to", "up", "was", "we", "were", "what", "when", "which", "while", "who", "will", "with", "would", "you",
    "your", // en
    "der", "die", "das", "und", "ist", "nicht", "mit", "sich", "auf", "für", "ein", "eine", "den", "dem",
    "zu", // de
    "le", "la", "les", "et", "est", "des", "du", "un", "une", "que", "qui", "dans", "pour", "pas", "sur", // fr
    "el", "los", "las", "y", "es", "del", "por", "con", "para", "una", "se", "lo", "como", "pero", // es
    "il", "di", "che", "non", "per", "sono", "della", "da", "je", "na", "se", "že", "v", "o", "do", // it, cs
    "и", "в", "не", "на", "что", "с", "по", "как", "это", "но", // ru
    "的", "了", "是", "在", "和", "有", "不", "这", "也", "就", "都", "与", "而", "我", "他", "们", // zh
    "の", "に", "は", "を", "が", "で", "と", "た", "し", "て", "も", "な", // ja
    "है", "के", "में", "की", "और", "का", "को", "से", "ने", "पर", "यह", "भी", // hi
];

/// The vowel signs and other marks of Indic scripts (Devanagari to Sinhala) and the
/// combining accents of decomposed Latin are part of their words: they are not
/// alphanumeric, and were taken for punctuation inside a word.
fn is_letter_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
        || (matches!(c, '\u{0900}'..='\u{0DFF}') && !matches!(c, '\u{0964}' | '\u{0965}'))
}

/// Scripts written without spaces between words, and how many of their characters count
/// as a word: Chinese and Japanese (a Chinese word is one to three characters), Thai and
/// Lao (a word is a few letters and vowel signs).
pub(crate) fn unspaced_word_chars(c: char) -> Option<usize> {
    match c {
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' => {
            Some(2)
        }
        '\u{0E00}'..='\u{0EFF}' => Some(4),
        _ => None,
    }
}

/// What ends a sentence (or introduces what follows): with the full-width `。！？：；` of
/// Chinese and Japanese, the dandas `।॥` of Hindi and Bengali, the Arabic question mark and
/// Urdu full stop `؟۔`, and the full stops of Armenian `։`, Ethiopic `።`, Khmer `។` and
/// Burmese `။`.
const SENTENCE_ENDS: &[char] = &[
    '.', '!', '?', ':', ';', '\u{2026}', '\u{3002}', '\u{FF01}', '\u{FF1F}', '\u{FF1A}', '\u{FF1B}', '\u{0964}',
    '\u{0965}', '\u{061F}', '\u{06D4}', '\u{0589}', '\u{1362}', '\u{17D4}', '\u{104B}',
];

/// Thai and Lao mark no sentence's end: a long line in them counts as ending like one.
fn unpunctuated_script(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}')
}

/// Whether a line holds one of the scorer's boilerplate phrases, ASCII case ignored.
///
/// A phrase that starts with three ASCII letters or digits counts only where a word
/// starts ("design in" holds no "sign in"; "unsubscribe" no "subscribe"), a word glued to
/// a number included (`2comments`), and outside link targets: the statistics pass looks
/// it up at each word it reads, by the word's first three bytes. (Until session 22 an
/// automaton of the phrases ran over every line a second time, a tenth of all the
/// cleaning's instructions.) A phrase of one non-ASCII character (`©`) counts wherever the
/// pass reads that character. Other phrases (a leading symbol, a short word) are looked for
/// anywhere in the line by an automaton, built only when there are any.
pub struct PhraseMatcher {
    /// Bit per triple of leading bytes ([`triple`]) that some word-start phrase starts with.
    triples: Box<[u64]>,
    /// Per pair of leading bytes (`triple / 36`), the range of `heads` that start so.
    pairs: Box<[(u32, u32)]>,
    /// The word-start phrases, sorted.
    heads: Vec<Head>,
    chars: Vec<char>,
    others: Option<AhoCorasick>,
}

/// A word-start phrase: its first 8 bytes as a number, to turn most words away with one
/// comparison, and the whole of it, lower-cased.
struct Head {
    first8: u64,
    mask: u64,
    phrase: Box<[u8]>,
}

/// Up to 8 bytes of `bytes` as a little-endian number (0 past its end), with ASCII
/// capitals made small by setting their 0x20 bit (which a few other bytes share: a hint,
/// confirmed byte by byte).
#[inline]
fn lower_first8(bytes: &[u8]) -> u64 {
    let word = match bytes.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => {
            let mut buf = [0u8; 8];
            buf[..bytes.len()].copy_from_slice(bytes);
            u64::from_le_bytes(buf)
        }
    };
    word | 0x2020_2020_2020_2020
}

/// ASCII digits and letters (either case) to 0..36; every other byte to `NOT_ALNUM`.
const NOT_ALNUM: u8 = u8::MAX;
static BASE36: [u8; 256] = {
    let mut t = [NOT_ALNUM; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => NOT_ALNUM,
        };
        b += 1;
    }
    t
};

/// The number of a phrase's or word's first three bytes, if all are ASCII letters or
/// digits (case aside): 0..36³.
#[inline]
fn triple(bytes: &[u8]) -> Option<usize> {
    let [a, b, c, ..] = bytes else { return None };
    let (a, b, c) = (BASE36[*a as usize], BASE36[*b as usize], BASE36[*c as usize]);
    (a != NOT_ALNUM && b != NOT_ALNUM && c != NOT_ALNUM).then(|| (a as usize * 36 + b as usize) * 36 + c as usize)
}

impl PhraseMatcher {
    /// The matcher for the `phrase` feature; trainer and detector both build it here.
    pub fn new<I, P>(phrases: I) -> Result<PhraseMatcher, aho_corasick::BuildError>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<str>,
    {
        let mut heads: Vec<Box<[u8]>> = Vec::new();
        let mut chars = Vec::new();
        let mut others = Vec::new();
        for phrase in phrases {
            let lower = phrase.as_ref().to_ascii_lowercase();
            let mut cs = lower.chars();
            match (triple(lower.as_bytes()), cs.next(), cs.next()) {
                (Some(_), ..) => heads.push(lower.into_bytes().into_boxed_slice()),
                (None, Some(c), None) if !c.is_ascii() => chars.push(c),
                _ => others.push(lower),
            }
        }
        heads.sort();
        heads.dedup();
        let mut triples = vec![0u64; (36 * 36 * 36usize).div_ceil(64)].into_boxed_slice();
        let mut pairs = vec![(0u32, 0u32); 36 * 36].into_boxed_slice();
        for (i, head) in heads.iter().enumerate() {
            let t = triple(head).expect("a head starts with three letters or digits");
            triples[t / 64] |= 1 << (t % 64);
            let range = &mut pairs[t / 36];
            if range.0 == range.1 {
                range.0 = i as u32;
            }
            range.1 = i as u32 + 1;
        }
        let heads = heads
            .into_iter()
            .map(|phrase| {
                let n = phrase.len().min(8);
                Head { first8: lower_first8(&phrase), mask: u64::MAX >> (8 * (8 - n)), phrase }
            })
            .collect();
        let others = if others.is_empty() {
            None
        } else {
            Some(AhoCorasick::builder().ascii_case_insensitive(true).build(others)?)
        };
        Ok(PhraseMatcher { triples, pairs, heads, chars, others })
    }

    /// Whether a word-start phrase starts at the start of `rest`, the line from a word on.
    #[inline(always)]
    fn starts_word(&self, rest: &[u8]) -> bool {
        let Some(t) = triple(rest) else { return false };
        self.triples[t / 64] & (1 << (t % 64)) != 0 && self.confirm(rest, t / 36)
    }

    /// Whether a phrase whose first two bytes have number `pair` starts `rest`.
    fn confirm(&self, rest: &[u8], pair: usize) -> bool {
        let (from, to) = self.pairs[pair];
        let first8 = lower_first8(rest);
        self.heads[from as usize..to as usize].iter().any(|h| {
            (first8 & h.mask) == h.first8 & h.mask
                && rest.get(..h.phrase.len()).is_some_and(|head| head.eq_ignore_ascii_case(&h.phrase))
        })
    }

    /// Whether a word-start phrase starts inside the first `run` bytes of `rest` (a run of
    /// ASCII letters and digits) where a word is glued to a number: `2comments`.
    fn starts_after_digit(&self, rest: &[u8], run: usize) -> bool {
        (1..run).any(|k| rest[k - 1].is_ascii_digit() && rest[k].is_ascii_alphabetic() && self.starts_word(&rest[k..]))
    }

    /// Whether `c` is a one-character phrase.
    #[inline]
    fn is_char(&self, c: char) -> bool {
        self.chars.contains(&c)
    }

    /// Whether one of the other phrases is anywhere in `line`.
    fn anywhere(&self, line: &str) -> bool {
        self.others.as_ref().is_some_and(|ac| ac.is_match(line))
    }
}

/// Whether a line reads like a paragraph of prose: at least `min_words` words, ending
/// like a sentence, mostly not links. The line scorer never drops such a line.
fn is_prose(s: &LineStats, min_words: usize) -> bool {
    s.link_density() < 0.2
        && !s.html
        && ((s.words as usize >= min_words && s.terminal)
            || (s.words >= PROSE_WITHOUT_STOP && s.stop as f32 / s.words as f32 >= 0.05))
}

/// A line this long with few links is prose even without a final full stop.
const PROSE_WITHOUT_STOP: u32 = 80;

/// Words of page furniture on sites of every kind: timestamps, counters, widgets.
#[rustfmt::skip]
const FURNITURE: &[&str] = &[
    "ago", "min", "mins", "read", "share", "shares", "reply", "replies", "comment", "comments", "posted", "updated",
    "published", "views", "likes", "subscribe", "follow", "login", "menu", "search", "home", "advertisement",
    "sponsored", "photo", "credit", "getty", "images", "video", "watch", "click", "previous", "next", "tags",
    "category", "categories", "newsletter", "cookies", "privacy",
];

/// Word classes, as bits: one lookup per word gives both.
const STOP: u8 = 1;
const FURNISHING: u8 = 2;

/// The listed words (up to 16 bytes, packed into an integer, zero-padded: words hold no
/// zero bytes) with their classes, in an open-addressing table a few times larger than the
/// list: one multiplication finds a word's slot, and it or one of the next few holds it, or
/// an empty slot says it is not listed. (A `HashMap` cost about 56 instructions a lookup.)
struct WordClasses {
    keys: Box<[u128]>,
    classes: Box<[u8]>,
}

/// log2 of the table's slots: 2,048 for 224 words, so an unlisted word's first slot is
/// taken by another about one time in nine, the only case that branches (`class_of`).
const WORD_SLOT_BITS: u32 = 11;

fn packed(word: &[u8]) -> u128 {
    let mut b = [0u8; 16];
    b[..word.len()].copy_from_slice(word);
    u128::from_le_bytes(b)
}

/// A packed word's first slot to look in (Fibonacci hashing of its two halves folded).
#[inline]
fn word_slot(word: u128) -> usize {
    let folded = (word as u64) ^ ((word >> 64) as u64).rotate_left(29);
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WORD_SLOT_BITS)) as usize
}

impl WordClasses {
    fn new() -> WordClasses {
        let slots = 1 << WORD_SLOT_BITS;
        let mut t = WordClasses { keys: vec![0; slots].into_boxed_slice(), classes: vec![0; slots].into_boxed_slice() };
        for (words, class) in [(STOPWORDS, STOP), (FURNITURE, FURNISHING)] {
            for w in words.iter().map(|w| w.as_bytes()) {
                assert!(!w.is_empty() && w.len() <= 16, "listed words are short");
                let key = packed(w);
                let mut i = word_slot(key);
                while t.keys[i] != 0 && t.keys[i] != key {
                    i = (i + 1) & (slots - 1);
                }
                t.keys[i] = key;
                t.classes[i] |= class;
            }
        }
        // Lookups stop at an empty slot: a table at most half full keeps probes short.
        assert!(STOPWORDS.len() + FURNITURE.len() <= slots / 2, "the word table needs more slots");
        t
    }

    /// The class of a lower-cased word of `len` bytes (1 to 16) packed in the low bytes of
    /// `head`; what follows it in `head` is masked off here.
    ///
    /// Whether a word is listed is as unpredictable as text, so the common case takes no
    /// branch on it: the word's first slot holds it or is empty (an empty slot's class is
    /// 0). Only a slot taken by another word makes it probe on.
    #[inline]
    fn class_of(&self, head: u128, len: usize) -> u8 {
        let word = if len == 16 { head } else { head & ((1u128 << (8 * len)) - 1) };
        let mask = self.keys.len() - 1;
        let mut i = word_slot(word);
        let key = self.keys[i];
        if (key == word) | (key == 0) {
            return self.classes[i];
        }
        loop {
            i = (i + 1) & mask;
            match self.keys[i] {
                0 => return 0,
                key if key == word => return self.classes[i],
                _ => {}
            }
        }
    }
}

/// The class of the lower-cased word held in the first `len` bytes of `buffer` (0 for
/// most words), packed straight from the buffer.
#[inline]
fn word_class(buffer: &[u8; 32], len: usize) -> u8 {
    if len == 0 || len > 16 {
        return 0;
    }
    word_table().class_of(u128::from_le_bytes(buffer[..16].try_into().expect("16 bytes")), len)
}

/// The class of the word made of the first `len` bytes of `rest`, all ASCII letters and
/// digits in either case: setting each byte's 0x20 bit lower-cases them all at once.
#[inline]
fn ascii_word_class(rest: &[u8], len: usize) -> u8 {
    if len > 16 {
        return 0;
    }
    let head = match rest.first_chunk::<16>() {
        Some(chunk) => u128::from_le_bytes(*chunk),
        None => packed(&rest[..len]),
    };
    word_table().class_of(head | 0x2020_2020_2020_2020_2020_2020_2020_2020, len)
}

fn word_table() -> &'static WordClasses {
    static TABLE: std::sync::OnceLock<WordClasses> = std::sync::OnceLock::new();
    TABLE.get_or_init(WordClasses::new)
}

/// `<tag`, `</tag` or `<tag>` with a letter right after the bracket.
fn has_html_tag(line: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b'<', b).any(|i| {
        let rest = &b[i + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        rest.first().is_some_and(u8::is_ascii_alphabetic)
            && rest.iter().take(12).position(|&c| c == b'>' || c == b' ').is_some_and(|p| p > 0)
            && !rest.starts_with(b"http")
    })
}

/// What a line is made of, before context. Counts are integers, added up per word and
/// per byte; the features turn them into `f32` once per line.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct LineStats {
    words: u32,
    chars: u32,
    link_chars: u32,
    links: u32,
    terminal: bool,
    list_item: bool,
    heading: bool,
    caps: u32,
    stop: u32,
    digits: u32,
    pipes: bool,
    image: bool,
    phrase: bool,
    commas: u32,
    indent: bool,
    long_words: u32,
    /// HTML markup left in the text (`<p>`, `</div>`).
    html: bool,
    /// `Name says:` / `Name said:` / `Reply` comment furniture.
    comment: bool,
    starts_with_link: bool,
    /// Ends with `:` (introduces a list or a quote).
    colon: bool,
    /// Ends with `…` or `...`: a teaser cut short.
    ellipsis: bool,
    /// Ends in two spaces: a markdown line break, the converter's `<br>` inside a block.
    hard_break: bool,
    /// Words of page furniture (`ago`, `share`, `reply`, `updated`…).
    furniture: u32,
}

/// `ln(1 + n)` of a count, from a table for small counts: the features take it of word,
/// link and line counts for every line, and `log1p` was a hot spot.
fn ln_1p_count(n: usize) -> f32 {
    const TABLE_LEN: usize = 256;
    static LN_1P: std::sync::LazyLock<[f32; TABLE_LEN]> =
        std::sync::LazyLock::new(|| std::array::from_fn(|n| (n as f32).ln_1p()));
    match LN_1P.get(n) {
        Some(&v) => v,
        None => (n as f32).ln_1p(),
    }
}

/// A line of this many letters with few links is page text when looking for where pages
/// meet (see `DocumentFeatures::page_windows`). Joined dev pages, balanced F1 per page:
/// 0.9198 against 0.9184 without it (100: 0.9188, 150: 0.9190).
const PAGE_TEXT_LETTERS: u32 = 60;

/// Size features stop growing here: a linear model must not extrapolate to lines of
/// thousands of words (one-line articles exist).
const MAX_WORDS: u32 = 120;

impl LineStats {
    fn log_words(&self) -> f32 {
        ln_1p_count(self.words.min(MAX_WORDS) as usize)
    }
    fn link_density(&self) -> f32 {
        if self.chars == 0 { 0.0 } else { (self.link_chars as f32 / self.chars as f32).min(1.0) }
    }
    fn paragraph_like(&self) -> bool {
        self.words >= 12 && self.terminal && self.link_density() < 0.5
    }

    /// Count one word of `letters` letters and digits: capitalised if `upper`, of the
    /// listed words' `class` (0 if not listed).
    #[inline]
    fn count_word(&mut self, letters: usize, upper: bool, class: u8) {
        self.words += 1;
        self.chars += letters as u32;
        self.caps += upper as u32;
        self.long_words += (letters >= 8) as u32;
        self.stop += (class & STOP) as u32;
        self.furniture += (class & FURNISHING != 0) as u32;
    }
}

/// The text of a list item after its marker; `None` when `line` (from its first non-blank
/// character) is not one. Markdown's markers (`* `, `- `, `+ `, `1. ` to `999. `) make an
/// item. So do bullets that are not markdown's: escaped markers (`\+ Added …`, as a
/// converter writes a `+` that starts a line of text) and the bullet characters of plain
/// text (`•`, `▪`: `w3m -dump`), but only before three words or more: without markdown a
/// menu has no links to give it away, and its entries are one or two words.
#[inline]
pub(crate) fn list_item_body(line: &str) -> Option<&str> {
    let three_words = |body: &'_ str| body.split_whitespace().nth(2).is_some();
    // One look at the first byte: this runs on every line.
    match line.as_bytes() {
        [b'*' | b'-' | b'+', b' ', ..] => Some(&line[2..]),
        [b'\\', b'*' | b'-' | b'+', b' ', ..] => Some(&line[3..]).filter(|b| three_words(b)),
        [0xE2, ..] => line.strip_prefix("• ").or_else(|| line.strip_prefix("▪ ")).filter(|b| three_words(b)),
        // `1. `, `12. `: a few digits, a dot, a space.
        [b'0'..=b'9', ..] => {
            let digits = line.bytes().take(4).take_while(u8::is_ascii_digit).count();
            ((1..=3).contains(&digits) && line.as_bytes()[digits..].starts_with(b". ")).then(|| &line[digits + 2..])
        }
        _ => None,
    }
}

/// The level of a markdown (ATX) heading: 1 to 6 `#`s, then a space or the line's end.
pub(crate) fn heading_level(line: &str) -> Option<usize> {
    let line = line.trim_start();
    let level = line.bytes().take_while(|&b| b == b'#').count();
    let after = line.as_bytes().get(level);
    ((1..=6).contains(&level) && after.is_none_or(|b| b.is_ascii_whitespace())).then_some(level)
}

fn line_stats(raw: &str, phrases: Option<&PhraseMatcher>) -> LineStats {
    let trimmed = raw.trim_start();
    let mut s = LineStats {
        indent: raw.len() - trimmed.len() >= 2,
        heading: trimmed.starts_with('#'),
        list_item: list_item_body(trimmed).is_some(),
        pipes: contains_at(trimmed.as_bytes(), b" | ", 1),
        image: contains_at(trimmed.as_bytes(), b"![", 0),
        html: has_html_tag(trimmed),
        hard_break: raw.ends_with("  "),
        starts_with_link: trimmed.trim_start_matches(['*', '-', '+', ' ', '#']).starts_with('['),
        ..Default::default()
    };
    word_stats(trimmed, phrases, &mut s);
    s.phrase = s.phrase || phrases.is_some_and(|p| p.anywhere(trimmed));
    s
}

/// Whether `haystack` holds `needle`, looked for by memchr on its byte at `anchor` (a
/// rare one): on short lines this beats a general substring search's set-up.
fn contains_at(haystack: &[u8], needle: &[u8], anchor: usize) -> bool {
    memchr::memchr_iter(needle[anchor], haystack).any(|i| i >= anchor && haystack[i - anchor..].starts_with(needle))
}

/// Markup that is never a letter and never ends a sentence.
fn is_markup(c: char) -> bool {
    if c.is_ascii() {
        ASCII_CLASS[c as usize] & MARKUP != 0
    } else {
        matches!(c, '\u{201C}' | '\u{201D}' | '\u{2019}' | '\u{00BB}')
    }
}

/// Byte classes of ASCII characters for the statistics pass.
const WS: u8 = 1;
const ALNUM: u8 = 2;
const DIGIT: u8 = 4;
const UPPER: u8 = 8;
const MARKUP: u8 = 16;
const COMMA: u8 = 32;

/// Every byte value has an entry, 0 for the bytes of non-ASCII characters: one lookup
/// per byte, without a range check.
static ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_whitespace() { WS } else { 0 }
            | if c.is_ascii_alphanumeric() { ALNUM } else { 0 }
            | if c.is_ascii_digit() { DIGIT } else { 0 }
            | if c.is_ascii_uppercase() { UPPER } else { 0 }
            | if matches!(c, b'*' | b'_' | b'`' | b'#' | b'>' | b'[' | b']' | b'!' | b'~' | b'"' | b'\'') {
                MARKUP
            } else {
                0
            }
            | if c == b',' { COMMA } else { 0 };
        b += 1;
    }
    t
};

/// Bytes of `x` from `lo` to `hi` (both ASCII), each marked by its top bit; bytes at or
/// above 0x80 are never marked. Adding to the low seven bits cannot carry into the next
/// byte, so each byte is compared on its own.
#[inline(always)]
pub(crate) fn bytes_between(x: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const TOPS: u64 = ONES * 0x80;
    let low7 = x & !TOPS;
    let at_least_lo = low7 + ONES * (0x80 - lo) as u64;
    let above_hi = low7 + ONES * (0x7F - hi) as u64;
    at_least_lo & !above_hi & !x & TOPS
}

/// The length of the run of ASCII letters and digits that starts `rest`, and how many of
/// them are digits. Eight bytes at a time: a byte loop mispredicted its exit once a word,
/// about a fifth of the statistics pass's time.
#[inline]
fn ascii_alnum_run(rest: &[u8]) -> (usize, u32) {
    let (mut run, mut digits) = (0usize, 0u32);
    loop {
        let chunk = match rest[run..].first_chunk::<8>() {
            Some(chunk) => u64::from_le_bytes(*chunk),
            None => {
                // Zero past the end: not a letter, so the run stops there.
                let mut buf = [0u8; 8];
                buf[..rest.len() - run].copy_from_slice(&rest[run..]);
                u64::from_le_bytes(buf)
            }
        };
        let digit = bytes_between(chunk, b'0', b'9');
        let letter = bytes_between(chunk | 0x2020_2020_2020_2020, b'a', b'z');
        let other = !(digit | letter) & 0x8080_8080_8080_8080;
        if other == 0 {
            digits += digit.count_ones();
            run += 8;
            continue;
        }
        let len = other.trailing_zeros() as usize / 8;
        digits += (digit & ((1u64 << (8 * len)) - 1)).count_ones();
        return (run + len, digits);
    }
}

/// The current word while scanning a line.
#[derive(Default)]
struct Word {
    /// Its letters, lower-cased, as UTF-8 (a longer word cannot be a function word).
    lower: [u8; 32],
    len: usize,
    letters: usize,
    only_letters: bool,
    punct_after_letters: bool,
    upper: bool,
}

impl Word {
    fn letter(&mut self, upper: bool) {
        if self.letters == 0 {
            self.upper = upper;
            self.only_letters = true;
        }
        if self.punct_after_letters {
            self.only_letters = false; // `don't`, `e-mail`: not a function word
        }
        self.letters += 1;
    }

    /// A run of ASCII letters and digits: `letter` for each, in one step.
    fn ascii_run(&mut self, run: &[u8]) {
        self.letter(run[0].is_ascii_uppercase());
        self.letters += run.len() - 1;
        if let Some(dest) = self.lower.get_mut(self.len..self.len + run.len()) {
            for (d, &b) in dest.iter_mut().zip(run) {
                *d = b.to_ascii_lowercase();
            }
        }
        self.len += run.len();
    }

    fn push_lower(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() <= self.lower.len() {
            self.lower[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        }
        self.len += bytes.len();
    }

    /// Count the finished word into `s` and start a new one.
    fn finish(&mut self, s: &mut LineStats) {
        if self.letters > 0 {
            let listed = self.only_letters && self.len <= self.lower.len();
            let class = if listed { word_class(&self.lower, self.len) } else { 0 };
            s.count_word(self.letters, self.upper, class);
        }
        // The letters buffer needs no clearing: `len` says how much of it is the word.
        self.len = 0;
        self.letters = 0;
        self.only_letters = false;
        self.punct_after_letters = false;
        self.upper = false;
    }
}

/// Words, letters, digits, commas, capitalised words, function words, long words, link
/// text, comment furniture and sentence-final punctuation, in one pass over the original
/// line: link targets (`](…)`) are skipped and markup is never counted as a letter, so
/// the counts match those of the normalised line without building it.
fn word_stats(line: &str, phrases: Option<&PhraseMatcher>, s: &mut LineStats) {
    let bytes = line.as_bytes();
    let mut word = Word::default();
    let mut letters_total = 0usize;
    let mut link_open: Option<usize> = None; // letters_total at the last `[`
    let mut last_content: Option<char> = None;
    let mut tokens = 0usize;
    let mut unspaced_run = 0usize; // characters in the current run of a script without spaces
    let mut token_start = 0usize;
    // Only short tokens can be `says:` and friends (with a little markup around them).
    let comment_word = |t: &str| {
        // Most tokens end in neither `:` nor `s` (markup aside): no need to trim them.
        let last = t.bytes().rev().find(|&b| ASCII_CLASS[b as usize] & MARKUP == 0);
        t.len() <= 12
            && matches!(last, Some(b':' | b's' | 0x80..))
            && matches!(t.trim_matches(is_markup), "says:" | "said:" | "wrote:" | "writes:" | "says")
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b']' && bytes.get(i + 1) == Some(&b'(') {
            if let Some(open) = link_open.take() {
                s.links += 1;
                s.link_chars += (letters_total - open) as u32;
            }
            // Skip the target, nested parentheses allowed.
            let mut depth = 0;
            let mut j = i + 2;
            while j < bytes.len() {
                match bytes[j] {
                    b'(' => depth += 1,
                    b')' if depth == 0 => break,
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        if ASCII_CLASS[b as usize] & ALNUM != 0 {
            // Fast path: a run of ASCII letters and digits, most of any text.
            let start = i;
            let (run, digits) = ascii_alnum_run(&bytes[i..]);
            i += run;
            if !s.phrase
                && i - start >= 3
                && let Some(p) = phrases
            {
                let rest = &bytes[start..];
                s.phrase = p.starts_word(rest) || (digits > 0 && p.starts_after_digit(rest, i - start));
            }
            unspaced_run = 0;
            letters_total += i - start;
            s.digits += digits;
            last_content = Some(bytes[i - 1] as char);
            // The whole token, then a space, perhaps after a comma or a full stop: most
            // words of most text. Counted here in one step, as `Word` and the branches
            // below would count them.
            let next = bytes.get(i).copied().unwrap_or(0);
            // `,` `.` `:` `;` `?` as bits: a test rather than a jump table, whose target
            // changed word by word.
            const WORD_END_PUNCT: u64 = 1 << b',' | 1 << b'.' | 1 << b':' | 1 << b';' | 1 << b'?';
            let punct = next < 64 && WORD_END_PUNCT >> next & 1 != 0 && bytes.get(i + 1) == Some(&b' ');
            if start == token_start && (next == b' ' || punct) {
                let len = i - start;
                if punct {
                    s.commas += (next == b',') as u32;
                    last_content = Some(next as char);
                    i += 1;
                }
                s.count_word(len, bytes[start].is_ascii_uppercase(), ascii_word_class(&bytes[start..], len));
                if tokens < 6 {
                    s.comment |= comment_word(&line[start..i]);
                }
                tokens += 1;
                i += 1;
                token_start = i;
                continue;
            }
            word.ascii_run(&bytes[start..i]);
            continue;
        }
        let (len, class, c) = if b < 0x80 {
            (1, ASCII_CLASS[b as usize], b as char)
        } else {
            let c = line[i..].chars().next().expect("char boundary");
            s.phrase |= phrases.is_some_and(|p| p.is_char(c));
            if let Some(per_word) = unspaced_word_chars(c) {
                // Words without spaces between them: a word per few characters (a
                // paragraph was one "word", never prose), and the one-character function
                // words (的, の) looked up one by one.
                word.finish(s);
                s.words += unspaced_run.is_multiple_of(per_word) as u32;
                s.chars += 1;
                let mut one = [0u8; 32];
                let len = c.encode_utf8(&mut one).len();
                s.stop += (word_class(&one, len) & STOP) as u32;
                unspaced_run += 1;
                letters_total += 1;
                last_content = Some(c);
                i += len;
                continue;
            }
            unspaced_run = 0;
            let class = if c.is_whitespace() {
                WS
            } else if c.is_alphanumeric() || is_letter_mark(c) {
                ALNUM | if c.is_uppercase() { UPPER } else { 0 }
            } else if is_markup(c) {
                MARKUP
            } else if matches!(c, '\u{FF0C}' | '\u{3001}') {
                COMMA // `，` `、`
            } else {
                0
            };
            (c.len_utf8(), class, c)
        };
        if class & WS != 0 {
            if (word.letters > 0 || i > token_start) && tokens < 6 {
                s.comment |= comment_word(&line[token_start..i]);
            }
            if word.letters > 0 || i > token_start {
                tokens += 1;
            }
            word.finish(s);
            token_start = i + len;
        } else {
            if class & ALNUM != 0 {
                word.letter(class & UPPER != 0);
                letters_total += 1;
                s.digits += (class & DIGIT != 0) as u32;
                if b < 0x80 {
                    word.push_lower(&[b.to_ascii_lowercase()]);
                } else {
                    for lower in c.to_lowercase() {
                        word.push_lower(lower.encode_utf8(&mut [0; 4]).as_bytes());
                    }
                }
            } else if class & MARKUP == 0 && word.letters > 0 {
                word.punct_after_letters = true;
            }
            if b == b'[' {
                link_open = Some(letters_total);
            }
            s.commas += (class & COMMA != 0) as u32;
            if class & MARKUP == 0 && c != ')' {
                last_content = Some(c);
            }
        }
        i += len;
    }
    if word.letters > 0 && tokens < 6 {
        s.comment |= comment_word(&line[token_start..]);
    }
    word.finish(s);
    // Function characters of Chinese and Japanese count one by one, words by two.
    s.stop = s.stop.min(s.words);
    s.comment |= line.len() <= 12 && line.trim().eq_ignore_ascii_case("reply");
    s.terminal = last_content.is_some_and(|c| SENTENCE_ENDS.contains(&c));
    s.terminal |= s.words >= 8 && last_content.is_some_and(unpunctuated_script);
    s.colon = matches!(last_content, Some(':' | '\u{FF1A}'));
    s.ellipsis = ends_cut_short(line);
}

/// Whether the line ends with `…` or `...` (markup and closing parentheses aside): a
/// teaser's summary cut short.
pub(crate) fn ends_cut_short(line: &str) -> bool {
    let end = line.trim_end().trim_end_matches(|c: char| is_markup(c) || c == ')');
    end.ends_with('\u{2026}') || end.ends_with("...")
}

/// The features of a document's lines, and their statistics for the prose guard. A
/// line's feature vector is put together when asked for ([`row`](Self::row)) from
/// per-line statistics and window sums, so a big document needs no matrix of them. The
/// buffers are reused by [`compute`](Self::compute): a worker cleaning many documents
/// allocates (and page-faults) them once, not per document.
#[derive(Default)]
pub struct DocumentFeatures {
    stats: Vec<LineStats>,
    short_run: Vec<usize>,
    after_colon: Vec<bool>,
    /// Prefix sums of link density, log words and paragraph-like lines.
    sums: [Vec<f32>; 3],
    duplicate: Vec<bool>,
    /// Per line, the first line with the same text (see [`mark_duplicates`]).
    first_same: Vec<u32>,
    first_para: Option<usize>,
    last_para: Option<usize>,
    first_with_hash: HashMap<u64, u32, super::tiers::FxBuild>,
    /// Per line: a paragraph of prose or a protected line (code), the page's body.
    body: Vec<bool>,
    /// The lines taken for one page: the layout features (position, before and after
    /// the body, runs, neighbours) look no further. All lines unless set otherwise.
    window: std::ops::Range<usize>,
}

impl DocumentFeatures {
    /// Whether line `i` reads like a paragraph of prose (see the free function `is_prose`).
    pub fn is_prose(&self, i: usize, min_words: usize) -> bool {
        is_prose(&self.stats[i], min_words)
    }

    /// Line `i` is a heading (`# …`).
    pub fn heading(&self, i: usize) -> bool {
        self.stats[i].heading
    }

    /// Line `i` holds no link, markup, image, boilerplate phrase (`phrases`) or furniture
    /// word.
    pub fn plain(&self, i: usize) -> bool {
        let s = &self.stats[i];
        s.links == 0 && !s.html && !s.image && !s.phrase && s.furniture == 0 && !s.starts_with_link
    }

    /// Line `i` ends like a sentence.
    pub fn terminal(&self, i: usize) -> bool {
        self.stats[i].terminal
    }

    /// Words on line `i`.
    pub fn words(&self, i: usize) -> u32 {
        self.stats[i].words
    }

    /// Compute the features of the `n` lines that `line(0..n)` returns (see
    /// [`document_features`]) into these buffers; the caller needs no vector of lines.
    /// `protected(i)`: a keep rule protects line `i` (a code block): it is the page's body
    /// as surely as a paragraph, and places the main block as one does.
    pub fn compute<'a>(
        &mut self,
        n: usize,
        line: impl Fn(usize) -> &'a str,
        protected: impl Fn(usize) -> bool,
        phrases: Option<&PhraseMatcher>,
    ) {
        let DocumentFeatures {
            stats, short_run, after_colon, sums, duplicate, first_same, first_with_hash, body, ..
        } = self;
        mark_duplicates(n, &line, first_with_hash, duplicate, first_same);
        // A repeated line (menus and footers: in a big set of pages, a third of the lines)
        // takes the statistics of its first occurrence when the two are the same bytes.
        stats.clear();
        for (i, &first) in first_same.iter().enumerate() {
            let first = first as usize;
            let repeated = first != i && line(first) == line(i);
            let s = if repeated { stats[first] } else { line_stats(line(i), phrases) };
            stats.push(s);
        }
        let stats = &stats[..];
        body.clear();
        body.extend((0..n).map(|i| stats[i].paragraph_like() || protected(i)));
        short_run.clear();
        short_run.resize(n, 0);
        after_colon.clear();
        after_colon.resize(n, false);
        // Prefix sums: window means in constant time per line.
        let prefix = |acc: &mut Vec<f32>, f: &dyn Fn(&LineStats) -> f32| {
            acc.clear();
            acc.resize(n + 1, 0.0);
            for (k, s) in stats.iter().enumerate() {
                acc[k + 1] = acc[k] + f(s);
            }
        };
        let [link_sum, words_sum, para_sum] = sums;
        prefix(link_sum, &|s| s.link_density());
        prefix(words_sum, &|s| s.log_words());
        prefix(para_sum, &|s| s.paragraph_like() as u8 as f32);
        self.set_window(0..n);
    }

    /// Take the lines `window` for one page: the layout features of the lines in it
    /// (position, before or after the body, runs of short lines, lists after a colon,
    /// neighbours and window means) are computed as if nothing came before or after.
    pub fn set_window(&mut self, window: std::ops::Range<usize>) {
        let DocumentFeatures { stats, short_run, after_colon, body, first_para, last_para, .. } = self;
        let (a, b) = (window.start, window.end);
        *first_para = (a..b).find(|&i| body[i]);
        *last_para = (a..b).rfind(|&i| body[i]);
        // Runs of short lines (menus, tag clouds, headline lists).
        let mut i = a;
        while i < b {
            if stats[i].words <= 6 {
                let start = i;
                while i < b && stats[i].words <= 6 {
                    i += 1;
                }
                short_run[start..i].fill(i - start);
            } else {
                short_run[i] = 0;
                i += 1;
            }
        }
        // List items under a line that ends with a colon: a list the text introduces.
        if a < b {
            after_colon[a] = false;
        }
        for i in a + 1..b {
            after_colon[i] = stats[i - 1].colon || (after_colon[i - 1] && stats[i - 1].list_item && stats[i].list_item);
        }
        self.window = window;
    }

    /// Where pages seem to meet in a text of many (`min_lines` lines or more; else one
    /// window of all lines): in the middle of each run of at least `min_gap` lines
    /// between two lines of page text (the body, or long lines with few links). A page's
    /// own chrome between paragraphs (a list of related links, a gallery) is rarely that
    /// long; the footer of one page and the header of the next usually are.
    pub fn page_windows(&self, min_lines: usize, min_gap: usize, out: &mut Vec<std::ops::Range<usize>>) {
        out.clear();
        let n = self.len();
        let mut start = 0;
        if min_lines > 0 && n >= min_lines {
            let mut last_text: Option<usize> = None;
            // The body, or a long line with few links: text without spaces between words
            // (Chinese, Japanese) makes no paragraph of 12 words.
            let paragraph = |i: usize| {
                let s = &self.stats[i];
                self.body[i] || (s.chars >= PAGE_TEXT_LETTERS && s.link_density() < 0.2)
            };
            for i in (0..n).filter(|&i| paragraph(i)) {
                if let Some(j) = last_text {
                    let gap = i - j - 1;
                    if gap >= min_gap {
                        let cut = j + 1 + gap / 2;
                        out.push(start..cut);
                        start = cut;
                    }
                }
                last_text = Some(i);
            }
        }
        out.push(start..n);
    }

    /// How many lines the features are for.
    pub fn len(&self) -> usize {
        self.stats.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stats.is_empty()
    }

    /// The feature vector of line `i` (see [`NAMES`]).
    pub fn row(&self, i: usize) -> [f32; N] {
        let DocumentFeatures { stats, short_run, after_colon, sums, duplicate, first_para, last_para, window, .. } =
            self;
        let (lo, hi) = (window.start, window.end);
        let window = |i: usize, r: usize| (i.saturating_sub(r).max(lo), (i + r + 1).min(hi));
        let [link_sum, words_sum, para_sum] = sums;
        let s = &stats[i];
        let prev = if i > lo { stats[i - 1] } else { LineStats::default() };
        let next = if i + 1 < hi { stats[i + 1] } else { LineStats::default() };
        let (a, b) = window(i, 3);
        let others = (b - a) as f32;
        let w_link = (link_sum[b] - link_sum[a]) / others;
        let w_words = (words_sum[b] - words_sum[a]) / others;
        let (pa, pb) = window(i, 5);
        let w_para = (para_sum[pb] - para_sum[pa]) / (pb - pa) as f32;
        let words = (s.words as f32).max(1.0);
        let f: [f32; N] = [
            s.log_words(),
            (s.chars as f32 / words).min(15.0),
            s.link_density(),
            ln_1p_count(s.links as usize),
            s.terminal as u8 as f32,
            s.list_item as u8 as f32,
            s.heading as u8 as f32,
            s.caps as f32 / words,
            s.stop as f32 / words,
            s.digits as f32 / s.chars.max(1) as f32,
            s.pipes as u8 as f32,
            s.image as u8 as f32,
            s.phrase as u8 as f32,
            s.commas as f32 / words,
            if hi - lo > 1 { (i - lo) as f32 / (hi - lo - 1) as f32 } else { 0.0 },
            first_para.is_none_or(|p| i < p) as u8 as f32,
            last_para.is_none_or(|p| i > p) as u8 as f32,
            prev.log_words(),
            next.log_words(),
            prev.link_density(),
            next.link_density(),
            prev.terminal as u8 as f32,
            next.terminal as u8 as f32,
            w_link,
            w_words,
            ln_1p_count(short_run[i]),
            duplicate[i] as u8 as f32,
            w_para,
            if s.terminal { s.log_words() } else { 0.0 },
            s.indent as u8 as f32,
            (s.link_density() > 0.9) as u8 as f32,
            s.long_words as f32 / words,
            s.html as u8 as f32,
            s.comment as u8 as f32,
            (s.words >= 20 && s.stop as f32 / words < 0.05) as u8 as f32,
            s.starts_with_link as u8 as f32,
            after_colon[i] as u8 as f32,
            s.ellipsis as u8 as f32,
            s.furniture as f32 / words,
            (s.hard_break || prev.hard_break) as u8 as f32,
        ];
        f
    }

    /// Every line's feature vector, in order (for the trainer and tests).
    pub fn rows(&self) -> Vec<[f32; N]> {
        (0..self.len()).map(|i| self.row(i)).collect()
    }
}

/// Which lines occur more than once in `lines` (whitespace at the ends aside), and for
/// each line the first line with its text (itself if none, or if unsure). Lines are
/// told apart by a 64-bit hash kept in a reusable table, and a line is compared with the
/// first line of its hash; should two different lines ever share a hash, the document
/// is counted again by text.
fn mark_duplicates<'a>(
    n: usize,
    line: impl Fn(usize) -> &'a str,
    first_with_hash: &mut HashMap<u64, u32, super::tiers::FxBuild>,
    duplicate: &mut Vec<bool>,
    first_same: &mut Vec<u32>,
) {
    use std::hash::BuildHasher;
    let hash = |line: &str| super::tiers::FxBuild::default().hash_one(line);
    mark_duplicates_by(n, line, hash, first_with_hash, duplicate, first_same);
}

fn mark_duplicates_by<'a>(
    n: usize,
    line: impl Fn(usize) -> &'a str,
    hash: impl Fn(&str) -> u64,
    first_with_hash: &mut HashMap<u64, u32, super::tiers::FxBuild>,
    duplicate: &mut Vec<bool>,
    first_same: &mut Vec<u32>,
) {
    duplicate.clear();
    duplicate.resize(n, false);
    first_same.clear();
    first_same.extend(0..n as u32);
    first_with_hash.clear();
    let mut collision = false;
    for i in 0..n {
        let text = line(i).trim();
        match first_with_hash.entry(hash(text)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(i as u32);
            }
            std::collections::hash_map::Entry::Occupied(o) => {
                let first = *o.get() as usize;
                if line(first).trim() == text {
                    duplicate[first] = true;
                    duplicate[i] = true;
                    first_same[i] = first as u32;
                } else {
                    collision = true;
                }
            }
        }
    }
    if collision {
        let mut counts: HashMap<&str, u32, super::tiers::FxBuild> = HashMap::default();
        for i in 0..n {
            *counts.entry(line(i).trim()).or_default() += 1;
        }
        for (i, d) in duplicate.iter_mut().enumerate() {
            *d = counts[line(i).trim()] > 1;
        }
    }
}

/// Features for the lines `considered` (non-blank, not removed by other rules), in order.
/// `lines` are the documents' line contents; returns one vector per considered line.
pub fn document_features(lines: &[&str], phrases: Option<&PhraseMatcher>) -> DocumentFeatures {
    let mut features = DocumentFeatures::default();
    features.compute(lines.len(), |i| lines[i], |_| false, phrases);
    features
}

/// Second-stage (context) feature names: first-stage logits of the line and its
/// neighbourhood. Content and chrome come in runs; these let the model see the run.
pub const CONTEXT_NAMES: &[&str] = &[
    "own",
    "prev",
    "next",
    "mean_1",
    "mean_3",
    "mean_8",
    "max_3",
    "min_3",
    "content_share_5",
    "content_before",
    "content_after",
    "in_main_block",
    "after_main_block",
    "log_distance_to_main_block",
];

pub const CONTEXT_N: usize = 14;

/// Context features from each considered line's first-stage logit.
pub fn context_features(logits: &[f32]) -> Vec<[f32; CONTEXT_N]> {
    let mut context = ContextFeatures::default();
    context.compute(logits);
    (0..logits.len()).map(|i| context.row(i)).collect()
}

/// The second-stage features of a document: rows are put together when asked for, from
/// buffers reused across documents.
#[derive(Default)]
pub struct ContextFeatures {
    /// The first-stage logits, clamped.
    z: Vec<f32>,
    /// Lines with a positive logit before each line (prefix counts).
    before: Vec<u32>,
    /// The main block: the run of lines with the largest total first-stage score.
    main: (usize, usize),
}

impl ContextFeatures {
    /// Prepare the context features of `logits` (see [`context_features`]).
    pub fn compute(&mut self, logits: &[f32]) {
        let n = logits.len();
        self.z.clear();
        self.z.extend(logits.iter().map(|&v| v.clamp(-8.0, 8.0)));
        self.before.clear();
        self.before.resize(n + 1, 0);
        for i in 0..n {
            self.before[i + 1] = self.before[i] + (self.z[i] > 0.0) as u32;
        }
        // The main block (maximum-sum subarray). Chrome gathers outside it: menus
        // before, comments, teasers and footers after.
        let (mut best, mut best_span, mut run, mut run_start) = (f32::MIN, (0usize, 0usize), 0.0f32, 0usize);
        for (i, &v) in self.z.iter().enumerate() {
            if run <= 0.0 {
                run = 0.0;
                run_start = i;
            }
            run += v;
            if run > best {
                best = run;
                best_span = (run_start, i);
            }
        }
        self.main = best_span;
    }

    /// The context feature vector of line `i` (see [`CONTEXT_NAMES`]).
    pub fn row(&self, i: usize) -> [f32; CONTEXT_N] {
        let (z, before) = (&self.z[..], &self.before[..]);
        let n = z.len();
        let total = before[n];
        let (main_a, main_b) = self.main;
        let mean = |i: usize, r: usize| {
            let (a, b) = (i.saturating_sub(r), (i + r + 1).min(n));
            z[a..b].iter().sum::<f32>() / (b - a) as f32
        };
        let (a, b) = (i.saturating_sub(3), (i + 4).min(n));
        let (a5, b5) = (i.saturating_sub(5), (i + 6).min(n));
        [
            z[i],
            if i > 0 { z[i - 1] } else { 0.0 },
            if i + 1 < n { z[i + 1] } else { 0.0 },
            mean(i, 1),
            mean(i, 3),
            mean(i, 8),
            z[a..b].iter().copied().fold(f32::MIN, f32::max),
            z[a..b].iter().copied().fold(f32::MAX, f32::min),
            (before[b5] - before[a5]) as f32 / (b5 - a5) as f32,
            (before[i] > 0) as u8 as f32,
            (total - before[i + 1] > 0) as u8 as f32,
            (main_a..=main_b).contains(&i) as u8 as f32,
            (i > main_b) as u8 as f32,
            ln_1p_count(if i < main_a { main_a - i } else { i.saturating_sub(main_b) }),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_vector() {
        assert_eq!(NAMES.len(), N);
        assert_eq!(CONTEXT_NAMES.len(), CONTEXT_N);
    }

    #[test]
    fn list_items_are_known_by_markdown_escaped_and_plain_bullets_of_three_words_or_more() {
        for (line, body) in [
            ("* Fixed", Some("Fixed")),
            ("12. Step", Some("Step")),
            ("\\+ Added Slime Block", Some("Added Slime Block")),
            ("\\- Removed the old launcher", Some("Removed the old launcher")),
            ("• Import bookmarks from HTML", Some("Import bookmarks from HTML")),
            ("▪ Dark theme everywhere", Some("Dark theme everywhere")),
            // A menu's entries, which have no links without markdown.
            ("• Docs", None),
            ("\\- Log in", None),
            ("*emphasis*", None),
            ("– Name, an attribution", None),
            ("\\+3 points", None),
        ] {
            assert_eq!(list_item_body(line), body, "{line}");
        }
    }

    #[test]
    fn only_markdown_headings_have_a_level() {
        assert_eq!(heading_level("## Related"), Some(2));
        assert_eq!(heading_level("  ###"), Some(3));
        assert_eq!(heading_level("#hashtag"), None);
        assert_eq!(heading_level("####### seven"), None);
        assert_eq!(heading_level("Text # not"), None);
    }

    /// The eight-at-a-time scan stops where a byte loop would, for every byte value at
    /// every place in and past the first eight.
    #[test]
    fn alnum_runs_match_a_byte_loop() {
        for b in 0..=255u8 {
            for at in 0..20 {
                let mut line: Vec<u8> = b"aZ09qQ5mM7zA3bY8kK1x".to_vec();
                line[at] = b;
                let expected = line.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
                let digits = line[..expected].iter().filter(|c| c.is_ascii_digit()).count() as u32;
                assert_eq!(ascii_alnum_run(&line), (expected, digits), "byte {b:#x} at {at}");
                assert_eq!(ascii_alnum_run(&line[..at.max(1)]).0, expected.min(at.max(1)), "cut at {at}");
            }
        }
    }

    /// Words followed by a space take a shortcut through `word_stats`; with tabs between
    /// the words instead, every byte goes the general way. Both must count the same.
    #[test]
    fn the_shortcut_for_plain_words_counts_as_the_general_path() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut lines: Vec<String> = [
            "The cat, the dog. And you; or me: why? Yes",
            "Johnny says: great post , thanks .",
            "Reply",
            "[Home](/x) About us, [Contact](/c?a=(1)) here.",
            "Don't stop e-mail **bold** words, THE END",
            "2comments 12 min read: 2020, 1999.",
            "Ünïcode wörds, and the 的 of 日本語 text.",
        ]
        .map(String::from)
        .into();
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("fixture text");
            lines.extend(text.lines().map(|l| l.trim_start().to_string()));
        }
        assert!(lines.len() > 100);
        for line in lines {
            let (mut spaced, mut tabbed) = (LineStats::default(), LineStats::default());
            word_stats(&line, None, &mut spaced);
            word_stats(&line.replace(' ', "\t"), None, &mut tabbed);
            assert_eq!(spaced, tabbed, "{line:?}");
        }
    }

    /// Every listed word is found with its class, whichever slot its probe ends in; other
    /// words, prefixes and extensions of listed ones included, are not.
    #[test]
    fn word_classes_find_every_listed_word() {
        let class = |w: &str| {
            let mut buffer = [0u8; 32];
            buffer[..w.len()].copy_from_slice(w.as_bytes());
            word_class(&buffer, w.len())
        };
        for w in STOPWORDS {
            assert!(class(w) & STOP != 0, "{w:?} is a function word");
        }
        for w in FURNITURE {
            assert!(class(w) & FURNISHING != 0, "{w:?} is a furniture word");
        }
        assert_eq!(class("comments"), FURNISHING | (STOPWORDS.contains(&"comments") as u8 * STOP));
        for w in ["", "th", "thee", "commentsx", "zebra", "paragraphs", "abcdefghijklmnopq"] {
            assert!(STOPWORDS.contains(&w) || FURNITURE.contains(&w) || class(w) == 0, "{w:?} is not listed");
        }
    }

    /// The `phrase` feature: phrases count from a word's start (or a number's end), in any
    /// ASCII case, not in link targets; one-character and symbol-led phrases anywhere.
    #[test]
    fn phrases_count_from_the_start_of_a_word() {
        let p = PhraseMatcher::new(["sign in", "comments", "subscribe", "tags:", "©", "(ad)"]).unwrap();
        let phrase = |line: &str| line_stats(line, Some(&p)).phrase;
        for hit in [
            "Sign in",
            "Please SIGN IN to continue",
            "**[Sign in](#)**",
            "12 comments",
            "2comments",
            "Subscribers only",
            "Tags: news",
            "© 2026 Example",
            "Text (ad) text",
        ] {
            assert!(phrase(hit), "{hit:?} holds a phrase");
        }
        for miss in [
            "Good design interfaces look simple.",
            "Unsubscribe at any time.",
            "nocomments here",
            "[Home](https://example.com/comments)",
            "tags only",
            "Hello world",
        ] {
            assert!(!phrase(miss), "{miss:?} holds no phrase");
        }
        assert!(!line_stats("Sign in", None).phrase, "no matcher, no phrase");
    }

    /// Pages meet in the middle of long runs between paragraphs, and only in long texts;
    /// a window's layout features see nothing outside it.
    #[test]
    fn page_windows_cut_long_gaps_between_paragraphs_of_long_texts() {
        let para = "A paragraph of plain prose that runs on for well over twelve words before it ends.";
        let menu = "[Home](#) [News](#)";
        // Paragraphs at 2, 3, 10 (a gap of 6 lines), 13 (a gap of 2): lines 0..16.
        let mut lines = vec![menu; 16];
        for i in [2, 3, 10, 13] {
            lines[i] = para;
        }
        let mut f = document_features(&lines, None);
        let mut windows = Vec::new();
        f.page_windows(16, 5, &mut windows);
        assert_eq!(windows, [0..7, 7..16], "cut in the middle of the 6 lines 4..10");
        f.page_windows(16, 7, &mut windows);
        assert_eq!(windows, vec![0..16], "no gap of 7");
        f.page_windows(17, 5, &mut windows);
        assert_eq!(windows, vec![0..16], "too few lines to hold several pages");

        // Text without spaces makes no paragraph of 12 words; a long line with few links
        // counts as page text all the same.
        let cjk = "在采访中，我们了解到不少学子在出国前就每年守在电脑前观看两会直播。但是，随着年龄和阅历的增长，学子对两会的关注点在出国前后发生了很大的变化。";
        let mut with_cjk = vec![menu; 16];
        for i in [2, 3, 13] {
            with_cjk[i] = para;
        }
        with_cjk[8] = cjk;
        let mut windows_cjk = Vec::new();
        document_features(&with_cjk, None).page_windows(16, 4, &mut windows_cjk);
        assert_eq!(windows_cjk, [0..6, 6..11, 11..16]);

        let whole = f.rows();
        f.set_window(7..16);
        let (position, before_main, after_main, prev_log_words) = (14, 15, 16, 17);
        let row = f.row(7);
        assert_eq!(row[position], 0.0, "the window's first line");
        assert_eq!(row[before_main], 1.0, "before the window's first paragraph");
        assert_eq!(whole[7][before_main], 0.0, "after the text's first paragraph");
        assert_eq!(row[prev_log_words], 0.0, "no line before it in the window");
        assert_eq!(f.row(15)[position], 1.0);
        assert_eq!(f.row(14)[after_main], 1.0);
        f.set_window(0..16);
        assert_eq!(f.rows(), whole, "the whole text again");
    }

    #[test]
    fn context_sees_runs() {
        let c = context_features(&[-3.0, -3.0, 2.0, 2.0, -1.0]);
        assert_eq!(c[0][9], 0.0); // no content before the first line
        assert_eq!(c[4][10], 0.0); // none after the last
        assert_eq!(c[2][1], -3.0);
        assert!(c[3][3] > 0.0);
    }

    #[test]
    fn menus_and_prose_differ_where_expected() {
        let lines = [
            "* [Home](#)",
            "* [World](#)",
            "The minister said on Tuesday that the budget, which was late, would be published in the spring.",
            "Share this article",
        ];
        let f = document_features(&lines, None).rows();
        let idx = |name: &str| NAMES.iter().position(|n| *n == name).unwrap();
        assert_eq!(f[0][idx("link_density")], 1.0);
        assert_eq!(f[0][idx("list_item")], 1.0);
        assert_eq!(f[0][idx("before_main")], 1.0);
        assert_eq!(f[2][idx("terminal")], 1.0);
        assert!(f[2][idx("stop_ratio")] > 0.3);
        assert_eq!(f[3][idx("after_main")], 1.0);
        assert_eq!(f[1][idx("short_run")], (2.0f32).ln_1p());
        let g = document_features(
            &["<p class=\"byline\">by Jill</p>", "ljhms says: [Dec 20](#) nice", "See <https://x.org> now"],
            None,
        )
        .rows();
        assert_eq!(g[0][idx("html")], 1.0);
        assert_eq!(g[1][idx("comment_byline")], 1.0);
        assert_eq!(g[2][idx("html")], 0.0);
        // Function words count with trailing punctuation, in other languages, not inside words.
        let h = document_features(&["the, and. für že don't"], None).rows();
        assert_eq!(h[0][idx("stop_ratio")], 4.0 / 5.0);
        // A list the text introduces; teasers cut short; timestamps and widget words.
        let lines = [
            "The update adds three things:",
            "* Granite blocks",
            "* Slime blocks",
            "Trump picks his cabinet, and the markets respond with a rally that few expected...",
            "Posted 3 hours ago | 12 comments | Share",
        ];
        let k = document_features(&lines, None).rows();
        assert_eq!([k[1][idx("after_colon")], k[2][idx("after_colon")], k[3][idx("after_colon")]], [1.0, 1.0, 0.0]);
        assert_eq!([k[3][idx("ellipsis")], k[0][idx("ellipsis")]], [1.0, 0.0]);
        assert_eq!(k[4][idx("furniture_words")], 4.0 / 7.0); // posted, ago, comments, share of 7 words
        assert_eq!(k[0][idx("furniture_words")], 0.0);
        // Lines of one block broken by `<br>` (two spaces at the end): an address.
        let lines = ["Hyde Street Clinic  ", "815 Hyde Street", "Open daily.", "Call us: "];
        let b = document_features(&lines, None).rows();
        let broken: Vec<f32> = b.iter().map(|row| row[idx("in_broken_block")]).collect();
        assert_eq!(broken, [1.0, 1.0, 0.0, 0.0]);
        // Chinese and Japanese: a word per two characters (no spaces between words), their
        // one-character function words, and a sentence ends with `。`.
        let cjk = ["我们的城市是绿色的。", "東京の天気は晴れです！", "首页 新闻", "的的的"];
        let stats: Vec<LineStats> = cjk.iter().map(|l| line_stats(l, None)).collect();
        assert_eq!([stats[0].words, stats[1].words, stats[2].words], [5, 5, 2]);
        assert_eq!([stats[0].stop, stats[1].stop], [5, 3]); // 我们的是的; の, は and で
        assert_eq!((stats[3].words, stats[3].stop), (2, 2), "never more function words than words");
        assert!(stats[0].terminal && stats[1].terminal && !stats[2].terminal);
        // Hindi: vowel signs are part of their words, and `।` ends a sentence.
        let hindi = line_stats("यह योजना अगले साल शुरू होगी।", None);
        assert_eq!((hindi.words, hindi.stop, hindi.terminal), (6, 1, true));
        // "में" (in) is a function word: its vowel sign no longer makes it punctuated.
        assert_eq!(line_stats("घर में", None).stop, 1);
        // Thai: a word per four characters, and a long line ends like a sentence.
        let thai = line_stats("กรุงเทพมหานครเปิดใช้เลนจักรยานสายใหม่ในใจกลางเมือง", None);
        assert!(thai.words >= 8 && thai.terminal, "{} words", thai.words);
        assert!(!line_stats("หน้าแรก", None).terminal);
        // Armenian, Amharic, Khmer and Burmese full stops.
        for line in ["Բարեւ աշխարհ։", "ሰላም ዓለም።", "សួស្តីពិភពលោក។", "မင်္ဂလာပါ။"]
        {
            assert!(line_stats(line, None).terminal, "{line}");
        }
    }

    #[test]
    fn short_needles_are_found_around_their_anchor() {
        for (haystack, found) in [("a | b", true), ("| b", false), ("a |", false), ("a|b | c", true), ("a||b", false)] {
            assert_eq!(contains_at(haystack.as_bytes(), b" | ", 1), found, "{haystack:?}");
        }
        for (haystack, found) in [("![x](y)", true), ("wow!", false), ("!! [", false), ("!![", true)] {
            assert_eq!(contains_at(haystack.as_bytes(), b"![", 0), found, "{haystack:?}");
        }
    }

    #[test]
    fn count_logarithms_match_log1p_past_the_table() {
        for n in [0, 1, 7, 255, 256, 1000] {
            assert_eq!(ln_1p_count(n), (n as f32).ln_1p());
        }
    }

    #[test]
    fn duplicates_are_exact_even_when_hashes_collide() {
        let lines = ["a", " b ", "c", "b", "a", "d", "c\t"];
        let expected = [true, true, true, true, true, false, true];
        let (mut table, mut dup, mut first) = (HashMap::default(), Vec::new(), Vec::new());
        mark_duplicates(lines.len(), |i| lines[i], &mut table, &mut dup, &mut first);
        assert_eq!(dup, expected);
        assert_eq!(first, [0, 1, 2, 1, 0, 5, 2]);
        // Every line hashing alike: the exact recount must give the same answer.
        mark_duplicates_by(lines.len(), |i| lines[i], |_| 7, &mut table, &mut dup, &mut first);
        assert_eq!(dup, expected);
        assert_eq!(first, [0, 1, 2, 3, 0, 5, 6]); // only what was compared is shared
        mark_duplicates_by(2, |i| ["x", "y"][i], |_| 7, &mut table, &mut dup, &mut first);
        assert_eq!(dup, [false, false]);
        assert_eq!(first, [0, 1]);
    }
}
