"""numpy side of the NPY tests (run with Debian's python3 + numpy).

usage: npy_roundtrip.py check FILE.npy      -> prints {"dtype", "shape", "values", "fortran"} as JSON
       npy_roundtrip.py write DIR           -> writes numpy-made files (every dtype, v1/v2/v3
                                               headers, fortran order, big endian, complex) and
                                               prints their expected contents as JSON
"""
import json
import sys

import numpy as np


def describe(array):
    return {
        "dtype": array.dtype.str,
        "shape": list(array.shape),
        "values": [float(v) if array.dtype.kind == "f" else int(v) for v in array.ravel(order="C")],
    }


def write_all(folder):
    rng = np.random.default_rng(5)
    arrays = {
        "f4": rng.standard_normal((3, 4, 5)).astype(np.float32),
        "f8": rng.standard_normal((2, 7)),
        "i8": rng.integers(-(2**40), 2**40, size=(4, 3), dtype=np.int64),
        "i4": rng.integers(-1000, 1000, size=(6,), dtype=np.int32),
        "b1": rng.integers(0, 2, size=(2, 3)).astype(np.bool_),
        "u1": rng.integers(0, 255, size=(5,), dtype=np.uint8),
        "scalar": np.array(3.5, dtype=np.float32),
        "empty": np.zeros((0, 9), dtype=np.float32),
    }
    expected = {}
    for name, array in arrays.items():
        np.save(f"{folder}/{name}.npy", array)
        expected[name] = describe(array)
    # Explicit v2.0 and v3.0 headers (numpy picks them itself only for huge headers).
    for version in [(2, 0), (3, 0)]:
        name = f"v{version[0]}"
        with open(f"{folder}/{name}.npy", "wb") as f:
            np.lib.format.write_array(f, arrays["f4"], version=version)
        expected[name] = describe(arrays["f4"])
    np.save(f"{folder}/fortran.npy", np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32)))
    np.save(f"{folder}/big_endian.npy", np.arange(6, dtype=">f4"))
    np.save(f"{folder}/complex.npy", np.arange(3, dtype=np.complex64))
    print(json.dumps(expected))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        array = np.load(sys.argv[2])
        result = describe(array)
        result["fortran"] = bool(np.isfortran(array)) and array.ndim > 1
        print(json.dumps(result))
    else:
        write_all(sys.argv[2])
