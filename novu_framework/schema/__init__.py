"""Schemas: JSON Schema dicts validated with ajv 8's semantics, Pydantic models, and preview mocks.

``compile_schema(source)`` turns a JSON Schema dict, a Pydantic model class or ``None`` (the default empty
strict object) into a :class:`Schema`. Compilation is cached per source object and happens lazily: a JSON
Schema that ajv's strict mode would reject raises :class:`SchemaCompileError` on its first ``validate``.

Validation of JSON Schema dicts (``JsonSchema``), as the reference's ajv instance (``useDefaults``,
``removeAdditional: "failing"``, ajv-formats, draft-07, strict):

* the returned ``data`` is a new value: defaults inserted, properties not allowed by ``additionalProperties``
  removed (also while trying ``anyOf``/``oneOf`` branches), no type coercion, integers of any size kept exact;
* ``errors[0]`` (and the following entries of a failing ``anyOf``/``oneOf``) are exactly ajv's first
  error, with ajv's ``instancePath`` and wording; every other violation follows (deviation D13). Listing
  them does not change ``data``: it comes from a second, all-errors pass on a separate copy;
* data nested too deeply for Python's recursion limit gives one error ``data is nested too deeply to
  validate`` (path ``""``) instead of a crash; a schema nested that deeply raises ``SchemaCompileError``.
"""

from __future__ import annotations

import threading
import types
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from novu_framework.js.values import truthy
from novu_framework.schema.base import DEFAULT_SCHEMA, Schema, SchemaCompileError, ValidationResult
from novu_framework.schema.json_schema import JsonSchema
from novu_framework.schema.mock import deep_merge, mock_from_schema
from novu_framework.schema.model import ModelSchema, model_to_json_schema

__all__ = [
    "DEFAULT_SCHEMA",
    "JsonSchema",
    "ModelSchema",
    "Schema",
    "SchemaCompileError",
    "ValidationResult",
    "compile_schema",
    "deep_merge",
    "is_json_schema",
    "mock_from_schema",
    "model_to_json_schema",
]

_lock = threading.Lock()
_by_identity: dict[int, tuple[object, Schema]] = {}


def is_json_schema(source: Any) -> bool:
    """The reference's test: ``type == "object"`` or a truthy root ``anyOf``/``allOf``/``oneOf``."""
    if not isinstance(source, Mapping):
        return False
    return source.get("type") == "object" or any(truthy(source.get(k)) for k in ("anyOf", "allOf", "oneOf"))


def _build(source: Any) -> Schema:
    if (
        isinstance(source, type)
        and not isinstance(source, types.GenericAlias)
        and issubclass(source, BaseModel)
    ):
        return ModelSchema(source)
    if is_json_schema(source):
        return JsonSchema(source)
    raise TypeError(
        'Invalid schema: expected a JSON Schema object (a dict with "type": "object" or a root anyOf/allOf/'
        f"oneOf) or a pydantic BaseModel subclass, got {source!r:.200}"
    )


def compile_schema(source: type[BaseModel] | Mapping[str, Any] | None) -> Schema:
    """The :class:`Schema` for a JSON Schema dict, a Pydantic model class or ``None`` (``DEFAULT_SCHEMA``).

    The same source object always gives the same compiled schema. Raises ``TypeError`` for anything else.
    """
    if source is None:
        source = DEFAULT_SCHEMA
    key = id(source)
    cached = _by_identity.get(key)
    if cached is not None and cached[0] is source:
        return cached[1]
    schema = _build(source)
    with _lock:
        cached = _by_identity.get(key)
        if cached is not None and cached[0] is source:
            return cached[1]
        _by_identity[key] = (source, schema)
    return schema
