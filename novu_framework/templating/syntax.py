"""Which liquidjs error a python-liquid parse failure is, and the error our own tag checks raise."""

from __future__ import annotations

from liquid.exceptions import LiquidSyntaxError

from novu_framework.templating.errors import PARSE_ERROR, TOKENIZATION_ERROR


class IllegalTagError(LiquidSyntaxError):
    """A tag whose own arguments liquidjs rejects while parsing (``{% for x %}``): a ``ParseError``."""


_PARSE_ERROR_MARKERS = ("unexpected tag", "expected tag ", "was never closed")


def syntax_error_name(error: Exception) -> str:
    """The liquidjs name of a python-liquid parse failure.

    liquidjs raises ``ParseError`` for the block structure (an unknown or stray tag, a block that is never
    closed, a ``for`` it cannot read) and ``TokenizationError`` for everything inside a tag or an output
    (unclosed delimiters, malformed expressions and filters).
    """
    if isinstance(error, IllegalTagError):
        return PARSE_ERROR
    message = str(error.args[0]) if error.args else ""
    if message.startswith(_PARSE_ERROR_MARKERS) or _PARSE_ERROR_MARKERS[2] in message:
        return PARSE_ERROR
    return TOKENIZATION_ERROR
