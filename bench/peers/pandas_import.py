#!/usr/bin/env python3
"""pandas + h5py side of bench_import_csv: reads the bench's CSV (a time_s column, then
DEVICE_ax ... DEVICE_mz for each device) with pandas.read_csv (C engine, defaults), and writes
the same session layout imuwb writes (docs/session-format.md: devices/NAME/imu float32 [N, 9]
with @channels and @units, /time float64 seconds from the first row, chunks of 65 536 rows,
shuffle + gzip level 1). Prints one line `seconds=S read_s=R write_s=W rows=N peak_rss_mb=M`;
the bench measures wall time and peak RSS of this whole process itself (wait4).

  pandas_import.py IN.csv OUT.h5"""
import json
import resource
import sys
import time

import h5py
import numpy as np
import pandas as pd

CHANNELS = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]
UNITS = ["m/s^2"] * 3 + ["rad/s"] * 3 + ["uT"] * 3
CHUNK = 65536


def main(source, target):
    start = time.perf_counter()
    frame = pd.read_csv(source)
    read_s = time.perf_counter() - start
    devices = sorted({c.rsplit("_", 1)[0] for c in frame.columns if c != "time_s"})
    rows = len(frame)
    with h5py.File(target, "w") as f:
        f.attrs["format"] = "imuwb-session"
        f.attrs["format_version"] = 1
        time_s = frame["time_s"].to_numpy(np.float64)
        steps = np.diff(time_s)
        f.attrs["sample_rate_hz"] = float(np.round(1.0 / np.median(steps), 1))
        f.attrs["start_time"] = ""
        f.attrs["metadata"] = json.dumps({"importer": "pandas"})
        for name in devices:
            data = frame[[f"{name}_{c}" for c in CHANNELS]].to_numpy(np.float32)
            ds = f.create_dataset(f"devices/{name}/imu", data=data, chunks=(min(CHUNK, rows), 9),
                                  maxshape=(None, 9), shuffle=True, compression="gzip",
                                  compression_opts=1)
            ds.attrs["channels"] = CHANNELS
            ds.attrs["units"] = UNITS
            del data
        ds = f.create_dataset("time", data=time_s - time_s[0], chunks=(min(CHUNK, rows),),
                              maxshape=(None,), shuffle=True, compression="gzip",
                              compression_opts=1)
        ds.attrs["unit"] = "s"
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    print(f"seconds={seconds:.3f} read_s={read_s:.3f} write_s={seconds - read_s:.3f} "
          f"rows={rows} peak_rss_mb={peak_mb:.1f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
