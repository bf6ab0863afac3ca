"""JSON Schema dicts validated with ajv's semantics (compiled once, lazily)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from novu_framework.js.objects import deep_copy
from novu_framework.schema.ajv import Check, Errors, Options, compile_root
from novu_framework.schema.base import SchemaCompileError, ValidationResult
from novu_framework.schema.draft07 import DRAFT07_IDS, DRAFT07_META_SCHEMA
from novu_framework.schema.jsregex import regex_time_budget
from novu_framework.schema.mock import mock_from_schema

__all__ = ["JsonSchema", "check_schema"]

_FIRST_ERROR = Options()
_ALL_ERRORS = Options(all_errors=True)
_META = Options(use_defaults=False, remove_additional=False, validate_formats=False)
_TOO_DEEP = [{"path": "", "message": "data is nested too deeply to validate"}]
_meta_check: list[Check | None] = []


def _meta_validator() -> Check | None:
    if not _meta_check:
        _meta_check.append(compile_root(DRAFT07_META_SCHEMA, _META))
    return _meta_check[0]


def check_schema(schema: Any) -> None:
    """What ajv checks before compiling: ``$schema``, then the draft-07 meta-schema (SchemaCompileError)."""
    if isinstance(schema, dict) and "$schema" in schema:
        declared = schema["$schema"]
        if not isinstance(declared, str):
            raise SchemaCompileError("$schema must be a string")
        if declared not in DRAFT07_IDS:
            raise SchemaCompileError(f'no schema with key or ref "{declared}"')
    meta = _meta_validator()
    try:
        errors = meta(schema) if meta is not None else None
    except RecursionError as exc:
        raise SchemaCompileError("schema is nested too deeply") from exc
    if errors:
        text = ", ".join(f"data{path} {message}" for path, message in errors)
        raise SchemaCompileError(f"schema is invalid: {text}")


def _as_json(value: Any) -> Any:
    """The schema as JSON data: tuples become lists, mappings dicts (the caller's object is untouched)."""
    if isinstance(value, Mapping):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_json(v) for v in value]
    return value


def _merge_errors(first: Errors, every: Errors | None) -> list[dict[str, str]]:
    """ajv's first-error list, then the other violations found by the all-errors pass."""
    remaining = Counter(first)
    extra: list[tuple[str, str]] = []
    for error in every or ():
        if remaining[error] > 0:
            remaining[error] -= 1
        else:
            extra.append(error)
    return [{"path": path, "message": message} for path, message in (*first, *extra)]


class JsonSchema:
    """A JSON Schema dict. ``validate`` behaves like the reference's ajv instance; see :mod:`novu_framework.schema.ajv`."""

    model: type[BaseModel] | None = None

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.json_schema: dict[str, Any] = schema if isinstance(schema, dict) else dict(schema)
        self._source: Any = None
        self._first: tuple[Check | None] | None = None
        self._every: tuple[Check | None] | None = None
        self._compile_error: SchemaCompileError | None = None
        self._searches = True

    def _compiled(self) -> Check | None:
        if self._first is not None:
            return self._first[0]
        if self._compile_error is not None:
            raise self._compile_error
        try:
            source = _as_json(self.json_schema)
            check_schema(source)
            check = compile_root(source, _FIRST_ERROR)
        except RecursionError:
            self._compile_error = SchemaCompileError("schema is nested too deeply")
            raise self._compile_error from None
        except SchemaCompileError as exc:
            self._compile_error = exc
            raise
        self._source = source
        # Only a schema with patterns searches (formats are linear); the others skip the time limit.
        self._searches = '"pattern' in json.dumps(source)
        self._first = (check,)
        return check

    def compile(self) -> None:
        """Compile now (validation compiles on first use); raises :class:`SchemaCompileError`."""
        self._compiled()

    def _all_errors(self, data: Any) -> Errors | None:
        if self._every is None:
            try:
                self._every = (compile_root(self._source, _ALL_ERRORS),)
            except SchemaCompileError:
                self._every = (None,)
        check = self._every[0]
        return check(deep_copy(data)) if check is not None else None

    def validate(self, data: Any) -> ValidationResult:
        """Validate a copy of ``data``; the copy (defaults applied, extra properties removed) is returned."""
        check = self._compiled()
        try:
            value = deep_copy(data)
            if check is None:
                return ValidationResult(True, value, [])
            if not self._searches:
                errors = check(value)
                if errors is None:
                    return ValidationResult(True, value, [])
                return ValidationResult(False, value, _merge_errors(errors, self._all_errors(data)))
            with regex_time_budget():  # every pattern search of this validation shares one time limit
                errors = check(value)
                if errors is None:
                    return ValidationResult(True, value, [])
                return ValidationResult(False, value, _merge_errors(errors, self._all_errors(data)))
        except RecursionError:
            return ValidationResult(False, None, list(_TOO_DEEP))

    def to_python(self, data: Any) -> Any:
        """A JSON Schema hands validated data to user code as it is."""
        return data

    def mock(self) -> Any:
        """Deterministic sample data for preview (defaults first, free text ``[placeholder]``)."""
        return mock_from_schema(self.json_schema)

    def __repr__(self) -> str:
        return f"JsonSchema({self.json_schema!r})"
