//! Command-line definitions (clap). Nothing here runs anything.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "dechrome",
    version,
    about = "Strip site chrome (ad-blocker notices, share prompts, donation appeals, footers, headline lists) from raw web-scrape text.",
    long_about = "Strip site chrome from raw web-scrape text.\n\n\
        Rules live in TOML pack files: the shipped packs are built in (see `dechrome rules list`, \
        `dechrome rules dump DIR`), and --rules adds your own. Every removal names its rule; \
        `dechrome explain FILE` shows them.\n\n\
        Exit codes: 0 success, 1 checks or tests failed, 2 usage, I/O or rule-file errors, \
        130 interrupted (Ctrl-C, SIGTERM, SIGHUP; the outputs being written are deleted; under \
        `nohup` a hangup is ignored).",
    after_help = "Examples:\n  dechrome clean scrapes/ -o cleaned/\n  dechrome clean page.txt > page.clean.txt\n  cat page.txt | dechrome clean - --url https://www.example.com/a\n  dechrome explain page.txt\n  dechrome rules dump my-rules && dechrome clean --no-default-rules --rules my-rules page.txt\n  dechrome rules suggest site-pages/ --url https://www.example.org/ > example.org.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Clean files, directories (walked recursively, sorted) or standard input (`-`).
    Clean(Box<CleanArgs>),
    /// Show a document with every removed or rewritten line and the rule behind it.
    Explain(ExplainArgs),
    /// Check, test, list, show or dump rule packs; draft one for a site from its pages.
    #[command(subcommand)]
    Rules(RulesCommand),
}

