#!/usr/bin/env bash
# Sets up (scripts/setup.sh) and runs the whole check: lint, strict type check of the core, and the
# test suite (conformance against the TypeScript reference's recording included).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy --strict (core)"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
