#!/usr/bin/env bash
# Installs the TypeScript reference (@novu/framework 2.9.0, pinned by the conformance kit) into
# .reference/ so that benchmarks and differential tests can run it beside the Python bridge.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kit="${NOVU_CONFORMANCE_KIT:-$root/../shared/conformance}"
dest="$root/.reference"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-reference: node and npm are required (apt-get install nodejs npm)" >&2
  exit 1
fi
mkdir -p "$dest"
cp "$kit/package.json" "$kit/package-lock.json" "$kit/reference-server.mjs" "$dest/"
if [ ! -d "$dest/node_modules/@novu/framework" ]; then
  (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "reference installed in $dest"
