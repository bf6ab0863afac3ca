"""The reference's own filters: ``json`` (override), ``digest`` (D6 fix), ``toSentence`` and ``pluralize``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from novu_framework.templating.filters._support import FilterFailure, arg
from novu_framework.templating.inflection import NpmPluralize
from novu_framework.templating.js import (
    UNDEFINED,
    compare,
    format_number,
    is_nil,
    is_number,
    js_join,
    js_str,
    js_truthy,
    json_stringify,
    print_value,
    string_to_number,
    stringify,
    to_number,
    to_value,
)

_INFLECTOR = NpmPluralize()


@functools.lru_cache(maxsize=1024)
def _inflected(word: str, singular: bool) -> str:
    return _INFLECTOR.singular(word) if singular else _INFLECTOR.plural(word)


def inflect(word: Any, count: int | float) -> str:
    """``pluralize(word, count)`` of npm pluralize: singular when ``count === 1``, else plural."""
    if not isinstance(word, str):
        raise FilterFailure("pluralize expects a string word")
    return _inflected(word, count == 1)


def json(value: Any, *args: Any) -> str:
    """``JSON.stringify(value, null, indent)`` with ``"`` printed as ``'``; nil prints nothing."""
    return print_value(value, arg(args, 0, 0))


def _js_property(obj: Any, key: str) -> Any:
    if isinstance(obj, dict):
        return obj.get(key, UNDEFINED)
    if isinstance(obj, list):
        if key == "length":
            return len(obj)
        if key.isascii() and key.isdigit() and (key == "0" or key[0] != "0") and int(key) < len(obj):
            return obj[int(key)]
    return UNDEFINED


def get_path(obj: Any, key_path: Any) -> str:
    """The reference's ``getPath``: walk a dotted path and print what is found (objects as JSON)."""
    value = obj
    for key in stringify(key_path).split("."):
        value = _js_property(value, key) if isinstance(value, (dict, list)) else UNDEFINED
    if is_nil(value):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or is_number(value):
        return js_str(value)
    if isinstance(value, (dict, list)):
        text = json_stringify(value) or ""
        return "" if text == "{}" else text
    return ""


def _names(items: list[Any], key_path: Any) -> list[Any]:
    if not js_truthy(key_path):
        return items
    return [get_path(item, key_path) if isinstance(item, (dict, list)) else "" for item in items]


def _slice_end(limit: Any) -> int:
    number = to_number(limit)
    if number != number:
        return 0
    return int(max(min(number, 2**31), -(2**31)))


def _at_least(left: Any, right: Any) -> bool:
    return compare(left, right) in (0, 1)


def digest(value: Any, *args: Any) -> Any:
    """``"A, B and 2 others"``. D6: when every name fits, they are all printed, never an empty one."""
    items = to_value(value)
    if not isinstance(items, list) or not items:
        return ""
    limit, separator = arg(args, 0, 2), js_str(arg(args, 2, ", "))
    names = _names(items, arg(args, 1))
    if len(names) == 1:
        return names[0]
    if len(names) == 2 or _at_least(limit, len(names)):
        return f"{js_join(names[:-1], separator)} and {js_str(names[-1])}"
    rest = len(names) - to_number(limit)
    shown = js_join(names[: _slice_end(limit)], separator)
    return f"{shown} and {format_number(rest)} {'other' if rest == 1 else 'others'}"


def to_sentence(value: Any, *args: Any) -> Any:
    """``"A, B, and 2 others"`` with configurable connectors and overflow noun."""
    items = to_value(value)
    if not isinstance(items, list) or not items:
        return ""
    limit = arg(args, 1, 2)
    items_name = arg(args, 2, "other")
    words_connector, two_words_connector, last_word_connector = (
        js_str(arg(args, 3, ", ")),
        js_str(arg(args, 4, " and ")),
        js_str(arg(args, 5, ", and ")),
    )
    names = _names(items, arg(args, 0, ""))
    count = len(names)
    if count == 1:
        return names[0]
    if count == 2:
        return f"{js_str(names[0])}{two_words_connector}{js_str(names[1])}"
    if _at_least(limit, count):
        return f"{js_join(names[:-1], words_connector)}{last_word_connector}{js_str(names[-1])}"
    rest = count - to_number(limit)
    connector = two_words_connector if is_number(limit) and limit == 1 else last_word_connector
    shown = js_join(names[: _slice_end(limit)], words_connector)
    return f"{shown}{connector}{format_number(rest)} {inflect(items_name, rest)}"


def _count(value: Any) -> int | float:
    if isinstance(value, (list, dict)):
        return len(value)
    if isinstance(value, str):
        return string_to_number(value)
    return to_number(value)


def pluralize(value: Any, *args: Any) -> Any:
    """``"3 items"``: the count (arrays by length, objects by keys) and the word in the right number."""
    value = to_value(value)
    if is_nil(value):
        return ""
    count = _count(value)
    if count != count or count <= 0:
        return ""
    singular, plural, show_count = arg(args, 0, ""), arg(args, 1, ""), arg(args, 2, "true")
    word = (singular if count == 1 else plural) if js_truthy(plural) else inflect(singular, count)
    return f"{format_number(count)} {js_str(word)}" if show_count == "true" else word


FILTERS: dict[str, Callable[..., Any]] = {
    "json": json,
    "digest": digest,
    "toSentence": to_sentence,
    "pluralize": pluralize,
}
