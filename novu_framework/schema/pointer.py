"""JSON-pointer segments for ajv's ``instancePath`` and ``schemaPath``."""

from __future__ import annotations

__all__ = ["pointer_segment"]


def pointer_segment(key: str | int) -> str:
    """``/`` plus the JSON-pointer escaped key."""
    if isinstance(key, int):
        return f"/{key}"
    return "/" + key.replace("~", "~0").replace("/", "~1")
