//! Streaming: records are read from the inputs in order, cleaned in parallel batches
//! (rayon, per-worker scratch) and written in input order, one shard at a time. Memory
//! is bounded by the batch size, not the input size; the output is the same for any
//! number of threads.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::decide::{LineScores, ScoredLine};
use crate::engine::scope::host_of;
use crate::io::Job;
use crate::io::buffers::BufferPool;
use crate::io::format::{Format, open_reader};
use crate::io::records::{
    Body, Fields, Object, Record, RecordError, RecordStream, TextPiece, TextSplit, first_segment_len, raw_string,
    records,
};
use crate::io::sink::Sink;
use crate::report::{DocumentReport, SegmentReport, Stats};
use crate::{Cleaned, DocContext, Engine, Scratch};

pub struct RunOptions<'a> {
    /// URL for records that carry none (plain text).
    pub url: Option<&'a str>,
    pub fields: Fields,
    /// How text files are cut into documents (`--doc-separator`) and segments.
    pub text_split: TextSplit,
    /// Build one JSON report line per record.
    pub report: bool,
    /// Drop (or with `mark_only`, flag) records that lose more than this share of bytes.
    pub max_removed: Option<f64>,
    pub mark_only: bool,
    /// A bad record stops the run (and its output is not written).
    pub strict: bool,
    /// Inputs whose output already exists are skipped (outputs are only ever complete).
    pub skip_existing: bool,
    /// Bytes of text per batch: bounds memory.
    pub batch_bytes: usize,
    pub progress: Option<&'a (dyn Fn(&Progress) + Sync)>,
}

impl Default for RunOptions<'_> {
    fn default() -> Self {
        RunOptions {
            url: None,
            fields: Fields::default(),
            text_split: TextSplit { segment_bytes: 1 << 20, separator: None },
            report: false,
            max_removed: None,
            mark_only: false,
            strict: false,
            skip_existing: false,
            batch_bytes: 4 << 20,
            progress: None,
        }
    }
}

/// For progress bars: records done and input bytes read so far (compressed size).
pub struct Progress {
    pub records: u64,
    pub input_bytes: u64,
}

#[derive(Default, Debug, Clone, Serialize)]
pub struct Counts {
    /// Records read: written + dropped + rejected + unwritten.
    pub read: u64,
    pub written: u64,
    /// Good documents of a text file left unwritten because its stream broke after them
    /// (see `bad_text_input`).
    pub unwritten: u64,
    /// Over `--max-removed`.
    pub dropped: u64,
    /// Bad records (not JSON, no text field, invalid UTF-8, truncated stream…).
    pub rejected: u64,
    /// Over `--max-removed` but kept, with a flag (`--mark-only`).
    pub flagged: u64,
    pub inputs_skipped: u64,
    pub inputs_failed: u64,
    /// Of `inputs_failed`, those that could not be opened or read (I/O, not bad data).
    pub inputs_unreadable: u64,
    /// Documents (text files, documents between separators, JSONL and WET records)
    /// cleaned in more than one segment (larger than the segment size or line limit).
    pub segmented_documents: u64,
    /// Text documents and WET records cleaned with invalid UTF-8 replaced by U+FFFD.
    pub utf8_replaced: u64,
    /// JSONL records whose text is `null`, written back unchanged (counted as written).
    pub null_texts: u64,
    /// Documents (records, text documents) with a part written unchanged because the
    /// engine panicked on it: a bug, reported as an error per part (counted as written).
    pub uncleaned: u64,
}

#[derive(Default, Debug, Clone, Serialize)]
pub struct DomainStats {
    pub documents: u64,
    pub bytes_in: u64,
    pub bytes_removed: u64,
    pub hits: HashMap<String, u64>,
}

#[derive(Default, Debug)]
pub struct RunOutcome {
    pub stats: Stats,
    pub counts: Counts,
    pub domains: HashMap<String, DomainStats>,
    /// `path:line: cause`, one per bad record or failed input.
    pub errors: Vec<String>,
    /// `path:line: what`, for records cleaned but not exactly as read (invalid UTF-8).
    pub warnings: Vec<String>,
    /// `--strict` stopped the run at a bad record.
    pub aborted: bool,
}

enum Item {
    /// `segmented`: the cleaner cut this record's text into segments (a huge record).
    /// `failed`: the engine panicked on it (a bug), and `cleaned` is its text unchanged.
    Record {
        input: usize,
        record: Record,
        cleaned: Option<Cleaned>,
        segmented: bool,
        failed: Option<String>,
    },
    Bad {
        input: usize,
        error: RecordError,
    },
    End {
        input: usize,
        failed: Option<String>,
    },
}

