"""htmlparser2 10.1's ``src/Tokenizer.ts`` in HTML mode, with character references decoded.

The standard library's ``html.parser`` tokenizes differently from htmlparser2 (it decodes ``&copy=2``
inside ``href`` into ``©=2``, keeps an unterminated tag as text, has no raw-text ``title``/``textarea``)
and its edge cases change between Python patch releases, so this ports htmlparser2's state machine,
scanning with compiled patterns between the characters its states react to. It reports what it reads
to a :class:`Callbacks` (the parser) the way the TypeScript tokenizer calls its ``Callbacks``.

One known difference, on malformed input only: htmlparser2 lets U+001C and U+000F stand for ``<`` and
``/`` at some positions inside raw text (``<script>``, ``<style>``, ``<title>``); ours does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Protocol, TypeAlias

from novu_framework.sanitize.entities import decode_entities, decode_reference

__all__ = ["Attributes", "Callbacks", "Tokenizer", "end_of", "simple_attributes"]

# A start tag's attributes: collected by name, or the attribute text the fast pattern matched (the
# parser hands either on, and reads the text only when it needs the names: see simple_attributes).
Attributes: TypeAlias = "dict[str, str] | str"

_SKIP_WS = re.compile(r"[\t\n\f\r ]*")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
# A start tag whose attributes are whitespace-separated `name`, `name="v"`, `name='v'` or `name=v`, or an
# end tag without whitespace. The state-by-state path reads these exactly the same way.
_SIMPLE_ATTRIBUTES = (
    r"(?:[\t\n\f\r ]+[^\t\n\f\r />=\"'<][^\t\n\f\r />=]*"
    r"(?:=(?:\"[^\"]*\"|'[^']*'|[^\t\n\f\r >\"'][^\t\n\f\r >]*))?)*"
)
_SIMPLE_TOKEN = re.compile(
    r"([^<]+)"  # text
    rf"|<([A-Za-z][^\t\n\f\r />]*)({_SIMPLE_ATTRIBUTES})[\t\n\f\r ]*(/?)>"  # name, attributes, `/`
    r"|</([A-Za-z][^\t\n\f\r >]*)>"  # end tag name
)
_SIMPLE_ATTRIBUTE = re.compile(
    r"[\t\n\f\r ]+([^\t\n\f\r />=\"'<][^\t\n\f\r />=]*)"
    r"(?:=(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\f\r >\"'][^\t\n\f\r >]*)))?"
)
_CLOSE_NAME = re.compile(r"[^\t\n\f\r >]*")
_ATTR_NAME = re.compile(r"[^\t\n\f\r />=]*")
_UNQUOTED_VALUE = re.compile(r"[^\t\n\f\r >]*")
# Raw-text elements: htmlparser2 tells them by their first two letters and then the rest of the name, so
# `<xitle>` is read like `<title>` and `<tmp>` like `<xmp>`. Lower-cased start tag name -> end tag name.
_RAW_TEXT_ELEMENTS = {
    "script": "script",
    "style": "style",
    **dict.fromkeys(("title", "xitle"), "title"),
    **dict.fromkeys(("textarea", "xextarea"), "textarea"),
    **dict.fromkeys(("xmp", "tmp"), "xmp"),
}
_SPECIAL_END = {
    name: re.compile(f"</{name}(?=[\\t\\n\\f\\r >])", re.IGNORECASE | re.ASCII)
    for name in ("script", "style", "title", "textarea", "xmp")
}
_TITLE_END_PREFIXES = tuple("</title"[:k] for k in range(1, 7))


def end_of(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a run of ``pattern`` (which also matches the empty string) starting at ``pos`` ends."""
    match = pattern.match(text, pos)
    assert match is not None
    return match.end()


class Callbacks(Protocol):
    """What the tokenizer reports to (htmlparser2's ``Callbacks``, as :class:`~.parser.Parser` takes them)."""

    def on_text(self, text: str, raw: bool = False) -> None:
        """Text, decoded (``raw``: the content of a raw-text element, undecoded)."""

    def start_tag(self, name: str, attributes: Attributes) -> None:
        """A whole start tag without ``/>`` read at once (lower-cased name)."""

    def open_tag_name(self, name: str) -> None:
        """A start tag read piece by piece begins: its attributes and its end follow."""

    def attribute(self, name: str, value: str) -> None:
        """An attribute of the start tag being read (lower-cased name, decoded value)."""

    def open_tag_end(self) -> None:
        """The start tag being read ends with ``>``."""

    def self_closing_tag(self, attributes: Attributes | None = None) -> None:
        """A start tag ends with ``/>`` (``attributes``: given when read at once)."""

    def close_tag(self, name: str) -> None:
        """An end tag (lower-cased name)."""

    def end(self) -> None:
        """The input is used up."""


