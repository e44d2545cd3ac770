#!/usr/bin/env bash
# `make run`: the GUI on the bundled samples when there is a display, else the headless demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$build/bin/imuwb-gui" ]]; then
  # The 2-minute session first, so the two-device session (the sample model's input) is shown,
  # with the sample model's outputs computed at start (--run).
  exec "$build/bin/imuwb-gui" "$root/samples/sessions/dog_2min_collar.h5" \
    "$root/samples/sessions/dog_10min_collar_harness.h5" \
    "$root/samples/models/dog_behavior_conv2d" --run
fi
echo "run: no display found, running the headless demo instead"
exec bash "$root/scripts/demo.sh" "$build"
