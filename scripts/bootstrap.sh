#!/usr/bin/env bash
# Installs the Debian 12 packages imuwb needs, skipping what is already there.
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format ccache dpkg-dev file
  clang libfuzzer-14-dev libclang-rt-14-dev
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libgl-dev
  libhdf5-dev libdeflate-dev nlohmann-json3-dev libonnx-dev libprotobuf-dev protobuf-compiler
  libeigen3-dev libcpp-httplib-dev libcli11-dev libssl-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy python3-h5py python3-scipy python3-pandas python3-fastapi python3-uvicorn
  libsoxr-dev libonnx-testdata
  xvfb xauth
)
# node and npm may come from elsewhere (e.g. NodeSource); only use Debian's when none is on PATH.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${IMUWB_WITH_TORCH:-0}" == 1 ]]; then packages+=(python3-torch); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "bootstrap: all ${#packages[@]} Debian packages present"
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
