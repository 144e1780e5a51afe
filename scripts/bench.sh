#!/usr/bin/env bash
# Cold builds of annals and Hugo on the same generated corpus, side by side, then the
# rebuild latency of `annals watch` on 10,000 articles. Results: docs/PERFORMANCE.md.
#
# Usage: scripts/bench.sh [ARTICLES...]      default: 1000 10000 (add 100000 when wanted)
# Environment:
#   RUNS=5          builds per tool and size; the median is reported
#   RELOAD_RUNS=7   edits per case in the watch benchmark
#   WATCH=0         skip the watch benchmark
#   HUGO=0          measure annals only (Hugo needs about 4 GiB at 10,000 articles)
#   OUT=DIR         where the builds write: default /dev/shm/annals-bench (memory), else
#                   target/bench/out. OUT=target/bench/out measures on disk: see below.
#   KEEP=1          keep the last build of each tool and size (default: removed at exit)
#
# Corpora are generated once into target/bench/corpus-N/{annals,hugo} and reused while
# examples/gen_corpus.rs is unchanged. Each build starts from no output directory (and,
# for Hugo, no resources/ or cache directory) after a `sync`; the corpus itself stays in
# the page cache, so "cold" means no previous output, not a cold disk. Wall time includes
# writing the files, not flushing them to disk. Runs of the two tools alternate so
# that a change in machine load affects both alike.
#
# Why memory by default: on an ext4 file system without a journal (the benchmark VM's),
# creating tens of thousands of files within minutes of deleting as many (the previous
# run's output) makes the kernel's inode allocator check and skip every recently freed
# inode (`recently_deleted`, `find_inode_bit`); that turned a 3.7 s build into 12 s, most
# of it system time, for annals and Hugo alike. In memory the figures measure the tools.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

