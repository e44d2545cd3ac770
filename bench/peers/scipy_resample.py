#!/usr/bin/env python3
"""scipy side of bench_resample: resamples the bench's signal (an .npy of shape
[devices, rows, 9], float32) with scipy.signal.resample_poly(x, up, down, axis=0), one device
at a time as imuwb does, and prints one line `seconds=S samples_per_s=R peak_rss_mb=M`.
Only the resampling is timed (time.perf_counter), not the load."""
import resource
import sys
import time

import numpy as np
from scipy.signal import resample_poly


def main(path, up, down):
    x = np.load(path)
    checksum = 0.0
    start = time.perf_counter()
    for device in range(x.shape[0]):
        y = resample_poly(x[device], up, down, axis=0)
        checksum += float(y[0, 0])
        del y
    seconds = time.perf_counter() - start
    samples = x.shape[0] * x.shape[1] * x.shape[2]  # input samples, as imuwb counts them
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    print(f"seconds={seconds:.6f} samples_per_s={samples / seconds:.1f} "
          f"peak_rss_mb={peak_mb:.1f} checksum={checksum:.6g}")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
