#!/usr/bin/env bash
# Python only: creates .venv and installs the package into it with the extras given (default `demo`:
# FastAPI, uvicorn and aiosmtpd, what scripts/demo.sh needs). Installs no Node, no PostgreSQL.
# On a machine without Python >= 3.10 and its venv module, installs Debian's python3 and python3-venv.
# Safe to run again: reinstalls only when pyproject.toml or the extras changed.
#   bash scripts/setup.sh [EXTRAS]        e.g. `bash scripts/setup.sh dev` (scripts/setup-tests.sh does)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
extras="${1:-demo}"

python_ok() {
  command -v python3 >/dev/null 2>&1 && python3 - <<'PY' 2>/dev/null
import sys
import ensurepip, venv  # noqa: F401  (Debian ships them in python3-venv)
sys.exit(0 if sys.version_info >= (3, 10) else 1)
PY
}
if ! python_ok; then
  bash scripts/apt-install.sh python3 python3-venv
  python_ok || { echo "setup: Python >= 3.10 with venv is required, found $(python3 --version 2>&1)" >&2; exit 1; }
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=".venv/.novu-setup"
want="$extras $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
  echo "$want" > "$stamp"
fi
echo "setup: .venv ready (novu-framework[$extras], $(.venv/bin/python --version))"
