#!/usr/bin/env bash
# Everything the test suite needs, on top of scripts/setup.sh: the `dev` extras in .venv; Node and npm
# with the TypeScript reference (reference/package-lock.json, from the npm registry) for the
# differential and conformance tests; PostgreSQL's server binaries for the runtime's multi-process
# tests; Debian's chromium and the pinned Novu front-end clients (tests/inbox/js) for the browser
# and Inbox API tests; git and openssl. Debian 12, as root or with sudo.
# Safe to run again: installs only what is missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v git >/dev/null 2>&1 || need+=(git)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
bash scripts/apt-install.sh "${need[@]}"
bash scripts/install-postgres.sh
bash scripts/setup.sh dev
bash scripts/install-reference.sh
bash scripts/install-inbox-clients.sh