/// Outputs of the input being written.
struct Open {
    input: usize,
    out: Sink,
    attributes: Option<Sink>,
}

impl Open {
    /// Writes back the separator line that ended a text piece's document, if it had one
    /// (`--doc-separator`): it stays even when the document is dropped or rejected, so
    /// the output's documents stay aligned with the input's.
    fn write_separator(&mut self, piece: &TextPiece) -> io::Result<()> {
        match &piece.separator {
            Some(separator) => self.out.writer().write_all(separator.as_bytes()),
            None => Ok(()),
        }
    }
}

/// Where bad and dropped records go besides the counts.
pub struct Extra<'a> {
    pub report: Option<&'a mut (dyn Write + Send)>,
    /// Dropped records, as JSON lines (`--rejected`).
    pub rejected: Option<&'a mut (dyn Write + Send)>,
}

/// Runs the three stages concurrently so that reading and writing (file creation,
/// compression) overlap with cleaning: a reader thread cuts the inputs into batches, the
/// calling thread cleans each batch on the current rayon pool, and a writer thread writes
/// the batches in input order. One batch at most waits in each channel, so memory stays
/// bounded by a few batches.
pub fn run(engine: &Engine, jobs: &[Job], options: &RunOptions, extra: Extra) -> io::Result<RunOutcome> {
    let names: &[String] = &jobs.iter().map(|j| display(&j.input)).collect::<Vec<_>>();
    let read_bytes = Arc::new(AtomicU64::new(0));
    // Batches: items in input order, up to `batch_bytes` of text.
    let (to_clean, batches) = mpsc::sync_channel::<Vec<Item>>(1);
    let (to_write, cleaned_batches) = mpsc::sync_channel::<Vec<Item>>(1);
    // Cleaned texts the writer is done with, for the workers to write the next ones
    // into; text segments likewise, for the reader to read the next ones into.
    let spare = &BufferPool::default();
    let spare_inputs = Arc::new(BufferPool::default());
    // Every worker needs a record of each batch: a big text file's segments are as
    // large as a batch, and one segment per batch would leave all workers but one idle.
    let workers = rayon::current_num_threads();
    std::thread::scope(|scope| {
        let reader = {
            let read_bytes = read_bytes.clone();
            let spare_inputs = spare_inputs.clone();
            scope.spawn(move || read_batches(jobs, options, workers, names, read_bytes, spare_inputs, to_clean))
        };
        let shared = Shared { read_bytes: &read_bytes, spare, spare_inputs: &spare_inputs };
        let writer = scope.spawn(move || write_batches(engine, jobs, options, names, extra, shared, cleaned_batches));
        for mut batch in batches {
            batch.par_iter_mut().for_each(|item| {
                if let Item::Record { input, record, cleaned, segmented, failed } = item {
                    let url = record.url.as_deref().or(options.url);
                    // A text file's segment other than its last: more of the document follows.
                    let continues = matches!(&record.body, Body::Text(piece) if !piece.ends_document);
                    let ctx = DocContext { url, path: Some(&names[*input]), continues, first_line: 0 };
                    let result = with_scratch(options.report, |scratch| {
                        if record.text.len() >= BufferPool::MIN_BYTES
                            && let Some(buffer) = spare.take_string()
                        {
                            scratch.recycle(buffer);
                        }
                        clean_record(engine, &record.text, ctx, scratch, options.text_split.segment_bytes)
                    });
                    match result {
                        Ok((done, cut)) => {
                            *cleaned = Some(done);
                            *segmented = cut;
                        }
                        Err(message) => {
                            *cleaned =
                                Some(Cleaned { text: record.text.clone(), removals: Vec::new(), rewrites: Vec::new() });
                            *failed = Some(message);
                        }
                    }
                }
            });
            if to_write.send(batch).is_err() {
                break; // the writer stopped (--strict, or an output error)
            }
        }
        drop(to_write);
        let mut outcome = writer.join().expect("writer thread panicked")?;
        // The reader ends when its inputs do or when the cleaner stops taking batches.
        outcome.counts.inputs_skipped += reader.join().expect("reader thread panicked");
        Ok(outcome)
    })
}