/// Where rules come from (shared by every command that cleans).
#[derive(Args, Debug, Clone)]
pub struct RuleArgs {
    /// Add packs from a TOML file or a directory of them (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the shipped packs built into the binary.
    #[arg(long)]
    pub no_default_rules: bool,
    /// Turn a rule off by id (repeatable). `--disable line-scorer` keeps only the pattern
    /// rules and structural detectors: about 1.8 times as fast, removing much less (F1 on the
    /// eval pages 0.84 instead of 0.95)
    #[arg(long = "disable", value_name = "ID")]
    pub disable: Vec<String>,
    /// How much the detectors remove: conservative (only what is certainly chrome),
    /// balanced, aggressive (the smallest clean text, at some risk to content).
    #[arg(long, value_enum, default_value_t = ProfileArg::Balanced)]
    pub profile: ProfileArg,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileArg {
    Conservative,
    Balanced,
    Aggressive,
}

/// How inputs are read (shared by `clean` and `explain`).
#[derive(Args, Debug)]
pub struct InputArgs {
    /// Input format; by default by extension (`.jsonl`, `.warc.wet`, else text, each
    /// optionally `.gz`/`.zst`). Needed for JSONL or WET on stdin (gzip or zstd there is
    /// recognised by its first bytes).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// JSONL field holding the text (dotted path into nested objects).
    #[arg(long, value_name = "PATH", default_value = "text", help_heading = "Corpus")]
    pub text_field: String,
    /// JSONL field holding the document id.
    #[arg(long, value_name = "PATH", default_value = "id", help_heading = "Corpus")]
    pub id_field: String,
    /// JSONL field holding the URL [default: metadata.url, else url].
    #[arg(long, value_name = "PATH", help_heading = "Corpus")]
    pub url_field: Option<String>,
    /// In plain-text inputs, a line that is exactly LINE (line ending aside) ends a
    /// document, e.g. `<|endoftext|>` or `---`: each document is cleaned as its own page,
    /// and the separator lines are written back unchanged. Without it a text file is one
    /// document.
    #[arg(long, value_name = "LINE", value_parser = separator_line, allow_hyphen_values = true, help_heading = "Corpus")]
    pub doc_separator: Option<String>,
    /// Documents (text files, documents between separators, JSONL and WET records) larger
    /// than this many MiB or 131,072 lines are cleaned in segments cut at blank lines, so
    /// that memory stays bounded (`explain` cuts them as `clean` does, to show what it did).
    /// Web pages are far smaller. In a text file of many pages without a separator the line
    /// scorer guesses where pages meet (use --doc-separator when they are marked).
    #[arg(long, value_name = "MIB", default_value_t = 1, help_heading = "Corpus",
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub segment_mib: u64,
}

/// A separator is one non-blank line: a blank line separates paragraphs, not documents.
fn separator_line(s: &str) -> Result<String, String> {
    if s.contains(['\n', '\r']) {
        Err("the separator is one line: it cannot contain a line break".into())
    } else if s.trim().is_empty() {
        Err("the separator cannot be blank: blank lines separate paragraphs, not documents".into())
    } else {
        Ok(s.to_string())
    }
}

#[derive(Args, Debug)]
pub struct CleanArgs {
    /// Files, directories, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Output: a file for one input, else a directory that mirrors the inputs' relative
    /// paths. Without it (or with `-`), one input is written to standard output.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Only files (inside directory inputs) whose relative path matches this glob, e.g.
    /// `*.txt` or `news/**` (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// URL of the document(s), so that domain-scoped packs apply to plain-text input.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Worker threads (default: all cores). Output is identical for any value.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Write a Dolma-style attribute file per output shard into DIR (same relative path),
    /// aligned record by record: `{"id", "attributes": {"dechrome__RULE": [[start, end, 1.0]]}}`
    /// with byte offsets into the input text.
    #[arg(long, value_name = "DIR", help_heading = "Corpus")]
    pub attributes: Option<PathBuf>,
    /// Drop records that lose more than this share of their bytes (0..1), as RefinedWeb
    /// drops pages whose line corrections remove too much. A text document cleaned in
    /// segments (see --segment-mib) is never dropped: a segment of it would leave a hole.
    #[arg(long, value_name = "FRACTION", value_parser = fraction, help_heading = "Corpus")]
    pub max_removed: Option<f64>,
    /// With --max-removed: keep such records, flagged with a `dechrome` field (JSONL and WET
    /// inputs; refused for text, which has no field for it).
    #[arg(long, requires = "max_removed", help_heading = "Corpus")]
    pub mark_only: bool,
    /// Write records dropped by --max-removed here (JSONL, original text) instead of losing
    /// them; `-` for standard output (with -o).
    #[arg(long, value_name = "FILE", requires = "max_removed", help_heading = "Corpus")]
    pub rejected: Option<PathBuf>,
    /// Stop at the first bad record (exit 2; its output file is not written). By default
    /// bad records are reported as `file:line: cause`, counted and skipped. Invalid UTF-8
    /// in text and WET is not: each bad sequence becomes U+FFFD, with a warning; here it
    /// is an error too. So is a record the cleaner fails on (a bug), which is otherwise
    /// written unchanged.
    #[arg(long, help_heading = "Corpus")]
    pub strict: bool,
    /// Exit 0 when the only problems were bad input data (bad records, binary files,
    /// truncated streams) or records written unchanged after an internal error, still
    /// reported as `file:line: cause` and counted: for Spark's
    /// `pipe`, Hadoop Streaming and the like, where a non-zero exit fails the job. An input
    /// that cannot be read or an output that cannot be written still exits 2.
    #[arg(long, conflicts_with = "strict", help_heading = "Corpus")]
    pub allow_bad_records: bool,
    /// Skip inputs whose output already exists (outputs only appear when complete, so a
    /// killed run can be restarted).
    #[arg(long, help_heading = "Corpus")]
    pub skip_existing: bool,
    /// Write JSON statistics: totals, hits and bytes per rule, per domain; `-` for standard
    /// output (with -o).
    #[arg(long, value_name = "FILE", help_heading = "Corpus")]
    pub stats: Option<PathBuf>,
    /// No progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Write one JSON line per document with its removals and rewrites (rule, pack file and
    /// line, the document's lines and bytes), one per segment of a text document cleaned in
    /// segments; `-` for standard output (with -o).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// How many rules the summary lists.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
    /// No summary on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// The document (`-` for standard input): a text file, or a JSONL or WET file of
    /// records (or a text file cut by --doc-separator), of which one is shown (the first,
    /// unless --id or --line picks another).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The record with this id (JSONL `--id-field`, WET `WARC-Record-ID`).
    #[arg(long, value_name = "ID", conflicts_with = "line")]
    pub id: Option<String>,
    /// The record that starts on this line of the input (JSONL, WET, or text with
    /// --doc-separator), as `clean --report` gives it.
    #[arg(long, value_name = "N")]
    pub line: Option<u64>,
    #[command(flatten)]
    pub input: InputArgs,
    /// Print a unified diff of the input and the cleaned text instead.
    #[arg(long)]
    pub diff: bool,
    /// Also show the line scorer's P(content) on the lines it kept: how near each came
    /// to going, and for a line under the page's threshold, the guard that kept it.
    #[arg(long, conflicts_with = "diff")]
    pub scores: bool,
    /// URL of the document, so that domain-scoped packs apply (instead of a record's own).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Colour: on a terminal unless NO_COLOR is set (auto), always, or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Args, Debug)]
pub struct SuggestArgs {
    /// Files, directories (walked recursively), or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Only files (inside directory inputs) whose relative path matches this glob
    /// (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// URL of the site the pages come from, for pages without one of their own (plain text).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// A line must be on at least this many pages of its site (and a site must have as many).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = clap::value_parser!(u32).range(2..))]
    pub min_pages: u32,
    /// A line must be on at least this share of its site's pages.
    #[arg(long, value_name = "FRACTION", default_value_t = 0.5, value_parser = fraction)]
    pub min_share: f64,
    /// Write one draft per site into DIR as SITE.toml. Without it the draft is printed;
    /// then the pages must be of one site.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Overwrite drafts that already exist in DIR.
    #[arg(long, requires = "output")]
    pub force: bool,
    /// Worker threads (default: all cores).
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatArg {
    Text,
    Jsonl,
    Wet,
}

fn fraction(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a fraction between 0 and 1")),
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// Load packs strictly and lint them (default: the shipped packs). Exit 2 when a pack
    /// does not load, 1 when lint finds an error.
    Check {
        /// Pack files or directories to check instead of the shipped packs.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// Run every rule's examples: `remove` snippets must be removed, `keep` snippets kept.
    Test {
        /// Pack files or directories to test instead of the shipped packs.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List loaded rules: id, kind, pack file:line and why.
    List {
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Everything about one rule: where it is, why, its matchers and examples.
    Show {
        #[arg(value_name = "ID")]
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Draft a site pack from pages of the site: the lines it prints on most of its pages
    /// that the loaded rules keep (menus, footers, prompts). Review it, then add it with --rules.
    #[command(after_help = "Each page is cleaned first, so a draft holds only what the packs miss. Pages are \
        grouped by site (the host of their URL, without `www.`); plain-text pages need --url. A page \
        whose longest line was another page's is a copy and not counted. Headings and lines found 3+ \
        times on a page are drafted commented out: they are as often the articles' own sections. \
        Every distinct line of a site is held as a hash (the text of those kept on 2+ pages), so mine \
        a sample of thousands of pages, not a whole crawl.\n\n\
        Examples:\n  dechrome rules suggest pages/ --url https://www.example.org/ > example.org.toml\n  \
        dechrome rules suggest crawl.jsonl.zst -o drafts/ --min-pages 20 --min-share 0.3\n  \
        dechrome explain pages/a.txt --rules example.org.toml --url https://www.example.org/")]
    Suggest(Box<SuggestArgs>),
    /// Write the shipped packs into DIR for editing (then use `--rules DIR --no-default-rules`).
    Dump {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Overwrite files that already exist.
        #[arg(long)]
        force: bool,
    },
}
