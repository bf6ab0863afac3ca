"""Runs ``ajv_oracle.cjs``: the reference's ajv 8 + ajv-formats, one Node process per batch of cases."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.reference import node_or_skip

HERE = Path(__file__).resolve().parent
REFERENCE_ROOT = Path(os.environ.get("NOVU_REFERENCE_DIR", HERE.parent.parent / ".reference"))
NODE_MODULES = REFERENCE_ROOT / "node_modules"


def run_ajv(cases: list[tuple[Any, Any]]) -> list[dict[str, Any]]:
    """ajv's answer for each ``(schema, data)``: ``{"compileError"}`` or ``{"ok", "data", "errors"}``."""
    node = node_or_skip("the ajv parity tests (the reference validator runs in Node)")
    payload = json.dumps([{"schema": schema, "data": data} for schema, data in cases])
    done = subprocess.run(
        [node, str(HERE / "ajv_oracle.cjs"), str(NODE_MODULES)],
        input=payload,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"ajv oracle failed: {done.stderr[-2000:]}")
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results
