#!/usr/bin/env python3
"""Content lines lost and chrome lines kept, per profile, on the hand-made probe pages
(tests/data/probes/: pages unlike the dev split). The line marks come from tests/probes.rs,
so the script and the test judge the same lines.

    python3 scripts/probes.py [--plain] [conservative balanced aggressive]    (after cargo build --release)

--plain takes the pages' markdown out first (as scripts/plain_split.py does, line for line),
so the line scorer judges them with its plain-text weights.
"""
import json, pathlib, re, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parent.parent
binary = root / "target/release/dechrome"
# An entry may span lines (rustfmt breaks a long one), so whitespace includes newlines.
marks = re.findall(r'\(\s*"([\w-]+\.txt)",\s*&\[([\d,\s]*)\],\s*&\[([\d,\s]*)\],?\s*\)', (root / "tests/probes.rs").read_text())
numbers = lambda s: {int(x) for x in s.split(",") if x.strip()}

args = sys.argv[1:]
plain = "--plain" in args
if plain:
    args.remove("--plain")
    sys.path.insert(0, str(root / "scripts"))
    from plain_split import plain_text
    plain_tmp = tempfile.TemporaryDirectory()  # removed at exit
    plain_dir = pathlib.Path(plain_tmp.name)
    for name, _, _ in marks:
        (plain_dir / name).write_text(plain_text((root / "tests/data/probes" / name).read_text()))

for profile in args or ["conservative", "balanced", "aggressive"]:
    lost = kept_chrome = content = 0
    per_page = []
    for name, chrome, either in marks:
        chrome, either = numbers(chrome), numbers(either)
        path = (plain_dir if plain else root / "tests/data/probes") / name
        run = subprocess.run([binary, "clean", path, "--profile", profile, "--report", "-", "-o", "/dev/null", "-q"],
                             capture_output=True, text=True, check=True)
        removed = set()
        for r in json.loads(run.stdout.splitlines()[0])["removals"]:
            removed.update(range(r["lines"][0], r["lines"][1] + 1))
        page_lost = []
        for i, line in enumerate(path.read_text().split("\n"), 1):
            if not line.strip() or i in either:
                continue
            if i in chrome:
                kept_chrome += i not in removed
            else:
                content += 1
                if i in removed:
                    page_lost.append(i)
        lost += len(page_lost)
        per_page.append(f"{name} {page_lost}" if page_lost else f"{name} -")
    print(f"{profile}: {lost} of {content} content lines lost, {kept_chrome} chrome lines kept | lost: "
          + "; ".join(per_page))
