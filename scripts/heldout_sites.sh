#!/usr/bin/env bash
# Judge a change to the line scorer on sites it was not trained on: the dev pages are split
# five ways by domain; for each fifth the scorer is retrained (`train_scorer`) on the other
# four, the fifth is cleaned with those weights by the real pipeline (guards, page
# threshold, tail) and scored by score.py. Prints macro P / R / F1 over all 483 held-out
# pages and F1 per fold.
#
#   scripts/heldout_sites.sh [PROFILE]        (default balanced)
#
# PLAIN=1 with EVAL_DIR a copy made by `scripts/plain_split.py --with-clean` judges the
# plain-text weights instead: each fold retrains `[rule.params.plain]`, and the clean
# texts (clean-*: gold as the input) are reported apart, as the share of them kept; so
# are the copies without blank lines (wet-*) that `--with-wet` adds.
#
# Run it once on the code before a change and once after: the dev figures of eval.sh are
# in-sample for the weights, and the trainer's own estimate (one fold, line by line) does
# not see what the guards and the page threshold make of the scores. The thresholds and
# the tail's weights are those of the working tree's scorer.toml. Takes about 2 minutes.
set -euo pipefail
profile=${1:-balanced}
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$root/../shared/eval/dev}
work=$root/target/heldout
(cd "$root" && cargo build --release --quiet && cargo build --release --quiet --example train_scorer)

# Folds by domain (readability's test pages, which have none, by their name's stem), the
# same every run. Files are copied: the input walker does not follow symbolic links. The
# copy is made again when it was made from another EVAL_DIR.
if [ "$(cat "$work/folds/source" 2>/dev/null)" != "$eval_dir" ]; then
    rm -rf "$work/folds"
    python3 - "$eval_dir" "$work/folds" <<'PY'
import hashlib, json, os, re, shutil, sys
eval_dir, folds = sys.argv[1:]
for line in open(os.path.join(eval_dir, "index.jsonl")):
    page = json.loads(line)
    domain = page.get("domain") or re.sub(r"[-\d]+$", "", page["id"])
    fold = int(hashlib.md5(domain.encode()).hexdigest(), 16) % 5
    stem = page["file"][:-len(".txt")]
    for k in range(5):
        part = "test" if k == fold else "train"
        for sub, ext in (("raw", ".txt"), ("gold", ".txt"), ("labels", ".jsonl")):
            src = os.path.join(eval_dir, sub, stem + ext)
            dest = os.path.join(folds, str(k), part, sub)
            os.makedirs(dest, exist_ok=True)
            shutil.copy(src, dest)
PY
    echo "$eval_dir" > "$work/folds/source"
fi

run=$work/$profile
rm -rf "$run"
for k in 0 1 2 3 4; do
    fold=$work/folds/$k
    mkdir -p "$run/$k/rules"
    cp -r "$root/rules/generic" "$root/rules/sites" "$run/$k/rules/"
    "$root/target/release/examples/train_scorer" "$fold/train" "$run/$k/rules/generic/scorer.toml" \
        > "$run/$k/train.log" 2>&1
    "$root/target/release/dechrome" clean "$fold/test/raw" -o "$run/$k/out" --no-default-rules \
        --rules "$run/$k/rules" --profile "$profile" --quiet
    python3 "$eval_dir/../score.py" "$fold/test/raw" "$run/$k/out" "$fold/test/gold" \
        --labels "$fold/test/labels" --summary-only --json "$run/$k/score.json" > /dev/null
done
python3 - "$run" "$profile" <<'PY'
import json, sys
run, profile = sys.argv[1:]
# Pages named clean-* (scripts/plain_split.py --with-clean: a gold text as the input) are
# reported apart: the share of an already clean text that is kept. So are wet-* pages
# (--with-wet: a page without its blank lines, as a WET record has it).
scored = [json.load(open(f"{run}/{k}/score.json"))["pages"] for k in range(5)]
kind = lambda p: ("wet " if p["name"].startswith("wet-") else "") + ("clean" if "clean-" in p["name"] else "page")
folds = [[p for p in fold if kind(p) == "page"] for fold in scored]
mean = lambda pages, key: sum(p["out"][key] for p in pages) / len(pages)
pages = [p for fold in folds for p in fold]
print(f"{profile}, {len(pages)} pages on held-out sites: macro P {mean(pages, 'precision'):.4f} "
      f"R {mean(pages, 'recall'):.4f} F1 {mean(pages, 'f1'):.4f}")
print("F1 per fold: " + " ".join(f"{mean(fold, 'f1'):.4f} ({len(fold)})" for fold in folds))
wet = [p for fold in scored for p in fold if kind(p) == "wet page"]
if wet:
    print(f"{len(wet)} pages without blank lines on held-out sites: macro P {mean(wet, 'precision'):.4f} "
          f"R {mean(wet, 'recall'):.4f} F1 {mean(wet, 'f1'):.4f}")
for name in ("clean", "wet clean"):
    clean = [p for fold in scored for p in fold if kind(p) == name]
    if clean:
        what = "clean texts" + (" without blank lines" if name != "clean" else "")
        print(f"{len(clean)} {what} (gold as the input) on held-out sites: macro R {mean(clean, 'recall'):.4f}")
PY
