//! Candidate lines for the normalised views: "find a candidate, then confirm".
//!
//! - Head patterns (exact, prefix, anchored regexes) can only match a line whose
//!   normalised first token equals a pattern's first token, or starts with a one-token
//!   prefix pattern: each line's first few bytes are normalised and looked up.
//! - Patterns that can match anywhere (contains, suffix, regex literals) have an
//!   *anchor*, their rarest-looking word, which the original line must contain (ASCII
//!   case aside); one automaton over all anchors runs over the document.
//!
//! Only candidate lines are normalised further and matched.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use super::decide::LineSpan;
use super::normalize::{normalize_head_into, strip_block_markers};
use super::tiers::{FxBuild, Prefixes};

/// How much of a line the normalised views need.
pub const SKIP: u8 = 0;
/// Only the start: exact and prefix patterns (up to `Gate::head_limit` bytes).
pub const HEAD: u8 = 1;
/// The whole line: phrases, suffixes, regexes.
pub const FULL: u8 = 2;

#[derive(Default)]
pub struct GateBuilder {
    first_tokens: Vec<String>,
    one_token_prefixes: Vec<String>,
    anchors: Vec<String>,
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
    anchors: Option<AhoCorasick>,
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

/// The token of a normalised pattern that any original line the pattern can match must
/// contain (ASCII case aside): letters and digits, or caseless non-ASCII characters
/// (`©`). The longest one that is not a common word, else the longest; `None` when there
/// is none of at least two bytes.
pub fn anchor(normalized: &str) -> Option<&str> {
    let caseless = |c: char| c.is_ascii() || (c.to_lowercase().eq([c]) && c.to_uppercase().eq([c]));
    let mut best: Option<&str> = None;
    let mut start = None;
    for (i, c) in normalized.char_indices().chain(std::iter::once((normalized.len(), ' '))) {
        let in_token =
            c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace() && !c.is_alphanumeric() && caseless(c));
        match (in_token, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let token = &normalized[s..i];
                let score = |t: &str| (!COMMON.contains(&t.to_ascii_lowercase().as_str()), t.len());
                if token.len() >= 2 && best.is_none_or(|b| score(token) >= score(b)) {
                    best = Some(token);
                }
                start = None;
            }
            _ => {}
        }
    }
    best
}

impl GateBuilder {
    /// A pattern that must match at the start of the line. `prefix`: the line may go
    /// on after it (else it is the whole line).
    pub fn add_head(&mut self, normalized_pattern: &str, prefix: bool) {
        let folded = normalized_pattern.to_lowercase();
        self.head_limit = self.head_limit.max(normalized_pattern.len());
        match folded.split_once(' ') {
            Some((first, _)) => self.first_tokens.push(first.to_string()),
            None if prefix => self.one_token_prefixes.push(folded),
            None => self.first_tokens.push(folded),
        }
    }

    /// A pattern that can match anywhere (contains, suffix, regex literal).
    pub fn add_full(&mut self, normalized_pattern: &str) {
        match anchor(normalized_pattern) {
            Some(a) => self.anchors.push(a.to_ascii_lowercase()),
            None => self.open = true,
        }
    }

    /// A regex without literals in a normalised view: nothing to gate on.
    pub fn add_ungated(&mut self) {
        self.open = true;
    }

