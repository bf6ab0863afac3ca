"""htmlparser2 10.1's ``src/Parser.ts``: the tree rules between the tokenizer and a handler.

The parser keeps the stack of open elements and applies htmlparser2's rules: a start tag closes the
elements it implies closed (``<li>`` an open ``<li>``, ``<div>`` an open ``<p>``), void elements close at
once, ``/>`` closes an element only inside ``svg``/``math``, an end tag closes everything above its
element, ``</p>`` alone is ``<p></p>`` and ``</br>`` is ``<br />``. A subclass handles what results, as
htmlparser2's handler does: :meth:`Parser.on_open`, :meth:`Parser.on_text` and :meth:`Parser.on_close`.
"""

from __future__ import annotations

from novu_framework.sanitize.tokenizer import Attributes, simple_attributes

__all__ = ["Parser", "collect_attributes"]

# fmt: off
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


def _add_attribute(attributes: dict[str, str], name: str, value: str) -> None:
    # The first occurrence wins; `__proto__` cannot become an own property of the reference's object.
    if name not in attributes and name != "__proto__":
        attributes[name] = value


def collect_attributes(source: str) -> dict[str, str]:
    """The attributes in attribute text the tokenizer's fast pattern matched, as the parser collects them."""
    attributes: dict[str, str] = {}
    for name, value in simple_attributes(source):
        _add_attribute(attributes, name, value)
    return attributes


class Parser:
    """The open elements and htmlparser2's tree rules; a subclass handles the elements and text."""

    __slots__ = ("attributes", "foreign", "open_count", "stack", "tag")

    def __init__(self) -> None:
        self.stack: list[str] = []  # the open elements
        self.open_count: dict[str, int] = {}  # how many of each are open: keeps end tags O(1) on deep stacks
        self.foreign: list[bool] = [False]  # htmlparser2's foreignContext: inside svg/math content?
        self.tag = ""  # the start tag being read piece by piece, and its attributes
        self.attributes: dict[str, str] = {}

    # what a subclass handles ---------------------------------------------------------------------

    def on_open(self, name: str, attributes: Attributes) -> None:
        """An element opens (``attributes``: by name, or attribute text for :func:`collect_attributes`)."""
        raise NotImplementedError

    def on_text(self, text: str, raw: bool = False) -> None:
        """Text (``raw``: the undecoded content of a raw-text element)."""
        raise NotImplementedError

    def on_close(self, name: str) -> None:
        """An element closes, explicitly or implied."""
        raise NotImplementedError

    # the tokenizer's callbacks --------------------------------------------------------------------

    def start_tag(self, name: str, attributes: Attributes | None) -> None:
        """A complete start tag without ``/>`` (open_tag_name + open_tag_end in one step).

        Closes what the tag implies closed and pushes it unless it is void; with ``attributes`` None
        (from :meth:`open_tag_name`) it stops there, as the attributes and the tag's end are still to come.
        """
        implied = _OPEN_IMPLIES_CLOSE.get(name)
        if implied is not None:
            stack = self.stack
            while stack and stack[-1] in implied:
                self.on_close(self.pop())
        if name not in _VOID:
            self.stack.append(name)
            self.open_count[name] = self.open_count.get(name, 0) + 1
            if name in _FOREIGN_OR_INTEGRATION:
                self.foreign.append(name in _FOREIGN)
        if attributes is not None:
            self.on_open(name, attributes)
            if name in _VOID:
                self.on_close(name)

    def open_tag_name(self, name: str) -> None:
        self.start_tag(name, None)
        self.tag = name
        self.attributes = {}

    def attribute(self, name: str, value: str) -> None:
        _add_attribute(self.attributes, name, value)

    def open_tag_end(self, attributes: Attributes | None = None) -> None:
        """The start tag is complete (its attributes: those collected, unless given)."""
        name = self.tag
        self.on_open(name, self.attributes if attributes is None else attributes)
        if name in _VOID:
            self.on_close(name)

    def self_closing_tag(self, attributes: Attributes | None = None) -> None:
        if self.foreign and self.foreign[-1]:  # HTML ignores `/>` except in svg/math content
            self.close_current_tag(attributes)
        else:
            self.open_tag_end(attributes)

    def close_current_tag(self, attributes: Attributes | None = None) -> None:
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

    def end(self) -> None:
        while self.stack:
            self.on_close(self.pop())

    # the stack ----------------------------------------------------------------------------------

    def pop(self) -> str:
        name = self.stack.pop()
        self.open_count[name] -= 1
        return name
