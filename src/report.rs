//! Per-document audit records (`--report`, JSON lines) and run statistics.

use std::collections::HashMap;

use serde::Serialize;

use crate::io::records::{InputMap, RecordId};
use crate::{Cleaned, Engine, RewriteBy};

#[derive(Serialize)]
pub struct DocumentReport<'a> {
    pub path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<&'a RecordId>,
    /// Input line where the record (JSONL, WET) or text document starts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// For a text document cleaned in segments (`--segment-mib`), one line per segment:
    /// which part of the document this one reports. Offsets are the document's all the same.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<SegmentReport>,
    pub bytes_in: usize,
    pub bytes_out: usize,
    pub removals: Vec<RemovalRecord<'a>>,
    pub rewrites: Vec<RewriteRecord<'a>>,
}

/// The part of a text document one report line covers: its lines (1-based, inclusive)
/// and bytes (0-based, end-exclusive) in the document.
#[derive(Serialize)]
pub struct SegmentReport {
    pub lines: [usize; 2],
    pub bytes: [usize; 2],
}

/// Lines are 1-based and inclusive; bytes are 0-based, end-exclusive offsets into the input
/// (a text document's, a JSONL record's `text`, a WET record's content).
#[derive(Serialize)]
pub struct RemovalRecord<'a> {
    pub rule: &'a str,
    pub pack: &'a str,
    pub rule_line: u32,
    pub lines: [usize; 2],
    pub bytes: [usize; 2],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<&'a str>,
    /// The line a `replace` match began on, when this removal is the rest of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continues_from_line: Option<usize>,
}

#[derive(Serialize)]
pub struct RewriteRecord<'a> {
    pub rule: &'a str,
    pub pack: &'a str,
    pub rule_line: u32,
    pub line: usize,
    pub bytes: [usize; 2],
    pub replacement: &'a str,
    /// The line the match began on, when this is its rest on a later line (a match over a
    /// wrapped paragraph's lines): the hit is counted once, at its first line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continues_from_line: Option<usize>,
}

/// The pack file and line behind a rule id (paragraph repair is the engine's own).
pub fn origin(engine: &Engine, by: RewriteBy) -> (&str, u32) {
    match by {
        RewriteBy::Rule(r) => {
            let loc = &engine.rules[r as usize].location;
            (&loc.file, loc.line)
        }
        RewriteBy::ParagraphRepair => ("(engine)", 0),
    }
}

impl<'a> DocumentReport<'a> {
    /// The report of `cleaned`, cleaned from `input`, whose offsets `map` turns into the
    /// input document's.
    pub fn new(engine: &'a Engine, path: &'a str, input: &str, map: &InputMap, cleaned: &'a Cleaned) -> Self {
        let removals = cleaned
            .removals
            .iter()
            .map(|r| {
                let rule = &engine.rules[r.rule as usize];
                RemovalRecord {
                    rule: &rule.id,
                    pack: &rule.location.file,
                    rule_line: rule.location.line,
                    lines: [map.line(r.lines.start) + 1, map.line(r.lines.end)],
                    bytes: [map.byte(r.bytes.start), map.byte(r.bytes.end)],
                    detail: r.detail.as_deref(),
                    continues_from_line: r.continues_from.map(|l| map.line(l) + 1),
                }
            })
            .collect();
        let rewrites = cleaned
            .rewrites
            .iter()
            .map(|w| {
                let (pack, rule_line) = origin(engine, w.by);
                RewriteRecord {
                    rule: engine.rewrite_id(w.by),
                    pack,
                    rule_line,
                    line: map.line(w.line) + 1,
                    bytes: [map.byte(w.bytes.start), map.byte(w.bytes.end)],
                    replacement: &w.replacement,
                    continues_from_line: w.continues_from.map(|l| map.line(l) + 1),
                }
            })
            .collect();
        DocumentReport {
            path,
            id: None,
            line: None,
            segment: None,
            bytes_in: map.byte(input.len()) - map.byte(0),
            bytes_out: cleaned.text.len(),
            removals,
            rewrites,
        }
    }
}

/// Counts over a run.
#[derive(Default, Debug, Clone)]
pub struct Stats {
    pub documents: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    /// Rule id → (hits, bytes removed or rewritten).
    pub by_rule: HashMap<String, (u64, u64)>,
}

impl Stats {
    /// `new_document`: false for a later segment of a document cleaned in segments.
    pub fn add(&mut self, engine: &Engine, input_len: usize, cleaned: &Cleaned, new_document: bool) {
        self.documents += usize::from(new_document);
        self.bytes_in += input_len as u64;
        self.bytes_out += cleaned.text.len() as u64;
        // The rest of a match on a later line adds its bytes, not a hit; so does a line
        // that goes on a run of the same rule's.
        for (r, hit) in cleaned.removal_hits() {
            self.count(&engine.rules[r.rule as usize].id, hit, r.bytes.len());
        }
        for w in &cleaned.rewrites {
            self.count(engine.rewrite_id(w.by), w.continues_from.is_none(), w.bytes.len());
        }
    }

    /// `bytes` bytes of rule `id`, and one hit if `hit`. The id is copied only on its first
    /// hit: a copy per removal cost 0.6% of a run's instructions with the shipped packs.
    fn count(&mut self, id: &str, hit: bool, bytes: usize) {
        let e = match self.by_rule.get_mut(id) {
            Some(e) => e,
            None => self.by_rule.entry(id.to_string()).or_default(),
        };
        e.0 += u64::from(hit);
        e.1 += bytes as u64;
    }

    /// Rules by hits, most first (ties by id, so the order is stable).
    pub fn top_rules(&self) -> Vec<(&str, u64, u64)> {
        let mut v: Vec<_> = self.by_rule.iter().map(|(k, &(h, b))| (k.as_str(), h, b)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        v
    }

    pub fn removed_share(&self) -> f64 {
        let removed = self.bytes_in.saturating_sub(self.bytes_out);
        if self.bytes_in == 0 { 0.0 } else { removed as f64 / self.bytes_in as f64 }
    }

    /// Bytes and share removed, then the top rules.
    pub fn summary(&self, top: usize) -> String {
        let mut s = format!(
            "dechrome: {} cleaned, {} bytes in, {} bytes out, {:.1}% removed",
            plural(self.documents as u64, "document"),
            self.bytes_in,
            self.bytes_out,
            100.0 * self.removed_share()
        );
        let rules = self.top_rules();
        if !rules.is_empty() && top > 0 {
            s.push_str("\n  top rules by hits:");
            for (id, hits, bytes) in rules.iter().take(top) {
                s.push_str(&format!("\n    {hits:>8}  {id} ({bytes} bytes)"));
            }
        }
        s
    }
}

/// `1 record`, `2 records`, `3 copies`: a count with its noun.
pub fn plural(n: u64, noun: &str) -> String {
    match (n, noun.strip_suffix('y')) {
        (1, _) => format!("1 {noun}"),
        (_, Some(stem)) => format!("{n} {stem}ies"),
        (_, None) => format!("{n} {noun}s"),
    }
}
