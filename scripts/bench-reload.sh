#!/usr/bin/env bash
# Rebuild latency of `annals watch` on a generated site (default 10,000 articles).
# Usage: scripts/bench-reload.sh [ARTICLES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-10000}
runs=${2:-7}
site=target/bench/reload-$articles
cargo build --release --quiet
cargo run --release --quiet --example gen_corpus -- --articles "$articles" --out "$site"
echo "annals watch, $articles articles, $runs runs each, $(nproc) cores"
cargo run --release --quiet --example bench_reload -- "$site" "$runs"
