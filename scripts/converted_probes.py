#!/usr/bin/env python3
"""The probe pages as real HTML-to-text converters print them, and what each profile makes
of that: content lines lost, chrome lines kept, and token F1 against the content lines.

    python3 scripts/converted_probes.py [--bin PATH] [TOOL…]    (after cargo build --release)

TOOL is w3m (`w3m -dump`, 80 columns, `•` bullets), w3m-wide (400 columns), lynx (`lynx
-dump`, numbered links and a References list) or lynx-nolist; default w3m and lynx-nolist.
Needs w3m and lynx (`apt-get install w3m lynx`) and Python's markdown package (`pip install
markdown`), none of which the project itself uses.

Each probe page (tests/data/probes/, marks from tests/probes.rs; not the `wet-*` pages,
which are text as a WET record has it) is rendered to HTML by
the markdown package, then dumped by the converter. A probe line is found in a text by its
words (markdown taken out, whitespace and bullets ignored), so a line the converter wraps
still counts; lines it does not print at all, and lines of under four characters, are left
out. A short line whose words also stand elsewhere in the output ("Partager" in "Partager
les frais") counts as found: the chrome counts are upper bounds, the content losses lower
bounds. Token F1 is score.py's kind (bags of lower-cased words, macro over pages) with the
content lines as the gold text.
"""
import argparse, collections, pathlib, re, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(root / "scripts"))
from plain_split import plain  # noqa: E402

import markdown  # noqa: E402

COMMANDS = {
    "w3m": ["w3m", "-dump", "-T", "text/html", "-cols", "80"],
    "w3m-wide": ["w3m", "-dump", "-T", "text/html", "-cols", "400"],
    "lynx": ["lynx", "-dump", "-width=80", "-force_html"],
    "lynx-nolist": ["lynx", "-dump", "-nolist", "-width=80", "-force_html"],
}

ap = argparse.ArgumentParser()
ap.add_argument("tools", nargs="*", help=f"any of {', '.join(COMMANDS)} (default: w3m lynx-nolist)")
ap.add_argument("--bin", default=str(root / "target/release/dechrome"))
ap.add_argument("--per-page", action="store_true", help="also print each page's token F1 (to compare two builds)")
args = ap.parse_args()
for tool in args.tools:
    if tool not in COMMANDS:
        ap.error(f"unknown tool {tool!r} (known: {', '.join(COMMANDS)})")

marks = re.findall(r'\("([\w-]+\.txt)", &\[([\d, ]*)\], &\[([\d, ]*)\]\)', (root / "tests/probes.rs").read_text())
# The `wet-*` pages are a converter's output already (one block per line, no blank lines):
# as markdown they would render as one paragraph, which no converter prints so.
marks = [m for m in marks if not m[0].startswith("wet-")]
numbers = lambda s: {int(x) for x in s.split(",") if x.strip()}
words = lambda t: " ".join(re.sub(r"[*_`#>\[\]|•▪·]", " ", t).split())
tokens = lambda t: collections.Counter(re.findall(r"\w+", t.lower()))

with tempfile.TemporaryDirectory() as tmp:
    tmp = pathlib.Path(tmp)
    for tool in args.tools or ["w3m", "lynx-nolist"]:
        converted = {}
        for name, _, _ in marks:
            page = (root / "tests/data/probes" / name).read_text()
            html = tmp / "page.html"
            html.write_text("<html><body>" + markdown.markdown(page, extensions=["tables", "fenced_code"]) + "</body></html>")
            text = subprocess.run(COMMANDS[tool] + [str(html)], capture_output=True, text=True, check=True).stdout
            converted[name] = tmp / f"{tool}-{name}"
            converted[name].write_text(text)
        for profile in ["conservative", "balanced", "aggressive"]:
            lost = kept = content = chrome_n = 0
            f1 = 0.0
            per_page = []
            for name, chrome, either in marks:
                chrome, either = numbers(chrome), numbers(either)
                page = (root / "tests/data/probes" / name).read_text().split("\n")
                out = subprocess.run([args.bin, "clean", str(converted[name]), "--profile", profile, "-q"],
                                     capture_output=True, text=True, check=True).stdout
                raw_words, out_words = words(converted[name].read_text()), words(out)
                page_lost = []
                for i, line in enumerate(page, 1):
                    line_words = words(plain(line))
                    if len(line_words) < 4 or i in either or line_words not in raw_words:
                        continue
                    if i in chrome:
                        chrome_n += 1
                        kept += line_words in out_words
                    else:
                        content += 1
                        if line_words not in out_words:
                            lost += 1
                            page_lost.append(i)
                if page_lost:
                    per_page.append(f"{name} {page_lost}")
                gold = tokens(" ".join(plain(l) for i, l in enumerate(page, 1) if i not in chrome))
                cleaned = tokens(out)
                common = sum((gold & cleaned).values())
                p, r = common / max(1, sum(cleaned.values())), common / max(1, sum(gold.values()))
                f1 += 2 * p * r / (p + r) if p + r else 0.0
                if args.per_page:
                    print(f"  {tool} {profile} {name}: token F1 {2 * p * r / (p + r) if p + r else 0.0:.4f}")
            print(f"{tool} {profile}: token F1 {f1 / len(marks):.4f}; {lost} of {content} content lines lost, "
                  f"{kept} of {chrome_n} chrome lines kept | lost: {'; '.join(per_page) or '-'}")
