"""Every liquidjs built-in filter plus the reference's custom ones, with JavaScript calling conventions.

liquidjs calls a filter with the evaluated arguments in order, keyword arguments (``allow_false: true``) as
``[name, value]`` pairs among them; extra arguments are ignored and missing ones are ``undefined``. Filters
here take ``(value, *args)`` and read their arguments with those rules. A string or array longer
than a few thousand items returned by a filter is checked against the render budget.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from liquid import Environment

from novu_framework.templating.filters import arrays, dates, encoding, misc, novu, numbers, strings
from novu_framework.templating.filters._support import FilterFailure
from novu_framework.templating.limits import current_budget

__all__ = ["FILTERS", "FilterFailure", "register"]

FILTERS: dict[str, Callable[..., Any]] = {
    **encoding.FILTERS,
    **numbers.FILTERS,
    **arrays.FILTERS,
    **dates.FILTERS,
    **strings.FILTERS,
    **misc.FILTERS,
    **novu.FILTERS,
}


def _with_keyword_pairs(function: Callable[..., Any]) -> Callable[..., Any]:
    needs_context = getattr(function, "with_context", False)

    @functools.wraps(function)
    def call(value: Any, *args: Any, context: Any = None, **keywords: Any) -> Any:
        pairs = [[name, item] for name, item in keywords.items()]
        if needs_context:
            result = function(value, *args, *pairs, context=context)
        else:
            result = function(value, *args, *pairs)
        if isinstance(result, (str, list)) and len(result) > 4096:
            budget = current_budget()
            if budget is not None:
                budget.check_string(len(result))
        return result

    call.with_context = needs_context  # type: ignore[attr-defined]
    return call


def register(env: Environment) -> None:
    """Replace the environment's filters with the liquidjs-compatible set."""
    env.filters.clear()
    for name, function in FILTERS.items():
        env.add_filter(name, _with_keyword_pairs(function))
