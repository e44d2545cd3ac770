#!/usr/bin/env python3
"""Independent numpy windowing of an imuwb session, compared with imuwb's own windows.

Usage: window_peer.py SESSION.h5 CASE_DIR
CASE_DIR holds config.json (layout, devices, channel_order, mean, std, applied_by, stride,
label_rule, window_length, shape) and imuwb's batch.npy, start.npy, label.npy, skipped.json
and optionally mixed.npy (1 where a window's rows carry more than one label, unlabelled = -1).
Reads the session with plain h5py, cuts windows with numpy, skips windows that straddle time
gaps (step <= 0 or > 1.5 / rate) or hold NaN/Inf in a used device, labels them by the centre
sample or by majority, z-scores in float32, lays them out, and requires exact equality.
Prints OK or what differs; exits 1 on any difference.
"""
import json
import os
import sys

import h5py
import numpy as np

CONTRACT = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]


def main(session_path, case_dir):
    config = json.load(open(os.path.join(case_dir, "config.json")))
    with h5py.File(session_path, "r") as f:
        rate = float(f.attrs["sample_rate_hz"])
        data = {d: f[f"devices/{d}/imu"][()] for d in config["devices"]}
        rows = next(iter(data.values())).shape[0]
        time = f["time"][()] if "time" in f else np.arange(rows) / rate
        classes = [c.decode() if isinstance(c, bytes) else c for c in f["labels/classes"][()]]
        starts_s, ends_s, index = f["labels/start_s"][()], f["labels/end_s"][()], f["labels/class_index"][()]

    T, stride = config["window_length"], config["stride"]
    order = [CONTRACT.index(c) for c in config["channel_order"]]
    stack = np.stack([data[d][:, :max(order) + 1] for d in config["devices"]])  # [D, rows, 9|6]

    row_label = np.full(rows, -1)
    for s, e, k in sorted(zip(starts_s, ends_s, index)):
        row_label[(time >= s) & (time < e)] = k

    bad_step = ~((np.diff(time) > 0) & (np.diff(time) <= 1.5 / rate))
    bad_row = ~np.isfinite(stack[:, :, order]).all(axis=(0, 2))  # only the channels used
    windows, starts, labels, mixed = [], [], [], []
    gap = nan = 0
    for start in range(0, rows - T + 1, stride):
        if bad_step[start:start + T - 1].any():
            gap += 1
            continue
        if bad_row[start:start + T].any():
            nan += 1
            continue
        w = stack[:, start:start + T, :][:, :, order].astype(np.float32)  # [D, T, C] model order
        if config["applied_by"] == "host":
            w = (w - np.array(config["mean"], np.float32)) / np.array(config["std"], np.float32)
        windows.append(w)
        starts.append(start)
        centre = row_label[start + T // 2]
        mixed.append(int(len(np.unique(row_label[start:start + T])) > 1))
        if config["label_rule"] == "centre":
            labels.append(centre)
        else:
            values, counts = np.unique(row_label[start:start + T], return_counts=True)
            best = values[counts == counts.max()]
            labels.append(centre if centre in best else best.min())
    x = np.stack(windows)  # [W, D, T, 9] canonical
    layout = config["layout"]
    if layout == "NTC":
        out = x[:, 0]
    elif layout == "NHWC_devices":
        out = x
    elif layout == "NCHW_devices":
        out = x.transpose(0, 3, 1, 2)
    elif layout == "NCHW_time_folded":
        folds, width = config["shape"][2], config["shape"][3]
        out = x[:, 0].reshape(len(x), folds, width, len(order)).transpose(0, 3, 1, 2)
    else:
        raise SystemExit("unknown layout " + layout)

    got = np.load(os.path.join(case_dir, "batch.npy"))
    got_start = np.load(os.path.join(case_dir, "start.npy"))
    got_label = np.load(os.path.join(case_dir, "label.npy"))
    skipped = json.load(open(os.path.join(case_dir, "skipped.json")))
    problems = []
    if got.shape != out.shape:
        problems.append(f"batch shape {got.shape} != numpy {out.shape}")
    elif not np.array_equal(got, out.astype(np.float32)):
        diff = np.abs(got - out)
        problems.append(f"batch values differ: max |diff| {diff.max()} at {np.unravel_index(diff.argmax(), diff.shape)}")
    if not np.array_equal(got_start, np.array(starts)):
        problems.append(f"start indices differ ({len(got_start)} vs {len(starts)})")
    if not np.array_equal(got_label, np.array(labels)):
        problems.append(f"labels differ at {np.flatnonzero(got_label != np.array(labels))[:5]}")
    mixed_path = os.path.join(case_dir, "mixed.npy")
    if os.path.exists(mixed_path):
        got_mixed = np.load(mixed_path)
        if not np.array_equal(got_mixed, np.array(mixed)):
            problems.append(f"mixed-label flags differ at {np.flatnonzero(got_mixed != np.array(mixed))[:5]}")
        elif sum(mixed) == 0:
            problems.append("the fixture should have windows straddling label boundaries")
    if skipped["gap"] != gap or skipped["nan"] != nan:
        problems.append(f"skips imuwb gap={skipped['gap']} nan={skipped['nan']} vs numpy gap={gap} nan={nan}")
    if gap == 0 or nan == 0:
        problems.append("the fixture should exercise both skip reasons")
    if problems:
        print("\n".join(problems))
        return 1
    print(f"OK {layout}: {len(x)} windows, {gap} gap + {nan} NaN skipped, classes {len(classes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
