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
