"""JavaScript regular expressions as Python ``regex`` patterns that match what JavaScript matches.

The pattern is translated token by token: ``\\d`` and ``\\w`` are ASCII, ``\\s`` is JavaScript's whitespace
set, ``.`` excludes line terminators, ``$`` is the end of the input only, ``\\b`` is an ASCII word boundary,
named groups use Python's syntax, back-references to groups not matched yet match the empty string, and
``\\p{...}`` property escapes are passed on (``u`` flag). A pattern JavaScript itself rejects raises
:class:`JsRegexError` with V8's wording. The searches themselves, bounded in time, are in
:mod:`novu_framework.schema.jsregex`.
"""

from __future__ import annotations

import re

__all__ = ["JsRegexError", "translate"]

_WS_CLASS_ITEMS = (
    "\\t\\n\\x0b\\x0c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_DIGIT_ITEMS = "0-9"
_WORD_ITEMS = "A-Za-z0-9_"
_LINE_TERMINATORS = "\\n\\r\\u2028\\u2029"
_ANY = "[\\s\\S]"
_WORD_BOUNDARY = "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))"
_NOT_WORD_BOUNDARY = "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))"
_SYNTAX_CHARS = set("^$\\.*+?()[]{}|/")
_CLASS_SHORTHANDS = {"d": _DIGIT_ITEMS, "w": _WORD_ITEMS, "s": _WS_CLASS_ITEMS}
_CONTROL_ESCAPES = {"t": "\t", "n": "\n", "v": "\v", "f": "\f", "r": "\r"}


class JsRegexError(ValueError):
    """The pattern is not a valid JavaScript regular expression, or uses a feature Python lacks."""


_PROPERTY = re.compile(r"\{([A-Za-z_]+(?:=[A-Za-z_0-9]+)?)\}")


def _literal(char: str) -> str:
    """One character as a Python regex literal (safe inside and outside classes)."""
    code = ord(char)
    if char.isalnum() and code < 128:
        return char
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


class _Translator:
    def __init__(self, pattern: str, unicode: bool) -> None:
        self.source = pattern
        self.unicode = unicode
        self.pos = 0
        self.groups = 0
        self.names: list[str] = []
        self.out: list[str] = []
        self.open_groups: list[int] = []
        self.open_named: list[int] = []
        tokens = re.finditer(r"\\.|\[(?:\\.|[^\]\\])*\]|\((?:\?<(?![=!])|(?!\?))", pattern)
        self.total_groups = sum(1 for token in tokens if token.group(0).startswith("("))
        self.all_names = set(re.findall(r"\(\?<(?![=!])([^>]*)>", pattern))

    # --- helpers ---------------------------------------------------------------------------------

    def fail(self, reason: str) -> JsRegexError:
        flag = "u" if self.unicode else ""
        return JsRegexError(f"Invalid regular expression: /{self.source}/{flag}: {reason}")

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.source[index] if index < len(self.source) else ""

    def _hex(self, count: int) -> int | None:
        text = self.source[self.pos : self.pos + count]
        if len(text) == count and all(c in "0123456789abcdefABCDEF" for c in text):
            self.pos += count
            return int(text, 16)
        return None

    def _unicode_escape(self) -> int | None:
        """After ``\\u``: the code point of ``XXXX`` / ``{X...}`` (surrogate pairs joined in u-mode)."""
        if self.unicode and self.peek() == "{":
            end = self.source.find("}", self.pos)
            digits = self.source[self.pos + 1 : end] if end > 0 else ""
            if (
                not digits
                or not all(c in "0123456789abcdefABCDEF" for c in digits)
                or int(digits, 16) > 0x10FFFF
            ):
                raise self.fail("Invalid Unicode escape")
            self.pos = end + 1
            return int(digits, 16)
        value = self._hex(4)
        if value is None:
            if self.unicode:
                raise self.fail("Invalid Unicode escape")
            return None
        if self.unicode and 0xD800 <= value <= 0xDBFF and self.source.startswith("\\u", self.pos):
            save = self.pos
            self.pos += 2
            low = self._hex(4)
            if low is not None and 0xDC00 <= low <= 0xDFFF:
                return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
            self.pos = save
        return value

    def _char_escape(self, in_class: bool) -> str | None:
        """Escapes that stand for one character; returns it, or None when the escape is something else.

        ``self.pos`` is just after the backslash.
        """
        char = self.peek()
        if char in _CONTROL_ESCAPES:
            self.pos += 1
            return _CONTROL_ESCAPES[char]
        if char == "0" and not self.peek(1).isdigit():
            self.pos += 1
            return "\0"
        if char == "b" and in_class:
            self.pos += 1
            return "\b"
        if char == "-" and in_class and self.unicode:
            self.pos += 1
            return "-"
        if char == "c":
            letter = self.peek(1)
            if letter.isascii() and letter.isalpha():
                self.pos += 2
                return chr(ord(letter) % 32)
            if self.unicode:
                raise self.fail("Invalid Unicode escape")
            return "\\"  # the backslash is a literal and `c` follows
        if char == "x":
            self.pos += 1
            value = self._hex(2)
            if value is None:
                if self.unicode:
                    raise self.fail("Invalid escape")
                return "x"
            return chr(value)
        if char == "u":
            self.pos += 1
            code = self._unicode_escape()
            return "u" if code is None else chr(code)
        return None

    # --- character classes -----------------------------------------------------------------------

    def _class(self) -> str:
        """``[...]`` with ``self.pos`` after ``[``; returns Python regex text."""
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        items: list[str] = []  # positive class items (Python class syntax)
        extra: list[str] = []  # negated shorthands, as whole Python sub-expressions
        last_single: str | None = None  # the previous atom if it was one character (for ranges)
        after_set = False  # the previous atom was \\d, \\w or \\s (cannot start a range in u-mode)
        while True:
            char = self.peek()
            if char == "":
                raise self.fail("Unterminated character class")
            if char == "]":
                self.pos += 1
                break
            if char == "-" and after_set and self.unicode and self.peek(1) not in ("]", ""):
                raise self.fail("Invalid character class")
            if char == "-" and last_single is not None and self.peek(1) not in ("]", ""):
                self.pos += 1
                start = last_single
                end_char = self._class_atom(items, extra, allow_set=False)
                if end_char is None:
                    raise self.fail("Invalid character class")
                if ord(end_char) < ord(start):
                    raise self.fail("Range out of order in character class")
                items.pop()
                items.append(f"{_literal(start)}-{_literal(end_char)}")
                last_single = None
                continue
            size = len(items) + len(extra)
            last_single = self._class_atom(items, extra, allow_set=True)
            after_set = last_single is None and len(items) + len(extra) > size
        if not items and not extra:
            return _ANY if negated else "(?!)"
        if not extra:
            return f"[{'^' if negated else ''}{''.join(items)}]"
        union = "|".join(([f"[{''.join(items)}]"] if items else []) + extra)
        return f"(?:(?!{union}){_ANY})" if negated else f"(?:{union})"

    def _class_atom(self, items: list[str], extra: list[str], allow_set: bool) -> str | None:
        """Consume one class atom, append it to ``items``/``extra``; return it if it is a single char."""
        char = self.peek()
        self.pos += 1
        if char != "\\":
            items.append(_literal(char))
            return char
        escaped = self.peek()
        if escaped == "":
            raise self.fail("\\ at end of pattern")
        lower = escaped.lower()
        if lower in _CLASS_SHORTHANDS:
            if not allow_set and self.unicode:
                raise self.fail("Invalid character class")
            self.pos += 1
            if escaped == lower:
                items.append(_CLASS_SHORTHANDS[lower])
            else:
                extra.append(f"[^{_CLASS_SHORTHANDS[lower]}]")
            return None
        if lower == "p" and self.unicode:
            items.append(self._property())
            return None
        single = self._char_escape(in_class=True)
        if single is None:
            if escaped.isdigit() and self.unicode:
                raise self.fail("Invalid class escape")
            if self.unicode and escaped not in _SYNTAX_CHARS:
                raise self.fail("Invalid escape")
            self.pos += 1
            single = escaped
        items.append(_literal(single))
        return single

    def _property(self) -> str:
        """``\\p{Name}`` / ``\\P{Name=Value}`` with ``self.pos`` on the ``p``."""
        match = _PROPERTY.match(self.source, self.pos + 1)
        if match is None:
            raise self.fail("Invalid property name")
        text = f"\\{self.source[self.pos]}{{{match[1]}}}"
        import regex  # the translation itself needs only ``re``

        try:
            regex.compile(text)
        except regex.error:
            raise self.fail("Invalid property name") from None
        self.pos = match.end()
        return text

    # --- the rest --------------------------------------------------------------------------------

    def _escape(self) -> str:
        """Outside a class, ``self.pos`` after the backslash."""
        escaped = self.peek()
        if escaped == "":
            raise self.fail("\\ at end of pattern")
        lower = escaped.lower()
        if lower in _CLASS_SHORTHANDS:
            self.pos += 1
            return f"[{'^' if escaped != lower else ''}{_CLASS_SHORTHANDS[lower]}]"
        if escaped == "b":
            self.pos += 1
            return _WORD_BOUNDARY
        if escaped == "B":
            self.pos += 1
            return _NOT_WORD_BOUNDARY
        if lower == "p" and self.unicode:
            return self._property()
        if escaped == "k" and (self.unicode or self.names):
            end = self.source.find(">", self.pos)
            if self.peek(1) != "<" or end < 0:
                raise self.fail("Invalid named reference")
            name = self.source[self.pos + 2 : end]
            if name not in self.all_names:
                raise self.fail("Invalid named capture referenced")
            self.pos = end + 1
            if name not in self.names or self.names.index(name) + 1 in self.open_named:
                return "(?:)"
            return f"(?P={name})"
        if escaped.isdigit() and escaped != "0":
            start = self.pos
            while self.peek().isdigit():
                self.pos += 1
            number = int(self.source[start : self.pos])
            if number > self.total_groups:
                if self.unicode:
                    raise self.fail("Invalid escape")
                self.pos = start
                return _literal(self._char_escape(in_class=False) or escaped)
            if number > self.groups or number in self.open_groups:
                return "(?:)"  # JavaScript: a reference to a group not matched yet matches the empty string
            return f"(?:\\{number})"
        single = self._char_escape(in_class=False)
        if single is not None:
            return _literal(single)
        if self.unicode and escaped not in _SYNTAX_CHARS:
            raise self.fail("Invalid escape")
        self.pos += 1
        return _literal(escaped)

    def _open_group(self) -> tuple[str, int]:
        """After ``(``: emit the Python group opener; returns the group's kind and number (0 if none)."""
        if self.peek() != "?":
            self.groups += 1
            self.open_groups.append(self.groups)
            self.out.append("(")
            return ("capture", self.groups)
        next_char = self.peek(1)
        if next_char == ":":
            self.out.append("(?:")
            self.pos += 2
            return ("group", 0)
        if next_char in ("=", "!"):
            self.out.append("(?" + next_char)
            self.pos += 2
            return ("look", 0)
        if next_char == "<" and self.peek(2) in ("=", "!"):
            self.out.append("(?<" + self.peek(2))
            self.pos += 3
            return ("look", 0)
        if next_char != "<":
            raise self.fail("Invalid group")
        end = self.source.find(">", self.pos)
        name = self.source[self.pos + 2 : end] if end > 0 else ""
        if not name.isidentifier():
            raise self.fail("Invalid capture group name")
        if name in self.names:
            raise self.fail("Duplicate capture group name")
        self.names.append(name)
        self.groups += 1
        self.open_groups.append(self.groups)
        self.open_named.append(self.groups)
        self.out.append(f"(?P<{name}>")
        self.pos = end + 1
        return ("capture", self.groups)

    def _quantifier_brace(self) -> str | None:
        match = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.source, self.pos)
        if match is None:
            return None
        low, high = int(match.group(1)), match.group(3)
        if high and int(high) < low:
            raise self.fail("numbers out of order in {} quantifier")
        self.pos = match.end()
        return match.group(0)

    def _quantifier(self, text: str, can_quantify: bool) -> None:
        """Emit a quantifier (``*``, ``+``, ``?`` or ``{n,m}``) and its lazy ``?`` if one follows."""
        if not can_quantify:
            raise self.fail("Nothing to repeat")
        self.out.append(text)
        if self.peek() == "?":
            self.out.append("?")
            self.pos += 1

    def translate(self) -> str:
        out = self.out
        can_quantify = False
        after_lookaround = False
        stack: list[tuple[str, int]] = []  # open groups: (kind, group number)
        while self.pos < len(self.source):
            char = self.source[self.pos]
            self.pos += 1
            if char in "*+?{" and after_lookaround and self.unicode:
                raise self.fail("Invalid quantifier")
            after_lookaround = False
            if char == "\\":
                out.append(self._escape())
                can_quantify = True
            elif char == "[":
                out.append(self._class())
                can_quantify = True
            elif char == "(":
                stack.append(self._open_group())
                can_quantify = False
            elif char == ")":
                if not stack:
                    raise self.fail("Unmatched ')'")
                kind, number = stack.pop()
                if number in self.open_groups:
                    self.open_groups.remove(number)
                if number in self.open_named:
                    self.open_named.remove(number)
                after_lookaround = kind == "look"
                out.append(")")
                can_quantify = True
            elif char in "*+?":
                self._quantifier(char, can_quantify)
                can_quantify = False
            elif char == "{":
                self.pos -= 1
                brace = self._quantifier_brace()
                if brace is None:
                    if self.unicode:
                        raise self.fail(
                            "Incomplete quantifier" if can_quantify else "Lone quantifier brackets"
                        )
                    self.pos += 1
                    out.append("\\{")
                    can_quantify = True
                    continue
                self._quantifier(brace, can_quantify)
                can_quantify = False
            elif char in "}]":
                if self.unicode:
                    raise self.fail("Lone quantifier brackets")
                out.append(_literal(char))
                can_quantify = True
            elif char == ".":
                out.append(f"[^{_LINE_TERMINATORS}]")
                can_quantify = True
            elif char == "$":
                out.append("\\Z")
                can_quantify = False
            elif char == "^":
                out.append("^")
                can_quantify = False
            elif char == "|":
                out.append("|")
                can_quantify = False
            else:
                out.append(_literal(char))
                can_quantify = True
        if stack:
            raise self.fail("Unterminated group")
        return "".join(out)


def translate(pattern: str, *, unicode: bool = True) -> str:
    """Python regex source equivalent to the JavaScript ``pattern`` (``u`` flag when ``unicode``)."""
    return _Translator(pattern, unicode).translate()
