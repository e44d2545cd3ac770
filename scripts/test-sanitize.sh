#!/usr/bin/env bash
# `make test-sanitize`: builds core, the CLI and the core + CLI tests (no GUI, no benchmarks)
# with AddressSanitizer + UBSan in build-sanitize/, then runs those tests. Any sanitizer report
# aborts the process, so it fails its test. Prints the build and test wall times.
#
# Environment: SANITIZE_BUILD_DIR (build-sanitize), JOBS (nproc), CXX (default compiler: gcc).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SANITIZE_BUILD_DIR:-build-sanitize}
jobs=${JOBS:-$(nproc)}

flags="-O1 -g1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
start=$(date +%s)
if [ ! -f "$build/build.ninja" ]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  # A build type of its own, so no -O3/-DNDEBUG from Release: assertions stay armed.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Sanitize "${launcher[@]}" \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DIMUWB_BUILD_GUI=OFF -DIMUWB_BUILD_BENCH=OFF -DIMUWB_BUILD_FUZZ=OFF -DIMUWB_BUILD_TESTS=ON
fi
cmake --build "$build" -j "$jobs"
built=$(date +%s)

# detect_leaks: a leak fails the test too. The CLI tests run build-sanitize/bin/imuwb, so the
# child processes are checked with the same options.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
# packaging.deb packages imuwb-gui, which this build leaves out; `make test` runs it. The same
# no-skip rule as `make test`: a skipped or not-run test fails the run.
bash scripts/ctest-no-skips.sh "$build" -j "$jobs" -E '^packaging[.]deb$' || status=$?
done_at=$(date +%s)
echo "test-sanitize: build $((built - start)) s, tests $((done_at - built)) s, exit $status"
exit $status
