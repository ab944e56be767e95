//! Records: what the readers yield and the writers write back. A JSONL record keeps every
//! field as the raw JSON it came in, so only the text field changes on the way out.

use std::io::{BufRead, Read as _, Write};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::buffers::BufferPool;
use super::format::{Format, open_reader};

/// One document and where it came from.
#[derive(Debug)]
pub struct Record {
    pub text: String,
    pub id: Option<RecordId>,
    pub url: Option<String>,
    /// 1-based line of the input where the record starts.
    pub line: u64,
    pub body: Body,
    /// Text (not JSON) whose invalid UTF-8 was replaced with U+FFFD to be cleaned.
    pub replaced: Option<Utf8Replaced>,
}

/// A record's id as its input gives it. JSONL ids are strings or numbers (`"id": 17`);
/// a number stays one in the report and the attribute files, so that a tool joining them
/// to the documents by id finds equal values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RecordId {
    Text(String),
    Number(serde_json::Number),
}

impl Record {
    /// How offsets into this record's text map onto its document in the input.
    pub fn input_map(&self) -> InputMap<'_> {
        let growth = self.replaced.as_ref().map_or(&[][..], |r| &r.growth[..]);
        match &self.body {
            Body::Text(piece) => InputMap {
                document_line: piece.document_line,
                lines_before: piece.lines_before as usize,
                bytes_before: piece.bytes_before as usize,
                growth,
            },
            _ => InputMap { document_line: self.line, lines_before: 0, bytes_before: 0, growth },
        }
    }
}

/// Lines and bytes of a record's text as the input's: a segment's count from its
/// document's start, and a U+FFFD counts as the 1 to 3 invalid bytes it replaced. (A
/// JSONL record's offsets are into its decoded `text` string, which needs neither.)
pub struct InputMap<'r> {
    /// Input line where the record's document starts.
    pub document_line: u64,
    lines_before: usize,
    bytes_before: usize,
    growth: &'r [(usize, usize)],
}

impl InputMap<'_> {
    /// The document's line (0-based, as the engine counts) of the record's line `line`.
    pub fn line(&self, line: usize) -> usize {
        self.lines_before + line
    }

    /// The document's input byte of the record's text byte `at` (a char boundary).
    pub fn byte(&self, at: usize) -> usize {
        let replaced_before = self.growth.partition_point(|&(end, _)| end <= at);
        let gained = replaced_before.checked_sub(1).map_or(0, |i| self.growth[i].1);
        self.bytes_before + at - gained
    }
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            RecordId::Text(s) => f.write_str(s),
            RecordId::Number(n) => write!(f, "{n}"),
        }
    }
}

/// Invalid UTF-8 in a text document or WET record: scrapes carry stray bytes of other
/// encodings, and losing the page for one of them would cost more than the byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utf8Replaced {
    /// 1-based input line of the first invalid byte.
    pub line: u64,
    /// Invalid sequences replaced, each by one U+FFFD (as `String::from_utf8_lossy` does).
    pub sequences: u64,
    /// After each U+FFFD, its end in the decoded text and how many bytes the decoded text
    /// has gained on the input so far (U+FFFD is 3 bytes; it stands for 1 to 3).
    pub growth: Vec<(usize, usize)>,
    /// NUL bytes came with it: binary data, kept as text only in a later segment of a
    /// document (see `decode_text`).
    pub binary: bool,
}

impl Utf8Replaced {
    /// `name:line: …`, for a warning (or an error under `--strict`).
    pub fn describe(&self, name: &str) -> String {
        if self.binary {
            return format!(
                "{name}:{}: binary data (invalid UTF-8 and NUL bytes) inside a text document whose start was \
                 already written: kept, with {} byte sequence(s) replaced by U+FFFD",
                self.line, self.sequences
            );
        }
        format!(
            "{name}:{}: invalid UTF-8, {} byte sequence(s) replaced with U+FFFD (a file in another encoding needs \
             converting first, e.g. `iconv -f windows-1252 -t utf-8`)",
            self.line, self.sequences
        )
    }
}

#[derive(Debug)]
pub enum Body {
    /// A text file, one document of it (`--doc-separator`), or a segment of either.
    Text(TextPiece),
    /// A JSON object with its fields as raw JSON; the text is at `text_path`.
    Json(Object),
    /// A JSON object whose text is `null`: nothing to clean, so it is written back as it
    /// came (an empty text to the engine), and the output keeps every record.
    JsonNullText(Object),
    /// A WET conversion record with its WARC headers in order.
    Wet(Vec<(String, String)>),
}

/// Where a piece of a text file sits in its document.
#[derive(Debug, Clone, Default)]
pub struct TextPiece {
    /// The piece starts a document; `false` for the second and later segments of one.
    pub starts_document: bool,
    /// The piece ends its document; `false` when a segment of it follows.
    pub ends_document: bool,
    /// The separator line (with its line ending) that ended the document, written back
    /// unchanged after the cleaned text.
    pub separator: Option<String>,
    /// Input line where the document starts.
    pub document_line: u64,
    /// The document's lines and input bytes before this piece (0 and 0 for its first), so
    /// that a segment's removals are reported against the whole document.
    pub lines_before: u64,
    pub bytes_before: u64,
}

impl TextPiece {
    /// The first of several segments: the document was cleaned in pieces.
    pub fn first_of_several(&self) -> bool {
        self.starts_document && !self.ends_document
    }

    /// A whole document, not a segment of one.
    pub fn is_whole_document(&self) -> bool {
        self.starts_document && self.ends_document
    }
}

/// How a text file is cut into documents and segments.
#[derive(Clone, Debug)]
pub struct TextSplit {
    /// Documents larger than this are cut at blank lines into segments of about this size.
    pub segment_bytes: usize,
    /// A line that is exactly this (line ending aside) ends a document; without it the
    /// file is one document.
    pub separator: Option<String>,
}

impl TextSplit {
    /// The whole file, or each separated document, as one record however large.
    pub fn whole(separator: Option<String>) -> TextSplit {
        TextSplit { segment_bytes: usize::MAX, separator }
    }
}

/// A bad record: where, and why. `stream_broken`: nothing after it can be read.
#[derive(Debug, Clone, Default)]
pub struct RecordError {
    pub line: u64,
    pub message: String,
    pub stream_broken: bool,
    /// For a piece of a text file: where it sat, so that a whole bad document between
    /// separators can be left out without losing the file's other documents.
    pub text_piece: Option<TextPiece>,
}

