#!/usr/bin/env python3
"""Peer writer: creates an imuwb session with plain h5py + numpy by following
docs/session-format.md, then dumps the exact arrays it wrote next to it (OUT.<device>.f32,
OUT.time.f64, raw little-endian) so the C++ test can compare the core's reading bit for bit.
Two devices, deliberately stored differently (gzip+shuffle chunks vs contiguous) since a
reader must not depend on our writer's layout choices. With --six-axis, the harness has no
magnetometer: an [N, 6] dataset named ax..gz, as docs/session-format.md describes."""
import json
import sys

import h5py
import numpy as np


def main(out, six_axis=False):
    rng = np.random.default_rng(20261121)
    n = 5000
    t = np.arange(n) * 0.01 + rng.uniform(-0.002, 0.002, n)  # jittered clock, explicit time
    t[0] = 0.0
    devices = {}
    for name, tilt in (("collar", 0.3), ("harness", -0.1)):
        data = np.empty((n, 9), dtype=np.float32)
        data[:, 0] = 9.80665 * np.sin(tilt) + rng.normal(0, 0.05, n)
        data[:, 1] = rng.normal(0, 0.05, n)
        data[:, 2] = 9.80665 * np.cos(tilt) + rng.normal(0, 0.05, n)
        data[:, 3:6] = rng.normal(0, 0.01, (n, 3))
        data[:, 6:9] = np.array([20.0, 0.0, -45.0]) + rng.normal(0, 0.4, (n, 3))
        devices[name] = data[:, :6].copy() if six_axis and name == "harness" else data
    with h5py.File(out, "w") as f:
        f.attrs["format"] = "imuwb-session"
        f.attrs["format_version"] = 1
        f.attrs["sample_rate_hz"] = 100.0
        f.attrs["start_time"] = "2026-11-21T06:00:00Z"
        f.attrs["metadata"] = json.dumps({"writer": "h5py peer", "dog": "Bello"})
        for name, data in devices.items():
            if name == "collar":
                ds = f.create_dataset(f"devices/{name}/imu", data=data, chunks=(1024, 9),
                                      compression="gzip", compression_opts=4, shuffle=True)
            else:
                ds = f.create_dataset(f"devices/{name}/imu", data=data)
            width = data.shape[1]
            ds.attrs["channels"] = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"][:width]
            ds.attrs["units"] = (["m/s^2"] * 3 + ["rad/s"] * 3 + ["uT"] * 3)[:width]
        f.create_dataset("time", data=t.astype(np.float64))
        labels = f.create_group("labels")
        labels.create_dataset("classes", data=["stand", "sit", "walk"], dtype=h5py.string_dtype())
        labels.create_dataset("start_s", data=np.array([0.0, 10.0, 30.0]))
        labels.create_dataset("end_s", data=np.array([10.0, 30.0, 50.0]))
        labels.create_dataset("class_index", data=np.array([0, 2, 1], dtype=np.int32))
    for name, data in devices.items():
        data.astype("<f4").tofile(f"{out}.{name}.f32")
    t.astype("<f8").tofile(f"{out}.time.f64")


if __name__ == "__main__":
    main(sys.argv[1], "--six-axis" in sys.argv[2:])
