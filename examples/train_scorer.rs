//! Train the line scorer's weights on labelled scrapes and write them as a pack.
//!
//!     cargo run --release --example train_scorer -- [EVAL_DIR] [OUT.toml]
//!
//! EVAL_DIR defaults to ../shared/eval/dev (raw/NAME.txt with labels/NAME.jsonl), OUT to
//! rules/generic/scorer.toml. When OUT exists, only its weights, biases and phrase list
//! are replaced (and the line count in its header): its thresholds, guards and comments
//! stay as they are, so a retrain's diff is the weights alone. `FRESH=1` writes a new pack
//! with the thresholds this trainer proposes instead. `PLAIN=1` trains the weights for text
//! without markdown instead (`[rule.params.plain]`, added to an existing pack), on a
//! plain-text copy of the split (`scripts/plain_split.py --with-clean`). Logistic regression (IRLS, L2) on the same features the
//! engine computes at run time (`dechrome::engine::features`), each line weighted by its
//! share of its page's word tokens because the quality metric counts tokens and averages
//! pages (see `page_scale`). Thresholds per profile are
//! proposed from a line-level estimate of macro F1 with each profile's prose guard; a
//! held-out fifth of the pages (by name) is scored first to show how well the weights
//! generalise, then the final weights are trained on every page. The estimate undercounts
//! recall (no title guard, no bag-of-words matching), so set the shipped thresholds with
//! `scripts/sweep_thresholds.sh`, which scores the real output with score.py.

// Matrix code reads best with index loops.
#![allow(clippy::needless_range_loop)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use dechrome::engine::features::{CONTEXT_NAMES, N, NAMES, PhraseMatcher, context_features, document_features};

#[path = "common/logistic.rs"]
mod logistic;
use logistic::{Row, dot, fit, sigmoid};
#[path = "common/labelled.rs"]
mod labelled;
use labelled::{LabelledPage, labelled_pages};
#[path = "common/pack.rs"]
mod pack;
use pack::{rounded, scorer_params, set, set_weights};

/// Chrome phrases common to many sites (the `phrase` feature). Written into the pack.
const PHRASES: &[&str] = &[
    "cookie",
    "newsletter",
    "subscribe",
    // Phrases count from a word's start ("design in" holds no "sign in"): these two
    // compounds were found by "subscribe" until session 22.
    "unsubscribe",
    "resubscribe",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "privacy policy",
    "terms of use",
    "terms of service",
    "terms and conditions",
    "all rights reserved",
    "copyright",
    "©",
    "advertisement",
    "share this",
    "share on",
    "follow us",
    "related articles",
    "related posts",
    "related stories",
    "read more",
    "read next",
    "you may also like",
    "you might also like",
    "recommended for you",
    "leave a comment",
    "leave a reply",
    "comments",
    "posted in",
    "filed under",
    "tags:",
    "skip to",
    "back to top",
    "click here",
    "contact us",
    "about us",
    "previous post",
    "next post",
    "more stories",
    "most popular",
    "trending",
    "sponsored",
    "download the app",
    "accept all",
    "javascript",
];