/// Which JSON fields hold the text, the id and the URL (dotted paths into nested objects).
#[derive(Clone, Debug)]
pub struct Fields {
    pub text: Vec<String>,
    pub id: Vec<String>,
    pub url: Vec<String>,
    /// Tried when `url` is absent (the default looks in `metadata.url`, then `url`).
    pub url_fallback: Option<Vec<String>>,
}

impl Default for Fields {
    fn default() -> Self {
        Fields::new("text", "id", None)
    }
}

impl Fields {
    /// `url: None` means the default: `metadata.url`, else `url`.
    pub fn new(text: &str, id: &str, url: Option<&str>) -> Fields {
        let split = |p: &str| p.split('.').map(str::to_string).collect::<Vec<_>>();
        Fields {
            text: split(text),
            id: split(id),
            url: split(url.unwrap_or("metadata.url")),
            url_fallback: url.is_none().then(|| vec!["url".to_string()]),
        }
    }
}

/// A JSON object as (key, raw value) pairs in input order.
#[derive(Debug, Clone)]
pub struct Object(pub Vec<(String, Box<RawValue>)>);

impl<'de> serde::Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    fields.push((k, v));
                }
                Ok(Object(fields))
            }
        }
        d.deserialize_map(V)
    }
}

impl Object {
    fn get(&self, key: &str) -> Option<&RawValue> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_ref())
    }

    /// The raw value at a dotted path.
    pub fn lookup(&self, path: &[String]) -> Option<Box<RawValue>> {
        let (first, rest) = path.split_first()?;
        let value = self.get(first)?;
        if rest.is_empty() {
            return Some(value.to_owned());
        }
        serde_json::from_str::<Object>(value.get()).ok()?.lookup(rest)
    }

    /// A copy with the value at `path` replaced (objects along the path are rebuilt,
    /// everything else stays raw).
    pub fn replaced(&self, path: &[String], new: &RawValue) -> Object {
        let (first, rest) = path.split_first().expect("non-empty path");
        let mut out = self.clone();
        for (k, v) in out.0.iter_mut().rev() {
            if k == first {
                *v = if rest.is_empty() {
                    new.to_owned()
                } else {
                    let inner = serde_json::from_str::<Object>(v.get()).expect("looked up before");
                    inner.replaced(rest, new).to_raw()
                };
                break;
            }
        }
        out
    }

    pub fn push(&mut self, key: &str, value: Box<RawValue>) {
        self.0.push((key.to_string(), value));
    }

    pub fn write(&self, w: &mut dyn Write) -> std::io::Result<()> {
        w.write_all(b"{")?;
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            serde_json::to_writer(&mut *w, k)?;
            w.write_all(b":")?;
            w.write_all(v.get().as_bytes())?;
        }
        w.write_all(b"}")
    }

    /// The object as one raw JSON value (to nest it in another).
    pub fn to_raw(&self) -> Box<RawValue> {
        let mut buf = Vec::new();
        self.write(&mut buf).expect("writing to memory");
        RawValue::from_string(String::from_utf8(buf).expect("JSON is UTF-8")).expect("valid JSON")
    }
}

/// A JSON string as a raw value.
pub fn raw_string(s: &str) -> Box<RawValue> {
    RawValue::from_string(serde_json::to_string(s).expect("strings serialise")).expect("valid JSON")
}

fn string_at(obj: &Object, path: &[String]) -> Option<String> {
    serde_json::from_str::<String>(obj.lookup(path)?.get()).ok()
}

/// The id at `path`: a string or a number; any other value is no id.
fn id_at(obj: &Object, path: &[String]) -> Option<RecordId> {
    let raw = obj.lookup(path)?;
    match serde_json::from_str::<serde_json::Value>(raw.get()).ok()? {
        serde_json::Value::String(s) => Some(RecordId::Text(s)),
        serde_json::Value::Number(n) => Some(RecordId::Number(n)),
        _ => None,
    }
}

pub type RecordResult = Result<Record, RecordError>;

/// The records of one input, in order.
pub type RecordStream = Box<dyn Iterator<Item = RecordResult> + Send>;

/// Read records of `format` from `reader`. A text file is one document, or one per
/// separator (`split`); documents bigger than `split.segment_bytes` are cut at blank
/// lines into segments of about that size, each cleaned as a document.
/// `spare`: where to take buffers for text segments from (the pipeline gives them back
/// once written).
pub fn records(
    reader: Box<dyn BufRead + Send>,
    format: Format,
    fields: Fields,
    split: &TextSplit,
    spare: Option<Arc<BufferPool>>,
) -> RecordStream {
    match (format, &split.separator) {
        (Format::Text, None) => Box::new(TextSegments {
            reader,
            segment_bytes: split.segment_bytes,
            buf: Vec::new(),
            line: 1,
            bytes_before: 0,
            done: false,
            yielded: false,
            spare,
        }),
        (Format::Text, Some(separator)) => Box::new(SeparatedTexts {
            reader,
            separator: separator.clone().into_bytes(),
            segment_bytes: split.segment_bytes,
            buf: Vec::new(),
            buf_lines: 0,
            line: 1,
            document_line: 1,
            lines_before: 0,
            bytes_before: 0,
            starts_document: true,
            done: false,
        }),
        (Format::Jsonl, _) => {
            Box::new(JsonLines { reader, fields, line: 0, buf: Vec::new(), done: false, first_record: true })
        }
        (Format::Wet, _) => Box::new(WetRecords { reader, line: 0, done: false, resyncing: false }),
    }
}

/// Which record of an input `find_record` takes.
#[derive(Clone, Copy, Debug)]
pub enum Pick<'a> {
    First,
    Id(&'a str),
    /// The record that starts on this (1-based) input line.
    Line(u64),
}

/// The record of `path` (JSONL, WET, or text cut by a separator) that `pick` names, for
/// showing one record alone.
/// Bad records before it are passed over, as `clean` passes over them; `pick` naming a
/// bad record, or none, is an error that says so (`name` is how `path` is shown).
pub fn find_record(
    path: &Path,
    name: &str,
    format: Format,
    fields: Fields,
    split: &TextSplit,
    pick: Pick,
) -> Result<Record, String> {
    let reader = open_reader(path, Arc::default()).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let mut read = 0;
    for result in records(reader, format, fields, split, None) {
        read += 1;
        match (result, pick) {
            (Ok(record), Pick::First) => return Ok(record),
            (Ok(record), Pick::Id(id)) if record.id.as_ref().is_some_and(|r| r.to_string() == id) => return Ok(record),
            (Ok(record), Pick::Line(line)) if record.line == line => return Ok(record),
            (Err(e), Pick::Line(line)) if e.line == line => return Err(format!("{name}:{line}: {}", e.message)),
            (Err(e), _) if e.stream_broken => return Err(format!("{name}:{}: {}", e.line, e.message)),
            _ => {}
        }
    }
    Err(match pick {
        Pick::First => format!("{name}: no records"),
        Pick::Id(id) => format!("{name}: no record has id `{id}` ({} read)", crate::report::plural(read, "record")),
        Pick::Line(line) => format!(
            "{name}: no record starts on line {line} ({} read; `clean --report` gives each record's line)",
            crate::report::plural(read, "record")
        ),
    })
}

