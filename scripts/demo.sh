#!/usr/bin/env bash
# The headless demo: what imuwb does, on the bundled samples, with no display needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
imuwb="$build/bin/imuwb"
"$imuwb" version
# A bundled session: devices, rate, label histogram and validation findings.
"$imuwb" info "$root/samples/sessions/dog_10min_collar_harness.h5"
# The deployment flow, headless, into $build/demo: contract check, a run, a calibration set for
# the Hailo compiler, and CPU-vs-INT8 parity with that set (percentile range: gyro spikes).
# --force: a second demo replaces the first one's files.
demo="$build/demo"
mkdir -p "$demo"
model="$root/samples/models/dog_behavior_conv2d"
session="$root/samples/sessions/dog_10min_collar_harness.h5"
"$imuwb" check "$model" --session "$session"
"$imuwb" run --model "$model" --session "$session" --force --out "$demo/outputs.h5"
"$imuwb" calib-export --model "$model" --session "$session" --force --out "$demo/calib.npy"
"$imuwb" parity --model "$model" --session "$session" --a cpu --b int8 --calib "$demo/calib.npy" --force \
  --range percentile:99.99 --report "$demo/parity.json" --html "$demo/parity.html" \
  --junit "$demo/parity.xml"
echo "parity HTML report: $demo/parity.html"
