#!/usr/bin/env bash
# Score one of the line scorer's per-profile settings on ../shared/eval/dev with score.py, for
# each value given, without rebuilding: the packs are copied, the setting edited, and
# `clean --no-default-rules --rules COPY/generic --rules COPY/sites` runs on the copy.
#
#   scripts/sweep_thresholds.sh PROFILE V1 [V2 …]      e.g.  balanced 0.35 0.39 0.43 0.47
#
# PARAM=NAME sweeps another per-profile table than `threshold` (page_factor,
# threshold_floor, prose_floor, protect_words). RULES=DIR sweeps another copy of the rules
# (say, one with a retrained scorer.toml).
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
    python3 - "$work/rules/generic/scorer.toml" "$profile" "$t" "${PARAM:-threshold}" <<'PY'
import re, sys
path, profile, t, param = sys.argv[1:]
text = open(path).read()
head, sep, rest = text.partition(f"[rule.params.{param}]\n")
rest, n = re.subn(rf"^{profile} = [0-9.]+", f"{profile} = {t}", rest, count=1, flags=re.M)
assert sep and n == 1, f"no {param} for that profile"
open(path, "w").write(head + sep + rest)
PY
    "$root/target/release/dechrome" clean "$eval_dir/raw" -o "$work/out" --profile "$profile" -q \
        --no-default-rules --rules "$work/rules/generic" --rules "$work/rules/sites"
    printf '%s %s %s  ' "$profile" "${PARAM:-threshold}" "$t"
    python3 "$eval_dir/../score.py" "$eval_dir/raw" "$work/out" "$eval_dir/gold" --summary-only \
        --json "$work/score.json" >/dev/null
    # Four decimals: the steps being compared are often smaller than score.py's three.
    python3 - "$work/score.json" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))["summary"]
p, r, f = summary["ALL"]["out"]["macro"]
by_source = " ".join(f"{s} {summary[s]['out']['macro'][2]:.4f}" for s in ("sh", "mr", "wcxb") if s in summary)
print(f"macro P {p:.4f} R {r:.4f} F1 {f:.4f} | F1 {by_source}")
PY
done
