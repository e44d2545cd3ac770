#!/usr/bin/env bash
# Batch benches (docs/scale.md):
#  1. parity (cpu vs int8, no per-layer analysis) over 24 generated 1 h two-device recordings,
#     as 1 process, then as 2 shard processes side by side: wall time, recording hours per wall
#     hour, scaling efficiency = t(1) / (2 * t(2)).
#  2. `imuwb report merge` of 10,000 generated per-recording results (target <= 10 s): evaluate
#     results (2 sides, 5 classes) with their fit data files of 120 and of 600 labelled windows
#     each (the merge fits temperature and conformal sets over all of them), and parity results
#     of 3 outputs x 120 windows each; wall time and peak memory.
# usage: batch_shards.sh [BUILD_DIR] [all|merge]   (merge: part 2 only; IMUWB_BENCH_CACHE keeps
#        the sessions between runs)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
imuwb="$build/bin/imuwb"
model="$root/samples/models/dog_behavior_conv2d"
cache="${IMUWB_BENCH_CACHE:-${TMPDIR:-/tmp}/imuwb-bench-cache}/batch-24x1h"
work="$(mktemp -d "${TMPDIR:-/tmp}/imuwb-batch-bench-XXXXXX")"
trap 'rm -rf "$work"' EXIT
part="${2:-all}"
now() { date +%s.%N; }

merge_bench() {
  local kind=$1 windows=$2 dir="$work/m-$1-$2" s e
  /usr/bin/python3 "$root/bench/peers/batch_results.py" "$kind" 10000 "$dir" "$windows"
  s=$(now)
  /usr/bin/time -f "%M" -o "$dir.rss" "$imuwb" report merge "$dir" --report "$dir.json" >/dev/null
  e=$(now)
  /usr/bin/python3 -c "import sys; print(f'report merge of 10,000 {sys.argv[3]} results ({sys.argv[4]} windows each): {float(sys.argv[2]) - float(sys.argv[1]):.2f} s, peak {int(open(sys.argv[5]).read().split()[-1]) / 1024:.0f} MB (target <= 10 s)')" "$s" "$e" "$kind" "$windows" "$dir.rss"
  rm -rf "$dir"
}

if [[ "$part" == merge ]]; then
  merge_bench evaluate 120
  merge_bench evaluate 600
  merge_bench parity 120
  exit 0
fi

mkdir -p "$cache"
for i in $(seq 0 23); do
  [[ -f "$cache/r$i.h5" ]] || "$imuwb" generate --duration 1h --seed "$((500 + i))" \
    --devices collar,harness --out "$cache/r$i.h5" >/dev/null
done
[[ -f "$cache/calib.npy" ]] || "$imuwb" calib-export --model "$model" --session "$cache/r0.h5" \
  --windows 256 --out "$cache/calib.npy" >/dev/null
args=(parity --model "$model" --session "$cache" --calib "$cache/calib.npy" --no-layers
  --root "$cache")

t0=$(now)
"$imuwb" "${args[@]}" --out-dir "$work/one" >/dev/null
t1=$(now)
"$imuwb" "${args[@]}" --out-dir "$work/two" --shard 0/2 >"$work/s0.log" &
p0=$!
"$imuwb" "${args[@]}" --out-dir "$work/two" --shard 1/2 >"$work/s1.log" &
p1=$!
wait $p0 $p1
t2=$(now)
cat "$work/s0.log" "$work/s1.log"
/usr/bin/python3 - "$t0" "$t1" "$t2" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:])
one, two = t1 - t0, t2 - t1
print(f"parity 24 x 1 h: 1 process {one:.1f} s ({24 / one * 3600:.0f} recording-h per wall-h), "
      f"2 shards {two:.1f} s ({24 / two * 3600:.0f}); speed-up {one / two:.2f}, "
      f"scaling efficiency {one / (2 * two):.0%}")
PY
"$imuwb" report merge "$work/one" --report "$work/one.json" >/dev/null
"$imuwb" report merge "$work/two" --report "$work/two.json" >/dev/null
cmp -s <(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"])' "$work/one.json") \
  <(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"])' "$work/two.json") &&
  echo "merged metrics: 1 process == 2 shards"

merge_bench evaluate 120
merge_bench evaluate 600
merge_bench parity 120
