//! Editing a pack's TOML for the trainers: new values keep the old ones' comments.

use toml_edit::{DocumentMut, Item, Table, Value};

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

/// The `[rule.params]` table of the pack's `line-scorer` rule.
pub fn scorer_params(doc: &mut DocumentMut) -> &mut Table {
    let rules = doc["rule"].as_array_of_tables_mut().expect("the pack has [[rule]]s");
    let rule = rules
        .iter_mut()
        .find(|r| r.get("id").and_then(Item::as_str) == Some("line-scorer"))
        .expect("the pack has the line-scorer rule");
    rule["params"].as_table_mut().expect("the line-scorer has params")
}
