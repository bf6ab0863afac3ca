#!/usr/bin/env bash
# The main job: set up (scripts/setup.sh), then serve the example workflows on 127.0.0.1 through
# FastAPI and run them end to end on the embedded local runtime (scripts/demo.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
exec .venv/bin/python scripts/demo.py "$@"
