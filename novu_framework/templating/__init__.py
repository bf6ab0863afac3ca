"""Liquid rendering of step controls, matching the reference's liquidjs engine and filters.

Each string in the controls is rendered as its own template (deviation D5), with the reference's printing
rules, translation markers and custom filters (``digest`` with the D6 fix, ``toSentence``, ``pluralize``,
``json``); ``size`` counts code points (D8). One step's templates share one work budget
(:class:`RenderLimits`).
"""

from novu_framework.templating.errors import TemplateCompileError
from novu_framework.templating.limits import RenderLimitError, RenderLimits
from novu_framework.templating.render import render_controls, render_string

__all__ = ["RenderLimitError", "RenderLimits", "TemplateCompileError", "render_controls", "render_string"]
