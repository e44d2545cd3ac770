#!/usr/bin/env bash
# `make run`: the GUI on the bundled samples when there is a display, else the headless demo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && -x "$build/bin/imuwb-gui" ]]; then
  exec "$build/bin/imuwb-gui" "$root"/samples/sessions/*.h5
fi
echo "run: no display found, running the headless demo instead"
exec bash "$root/scripts/demo.sh" "$build"
