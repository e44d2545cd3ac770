#!/usr/bin/env python3
"""Independent measurements of a generated session (h5py + numpy only, no imuwb code).

    generator_truth.py SESSION.h5   ->  JSON on stdout

Reads the labels, the true change points and the sensor events from the file (metadata, see
docs/cli.md "imuwb generate") and measures from the samples:
- label_offsets: each stored label edge minus the true change point it belongs to;
- postures: at changes between resting behaviours, when the gravity direction of the harness is
  half-way from the old posture to the new one (the change point by the physics) and how long
  the change takes (10 % to 90 % of the angle);
- events: how far each slip or re-seating turns the device's gravity direction, where the other
  device shows the body's posture did not change;
- gaits: per true walk / trot bout, the dominant frequency and the standard deviation of |a|.
"""
import json
import sys

import h5py
import numpy as np

REST = {"stand", "sit", "lie_down"}


def unit(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def angle_deg(a, b):
    return float(np.degrees(np.arccos(np.clip(np.dot(unit(a), unit(b)), -1, 1))))


def smooth(x, n=21):
    kernel = np.ones(n) / n
    return np.stack([np.convolve(x[:, c], kernel, mode="same") for c in range(x.shape[1])], 1)


def main(path):
    with h5py.File(path, "r") as f:
        rate = float(f.attrs["sample_rate_hz"])
        meta = json.loads(f.attrs["metadata"])
        acc = {d: f[f"devices/{d}/imu"][:, 0:3].astype(np.float64) for d in f["devices"]}
        classes = list(f["labels/classes"].asstr()[()])
        starts, ends = f["labels/start_s"][()], f["labels/end_s"][()]
        names = [classes[k] for k in f["labels/class_index"][()]]
    change = np.array(meta["true_change_s"], dtype=np.float64)
    events = meta["sensor_events"]
    truth_edges = np.concatenate([[0.0], change, [ends[-1]]])
    out = {"labels": len(starts), "changes": len(change), "events": events,
           "label_offsets": (starts[1:] - change).tolist(),
           "edges_contiguous": bool(np.all(starts[1:] == ends[:-1]))}

    def quiet(t0, t1, devices):  # no sensor event of these devices touches [t0, t1]
        return all(not (e["device"] in devices and e["end_s"] > t0 and e["start_s"] < t1) for e in events)

    def rows(t0, t1):
        return slice(int(round(t0 * rate)), int(round(t1 * rate)))

    devices = sorted(acc)
    harness = "harness" if "harness" in acc else devices[0]
    h = smooth(acc[harness])
    postures = []
    for k, c in enumerate(change):
        before, after = names[k], names[k + 1]
        if before not in REST or after not in REST:
            continue
        if c - truth_edges[k] < 4 or truth_edges[k + 2] - c < 4 or not quiet(c - 4, c + 4, devices):
            continue
        g0 = unit(h[rows(c - 3.5, c - 2.2)]).mean(0)
        g1 = unit(h[rows(c + 2.2, c + 3.5)]).mean(0)
        total = angle_deg(g0, g1)
        if total < 8:
            continue
        span = rows(c - 1.5, c + 1.5)
        t = np.arange(span.start, span.stop) / rate
        theta = np.degrees(np.arccos(np.clip(unit(h[span]) @ unit(g0), -1, 1)))
        cross = lambda level: float(t[np.argmax(theta >= level * total)])
        postures.append({"change_s": float(c), "label_edge_s": float(starts[k + 1]), "from": before,
                         "to": after, "angle_deg": total, "midpoint_s": cross(0.5),
                         "rise_s": cross(0.9) - cross(0.1)})
    out["postures"] = postures

    checked = []
    for e in events if len(devices) > 1 else []:
        s, t_end = e["start_s"], e["end_s"]
        others = [d for d in devices if d != e["device"]]
        near = [x for x in events if x is not e and x["end_s"] > s - 4 and x["start_s"] < t_end + 4]
        if near:  # judge each event alone, its device and the reference quiet around it
            continue
        pre, post = rows(s - 3, s - 0.5), rows(t_end + 0.5, t_end + 3)
        body = max(angle_deg(unit(acc[o][pre]).mean(0), unit(acc[o][post]).mean(0)) for o in others)
        turned = angle_deg(unit(acc[e["device"]][pre]).mean(0), unit(acc[e["device"]][post]).mean(0))
        checked.append({**e, "body_change_deg": body, "device_change_deg": turned})
    out["event_checks"] = checked

    gaits = {"walk": [], "trot": []}
    a = np.linalg.norm(acc[harness], axis=1)
    for k, name in enumerate(names):
        t0, t1 = truth_edges[k] + 1.1, truth_edges[k + 1] - 1.1
        if name not in gaits or t1 - t0 < 4 or not quiet(t0, t1, [harness]):
            continue
        x = a[rows(t0, t1)]
        x = x - x.mean()
        spectrum = np.abs(np.fft.rfft(x, 8192))
        freq = np.fft.rfftfreq(8192, 1 / rate)
        band = (freq >= 0.5) & (freq <= 8)
        gaits[name].append({"start_s": float(truth_edges[k]),
                            "frequency_hz": float(freq[band][np.argmax(spectrum[band])]),
                            "std": float(x.std())})
    out["gaits"] = gaits
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
