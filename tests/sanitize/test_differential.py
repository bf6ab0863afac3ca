"""Ours against the TypeScript reference's sanitiser (sanitize-html with @novu/framework's options), in node.

Every input is run through two reference configurations: the reference exactly, and the reference with
D9's changes expressed as sanitize-html options (``on*`` attributes dropped from every tag; ``iframe``,
``object`` and ``embed`` dropped with their content). Ours must equal the second on every input, and the
first on every input that has nothing D9 acts on. The few places where ours differs beyond that are
pinned one by one in ``test_known_differences``.
"""

from __future__ import annotations

import html
import random
import re
from typing import Any

import pytest

from novu_framework.sanitize import sanitize_html
from novu_framework.sanitize.entities import decode_entities
from novu_framework.sanitize.policy import ALLOWED_TAGS, NON_BOOLEAN, SELF_CLOSING, URL_ATTRIBUTES
from tests.reference import node_or_skip
from tests.sanitize.conftest import NODE_MODULES, Reference
from tests.sanitize.html_corpus import CORPUS

# What D9 changes: an attribute starting with `on`, or an iframe/object/embed element (and D14: a meta
# refresh).
_D9_TRIGGER = re.compile(r"<[^>]*?[\s/\"']on|<(?:iframe|object|embed)|http-equiv", re.IGNORECASE)


@pytest.fixture(scope="module")
def corpus_answers(reference: Reference) -> list[tuple[str, str, str]]:
    answers = reference(html=CORPUS)["html"]
    return [(text, plain, d9) for text, (plain, d9) in zip(CORPUS, answers, strict=True)]


def test_corpus_equals_the_reference_with_d9_options(corpus_answers: list[tuple[str, str, str]]) -> None:
    mismatches = [
        (text, d9, sanitize_html(text)) for text, _, d9 in corpus_answers if sanitize_html(text) != d9
    ]
    assert mismatches == []


def test_corpus_equals_the_plain_reference_where_d9_does_not_apply(
    corpus_answers: list[tuple[str, str, str]],
) -> None:
    unaffected = [(text, plain) for text, plain, _ in corpus_answers if not _D9_TRIGGER.search(text)]
    assert len(unaffected) > 200  # the filter leaves most of the corpus to compare
    assert [(text, plain) for text, plain in unaffected if sanitize_html(text) != plain] == []
    # ...and where D9 does apply, it shows: the plain reference keeps something ours removes.
    affected = [(text, plain, d9) for text, plain, d9 in corpus_answers if _D9_TRIGGER.search(text)]
    assert sum(plain != d9 for _, plain, d9 in affected) >= 5


def _random_markup(rng: random.Random) -> str:
    # `style` is left out (raw CSS is pinned in test_known_differences) and every `&` starts a complete
    # reference followed by a separator (malformed references are covered by the entity sweep).
    tokens = [
        "<", ">", "/", "!", "-", "--", "?", "=", '"', "'", " ", "\n", "\t", "\r", "\0", "\x0c",
        "&amp; ", "&lt;", "&#x41;", "&#65 ", "&nbsp;", "&copy ", "&notin; ", "&bogus; ",
        "a", "b", "p", "br", "img", "hr", "wbr", "col", "script", "title", "textarea", "xmp", "svg", "math",
        "option", "select", "table", "tr", "td", "li", "ul", "div", "span", "iframe", "object", "embed",
        "html", "body", "head", "meta", "link", "tmp", "xitle", "SCRIPT", "Title", "TD",
        "href", "src", "srcset", "onclick", "on", "alt", "class", "id", "javascript:", "http://x", "data:",
        "1x", "2x", "100w", ",", "[CDATA[", "]]>", "<!--", "-->", "<!DOCTYPE html>", "</", "/>",
        "0", "1", "9", ";", "#", ":", "\\", "é", "\ufffd", "\u2028",
    ]  # fmt: skip
    return "".join(rng.choice(tokens) for _ in range(rng.randint(1, 60)))


def test_random_markup_equals_the_reference_with_d9_options(reference: Reference) -> None:
    rng = random.Random(20240626)
    inputs = [_random_markup(rng) for _ in range(6000)]
    answers = reference(html=inputs)["html"]
    mismatches = [(text, d9, sanitize_html(text)) for text, (_, d9) in zip(inputs, answers, strict=True)]
    assert [m for m in mismatches if m[1] != m[2]] == []