/// [`clean_in_segments`], with a panic in the engine (a bug) caught and returned as its
/// message: the record is then written unchanged and named in an error, so that one record
/// a bug trips over neither stops a run over millions nor goes missing from the output.
/// The scratch buffers are reset, whatever state the panic left them in (the engine itself
/// is immutable while cleaning).
fn clean_record(
    engine: &Engine,
    text: &str,
    ctx: DocContext,
    scratch: &mut Scratch,
    segment_bytes: usize,
) -> Result<(Cleaned, bool), String> {
    let clean = std::panic::AssertUnwindSafe(|| {
        #[cfg(test)]
        tests::panic_if_planted(text);
        clean_in_segments(engine, text, ctx, scratch, segment_bytes)
    });
    std::panic::catch_unwind(clean).map_err(|payload| {
        *scratch = Scratch::default();
        match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
            (Some(message), _) => message.to_string(),
            (_, Some(message)) => message.clone(),
            _ => "a panic without a message".to_string(),
        }
    })
}

/// Clean `text` whole, or, when it is bigger than `segment_bytes` or `MAX_SEGMENT_LINES`
/// lines (a huge JSONL or WET record; text files come in segments already), in segments
/// cut as text files are: the engine keeps some hundred bytes per line, and one record of
/// 20 MB of short lines took 1.6 GB. Removals and rewrites are shifted back onto the whole
/// text's lines and bytes, and so are the scorer's scores when `scratch` records them
/// (then without a page threshold: each segment had its own). Also says whether the text
/// was cut. `explain` calls it too, so that it shows what `clean` did.
pub fn clean_in_segments(
    engine: &Engine,
    text: &str,
    ctx: DocContext,
    scratch: &mut Scratch,
    segment_bytes: usize,
) -> (Cleaned, bool) {
    let first = first_segment_len(text.as_bytes(), segment_bytes);
    if first == text.len() {
        return (engine.clean_with(text, ctx, scratch), false);
    }
    let mut whole = Cleaned { text: String::with_capacity(text.len()), removals: Vec::new(), rewrites: Vec::new() };
    let mut scores = scratch.scores.is_some().then(LineScores::default);
    let (mut start, mut line) = (0, 0);
    while start < text.len() {
        let len = first_segment_len(&text.as_bytes()[start..], segment_bytes);
        // Segments end after a line break, so `start + len` is a character boundary.
        let segment = &text[start..start + len];
        let continues = ctx.continues || start + len < text.len();
        let first_line = ctx.first_line + line;
        let cleaned = engine.clean_with(segment, DocContext { continues, first_line, ..ctx }, scratch);
        whole.text.push_str(&cleaned.text);
        whole.removals.extend(cleaned.removals.into_iter().map(|mut r| {
            r.lines = r.lines.start + line..r.lines.end + line;
            r.bytes = r.bytes.start + start..r.bytes.end + start;
            r.continues_from = r.continues_from.map(|l| l + line);
            r
        }));
        whole.rewrites.extend(cleaned.rewrites.into_iter().map(|mut w| {
            w.line += line;
            w.continues_from = w.continues_from.map(|l| l + line);
            w.bytes = w.bytes.start + start..w.bytes.end + start;
            w
        }));
        scratch.recycle(cleaned.text);
        if let (Some(all), Some(these)) = (scores.as_mut(), scratch.scores.as_ref()) {
            all.lines.extend(these.lines.iter().map(|&s| ScoredLine { line: s.line + line, ..s }));
        }
        line += memchr::memchr_iter(b'\n', segment.as_bytes()).count();
        start += len;
    }
    if scores.is_some() {
        scratch.scores = scores;
    }
    (whole, true)
}

/// What the writer shares with the other stages.
#[derive(Clone, Copy)]
struct Shared<'a> {
    /// Input bytes read so far, for progress.
    read_bytes: &'a AtomicU64,
    spare: &'a BufferPool,
    spare_inputs: &'a BufferPool,
}

/// Run `f` with this worker thread's scratch buffers. They live as long as the thread,
/// not one batch: buffers of megabytes allocated afresh for every batch cost page faults.
fn with_scratch<R>(details: bool, f: impl FnOnce(&mut Scratch) -> R) -> R {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with_borrow_mut(|scratch| {
        scratch.skip_details = !details;
        f(scratch)
    })
}

