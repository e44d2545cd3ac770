"""Reads /labels of session files with plain h5py (docs/session-format.md) and prints JSON:
{file: {"classes": [...], "intervals": [[start, end, label, note], ...]}} (note "" when absent).

usage: h5py_read_labels.py FILE...
"""
import json
import sys

import h5py


def read(path):
    with h5py.File(path, "r") as f:
        g = f["labels"]
        classes = [c.decode() if isinstance(c, bytes) else c for c in g["classes"].asstr()[()]]
        start, end, index = g["start_s"][()], g["end_s"][()], g["class_index"][()]
        notes = list(g["note"].asstr()[()]) if "note" in g else [""] * len(start)
        assert f.attrs["format"] in ("imuwb-session", b"imuwb-session")
        return {"classes": classes,
                "intervals": [[float(s), float(e), classes[int(i)], n] for s, e, i, n in zip(start, end, index, notes)]}


print(json.dumps({p: read(p) for p in sys.argv[1:]}))
