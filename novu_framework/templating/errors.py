"""Liquid failures under the names liquidjs gives them (the reference reports ``data: {"name": ...}``)."""

from __future__ import annotations

from liquid.exceptions import LiquidSyntaxError

TOKENIZATION_ERROR = "TokenizationError"
PARSE_ERROR = "ParseError"
RENDER_ERROR = "RenderError"


class TemplateCompileError(Exception):
    """A control value is not valid Liquid, or failed while rendering.

    ``name`` is the liquidjs error class the reference reports for the same template:
    ``"TokenizationError"``, ``"ParseError"`` or ``"RenderError"``.
    """

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


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