/// The reader stage: batches of at least `batch_bytes` of text or `workers` records,
/// whichever is more. Returns the number of inputs skipped by `--skip-existing`.
fn read_batches(
    jobs: &[Job],
    options: &RunOptions,
    workers: usize,
    names: &[String],
    read_bytes: Arc<AtomicU64>,
    spare_inputs: Arc<BufferPool>,
    to_clean: mpsc::SyncSender<Vec<Item>>,
) -> u64 {
    let mut skipped = 0;
    let mut pending = jobs.iter().enumerate();
    let mut current: Option<(usize, RecordStream)> = None;
    let mut exhausted = false;
    while !exhausted {
        let mut items: Vec<Item> = Vec::new();
        let (mut bytes, mut texts) = (0, 0);
        while (bytes < options.batch_bytes || texts < workers) && items.len() < 4096 {
            let Some((input, records_iter)) = current.as_mut() else {
                let Some((input, job)) = pending.next() else {
                    exhausted = true;
                    break;
                };
                if options.skip_existing && job.output.as_ref().is_some_and(|o| o.exists()) {
                    skipped += 1;
                    continue;
                }
                match open_reader(&job.input, read_bytes.clone()) {
                    Ok(reader) => {
                        current = Some((
                            input,
                            records(
                                reader,
                                job.format,
                                options.fields.clone(),
                                &options.text_split,
                                Some(spare_inputs.clone()),
                            ),
                        ))
                    }
                    Err(e) => {
                        items.push(Item::End { input, failed: Some(format!("{}: cannot read: {e}", names[input])) })
                    }
                }
                continue;
            };
            let input = *input;
            match records_iter.next() {
                Some(Ok(record)) => {
                    bytes += record.text.len() + 64;
                    texts += 1;
                    items.push(Item::Record { input, record, cleaned: None, segmented: false, failed: None });
                }
                Some(Err(error)) => items.push(Item::Bad { input, error }),
                None => {
                    items.push(Item::End { input, failed: None });
                    current = None;
                }
            }
        }
        if !items.is_empty() && to_clean.send(items).is_err() {
            break;
        }
    }
    skipped
}

