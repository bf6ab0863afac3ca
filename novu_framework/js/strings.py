"""JavaScript strings: the whitespace ``trim()`` and ``Number()`` strip, and UTF-16 code-unit order."""

from __future__ import annotations

import re

__all__ = ["JS_SPACE_CLASS", "JS_WHITESPACE", "compare_strings", "join_surrogate_pairs"]

JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
"""JavaScript's StrWhiteSpaceChar (and ``\\s``): what ``String.prototype.trim`` and ``Number()`` strip."""

JS_SPACE_CLASS = "[" + re.escape(JS_WHITESPACE) + "]"
"""A Python regex character class matching one :data:`JS_WHITESPACE` character."""


def join_surrogate_pairs(text: str) -> str:
    """The string with each surrogate pair held as two code points made the one character it encodes.

    JavaScript strings are UTF-16: ``"\\ud83d\\ude80"`` and ``"🚀"`` are the same string. Lone halves stay.
    """
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")


def compare_strings(left: str, right: str) -> int:
    """Order two strings by UTF-16 code units, as JavaScript does (-1, 0 or 1)."""
    if _has_astral(left) or _has_astral(right):
        lkey, rkey = left.encode("utf-16-be", "surrogatepass"), right.encode("utf-16-be", "surrogatepass")
        return (lkey > rkey) - (lkey < rkey)
    return (left > right) - (left < right)


def _has_astral(text: str) -> bool:
    return any(ord(char) > 0xFFFF for char in text)
