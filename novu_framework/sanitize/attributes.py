"""The attributes of an allowed tag, filtered and written as sanitize-html's ``index.js`` writes them.

An attribute is dropped when the policy drops its name, when it is a non-boolean attribute left empty,
when its URL has a disallowed scheme, or (``srcset``) when no candidate survives; ``img`` keeps only
Novu's allow-list. The rest is written `` name="value"`` with ``& < > "`` escaped, or a bare `` name``
when empty (``alt=""`` excepted). D14: a ``<meta http-equiv="refresh">`` loses a ``content`` whose
target URL has a disallowed scheme.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from novu_framework.js.objects import object_items
from novu_framework.sanitize.policy import (
    DROP,
    IMG_ATTRIBUTES,
    NON_BOOLEAN_NAME,
    SRCSET_NAME,
    URL_NAME,
    attribute_kind,
    has_disallowed_scheme,
)
from novu_framework.sanitize.srcset import filter_srcset

__all__ = ["render_attributes"]

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
        and has_disallowed_scheme(_refresh_target(attributes["content"]))
    )


def _escape_attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_attributes(tag: str, attributes: dict[str, str]) -> str:
    """The attributes of an allowed tag as sanitize-html writes them, after the policy's removals."""
    if tag == "meta" and _is_unsafe_refresh(attributes):
        attributes = {name: value for name, value in attributes.items() if name != "content"}
    items: Iterable[tuple[str, str]] = attributes.items()
    if any(name[0].isdigit() for name in attributes):
        items = object_items(attributes)  # JavaScript enumerates array-index keys first, ascending
    parts: list[str] = []
    for name, value in items:
        kind = attribute_kind(name)
        if kind == DROP or (tag == "img" and name not in IMG_ATTRIBUTES):
            continue
        if kind:
            if not value and kind & NON_BOOLEAN_NAME:
                continue
            if kind & URL_NAME and has_disallowed_scheme(value):
                continue
            if kind & SRCSET_NAME:
                filtered = filter_srcset(value)
                if filtered is None:
                    continue
                value = filtered
        if value:
            parts.append(f' {name}="{_escape_attribute(value)}"')
        else:
            parts.append(' alt=""' if name == "alt" else " " + name)
    return "".join(parts)
