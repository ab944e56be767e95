#!/usr/bin/env python3
"""Generate a large rule pack for benchmark case 5, from the words of real scrapes.

    python3 bench/gen_rules.py OUT.toml [--exact 10000 --prefix 2000 --regex 500 --phrase 500]

Rules are made of word sequences from ../shared/eval/dev/raw, so they look like real
chrome (and some of them match), deterministically (fixed seed).
"""
import argparse, json, pathlib, random, re

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--exact", type=int, default=10000)
ap.add_argument("--prefix", type=int, default=2000)
ap.add_argument("--regex", type=int, default=500)
ap.add_argument("--phrase", type=int, default=500)
ap.add_argument("--shared", default=str(pathlib.Path(__file__).resolve().parent.parent.parent / "shared"))
args = ap.parse_args()

rng = random.Random(20261121)
words = []
for p in sorted((pathlib.Path(args.shared) / "eval/dev/raw").glob("*.txt"))[:200]:
    words += re.findall(r"[A-Za-z]{3,12}", p.read_text(encoding="utf-8"))
words = sorted(set(words))

def phrase(n):
    return " ".join(rng.choice(words) for _ in range(n))

def q(s):
    return json.dumps(s, ensure_ascii=False)

def lit(s):
    return "'" + s.replace("'", "") + "'"

seen = set()
def unique(make):
    while True:
        s = make()
        if s.lower() not in seen:
            seen.add(s.lower())
            return s

out = ['[pack]\nname = "bench-large"\ndescription = "generated: %d exact, %d prefix, %d regex, %d phrase rules"\n'
       % (args.exact, args.prefix, args.regex, args.phrase)]
def rule(i, kind_key, value):
    out.append('\n[[rule]]\nid = "gen-%05d"\nkind = "line"\nwhy = "generated"\n%s = [%s]\n' % (i, kind_key, value))
i = 0
for _ in range(args.exact):
    rule(i, "exact", q(unique(lambda: phrase(rng.randint(1, 4))))); i += 1
for _ in range(args.prefix):
    rule(i, "prefix", q(unique(lambda: phrase(rng.randint(2, 3))))); i += 1
for _ in range(args.regex):
    a, b = unique(lambda: phrase(2)), rng.choice(words)
    rule(i, "regex", lit(re.escape(a) + r" \d+ " + re.escape(b))); i += 1
for _ in range(args.phrase):
    rule(i, "contains", q(unique(lambda: phrase(3)))); i += 1
pathlib.Path(args.out).write_text("".join(out), encoding="utf-8")
print(f"{i} rules in {args.out}")
