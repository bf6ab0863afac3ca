from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("NOVU_SHARED_DIR", REPO.parent / "shared"))


def _read(path: Path) -> str:
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: set NOVU_SHARED_DIR to the folder holding conformance/ and reference/"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def golden_discover() -> dict[str, Any]:
    """The reference's discover document (case ``discover-strict-signed``)."""
    golden = json.loads(_read(SHARED / "conformance" / "golden.json"))
    body: dict[str, Any] = golden["results"]["discover-strict-signed"]["body"]
    return body


@pytest.fixture(scope="session")
def workflow_api_md() -> str:
    return _read(SHARED / "reference" / "workflow-api.md")
