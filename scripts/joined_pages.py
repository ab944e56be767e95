#!/usr/bin/env python3
"""How much content survives when many pages share one text file.

    python3 scripts/joined_pages.py [PROFILE] [--segment-mib N]

Joins the dev pages (../shared/eval/dev/raw, sorted) into one text file, with and
without a `<|endoftext|>` line between pages, cleans both with the release binary, and
prints the share of gold tokens kept and the share of output tokens that are gold (bag
of words over the whole file, score.py's tokens), beside the same figures for one file
per page. Each output is then cut back into its pages and scored per page by score.py
(macro P / R / F1, as scripts/eval.sh prints them): the separated one by its separators,
which should give eval.sh's figures, and the one without by `--report`'s removals.

A change to the line scorer should be checked here as well as on the per-page scores: a
feature that gains per page can lose a lot on a joined file (see the README).
"""
import argparse
import json
import pathlib
import subprocess
import sys
from collections import Counter

ROOT = pathlib.Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared/eval"
SEPARATOR = "<|endoftext|>"

sys.path.insert(0, str(EVAL))
from score import tokenize  # noqa: E402


def bag(texts):
    c = Counter()
    for t in texts:
        c.update(tokenize(t))
    return c


def kept_and_precise(out_text, gold):
    out = bag([out_text])
    tp = sum((out & gold).values())
    return tp / sum(gold.values()), tp / max(1, sum(out.values()))


def clean(binary, src, dst, profile, extra):
    cmd = [binary, "clean", str(src), "-o", str(dst), "--profile", profile, "--quiet", *extra]
    subprocess.run(cmd, check=True)
    return dst.read_text(encoding="utf-8")


def pages_by_report(joined_text, report, pages):
    """The joined input's pages with the lines `report` says were removed left out."""
    lines = joined_text.split("\n")
    removed = [False] * len(lines)
    for record in report.read_text(encoding="utf-8").splitlines():
        r = json.loads(record)
        # One document (the whole file), one report line per segment; lines count from
        # the document's first.
        first = r["line"] - 1
        for removal in r["removals"]:
            a, b = removal["lines"]
            for i in range(first + a - 1, first + b):
                removed[i] = True
    out, at = [], 0
    for page in pages:
        n = page.count("\n")
        out.append("".join(line + "\n" for i, line in enumerate(lines[at:at + n], at) if not removed[i]))
        at += n
    return out


def write_pages(out_dir, names, out_pages):
    out_dir.mkdir(exist_ok=True)
    for n, text in zip(names, out_pages):
        (out_dir / n).write_text(text, encoding="utf-8")
    return out_dir


def macro(raw_dir, out_dir, gold_dir):
    """score.py's macro P, R, F1 over the pages of `out_dir`."""
    summary = out_dir.with_suffix(".json")
    subprocess.run([sys.executable, str(EVAL / "score.py"), str(raw_dir), str(out_dir), str(gold_dir),
                    "--summary-only", "--json", str(summary)], check=True, stdout=subprocess.DEVNULL)
    return json.loads(summary.read_text())["summary"]["ALL"]["out"]["macro"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("profile", nargs="?", default="balanced")
    ap.add_argument("--segment-mib", default="1")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    binary = str(ROOT / "target/release/dechrome")
    work = ROOT / "target/eval/joined"
    work.mkdir(parents=True, exist_ok=True)

    raw_dir, gold_dir = EVAL / "dev/raw", EVAL / "dev/gold"
    names = sorted(p.name for p in gold_dir.glob("*.txt"))
    pages = [(raw_dir / n).read_text(encoding="utf-8") for n in names]
    pages = [p if p.endswith("\n") else p + "\n" for p in pages]
    gold = bag((gold_dir / n).read_text(encoding="utf-8") for n in names)

    plain, separated = work / "pages.txt", work / "pages-separated.txt"
    plain.write_text("".join(pages), encoding="utf-8")
    separated.write_text(f"{SEPARATOR}\n".join(pages), encoding="utf-8")
    segment = ["--segment-mib", args.segment_mib]

    per_page_dir = work / "one-per-page"
    subprocess.run([binary, "clean", str(raw_dir), "-o", str(per_page_dir), "--profile", args.profile, "--quiet"],
                   check=True)
    per_page = "".join((per_page_dir / n).read_text(encoding="utf-8") for n in names)
    report = work / "pages.report.jsonl"
    joined = clean(binary, plain, work / "pages.out.txt", args.profile, segment + ["--report", str(report)])
    with_sep = clean(binary, separated, work / "pages-separated.out.txt", args.profile,
                     segment + ["--doc-separator", SEPARATOR])

    mb = plain.stat().st_size / 1e6
    print(f"{len(names)} dev pages, {mb:.1f} MB joined, profile {args.profile}, {args.segment_mib} MiB segments")
    print(f"{'':34} gold kept  output precise")
    # The separator lines are not content: left in, they would count against precision.
    for label, text in [("one file per page", per_page), ("one file, no separator", joined),
                        ("one file, --doc-separator", with_sep.replace(f"{SEPARATOR}\n", ""))]:
        kept, precise = kept_and_precise(text, gold)
        print(f"{label:34} {kept:9.4f}  {precise:14.4f}")

    # Each output cut back into pages and scored per page, as eval.sh does.
    back = with_sep.split(f"{SEPARATOR}\n")
    if len(back) != len(names):
        sys.exit(f"the separated output has {len(back)} documents, not {len(names)}")
    unseparated = pages_by_report(plain.read_text(encoding="utf-8"), report, pages)
    print(f"\nscored per page (score.py, macro){'':8} P       R      F1")
    # (Lines kept without a separator are taken whole: an inline rewrite in them is not
    # applied, so that row counts a few more tokens than the output holds.)
    for label, out_dir in [
        ("one file per page", per_page_dir),
        ("one file, no separator", write_pages(work / "joined-pages", names, unseparated)),
        ("one file, --doc-separator", write_pages(work / "separated-pages", names, back)),
    ]:
        p, r, f1 = macro(raw_dir, out_dir, gold_dir)
        print(f"{label:34} {p:7.4f} {r:7.4f} {f1:7.4f}")


if __name__ == "__main__":
    main()
