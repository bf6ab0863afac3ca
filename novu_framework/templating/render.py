"""Compile control values once, render them many times.

Compiled templates are cached by source text (LRU). A value without ``{{`` or ``{%`` never reaches Liquid, and
a template made only of text and plain variable outputs (``Welcome {{payload.name}}!``) is rendered by a
direct lookup instead of a full Liquid render context.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from liquid import BoundTemplate
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions import FilteredExpression, Path
from liquid.exceptions import LiquidError

from novu_framework.templating import js
from novu_framework.templating.environment import JsOutputNode, NovuLiquidEnvironment
from novu_framework.templating.errors import RENDER_ERROR, TemplateCompileError, syntax_error_name
from novu_framework.templating.translation import protect_markers, restore_markers

CACHE_SIZE = 4096

_ENV = NovuLiquidEnvironment()

Segments = tuple[str | int, ...]


class _PathTemplate:
    """Text and variable outputs only: rendered without a Liquid render context."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[str | Segments]) -> None:
        self.parts = parts

    def render(self, data: Mapping[str, Any]) -> str:
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                out.append(js.print_value(_lookup(data, part)))
        return "".join(out)


def _lookup(data: Mapping[str, Any], segments: Segments) -> Any:
    root = segments[0]
    if not isinstance(root, str) or root not in data:
        return None
    value = data[root]
    for segment in segments[1:]:
        if value is None:
            return None
        try:
            value = js.read_property(value, segment)
        except KeyError:
            return None
    return value


class _LiquidTemplate:
    __slots__ = ("template",)

    def __init__(self, template: BoundTemplate) -> None:
        self.template = template

    def render(self, data: Mapping[str, Any]) -> str:
        return self.template.render(data)


def _simple_parts(template: BoundTemplate) -> list[str | Segments] | None:
    parts: list[str | Segments] = []
    for node in template.nodes:
        if type(node) is ContentNode:
            parts.append(node.text)
            continue
        expression = getattr(node, "expression", None)
        if type(node) is not JsOutputNode or type(expression) is not FilteredExpression or expression.filters:
            return None
        path = expression.left
        if type(path) is not Path or not all(isinstance(segment, (str, int)) for segment in path.path):
            return None
        parts.append(tuple(path.path))  # type: ignore[arg-type]
    return parts


@functools.lru_cache(maxsize=CACHE_SIZE)
def _compile(source: str) -> _PathTemplate | _LiquidTemplate | tuple[str, str]:
    try:
        template = _ENV.parse_template(protect_markers(source))
    except LiquidError as error:
        return (syntax_error_name(error), str(error))
    parts = _simple_parts(template)
    return _PathTemplate(parts) if parts is not None else _LiquidTemplate(template)


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
