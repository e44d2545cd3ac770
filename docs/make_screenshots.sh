#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png with `imuwb-gui --screenshot` (offscreen, no display needed).
# Usage: docs/make_screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
gui="$build/bin/imuwb-gui"
out="$root/docs/screenshots"
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen
session="$root/samples/sessions/dog_10min_collar_harness.h5"
model="$root/samples/models/dog_behavior_conv2d"
shot() { "$gui" "$@"; }

# The whole window after a run of the sample model on the 10-minute two-device session.
shot "$session" "$model" --screenshot "$out/overview.png" --theme light --size 1600x1000
shot "$session" "$model" --screenshot "$out/overview-dark.png" --theme dark --size 1600x1000
# The default layout at the smallest and a large screen size, in both themes (issue 15).
for size in 1024x700 2560x1440; do
  for theme in light dark; do
    shot "$session" "$model" --screenshot "$out/layout-$size-$theme.png" --theme "$theme" \
      --size "$size"
  done
done
# Zoomed in to 20 s of walking and trotting: raw samples, label and predicted bands, a selection.
shot "$session" "$model" --screenshot "$out/timeline-zoom.png" --view timeline --theme light \
  --size 1600x1000 --range 225:245 --select 232:236
# Label editing (issue 17): 40 s under review, an interval selected with a note, the Labels dock.
shot "$session" "$model" --screenshot "$out/label-editing.png" --label-edit --theme light \
  --size 1600x1000 --range 80:120
# The output views on their own.
shot "$session" "$model" --screenshot "$out/probabilities.png" --view probabilities --theme light --size 1600x1000
shot "$session" "$model" --screenshot "$out/motifs.png" --view motifs --theme light --size 1600x1000
# The alternative styles: probabilities as stacked areas, motif scores as a heatmap.
shot "$session" "$model" --screenshot "$out/probabilities-stacked.png" --view probabilities \
  --probabilities stacked --theme light --size 1600x1000
shot "$session" "$model" --screenshot "$out/motifs-heatmap.png" --view motifs --motifs heatmap \
  --theme light --size 1600x1000
shot "$session" "$model" --screenshot "$out/latent.png" --view latent --theme light --size 1600x1000
# Review mode: the agreement strip under the signals, the review dock raised, the cursor on the
# sixth disagreement in a one-minute view.
shot "$session" "$model" --screenshot "$out/review.png" --theme light --size 1600x1000 \
  --range 200:260 --review 6
# Live playback, as fast as the backend goes, with the latency readout.
shot "$session" "$model" --screenshot "$out/playback.png" --play --theme light --size 1600x1000
# An imported CSV in g and deg/s: the session browser lists the unit conversions and findings.
shot "$root/samples/sessions/harness_90s_g_dps.csv" --screenshot "$out/sessions.png" \
  --view sessions --theme light --size 1600x1000
# A whole day, two devices (8.64 M rows each), generated on the fly: min/max decimation at work.
if [[ -x "$build/bin/imuwb" ]]; then
  day="$(mktemp -d)"
  "$build/bin/imuwb" generate --duration 24h --seed 3 --out "$day/day24h.h5"
  shot "$day/day24h.h5" --screenshot "$out/day24h.png" --theme light --size 1600x1000
  rm -rf "$day"
fi
# The parity and evaluation views: cpu against int8, calibrated from a set exported by the CLI.
if [[ -x "$build/bin/imuwb" ]]; then
  calib="$(mktemp -d)"
  "$build/bin/imuwb" calib-export --model "$model" --session "$session" --out "$calib/calib.npy" \
    --windows 1024 >/dev/null
  shot "$session" "$model" --parity "$calib/calib.npy" --screenshot "$out/parity.png" \
    --view parity --theme light --size 1600x1000
  # The evaluation panel: cpu against int8 against the session's labels, the most confused
  # cell's windows listed; then the whole window with the set-size strip under the probabilities.
  shot "$session" "$model" --evaluate "$calib/calib.npy" --screenshot "$out/evaluation.png" \
    --view evaluation --theme light --size 1600x1000
  shot "$session" "$model" --evaluate "$calib/calib.npy" \
    --screenshot "$out/evaluation-window.png" --theme light --size 1600x1000 --range 200:320
  rm -rf "$calib"
fi
# Tools > Export Calibration Set…: two ranges (one from a timeline selection), five classes,
# balanced, and the other open session's coverage of a set the CLI exported with those choices.
if [[ -x "$build/bin/imuwb" ]]; then
  calib="$(mktemp -d)"
  "$build/bin/imuwb" calib-export --model "$model" --session "$session" --out "$calib/calib.npy" \
    --windows 1024 --range collar:20-300 --range harness:380-580 \
    --classes walk,trot,stand,sit,lie_down --balance classes >/dev/null
  shot "$root/samples/sessions/dog_2min_collar.h5" "$session" "$model" --calib-dialog \
    --select 20:300 --calib-range harness:380-580 --calib-classes walk,trot,stand,sit,lie_down \
    --calib-balance classes --calib-check "$calib/calib.npy" --screenshot "$out/calib-export.png" \
    --theme light --size 1600x1000
  rm -rf "$calib"
fi
# Tools > Convert for Hailo-8…: the pipeline's TCN encoder converted to NHWC, proved on the
# 2-minute session's windows.
shot "$root/samples/sessions/dog_2min_collar.h5" "$root/samples/models/tcn_encoder/manifest.json" \
  --convert-dialog --convert-layout nhwc --screenshot "$out/convert.png" --theme light \
  --size 1600x1000
echo "screenshots written to $out"
