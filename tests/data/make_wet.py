#!/usr/bin/env python3
"""Write tests/data/sample.warc.wet: a small Common Crawl-style WET file made here.

Records: a warcinfo, then conversion records whose texts carry no site signature, so
only their WARC-Target-URI can bring a site pack into scope. Headers vary in order and
include fields the parser does not know, as real WET files do over the years.
"""
import pathlib

ARTICLE = ("The committee met on Tuesday to review the budget, and members agreed that "
           "the proposal needed more work before it could go to a vote next month.\n")
GR_HEADER = "Region: [Asia](#), [Middle East](#)\n\nTheme: [Intelligence](#)\n\n"
UDAYAVANI_TAIL = ("Top News\n\nHeadline one about the city\n\nHeadline two about the state\n\n"
                  "Thanks for visiting Udayavani\n")

def record(headers, body=b""):
    lines = ["WARC/1.0"] + [f"{k}: {v}" for k, v in headers] + [f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body + b"\r\n\r\n"

def conversion(n, uri, text, extra=()):
    body = text.encode("utf-8")
    headers = [("WARC-Type", "conversion"), ("WARC-Target-URI", uri), ("WARC-Date", "2024-11-13T10:00:00Z"),
               ("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-00000000000{n}>"), *extra,
               ("Content-Type", "text/plain")]
    return record(headers, body)

out = b"".join([
    record([("WARC-Type", "warcinfo"), ("WARC-Date", "2024-11-13T10:00:00Z"), ("Content-Type", "application/warc-fields")],
           b"software: dechrome test fixture\r\n"),
    conversion(1, "https://www.globalresearch.ca/article/1", "Budget talks\n\n" + GR_HEADER + ARTICLE,
               [("WARC-Identified-Content-Language", "eng")]),
    conversion(2, "https://example.com/region-report", "Region report\n\n" + GR_HEADER + ARTICLE),
    conversion(3, "https://badglobalresearch.ca/x", "Lookalike host\n\n" + GR_HEADER + ARTICLE),
    conversion(4, "https://www.udayavani.com/news/1", "City news\n\n" + ARTICLE + "\n" + UDAYAVANI_TAIL,
               [("WARC-Refers-To", "<urn:uuid:ffffffff-0000-0000-0000-000000000004>")]),
])
pathlib.Path(__file__).with_name("sample.warc.wet").write_bytes(out)