/// The prose guard of each profile (conservative, balanced, aggressive): lines of prose
/// with at least this many words are dropped only when P(content) is below the profile's
/// prose floor. Both are written into the pack.
const PROTECT_WORDS: [usize; 3] = [25, 50, 60];
const PROSE_FLOOR: [f64; 3] = [0.07, 0.10, 0.10];
/// Each page's threshold (per profile): this factor times half the page's best expected F1,
/// within the floor below and the threshold the trainer proposes. Set with
/// `scripts/sweep_thresholds.sh`; the trainer's own estimate uses fixed thresholds.
const PAGE_FACTOR: [f64; 3] = [0.40, 1.1, 1.2];
const THRESHOLD_FLOOR: [f64; 3] = [0.10, 0.30, 0.30];
/// Pages of fewer scored lines get conservative's page threshold (per profile; 0: none).
const SHORT_PAGE_LINES: [usize; 3] = [0, 30, 30];
/// The block guard's share, the page windows' `(min_lines, min_gap)`, the continuation
/// guard's `(words, floor)`, the section guard's `(words, max_lines, floor)`, the closing
/// guard's `(words, floor)` and the lone-paragraph guard's `(words, share)` a fresh pack
/// gets: the shipped settings, which the trainer does not model.
const BLOCK_KEEP_SHARE: f64 = 0.5;
const PAGE_WINDOWS: (usize, usize) = (2000, 40);
const CONTINUATION: (usize, f64) = (10, 0.2);
const SECTION: (usize, usize, f64) = (10, 12, 0.1);
const CLOSING: (usize, f64) = (3, 0.05);
const LONE_PARAGRAPH: (usize, f64) = (20, 0.25);
/// The series guard's `max_gap` (see the shipped pack).
const SERIES_MAX_GAP: usize = 4;
/// The L2 penalty: strong enough to keep correlated features (words, chars) from trading
/// huge weights.
const LAMBDA: f64 = 200.0;

struct Page {
    /// Features, content label and token weight of each line the scorer sees.
    lines: Vec<([f32; N], bool, f32)>,
    /// Per line, per profile: the line is prose, kept unless its score is below the floor.
    guarded: Vec<[bool; 3]>,
    /// Content tokens on lines the pattern rules remove (lost whatever the scorer does).
    removed_content_tokens: f32,
}

/// The shipped packs without the scorer and without the rules that run after it (balanced
/// profile): what they leave is what the scorer sees. The rules after it are left out, not
/// just their removals: removals are united, larger first, so a `dated-cards` run that
/// spans a share prompt's line would claim that line, and it would look kept here though
/// the scorer never sees it.
fn pattern_engine() -> dechrome::Engine {
    let set = dechrome::RuleSet::default_rules().expect("shipped packs load");
    let ids: Vec<String> = set.packs.iter().flat_map(|p| p.rules.iter().map(|r| r.id.clone())).collect();
    let mut disabled: Vec<String> = ids.iter().filter(|id| *id == "line-scorer").cloned().collect();
    let all = set.compile(&disabled).expect("shipped packs compile");
    disabled
        .extend(ids.iter().filter(|id| all.rule_index(id).is_some_and(|rule| all.runs_after_scorer(rule))).cloned());
    set.compile(&disabled).expect("shipped packs compile")
}

fn load(dir: &Path, phrases: &PhraseMatcher) -> Vec<Page> {
    let engine = pattern_engine();
    let mut pages = Vec::new();
    for LabelledPage { raw, labels: by_line } in labelled_pages(dir) {
        let all: Vec<&str> = raw.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        // The scorer sees what the rules before it left: pattern rules and the structural
        // detectors. Replace rules, `dated-cards` and `orphan-headings` run after it (and
        // are not in `engine`), so the lines they remove are still its context and training
        // lines (this trainer's own F1 printout counts such a line as kept when the scorer
        // keeps it: a few tokens per page).
        let mut removed = vec![false; all.len()];
        for r in engine.clean(&raw, Default::default()).removals {
            removed[r.lines].fill(true);
        }
        let removed_content_tokens: f32 = (0..all.len())
            .filter(|&i| removed[i])
            .filter_map(|i| by_line.get(&i))
            .filter(|(content, _)| *content)
            .map(|(_, t)| *t)
            .sum();
        let kept: Vec<usize> = (0..all.len()).filter(|&i| !removed[i] && !all[i].trim().is_empty()).collect();
        let texts: Vec<&str> = kept.iter().map(|&i| all[i]).collect();
        let features = document_features(&texts, Some(phrases));
        let guarded = (0..texts.len()).map(|k| PROTECT_WORDS.map(|words| features.is_prose(k, words))).collect();
        let lines = kept
            .iter()
            .zip(features.rows())
            .map(|(i, f)| {
                let (content, tokens) = by_line.get(i).copied().unwrap_or((false, 0.0));
                (f, content, tokens)
            })
            .collect();
        pages.push(Page { lines, guarded, removed_content_tokens });
    }
    pages
}

