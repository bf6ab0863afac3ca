"""Filters of the Inbox API, validated as the platform validates them, and echoed back exactly
(the ``<Inbox />`` UI keeps a page only if the echo equals what it asked for)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from novu_framework.js.json import JsonParseError, loads
from novu_framework.runtime.store.inbox import InboxFilter, WorkflowSet
from novu_framework.workflow import Workflow

MAX_LIMIT = 100
MAX_OFFSET = 100_000
MAX_COUNT_FILTERS = 30
MAX_TAGS = 100
SEVERITIES = ("high", "medium", "low", "none")
_FLAGS = ("read", "archived", "snoozed", "seen")


class InboxRequestError(Exception):
    """A request the API refuses: ``status`` and a ``message`` naming the field and what was expected."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def bad(message: str) -> InboxRequestError:
    return InboxRequestError(400, message)


def _flag(name: str, value: Any) -> bool:
    if value is True or value == "true":
        return True
    if value is False or value == "false":
        return False
    raise bad(f"{name} must be a boolean (true or false), got {value!r}")


def _strings(name: str, values: Any) -> list[str]:
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise bad(f"{name} must be an array of strings")
    if len(values) > MAX_TAGS:
        raise bad(f"{name} must have at most {MAX_TAGS} items")
    return list(values)


def _severity(values: Any) -> list[str]:
    out = _strings("severity", values)
    for value in out:
        if value not in SEVERITIES:
            raise bad(f"severity must be one of {', '.join(SEVERITIES)}, got {value!r}")
    return out


def _data(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = loads(value)
        except JsonParseError:
            raise bad("data must be a JSON object") from None
    if not isinstance(value, dict):
        raise bad("data must be a JSON object")
    return value


def _int(name: str, value: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise bad(f"{name} must be an integer, got {value!r}") from None
    if not low <= number <= high:
        raise bad(f"{name} must be between {low} and {high}, got {number}")
    return number


def _check(echo: Mapping[str, Any]) -> None:
    if echo.get("read") is False and echo.get("archived") is True:
        raise bad("Filtering for unread and archived notifications is not supported.")


def _filter_from(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The echo of one filter (only the keys given, typed), validated."""
    echo: dict[str, Any] = {}
    if "tags" in raw:
        echo["tags"] = _strings("tags", raw["tags"])
    for flag in _FLAGS:
        if flag in raw:
            echo[flag] = _flag(flag, raw[flag])
    if "data" in raw:
        echo["data"] = _data(raw["data"])
    if "severity" in raw:
        echo["severity"] = _severity(raw["severity"])
    _check(echo)
    return echo


def list_query(query: Mapping[str, list[str]]) -> tuple[dict[str, Any], int, str | None, int]:
    """The list route's query: (filter echo, limit, after, offset)."""

    def one(name: str) -> str | None:
        values = query.get(name)
        if not values:
            return None
        if len(values) > 1:
            raise bad(f"{name} must be given once")
        return values[0]

    limit = one("limit")
    offset = one("offset")
    raw: dict[str, Any] = {}
    tags = query.get("tags[]", []) + query.get("tags", [])
    if tags or "tags[]" in query:
        raw["tags"] = tags
    for flag in _FLAGS:
        value = one(flag)
        if value is not None:
            raw[flag] = value
    data = one("data")
    if data is not None:
        raw["data"] = data
    severity = query.get("severity[]", []) + query.get("severity", [])
    if severity:
        raw["severity"] = severity
    echo = _filter_from(raw)
    return (
        echo,
        10 if limit is None else _int("limit", limit, 1, MAX_LIMIT),
        one("after") or None,
        0 if offset is None else _int("offset", offset, 0, MAX_OFFSET),
    )


def count_filters(query: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """The count route's ``filters``: a JSON array of filters (at most 30)."""
    values = query.get("filters")
    if not values:
        raise bad("filters is required: a JSON array of notification filters")
    if len(values) > 1:
        raise bad("filters must be given once")
    try:
        parsed = loads(values[0])
    except JsonParseError:
        raise bad("filters must be a JSON array of notification filters") from None
    if not isinstance(parsed, list) or not all(isinstance(f, dict) for f in parsed):
        raise bad("filters must be a JSON array of notification filters (objects)")
    if len(parsed) > MAX_COUNT_FILTERS:
        raise bad(f"filters must have at most {MAX_COUNT_FILTERS} items, got {len(parsed)}")
    return [_filter_from(f) for f in parsed]


def bulk_body(body: Any, *, with_ids: bool) -> tuple[dict[str, Any], list[str] | None]:
    """The bulk routes' body ``{tags?, data?: "<JSON>"}`` (and ``notificationIds?`` for seen)."""
    if body is None:
        body = {}
    if not isinstance(body, dict):
        raise bad("the body must be a JSON object")
    allowed = {"tags", "data", "notificationIds"} if with_ids else {"tags", "data"}
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise bad(f"unknown field(s) {unknown}; expected {sorted(allowed)}")
    echo = _filter_from({k: body[k] for k in ("tags", "data") if k in body and body[k] is not None})
    ids = None
    if with_ids and body.get("notificationIds") is not None:
        ids = _strings("notificationIds", body["notificationIds"])
    return echo, ids


def store_filter(echo: Mapping[str, Any], workflows: Mapping[str, Workflow]) -> InboxFilter:
    """The store's filter for an echo: tags and severity become the workflows that have them."""
    chosen: WorkflowSet | None = None
    tags = echo.get("tags")
    if tags:
        wanted = set(tags)
        chosen = WorkflowSet(frozenset(w.id for w in workflows.values() if wanted & set(w.tags)))
    severity = echo.get("severity")
    if severity:
        levels = set(severity)
        matching = frozenset(w.id for w in workflows.values() if w.severity in levels)
        if chosen is not None:
            chosen = WorkflowSet(chosen.ids & matching)
        elif "none" in levels:  # messages of workflows no longer registered count as severity none
            chosen = WorkflowSet(frozenset(workflows) - matching, exclude=True)
        else:
            chosen = WorkflowSet(matching)
    return InboxFilter(
        read=echo.get("read"),
        seen=echo.get("seen"),
        archived=echo.get("archived"),
        workflows=chosen,
        data=echo.get("data") or None,
        nothing=echo.get("snoozed") is True,
    )


def severity_counts(per_workflow: Mapping[str, int], workflows: Mapping[str, Workflow]) -> dict[str, Any]:
    """``{total, severity: {high, medium, low, none}}`` from unread counts per workflow."""
    levels = dict.fromkeys(SEVERITIES, 0)
    for workflow_id, count in per_workflow.items():
        wf = workflows.get(workflow_id)
        level = wf.severity if wf is not None and wf.severity in levels else "none"
        levels[level] += count
    return {"total": sum(per_workflow.values()), "severity": levels}
