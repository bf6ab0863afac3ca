"""HTML sanitisation of email and in-app step outputs, byte-compatible with the reference (deviation D9).

The reference runs sanitize-html 2.17 (tokenizer: htmlparser2 10.1, entities: entities 7.0) with Novu's
options; this module reproduces its output format exactly: the same tokenizer decisions on malformed
markup, the same implied closes, the same entity decoding, the same serialisation (``<br />``,
``"``-quoted attributes, ``&`` ``<`` ``>`` escaped in text). Where D9 requires it, ours removes more:

* every attribute whose name starts with ``on``, on every tag;
* ``script``, ``iframe``, ``object`` and ``embed`` elements together with their content;
* the ``content`` of a ``<meta http-equiv="refresh">`` whose target URL has a scheme other than those
  below (``0;url=javascript:…``; D14);
* text inside ``<style>`` that could close the element early (``</style/>`` in raw CSS is written
  ``<\\/style/>``, and a ``<style/>`` opened without raw text has its text escaped like any other text),
  which the reference copies verbatim and which lets markup escape into the document.

URL schemes other than http, https, ftp, mailto and tel are removed from ``href``/``src``/… as in the
reference. A plain-text top-level ``subject`` is left untouched (D9).

Why not a library: nh3 (ammonia) and bleach rebuild a browser DOM (html5ever, html5lib): they insert
``<tbody>``, drop the DOCTYPE, ``<html>`` and ``<body>``, write ``<hr>`` and ``&nbsp;`` where the reference
writes ``<hr />`` and U+00A0 (bleach also empties ``style``), so they cannot give the reference's bytes.
The standard library's ``html.parser`` tokenizes differently from htmlparser2 (it decodes ``&copy=2``
inside ``href`` into ``©=2``, keeps an unterminated tag as text, has no raw-text ``title``/``textarea``)
and its edge cases change between Python patch releases. So the tokenizer below ports htmlparser2's
state machine, scanning with compiled patterns between the characters its states react to.

Known differences besides D9, on malformed input only:

* named references without ``;`` that entities 7.0.1's compressed table decodes wrongly (``?x=1&divideon=2``
  in a URL becomes ``?x=1÷on=2``, ``&Ocy `` becomes ``Á``): ours runs the same decoding algorithm on the
  plain HTML5 table and leaves them as written;
* htmlparser2 lets U+001C and U+000F stand for ``<`` and ``/`` at some positions inside raw text
  (``<script>``, ``<style>``, ``<title>``); ours does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from html.entities import html5 as _HTML5_ENTITIES
from typing import Any, TypeAlias

from novu_framework.js.numbers import number_to_string as js_number
from novu_framework.js.objects import object_items

__all__ = ["sanitize_html", "sanitize_step_outputs"]

# --- Policy (sanitize-html defaults + Novu's options + D9) -----------------------------------------
# fmt: off

_ALLOWED_TAGS = frozenset((
    "address", "article", "aside", "footer", "header", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
    "main", "nav", "section", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "li",
    "menu", "ol", "p", "pre", "ul", "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn",
    "em", "i", "kbd", "mark", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "wbr", "caption", "col", "colgroup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "style", "img", "html", "head", "body", "link", "meta", "title"
))
# Disallowed tags whose content goes with them (sanitize-html's nonTextTags, plus D9's additions).
_DROP_WITH_CONTENT = frozenset({"script", "style", "textarea", "option", "xmp", "iframe", "object", "embed"})
_SELF_CLOSING = frozenset({"img", "br", "hr", "area", "base", "basefont", "input", "link", "meta"})
_IMG_ATTRIBUTES = frozenset((
    "src", "alt", "width", "height", "loading", "srcset", "sizes", "crossorigin", "usemap", "ismap",
    "class", "id", "style", "title", "dir", "lang"
))
_URL_ATTRIBUTES = frozenset((
    "href", "src", "cite", "action", "formaction", "data", "xlink:href", "poster", "background", "ping",
    "longdesc", "usemap", "codebase", "classid", "archive", "profile", "manifest", "itemid", "dynsrc",
    "lowsrc"
))
_ALLOWED_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "tel"})
# Attributes dropped when their value is empty (sanitize-html's nonBooleanAttributes, minus the event
# handlers, which D9 removes whatever their value). `alt` is kept and written `alt=""`.
_NON_BOOLEAN = frozenset((
    "abbr", "accept", "accept-charset", "accesskey", "action", "allow", "alt", "as", "autocapitalize",
    "autocomplete", "blocking", "charset", "cite", "class", "color", "cols", "colspan", "content",
    "contenteditable", "coords", "crossorigin", "data", "datetime", "decoding", "dir", "dirname",
    "download", "draggable", "enctype", "enterkeyhint", "fetchpriority", "for", "form", "formaction",
    "formenctype", "formmethod", "formtarget", "headers", "height", "hidden", "high", "href",
    "hreflang", "http-equiv", "id", "imagesizes", "imagesrcset", "inputmode", "integrity", "is",
    "itemid", "itemprop", "itemref", "itemtype", "kind", "label", "lang", "list", "loading", "low",
    "max", "maxlength", "media", "method", "min", "minlength", "name", "nonce", "optimum", "pattern",
    "ping", "placeholder", "popover", "popovertarget", "popovertargetaction", "poster", "preload",
    "referrerpolicy", "rel", "rows", "rowspan", "sandbox", "scope", "shape", "size", "sizes", "slot",
    "span", "spellcheck", "src", "srcdoc", "srclang", "srcset", "start", "step", "style", "tabindex",
    "target", "title", "translate", "type", "usemap", "value", "width", "wrap"
))
_INVALID_ATTRIBUTE_NAME = re.compile(r"[\0\t\n\f\r /<=>]")

# --- htmlparser2's tree rules -------------------------------------------------------------------

_P = frozenset({"p"})
_FORM = frozenset({"input", "option", "optgroup", "select", "button", "datalist", "textarea"})
_OPEN_IMPLIES_CLOSE: dict[str, frozenset[str]] = {
    "tr": frozenset({"tr", "th", "td"}),
    "th": frozenset({"th"}),
    "td": frozenset({"thead", "th", "td"}),
    "body": frozenset({"head", "link", "script"}),
    "li": frozenset({"li"}),
    "option": frozenset({"option"}),
    "optgroup": frozenset({"optgroup", "option"}),
    "dd": frozenset({"dd", "dt"}),
    "dt": frozenset({"dd", "dt"}),
    "rt": frozenset({"rt", "rp"}),
    "rp": frozenset({"rt", "rp"}),
    "tbody": frozenset({"thead", "tbody"}),
    "tfoot": frozenset({"thead", "tbody"}),
    **dict.fromkeys(("select", "input", "output", "button", "datalist", "textarea"), _FORM),
    **dict.fromkeys((
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "address", "article", "aside", "blockquote", "details",
        "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "main",
        "nav", "ol", "pre", "section", "table", "ul"
    ), _P),
}
_VOID = frozenset((
    "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input",
    "isindex", "keygen", "link", "meta", "param", "source", "track", "wbr"
))
_FOREIGN = frozenset({"math", "svg"})
_INTEGRATION = frozenset(
    {"mi", "mo", "mn", "ms", "mtext", "annotation-xml", "foreignobject", "desc", "title"}
)
_FOREIGN_OR_INTEGRATION = _FOREIGN | _INTEGRATION
# fmt: on

# --- Tokenizer patterns -------------------------------------------------------------------------

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
_DOCTYPE = re.compile("<!DOCTYPE [^\n\r\u2028\u2029]*?>")
_STYLE_CLOSE = re.compile("</(?=style/)", re.IGNORECASE | re.ASCII)

# --- Entities (entities 7.0 decoder semantics) ----------------------------------------------------

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


def _decode_entities(text: str, start: int, end: int, attribute: bool) -> str:
    """``text[start:end]`` with its character references decoded the way htmlparser2 decodes them."""
    amp = text.find("&", start, end)
    if amp < 0:
        return text[start:end]
    parts: list[str] = []
    done = start
    while amp >= 0:
        decoded = _decode_reference(text, amp + 1, end, attribute)
        if decoded is not None:
            parts.append(text[done:amp])
            parts.append(decoded[0])
            done = decoded[1]
            amp = text.find("&", done, end)
        else:
            amp = text.find("&", amp + 1, end)
    parts.append(text[done:end])
    return "".join(parts)


def _decode_reference(text: str, start: int, end: int, attribute: bool) -> tuple[str, int] | None:
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


def _end_of(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a run of ``pattern`` (which also matches the empty string) starting at ``pos`` ends."""
    match = pattern.match(text, pos)
    assert match is not None
    return match.end()


