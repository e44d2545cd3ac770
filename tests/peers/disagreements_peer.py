"""Independent numpy implementation of the review's disagreement stretches
(core/eval/Disagreements.hpp, StretchSelection.hpp).

usage: disagreements_peer.py IN.json OUT.json
IN: {"classes": [...], "centres": [...], "span": s, "probabilities": [[...], ...],
     "labels": [[start, end, label], ...],
     "filters": [[truth, predicted, lo, hi], ...], "times": [t, ...]}
OUT: {"truth": [...], "unlabelled", "unknown", "confusion": [[...]],
      "stretches": [[start, end, first, windows, truth, predicted, mean, min, peak,
                     [[cls, p] x3]], ...],
      "selections": [[index, ...] per filter],
      "orders": {"length": [...], "length_desc": [...], "confidence": [...],
                 "confidence_desc": [...]}  (of the disagreements),
      "next": [index or -1 per time], "previous": [...]  (over the disagreements)}
"""
import json
import sys

import numpy as np


def window_labels(labels, classes, centres):
    """Brute force: per window, the latest-starting interval at or before its centre (the later
    one in the list on equal starts), if the centre is before its end."""
    truth = np.full(len(centres), -1, dtype=np.int64)
    if not labels:
        return truth
    starts = np.array([l[0] for l in labels], dtype=float)
    ends = np.array([l[1] for l in labels], dtype=float)
    for w, t in enumerate(centres):
        candidates = np.nonzero(starts <= t)[0]
        if candidates.size == 0:
            continue
        latest = starts[candidates].max()
        chosen = candidates[starts[candidates] == latest][-1]
        if t < ends[chosen]:
            name = labels[chosen][2]
            truth[w] = classes.index(name) if name in classes else -2
    return truth


def stretches(truth, pred, conf, probs, centres, span):
    valid = truth >= 0
    w = len(truth)
    starts_run = np.ones(w, dtype=bool)
    starts_run[1:] = ((truth[1:] != truth[:-1]) | (pred[1:] != pred[:-1]) | ~valid[:-1]
                      | (np.diff(centres) > 1.5 * span))
    run_id = np.cumsum(starts_run)
    out = []
    for rid in np.unique(run_id[valid]):
        idx = np.nonzero((run_id == rid) & valid)[0]
        c = conf[idx]
        peak = int(idx[np.argmax(c)])  # the first maximum
        order = np.argsort(-probs[peak], kind="stable")[:3]
        top = [[int(k), float(probs[peak, k])] for k in order]
        top += [[-1, 0.0]] * (3 - len(top))
        out.append([float(centres[idx[0]] - span / 2), float(centres[idx[-1]] + span / 2),
                    int(idx[0]), int(idx.size), int(truth[idx[0]]), int(pred[idx[0]]),
                    float(c.mean()), float(c.min()), peak, top])
    return out


def matches(s, f):
    truth, predicted, lo, hi = f
    diagonal = truth >= 0 and truth == predicted
    if (s[4] == s[5]) != diagonal:
        return False
    if truth >= 0 and s[4] != truth:
        return False
    if predicted >= 0 and s[5] != predicted:
        return False
    return lo <= s[6] and (s[6] <= hi if hi >= 1 else s[6] < hi)


def main():
    d = json.load(open(sys.argv[1]))
    classes = d["classes"]
    centres = np.array(d["centres"], dtype=float)
    probs = np.array(d["probabilities"], dtype=float).reshape(len(centres), len(classes))
    truth = window_labels(d["labels"], classes, centres)
    pred = probs.argmax(axis=1)
    conf = probs[np.arange(len(centres)), pred]
    k = len(classes)
    confusion = np.zeros((k, k), dtype=np.int64)
    ok = truth >= 0
    np.add.at(confusion, (truth[ok], pred[ok]), 1)
    runs = stretches(truth, pred, conf, probs, centres, d["span"])
    selections = [[i for i, s in enumerate(runs) if matches(s, f)] for f in d["filters"]]
    dis = np.array([i for i, s in enumerate(runs) if s[4] != s[5]], dtype=np.int64)
    length = np.array([runs[i][1] - runs[i][0] for i in dis])
    mean = np.array([runs[i][6] for i in dis])
    starts = np.array([runs[i][0] for i in dis])
    orders = {
        "length": dis[np.lexsort((dis, length))].tolist(),
        "length_desc": dis[np.lexsort((dis, -length))].tolist(),
        "confidence": dis[np.lexsort((dis, mean))].tolist(),
        "confidence_desc": dis[np.lexsort((dis, -mean))].tolist(),
    }
    nxt, prev = [], []
    for t in d["times"]:
        after = np.nonzero(starts > t + 1e-6)[0]
        before = np.nonzero(starts < t - 1e-6)[0]
        nxt.append(int(dis[after[0]]) if after.size else -1)
        prev.append(int(dis[before[-1]]) if before.size else -1)
    json.dump({"truth": truth.tolist(), "unlabelled": int((truth == -1).sum()),
               "unknown": int((truth == -2).sum()), "confusion": confusion.tolist(),
               "stretches": runs, "selections": selections, "orders": orders,
               "next": nxt, "previous": prev}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
