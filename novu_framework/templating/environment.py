"""A python-liquid environment that renders the way the reference's liquidjs engine does.

* ``{{ }}`` and ``{% echo %}`` print with the reference's output escape (:func:`js.print_value`), unless the
  last filter is ``raw``;
* variable paths read JSON data like liquidjs with ``ownPropertyOnly`` (``size``, ``first``, ``last``,
  negative indexes; no ``now`` / ``today`` globals);
* comparisons follow JavaScript (:mod:`novu_framework.templating.expressions`);
* filters are the liquidjs built-ins plus the reference's custom ones
  (:mod:`novu_framework.templating.filters`);
* unknown filters pass the value through, undefined variables are empty, blank blocks still render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from io import StringIO
from typing import Any, TextIO

from liquid import BoundTemplate, Environment, Mode, RenderContext, TokenStream
from liquid.ast import Node
from liquid.builtin.expressions import LoopExpression, tokenize
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.builtin.tags.for_tag import ForLoop, ForTag
from liquid.builtin.tags.tablerow_tag import TableRow, TablerowNode, TablerowTag
from liquid.exceptions import LiquidSyntaxError
from liquid.expression import Expression
from liquid.parser import get_parser
from liquid.token import TOKEN_EXPRESSION, TOKEN_OUTPUT, Token
from liquid.utils import ReadOnlyChainMap

from novu_framework.templating import filters, js
from novu_framework.templating.expressions import adapt_template, quote_keyword_segments
from novu_framework.templating.limits import RenderBudget, current_budget
from novu_framework.templating.syntax import IllegalTagError


class JsRenderContext(RenderContext):
    """Render context whose variable lookups follow liquidjs's ``readProperty``."""

    __slots__ = ()

    def __init__(self, template: BoundTemplate, **kwargs: Any) -> None:
        super().__init__(template, **kwargs)
        # liquidjs has no built-in ``now`` / ``today`` variables.
        self.scope = ReadOnlyChainMap(self.locals, self.globals, self.counters)

    def get_item(self, obj: Any, key: Any) -> Any:
        if obj is None or isinstance(obj, (dict, list, str, int, float)):
            return js.read_property(obj, key)
        return super().get_item(obj, key)

    async def get_item_async(self, obj: Any, key: Any) -> Any:
        return self.get_item(obj, key)

    @contextmanager
    def loop(self, namespace: Mapping[str, object], forloop: ForLoop | TableRow) -> Iterator[RenderContext]:
        # Every loop of the step draws on one iteration budget, and each iteration checks the deadline.
        budget = current_budget()
        if budget is not None:
            budget.charge_loop(forloop.length)
            forloop.it = _timed(forloop.it, budget)
        with super().loop(namespace, forloop) as context:
            yield context

    def get_buffer(self, buf: TextIO | None = None) -> StringIO:
        # ``capture`` and ``ifchanged`` write here: their text counts as output too.
        budget = current_budget()
        return StringIO() if budget is None else BudgetBuffer(budget)


def _timed(items: Iterator[Any], budget: RenderBudget) -> Iterator[Any]:
    for item in items:
        budget.check_time()
        yield item


class BudgetBuffer(StringIO):
    """An output buffer charged to the render budget."""

    def __init__(self, budget: RenderBudget) -> None:
        super().__init__()
        self.budget = budget

    def write(self, text: str) -> int:
        self.budget.charge_output(len(text))
        return super().write(text)


class _TimedTokenStream(TokenStream):
    """Checks the render deadline while a template is parsed."""

    def __init__(self, tokens: Iterator[Token], budget: RenderBudget) -> None:
        super().__init__(tokens)
        self.budget = budget
        self.count = 0

    def next(self) -> Token:
        self.count += 1
        if not self.count & 63:
            self.budget.check_time()
        return super().next()

    def next_token(self) -> Token:
        self.count += 1
        if not self.count & 63:
            self.budget.check_time()
        return super().next_token()


class JsTemplate(BoundTemplate):
    context_class = JsRenderContext