fn io_error(line: u64, e: std::io::Error) -> RecordError {
    RecordError { line, message: format!("truncated or corrupt input: {e}"), stream_broken: true, text_piece: None }
}

fn utf8(bytes: Vec<u8>, first_line: u64) -> Result<String, RecordError> {
    String::from_utf8(bytes).map_err(|e| {
        let line = line_of(e.as_bytes(), e.utf8_error().valid_up_to(), first_line);
        RecordError { line, message: "invalid UTF-8".into(), ..RecordError::default() }
    })
}

/// The input line of byte `at` of `bytes`, which start on line `first_line`.
fn line_of(bytes: &[u8], at: usize, first_line: u64) -> u64 {
    first_line + count_lines(&bytes[..at])
}

/// Text to clean (a text document or a WET record's content): invalid UTF-8 is replaced
/// with U+FFFD and said so, unless NUL bytes come with it, which is binary data (an image
/// or PDF in a scrape tree), not text with a stray byte. In a later segment of a text
/// document (`binary_is_bad` false) binary data is replaced all the same: the document's
/// start is written by then, and refusing the rest would cost the whole file.
fn decode_text(
    bytes: Vec<u8>,
    first_line: u64,
    binary_is_bad: bool,
) -> Result<(String, Option<Utf8Replaced>), RecordError> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, None)),
        Err(e) => e,
    };
    let bytes = e.as_bytes();
    let line = line_of(bytes, e.utf8_error().valid_up_to(), first_line);
    let binary = memchr::memchr(0, bytes).is_some();
    if binary && binary_is_bad {
        let message = "binary data (invalid UTF-8 and NUL bytes), not text".into();
        return Err(RecordError { line, message, ..RecordError::default() });
    }
    let mut text = String::with_capacity(bytes.len() + 16);
    let (mut sequences, mut growth, mut gained) = (0, Vec::new(), 0);
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            sequences += 1;
            gained += char::REPLACEMENT_CHARACTER.len_utf8() - chunk.invalid().len();
            growth.push((text.len(), gained));
        }
    }
    Ok((text, Some(Utf8Replaced { line, sequences, growth, binary })))
}

struct TextSegments {
    reader: Box<dyn BufRead + Send>,
    segment_bytes: usize,
    buf: Vec<u8>,
    line: u64,
    /// Input bytes in the segments yielded so far.
    bytes_before: u64,
    done: bool,
    yielded: bool,
    spare: Option<Arc<BufferPool>>,
}

/// At most this many lines go into one segment, however few bytes they hold: the engine
/// keeps some hundred bytes per line, and 4 MiB of blank or one-word lines (4 million of
/// them) once took 700 MB.
pub const MAX_SEGMENT_LINES: usize = 1 << 17;

/// How much of `b` the next segment may take: `segment_bytes`, or less when that many
/// bytes hold more than [`MAX_SEGMENT_LINES`] lines.
fn segment_window(b: &[u8], segment_bytes: usize) -> usize {
    let end = segment_bytes.min(b.len());
    // Fewer bytes than the line limit cannot hold more lines. Counting is vectorised;
    // finding the nth line break is not, and is rarely needed.
    if end <= MAX_SEGMENT_LINES || count_lines(&b[..end]) <= MAX_SEGMENT_LINES as u64 {
        return end;
    }
    memchr::memchr_iter(b'\n', &b[..end]).nth(MAX_SEGMENT_LINES - 1).map_or(end, |i| i + 1)
}

/// How long the first segment of `b` is: all of it when it fits in `segment_bytes` and
/// [`MAX_SEGMENT_LINES`] lines, else up to a cut made as text files are cut. For records
/// (JSONL, WET) too big to clean whole.
pub fn first_segment_len(b: &[u8], segment_bytes: usize) -> usize {
    let window = segment_window(b, segment_bytes);
    if window == b.len() { b.len() } else { segment_cut(b, window) }
}

/// Where to cut a segment off the front of `b`: after the last blank line in the second
/// half of the first `segment_bytes`, else after the last line break in them. A line
/// longer than that (a blob, a text without line breaks) is cut after a space in the
/// second half, else between two characters: a text file's segment must not end inside a
/// UTF-8 character (both halves would become U+FFFD), nor grow with the line.
fn segment_cut(b: &[u8], segment_bytes: usize) -> usize {
    let end = segment_bytes.min(b.len());
    let from = end / 2;
    if let Some(i) = memchr::memmem::rfind(&b[from..end], b"\n\n") {
        return from + i + 2;
    }
    if let Some(i) = memchr::memmem::rfind(&b[from..end], b"\n\r\n") {
        return from + i + 3;
    }
    if let Some(i) = memchr::memrchr(b'\n', &b[..end]) {
        return i + 1;
    }
    if let Some(i) = memchr::memrchr(b' ', &b[from..end]) {
        return from + i + 1;
    }
    match char_boundary_at_or_before(b, end) {
        0 => end, // no character starts in the window: not UTF-8, cut anywhere
        cut => cut,
    }
}

