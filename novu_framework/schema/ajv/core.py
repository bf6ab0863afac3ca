"""ajv's core vocabulary: ``$ref``, ``$comment`` and the refused ``id``.

Mirrors ``lib/vocabularies/core/{ref,id}.ts`` and the reference resolution of ``lib/compile/resolve.ts``: a
reference is a JSON pointer within the schema (``#``, ``#/definitions/...``, also under a root ``$id``);
other documents are not resolved. A target without references of its own is compiled in place (ajv's
``inlineRef``); one with references becomes a function of its own, compiled once, so recursion terminates.
"""

from __future__ import annotations

from typing import Any

from novu_framework.schema.ajv.checks import Check, Errors
from novu_framework.schema.ajv.context import CompileContext, CompiledFunction, KeywordCompiler, no_code
from novu_framework.schema.base import SchemaCompileError
from novu_framework.schema.pointer import resolve_fragment

__all__ = ["KEYWORDS"]

_REF_KEYWORDS = frozenset(("$ref", "$recursiveRef", "$recursiveAnchor", "$dynamicRef", "$dynamicAnchor"))


def _has_ref(schema: Any) -> bool:
    if isinstance(schema, dict):
        return any(key in _REF_KEYWORDS or _has_ref(value) for key, value in schema.items())
    if isinstance(schema, list):
        return any(_has_ref(item) for item in schema)
    return False


def _resolve(root: Any, ref: str) -> Any:
    base = root.get("$id") if isinstance(root, dict) else None
    base_id = base.rstrip("#") if isinstance(base, str) and base.rstrip("#") else ""
    fragment = None
    if ref.startswith("#"):
        fragment = ref[1:]
    elif base_id and ref.split("#", 1)[0] == base_id:
        fragment = ref.split("#", 1)[1] if "#" in ref else ""
    missing = SchemaCompileError(f"can't resolve reference {ref} from id {base_id or '#'}")
    if fragment is None or (fragment and not fragment.startswith("/")):
        raise missing
    try:
        return resolve_fragment(root, fragment)
    except LookupError:
        raise missing from None


def _ref(context: CompileContext, ref: Any, _group: str | None) -> Check | None:
    if not isinstance(ref, str):
        raise SchemaCompileError('$ref value must be "string"')
    root = context.root
    target = root.schema if ref in ("#", "#/") else _resolve(root.schema, ref)
    if target is not root.schema and not _has_ref(target):
        return context.compile_subschema(target, ref)
    function = root.functions.get(id(target))
    if function is None:
        function = CompiledFunction()
        root.functions[id(target)] = function
        function.check = root.compile(CompileContext(root, function, target, False, "#", top=True))

    def call(data: Any) -> Errors | None:
        check = function.check
        return check(data) if check is not None else None

    return call


def _id(_context: CompileContext, _value: Any, _group: str | None) -> Check | None:
    raise SchemaCompileError('NOT SUPPORTED: keyword "id", use "$id" for schema ID')


KEYWORDS: dict[str, KeywordCompiler] = {"$ref": _ref, "$comment": no_code, "id": _id}
