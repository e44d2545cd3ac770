"""Checks deploy/kubernetes/imuwb-indexed-job.yaml against the committed Job schema subset and
prints, one per line, the shell command each index of the Job would run, with $(VAR) expanded
from the container's env (overridable: K8S_ENV_<NAME>=value) and JOB_COMPLETION_INDEX set.
usage: k8s_job.py MANIFEST SCHEMA IMUWB"""
import json
import os
import re
import shlex
import sys

import jsonschema
import yaml

manifest, schema, imuwb = sys.argv[1:4]
with open(manifest) as f:
    job = yaml.safe_load(f)
with open(schema) as f:
    jsonschema.validate(job, json.load(f))
spec = job["spec"]
assert spec["completionMode"] == "Indexed"
assert spec["template"]["spec"]["restartPolicy"] == "Never"
container = spec["template"]["spec"]["containers"][0]
env = {e["name"]: e.get("value", "") for e in container.get("env", [])}
for name in env:
    env[name] = os.environ.get("K8S_ENV_" + name, env[name])
args = [re.sub(r"\$\((\w+)\)", lambda m: env[m.group(1)], a) for a in container["args"]]
shard = next(a for a in args if a.startswith("auto/"))
assert shard == "auto/%d" % spec["completions"], "--shard must match completions"
command = [imuwb if c == "imuwb" else c for c in container["command"]]
for index in range(spec["completions"]):
    print("JOB_COMPLETION_INDEX=%d %s" % (index, " ".join(shlex.quote(c) for c in command + args)))