def simple_attributes(source: str) -> Iterator[tuple[str, str]]:
    """The (lower-cased name, decoded value) pairs of attribute text the fast pattern matched, in order."""
    for name, double, single, unquoted in _SIMPLE_ATTRIBUTE.findall(source):
        value = double or single or unquoted
        yield name.lower(), decode_entities(value, 0, len(value), True) if "&" in value else value


class Tokenizer:
    """htmlparser2's Tokenizer (HTML mode, entities decoded) driving a :class:`Callbacks`.

    Well-formed tags go through one compiled pattern; anything else takes the state-by-state path.
    Each construct method returns the index where scanning resumes, or -1 when the input is used up.
    Text is handed over in pieces: entities never span a ``<``, so the pieces decode and escape the
    same as htmlparser2's longer runs.
    """

    __slots__ = ("html", "sink")

    def __init__(self, html: str, sink: Callbacks) -> None:
        self.html = html
        self.sink = sink

    def run(self) -> None:
        html, sink = self.html, self.sink
        n = len(html)
        pos = 0
        match_token = _SIMPLE_TOKEN.match
        on_text, close_tag, start_tag = sink.on_text, sink.close_tag, sink.start_tag  # the hot callbacks
        while 0 <= pos < n:
            token = match_token(html, pos)
            if token is None:
                pos = self.markup(pos)
                continue
            pos = token.end()
            text, raw_name, attributes, slash, close_name = token.groups()
            if text is not None:
                on_text(decode_entities(text, 0, len(text), False) if "&" in text else text)
                continue
            if close_name is not None:
                close_tag(close_name.lower())
                continue
            name = raw_name.lower()
            if slash:
                sink.open_tag_name(name)
                sink.self_closing_tag(attributes)
                continue
            start_tag(name, attributes)
            special = _RAW_TEXT_ELEMENTS.get(name)
            if special is not None:
                pos = self.raw_text(pos, special)
        sink.end()

    def markup(self, lt: int) -> int:
        """A ``<`` the fast pattern did not take."""
        html = self.html
        n = len(html)
        char = html[lt + 1] if lt + 1 < n else ""
        if char == "/":
            name_start = end_of(_SKIP_WS, html, lt + 2)
            if name_start < n and html[name_start] == ">":
                self.sink.on_text(html[lt : name_start + 1])  # `</>` is text
                return name_start + 1
            return self.close_tag(lt, name_start)
        if char.isascii() and char.isalpha():
            return self.open_tag(lt)
        if char == "!":
            return self.declaration(lt)
        if char == "?":
            return self.until_gt(lt + 2, lt + 2)
        self.sink.on_text("<")  # not markup
        return lt + 1

    def rest_as_text(self, start: int) -> int:
        """Input ends inside a construct htmlparser2 then hands back undecoded, from ``start``."""
        self.sink.on_text(self.html[start:])
        return -1

    def until_gt(self, search_from: int, text_start: int) -> int:
        """A declaration, processing instruction or bogus comment: dropped up to the next ``>``."""
        gt = self.html.find(">", search_from)
        return gt + 1 if gt >= 0 else self.rest_as_text(text_start)

    def declaration(self, lt: int) -> int:
        html = self.html
        n = len(html)
        start = lt + 2
        if start >= n:
            return -1
        if html[start] == "[":
            matched = 0
            while matched < 6 and start + 1 + matched < n and html[start + 1 + matched] == "CDATA["[matched]:
                matched += 1
            if matched == 6:  # CDATA is a comment in HTML mode: dropped
                end = html.find("]]>", start + 7)
                return -1 if end < 0 else end + 3
            if start + 1 + matched >= n:
                return self.rest_as_text(start)
            return self.until_gt(start + 1 + matched, start)  # the mismatching character is read again
        if html[start] == "-":
            if start + 1 >= n:
                return self.rest_as_text(start)
            if html[start + 1] == "-":
                # The `--` of `<!--` may end the comment too: `<!-->` is a whole comment.
                end = html.find("-->", start)
                return -1 if end < 0 else end + 3
            return self.until_gt(start + 2, start)
        return self.until_gt(start + 1, start)  # the character after `<!` is skipped unread

    def close_tag(self, lt: int, name_start: int) -> int:
        html = self.html
        n = len(html)
        if name_start >= n:
            return self.rest_as_text(lt)
        char = html[name_start]
        if not (char.isascii() and char.isalpha()):
            return self.until_gt(name_start + 1, name_start)
        name_end = end_of(_CLOSE_NAME, html, name_start)
        if name_end >= n:
            return -1
        self.sink.close_tag(html[name_start:name_end].lower())
        return self.after_close_tag(name_end)

    def after_close_tag(self, pos: int) -> int:
        gt = self.html.find(">", pos)
        if gt >= 0:
            return gt + 1
        # htmlparser2 slices its buffer from index -1 here: the last character comes out as text.
        return self.rest_as_text(len(self.html) - 1)

    def open_tag(self, lt: int) -> int:
        html, sink = self.html, self.sink
        n = len(html)
        name_end = end_of(_TAG_NAME, html, lt + 1)
        raw_name = html[lt + 1 : name_end]
        if name_end >= n:
            return self.rest_as_text(lt + 1) if _special_prefix(raw_name) else -1
        special = _RAW_TEXT_ELEMENTS.get(raw_name.lower())
        sink.open_tag_name(raw_name.lower())
        pos = name_end
        while True:
            pos = end_of(_SKIP_WS, html, pos)
            if pos >= n:
                return -1
            char = html[pos]
            if char == ">":
                sink.open_tag_end()
                return pos + 1 if special is None else self.raw_text(pos + 1, special)
            if char == "/":
                pos = end_of(_SKIP_WS, html, pos + 1)
                if pos >= n:
                    return self.rest_as_text(n - 1)  # see after_close_tag
                if html[pos] == ">":
                    sink.self_closing_tag()  # also ends raw-text mode: `<script/>` content is markup
                    return pos + 1
                continue
            name_stop = end_of(_ATTR_NAME, html, pos + 1)  # the first character is taken even if `=`
            name = html[pos:name_stop].lower()
            pos = end_of(_SKIP_WS, html, name_stop)
            if pos >= n:
                return -1
            if html[pos] != "=":
                sink.attribute(name, "")
                continue
            pos = end_of(_SKIP_WS, html, pos + 1)
            if pos >= n:
                return -1
            quote = html[pos]
            if quote == '"' or quote == "'":
                value_end = html.find(quote, pos + 1)
                if value_end < 0:
                    return -1
                sink.attribute(name, decode_entities(html, pos + 1, value_end, True))
                pos = value_end + 1
            else:
                value_end = end_of(_UNQUOTED_VALUE, html, pos)
                if value_end >= n:
                    return -1
                sink.attribute(name, decode_entities(html, pos, value_end, True))
                pos = value_end

    def raw_text(self, start: int, special: str) -> int:
        html, sink = self.html, self.sink
        match = _SPECIAL_END[special].search(html, start)
        end = match.start() if match is not None else len(html)
        if end > start:
            if special == "title":
                sink.on_text(_decode_title(html, start, end))
            else:
                sink.on_text(html[start:end], raw=True)
        if match is None:
            return -1
        sink.close_tag(special)
        name_end = end + 2 + len(special)
        return name_end + 1 if html[name_end] == ">" else self.after_close_tag(name_end)


def _special_prefix(raw_name: str) -> bool:
    """Whether htmlparser2 is still matching a raw-text element name when the input ends."""
    lower = raw_name.lower()
    if len(lower) == 1:
        return lower in ("s", "t", "x")
    return raw_name.isascii() and any(name.startswith(lower) for name in _RAW_TEXT_ELEMENTS)


def _decode_title(html: str, start: int, end: int) -> str:
    """Title text: references are decoded, except an ``&`` right after a partial ``</title``."""
    parts: list[str] = []
    done = start
    amp = html.find("&", start, end)
    while amp >= 0:
        decoded = None
        if not html[max(start, amp - 6) : amp].lower().endswith(_TITLE_END_PREFIXES):
            decoded = decode_reference(html, amp + 1, end, False)
        if decoded is None:
            amp = html.find("&", amp + 1, end)
            continue
        parts.append(html[done:amp])
        parts.append(decoded[0])
        done = decoded[1]
        amp = html.find("&", done, end)
    parts.append(html[done:end])
    return "".join(parts)