/// The writer stage: cleaned batches, in input order, into their outputs, the report and
/// the statistics.
fn write_batches(
    engine: &Engine,
    jobs: &[Job],
    options: &RunOptions,
    names: &[String],
    mut extra: Extra,
    shared: Shared,
    cleaned_batches: mpsc::Receiver<Vec<Item>>,
) -> io::Result<RunOutcome> {
    let mut outcome = RunOutcome::default();
    let mut open: Option<Open> = None;
    // A text input that is binary data, or whose stream breaks, is not written at all: a
    // partial output would pass for a cleaned one (and --skip-existing would skip it).
    let mut bad_text_input: Option<usize> = None;
    // The input being written, and `counts.written` when its first record came: what to
    // take back if the input ends up unwritten.
    let mut current_input: Option<(usize, u64)> = None;
    // Whether the current document was counted as rejected, and its invalid UTF-8 counted:
    // the summary counts documents, not the segments a text document is cleaned in.
    let mut document_rejected = false;
    let mut replaced_counted = false;
    let mut uncleaned_counted = false;
    for batch in cleaned_batches {
        for item in batch {
            match item {
                Item::Record { input, record, cleaned, segmented, failed } => {
                    if current_input.is_none_or(|(i, _)| i != input) {
                        current_input = Some((input, outcome.counts.written));
                    }
                    let cleaned = cleaned.expect("cleaned above");
                    let new_document = starts_document(&record);
                    replaced_counted &= !new_document;
                    uncleaned_counted &= !new_document;
                    document_rejected &= !new_document;
                    if document_rejected {
                        // A later segment of a document rejected at its first (binary data)
                        // goes with it; only the separator that ends it stays.
                        if let Body::Text(piece) = &record.body {
                            write_separator_of(&mut open, jobs, input, piece)?;
                        }
                        continue;
                    }
                    if let Some(r) = &record.replaced {
                        let message = r.describe(&names[input]);
                        if options.strict {
                            outcome.errors.push(message);
                            outcome.aborted = true;
                            return Ok(outcome);
                        }
                        outcome.warnings.push(message);
                        // Once per document, however many of its segments had some.
                        outcome.counts.utf8_replaced += u64::from(!replaced_counted);
                        replaced_counted = true;
                    }
                    if let Some(message) = failed {
                        outcome.errors.push(format!(
                            "{}:{}: internal error, a bug in dechrome (please report it with this record): {message}; \
                             the record was written unchanged",
                            names[input], record.line
                        ));
                        if options.strict {
                            outcome.aborted = true;
                            return Ok(outcome);
                        }
                        // Once per document, however many of its segments failed.
                        outcome.counts.uncleaned += u64::from(!uncleaned_counted);
                        uncleaned_counted = true;
                    }
                    let o = outputs_of(&mut open, jobs, input)?;
                    // A text document comes in segments from the reader; a huge record is cut
                    // by the cleaner.
                    let first_of_several = matches!(&record.body, Body::Text(piece) if piece.first_of_several());
                    outcome.counts.segmented_documents += u64::from(segmented || first_of_several);
                    write_record(
                        engine,
                        &jobs[input],
                        &names[input],
                        o,
                        &record,
                        &cleaned,
                        new_document,
                        options,
                        &mut extra,
                        &mut outcome,
                    )?;
                    shared.spare.give(cleaned.text.into_bytes());
                    shared.spare_inputs.give(record.text.into_bytes());
                }
                Item::Bad { input, error } => {
                    // A text piece is refused only at a document's start (binary data in a
                    // later segment is kept, see `decode_text`): the document is rejected,
                    // and its later segments go with it (above).
                    outcome.counts.read += 1;
                    outcome.counts.rejected += 1;
                    outcome.errors.push(format!("{}:{}: {}", names[input], error.line, error.message));
                    document_rejected = true;
                    if options.strict {
                        outcome.aborted = true;
                        return Ok(outcome); // the open sink is dropped: its temporary file goes
                    }
                    // A bad document between separators is left out, its separator kept; a
                    // binary file, or text whose stream breaks, is not written at all.
                    match error.text_piece {
                        Some(piece) if options.text_split.separator.is_some() => {
                            write_separator_of(&mut open, jobs, input, &piece)?;
                        }
                        _ if jobs[input].format == Format::Text => bad_text_input = Some(input),
                        _ => {}
                    }
                }
                Item::End { input, failed } => {
                    if let Some(message) = failed {
                        outcome.counts.inputs_failed += 1;
                        outcome.counts.inputs_unreadable += 1;
                        outcome.errors.push(message);
                        continue;
                    }
                    if bad_text_input == Some(input) {
                        outcome.counts.inputs_failed += 1;
                        // Its good documents were counted as written; none of them is.
                        if let Some((i, written_before)) = current_input
                            && i == input
                        {
                            let good = outcome.counts.written - written_before;
                            outcome.counts.written = written_before;
                            outcome.counts.unwritten += good;
                            if good > 0 {
                                outcome.errors.push(format!(
                                    "{}: not written, for the bad data above: an output cut short there would \
                                     pass for a complete one; {good} good document(s) of the file went with it",
                                    names[input]
                                ));
                            }
                        }
                        if open.as_ref().is_some_and(|o| o.input == input) {
                            open = None; // dropping the sink removes its temporary file
                        }
                        continue;
                    }
                    let o = match open.take() {
                        Some(o) if o.input == input => o,
                        _ => open_outputs(&jobs[input], input)?, // no records: an empty shard
                    };
                    o.out.finish()?;
                    if let Some(a) = o.attributes {
                        a.finish()?;
                    }
                }
            }
        }
        if let Some(report) = options.progress {
            report(&Progress { records: outcome.counts.read, input_bytes: shared.read_bytes.load(Ordering::Relaxed) });
        }
    }
    if let Some(r) = extra.report.as_mut() {
        r.flush()?;
    }
    Ok(outcome)
}

fn display(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" { "<stdin>".to_string() } else { path.display().to_string() }
}

/// Writes back the separator of a document that is not written itself, opening the
/// input's outputs only if there is one: a rejected text without separators writes
/// nothing, and must not fail on an output it never needed.
fn write_separator_of(open: &mut Option<Open>, jobs: &[Job], input: usize, piece: &TextPiece) -> io::Result<()> {
    if piece.separator.is_some() {
        outputs_of(open, jobs, input)?.write_separator(piece)?;
    }
    Ok(())
}

/// The open outputs of `input`, opened now if another input's (finished) were open.
fn outputs_of<'a>(open: &'a mut Option<Open>, jobs: &[Job], input: usize) -> io::Result<&'a mut Open> {
    if open.as_ref().is_none_or(|o| o.input != input) {
        *open = Some(open_outputs(&jobs[input], input)?);
    }
    Ok(open.as_mut().expect("opened above"))
}

fn open_outputs(job: &Job, input: usize) -> io::Result<Open> {
    let with_path = |p: &std::path::Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", p.display()));
    let out = match &job.output {
        Some(p) => Sink::file(p).map_err(|e| with_path(p, e))?,
        None => Sink::stdout(),
    };
    let attributes = match &job.attributes {
        Some(p) => Some(Sink::file(p).map_err(|e| with_path(p, e))?),
        None => None,
    };
    Ok(Open { input, out, attributes })
}

