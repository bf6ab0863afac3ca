"""sanitize-html 2.17's handler (``index.js``): what the parser reports, filtered and written back.

An allowed element is written with its filtered attributes (``<br />`` for self-closing ones); a
disallowed one is dropped, and with it its content when it is one of the policy's
:data:`~.policy.DROP_WITH_CONTENT`. Text is written with ``& < >`` escaped, except raw CSS inside an
allowed ``<style>``, where D9 writes ``</style/>`` as ``<\\/style/>`` so that markup cannot escape it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from novu_framework.sanitize.attributes import render_attributes
from novu_framework.sanitize.parser import Parser, collect_attributes
from novu_framework.sanitize.policy import ALLOWED_TAGS, DROP_WITH_CONTENT, SELF_CLOSING
from novu_framework.sanitize.tokenizer import Attributes

__all__ = ["Sanitizer", "escape_text"]

_STYLE_CLOSE = re.compile("</(?=style/)", re.IGNORECASE | re.ASCII)


def escape_text(text: str) -> str:
    """Text as sanitize-html writes it: ``&``, ``<`` and ``>`` escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=2048)
def _render_source(tag: str, source: str) -> str:
    """:func:`render_attributes` for the attribute text of a tag the tokenizer's fast pattern matched.

    Cached: templates repeat the same tags, within a document and from one notification to the next.
    """
    return render_attributes(tag, collect_attributes(source))


class Sanitizer(Parser):
    """The parser with sanitize-html's callbacks; :attr:`out` collects the sanitised markup."""

    __slots__ = ("frames", "out", "skip_depth")

    def __init__(self) -> None:
        super().__init__()
        self.out: list[str] = []
        self.frames: list[tuple[str, bool]] = []  # sanitize-html's (tag, discarded) frames
        self.skip_depth = 0  # > 0 while inside an element dropped with its content

    def on_open(self, name: str, attributes: Attributes) -> None:
        if self.skip_depth:
            self.skip_depth += 1
            return
        if name not in ALLOWED_TAGS:
            self.frames.append((name, True))
            if name in DROP_WITH_CONTENT:
                self.skip_depth = 1
            return
        self.frames.append((name, False))
        rendered = ""
        if attributes:
            if isinstance(attributes, str):
                rendered = _render_source(name, attributes)
            else:
                rendered = render_attributes(name, attributes)
        self.out.append(f"<{name}{rendered} />" if name in SELF_CLOSING else f"<{name}{rendered}>")

    def on_text(self, text: str, raw: bool = False) -> None:
        if self.skip_depth or not text:
            return
        if raw and self.frames and self.frames[-1][0] == "style":
            self.out.append(_STYLE_CLOSE.sub("<\\\\/", text))
            return
        self.out.append(escape_text(text) if "&" in text or "<" in text or ">" in text else text)

    def on_close(self, name: str) -> None:
        if self.skip_depth:
            self.skip_depth -= 1
            if self.skip_depth:
                return
        if not self.frames or self.frames[-1][0] != name:
            return
        _, discarded = self.frames.pop()
        if not discarded and name not in SELF_CLOSING:
            self.out.append(f"</{name}>")