@pytest.mark.parametrize(
    ("text", "reference_output", "ours"),
    [
        # Raw CSS that closes the element the way browsers do (`</style/`) lets the rest escape into the
        # document in the reference; ours writes `<\/style/` (the same CSS).
        (
            "<style>a</style/><script>alert(1)</script></style>",
            "<style>a</style/><script>alert(1)</script></style>",
            "<style>a<\\/style/><script>alert(1)</script></style>",
        ),
        # `<style/>` opens a style element without raw text: the reference then writes decoded text
        # unescaped; ours escapes it like any other text.
        (
            "<style/>&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
            "<style></style><script>alert(1)</script></style>",
            "<style>&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;</style>",
        ),
        # entities 7.0.1 decodes some malformed references into wrong characters; ours leaves them.
        (
            '<a href="?x=1&divideon=2">l</a>',
            '<a href="?x=1÷on=2">l</a>',
            '<a href="?x=1&amp;divideon=2">l</a>',
        ),
        ('<a href="?a&eta=">l</a>', '<a href="?aë">l</a>', '<a href="?a&amp;eta=">l</a>'),
        ("<p>x &Ocy y &eta=</p>", "<p>x Áy ë</p>", "<p>x &amp;Ocy y &amp;eta=</p>"),
    ],
)
def test_known_differences(reference: Reference, text: str, reference_output: str, ours: str) -> None:
    assert reference(html=[text])["html"][0][0] == reference_output
    assert sanitize_html(text) == ours


def _entity_sweep() -> list[str]:
    names = sorted({key.rstrip(";") for key in html.entities.html5})
    inputs = {
        f"&{name[:end]}{suffix}"
        for name in names
        for end in range(1, len(name) + 1)
        for suffix in ("", ";", "x", "=", " ", "1", "X;", "&amp;", "<")
    }
    inputs |= {
        "&#",
        "&#x",
        "&#;",
        "&#x;",
        "&#65",
        "&#x41",
        "&#0065;",
        "&#x00041z",
        "&#999999999999999999999;",
    }
    inputs |= {"&#x110000", "&#128;", "&#159", "&#13;", "&#xd800;", "&#xDFFF;", "&#x1F600;", "&#1114111;"}
    inputs |= {"&#1114112;", "&#0;", "&#00;", "&&amp;", "&;", "&#65;;", "&#X41;", "a&amp;b&lt;c"}
    return sorted(inputs)


def test_entity_decoding_sweep(reference: Reference) -> None:
    """Every prefix of every HTML5 name, with the characters that end or continue a reference.

    Text mode: ours equals entities 7.0.1 wherever that decoder follows the HTML standard, and the
    standard (``html.unescape``) where it does not. Attribute mode: where the two differ, ours keeps the
    reference as written (entities 7.0.1 decodes it, sometimes into a wrong character).
    """
    inputs = _entity_sweep()
    answers: list[Any] = reference(entities=inputs)["entities"]
    text_differences = []
    attribute_differences = []
    for text, (text_mode, attribute_mode) in zip(inputs, answers, strict=True):
        ours_text = decode_entities(text, 0, len(text), False)
        ours_attribute = decode_entities(text, 0, len(text), True)
        if ours_text != text_mode:
            text_differences.append(text)
            assert ours_text == html.unescape(text), text
        if ours_attribute != attribute_mode:
            attribute_differences.append(text)
            assert ours_attribute == text.replace("&amp;", "&"), text
    assert len(inputs) > 60_000
    assert len(text_differences) < 50 and len(attribute_differences) < 400


def test_policy_tables_equal_sanitize_html_defaults(reference: Reference) -> None:
    defaults = reference()["defaults"]
    assert frozenset(defaults["allowedTags"]) | {
        "style",
        "img",
        "html",
        "head",
        "body",
        "link",
        "meta",
        "title",
    } == (ALLOWED_TAGS)
    assert frozenset(defaults["selfClosing"]) == SELF_CLOSING
    assert frozenset(defaults["allowedSchemesAppliedToAttributes"]) == URL_ATTRIBUTES
    assert defaults["allowedSchemes"] == ["http", "https", "ftp", "mailto", "tel"]
    assert defaults["allowedEmptyAttributes"] == ["alt"]
    non_boolean = {name for name in defaults["nonBooleanAttributes"] if not name.startswith("on")}
    assert frozenset(non_boolean) == NON_BOOLEAN
    assert defaults["disallowedTagsMode"] == "discard"


def test_the_reference_bundle_still_uses_these_options() -> None:
    """reference_sanitize.js copies the options out of @novu/framework's bundle; they must still be there."""
    node_or_skip("reading the sanitiser options out of the reference's bundle")
    bundle = (NODE_MODULES / "@novu" / "framework" / "dist" / "cjs" / "index.cjs").read_text(encoding="utf-8")
    img = '["src","alt","width","height","loading","srcset","sizes","crossorigin","usemap","ismap","class",'
    img += '"id","style","title","dir","lang"]'
    for fragment in (
        img,
        '.defaults.allowedTags.concat(["style","img","html","head","body","link","meta","title"]),'
        "allowedAttributes:!1,",
        "allowVulnerableTags:!0,parseStyleAttributes:!1,parser:{lowerCaseAttributeNames:!0}}",
        "/^<!DOCTYPE .*?>/",
    ):
        assert fragment in bundle