sizes=("$@")
if ((${#sizes[@]} == 0)); then sizes=(1000 10000); fi
runs=${RUNS:-5}
reload_runs=${RELOAD_RUNS:-7}
for n in "${sizes[@]}" "$runs" "$reload_runs"; do
    if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
        echo "error: '$n' is not a positive number (usage: scripts/bench.sh [ARTICLES...], RUNS=N)" >&2
        exit 2
    fi
done
if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time" >&2
    exit 1
fi
hugo=
if [[ ${HUGO:-1} == 0 ]]; then
    echo "HUGO=0: only annals is measured" >&2
elif command -v hugo >/dev/null 2>&1; then
    hugo=$(command -v hugo)
else
    echo "hugo not installed: only annals is measured, no ratio (apt-get install hugo)" >&2
fi

bench=$root/target/bench
if [[ -n ${OUT:-} ]]; then
    out_root=$OUT
elif [[ -d /dev/shm && -w /dev/shm ]]; then
    out_root=/dev/shm/annals-bench
else
    out_root=$bench/out
fi
mkdir -p "$bench" "$out_root"
out_root=$(cd "$out_root" && pwd)
work=$(mktemp -d "$bench/run.XXXXXX")
cleanup() {
    rm -rf "$work"
    if [[ ${KEEP:-0} == 0 ]]; then
        local n
        for n in "${sizes[@]}"; do rm -rf "$out_root/annals-$n" "$out_root/hugo-$n"; done
        rmdir "$out_root" 2>/dev/null || true
    fi
}
trap cleanup EXIT

echo "building annals (release)…" >&2
cargo build --release --quiet --bin annals --example gen_corpus --example bench_reload
annals=$root/target/release/annals
gen=$root/target/release/examples/gen_corpus
stamp_value=$(sha256sum examples/gen_corpus.rs | cut -d' ' -f1)

# corpus N: generates target/bench/corpus-N unless it is there from the same generator.
corpus() {
    local n=$1 dir=$bench/corpus-$1
    if [[ -f $dir/stamp && $(cat "$dir/stamp") == "$stamp_value" ]]; then
        echo "corpus of $n articles: reusing $dir" >&2
        return
    fi
    echo "corpus of $n articles: generating into $dir…" >&2
    rm -rf "$dir"
    "$gen" --articles "$n" --out "$dir/annals" --hugo "$dir/hugo" >/dev/null
    echo "$stamp_value" >"$dir/stamp"
}

# measure SAMPLES OUT COMMAND...: one build into a fresh OUT; appends
# "wall_seconds peak_rss_kib cpu_percent" to SAMPLES.
measure() {
    local samples=$1 out=$2
    shift 2
    rm -rf "$out" "$(dirname "$out")/.$(basename "$out").annals-staging"
    sync # the previous build's writeback is not charged to this one
    local start=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "error: build failed: $*" >&2
        tail -n 30 "$work/log" >&2
        exit 1
    fi
    local end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" '
        /Maximum resident set size/ { rss = $NF }
        /Percent of CPU/ { cpu = $NF; sub(/%/, "", cpu) }
        END { printf "%.4f %d %s\n", e - s, rss, cpu }' "$work/time" >>"$samples"
}

# pages OUT: "html_pages redirect_stubs files megabytes" of a build output. Hugo writes a
# redirect stub (…/page/1/ → …/) for every paginated list: counted apart, not as pages.
pages() {
    local out=$1 html stubs
    html=$(find "$out" -name '*.html' -type f | wc -l)
    stubs=$(grep -rl --include='*.html' 'http-equiv="refresh"' "$out" | wc -l || true)
    echo "$((html - stubs)) $stubs $(find "$out" -type f | wc -l) $(du -sm "$out" | cut -f1)"
}

# summary SAMPLES: "median min max peak_rss_kib median_cpu"
summary() {
    python3 - "$1" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
walls = [float(r[0]) for r in rows]
print(f"{statistics.median(walls):.3f} {min(walls):.3f} {max(walls):.3f}",
      max(int(r[1]) for r in rows), int(statistics.median(int(r[2]) for r in rows)))
EOF
}

header=$(printf '| %-6s | %8s | %9s | %13s | %7s | %9s | %7s | %9s | %5s | %17s | %16s |' \
    tool articles "median s" "min-max s" pages pages/s redirects "peak MiB" "CPU%" "output files, MB" "Hugo/annals time")
rule=$(sed 's/[^|]/-/g' <<<"$header")
rows=()
row() { # tool n summary pages ratio
    local tool=$1 n=$2 ratio=$5 median min max rss cpu pg stubs files mb
    read -r median min max rss cpu <<<"$3"
    read -r pg stubs files mb <<<"$4"
    local line
    line=$(printf '| %-6s | %8s | %9s | %13s | %7s | %9s | %7s | %9s | %5s | %17s | %16s |' \
        "$tool" "$n" "$median" "$min-$max" "$pg" \
        "$(awk -v p="$pg" -v t="$median" 'BEGIN { printf "%.0f", p / t }')" \
        "$stubs" "$((rss / 1024))" "$cpu" "$files, $mb" "$ratio")
    rows+=("$line")
    echo "$line"
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; $(uname -sr); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hugo_version="hugo not installed"
if [[ -n $hugo ]]; then
    hugo_version=$("$hugo" version | awk '{ print $1, $2 }')
elif [[ ${HUGO:-1} == 0 ]]; then
    hugo_version="hugo not measured (HUGO=0)"
fi
dirty=$(git diff --quiet HEAD -- src templates static Cargo.toml Cargo.lock || echo ' with uncommitted changes')
echo "annals $(git rev-parse --short HEAD)$dirty; $hugo_version"
echo "runs per tool and size: $runs; output under $out_root"
echo
echo "$header"
echo "$rule"
for n in "${sizes[@]}"; do
    corpus "$n"
    site=$bench/corpus-$n
    : >"$work/annals.$n"
    : >"$work/hugo.$n"
    for ((i = 1; i <= runs; i++)); do
        measure "$work/annals.$n" "$out_root/annals-$n" \
            "$annals" build --root "$site/annals" --output "$out_root/annals-$n"
        progress="  $n articles, run $i/$runs: annals $(tail -n 1 "$work/annals.$n" | cut -d' ' -f1) s"
        if [[ -n $hugo ]]; then
            rm -rf "$site/hugo/resources" "$work/hugo-cache"
            measure "$work/hugo.$n" "$out_root/hugo-$n" \
                "$hugo" --source "$site/hugo" --destination "$out_root/hugo-$n" \
                --cacheDir "$work/hugo-cache" --quiet
            progress+=", hugo $(tail -n 1 "$work/hugo.$n" | cut -d' ' -f1) s"
        fi
        echo "$progress" >&2
    done
    annals_summary=$(summary "$work/annals.$n")
    if [[ -n $hugo ]]; then
        hugo_summary=$(summary "$work/hugo.$n")
        ratio=$(awk -v a="${annals_summary%% *}" -v h="${hugo_summary%% *}" \
            'BEGIN { printf "%.2fx", h / a }')
        row annals "$n" "$annals_summary" "$(pages "$out_root/annals-$n")" "$ratio"
        row hugo "$n" "$hugo_summary" "$(pages "$out_root/hugo-$n")" ""
    else
        row annals "$n" "$annals_summary" "$(pages "$out_root/annals-$n")" "-"
    fi
done

if ((${#sizes[@]} > 1)); then
    echo
    echo "$header"
    echo "$rule"
    printf '%s\n' "${rows[@]}"
fi

if [[ ${WATCH:-1} != 0 ]]; then
    echo
    scripts/bench-reload.sh 10000 "$reload_runs"
fi
