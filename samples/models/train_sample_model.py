#!/usr/bin/env python3
"""Train imuwb's sample model: a small, Hailo-friendly Conv2d device-axis network.

Input NCHW [1, 9, 2, 100]: 9 channels (ax..mz, contract units), H = 2 devices (collar, harness),
W = 100 samples at 100 Hz, z-scored on the host with the training set's per-channel mean/std.
Heads (the deployment contract's three): latent 64, motif_scores 12 (sigmoid), behavior_logits 10.
Ops: Conv (1,k) and (3,3) kernels with groups=1, BatchNorm folded into the convs and linears
before export, ReLU, GlobalAveragePool, Flatten, Gemm, Sigmoid. Exported at opset 11.

Data: sessions from `imuwb generate` (deterministic seeds), windows of 100 at stride 50 (train
uses stride 25), labelled by the centre sample. Held-out accuracy is measured on sessions with
seeds never seen in training and written into the manifest and README.

Needs Debian's python3-torch (scripts/bootstrap.sh with IMUWB_WITH_TORCH=1), numpy and h5py.
Only needed to regenerate the committed bundle; building and testing never run it.

    /usr/bin/python3 samples/models/train_sample_model.py --imuwb build/bin/imuwb
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch
from torch import nn

CHANNELS = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]
DEVICES = ["collar", "harness"]
MOTIFS = ["sit", "stay", "heel", "come", "down", "shake", "spin", "jump", "bark", "sniff", "walk", "play"]
# Generated sessions carry behaviours, not motifs: motif targets are a documented proxy derived
# from the behaviour of each window (multi-label), so the sigmoid head learns something real.
MOTIFS_OF_BEHAVIOUR = {
    "stand": ["stay", "sniff"],
    "sit": ["sit", "stay"],
    "lie_down": ["down", "stay"],
    "walk": ["walk", "heel"],
    "trot": ["walk", "come"],
    "gallop": ["come", "play"],
    "turn_left": ["spin"],
    "turn_right": ["spin"],
    "jump": ["jump", "play"],
    "shake": ["shake"],
}
WINDOW = 100


def generate(imuwb, folder, seed, duration):
    path = os.path.join(folder, f"s{seed}.h5")
    subprocess.run([imuwb, "generate", "--duration", duration, "--seed", str(seed), "--out", path,
                    "--devices", ",".join(DEVICES), "--force"], check=True, stdout=subprocess.DEVNULL)
    return path


def windows_of(path, stride):
    """Raw windows [N, 2, 100, 9] (devices, time, channels) and centre-sample labels."""
    with h5py.File(path, "r") as f:
        data = np.stack([f[f"devices/{d}/imu"][()] for d in DEVICES])  # [2, rows, 9]
        rate = float(f.attrs["sample_rate_hz"])
        classes = [c.decode() if isinstance(c, bytes) else c for c in f["labels/classes"][()]]
        starts, ends = f["labels/start_s"][()], f["labels/end_s"][()]
        index = f["labels/class_index"][()]
    rows = data.shape[1]
    first = np.arange(0, rows - WINDOW + 1, stride)
    centre_t = (first + WINDOW // 2) / rate
    labels = np.full(len(first), -1)
    for s, e, k in zip(starts, ends, index):
        labels[(centre_t >= s) & (centre_t < e)] = k
    x = np.stack([data[:, i:i + WINDOW, :] for i in first])  # [N, 2, 100, 9]
    keep = labels >= 0
    return x[keep].astype(np.float32), labels[keep], classes


class SampleNet(nn.Module):
    def __init__(self, classes=10, motifs=12, latent=64):
        super().__init__()
        def block(cin, cout, kernel, stride, padding):
            return [nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False),
                    nn.BatchNorm2d(cout), nn.ReLU()]
        self.features = nn.Sequential(
            *block(9, 16, (1, 5), (1, 1), (0, 2)),
            *block(16, 32, (1, 5), (1, 2), (0, 2)),
            *block(32, 32, (3, 3), (1, 1), (1, 1)),   # mixes the two devices (H) and time
            *block(32, 64, (1, 3), (1, 2), (0, 1)),
            *block(64, 64, (1, 3), (1, 2), (0, 1)),
            nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.latent = nn.Sequential(nn.Linear(64, latent, bias=False), nn.BatchNorm1d(latent))
        self.motif = nn.Linear(latent, motifs)
        self.behavior = nn.Linear(latent, classes)

    def forward(self, x):
        z = self.latent(self.features(x))
        return z, torch.sigmoid(self.motif(torch.relu(z))), self.behavior(torch.relu(z))


def fold_batchnorm(model):
    """Fold every BatchNorm into the layer before it (eval statistics): no BN is left for the device."""
    from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval
    layers = list(model.features)
    fused = []
    i = 0
    while i < len(layers):
        if isinstance(layers[i], nn.Conv2d) and i + 1 < len(layers) and isinstance(layers[i + 1], nn.BatchNorm2d):
            fused.append(fuse_conv_bn_eval(layers[i], layers[i + 1]))
            i += 2
        else:
            fused.append(layers[i])
            i += 1
    model.features = nn.Sequential(*fused)
    linear, bn = model.latent
    model.latent = fuse_linear_bn_eval(linear, bn)
    return model


def to_nchw(x_raw, mean, std):
    z = (x_raw - mean) / std                  # [N, 2, 100, 9]
    return np.ascontiguousarray(z.transpose(0, 3, 1, 2)).astype(np.float32)  # [N, 9, 2, 100]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--imuwb", default="build/bin/imuwb", help="imuwb binary (for `imuwb generate`)")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "dog_behavior_conv2d"))
    # Many short training sessions rather than a few long ones: behaviours come in bouts with
    # their own posture and cadence, so the number of bouts matters more than their length.
    # The bundled samples (seeds 1, 2, 10) are never trained on.
    parser.add_argument("--train-seeds", default=",".join(str(s) for s in range(11, 35)))
    parser.add_argument("--train-duration", default="5m")
    parser.add_argument("--test-seeds", default="101,102")
    parser.add_argument("--duration", default="20m", help="held-out session length")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(2)
    started = time.time()

    with tempfile.TemporaryDirectory() as folder:
        train_parts = [windows_of(generate(args.imuwb, folder, int(s), args.train_duration), 25)
                       for s in args.train_seeds.split(",")]
        test_parts = [windows_of(generate(args.imuwb, folder, int(s), args.duration), 50)
                      for s in args.test_seeds.split(",")]
    classes = train_parts[0][2]
    x_train = np.concatenate([p[0] for p in train_parts]); y_train = np.concatenate([p[1] for p in train_parts])
    x_test = np.concatenate([p[0] for p in test_parts]); y_test = np.concatenate([p[1] for p in test_parts])
    # Per-channel statistics over both devices and all training samples.
    mean = x_train.reshape(-1, 9).mean(0).astype(np.float32)
    std = x_train.reshape(-1, 9).std(0).astype(np.float32)
    motif_targets = np.zeros((len(classes), len(MOTIFS)), np.float32)
    for k, name in enumerate(classes):
        for motif in MOTIFS_OF_BEHAVIOUR.get(name, []):
            motif_targets[k, MOTIFS.index(motif)] = 1
    print(f"train windows {len(x_train)}, test windows {len(x_test)}, classes {classes}")
    print("class histogram (train):", np.bincount(y_train, minlength=len(classes)).tolist())

    xt = torch.from_numpy(to_nchw(x_train, mean, std)); yt = torch.from_numpy(y_train).long()
    xv = torch.from_numpy(to_nchw(x_test, mean, std)); yv = torch.from_numpy(y_test).long()
    mt = torch.from_numpy(motif_targets)
    model = SampleNet(classes=len(classes), motifs=len(MOTIFS))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=args.epochs * ((len(xt) + 127) // 128))
    ce, bce = nn.CrossEntropyLoss(), nn.BCELoss()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xt))
        total = 0.0
        for i in range(0, len(xt), 128):
            batch = order[i:i + 128]
            z, motif, logits = model(xt[batch])
            # The contract expects latents within [-4, 4]: a hinge keeps them inside with margin.
            loss = (ce(logits, yt[batch]) + 0.5 * bce(motif, mt[yt[batch]]) + 1e-3 * (z ** 2).mean()
                    + 1.0 * torch.relu(z.abs() - 3.0).pow(2).mean())
            optimizer.zero_grad(); loss.backward(); optimizer.step(); schedule.step()
            total += loss.item() * len(batch)
        model.eval()
        with torch.no_grad():
            accuracy = (model(xv)[2].argmax(1) == yv).float().mean().item()
        print(f"epoch {epoch + 1}: loss {total / len(xt):.4f}, held-out accuracy {accuracy:.4f}")

    model.eval()
    fold_batchnorm(model)
    with torch.no_grad():
        z, motif, logits = model(xv)
        accuracy = (logits.argmax(1) == yv).float().mean().item()
        per_class = {classes[k]: round(float((logits.argmax(1)[yv == k] == k).float().mean()), 4)
                     for k in range(len(classes)) if (yv == k).any()}
        latent_range = [float(z.min()), float(z.max())]
    print(f"held-out accuracy after folding BatchNorm: {accuracy:.4f}; latent range {latent_range}")

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    torch.onnx.export(model, torch.from_numpy(to_nchw(x_test[:1], mean, std)), onnx_path, opset_version=11,
                      input_names=["imu_window"], output_names=["latent", "motif_scores", "behavior_logits"],
                      do_constant_folding=True)
    # A few reference windows with PyTorch's outputs (.npy, readable by imuwb's NPY reader), so
    # tests compare imuwb's engines with PyTorch: raw windows [8, 2, 100, 9] (device, time,
    # channel; contract units), the normalized NCHW inputs and the three outputs.
    reference = os.path.join(args.out, "reference")
    os.makedirs(reference, exist_ok=True)
    with torch.no_grad():
        ref_in = torch.from_numpy(to_nchw(x_test[:8], mean, std))
        rz, rm, rl = model(ref_in)
    for name, value in [("raw_windows", x_test[:8]), ("inputs_nchw", ref_in.numpy()), ("latent", rz.numpy()),
                        ("motif_scores", rm.numpy()), ("behavior_logits", rl.numpy())]:
        np.save(os.path.join(reference, name + ".npy"), np.ascontiguousarray(value, dtype=np.float32))
    np.save(os.path.join(reference, "labels.npy"), y_test[:8].astype(np.int64))
    params = sum(p.numel() for p in model.parameters())
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    manifest = {
        "format": "imuwb-manifest", "format_version": 1,
        "name": "dog_behavior_conv2d", "version": "2.0.0", "onnx": "model.onnx",
        "input": {"name": "imu_window", "layout": "NCHW_devices", "shape": [1, 9, 2, WINDOW],
                  "devices": DEVICES, "channel_order": CHANNELS, "sample_rate_hz": 100.0},
        "normalization": {"method": "z_score_per_channel", "applied_by": "host",
                          "mean": [float(v) for v in mean], "std": [float(v) for v in std],
                          "channel_order": CHANNELS},
        "outputs": [
            {"name": "latent", "role": "latent", "size": 64},
            {"name": "motif_scores", "role": "motif_scores", "size": 12, "names": MOTIFS},
            {"name": "behavior_logits", "role": "logits", "size": len(classes), "names": classes}],
        "temperature": 1.0,
        "parity": {"fp32_cosine": 0.99, "int8_cosine": 0.95, "top1_agreement": 0.9},
        "training": {"script": "samples/models/train_sample_model.py", "torch": torch.__version__,
                     "train_sessions": {"generator": "imuwb generate", "seeds": args.train_seeds, "duration": args.train_duration,
                                        "stride": 25, "windows": int(len(x_train))},
                     "test_sessions": {"seeds": args.test_seeds, "duration": args.duration, "stride": 50,
                                       "windows": int(len(x_test))},
                     "held_out_accuracy": round(accuracy, 4), "per_class_accuracy": per_class,
                     "latent_range_held_out": latent_range, "epochs": args.epochs, "seed": args.seed,
                     "parameters": int(params), "onnx_sha256": sha,
                     "motif_targets": "proxy: derived from the window's behaviour label (see MOTIFS_OF_BEHAVIOUR)",
                     "seconds": round(time.time() - started, 1)},
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}: {params} parameters, {os.path.getsize(onnx_path)} bytes ONNX, "
          f"held-out accuracy {accuracy:.4f}, {time.time() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
