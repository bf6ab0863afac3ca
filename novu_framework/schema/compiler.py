"""A JSON Schema (draft-07) compiler with ajv 8's observable behaviour.

A schema is compiled once into a tree of closures. A compiled check takes the (already copied) data,
mutates it the way ajv does (``useDefaults``, ``removeAdditional: "failing"``) and returns ``None`` when
valid, else a tuple of ``(instancePath, message)`` errors. The traversal mirrors ajv's code generator,
which fixes the order of keywords and therefore which error comes first:

* a schema's keywords run by group: keywords for any type (``$ref``, ``const``, ``enum``, ``not``,
  ``anyOf``, ``oneOf``, ``allOf``, ``if``), then the number, string, array and object groups, each guarded
  by a type test;
* ``type`` is tested up front unless the schema has a single type with keywords of that type's group, in
  which case the group's type test reports it (``{"type": "string", "minLength": 1, "enum": [...]}``
  reports ``enum`` first for a number);
* in first-error mode a schema stops at its first failing keyword; combinators collect their branches'
  errors and append their own (``oneOf`` stops at its second passing branch); inside a combinator
  ("composite" context) a failed up-front type test still lets the any-type group run, and ``if``/``then``
  failures add ``must match "then" schema``;
* defaults are inserted at the start of the object (and tuple) group, before ``required``; inside a
  combinator a default is a strict-mode error, as in ajv;
* ``additionalProperties: false`` deletes extra properties and a failing ``additionalProperties`` schema
  deletes the property, without an error, also while trying ``anyOf``/``oneOf`` branches.

All-errors mode (``Options.all_errors``) runs every keyword instead of stopping; it is used for the second
pass that lists every violation. It tries combinator branches on copies, so that a removal made while trying
one branch never shows up as a violation of the next.

Not replicated: ``$ref`` resolves JSON pointers within the schema (``#``, ``#/definitions/...``, also under a
root ``$id``) but not other documents; ``\\p{...}`` in patterns raises ``SchemaCompileError`` (Python's ``re``
lacks it); ajv's reading of inherited JavaScript properties (``required: ["toString"]`` passes there) is not
copied.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from novu_framework.js.numbers import format_number
from novu_framework.js.objects import deep_copy, object_keys
from novu_framework.js.values import deep_equal, is_finite_number, is_integer, strict_equal
from novu_framework.schema.base import SchemaCompileError
from novu_framework.schema.formats import FORMATS
from novu_framework.schema.jsregex import JsPattern, JsRegexError, RegexTimeoutError, compile_js_regex
from novu_framework.schema.pointer import pointer_segment

__all__ = ["Check", "Errors", "Options", "compile_root"]

Errors = tuple[tuple[str, str], ...]
Check = Callable[[Any], "Errors | None"]


@dataclass(frozen=True)
class Options:
    """Compilation options (ajv's): the bridge uses the defaults; the meta-schema turns mutation off."""

    use_defaults: bool = True
    remove_additional: bool = True
    all_errors: bool = False
    validate_formats: bool = True


# --- ajv's keyword tables ------------------------------------------------------------------------

_ANY_TYPE = ("$comment", "id", "$ref", "type", "nullable", "const", "enum", "not", "anyOf", "oneOf", "allOf")
_NUMBER = ("maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf", "format")
_STRING = ("maxLength", "minLength", "pattern", "format")
_FORMAT_LIMIT = ("formatMaximum", "formatMinimum", "formatExclusiveMaximum", "formatExclusiveMinimum")
_ARRAY = ("maxItems", "minItems", "additionalItems", "items", "contains", "uniqueItems")
_OBJECT = ("maxProperties", "minProperties", "required", "propertyNames", "additionalProperties")
_GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, (*_ANY_TYPE, "if", "then", "else")),
    ("number", _NUMBER),
    ("string", (*_STRING, *_FORMAT_LIMIT)),
    ("array", _ARRAY),
    ("object", (*_OBJECT, "dependencies", "properties", "patternProperties")),
)
_GROUP_OF_TYPE = {t: kws for t, kws in _GROUPS if t is not None}
RULE_KEYWORDS = frozenset(k for _, kws in _GROUPS for k in kws)
_ANNOTATIONS = ("title", "description", "default", "deprecated", "readOnly", "writeOnly", "examples")
_NAMES_ONLY = ("$async", "$schema", "$id", "$defs", "$vocabulary", "definitions")
_CONTENT = ("contentMediaType", "contentEncoding", "contentSchema")
KNOWN_KEYWORDS = RULE_KEYWORDS | frozenset((*_NAMES_ONLY, *_ANNOTATIONS, *_CONTENT))
_JSON_TYPES = ("string", "number", "integer", "boolean", "null", "object", "array")
_REF_KEYWORDS = frozenset(("$ref", "$recursiveRef", "$recursiveAnchor", "$dynamicRef", "$dynamicAnchor"))
_IDENTIFIER = re.compile(r"^[a-z$_][a-z$_0-9]*$", re.I)


def _is_string(d: Any) -> bool:
    return isinstance(d, str)


def _is_boolean(d: Any) -> bool:
    return d is True or d is False


def _is_null(d: Any) -> bool:
    return d is None


def _is_object(d: Any) -> bool:
    return isinstance(d, dict)


