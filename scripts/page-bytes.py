#!/usr/bin/env python3
"""Where the bytes of a built site's HTML pages go: for each part of a page
(JSON-LD, "Cite this" blocks, citation data, summaries, speaker lines, the
head, whitespace at the start of lines…), its bytes summed over every page.
A regular expression a part, so parts may overlap (the head holds the
JSON-LD). Figures: docs/PERFORMANCE.md.

Usage: scripts/page-bytes.py OUTPUT_DIR
"""
import collections
import os
import re
import sys

PARTS = {
    "citation data (#citations)": r'<script type="application/json" id="citations".*?</script>',
    "JSON-LD": r'<script type="application/ld\+json">.*?</script>',
    '"Cite this" blocks': r'<details class="cite".*?</details>',
    "of which plain-text citations": r'<pre class="cite-text">.*?</pre>',
    "speaker lines": r'<span class="speaker">.*?</span>\n',
    "whitespace at the start of lines": r"\n[ \t]+",
    "summaries on lists": r'<p class="summary".*?</p>',
    "charts": r'<figure class="chart">.*?</figure>',
    "period indexes": r'<nav class="toc".*?</nav>',
    "<head>": r"<head>.*?</head>",
    "site header": r'<header class="site-header">.*?</header>',
    "footer": r"<footer.*?</footer>",
    "permalinks": r'<a class="permalink".*?</a>',
    "<bdi>": r"</?bdi>",
}


def main(root):
    totals = collections.Counter()
    pages = 0
    size = 0
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".html"):
                continue
            with open(os.path.join(folder, name), encoding="utf-8") as page:
                text = page.read()
            pages += 1
            size += len(text.encode())
            for part, pattern in PARTS.items():
                found = re.findall(pattern, text, re.S)
                totals[part] += sum(len(match.encode()) for match in found)
    print(f"{pages:,} HTML pages, {size / 1e6:.1f} MB")
    for part, total in totals.most_common():
        print(f"{total / 1e6:8.1f} MB  {part}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
