"""What the sanitiser lets through: sanitize-html 2.17's defaults with Novu's options and D9's additions.

Mirrors the ``defaults`` of sanitize-html's ``index.js`` (``allowedTags``, ``selfClosing``,
``allowedSchemes``, ``allowedSchemesAppliedToAttributes``, ``nonBooleanAttributes``, ``nonTextTags``),
the options @novu/framework passes (its extra tags and the ``img`` attribute allow-list) and
``naughtyHref``, the scheme check sanitize-html applies to URL attributes.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "ALLOWED_SCHEMES",
    "ALLOWED_TAGS",
    "DROP",
    "DROP_WITH_CONTENT",
    "IMG_ATTRIBUTES",
    "NON_BOOLEAN",
    "NON_BOOLEAN_NAME",
    "SELF_CLOSING",
    "SRCSET_NAME",
    "URL_ATTRIBUTES",
    "URL_NAME",
    "attribute_kind",
    "has_disallowed_scheme",
]

# fmt: off
ALLOWED_TAGS = frozenset((
    "address", "article", "aside", "footer", "header", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup",
    "main", "nav", "section", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "li",
    "menu", "ol", "p", "pre", "ul", "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn",
    "em", "i", "kbd", "mark", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "small", "span",
    "strong", "sub", "sup", "time", "u", "var", "wbr", "caption", "col", "colgroup", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "style", "img", "html", "head", "body", "link", "meta", "title"
))
# Disallowed tags whose content goes with them (sanitize-html's nonTextTags, plus D9's additions).
DROP_WITH_CONTENT = frozenset({"script", "style", "textarea", "option", "xmp", "iframe", "object", "embed"})
SELF_CLOSING = frozenset({"img", "br", "hr", "area", "base", "basefont", "input", "link", "meta"})
IMG_ATTRIBUTES = frozenset((
    "src", "alt", "width", "height", "loading", "srcset", "sizes", "crossorigin", "usemap", "ismap",
    "class", "id", "style", "title", "dir", "lang"
))
URL_ATTRIBUTES = frozenset((
    "href", "src", "cite", "action", "formaction", "data", "xlink:href", "poster", "background", "ping",
    "longdesc", "usemap", "codebase", "classid", "archive", "profile", "manifest", "itemid", "dynsrc",
    "lowsrc"
))
ALLOWED_SCHEMES = frozenset({"http", "https", "ftp", "mailto", "tel"})
# Attributes dropped when their value is empty (sanitize-html's nonBooleanAttributes, minus the event
# handlers, which D9 removes whatever their value). `alt` is kept and written `alt=""`.
NON_BOOLEAN = frozenset((
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
# fmt: on

_INVALID_ATTRIBUTE_NAME = re.compile(r"[\0\t\n\f\r /<=>]")
_HREF_IGNORED = re.compile(r"[\x00-\x20]+")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9.\-+]*):")


def has_disallowed_scheme(href: str) -> bool:
    """Whether a URL names a scheme outside :data:`ALLOWED_SCHEMES` (sanitize-html's ``naughtyHref``)."""
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
    return scheme is not None and scheme.group(1).lower() not in ALLOWED_SCHEMES


# What attribute_kind answers: DROP, or a mask of the checks the value needs.
DROP, NON_BOOLEAN_NAME, URL_NAME, SRCSET_NAME = -1, 1, 2, 4


@lru_cache(maxsize=1024)
def attribute_kind(name: str) -> int:
    """What the policy does with an attribute name: :data:`DROP` or a mask of the checks its value needs.

    ``on*`` attributes are dropped from every tag (D9), and so are names the reference cannot write.
    """
    if name.startswith("on") or _INVALID_ATTRIBUTE_NAME.search(name):
        return DROP
    return (
        (NON_BOOLEAN_NAME if name in NON_BOOLEAN and name != "alt" else 0)
        | (URL_NAME if name in URL_ATTRIBUTES else 0)
        | (SRCSET_NAME if name in ("srcset", "imagesrcset") else 0)
    )
