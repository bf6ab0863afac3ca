"""Comparison operators with liquidjs semantics, applied to templates parsed by python-liquid.

python-liquid compares the Shopify way (``'10' > 9`` is an error, ``1 == true`` is false but ``[1] == [1]`` is
a deep comparison). liquidjs uses JavaScript: ``===`` with item-by-item arrays for ``==``, coercing relational
operators, ``indexOf`` for ``contains``. After parsing, :func:`adapt_template` rebinds each comparison node to
a subclass with the same slots whose ``evaluate`` follows liquidjs; the parse tree is otherwise untouched, so
the work is done once per cached template.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from liquid import RenderContext, TokenStream
from liquid.ast import Node
from liquid.builtin.expressions import FilteredExpression, LoopExpression, tokenize
from liquid.builtin.expressions.filtered import Filter
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
    parse_boolean_primitive,
)
from liquid.builtin.expressions.primitive import Nil, StringLiteral
from liquid.builtin.tags.case_tag import _AnyExpression
from liquid.expression import Expression
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_PIPE, Token
from liquid.undefined import Undefined

from novu_framework.js.strings import join_surrogate_pairs
from novu_framework.templating import js

if TYPE_CHECKING:
    from liquid import BoundTemplate, Environment


class JsEq(EqExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.strict_equals(self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsNe(NeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return not js.strict_equals(self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsLt(LtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.less_than(self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsGt(GtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.less_than(self.right.evaluate(context), self.left.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsLe(LeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.less_or_equal(self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsGe(GeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.less_or_equal(self.right.evaluate(context), self.left.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsContains(ContainsExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> bool:
        return js.contains(self.left.evaluate(context), self.right.evaluate(context))

    async def evaluate_async(self, context: RenderContext) -> bool:
        return self.evaluate(context)


class JsWhen(_AnyExpression):
    """A ``when`` clause: its block renders once if any of its values equals the ``case`` value."""

    __slots__ = ()

    def evaluate(self, context: RenderContext) -> list[bool]:
        target = js.to_value(self.left.evaluate(context))
        return [any(js.strict_equals(target, value.evaluate(context)) for value in self.expressions)]

    async def evaluate_async(self, context: RenderContext) -> list[bool]:
        return self.evaluate(context)


class JsNil(Nil):
    """The ``nil`` literal evaluates to liquidjs's NullDrop, not to ``null``."""

    __slots__ = ()

    def evaluate(self, _context: RenderContext) -> Any:
        return js.NIL

    async def evaluate_async(self, _context: RenderContext) -> Any:
        return js.NIL


class JsLoop(LoopExpression):
    """``for`` over an object visits ``[key, value]`` pairs in JavaScript property order."""

    __slots__ = ()

    def _to_iter(self, obj: object, context: RenderContext) -> tuple[Iterator[Any], int]:
        if type(obj) is list:
            return iter(obj), len(obj)
        if isinstance(obj, (Undefined, js.NullDrop)) or obj is None:
            return iter(()), 0
        if isinstance(obj, dict):
            pairs = [[key, value] for key, value in js.js_items(obj)]
            return iter(pairs), len(pairs)
        return super()._to_iter(obj, context)


_REPLACEMENTS: dict[type[Expression], type[Expression]] = {
    EqExpression: JsEq,
    NeExpression: JsNe,
    LtExpression: JsLt,
    GtExpression: JsGt,
    LeExpression: JsLe,
    GeExpression: JsGe,
    ContainsExpression: JsContains,
    _AnyExpression: JsWhen,
    Nil: JsNil,
    LoopExpression: JsLoop,
}


_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_OCTAL_DIGITS = frozenset("01234567")


def decode_string_literal(text: str) -> str:
    """The backslash escapes liquidjs reads in a quoted string: ``\\n``, ``\\u00e9``, ``\\101``, ``\\q``..."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        following = text[index + 1 : index + 2]
        if char != "\\" or not following:
            out.append(char)
            index += 1
        elif following in _ESCAPES:
            out.append(_ESCAPES[following])
            index += 2
        elif following == "u":
            end = index + 2
            while end < min(index + 6, len(text)) and text[end] in _HEX_DIGITS:
                end += 1
            out.append(chr(int(text[index + 2 : end] or "0", 16)))
            index = end
        elif following in _OCTAL_DIGITS:
            end = index + 1
            while end < min(index + 4, len(text)) and text[end] in _OCTAL_DIGITS:
                end += 1
            out.append(chr(int(text[index + 1 : end], 8)))
            index = end
        else:
            out.append(following)
            index += 2
    decoded = "".join(out)
    return join_surrogate_pairs(decoded)


def _adapt_expression(expression: Expression) -> None:
    pending = [expression]
    while pending:
        current = pending.pop()
        replacement = _REPLACEMENTS.get(type(current))
        if replacement is not None:
            current.__class__ = replacement
        elif type(current) is StringLiteral and "\\" in current.value:
            current.value = decode_string_literal(current.value)
        pending.extend(current.children())


def adapt_template(template: BoundTemplate) -> None:
    """Give every comparison in ``template`` liquidjs semantics (in place)."""
    static_context = RenderContext(template)
    pending: list[Node] = list(template.nodes)
    while pending:
        node = pending.pop()
        for expression in node.expressions():
            _adapt_expression(expression)
        pending.extend(_children(node, static_context))


def _children(node: Node, static_context: RenderContext) -> Iterable[Node]:
    return node.children(static_context, include_partials=False)


# python-liquid reads these words as keywords even after a dot; to liquidjs ``payload.limit`` is a property.
_KEYWORD_SEGMENT = re.compile(
    r"""("[^"]*"|'[^']*')|(?<!\.)\.(true|false|nil|null|empty|blank|and|or|contains|not|in|offset|limit|"""
    r"""reversed|cols|continue|with|for|as|if|else|required)(?![\w?-])"""
)


def quote_keyword_segments(expression: str) -> str:
    """Write ``a.limit`` as ``a["limit"]`` (outside string literals) so it stays a property access."""
    if "." not in expression:
        return expression
    return _KEYWORD_SEGMENT.sub(lambda match: match[1] or f'["{match[2]}"]', expression)


@functools.lru_cache(maxsize=256)
def compile_expression(env: Environment, source: str) -> Expression:
    """Parse a ``*_exp`` filter's expression: operators, then filters (``x.price > 10``, ``w | upcase``)."""
    source = quote_keyword_segments(source)
    token = Token(TOKEN_EXPRESSION, source, 0, source)
    stream = TokenStream(tokenize(source, token))
    expression = parse_boolean_primitive(env, stream)
    filters = Filter.parse(env, stream, delim=(TOKEN_PIPE,))
    stream.expect(TOKEN_EOF)
    if filters:
        expression = FilteredExpression(token, expression, filters)
    _adapt_expression(expression)
    return expression
