#!/usr/bin/python3
"""A Python hailo-inference sidecar stand-in for bench_serve_loopback: FastAPI + uvicorn (Debian
python3-fastapi, python3-uvicorn) and numpy, the seeds' own stack. Per request it does what the
real sidecar does around the device: JSON parsing, the contract's validation (shape, finite,
|acc| <= 500, |gyro| <= 35, |mag| <= 2000 -> 422 with detail), z-score normalization, and one
(rows*9) x 64 float32 matmul standing in for the model. Usage:
  fastapi_sidecar.py --port P [--rows 100]
Prints "listening P" once uvicorn is up."""
import argparse
import sys

import numpy as np
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, required=True)
parser.add_argument("--rows", type=int, default=100)
args = parser.parse_args()

rng = np.random.default_rng(0)
weights = rng.standard_normal((args.rows * 9, 64)).astype(np.float32)
mean = np.zeros(9, np.float32)
std = np.ones(9, np.float32)
bounds = np.array([500] * 3 + [35] * 3 + [2000] * 3, np.float32)
app = FastAPI()


@app.post("/infer")
async def infer(request: Request):
    try:
        body = await request.json()
        x = np.asarray(body["x"], dtype=np.float32)
    except Exception as error:  # noqa: BLE001 - any parse failure is the client's
        return JSONResponse({"detail": [{"msg": str(error)}]}, status_code=422)
    if x.shape != (args.rows, 9):
        return JSONResponse({"detail": [{"msg": f"shape {x.shape}"}]}, status_code=422)
    if not np.isfinite(x).all() or (np.abs(x) > bounds).any():
        return JSONResponse({"detail": [{"msg": "out of range"}]}, status_code=422)
    z = (x - mean) / std
    latent = z.reshape(1, -1) @ weights
    return {"latent": latent[0].tolist()}


@app.get("/healthz")
async def healthz():
    return {"ok": True, "model": "fastapi-peer"}


if __name__ == "__main__":
    print(f"listening {args.port}", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)
