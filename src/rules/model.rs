//! The rule model: what a pack file says once it has been parsed and validated.
//! Nothing here knows how rules are matched; see `engine` for that.

use std::fmt;
use std::sync::Arc;

/// Where a rule (or an error) comes from: the pack file and a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Line 0: the whole file (it cannot be read) or an option, not a place in a file.
        if self.line == 0 { write!(f, "{}", self.file) } else { write!(f, "{}:{}:{}", self.file, self.line, self.col) }
    }
}

/// One rule file: a named set of rules with an optional scope.
#[derive(Clone, Debug)]
pub struct Pack {
    pub name: String,
    pub description: String,
    /// Display name of the file the pack came from (`embedded:generic/ads.toml` or a path).
    pub file: Arc<str>,
    pub scope: Scope,
    pub options: PackOptions,
    pub rules: Vec<Rule>,
}

/// Which documents a pack applies to. An empty scope applies to every document;
/// otherwise a document is in scope when any of domains, signatures or paths matches
/// and no excluded domain does.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Hosts matched on label boundaries: `example.com` covers `www.example.com`.
    pub domains: Vec<String>,
    /// Hosts written `~host` in the file: documents on them are out of scope.
    pub excluded_domains: Vec<String>,
    /// Exact strings; a document containing one is in scope.
    pub signatures: Vec<String>,
    /// Globs matched against the input path.
    pub paths: Vec<String>,
}

impl Scope {
    pub fn is_global(&self) -> bool {
        self.domains.is_empty() && self.signatures.is_empty() && self.paths.is_empty()
    }
}

#[derive(Clone, Debug, Default)]
pub struct PackOptions {
    /// `Some(false)` turns paragraph repair off for documents this pack applies to.
    pub repair_paragraphs: Option<bool>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub why: String,
    pub location: Location,
    pub kind: RuleKind,
    /// Only lines among the first / last N non-blank lines of a document are considered.
    pub position: Position,
    /// A line, block, sequence or detector rule whose removals the (other) detectors do not see
    /// (`after_detectors = true`): the line scorer still has the line as context, as it
    /// has a replace rule's.
    pub after_detectors: bool,
    pub examples: Examples,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub within_first: Option<usize>,
    pub within_last: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Examples {
    pub remove: Vec<String>,
    pub keep: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum RuleKind {
    /// Drop every line the matcher accepts.
    Line(Matcher),
    /// Protect every line the matcher accepts from all removals and rewrites.
    Keep(Matcher),
    /// Protect every line from a `start` line through an `end` line (a fenced code block),
    /// found as a `Block` is.
    KeepBlock(Block),
    /// Protect the blocks a keep detector finds by their shape (indented code), configured
    /// by `params`.
    KeepDetector(DetectorSpec),
    /// Drop from a `start` line through an `end` line, or to the end of the document.
    Block(Block),
    /// Drop every occurrence of consecutive lines equal to `lines` (blank lines between
    /// them are allowed and dropped with them).
    Sequence(Sequence),
    /// Rewrite spans inside kept lines.
    Replace(Replace),
    /// A structural detector implemented in the engine, configured by `params`.
    Detector(DetectorSpec),
}

impl RuleKind {
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Line(_) => "line",
            RuleKind::Keep(_) | RuleKind::KeepBlock(_) | RuleKind::KeepDetector(_) => "keep",
            RuleKind::Block(_) => "block",
            RuleKind::Sequence(_) => "sequence",
            RuleKind::Replace(_) => "replace",
            RuleKind::Detector(_) => "detector",
        }
    }
}

/// Line tests. A line matches when any pattern of any kind matches.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    pub exact: Vec<String>,
    pub prefix: Vec<String>,
    pub suffix: Vec<String>,
    pub contains: Vec<String>,
    pub regex: Vec<String>,
    pub case_sensitive: bool,
    /// Match the original line instead of the normalised view.
    pub raw: bool,
    /// Only lines with at most this many words (a safety limit for phrase rules).
    pub max_words: Option<usize>,
}

impl Matcher {
    pub fn is_empty(&self) -> bool {
        self.exact.is_empty()
            && self.prefix.is_empty()
            && self.suffix.is_empty()
            && self.contains.is_empty()
            && self.regex.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct Block {
    pub start: Matcher,
    pub end: Option<Matcher>,
    /// Whether the `end` line itself is dropped (default true).
    pub end_inclusive: bool,
    /// At most this many non-blank lines, start line included. With `end`, the end must
    /// be found within the limit or nothing is dropped.
    pub max_lines: Option<usize>,
    /// Without `end`: nothing is dropped when more than this many non-blank lines remain
    /// from the start line on. A page's tail is short; a longer one means a text that
    /// holds several pages, and cutting to its end would take the next pages with it.
    pub max_tail_lines: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct Sequence {
    pub lines: Vec<String>,
    pub case_sensitive: bool,
}

#[derive(Clone, Debug)]
pub struct Replace {
    /// Regexes run on the original line (without its terminator).
    pub regex: Vec<String>,
    /// Replacement, with `$1`/`${name}` capture references; empty deletes the span.
    pub with: String,
    pub case_sensitive: bool,
}

#[derive(Clone, Debug)]
pub struct DetectorSpec {
    pub name: String,
    pub params: toml::Table,
}
