//! Strict parsing of pack files. Unknown keys, unknown kinds, keys that do not apply to
//! a rule's kind, empty matchers and regex syntax errors are all errors that carry the
//! file, line and column. A TOML syntax error stops its file (the parser cannot go on);
//! otherwise `[pack]` and each `[[rule]]` are read on their own, so every rule's problems,
//! and every other file's, are reported in one run.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::model::*;
use super::{RuleError, RuleErrors};

/// A pack file's text with the name used in messages.
#[derive(Clone, Debug)]
pub struct PackSource {
    pub name: String,
    pub text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    scope: Option<Table<RawScope>>,
    #[serde(default)]
    options: Option<Table<RawOptions>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScope {
    #[serde(default)]
    domains: StringList,
    #[serde(default)]
    signatures: StringList,
    #[serde(default)]
    paths: StringList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOptions {
    repair_paragraphs: Option<bool>,
}

/// A sub-table of a pack file (`start = { prefix = […] }`). Serde's derived structs also
/// accept a list, read as the fields in order: `examples = ["…"]` passed as a `remove`
/// example and `end = ["…"]` failed with "expected struct RawMatcher with 8 elements".
/// Only a table is accepted here, and the error shows one.
struct Table<T>(T);

/// How a [`Table`] is written, for the error when something else is.
trait TableExample {
    const EXAMPLE: &'static str;
}

impl TableExample for RawMatcher {
    const EXAMPLE: &'static str = r#"{ prefix = ["…"] } (or exact, suffix, contains, regex)"#;
}

impl TableExample for RawScope {
    const EXAMPLE: &'static str = r#"{ domains = ["example.com"] }"#;
}

impl TableExample for RawExamples {
    const EXAMPLE: &'static str = r#"{ remove = ["…"], keep = ["…"] }"#;
}

impl TableExample for RawOptions {
    const EXAMPLE: &'static str = "{ repair_paragraphs = false }";
}

impl<'de, T: Deserialize<'de> + TableExample> Deserialize<'de> for Table<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de> + TableExample> serde::de::Visitor<'de> for Visitor<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a table such as `{}`", T::EXAMPLE)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        deserializer.deserialize_map(Visitor(std::marker::PhantomData)).map(Table)
    }
}

/// A list of strings, where one string stands for a list of one (`regex = "…"` as well
/// as `regex = ["…", "…"]`: rule authors write both). Each string keeps its span.
#[derive(Default)]
struct StringList(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for StringList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        enum OneOrMany {
            One(String),
            Many(Vec<Spanned<String>>),
        }
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        impl<'de> Deserialize<'de> for OneOrMany {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(Visitor)
            }
        }
        // The span of the whole value is the span of a lone string.
        let value = Spanned::<OneOrMany>::deserialize(deserializer)?;
        let span = value.span();
        Ok(StringList(match value.into_inner() {
            OneOrMany::One(s) => vec![Spanned::new(span, s)],
            OneOrMany::Many(items) => items,
        }))
    }
}

impl StringList {
    fn into_strings(self) -> Vec<String> {
        self.0.into_iter().map(Spanned::into_inner).collect()
    }
}

type Patterns = Option<StringList>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMatcher {
    exact: Patterns,
    prefix: Patterns,
    suffix: Patterns,
    contains: Patterns,
    regex: Patterns,
    case_sensitive: Option<bool>,
    raw: Option<bool>,
    max_words: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    kind: Spanned<String>,
    why: Option<String>,
    // line / keep matchers (also `regex` and `case_sensitive` for replace). These repeat
    // RawMatcher's fields because serde cannot combine `flatten` with
    // `deny_unknown_fields`, and strict loading needs the latter.
    exact: Patterns,
    prefix: Patterns,
    suffix: Patterns,
    contains: Patterns,
    regex: Patterns,
    case_sensitive: Option<bool>,
    raw: Option<bool>,
    max_words: Option<usize>,
    within_first: Option<usize>,
    within_last: Option<usize>,
    after_detectors: Option<bool>,
    // block
    start: Option<Spanned<Table<RawMatcher>>>,
    end: Option<Spanned<Table<RawMatcher>>>,
    end_inclusive: Option<bool>,
    max_lines: Option<usize>,
    max_tail_lines: Option<usize>,
    // sequence
    lines: Option<Vec<Spanned<String>>>,
    // replace
    with: Option<String>,
    // detector
    detector: Option<Spanned<String>>,
    params: Option<toml::Table>,
    examples: Option<Table<RawExamples>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(default)]
    remove: StringList,
    #[serde(default)]
    keep: StringList,
}

