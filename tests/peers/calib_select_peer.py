#!/usr/bin/env python3
"""Independent recomputation of an imuwb calibration set's selection (calib-export --range,
--classes, --balance) and manifest statistics, with numpy, h5py and hashlib.

Usage: calib_select_peer.py CONFIG.json
CONFIG: {"npy": path, "sessions": [paths], "devices": [[names per H] per session],
         "stride": int, "window_length": int, "channel_order": [...],
         "normalize": bool, "mean": [...], "std": [...],
         "ranges": [{"device", "start_s", "end_s"}], "classes": [...], "label_filter": bool}
Recomputes every window the rule accepts: stride windows over each session, skipping windows
that straddle time gaps or hold NaN/Inf; then (1) ranges: [time[start], time[start+T-1] + 1/rate)
inside [START - 1e-6, END + 1e-6] of a range whose device feeds the window; (2) label filter:
centre-sample label must exist, the window's rows must carry a single label, and the label must be
in classes (when given). Windows are cut [H, T, C] in the model's channel order and z-scored in
float32 when normalize. Each exported window of the .npy is looked up among the candidates by its
exact bytes. Prints one JSON object: counts, candidate and exported histograms, how many exported
windows are candidates (members), duplicates, whether the exported set equals the candidate set,
numpy.percentile (linear) per channel of the .npy values and of the matched windows' raw values,
and the sessions' sha256.
"""
import hashlib
import json
import sys

import h5py
import numpy as np

CONTRACT = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]
PERCENTILES = [0.1, 1.0, 50.0, 99.0, 99.9]
TOL = 1e-6


def session_windows(path, devices, cfg, counts):
    T, stride = cfg["window_length"], cfg["stride"]
    order = [CONTRACT.index(c) for c in cfg["channel_order"]]
    with h5py.File(path, "r") as f:
        rate = float(f.attrs["sample_rate_hz"])
        data = np.stack([f[f"devices/{d}/imu"][()][:, order] for d in devices])  # [H, rows, C]
        rows = data.shape[1]
        time = f["time"][()] if "time" in f else np.arange(rows) / rate
        classes = [c.decode() if isinstance(c, bytes) else c for c in f["labels/classes"][()]]
        starts_s, ends_s, index = f["labels/start_s"][()], f["labels/end_s"][()], f["labels/class_index"][()]
    row_label = np.full(rows, -1)
    for s, e, k in sorted(zip(starts_s, ends_s, index)):
        row_label[(time >= s) & (time < e)] = k
    bad_step = ~((np.diff(time) > 0) & (np.diff(time) <= 1.5 / rate))
    bad_row = ~np.isfinite(data).all(axis=(0, 2))
    out = []
    for start in range(0, rows - T + 1, stride):
        if bad_step[start:start + T - 1].any() or bad_row[start:start + T].any():
            continue
        counts["windows"] += 1
        t0, t1 = time[start], time[start + T - 1] + 1.0 / rate
        if cfg["ranges"] and not any(
                r["device"] in devices and t0 >= r["start_s"] - TOL and t1 <= r["end_s"] + TOL
                for r in cfg["ranges"]):
            counts["out_of_range"] += 1
            continue
        label = int(row_label[start + T // 2])
        name = classes[label] if label >= 0 else "unlabelled"
        if cfg["label_filter"]:
            if label < 0:
                counts["unlabelled"] += 1
                continue
            if len(np.unique(row_label[start:start + T])) > 1:
                counts["straddling"] += 1
                continue
            if cfg["classes"] and name not in cfg["classes"]:
                counts["other_class"] += 1
                continue
        raw = data[:, start:start + T, :].astype(np.float32)
        held = raw
        if cfg["normalize"]:
            held = (raw - np.array(cfg["mean"], np.float32)) / np.array(cfg["std"], np.float32)
        out.append((held, raw, name))
    return out


def main(config_path):
    cfg = json.load(open(config_path))
    counts = {"windows": 0, "out_of_range": 0, "unlabelled": 0, "straddling": 0, "other_class": 0}
    candidates = []
    for path, devices in zip(cfg["sessions"], cfg["devices"]):
        candidates += session_windows(path, devices, cfg, counts)
    by_bytes = {}
    for held, raw, name in candidates:
        by_bytes.setdefault(held.astype(np.float32).tobytes(), []).append((raw, name))
    got = np.load(cfg["npy"])
    members, seen, histogram, raws = 0, set(), {}, []
    for w in got:
        key = w.astype(np.float32).tobytes()
        if key in by_bytes:
            members += 1
            raw, name = by_bytes[key][0]
            histogram[name] = histogram.get(name, 0) + 1
            raws.append(raw)
        seen.add(key)
    candidate_histogram = {}
    for _, _, name in candidates:
        candidate_histogram[name] = candidate_histogram.get(name, 0) + 1
    exported_sorted = sorted(w.astype(np.float32).tobytes() for w in got)
    candidate_sorted = sorted(h.astype(np.float32).tobytes() for h, _, _ in candidates)
    channels = got.shape[-1]
    held_p = [np.percentile(got[..., c].astype(np.float64).ravel(), PERCENTILES).tolist()
              for c in range(channels)]
    raw_all = np.stack(raws) if raws else np.zeros((0, 1, 1, channels), np.float32)
    raw_p = [np.percentile(raw_all[..., c].astype(np.float64).ravel(), PERCENTILES).tolist()
             for c in range(channels)]
    sha = {p: hashlib.sha256(open(p, "rb").read()).hexdigest() for p in cfg["sessions"]}
    counts["candidates"] = len(candidates)
    print(json.dumps({"counts": counts, "candidate_histogram": candidate_histogram,
                      "exported": int(len(got)), "members": members,
                      "duplicates": int(len(got) - len(seen)), "histogram": histogram,
                      "equal_to_candidates": exported_sorted == candidate_sorted,
                      "percentiles": held_p, "raw_percentiles": raw_p, "sha256": sha}))


if __name__ == "__main__":
    main(sys.argv[1])
