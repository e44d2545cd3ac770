"""Writes a batch output folder of N generated per-recording results (plan + result files) for
the `imuwb report merge` bench. usage: batch_results.py evaluate|parity N OUT_DIR"""
import json
import os
import random
import sys

kind, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
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
    counts = {"windows": 600, "labelled": 600, "unlabelled": 0, "unknown_class": 0,
              "mixed_labels": 3, "calibration": 300, "test": 300, "skipped_gap": 0,
              "skipped_nan": 0}
    return {"tally": {"classes": ["a", "b", "c", "d", "e"], "ece_bins": bins, "counts": counts,
                      "sides": [side("cpu"), side("int8")], "compared_windows": 600,
                      "flips": rng.randrange(20)}}


def parity_tally(windows=120):
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
    record = {"format": "imuwb-batch-result", "version": 1, "key": key, "session": "/data/" + key,
              "status": "ok", "identity": dict(identity, session_sha256="%064x" % i),
              "seconds": 1.0, "result": result}
    with open(path, "w") as f:
        json.dump(record, f)
with open(os.path.join(out, "_batch", "plan.json"), "w") as f:
    json.dump({"format": "imuwb-batch-plan", "version": 1, "kind": kind, "shards": 1, "root": "",
               "shard_duration_s": [3600.0 * count], "recordings": recordings}, f)