pub const KINDS: &[&str] = &["line", "keep", "block", "sequence", "replace", "detector"];

/// Byte offset → 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() as u32 + 1;
    (line, col)
}

struct FileCtx<'a> {
    file: Arc<str>,
    text: &'a str,
    /// Byte offset where each line starts, so locating a rule costs a binary search.
    line_starts: Vec<usize>,
    errors: Vec<RuleError>,
}

impl FileCtx<'_> {
    fn loc(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let col = self.text[start..offset].chars().count() as u32 + 1;
        let (line, col) = (line as u32, col);
        Location { file: self.file.clone(), line, col }
    }
    fn error(&mut self, offset: usize, message: impl Into<String>) {
        let location = self.loc(offset);
        self.errors.push(RuleError { location, message: message.into() });
    }
}

/// Parse every source; ids must be unique across all of them.
pub fn parse_packs(sources: &[PackSource]) -> Result<Vec<Pack>, RuleErrors> {
    let mut packs = Vec::new();
    let mut errors = Vec::new();
    let mut seen_ids: HashMap<String, Location> = HashMap::new();
    for source in sources {
        match parse_pack(source) {
            Ok(pack) => {
                for rule in &pack.rules {
                    if let Some(first) = seen_ids.get(&rule.id) {
                        errors.push(RuleError {
                            location: rule.location.clone(),
                            message: format!(
                                "duplicate rule id `{}` (first defined at {first}); ids must be unique \
                                 across all loaded packs (loading a dumped copy of the shipped packs? \
                                 add --no-default-rules)",
                                rule.id
                            ),
                        });
                    } else {
                        seen_ids.insert(rule.id.clone(), rule.location.clone());
                    }
                }
                packs.push(pack);
            }
            Err(errs) => errors.extend(errs.0),
        }
    }
    if errors.is_empty() { Ok(packs) } else { Err(RuleErrors(errors)) }
}

pub fn parse_pack(source: &PackSource) -> Result<Pack, RuleErrors> {
    let line_starts =
        std::iter::once(0).chain(memchr::memchr_iter(b'\n', source.text.as_bytes()).map(|i| i + 1)).collect();
    let mut ctx =
        FileCtx { file: Arc::from(source.name.as_str()), text: &source.text, line_starts, errors: Vec::new() };
    let (mut pack, raw_rules) = read_tables(&mut ctx);
    // The rules are checked even when the pack table is bad, to report all at once.
    let scope = pack.as_mut().and_then(|p| p.scope.take()).map(|s| convert_scope(&mut ctx, s.0)).unwrap_or_default();
    let mut rules = Vec::new();
    let mut ids_here: HashMap<String, usize> = HashMap::new();
    for spanned in raw_rules {
        let span_start = spanned.span().start;
        let rule = spanned.into_inner();
        if let Some(&first) = ids_here.get(rule.id.get_ref()) {
            let (line, _) = line_col(ctx.text, first);
            ctx.error(
                rule.id.span().start,
                format!("duplicate rule id `{}` (first defined on line {line})", rule.id.get_ref()),
            );
            continue;
        }
        ids_here.insert(rule.id.get_ref().clone(), rule.id.span().start);
        if let Some(rule) = convert_rule(&mut ctx, span_start, rule) {
            rules.push(rule);
        }
    }
    match pack {
        Some(pack) if ctx.errors.is_empty() => {
            let options = PackOptions { repair_paragraphs: pack.options.and_then(|o| o.0.repair_paragraphs) };
            Ok(Pack { name: pack.name, description: pack.description, file: ctx.file, scope, options, rules })
        }
        _ => {
            // In the file's order, as an editor walks them (type errors are found first).
            ctx.errors.sort_by_key(|e| (e.location.line, e.location.col));
            Err(RuleErrors(ctx.errors))
        }
    }
}

