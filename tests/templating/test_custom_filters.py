"""The reference's own filters (workflow-api.md §8.4): digest (D6 fix), toSentence, pluralize, json."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework.templating import TemplateCompileError, render_string

USERS = [{"name": "John"}, {"name": "Josh"}, {"name": "Sarah"}, {"name": "Mia"}]
EVENTS = [{"payload": {"user": {"name": name}}} for name in ("A", "B", "C")]
DATA: dict[str, Any] = {
    "payload": {
        "arr": ["x", "y", "z", "w"],
        "three": ["A", "B", "C"],
        "two": ["A", "B"],
        "one": ["A"],
        "users": USERS,
        "events": EVENTS,
        "obj": {"a": 1, "b": "x"},
        "mixed": [{"name": "Ann"}, "plain", None, 7, {"other": 1}, {"name": {"first": "Deep"}}, {"name": {}}],
        "count": 3,
        "html": "<b>bold</b> & co",
    }
}


def render(template: str) -> str:
    return render_string(template, DATA)


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # Observed in the reference (unchanged by D6).
        ("{{ payload.arr | digest }}", "x, y and 2 others"),
        ("{{ payload.arr | digest: 1 }}", "x and 3 others"),
        ("{{ payload.arr | digest: 3 }}", "x, y, z and 1 other"),
        ("{{ payload.users | digest: 2, 'name' }}", "John, Josh and 2 others"),
        ("{{ payload.users | digest: 2, 'name', ' • ' }}", "John • Josh and 2 others"),
        ("{{ payload.events | digest: 2, 'payload.user.name' }}", "A, B and 1 other"),
        ("{{ payload.two | digest }}", "A and B"),
        ("{{ payload.one | digest }}", "A"),
        # D6: when every name fits, all are printed, never an empty one nor "and 0 others".
        ("{{ payload.three | digest: 3 }}", "A, B and C"),
        ("{{ payload.three | digest: 3, '', ' / ' }}", "A / B and C"),
        ("{{ payload.arr | digest: 4 }}", "x, y, z and w"),
        ("{{ payload.arr | digest: 5 }}", "x, y, z and w"),
        ("{{ payload.users | digest: 10, 'name' }}", "John, Josh, Sarah and Mia"),
        # One and two names print the same whatever the limit.
        ("{{ payload.two | digest: 1 }}", "A and B"),
        ("{{ payload.one | digest: 0 }}", "A"),
        # Key paths: items that are not objects and missing keys give empty names; objects print as JSON.
        ("{{ payload.mixed | digest: 7, 'name' }}", 'Ann, , , , , {"first":"Deep"} and '),
        ("{{ payload.missing | digest }}|{{ payload.count | digest }}|{{ payload.obj | digest }}", "||"),
    ],
)
def test_digest(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ payload.users | toSentence: 'name' }}", "John, Josh, and 2 others"),
        ("{{ payload.users | toSentence: 'name', 3 }}", "John, Josh, Sarah, and 1 other"),
        ("{{ payload.users | toSentence: 'name', 4 }}", "John, Josh, Sarah, and Mia"),
        ("{{ payload.users | toSentence: 'name', 1 }}", "John and 3 others"),
        (
            "{{ payload.users | toSentence: 'name', 2, 'person', '; ', ' & ', '; & ' }}",
            "John; Josh; & 2 people",
        ),
        ("{{ payload.arr | toSentence }}", "x, y, and 2 others"),
        ("{{ payload.events | toSentence: 'payload.user.name', 3 }}", "A, B, and C"),
        ("{{ payload.events | toSentence: 'payload.user.name', 2 }}", "A, B, and 1 other"),
        ("{{ payload.two | toSentence: '', 1 }}", "A and B"),
        ("{{ payload.one | toSentence }}", "A"),
        ("{{ payload.missing | toSentence }}|{{ payload.obj | toSentence }}", "|"),
        # A single raw item is returned as it is, so an object prints as an object.
        ("{{ payload.users | slice: 0 | toSentence }}", "{'name':'John'}"),
    ],
)
def test_to_sentence(template: str, expected: str) -> None:
    assert render(template) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ payload.arr | pluralize: 'item' }}", "4 items"),
        ("{{ 1 | pluralize: 'item' }}", "1 item"),
        ("{{ 0 | pluralize: 'item' }}", ""),
        ("{{ -1 | pluralize: 'item' }}", ""),
        ("{{ 2 | pluralize: 'person', 'people' }}", "2 people"),
        ("{{ 1 | pluralize: 'person', 'people' }}", "1 person"),
        ("{{ 2 | pluralize: 'item', '', 'false' }}", "items"),
        # Only the string "true" shows the count; a Liquid boolean does not.
        ("{{ 2 | pluralize: 'item', '', true }}", "items"),
        ("{{ '5' | pluralize: 'box' }}", "5 boxes"),
        ("{{ payload.obj | pluralize: 'key' }}", "2 keys"),
        ("{{ 3 | pluralize: 'person' }}", "3 people"),
        ("{{ payload.count | pluralize: 'new message' }}", "3 new messages"),
        ("{{ 1 | pluralize: 'messages' }}", "1 message"),
        ("{{ 2.5 | pluralize: 'cup' }}", "2.5 cups"),
        (
            "{{ 'many' | pluralize: 'x' }}|{{ payload.missing | pluralize: 'x' }}|{{ '' | pluralize: 'x' }}",
            "||",
        ),
        ("{{ true | pluralize: 'truth' }}", "1 truth"),
        ("{{ 2 | pluralize: 'Child' }}|{{ 2 | pluralize: 'SHEEP' }}", "2 Children|2 SHEEP"),
        ("{{ 2 | pluralize }}", "2 "),
    ],
)
def test_pluralize(template: str, expected: str) -> None:
    assert render(template) == expected


def test_pluralize_needs_a_word_that_is_text() -> None:
    with pytest.raises(TemplateCompileError) as caught:
        render("{{ 2 | pluralize: payload.obj }}")
    assert caught.value.name == "RenderError"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ payload.obj | json }}", "{'a':1,'b':'x'}"),
        ("{{ payload.obj | json: 2 }}", "{\n  'a': 1,\n  'b': 'x'\n}"),
        ("{{ payload.two | json: '--' }}", "[\n--'A',\n--'B'\n]"),
        ("{{ payload.obj | json: 20 }}", "{\n          'a': 1,\n          'b': 'x'\n}"),
        ("{{ payload.count | json }}|{{ payload.missing | json }}|{{ 'text' | json }}", "3||text"),
        # The liquidjs built-in is still there as ``jsonify``: real JSON with double quotes.
        ("{{ payload.obj | jsonify }}", '{"a":1,"b":"x"}'),
        ("{{ payload.html | escape }}", "&lt;b&gt;bold&lt;/b&gt; &amp; co"),
        ("{{ '2024-01-02T03:04:05Z' | date: '%Y-%m-%d' }}", "2024-01-02"),
    ],
)
def test_json_and_other_observed_filters(template: str, expected: str) -> None:
    assert render(template) == expected
