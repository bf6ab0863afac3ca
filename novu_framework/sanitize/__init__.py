"""HTML sanitisation of email and in-app step outputs, byte-compatible with the reference (deviation D9).

The reference runs sanitize-html 2.17 (tokenizer: htmlparser2 10.1, entities: entities 7.0) with Novu's
options; this package reproduces its output format exactly: the same tokenizer decisions on malformed
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

The modules follow the sources' own seams: :mod:`.policy` (what is allowed), :mod:`.entities`
(character references), :mod:`.tokenizer` and :mod:`.parser` (htmlparser2's ``Tokenizer.ts`` and
``Parser.ts``), :mod:`.sanitizer`, :mod:`.attributes` and :mod:`.srcset` (sanitize-html's handler and its
attribute filters). Each names the known differences on malformed input that are its own.
"""

from __future__ import annotations

import re
from typing import Any

from novu_framework.sanitize.entities import decode_entities
from novu_framework.sanitize.sanitizer import Sanitizer, escape_text
from novu_framework.sanitize.tokenizer import Tokenizer

__all__ = ["sanitize_html", "sanitize_step_outputs"]

_DOCTYPE = re.compile("<!DOCTYPE [^\n\r\u2028\u2029]*?>")


def sanitize_html(text: str) -> str:
    """Sanitise one string as the reference's email/in-app sanitiser does, with D9's extra removals."""
    if "<" not in text:
        if "&" not in text:
            return text.replace(">", "&gt;") if ">" in text else text
        return escape_text(decode_entities(text, 0, len(text), False))
    sink = Sanitizer()
    Tokenizer(text, sink).run()
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