#[allow(clippy::too_many_arguments)]
fn write_record(
    engine: &Engine,
    job: &Job,
    name: &str,
    o: &mut Open,
    record: &Record,
    cleaned: &Cleaned,
    new_document: bool,
    options: &RunOptions,
    extra: &mut Extra,
    outcome: &mut RunOutcome,
) -> io::Result<()> {
    let count = u64::from(new_document);
    outcome.counts.read += count;
    outcome.counts.null_texts += u64::from(matches!(record.body, Body::JsonNullText(_)));
    let bytes_in = record.text.len();
    let removed_share = if bytes_in == 0 { 0.0 } else { 1.0 - cleaned.text.len() as f64 / bytes_in as f64 };
    // A segment of a text document is not a page: dropping one would leave a hole in it.
    let whole = !matches!(&record.body, Body::Text(piece) if !piece.is_whole_document());
    let over = whole && options.max_removed.is_some_and(|max| removed_share > max);
    let host = record.url.as_deref().or(options.url).and_then(host_of);
    outcome.stats.add(engine, bytes_in, cleaned, new_document);
    if let Some(host) = host {
        let d = outcome.domains.entry(host).or_default();
        d.documents += count;
        d.bytes_in += bytes_in as u64;
        d.bytes_removed += bytes_in.saturating_sub(cleaned.text.len()) as u64;
        for (r, _) in cleaned.removal_hits().filter(|&(_, hit)| hit) {
            *d.hits.entry(engine.rules[r.rule as usize].id.clone()).or_default() += 1;
        }
    }
    if let Some(report) = extra.report.as_mut() {
        let map = record.input_map();
        let mut doc = DocumentReport::new(engine, name, &record.text, &map, cleaned);
        doc.id = record.id.as_ref();
        doc.line = Some(map.document_line);
        if let Body::Text(piece) = &record.body
            && !piece.is_whole_document()
        {
            let lines = record.text.lines().count();
            doc.segment = Some(SegmentReport {
                lines: [map.line(0) + 1, map.line(lines)],
                bytes: [map.byte(0), map.byte(record.text.len())],
            });
        }
        serde_json::to_writer(&mut **report, &doc)?;
        report.write_all(b"\n")?;
    }
    if over && !options.mark_only {
        outcome.counts.dropped += count;
        if let Some(w) = extra.rejected.as_mut() {
            write_json_record(&mut **w, record, name, &record.text, options, None)?;
        }
    } else {
        if over {
            outcome.counts.flagged += count;
        }
        let flag = over.then_some(removed_share);
        match job.format.output() {
            Format::Text => o.out.writer().write_all(cleaned.text.as_bytes())?,
            _ => write_json_record(o.out.writer(), record, name, &cleaned.text, options, flag)?,
        }
        if let Some(a) = o.attributes.as_mut() {
            write_attributes(a.writer(), engine, record, name, cleaned)?;
        }
        outcome.counts.written += count;
    }
    // Even when the document was dropped.
    if let Body::Text(piece) = &record.body {
        o.write_separator(piece)?;
    }
    Ok(())
}

/// Whether the record begins a document: every JSONL and WET record, and the first
/// segment of a text document (later segments belong to the same one).
fn starts_document(record: &Record) -> bool {
    !matches!(&record.body, Body::Text(piece) if !piece.starts_document)
}

/// A JSONL line for a record with `text` in place of its text: the original object for
/// JSONL input, a Dolma-style record for WET and text input (a text document's id is
/// `NAME:LINE`, the input's name and the line it starts on, as in attribute files).
fn write_json_record(
    w: &mut dyn Write,
    record: &Record,
    name: &str,
    text: &str,
    options: &RunOptions,
    flag: Option<f64>,
) -> io::Result<()> {
    let mut obj = match &record.body {
        Body::Json(obj) => obj.replaced(&options.fields.text, &raw_string(text)),
        Body::JsonNullText(obj) => obj.clone(),
        Body::Wet(headers) => {
            let mut warc = Object(Vec::new());
            for (k, v) in headers {
                warc.push(k, raw_string(v));
            }
            let mut meta = Object(Vec::new());
            meta.push("url", raw_string(record.url.as_deref().unwrap_or_default()));
            meta.push("warc_headers", warc.to_raw());
            let mut o = Object(Vec::new());
            o.push("id", raw_string(&record.id.as_ref().map(ToString::to_string).unwrap_or_default()));
            o.push("text", raw_string(text));
            o.push("source", raw_string("common-crawl"));
            o.push("metadata", meta.to_raw());
            o
        }
        Body::Text(_) => {
            let mut o = Object(Vec::new());
            o.push("id", raw_string(&id_from_place(name, record)));
            o.push("text", raw_string(text));
            o
        }
    };
    if let Some(share) = flag {
        let raw =
            serde_json::value::to_raw_value(&serde_json::json!({"removed_share": share, "over_max_removed": true}))?;
        obj.push("dechrome", raw);
    }
    obj.write(w)?;
    w.write_all(b"\n")
}

