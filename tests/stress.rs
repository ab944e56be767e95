//! The engine on pages nobody would write: probe and seed lines cut, spliced and salted
//! with markup, scripts without spaces, combining marks, control characters and very long
//! words, in every profile. A corpus of billions of pages holds such text, and one panic
//! there costs a record (see `pipeline::clean_record`). What must hold on each page:
//! - removals in line order, apart, inside the text, each on whole lines;
//! - the output no longer than the input;
//! - the same output from a fresh worker's buffers as from buffers that cleaned another
//!   page first (workers reuse them), and the same output, lines removed and hits per rule
//!   with the details `explain` and `--report` ask for as without.
//!
//! The pages come from a fixed seed: a failure names the seed and page, to be replayed.

use dechrome::{Cleaned, DocContext, Engine, Profile, RuleSet, Scratch};

/// Pages per profile. Each is cleaned three times.
const PAGES: usize = 150;

/// Pieces that have tripped text code elsewhere: link syntax cut short, list and heading
/// markers, HTML, multi-byte and zero-width characters, scripts without spaces, marks,
/// right-to-left text, emoji sequences, control characters, and chrome words.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    "[", "](", "](#)", ")", "(", "*", "**", "_", "#", "## ", "* ", "- ", "+ ", "1. ", "\\+ ", "• ", "▪ ", "|",
    " | ", "![", "<p>", "</div>", "<", ">", "&amp;", "\t", "  ", "\r", "\u{a0}", "\u{200b}", "\u{200d}", "\u{202e}",
    "\u{feff}", "é", "ß", "İ", "ǅ", "\u{301}", "ﬁ", "ı", "Σ", "ς", "的", "の", "、", "，", "：", "。", "ก", "\u{e31}",
    "ह", "\u{94d}", "שלום", "سلام", "😀", "👍🏽", "🇬🇧", "…", "...", "“", "”", "’", "«", "©", "—", ":", ";", ",", ".",
    "?", "!", "0", "12", "2024", "$", "£", "%", "@", "http://x.y/z", "Share", "Facebook", "Reply", "says:",
    "Related", "Advertisement", "Subscribe", "Home", "Page 2", "Week 1:", "Week 2:", "Director: X",
    "1 Millbrook 14 9 3 2 30", "Read more", "All rights reserved", "By ", "ago", "Tags:", "the", "and", "of",
    "EngineComputing", "SQLManaged", "\u{0}", "\u{1b}", "\u{7f}", "\u{2028}", "\u{85}", "\u{b}", "\u{c}",
];

/// SplitMix64: a seeded stream of numbers, enough to pick pieces.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The lines of the probe pages and the seed fixtures.
fn real_lines() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut lines = Vec::new();
    for dir in ["data/probes", "fixtures"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files {
            lines.extend(std::fs::read_to_string(file).unwrap().lines().map(String::from));
        }
    }
    lines
}

/// A real line cut, spliced and salted (at character boundaries), or a line of pieces.
fn line(stream: &mut Stream, real: &[String]) -> String {
    if stream.below(3) == 0 {
        return (0..stream.below(24)).map(|_| *stream.pick(PIECES)).collect::<Vec<_>>().join(" ");
    }
    let mut chars: Vec<char> = stream.pick(real).chars().collect();
    for _ in 0..stream.below(5) {
        let at = stream.below(chars.len() + 1);
        match stream.below(3) {
            0 => chars.splice(at..at, stream.pick(PIECES).chars()).for_each(drop),
            1 => chars.truncate(at),
            _ => chars.extend(stream.pick(real).chars()), // two lines run together
        }
    }
    chars.into_iter().collect()
}

