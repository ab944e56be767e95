//! Editing a pack's TOML for the trainers: new values keep the old ones' comments.

use toml_edit::{Item, Table, Value};

/// Set `key` in `table`: a new value keeps the old one's comments and spacing.
pub fn set(table: &mut Table, key: &str, value: Value) {
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            let decor = old.decor().clone();
            *old = value;
            *old.decor_mut() = decor;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// Set a table of `name = weight`, dropping names no longer used.
pub fn set_weights(table: &mut Table, names: &[&str], weights: &[f64]) {
    table.retain(|key, _| names.contains(&key));
    for (name, w) in names.iter().zip(weights) {
        set(table, name, rounded(*w));
    }
}

/// Four decimals, as a new pack writes them (`-0.8140`, not `-0.814`).
pub fn rounded(w: f64) -> Value {
    format!("{w:.4}").parse().expect("a number")
}