/// The id of a record that has none (a text document, a JSONL record without one): the
/// input's name and the line the record (or the text document it is a segment of) starts on.
fn id_from_place(name: &str, record: &Record) -> String {
    format!("{name}:{}", record.input_map().document_line)
}

/// A Dolma span: start and end byte offsets and a score.
type Span = (usize, usize, f64);

/// A Dolma attribute line: `{"id", "attributes": {"dechrome__<rule>": [[start, end, 1.0], …]}}`
/// with byte offsets into the input text.
fn write_attributes(
    w: &mut dyn Write,
    engine: &Engine,
    record: &Record,
    name: &str,
    cleaned: &Cleaned,
) -> io::Result<()> {
    // Attribute name → spans, in first-seen order.
    let mut spans: Vec<(String, Vec<Span>)> = Vec::new();
    let mut add = |rule: &str, start: usize, end: usize| {
        let key = format!("dechrome__{rule}");
        match spans.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push((start, end, 1.0)),
            None => spans.push((key, vec![(start, end, 1.0)])),
        }
    };
    let map = record.input_map();
    for r in &cleaned.removals {
        add(&engine.rules[r.rule as usize].id, map.byte(r.bytes.start), map.byte(r.bytes.end));
    }
    for rw in &cleaned.rewrites {
        add(engine.rewrite_id(rw.by), map.byte(rw.bytes.start), map.byte(rw.bytes.end));
    }
    let attributes: serde_json::Map<String, serde_json::Value> =
        spans.into_iter().map(|(k, v)| (k, serde_json::json!(v))).collect();
    let id = match &record.id {
        Some(id) => serde_json::json!(id),
        None => serde_json::json!(id_from_place(name, record)),
    };
    serde_json::to_writer(&mut *w, &serde_json::json!({"id": id, "attributes": attributes}))?;
    w.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text holding this makes the cleaner panic, standing in for a bug in the engine.
    const PLANTED_PANIC: &str = "\u{1}plant a panic here\u{1}";

    pub(super) fn panic_if_planted(text: &str) {
        assert!(!text.contains(PLANTED_PANIC), "a panic planted by a test");
    }

    /// A record the engine panics on is written unchanged and named in an error; the
    /// records around it are cleaned and written in order. With --strict the run stops
    /// there and the output is not written.
    #[test]
    fn a_panic_on_one_record_loses_no_other_record() {
        let engine = crate::RuleSet::default_rules().unwrap().compile(&[]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        let page = |n: usize| {
            format!(
                "A paragraph of article text, number {n}, that goes on for a while about the council's plans.\n\
                 © 2026 Example News. All rights reserved."
            )
        };
        let planted = format!("{}{PLANTED_PANIC}", page(2));
        let lines: Vec<String> = [page(1), planted.clone(), page(3)]
            .iter()
            .map(|text| serde_json::json!({ "text": text }).to_string())
            .collect();
        std::fs::write(&input, lines.join("\n") + "\n").unwrap();
        let run_with = |strict: bool| {
            let output = dir.path().join(format!("out-{strict}.jsonl"));
            let jobs =
                [Job { input: input.clone(), format: Format::Jsonl, output: Some(output.clone()), attributes: None }];
            let options = RunOptions { strict, ..RunOptions::default() };
            let outcome = run(&engine, &jobs, &options, Extra { report: None, rejected: None }).unwrap();
            (outcome, std::fs::read_to_string(&output).ok())
        };

        let (outcome, written) = run_with(false);
        let texts: Vec<String> = written
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[0].contains("number 1") && !texts[0].contains('©'), "cleaned: {:?}", texts[0]);
        assert_eq!(texts[1], planted, "written unchanged");
        assert!(texts[2].contains("number 3") && !texts[2].contains('©'), "cleaned: {:?}", texts[2]);
        assert_eq!((outcome.counts.written, outcome.counts.uncleaned), (3, 1));
        assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
        let error = &outcome.errors[0];
        assert!(error.contains("in.jsonl:2: internal error") && error.contains("a panic planted by a test"), "{error}");

        let (outcome, written) = run_with(true);
        assert!(outcome.aborted && written.is_none(), "{outcome:?}");
    }

    /// A text document cleaned in segments whose every segment fails is one document
    /// written unchanged, with an error per segment naming its line.
    #[test]
    fn a_document_whose_segments_all_fail_is_counted_once() {
        let engine = crate::RuleSet::default_rules().unwrap().compile(&[]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (input, output) = (dir.path().join("big.txt"), dir.path().join("out.txt"));
        let text = format!("A paragraph of article text {PLANTED_PANIC} that goes on for a while.\n\n").repeat(500);
        std::fs::write(&input, &text).unwrap(); // about 37 kB
        let jobs = [Job { input, format: Format::Text, output: Some(output.clone()), attributes: None }];
        let options =
            RunOptions { text_split: TextSplit { segment_bytes: 10_000, separator: None }, ..RunOptions::default() };
        let outcome = run(&engine, &jobs, &options, Extra { report: None, rejected: None }).unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), text, "written unchanged");
        assert!(outcome.errors.len() >= 3, "an error per segment: {:?}", outcome.errors);
        assert!(outcome.errors.iter().all(|e| e.contains("big.txt:") && e.contains("internal error")));
        assert_eq!((outcome.counts.written, outcome.counts.uncleaned, outcome.counts.segmented_documents), (1, 1, 1));
    }

    /// A text file larger than a batch is cut into segments of about a batch each: every
    /// batch must still hold a segment per worker, or all workers but one sit idle.
    #[test]
    fn batches_hold_a_record_per_worker() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("big.txt");
        let paragraph = "A paragraph of article text that goes on for a while.\n\n";
        std::fs::write(&input, paragraph.repeat(2000)).unwrap(); // 112 kB
        let jobs = [Job { input, format: Format::Text, output: None, attributes: None }];
        let names = [String::from("big.txt")];
        let options = RunOptions {
            text_split: TextSplit { segment_bytes: 10_000, separator: None },
            batch_bytes: 10_000,
            ..RunOptions::default()
        };
        let texts_per_batch = |workers: usize| {
            let (to_clean, batches) = mpsc::sync_channel(100);
            let read = Arc::new(AtomicU64::new(0));
            read_batches(&jobs, &options, workers, &names, read, Arc::default(), to_clean);
            let counts: Vec<usize> = batches
                .iter()
                .map(|batch: Vec<Item>| batch.iter().filter(|i| matches!(i, Item::Record { .. })).count())
                .collect();
            assert_eq!(counts.iter().sum::<usize>(), 12, "112 kB in segments of 10 kB");
            counts
        };
        assert!(texts_per_batch(1).iter().all(|&n| n == 1));
        let by_three = texts_per_batch(3);
        assert!(by_three[..by_three.len() - 1].iter().all(|&n| n == 3), "{by_three:?}");
    }

    /// A segment's last lines are not its document's end: the detectors that cut a page's
    /// tail act only in the last segment (a text file of many pages without separators
    /// lost the start of the page after each segment's end).
    #[test]
    fn only_the_last_segment_has_a_pages_tail() {
        let engine = crate::RuleSet::default_rules().unwrap().compile(&[]).unwrap();
        let prose = "The council voted on Tuesday to close the old bridge to cars from next spring, after \
                     engineers warned the city last year that the steel frame under its deck had corroded.\n\n";
        let comments = "## 2 thoughts on \"Bridge to close\"\n\n\
                        Jane says: about time, it has been shaking for years and nobody listened to us.\n\n";
        let page = format!("{}{comments}", prose.repeat(20));
        let text = page.repeat(2);
        // (paragraphs kept, comments kept, cut in segments)
        let clean = |segment_bytes| {
            let mut scratch = Scratch::default();
            let (cleaned, segmented) =
                clean_in_segments(&engine, &text, DocContext::default(), &mut scratch, segment_bytes);
            (cleaned.text.matches("The council").count(), cleaned.text.matches("Jane says").count(), segmented)
        };
        // Whole, the text is one page: its first comments heading starts its tail.
        assert_eq!(clean(usize::MAX), (20, 0, false));
        // Cut after the first page, that heading ends a segment but not the document, and
        // only the second page's comments (at the document's end) go.
        assert_eq!(clean(page.len()), (40, 1, true));
    }
}
