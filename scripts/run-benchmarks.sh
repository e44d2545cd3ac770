#!/usr/bin/env bash
# `make bench`: every benchmark, each next to its independent peer measured in the same run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
# bench_engine_throughput runs its ONNX Runtime peer (bench/peers/ort_throughput.js) itself, on the
# same windows and thread counts, and prints the imuwb/ORT table with ratios at the end.
# bench_resample runs scipy.signal.resample_poly (bench/peers/scipy_resample.py) on the same
# signals as BM_Scipy/<case> entries next to BM_Imuwb/<case> (same samples/s counters).
# bench_import_csv imports a generated 24 h two-device CSV (cached in $IMUWB_BENCH_CACHE, else
# TMPDIR/imuwb-bench-cache; IMUWB_BENCH_IMPORT_HOURS=N for a shorter one) with `imuwb import` and
# with pandas.read_csv + h5py (bench/peers/pandas_import.py), each a child process: wall_s and
# peak_rss_MB side by side.
# bench_serve_loopback starts `imuwb serve` and the FastAPI+uvicorn peer (bench/peers/fastapi_sidecar.py,
# Debian's /usr/bin/python3) one after the other and drives both with the same keep-alive client at
# 1, 8 and 32 clients: req/s, p50, p99 and the server's peak RSS, against the issue's targets.
# bench/batch_shards.sh: 1 vs 2 shard processes over 24 x 1 h recordings, and report merge of
# 10,000 generated results.
echo "=== batch_shards"
bash "$root/bench/batch_shards.sh" "$build"
for bench in "$build"/bin/bench_*; do
  [[ -x "$bench" ]] || continue
  echo "=== $(basename "$bench")"
  "$bench"
done
