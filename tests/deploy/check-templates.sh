#!/usr/bin/env bash
# The deploy/ templates (docs/scale.md): the SLURM script passes bash -n and shellcheck, the
# Kubernetes manifest validates against the committed Job schema subset, and both run locally
# with their index variables set by hand over generated sessions; `report merge` of what they
# wrote is then complete (every recording, none failed).
# usage: check-templates.sh IMUWB SOURCE_DIR
set -euo pipefail
imuwb="$1"
src="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/imuwb-deploy-XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
python=/usr/bin/python3
sbatch="$src/deploy/slurm/imuwb-array.sbatch"
manifest="$src/deploy/kubernetes/imuwb-indexed-job.yaml"

bash -n "$sbatch" || fail "bash -n $sbatch"
command -v shellcheck >/dev/null || fail "shellcheck is not installed (Debian package shellcheck)"
shellcheck "$sbatch" || fail "shellcheck $sbatch"
echo "slurm script: bash -n and shellcheck clean"

model="$src/samples/models/dog_behavior_conv2d"
mkdir -p "$work/data/a" "$work/data/b"
for i in 0 1 2 3 4 5 6; do
  "$imuwb" generate --duration 1m --seed "$((40 + i))" --devices collar,harness \
    --out "$work/data/$([[ $i -lt 4 ]] && echo a || echo b)/r$i.h5" >/dev/null
done
find "$work/data" -name '*.h5' | sort >"$work/fleet.txt"
"$imuwb" calib-export --model "$model" --session "$work/data/a/r0.h5" --windows 32 \
  --out "$work/calib.npy" >/dev/null

# SLURM: 3 array tasks, SLURM_ARRAY_TASK_ID set by hand.
for task in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$task SLURM_ARRAY_TASK_COUNT=3 IMUWB="$imuwb" MODEL="$model" \
    SESSIONS="$work/fleet.txt" ROOT="$work/data" OUT_DIR="$work/slurm-out" \
    IMUWB_ARGS="--calib $work/calib.npy --no-layers" \
    bash "$sbatch" >"$work/slurm-$task.log" 2>&1 || { cat "$work/slurm-$task.log"; fail "task $task"; }
done
"$imuwb" report merge "$work/slurm-out" --report "$work/slurm.json" >/dev/null ||
  fail "merge of the SLURM tasks' results is incomplete"
echo "slurm script: 3 tasks ran, merge complete"

# Kubernetes: every index of the Job, JOB_COMPLETION_INDEX set by hand.
K8S_ENV_MODEL="$model" K8S_ENV_CALIB="$work/calib.npy" K8S_ENV_SESSIONS="$work/fleet.txt" \
  K8S_ENV_ROOT="$work/data" K8S_ENV_OUT_DIR="$work/k8s-out" \
  "$python" "$src/tests/deploy/k8s_job.py" "$manifest" "$src/tests/deploy/job-schema-subset.json" \
  "$imuwb" >"$work/indices.sh" || fail "the manifest does not validate against the Job schema"
echo "kubernetes manifest: valid against the Job schema subset ($(wc -l <"$work/indices.sh") indices)"
while read -r line; do
  env -u SLURM_ARRAY_TASK_ID sh -c "$line" >>"$work/k8s.log" 2>&1 || { cat "$work/k8s.log"; fail "$line"; }
done <"$work/indices.sh"
"$imuwb" report merge "$work/k8s-out" --report "$work/k8s.json" >/dev/null ||
  fail "merge of the Job's results is incomplete"
echo "kubernetes job: every index ran, merge complete"

# The two engines sharded differently, but merged the same.
"$python" - "$work/slurm.json" "$work/k8s.json" <<'PY' || fail "SLURM and Kubernetes merges differ"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["recordings"]["ok"] == b["recordings"]["ok"] == 7, (a["recordings"], b["recordings"])
for x, y in zip(a["metrics"]["outputs"], b["metrics"]["outputs"]):
    assert x["windows"] == y["windows"] and x["metrics"]["cosine_p5"] == y["metrics"]["cosine_p5"]
PY
echo "PASS"
