"""Translation markers survive rendering: ``{{ t.key }}`` is printed back as ``{{t.key}}`` for Novu.

As in the reference, ``{{ t.key }}`` and quoted ``'t.key'`` arguments become ``[T:key]`` before Liquid runs,
and every ``[T:key]`` in the rendered text becomes ``{{t.key}}`` (so ``{{ 3 | pluralize: 't.apple', 't.apples'
}}`` renders ``3 {{t.apples}}``).
"""

from __future__ import annotations

import re

from novu_framework.templating.js import JS_SPACE_CLASS

# ``[\\w.-]`` is the reference's ``[\\p{L}\\p{N}_.-]``: Python's \\w is Unicode letters, numbers and "_".
_KEY = r"([\w.-]+)"
_OUTPUT_MARKER = re.compile(r"\{\{" + JS_SPACE_CLASS + r"*t\." + _KEY + JS_SPACE_CLASS + r"*\}\}")
_QUOTED_MARKER = re.compile(r"'t\." + _KEY + "'")
_PLACEHOLDER = re.compile(r"\[T:" + _KEY + r"\]")


def protect_markers(source: str) -> str:
    """Replace translation markers in a template by placeholders Liquid leaves alone."""
    if "t." not in source:
        return source
    source = _OUTPUT_MARKER.sub(r"[T:\1]", source)
    return _QUOTED_MARKER.sub(r"'[T:\1]'", source)


def restore_markers(text: str) -> str:
    """Turn placeholders in rendered text back into ``{{t.key}}`` markers."""
    if "[T:" not in text:
        return text
    return _PLACEHOLDER.sub(r"{{t.\1}}", text)
