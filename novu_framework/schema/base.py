"""What every schema kind shares: the validation result, the compile error, the ``Schema`` protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel

__all__ = ["DEFAULT_SCHEMA", "Schema", "SchemaCompileError", "ValidationResult"]

DEFAULT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {},
    "required": [],
    "additionalProperties": False,
}
"""The schema used when none is given: an empty strict object (every property is removed)."""


@dataclass(frozen=True)
class ValidationResult:
    """Outcome of one validation.

    ``data`` is always a new value (the input is never mutated): a deep copy with defaults applied and
    disallowed additional properties removed. ``errors`` is ``[]`` when ``ok``; otherwise a list of
    ``{"path": <JSON pointer>, "message": <text>}``, the reference's first error first.
    """

    ok: bool
    data: Any
    errors: list[dict[str, str]] = field(default_factory=list)


class SchemaCompileError(Exception):
    """The schema itself is unusable (ajv strict mode: unknown keyword, unknown format, ...).

    ``str(exc)`` is ajv's message, e.g. ``strict mode: unknown keyword: "example"``.
    """


@runtime_checkable
class Schema(Protocol):
    """A compiled schema: JSON Schema dict (:class:`JsonSchema`) or Pydantic model (:class:`ModelSchema`)."""

    @property
    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema published by discover."""
        ...

    @property
    def model(self) -> type[BaseModel] | None:
        """The Pydantic model, or None for a JSON Schema dict."""
        ...

    def validate(self, data: Any) -> ValidationResult:
        """Validate ``data`` and return the new value or the errors."""
        ...

    def to_python(self, data: Any) -> Any:
        """The value handed to user code: a model instance for a model, ``data`` itself otherwise."""
        ...

    def mock(self) -> Any:
        """Sample data for preview."""
        ...
