"""JavaScript objects: property order (``Object.keys``) and ``structuredClone`` of JSON-like values."""

from __future__ import annotations

from typing import Any

__all__ = ["deep_copy", "is_array_index", "object_items", "object_keys"]

_ARRAY_INDEX_LIMIT = 2**32 - 1


def is_array_index(key: Any) -> bool:
    """Whether JavaScript treats the property name as an array index (enumerated first, ascending)."""
    return (
        isinstance(key, str)
        and key.isdigit()
        and key.isascii()
        and (key == "0" or key[0] != "0")
        and int(key) < _ARRAY_INDEX_LIMIT
    )


def object_keys(obj: dict[str, Any]) -> list[str]:
    """``Object.keys(obj)``: array-index keys first in ascending order, then insertion order."""
    keys = list(obj)
    if not any(isinstance(k, str) and k[:1].isdigit() for k in keys):
        return keys
    index = sorted((k for k in keys if is_array_index(k)), key=int)
    if not index:
        return keys
    return index + [k for k in keys if not is_array_index(k)]


def object_items(obj: dict[str, Any]) -> list[tuple[str, Any]]:
    """``Object.entries(obj)``, in :func:`object_keys` order."""
    return [(key, obj[key]) for key in object_keys(obj)]


_SCALARS = frozenset((str, int, float, bool, type(None)))


def deep_copy(value: Any) -> Any:
    """``structuredClone`` of a JSON-like value; tuples become lists, other objects are shared."""
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _SCALARS else deep_copy(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _SCALARS else deep_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [deep_copy(v) for v in value]
    return value
