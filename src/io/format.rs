//! Formats and compression, picked by file extension (or overridden): plain text,
//! JSONL and Common Crawl WET in; text or JSONL out; `.gz` (every member of a
//! multi-member file) and `.zst` on both sides.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A text file is one document (large ones are cleaned in segments).
    Text,
    /// One JSON object per line (Dolma-style `id`, `text`, `source`, `metadata`).
    Jsonl,
    /// Common Crawl WET (WARC `conversion` records); cleaned to JSONL.
    Wet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// By the file's first bytes (as many as one read gave): gzip's `1f 8b`, zstd's
    /// `28 b5 2f fd`. UTF-8 text never starts with either (`8b` and `b5` continue a
    /// character).
    fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    pub fn of(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz" | "gzip") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

impl Format {
    /// By extension, ignoring a compression suffix: `.jsonl`/`.ndjson`/`.json` → JSONL,
    /// `.wet`/`.warc` → WET, anything else → text.
    pub fn of(path: &Path) -> Format {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        let name =
            name.trim_end_matches(".gz").trim_end_matches(".gzip").trim_end_matches(".zst").trim_end_matches(".zstd");
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") || name.ends_with(".json") {
            Format::Jsonl
        } else if name.ends_with(".wet") || name.ends_with(".warc") {
            Format::Wet
        } else {
            Format::Text
        }
    }

    /// What cleaning this format produces.
    pub fn output(self) -> Format {
        match self {
            Format::Wet => Format::Jsonl,
            f => f,
        }
    }
}

/// Where a mirrored output goes: WET files become JSONL (`x.warc.wet.gz` → `x.jsonl.gz`).
pub fn output_name(rel: &Path, input_format: Format) -> PathBuf {
    if input_format != Format::Wet {
        return rel.to_path_buf();
    }
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let (stem, compression) = match Compression::of(rel) {
        Compression::Gzip => (name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s), ".gz"),
        Compression::Zstd => (name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s), ".zst"),
        Compression::None => (name.as_str(), ""),
    };
    let stem = stem.strip_suffix(".wet").unwrap_or(stem);
    let stem = stem.strip_suffix(".warc").unwrap_or(stem);
    rel.with_file_name(format!("{stem}.jsonl{compression}"))
}

/// Counts the bytes read from the underlying (possibly compressed) file, for progress.
pub struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Open `path` (or stdin for `-`) decompressed by its extension or, when the extension
/// names no compression (always so on stdin), by its first bytes: `zcat`-less pipes and
/// misnamed files work, and no UTF-8 text starts with gzip's or zstd's magic number.
pub fn open_reader(path: &Path, counter: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> =
        if path.as_os_str() == "-" { Box::new(io::stdin()) } else { Box::new(File::open(path)?) };
    let mut buffered = BufReader::with_capacity(1 << 16, CountingReader { inner: raw, count: counter });
    let compression = match Compression::of(path) {
        Compression::None => Compression::sniff(buffered.fill_buf()?),
        named => named,
    };
    Ok(match compression {
        Compression::None => Box::new(buffered),
        // MultiGzDecoder: a plain GzDecoder stops after the first member, silently.
        Compression::Gzip => {
            Box::new(BufReader::with_capacity(1 << 16, flate2::bufread::MultiGzDecoder::new(buffered)))
        }
        Compression::Zstd => {
            Box::new(BufReader::with_capacity(1 << 16, zstd::stream::read::Decoder::with_buffer(buffered)?))
        }
    })
}

/// A compressing writer that must be finished to write its trailer.
pub enum Encoder<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: Write> Encoder<W> {
    pub fn new(inner: W, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Encoder::Plain(inner),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(inner, flate2::Compression::default())),
            Compression::Zstd => Encoder::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    pub fn finish(self) -> io::Result<W> {
        match self {
            Encoder::Plain(w) => Ok(w),
            Encoder::Gzip(e) => e.finish(),
            Encoder::Zstd(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Encoder::Plain(w) => w.write(buf),
            Encoder::Gzip(e) => e.write(buf),
            Encoder::Zstd(e) => e.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.flush(),
            Encoder::Gzip(e) => e.flush(),
            Encoder::Zstd(e) => e.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_output_names_by_extension() {
        assert_eq!(Format::of(Path::new("a/b.jsonl.zst")), Format::Jsonl);
        assert_eq!(Format::of(Path::new("CC-MAIN-1.warc.wet.gz")), Format::Wet);
        assert_eq!(Format::of(Path::new("page.txt")), Format::Text);
        assert_eq!(Compression::of(Path::new("x.jsonl.gz")), Compression::Gzip);
        assert_eq!(output_name(Path::new("d/CC-1.warc.wet.gz"), Format::Wet), PathBuf::from("d/CC-1.jsonl.gz"));
        assert_eq!(output_name(Path::new("x.wet"), Format::Wet), PathBuf::from("x.jsonl"));
        assert_eq!(output_name(Path::new("x.jsonl.zst"), Format::Jsonl), PathBuf::from("x.jsonl.zst"));
    }

    #[test]
    fn compressed_content_is_recognised_when_the_name_does_not_say() {
        let dir = tempfile::tempdir().unwrap();
        let text = "line one\nline two\n";
        let mut gzip = Encoder::new(Vec::new(), Compression::Gzip).unwrap();
        gzip.write_all(text.as_bytes()).unwrap();
        let mut zstd = Encoder::new(Vec::new(), Compression::Zstd).unwrap();
        zstd.write_all(text.as_bytes()).unwrap();
        for (name, bytes) in [
            ("plain.txt", text.as_bytes().to_vec()),
            ("gzip.txt", gzip.finish().unwrap()),
            ("zstd", zstd.finish().unwrap()),
            ("empty.txt", Vec::new()),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, &bytes).unwrap();
            let mut read = String::new();
            open_reader(&path, Arc::default()).unwrap().read_to_string(&mut read).unwrap();
            assert_eq!(read, if bytes.is_empty() { "" } else { text }, "{name}");
        }
    }
}
