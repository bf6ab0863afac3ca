"""JSON pointers: segments for ajv's ``instancePath`` and ``schemaPath``, and ``$ref`` fragments resolved."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

__all__ = ["pointer_segment", "resolve_fragment"]


def pointer_segment(key: str | int) -> str:
    """``/`` plus the JSON-pointer escaped key."""
    if isinstance(key, int):
        return f"/{key}"
    return "/" + key.replace("~", "~0").replace("/", "~1")


def resolve_fragment(document: Any, fragment: str) -> Any:
    """The value at a URI-fragment JSON pointer (``/definitions/a%20b``, ``""`` for the whole document).

    Text before the first ``/`` is ignored; raises ``LookupError`` when a segment names nothing.
    """
    target = document
    for part in fragment.split("/")[1:]:
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            raise LookupError(key)
    return target
