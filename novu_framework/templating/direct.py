"""Direct rendering of templates made only of text and output statements (``Hi {{ payload.name | upcase }}``).

Most control values are such templates. They are rendered here without a Liquid render context: variables
are read from the data with the same rules (:func:`js.read_property`), the same filter functions are called
and the result is printed as the output tag prints it. Anything else (tags, ranges, nested variable
indexes, filters that need the render context) is left to the full Liquid render.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from liquid import BoundTemplate
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions import FilteredExpression, KeywordArgument, Path
from liquid.builtin.expressions.primitive import Blank, Empty, Literal
from liquid.expression import Expression

from novu_framework.templating import js
from novu_framework.templating.environment import JsOutputNode, ends_with_raw
from novu_framework.templating.expressions import JsNil


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def resolve(self, _data: Mapping[str, Any]) -> Any:
        return self.value


class _Variable:
    __slots__ = ("rest", "root")

    def __init__(self, root: str, rest: list[str | int]) -> None:
        self.root = root
        self.rest = rest

    def resolve(self, data: Mapping[str, Any]) -> Any:
        if self.root not in data:
            return js.UNDEFINED
        value = data[self.root]
        for segment in self.rest:
            try:
                value = js.read_property(value, segment)
            except KeyError:
                return js.UNDEFINED
        return value


_Operand = _Constant | _Variable
_FilterCall = tuple[Callable[..., Any], tuple[_Operand, ...], dict[str, _Operand]]


class _Output:
    __slots__ = ("filters", "raw", "source")

    def __init__(self, source: _Operand, filters: list[_FilterCall], raw: bool) -> None:
        self.source = source
        self.filters = filters
        self.raw = raw

    def render(self, data: Mapping[str, Any]) -> str:
        value = self.source.resolve(data)
        for function, args, keywords in self.filters:
            positional = [arg.resolve(data) for arg in args]
            named = {name: arg.resolve(data) for name, arg in keywords.items()}
            value = function(value, *positional, **named)
        return js.stringify(value) if self.raw else js.print_value(value)


class DirectTemplate:
    """A template rendered by plain lookups and filter calls."""

    __slots__ = ("parts",)

    def __init__(self, parts: list[str | _Output]) -> None:
        self.parts = parts

    def render(self, data: Mapping[str, Any]) -> str:
        return "".join(part if isinstance(part, str) else part.render(data) for part in self.parts)


def _operand(expression: Expression) -> _Operand | None:
    if isinstance(expression, Path):
        root, *rest = expression.path
        if isinstance(root, str) and all(isinstance(segment, (str, int)) for segment in rest):
            return _Variable(root, rest)  # type: ignore[arg-type]
        return None
    if isinstance(expression, JsNil):
        return _Constant(js.NIL)
    if isinstance(expression, (Empty, Blank)):
        return _Constant(expression)
    if isinstance(expression, Literal):
        return _Constant(expression.value)
    return None


def _output(expression: Any, filters: Mapping[str, Callable[..., Any]]) -> _Output | None:
    if type(expression) is not FilteredExpression:
        return None
    source = _operand(expression.left)
    if source is None:
        return None
    calls: list[_FilterCall] = []
    written = expression.filters or []
    for call in written:
        function = filters.get(call.name)
        args: list[_Operand] = []
        keywords: dict[str, _Operand] = {}
        for argument in call.args:
            operand = _operand(argument.value)
            if operand is None:
                return None
            if isinstance(argument, KeywordArgument):
                keywords[argument.name] = operand
            else:
                args.append(operand)
        if function is None:
            continue  # unknown filters pass the value through
        if getattr(function, "with_context", False):
            return None
        calls.append((function, tuple(args), keywords))
    return _Output(source, calls, ends_with_raw(expression))


def direct_template(template: BoundTemplate) -> DirectTemplate | None:
    """A direct renderer for ``template``, or ``None`` if it needs the full Liquid render."""
    parts: list[str | _Output] = []
    for node in template.nodes:
        if type(node) is ContentNode:
            parts.append(node.text)
            continue
        if type(node) is not JsOutputNode:
            return None
        output = _output(node.expression, template.env.filters)
        if output is None:
            return None
        parts.append(output)
    return DirectTemplate(parts)