/// `end`, or the start of the UTF-8 character of `b` that `end` falls inside.
fn char_boundary_at_or_before(b: &[u8], end: usize) -> usize {
    // A character is at most 4 bytes: its lead byte is among the last 4 before `end`.
    for i in (end.saturating_sub(4)..end).rev() {
        let len = match b[i] {
            0x80..=0xBF => continue, // a continuation byte
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        return if i + len <= end { end } else { i };
    }
    end
}

fn count_lines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

impl Iterator for TextSegments {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        if self.done {
            return None;
        }
        while self.buf.len() < self.segment_bytes {
            let chunk = match self.reader.fill_buf() {
                Ok(c) => c,
                Err(e) => {
                    self.done = true;
                    return Some(Err(io_error(self.line, e)));
                }
            };
            if chunk.is_empty() {
                break;
            }
            let n = chunk.len().min(self.segment_bytes.saturating_sub(self.buf.len()).max(1 << 16));
            self.buf.extend_from_slice(&chunk[..n]);
            self.reader.consume(n);
        }
        let window = segment_window(&self.buf, self.segment_bytes);
        let at_end = self.buf.len() < self.segment_bytes && window == self.buf.len();
        if at_end && self.buf.is_empty() && self.yielded {
            self.done = true;
            return None;
        }
        let cut = if at_end { self.buf.len() } else { segment_cut(&self.buf, window) };
        // A cut that takes all that was read ends the document if the input ends there:
        // the segment is then its last (and the page's tail is judged in it).
        let at_end = at_end || (cut == self.buf.len() && matches!(self.reader.fill_buf(), Ok(rest) if rest.is_empty()));
        let bytes = if cut >= self.buf.capacity() / 4 {
            // The segment leaves in `buf`; what follows the cut (usually a few lines)
            // starts the next buffer, a reused one when the pipeline has given one back.
            let mut next = self.spare.as_ref().and_then(|s| s.take()).unwrap_or_default();
            next.extend_from_slice(&self.buf[cut..]);
            self.buf.truncate(cut);
            std::mem::replace(&mut self.buf, next)
        } else {
            // A short segment (cut at MAX_SEGMENT_LINES, or a big file's last) leaves as a
            // copy: with the whole buffer's capacity, a batch of them would hold many times
            // its text (buffers grow to twice the segment size, hence a quarter).
            self.buf.drain(..cut).collect()
        };
        let first_line = self.line;
        self.line += count_lines(&bytes);
        let piece = TextPiece {
            starts_document: !self.yielded,
            ends_document: at_end,
            separator: None,
            document_line: 1,
            lines_before: first_line - 1,
            bytes_before: self.bytes_before,
        };
        self.bytes_before += bytes.len() as u64;
        self.yielded = true;
        if at_end {
            self.done = true;
        }
        Some(text_record(bytes, first_line, piece))
    }
}

fn text_record(bytes: Vec<u8>, line: u64, piece: TextPiece) -> RecordResult {
    match decode_text(bytes, line, piece.starts_document) {
        Ok((text, replaced)) => Ok(Record { text, id: None, url: None, line, body: Body::Text(piece), replaced }),
        Err(e) => Err(RecordError { text_piece: Some(piece), ..e }),
    }
}

/// The documents of a text file whose lines equal to `separator` end them: read line by
/// line, each document (or segment of a big one) a record, the separator line carried on
/// the record before it so the writer puts it back.
struct SeparatedTexts {
    reader: Box<dyn BufRead + Send>,
    separator: Vec<u8>,
    segment_bytes: usize,
    /// The document read so far, and how many lines it holds.
    buf: Vec<u8>,
    buf_lines: usize,
    /// Input line where `buf` starts.
    line: u64,
    /// Where the document `buf` belongs to starts, and its lines and bytes before `buf`.
    document_line: u64,
    lines_before: u64,
    bytes_before: u64,
    starts_document: bool,
    done: bool,
}

impl SeparatedTexts {
    fn is_separator(&self, line: &[u8]) -> bool {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        line == self.separator.as_slice()
    }

    /// `buf[..end]` as a record; `buf[end..]` starts the next one.
    fn emit(&mut self, end: usize, ends_document: bool, separator: Option<Vec<u8>>) -> RecordResult {
        let rest = self.buf.split_off(end);
        self.buf_lines = count_lines(&rest) as usize;
        let bytes = std::mem::replace(&mut self.buf, rest);
        let line = self.line;
        let lines = count_lines(&bytes);
        self.line += lines + u64::from(separator.is_some());
        let starts_document = std::mem::replace(&mut self.starts_document, ends_document);
        if starts_document {
            (self.document_line, self.lines_before, self.bytes_before) = (line, 0, 0);
        }
        let piece = TextPiece {
            starts_document,
            ends_document,
            // The separator matched the (UTF-8) option's bytes, line ending aside.
            separator: separator.map(|s| String::from_utf8(s).expect("a separator line is UTF-8")),
            document_line: self.document_line,
            lines_before: self.lines_before,
            bytes_before: self.bytes_before,
        };
        self.lines_before += lines;
        self.bytes_before += bytes.len() as u64;
        text_record(bytes, line, piece)
    }
}

impl Iterator for SeparatedTexts {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        if self.done {
            return None;
        }
        loop {
            if self.buf.len() >= self.segment_bytes || self.buf_lines > MAX_SEGMENT_LINES {
                let cut = segment_cut(&self.buf, segment_window(&self.buf, self.segment_bytes));
                return Some(self.emit(cut, false, None));
            }
            let start = self.buf.len();
            self.buf_lines += 1;
            match self.reader.read_until(b'\n', &mut self.buf) {
                Err(e) => {
                    self.done = true;
                    return Some(Err(io_error(self.line + count_lines(&self.buf), e)));
                }
                Ok(0) => {
                    self.done = true;
                    // Nothing after the last separator is no document (an empty file is one).
                    if self.buf.is_empty() && self.starts_document && self.line > 1 {
                        return None;
                    }
                    return Some(self.emit(self.buf.len(), true, None));
                }
                Ok(_) if self.is_separator(&self.buf[start..]) => {
                    let separator = self.buf.split_off(start);
                    return Some(self.emit(start, true, Some(separator)));
                }
                Ok(_) => {}
            }
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

struct JsonLines {
    reader: Box<dyn BufRead + Send>,
    fields: Fields,
    line: u64,
    buf: Vec<u8>,
    done: bool,
    /// No record read yet: a file that opens with `[` is one JSON array, not JSON Lines.
    first_record: bool,
}

impl JsonLines {
    fn parse(&self, bytes: Vec<u8>) -> RecordResult {
        let line = self.line;
        let bad = |message: String| RecordError { line, message, ..RecordError::default() };
        let text = utf8(bytes, line)?;
        let obj: Object = serde_json::from_str(text.trim_end()).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let path = self.fields.text.join(".");
        let raw = obj.lookup(&self.fields.text).ok_or_else(|| bad(format!("no `{path}` field")))?;
        let doc: Option<String> = serde_json::from_str(raw.get())
            .map_err(|_| bad(format!("`{path}` is not a string: {}", short(raw.get()))))?;
        let url = string_at(&obj, &self.fields.url)
            .or_else(|| self.fields.url_fallback.as_ref().and_then(|p| string_at(&obj, p)));
        let id = id_at(&obj, &self.fields.id);
        let (text, body) = match doc {
            Some(text) => (text, Body::Json(obj)),
            None => (String::new(), Body::JsonNullText(obj)),
        };
        Ok(Record { text, id, url, line, body, replaced: None })
    }
}

fn short(s: &str) -> String {
    if s.len() <= 40 { s.to_string() } else { format!("{}…", &s[..s.floor_char_boundary(40)]) }
}

impl Iterator for JsonLines {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        while !self.done {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => self.done = true,
                Ok(_) => {
                    self.line += 1;
                    // Editors and tools on Windows start a UTF-8 file with a byte-order
                    // mark; JSON has none, so the first record would not parse.
                    if self.line == 1 && self.buf.starts_with(UTF8_BOM) {
                        self.buf.drain(..UTF8_BOM.len());
                    }
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // Read line by line, an array's inner lines can parse as records on
                    // their own: the file would come out as some of its records.
                    if std::mem::take(&mut self.first_record) && self.buf.trim_ascii_start().starts_with(b"[") {
                        self.done = true;
                        let message = "a JSON array, not JSON Lines (one object per line): convert it first, \
                                       e.g. `jq -c '.[]' FILE > FILE.jsonl`"
                            .into();
                        return Some(Err(RecordError {
                            line: self.line,
                            message,
                            stream_broken: true,
                            text_piece: None,
                        }));
                    }
                    let bytes = std::mem::take(&mut self.buf);
                    return Some(self.parse(bytes));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(io_error(self.line + 1, e)));
                }
            }
        }
        None
    }
}

