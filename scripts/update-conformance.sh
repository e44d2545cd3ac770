#!/usr/bin/env bash
# Rewrites tests/conformance/conformance_expected.txt from a run of the ONNX node tests
# (after a change that makes tests pass or changes why they are refused). Fails, writing the
# file without them, while any test gives a WRONG result.
#   scripts/update-conformance.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
data="$(grep -E '^IMUWB_ONNX_NODE_TESTS:' "$build/CMakeCache.txt" | cut -d= -f2-)"
cmake --build "$build" --target conformance_node_tests
"$build/bin/conformance_node_tests" --data "$data" \
  --expected "$root/tests/conformance/conformance_expected.txt" --update
