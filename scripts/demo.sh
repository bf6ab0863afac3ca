#!/usr/bin/env bash
# The main job, needing only Python: set up .venv (scripts/setup.sh: the package with FastAPI, uvicorn
# and aiosmtpd), then serve the example workflows on 127.0.0.1 through FastAPI and run them end to end
# on the embedded local runtime (scripts/demo.py).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh demo
exec .venv/bin/python scripts/demo.py "$@"