/// WET conversion records are text of at most a few MB; anything far larger is corrupt.
const MAX_WARC_RECORD: usize = 1 << 30;

struct WetRecords {
    reader: Box<dyn BufRead + Send>,
    line: u64,
    done: bool,
    /// A bad record was reported: what follows, up to the next `WARC/` line, is skipped
    /// without another error.
    resyncing: bool,
}

impl WetRecords {
    fn read_line(&mut self, buf: &mut Vec<u8>) -> Result<usize, RecordError> {
        buf.clear();
        let n = self.reader.read_until(b'\n', buf).map_err(|e| io_error(self.line + 1, e))?;
        if n > 0 {
            self.line += 1;
        }
        Ok(n)
    }

    fn broken(&mut self, line: u64, message: String) -> Option<RecordResult> {
        self.done = true;
        Some(Err(RecordError { line, message, stream_broken: true, text_piece: None }))
    }

    /// A bad record whose end cannot be trusted: reported, and reading goes on at the next
    /// line that starts a record (`WARC/…`), so one bad length costs one record, not the
    /// rest of the file.
    fn resync(&mut self, line: u64, message: String) -> Option<RecordResult> {
        self.resyncing = true;
        Some(Err(RecordError { line, message, ..RecordError::default() }))
    }
}

impl Iterator for WetRecords {
    type Item = RecordResult;

    fn next(&mut self) -> Option<RecordResult> {
        let mut buf = Vec::new();
        while !self.done {
            // Version line, after any blank lines between records.
            loop {
                match self.read_line(&mut buf) {
                    Ok(0) => {
                        self.done = true;
                        return None;
                    }
                    Ok(_) if buf.starts_with(b"WARC/") => break,
                    Ok(_) if self.resyncing || buf.iter().all(u8::is_ascii_whitespace) => continue,
                    Ok(_) => {
                        let found = short(&String::from_utf8_lossy(&buf));
                        let message = format!("expected a WARC version line, found {found:?}; skipped to the next one");
                        return self.resync(self.line, message);
                    }
                    Err(e) => return self.broken(e.line, e.message),
                }
            }
            self.resyncing = false;
            let start = self.line;
            // Headers as a map: new fields appear over the years, so none is read by position.
            let mut headers: Vec<(String, String)> = Vec::new();
            loop {
                match self.read_line(&mut buf) {
                    Ok(0) => return self.broken(self.line, "truncated WARC headers".into()),
                    Ok(_) if buf.iter().all(u8::is_ascii_whitespace) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&buf);
                        match text.split_once(':') {
                            Some((k, v)) => headers.push((k.trim().to_string(), v.trim().to_string())),
                            None => {
                                let message = format!("bad WARC header line {:?}", short(text.trim_end()));
                                return self.resync(self.line, message);
                            }
                        }
                    }
                    Err(e) => return self.broken(e.line, e.message),
                }
            }
            let header =
                |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
            let Some(length) = header("Content-Length").and_then(|v| v.parse::<usize>().ok()) else {
                return self.resync(start, "WARC record without a valid Content-Length".into());
            };
            if length > MAX_WARC_RECORD {
                // A corrupt length must not turn into a huge allocation.
                return self.resync(start, format!("WARC Content-Length {length} exceeds {MAX_WARC_RECORD} bytes"));
            }
            let mut content = vec![0u8; length];
            if let Err(e) = self.reader.read_exact(&mut content) {
                return self.broken(start, format!("truncated WARC record: {e}"));
            }
            let content_line = self.line + 1;
            self.line += content.iter().filter(|&&b| b == b'\n').count() as u64;
            // The content is followed by a blank line (CRLF CRLF); anything else means the
            // length was wrong, and the text read is cut or runs into the next record.
            match self.read_line(&mut buf) {
                Ok(n) if n == 0 || buf.iter().all(u8::is_ascii_whitespace) => {}
                Ok(_) => {
                    let message = format!(
                        "WARC Content-Length {length} does not end the record (no blank line after it); skipped to \
                         the next record"
                    );
                    return self.resync(start, message);
                }
                Err(e) => return self.broken(e.line, e.message),
            }
            if !header("WARC-Type").is_some_and(|t| t.eq_ignore_ascii_case("conversion")) {
                continue; // warcinfo and friends are not documents
            }
            let (text, replaced) = match decode_text(content, content_line, true) {
                Ok(decoded) => decoded,
                Err(e) => return Some(Err(e)),
            };
            let url = header("WARC-Target-URI");
            let id = header("WARC-Record-ID").map(RecordId::Text);
            return Some(Ok(Record { text, id, url, line: start, body: Body::Wet(headers), replaced }));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_split(format: Format, input: &[u8], split: TextSplit) -> Vec<RecordResult> {
        records(Box::new(std::io::Cursor::new(input.to_vec())), format, Fields::default(), &split, None).collect()
    }

    fn read(format: Format, input: &[u8], segment_bytes: usize) -> Vec<RecordResult> {
        read_split(format, input, TextSplit { segment_bytes, separator: None })
    }

    /// Each record as (line, text, separator written after it, starts, ends).
    fn separated(input: &str, segment_bytes: usize) -> Vec<(u64, String, Option<String>, bool, bool)> {
        let split = TextSplit { segment_bytes, separator: Some("<|endoftext|>".into()) };
        let pieces = |r: RecordResult| {
            let r = r.unwrap();
            let Body::Text(p) = r.body else { panic!("a text record") };
            (r.line, r.text, p.separator, p.starts_document, p.ends_document)
        };
        read_split(Format::Text, input.as_bytes(), split).into_iter().map(pieces).collect()
    }

