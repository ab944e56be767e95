#!/usr/bin/env bash
# One profile's macro P / R / F1 on every kind of input the dev split can be turned into:
# the markdown pages as scraped, the same without markdown (scripts/plain_split.py), also
# without blank lines (as a Common Crawl WET record has them), wrapped at 78 columns
# (scripts/wrapped_split.py), and the gold texts given as the input, as they are, wrapped,
# and without markdown or blank lines (R is then the share of an already clean text kept).
#
#   scripts/eval_inputs.sh [conservative|balanced|aggressive]     (default balanced)
#
# Run it before and after a change to the scorer or a generic rule: scripts/eval.sh covers
# the first row only, and the others have moved on their own before (docs/quality.md,
# session 35). Takes about 15 s a profile; the copies are made once, in target/.
set -euo pipefail
profile=${1:-balanced}
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$root/../shared/eval/dev}
work=$root/target/inputs
(cd "$root" && cargo build --release --quiet)
# The copies are made again when they were made from another split.
if [ "$(cat "$work/source" 2>/dev/null)" != "$eval_dir" ]; then
    rm -rf "$work"
    python3 "$root/scripts/plain_split.py" "$work/plain" --eval-dir "$eval_dir" > /dev/null
    python3 "$root/scripts/wrapped_split.py" "$work/wrapped" --eval-dir "$eval_dir" > /dev/null
    # WET-like: the plain pages, and the gold texts made plain, without their blank lines.
    python3 - "$work" "$eval_dir" "$root/scripts" <<'PY'
import pathlib, sys
sys.path.insert(0, sys.argv[3])
from plain_split import plain_text
work, eval_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
sources = [(work / "plain/dev/raw", work / "wet/dev/raw", False), (eval_dir / "gold", work / "wet/clean/raw", True)]
for src, dest, make_plain in sources:
    dest.mkdir(parents=True, exist_ok=True)
    for page in src.glob("*.txt"):
        text = page.read_text(encoding="utf-8")
        text = plain_text(text) if make_plain else text
        dest.joinpath(page.name).write_text("\n".join(l for l in text.split("\n") if l.strip()) + "\n", encoding="utf-8")
PY
    echo "$eval_dir" > "$work/source"
fi
score() { # NAME RAW GOLD
    local out=$work/out/$profile/$1
    rm -rf "$out"
    "$root/target/release/dechrome" clean "$2" -o "$out" --profile "$profile" --quiet
    printf '%-28s' "$1"
    python3 "$eval_dir/../score.py" "$2" "$out" "$3" --summary-only | grep -m1 'ALL.*macro' | cut -d'|' -f2
}
echo "$profile: macro P / R / F1"
score "markdown pages" "$eval_dir/raw" "$eval_dir/gold"
score "pages without markdown" "$work/plain/dev/raw" "$eval_dir/gold"
score "pages, WET-like" "$work/wet/dev/raw" "$eval_dir/gold"
score "pages wrapped at 78" "$work/wrapped/dev/raw" "$eval_dir/gold"
score "gold texts" "$eval_dir/gold" "$eval_dir/gold"
score "gold texts wrapped at 78" "$work/wrapped/clean/raw" "$eval_dir/gold"
score "gold texts, WET-like" "$work/wet/clean/raw" "$eval_dir/gold"
