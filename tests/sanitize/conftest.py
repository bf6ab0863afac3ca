from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reference import NODE_MODULES, node_or_skip, reference_answers

CONFORMANCE_DATA = Path(__file__).resolve().parents[1] / "conformance" / "data"

Reference = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def reference() -> Reference:
    """Runs inputs through the TypeScript reference's sanitiser in one node process per call."""
    node = node_or_skip("checking the sanitiser against the reference's sanitize-html")

    def run(html: list[str] | None = None, entities: list[str] | None = None) -> dict[str, Any]:
        done = subprocess.run(
            [node, str(Path(__file__).with_name("reference_sanitize.js")), str(NODE_MODULES)],
            input=json.dumps({"html": html or [], "entities": entities or []}),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        answer: dict[str, Any] = json.loads(done.stdout)
        return answer

    return run


def conformance_json(name: str) -> Any:
    """A file of the conformance battery's data (``requests.json``, ``deviations.json``)."""
    return json.loads((CONFORMANCE_DATA / name).read_text(encoding="utf-8"))


def reference_results() -> dict[str, Any]:
    """The reference's answers to the battery (recorded in this run where Node is available)."""
    return reference_answers().results
