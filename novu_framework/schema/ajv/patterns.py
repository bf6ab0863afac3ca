"""Schema patterns compiled once and searched within the validation's time budget.

Mirrors ajv's ``usePattern`` (``lib/vocabularies/code.ts``), which ``pattern``, ``patternProperties`` and
``additionalProperties`` share. A search that runs out of time (``NOVU_REGEX_TIMEOUT_MS``) is an error at
the value searched: at the string for ``pattern``, at the property for a property-name search.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from novu_framework.schema.ajv.checks import Check, Errors, error, prefix
from novu_framework.schema.base import SchemaCompileError
from novu_framework.schema.jsregex import JsPattern, JsRegexError, RegexTimeoutError, compile_js_regex
from novu_framework.schema.pointer import pointer_segment

__all__ = ["key_search", "key_timeouts", "matches_quietly", "schema_pattern", "timed_out"]


def schema_pattern(pattern: str) -> JsPattern:
    """``new RegExp(pattern, "u")``; a pattern JavaScript rejects is a schema compile error."""
    try:
        return compile_js_regex(pattern)
    except JsRegexError as exc:
        raise SchemaCompileError(str(exc)) from exc


def timed_out(exc: RegexTimeoutError) -> Errors:
    """The error for a search that ran out of time."""
    return error(
        f'must match pattern "{exc.pattern}" (gave up: matching took longer than {exc.timeout * 1000:g} ms;'
        " see NOVU_REGEX_TIMEOUT_MS)"
    )


def matches_quietly(pattern: JsPattern, text: str) -> bool:
    """Whether ``pattern`` finds a match in ``text``; a search that times out counts as no match."""
    try:
        return pattern.search(text) is not None
    except RegexTimeoutError:
        return False


class _KeyTimeout(Exception):
    def __init__(self, key: str, cause: RegexTimeoutError) -> None:
        self.key = key
        self.cause = cause


def key_search(pattern: str) -> Callable[[str], Any]:
    """A search of property names; one that times out is reported at the property by :func:`key_timeouts`."""
    search = schema_pattern(pattern).search

    def run(key: str) -> Any:
        try:
            return search(key)
        except RegexTimeoutError as exc:
            raise _KeyTimeout(key, exc) from None

    return run


def key_timeouts(check: Check | None) -> Check | None:
    """``check`` with a :func:`key_search` that times out reported at that property."""
    if check is None:
        return None

    def run(data: Any) -> Errors | None:
        try:
            return check(data)
        except _KeyTimeout as exc:
            return prefix(timed_out(exc.cause), pointer_segment(exc.key))

    return run