def ends_with_raw(expression: Expression) -> bool:
    """Whether the last filter is ``raw``: liquidjs then prints without its output escape."""
    filters = getattr(expression, "filters", None) or []
    return bool(filters) and filters[-1].name == "raw"


class JsOutputNode(OutputNode):
    """``{{ }}``: prints with the reference's output escape, or as JSON when the last filter is ``raw``."""

    __slots__ = ("raw",)

    def __init__(self, token: Token, expression: Expression) -> None:
        super().__init__(token, expression)
        self.raw = ends_with_raw(expression)

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        value = self.expression.evaluate(context)
        return buffer.write(js.stringify(value) if self.raw else js.print_value(value))

    async def render_to_output_async(self, context: RenderContext, buffer: TextIO) -> int:
        return self.render_to_output(context, buffer)


class JsEchoNode(JsOutputNode, EchoNode):
    """``{% echo %}``: prints as ``{{ }}`` does (and reads back as an echo tag)."""

    __slots__ = ()


class JsOutput(Output):
    node_class = JsOutputNode


class JsEcho(EchoTag):
    node_class = JsEchoNode


def _check_loop_arguments(env: Environment, stream: TokenStream) -> None:
    # liquidjs rejects a loop it cannot read as an illegal tag (a ParseError), not a tokenization error.
    tag, expression = stream.current, stream.peek
    if expression.kind != TOKEN_EXPRESSION:
        raise IllegalTagError(f"illegal tag: {tag.value}", token=tag)
    try:
        LoopExpression.parse(env, TokenStream(tokenize(expression.value, expression)))
    except LiquidSyntaxError as error:
        raise IllegalTagError(f"illegal tag: {tag.value}", token=tag) from error


class JsFor(ForTag):
    def parse(self, stream: TokenStream) -> Node:
        _check_loop_arguments(self.env, stream)
        return super().parse(stream)


class JsTablerow(TablerowTag):
    def parse(self, stream: TokenStream) -> TablerowNode:
        _check_loop_arguments(self.env, stream)
        return super().parse(stream)


class NovuLiquidEnvironment(Environment):
    """The one environment controls are rendered with."""

    template_class = JsTemplate
    suppress_blank_control_flow_blocks = False
    logical_not_operator = True
    shorthand_indexes = True
    # liquidjs sets no limits; a step's templates share one RenderBudget instead (limits.py).

    def __init__(self) -> None:
        super().__init__(tolerance=Mode.STRICT, strict_filters=False, autoescape=False)

    def setup_tags_and_filters(self, *, extra: bool = False) -> None:
        super().setup_tags_and_filters(extra=extra)
        for tag in (JsOutput, JsEcho, JsFor, JsTablerow):
            self.add_tag(tag)
        filters.register(self)

    def tokenizer(self) -> Callable[[str], Iterator[Token]]:
        lex = super().tokenizer()

        def tokenize_template(source: str) -> Iterator[Token]:
            previous = ""
            budget = current_budget()
            for count, token in enumerate(lex(source)):
                if budget is not None and not count & 63:
                    budget.check_time()
                if token.kind == TOKEN_EXPRESSION:
                    if budget is not None:
                        budget.check_expression(token.value)
                    value = quote_keyword_segments(token.value)
                    if previous == TOKEN_OUTPUT and value.endswith("|") and value[:-1].strip():
                        # liquidjs ignores a dangling pipe at the end of an output: ``{{ name | }}``.
                        value = value[:-1]
                    token = token._replace(value=value)
                previous = token.kind
                yield token

        return tokenize_template

    def _parse(self, source: str) -> list[Node]:
        budget = current_budget()
        if budget is None:
            return super()._parse(source)
        parser = get_parser(self)
        return parser.parse(_TimedTokenStream(self.tokenizer()(source), budget))

    def parse_template(self, source: str) -> BoundTemplate:
        """Parse ``source`` and give its comparisons liquidjs semantics."""
        template = self.from_string(source)
        adapt_template(template)
        return template
