"""liquidjs miscellaneous filters: ``default``, ``raw``, ``jsonify``, ``inspect``, ``to_integer``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from novu_framework.templating.filters._support import arg
from novu_framework.templating.js import (
    UNDEFINED,
    is_truthy,
    js_truthy,
    json_stringify,
    normalize_number,
    to_number,
    to_value,
)


def default(value: Any, *args: Any) -> Any:
    value = to_value(value)
    fallback = args[0] if args else UNDEFINED
    if isinstance(value, (list, str)):
        return value if value else fallback
    options = dict(item for item in args[1:] if isinstance(item, list) and len(item) == 2)
    if value is False and js_truthy(options.get("allow_false", UNDEFINED)):
        return False
    return value if is_truthy(value) else fallback


def raw(value: Any, *_: Any) -> Any:
    """Marks an output as printed without the output escape (see the output tag)."""
    return value


def jsonify(value: Any, *args: Any) -> Any:
    text = json_stringify(value, arg(args, 0, 0))
    return UNDEFINED if text is None else text


def to_integer(value: Any, *_: Any) -> int | float:
    return normalize_number(to_number(value))


FILTERS: dict[str, Callable[..., Any]] = {
    "default": default,
    "raw": raw,
    "jsonify": jsonify,
    "inspect": jsonify,
    "to_integer": to_integer,
}
