//! Candidate lines for the normalised views: "find a candidate, then confirm".
//!
//! - Head patterns (exact, prefix, anchored regexes) can only match a line whose
//!   normalised first token equals a pattern's first token, or starts with a one-token
//!   prefix pattern: each line's first few bytes are normalised and looked up.
//! - Patterns that can match anywhere (contains, suffix, regex literals) have an
//!   *anchor*, their rarest-looking word, which the original line must contain (ASCII
//!   case aside); one automaton over all anchors runs over the document. Where an anchor
//!   is found, the line must also hold the pattern's next best words (up to
//!   [`CONFIRMING_WORDS`]): with thousands of patterns, some anchor is in most long
//!   lines by chance, all of a pattern's words far more rarely.
//!
//! Only candidate lines are normalised further and matched.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use memchr::memmem::Finder;

use super::decide::LineSpan;
use super::normalize::{normalize_first_token_into, strip_block_markers};
use super::tiers::{FxBuild, Prefixes};

/// How much of a line the normalised views need.
pub const SKIP: u8 = 0;
/// Only the start: exact and prefix patterns (up to `Gate::head_limit` bytes).
pub const HEAD: u8 = 1;
/// The whole line: phrases, suffixes, regexes.
pub const FULL: u8 = 2;

/// Up to this many anchor words, their automaton runs behind a SIMD prefilter; more take
/// a DFA without one, slower per byte.
pub const PREFILTERED_ANCHORS: usize = 64;

#[derive(Default)]
pub struct GateBuilder {
    first_tokens: Vec<String>,
    one_token_prefixes: Vec<String>,
    /// Per pattern that can match anywhere: its tokens, best first, lower-cased, each
    /// once (see [`tokens`]). Its anchor is one of them ([`choose_anchors`]), its
    /// confirming words the next best others.
    anchored: Vec<Vec<String>>,
    head_limit: usize,
    /// Some pattern has no usable anchor: every line is normalised whole.
    open: bool,
}

pub struct Gate {
    /// Every line is normalised whole.
    open: bool,
    /// First tokens of head patterns (lower-cased), and head patterns that are one
    /// token and may continue into a longer word (`prefix = ["©"]`).
    first_tokens: HashSet<Box<str>, FxBuild>,
    one_token_prefixes: Option<Prefixes>,
    /// How many normalised bytes the first-token test needs.
    token_limit: usize,
    anchors: Option<Anchors>,
    /// The longest head pattern, in normalised bytes.
    pub head_limit: usize,
}

/// Words too frequent in article text to make good anchors: a token from here is used
/// only when a pattern has nothing else.
const COMMON: &[&str] = &[
    "about", "after", "also", "article", "articles", "author", "become", "been", "before", "click", "could", "email",
    "from", "have", "here", "home", "just", "like", "more", "most", "news", "once", "only", "other", "over", "read",
    "said", "some", "story", "than", "that", "their", "them", "then", "there", "these", "they", "this", "time", "with",
    "would", "your", "year", "years", "what", "when", "which", "will", "were", "while", "where", "message", "might",
    "source", "theme", "region", "people", "first", "new", "the", "and", "you", "our", "for",
];

/// How many words besides its anchor a line must hold before a pattern's anchor makes
/// it a candidate.
pub const CONFIRMING_WORDS: usize = 3;

/// An anchor shared by more patterns than this decides alone: checking each pattern's
/// words at every place the anchor is found would cost more than normalising the line.
const MAX_PATTERNS_PER_ANCHOR: usize = 16;

/// After this many anchors found in one line without their other words, the line is
/// taken as a candidate: checking each costs a pass over the line, and a hostile line
/// can hold anchors by the million.
const MAX_UNCONFIRMED_PER_LINE: usize = 8;

/// The tokens of a normalised pattern that any original line the pattern can match must
/// contain (ASCII case aside): letters and digits, or caseless non-ASCII characters
/// (`©`), of at least two bytes. Best first: words that are not common before common
/// ones, longer before shorter, later before earlier.
pub fn tokens(normalized: &str) -> Vec<&str> {
    let caseless = |c: char| c.is_ascii() || (c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]));
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in normalized.char_indices().chain(std::iter::once((normalized.len(), ' '))) {
        let in_token =
            c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace() && !c.is_alphanumeric() && caseless(c));
        match (in_token, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= 2 {
                    found.push(&normalized[s..i]);
                }
                start = None;
            }
            _ => {}
        }
    }
    let score = |t: &str| (!COMMON.contains(&t.to_ascii_lowercase().as_str()), t.len());
    let mut ranked: Vec<((bool, usize), usize, &str)> =
        found.into_iter().enumerate().map(|(i, t)| (score(t), i, t)).collect();
    ranked.sort_by_key(|&(score, i, _)| std::cmp::Reverse((score, i)));
    ranked.into_iter().map(|(_, _, t)| t).collect()
}