def _is_array(d: Any) -> bool:
    return isinstance(d, list)


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": _is_string,
    "number": is_finite_number,
    "integer": is_integer,
    "boolean": _is_boolean,
    "null": _is_null,
    "object": _is_object,
    "array": _is_array,
}


def _types_test(types: Sequence[str]) -> Callable[[Any], bool]:
    tests = tuple(_TYPE_TESTS[t] for t in types)
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda d: first(d) or second(d)
    return lambda d: any(test(d) for test in tests)


# --- compile context -----------------------------------------------------------------------------


class _Function:
    """One compiled validate function (the root, or a ``$ref`` target that contains references)."""

    __slots__ = ("check", "data_vars")

    def __init__(self) -> None:
        self.check: Check | None = None
        self.data_vars = 0  # ajv names nested data variables data0, data1, ... per function


@dataclass
class _Root:
    schema: Any
    options: Options
    root_fn: _Function = field(default_factory=_Function)
    functions: dict[int, _Function] = field(default_factory=dict)


@dataclass(frozen=True)
class _Cx:
    root: _Root
    fn: _Function
    schema: Any
    composite: bool
    err_path: str
    data_name: str = "data"
    fn_top: bool = False

    @property
    def opts(self) -> Options:
        return self.root.options

    def sub(
        self,
        schema: Any,
        err_path: str,
        *,
        new_data: bool = False,
        composite: bool | None = None,
    ) -> _Cx:
        data_name = self.data_name
        if new_data:
            data_name = f"data{self.fn.data_vars}"
            self.fn.data_vars += 1
        return _Cx(
            self.root,
            self.fn,
            schema,
            self.composite if composite is None else composite,
            err_path,
            data_name,
        )


def _fail(message: str) -> SchemaCompileError:
    return SchemaCompileError(message)


def _strict(message: str) -> SchemaCompileError:
    return SchemaCompileError(f"strict mode: {message}")


def _escape_fragment(key: str) -> str:
    return quote(key.replace("~", "~0").replace("/", "~1"), safe="!'()*-._~")


def _get_property(key: str | int) -> str:
    if isinstance(key, int):
        return f"[{key}]"
    if _IDENTIFIER.match(key):
        return f".{key}"
    return f"[{json.dumps(key)}]"


def _error(message: str) -> Errors:
    return (("", message),)


def _prefix(errors: Errors, segment: str) -> Errors:
    return tuple((segment + path, message) for path, message in errors)


def _check_unknown(schema: dict[str, Any]) -> None:
    for key in schema:
        if key not in KNOWN_KEYWORDS:
            raise _strict(f'unknown keyword: "{key}"')


def _has_rules(schema: dict[str, Any]) -> bool:
    return any(key in RULE_KEYWORDS for key in schema)


