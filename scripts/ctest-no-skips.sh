#!/usr/bin/env bash
# Runs ctest, then fails if any test was skipped, not run or disabled: a test that cannot run
# here is a failure, not a pass, with no exception (README.md, "No test skips").
# usage: ctest-no-skips.sh BUILD_DIR [ctest arguments...]
set -uo pipefail
build="$(cd "$1" && pwd)"
shift
results="$build/Testing/ctest-results.xml"
mkdir -p "$build/Testing"
rm -f "$results"
(cd "$build" && ctest --output-on-failure --output-junit "$results" "$@")
status=$?
python3 - "$results" <<'PY' || status=1
import sys
import xml.etree.ElementTree as tree

results = sys.argv[1]
try:
    cases = tree.parse(results).getroot().iter("testcase")
except (OSError, tree.ParseError) as error:
    print(f"ctest-no-skips: cannot read {results}: {error}")
    sys.exit(1)
unexpected = []
for case in cases:
    state = case.get("status", "run")
    if case.find("skipped") is not None and state == "run":
        state = "skipped"
    if state in ("run", "fail", "failed", "passed"):
        continue
    message = case.find("skipped")
    reason = (message.get("message", "") if message is not None else "") or state
    unexpected.append((case.get("name"), state, reason))
if unexpected:
    print(f"FAIL: {len(unexpected)} test(s) skipped, not run or disabled; no test may skip:")
    for name, state, reason in unexpected:
        print(f"  {name}: {state} ({reason})")
    print("Install what they need (make bootstrap, make peers); a test that cannot run here fails.")
    sys.exit(1)
print("ctest-no-skips: no test skipped")
PY
exit "$status"
