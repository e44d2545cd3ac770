#!/usr/bin/env bash
# Regenerates the bundled sample sessions (deterministic: same seeds, same bytes).
#   bash samples/generate_sessions.sh [build-dir]
# - dog_10min_collar_harness.h5  10 min, two devices, eight of the ten behaviours labelled
# - dog_2min_collar.h5           2 min, collar only
# - harness_90s_g_dps.csv       90 s of the harness as a logger in g / deg/s / mG would write it
#   (+ harness_90s_labels.csv):  input for `imuwb import` demos (units are detected and reported)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-build}"
[[ "$build" = /* ]] || build="$root/$build"
imuwb="$build/bin/imuwb"
out="$root/samples/sessions"
mkdir -p "$out"
"$imuwb" generate --duration 10m --seed 1 --devices collar,harness --force \
  --out "$out/dog_10min_collar_harness.h5"
"$imuwb" generate --duration 2m --seed 2 --devices collar --force --out "$out/dog_2min_collar.h5"

# The CSV example is exported with Debian's python3 + h5py (plain numpy, as the format doc shows).
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$imuwb" generate --duration 90s --seed 10 --devices harness --force --out "$tmp/walk.h5"
/usr/bin/python3 - "$tmp/walk.h5" "$out/harness_90s_g_dps.csv" "$out/harness_90s_labels.csv" <<'PY'
import sys
import h5py
import numpy as np
src, csv_path, labels_path = sys.argv[1:4]
with h5py.File(src, "r") as f:
    x = f["devices/harness/imu"][()].astype(np.float64)
    rate = float(f.attrs["sample_rate_hz"])
    classes = list(f["labels/classes"].asstr()[()])
    start, end, index = (f["labels"][k][()] for k in ("start_s", "end_s", "class_index"))
t_ms = 1763700000000 + np.round(np.arange(len(x)) * 1000.0 / rate).astype(np.int64)
acc_g, gyro_dps, mag_mg = x[:, 0:3] / 9.80665, np.degrees(x[:, 3:6]), x[:, 6:9] * 10.0
with open(csv_path, "w") as out:
    out.write("timestamp_ms,acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z,mag_x,mag_y,mag_z\n")
    for i in range(len(x)):
        values = [*acc_g[i], *gyro_dps[i], *mag_mg[i]]
        out.write(str(t_ms[i]) + "," + ",".join(f"{v:.5f}" for v in values) + "\n")
with open(labels_path, "w") as out:
    out.write("start,end,label\n")
    for s, e, k in zip(start, end, index):
        out.write(f"{s:.2f},{e:.2f},{classes[k]}\n")
PY
ls -la "$out"
