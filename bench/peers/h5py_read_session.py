#!/usr/bin/env python3
"""h5py side of bench_session_io: reads the same session file the same way the core does
(every device, one 65 536-row block at a time), then whole-dataset reads, and prints rows/s
and MB/s (uncompressed float32) for comparison with BM_Read / BM_Load."""
import sys
import time

import h5py
import numpy as np


def main(path):
    with h5py.File(path, "r") as f:
        names = sorted(f["devices"])
        n = f[f"devices/{names[0]}/imu"].shape[0]
        block = f[f"devices/{names[0]}/imu"].chunks[0] or 65536
        start = time.perf_counter()
        checksum = 0.0
        rows = 0
        for name in names:
            ds = f[f"devices/{name}/imu"]
            out = np.empty((block, 9), dtype=np.float32)
            for first in range(0, n, block):
                count = min(block, n - first)
                ds.read_direct(out, np.s_[first:first + count], np.s_[0:count])
                checksum += float(out[0, 0])
                rows += count
        blockwise = time.perf_counter() - start
        start = time.perf_counter()
        whole_rows = 0
        for name in names:
            data = f[f"devices/{name}/imu"][()]
            whole_rows += data.shape[0]
        whole = time.perf_counter() - start
    for label, seconds, count in (("h5py block read (65536-row slices, read_direct)", blockwise, rows),
                                  ("h5py whole-dataset read (ds[()])", whole, whole_rows)):
        print(f"{label:50s} {seconds:7.2f} s  {count / seconds / 1e6:7.2f} M rows/s  "
              f"{count * 36 / seconds / 1e6:8.1f} MB/s")


if __name__ == "__main__":
    main(sys.argv[1])