/// The stream's next page: a few to a few hundred lines, some blank, some very long, some
/// pages wrapped at a fixed width.
fn page(stream: &mut Stream, real: &[String]) -> String {
    let lines = *stream.pick(&[1, 2, 3, 5, 12, 40, 120, 300]);
    let mut page: Vec<String> = Vec::with_capacity(lines);
    for _ in 0..lines {
        page.push(match stream.below(8) {
            0 | 1 => String::new(),
            2 if stream.below(20) == 0 => "word ".repeat(stream.below(3000)),
            _ => line(stream, real),
        });
    }
    let mut text = page.join(if stream.below(10) == 0 { "\r\n" } else { "\n" });
    if stream.below(6) == 0 {
        text = wrapped(&text, 60 + stream.below(20));
    }
    text
}

/// `text` wrapped at `width` characters, as mail and `lynx -dump` wrap it: the engine then
/// reads each paragraph as one line and maps what it removes back onto the wrapped ones.
fn wrapped(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    for line in text.split('\n') {
        let mut column = 0;
        for word in line.split(' ') {
            let len = word.chars().count();
            if column > 0 && column + 1 + len > width {
                out.push('\n');
                column = 0;
            } else if column > 0 {
                out.push(' ');
                column += 1;
            }
            out.push_str(word);
            column += len;
        }
        out.push('\n');
    }
    out
}

fn check(page: &str, cleaned: &Cleaned, what: &str) {
    let mut line_starts: Vec<usize> = std::iter::once(0).chain(page.match_indices('\n').map(|(i, _)| i + 1)).collect();
    if line_starts.last() == Some(&page.len()) && !page.is_empty() {
        line_starts.pop(); // a final line break ends the last line; no line starts there
    }
    let mut end = 0;
    for r in &cleaned.removals {
        assert!(r.lines.start >= end && r.lines.start < r.lines.end, "{what}: removal lines {:?} after {end}", r.lines);
        assert!(r.lines.end <= line_starts.len(), "{what}: removal lines {:?} of {}", r.lines, line_starts.len());
        end = r.lines.end;
        assert!(r.bytes.end <= page.len() && page.is_char_boundary(r.bytes.start), "{what}: bytes {:?}", r.bytes);
        assert_eq!(r.bytes.start, line_starts[r.lines.start], "{what}: removal {:?} starts mid-line", r.lines);
    }
    assert!(cleaned.text.len() <= page.len(), "{what}: {} bytes out of {}", cleaned.text.len(), page.len());
}

fn clean(engine: &Engine, page: &str, scratch: &mut Scratch, details: bool) -> Cleaned {
    scratch.skip_details = !details;
    engine.clean_with(page, DocContext::default(), scratch)
}

#[test]
fn mangled_pages_clean_without_panics_and_alike_from_any_state() {
    let set = RuleSet::default_rules().unwrap();
    let real = real_lines();
    for (seed, profile) in [Profile::Conservative, Profile::Balanced, Profile::Aggressive].into_iter().enumerate() {
        let engine = Engine::compile_with_profile(&set.packs, &[], profile).unwrap();
        let mut stream = Stream(seed as u64);
        let mut warm = Scratch::default(); // cleans every page, one after another
        for n in 0..PAGES {
            let page = page(&mut stream, &real);
            let what = format!("{profile:?}, seed {seed}, page {n}");
            let first = clean(&engine, &page, &mut warm, false);
            check(&page, &first, &what);
            let fresh = clean(&engine, &page, &mut Scratch::default(), false);
            assert_eq!(first.text, fresh.text, "{what}: a worker's reused buffers changed the output");
            let explained = clean(&engine, &page, &mut warm, true);
            assert_eq!(first.text, explained.text, "{what}: asking for details changed the output");
            // Details split a detector's run into a removal per line; the lines and the
            // hits (what the statistics count) stay.
            let removed = |c: &Cleaned| c.removals.iter().flat_map(|r| r.lines.clone()).collect::<Vec<_>>();
            assert_eq!(removed(&first), removed(&explained), "{what}");
            let hits = |c: &Cleaned| c.removal_hits().filter(|h| h.1).map(|(r, _)| r.rule).collect::<Vec<_>>();
            assert_eq!(hits(&first), hits(&explained), "{what}: hits");
        }
    }
}