/// The best of a pattern's [`tokens`]: the one the gate's automaton looks for.
pub fn anchor(normalized: &str) -> Option<&str> {
    tokens(normalized).first().copied()
}

/// Below this many bytes an anchor is inside too many words (`ap`: happy, capital): it is
/// not given more patterns, and `rules check` notes a pattern that has no longer one.
pub const SHORT_ANCHOR: usize = 4;

/// Which of each pattern's words (given best first) is its anchor. Any of them will do:
/// a line the pattern matches contains them all. Each starts with its best; then,
/// anchors with fewest patterns first, an anchor goes when each of its patterns has
/// another word that is an anchor already (not common, not short, and not yet
/// [`MAX_PATTERNS_PER_ANCHOR`] patterns'), which becomes that pattern's anchor.
///
/// Fewer words keep the automaton behind its SIMD prefilter (past
/// [`PREFILTERED_ANCHORS`] it reads every byte: at 69 anchors, +12% instructions for a
/// whole run of the shipped packs), make that prefilter stop less often, and leave room
/// for scoped packs to join the global gate instead of a second pass over each
/// document: on the 20 MB bench text, 57 anchors (the site pack's 2 among them) instead
/// of 69 and a second gate's 2 cost 2,867M instructions in all, against 2,916M when
/// anchors went only until 64 were left.
fn choose_anchors(patterns: &[Vec<String>]) -> Vec<usize> {
    let mut chosen = vec![0; patterns.len()];
    let mut users: std::collections::BTreeMap<&str, Vec<usize>> = std::collections::BTreeMap::new();
    for (p, words) in patterns.iter().enumerate() {
        users.entry(words[0].as_str()).or_default().push(p);
    }
    let mut order: Vec<(usize, &str)> = users.iter().map(|(w, ps)| (ps.len(), *w)).collect();
    order.sort();
    for (_, word) in order {
        let mut load: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let moves: Option<Vec<(usize, usize)>> = users[word]
            .iter()
            .map(|&p| {
                let k = patterns[p].iter().position(|w| {
                    let taken = users.get(w.as_str()).map_or(0, Vec::len) + load.get(w.as_str()).copied().unwrap_or(0);
                    w != word
                        && taken > 0
                        && taken < MAX_PATTERNS_PER_ANCHOR
                        && w.len() >= SHORT_ANCHOR
                        && !COMMON.contains(&w.as_str())
                })?;
                *load.entry(patterns[p][k].as_str()).or_default() += 1;
                Some((p, k))
            })
            .collect();
        if let Some(moves) = moves {
            users.remove(word);
            for (p, k) in moves {
                chosen[p] = k;
                users.get_mut(patterns[p][k].as_str()).expect("an anchor already").push(p);
            }
        }
    }
    chosen
}

/// The anchor automaton and what confirms each anchor.
struct Anchors {
    /// Over the distinct anchors, sorted: leftmost-first then reports, of the anchors
    /// that start where it finds one, the shortest (a prefix sorts first).
    automaton: AhoCorasick,
    words: Vec<Box<[u8]>>,
    /// Per anchor: `None` when the anchor decides (some pattern has no other word, or
    /// more than [`MAX_PATTERNS_PER_ANCHOR`] share it), else each pattern's confirming
    /// words.
    confirm: Vec<Option<Vec<Vec<Finder<'static>>>>>,
    /// Per anchor: the longer anchors that begin with it, which can start at the same
    /// place and were not reported.
    extensions: Vec<Vec<u32>>,
}