# --- URL checks (launder's naughtyHref and parse-srcset) -----------------------------------------

_HREF_IGNORED = re.compile(r"[\x00-\x20]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9.\-+]*):")


def _has_disallowed_scheme(href: str) -> bool:
    href = _HREF_IGNORED.sub("", href)
    while True:  # embedded `<!-- … -->` is dropped before the scheme is read, like the reference does
        first = href.find("<!--")
        if first < 0:
            break
        last = href.find("-->", first + 4)
        if last < 0:
            break
        href = href[:first] + href[last + 3 :]
    scheme = _SCHEME.match(href)
    return scheme is not None and scheme.group(1).lower() not in _ALLOWED_SCHEMES


_SRCSET_SEPARATORS = re.compile(r"[, \t\n\r\f]*")
_SRCSET_URL = re.compile(r"[^ \t\n\r\f]*")
_SRCSET_SPACES = re.compile(r"[ \t\n\r\f]*")
_NON_NEGATIVE_INTEGER = re.compile(r"[0-9]+")
_FLOATING_POINT = re.compile(r"-?(?:[0-9]+|[0-9]*\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _srcset_descriptors(text: str, pos: int) -> tuple[list[str], int]:
    """parse-srcset's descriptor tokenizer: the descriptors after a URL and the position after them."""
    pos = _end_of(_SRCSET_SPACES, text, pos)
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


def _srcset_candidate(url: str, descriptors: list[str]) -> str | None:
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
    if _has_disallowed_scheme(url):
        return None
    return (
        url
        + (f" {js_number(width)}w" if width else "")
        + (f" {js_number(height)}h" if height else "")
        + (f" {js_number(density)}x" if density else "")
    )


def _filter_srcset(value: str) -> str | None:
    """The srcset with invalid or unsafe candidates removed; None when none is left."""
    candidates: list[str] = []
    pos = 0
    while True:
        pos = _end_of(_SRCSET_SEPARATORS, value, pos)
        if pos >= len(value):
            break
        url_end = _end_of(_SRCSET_URL, value, pos)
        url, pos = value[pos:url_end], url_end
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            descriptors, pos = _srcset_descriptors(value, pos)
        candidate = _srcset_candidate(url, descriptors)
        if candidate is not None:
            candidates.append(candidate)
    return ", ".join(candidates) if candidates else None


# --- Serialisation ------------------------------------------------------------------------------


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_DROP, _NON_BOOLEAN_NAME, _URL_NAME, _SRCSET_NAME = -1, 1, 2, 4


@lru_cache(maxsize=1024)
def _attribute_kind(name: str) -> int:
    """What the policy does with an attribute name: ``_DROP`` or a mask of the checks its value needs."""
    if name.startswith("on") or _INVALID_ATTRIBUTE_NAME.search(name):
        return _DROP
    return (
        (_NON_BOOLEAN_NAME if name in _NON_BOOLEAN and name != "alt" else 0)
        | (_URL_NAME if name in _URL_ATTRIBUTES else 0)
        | (_SRCSET_NAME if name in ("srcset", "imagesrcset") else 0)
    )


_REFRESH_PREFIX = re.compile(
    r"[\t\n\f\r ]*[0-9.]*[\t\n\f\r ]*[;,]?[\t\n\f\r ]*(?:url[\t\n\f\r ]*=[\t\n\f\r ]*)?", re.I
)


def _refresh_target(content: str) -> str:
    """The URL a ``<meta http-equiv="refresh" content="…">`` navigates to (HTML's declarative refresh)."""
    prefix = _REFRESH_PREFIX.match(content)
    url = content[prefix.end() if prefix else 0 :]
    if url[:1] in ("'", '"'):
        end = url.find(url[0], 1)
        url = url[1:] if end < 0 else url[1:end]
    return url


def _is_unsafe_refresh(attributes: dict[str, str]) -> bool:
    # D14: the reference keeps `content="0;url=javascript:…"`, a script URL the browser navigates to.
    return (
        attributes.get("http-equiv", "").strip().lower() == "refresh"
        and "content" in attributes
        and _has_disallowed_scheme(_refresh_target(attributes["content"]))
    )


def _render_attributes(tag: str, attributes: dict[str, str]) -> str:
    """The attributes of an allowed tag as sanitize-html writes them, after the policy's removals."""
    if tag == "meta" and _is_unsafe_refresh(attributes):
        attributes = {name: value for name, value in attributes.items() if name != "content"}
    items: Iterable[tuple[str, str]] = attributes.items()
    if any(name[0].isdigit() for name in attributes):
        items = object_items(attributes)  # JavaScript enumerates array-index keys first, ascending
    parts: list[str] = []
    for name, value in items:
        kind = _attribute_kind(name)
        if kind == _DROP or (tag == "img" and name not in _IMG_ATTRIBUTES):
            continue
        if kind:
            if not value and kind & _NON_BOOLEAN_NAME:
                continue
            if kind & _URL_NAME and _has_disallowed_scheme(value):
                continue
            if kind & _SRCSET_NAME:
                filtered = _filter_srcset(value)
                if filtered is None:
                    continue
                value = filtered
        if value:
            parts.append(f' {name}="{_escape_attribute(value)}"')
        else:
            parts.append(' alt=""' if name == "alt" else " " + name)
    return "".join(parts)


@lru_cache(maxsize=2048)
def _render_simple_attributes(tag: str, source: str) -> str:
    """:func:`_render_attributes` for the attribute text of a tag the fast pattern matched.

    Cached: templates repeat the same tags, within a document and from one notification to the next.
    """
    attributes: dict[str, str] = {}
    for name, double, single, unquoted in _SIMPLE_ATTRIBUTE.findall(source):
        name = name.lower()
        # The first occurrence wins; `__proto__` cannot become an own property of the reference's object.
        if name not in attributes and name != "__proto__":
            value = double or single or unquoted
            attributes[name] = _decode_entities(value, 0, len(value), True) if "&" in value else value
    return _render_attributes(tag, attributes)


# A start tag's attributes: collected by name, or the attribute text the fast pattern matched.
_Attributes: TypeAlias = "dict[str, str] | str"


def _render(tag: str, attributes: _Attributes) -> str:
    if not attributes:
        return ""
    if isinstance(attributes, str):
        return _render_simple_attributes(tag, attributes)
    return _render_attributes(tag, attributes)


class _Sanitizer:
    """htmlparser2's Parser (implied closes, void elements) feeding sanitize-html's callbacks."""

    __slots__ = ("attributes", "foreign", "frames", "open_count", "out", "skip_depth", "stack", "tag")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.stack: list[str] = []  # the parser's open elements
        self.open_count: dict[str, int] = {}  # how many of each are open: keeps end tags O(1) on deep stacks
        self.foreign: list[bool] = [False]
        self.frames: list[tuple[str, bool]] = []  # sanitize-html's (tag, discarded) frames
        self.skip_depth = 0  # > 0 while inside an element dropped with its content
        self.tag = ""  # the start tag being read, and its attributes (state-by-state path)
        self.attributes: dict[str, str] = {}

    # parser events ------------------------------------------------------------------------------

    def start_tag(self, name: str, attributes: _Attributes) -> None:
        """A complete start tag without ``/>`` (open_tag_name + open_tag_end in one step)."""
        stack = self.stack
        implied = _OPEN_IMPLIES_CLOSE.get(name)
        if implied is not None:
            while stack and stack[-1] in implied:
                self.on_close(self.pop())
        if name in _VOID:  # opened and closed at once: only an allowed one leaves a trace
            if not self.skip_depth and name in _ALLOWED_TAGS:
                rendered = _render(name, attributes)
                self.out.append(
                    f"<{name}{rendered} />" if name in _SELF_CLOSING else f"<{name}{rendered}></{name}>"
                )
            return
        stack.append(name)
        self.open_count[name] = self.open_count.get(name, 0) + 1
        if name in _FOREIGN_OR_INTEGRATION:
            self.foreign.append(name in _FOREIGN)
        if not self.skip_depth and name in _ALLOWED_TAGS:  # on_open's common case
            self.frames.append((name, False))
            self.out.append(f"<{name}{_render(name, attributes) if attributes else ''}>")
        else:
            self.on_open(name, attributes)

    def open_tag_name(self, name: str) -> None:
        implied = _OPEN_IMPLIES_CLOSE.get(name)
        if implied is not None:
            while self.stack and self.stack[-1] in implied:
                self.on_close(self.pop())
        if name not in _VOID:
            self.stack.append(name)
            self.open_count[name] = self.open_count.get(name, 0) + 1
            if name in _FOREIGN:
                self.foreign.append(True)
            elif name in _INTEGRATION:
                self.foreign.append(False)
        self.tag = name
        self.attributes = {}

    def attribute(self, name: str, value: str) -> None:
        if name not in self.attributes and name != "__proto__":
            self.attributes[name] = value

    def open_tag_end(self, attributes: _Attributes | None = None) -> None:
        """The start tag is complete (its attributes: those collected, unless given)."""
        name = self.tag
        self.on_open(name, self.attributes if attributes is None else attributes)
        if name in _VOID:
            self.on_close(name)

    def self_closing_tag(self, attributes: _Attributes | None = None) -> None:
        if self.foreign and self.foreign[-1]:  # HTML ignores `/>` except in svg/math content
            self.close_current_tag(attributes)
        else:
            self.open_tag_end(attributes)

    def close_current_tag(self, attributes: _Attributes | None = None) -> None:
        name = self.tag
        self.open_tag_end(attributes)
        if self.stack and self.stack[-1] == name:
            self.on_close(name)
            self.pop()

    def close_tag(self, name: str) -> None:
        stack = self.stack
        if stack and stack[-1] == name and name not in _FOREIGN_OR_INTEGRATION:  # the common case
            stack.pop()
            self.open_count[name] -= 1
            frames = self.frames
            if not self.skip_depth and frames and frames[-1][0] == name:
                if not frames.pop()[1] and name not in _SELF_CLOSING:
                    self.out.append(f"</{name}>")
            else:
                self.on_close(name)
            return
        if name in _FOREIGN_OR_INTEGRATION and self.foreign:
            self.foreign.pop()
        if name not in _VOID:
            if self.open_count.get(name):
                while True:  # close everything above it, then it
                    closed = self.pop()
                    self.on_close(closed)
                    if closed == name:
                        break
            elif name == "p":  # `</p>` alone is `<p></p>`
                self.open_tag_name("p")
                self.close_current_tag({})
        elif name == "br":  # `</br>` is `<br />`
            self.on_open("br", {})
            self.on_close("br")

    def pop(self) -> str:
        name = self.stack.pop()
        self.open_count[name] -= 1
        return name

    def end(self) -> None:
        while self.stack:
            self.on_close(self.pop())

    # sanitize-html callbacks ---------------------------------------------------------------------

    def on_open(self, name: str, attributes: _Attributes) -> None:
        if self.skip_depth:
            self.skip_depth += 1
            return
        if name not in _ALLOWED_TAGS:
            self.frames.append((name, True))
            if name in _DROP_WITH_CONTENT:
                self.skip_depth = 1
            return
        self.frames.append((name, False))
        rendered = _render(name, attributes)
        self.out.append(f"<{name}{rendered} />" if name in _SELF_CLOSING else f"<{name}{rendered}>")

    def on_text(self, text: str, raw: bool = False) -> None:
        if self.skip_depth or not text:
            return
        if raw and self.frames and self.frames[-1][0] == "style":
            self.out.append(_STYLE_CLOSE.sub("<\\\\/", text))
            return
        self.out.append(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))

    def on_close(self, name: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            if self.skip_depth:
                return
        if not self.frames or self.frames[-1][0] != name:
            return
        _, discarded = self.frames.pop()
        if not discarded and name not in _SELF_CLOSING:
            self.out.append(f"</{name}>")


class _Tokenizer:
    """htmlparser2's Tokenizer (HTML mode, entities decoded) driving a :class:`_Sanitizer`.

    Well-formed tags go through one compiled pattern; anything else takes the state-by-state path.
    Each construct method returns the index where scanning resumes, or -1 when the input is used up.
    Text is handed over in pieces: entities never span a ``<``, so the pieces decode and escape the
    same as htmlparser2's longer runs.
    """

    __slots__ = ("html", "sink")

    def __init__(self, html: str, sink: _Sanitizer) -> None:
        self.html = html
        self.sink = sink

    def run(self) -> None:
        html, sink = self.html, self.sink
        n = len(html)
        pos = 0
        match_token = _SIMPLE_TOKEN.match
        while 0 <= pos < n:
            token = match_token(html, pos)
            if token is None:
                pos = self.markup(pos)
                continue
            pos = token.end()
            text, raw_name, attributes, slash, close_name = token.groups()
            if text is not None:
                sink.on_text(_decode_entities(text, 0, len(text), False) if "&" in text else text)
                continue
            if close_name is not None:
                sink.close_tag(close_name.lower())
                continue
            name = raw_name.lower()
            if slash:
                sink.open_tag_name(name)
                sink.self_closing_tag(attributes)
                continue
            sink.start_tag(name, attributes)
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
            name_start = _end_of(_SKIP_WS, html, lt + 2)
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
        name_end = _end_of(_CLOSE_NAME, html, name_start)
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
        name_end = _end_of(_TAG_NAME, html, lt + 1)
        raw_name = html[lt + 1 : name_end]
        if name_end >= n:
            return self.rest_as_text(lt + 1) if _special_prefix(raw_name) else -1
        special = _RAW_TEXT_ELEMENTS.get(raw_name.lower())
        sink.open_tag_name(raw_name.lower())
        pos = name_end
        while True:
            pos = _end_of(_SKIP_WS, html, pos)
            if pos >= n:
                return -1
            char = html[pos]
            if char == ">":
                sink.open_tag_end()
                return pos + 1 if special is None else self.raw_text(pos + 1, special)
            if char == "/":
                pos = _end_of(_SKIP_WS, html, pos + 1)
                if pos >= n:
                    return self.rest_as_text(n - 1)  # see after_close_tag
                if html[pos] == ">":
                    sink.self_closing_tag()  # also ends raw-text mode: `<script/>` content is markup
                    return pos + 1
                continue
            name_stop = _end_of(_ATTR_NAME, html, pos + 1)  # the first character is taken even if `=`
            name = html[pos:name_stop].lower()
            pos = _end_of(_SKIP_WS, html, name_stop)
            if pos >= n:
                return -1
            if html[pos] != "=":
                sink.attribute(name, "")
                continue
            pos = _end_of(_SKIP_WS, html, pos + 1)
            if pos >= n:
                return -1
            quote = html[pos]
            if quote == '"' or quote == "'":
                value_end = html.find(quote, pos + 1)
                if value_end < 0:
                    return -1
                sink.attribute(name, _decode_entities(html, pos + 1, value_end, True))
                pos = value_end + 1
            else:
                value_end = _end_of(_UNQUOTED_VALUE, html, pos)
                if value_end >= n:
                    return -1
                sink.attribute(name, _decode_entities(html, pos, value_end, True))
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
            decoded = _decode_reference(html, amp + 1, end, False)
        if decoded is None:
            amp = html.find("&", amp + 1, end)
            continue
        parts.append(html[done:amp])
        parts.append(decoded[0])
        done = decoded[1]
        amp = html.find("&", done, end)
    parts.append(html[done:end])
    return "".join(parts)


# --- Public API ---------------------------------------------------------------------------------


def sanitize_html(text: str) -> str:
    """Sanitise one string as the reference's email/in-app sanitiser does, with D9's extra removals."""
    if "<" not in text:
        if "&" not in text:
            return text.replace(">", "&gt;") if ">" in text else text
        return _escape_text(_decode_entities(text, 0, len(text), False))
    sink = _Sanitizer()
    _Tokenizer(text, sink).run()
    body = "".join(sink.out)
    doctype = _DOCTYPE.match(text)
    return doctype.group(0) + body if doctype is not None else body


def _sanitize_value(value: Any) -> Any:
    """A copy of a JSON value with every string sanitised (iterative: nesting depth is the sender's)."""
    if not isinstance(value, (dict, list)):
        return sanitize_html(value) if isinstance(value, str) else value
    result: dict[str, Any] | list[Any] = {} if isinstance(value, dict) else []
    pending: list[tuple[Any, Any]] = [(value, result)]
    while pending:
        source, target = pending.pop()
        for key, item in source.items() if isinstance(source, dict) else enumerate(source):
            if isinstance(item, (dict, list)):
                copied: Any = {} if isinstance(item, dict) else []
                pending.append((item, copied))  # filled later; already in place, so order is kept
            else:
                copied = sanitize_html(item) if isinstance(item, str) else item
            if isinstance(target, dict):
                target[key] = copied
            else:
                target.append(copied)
    return result


def sanitize_step_outputs(outputs: dict[str, Any]) -> dict[str, Any]:
    """A new outputs dict: top-level ``subject`` as is (D9), every other string sanitised at any depth."""
    return {key: value if key == "subject" else _sanitize_value(value) for key, value in outputs.items()}
