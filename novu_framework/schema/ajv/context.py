"""What a keyword compiles against: the options, the schema being compiled, and where it sits.

Mirrors ajv's ``SchemaEnv``/``SchemaCxt`` (``lib/compile/index.ts``), the subschema context of
``lib/compile/validate/subschema.ts``, and the helpers of ``lib/compile/util.ts`` (``alwaysValidSchema``,
``checkUnknownRules``, ``escapeFragment``, ``getProperty``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from novu_framework.schema.ajv.checks import Check
from novu_framework.schema.ajv.rules import KNOWN_KEYWORDS, RULE_KEYWORDS
from novu_framework.schema.base import SchemaCompileError

__all__ = [
    "CompileContext",
    "CompiledFunction",
    "KeywordCompiler",
    "Options",
    "SchemaRoot",
    "always_valid",
    "check_unknown",
    "escape_fragment",
    "get_property",
    "has_rules",
    "no_code",
    "strict_error",
]


@dataclass(frozen=True)
class Options:
    """Compilation options (ajv's): the bridge uses the defaults; the meta-schema turns mutation off."""

    use_defaults: bool = True
    remove_additional: bool = True
    all_errors: bool = False
    validate_formats: bool = True


class CompiledFunction:
    """One compiled validate function: the root, or a ``$ref`` target that contains references."""

    __slots__ = ("check", "data_var_count")

    def __init__(self) -> None:
        self.check: Check | None = None
        self.data_var_count = 0  # ajv names nested data variables data0, data1, ... per function


@dataclass
class SchemaRoot:
    """The root schema being compiled, its options and the functions compiled for it so far (by target)."""

    schema: Any
    options: Options
    compile: Callable[[CompileContext], Check | None]
    """Compiles the schema of a context (the driver's ``compile_schema``), for keywords' subschemas."""
    root_function: CompiledFunction = field(default_factory=CompiledFunction)
    functions: dict[int, CompiledFunction] = field(default_factory=dict)


KeywordCompiler = Callable[["CompileContext", Any, "str | None"], "Check | None"]
"""Compiles one keyword: ``(context, keyword value, type group or None) -> check or None``."""


@dataclass(frozen=True)
class CompileContext:
    """One schema being compiled: where it is (``schema_path``, the data variable) and how it is reached.

    ``composite`` is true inside a combinator (``anyOf`` branches, ``not``, ``if``, ...), where ajv reports
    differently; ``top`` is true for the schema a :class:`CompiledFunction` starts with.
    """

    root: SchemaRoot
    function: CompiledFunction
    schema: Any
    composite: bool
    schema_path: str
    data_name: str = "data"
    top: bool = False

    @property
    def options(self) -> Options:
        return self.root.options

    def subschema(
        self,
        schema: Any,
        schema_path: str,
        *,
        new_data: bool = False,
        composite: bool | None = None,
    ) -> CompileContext:
        """The context of a subschema at ``schema_path``; ``new_data`` when it applies to a child of the data."""
        data_name = self.data_name
        if new_data:
            data_name = f"data{self.function.data_var_count}"
            self.function.data_var_count += 1
        return CompileContext(
            self.root,
            self.function,
            schema,
            self.composite if composite is None else composite,
            schema_path,
            data_name,
        )

    def compile_subschema(
        self,
        schema: Any,
        schema_path: str,
        *,
        new_data: bool = False,
        composite: bool | None = None,
    ) -> Check | None:
        """The check of a subschema (see :meth:`subschema`); ``None`` when it accepts everything."""
        return self.root.compile(self.subschema(schema, schema_path, new_data=new_data, composite=composite))


def no_code(_context: CompileContext, _value: Any, _group: str | None) -> Check | None:
    """A keyword that generates no check of its own (``type`` is tested by the driver, ``$comment``)."""
    return None


def strict_error(message: str) -> SchemaCompileError:
    """The error ajv's strict mode raises (``strict: true``, as the reference configures it)."""
    return SchemaCompileError(f"strict mode: {message}")


def escape_fragment(key: str) -> str:
    """A property name as a URI-fragment JSON-pointer segment (ajv's ``escapeFragment``)."""
    return quote(key.replace("~", "~0").replace("/", "~1"), safe="!'()*-._~")


_IDENTIFIER = re.compile(r"^[a-z$_][a-z$_0-9]*$", re.I)


def get_property(key: str | int) -> str:
    """A property access as ajv writes it in messages: ``.name``, ``["a b"]`` or ``[0]``."""
    if isinstance(key, int):
        return f"[{key}]"
    if _IDENTIFIER.match(key):
        return f".{key}"
    return f"[{json.dumps(key)}]"


def check_unknown(schema: dict[str, Any]) -> None:
    """Strict mode: every key of a schema object is a keyword ajv knows."""
    for key in schema:
        if key not in KNOWN_KEYWORDS:
            raise strict_error(f'unknown keyword: "{key}"')


def has_rules(schema: dict[str, Any]) -> bool:
    return any(key in RULE_KEYWORDS for key in schema)


def always_valid(schema: Any) -> bool:
    """ajv's ``alwaysValidSchema`` (which also runs the strict unknown-keyword check)."""
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, dict) or not schema:
        return True
    check_unknown(schema)
    return not has_rules(schema)