    #[test]
    fn a_separator_line_ends_a_document_and_is_carried_for_the_writer() {
        let input = "page one\nline two\n<|endoftext|>\npage two\r\n<|endoftext|>\r\n\
                     not <|endoftext|> alone\n <|endoftext|>\nlast page";
        let sep = |s: &str| Some(s.to_string());
        assert_eq!(
            separated(input, 1 << 20),
            [
                (1, "page one\nline two\n".into(), sep("<|endoftext|>\n"), true, true),
                (4, "page two\r\n".into(), sep("<|endoftext|>\r\n"), true, true),
                // Only a line that is exactly the separator ends a document.
                (6, "not <|endoftext|> alone\n <|endoftext|>\nlast page".into(), None, true, true),
            ]
        );
        // Written back in order, the pieces are the input.
        let rebuilt: String = separated(input, 1 << 20)
            .into_iter()
            .map(|(_, text, separator, ..)| text + separator.as_deref().unwrap_or(""))
            .collect();
        assert_eq!(rebuilt, input);
        // Nothing after a final separator is no document; empty documents between
        // separators are documents; an empty file is one.
        assert_eq!(separated("a\n<|endoftext|>\n", 1 << 20).len(), 1);
        let empty = separated("<|endoftext|>\n<|endoftext|>\nb\n", 1 << 20);
        assert_eq!(empty.iter().map(|p| (p.0, p.1.as_str())).collect::<Vec<_>>(), [(1, ""), (2, ""), (3, "b\n")]);
        assert_eq!(separated("", 1 << 20).len(), 1);
    }

    #[test]
    fn a_separated_document_above_the_segment_size_is_cut_and_marked() {
        let page = "para one line\nstill para one\n\npara two\n\n".repeat(20); // 100 lines
        let input = format!("{page}<|endoftext|>\nshort page\n");
        let pieces = separated(&input, 100);
        assert!(pieces.len() > 5, "{pieces:?}");
        let (first_page, rest) = pieces.split_at(pieces.len() - 1);
        assert!(first_page[0].3 && !first_page[0].4, "the first segment starts the document only");
        assert!(first_page[1..].iter().all(|p| !p.3), "later segments do not start it");
        assert!(first_page.last().unwrap().4 && first_page.last().unwrap().2.is_some());
        assert_eq!(first_page.iter().map(|p| p.1.as_str()).collect::<String>(), page);
        assert_eq!(rest[0], (102, "short page\n".into(), None, true, true));
    }

    #[test]
    fn text_segments_read_into_reused_buffers_are_the_same() {
        let text: String =
            (0..400).map(|i| format!("line {i} of the text\n{}", if i % 7 == 0 { "\n" } else { "" })).collect();
        let texts = |records: Vec<RecordResult>| records.into_iter().map(|r| r.unwrap().text).collect::<Vec<_>>();
        let fresh = texts(read(Format::Text, text.as_bytes(), 256));
        // A pool holding used buffers (with old text in them) that the segments reuse.
        let pool = Arc::new(BufferPool::default());
        for _ in 0..2 {
            let mut used = vec![b'x'; 10];
            used.reserve(BufferPool::MIN_BYTES);
            pool.give(used);
        }
        let stream = records(
            Box::new(std::io::Cursor::new(text.clone().into_bytes())),
            Format::Text,
            Fields::default(),
            &TextSplit { segment_bytes: 256, separator: None },
            Some(pool.clone()),
        );
        let mut reused = Vec::new();
        for record in stream {
            let record = record.unwrap();
            reused.push(record.text.clone());
            pool.give(record.text.into_bytes()); // as the pipeline's writer does
        }
        assert!(fresh.len() > 10);
        assert_eq!(reused, fresh);
        assert_eq!(reused.concat(), text);
    }

    #[test]
    fn jsonl_ids_are_strings_or_numbers_and_a_leading_byte_order_mark_is_skipped() {
        let input = "\u{FEFF}{\"id\":17,\"text\":\"a\"}\n{\"id\":\"x\",\"text\":\"b\"}\n{\"id\":null,\"text\":\"c\"}\n\
                     {\"id\":[1],\"text\":\"d\"}\n{\"text\":\"e\u{FEFF}\"}\n";
        let ids: Vec<_> = read(Format::Jsonl, input.as_bytes(), 1 << 20)
            .into_iter()
            .map(|r| r.map(|r| (r.id.map(|id| serde_json::to_string(&id).unwrap()), r.text)).map_err(|e| e.message))
            .collect();
        let none = None::<String>;
        assert_eq!(
            ids,
            [
                Ok((Some("17".into()), "a".into())),
                Ok((Some("\"x\"".into()), "b".into())),
                Ok((none.clone(), "c".into())),
                Ok((none.clone(), "d".into())),
                Ok((none, "e\u{FEFF}".into())),
            ]
        );
        assert_eq!(RecordId::Number(17.into()).to_string(), "17");
    }

    #[test]
    fn a_json_array_is_refused_whole_not_read_as_some_of_its_lines() {
        let array = read(Format::Jsonl, b"\n[\n {\"text\":\"a\"},\n {\"text\":\"b\"}\n]\n", 1 << 20);
        assert_eq!(array.len(), 1, "nothing after the error");
        let error = array[0].as_ref().expect_err("an array is not JSON Lines");
        assert!(error.message.starts_with("a JSON array") && error.stream_broken && error.line == 2, "{error:?}");
        // A later line starting with `[` is just a bad record.
        let later = read(Format::Jsonl, b"{\"text\":\"a\"}\n[1]\n{\"text\":\"b\"}\n", 1 << 20);
        assert_eq!(later.len(), 3);
        assert!(later[1].as_ref().is_err_and(|e| !e.stream_broken) && later[2].is_ok());
    }

    #[test]
    fn jsonl_keeps_fields_raw_and_finds_nested_url() {
        let recs = read(
            Format::Jsonl,
            b"{\"id\":\"a\",\"n\":1.50,\"text\":\"hi\",\"metadata\":{\"url\":\"https://x.org/\"}}\n\n",
            1 << 20,
        );
        assert_eq!(recs.len(), 1);
        let r = recs[0].as_ref().unwrap();
        assert_eq!(
            (r.text.as_str(), r.id.as_ref(), r.url.as_deref()),
            ("hi", Some(&RecordId::Text("a".into())), Some("https://x.org/"))
        );
        let Body::Json(obj) = &r.body else { panic!() };
        let mut out = Vec::new();
        obj.replaced(&["text".to_string()], &raw_string("bye")).write(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\":\"a\",\"n\":1.50,\"text\":\"bye\",\"metadata\":{\"url\":\"https://x.org/\"}}"
        );
    }

