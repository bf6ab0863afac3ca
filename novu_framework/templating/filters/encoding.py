"""liquidjs HTML, URL, base64 and hashing filters."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from novu_framework.templating.filters._support import FilterFailure, arg
from novu_framework.templating.js import stringify

_HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
_HTML_UNESCAPES = {value: key for key, value in _HTML_ESCAPES.items()}
_HTML_SPECIAL = re.compile("[&<>\"']")
_HTML_ENTITY = re.compile("&(?:amp|lt|gt|#34|#39);")
_LINE_BREAK = re.compile(r"\r?\n")
_SURROGATE = re.compile("[\ud800-\udfff]")


def escape(value: Any, *_: Any) -> str:
    return _HTML_SPECIAL.sub(lambda m: _HTML_ESCAPES[m[0]], stringify(value))


def _unescape(text: str) -> str:
    return _HTML_ENTITY.sub(lambda m: _HTML_UNESCAPES[m[0]], text)


def escape_once(value: Any, *_: Any) -> str:
    return escape(_unescape(stringify(value)))


def newline_to_br(value: Any, *_: Any) -> str:
    return _LINE_BREAK.sub("<br />\n", stringify(value))


_RAW_TEXT_BLOCKS = (("<script", "</script>"), ("<style", "</style>"), ("<!--", "-->"), ("<", ">"))


def strip_html(value: Any, *_: Any) -> str:
    text = stringify(value)
    blocks = dict(_RAW_TEXT_BLOCKS)
    out: list[str] = []
    position = 0
    while position < len(text):
        start = text.find("<", position)
        if start < 0:
            break
        out.append(text[position:start])
        for opener, closer in list(blocks.items()):
            if not text.startswith(opener, start):
                continue
            end = text.find(closer, start + len(opener))
            if end >= 0:
                position = end + len(closer)
                break
            # An opener that is never closed cannot match later either.
            del blocks[opener]
        if position <= start:
            return "".join(out) + text[start:]
    return "".join(out) + text[position:]


def _encode_uri(text: str, safe: str) -> str:
    if _SURROGATE.search(text):
        raise FilterFailure("URI malformed")
    return quote(text, safe=safe, encoding="utf-8")


_COMPONENT_SAFE = "-_.!~*'()"
_URI_SAFE = _COMPONENT_SAFE + ";,/?:@&=+$#"
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _decode_uri_component(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for match in _PERCENT_RUN.finditer(text):
        pieces.append(text[position : match.start()])
        try:
            pieces.append(bytes.fromhex(match[0].replace("%", "")).decode("utf-8"))
        except UnicodeDecodeError as error:
            raise FilterFailure("URI malformed") from error
        position = match.end()
    pieces.append(text[position:])
    if "%" in "".join(pieces[::2]):
        raise FilterFailure("URI malformed")
    return "".join(pieces)


def url_decode(value: Any, *_: Any) -> str:
    return _decode_uri_component(stringify(value).replace("+", " "))


def url_encode(value: Any, *_: Any) -> str:
    return _encode_uri(stringify(value), _COMPONENT_SAFE).replace("%20", "+")


def cgi_escape(value: Any, *_: Any) -> str:
    encoded = _encode_uri(stringify(value), _COMPONENT_SAFE).replace("%20", "+")
    return re.sub("[!'()*]", lambda m: f"%{ord(m[0]):X}", encoded)


def uri_escape(value: Any, *_: Any) -> str:
    return _encode_uri(stringify(value), _URI_SAFE).replace("%5B", "[").replace("%5D", "]")


_ACCENTS = (
    ("àáâãäå", "a"),
    ("æ", "ae"),
    ("ç", "c"),
    ("èéêë", "e"),
    ("ìíîï", "i"),
    ("ð", "d"),
    ("ñ", "n"),
    ("òóôõöø", "o"),
    ("ùúûü", "u"),
    ("ýÿ", "y"),
    ("ß", "ss"),
    ("œ", "oe"),
    ("þ", "th"),
    ("ẞ", "SS"),
    ("Œ", "OE"),
    ("Þ", "TH"),
)
_PRETTY_KEPT = set("._~!$&'()+,;=@")


def _is_word_char(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "ML" or category == "Nd"


def _replace_runs(text: str, keep: Callable[[str], bool]) -> str:
    out: list[str] = []
    in_run = False
    for char in text:
        if keep(char):
            out.append(char)
            in_run = False
        elif not in_run:
            out.append("-")
            in_run = True
    return "".join(out)


def slugify(value: Any, *args: Any) -> str:
    text, mode, cased = stringify(value), arg(args, 0, "default"), arg(args, 1, False)
    if mode == "latin":
        for accented, plain in _ACCENTS:
            text = re.sub(f"[{accented}]", plain, text)
    if mode == "raw":
        text = re.sub(r"\s+", "-", text)
    elif mode in ("default", "latin"):
        text = _replace_runs(text, _is_word_char)
    elif mode == "pretty":
        text = _replace_runs(text, lambda char: _is_word_char(char) or char in _PRETTY_KEPT)
    elif mode == "ascii":
        text = re.sub("[^A-Za-z0-9]+", "-", text)
    if mode in ("raw", "default", "latin", "pretty", "ascii"):
        text = text[1:] if text.startswith("-") else text
        text = text[:-1] if text.endswith("-") else text
    return text if cased else text.lower()


def base64_encode(value: Any, *_: Any) -> str:
    return base64.b64encode(stringify(value).encode("utf-8", "surrogatepass")).decode("ascii")


def base64_decode(value: Any, *_: Any) -> str:
    text = re.sub("[\t\n\f\r ]", "", stringify(value))
    body = re.sub("==?$", "", text) if len(text) % 4 == 0 else text
    if len(body) % 4 == 1 or not re.fullmatch("[A-Za-z0-9+/]*", body):
        raise FilterFailure("invalid base64 provided to base64_decode")
    try:
        raw = base64.b64decode(body + "=" * (-len(body) % 4))
    except binascii.Error as error:
        raise FilterFailure("invalid base64 provided to base64_decode") from error
    return raw.decode("utf-8", "replace")


def sha256(value: Any, *_: Any) -> str:
    return hashlib.sha256(stringify(value).encode("utf-8", "surrogatepass")).hexdigest()


def hmac_sha256(value: Any, *args: Any) -> str:
    key = stringify(arg(args, 0)).encode("utf-8", "surrogatepass")
    return hmac.new(key, stringify(value).encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


FILTERS: dict[str, Callable[..., Any]] = {
    "escape": escape,
    "xml_escape": escape,
    "escape_once": escape_once,
    "newline_to_br": newline_to_br,
    "strip_html": strip_html,
    "url_decode": url_decode,
    "url_encode": url_encode,
    "cgi_escape": cgi_escape,
    "uri_escape": uri_escape,
    "slugify": slugify,
    "base64_encode": base64_encode,
    "base64_decode": base64_decode,
    "sha256": sha256,
    "hmac_sha256": hmac_sha256,
}
