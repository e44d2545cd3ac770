#!/usr/bin/env python3
"""Peer timing for bench_quant_emulation: numpy fake quantization (tests/peers/quant_reference.py,
the independent reference) over N float32 values, best of R runs. Prints JSON {"ns_per_value"}."""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "peers"))
import quant_reference as ref  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1 << 20
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
x = np.random.default_rng(1).standard_normal(n).astype(np.float32)
grid = ref.activation_grid(x.min(), x.max(), 8)
best = float("inf")
for _ in range(repeats):
    start = time.perf_counter()
    ref.fake_quant(x, grid)
    best = min(best, time.perf_counter() - start)
print(json.dumps({"ns_per_value": best * 1e9 / n, "values": n}))
