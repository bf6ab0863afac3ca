"""liquidjs array filters (``join`` ... ``sample``), including the ``*_exp`` forms."""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from typing import Any

from liquid import RenderContext
from liquid.filter import with_context
from liquid.undefined import Undefined

from novu_framework.templating.expressions import compile_expression
from novu_framework.templating.filters._support import (
    arg,
    parse_variable_path,
    read_dotted,
    read_segments,
    same_value_zero_key,
    to_array,
    to_enumerable,
)
from novu_framework.templating.js import (
    UNDEFINED,
    compare,
    compare_strings,
    is_nil,
    is_truthy,
    js_join,
    js_str,
    js_truthy,
    strict_equals,
    stringify,
    to_number,
    to_value,
)
from novu_framework.templating.limits import current_budget


def join(value: Any, *args: Any) -> str:
    separator = to_value(arg(args, 0, None))
    items = to_array(value)
    text = " " if is_nil(separator) else stringify(separator)
    budget = current_budget()
    if budget is not None and len(text) * len(items) > budget.limits.string_chars:
        budget.check_string(len(text) * (len(items) - 1))
    return js_join(items, text)


def _element(value: Any, index: int) -> Any:
    value = to_value(value)
    if not isinstance(value, (list, str)):
        return ""
    if not value:
        return UNDEFINED
    return value[index]


def first(value: Any, *_: Any) -> Any:
    return _element(value, 0)


def last(value: Any, *_: Any) -> Any:
    return _element(value, -1)


def reverse(value: Any, *_: Any) -> list[Any]:
    return list(reversed(to_array(value)))


def size(value: Any, *_: Any) -> int:
    # D8: a string counts code points; anything without a length is 0.
    value = to_value(value)
    return len(value) if isinstance(value, (list, str)) else 0


def _ordered_compare(left: Any, right: Any) -> int:
    if is_nil(left) or is_nil(right):
        return is_nil(left) - is_nil(right)
    return compare(left, right) or 0


def _case_insensitive_compare(left: Any, right: Any) -> int:
    if is_nil(left) or is_nil(right):
        return is_nil(left) - is_nil(right)
    return compare_strings(js_str(left).lower(), js_str(right).lower())


def _sort_by(value: Any, prop: Any, comparator: Callable[[Any, Any], int]) -> list[Any]:
    keyed = [(item, read_dotted(item, prop) if prop else item) for item in to_array(value)]

    def compare_keys(left: tuple[Any, Any], right: tuple[Any, Any]) -> int:
        return comparator(left[1], right[1])

    keyed.sort(key=functools.cmp_to_key(compare_keys))
    return [item for item, _ in keyed]


def sort(value: Any, *args: Any) -> list[Any]:
    return _sort_by(value, arg(args, 0, None), _ordered_compare)


def sort_natural(value: Any, *args: Any) -> list[Any]:
    return _sort_by(value, arg(args, 0, None), _case_insensitive_compare)


def map_(value: Any, *args: Any) -> list[Any]:
    prop = arg(args, 0)
    return [read_dotted(item, prop) for item in to_array(value)]


def sum_(value: Any, *args: Any) -> int | float:
    prop = arg(args, 0, None)
    total: int | float = 0
    for item in to_array(value):
        number = to_number(read_dotted(item, prop) if prop else item)
        total += 0 if number != number else number
    return total


def compact(value: Any, *_: Any) -> list[Any]:
    return [item for item in to_array(value) if not is_nil(to_value(item))]


def concat(value: Any, *args: Any) -> list[Any]:
    return to_array(value) + to_array(arg(args, 0, []))


def push(value: Any, *args: Any) -> list[Any]:
    return [*to_array(value), arg(args, 0)]


def unshift(value: Any, *args: Any) -> list[Any]:
    return [arg(args, 0), *to_array(value)]


def pop(value: Any, *_: Any) -> list[Any]:
    return to_array(value)[:-1]


def shift(value: Any, *_: Any) -> list[Any]:
    return to_array(value)[1:]


def _integer(value: Any) -> int | None:
    number = to_number(value)
    if is_nil(value) or number != number:
        return None
    return int(max(min(number, 2**53), -(2**53)))


def slice_(value: Any, *args: Any) -> Any:
    value = to_value(value)
    if is_nil(value):
        return []
    if not isinstance(value, list):
        value = stringify(value)
    begin, length = _integer(arg(args, 0)), _integer(arg(args, 1, 1))
    length = length or 0
    if begin is None:
        # JavaScript: an array slices to "undefined + length" (nothing); a string starts at 0.
        return [] if isinstance(value, list) else value[:length]
    if begin < 0:
        begin += len(value)
    if begin < 0 or length < 0:
        return [] if isinstance(value, list) else ""
    return value[begin : begin + length]


def _matches(value: Any, expected: Any) -> bool:
    if isinstance(expected, Undefined):
        return is_truthy(value)
    return strict_equals(value, expected)


