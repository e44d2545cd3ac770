"""Writes a batch output folder of N generated per-recording results (plan + result files) for
the `imuwb report merge` bench. usage: batch_results.py evaluate|parity N OUT_DIR [WINDOWS]

Evaluate results come with their fit data side files (<key>.evaluate.fit, the format of
core/eval/FitDataFile.hpp, written here independently with struct + hashlib): WINDOWS labelled
windows per recording (default 600), half calibration, two sides of 5 classes, float32 logits
and probabilities. Parity results hold WINDOWS windows per output (default 120)."""
import hashlib
import json
import os
import random
import struct
import sys

import numpy as np

kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
windows = int(sys.argv[4]) if len(sys.argv) > 4 else (600 if kind == "evaluate" else 120)
rng = random.Random(7)
np_rng = np.random.default_rng(7)
os.makedirs(os.path.join(out, "_batch"), exist_ok=True)
identity = {"kind": kind, "imuwb_version": "bench", "model_sha256": "0" * 64, "options": {}}


def evaluate_tally():
    k, bins = 5, 15
    side = lambda name: {
        "backend": name, "precision": "fp32",
        "confusion": [rng.randrange(40) for _ in range(k * k)],
        "mixed_windows": 3, "mixed_correct": 2,
        "bins_all": {"count": [rng.randrange(50) for _ in range(bins)],
                     "confidence": [rng.random() * 40 for _ in range(bins)],
                     "correct": [rng.randrange(30) for _ in range(bins)], "samples": 600},
        "bins_test_before": {"count": [rng.randrange(20) for _ in range(bins)],
                             "confidence": [rng.random() * 15 for _ in range(bins)],
                             "correct": [rng.randrange(10) for _ in range(bins)], "samples": 300},
        "nll_test_sum": rng.random() * 100}
    counts = {"windows": windows, "labelled": windows, "unlabelled": 0, "unknown_class": 0,
              "mixed_labels": 3, "calibration": windows // 2, "test": windows - windows // 2,
              "skipped_gap": 0, "skipped_nan": 0}
    return {"tally": {"classes": ["a", "b", "c", "d", "e"], "ece_bins": bins, "counts": counts,
                      "sides": [side("cpu"), side("int8")], "compared_windows": 600,
                      "flips": rng.randrange(20)}}


def fit_file(path):
    """One recording's fit data: labels, then per side its four float32 tables."""
    k, nc = 5, windows // 2
    nt = windows - nc
    labels = np_rng.integers(0, k, windows).astype("<i4")
    out = bytearray(b"IMUWBFIT" + struct.pack("<IIII", 1, k, 2, 0) + struct.pack("<QQ", nc, nt))
    for name in (b"cpu", b"int8"):
        out += struct.pack("<I", len(name)) + name + struct.pack("<BBH", 4, 4, 0)
    out += labels.tobytes()
    for _ in range(2):
        z = np_rng.normal(0, 2, (windows, k)).astype(np.float32)
        z[np.arange(windows), labels] += 1.5
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p = (p / p.sum(axis=1, keepdims=True)).astype(np.float32)
        for table in (z[:nc], p[:nc], z[nc:], p[nc:]):
            out += table.astype("<f4").tobytes()
    digest = hashlib.sha256(out).hexdigest()
    with open(path, "wb") as f:
        f.write(out + digest.encode())
    return {"file": os.path.basename(path), "bytes": len(out) + 64, "sha256": digest}


def parity_tally():
    outputs = []
    for name, role in (("latent", "latent"), ("motif_scores", "motif_scores"),
                       ("behavior_logits", "logits")):
        outputs.append({"output": name, "role": role, "dim": 8, "windows": windows,
                        "values": windows * 8,
                        "cosines": [1 - rng.random() * 0.01 for _ in range(windows)],
                        "sum_a2": rng.random() * 1e3, "sum_err2": rng.random(),
                        "max_abs": rng.random(), "max_rel": rng.random(),
                        "top1_agreements": windows - 1, "crossings_gained": 0,
                        "crossings_lost": 0,
                        "tolerance": {"min_cosine": 0.95, "min_cosine_p5": None,
                                      "min_snr_db": None, "min_top1_agreement": None,
                                      "motif_threshold": 0.5, "source": "bench"}})
    return {"tally": {"windows": windows, "outputs": outputs}}


recordings = []
for i in range(count):
    key = "site%02d/collar%03d/day%05d.h5" % (i % 40, i % 300, i)
    recordings.append({"key": key, "session": "/data/" + key, "duration_s": 3600.0, "shard": 0})
    path = os.path.join(out, key + "." + kind + ".json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    result = evaluate_tally() if kind == "evaluate" else parity_tally()
    if kind == "evaluate":
        result["fit"] = fit_file(os.path.join(out, key + ".evaluate.fit"))
        result["fit_settings"] = {"alpha": 0.1, "min_accuracy": None, "max_ece": None,
                                  "min_coverage": 0.5}
    record = {"format": "imuwb-batch-result", "version": 1, "key": key, "session": "/data/" + key,
              "status": "ok", "identity": dict(identity, session_sha256="%064x" % i),
              "seconds": 1.0, "result": result}
    with open(path, "w") as f:
        json.dump(record, f)
with open(os.path.join(out, "_batch", "plan.json"), "w") as f:
    json.dump({"format": "imuwb-batch-plan", "version": 1, "kind": kind, "shards": 1, "root": "",
               "shard_duration_s": [3600.0 * count], "recordings": recordings}, f)
