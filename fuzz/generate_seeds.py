#!/usr/bin/env python3
"""Regenerates the small committed seeds in fuzz/seeds/<harness>/ (a few KB each).
Run from the repo root with Debian's python3 (numpy, h5py): /usr/bin/python3 fuzz/generate_seeds.py
Larger seeds (the samples, ONNX's node tests) are copied at fuzz time by fuzz/make-seeds.sh."""
import json
import os
import sys

import h5py
import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
CHANNELS = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]


def path(harness, name):
    folder = os.path.join(ROOT, harness)
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, name)


def still_imu(n, rng):
    data = np.empty((n, 9), dtype=np.float32)
    data[:, 0:3] = np.array([0.3, -0.2, 9.77]) + rng.normal(0, 0.05, (n, 3))
    data[:, 3:6] = rng.normal(0, 0.01, (n, 3))
    data[:, 6:9] = np.array([20.0, -5.0, -40.0]) + rng.normal(0, 0.4, (n, 3))
    return data


def sessions(rng):
    n = 240
    # Two devices, explicit time, gzip+shuffle chunks, labels, metadata.
    with h5py.File(path("session_h5", "two_devices_chunked.h5"), "w", libver="earliest") as f:
        f.attrs["format"] = "imuwb-session"
        f.attrs["format_version"] = 1
        f.attrs["sample_rate_hz"] = 100.0
        f.attrs["start_time"] = "2026-11-21T06:00:00Z"
        f.attrs["metadata"] = json.dumps({"dog": "Bello", "nested": {"a": [1, 2]}})
        for name in ("collar", "harness"):
            ds = f.create_dataset(f"devices/{name}/imu", data=still_imu(n, rng), chunks=(64, 9),
                                  compression="gzip", compression_opts=1, shuffle=True)
            ds.attrs["channels"] = CHANNELS
            ds.attrs["units"] = ["m/s^2"] * 3 + ["rad/s"] * 3 + ["uT"] * 3
        f.create_dataset("time", data=np.arange(n) * 0.01)
        labels = f.create_group("labels")
        labels.create_dataset("classes", data=["stand", "walk"], dtype=h5py.string_dtype())
        labels.create_dataset("start_s", data=np.array([0.0, 1.0]))
        labels.create_dataset("end_s", data=np.array([1.0, 2.0]))
        labels.create_dataset("class_index", data=np.array([0, 1], dtype=np.int32))
    # One device, contiguous, uniform time (no /time), no labels.
    with h5py.File(path("session_h5", "one_device_contiguous.h5"), "w", libver="earliest") as f:
        f.attrs["format"] = "imuwb-session"
        f.attrs["format_version"] = 1
        f.attrs["sample_rate_hz"] = 100.0
        ds = f.create_dataset("devices/imu/imu", data=still_imu(n, rng))
        ds.attrs["channels"] = CHANNELS
        ds.attrs["units"] = ["m/s^2"] * 3 + ["rad/s"] * 3 + ["uT"] * 3


def csvs(rng):
    data = still_imu(60, rng)
    t = np.arange(60) * 10
    header = "timestamp_ms,acc_x,acc_y,acc_z,gyro_x,gyro_y,gyro_z,mag_x,mag_y,mag_z"
    with open(path("csv_import", "time_ms_si.csv"), "w") as f:
        f.write(header + "\n")
        for i in range(60):
            f.write(f"{1763700000000 + t[i]}," + ",".join(f"{v:.4f}" for v in data[i]) + "\n")
    with open(path("csv_import", "two_devices_seconds.csv"), "w") as f:
        cols = ["time"] + [f"collar_{c}" for c in CHANNELS] + [f"harness_{c}" for c in CHANNELS]
        f.write(",".join(cols) + "\n")
        for i in range(40):
            f.write(f"{i * 0.01:.2f}," + ",".join(f"{v:.3f}" for v in np.r_[data[i], data[i]]) + "\n")
    with open(path("csv_import", "semicolon_units_g_dps.csv"), "w") as f:
        f.write("t [s];ax_g;ay_g;az_g;gx[dps];gy[dps];gz[dps];mx (uT);my (uT);mz (uT)\r\n")
        for i in range(40):
            row = np.r_[data[i, :3] / 9.80665, np.degrees(data[i, 3:6]), data[i, 6:]]
            f.write(f"{i * 0.01:.2f};" + ";".join(f"{v:.4f}" for v in row) + "\r\n")


def windows(rng):
    data = still_imu(100, rng)
    with open(path("json_window", "x_100x9.json"), "w") as f:
        json.dump({"x": [[round(float(v), 3) for v in row] for row in data]}, f)
    with open(path("json_window", "imu_window_legacy.json"), "w") as f:
        json.dump({"imu_window": [[round(float(v), 2) for v in row] for row in data[:20]]}, f)


