#!/usr/bin/env bash
# Checks the independent peers the tests compare against are installed by the project's own
# scripts: Debian's python3 modules (make bootstrap) and ONNX Runtime for node (make peers).
# usage: check-peers.sh PYTHON NODE PEERS_DIR
set -uo pipefail
python="$1" node="$2" peers="$3"
failed=0
for module in numpy h5py scipy pandas fastapi uvicorn; do
  if ! "$python" -c "import $module" 2>/dev/null; then
    echo "FAIL: $python cannot import $module; run make bootstrap (scripts/debian-packages.txt)"
    failed=1
  fi
done
if [[ -z "$node" || ! -x "$(command -v "$node")" ]]; then
  echo "FAIL: node not found; run make bootstrap"
  failed=1
elif ! NODE_PATH="$peers/node_modules" "$node" -e "require('onnxruntime-node')" 2>/dev/null; then
  echo "FAIL: onnxruntime-node not loadable from $peers; run make peers (scripts/setup-peers.sh)"
  failed=1
fi
command -v npm >/dev/null 2>&1 || { echo "FAIL: npm not found; run make bootstrap"; failed=1; }
((failed == 0)) && echo "ok: python3 numpy h5py scipy pandas fastapi uvicorn, node, npm and onnxruntime-node present"
exit "$failed"
