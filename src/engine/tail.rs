//! The scored tail: where the article ends.
//!
//! The line scorer judges each line with its neighbours, so past the article's end it
//! still keeps lines that read like prose: teasers with a sentence, comments, author boxes,
//! cookie texts. On the dev split, cutting every page after its last content line (known
//! from the labels) would lift balanced's F1 from 0.932 to 0.952, more than any other single
//! change measured.
//! This stage looks for that end: after the scorer has decided, each kept line that follows
//! lines it dropped is a candidate place to cut, described by what is kept before and after
//! it (how sure the scorer was of each side, how much follows, how long the gap is). A
//! logistic model, trained by `examples/train_tail.rs` on the dev labels, gives
//! P(the rest is chrome); the page is cut at the first candidate above the profile's
//! threshold. Everything the scorer kept from there goes, long lines too, but the title
//! and lines a keep rule protects; no cut leaves more than `max_lines` lines after it (that
//! is more pages in one text, not a tail).

/// Names of the candidate features, in vector order (the pack's `tail.weights` keys).
pub const NAMES: [&str; N] = [
    "log_gap_lines",
    "log_gap_words",
    "share_words_before",
    "log_words_after",
    "mean_p_after",
    "max_p_after",
    "mean_p_before",
    "p_here",
    "log_lines_after",
    "log_long_lines_after",
    "log_words_before",
];
pub const N: usize = 11;

/// A kept line of this many words or more counts as long in `log_long_lines_after`.
const LONG_LINE_WORDS: f32 = 30.0;

/// Word counts stop growing here, about a long article's: a linear model must not
/// extrapolate to a text of many pages (where the words before a cut run to millions).
const MAX_WORDS: f32 = 3000.0;

/// One line the scorer judged, in document order.
#[derive(Clone, Copy, Debug)]
pub struct ScorerLine {
    /// P(content).
    pub p: f32,
    pub words: f32,
    /// Kept by the scorer's threshold and guards.
    pub kept: bool,
}

/// What is kept from a line to the end: words, words × P, lines, long lines, highest P.
#[derive(Clone, Copy, Default)]
struct After {
    words: f32,
    weighted_p: f32,
    lines: f32,
    long_lines: f32,
    max_p: f32,
}

/// The places a page could be cut, with their buffers: a cleaning worker keeps one from
/// document to document (a 4 MiB segment has tens of thousands of lines).
#[derive(Default)]
pub struct Candidates {
    after: Vec<After>,
    /// (index into the scorer's lines, features): every kept line with dropped lines right
    /// before it and kept words somewhere before those.
    pub found: Vec<(usize, [f32; N])>,
}

impl Candidates {
    pub fn compute(&mut self, lines: &[ScorerLine]) {
        let Candidates { after, found } = self;
        found.clear();
        after.clear();
        after.resize(lines.len() + 1, After::default());
        for (k, line) in lines.iter().enumerate().rev() {
            let next = after[k + 1];
            after[k] = if line.kept {
                After {
                    words: next.words + line.words,
                    weighted_p: next.weighted_p + line.words * line.p,
                    lines: next.lines + 1.0,
                    long_lines: next.long_lines + (line.words >= LONG_LINE_WORDS) as u8 as f32,
                    max_p: next.max_p.max(line.p),
                }
            } else {
                next
            };
        }
        let total_words = after[0].words.max(1.0);
        let (mut words_before, mut weighted_p_before) = (0.0f32, 0.0f32);
        let (mut gap_lines, mut gap_words) = (0.0f32, 0.0f32);
        for (k, line) in lines.iter().enumerate() {
            if !line.kept {
                gap_lines += 1.0;
                gap_words += line.words;
                continue;
            }
            if gap_lines > 0.0 && words_before > 0.0 {
                let a = after[k];
                found.push((
                    k,
                    [
                        gap_lines.ln_1p(),
                        gap_words.ln_1p(),
                        words_before / total_words,
                        a.words.min(MAX_WORDS).ln_1p(),
                        a.weighted_p / a.words.max(1.0),
                        a.max_p,
                        weighted_p_before / words_before,
                        line.p,
                        a.lines.ln_1p(),
                        a.long_lines.ln_1p(),
                        words_before.min(MAX_WORDS).ln_1p(),
                    ],
                ));
            }
            words_before += line.words;
            weighted_p_before += line.words * line.p;
            gap_lines = 0.0;
            gap_words = 0.0;
        }
    }
}