def _always_valid(schema: Any) -> bool:
    """ajv's ``alwaysValidSchema`` (which also runs the strict unknown-keyword check)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict) or not schema:
        return True
    _check_unknown(schema)
    return not _has_rules(schema)


def _has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return any(key in _REF_KEYWORDS or _has_ref(value) for key, value in schema.items())
    if isinstance(schema, list):
        return any(_has_ref(item) for item in schema)
    return False


def _sequence(checks: Sequence[Check | None], all_errors: bool) -> Check | None:
    steps = tuple(c for c in checks if c is not None)
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    if all_errors:

        def run_all(d: Any) -> Errors | None:
            out: Errors = ()
            for step in steps:
                errors = step(d)
                if errors:
                    out += errors
            return out or None

        return run_all

    def run_first(d: Any) -> Errors | None:
        for step in steps:
            errors = step(d)
            if errors:
                return errors
        return None

    return run_first


# --- schema objects ------------------------------------------------------------------------------


def compile_root(schema: Any, options: Options) -> Check | None:
    """Compile a root schema; ``None`` means "always valid". Raises :class:`SchemaCompileError`."""
    root = _Root(schema, options)
    root.functions[id(schema)] = root.root_fn
    try:
        root.root_fn.check = _compile_function_top(_Cx(root, root.root_fn, schema, False, "#", fn_top=True))
    except RecursionError as exc:
        raise _fail("schema is nested too deeply") from exc
    return root.root_fn.check


def _compile_function_top(cx: _Cx) -> Check | None:
    schema = cx.schema
    if isinstance(schema, dict) and schema.get("$async") is True:
        raise _fail("async schemas are not supported")
    return _compile_schema(cx)


def _compile_schema(cx: _Cx) -> Check | None:
    schema = cx.schema
    if schema is True:
        return None
    if schema is False:
        false_error = _error("boolean schema is false")
        return lambda _d: false_error
    if not isinstance(schema, dict):
        raise _fail("schema must be object or boolean")
    _check_unknown(schema)
    if not _has_rules(schema):
        return None
    if cx.fn_top and "default" in schema and cx.opts.use_defaults:
        raise _strict("default is ignored in the schema root")
    if schema.get("$async") is True and not cx.fn_top:
        raise _fail("async schema in sync schema")
    return _type_and_keywords(cx)


def _schema_types(schema: dict[str, Any]) -> list[str]:
    raw = schema.get("type")
    types = list(raw) if isinstance(raw, list) else [raw] if raw is not None else []
    if not all(isinstance(t, str) and t in _JSON_TYPES for t in types):
        raise _fail("type must be JSONType or JSONType[]: " + ",".join(map(str, types)))
    if "null" in types:
        if schema.get("nullable") is False:
            raise _fail("type: null contradicts nullable: false")
    else:
        if not types and "nullable" in schema:
            raise _fail('"nullable" cannot be used without "type"')
        if schema.get("nullable") is True:
            types.append("null")
    return types


_CLASSES: dict[str, type] = {"string": str, "object": dict, "array": list}
_NOT_A_VALUE = object()


def _type_and_keywords(cx: _Cx) -> Check | None:
    schema: dict[str, Any] = cx.schema
    all_errors = cx.opts.all_errors
    types = _schema_types(schema)
    single_with_group = len(types) == 1 and any(k in schema for k in _GROUP_OF_TYPE.get(types[0], ()))
    upfront = bool(types) and not single_with_group
    raw_type = schema.get("type")
    type_error = _error(f"must be {','.join(raw_type) if isinstance(raw_type, list) else raw_type}")

    if "$ref" in schema and not any(k != "$ref" and k in RULE_KEYWORDS for k in schema):
        return _kw_ref(cx, schema["$ref"], None)

    any_steps: list[Check] = []
    steps: list[Check] = []
    for group_type, keywords in _GROUPS:
        if not any(k in schema for k in keywords):
            continue
        # ajv inserts defaults (or fails strict mode) before generating the group's keywords.
        defaults = _defaults(cx, group_type) if group_type and cx.opts.use_defaults else ()
        checks = [c for c in (_keyword(cx, k, group_type) for k in keywords if k in schema) if c is not None]
        if group_type is None:
            any_steps = checks
            combined = _sequence(checks, all_errors) if all_errors else _chain(checks)
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

    body = _sequence(steps, True) if all_errors else _chain(steps)
    if not upfront:
        return body
    if cx.composite:
        test = _types_test(types)
        any_body = _sequence(any_steps, True) if all_errors else _chain(any_steps)

        # ajv records the type error and still runs the any-type keywords before its error-count guard.
        def run_composite(d: Any) -> Errors | None:
            if test(d):
                return body(d) if body else None
            more = any_body(d) if any_body else None
            return type_error + more if more else type_error

        return run_composite
    return _type_checked(types, body, type_error)


def _within(data_type: str, group_type: str) -> bool:
    return data_type == group_type or (data_type == "integer" and group_type == "number")


def _chain(steps: Sequence[Check]) -> Check | None:
    """First-error sequence: the first step that fails ends it."""
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    if len(steps) == 2:
        first, second = steps

        def run_two(d: Any) -> Errors | None:
            return first(d) or second(d)

        return run_two
    table = tuple(steps)

    def run(d: Any) -> Errors | None:
        for step in table:
            errors = step(d)
            if errors:
                return errors
        return None

    return run


def _type_checked(types: list[str], body: Check | None, type_error: Errors) -> Check:
    """The up-front ``type`` test, then the body (first-error mode, outside combinators)."""
    cls = _CLASSES.get(types[0]) if len(types) == 1 else None
    if cls is not None:
        if body is None:
            return _only_type(cls, type_error)

        def run_class(d: Any) -> Errors | None:
            return body(d) if isinstance(d, cls) else type_error

        return run_class
    if types == ["boolean"] and body is None:
        return lambda d: None if d is True or d is False else type_error
    if types == ["null"] and body is None:
        return lambda d: None if d is None else type_error
    test = _types_test(types)
    if body is None:
        return lambda d: None if test(d) else type_error
    if types == ["integer"]:

        def run_integer(d: Any) -> Errors | None:
            if type(d) is int or is_integer(d):
                return body(d)
            return type_error

        return run_integer

    def run(d: Any) -> Errors | None:
        return body(d) if test(d) else type_error

    return run


def _only_type(cls: type, type_error: Errors) -> Check:
    def run(d: Any) -> Errors | None:
        return None if isinstance(d, cls) else type_error

    run.only_type = cls  # type: ignore[attr-defined]  # lets array items be checked in one loop
    return run


def _guard(
    group_type: str,
    checks: list[Check],
    defaults: tuple[tuple[str | int, Any], ...],
    type_error: Errors | None,
    all_errors: bool,
) -> Check | None:
    """A keyword group: runs when the data has the group's type; fills defaults first."""
    if not checks and not defaults and type_error is None:
        return None
    body = _sequence(checks, True) if all_errors else _chain(checks)
    fill = _default_filler(defaults, group_type)
    cls = _CLASSES.get(group_type)
    if group_type == "object" and defaults:
        entries = tuple((key, value, isinstance(value, (dict, list))) for key, value in defaults)

        def run_object(d: Any) -> Errors | None:
            if isinstance(d, dict):
                for key, value, mutable in entries:
                    if key not in d:
                        d[key] = deep_copy(value) if mutable else value
                return body(d) if body is not None else None
            return type_error

        return run_object
    if fill is None and cls is not None:

        def run_class(d: Any) -> Errors | None:
            if isinstance(d, cls):
                return body(d) if body is not None else None
            return type_error

        return run_class
    test = _TYPE_TESTS[group_type]

    def run(d: Any) -> Errors | None:
        if test(d):
            if fill is not None:
                fill(d)
            return body(d) if body is not None else None
        return type_error

    return run