def sidecar_bodies(rng):
    two = np.concatenate([still_imu(100, rng), still_imu(100, rng)])
    with open(path("sidecar_body", "x_two_devices_200x9.json"), "w") as f:
        json.dump({"x": [[float(v) for v in row] for row in two]}, f, indent=1)
    with open(path("sidecar_body", "response_latent_logits.json"), "w") as f:
        json.dump({"latent_embeddings": [round(float(v), 4) for v in rng.normal(0, 1, 64)],
                   "latent": [[0.5] * 32, [0.25] * 32], "logits": [1.5, -0.5, 0.25],
                   "status": "ok"}, f)


def labels():
    with open(path("labels_csv", "start_end_label.csv"), "w") as f:
        f.write("start,end,label\n0.00,3.97,stand\n3.97,10.39,walk\n10.39,12.90,turn_right\n")
    with open(path("labels_csv", "onset_offset_tabs.csv"), "w") as f:
        f.write("# exported labels\nonset\toffset\tbehavior\n1.5\t2.5\tsit\n\n2.5\t9\tdown\n")


def npys():
    np.save(path("npy", "f4_2x3.npy"), np.arange(6, dtype="<f4").reshape(2, 3))
    np.save(path("npy", "f8_scalar.npy"), np.array(3.5, dtype="<f8"))
    np.save(path("npy", "i8_vector.npy"), np.arange(4, dtype="<i8"))
    np.save(path("npy", "u1_empty.npy"), np.zeros((0, 9), dtype="u1"))
    np.save(path("npy", "bool_2x2.npy"), np.array([[True, False], [False, True]]))
    np.save(path("npy", "i4_fortran.npy"), np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3)))
    with open(path("npy", "v2_header_i1.npy"), "wb") as f:
        np.lib.format.write_array(f, np.arange(5, dtype="i1"), version=(2, 0))


def manifests():
    contract = ["ax", "ay", "az", "gx", "gy", "gz", "mx", "my", "mz"]
    legacy = {
        "export_info": {"export_version": "1.0.0", "model_accuracy": "72.13%"},
        "model_specs": {"input_shape": [1, 100, 9], "output_shape": [1, 64],
                        "output_format": "latent_embeddings", "sequence_length": 100,
                        "latent_dimension": 64},
        "normalization": {"method": "z_score_per_channel", "mean": [0.12, -0.08, 9.78, 0.002,
                          -0.001, 0.003, 22.4, -8.7, 43.2], "std": [3.92, 3.87, 2.45, 1.24, 1.31,
                          0.98, 28.5, 31.2, 24.8], "channel_order": contract},
        "files": {"onnx_model": "tcn_encoder_for_edgeinfer.onnx"},
    }
    with open(path("manifest", "model_config.json"), "w") as f:
        json.dump(legacy, f)
    fsq = {
        "format": "imuwb-manifest", "format_version": 1, "name": "fsq_demo", "version": "0.1",
        "onnx": "model.onnx",
        "input": {"name": "x", "layout": "NHWC_devices", "shape": [1, 2, 100, 9],
                  "devices": ["collar", "harness"], "channel_order": contract,
                  "sample_rate_hz": 100.0},
        "normalization": {"method": "z_score_per_channel", "applied_by": "model",
                          "mean": [0] * 9, "std": [1] * 9, "channel_order": contract},
        "outputs": [{"name": "proj", "role": "fsq_projection", "size": 5},
                    {"name": "motifs", "role": "motif_scores", "size": 2, "names": ["sit", "bark"]}],
        "fsq": {"levels": [8, 6, 5, 5, 4], "bound_on_device": True, "head_onnx": "head.onnx",
                "class_names": ["a", "b"]},
        "temperature": 1.5, "parity": {"fp32_cosine": 0.99, "int8_cosine": 0.95},
        "input_range": [-4, 4], "training": {"seed": 7},
    }
    with open(path("manifest", "fsq_nhwc.json"), "w") as f:
        json.dump(fsq, f)
    ntc = {"format": "imuwb-manifest", "format_version": 1, "name": "tcn", "version": "1",
           "input": {"name": "w", "layout": "NTC", "shape": [1, 100, 9], "channel_order": contract},
           "outputs": [{"name": "logits", "role": "logits", "size": 3,
                        "names": ["stand", "walk", "trot"]}]}
    with open(path("manifest", "ntc_logits.json"), "w") as f:
        json.dump(ntc, f)


if __name__ == "__main__":
    rng = np.random.default_rng(11)
    sessions(rng)
    csvs(rng)
    windows(rng)
    sidecar_bodies(rng)
    labels()
    npys()
    manifests()
    sys.exit(0)
