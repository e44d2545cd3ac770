#!/usr/bin/env python3
"""A small, independent numpy reference for imuwb's INT8 emulation and parity metrics.

It re-implements, from the written definitions in docs/parity.md (not from the C++), the
Hailo-style quantization grids and single-layer emulation (Conv, Gemm, Add), so ctest can
compare the C++ emulator against it. Usage: quant_reference.py SPEC.json -> writes the outputs the
spec names (npy) and/or prints a JSON result on stdout.

Definitions:
  activation grid (unsigned, b bits): lo=min(range_min,0), hi=max(range_max,0),
      scale=(hi-lo)/(2^b-1) (tiny if 0), zp=clip(round_half_even(-lo/scale), 0, 2^b-1)
  weight grid (signed symmetric, b bits): qmax=2^(b-1)-1, scale=max|w|/qmax, zp=0
  fake quant: q=clip(round_half_even(x/scale+zp), qmin, qmax); x'=(q-zp)*scale (float64 math)
"""
import json
import sys

import numpy as np

TINY = np.finfo(np.float32).tiny


def activation_grid(lo, hi, bits):
    qmax = 2 ** bits - 1
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = (hi - lo) / qmax
    if not scale > 0:
        scale = float(TINY)
    zp = int(np.clip(np.rint(0.0 - lo / scale), 0, qmax))
    return scale, zp, 0, qmax


def weight_grid(max_abs, bits):
    qmax = 2 ** (bits - 1) - 1
    scale = float(max_abs) / qmax
    if not scale > 0:
        scale = float(TINY)
    return scale, 0, -qmax, qmax


def fake_quant(x, grid):
    scale, zp, qmin, qmax = grid
    t = x.astype(np.float64) / scale + zp
    q = np.rint(np.clip(t, qmin, qmax))  # np.rint rounds half to even
    return ((q - zp) * scale).astype(np.float32)


def quantize_weights(w, bits, per_channel, axis):
    w = w.astype(np.float32)
    if not per_channel:
        return fake_quant(w, weight_grid(np.abs(w).max(), bits))
    moved = np.moveaxis(w, axis, 0)
    out = np.empty_like(moved)
    for c in range(moved.shape[0]):
        out[c] = fake_quant(moved[c], weight_grid(np.abs(moved[c]).max(), bits))
    return np.moveaxis(out, 0, axis)


def calibrated_fq(x, bits):
    return fake_quant(x, activation_grid(x.min(), x.max(), bits))


def conv2d_nchw(x, w, b, strides, pads):
    n, c, h, wd = x.shape
    o, ci, kh, kw = w.shape
    assert ci == c
    xp = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (xp.shape[2] - kh) // strides[0] + 1
    ow = (xp.shape[3] - kw) // strides[1] + 1
    y = np.zeros((n, o, oh, ow))
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + strides[0] * oh:strides[0], j:j + strides[1] * ow:strides[1]]
            y += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j].astype(np.float64))
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y.astype(np.float32)


