//! Output shards: a file written under a temporary name and renamed when complete (a
//! killed run never leaves a partial file under a final name), or standard output.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::format::{Compression, Encoder};

pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    File {
        encoder: Encoder<BufWriter<Pending>>,
        path: PathBuf,
        _in_flight: InFlight,
    },
    /// An existing device, FIFO or socket (`/dev/null`, `/dev/stdout`, `>(zstd …)`):
    /// written in place. Renaming a temporary file over it would replace the device.
    Special(Encoder<BufWriter<std::fs::File>>),
}

/// A temporary file whose errors name the output it becomes: a full disk said
/// `No space left on device (os error 28) at path ".../.dechrome-iAvN38.tmp"`.
pub struct Pending {
    file: tempfile::NamedTempFile,
    output: PathBuf,
}

impl Pending {
    fn named(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("{}: {e}", self.output.display()))
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_file_mut().write(buf).map_err(|e| self.named(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_file_mut().flush().map_err(|e| self.named(e))
    }
}

/// Prefix of temporary files; walks skip them.
pub const TEMP_PREFIX: &str = ".dechrome-";

/// The temporary files being written, for [`remove_in_flight_and_exit`]: an interrupted run
/// (Ctrl-C) exits without running destructors, which would have deleted them, and a
/// half-written shard of a big corpus is tens of MB of hidden file.
static IN_FLIGHT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file's place in `IN_FLIGHT`, from its creation until it is renamed into
/// place or deleted.
pub struct InFlight(PathBuf);

impl InFlight {
    /// Create a temporary file with `create` and list it, holding the list's lock: a
    /// signal handled between the two would find the file on disk but not in the list.
    fn create(
        create: impl FnOnce() -> io::Result<tempfile::NamedTempFile>,
    ) -> io::Result<(tempfile::NamedTempFile, InFlight)> {
        let mut files = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        let tmp = create()?;
        files.push(tmp.path().to_path_buf());
        let in_flight = InFlight(tmp.path().to_path_buf());
        Ok((tmp, in_flight))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut files = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = files.iter().position(|p| *p == self.0) {
            files.swap_remove(i);
        }
    }
}

/// Delete every temporary file being written, then exit with `code`, holding the list so
/// that no worker registers (and leaves) another in between. For a signal handler.
pub fn remove_in_flight_and_exit(code: i32) -> ! {
    let files = IN_FLIGHT.lock().unwrap_or_else(|e| e.into_inner());
    for path in files.iter() {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code)
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(1 << 16, io::stdout()))
    }

    /// A temporary file beside `path`, compressed by `path`'s extension; or, when `path`
    /// already exists and is not a regular file, `path` itself.
    pub fn file(path: &Path) -> io::Result<Sink> {
        if let Ok(meta) = std::fs::metadata(path)
            && !meta.is_file()
            && !meta.is_dir()
        {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(Sink::Special(Encoder::new(BufWriter::with_capacity(1 << 16, file), Compression::of(path))?));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let temp = || {
            let mut builder = tempfile::Builder::new();
            builder.prefix(TEMP_PREFIX).suffix(".tmp");
            // A temporary file is private (0600) by default; an output is not: created
            // 0666 less the umask, as `File::create` would, so the corpus is readable by
            // whoever reads the input.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
            builder.tempfile_in(dir)
        };
        // The directory usually exists already: create it only when that fails (two
        // system calls fewer per file for a tree of outputs).
        let (tmp, in_flight) = InFlight::create(|| match temp() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir)?;
                temp()
            }
            other => other,
        })?;
        let pending = Pending { file: tmp, output: path.to_path_buf() };
        let encoder = Encoder::new(BufWriter::with_capacity(1 << 16, pending), Compression::of(path))?;
        Ok(Sink::File { encoder, path: path.to_path_buf(), _in_flight: in_flight })
    }

    pub fn writer(&mut self) -> &mut (dyn Write + Send) {
        match self {
            Sink::Stdout(w) => w,
            Sink::File { encoder, .. } => encoder,
            Sink::Special(encoder) => encoder,
        }
    }

    /// Flush, finish compression, and rename into place.
    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Stdout(mut w) => w.flush(),
            Sink::Special(encoder) => encoder.finish()?.flush(),
            Sink::File { encoder, path, _in_flight } => {
                let pending = encoder.finish()?.into_inner().map_err(|e| e.into_error())?;
                pending.file.persist(&path).map_err(|e| {
                    io::Error::new(e.error.kind(), format!("{}: cannot rename into place: {}", path.display(), e.error))
                })?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_and_devices_are_written_in_place_not_replaced() {
        // Renaming a temporary file over `--report /dev/null` once turned /dev/null into a
        // regular file on this machine. Tested on a FIFO so a regression cannot do it again.
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        let mut sink = Sink::file(&fifo).unwrap();
        assert!(matches!(sink, Sink::Special(_)));
        sink.writer().write_all(b"report line\n").unwrap();
        sink.finish().unwrap();
        assert_eq!(reader.join().unwrap(), b"report line\n");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[test]
    fn regular_files_appear_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let mut sink = Sink::file(&path).unwrap();
        sink.writer().write_all(b"x").unwrap();
        assert!(!path.exists());
        sink.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
    }

    #[cfg(unix)]
    #[test]
    fn outputs_get_the_permissions_of_a_plainly_created_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.txt");
        std::fs::File::create(&plain).unwrap();
        let path = dir.path().join("out.txt");
        Sink::file(&path).unwrap().finish().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain), "not a temporary file's 0600");
    }
}
