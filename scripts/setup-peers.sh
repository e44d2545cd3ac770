#!/usr/bin/env bash
# Installs the independent test peers that are not Debian packages: ONNX Runtime for node.
# They live in .cache/peers and are only used by tests and benchmarks, never by imuwb itself.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peers="$root/.cache/peers"
ort_version="1.30.0"
marker="$peers/node_modules/onnxruntime-node/package.json"
if [[ -f "$marker" ]] && grep -q "\"version\": \"$ort_version\"" "$marker"; then
  echo "setup-peers: onnxruntime-node $ort_version present"
  exit 0
fi
mkdir -p "$peers"
cd "$peers"
[[ -f package.json ]] || echo '{"name":"imuwb-test-peers","private":true}' > package.json
# --ignore-scripts: the package ships its CPU binaries; its install script would only fetch GPU extras.
npm install --no-audit --no-fund --ignore-scripts --loglevel=error "onnxruntime-node@$ort_version"
echo "setup-peers: onnxruntime-node $ort_version installed in $peers"
