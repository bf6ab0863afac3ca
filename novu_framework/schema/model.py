"""Pydantic models as schemas: Pydantic validates, discover publishes a draft-07 JSON Schema.

``model_json_schema()`` output is converted so that our ajv-compatible validator (strict mode) accepts it:
``$defs`` become ``definitions``, ``prefixItems`` become tuple ``items``, automatic titles are dropped, and
keywords or formats ajv does not know (``discriminator``, ``format: "path"``, custom ``json_schema_extra``
keys, ...) are left out. Defaults inside combinators, which ajv's strict mode rejects, are dropped there too.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema

from novu_framework.js.objects import deep_copy
from novu_framework.schema.ajv import KNOWN_KEYWORDS
from novu_framework.schema.base import ValidationResult
from novu_framework.schema.formats import FORMATS
from novu_framework.schema.jsregex import JsRegexError, compile_js_regex
from novu_framework.schema.mock import mock_from_schema
from novu_framework.schema.pointer import pointer_segment

__all__ = ["ModelSchema", "model_to_json_schema"]

_SCHEMA_MAPS = ("properties", "patternProperties", "definitions", "$defs", "dependencies")
_SCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "items", "prefixItems")
_SCHEMA_VALUES = frozenset(
    (
        "additionalProperties",
        "additionalItems",
        "items",
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
    )
)
_COMPOSITE = frozenset(("anyOf", "oneOf", "not", "if", "contains", "propertyNames", "additionalProperties"))


class _NoAutoTitles(GenerateJsonSchema):
    """Field titles only when the model sets one explicitly."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def _js_pattern(pattern: str) -> str | None:
    converted = re.sub(r"\(\?P<", "(?<", pattern)
    converted = re.sub(r"\(\?P=(\w+)\)", r"\\k<\1>", converted)
    try:
        compile_js_regex(converted)
    except JsRegexError:
        return None
    return converted


def _convert(node: Any) -> Any:
    """One schema node (recursively) in the draft-07 dialect our validator accepts."""
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            key = "definitions"
        if key not in KNOWN_KEYWORDS or (key == "title" and not isinstance(value, str)):
            continue
        if key == "$ref" and isinstance(value, str):
            value = value.replace("#/$defs/", "#/definitions/")
        elif key == "format" and value not in FORMATS:
            continue
        elif key == "pattern" and isinstance(value, str):
            value = _js_pattern(value)
            if value is None:
                continue
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            value = {
                k: _convert(v) if key != "dependencies" or isinstance(v, dict) else v
                for k, v in value.items()
            }
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            value = [_convert(v) for v in value]
        elif key in _SCHEMA_VALUES:
            value = _convert(value)
        out[key] = value
    if "prefixItems" in node:
        tail = out.pop("items", None)
        out["items"] = [_convert(v) for v in node["prefixItems"]]
        if tail is not None:
            out["additionalItems"] = tail
    return out


def _drop_model_titles(schema: dict[str, Any], root_name: str) -> None:
    if schema.get("title") == root_name:
        del schema["title"]
    for name, definition in (schema.get("definitions") or {}).items():
        if isinstance(definition, dict) and definition.get("title") == name:
            del definition["title"]


def _has_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or any(_has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


class _CompositeDefaults:
    """Drop property defaults of objects ajv compiles inside a combinator (a strict-mode error there)."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.seen: set[tuple[int, bool]] = set()

    def resolve(self, ref: str) -> Any:
        target: Any = self.root
        for part in ref[2:].split("/") if ref.startswith("#/") else []:
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(target, dict) else None
            )
        return target

    def walk(self, node: Any, composite: bool) -> None:
        if not isinstance(node, dict) or (id(node), composite) in self.seen:
            return
        self.seen.add((id(node), composite))
        if composite:
            for sub in (node.get("properties") or {}).values():
                if isinstance(sub, dict):
                    sub.pop("default", None)
            items = node.get("items")
            for sub in items if isinstance(items, list) else []:
                if isinstance(sub, dict):
                    sub.pop("default", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            target = self.resolve(ref)
            self.walk(target, composite and not _has_ref(target))
        for key, value in node.items():
            child_composite = composite or key in _COMPOSITE
            if key in ("properties", "patternProperties", "dependencies") and isinstance(value, dict):
                for sub in value.values():
                    self.walk(sub, child_composite)
            elif isinstance(value, list) and key in _SCHEMA_LISTS:
                for sub in value:
                    self.walk(sub, child_composite)
            elif key in _SCHEMA_VALUES:
                self.walk(value, child_composite)


def model_to_json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The draft-07 JSON Schema published in discover for a Pydantic model."""
    raw = model.model_json_schema(schema_generator=_NoAutoTitles)
    schema: dict[str, Any] = _convert(raw)
    _drop_model_titles(schema, model.__name__)
    _CompositeDefaults(schema).walk(schema, False)
    return schema


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join(pointer_segment(part if isinstance(part, int) else str(part)) for part in loc)


class ModelSchema:
    """A Pydantic model: Pydantic validates (all errors), user code receives model instances."""

    def __init__(self, model: type[BaseModel]) -> None:
        self.model: type[BaseModel] | None = model
        self._model = model
        self._json_schema: dict[str, Any] | None = None

    @property
    def json_schema(self) -> dict[str, Any]:
        """The converted JSON Schema (computed once)."""
        if self._json_schema is None:
            self._json_schema = model_to_json_schema(self._model)
        return self._json_schema

    def validate(self, data: Any) -> ValidationResult:
        """``model_validate`` on a copy; ``data`` is the JSON dump (by alias) of the instance."""
        try:
            instance = self._model.model_validate(deep_copy(data))
        except ValidationError as exc:
            errors = [{"path": _pointer(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
            return ValidationResult(False, deep_copy(data), errors)
        return ValidationResult(True, instance.model_dump(mode="json", by_alias=True), [])

    def to_python(self, data: Any) -> Any:
        """A model instance built from already valid wire data."""
        return self._model.model_validate(data)

    def mock(self) -> Any:
        """Deterministic sample data from the converted JSON Schema."""
        return mock_from_schema(self.json_schema)

    def __repr__(self) -> str:
        return f"ModelSchema({self._model.__name__})"