/// Each page weighs the same in training, as each counts the same in score.py's macro
/// average: a line's weight is its word tokens over its page's. (Plain token weights let a
/// few long pages decide; page weights measured +0.002 to +0.004 F1 in every profile.)
fn page_scale(page: &Page) -> f64 {
    let tokens: f64 = page.lines.iter().map(|(_, _, t)| *t as f64).sum();
    2000.0 / tokens.max(1.0)
}

/// Both stages, trained on `pages`.
struct Model {
    line: Vec<f64>,
    context: Vec<f64>,
}

impl Model {
    fn train(pages: &[&Page]) -> Model {
        let rows: Vec<Row> = pages
            .iter()
            .flat_map(|p| {
                let scale = page_scale(p);
                p.lines
                    .iter()
                    .map(move |(f, c, t)| (f.iter().map(|&v| v as f64).collect(), *c, (*t as f64).max(0.2) * scale))
            })
            .collect();
        let line = fit(&rows, LAMBDA);
        let mut ctx_rows = Vec::new();
        for page in pages {
            for ((g, (_, c, t)), _) in context_rows(page, &line).into_iter().zip(&page.lines).zip(0..) {
                ctx_rows.push((g, *c, (*t as f64).max(0.2) * page_scale(page)));
            }
        }
        let context = fit(&ctx_rows, LAMBDA);
        Model { line, context }
    }

    /// P(content) of each line of a page.
    fn predict(&self, page: &Page) -> Vec<f64> {
        context_rows(page, &self.line).iter().map(|g| sigmoid(dot(&self.context, g))).collect()
    }
}

fn context_rows(page: &Page, line: &[f64]) -> Vec<Vec<f64>> {
    let logits: Vec<f32> =
        page.lines.iter().map(|(f, _, _)| dot(line, &f.iter().map(|&v| v as f64).collect::<Vec<_>>()) as f32).collect();
    context_features(&logits).iter().map(|g| g.iter().map(|&v| v as f64).collect()).collect()
}

/// Token-level macro precision, recall and F1 over pages when lines with P(content)
/// below `threshold` are dropped unless profile `profile`'s prose guard keeps them (prose
/// at or above the prose floor). An estimate of score.py's bag-of-words figures; the title
/// guard is not modelled.
fn evaluate(pages: &[&Page], probs: &[Vec<f64>], threshold: f64, profile: usize) -> (f64, f64, f64) {
    let (mut ps, mut rs, mut fs) = (0.0, 0.0, 0.0);
    for (page, probs) in pages.iter().zip(probs) {
        let (mut tp, mut fp, mut fn_) = (0.0f64, 0.0f64, page.removed_content_tokens as f64);
        for (((_, content, tokens), p), guarded) in page.lines.iter().zip(probs).zip(&page.guarded) {
            let kept = *p >= threshold || (guarded[profile] && *p >= PROSE_FLOOR[profile]);
            let t = *tokens as f64;
            match (kept, content) {
                (true, true) => tp += t,
                (true, false) => fp += t,
                (false, true) => fn_ += t,
                _ => {}
            }
        }
        let p = if tp + fp == 0.0 { if fn_ == 0.0 { 1.0 } else { 0.0 } } else { tp / (tp + fp) };
        let r = if tp + fn_ == 0.0 { 1.0 } else { tp / (tp + fn_) };
        ps += p;
        rs += r;
        fs += if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) };
    }
    let n = pages.len() as f64;
    (ps / n, rs / n, fs / n)
}

type Choice = (f64, (f64, f64, f64));