impl Anchors {
    fn new(mut anchored: Vec<(String, Vec<String>)>) -> Option<Anchors> {
        anchored.sort();
        anchored.dedup();
        // Sorted, each anchor's patterns are one run: anchor `k` is the `k`th run.
        let runs: Vec<&[(String, Vec<String>)]> = anchored.chunk_by(|a, b| a.0 == b.0).collect();
        if runs.is_empty() {
            return None;
        }
        let words: Vec<&str> = runs.iter().map(|patterns| patterns[0].0.as_str()).collect();
        let confirm = runs
            .iter()
            .map(|patterns| {
                let decides_alone =
                    patterns.len() > MAX_PATTERNS_PER_ANCHOR || patterns.iter().any(|(_, others)| others.is_empty());
                (!decides_alone).then(|| {
                    let finders = |others: &Vec<String>| {
                        others.iter().map(|w| Finder::new(w.as_bytes()).into_owned()).collect::<Vec<_>>()
                    };
                    patterns.iter().map(|(_, others)| finders(others)).collect()
                })
            })
            .collect();
        let extensions = (0..words.len())
            .map(|i| (i + 1..words.len()).take_while(|&j| words[j].starts_with(words[i])).map(|j| j as u32).collect())
            .collect();
        // Up to a few dozen rare words, the SIMD prefilter does well; beyond, a DFA.
        let mut b = AhoCorasick::builder();
        b.match_kind(MatchKind::LeftmostFirst);
        if words.len() > PREFILTERED_ANCHORS {
            b.kind(Some(AhoCorasickKind::DFA)).prefilter(false);
        }
        let automaton = b.build(&words).expect("anchors build");
        let words = words.into_iter().map(|w| w.as_bytes().into()).collect();
        Some(Anchors { automaton, words, confirm, extensions })
    }

    /// Whether the anchor `k`, found at the start of `rest` in the lower-cased `line`,
    /// or a longer anchor found there too, has some pattern's other words in the line.
    fn confirmed(&self, k: usize, rest: &[u8], line: &[u8]) -> bool {
        let holds = |k: usize| match &self.confirm[k] {
            None => true,
            Some(sets) => sets.iter().any(|set| set.iter().all(|w| w.find(line).is_some())),
        };
        holds(k) || self.extensions[k].iter().any(|&e| rest.starts_with(&self.words[e as usize]) && holds(e as usize))
    }
}

impl GateBuilder {
    /// A pattern that must match at the start of the line. `prefix`: the line may go
    /// on after it (else it is the whole line).
    pub fn add_head(&mut self, normalized_pattern: &str, prefix: bool) {
        // Folded as `normalize_first_token_into` folds the lines' first tokens.
        let folded = super::normalize::lowercase(normalized_pattern);
        self.head_limit = self.head_limit.max(normalized_pattern.len());
        match folded.split_once(' ') {
            Some((first, _)) => self.first_tokens.push(first.to_string()),
            None if prefix => self.one_token_prefixes.push(folded),
            None => self.first_tokens.push(folded),
        }
    }

