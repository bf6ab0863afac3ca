"""Differential test: each template of ``differential_corpus.json`` rendered by our engine and the reference.

The reference side is ``liquid_oracle.js`` in mode ``novu``: the reference's own liquidjs engine and filters,
each value rendered on its own (D5), with the documented fixes D5 (newlines kept), D6 (``digest``) and D8
(``size`` of a string counts code points). Both engines must print the same text or fail with the same
liquidjs error name. Node.js and the installed reference are required; without them the test fails and says
why.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from novu_framework.js.json import loads
from novu_framework.templating import TemplateCompileError, render_string
from tests.templating.oracle import render_with_reference

CORPUS = json.loads((Path(__file__).parent / "differential_corpus.json").read_text(encoding="utf-8"))

# A ``tablerow`` prints newlines after its rows in python-liquid, none in liquidjs.
KNOWN_DIFFERENCES = {"{% tablerow i in payload.arr cols: 2 %}{{ i }}{% endtablerow %}"}

# Syntax errors: both engines must reject these with the same liquidjs error name.
MALFORMED = [
    "{% if %}x{% endif %}",
    "{% unless %}x{% endunless %}",
    "{% case %}{% endcase %}",
    "{% for %}{% endfor %}",
    "{% for x %}{% endfor %}",
    "{% for x in %}{% endfor %}",
    "{% tablerow %}{% endtablerow %}",
    "{% assign %}",
    "{% assign x %}",
    "{% assign x = %}",
    "{% capture %}{% endcapture %}",
    "{% capture x %}",
    "{% cycle %}",
    "{% if x %}{% elsif %}{% endif %}",
    "{% if x %}{% else %}",
    "{% for x in y %}",
    "{% unless x %}",
    "{% case x %}",
    "{% capture x %}a",
    "{% tablerow x in y %}",
    "{% if x %}{% endunless %}",
    "{% endfor %}",
    "{% else %}",
    "{% comment %}",
    "{% raw %}",
    "{% foo %}",
    "{% endif %}",
    "{% liquid foo %}",
    "{{ | x }}",
    "{{ x || y }}",
    "{{ x | f: a b }}",
    "{{ x | f a }}",
    "{{ x[ }}",
    "{{ x] }}",
    "{{ x[0 }}",
    "{{ (1..) }}",
    "{{ 'a }}",
    "{{ @ }}",
    "{{ x.@ }}",
    "{% if x = 1 %}a{% endif %}",
    "{% if (x) %}a{% endif %}",
    "{{ x }",
    "{{ x } }}",
    "{% if x %",
    "{% if x }",
    "a {{",
    "a {%",
    "{{{ x }}}",
    "{{ {x} }}",
    "Hello {{ payload.reason",
    "{% if payload.mode == 'ok' %}unterminated if",
    "{{ }}",
    "{{ payload..name }}",
    '{{ "abc }}',
    "{% assign = 1 %}",
    "{% for i in (1..3) %}{{ i }}{% endfor %}{% endfor %}",
    "{% if a %}{% endif %}{% endif %}",
    "{% raw %}{% endraw %}{% endraw %}",
    # Failures while rendering.
    "{{ payload.name | append }}",
    "{{ payload.name | prepend: 'a', 'b' }}",
    "{{ '%%%' | base64_decode }}",
    "{{ '%E0%A4%A' | url_decode }}",
]


def _templates() -> list[str]:
    templates = [template for group in CORPUS["templates"].values() for template in group]
    templates += [
        f'{{{{ {count} | pluralize: "{word}" }}}}'
        for word in CORPUS["plural_words"]
        for count in CORPUS["plural_counts"]
    ]
    return templates + MALFORMED


def _ours(template: str, context: Any) -> dict[str, Any]:
    try:
        return {"ok": True, "output": render_string(template, context)}
    except TemplateCompileError as error:
        return {"ok": False, "name": error.name}


def _theirs(result: dict[str, Any]) -> dict[str, Any]:
    if result["ok"]:
        return {"ok": True, "output": result["output"]}
    return {"ok": False, "name": result["name"]}


@pytest.fixture(scope="module")
def reference_results() -> dict[str, dict[str, Any]]:
    templates = _templates()
    results = render_with_reference(templates, CORPUS["context"])
    return dict(zip(templates, results, strict=True))


@pytest.mark.parametrize("template", _templates())
def test_same_rendering_as_the_reference(template: str, reference_results: dict[str, dict[str, Any]]) -> None:
    context = loads(json.dumps(CORPUS["context"]))
    ours, theirs = _ours(template, context), _theirs(reference_results[template])
    if template in KNOWN_DIFFERENCES:
        assert ours != theirs, "a known difference disappeared: remove it from KNOWN_DIFFERENCES"
        return
    assert ours == theirs


def test_the_corpus_covers_both_outcomes(reference_results: dict[str, dict[str, Any]]) -> None:
    outcomes = [result["ok"] for result in reference_results.values()]
    assert outcomes.count(True) > 400
    assert {result.get("name") for result in reference_results.values()} >= {
        "TokenizationError",
        "ParseError",
        "RenderError",
    }


# Random strings through the string filters and comparisons: Unicode case mapping, whitespace, escaping.
ALPHABET = [
    *"abcXYZ 019-_.,;:!?'\"\\/<>&%+=#\t\n\r",
    *"àéîõüßİıﬁǅΣσςΩ ",
    *[
        "\u00a0",
        "\u2028",
        "\u3000",
        "\u0301",
        "😀",
        "👍🏽",
        "你",
        "好",
        "ﾃ",
        "\u200b",
        "\x01",
        "ǰ",
        "ŉ",
        "ΐ",
        "ﬀ",
    ],
]
STRING_FILTERS = [
    "upcase",
    "downcase",
    "capitalize",
    "size",
    "truncate: 5",
    "truncate: 4, '…'",
    "truncatewords: 2",
    "strip",
    "lstrip",
    "rstrip",
    "escape",
    "escape_once",
    "url_encode",
    "cgi_escape",
    "uri_escape",
    "slugify",
    "slugify: 'pretty'",
    "slugify: 'latin'",
    "split: ' ' | join: '|'",
    "replace: 'a', 'b'",
    "remove: ' '",
    "slice: 1, 3",
    "slice: -2",
    "squish",
    "normalize_whitespace",
    "newline_to_br",
    "strip_newlines",
    "append: '!'",
    "json",
    "jsonify",
    "number_of_words",
    "number_of_words: 'cjk'",
    "base64_encode",
    "sha256",
    "url_encode | url_decode",
    "strip_html",
    "split: ' ' | uniq | size",
    "pluralize: 'x'",
    "default: 'd'",
]
# JavaScript splits characters beyond U+FFFF into two UTF-16 halves here; ours keeps code points (as D8).
CODE_UNIT_FILTERS = ["first", "last", "split: '' | sort | join"]


def _random_strings() -> list[str]:
    rng = random.Random(20240601)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 14))) for _ in range(120)]


def _unicode_cases() -> tuple[dict[str, Any], list[str]]:
    strings = _random_strings()
    templates = []
    for index, text in enumerate(strings):
        filters = STRING_FILTERS + ([] if any(ord(char) > 0xFFFF for char in text) else CODE_UNIT_FILTERS)
        templates += [f"{{{{ payload.s{index} | {name} }}}}" for name in filters]
        following = (index + 1) % len(strings)
        templates.append(f"{{% if payload.s{index} > payload.s{following} %}}gt{{% else %}}le{{% endif %}}")
        templates.append(f"{{% if payload.s{index} contains 'a' %}}y{{% endif %}}")
    return {"payload": {f"s{index}": text for index, text in enumerate(strings)}}, templates


def test_random_strings_render_as_in_the_reference() -> None:
    context, templates = _unicode_cases()
    theirs = [_theirs(result) for result in render_with_reference(templates, context)]
    data = loads(json.dumps(context))
    ours = [_ours(template, data) for template in templates]
    differences = [
        (template, mine, reference)
        for template, mine, reference in zip(templates, ours, theirs, strict=True)
        if mine != reference
    ]
    assert differences == []


def test_the_oracle_fixes_exactly_the_documented_deviations() -> None:
    # The same engine without the fixes shows the reference's bugs, so the comparisons above test them.
    context = {"payload": {"three": ["A", "B", "C"], "s": "😀", "text": "a\nb"}}
    templates = ["{{ payload.three | digest: 3 }}", "{{ payload.s | size }}", "{{ payload.text }}"]
    reference = [result["output"] for result in render_with_reference(templates, context, mode="reference")]
    fixed = [result["output"] for result in render_with_reference(templates, context)]
    assert reference == ["A, , B and C", "2", "a\\nb"]
    assert fixed == ["A, B and C", "1", "a\nb"]
    assert [render_string(template, context) for template in templates] == fixed