/// The file's `[pack]` table and its `[[rule]]`s, each deserialized on its own so that a
/// bad one is reported and the others are still read (and checked). `None` for the pack
/// when it is missing or bad, or when the file is not TOML; the errors are in `ctx`.
fn read_tables(ctx: &mut FileCtx) -> (Option<RawPack>, Vec<Spanned<RawRule>>) {
    let report = |ctx: &mut FileCtx, e: toml::de::Error, fallback: usize| {
        ctx.error(e.span().map_or(fallback, |s| s.start), e.message().trim().to_string());
    };
    let text = ctx.text;
    let document = match DeTable::parse(text) {
        Ok(document) => document,
        Err(e) => {
            report(ctx, e, 0);
            return (None, Vec::new());
        }
    };
    let (mut pack, mut rules) = (None, Vec::new());
    let mut pack_seen = false;
    for (key, value) in document.into_inner() {
        let value_at = value.span().start;
        match &**key.get_ref() {
            "pack" => {
                pack_seen = true;
                match RawPack::deserialize(value.into_deserializer()) {
                    Ok(raw) => pack = Some(raw),
                    Err(e) => {
                        // What a site pack most often gets wrong: its domains in `[pack]`.
                        let misplaced = ["domains", "signatures", "paths"]
                            .into_iter()
                            .find(|k| e.message().starts_with(&format!("unknown field `{k}`")));
                        match misplaced {
                            Some(k) => ctx.error(
                                e.span().map_or(value_at, |s| s.start),
                                format!("`{k}` goes in the pack's scope: `scope = {{ {k} = [\"…\"] }}`"),
                            ),
                            None => report(ctx, e, value_at),
                        }
                    }
                }
            }
            "rule" => {
                let DeValue::Array(items) = value.into_inner() else {
                    ctx.error(value_at, "`rule` must be an array of tables: write each rule under `[[rule]]`");
                    continue;
                };
                for item in items {
                    let item_at = item.span().start;
                    match Spanned::<RawRule>::deserialize(item.into_deserializer()) {
                        Ok(rule) => rules.push(rule),
                        Err(e) => report(ctx, e, item_at),
                    }
                }
            }
            other => ctx.error(
                key.span().start,
                format!("unknown top-level key `{other}`: a pack file holds a `[pack]` table and `[[rule]]` tables"),
            ),
        }
    }
    if !pack_seen {
        ctx.error(0, "missing `[pack]` table (with at least `name = \"…\"`)");
    }
    (pack, rules)
}

fn convert_scope(ctx: &mut FileCtx, raw: RawScope) -> Scope {
    let mut scope = Scope::default();
    for d in raw.domains.0 {
        let span = d.span().start;
        let value = d.into_inner();
        let (excluded, host) = match value.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, value.as_str()),
        };
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() || host.contains(['/', ':', ' ', '*']) {
            ctx.error(
                span,
                format!("`{value}` is not a host name (write `example.com`, or `~shop.example.com` to exclude)"),
            );
            continue;
        }
        if excluded { scope.excluded_domains.push(host) } else { scope.domains.push(host) }
    }
    for s in raw.signatures.0 {
        if s.get_ref().trim().is_empty() {
            ctx.error(s.span().start, "empty signature would match every document");
        } else {
            scope.signatures.push(s.into_inner());
        }
    }
    for p in raw.paths.0 {
        if let Err(e) = globset::Glob::new(p.get_ref()) {
            ctx.error(p.span().start, format!("bad path glob: {e}"));
        } else {
            scope.paths.push(p.into_inner());
        }
    }
    if scope.domains.is_empty()
        && scope.signatures.is_empty()
        && scope.paths.is_empty()
        && !scope.excluded_domains.is_empty()
    {
        // Exclusions alone: the pack applies everywhere except there.
        scope.domains.clear();
    }
    scope
}

