#!/usr/bin/env bash
# Time and peak memory of `annals check` and `annals build` on pathological inputs, each at
# two sizes (N and 2N): a linear cost roughly doubles, a quadratic one quadruples.
# Results: docs/VALIDATION.md ("Hostile inputs").
#
# Usage: scripts/hostile-bench.sh [CASE...]     default: every case of examples/gen_hostile.rs
# Environment:
#   SCALE=1       multiplies every case's N (SCALE=0.1 for a quick look)
#   LIMIT=120     seconds after which a run is stopped and reported as such
#   ANNALS=PATH   measure this annals binary (e.g. an older build) instead of building one
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

if [[ ! -x /usr/bin/time ]]; then
    echo "error: /usr/bin/time (GNU time) is needed for peak memory: apt-get install time" >&2
    exit 1
fi
scale=${SCALE:-1}
limit=${LIMIT:-120}

cargo build --release --quiet --bin annals --example gen_hostile
annals=${ANNALS:-$PWD/target/release/annals}
gen=$PWD/target/release/examples/gen_hostile

# The N of each case: big enough that a quadratic cost shows, small enough to run quickly
# when the cost is linear.
declare -A base=(
    [links]=50000 [headings]=20000 [yaml-flow]=100000 [yaml-block]=100000
    [unknown-people]=20000 [sources]=10000 [topics]=5000 [citations]=10000
    [blockquotes]=20000 [lists]=2000 [emphasis]=20000 [brackets]=20000 [long-title]=100000
)
cases=("$@")
if ((${#cases[@]} == 0)); then
    mapfile -t cases < <("$gen" --list | cut -f1)
fi

# In memory where there is a /dev/shm: on disk, creating and deleting tens of thousands
# of files run after run measures the file system more than annals (see scripts/bench.sh).
if [[ -d /dev/shm && -w /dev/shm ]]; then
    work=$(mktemp -d -p /dev/shm)
else
    work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT

# Runs annals with the given arguments; prints "seconds peak-MiB stderr-bytes exit".
measure() {
    local status=0
    /usr/bin/time -f '%e %M' -o "$work/time" timeout "$limit" "$annals" "$@" \
        >/dev/null 2>"$work/stderr" || status=$?
    local took peak
    # GNU time puts "Command exited with non-zero status N" first when it does.
    read -r took peak < <(tail -n 1 "$work/time") || true
    if ((status == 124)); then took=">$limit"; fi
    printf '%s %s %s %s\n' "${took:-?}" "$((${peak:-0} / 1024))" "$(wc -c <"$work/stderr")" "$status"
}

printf '%-15s %8s | %8s %7s %10s | %8s %7s %4s\n' \
    case N "check s" "MiB" "report B" "build s" "MiB" exit
for case in "${cases[@]}"; do
    n0=${base[$case]:-1000}
    n0=$(awk -v n="$n0" -v s="$scale" 'BEGIN { printf "%d", (n * s < 1 ? 1 : n * s) }')
    for n in "$n0" "$((n0 * 2))"; do
        site=$work/site-$case-$n
        "$gen" "$case" "$n" "$site"
        read -r c_s c_mib c_bytes _ < <(measure check --root "$site")
        read -r b_s b_mib _ b_exit < <(measure build --root "$site" --output "$work/out")
        printf '%-15s %8s | %8s %7s %10s | %8s %7s %4s\n' \
            "$case" "$n" "$c_s" "$c_mib" "$c_bytes" "$b_s" "$b_mib" "$b_exit"
        rm -rf "$site" "$work/out"
    done
done
