#!/usr/bin/env bash
# The size of a built site's search index, and the bytes a typical query downloads:
# the manifest, the chunk of each word, the id list of each filter, and the record
# chunks its first page of results (20) is in — one when the results are dense, up to
# twenty when they are few and far apart in date order — plus, with a date range, the
# record chunks across either end of it. Results: docs/PERFORMANCE.md.
#
# Usage: scripts/search-bytes.sh OUTPUT [QUERY...]
#   OUTPUT  a built site (the folder holding search-index/)
#   QUERY   words and filters as the search page's address writes them, e.g.
#           'q=ceasefire talks' 'q=aid&topic=ceasefire&kind=quote'
#           default: a few typical queries of the benchmark corpus
#           (examples/gen_corpus.rs: topics such as ceasefire, places such as gaza).
#
# Bytes are as on the host's disk: every file but the manifest is gzipped (.json.gz),
# which is also about what a browser downloads, since hosts compress JSON on the way.
set -euo pipefail
export LC_ALL=C
if (($# < 1)) || [[ ! -f $1/search-index/index.json ]]; then
    echo "usage: scripts/search-bytes.sh OUTPUT [QUERY...]  (OUTPUT/search-index/index.json must exist)" >&2
    exit 2
fi
index=$1/search-index
shift
if (($# == 0)); then
    set -- 'q=ceasefire' 'q=humanitarian corridor' 'q=ceasefire&topic=ceasefire' \
        'q=talks&kind=quote&place=gaza' 'person=person-1&source=official' \
        'q=aid&publisher=publisher-21&from=2020-01-01&to=2020-12-31'
fi

echo "search index: $index"
for part in index.json w r f; do
    files=$(find "$index/$part" -type f | wc -l)
    bytes=$(find "$index/$part" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    printf '  %-10s %6d files %12d bytes\n' "$part" "$files" "$bytes"
done
files=$(find "$index" -type f | wc -l)
bytes=$(find "$index" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
printf '  %-10s %6d files %12d bytes\n' total "$files" "$bytes"

# The files a query reads, as static/search.js chooses them.
python3 - "$index" "$@" <<'EOF'
import gzip, json, os, sys, unicodedata, re
from urllib.parse import parse_qsl

index, queries = sys.argv[1], sys.argv[2:]
size = lambda path: os.path.getsize(os.path.join(index, path))
def load(path):
    full = os.path.join(index, path)
    return json.load(gzip.open(full) if path.endswith(".gz") else open(full))
manifest = load("index.json")
filters = ["person", "publisher", "topic", "place", "kind", "source"]

def words(text):
    # Close to the index's words for the corpus's ASCII text.
    folded = unicodedata.normalize("NFD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.findall(r"\w+", folded)

def file_key(key):
    return "".join(c if c.isascii() and c.isalnum() else "_%x" % ord(c) for c in key)

print("\nbytes a query downloads (manifest + word chunks + filter lists + record chunks of the first 20 results)")
for query in queries:
    asked = dict(parse_qsl(query))
    read = {"index.json": size("index.json")}
    ids = None
    terms = words(asked.get("q", ""))
    for i, word in enumerate(terms):
        key = word[: manifest["key_letters"]]
        if key not in manifest["keys"]:
            ids = set()
            continue
        path = "w/%s.json.gz" % file_key(key)
        read[path] = size(path)
        chunk = load(path)
        prefix = i == len(terms) - 1 and len(word) >= manifest["key_letters"]
        lists = [v for w, v in chunk.items() if (w.startswith(word) if prefix else w == word)]
        found = {x if x >= 0 else -1 - x for v in lists for x in v}
        ids = found if ids is None else ids & found
    for name in filters:
        if asked.get(name):
            path = "f/%s/%s.json.gz" % (name, asked[name])
            if not os.path.exists(os.path.join(index, path)):
                ids = set()
                continue
            read[path] = size(path)
            total, kept = 0, set()
            for gap in load(path):
                total += gap
                kept.add(total)
            ids = kept if ids is None else ids & kept
    lo, hi = asked.get("from"), asked.get("to")
    if lo or hi:
        # As search.js: ids in chunks whose span overlaps the range; of those in
        # chunks across an end of it, the records are read to check their dates.
        span = lambda i: manifest["dates"][i // manifest["chunk"]]  # [newest, oldest]
        overlaps = lambda s: (not lo or s[0] >= lo) and (not hi or s[1] <= hi)
        within = lambda s: (not lo or s[1] >= lo) and (not hi or s[0] <= hi)
        kept = set()
        for i in ids if ids is not None else range(manifest["dated"]):
            if i >= manifest["dated"] or not overlaps(span(i)):
                continue
            if within(span(i)):
                kept.add(i)
                continue
            path = "r/%d.json.gz" % (i // manifest["chunk"])
            read[path] = size(path)
            date = load(path)[i % manifest["chunk"]]["date"]
            if (not lo or date + "~" >= lo) and (not hi or date <= hi):
                kept.add(i)
        ids = kept
    matches = sorted(ids or [])
    for i in matches[:20]:
        path = "r/%d.json.gz" % (i // manifest["chunk"])
        read[path] = size(path)
    total = sum(read.values())
    chunks = sum(1 for path in read if path.startswith("r/"))
    print("  %-58s %7d results %9d bytes in %d files (%d record chunks)"
          % (query, len(matches), total, len(read), chunks))
    for path, bytes in read.items():
        print("      %-40s %9d" % (path, bytes))
EOF
