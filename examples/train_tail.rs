//! Train the scored tail (`src/engine/tail.rs`): where a page's article ends.
//!
//!     cargo run --release --example train_tail -- [EVAL_DIR] [PACK.toml]
//!
//! Cleans every page of EVAL_DIR (default ../shared/eval/dev: raw/NAME.txt with
//! labels/NAME.jsonl) with the packs under `rules/`, read from disk so that a scorer
//! retrained a moment ago counts, in the balanced profile. Every place the engine would
//! consider cutting (a kept line after lines the scorer dropped) is a training row; its
//! label says whether cutting there pays: the lines the scorer kept from there on hold at
//! most a tenth as many content tokens as chrome tokens (`label_seq`, `n_tokens`). Then
//! logistic regression (IRLS, L2), as the engine applies it: the page is cut at the first
//! candidate above the threshold.
//!
//! It prints a 5-fold estimate of macro token F1 and recall per threshold (from the labels,
//! over the lines the scorer sees, without the prose guard that spares lines after a cut),
//! then writes `bias` and `weights` of `[rule.params.tail]` in PACK (default
//! rules/generic/scorer.toml); the thresholds per profile stay as they are. Set those with
//! `PARAM=tail.threshold scripts/sweep_thresholds.sh`, which scores the real output.

use std::path::{Path, PathBuf};

use dechrome::engine::decide::{LineScores, Scratch};
use dechrome::engine::features::document_features;
use dechrome::engine::tail::{self, ScorerLine};

#[path = "common/logistic.rs"]
mod logistic;
use logistic::{Row, dot, fit, sigmoid};
#[path = "common/labelled.rs"]
mod labelled;
use labelled::{LabelledPage, labelled_pages};
#[path = "common/pack.rs"]
mod pack;
use pack::{rounded, scorer_params, set, set_weights};

/// Cutting pays where the kept content after the cut is at most this share of the kept chrome.
const PAYS: f32 = 0.1;
/// The L2 penalty: a few thousand rows, 11 features.
const LAMBDA: f64 = 1.0;
const FOLDS: usize = 5;
/// The engine's default `tail.max_lines`: it considers no cut with more lines after it.
const MAX_LINES: usize = 600;

/// A line the scorer judged, with its label.
struct Line {
    scored: ScorerLine,
    content: bool,
    tokens: f32,
}

struct Page {
    lines: Vec<Line>,
    /// Content tokens of the whole page (lines the pattern rules removed included).
    content_tokens: f32,
    candidates: Vec<(usize, [f32; tail::N])>,
}

impl Page {
    /// Token F1 and recall with the page cut at line `cut` (`lines.len()`: not cut).
    fn f1(&self, cut: usize) -> (f64, f64) {
        let (mut kept, mut kept_content) = (0.0, 0.0);
        for l in self.lines[..cut].iter().filter(|l| l.scored.kept) {
            kept += l.tokens as f64;
            kept_content += if l.content { l.tokens as f64 } else { 0.0 };
        }
        let gold = self.content_tokens as f64;
        if gold == 0.0 {
            return (if kept == 0.0 { 1.0 } else { 0.0 }, 1.0);
        }
        if kept_content == 0.0 {
            return (0.0, 0.0);
        }
        let (p, r) = (kept_content / kept, kept_content / gold);
        (2.0 * p * r / (p + r), r)
    }

    /// Whether cutting at line `from` pays (see [`PAYS`]).
    fn cut_pays(&self, from: usize) -> bool {
        let (mut content, mut chrome) = (0.0, 0.0);
        for l in self.lines[from..].iter().filter(|l| l.scored.kept) {
            if l.content { content += l.tokens } else { chrome += l.tokens }
        }
        chrome > 0.0 && content <= PAYS * chrome
    }

    fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.candidates.iter().map(|(from, f)| (f.iter().map(|&v| v as f64).collect(), self.cut_pays(*from), 1.0))
    }

    /// Where the model cuts at `threshold` (`lines.len()`: nowhere).
    fn cut(&self, beta: &[f64], threshold: f64) -> usize {
        let features = |f: &[f32; tail::N]| f.iter().map(|&v| v as f64).collect::<Vec<_>>();
        self.candidates
            .iter()
            .find(|(_, f)| sigmoid(dot(beta, &features(f))) > threshold)
            .map_or(self.lines.len(), |c| c.0)
    }
}

