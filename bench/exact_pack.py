#!/usr/bin/env python3
"""Turn a file of lines into one pack of exact-line rules (one rule per line).

    python3 bench/exact_pack.py LINES.txt OUT.toml
"""
import json, sys

lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    out.write('[pack]\nname = "bench-exact"\ndescription = "exact-line rules from %s"\n' % sys.argv[1].split("/")[-1])
    for i, line in enumerate(lines):
        out.write('\n[[rule]]\nid = "exact-%04d"\nkind = "line"\nwhy = "frequent line"\nraw = true\ncase_sensitive = true\nexact = [%s]\n' % (i, json.dumps(line, ensure_ascii=False)))
