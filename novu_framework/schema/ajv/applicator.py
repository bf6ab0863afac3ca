"""ajv's applicator vocabulary: the keywords that apply subschemas to the data or to its children.

Mirrors ``lib/vocabularies/applicator/*.ts``: ``not``, ``anyOf``, ``oneOf``, ``allOf``, ``if``/``then``/
``else``, ``items``, ``additionalItems``, ``contains``, ``propertyNames``, ``additionalProperties``,
``dependencies``, ``properties``, ``patternProperties``.

Combinator branches are compiled as "composite" (ajv's ``compositeRule``): their errors are collected and
the combinator appends its own. In all-errors mode a branch runs on a copy of the data, so that a removal
made while trying one branch never shows up as a violation of the next. ``additionalProperties: false``
deletes extra properties, and a failing ``additionalProperties`` schema deletes the property, without an
error (``removeAdditional: "failing"``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from novu_framework.js.objects import deep_copy, object_keys
from novu_framework.schema.ajv.checks import (
    Check,
    Errors,
    check_each,
    error,
    only_type,
    prefix,
    sequence,
)
from novu_framework.schema.ajv.context import (
    CompileContext,
    KeywordCompiler,
    always_valid,
    escape_fragment,
    strict_error,
)
from novu_framework.schema.ajv.patterns import key_search, key_timeouts, matches_quietly
from novu_framework.schema.jsregex import JsRegexError, compile_js_regex
from novu_framework.schema.pointer import pointer_segment

__all__ = ["KEYWORDS"]


# --- combinators ---------------------------------------------------------------------------------


def _branch(context: CompileContext, schema: Any, schema_path: str) -> Check | None:
    """A combinator branch (on a copy of the data in all-errors mode)."""
    check = context.compile_subschema(schema, schema_path, composite=True)
    if check is None or not context.options.all_errors:
        return check
    return lambda data: check(deep_copy(data))


def _not(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    own = error("must NOT be valid")
    if always_valid(value):
        return lambda _data: own
    sub = _branch(context, value, f"{context.schema_path}/not")
    if sub is None:
        return lambda _data: own
    return lambda data: own if sub(data) is None else None


def _any_of(context: CompileContext, schemas: Any, _group: str | None) -> Check | None:
    if any(always_valid(s) for s in schemas):
        return None
    branches = tuple(_branch(context, s, f"{context.schema_path}/anyOf/{i}") for i, s in enumerate(schemas))
    own = error("must match a schema in anyOf")

    def run(data: Any) -> Errors | None:
        collected: Errors = ()
        for branch in branches:
            errors = branch(data) if branch is not None else None
            if errors is None:
                return None
            collected += errors
        return collected + own

    return run


def _one_of(context: CompileContext, schemas: Any, _group: str | None) -> Check | None:
    branches: list[Check | None] = []
    always: list[bool] = []
    for i, schema in enumerate(schemas):
        valid_always = always_valid(schema)
        always.append(valid_always)
        branches.append(
            None if valid_always else _branch(context, schema, f"{context.schema_path}/oneOf/{i}")
        )
    own = error("must match exactly one schema in oneOf")
    pairs = tuple(zip(branches, always, strict=True))

    def run(data: Any) -> Errors | None:
        collected: Errors = ()
        passing = False
        for branch, valid_always in pairs:
            errors = None if valid_always or branch is None else branch(data)
            if errors is None:
                if passing:
                    return collected + own  # ajv stops at the second passing branch
                passing = True
            else:
                collected += errors
        return None if passing else collected + own

    return run


def _all_of(context: CompileContext, schemas: Any, _group: str | None) -> Check | None:
    checks = [
        None if always_valid(s) else context.compile_subschema(s, f"{context.schema_path}/allOf/{i}")
        for i, s in enumerate(schemas)
    ]
    return sequence(checks, context.options.all_errors)


def _if(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    schema = context.schema
    if "then" not in schema and "else" not in schema:
        raise strict_error('"if" without "then" and "else" is ignored')
    has_then = "then" in schema and not always_valid(schema["then"])
    has_else = "else" in schema and not always_valid(schema["else"])
    if not has_then and not has_else:
        return None
    path = context.schema_path
    condition = _branch(context, value, f"{path}/if")
    then_check = context.compile_subschema(schema["then"], f"{path}/then") if has_then else None
    else_check = context.compile_subschema(schema["else"], f"{path}/else") if has_else else None
    own_error = context.composite  # outside a combinator ajv returns the branch's error alone
    then_error = error('must match "then" schema')
    else_error = error('must match "else" schema')

    def run(data: Any) -> Errors | None:
        if condition is None or condition(data) is None:
            errors = then_check(data) if then_check is not None else None
            return (errors + then_error if own_error else errors) if errors else None
        errors = else_check(data) if else_check is not None else None
        return (errors + else_error if own_error else errors) if errors else None

    return run


def _then_else(context: CompileContext, _value: Any, _group: str | None) -> Check | None:
    if "if" not in context.schema:
        keyword = "then" if "then" in context.schema else "else"
        raise strict_error(f'"{keyword}" without "if" is ignored')
    return None


# --- array items ---------------------------------------------------------------------------------


def _each_item(context: CompileContext, sub: Check, start: int) -> Check:
    """``sub`` on every item from index ``start``."""
    all_errors = context.options.all_errors
    typed = only_type(sub)
    if typed is not None and start == 0 and not all_errors:
        cls, type_error = typed

        def run_typed(data: list[Any]) -> Errors | None:
            for index, item in enumerate(data):
                if not isinstance(item, cls):
                    return prefix(type_error, f"/{index}")
            return None

        return run_typed
    return check_each(sub, lambda data: range(start, len(data)), all_errors)


def _items(context: CompileContext, items: Any, _group: str | None) -> Check | None:
    if isinstance(items, list):
        checks: list[Check | None] = []
        for index, schema in enumerate(items):
            if always_valid(schema):
                continue
            sub = context.compile_subschema(schema, f"{context.schema_path}/items/{index}", new_data=True)
            if sub is not None:
                checks.append(_tuple_item(sub, index))
        return sequence(checks, context.options.all_errors)
    if always_valid(items):
        return None
    sub = context.compile_subschema(items, f"{context.schema_path}/items", new_data=True)
    return _each_item(context, sub, 0) if sub is not None else None


def _tuple_item(sub: Check, index: int) -> Check:
    segment = f"/{index}"

    def run(data: list[Any]) -> Errors | None:
        if len(data) > index:
            errors = sub(data[index])
            if errors:
                return prefix(errors, segment)
        return None

    return run


def _additional_items(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    items = context.schema.get("items")
    if not isinstance(items, list):
        raise strict_error('"additionalItems" is ignored when "items" is not an array of schemas')
    count = len(items)
    if value is False:
        too_many = error(f"must NOT have more than {count} items")
        return lambda data: too_many if len(data) > count else None
    if always_valid(value):
        return None
    sub = context.compile_subschema(value, f"{context.schema_path}/additionalItems", new_data=True)
    return _each_item(context, sub, count) if sub is not None else None


def _contains(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    own = error("must contain at least 1 valid item(s)")
    if always_valid(value):
        return lambda data: None if len(data) >= 1 else own
    path = f"{context.schema_path}/contains"
    sub = context.compile_subschema(value, path, new_data=True, composite=True)
    if sub is None:
        return lambda data: None if len(data) >= 1 else own
    keep_item_errors = context.composite

    def run(data: list[Any]) -> Errors | None:
        collected: Errors = ()
        for index, item in enumerate(data):
            errors = sub(item)
            if errors is None:
                return None
            collected += prefix(errors, f"/{index}")
        return collected + own if keep_item_errors else own

    return run


# --- object properties ---------------------------------------------------------------------------


def _property_names(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    if always_valid(value):
        return None
    sub = context.compile_subschema(value, f"{context.schema_path}/propertyNames", composite=True)
    if sub is None:
        return None
    own = error("property name must be valid")
    all_errors = context.options.all_errors

    def run(data: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for key in object_keys(data):
            errors = sub(key)
            if errors:
                if not all_errors:
                    return errors + own
                collected += errors + own
        return collected or None

    return run


def _is_additional(context: CompileContext) -> Callable[[str], bool]:
    schema = context.schema
    props = frozenset(k for k in (schema.get("properties") or {}) if k != "__proto__")
    patterns = tuple(key_search(p) for p in (schema.get("patternProperties") or {}) if p != "__proto__")
    if not patterns:
        return lambda key: key not in props
    return lambda key: key not in props and not any(search(key) for search in patterns)


def _additional_properties(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    if always_valid(value):
        return None
    remove = context.options.remove_additional
    additional = _is_additional(context)
    if value is False:
        if remove:
            declared = (
                None
                if context.schema.get("patternProperties")
                else frozenset(context.schema.get("properties") or ())
            )

            def remove_extra(data: dict[str, Any]) -> Errors | None:
                if declared is not None and declared.issuperset(data):
                    return None
                for key in [k for k in data if additional(k)]:
                    del data[key]
                return None

            return remove_extra
        own = error("must NOT have additional properties")
        all_errors = context.options.all_errors

        def reject_extra(data: dict[str, Any]) -> Errors | None:
            count = sum(1 for k in data if additional(k))
            return None if count == 0 else own if not all_errors else own * count

        return reject_extra
    path = f"{context.schema_path}/additionalProperties"
    if remove:
        failing = context.compile_subschema(value, path, new_data=True, composite=True)
        if failing is None:
            return None

        def remove_failing(data: dict[str, Any]) -> Errors | None:
            for key in [k for k in object_keys(data) if additional(k)]:
                if failing(data[key]) is not None:
                    del data[key]
            return None

        return remove_failing
    sub = context.compile_subschema(value, path, new_data=True)
    if sub is None:
        return None
    return check_each(
        sub, lambda data: (k for k in object_keys(data) if additional(k)), context.options.all_errors
    )


def _dependencies(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    checks: list[Check | None] = []
    keys = [k for k in object_keys(value) if k != "__proto__"]
    for prop in keys:
        deps = value[prop]
        if isinstance(deps, list) and deps:
            checks.append(_property_dependency(prop, tuple(deps)))
    for prop in keys:
        deps = value[prop]
        if isinstance(deps, list) or always_valid(deps):
            continue
        sub = context.compile_subschema(deps, f"{context.schema_path}/dependencies/{escape_fragment(prop)}")
        if sub is not None:
            checks.append(_schema_dependency(prop, sub))
    return sequence(checks, context.options.all_errors)


def _property_dependency(prop: str, deps: tuple[str, ...]) -> Check:
    noun = "property" if len(deps) == 1 else "properties"
    own = error(f"must have {noun} {', '.join(deps)} when property {prop} is present")
    return lambda data: own if prop in data and any(dep not in data for dep in deps) else None


def _schema_dependency(prop: str, sub: Check) -> Check:
    return lambda data: sub(data) if prop in data else None


def _properties(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    props = [k for k in object_keys(value) if k != "__proto__" and not always_valid(value[k])]
    # A property with a default is always present here: the object group filled it in first.
    entries: list[tuple[str, Check, str]] = []
    for prop in props:
        path = f"{context.schema_path}/properties/{escape_fragment(prop)}"
        sub = context.compile_subschema(value[prop], path, new_data=True)
        if sub is not None:
            entries.append((prop, sub, pointer_segment(prop)))
    if not entries:
        return None
    table = tuple(entries)
    all_errors = context.options.all_errors

    # This loop runs for every object of every payload: no generator, segments computed once.
    def run(data: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for prop, sub, segment in table:
            if prop in data:
                errors = sub(data[prop])
                if errors:
                    prefixed = prefix(errors, segment)
                    if not all_errors:
                        return prefixed
                    collected += prefixed
        return collected or None

    return run


def _pattern_properties(context: CompileContext, value: Any, _group: str | None) -> Check | None:
    patterns = [p for p in object_keys(value) if p != "__proto__"]
    always = {p for p in patterns if always_valid(value[p])}
    if not patterns or len(always) == len(patterns):
        return None
    properties = context.schema.get("properties")
    all_errors = context.options.all_errors
    checks: list[Check | None] = []
    for pattern in patterns:
        if isinstance(properties, dict):
            try:
                plain = compile_js_regex(pattern, unicode=False)
            except JsRegexError:
                plain = None
            for prop in object_keys(properties):
                if plain is not None and matches_quietly(plain, prop):
                    raise strict_error(
                        f"property {prop} matches pattern {pattern} (use allowMatchingProperties)"
                    )
        search = key_search(pattern)
        if pattern in always:
            continue
        path = f"{context.schema_path}/patternProperties/{escape_fragment(pattern)}"
        sub = context.compile_subschema(value[pattern], path, new_data=True)
        if sub is not None:
            checks.append(check_each(sub, _keys_matching(search), all_errors))
    return key_timeouts(sequence(checks, all_errors))


def _keys_matching(search: Callable[[str], Any]) -> Callable[[dict[str, Any]], Iterable[str]]:
    """The names of the data's properties that ``search`` finds a match in, lazily."""
    return lambda data: (k for k in object_keys(data) if search(k) is not None and k in data)


KEYWORDS: dict[str, KeywordCompiler] = {
    "not": _not,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "allOf": _all_of,
    "if": _if,
    "then": _then_else,
    "else": _then_else,
    "items": _items,
    "additionalItems": _additional_items,
    "contains": _contains,
    "propertyNames": _property_names,
    "additionalProperties": lambda context, value, group: key_timeouts(
        _additional_properties(context, value, group)
    ),
    "dependencies": _dependencies,
    "properties": _properties,
    "patternProperties": _pattern_properties,
}
