#!/usr/bin/env python3
"""An independent numpy/scipy implementation of `imuwb evaluate`'s definitions (docs/evaluate.md),
used only by tests. Prints one JSON object.

  eval_reference.py ece CONF.npy CORRECT.npy BINS
  eval_reference.py all LOGITS.npy LABELS.npy WINDOWS.npy ALPHA FRACTION BLOCK
      LOGITS [N,K] float64 (already divided by the manifest temperature), LABELS [N] int
      (model class, <0 not labelled), WINDOWS [N] int (the run's window number in its session)
  eval_reference.py outputs OUTPUTS.h5 BACKEND LOGITS_NAME ALPHA FRACTION BLOCK
      the same from `imuwb run`'s outputs file and its window labels (session classes mapped to
      the logits output's names)
  eval_reference.py min_n ALPHA
  eval_reference.py temperature LOGITS.npy LABELS.npy        (fitted on every row; also what
      scipy.optimize.minimize_scalar finds, as temperature_minimize_scalar)
  eval_reference.py conformal P_CAL.npy Y_CAL.npy P_TEST.npy Y_TEST.npy ALPHA
"""
import json
import math
import sys

import numpy as np
from scipy.optimize import brentq, minimize_scalar


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def nll(logits, y, t=1.0):
    z = logits / t
    m = z.max(axis=1, keepdims=True)
    lse = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(lse - z[np.arange(len(y)), y]))


def ece(conf, correct, bins=15):
    """Guo et al. 2017's reference loop: bins (lower, upper] from linspace(0, 1, bins + 1)."""
    edges = np.linspace(0, 1, bins + 1)
    out, total = [], 0.0
    for m, (lo, hi) in enumerate(zip(edges[:-1], edges[1:])):
        inside = (conf > lo) & (conf <= hi)
        if m == 0:
            inside |= conf == 0
        n = int(inside.sum())
        acc = float(correct[inside].mean()) if n else 0.0
        mc = float(conf[inside].mean()) if n else 0.0
        if n:
            total += n / len(conf) * abs(acc - mc)
        out.append({"count": n, "accuracy": acc, "mean_confidence": mc})
    return {"ece": total, "bins": out}


def ece_of(p, y):
    top = p.argmax(axis=1)
    return ece(p.max(axis=1), (top == y).astype(float))


