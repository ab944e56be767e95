//! Micro-benchmark: clean one typical document with the shipped packs, so that an engine
//! regression shows up in review (`cargo bench --bench clean_doc`).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dechrome::{DocContext, RuleSet, Scratch};

fn clean_one_document(c: &mut Criterion) {
    let engine = RuleSet::default_rules().unwrap().compile(&[]).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut group = c.benchmark_group("clean");
    for name in ["000_14c45c499be95dbc.txt", "002_ba4d5c5bb0ec0335.txt"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let mut scratch = Scratch::default();
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| b.iter(|| engine.clean_with(&text, DocContext::default(), &mut scratch)));
    }
    group.finish();
    c.bench_function("compile shipped packs", |b| b.iter(|| RuleSet::default_rules().unwrap().compile(&[]).unwrap()));
}

criterion_group!(benches, clean_one_document);
criterion_main!(benches);
