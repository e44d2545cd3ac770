#!/usr/bin/env python3
"""Independent coverage check of an imuwb calibration set against sessions (numpy + h5py).

Usage: calib_coverage_peer.py SET.npy SPANS SESSION.h5 [SESSION.h5 ...]
The set's range per channel is its min..max over every axis but the channel axis (axis 1 for the
model's NCHW layouts, the last otherwise, per <set>.json; without a manifest the last axis in
contract order and units). Every device of every session is read whole; a sample is z-scored in
float32 with the manifest's mean/std when the set holds normalized values, NaN/Inf are not
counted, and a sample is outside when below min or above max. Runs of consecutive outside rows
are spans [time of the first, time of the last + 1/rate); the first SPANS are kept per session,
device and channel. Prints one JSON object: channels [{name, min, max, samples, below, above}]
and outside [{session, device, channel, samples, outside, spans, first_spans}].
"""
import json
import os
import sys

import h5py
import numpy as np

CONTRACT = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]


def main(npy, keep, sessions):
    data = np.load(npy)
    manifest_path = npy + ".json"
    normalized, mean, std = False, None, None
    if os.path.exists(manifest_path):
        m = json.load(open(manifest_path))
        axis = 1 if m["layout"] in ("NCHW_devices", "NCHW_time_folded") else data.ndim - 1
        names = m["channel_order"]
        normalized = m["values"] == "normalized"
        mean = np.array(m["normalization"].get("mean", []), np.float32)
        std = np.array(m["normalization"].get("std", []), np.float32)
    else:
        axis, names = data.ndim - 1, CONTRACT[:data.shape[-1]]
    moved = np.moveaxis(data, axis, -1).reshape(-1, len(names))
    lo, hi = np.nanmin(moved, axis=0), np.nanmax(moved, axis=0)
    channels = [{"name": n, "min": float(lo[c]), "max": float(hi[c]), "samples": 0, "below": 0,
                 "above": 0} for c, n in enumerate(names)]
    outside = []
    for s, path in enumerate(sessions):
        with h5py.File(path, "r") as f:
            rate = float(f.attrs["sample_rate_hz"])
            for device in f["devices"]:
                imu = f[f"devices/{device}/imu"][()]
                time = f["time"][()] if "time" in f else np.arange(imu.shape[0]) / rate
                for c, name in enumerate(names):
                    ci = CONTRACT.index(name)
                    if ci >= imu.shape[1]:
                        continue
                    v = imu[:, ci].astype(np.float32)
                    finite = np.isfinite(v)
                    if normalized:
                        v = (v - mean[c]) / std[c]
                    below = finite & (v < lo[c])
                    above = finite & (v > hi[c])
                    out = below | above
                    channels[c]["samples"] += int(finite.sum())
                    channels[c]["below"] += int(below.sum())
                    channels[c]["above"] += int(above.sum())
                    if not out.any():
                        continue
                    rows = np.flatnonzero(out)
                    breaks = np.flatnonzero(np.diff(rows) != 1)
                    firsts = np.concatenate([[rows[0]], rows[breaks + 1]])
                    lasts = np.concatenate([rows[breaks], [rows[-1]]])
                    spans = [[float(time[a]), float(time[b] + 1.0 / rate)]
                             for a, b in zip(firsts[:keep], lasts[:keep])]
                    outside.append({"session": s, "device": device, "channel": name,
                                    "samples": int(finite.sum()), "outside": int(out.sum()),
                                    "spans": int(len(firsts)), "first_spans": spans})
    print(json.dumps({"channels": channels, "outside": outside}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
