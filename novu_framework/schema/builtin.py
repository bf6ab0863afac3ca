"""The JSON Schemas every built-in step type publishes in discover and validates its outputs/results with.

The schemas are the reference's own (``channelStepSchemas`` / ``actionStepSchemas`` of @novu/framework
2.9.0), stored verbatim with their key order in ``novu_framework/data/step_schemas.json`` and regenerated
by ``scripts/dump-reference-schemas.mjs``. The returned dicts are shared: callers must not mutate them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from novu_framework.constants import CHANNEL_STEP_TYPES as CHANNEL_STEP_TYPES
from novu_framework.constants import STEP_TYPES as STEP_TYPES
from novu_framework.constants import ActionStepType

EMPTY_OBJECT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {},
    "required": [],
    "additionalProperties": False,
}
"""The schema of a ``custom`` step without ``outputSchema`` (for its output and its result)."""


def load_data_json(name: str) -> Any:
    """Parse one JSON file shipped in ``novu_framework/data``."""
    return json.loads((resources.files("novu_framework") / "data" / name).read_text(encoding="utf-8"))


@cache
def _step_schemas() -> dict[str, dict[str, dict[str, Any]]]:
    schemas: dict[str, dict[str, dict[str, Any]]] = load_data_json("step_schemas.json")
    return schemas


def _schemas_for(step_type: str) -> dict[str, dict[str, Any]]:
    if step_type == ActionStepType.CUSTOM:
        raise ValueError(
            "custom steps have no built-in schema: they use their own outputSchema "
            "(EMPTY_OBJECT_SCHEMA when none is given)"
        )
    try:
        return _step_schemas()[step_type]
    except (KeyError, TypeError):
        valid = ", ".join(t for t in STEP_TYPES if t != ActionStepType.CUSTOM)
        raise ValueError(f"unknown step type {step_type!r}; built-in schemas exist for: {valid}") from None


def step_output_schema(step_type: str) -> dict[str, Any]:
    """The JSON Schema a built-in step's resolver output must satisfy (not for ``custom``)."""
    return _schemas_for(step_type)["output"]


def step_result_schema(step_type: str) -> dict[str, Any]:
    """The JSON Schema of the result Novu replays for a built-in step (not for ``custom``)."""
    return _schemas_for(step_type)["result"]
