#!/usr/bin/env bash
# Score the line scorer's threshold for one profile on ../shared/eval/dev with score.py, for
# each value given, without rebuilding: the packs are copied, the threshold edited, and
# `clean --no-default-rules --rules COPY/generic --rules COPY/sites` runs on the copy.
#
#   scripts/sweep_thresholds.sh PROFILE T1 [T2 …]      e.g.  balanced 0.35 0.39 0.43 0.47
#
# RULES=DIR sweeps another copy of the rules (say, one with a retrained scorer.toml).
#
# Pick by the profile's recall floor (conservative 0.99, balanced 0.97, aggressive 0.95),
# then write the value into rules/generic/scorer.toml by hand.
set -euo pipefail
profile=$1
shift
root=$(cd "$(dirname "$0")/.." && pwd)
eval_dir=${EVAL_DIR:-$root/../shared/eval/dev}
(cd "$root" && cargo build --release --quiet)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "$@"; do
    rm -rf "$work/rules" "$work/out"
    cp -r "${RULES:-$root/rules}" "$work/rules"
    python3 - "$work/rules/generic/scorer.toml" "$profile" "$t" <<'PY'
import re, sys
path, profile, t = sys.argv[1:]
text = open(path).read()
head, sep, rest = text.partition("[rule.params.threshold]\n")
rest, n = re.subn(rf"^{profile} = [0-9.]+", f"{profile} = {t}", rest, count=1, flags=re.M)
assert sep and n == 1, "no threshold for that profile"
open(path, "w").write(head + sep + rest)
PY
    "$root/target/release/dechrome" clean "$eval_dir/raw" -o "$work/out" --profile "$profile" -q \
        --no-default-rules --rules "$work/rules/generic" --rules "$work/rules/sites"
    printf '%s %s  ' "$profile" "$t"
    python3 "$eval_dir/../score.py" "$eval_dir/raw" "$work/out" "$eval_dir/gold" --summary-only | grep -E '^ALL +[0-9]+ macro'
done