/// Thresholds, each with its profile's prose guard: conservative the best F1 keeping
/// recall ≥ 0.99, balanced the best F1 keeping recall ≥ 0.97, aggressive the highest
/// threshold (smallest text) keeping recall ≥ 0.95, and never below balanced's.
fn choose_thresholds(pages: &[&Page], probs: &[Vec<f64>]) -> [Choice; 3] {
    let grid = |profile: usize| -> Vec<Choice> {
        (1..99).map(|i| i as f64 / 100.0).map(|t| (t, evaluate(pages, probs, t, profile))).collect()
    };
    let best = |grid: &[Choice], min_recall: f64| {
        *grid.iter().filter(|g| g.1.1 >= min_recall).max_by(|a, b| a.1.2.total_cmp(&b.1.2)).unwrap_or(&grid[0])
    };
    let conservative = best(&grid(0), 0.99);
    let balanced = best(&grid(1), 0.97);
    let aggressive_grid = grid(2);
    let highest =
        *aggressive_grid.iter().filter(|g| g.1.1 >= 0.95).max_by(|a, b| a.0.total_cmp(&b.0)).unwrap_or(&balanced);
    let at_balanced = *aggressive_grid.iter().find(|g| g.0 == balanced.0).expect("same grid");
    let aggressive = if highest.0 >= balanced.0 { highest } else { at_balanced };
    [conservative, balanced, aggressive]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| root.join("../shared/eval/dev"));
    let out = args.next().map(PathBuf::from).unwrap_or_else(|| root.join("rules/generic/scorer.toml"));
    let phrases = PhraseMatcher::new(PHRASES).unwrap();
    let pages = load(&dir, &phrases);
    if let Ok(path) = std::env::var("DUMP_FEATURES") {
        // page, label, tokens, features: for trying other models outside this trainer.
        let mut tsv = String::new();
        for (k, page) in pages.iter().enumerate() {
            for (f, c, t) in &page.lines {
                let _ = write!(tsv, "{k}\t{}\t{t}", *c as u8);
                for v in f {
                    let _ = write!(tsv, "\t{v}");
                }
                tsv.push('\n');
            }
        }
        std::fs::write(&path, tsv).unwrap();
        eprintln!("wrote {path}");
        return;
    }
    let lines: usize = pages.iter().map(|p| p.lines.len()).sum();
    eprintln!("{} pages, {lines} lines", pages.len());

    // Held-out check: every fifth page by name.
    let held: Vec<&Page> = pages.iter().enumerate().filter(|(i, _)| i % 5 == 0).map(|(_, p)| p).collect();
    let fit: Vec<&Page> = pages.iter().enumerate().filter(|(i, _)| i % 5 != 0).map(|(_, p)| p).collect();
    let model = Model::train(&fit);
    let fit_probs: Vec<Vec<f64>> = fit.iter().map(|p| model.predict(p)).collect();
    let held_probs: Vec<Vec<f64>> = held.iter().map(|p| model.predict(p)).collect();
    for (profile, (name, (t, _))) in
        ["conservative", "balanced", "aggressive"].iter().zip(choose_thresholds(&fit, &fit_probs)).enumerate()
    {
        let (p, r, f) = evaluate(&held, &held_probs, t, profile);
        eprintln!("held-out {name:12} threshold {t:.2}: P {p:.3} R {r:.3} F1 {f:.3} (line-level estimate)");
    }

    let all: Vec<&Page> = pages.iter().collect();
    let model = Model::train(&all);
    let probs: Vec<Vec<f64>> = all.iter().map(|p| model.predict(p)).collect();
    let thresholds = choose_thresholds(&all, &probs);
    for (name, (t, (p, r, f))) in ["conservative", "balanced", "aggressive"].iter().zip(thresholds) {
        eprintln!("all-pages {name:12} threshold {t:.2}: P {p:.3} R {r:.3} F1 {f:.3}");
    }
    let source =
        dir.file_name().map_or_else(|| dir.display().to_string(), |n| format!("eval split `{}`", n.to_string_lossy()));
    // PLAIN=1: the pages are a plain-text copy of a split (scripts/plain_split.py), and the
    // weights are the pack's second model, `[rule.params.plain]`, for text without markdown.
    let plain = std::env::var_os("PLAIN").is_some();
    let text = match std::fs::read_to_string(&out) {
        // An existing pack keeps everything but the weights: its swept thresholds and guards,
        // and the comments that say how they were chosen.
        Ok(existing) if std::env::var_os("FRESH").is_none() => {
            eprintln!("updating the weights in {} (FRESH=1 writes a new pack with proposed thresholds)", out.display());
            update_pack(&existing, &model, lines, pages.len(), plain)
        }
        _ if plain => {
            eprintln!("PLAIN=1 adds plain-text weights to an existing pack: train the markdown weights first");
            std::process::exit(2);
        }
        _ => new_pack(&model, &thresholds, lines, pages.len(), &source),
    };
    let dir_of_out = out.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir_of_out).unwrap();
    std::io::Write::write_all(&mut tmp, text.as_bytes()).unwrap();
    tmp.persist(&out).unwrap();
    eprintln!("wrote {}", out.display());
}

