#!/usr/bin/env bash
# Installs the Debian 12 packages imuwb needs, skipping what is already there.
# Idempotent: a second run installs nothing and does not touch apt's lists.
set -euo pipefail

# The list lives in scripts/debian-packages.txt so the package-closure test can read it too.
packages=()
while read -r name condition; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [[ "$condition" == unless-command=* ]] && command -v "${condition#unless-command=}" >/dev/null 2>&1; then
    continue
  fi
  packages+=("$name")
done <"$(dirname "$0")/debian-packages.txt"
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