fn patterns(ctx: &mut FileCtx, key: &str, raw: Patterns, regex_case_insensitive: Option<bool>) -> Vec<String> {
    let mut out = Vec::new();
    for p in raw.unwrap_or_default().0 {
        let span = p.span().start;
        let value = p.into_inner();
        if value.trim().is_empty() {
            ctx.error(span, format!("empty `{key}` pattern"));
            continue;
        }
        if let Some(ci) = regex_case_insensitive {
            let mut parser = regex_syntax::ParserBuilder::new().case_insensitive(ci).build();
            if let Err(e) = parser.parse(&value) {
                ctx.error(span, format!("bad regex `{value}`: {}", first_line_of_regex_error(&e.to_string())));
                continue;
            }
        }
        out.push(value);
    }
    out
}

/// regex-syntax errors are multi-line with a caret diagram; keep the cause.
fn first_line_of_regex_error(message: &str) -> String {
    message.lines().rev().find(|l| l.starts_with("error:")).unwrap_or(message).trim().to_string()
}

fn matcher(ctx: &mut FileCtx, at: usize, m: RawMatcher, what: &str) -> Option<Matcher> {
    let given = [&m.exact, &m.prefix, &m.suffix, &m.contains, &m.regex]
        .iter()
        .any(|p| p.as_ref().is_some_and(|v| !v.0.is_empty()));
    let errors_before = ctx.errors.len();
    let case_sensitive = m.case_sensitive.unwrap_or(false);
    let matcher = Matcher {
        exact: patterns(ctx, "exact", m.exact, None),
        prefix: patterns(ctx, "prefix", m.prefix, None),
        suffix: patterns(ctx, "suffix", m.suffix, None),
        contains: patterns(ctx, "contains", m.contains, None),
        regex: patterns(ctx, "regex", m.regex, Some(!case_sensitive)),
        case_sensitive,
        raw: m.raw.unwrap_or(false),
        max_words: m.max_words,
    };
    if ctx.errors.len() > errors_before {
        return None; // its patterns were reported already
    }
    if matcher.is_empty() || !given {
        ctx.error(at, format!("{what} has no patterns: give at least one of exact, prefix, suffix, contains, regex"));
        return None;
    }
    Some(matcher)
}

/// Keys that were set but do not belong to the rule's kind.
fn stray_keys(rule: &RawRule, allowed: &[&str]) -> Vec<&'static str> {
    let set: [(&'static str, bool); 20] = [
        ("exact", rule.exact.is_some()),
        ("prefix", rule.prefix.is_some()),
        ("suffix", rule.suffix.is_some()),
        ("contains", rule.contains.is_some()),
        ("regex", rule.regex.is_some()),
        ("case_sensitive", rule.case_sensitive.is_some()),
        ("raw", rule.raw.is_some()),
        ("max_words", rule.max_words.is_some()),
        ("within_first", rule.within_first.is_some()),
        ("within_last", rule.within_last.is_some()),
        ("after_detectors", rule.after_detectors.is_some()),
        ("start", rule.start.is_some()),
        ("end", rule.end.is_some()),
        ("end_inclusive", rule.end_inclusive.is_some()),
        ("max_lines", rule.max_lines.is_some()),
        ("max_tail_lines", rule.max_tail_lines.is_some()),
        ("lines", rule.lines.is_some()),
        ("with", rule.with.is_some()),
        ("detector", rule.detector.is_some()),
        ("params", rule.params.is_some()),
    ];
    set.iter().filter(|(k, present)| *present && !allowed.contains(k)).map(|(k, _)| *k).collect()
}

const BLOCK_KEYS: &[&str] =
    &["start", "end", "end_inclusive", "max_lines", "max_tail_lines", "within_first", "within_last"];

const MATCHER_KEYS: &[&str] = &[
    "exact",
    "prefix",
    "suffix",
    "contains",
    "regex",
    "case_sensitive",
    "raw",
    "max_words",
    "within_first",
    "within_last",
];

