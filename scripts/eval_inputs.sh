#!/usr/bin/env bash
# One profile's macro P / R / F1 on every kind of input the dev split can be turned into:
# the markdown pages as scraped, the same without markdown (scripts/plain_split.py), wrapped
# at 78 columns (scripts/wrapped_split.py), and the gold texts given as the input, as they
# are and wrapped (R is then the share of an already clean text that is kept).
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
score "pages wrapped at 78" "$work/wrapped/dev/raw" "$eval_dir/gold"
score "gold texts" "$eval_dir/gold" "$eval_dir/gold"
score "gold texts wrapped at 78" "$work/wrapped/clean/raw" "$eval_dir/gold"
