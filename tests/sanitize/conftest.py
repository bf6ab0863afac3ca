from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("NOVU_SHARED_DIR", REPO.parent / "shared"))
NODE_MODULES = REPO / ".reference" / "node_modules"

Reference = Callable[..., dict[str, Any]]


@pytest.fixture(scope="session")
def reference() -> Reference:
    """Runs inputs through the TypeScript reference's sanitiser in one node process per call."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node 20) is required: the sanitiser is checked against the TypeScript reference")
    if not (NODE_MODULES / "sanitize-html").is_dir():
        pytest.fail(
            f"the TypeScript reference is not installed in {NODE_MODULES}: run scripts/install-reference.sh"
        )

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


def kit_json(name: str) -> Any:
    path = SHARED / "conformance" / name
    if not path.is_file():
        pytest.fail(f"{path} is missing: set NOVU_SHARED_DIR to the folder holding conformance/")
    return json.loads(path.read_text(encoding="utf-8"))
