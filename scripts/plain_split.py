#!/usr/bin/env python3
"""A plain-text copy of an eval split: the same pages without their markdown.

    python3 scripts/plain_split.py OUT [--with-clean] [--eval-dir DIR]   (default ../shared/eval/dev)

Writes OUT/dev/raw (each page with its markdown taken out, line for line, so the labels
still point at the right lines), OUT/dev/gold, OUT/dev/labels and OUT/dev/index.jsonl
(copies), and OUT/score.py, so that every script taking EVAL_DIR runs on it:

    python3 scripts/plain_split.py target/plain
    EVAL_DIR=target/plain/dev scripts/eval.sh balanced            # quality on plain text

With --with-clean, each page's gold text is a page too (`clean-NAME`, every line labelled
CONTENT): an article already cleaned, which the scorer must leave alone. The plain-text
weights are trained on both, and heldout_sites.sh reports the clean ones apart:

    python3 scripts/plain_split.py target/plain-train --with-clean
    PLAIN=1 cargo run --release --example train_scorer -- target/plain-train/dev rules/generic/scorer.toml
    PLAIN=1 EVAL_DIR=$PWD/target/plain-train/dev scripts/heldout_sites.sh balanced

Plain text is what HTML-to-text converters without markdown leave (Common Crawl's WET
records, most extractors' text output): link text without its brackets and target,
headings and list items without their markers, no emphasis or code fences. The gold text
has no markdown either, so the scores compare like with like.
"""
import argparse, json, os, pathlib, re, shutil

IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
# Link text may hold one level of brackets: `[[1]](#)`, `[Title [UPDATED]](#)`.
LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\([^)]*\)")
# A link whose text runs over lines: its `[` at one line's end, its `](target)` on another.
CLOSER = re.compile(r"\]\([^)]*\)")
OPENER = re.compile(r"\[(?=[^\]]*$)")
AUTOLINK = re.compile(r"<(https?://[^>\s]*)>")
HEADING = re.compile(r"^(\s*)#{1,6}\s+")
BULLET = re.compile(r"^(\s*)[*+-]\s+")
QUOTE = re.compile(r"^(\s*)>\s?")
STRONG = re.compile(r"(\*\*|__)(.+?)\1")


def plain(line):
    line = IMAGE.sub(r"\1", line)
    while True:
        unlinked = LINK.sub(r"\1", line)
        if unlinked == line:
            break
        line = unlinked
    line = OPENER.sub("", CLOSER.sub("", line))
    line = AUTOLINK.sub(r"\1", line)
    line = HEADING.sub(r"\1", line)
    line = BULLET.sub(r"\1", line)
    line = QUOTE.sub(r"\1", line)
    line = STRONG.sub(r"\2", line)
    return line.replace("```", "")


def plain_text(text):
    """`text` without its markdown, line for line."""
    return "\n".join(plain(line) for line in text.split("\n"))


def main():
    root = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--with-clean", action="store_true", help="add each page's gold text as a clean page")
    ap.add_argument("--with-wet", action="store_true",
                    help="add a copy of every page without its blank lines (`wet-NAME`), as a WET record has it")
    ap.add_argument("--eval-dir", default=os.environ.get("EVAL_DIR", str(root.parent / "shared/eval/dev")))
    args = ap.parse_args()
    src = pathlib.Path(args.eval_dir)
    dest = pathlib.Path(args.out) / "dev"
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "raw").mkdir(parents=True)
    for page in sorted((src / "raw").glob("*.txt")):
        (dest / "raw" / page.name).write_text(plain_text(page.read_text(encoding="utf-8")), encoding="utf-8")
    for sub in ("gold", "labels"):
        shutil.copytree(src / sub, dest / sub)
    shutil.copy(src / "index.jsonl", dest / "index.jsonl")
    shutil.copy(src.parent / "score.py", dest.parent / "score.py")
    clean = 0
    if args.with_clean:
        # score.py's tokens, for the labels' token counts.
        token = re.compile(r"[^\W_]+")
        entries = (json.loads(l) for l in open(src / "index.jsonl", encoding="utf-8"))
        index = {entry["file"]: entry for entry in entries}
        with open(dest / "index.jsonl", "a", encoding="utf-8") as out_index:
            for gold in sorted((src / "gold").glob("*.txt")):
                name = "clean-" + gold.name
                text = gold.read_text(encoding="utf-8")
                (dest / "raw" / name).write_text(text, encoding="utf-8")
                (dest / "gold" / name).write_text(text, encoding="utf-8")
                with open(dest / "labels" / (name[:-len(".txt")] + ".jsonl"), "w", encoding="utf-8") as labels:
                    for i, line in enumerate(text.split("\n")):
                        if line.strip():
                            label = {"line": i, "label_seq": "CONTENT", "label": "CONTENT",
                                     "n_tokens": len(token.findall(line)), "text": line}
                            labels.write(json.dumps(label, ensure_ascii=False) + "\n")
                # The same id and domain as its page: heldout_sites.sh puts both in one fold.
                entry = dict(index.get(gold.name, {}), file=name)
                out_index.write(json.dumps(entry, ensure_ascii=False) + "\n")
                clean += 1
    wet = without_blank_lines(dest) if args.with_wet else 0
    pages = len(list((dest / "raw").glob("*.txt"))) - clean - wet
    print(f"wrote {dest}: {pages} pages without markdown, {clean} clean, {wet} without blank lines")


def without_blank_lines(dest):
    """Adds `wet-NAME` for every page of `dest`: the page without its blank lines, with its
    labels moved to the lines' new numbers. Returns how many."""
    entries = [json.loads(l) for l in open(dest / "index.jsonl", encoding="utf-8")]
    index = {entry["file"]: entry for entry in entries}
    pages = sorted((dest / "raw").glob("*.txt"))
    with open(dest / "index.jsonl", "a", encoding="utf-8") as out_index:
        for page in pages:
            lines = page.read_text(encoding="utf-8").split("\n")
            kept = [i for i, line in enumerate(lines) if line.strip()]
            new_number = {old: new for new, old in enumerate(kept)}
            name = "wet-" + page.name
            (dest / "raw" / name).write_text("\n".join(lines[i] for i in kept) + "\n", encoding="utf-8")
            shutil.copy(dest / "gold" / page.name, dest / "gold" / name)
            stem = page.name[:-len(".txt")]
            with open(dest / "labels" / (stem + ".jsonl"), encoding="utf-8") as labels, \
                    open(dest / "labels" / ("wet-" + stem + ".jsonl"), "w", encoding="utf-8") as out:
                for line in labels:
                    label = json.loads(line)
                    if label["line"] in new_number:
                        label["line"] = new_number[label["line"]]
                        out.write(json.dumps(label, ensure_ascii=False) + "\n")
            # The same id and domain as its page: heldout_sites.sh puts both in one fold.
            out_index.write(json.dumps(dict(index.get(page.name, {}), file=name), ensure_ascii=False) + "\n")
    return len(pages)


if __name__ == "__main__":
    main()