def emulate(spec):
    bits = spec.get("bits", 8)
    wbits = spec.get("weight_bits", bits)
    op = spec["op"]
    if op == "fake_quant_activation":
        x = np.load(spec["x"])
        grid = activation_grid(spec["range"][0], spec["range"][1], bits)
        np.save(spec["out"], fake_quant(x, grid))
        return {"scale": grid[0], "zero_point": grid[1]}
    if op == "conv":
        x, w = np.load(spec["x"]), np.load(spec["w"])
        b = np.load(spec["b"]) if spec.get("b") else None
        y_ref = conv2d_nchw(x, w, b, spec["strides"], spec["pads"])
        if spec.get("relu"):
            y_ref = np.maximum(y_ref, 0)
        wq = quantize_weights(w, wbits, spec.get("per_channel", True), 0)
        y = conv2d_nchw(calibrated_fq(x, bits), wq, b, spec["strides"], spec["pads"])
        if spec.get("relu"):
            y = np.maximum(y, 0)
        gy = activation_grid(y_ref.min(), y_ref.max(), bits)
        np.save(spec["out"], fake_quant(y, gy))
        return {"scale_y": gy[0]}
    if op == "gemm":
        x, w = np.load(spec["x"]), np.load(spec["w"])
        b = np.load(spec["b"]) if spec.get("b") else None
        trans_b = spec.get("trans_b", 1)
        # Output channel is the row of B when transB=1, the column when transB=0.
        axis = 0 if trans_b else 1
        wmat = w.T if trans_b else w
        y_ref = x.astype(np.float64) @ wmat.astype(np.float64)
        if b is not None:
            y_ref = y_ref + b
        wq = quantize_weights(w, wbits, spec.get("per_channel", True), axis)
        wqm = wq.T if trans_b else wq
        y = calibrated_fq(x, bits).astype(np.float64) @ wqm.astype(np.float64)
        if b is not None:
            y = y + b
        gy = activation_grid(y_ref.min(), y_ref.max(), bits)
        np.save(spec["out"], fake_quant(y.astype(np.float32), gy))
        return {"scale_y": gy[0]}
    if op == "add":
        # Graph: a = x * k, b = relu(x), y = a + b: an Add whose two inputs have different
        # scales. Ranges are calibrated on the FP32 run of the same x.
        x = np.load(spec["x"])
        k = np.float32(spec["k"])
        a_ref, b_ref = x * k, np.maximum(x, 0)
        y_ref = a_ref + b_ref
        ga = activation_grid(a_ref.min(), a_ref.max(), bits)
        gb = activation_grid(b_ref.min(), b_ref.max(), bits)
        xq = calibrated_fq(x, bits)
        a = fake_quant(xq * k, ga)
        b = fake_quant(np.maximum(xq, 0), gb)
        np.save(spec["out"], fake_quant(a + b, activation_grid(y_ref.min(), y_ref.max(), bits)))
        return {"scale_a": ga[0], "scale_b": gb[0],
                "scale_y": activation_grid(y_ref.min(), y_ref.max(), bits)[0]}
    if op == "parity":
        return parity_metrics(spec)
    raise SystemExit("unknown op " + op)


def parity_metrics(spec):
    a = np.load(spec["a"]).astype(np.float64)
    b = np.load(spec["b"]).astype(np.float64)
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    dot = (a * b).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = dot / (na * nb)
    cos = np.where((na == 0) & (nb == 0), 1.0, np.where((na == 0) | (nb == 0), 0.0, cos))
    err = a - b
    out = {
        "cosine_mean": float(cos.mean()),
        "cosine_min": float(cos.min()),
        "cosine_p5": float(np.percentile(cos.astype(np.float32), 5)),
        "snr_db": float(10 * np.log10((a ** 2).sum() / (err ** 2).sum())),
        "mse": float((err ** 2).mean()),
        "max_abs": float(np.abs(err).max()),
        "max_rel": float((np.abs(err) / np.maximum(np.abs(a), 1e-6)).max()),
        "worst_window": int(np.lexsort((np.arange(len(cos)), -(err ** 2).mean(axis=1),
                                        cos.astype(np.float32)))[0]),
    }
    role = spec.get("role")
    if role == "logits":
        ta, tb = a.astype(np.float32).argmax(axis=1), b.astype(np.float32).argmax(axis=1)
        out["top1_agreement"] = float((ta == tb).mean())
        out["flips"] = [int(i) for i in np.nonzero(ta != tb)[0]]
    if role == "motif_scores":
        thr = spec.get("threshold", 0.5)
        above_a = a.astype(np.float32) >= thr
        above_b = b.astype(np.float32) >= thr
        out["gained"] = int((above_b & ~above_a).sum())
        out["lost"] = int((above_a & ~above_b).sum())
    return out


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(emulate(json.load(handle))))
