from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.reference import reference_answers

# Section 5 of the written reference of @novu/framework 2.9.0's workflow API: the step types and their
# built-in output and result schemas, as published.
SPEC = Path(__file__).resolve().with_name("data") / "step-schemas-spec.md"


@pytest.fixture(scope="session")
def golden_discover() -> dict[str, Any]:
    """The reference's discover document (case ``discover-strict-signed``), recorded in this run
    where Node is available (else the stored copy; the terminal summary says which)."""
    body: dict[str, Any] = reference_answers().results["discover-strict-signed"]["body"]
    return body


@pytest.fixture(scope="session")
def workflow_api_md() -> str:
    return SPEC.read_text(encoding="utf-8")
