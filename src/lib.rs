//! dechrome: strip site chrome (menus, share prompts, donation appeals, footers…) from
//! raw web-scrape text with rules that live in TOML pack files.
//!
//! ```
//! let engine = dechrome::RuleSet::default_rules().unwrap().compile(&[]).unwrap();
//! let cleaned = engine.clean("An article sentence.\n\nYou seem to have an Ad Blocker on.\n", Default::default());
//! assert_eq!(cleaned.text, "An article sentence.\n");
//! assert_eq!(engine.rules[cleaned.removals[0].rule as usize].id, "ad-blocker-notice");
//! ```

pub mod engine;
pub mod examples;
pub mod explain;
pub mod io;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod suggest;

use std::cell::RefCell;
use std::path::PathBuf;

pub use engine::decide::{Removal, Rewrite, RewriteBy, Scratch};
pub use engine::{DocContext, Engine, Profile};
use rules::{Pack, PackSource, RuleErrors};

/// A cleaned document: its text and every decision that produced it.
#[derive(Clone, Debug)]
pub struct Cleaned {
    pub text: String,
    /// Removed line ranges, in line order, each with exactly one rule.
    pub removals: Vec<Removal>,
    /// Rewrites (replace rules and paragraph repair), in input order.
    pub rewrites: Vec<Rewrite>,
}

impl Cleaned {
    /// Each removal, and whether it is a new hit of its rule: not the rest of a match begun
    /// on an earlier line (`continues_from`), nor a detector's next line. With details
    /// (`explain`, `--report`) a detector's run of lines comes as a removal per line, each
    /// with its own reason; without, as one removal. Counted this way, hits are the same
    /// either way. (Removals without a reason are never split so: two that meet are two
    /// matches, as a `replace` match that empties the line after another's rest.)
    pub fn removal_hits(&self) -> impl Iterator<Item = (&Removal, bool)> {
        let mut previous: Option<&Removal> = None;
        self.removals.iter().map(move |r| {
            let runs_on = previous.is_some_and(|p| {
                p.rule == r.rule && p.lines.end == r.lines.start && p.detail.is_some() && r.detail.is_some()
            });
            previous = Some(r);
            (r, r.continues_from.is_none() && !runs_on)
        })
    }
}

impl Engine {
    /// Clean one document with a per-thread scratch.
    pub fn clean(&self, text: &str, ctx: DocContext) -> Cleaned {
        thread_local!(static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default()));
        SCRATCH.with(|s| self.clean_with(text, ctx, &mut s.borrow_mut()))
    }

    /// Clean one document with caller-owned scratch buffers.
    pub fn clean_with(&self, text: &str, ctx: DocContext, scratch: &mut Scratch) -> Cleaned {
        let decisions = self.decide(text, ctx, scratch);
        let out = scratch.take_output();
        let (cleaned, repairs) = engine::apply::apply(text, &scratch.lines, &decisions, out);
        let mut rewrites = decisions.rewrites;
        rewrites.extend(repairs);
        rewrites.sort_by_key(|w| w.bytes.start);
        Cleaned { text: cleaned, removals: decisions.removals, rewrites }
    }

    /// The id a rewrite is reported under.
    pub fn rewrite_id(&self, by: RewriteBy) -> &str {
        match by {
            RewriteBy::Rule(r) => &self.rules[r as usize].id,
            RewriteBy::ParagraphRepair => PARAGRAPH_REPAIR_ID,
        }
    }
}

/// Rule id under which paragraph joins are reported.
pub const PARAGRAPH_REPAIR_ID: &str = "paragraph-repair";

/// Parsed packs, ready to compile.
pub struct RuleSet {
    pub packs: Vec<Pack>,
    pub sources: Vec<PackSource>,
}

/// Where rules come from: the embedded packs unless turned off, plus files or
/// directories on disk.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    pub profile: engine::Profile,
    pub no_default_rules: bool,
    pub paths: Vec<PathBuf>,
    pub disabled: Vec<String>,
}

impl RuleSet {
    pub fn from_sources(sources: &[PackSource]) -> Result<RuleSet, RuleErrors> {
        Ok(RuleSet { packs: rules::parse_packs(sources)?, sources: sources.to_vec() })
    }

    /// The TOML text of the rule at `location` (its `[[rule]]` table).
    pub fn source_of(&self, location: &rules::Location) -> Option<String> {
        let source = self.sources.iter().find(|s| *s.name == *location.file)?;
        let lines: Vec<&str> = source.text.lines().collect();
        let at = (location.line as usize).checked_sub(1)?;
        let start = (0..=at).rev().find(|&i| lines[i].trim_start().starts_with("[[rule]]"))?;
        let end = (at + 1..lines.len()).find(|&i| lines[i].trim_start().starts_with("[[rule]]")).unwrap_or(lines.len());
        Some(lines[start..end].join("\n").trim_end().to_string())
    }

    pub fn default_rules() -> Result<RuleSet, RuleErrors> {
        Self::from_sources(&rules::embedded_sources())
    }

    /// Load as the CLI does. Every error from every file is collected.
    pub fn load(options: &RuleOptions) -> Result<RuleSet, RuleErrors> {
        let mut sources = if options.no_default_rules { Vec::new() } else { rules::embedded_sources() };
        let mut errors = Vec::new();
        for path in &options.paths {
            match rules::sources_from_path(path) {
                Ok(s) => sources.extend(s),
                Err(e) => errors.extend(e.0),
            }
        }
        match Self::from_sources(&sources) {
            Ok(set) if errors.is_empty() => Ok(set),
            Ok(_) => Err(RuleErrors(errors)),
            Err(e) => {
                errors.extend(e.0);
                Err(RuleErrors(errors))
            }
        }
    }

    pub fn compile(&self, disabled: &[String]) -> Result<Engine, RuleErrors> {
        Engine::compile(&self.packs, disabled)
    }
}

/// Load and compile in one step.
pub fn load_engine(options: &RuleOptions) -> Result<Engine, RuleErrors> {
    let set = RuleSet::load(options)?;
    Engine::compile_with_profile(&set.packs, &options.disabled, options.profile)
}
