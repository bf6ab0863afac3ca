"""D14: the content of a ``<meta http-equiv="refresh">`` whose target has a disallowed scheme is removed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from novu_framework.sanitize import sanitize_html
from tests.sanitize.conftest import Reference


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', '<meta http-equiv="refresh" />'),
        ("<meta http-equiv=refresh content=\"0; URL='javascript:x'\">", '<meta http-equiv="refresh" />'),
        ('<meta http-equiv="REFRESH" content="0,java\tscript:x">', '<meta http-equiv="REFRESH" />'),
        ('<meta http-equiv="refresh" content="javascript:x">', '<meta http-equiv="refresh" />'),
        (
            '<meta http-equiv="refresh" content="0;url=/next">',
            '<meta http-equiv="refresh" content="0;url=/next" />',
        ),
        (
            '<meta http-equiv="refresh" content="9;URL=mailto:a@b.c">',
            '<meta http-equiv="refresh" content="9;URL=mailto:a@b.c" />',
        ),
        (
            '<meta name="description" content="javascript:x">',
            '<meta name="description" content="javascript:x" />',
        ),
        (
            '<meta http-equiv="x-refresh" content="0;url=javascript:x">',
            '<meta http-equiv="x-refresh" content="0;url=javascript:x" />',
        ),
    ],
)
def test_refresh_targets(html: str, expected: str) -> None:
    assert sanitize_html(html) == expected


_SCHEMES = st.sampled_from(
    ["javascript", "JavaScript", "vbscript", "data", "http", "https", "mailto", "tel", "ftp", "x-y"]
)
_SPACE = st.sampled_from(["", " ", "\t", "\n", "  "])


@settings(max_examples=300, deadline=None)
@given(
    delay=st.sampled_from(["", "0", "1.5", "10"]),
    separator=st.sampled_from(["", ";", ","]),
    url_key=st.sampled_from(["", "url=", "URL = ", "Url\t="]),
    quote=st.sampled_from(["", "'", '"']),
    scheme=_SCHEMES,
    before=_SPACE,
    after=_SPACE,
)
def test_no_refresh_to_a_disallowed_scheme_survives(
    delay: str, separator: str, url_key: str, quote: str, scheme: str, before: str, after: str
) -> None:
    content = f"{delay}{separator}{before}{url_key}{quote}{scheme}:target{quote}{after}"
    attribute = content.replace("&", "&amp;").replace('"', "&quot;")
    output = sanitize_html(f'<meta http-equiv="refresh" content="{attribute}">')
    allowed = scheme.lower() in ("http", "https", "mailto", "tel", "ftp")
    assert ("content=" in output) == allowed, (content, output)


def test_the_reference_keeps_the_script_target(reference: Reference) -> None:
    # Why D14 exists: sanitize-html with the reference's options lets the navigation through.
    text = '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
    plain, fixed = reference(html=[text])["html"][0]
    assert plain == '<meta http-equiv="refresh" content="0;url=javascript:alert(1)" />'
    assert fixed == sanitize_html(text) == '<meta http-equiv="refresh" />'
