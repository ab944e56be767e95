//! Clean many files in parallel: batches of jobs go to rayon workers, each with its own
//! scratch; file outputs are written by the workers (atomically), while report lines
//! and standard output are written in input order, so the result is the same for any
//! number of threads.

use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use crate::io::{Job, write_atomic};
use crate::report::{DocumentReport, Stats};
use crate::{DocContext, Engine, Scratch};

/// How a run went, and where its problems were.
#[derive(Default, Debug)]
pub struct RunOutcome {
    pub stats: Stats,
    /// One message per failed input (`path: cause`); good inputs are still written.
    pub errors: Vec<String>,
}

pub struct RunOptions<'a> {
    pub url: Option<&'a str>,
    /// Whether to build one JSON report line per document.
    pub report: bool,
}

/// Inputs per batch and thread: enough to keep workers busy, few enough to bound memory.
const BATCH_PER_THREAD: usize = 32;

enum Done {
    Ok { input_len: usize, cleaned: crate::Cleaned, stdout: Option<String>, report: Option<String> },
    Failed(String),
}

/// Run `jobs`; `stdout` receives outputs of jobs without an output path, `report` one
/// JSON line per document, both in input order.
pub fn run(
    engine: &Engine,
    jobs: &[Job],
    options: &RunOptions,
    stdout: &mut dyn Write,
    mut report: Option<&mut dyn Write>,
) -> std::io::Result<RunOutcome> {
    let mut outcome = RunOutcome::default();
    let batch = BATCH_PER_THREAD * rayon::current_num_threads();
    for chunk in jobs.chunks(batch.max(1)) {
        let done: Vec<Done> = chunk
            .par_iter()
            .map_init(Scratch::default, |scratch, job| process(engine, job, options, scratch))
            .collect();
        for d in done {
            match d {
                Done::Ok { input_len, cleaned, stdout: text, report: line } => {
                    outcome.stats.add(engine, input_len, &cleaned);
                    if let Some(text) = text {
                        stdout.write_all(text.as_bytes())?;
                    }
                    if let (Some(w), Some(line)) = (report.as_mut(), line) {
                        w.write_all(line.as_bytes())?;
                        w.write_all(b"\n")?;
                    }
                }
                Done::Failed(message) => {
                    outcome.stats.failed += 1;
                    outcome.errors.push(message);
                }
            }
        }
    }
    stdout.flush()?;
    Ok(outcome)
}

fn process(engine: &Engine, job: &Job, options: &RunOptions, scratch: &mut Scratch) -> Done {
    let name = job.input.display().to_string();
    let text = match read_text(&job.input) {
        Ok(t) => t,
        Err(e) => return Done::Failed(e),
    };
    let path = name.as_str();
    let cleaned = engine.clean_with(&text, DocContext { url: options.url, path: Some(path) }, scratch);
    let report = options.report.then(|| {
        serde_json::to_string(&DocumentReport::new(engine, path, &text, &cleaned)).expect("report serialises")
    });
    let stdout = match &job.output {
        Some(out) => {
            if let Err(e) = write_atomic(out, cleaned.text.as_bytes()) {
                return Done::Failed(format!("{}: cannot write: {e}", out.display()));
            }
            None
        }
        None => Some(cleaned.text.clone()),
    };
    Done::Ok { input_len: text.len(), cleaned, stdout, report }
}

/// Read a UTF-8 text file (`-` is standard input); errors name the file and, for bad
/// UTF-8, the line.
pub fn read_text(path: &Path) -> Result<String, String> {
    let name = path.display();
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
            .map_err(|e| format!("<stdin>: cannot read: {e}"))?;
        buf
    } else {
        std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        let shown = if path.as_os_str() == "-" { "<stdin>".to_string() } else { name.to_string() };
        format!("{shown}:{line}: invalid UTF-8 at byte {at}")
    })
}