def _defaults(cx: _Cx, group_type: str) -> tuple[tuple[str | int, Any], ...]:
    schema = cx.schema
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
    if found and cx.composite:
        raise _strict(f"default is ignored for: {cx.data_name}{_get_property(found[0][0])}")
    return tuple(found)


def _default_filler(
    defaults: tuple[tuple[str | int, Any], ...], group_type: str
) -> Callable[[Any], None] | None:
    if not defaults:
        return None
    if group_type == "object":

        def fill_object(d: dict[Any, Any]) -> None:
            for key, value in defaults:
                if key not in d:
                    d[key] = deep_copy(value) if isinstance(value, (dict, list)) else value

        return fill_object

    def fill_array(d: list[Any]) -> None:
        for index, value in defaults:
            assert isinstance(index, int)
            if index >= len(d):
                d.extend([None] * (index - len(d) + 1))
                d[index] = deep_copy(value)

    return fill_array


# --- keywords ------------------------------------------------------------------------------------


def _keyword(cx: _Cx, keyword: str, group_type: str | None) -> Check | None:
    value = cx.schema[keyword]
    return _KEYWORDS[keyword](cx, value, group_type)


def _no_code(_cx: _Cx, _value: Any, _group: str | None) -> Check | None:
    return None


def _kw_id(_cx: _Cx, _value: Any, _group: str | None) -> Check | None:
    raise _fail('NOT SUPPORTED: keyword "id", use "$id" for schema ID')


def _kw_nullable(_cx: _Cx, value: Any, _group: str | None) -> Check | None:
    if not isinstance(value, bool):
        raise _fail('nullable value must be ["boolean"]')
    return None


def _resolve_pointer(root: Any, ref: str) -> Any:
    base = root.get("$id") if isinstance(root, dict) else None
    base_id = base.rstrip("#") if isinstance(base, str) and base.rstrip("#") else ""
    fragment = None
    if ref.startswith("#"):
        fragment = ref[1:]
    elif base_id and ref.split("#", 1)[0] == base_id:
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
    missing = _fail(f"can't resolve reference {ref} from id {base_id or '#'}")
    if fragment is None or (fragment and not fragment.startswith("/")):
        raise missing
    target = root
    for part in fragment[1:].split("/") if fragment else []:
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        if isinstance(target, dict) and key in target:
            target = target[key]
        elif isinstance(target, list) and key.isdigit() and int(key) < len(target):
            target = target[int(key)]
        else:
            raise missing
    return target


def _kw_ref(cx: _Cx, ref: Any, _group: str | None) -> Check | None:
    if not isinstance(ref, str):
        raise _fail('$ref value must be "string"')
    root = cx.root
    target = root.schema if ref in ("#", "#/") else _resolve_pointer(root.schema, ref)
    if target is not root.schema and not _has_ref(target):
        inline = _compile_schema(cx.sub(target, ref))
        return inline
    fn = root.functions.get(id(target))
    if fn is None:
        fn = _Function()
        root.functions[id(target)] = fn
        fn.check = _compile_function_top(_Cx(root, fn, target, False, "#", fn_top=True))

    def call(d: Any) -> Errors | None:
        check = fn.check
        return check(d) if check is not None else None

    return call


def _kw_const(_cx: _Cx, value: Any, _group: str | None) -> Check | None:
    error = _error("must be equal to constant")
    if isinstance(value, (dict, list)):
        return lambda d: None if deep_equal(d, value) else error
    return lambda d: None if strict_equal(d, value) else error


def _kw_enum(_cx: _Cx, values: Any, _group: str | None) -> Check | None:
    if not isinstance(values, list) or not values:
        raise _fail("enum must have non-empty array")
    error = _error("must be equal to one of the allowed values")
    if all(isinstance(v, str) for v in values):
        allowed = frozenset(values)
        return lambda d: None if isinstance(d, str) and d in allowed else error
    options = tuple(values)
    return lambda d: None if any(deep_equal(d, v) for v in options) else error


