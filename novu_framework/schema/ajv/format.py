"""ajv's format vocabulary: ``format``, and ajv-formats' ``formatMaximum``/``formatMinimum`` and their
exclusive forms.

Mirrors ``lib/vocabularies/format/format.ts`` and ajv-formats' ``src/limit.ts``; the format definitions
themselves are in :mod:`novu_framework.schema.formats`. An unknown format is a compile error (strict mode);
a format applies only to data of its own type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from novu_framework.schema.ajv.checks import Check, Errors, error
from novu_framework.schema.ajv.context import CompileContext, KeywordCompiler
from novu_framework.schema.base import SchemaCompileError
from novu_framework.schema.formats import FORMATS

__all__ = ["KEYWORDS"]


def _format(context: CompileContext, name: Any, group: str | None) -> Check | None:
    if not context.options.validate_formats:
        return None
    definition = FORMATS.get(name)
    if definition is None:
        raise SchemaCompileError(f'unknown format "{name}" ignored in schema at path "{context.schema_path}"')
    if definition.validate is None or definition.kind != group:
        return None
    validate = definition.validate
    own = error(f'must match format "{name}"')
    return lambda data: None if validate(data) else own


_FORMAT_LIMITS: dict[str, tuple[str, Callable[[int], bool]]] = {
    "formatMaximum": ("<=", lambda c: c > 0),
    "formatMinimum": (">=", lambda c: c < 0),
    "formatExclusiveMaximum": ("<", lambda c: c >= 0),
    "formatExclusiveMinimum": (">", lambda c: c <= 0),
}


def _format_limit(keyword: str) -> KeywordCompiler:
    op, fails = _FORMAT_LIMITS[keyword]

    def compile_format_limit(context: CompileContext, limit: Any, _group: str | None) -> Check | None:
        if "format" not in context.schema:
            raise SchemaCompileError(f"parent schema must have dependencies of {keyword}: format")
        if not isinstance(limit, str):
            raise SchemaCompileError(f'{keyword} value must be ["string"]')
        if not context.options.validate_formats:
            return None
        name = context.schema["format"]
        definition = FORMATS.get(name)
        if definition is None or definition.validate is None:
            return None
        compare = definition.compare
        if compare is None:
            raise SchemaCompileError(f'"{keyword}": format "{name}" does not define "compare" function')
        own = error(f"should be {op} {limit}")

        def run(data: Any) -> Errors | None:
            result = compare(data, limit)
            return own if result is not None and fails(result) else None

        return run

    return compile_format_limit


KEYWORDS: dict[str, KeywordCompiler] = {
    "format": _format,
    **{keyword: _format_limit(keyword) for keyword in _FORMAT_LIMITS},
}
