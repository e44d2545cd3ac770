#!/usr/bin/env bash
# Runs ctest, then fails if any test was skipped, not run or disabled: a test that cannot run
# here is a failure, not a pass. The only exception is a test labelled `hardware` (it needs a
# device such as a Hailo-8 that a build machine cannot have); README.md lists those tests.
# usage: ctest-no-skips.sh BUILD_DIR [ctest arguments...]
set -uo pipefail
build="$(cd "$1" && pwd)"
shift
results="$build/Testing/ctest-results.xml"
mkdir -p "$build/Testing"
rm -f "$results"
(cd "$build" && ctest --output-on-failure --output-junit "$results" "$@")
status=$?
hardware="$(cd "$build" && ctest -N -L '^hardware$' | sed -n 's/^ *Test *#[0-9]*: //p')"
python3 - "$results" "$hardware" <<'PY' || status=1
import sys
import xml.etree.ElementTree as tree

results, hardware = sys.argv[1], set(filter(None, sys.argv[2].splitlines()))
try:
    cases = tree.parse(results).getroot().iter("testcase")
except (OSError, tree.ParseError) as error:
    print(f"ctest-no-skips: cannot read {results}: {error}")
    sys.exit(1)
unexpected, allowed = [], []
for case in cases:
    state = case.get("status", "run")
    if case.find("skipped") is not None and state == "run":
        state = "skipped"
    if state in ("run", "fail", "failed", "passed"):
        continue
    message = case.find("skipped")
    reason = (message.get("message", "") if message is not None else "") or state
    (allowed if case.get("name") in hardware else unexpected).append((case.get("name"), state, reason))
for name, state, reason in allowed:
    print(f"ctest-no-skips: {name} {state} (allowed: labelled hardware)")
if unexpected:
    print(f"FAIL: {len(unexpected)} test(s) skipped, not run or disabled; no test may skip:")
    for name, state, reason in unexpected:
        print(f"  {name}: {state} ({reason})")
    print("Install what they need (make bootstrap, make peers) or, only for a test that needs a")
    print("device this machine cannot have, give it the ctest label `hardware` and list it in README.md.")
    sys.exit(1)
print("ctest-no-skips: no test skipped")
PY
exit "$status"
