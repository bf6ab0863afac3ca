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

# == Lanes (noxfile.py): the whole suite on exactly the declared version floors (Python 3.10), then a
# representative part of it on each supported Python with the newest dependencies.
# NOVU_SKIP_LANES=1 skips them for a quick local run; CI runs them.
if [ -z "${NOVU_SKIP_LANES:-}" ]; then
  echo "== nox: minimums, python-3.10, python-3.11, python-3.12, python-3.13"
  .venv/bin/nox -s minimums python-3.10 python-3.11 python-3.12 python-3.13
  # The short benchmark lane (benchmarks/ci.py, also `nox -s bench_ci`): fails when a ratio to the
  # reference measured in the same run, or the burst's p99 accept latency, regresses past its target
  # by more than a noisy 2-core machine explains.
  echo "== benchmarks: the short lane against the reference"
  .venv/bin/python benchmarks/ci.py
fi
