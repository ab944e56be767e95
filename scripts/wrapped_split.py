#!/usr/bin/env python3
"""A copy of an eval split wrapped at a fixed width, as html2text (78 columns by default),
`lynx -dump` or a mail archive give text.

    python3 scripts/wrapped_split.py OUT [--width 78] [--eval-dir DIR]   (default ../shared/eval/dev)
    EVAL_DIR=OUT/dev scripts/eval.sh balanced      # the pages, wrapped
    EVAL_DIR=OUT/clean scripts/eval.sh balanced    # the gold texts, wrapped: R is the share kept

Every line longer than the width is cut where a greedy wrapper cuts it (Python's
`textwrap.wrap`). OUT/dev holds the wrapped pages with their gold texts, OUT/clean the gold
texts wrapped as the input with themselves as the gold, and OUT/score.py a copy of the
scorer. There are no labels: the lines no longer match them, and score.py's token figures
do not need them.
"""
import argparse, os, pathlib, shutil, textwrap

root = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--width", type=int, default=78)
ap.add_argument("--eval-dir", default=os.environ.get("EVAL_DIR", str(root.parent / "shared/eval/dev")))
args = ap.parse_args()


def wrapped(text):
    lines = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, args.width) if len(line) > args.width else [line])
    return "\n".join(lines)


src = pathlib.Path(args.eval_dir)
out = pathlib.Path(args.out)
for split, inputs in (("dev", "raw"), ("clean", "gold")):
    dest = out / split
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "raw").mkdir(parents=True)
    for page in sorted((src / inputs).glob("*.txt")):
        (dest / "raw" / page.name).write_text(wrapped(page.read_text(encoding="utf-8")), encoding="utf-8")
    shutil.copytree(src / "gold", dest / "gold")
shutil.copy(src.parent / "score.py", out / "score.py")
print(f"wrote {out}/dev (the pages) and {out}/clean (the gold texts), wrapped at {args.width} columns")
