"""``useDefaults``: the defaults of an object's properties and a tuple's items, filled in before its keywords.

Mirrors ajv's ``lib/compile/validate/defaults.ts``: a property (or tuple item) that is absent gets a copy of
its subschema's ``default``; inside a combinator a default is a strict-mode error, as in ajv.
"""

from __future__ import annotations

from typing import Any

from novu_framework.js.objects import deep_copy, object_keys
from novu_framework.schema.ajv.checks import Check, Errors
from novu_framework.schema.ajv.context import CompileContext, get_property, strict_error

__all__ = ["Defaults", "group_defaults", "with_defaults"]

Defaults = tuple[tuple[str | int, Any], ...]
"""``(property name or tuple index, default value)`` pairs, in the order ajv assigns them."""


def group_defaults(context: CompileContext, group_type: str) -> Defaults:
    """The defaults the ``object`` or ``array`` group of ``context.schema`` fills in (none for other types)."""
    schema = context.schema
    found: list[tuple[str | int, Any]] = []
    if group_type == "object" and isinstance(schema.get("properties"), dict):
        for key in object_keys(schema["properties"]):
            sub = schema["properties"][key]
            if isinstance(sub, dict) and "default" in sub:
                found.append((key, sub["default"]))
    elif group_type == "array" and isinstance(schema.get("items"), list):
        found.extend(
            (i, sub["default"])
            for i, sub in enumerate(schema["items"])
            if isinstance(sub, dict) and "default" in sub
        )
    if found and context.composite:
        raise strict_error(f"default is ignored for: {context.data_name}{get_property(found[0][0])}")
    return tuple(found)


def with_defaults(
    group_type: str, defaults: Defaults, body: Check | None, type_error: Errors | None
) -> Check:
    """The ``object`` or ``array`` group: absent ``defaults`` filled into data of the group's type, then
    ``body``; ``type_error`` (or nothing) for data of another type."""
    if group_type == "object":
        entries = tuple((key, value, isinstance(value, (dict, list))) for key, value in defaults)

        def run_object(data: Any) -> Errors | None:
            if isinstance(data, dict):
                for key, value, mutable in entries:
                    if key not in data:
                        data[key] = deep_copy(value) if mutable else value
                return body(data) if body is not None else None
            return type_error

        return run_object

    def run_array(data: Any) -> Errors | None:
        if isinstance(data, list):
            for index, value in defaults:
                assert isinstance(index, int)
                if index >= len(data):
                    data.extend([None] * (index - len(data) + 1))
                    data[index] = deep_copy(value)
            return body(data) if body is not None else None
        return type_error

    return run_array