    /// A pattern that can match anywhere (contains, suffix, regex literal). Returns the
    /// anchor chosen for it (lower-cased); without one the gate is open.
    pub fn add_full(&mut self, normalized_pattern: &str) -> Option<&str> {
        let mut words: Vec<String> = Vec::new();
        for word in tokens(normalized_pattern).into_iter().map(str::to_ascii_lowercase) {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        if words.is_empty() {
            self.open = true;
            return None;
        }
        self.anchored.push(words);
        self.anchored.last().map(|words| words[0].as_str())
    }

    /// Whether no pattern was added.
    pub fn is_empty(&self) -> bool {
        !self.open && self.head_patterns() == 0 && self.anchored.is_empty()
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The anchor words (with repeats) the automaton will hold.
    pub fn anchor_words(&self) -> impl Iterator<Item = &str> {
        self.anchored.iter().zip(choose_anchors(&self.anchored)).map(|(words, k)| words[k].as_str())
    }

    /// How many head patterns (first tokens and one-token prefixes) were added.
    pub fn head_patterns(&self) -> usize {
        self.first_tokens.len() + self.one_token_prefixes.len()
    }

    /// Add another builder's patterns to this one.
    pub fn extend(&mut self, other: GateBuilder) {
        self.first_tokens.extend(other.first_tokens);
        self.one_token_prefixes.extend(other.one_token_prefixes);
        self.anchored.extend(other.anchored);
        self.head_limit = self.head_limit.max(other.head_limit);
        self.open |= other.open;
    }

    /// A regex without literals in a normalised view: nothing to gate on.
    pub fn add_ungated(&mut self) {
        self.open = true;
    }

    pub fn build(self) -> Gate {
        let token_limit =
            self.first_tokens.iter().chain(&self.one_token_prefixes).map(|t| t.len()).max().unwrap_or(0) + 1;
        let one_token_prefixes = Prefixes::new(self.one_token_prefixes);
        let chosen = choose_anchors(&self.anchored);
        let anchored = self
            .anchored
            .into_iter()
            .zip(chosen)
            .map(|(mut words, k)| {
                let anchor = words.remove(k);
                words.truncate(CONFIRMING_WORDS);
                (anchor, words)
            })
            .collect();
        let anchors = Anchors::new(anchored);
        Gate {
            open: self.open,
            first_tokens: self.first_tokens.into_iter().map(String::into_boxed_str).collect(),
            one_token_prefixes,
            token_limit,
            anchors,
            head_limit: self.head_limit,
        }
    }
}

impl Gate {
    /// How many words the anchor automaton looks for (see [`PREFILTERED_ANCHORS`]).
    pub fn anchor_count(&self) -> usize {
        self.anchors.as_ref().map_or(0, |a| a.words.len())
    }

    fn has_head_patterns(&self) -> bool {
        !self.first_tokens.is_empty() || self.one_token_prefixes.is_some()
    }

    /// Whether a line whose normalised head is `head` (its first token `first`, or ""
    /// when that is longer than `head`) can begin one of this gate's head patterns.
    #[inline]
    fn head_matches(&self, first: &str, head: &str) -> bool {
        // A token as long as `token_limit` is longer than every first token.
        (!first.is_empty() && first.len() < self.token_limit && self.first_tokens.contains(first))
            || self.one_token_prefixes.as_ref().is_some_and(|p| p.any(head))
    }
}

/// Per line of `text`, how much the normalised views need (`SKIP`, `HEAD`, `FULL`) for
/// any of `gates` (the packs that apply everywhere, and the scoped packs in scope): what
/// one gate holding all their patterns would say, with each line's head normalised and
/// the text lower-cased once. `lower` and `head` are scratch.
pub fn candidates<'g, I>(
    gates: I,
    text: &str,
    lines: &[LineSpan],
    lower: &mut Vec<u8>,
    head: &mut String,
    out: &mut Vec<u8>,
) where
    I: Iterator<Item = &'g Gate> + Clone,
{
    out.clear();
    if gates.clone().any(|g| g.open) {
        out.resize(lines.len(), FULL);
        return;
    }
    out.resize(lines.len(), SKIP);
    // Once per document, so that each line walks a plain list (most often of one).
    let with_heads: Vec<&Gate> = gates.clone().filter(|g| g.has_head_patterns()).collect();
    if let Some(token_limit) = with_heads.iter().map(|g| g.token_limit).max() {
        for (flag, line) in out.iter_mut().zip(lines) {
            if !line.blank && head_may_match(with_heads.iter().copied(), &text[line.content.clone()], head, token_limit)
            {
                *flag = HEAD;
            }
        }
    }
    let mut lowered = false;
    for anchors in gates.filter_map(|g| g.anchors.as_ref()) {
        if !lowered {
            // Case-sensitive over an ASCII-lower-cased copy: lets the prefilter work.
            lower.clear();
            lower.extend_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            lowered = true;
        }
        let (mut line, mut unconfirmed) = (0, 0);
        let mut at = 0;
        while at < lower.len() {
            let Some(m) = anchors.automaton.find(Input::new(&lower[..]).span(at..lower.len())) else { break };
            while lines[line].end <= m.start() {
                line += 1;
                unconfirmed = 0;
            }
            if out[line] == FULL {
                at = lines[line].end; // another gate's pattern made it a candidate
                continue;
            }
            let content = &lower[lines[line].content.clone()];
            if unconfirmed == MAX_UNCONFIRMED_PER_LINE
                || anchors.confirmed(m.pattern().as_usize(), &lower[m.start()..], content)
            {
                out[line] = FULL;
                at = lines[line].end; // one candidate pattern is enough for a line
            } else {
                unconfirmed += 1;
                at = m.start() + 1; // another anchor may start inside this one
            }
        }
    }
}

/// Whether the line's normalised first token can begin a head pattern of one of `gates`.
/// `token_limit` is the largest of theirs: a head normalised that far answers for each.
#[inline]
fn head_may_match<'g>(
    gates: impl Iterator<Item = &'g Gate> + Clone,
    line: &str,
    head: &mut String,
    token_limit: usize,
) -> bool {
    plain_head_may_match(gates.clone(), line, head, token_limit)
        .unwrap_or_else(|| normalized_head_may_match(gates, line, head, token_limit))
}

