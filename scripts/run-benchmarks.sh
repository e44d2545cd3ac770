#!/usr/bin/env bash
# `make bench`: every benchmark, each next to its independent peer measured in the same run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
for bench in "$build"/bin/bench_*; do
  [[ -x "$bench" ]] || continue
  echo "=== $(basename "$bench")"
  "$bench"
done
