"""The driver: a schema object compiled into one check, its keywords run by type group, in ajv's order.

Mirrors ajv's ``lib/compile/validate/index.ts`` (``schemaKeywords``: the any-type group, then each type
group behind its type test), ``boolSchema.ts``, ``dataType.ts`` (the up-front ``type`` test and the group
guards) and ``applicability.ts``. The keywords come from the vocabularies: :mod:`.core`, :mod:`.validation`,
:mod:`.applicator` and :mod:`.format`.
"""

from __future__ import annotations

from typing import Any

from novu_framework.js.values import is_integer
from novu_framework.schema.ajv.applicator import KEYWORDS as APPLICATOR_KEYWORDS
from novu_framework.schema.ajv.checks import Check, Errors, error, sequence, type_only_check
from novu_framework.schema.ajv.context import (
    CompileContext,
    KeywordCompiler,
    Options,
    SchemaRoot,
    check_unknown,
    has_rules,
    strict_error,
)
from novu_framework.schema.ajv.core import KEYWORDS as CORE_KEYWORDS
from novu_framework.schema.ajv.defaults import Defaults, group_defaults, with_defaults
from novu_framework.schema.ajv.format import KEYWORDS as FORMAT_KEYWORDS
from novu_framework.schema.ajv.rules import (
    CLASS_OF_TYPE,
    KEYWORD_GROUPS,
    KEYWORDS_OF_TYPE,
    RULE_KEYWORDS,
    TYPE_TESTS,
    schema_types,
    types_test,
)
from novu_framework.schema.ajv.validation import KEYWORDS as VALIDATION_KEYWORDS
from novu_framework.schema.base import SchemaCompileError

__all__ = ["compile_root", "compile_schema"]

_KEYWORDS: dict[str, KeywordCompiler] = {
    **CORE_KEYWORDS,
    **VALIDATION_KEYWORDS,
    **APPLICATOR_KEYWORDS,
    **FORMAT_KEYWORDS,
}
_FALSE_SCHEMA = error("boolean schema is false")


def compile_root(schema: Any, options: Options) -> Check | None:
    """Compile a root schema; ``None`` means "always valid". Raises :class:`SchemaCompileError`."""
    root = SchemaRoot(schema, options, compile_schema)
    root.functions[id(schema)] = root.root_function
    try:
        root.root_function.check = compile_schema(
            CompileContext(root, root.root_function, schema, False, "#", top=True)
        )
    except RecursionError as exc:
        raise SchemaCompileError("schema is nested too deeply") from exc
    return root.root_function.check


def compile_schema(context: CompileContext) -> Check | None:
    """The check of ``context.schema`` (a boolean or an object schema); ``None`` when it accepts everything."""
    schema = context.schema
    if context.top and isinstance(schema, dict) and schema.get("$async") is True:
        raise SchemaCompileError("async schemas are not supported")
    if schema is True:
        return None
    if schema is False:
        return lambda _data: _FALSE_SCHEMA
    if not isinstance(schema, dict):
        raise SchemaCompileError("schema must be object or boolean")
    check_unknown(schema)
    if not has_rules(schema):
        return None
    if context.top and "default" in schema and context.options.use_defaults:
        raise strict_error("default is ignored in the schema root")
    if schema.get("$async") is True:
        raise SchemaCompileError("async schema in sync schema")
    return _type_and_keywords(context)


def _keyword(context: CompileContext, keyword: str, group_type: str | None) -> Check | None:
    return _KEYWORDS[keyword](context, context.schema[keyword], group_type)


def _type_and_keywords(context: CompileContext) -> Check | None:
    schema: dict[str, Any] = context.schema
    all_errors = context.options.all_errors
    types = schema_types(schema)
    single_with_group = len(types) == 1 and any(k in schema for k in KEYWORDS_OF_TYPE.get(types[0], ()))
    upfront = bool(types) and not single_with_group
    raw_type = schema.get("type")
    type_error = error(f"must be {','.join(raw_type) if isinstance(raw_type, list) else raw_type}")

    if "$ref" in schema and not any(k != "$ref" and k in RULE_KEYWORDS for k in schema):
        return _keyword(context, "$ref", None)

    any_steps: list[Check] = []
    steps: list[Check] = []
    for group_type, keywords in KEYWORD_GROUPS:
        if not any(k in schema for k in keywords):
            continue
        # ajv inserts defaults (or fails strict mode) before generating the group's keywords.
        defaults = group_defaults(context, group_type) if group_type and context.options.use_defaults else ()
        checks = [
            c for c in (_keyword(context, k, group_type) for k in keywords if k in schema) if c is not None
        ]
        if group_type is None:
            any_steps = checks
            combined = sequence(checks, all_errors)
            if combined is not None:
                steps.append(combined)
            continue
        report = not upfront and types == [group_type]
        implied = upfront and all(_within(t, group_type) for t in types)
        if implied and not defaults:
            steps.extend(checks)  # the up-front type test already guarantees the group's type
            continue
        group = _guard(group_type, checks, defaults, type_error if report else None, all_errors)
        if group is not None:
            steps.append(group)

    body = sequence(steps, all_errors)
    if not upfront:
        return body
    if context.composite:
        test = types_test(types)
        any_body = sequence(any_steps, all_errors)

        # ajv records the type error and still runs the any-type keywords before its error-count guard.
        def run_composite(data: Any) -> Errors | None:
            if test(data):
                return body(data) if body else None
            more = any_body(data) if any_body else None
            return type_error + more if more else type_error

        return run_composite
    return _type_checked(types, body, type_error)


def _within(data_type: str, group_type: str) -> bool:
    return data_type == group_type or (data_type == "integer" and group_type == "number")


def _type_checked(types: list[str], body: Check | None, type_error: Errors) -> Check:
    """The up-front ``type`` test, then the body (first-error mode, outside combinators)."""
    cls = CLASS_OF_TYPE.get(types[0]) if len(types) == 1 else None
    if cls is not None:
        if body is None:
            return type_only_check(cls, type_error)

        def run_class(data: Any) -> Errors | None:
            return body(data) if isinstance(data, cls) else type_error

        return run_class
    if types == ["boolean"] and body is None:
        return lambda data: None if data is True or data is False else type_error
    if types == ["null"] and body is None:
        return lambda data: None if data is None else type_error
    test = types_test(types)
    if body is None:
        return lambda data: None if test(data) else type_error
    if types == ["integer"]:

        def run_integer(data: Any) -> Errors | None:
            if type(data) is int or is_integer(data):
                return body(data)
            return type_error

        return run_integer

    def run(data: Any) -> Errors | None:
        return body(data) if test(data) else type_error

    return run


def _guard(
    group_type: str,
    checks: list[Check],
    defaults: Defaults,
    type_error: Errors | None,
    all_errors: bool,
) -> Check | None:
    """A keyword group: runs when the data has the group's type; fills defaults first."""
    if not checks and not defaults and type_error is None:
        return None
    body = sequence(checks, all_errors)
    if defaults:
        return with_defaults(group_type, defaults, body, type_error)
    cls = CLASS_OF_TYPE.get(group_type)
    if cls is not None:

        def run_class(data: Any) -> Errors | None:
            if isinstance(data, cls):
                return body(data) if body is not None else None
            return type_error

        return run_class
    test = TYPE_TESTS[group_type]

    def run(data: Any) -> Errors | None:
        if test(data):
            return body(data) if body is not None else None
        return type_error

    return run