/// `existing` with the model's weights, bias and phrases in place of its own, and the
/// header's line and page counts brought up to date; everything else byte for byte. With
/// `plain`, the weights of `[rule.params.plain]` (made if missing) instead, and the header
/// as it was.
fn update_pack(existing: &str, model: &Model, lines: usize, pages: usize, plain: bool) -> String {
    use toml_edit::{Array, DocumentMut, Value};
    let mut doc: DocumentMut = existing.parse().expect("the existing pack parses");
    let params = scorer_params(&mut doc);
    set(params, "phrases", Value::Array(PHRASES.iter().copied().collect::<Array>()));
    let target = if plain { table(params, "plain") } else { params };
    set(target, "bias", rounded(model.line[0]));
    set_weights(table(target, "weights"), NAMES, &model.line[1..]);
    let context = table(target, "context");
    set(context, "bias", rounded(model.context[0]));
    set_weights(table(context, "weights"), CONTEXT_NAMES, &model.context[1..]);
    if plain {
        return doc.to_string();
    }
    let counts = regex::Regex::new(r"on \d+ lines of \d+ pages").unwrap();
    counts.replace(&doc.to_string(), format!("on {lines} lines of {pages} pages").as_str()).into_owned()
}

/// The table `key` of `parent`, made empty if missing.
fn table<'a>(parent: &'a mut toml_edit::Table, key: &str) -> &'a mut toml_edit::Table {
    parent.entry(key).or_insert_with(toml_edit::table).as_table_mut().expect("a table")
}