fn convert_rule(ctx: &mut FileCtx, at: usize, mut r: RawRule) -> Option<Rule> {
    let id_at = r.id.span().start;
    let id = r.id.get_ref().clone();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        ctx.error(id_at, format!("rule id `{id}` must be non-empty and use only letters, digits, `-`, `_`, `.`"));
    }
    let why = r.why.take().unwrap_or_default();
    if why.trim().is_empty() {
        ctx.error(id_at, format!("rule `{id}` needs a one-line `why`"));
    }
    let kind_at = r.kind.span().start;
    let kind_name = r.kind.get_ref().clone();
    // A keep rule with `start` protects a block of lines, and takes a block's keys.
    let keeps_block = kind_name == "keep" && r.start.is_some();
    // One with `detector` protects what a keep detector finds (indented code).
    let keeps_found = kind_name == "keep" && r.detector.is_some();
    let allowed: &[&str] = match kind_name.as_str() {
        "keep" if keeps_found => &["detector", "params"],
        "keep" if keeps_block => BLOCK_KEYS,
        "line" | "keep" => MATCHER_KEYS,
        "block" => BLOCK_KEYS,
        "sequence" => &["lines", "case_sensitive"],
        "replace" => &["regex", "with", "case_sensitive", "within_first", "within_last"],
        "detector" => &["detector", "params"],
        other => {
            ctx.error(kind_at, format!("unknown rule kind `{other}` (expected one of: {})", KINDS.join(", ")));
            return None;
        }
    };
    // Whether the (other) detectors see its removals: the key of a rule that removes whole
    // lines (line, block, sequence, detector), not a keep or replace rule's.
    let takes_after_detectors =
        |k: &&str| *k == "after_detectors" && matches!(kind_name.as_str(), "line" | "block" | "sequence" | "detector");
    let stray: Vec<_> = stray_keys(&r, allowed).into_iter().filter(|k| !takes_after_detectors(k)).collect();
    if !stray.is_empty() {
        let what = if keeps_found {
            "a keep rule with `detector`".to_string()
        } else if keeps_block {
            "a keep rule with `start` (a protected block)".to_string()
        } else {
            format!("kind `{kind_name}`")
        };
        ctx.error(
            at,
            format!(
                "rule `{id}`: {} not valid for {what}",
                stray.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
        );
        return None;
    }
    let position = Position { within_first: r.within_first, within_last: r.within_last };
    let kind = match kind_name.as_str() {
        "keep" if keeps_found => {
            let name = r.detector.take().expect("checked above").into_inner();
            RuleKind::KeepDetector(DetectorSpec { name, params: r.params.take().unwrap_or_default() })
        }
        "line" | "keep" if !keeps_block => {
            let m = RawMatcher {
                exact: r.exact.take(),
                prefix: r.prefix.take(),
                suffix: r.suffix.take(),
                contains: r.contains.take(),
                regex: r.regex.take(),
                case_sensitive: r.case_sensitive,
                raw: r.raw,
                max_words: r.max_words,
            };
            let m = matcher(ctx, at, m, &format!("rule `{id}`"))?;
            if kind_name == "line" { RuleKind::Line(m) } else { RuleKind::Keep(m) }
        }
        "block" | "keep" => {
            let Some(start) = r.start.take() else {
                ctx.error(at, format!("block rule `{id}` needs a `start` matcher"));
                return None;
            };
            let start_at = start.span().start;
            let start = matcher(ctx, start_at, start.into_inner().0, &format!("`start` of rule `{id}`"));
            let end = match r.end.take() {
                Some(end) => {
                    let end_at = end.span().start;
                    Some(matcher(ctx, end_at, end.into_inner().0, &format!("`end` of rule `{id}`"))?)
                }
                None => None,
            };
            if r.max_lines == Some(0) || r.max_tail_lines == Some(0) {
                ctx.error(at, format!("rule `{id}`: max_lines and max_tail_lines must be at least 1"));
            }
            if r.max_tail_lines.is_some() && end.is_some() {
                ctx.error(at, format!("rule `{id}`: max_tail_lines is for blocks without `end`"));
            }
            let block = Block {
                start: start?,
                end,
                end_inclusive: r.end_inclusive.unwrap_or(true),
                max_lines: r.max_lines,
                max_tail_lines: r.max_tail_lines,
            };
            if keeps_block { RuleKind::KeepBlock(block) } else { RuleKind::Block(block) }
        }
        "sequence" => {
            let lines: Vec<String> = r.lines.take().unwrap_or_default().into_iter().map(|l| l.into_inner()).collect();
            if lines.len() < 2 || lines.iter().any(|l| l.trim().is_empty()) {
                ctx.error(at, format!("sequence rule `{id}` needs `lines` with at least two non-blank lines"));
                return None;
            }
            RuleKind::Sequence(Sequence { lines, case_sensitive: r.case_sensitive.unwrap_or(false) })
        }
        "replace" => {
            let case_sensitive = r.case_sensitive.unwrap_or(false);
            let regex = patterns(ctx, "regex", r.regex.take(), Some(!case_sensitive));
            if regex.is_empty() {
                ctx.error(at, format!("replace rule `{id}` needs at least one `regex`"));
                return None;
            }
            RuleKind::Replace(Replace { regex, with: r.with.take().unwrap_or_default(), case_sensitive })
        }
        "detector" => {
            let Some(name) = r.detector.take() else {
                ctx.error(at, format!("detector rule `{id}` needs `detector = \"NAME\"`"));
                return None;
            };
            RuleKind::Detector(DetectorSpec { name: name.into_inner(), params: r.params.take().unwrap_or_default() })
        }
        _ => unreachable!("kind checked above"),
    };
    let examples = r
        .examples
        .map(|Table(e)| Examples { remove: e.remove.into_strings(), keep: e.keep.into_strings() })
        .unwrap_or_default();
    let after_detectors = r.after_detectors.unwrap_or(false);
    Some(Rule { id, why: why.trim().to_string(), location: ctx.loc(id_at), kind, position, after_detectors, examples })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Pack, RuleErrors> {
        parse_pack(&PackSource { name: "t.toml".into(), text: text.into() })
    }

    const HEAD: &str = "[pack]\nname = \"t\"\ndescription = \"d\"\n";

    #[test]
    fn unknown_key_names_file_line_and_column() {
        let err =
            parse(&format!("{HEAD}[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nprefx = [\"x\"]\n")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("t.toml:8:1:"), "{msg}");
        assert!(msg.contains("prefx"), "{msg}");
    }

    #[test]
    fn every_rule_error_in_a_file_is_reported() {
        let text = format!(
            "{HEAD}[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nregex = [\"(unclosed\"]\n\n\
             [[rule]]\nid = \"b\"\nkind = \"frobnicate\"\nwhy = \"w\"\n\n\
             [[rule]]\nid = \"c\"\nkind = \"line\"\nwhy = \"w\"\n\n\
             [[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"x\"]\n"
        );
        let err = parse(&text).unwrap_err();
        let msgs: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs[0].starts_with("t.toml:8:") && msgs[0].contains("bad regex"), "{msgs:#?}");
        assert!(msgs[1].starts_with("t.toml:12:") && msgs[1].contains("unknown rule kind `frobnicate`"), "{msgs:#?}");
        assert!(msgs[2].contains("rule `c` has no patterns"), "{msgs:#?}");
        assert!(msgs[3].starts_with("t.toml:21:") && msgs[3].contains("duplicate rule id `a`"), "{msgs:#?}");
    }

    #[test]
    fn type_errors_in_several_rules_are_all_reported_in_file_order() {
        // A serde error in one rule used to end the file's checking there.
        let text = "[pack]\nname = \"t\"\n\n\
                    [[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nregex = [\"(x\"]\n\n\
                    [[rule]]\nid = \"b\"\nkind = \"line\"\nwhy = \"w\"\nprefx = [\"x\"]\n\n\
                    [[rule]]\nid = \"c\"\nkind = \"line\"\nwhy = \"w\"\nprefix = 3\n\n\
                    [junk]\n";
        let err = parse(text).unwrap_err();
        let msgs: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:#?}");
        assert!(msgs[0].starts_with("t.toml:8:") && msgs[0].contains("bad regex"), "{msgs:#?}");
        assert!(msgs[1].starts_with("t.toml:14:") && msgs[1].contains("unknown field `prefx`"), "{msgs:#?}");
        assert!(msgs[2].starts_with("t.toml:20:") && msgs[2].contains("a string or a list of strings"), "{msgs:#?}");
        assert!(msgs[3].starts_with("t.toml:22:") && msgs[3].contains("unknown top-level key `junk`"), "{msgs:#?}");
        let err = parse("[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\n").unwrap_err().to_string();
        assert!(err.contains("missing `[pack]` table") && err.contains("rule `a` has no patterns"), "{err}");
    }

    #[test]
    fn one_string_stands_for_a_list_of_one() {
        let pack = parse(
            "[pack]\nname = \"t\"\nscope.domains = \"example.com\"\n\
             [[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nregex = \"^x+$\"\nprefix = [\"p\", \"q\"]\n\
             examples.remove = \"xx\"\n",
        )
        .unwrap();
        assert_eq!(pack.scope.domains, ["example.com"]);
        assert_eq!(pack.description, "", "the description is optional");
        let rule = &pack.rules[0];
        let RuleKind::Line(m) = &rule.kind else { panic!("a line rule") };
        assert_eq!(
            (m.regex.as_slice(), m.prefix.as_slice()),
            (&["^x+$".to_string()][..], &["p".into(), "q".into()][..])
        );
        assert_eq!(rule.examples.remove, ["xx"]);
        // A lone string's errors point at it.
        let err = parse(&format!("{HEAD}[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nregex = \"(x\"\n"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.toml:8:9:") && err.contains("bad regex"), "{err}");
    }

    /// A sub-table given as a list or a string says how to write it. (A list used to be
    /// read as the table's fields in order: `examples = ["x"]` loaded as a remove example.)
    #[test]
    fn sub_tables_must_be_tables_and_site_scopes_go_in_scope() {
        let block = |end: &str| {
            format!(
                "{HEAD}[[rule]]\nid = \"a\"\nkind = \"block\"\nwhy = \"w\"\nstart = {{ prefix = [\"x\"] }}\n{end}\n"
            )
        };
        let line = |extra: &str| {
            format!("{HEAD}[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"x\"]\n{extra}\n")
        };
        let cases = [
            (
                block("end = [\"y\"]"),
                "t.toml:9:7: invalid type: sequence, expected a table such as `{ prefix = [\"…\"] }",
            ),
            (
                line("examples = [\"x\"]"),
                "t.toml:9:12: invalid type: sequence, expected a table such as `{ remove = [\"…\"]",
            ),
            (
                "[pack]\nname = \"t\"\nscope = \"example.com\"\n".to_string(),
                "t.toml:3:9: invalid type: string \"example.com\", expected a table such as `{ domains = [\"example.com\"] }`",
            ),
            (
                "[pack]\nname = \"t\"\ndomains = [\"example.com\"]\n".to_string(),
                "t.toml:3:1: `domains` goes in the pack's scope: `scope = { domains = [\"…\"] }`",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(&text).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}\nexpected: {expected}");
        }
        // Tables, inline or not, still load.
        assert!(parse(&block("end = { exact = [\"y\"] }")).is_ok());
        assert!(parse(&line("[rule.examples]\nremove = [\"x\"]")).is_ok());
    }

    #[test]
    fn keys_of_another_kind_are_rejected() {
        let err = parse(&format!(
            "{HEAD}[[rule]]\nid = \"a\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"x\"]\nmax_lines = 3\n"
        ))
        .unwrap_err();
        assert!(err.to_string().contains("`max_lines` not valid for kind `line`"), "{err}");
    }

    #[test]
    fn duplicate_ids_across_packs_name_both_places() {
        let a = PackSource {
            name: "a.toml".into(),
            text: format!("{HEAD}[[rule]]\nid = \"x\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"q\"]\n"),
        };
        let b = PackSource { name: "b.toml".into(), text: a.text.clone() };
        let err = parse_packs(&[a, b]).unwrap_err().to_string();
        assert!(err.starts_with("b.toml:5:") && err.contains("first defined at a.toml:5:"), "{err}");
    }

    #[test]
    fn scope_domains_and_exclusions() {
        let pack = parse(
            "[pack]\nname = \"t\"\ndescription = \"d\"\nscope.domains = [\"Example.com\", \"~shop.example.com\"]\n",
        )
        .unwrap();
        assert_eq!(pack.scope.domains, ["example.com"]);
        assert_eq!(pack.scope.excluded_domains, ["shop.example.com"]);
        let err =
            parse("[pack]\nname = \"t\"\ndescription = \"d\"\nscope.domains = [\"https://x.com/\"]\n").unwrap_err();
        assert!(err.to_string().starts_with("t.toml:4:"), "{err}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
    }
}
