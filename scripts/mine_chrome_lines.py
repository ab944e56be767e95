#!/usr/bin/env python3
"""Mine lines that are chrome on many sites into an exact-line pack.

    python3 scripts/mine_chrome_lines.py [EVAL_DIR] [OUT.toml] [--min-sites 4]

A line qualifies when, normalised roughly as the engine does (markdown links reduced to
their text, emphasis and list markers dropped, lower case), it is labelled CHROME on at
least --min-sites different sites, is never labelled CONTENT, has at most 6 words, and
names a page control (one of CONTROL_WORDS: share, sign, comment, menu, cookie…).
No site is named: only lines common to many sites are kept.

Why the last test: topic and place names ("Overview", "Energy", "Australia", "Politics")
are chrome on the dev pages as menu entries, but on other pages they are an article's
subheadings and list items, which a whole-line rule would take (a country ranking lost
"3. Australia"). Menu entries are the line scorer's to find, from their context.
"""
import argparse, collections, json, pathlib, re

here = pathlib.Path(__file__).resolve().parent
ap = argparse.ArgumentParser()
ap.add_argument("eval_dir", nargs="?", default=str(here.parent.parent / "shared/eval/dev"))
ap.add_argument("out", nargs="?", default=str(here.parent / "rules/generic/common-lines.toml"))
ap.add_argument("--min-sites", type=int, default=4)
args = ap.parse_args()

def norm(line):
    s = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
    s = re.sub(r"^\s*(?:[#>*+\-•]+|\d{1,3}[.)])\s+", "", s)
    s = re.sub(r"[*`\[\]]|(?<!\w)_|_(?!\w)", "", s)
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(s.split()).lower()

ev = pathlib.Path(args.eval_dir)
site = {}
for line in open(ev / "index.jsonl", encoding="utf-8"):
    r = json.loads(line)
    site[r["file"][:-4]] = r.get("domain") or r["file"][:-4]
chrome_sites = collections.defaultdict(set)
content = collections.Counter()
original = {}
for f in sorted((ev / "labels").glob("*.jsonl")):
    page = f.stem
    for line in open(f, encoding="utf-8"):
        r = json.loads(line)
        key = norm(r["text"])
        if not key or len(key.split()) > 6 or not re.search(r"[^\W\d_]", key):
            continue
        if r["label_seq"] == "CONTENT" or r["label"] == "CONTENT":
            content[key] += 1
        else:
            chrome_sites[key].add(site.get(page, page))
            original.setdefault(key, r["text"].strip())
# Words that name a control of the page rather than a topic. "cookies", "password" or
# "newsletters" alone are not among them: a recipe's or a guide's subheading can be that.
CONTROL_WORDS = set("""
advertise advertisement ad comment comments commentsrestacks reply discussion toplatestdiscussions
sign login log logout forgot account profile member share follow subscribe subscribesign
newsletter menu navigation toggle skip scroll top search site sitemap loading cookie consent
privacy choices cart read rss feed feeds related more most sponsored protected gov https
reserved quick helpful back min posts
""".split())

def names_a_control(key):
    return any(word.strip(".,:;?!()#") in CONTROL_WORDS for word in key.split())

def enough(key, sites):
    return len(sites) >= (args.min_sites * 2 if len(key.split()) == 1 else args.min_sites)

lines = sorted(k for k, sites in chrome_sites.items() if enough(k, sites) and content[k] == 0 and names_a_control(k))
out = ['[pack]\nname = "generic-common-lines"\n',
       'description = "Whole lines that name a page control and are chrome on at least %d sites of the dev split, never content there (scripts/mine_chrome_lines.py)."\n\n' % args.min_sites,
       '[[rule]]\nid = "common-chrome-line"\nkind = "line"\n',
       'why = "A whole line that names a page control (share, sign-in, comments, menu, cookie settings) on many sites."\n',
       "exact = [\n"]
out += [f"    {json.dumps(k, ensure_ascii=False)},\n" for k in lines]
out.append("]\n")
examples = [original[k] for k in lines[:3]]
out.append("examples.remove = [%s]\n" % ", ".join(json.dumps(e, ensure_ascii=False) for e in examples))
out.append('examples.keep = ["We shared the results with the committee on Tuesday."]\n')
pathlib.Path(args.out).write_text("".join(out), encoding="utf-8")
print(f"{len(lines)} lines into {args.out}")
