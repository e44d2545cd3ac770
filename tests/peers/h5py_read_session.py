#!/usr/bin/env python3
"""Peer reader for imuwb session files, written only from docs/session-format.md with plain
h5py + numpy. Prints a JSON summary (attributes, per-device SHA-256 of the float32 samples,
per-channel sums, time, labels) that the C++ peer test compares against the core's view."""
import hashlib
import json
import sys

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "r") as f:
        out = {
            "format": f.attrs["format"],
            "format_version": int(f.attrs["format_version"]),
            "sample_rate_hz": float(f.attrs["sample_rate_hz"]),
            "start_time": f.attrs.get("start_time", ""),
            "metadata": json.loads(f.attrs.get("metadata", "{}")),
            "devices": {},
        }
        for name in sorted(f["devices"]):
            ds = f["devices"][name]["imu"]
            data = ds[()]
            # 9 channels, or 6 for a device without a magnetometer (docs/session-format.md)
            assert data.dtype == np.float32 and data.ndim == 2 and data.shape[1] in (6, 9)
            out["devices"][name] = {
                "shape": list(data.shape),
                "sha256": hashlib.sha256(np.ascontiguousarray(data, dtype="<f4").tobytes()).hexdigest(),
                "channel_sums": data.astype(np.float64).sum(axis=0).tolist(),
                "channels": [str(c) for c in ds.attrs["channels"]],
                "units": [str(u) for u in ds.attrs["units"]],
                "chunks": list(ds.chunks) if ds.chunks else None,
                "compression": ds.compression,
                "shuffle": bool(ds.shuffle),
                "first_row": data[0].tolist() if len(data) else [],
            }
        n = next(iter(out["devices"].values()))["shape"][0]
        if "time" in f:
            t = f["time"][()]
            out["time"] = {"explicit": True, "length": int(t.shape[0]),
                           "sha256": hashlib.sha256(t.astype("<f8").tobytes()).hexdigest()}
        else:
            t = np.arange(n) / out["sample_rate_hz"]
            out["time"] = {"explicit": False, "length": int(n), "last": float(t[-1]) if n else 0.0}
        labels = []
        if "labels" in f:
            classes = [str(c) for c in f["labels"]["classes"].asstr()[()]]
            start = f["labels"]["start_s"][()]
            end = f["labels"]["end_s"][()]
            index = f["labels"]["class_index"][()]
            labels = [{"start_s": float(s), "end_s": float(e), "label": classes[int(i)]}
                      for s, e, i in zip(start, end, index)]
            out["classes"] = classes
        out["labels"] = labels
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