def decisions(y, pred, k):
    cm = np.zeros((k, k), dtype=np.int64)
    np.add.at(cm, (y, pred), 1)
    tp = np.diag(cm).astype(float)
    support, predicted = cm.sum(axis=1), cm.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted > 0, tp / predicted, 0.0)
        recall = np.where(support > 0, tp / support, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    present = (support > 0) | (predicted > 0)
    n = cm.sum()
    po = np.trace(cm) / n
    pe = float((support * predicted).sum()) / n / n
    kappa = 1.0 if pe >= 1 else (po - pe) / (1 - pe)
    return {"confusion": cm.tolist(), "accuracy": float(po),
            "balanced_accuracy": float(recall[support > 0].mean()),
            "macro_f1": float(f1[present].mean()), "kappa": float(kappa),
            "precision": precision.tolist(), "recall": recall.tolist(), "f1": f1.tolist(),
            "support": support.tolist()}


def dnll_du(logits, y, u):
    """d NLL / d log T, analytically: -s * mean(E_p[z] - z_y), s = 1/T, p = softmax(s z)."""
    s = math.exp(-u)
    z = logits * s
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return float(-s * np.mean((p * logits).sum(axis=1) - logits[np.arange(len(y)), y]))


def minimize_temperature(logits, y):
    """scipy's bounded minimize_scalar on log T. NLL is flat at its minimum (its differences
    there fall below rounding), so this pins T down to about 1e-8 relative only."""
    r = minimize_scalar(lambda u: nll(logits, y, math.exp(u)), bounds=(-5, 5), method="bounded",
                        options={"xatol": 1e-12})
    return math.exp(r.x)


def fit_temperature(logits, y):
    """The minimum of NLL over log T in [-5, 5] to rounding: the root of the analytic derivative
    (brentq), or the end of the range where the derivative does not change sign."""
    if dnll_du(logits, y, -5.0) >= 0:
        return math.exp(-5.0)
    if dnll_du(logits, y, 5.0) <= 0:
        return math.exp(5.0)
    return math.exp(brentq(lambda u: dnll_du(logits, y, u), -5.0, 5.0, xtol=1e-15, rtol=1e-15))


def scores(p, y, kind):
    if kind == "lac":
        return 1.0 - p[np.arange(len(y)), y]
    order = np.argsort(-p, axis=1, kind="stable")
    sorted_p = np.take_along_axis(p, order, axis=1)
    cum = np.cumsum(sorted_p, axis=1)
    rank = np.argmax(order == y[:, None], axis=1)
    return cum[np.arange(len(y)), rank]


def set_matrix(p, q, kind):
    if kind == "lac":
        return (1.0 - p) <= q
    order = np.argsort(-p, axis=1, kind="stable")
    cum = np.cumsum(np.take_along_axis(p, order, axis=1), axis=1)
    member = np.zeros_like(p, dtype=bool)
    np.put_along_axis(member, order, cum <= q, axis=1)
    return member


def min_n(alpha):
    n = 1
    while math.ceil((n + 1) * (1 - alpha)) > n:
        n += 1
    return n


def conformal(p_cal, y_cal, p_test, y_test, alpha, kind, k):
    s = scores(p_cal, y_cal, kind)
    n = len(s)
    rank = math.ceil((n + 1) * (1 - alpha))
    if rank > n:
        return {"error": "too few", "n": n, "min_n": min_n(alpha)}
    q = float(np.sort(s)[rank - 1])
    member = set_matrix(p_test, q, kind)
    hit = member[np.arange(len(y_test)), y_test]
    sizes = member.sum(axis=1)
    per_class = [float(hit[y_test == c].mean()) if (y_test == c).any() else 0.0 for c in range(k)]
    return {"threshold": q, "rank": rank, "coverage": float(hit.mean()),
            "average_set_size": float(sizes.mean()), "set_sizes": sizes.tolist(),
            "per_class_coverage": per_class,
            "set_size_counts": np.bincount(sizes, minlength=k + 1).tolist()}


def evaluate(logits, labels, windows, alpha, fraction, block, p=None):
    """p: the deployed probabilities when given (the run's float32 softmax), else softmax(logits)."""
    k = logits.shape[1]
    p = softmax(logits) if p is None else p
    keep = labels >= 0
    b = (windows // block).astype(float)
    cal = keep & (np.floor((b + 1) * fraction) > np.floor(b * fraction))
    test = keep & ~cal
    y = labels
    t = fit_temperature(logits[cal], y[cal])
    sets = {kind: conformal(p[cal], y[cal], p[test], y[test], alpha, kind, k)
            for kind in ("lac", "aps")}
    return {
        "labelled": int(keep.sum()), "calibration": int(cal.sum()), "test": int(test.sum()),
        "decisions": decisions(y[keep], p[keep].argmax(axis=1), k),
        "ece_all": ece_of(p[keep], y[keep]),
        "temperature": t,
        "nll_calibration_before": nll(logits[cal], y[cal]),
        "nll_calibration_after": nll(logits[cal], y[cal], t),
        "nll_test_before": nll(logits[test], y[test]),
        "nll_test_after": nll(logits[test], y[test], t),
        "ece_test_before": ece_of(p[test], y[test]),
        "ece_test_after": ece_of(softmax(logits[test] / t), y[test]),
        "conformal": sets,
        # every window, labelled or not: top class, its probability, and its set size per score
        "window_predicted": p.argmax(axis=1).tolist(),
        "window_confidence": p.max(axis=1).tolist(),
        "window_calibration": cal.tolist(),
        "window_set_sizes": {kind: set_matrix(p, c["threshold"], kind).sum(axis=1).tolist()
                             for kind, c in sets.items() if "threshold" in c},
    }


def from_outputs(path, backend, name):
    import h5py
    with h5py.File(path, "r") as f:
        manifest = json.loads(f.attrs["manifest"])
        spec = next(o for o in manifest["outputs"] if o["name"] == name)
        logits = f["backends/%s/%s" % (backend, name)][()].astype(np.float64)
        logits = logits / float(manifest.get("temperature", 1.0))
        p = f["backends/%s/derived/%s_probabilities" % (backend, name)][()].astype(np.float64)
        session_classes = [str(c) for c in f.attrs["classes"]]
        raw = f["windows/label"][()]
    index = {c: i for i, c in enumerate(spec["names"])}
    labels = np.array([index.get(session_classes[l], -2) if l >= 0 else -1 for l in raw])
    return logits, labels, np.arange(len(labels)), p


def main(argv):
    mode = argv[1]
    if mode == "ece":
        return ece(np.load(argv[2]).astype(np.float64), np.load(argv[3]).astype(float),
                   int(argv[4]))
    if mode == "min_n":
        return {"min_n": min_n(float(argv[2]))}
    if mode == "temperature":
        logits, y = np.load(argv[2]).astype(np.float64), np.load(argv[3])
        t, m = fit_temperature(logits, y), minimize_temperature(logits, y)
        return {"temperature": t, "nll_before": nll(logits, y), "nll_after": nll(logits, y, t),
                "temperature_minimize_scalar": m, "nll_minimize_scalar": nll(logits, y, m)}
    if mode == "conformal":
        p_cal, y_cal, p_test, y_test = (np.load(a) for a in argv[2:6])
        k = p_cal.shape[1]
        return {kind: conformal(p_cal, y_cal, p_test, y_test, float(argv[6]), kind, k)
                for kind in ("lac", "aps")}
    if mode == "all":
        logits, labels, windows = (np.load(a) for a in argv[2:5])
        p = None
    else:
        logits, labels, windows, p = from_outputs(argv[2], argv[3], argv[4])
    rest = argv[5:]
    return evaluate(logits.astype(np.float64), labels.astype(np.int64), windows.astype(np.int64),
                    float(rest[0]), float(rest[1]), int(rest[2]), p)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv)))
