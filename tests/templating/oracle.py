"""Runs ``liquid_oracle.js``: the reference's liquidjs engine, one Node process per batch of templates."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.reference import node_or_skip

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "liquid_oracle.js"
# liquid_oracle.js reads the same variable.
REFERENCE_ROOT = Path(os.environ.get("NOVU_REFERENCE_DIR", HERE.parent.parent / ".reference"))
REFERENCE = REFERENCE_ROOT / "node_modules" / "@novu" / "framework"


def render_with_reference(templates: list[str], context: Any, mode: str = "novu") -> list[dict[str, Any]]:
    """Render each template with the reference engine; ``mode="novu"`` applies the fixes D5, D6 and D8."""
    request = {"mode": mode, "cases": [{"template": template, "context": context} for template in templates]}
    results: list[dict[str, Any]] = _run(request)
    return results


def inflect_with_reference(words: list[str]) -> list[dict[str, str]]:
    """npm ``pluralize`` (the reference's dependency): ``{"plural", "singular"}`` of each word."""
    results: list[dict[str, str]] = _run({"mode": "inflect", "words": words})
    return results


def _run(request: dict[str, Any]) -> Any:
    node = node_or_skip("the differential Liquid tests (the reference engine runs in Node)")
    completed = subprocess.run(
        [node, str(ORACLE)],
        input=json.dumps(request).encode("utf-8"),
        capture_output=True,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise AssertionError(f"liquid_oracle.js failed: {completed.stderr.decode('utf-8', 'replace')}")
    return json.loads(completed.stdout)
