"""The former home of the JSON helpers, now :mod:`novu_framework.js.json`; these names stay importable."""

from novu_framework.js.json import MAX_INTEGER_DIGITS, JsonParseError, dumps, loads
from novu_framework.js.json import stringify as js_stringify
from novu_framework.js.numbers import number_to_string as js_number
from novu_framework.js.values import to_string as js_string

__all__ = ["MAX_INTEGER_DIGITS", "JsonParseError", "dumps", "js_number", "js_string", "js_stringify", "loads"]
