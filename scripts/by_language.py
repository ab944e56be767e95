#!/usr/bin/env python3
"""Per-language macro F1 of a scored run against raw, from score.py's --json output.

    python3 scripts/by_language.py target/eval/balanced.json [../shared/eval/dev/index.jsonl]
"""
import collections, json, pathlib, sys

here = pathlib.Path(__file__).resolve().parent
index = sys.argv[2] if len(sys.argv) > 2 else here.parent.parent / "shared/eval/dev/index.jsonl"
lang = {}
for line in open(index, encoding="utf-8"):
    r = json.loads(line)
    lang[r["file"]] = r.get("lang") or r.get("language") or "?"
by = collections.defaultdict(list)
worse = []
for p in json.load(open(sys.argv[1]))["pages"]:
    l = lang.get(p["name"], "?")
    by[l].append((p["out"]["f1"], p["raw"]["f1"], p["out"]["recall"]))
    known_non_english = l != "?" and not l.lower().startswith("en")
    if known_non_english and p["out"]["f1"] < p["raw"]["f1"]:
        worse.append(f'{p["name"]} {p["out"]["f1"]:.3f} < raw {p["raw"]["f1"]:.3f}')
print("lang pages   out F1  raw F1  out R")
for l, v in sorted(by.items(), key=lambda kv: -len(kv[1])):
    n = len(v)
    print(f"{l:4} {n:5}   {sum(a for a, _, _ in v) / n:.3f}   {sum(b for _, b, _ in v) / n:.3f}   {sum(c for _, _, c in v) / n:.3f}")
print("(? = language not recorded in the index)")
print(f"pages in a known non-English language below raw: {len(worse)}" + "".join(f"\n  {w}" for w in worse))