def _kw_not(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    error = _error("must NOT be valid")
    if _always_valid(value):
        return lambda _d: error
    sub = _branch(cx, value, f"{cx.err_path}/not")
    if sub is None:
        return lambda _d: error
    return lambda d: error if sub(d) is None else None


def _branch(cx: _Cx, schema: Any, err_path: str) -> Check | None:
    """A combinator branch. In all-errors mode it runs on a copy: removals made while trying one branch
    must not create violations in the next one (ajv's allErrors would report those)."""
    check = _compile_schema(cx.sub(schema, err_path, composite=True))
    if check is None or not cx.opts.all_errors:
        return check
    return lambda d: check(deep_copy(d))


def _branches(cx: _Cx, keyword: str, schemas: list[Any]) -> list[Check | None]:
    return [_branch(cx, s, f"{cx.err_path}/{keyword}/{i}") for i, s in enumerate(schemas)]


def _kw_any_of(cx: _Cx, schemas: Any, _group: str | None) -> Check | None:
    if any(_always_valid(s) for s in schemas):
        return None
    branches = tuple(_branches(cx, "anyOf", schemas))
    own = _error("must match a schema in anyOf")

    def run(d: Any) -> Errors | None:
        collected: Errors = ()
        for branch in branches:
            errors = branch(d) if branch is not None else None
            if errors is None:
                return None
            collected += errors
        return collected + own

    return run


def _kw_one_of(cx: _Cx, schemas: Any, _group: str | None) -> Check | None:
    branches: list[Check | None] = []
    always: list[bool] = []
    for i, schema in enumerate(schemas):
        valid_always = _always_valid(schema)
        always.append(valid_always)
        branches.append(None if valid_always else _branch(cx, schema, f"{cx.err_path}/oneOf/{i}"))
    own = _error("must match exactly one schema in oneOf")
    pairs = tuple(zip(branches, always, strict=True))

    def run(d: Any) -> Errors | None:
        collected: Errors = ()
        passing = False
        for branch, valid_always in pairs:
            errors = None if valid_always or branch is None else branch(d)
            if errors is None:
                if passing:
                    return collected + own  # ajv stops at the second passing branch
                passing = True
            else:
                collected += errors
        return None if passing else collected + own

    return run


def _kw_all_of(cx: _Cx, schemas: Any, _group: str | None) -> Check | None:
    checks = [
        None if _always_valid(s) else _compile_schema(cx.sub(s, f"{cx.err_path}/allOf/{i}"))
        for i, s in enumerate(schemas)
    ]
    return _sequence(checks, cx.opts.all_errors)


def _kw_if(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    schema = cx.schema
    if "then" not in schema and "else" not in schema:
        raise _strict('"if" without "then" and "else" is ignored')
    has_then = "then" in schema and not _always_valid(schema["then"])
    has_else = "else" in schema and not _always_valid(schema["else"])
    if not has_then and not has_else:
        return None
    condition = _branch(cx, value, f"{cx.err_path}/if")
    then_check = _compile_schema(cx.sub(schema["then"], f"{cx.err_path}/then")) if has_then else None
    else_check = _compile_schema(cx.sub(schema["else"], f"{cx.err_path}/else")) if has_else else None
    own_error = cx.composite  # outside a combinator ajv returns the branch's error alone
    then_error = _error('must match "then" schema')
    else_error = _error('must match "else" schema')

    def run(d: Any) -> Errors | None:
        if condition is None or condition(d) is None:
            errors = then_check(d) if then_check is not None else None
            return (errors + then_error if own_error else errors) if errors else None
        errors = else_check(d) if else_check is not None else None
        return (errors + else_error if own_error else errors) if errors else None

    return run


def _kw_then_else(cx: _Cx, _value: Any, _group: str | None) -> Check | None:
    if "if" not in cx.schema:
        keyword = "then" if "then" in cx.schema else "else"
        raise _strict(f'"{keyword}" without "if" is ignored')
    return None


_LIMITS: dict[str, tuple[str, Callable[[Any, Any], bool]]] = {
    "maximum": ("<=", lambda d, lim: d > lim),
    "minimum": (">=", lambda d, lim: d < lim),
    "exclusiveMaximum": ("<", lambda d, lim: d >= lim),
    "exclusiveMinimum": (">", lambda d, lim: d <= lim),
}


def _kw_limit(keyword: str) -> Callable[[_Cx, Any, str | None], Check | None]:
    op, fails = _LIMITS[keyword]

    def compile_limit(_cx: _Cx, limit: Any, _group: str | None) -> Check | None:
        error = _error(f"must be {op} {format_number(limit)}")
        return lambda d: error if fails(d, limit) or d != d else None

    return compile_limit


def _kw_multiple_of(_cx: _Cx, divisor: Any, _group: str | None) -> Check | None:
    error = _error(f"must be multiple of {format_number(divisor)}")
    exact = isinstance(divisor, int) and not isinstance(divisor, bool)

    def run(d: Any) -> Errors | None:
        if divisor == 0:
            return error
        if exact and isinstance(d, int) and abs(d) > 2**53:
            return None if d % divisor == 0 else error
        try:
            res = float(d) / float(divisor)
        except OverflowError:
            return error
        # JavaScript: res !== parseInt(res), where parseInt reads String(res) (exponent forms fail).
        return None if res.is_integer() and abs(res) < 1e21 else error

    return run


def _kw_count(keyword: str, noun: str) -> Callable[[_Cx, Any, str | None], Check | None]:
    """``min``/``max`` + ``Length``/``Items``/``Properties``: a bound on ``len`` of the value."""

    def compile_count(_cx: _Cx, limit: Any, _group: str | None) -> Check | None:
        if keyword.startswith("max"):
            error = _error(f"must NOT have more than {format_number(limit)} {noun}")
            return lambda d: error if len(d) > limit else None
        error = _error(f"must NOT have fewer than {format_number(limit)} {noun}")
        return lambda d: error if len(d) < limit else None

    return compile_count


def _js_regex(pattern: str) -> JsPattern:
    try:
        return compile_js_regex(pattern)
    except JsRegexError as exc:
        raise _fail(str(exc)) from exc


def _timed_out(exc: RegexTimeoutError) -> str:
    return (
        f'must match pattern "{exc.pattern}" (gave up: matching took longer than {exc.timeout * 1000:g} ms;'
        " see NOVU_REGEX_TIMEOUT_MS)"
    )


def _kw_pattern(_cx: _Cx, pattern: Any, _group: str | None) -> Check | None:
    search = _js_regex(pattern).search
    error = _error(f'must match pattern "{pattern}"')

    def check(d: str) -> Errors | None:
        try:
            return None if search(d) is not None else error
        except RegexTimeoutError as exc:
            return _error(_timed_out(exc))

    return check


def _matches_quietly(pattern: JsPattern, text: str) -> bool:
    try:
        return pattern.search(text) is not None
    except RegexTimeoutError:
        return False


def _key_timeouts(check: Check | None) -> Check | None:
    """``check`` with a property-name search that times out reported at that property."""
    if check is None:
        return None

    def run(d: Any) -> Errors | None:
        try:
            return check(d)
        except _KeyTimeout as exc:
            return _prefix(_error(_timed_out(exc.cause)), pointer_segment(exc.key))

    return run


class _KeyTimeout(Exception):
    def __init__(self, key: str, cause: RegexTimeoutError) -> None:
        self.key = key
        self.cause = cause


def _key_search(pattern: str) -> Callable[[str], Any]:
    search = _js_regex(pattern).search

    def run(key: str) -> Any:
        try:
            return search(key)
        except RegexTimeoutError as exc:
            raise _KeyTimeout(key, exc) from None

    return run


def _kw_format(cx: _Cx, name: Any, group: str | None) -> Check | None:
    if not cx.opts.validate_formats:
        return None
    definition = FORMATS.get(name)
    if definition is None:
        raise _fail(f'unknown format "{name}" ignored in schema at path "{cx.err_path}"')
    if definition.validate is None or definition.kind != group:
        return None
    validate = definition.validate
    error = _error(f'must match format "{name}"')
    return lambda d: None if validate(d) else error


_FORMAT_LIMITS: dict[str, tuple[str, Callable[[int], bool]]] = {
    "formatMaximum": ("<=", lambda c: c > 0),
    "formatMinimum": (">=", lambda c: c < 0),
    "formatExclusiveMaximum": ("<", lambda c: c >= 0),
    "formatExclusiveMinimum": (">", lambda c: c <= 0),
}


def _kw_format_limit(keyword: str) -> Callable[[_Cx, Any, str | None], Check | None]:
    op, fails = _FORMAT_LIMITS[keyword]

    def compile_format_limit(cx: _Cx, limit: Any, _group: str | None) -> Check | None:
        if "format" not in cx.schema:
            raise _fail(f"parent schema must have dependencies of {keyword}: format")
        if not isinstance(limit, str):
            raise _fail(f'{keyword} value must be ["string"]')
        if not cx.opts.validate_formats:
            return None
        name = cx.schema["format"]
        definition = FORMATS.get(name)
        if definition is None or definition.validate is None:
            return None
        compare = definition.compare
        if compare is None:
            raise _fail(f'"{keyword}": format "{name}" does not define "compare" function')
        error = _error(f"should be {op} {limit}")

        def run(d: Any) -> Errors | None:
            result = compare(d, limit)
            return error if result is not None and fails(result) else None

        return run

    return compile_format_limit


def _each_item(cx: _Cx, sub: Check, start: int) -> Check:
    all_errors = cx.opts.all_errors
    cls = getattr(sub, "only_type", None)
    if cls is not None and start == 0 and not all_errors:
        type_error = sub(_NOT_A_VALUE)
        assert type_error is not None

        def run_typed(d: list[Any]) -> Errors | None:
            for index, item in enumerate(d):
                if not isinstance(item, cls):
                    return _prefix(type_error, f"/{index}")
            return None

        return run_typed

    def run(d: list[Any]) -> Errors | None:
        collected: Errors = ()
        for index in range(start, len(d)):
            errors = sub(d[index])
            if errors:
                prefixed = _prefix(errors, f"/{index}")
                if not all_errors:
                    return prefixed
                collected += prefixed
        return collected or None

    return run


def _kw_items(cx: _Cx, items: Any, _group: str | None) -> Check | None:
    if isinstance(items, list):
        checks: list[Check | None] = []
        for index, schema in enumerate(items):
            if _always_valid(schema):
                continue
            sub = _compile_schema(cx.sub(schema, f"{cx.err_path}/items/{index}", new_data=True))
            if sub is not None:
                checks.append(_tuple_item(sub, index))
        return _sequence(checks, cx.opts.all_errors)
    if _always_valid(items):
        return None
    sub = _compile_schema(cx.sub(items, f"{cx.err_path}/items", new_data=True))
    return _each_item(cx, sub, 0) if sub is not None else None


def _tuple_item(sub: Check, index: int) -> Check:
    segment = f"/{index}"

    def run(d: list[Any]) -> Errors | None:
        if len(d) > index:
            errors = sub(d[index])
            if errors:
                return _prefix(errors, segment)
        return None

    return run


def _kw_additional_items(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    items = cx.schema.get("items")
    if not isinstance(items, list):
        raise _strict('"additionalItems" is ignored when "items" is not an array of schemas')
    count = len(items)
    if value is False:
        error = _error(f"must NOT have more than {count} items")
        return lambda d: error if len(d) > count else None
    if _always_valid(value):
        return None
    sub = _compile_schema(cx.sub(value, f"{cx.err_path}/additionalItems", new_data=True))
    return _each_item(cx, sub, count) if sub is not None else None


def _kw_contains(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    error = _error("must contain at least 1 valid item(s)")
    if _always_valid(value):
        return lambda d: None if len(d) >= 1 else error
    sub = _compile_schema(cx.sub(value, f"{cx.err_path}/contains", new_data=True, composite=True))
    if sub is None:
        return lambda d: None if len(d) >= 1 else error
    keep_item_errors = cx.composite

    def run(d: list[Any]) -> Errors | None:
        collected: Errors = ()
        for index, item in enumerate(d):
            errors = sub(item)
            if errors is None:
                return None
            collected += _prefix(errors, f"/{index}")
        return collected + error if keep_item_errors else error

    return run


def _unique_key(item: Any, several_types: bool) -> Any:
    if item is True or item is False:
        return ("b", item)
    if isinstance(item, str):
        return ("s", item) if several_types else ("v", item)
    return ("v", item)


def _kw_unique_items(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    if not value:
        return None
    items = cx.schema.get("items")
    item_types = _schema_types(items) if isinstance(items, dict) else []
    optimize = bool(item_types) and not any(t in ("object", "array") for t in item_types)

    def message(j: int, i: int) -> Errors:
        return _error(f"must NOT have duplicate items (items ## {j} and {i} are identical)")

    if optimize:
        test = _types_test(item_types)
        several = len(item_types) > 1

        def run_indexed(d: list[Any]) -> Errors | None:
            seen: dict[Any, int] = {}
            for i in range(len(d) - 1, -1, -1):
                item = d[i]
                if not test(item):
                    continue
                key = _unique_key(item, several)
                if key in seen:
                    return message(seen[key], i)
                seen[key] = i
            return None

        return run_indexed

    def run_pairs(d: list[Any]) -> Errors | None:
        for i in range(len(d) - 1, 0, -1):
            for j in range(i - 1, -1, -1):
                if deep_equal(d[i], d[j]):
                    return message(j, i)
        return None

    return run_pairs


def _kw_required(cx: _Cx, required: Any, _group: str | None) -> Check | None:
    if not required:
        return None
    names = tuple(required)
    errors = {name: _error(f"must have required property '{name}'") for name in names}
    if cx.opts.all_errors:

        def run_all(d: dict[str, Any]) -> Errors | None:
            out: Errors = ()
            for name in names:
                if name not in d:
                    out += errors[name]
            return out or None

        return run_all

    wanted = frozenset(names)
    if len(names) == 1:
        only, only_error = names[0], errors[names[0]]
        return lambda d: None if only in d else only_error

    def run(d: dict[str, Any]) -> Errors | None:
        if wanted.issubset(d):
            return None
        for name in names:
            if name not in d:
                return errors[name]
        return None

    return run


def _kw_property_names(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    if _always_valid(value):
        return None
    sub = _compile_schema(cx.sub(value, f"{cx.err_path}/propertyNames", composite=True))
    if sub is None:
        return None
    own = _error("property name must be valid")
    all_errors = cx.opts.all_errors

    def run(d: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for key in object_keys(d):
            errors = sub(key)
            if errors:
                if not all_errors:
                    return errors + own
                collected += errors + own
        return collected or None

    return run


def _is_additional(cx: _Cx) -> Callable[[str], bool]:
    schema = cx.schema
    props = frozenset(k for k in (schema.get("properties") or {}) if k != "__proto__")
    patterns = tuple(_key_search(p) for p in (schema.get("patternProperties") or {}) if p != "__proto__")
    if not patterns:
        return lambda key: key not in props
    return lambda key: key not in props and not any(search(key) for search in patterns)


def _kw_additional_properties(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    if _always_valid(value):
        return None
    remove = cx.opts.remove_additional
    additional = _is_additional(cx)
    declared = None if cx.schema.get("patternProperties") else frozenset(cx.schema.get("properties") or ())
    all_errors = cx.opts.all_errors
    if value is False:
        if remove:

            def remove_extra(d: dict[str, Any]) -> Errors | None:
                if declared is not None and declared.issuperset(d):
                    return None
                for key in [k for k in d if additional(k)]:
                    del d[key]
                return None

            return remove_extra
        own = _error("must NOT have additional properties")

        def reject_extra(d: dict[str, Any]) -> Errors | None:
            count = sum(1 for k in d if additional(k))
            return None if count == 0 else own if not all_errors else own * count

        return reject_extra
    if remove:
        failing = _compile_schema(
            cx.sub(value, f"{cx.err_path}/additionalProperties", new_data=True, composite=True)
        )
        if failing is None:
            return None

        def remove_failing(d: dict[str, Any]) -> Errors | None:
            for key in [k for k in object_keys(d) if additional(k)]:
                if failing(d[key]) is not None:
                    del d[key]
            return None

        return remove_failing
    sub = _compile_schema(cx.sub(value, f"{cx.err_path}/additionalProperties", new_data=True))
    if sub is None:
        return None

    def check_extra(d: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for key in object_keys(d):
            if additional(key):
                errors = sub(d[key])
                if errors:
                    prefixed = _prefix(errors, pointer_segment(key))
                    if not all_errors:
                        return prefixed
                    collected += prefixed
        return collected or None

    return check_extra


def _kw_dependencies(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    checks: list[Check | None] = []
    keys = [k for k in object_keys(value) if k != "__proto__"]
    for prop in keys:
        deps = value[prop]
        if isinstance(deps, list) and deps:
            checks.append(_property_dependency(prop, tuple(deps)))
    for prop in keys:
        deps = value[prop]
        if isinstance(deps, list) or _always_valid(deps):
            continue
        sub = _compile_schema(cx.sub(deps, f"{cx.err_path}/dependencies/{_escape_fragment(prop)}"))
        if sub is not None:
            checks.append(_schema_dependency(prop, sub))
    return _sequence(checks, cx.opts.all_errors)


def _property_dependency(prop: str, deps: tuple[str, ...]) -> Check:
    noun = "property" if len(deps) == 1 else "properties"
    error = _error(f"must have {noun} {', '.join(deps)} when property {prop} is present")
    return lambda d: error if prop in d and any(dep not in d for dep in deps) else None


def _schema_dependency(prop: str, sub: Check) -> Check:
    return lambda d: sub(d) if prop in d else None


def _kw_properties(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    all_props = [k for k in object_keys(value) if k != "__proto__"]
    props = [k for k in all_props if not _always_valid(value[k])]
    # A property with a default is always present here: the object group filled it in first.
    entries: list[tuple[str, Check, str]] = []
    for prop in props:
        sub = _compile_schema(
            cx.sub(value[prop], f"{cx.err_path}/properties/{_escape_fragment(prop)}", new_data=True)
        )
        if sub is not None:
            entries.append((prop, sub, pointer_segment(prop)))
    if not entries:
        return None
    table = tuple(entries)
    all_errors = cx.opts.all_errors

    def run(d: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for prop, sub, segment in table:
            if prop in d:
                errors = sub(d[prop])
                if errors:
                    prefixed = _prefix(errors, segment)
                    if not all_errors:
                        return prefixed
                    collected += prefixed
        return collected or None

    return run


def _kw_pattern_properties(cx: _Cx, value: Any, _group: str | None) -> Check | None:
    patterns = [p for p in object_keys(value) if p != "__proto__"]
    always = {p for p in patterns if _always_valid(value[p])}
    if not patterns or len(always) == len(patterns):
        return None
    properties = cx.schema.get("properties")
    checks: list[tuple[Callable[[str], Any], Check | None]] = []
    for pattern in patterns:
        if isinstance(properties, dict):
            try:
                plain = compile_js_regex(pattern, unicode=False)
            except JsRegexError:
                plain = None
            for prop in object_keys(properties):
                if plain is not None and _matches_quietly(plain, prop):
                    raise _strict(f"property {prop} matches pattern {pattern} (use allowMatchingProperties)")
        search = _key_search(pattern)
        sub = (
            None
            if pattern in always
            else _compile_schema(
                cx.sub(
                    value[pattern],
                    f"{cx.err_path}/patternProperties/{_escape_fragment(pattern)}",
                    new_data=True,
                )
            )
        )
        checks.append((search, sub))
    table = tuple(checks)
    all_errors = cx.opts.all_errors

    def run(d: dict[str, Any]) -> Errors | None:
        collected: Errors = ()
        for search, sub in table:
            if sub is None:
                continue
            for key in object_keys(d):
                if search(key) is not None and key in d:
                    errors = sub(d[key])
                    if errors:
                        prefixed = _prefix(errors, pointer_segment(key))
                        if not all_errors:
                            return prefixed
                        collected += prefixed
        return collected or None

    return run


_KEYWORDS: dict[str, Callable[[_Cx, Any, str | None], Check | None]] = {
    "$comment": _no_code,
    "id": _kw_id,
    "$ref": _kw_ref,
    "type": _no_code,
    "nullable": _kw_nullable,
    "const": _kw_const,
    "enum": _kw_enum,
    "not": _kw_not,
    "anyOf": _kw_any_of,
    "oneOf": _kw_one_of,
    "allOf": _kw_all_of,
    "if": _kw_if,
    "then": _kw_then_else,
    "else": _kw_then_else,
    **{k: _kw_limit(k) for k in _LIMITS},
    "multipleOf": _kw_multiple_of,
    "maxLength": _kw_count("maxLength", "characters"),
    "minLength": _kw_count("minLength", "characters"),
    "pattern": _kw_pattern,
    "format": _kw_format,
    **{k: _kw_format_limit(k) for k in _FORMAT_LIMITS},
    "maxItems": _kw_count("maxItems", "items"),
    "minItems": _kw_count("minItems", "items"),
    "additionalItems": _kw_additional_items,
    "items": _kw_items,
    "contains": _kw_contains,
    "uniqueItems": _kw_unique_items,
    "maxProperties": _kw_count("maxProperties", "properties"),
    "minProperties": _kw_count("minProperties", "properties"),
    "required": _kw_required,
    "propertyNames": _kw_property_names,
    "additionalProperties": lambda cx, value, group: _key_timeouts(
        _kw_additional_properties(cx, value, group)
    ),
    "dependencies": _kw_dependencies,
    "properties": _kw_properties,
    "patternProperties": lambda cx, value, group: _key_timeouts(_kw_pattern_properties(cx, value, group)),
}