fn load(dir: &Path) -> Vec<Page> {
    let options = dechrome::RuleOptions {
        no_default_rules: true,
        paths: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")],
        ..Default::default()
    };
    let engine = dechrome::load_engine(&options).expect("the packs under rules/ load");
    let mut scratch = Scratch::with_details(false);
    let mut pages = Vec::new();
    for LabelledPage { raw, labels: by_line } in labelled_pages(dir) {
        scratch.scores = Some(LineScores::default());
        engine.clean_with(&raw, Default::default(), &mut scratch);
        let scored = scratch.scores.take().unwrap_or_default().lines;
        let all: Vec<&str> = raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        let texts: Vec<&str> = scored.iter().map(|s| all[s.line]).collect();
        let words = document_features(&texts, None);
        let lines: Vec<Line> = scored
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let (content, tokens) = by_line.get(&s.line).copied().unwrap_or((false, 0.0));
                let scored = ScorerLine { p: s.p, words: words.words(k) as f32, kept: s.kept_before_tail };
                Line { scored, content, tokens }
            })
            .collect();
        let mut found = tail::Candidates::default();
        found.compute(&lines.iter().map(|l| l.scored).collect::<Vec<_>>());
        let mut candidates = found.found;
        candidates.retain(|(from, _)| lines.len() - from <= MAX_LINES);
        let content_tokens = by_line.values().filter(|(c, _)| *c).map(|(_, t)| t).sum();
        pages.push(Page { lines, content_tokens, candidates });
    }
    pages
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/eval/dev".into()));
    let out = PathBuf::from(args.next().unwrap_or_else(|| "rules/generic/scorer.toml".into()));
    let pages = load(&dir);
    let rows: usize = pages.iter().map(|p| p.candidates.len()).sum();
    let paying: usize = pages.iter().flat_map(|p| p.rows()).filter(|r| r.1).count();
    eprintln!("{} pages, {rows} candidate cuts, {paying} of which pay", pages.len());

    // Held-out estimate: each fifth of the pages (by name) cut by weights trained on the rest.
    let thresholds = [0.5, 0.6, 0.7, 0.8, 0.9];
    let mut sums = vec![(0.0, 0.0, 0.0, 0.0, 0usize); thresholds.len()];
    for fold in 0..FOLDS {
        let train: Vec<Row> =
            pages.iter().enumerate().filter(|(i, _)| i % FOLDS != fold).flat_map(|(_, p)| p.rows()).collect();
        let beta = fit(&train, LAMBDA);
        for page in pages.iter().enumerate().filter(|(i, _)| i % FOLDS == fold).map(|(_, p)| p) {
            let (f1, r) = page.f1(page.lines.len());
            for (t, sum) in thresholds.iter().zip(sums.iter_mut()) {
                let cut = page.cut(&beta, *t);
                let (cut_f1, cut_r) = page.f1(cut);
                *sum =
                    (sum.0 + f1, sum.1 + r, sum.2 + cut_f1, sum.3 + cut_r, sum.4 + (cut < page.lines.len()) as usize);
            }
        }
    }
    let n = pages.len() as f64;
    eprintln!("held out ({FOLDS} folds), macro token F1 / recall over the lines the scorer sees:");
    for (t, (f1, r, cut_f1, cut_r, cuts)) in thresholds.iter().zip(&sums) {
        eprintln!(
            "  threshold {t:.1}: F1 {:.4} -> {:.4}, recall {:.4} -> {:.4}, {cuts} pages cut",
            f1 / n,
            cut_f1 / n,
            r / n,
            cut_r / n
        );
    }

    let all: Vec<Row> = pages.iter().flat_map(|p| p.rows()).collect();
    let beta = fit(&all, LAMBDA);
    let cut_pages = |t: f64| pages.iter().filter(|p| p.cut(&beta, t) < p.lines.len()).count();
    eprintln!(
        "trained on every page: {} pages cut at threshold {}",
        thresholds.map(cut_pages).map(|c| c.to_string()).join(" / "),
        thresholds.map(|t| t.to_string()).join(" / ")
    );
    let existing = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    std::fs::write(&out, update_pack(&existing, &beta)).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    eprintln!("wrote the tail's weights into {}", out.display());
}

/// The pack with `[rule.params.tail]`'s bias and weights replaced (the table is added, with
/// the thresholds the README recommends, if it is missing).
fn update_pack(existing: &str, beta: &[f64]) -> String {
    use toml_edit::{DocumentMut, Item, Table};
    let mut doc: DocumentMut = existing.parse().expect("the pack parses");
    let params = scorer_params(&mut doc);
    if !params.contains_key("tail") {
        let mut tail = Table::new();
        let mut threshold = Table::new();
        for (profile, t) in [("conservative", 0.0), ("balanced", 0.7), ("aggressive", 0.7)] {
            set(&mut threshold, profile, rounded(t));
        }
        tail.insert("threshold", Item::Table(threshold));
        tail.insert("weights", Item::Table(Table::new()));
        params.insert("tail", Item::Table(tail));
    }
    let tail_table = params["tail"].as_table_mut().expect("[rule.params.tail]");
    set(tail_table, "bias", rounded(beta[0]));
    set_weights(tail_table["weights"].as_table_mut().expect("[rule.params.tail.weights]"), &tail::NAMES, &beta[1..]);
    doc.to_string()
}