/// The trained model and the profile's threshold.
#[derive(Clone, Debug)]
pub struct TailModel {
    pub bias: f32,
    pub weights: [f32; N],
    /// P(the rest is chrome) above which the page is cut.
    pub threshold: f32,
    /// A cut leaves at most this many of the scorer's lines after it: more is not one
    /// page's tail but more pages in the same text.
    pub max_lines: usize,
}

/// Where a page is cut, and why.
#[derive(Clone, Copy, Debug)]
pub struct Cut {
    /// Index into the scorer's lines of the first line cut.
    pub from: usize,
    pub p: f32,
    pub contributions: [f32; N],
}

impl TailModel {
    /// The first candidate whose P(the rest is chrome) is above the threshold, of those
    /// with at most `max_lines` of the scorer's `lines` from it to the end.
    pub fn cut(&self, candidates: &[(usize, [f32; N])], lines: usize) -> Option<Cut> {
        let near_the_end = candidates.iter().filter(|(from, _)| lines - from <= self.max_lines);
        near_the_end.into_iter().find_map(|&(from, f)| {
            let mut contributions = [0.0; N];
            let mut z = self.bias;
            for i in 0..N {
                contributions[i] = self.weights[i] * f[i];
                z += contributions[i];
            }
            let p = 1.0 / (1.0 + (-z).exp());
            (p > self.threshold).then_some(Cut { from, p, contributions })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(p: f32, words: f32, kept: bool) -> ScorerLine {
        ScorerLine { p, words, kept }
    }

    #[test]
    fn candidates_follow_a_gap_after_kept_words() {
        let lines = [
            line(0.1, 3.0, false), // menu before anything kept: no candidate after it
            line(0.9, 40.0, true),
            line(0.9, 60.0, true),
            line(0.2, 5.0, false),
            line(0.1, 2.0, false),
            line(0.6, 20.0, true), // candidate: gap of 2 lines, 7 words
            line(0.7, 30.0, true),
        ];
        let mut candidates = Candidates::default();
        candidates.compute(&lines);
        assert_eq!(candidates.found.len(), 1);
        let (k, f) = candidates.found[0];
        assert_eq!(k, 5);
        let get = |name: &str| f[NAMES.iter().position(|n| *n == name).unwrap()];
        assert!((get("log_gap_lines") - 2f32.ln_1p()).abs() < 1e-6);
        assert!((get("log_gap_words") - 7f32.ln_1p()).abs() < 1e-6);
        assert!((get("share_words_before") - 100.0 / 150.0).abs() < 1e-6);
        assert!((get("mean_p_after") - (0.6 * 20.0 + 0.7 * 30.0) / 50.0).abs() < 1e-6);
        assert!((get("max_p_after") - 0.7).abs() < 1e-6);
        assert!((get("mean_p_before") - 0.9).abs() < 1e-6);
        assert!((get("log_long_lines_after") - 1f32.ln_1p()).abs() < 1e-6);
        assert!((get("p_here") - 0.6).abs() < 1e-6);
    }

    #[test]
    fn the_first_candidate_above_the_threshold_is_the_cut() {
        let mut weights = [0.0; N];
        weights[NAMES.iter().position(|n| *n == "p_here").unwrap()] = -10.0;
        let model = TailModel { bias: 5.0, weights, threshold: 0.5, max_lines: 10 };
        let f = |p: f32| {
            let mut f = [0.0; N];
            f[7] = p;
            f
        };
        // P(rest is chrome) = σ(5 − 10p): above 0.5 only where p < 0.5.
        let candidates = [(3, f(0.9)), (8, f(0.3)), (12, f(0.1))];
        let cut = model.cut(&candidates, 15).expect("a cut");
        assert_eq!(cut.from, 8);
        assert!((cut.p - 1.0 / (1.0 + (-2.0f32).exp())).abs() < 1e-6);
        assert!(model.cut(&[(3, f(0.9))], 15).is_none());
        // With 19 lines, line 8 has 11 after it: more than `max_lines`.
        assert_eq!(model.cut(&candidates, 19).expect("a cut").from, 12);
    }
}
