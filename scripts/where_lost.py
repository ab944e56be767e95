#!/usr/bin/env python3
"""Where a profile's F1 on the dev pages is lost, to pick the next thing to work on.

    python3 scripts/where_lost.py [PROFILE] [--lines N] [--eval-dir DIR]   (after cargo build --release)

Cleans ../shared/eval/dev/raw with the release binary (with --report), then prints:

- score.py's macro F1 of the output, and the F1 each zone's errors cost, as oracles that
  fix one kind of error from the labels (label_seq) and change nothing else: the kept
  CHROME lines before the page's first CONTENT line (head), after its last (tail), or
  between the two (middle), all of them (edges = head and tail), and the dropped CONTENT
  lines put back (recall);
- per rule, the content it removed: the share of its page's gold tokens, summed over
  pages and divided by their number (what macro recall loses to it), and the CHROME tokens
  it removed;
- with --lines N, the N kept CHROME lines of each zone and the N dropped CONTENT lines
  that weigh most (share of the page's output tokens, or of its gold tokens).

Output lines are matched to raw lines in order by their stripped text, as score.py's line
report does. An oracle's gain is an upper bound for work on its zone, not a forecast.
"""
import argparse, collections, json, os, pathlib, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("profile", nargs="?", default="balanced", choices=["conservative", "balanced", "aggressive"])
ap.add_argument("--eval-dir", default=os.environ.get("EVAL_DIR", str(root.parent / "shared/eval/dev")),
                help="the eval split (default: $EVAL_DIR, else ../shared/eval/dev)")
ap.add_argument("--lines", type=int, default=0, help="list this many of the heaviest lines per zone")
args = ap.parse_args()
eval_dir = pathlib.Path(args.eval_dir)
binary = root / "target/release/dechrome"
if not binary.exists():
    sys.exit(f"{binary} not found: run `cargo build --release` first")
if not (eval_dir / "raw").is_dir():
    sys.exit(f"{eval_dir / 'raw'} not found: pass the eval split with --eval-dir or EVAL_DIR")

sys.path.insert(0, str(eval_dir.parent))
from score import tokenize  # noqa: E402  (score.py's own tokens)


def f1(text, gold):
    out = collections.Counter(tokenize(text))
    tp = sum((out & gold).values())
    precision = tp / max(sum(out.values()), 1)
    recall = tp / max(sum(gold.values()), 1)
    return 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)


def kept_lines(raw, out):
    """Indices of the raw lines the output kept, matched in order by stripped text."""
    kept, j = set(), 0
    for line in out:
        s = line.strip()
        if not s:
            continue
        k = j
        while k < len(raw) and raw[k].strip() != s:
            k += 1
        if k < len(raw):
            kept.add(k)
            j = k + 1
    return kept


with tempfile.TemporaryDirectory() as work:
    out_dir, report = pathlib.Path(work) / "out", pathlib.Path(work) / "report.jsonl"
    subprocess.run([str(binary), "clean", str(eval_dir / "raw"), "-o", str(out_dir),
                    "--profile", args.profile, "--report", str(report), "-q"], check=True)
    removals = {}
    for line in report.open():
        r = json.loads(line)
        removals[pathlib.Path(r["path"]).name] = r["removals"]
    zones = ["output", "head", "middle", "tail", "edges", "recall"]
    scores = {z: [] for z in zones}
    heavy = {z: [] for z in ["head", "middle", "tail", "recall"]}
    lost_by_rule, chrome_by_rule = collections.Counter(), collections.Counter()
    pages = sorted(p.name for p in (eval_dir / "raw").glob("*.txt"))
    for name in pages:
        raw = (eval_dir / "raw" / name).read_text(encoding="utf-8").split("\n")
        gold = collections.Counter(tokenize((eval_dir / "gold" / name).read_text(encoding="utf-8")))
        labels, tokens = {}, {}
        for line in (eval_dir / "labels" / name.replace(".txt", ".jsonl")).open():
            r = json.loads(line)
            labels[r["line"]], tokens[r["line"]] = r["label_seq"], r["n_tokens"]
        out = (out_dir / name).read_text(encoding="utf-8")
        kept = kept_lines(raw, out.split("\n"))
        content = [i for i, label in labels.items() if label == "CONTENT"]
        first, last = (min(content), max(content)) if content else (len(raw), -1)
        chrome = lambda i: labels.get(i) == "CHROME"
        zone = lambda i: "head" if i < first else "tail" if i > last else "middle"
        text = lambda lines: "\n".join(raw[i] for i in sorted(lines))
        scores["output"].append(f1(out, gold))
        for z in ["head", "middle", "tail"]:
            scores[z].append(f1(text(i for i in kept if not (chrome(i) and zone(i) == z)), gold))
        scores["edges"].append(f1(text(i for i in kept if not (chrome(i) and zone(i) != "middle")), gold))
        scores["recall"].append(f1(text(kept | set(content)), gold))
        out_tokens = sum(tokens.get(i, 0) for i in kept) or 1
        gold_tokens = sum(tokens[i] for i in content) or 1
        for i in kept:
            if chrome(i):
                heavy[zone(i)].append((tokens[i] / out_tokens, name, i))
        for rm in removals.get(name, []):
            rule = rm["rule"] + (" (scored tail)" if "page's tail" in rm.get("detail", "") else "")
            for i in range(rm["lines"][0] - 1, rm["lines"][1]):
                if labels.get(i) == "CONTENT":
                    lost_by_rule[rule] += tokens[i] / gold_tokens / len(pages)
                    heavy["recall"].append((tokens[i] / gold_tokens, name, i))
                elif chrome(i):
                    chrome_by_rule[rule] += tokens[i]

mean = lambda xs: sum(xs) / len(xs)
base = mean(scores["output"])
print(f"{args.profile}: macro F1 {base:.4f} over {len(pages)} pages")
print("oracle: fix one kind of error from the labels, change nothing else")
what = {
    "head": "kept chrome before the first content line gone",
    "middle": "kept chrome between the first and last content lines gone",
    "tail": "kept chrome after the last content line gone",
    "edges": "head and tail both",
    "recall": "every dropped content line put back",
}
for z, description in what.items():
    print(f"  {z:7} {mean(scores[z]):.4f} (+{mean(scores[z]) - base:.4f})  {description}")
print("content removed per rule (share of macro recall) and the chrome tokens it removed:")
for rule, share in lost_by_rule.most_common():
    print(f"  {share:.4f}  {rule}  ({chrome_by_rule[rule]} chrome tokens)")
if args.lines:
    for z, rows in heavy.items():
        label = "dropped CONTENT (share of the page's gold)" if z == "recall" else f"kept CHROME, {z}"
        print(f"{label}:")
        for weight, name, i in sorted(rows, reverse=True)[: args.lines]:
            line = (eval_dir / "raw" / name).read_text(encoding="utf-8").split("\n")[i]
            print(f"  {weight:.3f} {name}:{i + 1} {line.strip()[:110]}")
