//! Output shards: a file written under a temporary name and renamed when complete (a
//! killed run never leaves a partial file under a final name), or standard output.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::format::{Compression, Encoder};

pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File { encoder: Encoder<BufWriter<tempfile::NamedTempFile>>, path: PathBuf },
}

/// Prefix of temporary files; walks skip them.
pub const TEMP_PREFIX: &str = ".dechrome-";

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout()))
    }

    /// A temporary file beside `path`, compressed by `path`'s extension.
    pub fn file(path: &Path) -> io::Result<Sink> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)?;
        let encoder = Encoder::new(BufWriter::with_capacity(1 << 16, tmp), Compression::of(path))?;
        Ok(Sink::File { encoder, path: path.to_path_buf() })
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(w) => w,
            Sink::File { encoder, .. } => encoder,
        }
    }

    /// Flush, finish compression, and rename into place.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::File { encoder, path } => {
                let tmp = encoder.finish()?.into_inner().map_err(|e| e.into_error())?;
                tmp.persist(&path).map_err(|e| e.error)?;
                Ok(())
            }
        }
    }
}
