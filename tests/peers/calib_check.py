#!/usr/bin/env python3
"""Independent check of an imuwb calibration set (.npy + <npy>.json manifest).

Usage: calib_check.py CALIB.npy WINDOW_INDEX [WINDOW_INDEX ...]
Loads the .npy with numpy and the manifest with json; for each given window index recomputes the
window from the source session with plain h5py: the manifest's devices stacked on H, rows
[start_row, start_row + window_length), channels reordered to the model's channel order, z-scored
with the manifest's mean/std in float32. Hashes every source with hashlib and lists the classes
present at window centres (stride windows over the whole session).
Prints one JSON object: dtype, shape, layout, max_abs_diff, sha256 (file -> hex), classes_present.
"""
import hashlib
import json
import sys

import h5py
import numpy as np

CONTRACT = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]


def session_windows_labels(f, length, stride):
    rate = float(f.attrs["sample_rate_hz"])
    first = next(iter(f["devices"].values()))["imu"]
    rows = first.shape[0]
    time = f["time"][()] if "time" in f else np.arange(rows) / rate
    present = set()
    if "labels" not in f:
        return present
    classes = [c.decode() if isinstance(c, bytes) else c for c in f["labels/classes"][()]]
    starts, ends, index = f["labels/start_s"][()], f["labels/end_s"][()], f["labels/class_index"][()]
    for start in range(0, rows - length + 1, stride):
        t = time[start + length // 2]
        hit = [k for s, e, k in zip(starts, ends, index) if s <= t < e]
        present.add(classes[hit[-1]] if hit else "unlabelled")
    return present


def main(npy_path, indices):
    data = np.load(npy_path)
    manifest = json.load(open(npy_path + ".json"))
    length = manifest["window_length"]
    order = [CONTRACT.index(c) for c in manifest["channel_order"]]
    norm = manifest["normalization"]
    mean = np.asarray(norm.get("mean", [0.0] * 9), dtype=np.float32)
    std = np.asarray(norm.get("std", [1.0] * 9), dtype=np.float32)
    files = {}
    for i, src in enumerate(manifest["sources"]):
        files[i] = h5py.File(src["path"], "r")
    max_diff = 0.0
    for index in indices:
        source, start, _label = manifest["windows"][index]
        f = files[source]
        devices = manifest["sources"][source]["devices"]
        window = np.stack([f[f"devices/{d}/imu"][start:start + length] for d in devices])
        window = window.astype(np.float32)[:, :, order]
        if norm["applied_by_host"]:
            window = (window - mean) / std
        if manifest["layout"] != "NHWC":
            raise SystemExit("calib_check.py only recomputes NHWC sets")
        max_diff = max(max_diff, float(np.max(np.abs(data[index] - window))))
    sha = {}
    present = set()
    for i, src in enumerate(manifest["sources"]):
        sha[src["path"]] = hashlib.sha256(open(src["path"], "rb").read()).hexdigest()
        present |= session_windows_labels(files[i], length, manifest["stride"])
    print(json.dumps({"dtype": str(data.dtype), "shape": list(data.shape),
                      "layout": manifest["layout"], "max_abs_diff": max_diff, "sha256": sha,
                      "classes_present": sorted(present)}))


if __name__ == "__main__":
    main(sys.argv[1], [int(a) for a in sys.argv[2:]])