def _property_reader(prop: Any) -> Callable[[Any], Any]:
    segments = parse_variable_path(prop)
    if not segments:
        return lambda _item: UNDEFINED

    def read(item: Any) -> Any:
        head = to_value(item)
        if not isinstance(head, (dict, list, str)):
            return UNDEFINED
        return read_segments(head, segments)

    return read


def _filter(include: bool, value: Any, args: tuple[Any, ...]) -> list[Any]:
    read, expected = _property_reader(arg(args, 0)), arg(args, 1)
    return [item for item in to_array(value) if _matches(read(item), expected) == include]


def where(value: Any, *args: Any) -> list[Any]:
    return _filter(True, value, args)


def reject(value: Any, *args: Any) -> list[Any]:
    return _filter(False, value, args)


def _search(value: Any, args: tuple[Any, ...]) -> tuple[int, Any] | None:
    read, expected = _property_reader(arg(args, 0)), arg(args, 1)
    for index, item in enumerate(to_array(value)):
        if _matches(read(item), expected):
            return index, item
    return None


def has(value: Any, *args: Any) -> bool:
    return _search(value, args) is not None


def find(value: Any, *args: Any) -> Any:
    found = _search(value, args)
    return UNDEFINED if found is None else found[1]


def find_index(value: Any, *args: Any) -> Any:
    found = _search(value, args)
    return UNDEFINED if found is None else found[0]


def group_by(value: Any, *args: Any) -> list[dict[str, Any]]:
    read = _property_reader(arg(args, 0))
    return _group(to_enumerable(value), read)


def _group(items: list[Any], key_of: Callable[[Any], Any]) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for item in items:
        name = key_of(item)
        group = groups.setdefault(same_value_zero_key(name), {"name": name, "items": []})
        group["items"].append(item)
    return list(groups.values())


def _expression_values(context: RenderContext, items: list[Any], args: tuple[Any, ...]) -> list[Any]:
    name, expression = stringify(arg(args, 0)), compile_expression(context.env, stringify(arg(args, 1)))
    values = []
    for item in items:
        with context.extend({name: item}):
            values.append(expression.evaluate(context))
    return values


@with_context
def where_exp(value: Any, *args: Any, context: RenderContext) -> list[Any]:
    items = to_array(value)
    results = _expression_values(context, items, args)
    return [item for item, result in zip(items, results, strict=True) if result is True]


@with_context
def reject_exp(value: Any, *args: Any, context: RenderContext) -> list[Any]:
    items = to_array(value)
    results = _expression_values(context, items, args)
    return [item for item, result in zip(items, results, strict=True) if result is False]


def _search_exp(context: RenderContext, value: Any, args: tuple[Any, ...]) -> tuple[int, Any] | None:
    items = to_array(value)
    results = _expression_values(context, items, args)
    for index, (item, result) in enumerate(zip(items, results, strict=True)):
        if js_truthy(result):
            return index, item
    return None


@with_context
def has_exp(value: Any, *args: Any, context: RenderContext) -> bool:
    return _search_exp(context, value, args) is not None


@with_context
def find_exp(value: Any, *args: Any, context: RenderContext) -> Any:
    found = _search_exp(context, value, args)
    return UNDEFINED if found is None else found[1]


@with_context
def find_index_exp(value: Any, *args: Any, context: RenderContext) -> Any:
    found = _search_exp(context, value, args)
    return UNDEFINED if found is None else found[0]


@with_context
def group_by_exp(value: Any, *args: Any, context: RenderContext) -> list[dict[str, Any]]:
    items = to_enumerable(value)
    keys = iter(_expression_values(context, items, args))
    return _group(items, lambda _item: next(keys))


def uniq(value: Any, *_: Any) -> list[Any]:
    seen: dict[Any, Any] = {}
    for item in to_array(value):
        seen.setdefault(same_value_zero_key(item), item)
    return list(seen.values())


def sample(value: Any, *args: Any) -> Any:
    value = to_value(value)
    if is_nil(value):
        return []
    items = list(value) if isinstance(value, list) else list(stringify(value))
    random.shuffle(items)
    count = arg(args, 0, 1)
    if count == 1 and not isinstance(count, bool):
        return items[0] if items else UNDEFINED
    number = to_number(count)
    return items[: int(number)] if number == number else []


FILTERS: dict[str, Callable[..., Any]] = {
    "join": join,
    "first": first,
    "last": last,
    "reverse": reverse,
    "size": size,
    "sort": sort,
    "sort_natural": sort_natural,
    "map": map_,
    "sum": sum_,
    "compact": compact,
    "concat": concat,
    "push": push,
    "unshift": unshift,
    "pop": pop,
    "shift": shift,
    "slice": slice_,
    "where": where,
    "reject": reject,
    "where_exp": where_exp,
    "reject_exp": reject_exp,
    "has": has,
    "has_exp": has_exp,
    "find": find,
    "find_exp": find_exp,
    "find_index": find_index,
    "find_index_exp": find_index_exp,
    "group_by": group_by,
    "group_by_exp": group_by_exp,
    "uniq": uniq,
    "sample": sample,
}
