#!/usr/bin/env bash
# Fails if any file of the repository names the team's shared folder beside it: the project's
# fixtures live in tests/fixtures and samples/, so a user's clone has everything it needs.
# usage: no-outside-reads.sh SOURCE_DIR
set -euo pipefail
root="$1"
cd "$root"
# Built from pieces so this script does not match itself.
parent='..'; folder='shared'
patterns=(-e "$parent/$folder" -e "/work/$folder")
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard)
else
  mapfile -d '' files < <(find . \( -name .git -o -name .cache -o -name 'build*' -o -name node_modules \) -prune \
                            -o -type f -print0)
fi
existing=()
for f in "${files[@]}"; do [[ -f "$f" ]] && existing+=("$f"); done
if hits=$(printf '%s\0' "${existing[@]}" | xargs -0 grep -nIF "${patterns[@]}" --); then
  echo "FAIL: these lines read or name the shared folder outside the repository:"
  echo "$hits"
  echo "Copy what they need into the repo (tests/fixtures/, samples/) and point them there."
  exit 1
fi
echo "ok: none of ${#existing[@]} files names the shared folder outside the repository"
