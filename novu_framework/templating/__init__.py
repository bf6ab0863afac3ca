"""Liquid rendering of step controls, matching the reference's liquidjs engine and filters.

Each string in the controls is rendered as its own template (deviation D5), with the reference's printing
rules, translation markers and custom filters (``digest`` with the D6 fix, ``toSentence``, ``pluralize``,
``json``); ``size`` counts code points (D8). One step's templates share one work budget
(:class:`RenderLimits`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from novu_framework.templating.errors import TemplateCompileError
from novu_framework.templating.limits import RenderLimitError, RenderLimits

if TYPE_CHECKING:
    from novu_framework.templating.render import render_controls, render_string


def __getattr__(name: str) -> Any:
    # The engine (python-liquid, babel and the filters) loads on the first render, not with the
    # package: importing the limits or the errors must stay cheap for a cold start.
    if name in ("render_controls", "render_string"):
        from novu_framework.templating import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["RenderLimitError", "RenderLimits", "TemplateCompileError", "render_controls", "render_string"]
