#!/usr/bin/env bash
# Checks every copied artifact against the sha256 its PROVENANCE.md records, so a fixture that
# changes by accident (or a checkout that lost one) fails here with the file's name.
# usage: fixture-checksums.sh SOURCE_DIR
set -euo pipefail
cd "$1"
checked=0
for note in tests/fixtures/*/PROVENANCE.md samples/models/*/PROVENANCE.md; do
  [[ -f "$note" ]] || continue
  folder="$(dirname "$note")"
  # Table rows `| `file` | ... | `<64 hex>` |` list the files and their checksums.
  sums="$(sed -n 's/^| `\([^`]*\)` |.*`\([0-9a-f]\{64\}\)` |$/\2  \1/p' "$note")"
  [[ -n "$sums" ]] || { echo "FAIL: $note lists no sha256"; exit 1; }
  (cd "$folder" && sha256sum --quiet -c <<<"$sums") || { echo "FAIL: files in $folder differ from $note"; exit 1; }
  checked=$((checked + $(wc -l <<<"$sums")))
done
((checked > 0)) || { echo "FAIL: no PROVENANCE.md with checksums found"; exit 1; }
echo "ok: $checked copied files match their recorded sha256"
