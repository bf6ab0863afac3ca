"""``srcset`` values filtered as sanitize-html filters them, with parse-srcset 1.0's tokenizer.

A candidate (``url [n w] [n h] [n x]``) survives when its descriptors are valid and its URL passes the
scheme check; sanitize-html then writes the survivors back, joined by ``, ``, with their numbers in
JavaScript's form.
"""

from __future__ import annotations

import re

from novu_framework.js.numbers import number_to_string as js_number
from novu_framework.sanitize.policy import has_disallowed_scheme
from novu_framework.sanitize.tokenizer import end_of

__all__ = ["filter_srcset"]

_SEPARATORS = re.compile(r"[, \t\n\r\f]*")
_URL = re.compile(r"[^ \t\n\r\f]*")
_SPACES = re.compile(r"[ \t\n\r\f]*")
_NON_NEGATIVE_INTEGER = re.compile(r"[0-9]+")
_FLOATING_POINT = re.compile(r"-?(?:[0-9]+|[0-9]*\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _descriptors(text: str, pos: int) -> tuple[list[str], int]:
    """parse-srcset's descriptor tokenizer: the descriptors after a URL and the position after them."""
    pos = end_of(_SPACES, text, pos)
    descriptors: list[str] = []
    current = ""
    state = "descriptor"
    while True:
        char = text[pos] if pos < len(text) else ""
        if state == "descriptor":
            if char in " \t\n\f\r" and char:
                if current:
                    descriptors.append(current)
                    current = ""
                    state = "after"
            elif char == ",":
                if current:
                    descriptors.append(current)
                return descriptors, pos + 1
            elif char == "(":
                current += char
                state = "parens"
            elif not char:
                if current:
                    descriptors.append(current)
                return descriptors, pos
            else:
                current += char
        elif state == "parens":
            if char == ")":
                current += char
                state = "descriptor"
            elif not char:
                descriptors.append(current)
                return descriptors, pos
            else:
                current += char
        elif not char:
            return descriptors, pos
        elif char not in " \t\n\f\r":
            state = "descriptor"
            pos -= 1
        pos += 1


def _candidate(url: str, descriptors: list[str]) -> str | None:
    """One ``url [n w] [n h] [n x]`` candidate as sanitize-html re-writes it, or None when invalid."""
    width: float = 0
    height: float = 0
    density: float = 0
    for descriptor in descriptors:
        kind, value = descriptor[-1], descriptor[:-1]
        # float() reads these like JavaScript's parseInt/parseFloat: rounded, `Infinity` when too large.
        if kind == "w" and _NON_NEGATIVE_INTEGER.fullmatch(value):
            if width or density or not float(value):
                return None
            width = float(value)
        elif kind == "x" and _FLOATING_POINT.fullmatch(value):
            if width or density or height or float(value) < 0:
                return None
            density = float(value)
        elif kind == "h" and _NON_NEGATIVE_INTEGER.fullmatch(value):
            if height or density or not float(value):
                return None
            height = float(value)
        else:
            return None
    if has_disallowed_scheme(url):
        return None
    return (
        url
        + (f" {js_number(width)}w" if width else "")
        + (f" {js_number(height)}h" if height else "")
        + (f" {js_number(density)}x" if density else "")
    )


def filter_srcset(value: str) -> str | None:
    """The srcset with invalid or unsafe candidates removed; None when none is left."""
    candidates: list[str] = []
    pos = 0
    while True:
        pos = end_of(_SEPARATORS, value, pos)
        if pos >= len(value):
            break
        url_end = end_of(_URL, value, pos)
        url, pos = value[pos:url_end], url_end
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            descriptors, pos = _descriptors(value, pos)
        candidate = _candidate(url, descriptors)
        if candidate is not None:
            candidates.append(candidate)
    return ", ".join(candidates) if candidates else None
