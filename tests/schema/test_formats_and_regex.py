"""ajv-formats definitions and JavaScript regular expression semantics."""

from __future__ import annotations

import pytest

from novu_framework.schema import JsonSchema
from novu_framework.schema.formats import FORMATS
from novu_framework.schema.jsregex import JsRegexError, compile_js_regex


def valid(fmt: str, value: object) -> bool:
    schema = {"type": "object", "properties": {"v": {"type": ["string", "number"], "format": fmt}}}
    return JsonSchema(schema).validate({"v": value}).ok


@pytest.mark.parametrize(
    ("fmt", "good", "bad"),
    [
        ("email", ["a@b.co", "A.B+c@Example.COM"], ["a@b", "a..b@c.d", "not-an-email"]),
        (
            "uri",
            ["https://example.com/a?b=1#c", "urn:isbn:123", "http://[::1]:80/"],
            ["x", "/relative", "http://a b"],
        ),
        ("uri-reference", ["/relative", "https://x"], ["a b"]),
        ("url", ["https://example.com", "ftp://ab.cd/c"], ["http://10.0.0.1", "ftp://a.b/c", "x"]),
        (
            "date-time",
            ["2024-01-01T10:00:00Z", "2024-01-01 10:00:00", "2024-01-01t10:00:00.1+02:00"],
            ["2024-02-30T10:00:00Z", "2024-01-01T24:00:00Z", "yesterday"],
        ),
        ("date", ["2024-02-29"], ["2023-02-29", "2024-13-01", "24-01-01"]),
        ("time", ["10:00:00", "23:59:60Z", "10:00:00.5+01:00"], ["25:00:00", "10:00"]),
        (
            "uuid",
            ["123e4567-e89b-12d3-a456-426614174000", "urn:uuid:123e4567-e89b-12d3-a456-426614174000"],
            ["x"],
        ),
        ("ipv4", ["127.0.0.1"], ["256.0.0.1", "1.2.3"]),
        ("ipv6", ["::1", "2001:db8::8a2e:370:7334", "::ffff:1.2.3.4"], ["1::2::3"]),
        ("hostname", ["example.com"], ["-bad.com", "a" * 64 + ".com"]),
        ("duration", ["P1D", "PT1H30M", "P1W"], ["P", "1D"]),
        ("json-pointer", ["/a/b~0", ""], ["a"]),
        ("relative-json-pointer", ["0/a", "1#"], ["/a"]),
        ("regex", ["^a+$"], ["(", "a\\Z"]),
        ("byte", ["aGVsbG8="], ["aGVsbG8", "!!!"]),
        ("uri-template", ["https://x/{id}"], ["https://x/{id"]),
        ("int32", [1, -(2**31)], [2**31, 1.5]),
        ("int64", [2**40], [1.5]),
    ],
)
def test_format(fmt: str, good: list[object], bad: list[object]) -> None:
    for value in good:
        assert valid(fmt, value), value
    for value in bad:
        assert not valid(fmt, value), value


def test_string_formats_ignore_numbers_and_number_formats_ignore_strings() -> None:
    assert valid("email", 5)
    assert valid("int32", "not a number")


def test_every_ajv_formats_name_is_known() -> None:
    names = {
        "date",
        "time",
        "date-time",
        "duration",
        "uri",
        "uri-reference",
        "uri-template",
        "url",
        "email",
        "hostname",
        "ipv4",
        "ipv6",
        "regex",
        "uuid",
        "json-pointer",
        "json-pointer-uri-fragment",
        "relative-json-pointer",
        "byte",
        "int32",
        "int64",
        "float",
        "double",
        "password",
        "binary",
    }
    assert set(FORMATS) == names


def test_format_limits_compare_dates() -> None:
    schema = {
        "type": "object",
        "properties": {"d": {"type": "string", "format": "date", "formatMaximum": "2020-01-01"}},
    }
    assert JsonSchema(schema).validate({"d": "2019-12-31"}).ok
    assert JsonSchema(schema).validate({"d": "2021-01-01"}).errors == [
        {"path": "/d", "message": "should be <= 2020-01-01"}
    ]


@pytest.mark.parametrize(
    ("pattern", "matches", "misses"),
    [
        ("^[0-9]{5}$", ["12345"], ["1234", "١٢٣٤٥", "12345\n"]),
        ("\\d", ["a1"], ["٣"]),
        ("^\\w+$", ["abc_1"], ["é"]),
        ("^\\s$", [" ", "\u00a0", "\ufeff"], ["\x1c", "a"]),
        ("^.$", ["a", "😀"], ["\n", "\u2028"]),
        ("\\bcat\\b", ["a cat here", "écat"], ["concatenate", "cats"]),  # \\b is ASCII-only
        ("^(?<y>a)\\k<y>$", ["aa"], ["ab"]),
        ("[^\\d\\s]", ["1a"], ["1 2"]),
        ("^\\u00e9\\u{1F600}$", ["é😀"], ["e"]),
        ("^[]$", [], ["", "a"]),
        ("^[^]$", ["\n"], [""]),
        ("\\1(a)", ["a"], ["b"]),
        ("^\\/a\\.b$", ["/a.b"], ["/axb"]),
    ],
)
def test_javascript_regex_semantics(pattern: str, matches: list[str], misses: list[str]) -> None:
    regex = compile_js_regex(pattern)
    for text in matches:
        assert regex.search(text), (pattern, text)
    for text in misses:
        assert not regex.search(text), (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("(unclosed", "Unterminated group"),
        ("a)", "Unmatched ')'"),
        ("a\\Z", "Invalid escape"),
        ("a{", "Incomplete quantifier"),
        ("{", "Lone quantifier brackets"),
        ("]", "Lone quantifier brackets"),
        ("*a", "Nothing to repeat"),
        ("(?=a)*", "Invalid quantifier"),
        ("[b-a]", "Range out of order in character class"),
        ("[\\d-z]", "Invalid character class"),
        ("\\k<x>", "Invalid named capture referenced"),
        ("(?<n>a)(?<n>b)", "Duplicate capture group name"),
        ("a\\", "\\ at end of pattern"),
        ("\\p{Nope}", "Invalid property name"),
        ("\\p{L", "Invalid property name"),
    ],
)
def test_invalid_patterns_are_rejected_like_javascript(pattern: str, reason: str) -> None:
    with pytest.raises(JsRegexError) as info:
        compile_js_regex(pattern)
    assert str(info.value) == f"Invalid regular expression: /{pattern}/u: {reason}"


def test_non_unicode_mode_is_lenient_like_javascript() -> None:
    assert compile_js_regex("a{", unicode=False).search("a{")
    assert compile_js_regex("\\-", unicode=False).search("-")
