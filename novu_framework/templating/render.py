"""Compile control values once, render them many times.

Compiled templates are cached by source text (LRU). A value without ``{{`` or ``{%`` never reaches Liquid,
and a template made only of text and output statements (``Welcome {{payload.name}}!``) is rendered directly
(:mod:`novu_framework.templating.direct`) instead of through a Liquid render context.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from io import StringIO
from typing import Any

from liquid import BoundTemplate
from liquid.exceptions import LiquidError, LiquidInterrupt, OutputStreamLimitError

from novu_framework.templating.direct import DirectTemplate, direct_template
from novu_framework.templating.environment import JsRenderContext, NovuLiquidEnvironment
from novu_framework.templating.errors import RENDER_ERROR, TemplateCompileError, syntax_error_name
from novu_framework.templating.translation import protect_markers, restore_markers

CACHE_SIZE = 4096

_ENV = NovuLiquidEnvironment()


class _BoundedBuffer(StringIO):
    """Output that stops a runaway template (counted in characters: cheaper than python-liquid's bytes)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.remaining = limit

    def write(self, text: str) -> int:
        self.remaining -= len(text)
        if self.remaining < 0:
            raise OutputStreamLimitError("output stream limit reached", token=None)
        return super().write(text)


class _LiquidTemplate:
    __slots__ = ("template",)

    def __init__(self, template: BoundTemplate) -> None:
        self.template = template

    def render(self, data: Mapping[str, Any]) -> str:
        context = JsRenderContext(self.template, globals=data)
        buffer = _BoundedBuffer(_ENV.output_stream_limit or 0)
        for node in self.template.nodes:
            try:
                node.render(context, buffer)
            except LiquidInterrupt:
                # liquidjs stops rendering the template at a ``break`` / ``continue`` outside a loop.
                break
        return buffer.getvalue()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile(source: str) -> DirectTemplate | _LiquidTemplate | tuple[str, str]:
    try:
        template = _ENV.parse_template(protect_markers(source))
    except LiquidError as error:
        return (syntax_error_name(error), str(error))
    return direct_template(template) or _LiquidTemplate(template)


def _plain_text(text: str) -> str:
    if "t." in text or "[T:" in text:
        return restore_markers(protect_markers(text))
    return text


def render_string(template: str, context: Mapping[str, Any]) -> str:
    """Render one control value as a Liquid template.

    Raises :class:`TemplateCompileError` if the template does not parse or fails while rendering.
    """
    if "{{" not in template and "{%" not in template:
        return _plain_text(template)
    compiled = _compile(template)
    if isinstance(compiled, tuple):
        raise TemplateCompileError(*compiled)
    try:
        text = compiled.render(context)
    except Exception as error:
        raise TemplateCompileError(RENDER_ERROR, str(error)) from error
    return restore_markers(text)


def render_controls(controls: Any, context: Mapping[str, Any]) -> Any:
    """Render every string in ``controls`` (object keys and array items included) as its own template (D5).

    Returns a new structure; values that are not strings are kept as they are.
    """
    if isinstance(controls, str):
        return render_string(controls, context)
    if isinstance(controls, dict):
        return {
            render_string(key, context): render_controls(value, context) for key, value in controls.items()
        }
    if isinstance(controls, list):
        return [render_controls(item, context) for item in controls]
    return controls
