"""Helpers shared by the filter modules: JavaScript-style arguments, arrays and property paths."""

from __future__ import annotations

import re
from typing import Any

from liquid.undefined import Undefined

from novu_framework.templating.js import UNDEFINED, is_nil, js_items, read_property, stringify, to_value


class FilterFailure(Exception):
    """A filter refused its input, as a liquidjs filter that throws (a ``RenderError``)."""


def arg(args: tuple[Any, ...], index: int, default: Any = UNDEFINED) -> Any:
    """Argument ``index``, or ``default`` when it is missing or ``undefined`` (JavaScript defaults)."""
    if index < len(args) and not isinstance(args[index], Undefined):
        return args[index]
    return default


def to_array(value: Any) -> list[Any]:
    """liquidjs ``toArray``: nil is ``[]``, an array is itself, anything else is wrapped."""
    value = to_value(value)
    if is_nil(value):
        return []
    if isinstance(value, list):
        return value
    return [value]


def to_enumerable(value: Any) -> list[Any]:
    """liquidjs ``toEnumerable``: objects become ``[key, value]`` pairs, a non-empty string is one item."""
    value = to_value(value)
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return [[key, item] for key, item in js_items(value)]
    return []


def read_segments(obj: Any, segments: list[Any]) -> Any:
    """Follow ``segments`` from ``obj``; ``undefined`` as soon as a step is missing, nil stays nil."""
    for segment in segments:
        if is_nil(obj):
            return obj
        try:
            obj = read_property(obj, segment)
        except KeyError:
            return UNDEFINED
    return obj


def read_dotted(obj: Any, path: Any) -> Any:
    """A property path split on dots (``map``, ``sum``, ``sort``)."""
    return read_segments(obj, stringify(path).split("."))


_SEGMENT = re.compile(r"""\.?([^.\[\]\s]+)|\[\s*(-?\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]""")


def parse_variable_path(path: Any) -> list[Any]:
    """A variable path as liquidjs reads it (``a.b``, ``a[0]``, ``a['b c']``) for ``where`` and friends."""
    text = stringify(path).strip()
    segments: list[Any] = []
    position = 0
    while position < len(text):
        match = _SEGMENT.match(text, position)
        if not match:
            break
        name, index, single, double = match.groups()
        if index is not None:
            segments.append(int(index))
        else:
            segments.append(next(part for part in (name, single, double) if part is not None))
        position = match.end()
    return segments


def same_value_zero_key(value: Any) -> Any:
    """A hashable key that groups values as a JavaScript ``Set`` / ``Map`` does."""
    value = to_value(value)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("nan",) if value != value else ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if value is None:
        return ("null",)
    if isinstance(value, Undefined):
        return ("undefined",)
    return ("object", id(value))
