//! Rule packs: the model, strict parsing, the shipped packs and where packs come from.

pub mod lint;
pub mod model;
pub mod parse;

use std::fmt;
use std::path::{Path, PathBuf};

pub use model::*;
pub use parse::{PackSource, parse_packs};

/// One problem in a pack file, located to file:line:col.
#[derive(Clone, Debug)]
pub struct RuleError {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found while loading, not just the first.
#[derive(Clone, Debug)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// The packs under `rules/`, embedded at build time (see build.rs): (relative path, text).
pub const EMBEDDED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/embedded_packs.rs"));

/// The shipped packs as sources named `embedded:<relative path>`.
pub fn embedded_sources() -> Vec<PackSource> {
    EMBEDDED
        .iter()
        .map(|(path, text)| PackSource { name: format!("embedded:{path}"), text: (*text).to_string() })
        .collect()
}

/// Read packs from a file or a directory (every `*.toml` below it, in sorted order).
pub fn sources_from_path(path: &Path) -> Result<Vec<PackSource>, RuleErrors> {
    let io_error = |p: &Path, e: &dyn fmt::Display| {
        RuleErrors(vec![RuleError {
            location: Location { file: p.display().to_string().into(), line: 0, col: 0 },
            message: format!("cannot read rule file: {e}"),
        }])
    };
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
            let entry = entry.map_err(|e| io_error(path, &e))?;
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
                files.push(entry.into_path());
            }
        }
        if files.is_empty() {
            return Err(io_error(path, &"no *.toml pack files in this directory"));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|f| {
            std::fs::read_to_string(&f)
                .map(|text| PackSource { name: f.display().to_string(), text })
                .map_err(|e| io_error(&f, &e))
        })
        .collect()
}

/// Write the shipped packs into `dir`, keeping their relative paths. Existing files are
/// left alone unless `overwrite`; returns the files written.
pub fn dump_embedded(dir: &Path, overwrite: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (rel, text) in EMBEDDED {
        let target = dir.join(rel);
        if target.exists() && !overwrite {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} exists (use --force to overwrite)", target.display()),
            ));
        }
        crate::io::write_atomic(&target, text.as_bytes())?;
        written.push(target);
    }
    Ok(written)
}
