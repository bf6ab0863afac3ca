#!/usr/bin/env bash
# Installs the TypeScript reference (@novu/framework 2.9.0 and what the tests load beside it, pinned
# by reference/package-lock.json) from the npm registry into .reference/, where the differential
# tests, the conformance test and the benchmarks find it. Needs node and npm. Safe to run again:
# installs only when the lockfile changed since the last install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/.reference"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-reference: node and npm are required (bash scripts/setup-tests.sh installs them)" >&2
  exit 1
fi
mkdir -p "$dest"
if cmp -s "$root/reference/package-lock.json" "$dest/installed-lock.json" \
  && [ -d "$dest/node_modules/@novu/framework" ]; then
  echo "reference already installed in $dest"
  exit 0
fi
cp "$root/reference/package.json" "$root/reference/package-lock.json" "$dest/"
(cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
cp "$root/reference/package-lock.json" "$dest/installed-lock.json"
echo "reference installed in $dest"