/// A new pack: the model, the guards above and the thresholds proposed from the
/// line-level estimate.
fn new_pack(
    model: &Model,
    thresholds: &[(f64, (f64, f64, f64)); 3],
    lines: usize,
    pages: usize,
    source: &str,
) -> String {
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# Written by `cargo run --release --example train_scorer`: logistic regression on {} lines of {} pages\n\
         # ({}), each line weighted by its share of its page's word tokens. Edit the thresholds freely;\n\
         # retrain for the weights.\n",
        lines, pages, source
    );
    toml.push_str(
        "[pack]\nname = \"generic-scorer\"\ndescription = \"Learned line scorer: removes lines that look like chrome on sites without a pack.\"\n\n",
    );
    toml.push_str("[[rule]]\nid = \"line-scorer\"\nkind = \"detector\"\n");
    toml.push_str("why = \"Line and context features (links, length, punctuation, position, neighbours) say it is not article text.\"\n");
    toml.push_str("detector = \"line-scorer\"\n");
    toml.push_str(
        "examples.remove = [\"\"\"\n* [Home](#)\n* [World](#)\n* [Business](#)\n* [Sport](#)\n\n\
         The minister said on Tuesday that the budget, which was delayed by a month, would be published in the spring.\n\n\
         Officials expect the new rules to take effect next year, after a consultation with industry groups and unions.\n\n\
         [Privacy Policy](#) | [Terms of Use](#) | [Contact Us](#)\n\"\"\"]\n\
         examples.keep = [\"\"\"\nThe minister said on Tuesday that the budget, which was delayed by a month, would be published in the spring.\n\n\
         Officials expect the new rules to take effect next year, after a consultation with industry groups and unions.\n\"\"\"]\n\n"
    );
    toml.push_str("[rule.params]\n");
    let _ = writeln!(toml, "bias = {:.4}", model.line[0]);
    let _ = writeln!(toml, "phrases = [{}]", PHRASES.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", "));
    toml.push_str(
        "# Documents with fewer lines (after the pattern rules) are left alone: too little context.\nmin_lines = 5\n\
         # The block guard's blocks (see block_keep_share): a label and its value are one.\nblock_min_lines = 2\n\
         # A page with fewer blank lines than this share of its lines (WET) has no blocks.\nblock_min_blank_share = 0.02\n",
    );
    toml.push_str(
        "\n# Prose lines (this many words, sentence-final punctuation, few links) are kept...\n\
         [rule.params.protect_words]\n",
    );
    for (name, words) in ["conservative", "balanced", "aggressive"].iter().zip(PROTECT_WORDS) {
        let _ = writeln!(toml, "{name} = {words}");
    }
    toml.push_str("\n# ...unless P(content) is below this floor: prose needs stronger evidence than other lines.\n");
    toml.push_str("[rule.params.prose_floor]\n");
    for (name, floor) in ["conservative", "balanced", "aggressive"].iter().zip(PROSE_FLOOR) {
        let _ = writeln!(toml, "{name} = {floor:.2}");
    }
    toml.push_str("\n# Each page's threshold: page_factor × half its best expected F1 (the threshold that\n# maximises it), between threshold_floor and threshold.\n[rule.params.page_factor]\n");
    for (name, factor) in ["conservative", "balanced", "aggressive"].iter().zip(PAGE_FACTOR) {
        let _ = writeln!(toml, "{name} = {factor}");
    }
    toml.push_str("[rule.params.threshold_floor]\n");
    // A floor above the proposed ceiling would not load.
    for ((name, floor), (t, _)) in
        ["conservative", "balanced", "aggressive"].iter().zip(THRESHOLD_FLOOR).zip(thresholds)
    {
        let _ = writeln!(toml, "{name} = {:.2}", floor.min(*t));
    }
    toml.push_str("\n# Pages of fewer scored lines than this get conservative's page threshold.\n");
    toml.push_str("[rule.params.short_page_lines]\n");
    for (name, lines) in ["conservative", "balanced", "aggressive"].iter().zip(SHORT_PAGE_LINES) {
        let _ = writeln!(toml, "{name} = {lines}");
    }
    toml.push_str("\n# The ceiling of each page's threshold, proposed from fixed thresholds: estimated macro\n# P/R/F1 on the training pages with the prose guard (the title guard, the page threshold and\n# bag-of-words scoring not modelled).\n");
    toml.push_str("[rule.params.threshold]\n");
    for (name, (t, (p, r, f))) in ["conservative", "balanced", "aggressive"].iter().zip(thresholds) {
        let _ = writeln!(toml, "{name} = {t:.2}  # P {p:.3} R {r:.3} F1 {f:.3}");
    }
    toml.push_str("\n# Weight of each feature (see src/engine/features.rs); positive = more like content.\n");
    toml.push_str("[rule.params.weights]\n");
    for (name, w) in NAMES.iter().zip(&model.line[1..]) {
        let _ = writeln!(toml, "{name} = {w:.4}");
    }
    toml.push_str("\n# Second stage: the first stage's logits of the line and its neighbours.\n");
    toml.push_str("[rule.params.context]\n");
    let _ = writeln!(toml, "bias = {:.4}", model.context[0]);
    toml.push_str("[rule.params.context.weights]\n");
    for (name, w) in CONTEXT_NAMES.iter().zip(&model.context[1..]) {
        let _ = writeln!(toml, "{name} = {w:.4}");
    }
    // The guards the model does not learn, as shipped (see rules/generic/scorer.toml for
    // how they were measured); the scored tail is added by `train_tail`.
    toml.push_str(
        "\n# The block guard: a dropped line without a link is kept when this share of the other\n\
         # lines of its block (2+ lines between blank lines) are kept: verse, addresses, lists.\n\
         [rule.params.block_keep_share]\n",
    );
    for name in ["conservative", "balanced", "aggressive"] {
        let _ = writeln!(toml, "{name} = {BLOCK_KEEP_SHARE}");
    }
    let (words, floor) = CONTINUATION;
    let _ = write!(
        toml,
        "\n# The continuation guard: a dropped line of prose ({words}+ words) next to kept prose or code is\n\
         # kept unless P(content) is below the floor: a short article's first and last paragraphs.\n\
         [rule.params.continuation]\nwords = {words}\nfloor = {floor}\n"
    );
    let (words, max_lines, floor) = SECTION;
    let _ = write!(
        toml,
        "\n# The section guard: up to {max_lines} dropped short plain lines between a kept heading and kept\n\
         # prose ({words}+ words) are kept unless P(content) is below the floor: an address, a job's details.\n\
         [rule.params.section]\nwords = {words}\nmax_lines = {max_lines}\nfloor = {floor}\n"
    );
    let (words, floor) = CLOSING;
    let _ = write!(
        toml,
        "\n# The closing guard: the dropped line right after the last kept one, plain and sentence-like\n\
         # ({words}+ words), is kept unless P(content) is below the floor: a story's last sentence.\n\
         [rule.params.closing]\nwords = {words}\nfloor = {floor}\n"
    );
    let (words, share) = LONE_PARAGRAPH;
    let _ = write!(
        toml,
        "\n# The lone-paragraph guard: when a page keeps fewer words than this share of its longest\n\
         # dropped paragraph ({words}+ words), that paragraph is kept: an article run into one line.\n\
         [rule.params.lone_paragraph]\nwords = {words}\nshare = {share}\n"
    );
    let _ = write!(
        toml,
        "\n# The series guard: a dropped numbered item is kept when the item before it, at most\n\
         # {SERIES_MAX_GAP} scored lines up, is one less and kept: a list article's later items.\n\
         [rule.params.series]\nmax_gap = {SERIES_MAX_GAP}\n"
    );
    let (min_lines, min_gap) = PAGE_WINDOWS;
    let _ = write!(
        toml,
        "\n# A text of {min_lines}+ scorer lines is cut into pages in the middle of every run of {min_gap}+ lines\n\
         # between lines of page text, and each is scored as the model was trained: one page.\n\
         [rule.params.page_windows]\nmin_lines = {min_lines}\nmin_gap = {min_gap}\n"
    );
    toml.push_str("\n# The scored tail: `cargo run --release --example train_tail` adds it here.\n");
    toml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updating_a_pack_replaces_the_weights_and_keeps_the_rest() {
        let model =
            Model { line: (0..=N).map(|i| i as f64 / 8.0).collect(), context: vec![-0.5; CONTEXT_NAMES.len() + 1] };
        let fresh = new_pack(
            &model,
            &[(0.1, (0.8, 0.99, 0.9)), (0.4, (0.9, 0.97, 0.93)), (0.6, (0.9, 0.95, 0.92))],
            10,
            2,
            "x",
        );
        // A hand-tuned pack: a swept threshold with its comment, an old feature's weight.
        let tuned = fresh
            .replace("balanced = 0.40  #", "balanced = 0.52  # swept with score.py;")
            .replace("[rule.params.weights]\n", "[rule.params.weights]\nretired_feature = 1.0\n");
        let retrained = Model { line: vec![0.25; N + 1], context: vec![1.0; CONTEXT_NAMES.len() + 1] };
        let updated = update_pack(&tuned, &retrained, 99, 3, false);
        assert!(updated.contains("balanced = 0.52  # swept with score.py;"), "{updated}");
        assert!(updated.starts_with(
            "# Written by `cargo run --release --example train_scorer`: logistic regression on 99 lines of 3 pages"
        ));
        assert!(!updated.contains("retired_feature"));
        assert!(updated.contains("\nbias = 0.2500\n") && updated.contains("\nlog_words = 0.2500\n"), "{updated}");
        assert!(updated.contains("\nbias = 1.0000\n") && updated.contains("\nown = 1.0000\n"), "{updated}");
        // Only the weights, biases and counts changed: updating with the first model gives
        // the tuned pack back, but for the header and the retired feature.
        let back = update_pack(&tuned, &model, 10, 2, false);
        assert_eq!(back, tuned.replace("retired_feature = 1.0\n", ""));
    }

    #[test]
    fn plain_weights_go_to_their_own_table_and_leave_the_rest() {
        let model =
            Model { line: (0..=N).map(|i| i as f64 / 8.0).collect(), context: vec![-0.5; CONTEXT_NAMES.len() + 1] };
        let pack = new_pack(&model, &[(0.2, (0.8, 0.99, 0.9)); 3], 10, 2, "x");
        let plain = Model { line: vec![0.25; N + 1], context: vec![1.0; CONTEXT_NAMES.len() + 1] };
        let with_plain = update_pack(&pack, &plain, 99, 3, true);
        // The header and every setting and weight of the markdown model are as they were.
        assert_eq!(with_plain.lines().next(), pack.lines().next());
        let mut settings: toml::Table = with_plain.parse().unwrap();
        let rule = &mut settings["rule"].as_array_mut().unwrap()[0];
        rule["params"].as_table_mut().unwrap().remove("plain").expect("a plain table");
        assert_eq!(settings, pack.parse::<toml::Table>().unwrap());
        let (_, added) = with_plain.split_once("\n[rule.params.plain]\n").expect("a plain table");
        assert!(added.starts_with("bias = 0.2500\n"), "{added}");
        assert!(added.contains("[rule.params.plain.weights]\nlog_words = 0.2500\n"), "{added}");
        assert!(added.contains("[rule.params.plain.context]\nbias = 1.0000\n"), "{added}");
        assert!(added.contains("[rule.params.plain.context.weights]\nown = 1.0000\n"), "{added}");
        // A second training replaces the table's weights rather than adding another.
        let again = update_pack(&with_plain, &model, 99, 3, true);
        assert_eq!(again.matches("[rule.params.plain]").count(), 1);
        assert!(again.contains("[rule.params.plain]\nbias = 0.0000\n"), "{again}");
        // The engine loads it.
        let source = dechrome::rules::PackSource { name: "scorer.toml".into(), text: again };
        dechrome::RuleSet::from_sources(&[source]).unwrap().compile(&[]).unwrap();
    }

    #[test]
    fn a_fresh_pack_has_every_setting_of_the_shipped_one_but_the_tail() {
        let model = Model { line: vec![0.1; N + 1], context: vec![0.1; CONTEXT_NAMES.len() + 1] };
        let fresh = new_pack(&model, &[(0.2, (0.8, 0.99, 0.9)); 3], 10, 2, "x");
        let shipped =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/generic/scorer.toml")).unwrap();
        let keys = |text: &str| {
            let mut doc: toml_edit::DocumentMut = text.parse().unwrap();
            scorer_params(&mut doc).iter().map(|(k, _)| k.to_string()).collect::<std::collections::BTreeSet<_>>()
        };
        let mut expected = keys(&shipped);
        expected.remove("tail"); // train_tail adds it
        expected.remove("plain"); // PLAIN=1 adds it
        assert_eq!(keys(&fresh), expected);
        // And it loads, even with a proposed threshold below the shipped floor.
        let source = dechrome::rules::PackSource { name: "scorer.toml".into(), text: fresh };
        dechrome::RuleSet::from_sources(&[source]).unwrap().compile(&[]).unwrap();
    }
}
