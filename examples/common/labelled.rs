//! The labelled pages of an eval split, for the trainers: raw/NAME.txt with
//! labels/NAME.jsonl (pages without labels are skipped).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct LabelledPage {
    pub raw: String,
    /// Per labelled line (0-based): whether it is content (`label_seq`), and its tokens.
    pub labels: HashMap<usize, (bool, f32)>,
}

/// The pages of `dir`, in name order.
pub fn labelled_pages(dir: &Path) -> impl Iterator<Item = LabelledPage> + '_ {
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(dir.join("raw")).expect("raw/ in the eval dir").map(|e| e.unwrap().path()).collect();
    names.sort();
    names.into_iter().filter_map(move |raw_path| {
        let name = raw_path.file_stem().unwrap().to_string_lossy().into_owned();
        let labels = std::fs::read_to_string(dir.join("labels").join(format!("{name}.jsonl"))).ok()?;
        let mut by_line = HashMap::new();
        for l in labels.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let line = v["line"].as_u64().unwrap() as usize;
            let content = v["label_seq"] == "CONTENT";
            by_line.insert(line, (content, v["n_tokens"].as_f64().unwrap_or(0.0) as f32));
        }
        Some(LabelledPage { raw: std::fs::read_to_string(&raw_path).unwrap(), labels: by_line })
    })
}
