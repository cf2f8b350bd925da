#!/usr/bin/env bash
# Refreshes the pictures of the office manual (docs/office-manual.zh.md) from the screenshots the
# browser tests took (web/screenshots/, written by scripts/test.sh or `cd web && npm test`). Run it
# after a change to the office's pages and commit docs/office-manual/ with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t images < <(grep -o 'office-manual/[A-Za-z0-9_-]*\.png' docs/office-manual.zh.md | sort -u)
mkdir -p docs/office-manual
missing=0
for image in "${images[@]}"; do
  source="web/screenshots/${image#office-manual/}"
  if [ -f "$source" ]; then
    cp "$source" "docs/$image"
  else
    echo "missing: $source (run the browser tests first)" >&2
    missing=1
  fi
done
exit "$missing"