    pub fn build(mut self) -> Gate {
        self.anchors.sort();
        self.anchors.dedup();
        let token_limit =
            self.first_tokens.iter().chain(&self.one_token_prefixes).map(|t| t.len()).max().unwrap_or(0) + 1;
        let one_token_prefixes = Prefixes::new(self.one_token_prefixes);
        // Up to a few dozen rare words, the SIMD prefilter does well; beyond, a DFA.
        let anchors = (!self.anchors.is_empty()).then(|| {
            let mut b = AhoCorasick::builder();
            b.match_kind(MatchKind::LeftmostFirst);
            if self.anchors.len() > 64 {
                b.kind(Some(AhoCorasickKind::DFA)).prefilter(false);
            }
            b.build(&self.anchors).expect("anchors build")
        });
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
    /// Per line of `text`, how much the normalised views need (`SKIP`, `HEAD`, `FULL`).
    /// `lower` and `head` are scratch.
    pub fn candidates(
        &self,
        text: &str,
        lines: &[LineSpan],
        lower: &mut Vec<u8>,
        head: &mut String,
        out: &mut Vec<u8>,
    ) {
        out.clear();
        if self.open {
            out.resize(lines.len(), FULL);
            return;
        }
        out.resize(lines.len(), SKIP);
        if !self.first_tokens.is_empty() || self.one_token_prefixes.is_some() {
            for (flag, line) in out.iter_mut().zip(lines) {
                if !line.blank && self.head_may_match(&text[line.content.clone()], head) {
                    *flag = HEAD;
                }
            }
        }
        if let Some(ac) = &self.anchors {
            // Case-sensitive over an ASCII-lower-cased copy: lets the prefilter work.
            lower.clear();
            lower.extend_from_slice(text.as_bytes());
            lower.make_ascii_lowercase();
            let mut line = 0;
            let mut at = 0;
            while at < lower.len() {
                let Some(m) = ac.find(Input::new(&lower[..]).span(at..lower.len())) else { break };
                while lines[line].end <= m.start() {
                    line += 1;
                }
                out[line] = FULL;
                at = lines[line].end; // one hit is enough for a line
            }
        }
    }

    /// Whether the line's normalised first token can begin a head pattern.
    fn head_may_match(&self, line: &str, head: &mut String) -> bool {
        match self.plain_head_may_match(line, head) {
            Some(may) => may,
            None => self.normalized_head_may_match(line, head),
        }
    }

    fn normalized_head_may_match(&self, line: &str, head: &mut String) -> bool {
        let whole = normalize_head_into(line, true, head, self.token_limit);
        let first = match head.find(' ') {
            Some(i) => &head[..i],
            None if whole => head.as_str(),
            None => "", // longer than every first token
        };
        (!first.is_empty() && self.first_tokens.contains(first))
            || self.one_token_prefixes.as_ref().is_some_and(|p| p.any(head))
    }

    /// The common case, without normalising the line: after block markers (and a
    /// link's `[`), an ASCII word that ends at a space, at the line's end, or at a
    /// `](#)` followed by either. Normalising maps that word to itself in lower case,
    /// and it is the first token. `None`: the line needs the full normalisation.
    fn plain_head_may_match(&self, line: &str, head: &mut String) -> Option<bool> {
        let mut body = strip_block_markers(line);
        if let Some(rest) = body.strip_prefix('[') {
            body = rest.trim_start_matches(' ');
        }
        let bytes = body.as_bytes();
        if !bytes.first()?.is_ascii_alphabetic() {
            return None;
        }
        let scan = &bytes[..bytes.len().min(self.token_limit)];
        let word_len = match scan.iter().position(|b| !b.is_ascii_alphanumeric()) {
            Some(n) if bytes[n] == b' ' => n,
            Some(n) => {
                let after = bytes[n..].strip_prefix(b"](#)")?;
                if !after.is_empty() && after[0] != b' ' {
                    return None;
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
        // A one-token prefix has no space, so it can only begin the first word.
        let first_token = word_len < self.token_limit && self.first_tokens.contains(head.as_str());
        Some(first_token || self.one_token_prefixes.as_ref().is_some_and(|p| p.any(head)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        gate.candidates(text, &lines, &mut Vec::new(), &mut String::new(), &mut out);
        assert_eq!(out, [SKIP, HEAD, SKIP, SKIP, FULL, HEAD, HEAD, SKIP, SKIP]);
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
        for line in &lines {
            let slow = gate.normalized_head_may_match(line, &mut head);
            if let Some(fast) = gate.plain_head_may_match(line, &mut head) {
                assert_eq!(fast, slow, "{line:?}");
                shortcut += 1;
                hits += fast as usize;
            }
        }
        assert!(shortcut > lines.len() / 3 && hits > 10, "{shortcut} shortcuts, {hits} hits of {}", lines.len());
    }
}
