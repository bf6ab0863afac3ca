#!/usr/bin/env bash
# Sets up everything the tests need (scripts/setup-tests.sh) and runs the whole check: lint, strict
# type check, and the test suite (conformance against the TypeScript reference, recorded in the run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup-tests.sh
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy --strict (core, then adapters and examples)"
.venv/bin/mypy
.venv/bin/mypy --strict --explicit-package-bases novu_framework_fastapi novu_framework_flask novu_framework_django examples scripts/demo.py
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
