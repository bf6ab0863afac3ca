#!/usr/bin/env bash
# Installs the pinned Novu front-end clients (@novu/js 3.12.0 and 3.19.2), puppeteer-core and esbuild
# that the Inbox API tests drive, from tests/inbox/js/package-lock.json. Safe to run again.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/tests/inbox/js"
if ! command -v npm >/dev/null 2>&1; then
  echo "install-inbox-clients: npm is not installed" >&2
  exit 1
fi
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json node_modules/.inbox-lock; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.inbox-lock
