"""Liquid failures under the names liquidjs gives them (the reference reports ``data: {"name": ...}``).

Imports no Liquid: a bridge that only answers health-checks and discovery never loads the engine.
"""

from __future__ import annotations

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
