"""Independent numpy implementation of `imuwb labels diff` (core/labels/LabelAgreement.hpp).

usage: labels_agreement_peer.py IN.json OUT.json
IN: {"rate": Hz, "a": [[start, end, label], ...], "b": [...]}
OUT: {"agreement", "kappa", "overlap_ratio", "grid_points",
      "classes": {name: [count_a, count_b, count_both, dice]},
      "a_to_b": [count, mean, median, p90, max], "b_to_a": [...]}
"""
import json
import sys

import numpy as np


def categories(intervals, names, t):
    cat = np.full(t.shape, -1, dtype=np.int64)
    for start, end, label in sorted(intervals, key=lambda i: i[0]):
        if label not in names:
            names.append(label)
        mask = (t >= start) & (t < end) & (cat < 0)  # the first interval holding t wins
        cat[mask] = names.index(label)
    return cat


def displacement(src, dst):
    if len(src) == 0 or len(dst) == 0:
        return [0, 0.0, 0.0, 0.0, 0.0]
    d = np.abs(np.asarray(src)[:, None] - np.asarray(dst)[None, :]).min(axis=1)
    return [int(d.size), float(d.mean()), float(np.median(d)), float(np.percentile(d, 90)), float(d.max())]


def edges(intervals):
    return np.unique(np.array([x for s, e, _ in intervals for x in (s, e)], dtype=np.float64))


def main():
    spec = json.load(open(sys.argv[1]))
    rate, a, b = spec["rate"], spec["a"], spec["b"]
    extent = max([e for _, e, _ in a + b] + [0.0])
    t = np.arange(int(np.ceil(extent * rate))) / rate
    names = []
    for s, e, label in sorted(a, key=lambda i: i[0]):
        if label not in names:
            names.append(label)
    ca = categories(a, names, t)
    cb = categories(b, names, t)
    keep = (ca >= 0) | (cb >= 0)
    ca, cb = ca[keep], cb[keep]
    n = ca.size
    k = len(names) + 1
    ia = np.where(ca < 0, k - 1, ca)
    ib = np.where(cb < 0, k - 1, cb)
    confusion = np.zeros((k, k))
    np.add.at(confusion, (ia, ib), 1)
    po = np.trace(confusion) / n
    pe = float((confusion.sum(axis=1) / n) @ (confusion.sum(axis=0) / n))
    kappa = (po - pe) / (1 - pe) if pe < 1 else None
    classes = {}
    for c, name in enumerate(names):
        na, nb, both = int((ia == c).sum()), int((ib == c).sum()), int(confusion[c, c])
        classes[name] = [na, nb, both, 2.0 * both / (na + nb) if na + nb else 0.0]
    ea, eb = edges(a), edges(b)
    out = {"agreement": float(po), "kappa": kappa, "overlap_ratio": float(((ca >= 0) & (cb >= 0)).sum() / n),
           "grid_points": int(n), "classes": classes,
           "a_to_b": displacement(ea, eb), "b_to_a": displacement(eb, ea)}
    json.dump(out, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