    #[test]
    fn stray_bytes_in_text_are_replaced_and_counted_but_binary_data_is_refused() {
        let text = b"line one\ncaf\xe9 and \xff\xfe twice\nend\n";
        let records = read(Format::Text, text, 1 << 20);
        let record = records[0].as_ref().expect("text with stray bytes is read");
        assert_eq!(record.text, "line one\ncaf\u{FFFD} and \u{FFFD}\u{FFFD} twice\nend\n");
        let growth = vec![(15, 2), (23, 4), (26, 6)]; // each U+FFFD is 3 bytes for 1
        assert_eq!(record.replaced, Some(Utf8Replaced { line: 2, sequences: 3, growth, binary: false }));
        // Offsets into the decoded text map back onto the input's bytes.
        let map = record.input_map();
        let input_at = |needle: &[u8]| text.windows(needle.len()).position(|w| w == needle).unwrap();
        for needle in ["line", "caf", " and", " twice", "end"] {
            assert_eq!(map.byte(record.text.find(needle).unwrap()), input_at(needle.as_bytes()), "{needle}");
        }
        assert_eq!(map.byte(record.text.len()), text.len());
        let clean = read(Format::Text, b"all good\n", 1 << 20);
        assert_eq!(clean[0].as_ref().unwrap().replaced, None);
        // NUL bytes with invalid UTF-8: an image or a PDF, not text.
        let binary = read(Format::Text, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", 1 << 20);
        let error = binary[0].as_ref().expect_err("binary data is a bad record");
        assert!(error.message.starts_with("binary data"), "{}", error.message);
        assert_eq!(error.line, 1);
        // JSON must be UTF-8: a record with a stray byte stays a bad record.
        let jsonl = read(Format::Jsonl, b"{\"text\": \"caf\xe9\"}\n", 1 << 20);
        assert_eq!(jsonl[0].as_ref().expect_err("not UTF-8").message, "invalid UTF-8");
        // A WET record's text is text: replaced, its line counted from the file's start.
        let mut wet = b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 8\r\n\r\nok\ncaf\xe9\n\r\n\r\n".to_vec();
        wet.extend_from_slice(b"WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 3\r\n\r\nok\n\r\n\r\n");
        let records = read(Format::Wet, &wet, 0);
        let first = records[0].as_ref().expect("read");
        assert_eq!(
            (first.text.as_str(), first.replaced.clone()),
            ("ok\ncaf\u{FFFD}\n", Some(Utf8Replaced { line: 6, sequences: 1, growth: vec![(9, 2)], binary: false }))
        );
        assert_eq!(records[1].as_ref().expect("read").text, "ok\n");
    }

    #[test]
    fn bad_json_lines_are_reported_with_their_line_and_the_rest_read() {
        let input = b"{\"text\":\"a\"}\nnot json\n{\"id\":1}\n{\"text\":5}\n{\"text\":null}\n{\"text\":\"b\"}\n";
        let recs = read(Format::Jsonl, input, 1 << 20);
        let summary: Vec<String> = recs
            .iter()
            .map(|r| match r {
                Ok(r) if matches!(r.body, Body::JsonNullText(_)) => format!("null {:?}", r.text),
                Ok(r) => format!("ok {}", r.text),
                Err(e) => format!("{}: {}", e.line, e.message.split(':').next().unwrap()),
            })
            .collect();
        // A null text is no text to clean, not a bad record.
        let expected =
            ["ok a", "2: invalid JSON", "3: no `text` field", "4: `text` is not a string", "null \"\"", "ok b"];
        assert_eq!(summary, expected);
    }

    /// A line longer than a segment is cut at a space, else between two characters (it was
    /// cut at the buffer's end, inside a character: both halves became U+FFFD); and the
    /// last segment ends its document even when the input ends at a cut.
    #[test]
    fn a_line_longer_than_a_segment_is_cut_between_characters() {
        let ends = |r: &RecordResult| matches!(&r.as_ref().unwrap().body, Body::Text(p) if p.ends_document);
        for text in ["a".to_string() + &"é".repeat(500), "a".to_string() + &"日本語 ".repeat(100)] {
            // Read 5 bytes at a time, as a file is read a buffer at a time: what was read
            // when a segment is full ends anywhere.
            let reader = std::io::BufReader::with_capacity(5, std::io::Cursor::new(text.clone().into_bytes()));
            let split = TextSplit { segment_bytes: 64, separator: None };
            let records: Vec<RecordResult> =
                records(Box::new(reader), Format::Text, Fields::default(), &split, None).collect();
            assert!(records.len() > 10, "{}", records.len());
            assert!(records.iter().all(|r| r.as_ref().unwrap().replaced.is_none()), "a character was cut");
            let joined: String = records.iter().map(|r| r.as_ref().unwrap().text.as_str()).collect();
            assert_eq!(joined, text);
            assert!(records.iter().rev().skip(1).all(|r| !ends(r)) && ends(records.last().unwrap()));
        }
        // 128 bytes, cut at 64 and at the end of the input.
        let text = format!("{}\n", "x".repeat(63)).repeat(2);
        let records = read(Format::Text, text.as_bytes(), 64);
        assert_eq!(records.len(), 2);
        assert!(!ends(&records[0]) && ends(&records[1]), "the last segment ends the document");
    }

    /// Texts made of random pieces (short and long lines, blank lines, multi-byte
    /// characters, CRLF), read in random-sized buffers into random-sized segments: the
    /// segments rejoin to the text, none ends inside a character, each has its place in the
    /// document, and only the last ends it.
    #[test]
    fn random_texts_are_segmented_without_loss_at_character_boundaries() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let pieces = ["word ", "日本語", "é", "\n", "\n\n", "\r\n", " ", "x", "ünïcödé ", "🙂"];
        for _ in 0..300 {
            let text: String = (0..next(400)).map(|_| pieces[next(pieces.len())].repeat(1 + next(12))).collect();
            let capacity = 1 + next(40);
            let reader = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(text.clone().into_bytes()));
            let split = TextSplit { segment_bytes: 8 + next(120), separator: None };
            let records: Vec<Record> = records(Box::new(reader), Format::Text, Fields::default(), &split, None)
                .map(|r| r.expect("valid UTF-8 is read"))
                .collect();
            let (mut joined, mut lines) = (String::new(), 0);
            for (k, r) in records.iter().enumerate() {
                assert!(r.replaced.is_none(), "a character was cut (buffer {capacity}, {split:?})");
                let Body::Text(piece) = &r.body else { panic!("a text record") };
                assert_eq!((piece.bytes_before as usize, piece.lines_before), (joined.len(), lines));
                assert_eq!((piece.starts_document, piece.ends_document), (k == 0, k == records.len() - 1));
                joined.push_str(&r.text);
                lines += r.text.matches('\n').count() as u64;
            }
            assert_eq!(joined, text);
        }
        // The same with documents between separator lines: each piece knows its document's
        // first line and its place in it, and text and separators rejoin to the input.
        for _ in 0..300 {
            let text: String = (0..next(400))
                .map(|_| match next(20) {
                    0 => "\n<|endoftext|>\n".to_string(),
                    _ => pieces[next(pieces.len())].repeat(1 + next(12)),
                })
                .collect();
            let reader =
                std::io::BufReader::with_capacity(1 + next(40), std::io::Cursor::new(text.clone().into_bytes()));
            let split = TextSplit { segment_bytes: 8 + next(120), separator: Some("<|endoftext|>".into()) };
            let (mut joined, mut line, mut document) = (String::new(), 1u64, (1u64, 0usize, 0u64));
            for r in records(Box::new(reader), Format::Text, Fields::default(), &split, None) {
                let r = r.expect("valid UTF-8 is read");
                let Body::Text(piece) = &r.body else { panic!("a text record") };
                assert!(r.replaced.is_none(), "a character was cut ({split:?})");
                if piece.starts_document {
                    document = (line, joined.len(), 0);
                }
                let (first_line, start, lines_before) = document;
                assert_eq!(r.line, line);
                assert_eq!(piece.document_line, first_line);
                assert_eq!((piece.bytes_before as usize, piece.lines_before), (joined.len() - start, lines_before));
                let lines = r.text.matches('\n').count() as u64;
                document.2 += lines;
                line += lines;
                joined.push_str(&r.text);
                if let Some(separator) = &piece.separator {
                    joined.push_str(separator);
                    line += 1;
                }
            }
            assert_eq!(joined, text);
        }
    }

    #[test]
    fn big_text_is_cut_at_blank_lines_and_nothing_is_lost() {
        let text = "para one line\nstill para one\n\npara two\n\npara three\n".repeat(50);
        let recs = read(Format::Text, text.as_bytes(), 100);
        assert!(recs.len() > 10);
        let joined: String = recs.iter().map(|r| r.as_ref().unwrap().text.as_str()).collect();
        assert_eq!(joined, text);
        for r in &recs[..recs.len() - 1] {
            assert!(r.as_ref().unwrap().text.ends_with("\n\n"));
        }
        // An empty file is still one (empty) document.
        assert_eq!(read(Format::Text, b"", 100).len(), 1);
    }

    #[test]
    fn segments_of_many_short_lines_are_cut_by_line_count_and_hold_no_spare_capacity() {
        let text = "x\n".repeat(MAX_SEGMENT_LINES * 3 + 10);
        let separated = TextSplit { segment_bytes: 4 << 20, separator: Some("---".into()) };
        for split in [TextSplit { segment_bytes: 4 << 20, separator: None }, separated] {
            let records: Vec<Record> =
                read_split(Format::Text, text.as_bytes(), split.clone()).into_iter().map(Result::unwrap).collect();
            assert_eq!(records.len(), 4, "{split:?}");
            for r in &records {
                assert!(r.text.lines().count() <= MAX_SEGMENT_LINES, "{split:?}");
                // A batch holds segments by their length: their buffers must not be much
                // bigger (a 4 MiB buffer per 256 kB segment once took 700 MB).
                assert!(r.text.capacity() <= 4 * r.text.len() + (64 << 10), "{split:?}: {}", r.text.capacity());
            }
            assert_eq!(records.iter().map(|r| r.text.as_str()).collect::<String>(), text);
            assert_eq!(records[1].line, MAX_SEGMENT_LINES as u64 + 1);
        }
    }

    #[test]
    fn wet_records_by_header_map() {
        let body = "Hello world\nline two\n";
        let wet = format!(
            "WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Length: 4\r\n\r\nabcd\r\n\r\n\
             WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://a.example/x\r\nWARC-New-Field: y\r\n\
             WARC-Record-ID: <urn:uuid:1>\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        );
        let recs = read(Format::Wet, wet.as_bytes(), 0);
        assert_eq!(recs.len(), 1);
        let corrupt = "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: 99999999999\r\n\r\nabc";
        let err = read(Format::Wet, corrupt.as_bytes(), 0).pop().unwrap().unwrap_err();
        assert!(err.message.contains("exceeds") && !err.stream_broken, "{err:?}");
        let r = recs[0].as_ref().unwrap();
        assert_eq!(
            (r.text.as_str(), r.url.as_deref(), r.id.as_ref().map(ToString::to_string).as_deref()),
            (body, Some("https://a.example/x"), Some("<urn:uuid:1>"))
        );
    }

    /// A record whose Content-Length is wrong, or junk between records, costs that record:
    /// reading goes on at the next `WARC/` line (it used to stop the file there, and a
    /// short length passed the record's cut text on as a document).
    #[test]
    fn a_wet_record_with_a_wrong_length_costs_only_itself() {
        let record = |text: &str, length: usize| {
            format!("WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: {length}\r\n\r\n{text}\r\n\r\n")
        };
        let wet = [
            record("first page\n", 11),
            record("second page, its length too short\n", 20),
            "stray bytes\r\nmore of them\r\n".to_string(),
            record("third page\n", 11),
            record("fourth page\n", 12),
        ]
        .concat();
        let summary: Vec<String> = read(Format::Wet, wet.as_bytes(), 0)
            .into_iter()
            .map(|r| match r {
                Ok(r) => r.text,
                Err(e) => format!("{}: {}", e.line, e.message.split(" (").next().unwrap()),
            })
            .collect();
        let expected =
            ["first page\n", "8: WARC Content-Length 20 does not end the record", "third page\n", "fourth page\n"];
        assert_eq!(summary, expected);
        let junk = [record("first page\n", 11), "stray bytes\r\n".to_string(), record("second page\n", 12)].concat();
        let summary: Vec<String> = read(Format::Wet, junk.as_bytes(), 0)
            .into_iter()
            .map(|r| r.map_or_else(|e| format!("{}: {}", e.line, e.message), |r| r.text))
            .collect();
        let skipped = "8: expected a WARC version line, found \"stray bytes\\r\\n\"; skipped to the next one";
        assert_eq!(summary, ["first page\n", skipped, "second page\n"]);
    }
}
