"""liquidjs string filters (``append`` ... ``array_to_sentence_string``), counting code points."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from novu_framework.templating.filters._support import FilterFailure, arg, to_array
from novu_framework.templating.js import JS_SPACE_CLASS, JS_WHITESPACE, js_join, js_str, stringify, to_number
from novu_framework.templating.limits import current_budget

_SPACES = re.compile(JS_SPACE_CLASS + "+")
_LINE_BREAK = re.compile(r"\r?\n")
_CJK = "\u4e00-\u9fff\uf900-\ufaff\u3400-\u4dbf\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_NON_CJK_WORD = re.compile(f"[^{_CJK}{re.escape(JS_WHITESPACE)}]+")


def _int_arg(value: Any, default: int) -> int:
    number = to_number(value)
    if number != number:
        return default
    if number in (float("inf"), float("-inf")):
        return 2**53 if number > 0 else -(2**53)
    return int(number)


def append(value: Any, *args: Any) -> str:
    if len(args) != 1:
        raise FilterFailure("append expect 2 arguments")
    return stringify(value) + stringify(args[0])


def prepend(value: Any, *args: Any) -> str:
    if len(args) != 1:
        raise FilterFailure("prepend expect 2 arguments")
    return stringify(args[0]) + stringify(value)


def _trim_start(text: str, chars: set[str]) -> str:
    start = 0
    while start < len(text) and text[start] in chars:
        start += 1
    return text[start:]


def _trim_end(text: str, chars: set[str]) -> str:
    end = len(text)
    while end > 0 and text[end - 1] in chars:
        end -= 1
    return text[:end]


def lstrip(value: Any, *args: Any) -> str:
    text, chars = stringify(value), arg(args, 0, None)
    if chars:
        return _trim_start(text, set(stringify(chars)))
    return text.lstrip(JS_WHITESPACE)


def rstrip(value: Any, *args: Any) -> str:
    text, chars = stringify(value), arg(args, 0, None)
    if chars:
        return _trim_end(text, set(stringify(chars)))
    return text.rstrip(JS_WHITESPACE)


def strip(value: Any, *args: Any) -> str:
    text, chars = stringify(value), arg(args, 0, None)
    if chars:
        charset = set(stringify(chars))
        return _trim_end(_trim_start(text, charset), charset)
    return text.strip(JS_WHITESPACE)


def downcase(value: Any, *_: Any) -> str:
    return stringify(value).lower()


def upcase(value: Any, *_: Any) -> str:
    return stringify(value).upper()


def capitalize(value: Any, *_: Any) -> str:
    text = stringify(value)
    return text[:1].upper() + text[1:].lower()


def remove(value: Any, *args: Any) -> str:
    text, pattern = stringify(value), stringify(arg(args, 0))
    return text.replace(pattern, "") if pattern else text


def remove_first(value: Any, *args: Any) -> str:
    return stringify(value).replace(stringify(arg(args, 0)), "", 1)


def remove_last(value: Any, *args: Any) -> str:
    text, pattern = stringify(value), stringify(arg(args, 0))
    index = text.rfind(pattern)
    if index == -1:
        return text
    return text[:index] + text[index + len(pattern) :]


def replace(value: Any, *args: Any) -> str:
    text, pattern, replacement = stringify(value), stringify(arg(args, 0)), stringify(arg(args, 1))
    budget = current_budget()
    if budget is not None and len(replacement) > len(pattern):
        # Checked before the string is built: ``replace: '', long`` multiplies the length.
        count = max(len(text) - 1, 0) if not pattern else text.count(pattern)
        budget.check_string(len(text) + count * (len(replacement) - len(pattern)))
    if not pattern:
        # JavaScript's split("") cuts between characters only, never before the first or after the last.
        return replacement.join(text)
    return text.replace(pattern, replacement)


def replace_first(value: Any, *args: Any) -> str:
    return stringify(value).replace(stringify(arg(args, 0)), stringify(arg(args, 1)), 1)


def replace_last(value: Any, *args: Any) -> str:
    text, pattern, replacement = stringify(value), stringify(arg(args, 0)), stringify(arg(args, 1))
    index = text.rfind(pattern)
    if index == -1:
        return text
    return text[:index] + replacement + text[index + len(pattern) :]


def split(value: Any, *args: Any) -> list[str]:
    text, separator = stringify(value), stringify(arg(args, 0))
    parts = list(text) if separator == "" else text.split(separator)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def strip_newlines(value: Any, *_: Any) -> str:
    return _LINE_BREAK.sub("", stringify(value))


def squish(value: Any, *_: Any) -> str:
    return _SPACES.sub(" ", stringify(value)).strip(JS_WHITESPACE)


def normalize_whitespace(value: Any, *_: Any) -> str:
    return _SPACES.sub(" ", stringify(value))


def truncate(value: Any, *args: Any) -> Any:
    text, ellipsis = stringify(value), stringify(arg(args, 1, "..."))
    length = _int_arg(arg(args, 0, 50), 0)
    if len(text) <= length:
        return value
    return text[: max(length - len(ellipsis), 0)] + ellipsis


def truncatewords(value: Any, *args: Any) -> str:
    text, ellipsis = stringify(value), stringify(arg(args, 1, "..."))
    words = _int_arg(arg(args, 0, 15), 0)
    parts = _SPACES.split(text.lstrip(JS_WHITESPACE))
    words = max(words, 1)
    result = " ".join(parts[:words])
    if len(parts) >= words:
        result += ellipsis
    return result


def number_of_words(value: Any, *args: Any) -> int:
    text = stringify(value).strip(JS_WHITESPACE)
    if not text:
        return 0
    mode = arg(args, 0, None)
    if mode == "cjk" or (mode == "auto" and _CJK_CHAR.search(text)):
        return len(_CJK_CHAR.findall(text)) + len(_NON_CJK_WORD.findall(text))
    return len(_SPACES.split(text))


def array_to_sentence_string(value: Any, *args: Any) -> Any:
    items, connector = to_array(value), stringify(arg(args, 0, "and"))
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{js_str(items[0])} {connector} {js_str(items[1])}"
    return f"{js_join(items[:-1], ', ')}, {connector} {js_str(items[-1])}"


FILTERS: dict[str, Callable[..., Any]] = {
    "append": append,
    "prepend": prepend,
    "lstrip": lstrip,
    "rstrip": rstrip,
    "strip": strip,
    "downcase": downcase,
    "upcase": upcase,
    "capitalize": capitalize,
    "remove": remove,
    "remove_first": remove_first,
    "remove_last": remove_last,
    "replace": replace,
    "replace_first": replace_first,
    "replace_last": replace_last,
    "split": split,
    "strip_newlines": strip_newlines,
    "squish": squish,
    "normalize_whitespace": normalize_whitespace,
    "truncate": truncate,
    "truncatewords": truncatewords,
    "number_of_words": number_of_words,
    "array_to_sentence_string": array_to_sentence_string,
}