fn normalized_head_may_match<'g>(
    mut gates: impl Iterator<Item = &'g Gate>,
    line: &str,
    head: &mut String,
    token_limit: usize,
) -> bool {
    // A one-token prefix has no space either: the first token is all any gate looks at.
    let whole = normalize_first_token_into(line, head, token_limit);
    let first = if whole { head.as_str() } else { "" }; // else longer than every first token
    gates.any(|g| g.head_matches(first, head))
}

/// `head_may_match` for the common line whose first word needs no normalising (see
/// `plain_head`); `None` for the others.
#[inline]
fn plain_head_may_match<'g>(
    mut gates: impl Iterator<Item = &'g Gate>,
    line: &str,
    head: &mut String,
    token_limit: usize,
) -> Option<bool> {
    // A one-token prefix has no space, so it can only begin the first word; a word cut
    // at `token_limit` is longer than every first token, and so found in none.
    plain_head(line, head, token_limit).then(|| gates.any(|g| g.head_matches(head, head)))
}

/// The common case, without normalising the line: after block markers (and a link's
/// `[`), an ASCII word that ends at a space, at the line's end, or at a `](#)` followed
/// by either. Normalising maps that word to itself in lower case, and it is the first
/// token: it goes into `head` (cut at `token_limit` bytes). `false`: the line needs the
/// full normalisation.
#[inline]
fn plain_head(line: &str, head: &mut String, token_limit: usize) -> bool {
    let mut body = strip_block_markers(line);
    if let Some(rest) = body.strip_prefix('[') {
        body = rest.trim_start_matches(' ');
    }
    let bytes = body.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let scan = &bytes[..bytes.len().min(token_limit)];
    let word_len = match scan.iter().position(|b| !b.is_ascii_alphanumeric()) {
        Some(n) if bytes[n] == b' ' => n,
        Some(n) => {
            let Some(after) = bytes[n..].strip_prefix(b"](#)") else { return false };
            if !after.is_empty() && after[0] != b' ' {
                return false;
            }
            n
        }
        None if scan.len() == bytes.len() => bytes.len(),
        // Longer than every first token; a one-token prefix (shorter than
        // `token_limit`) can still begin it.
        None => scan.len(),
    };
    head.clear();
    head.push_str(&body[..word_len]);
    head.make_ascii_lowercase();
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(gate: &Gate, text: &str, lines: &[LineSpan], lower: &mut Vec<u8>, head: &mut String, out: &mut Vec<u8>) {
        candidates(std::iter::once(gate), text, lines, lower, head, out);
    }

    #[test]
    fn anchors_are_the_longest_caseless_token() {
        assert_eq!(anchor("click the share button below"), Some("button"));
        assert_eq!(anchor("related article:"), Some("related"));
        assert_eq!(anchor("read more"), Some("more"));
        assert_eq!(anchor("©"), Some("©"));
        assert_eq!(anchor("école"), Some("cole"));
        assert_eq!(anchor("я"), None);
        assert_eq!(anchor("a"), None);
    }

    #[test]
    fn candidate_lines_by_first_token_or_anchor() {
        let mut g = GateBuilder::default();
        g.add_head("share this", true);
        g.add_head("©", true);
        g.add_head("tweet", false);
        g.add_full("ad blocker");
        let gate = g.build();
        assert_eq!(gate.head_limit, 10);
        let text = "one\n**SHARE** on x\nthree\nshares\nAd BLOCKER\n© 2024\nTweet\nTweets\nwe share this\n";
        let mut lines = Vec::new();
        crate::engine::decide::split_lines(text, &mut lines);
        let mut out = Vec::new();
        one(&gate, text, &lines, &mut Vec::new(), &mut String::new(), &mut out);
        assert_eq!(out, [SKIP, HEAD, SKIP, SKIP, FULL, HEAD, HEAD, SKIP, SKIP]);
    }

    #[test]
    fn several_gates_find_what_one_gate_with_all_their_patterns_finds() {
        // A scoped pack's patterns live in a gate of their own, run beside the global one
        // on documents in its scope; together they must say what the union says. The
        // scoped gate's first tokens are longer (another token limit) and its anchors
        // differ, so both the shared head and the second scan are exercised.
        let global: [(&str, Option<bool>); 4] =
            [("share this", Some(true)), ("©", Some(true)), ("tweet", Some(false)), ("ad blocker", None)];
        let scoped: [(&str, Option<bool>); 4] = [
            ("subscribe to our newsletter", Some(true)),
            ("udayavani", Some(false)),
            ("telegram channel", None),
            ("blocker", None),
        ];
        let add = |g: &mut GateBuilder, patterns: &[(&str, Option<bool>)]| {
            for &(p, head) in patterns {
                match head {
                    Some(prefix) => g.add_head(p, prefix),
                    None => _ = g.add_full(p),
                }
            }
        };
        let (mut a, mut b, mut union) = (GateBuilder::default(), GateBuilder::default(), GateBuilder::default());
        add(&mut a, &global);
        add(&mut b, &scoped);
        add(&mut union, &global);
        add(&mut union, &scoped);
        let (a, b, union) = (a.build(), b.build(), union.build());
        let mut text = String::from(
            "Share this\nSubscribe to our newsletter!\n**Udayavani**\nudayavani is here\nJoin our Telegram channel\n\
             [Telegram](#) channel\nad blocker\nblockers\n© 2024\nTweet\nnothing here\nSUBSCRIBE to our\n",
        );
        for fixture in std::fs::read_dir("tests/fixtures").unwrap() {
            text.push_str(&std::fs::read_to_string(fixture.unwrap().path()).unwrap());
        }
        let mut lines = Vec::new();
        crate::engine::decide::split_lines(&text, &mut lines);
        let (mut split, mut whole) = (Vec::new(), Vec::new());
        let (mut lower, mut head) = (Vec::new(), String::new());
        candidates([&a, &b].into_iter(), &text, &lines, &mut lower, &mut head, &mut split);
        one(&union, &text, &lines, &mut lower, &mut head, &mut whole);
        assert_eq!(split, whole);
        assert_eq!(&split[..12], [HEAD, HEAD, HEAD, HEAD, FULL, FULL, FULL, FULL, HEAD, HEAD, SKIP, HEAD]);
        // The scoped gate alone is not enough: the global one found lines it did not.
        let mut alone = Vec::new();
        one(&b, &text, &lines, &mut lower, &mut head, &mut alone);
        assert_ne!(alone, whole);
    }

    #[test]
    fn anchors_need_their_patterns_other_words() {
        let mut g = GateBuilder::default();
        g.add_full("click the share button"); // anchor `button`; then `share`, `click`, `the`
        g.add_full("share xy");
        g.add_full("shares");
        g.add_full("sponsored content by");
        g.add_full("sponsored");
        g.add_full("newsletter signup");
        let gate = g.build();
        let many = "newsletter ".repeat(MAX_UNCONFIRMED_PER_LINE + 1);
        let lines_and_flags = [
            ("Button: click to SHARE", SKIP),        // no `the`: the pattern cannot match
            ("THE Button: click to share", FULL),    // every word, in any order and case
            ("12 shares", FULL),                     // `share` unconfirmed, `shares` found there too
            ("shared", SKIP),                        // `share` without `xy`, and no `shares`
            ("sponsored", FULL),                     // one pattern is its anchor alone
            ("newsletter newsletter signups", FULL), // confirmed by a word inside a word
            ("newsletter newsletter", SKIP),         // anchors again and again, never confirmed
            (many.as_str(), FULL),                   // too many to check: taken as a candidate
        ];
        let text: String = lines_and_flags.iter().map(|(l, _)| format!("{l}\n")).collect();
        let mut lines = Vec::new();
        crate::engine::decide::split_lines(&text, &mut lines);
        let mut out = Vec::new();
        one(&gate, &text, &lines, &mut Vec::new(), &mut String::new(), &mut out);
        let expected: Vec<u8> = lines_and_flags.iter().map(|(_, f)| *f).collect();
        assert_eq!(out, expected);
        assert_eq!(tokens("click the share button"), ["button", "share", "click", "the"]);

        // An anchor shared by many patterns decides alone.
        let mut g = GateBuilder::default();
        for k in 0..=MAX_PATTERNS_PER_ANCHOR {
            g.add_full(&format!("privacy policy v{k}"));
        }
        let gate = g.build();
        let text = "our privacy notice\n";
        let mut lines = Vec::new();
        crate::engine::decide::split_lines(text, &mut lines);
        one(&gate, text, &lines, &mut Vec::new(), &mut String::new(), &mut out);
        assert_eq!(out, [FULL]);
    }

    #[test]
    fn patterns_share_anchors_when_they_can() {
        // Each pattern's anchor, as the builder chooses it from its words.
        let anchors = |patterns: &[String]| -> Vec<String> {
            let mut g = GateBuilder::default();
            for p in patterns {
                g.add_full(p);
            }
            g.anchor_words().map(str::to_string).collect()
        };
        let patterns = [
            "cookie",                    // one word: its anchor
            "manage cookie preferences", // `preferences` is best, `cookie` an anchor already
            "personal data cookie",      // `cookie` again, not `personal`
            "privacy settings",          // `settings`, then `privacy`: neither an anchor alone
            "your cookie",               // its best anyway (`your` is common)
            "from ab",                   // no other anchor in it: keeps `ab`
        ]
        .map(String::from);
        assert_eq!(anchors(&patterns), ["cookie", "cookie", "cookie", "settings", "cookie", "ab"]);

        // An anchor takes no more patterns than MAX_PATTERNS_PER_ANCHOR.
        let mut patterns = vec!["privacy".to_string()];
        patterns.extend((0..MAX_PATTERNS_PER_ANCHOR + 3).map(|k| format!("privacy extraword{k:02}")));
        let on_privacy = anchors(&patterns).iter().filter(|a| *a == "privacy").count();
        assert_eq!(on_privacy, MAX_PATTERNS_PER_ANCHOR);

        // The gate finds the same lines either way.
        let mut g = GateBuilder::default();
        for p in ["cookie", "manage cookie preferences", "personal data cookie"] {
            g.add_full(p);
        }
        let gate = g.build();
        let text = "Manage your COOKIE preferences\na cookie holds personal data\ncookie\npersonal data\n";
        let mut lines = Vec::new();
        crate::engine::decide::split_lines(text, &mut lines);
        let mut out = Vec::new();
        one(&gate, text, &lines, &mut Vec::new(), &mut String::new(), &mut out);
        assert_eq!(out, [FULL, FULL, FULL, SKIP]);
    }

    /// The shortcut for plain first words must agree with normalising the line, on
    /// every line of the seed fixtures and on lines built to trip it.
    #[test]
    fn plain_head_shortcut_agrees_with_normalising() {
        let fixtures = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).unwrap();
        let mut lines: Vec<String> = fixtures
            .flat_map(|f| {
                std::fs::read_to_string(f.unwrap().path()).unwrap().lines().map(String::from).collect::<Vec<_>>()
            })
            .collect();
        for tricky in [
            "Share this",
            "[Share](#) this",
            "[ Share ](#)",
            "  * [Share](#)",
            "## Share",
            "Share](#)x",
            "[Share](#)x",
            "SHARE",
            "Shares",
            "Sharethis",
            "Share_this",
            "Share, this",
            "share\tthis",
            "1. Share",
            "[](#) Share",
            "Tweetable words",
            "Tweet",
            "tweet ",
            "©2024",
            "abcdefghijklmnopqrstuvwxyz0123",
            "Ab",
            "ab cd",
        ] {
            lines.push(tricky.to_string());
        }
        let mut g = GateBuilder::default();
        for (i, line) in lines.iter().enumerate() {
            // First tokens taken from the fixtures themselves, so that many lines hit.
            let n = crate::engine::normalize::normalize(line, true);
            if i % 3 == 0 && !n.is_empty() {
                g.add_head(&n, i % 2 == 0);
            }
        }
        for (p, prefix) in [("share this", true), ("tweet", false), ("©", true), ("ab", true)] {
            g.add_head(p, prefix);
        }
        let gate = g.build();
        let (mut head, mut shortcut, mut hits) = (String::new(), 0, 0);
        let (gates, limit) = (std::iter::once(&gate), gate.token_limit);
        for line in &lines {
            let slow = normalized_head_may_match(gates.clone(), line, &mut head, limit);
            if let Some(fast) = plain_head_may_match(gates.clone(), line, &mut head, limit) {
                assert_eq!(fast, slow, "{line:?}");
                shortcut += 1;
                hits += fast as usize;
            }
        }
        assert!(shortcut > lines.len() / 3 && hits > 10, "{shortcut} shortcuts, {hits} hits of {}", lines.len());
    }
}
