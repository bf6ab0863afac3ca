"""Compile control values once, render them many times.

Compiled templates are cached by source text (LRU). A value without ``{{`` or ``{%`` never reaches Liquid,
and a template made only of text and output statements (``Welcome {{payload.name}}!``) is rendered directly
(:mod:`novu_framework.templating.direct`) instead of through a Liquid render context.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from liquid import BoundTemplate
from liquid.exceptions import LiquidError, LiquidInterrupt

from novu_framework.templating.direct import DirectTemplate, direct_template
from novu_framework.templating.environment import BudgetBuffer, JsRenderContext, NovuLiquidEnvironment
from novu_framework.templating.errors import RENDER_ERROR, TemplateCompileError
from novu_framework.templating.limits import (
    RenderBudget,
    RenderLimitError,
    RenderLimits,
    current_budget,
    end_budget,
    start_budget,
)
from novu_framework.templating.syntax import syntax_error_name
from novu_framework.templating.translation import protect_markers, restore_markers

_T = TypeVar("_T")

CACHE_SIZE = 4096

_ENV = NovuLiquidEnvironment()


class _LiquidTemplate:
    __slots__ = ("template",)

    def __init__(self, template: BoundTemplate) -> None:
        self.template = template

    def render(self, data: Mapping[str, Any], budget: RenderBudget) -> str:
        context = JsRenderContext(self.template, globals=data)
        buffer = BudgetBuffer(budget)
        for node in self.template.nodes:
            try:
                node.render(context, buffer)
            except LiquidInterrupt:
                # liquidjs stops rendering the template at a ``break`` / ``continue`` outside a loop.
                break
        return buffer.getvalue()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile(source: str) -> DirectTemplate | _LiquidTemplate | tuple[str, str]:
    # Runs only on a cache miss: that is what the ``templates`` limit counts. An exception is not cached.
    budget = current_budget()
    if budget is not None:
        budget.charge_template()
    try:
        template = _ENV.parse_template(protect_markers(source))
    except LiquidError as error:
        if isinstance(error.__cause__, RenderLimitError):
            raise error.__cause__ from None  # the template may be fine: the budget ran out
        return (syntax_error_name(error), str(error))
    return direct_template(template) or _LiquidTemplate(template)


def _plain_text(text: str) -> str:
    if "t." in text or "[T:" in text:
        return restore_markers(protect_markers(text))
    return text


def render_string(template: str, context: Mapping[str, Any], limits: RenderLimits | None = None) -> str:
    """Render one control value as a Liquid template.

    Raises :class:`TemplateCompileError` if the template does not parse or fails while rendering, and
    :class:`RenderLimitError` if it goes over the render budget (``limits``, or the one in progress).
    """
    if "{{" not in template and "{%" not in template:
        return _plain_text(template)
    return _within_budget(limits, lambda budget: _render_template(template, context, budget))


def _within_budget(limits: RenderLimits | None, work: Callable[[RenderBudget], _T]) -> _T:
    """``work`` under the render budget in progress, or under a new one from ``limits``."""
    budget = current_budget()
    if budget is not None:
        return work(budget)
    budget = start_budget(limits)
    try:
        return work(budget)
    finally:
        end_budget()


def _render_template(template: str, context: Mapping[str, Any], budget: RenderBudget) -> str:
    if "{{" not in template and "{%" not in template:
        return _plain_text(template)
    compiled = _compile(template)
    if isinstance(compiled, tuple):
        raise TemplateCompileError(*compiled)
    try:
        if isinstance(compiled, DirectTemplate):
            text = compiled.render(context)
            budget.charge_output(len(text))
        else:
            text = compiled.render(context, budget)
    except RenderLimitError:
        raise
    except Exception as error:
        raise TemplateCompileError(RENDER_ERROR, str(error)) from error
    return restore_markers(text)


def render_controls(controls: Any, context: Mapping[str, Any], limits: RenderLimits | None = None) -> Any:
    """Render every string in ``controls`` (object keys and array items included) as its own template (D5).

    Returns a new structure; values that are not strings are kept as they are. All the templates share
    one budget (``limits``, by default :func:`default_render_limits`); going over it raises
    :class:`RenderLimitError` naming the control.
    """
    return _within_budget(limits, lambda budget: _render_value(controls, context, budget))


def _render_value(value: Any, context: Mapping[str, Any], budget: RenderBudget) -> Any:
    if isinstance(value, str):
        return _render_template(value, context, budget)
    if isinstance(value, dict):
        rendered: dict[str, Any] = {}
        for key, item in value.items():
            try:
                rendered[_render_template(key, context, budget)] = _render_value(item, context, budget)
            except RenderLimitError as error:
                raise error.inside("/" + key.replace("~", "~0").replace("/", "~1")) from None
        return rendered
    if isinstance(value, list):
        items = []
        for index, item in enumerate(value):
            try:
                items.append(_render_value(item, context, budget))
            except RenderLimitError as error:
                raise error.inside(f"/{index}") from None
        return items
    return value
