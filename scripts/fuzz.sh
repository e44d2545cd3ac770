#!/usr/bin/env bash
# Builds the libFuzzer harnesses (fuzz/) in build-fuzz/ with clang and ASan+UBSan, and runs each
# for FUZZ_SECONDS (default 60), one at a time on one core. docs/reliability.md explains it.
#
#   scripts/fuzz.sh [build|seeds|run] [harness...]     (no command: build, seeds, run all)
#
# Environment: FUZZ_SECONDS (per harness), FUZZ_RUNS (executions per harness, passed as -runs=;
# default unlimited: a run ends at FUZZ_RUNS or FUZZ_SECONDS, whichever comes first),
# FUZZ_RSS_MB (2048), FUZZ_TIMEOUT (25 s per input), FUZZ_BUILD_DIR (build-fuzz), JOBS (2),
# FUZZ_KEEP_GOING (1: libFuzzer's fork mode with one worker, which records a crash and goes on;
# 0: stop at the first crash). Corpora grow across runs in build-fuzz/corpus/<harness>;
# crashes land in build-fuzz/artifacts/<harness>/. Copy a fixed crash into
# fuzz/regression/<harness>/ so ctest replays it for ever.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
runs=${FUZZ_RUNS:-}
rss_mb=${FUZZ_RSS_MB:-2048}
timeout_s=${FUZZ_TIMEOUT:-25}
jobs=${JOBS:-2}
keep_going=${FUZZ_KEEP_GOING:-1}
all="session_h5 npy onnx manifest json_window sidecar_body csv_import labels_csv"  # most hostile first

command=${1:-all}
[ $# -gt 0 ] && shift
harnesses=${*:-$all}

configure() {
  [ -f "$build/build.ninja" ] && return
  command -v clang++-14 >/dev/null || { echo "fuzz: clang++-14 missing; run make bootstrap" >&2; exit 2; }
  # -fno-sanitize=function: its type checks emit weak typeinfo symbols into the ISA-specific
  # engine objects, which core/engine/isa/CheckIsaObjects.cmake rightly refuses.
  local sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function"
  sanitize+=" -fno-sanitize-recover=undefined"
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # -O1 -g: the usual fuzzing trade-off (fast enough, readable stacks). No NDEBUG, so the
  # assertions in Eigen and our code stay armed.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" \
    -DCMAKE_C_FLAGS="-O1 -g -fno-omit-frame-pointer $sanitize" \
    -DCMAKE_CXX_FLAGS="-O1 -g -fno-omit-frame-pointer $sanitize -Wno-unknown-warning-option" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DIMUWB_BUILD_GUI=OFF -DIMUWB_BUILD_TESTS=OFF -DIMUWB_BUILD_BENCH=OFF -DIMUWB_BUILD_FUZZ=ON
}

build_harnesses() {
  configure
  local targets=()
  for h in $harnesses; do targets+=("fuzz_$h"); done
  cmake --build "$build" -j "$jobs" --target "${targets[@]}"
}

run_one() {
  local h=$1 corpus=$build/corpus/$1 log=$build/logs/$1.log
  mkdir -p "$corpus" "$build/artifacts/$h" "$build/logs"
  local options=(-max_total_time="$seconds" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb"
    -timeout="$timeout_s" -print_final_stats=1 -artifact_prefix="$build/artifacts/$h/")
  [ -n "$runs" ] && options+=(-runs="$runs")
  [ -f "fuzz/dict/$h.dict" ] && options+=(-dict="fuzz/dict/$h.dict")
  [ "$keep_going" = 1 ] && options+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  echo "fuzz: $h for ${seconds}s${runs:+ or $runs runs} (log: $log)"
  local status=0
  # libhdf5 has no frame pointers: the fast unwinder stops inside it, and fuzz/lsan.supp's
  # function names never match. The slow unwinder costs session_h5 about a third of its rate.
  local unwind=""
  [ "$h" = session_h5 ] && unwind=":fast_unwind_on_malloc=0"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1$unwind} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
  LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp} \
    "$build/bin/fuzz_$h" "${options[@]}" "$corpus" "$build/seeds/$h" >"$log" 2>&1 || status=$?
  # The last status line ("#N: cov: C ft: F corp: U exec/s: R ..." in fork mode,
  # "#N DONE cov: C ft: F corp: U/.. exec/s: R" otherwise) has the final figures.
  local last execs rate cov ft units
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$last")
  rate=$(grep -oE 'exec/s:? [0-9]+' <<<"$last" | grep -oE '[0-9]+$' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  units=$(ls "$corpus" | wc -l)
  printf '%-12s status %d  execs %s  exec/s %s  cov %s  ft %s  corpus %s  artifacts %s\n' "$h" "$status" \
    "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "$units" "$(ls "$build/artifacts/$h" | wc -l)" | tee -a "$build/logs/summary.txt"
  return "$status"
}

run_all() {
  [ -d "$build/seeds" ] || bash fuzz/make-seeds.sh "$build/seeds"
  local failed=0
  for h in $harnesses; do run_one "$h" || failed=1; done
  [ $failed -eq 0 ] || { echo "fuzz: findings above; reproducers in $build/artifacts/" >&2; exit 1; }
}

case $command in
  build) build_harnesses ;;
  seeds) bash fuzz/make-seeds.sh "$build/seeds" ;;
  run) run_all ;;
  all) build_harnesses; bash fuzz/make-seeds.sh "$build/seeds"; run_all ;;
  *) harnesses="$command $harnesses"; build_harnesses; bash fuzz/make-seeds.sh "$build/seeds"; run_all ;;
esac
