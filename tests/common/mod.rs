//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use dechrome::rules::PackSource;
use dechrome::{Engine, RuleSet};

pub fn fixtures() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

pub fn shipped() -> Engine {
    RuleSet::default_rules().unwrap().compile(&[]).unwrap()
}

/// The rule set of one pack file's whole text (`[pack]` header included), named `t.toml`.
pub fn pack_set(text: &str) -> Result<RuleSet, dechrome::rules::RuleErrors> {
    RuleSet::from_sources(&[PackSource { name: "t.toml".into(), text: text.into() }])
}

/// An engine from one pack written inline (the `[pack]` header is added).
pub fn engine_from(rules: &str) -> Engine {
    pack_set(&format!("[pack]\nname = \"test\"\ndescription = \"test pack\"\n\n{rules}"))
        .unwrap_or_else(|e| panic!("{e}"))
        .compile(&[])
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn clean(engine: &Engine, text: &str) -> String {
    engine.clean(text, Default::default()).text
}
