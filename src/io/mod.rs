//! Files on disk: finding inputs, reading records, writing outputs atomically.

pub mod buffers;
pub mod format;
pub mod records;
pub mod sink;

use std::path::{Path, PathBuf};

/// Write `bytes` to `path` via a temporary file in the same directory and a rename, so
/// a reader never sees a partial file under the final name.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut sink = sink::Sink::file(path)?;
    sink.writer().write_all(bytes)?;
    sink.finish()
}

/// One input (`-` is standard input), its format, and where its cleaned records go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    pub input: PathBuf,
    pub format: format::Format,
    /// `None`: standard output.
    pub output: Option<PathBuf>,
    /// Attribute file aligned with the output records (`--attributes`).
    pub attributes: Option<PathBuf>,
}

/// Files under `dir` (recursively, sorted by name), as paths relative to `dir`,
/// filtered by `globs` when given (matched against the relative path). The directory
/// `skip` (the run's output) is left out when it lies inside `dir`, so `clean in -o
/// in/cleaned` does not clean its own earlier output on the next run.
pub fn walk(dir: &Path, globs: Option<&globset::GlobSet>, skip: Option<&Path>) -> std::io::Result<Vec<PathBuf>> {
    // Compared by canonical path: `in/cleaned`, `./in/cleaned/` and a symlink to it are
    // one directory. A missing output directory cannot be inside the tree yet.
    let skip = skip.and_then(|s| s.canonicalize().ok());
    // Only directories named like it are resolved: one `realpath` each, not one per directory.
    let is_skipped = |entry: &walkdir::DirEntry| {
        skip.as_deref().is_some_and(|s| {
            entry.depth() > 0 // `clean in -o in` is refused later, as overwriting its input
                && entry.file_type().is_dir()
                && Some(entry.file_name()) == s.file_name()
                && entry.path().canonicalize().is_ok_and(|p| p == s)
        })
    };
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| !is_skipped(e)) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walk stays below its root").to_path_buf();
        if rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with(sink::TEMP_PREFIX)) {
            continue; // our own temporary files
        }
        if globs.is_none_or(|g| g.is_match(&rel)) {
            files.push(rel);
        }
    }
    Ok(files)
}
