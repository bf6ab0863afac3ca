"""Character references decoded as htmlparser2 10.1 decodes them (entities 7.0's ``src/decode.ts``).

The decoder walks the named-reference table as a trie: a legacy name (``amp``, ``copy``…) also decodes
without its ``;``, and in an attribute value a legacy name followed by a letter, digit or ``=`` stays as
written (``&copy=1`` in a URL). Numeric references map the C1 range through Windows-1252 and
surrogates, zero and values beyond U+10FFFF to U+FFFD.

One known difference, on malformed input only: entities 7.0.1's compressed table decodes some named
references without ``;`` wrongly (``?x=1&divideon=2`` in a URL becomes ``?x=1÷on=2``, ``&Ocy `` becomes
``Á``); ours runs the same algorithm on the plain HTML5 table (:data:`html.entities.html5`) and leaves
them as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.entities import html5 as _HTML5_ENTITIES

__all__ = ["decode_entities", "decode_reference"]

_WINDOWS_1252 = {
    0x80: 0x20AC, 0x82: 0x201A, 0x83: 0x0192, 0x84: 0x201E, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
    0x88: 0x02C6, 0x89: 0x2030, 0x8A: 0x0160, 0x8B: 0x2039, 0x8C: 0x0152, 0x8E: 0x017D, 0x91: 0x2018,
    0x92: 0x2019, 0x93: 0x201C, 0x94: 0x201D, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02DC,
    0x99: 0x2122, 0x9A: 0x0161, 0x9B: 0x203A, 0x9C: 0x0153, 0x9E: 0x017E, 0x9F: 0x0178,
}  # fmt: skip
_NUMERIC = re.compile(r"#(?:[xX]([0-9a-fA-F]+)|([0-9]+))(;?)")
_NAMED_WITH_SEMICOLON = re.compile(r"([A-Za-z0-9]+);")


class _EntityTrie:
    """The named-reference table as htmlparser2's decoder walks it.

    A node is a prefix of a name. ``legacy`` names (``amp``, ``copy``…) also decode without the
    semicolon; the others need it.
    """

    def __init__(self) -> None:
        self.prefixes: set[str] = set()
        self.values: dict[str, str] = {}
        self.legacy: set[str] = set()
        for key, value in _HTML5_ENTITIES.items():
            name = key.rstrip(";")
            self.values[name] = value
            if not key.endswith(";"):
                self.legacy.add(name)
            for end in range(1, len(name) + 1):
                self.prefixes.add(name[:end])

    def match(self, text: str, start: int, end: int, attribute: bool) -> tuple[str, int] | None:
        """Decode the named reference at ``text[start:]`` (just after ``&``): (value, end index) or None.

        ``end`` is treated as a character that continues no name: the end of the text, ``<`` or, for
        an attribute, its closing quote or the whitespace/``>`` after an unquoted value.
        """
        node = ""
        result: tuple[str, int] | None = None
        index = start
        while index < end:
            char = text[index]
            if char == ";" and node in self.values:
                return self.values[node], index + 1
            child = node + char
            if child not in self.prefixes:
                break
            node = child
            if node in self.legacy:
                result = (self.values[node], index + 1)
            index += 1
        else:
            char = ""
        if result is None:
            return None
        # In an attribute the decoder gives up unless the deepest node reached is itself a name
        # and the next character cannot continue a word (`&copy=1` stays as written in a URL).
        if attribute and (node not in self.values or (char.isascii() and (char.isalnum() or char == "="))):
            return None
        return result


@lru_cache(maxsize=1)
def _entity_trie() -> _EntityTrie:
    return _EntityTrie()


def _code_point(number: int) -> str:
    if 0xD800 <= number <= 0xDFFF or number > 0x10FFFF or number == 0:
        return "\ufffd"
    return chr(_WINDOWS_1252.get(number, number))


def decode_entities(text: str, start: int, end: int, attribute: bool) -> str:
    """``text[start:end]`` with its character references decoded the way htmlparser2 decodes them.

    ``attribute``: the text is an attribute value (stricter about legacy names without ``;``).
    """
    amp = text.find("&", start, end)
    if amp < 0:
        return text[start:end]
    parts: list[str] = []
    done = start
    while amp >= 0:
        decoded = decode_reference(text, amp + 1, end, attribute)
        if decoded is not None:
            parts.append(text[done:amp])
            parts.append(decoded[0])
            done = decoded[1]
            amp = text.find("&", done, end)
        else:
            amp = text.find("&", amp + 1, end)
    parts.append(text[done:end])
    return "".join(parts)


def decode_reference(text: str, start: int, end: int, attribute: bool) -> tuple[str, int] | None:
    """The reference at ``text[start:end]`` (just after its ``&``): (value, index after it), or None."""
    if start >= end:
        return None
    if text[start] == "#":
        numeric = _NUMERIC.match(text, start, end)
        if numeric is None:
            return None
        hex_digits, decimal_digits, _ = numeric.groups()
        digits = (hex_digits or decimal_digits).lstrip("0")
        if len(digits) > 8:  # beyond U+10FFFF whatever the base (and beyond int()'s digit limit)
            return "\ufffd", numeric.end()
        return _code_point(int(digits or "0", 16 if hex_digits else 10)), numeric.end()
    quick = _NAMED_WITH_SEMICOLON.match(text, start, end)
    if quick is not None:
        value = _HTML5_ENTITIES.get(quick.group(0))
        if value is not None:
            return value, quick.end()
    return _entity_trie().match(text, start, end, attribute)
