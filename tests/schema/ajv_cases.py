"""(schema, data) pairs run through both real ajv and ours (see test_ajv_parity.py)."""

from __future__ import annotations

from typing import Any

from tests.conformance.catalogue import WELCOME_PAYLOAD  # the oracle-welcome payload schema

_IN_APP_REDIRECT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "url": {
            "type": "string",
            "pattern": "^(?!mailto:)(?:(https?):\\/\\/[^\\s/$.?#].[^\\s]*)|^(\\/[^\\s]*)$",
        },
        "target": {
            "type": "string",
            "enum": ["_self", "_blank", "_parent", "_top", "_unfencedTop"],
            "default": "_blank",
        },
    },
    "if": {"properties": {"url": {"type": "string", "pattern": "^/"}}},
    "then": {"properties": {"target": {"default": "_self"}}},
    "else": {"properties": {"target": {"default": "_blank"}}},
    "required": ["url"],
    "additionalProperties": False,
}
IN_APP_OUTPUT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "minLength": 1},
        "body": {"type": "string", "minLength": 1},
        "avatar": {"type": "string", "format": "uri"},
        "primaryAction": {
            "type": "object",
            "properties": {"label": {"type": "string"}, "redirect": _IN_APP_REDIRECT},
            "required": ["label"],
            "additionalProperties": False,
        },
        "data": {"type": "object", "additionalProperties": True},
        "redirect": _IN_APP_REDIRECT,
    },
    "anyOf": [{"required": ["subject"]}, {"required": ["body"]}],
    "additionalProperties": False,
}
IN_APP_RESULT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "seen": {"type": "boolean"},
        "read": {"type": "boolean"},
        "lastSeenDate": {"type": "string", "format": "date-time", "nullable": True},
        "lastReadDate": {"type": "string", "format": "date-time", "nullable": True},
    },
    "required": ["seen", "read", "lastSeenDate", "lastReadDate"],
    "additionalProperties": False,
}
_UNITS = ["seconds", "minutes", "hours", "days", "weeks", "months"]
DIGEST_OUTPUT: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "type": {"enum": ["regular"]},
                "amount": {"type": "number"},
                "unit": {"type": "string", "enum": _UNITS},
                "digestKey": {"type": "string"},
                "lookBackWindow": {
                    "type": "object",
                    "properties": {"amount": {"type": "number"}, "unit": {"type": "string", "enum": _UNITS}},
                    "required": ["amount", "unit"],
                    "additionalProperties": False,
                },
                "extendToSchedule": {"type": "boolean"},
            },
            "required": ["amount", "unit"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "type": {"enum": ["timed"]},
                "cron": {"type": "string"},
                "digestKey": {"type": "string"},
                "extendToSchedule": {"type": "boolean"},
            },
            "required": ["cron"],
            "additionalProperties": False,
        },
    ]
}
DELAY_OUTPUT: dict[str, Any] = {
    "oneOf": [
        {
            "type": "object",
            "properties": {
                "type": {"enum": ["regular"]},
                "amount": {"type": "number"},
                "unit": {"type": "string", "enum": _UNITS},
                "extendToSchedule": {"type": "boolean"},
            },
            "required": ["amount", "unit"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "type": {"enum": ["timed"]},
                "cron": {"type": "string"},
                "extendToSchedule": {"type": "boolean"},
            },
            "required": ["cron"],
            "additionalProperties": False,
        },
        {
            "type": "object",
            "properties": {
                "type": {"enum": ["dynamic"]},
                "dynamicKey": {"type": "string"},
                "extendToSchedule": {"type": "boolean"},
            },
            "required": ["dynamicKey"],
            "additionalProperties": False,
        },
    ]
}


def _obj(props: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, **extra}


def _prop(schema: dict[str, Any], *values: Any) -> list[tuple[dict[str, Any], Any]]:
    """One case per value of property ``a`` validated against ``schema``."""
    wrapped = _obj({"a": schema})
    return [(wrapped, {"a": v}) for v in values]


CASES: list[tuple[Any, Any]] = [
    # --- the bridge's own schemas --------------------------------------------------------------
    (WELCOME_PAYLOAD, {"name": "Ada"}),
    (WELCOME_PAYLOAD, {"name": "Ada", "plan": "pro", "items": ["a"], "count": 3, "x": 1}),
    (WELCOME_PAYLOAD, {}),
    (WELCOME_PAYLOAD, {"name": 5, "plan": "gold", "count": -1}),
    (WELCOME_PAYLOAD, {"name": "Ada", "count": 2.5}),
    (WELCOME_PAYLOAD, {"name": "Ada", "count": "3"}),
    (WELCOME_PAYLOAD, {"name": "", "address": {"zip": "123"}}),
    (WELCOME_PAYLOAD, {"name": "Ada", "address": {"zip": "12345", "street": "x"}}),
    (WELCOME_PAYLOAD, {"name": "Ada", "address": None}),
    (WELCOME_PAYLOAD, {"name": "Ada", "items": ["a", 2]}),
    (WELCOME_PAYLOAD, "str"),
    (WELCOME_PAYLOAD, []),
    (WELCOME_PAYLOAD, None),
    (IN_APP_OUTPUT, {"avatar": "x"}),
    (IN_APP_OUTPUT, {"subject": "s", "redirect": {"url": "/path"}}),
    (IN_APP_OUTPUT, {"body": "b", "redirect": {"url": "https://example.com"}}),
    (IN_APP_OUTPUT, {"body": "b", "redirect": {"url": "/x", "target": "_top"}}),
    (IN_APP_OUTPUT, {"body": "b", "redirect": {"url": "mailto:x@y.z"}}),
    (IN_APP_OUTPUT, {"body": "b", "redirect": {"target": "_self"}}),
    (IN_APP_OUTPUT, {"body": "b", "primaryAction": {"label": "L", "redirect": {"url": "/d"}}, "extra": 1}),
    (IN_APP_OUTPUT, {"body": "b", "primaryAction": {"redirect": {"url": "/d"}}}),
    (IN_APP_OUTPUT, {"subject": "", "body": ""}),
    (IN_APP_OUTPUT, {"body": "b", "avatar": "https://example.com/a.png", "data": {"k": [1]}}),
    (IN_APP_RESULT, {"seen": False}),
    (
        IN_APP_RESULT,
        {"seen": False, "read": True, "lastSeenDate": None, "lastReadDate": "2024-01-01T10:00:00Z"},
    ),
    (IN_APP_RESULT, {"seen": False, "read": True, "lastSeenDate": 5, "lastReadDate": None}),
    (IN_APP_RESULT, {"seen": False, "read": True, "lastSeenDate": "yesterday", "lastReadDate": None}),
    (DIGEST_OUTPUT, {"amount": 1, "unit": "hours", "cron": "0 0 * * *"}),
    (DIGEST_OUTPUT, {"cron": "0 0 * * *"}),
    (DIGEST_OUTPUT, {"cron": "0 0 * * *", "digestKey": "k", "other": 1}),
    (DIGEST_OUTPUT, {"amount": 1, "unit": "years"}),
    (DIGEST_OUTPUT, {"amount": 1, "unit": "hours", "lookBackWindow": {"amount": 1, "unit": "days", "x": 2}}),
    (DIGEST_OUTPUT, {}),
    (DIGEST_OUTPUT, {"type": "timed", "amount": 1, "unit": "hours"}),
    (DELAY_OUTPUT, {"amount": 1, "unit": "years"}),
    (DELAY_OUTPUT, {"amount": 1, "unit": "hours", "cron": "x", "dynamicKey": "k"}),
    (DELAY_OUTPUT, {"dynamicKey": "k", "amount": 1}),
    (DELAY_OUTPUT, "nope"),
    # --- type -----------------------------------------------------------------------------------
    *_prop({"type": "string"}, "x", 1, None, True, [], {}),
    *_prop({"type": "number"}, 1, 1.5, "1", True, None),
    *_prop({"type": "integer"}, 1, 1.5, 2.0, "1", False),
    *_prop({"type": "boolean"}, True, 0, "true"),
    *_prop({"type": "null"}, None, 0, ""),
    *_prop({"type": "array"}, [], {}, "[]"),
    *_prop({"type": "object"}, {}, [], None),
    *_prop({"type": ["string", "number"]}, "x", 1, None, [1]),
    *_prop({"type": ["array", "object"]}, [], {}, None, 1),
    *_prop({"type": ["array", "object", "null"]}, None, "x"),
    *_prop({"type": "string", "nullable": True}, None, "x", 5),
    *_prop({"type": "object", "nullable": True, "properties": {"b": {"type": "string"}}}, None, {"b": 1}, 3),
    *_prop({"type": "string", "minLength": 2, "enum": ["abc"]}, 5, "ab", "abc"),
    *_prop({"type": "string", "enum": ["abc"]}, 5, "ab"),
    *_prop({"type": "integer", "minimum": 3, "enum": [1, 5]}, 1, 2, 5, "x"),
    # --- strings ------------------------------------------------------------------------------
    *_prop({"type": "string", "minLength": 3}, "ab", "abc", "é😀x", "😀😀"),
    *_prop({"type": "string", "maxLength": 1}, "ab", "😀", ""),
    *_prop({"type": "string", "pattern": "^a+$"}, "aaa", "ab", "a\n"),
    *_prop({"type": "string", "pattern": "^[0-9]{5}$"}, "12345", "1234", "١٢٣٤٥"),
    *_prop({"type": "string", "pattern": "\\d"}, "a1", "abc", "٣"),
    *_prop({"type": "string", "pattern": "^\\w+$"}, "abc_1", "é"),
    *_prop({"type": "string", "pattern": "^\\s$"}, " ", "\u00a0", "\ufeff", "\x1c"),
    *_prop({"type": "string", "pattern": "^.$"}, "a", "\n", "\u2028", "😀"),
    *_prop({"type": "string", "pattern": "\\bcat\\b"}, "a cat here", "concatenate", "écat"),
    *_prop({"type": "string", "pattern": "^(?<y>a)\\k<y>$"}, "aa", "ab"),
    *_prop({"type": "string", "pattern": "[^\\d\\s]"}, "1 2", "1a"),
    *_prop({"type": "string", "pattern": "^[\\w-]+$"}, "a-b", "a b"),
    *_prop({"type": "string", "pattern": "^\\u00e9\\u{1F600}$"}, "é😀", "e"),
    # --- numbers ------------------------------------------------------------------------------
    *_prop({"type": "number", "minimum": 5}, 5, 4.99, -1),
    *_prop({"type": "number", "maximum": 5}, 5, 5.01),
    *_prop({"type": "number", "exclusiveMinimum": 5}, 5, 6),
    *_prop({"type": "number", "exclusiveMaximum": 0.5}, 0.5, 0.4),
    *_prop({"type": "number", "minimum": 1e21}, 1, 1e22),
    *_prop({"type": "number", "minimum": 0.1}, 0.05),
    *_prop({"type": "number", "multipleOf": 2}, 4, 5, 0, -6),
    *_prop({"type": "number", "multipleOf": 0.1}, 0.3, 0.2, 1),
    *_prop({"type": "number", "multipleOf": 0.01}, 1.23, 19.99),
    *_prop({"type": "number", "multipleOf": 1e-7}, 1),
    *_prop({"type": "integer", "multipleOf": 3, "maximum": 10}, 9, 12, 7),
    *_prop({"minimum": 3}, "x", 1, 5),
    # --- arrays --------------------------------------------------------------------------------
    *_prop({"type": "array", "minItems": 2}, [1], [1, 2]),
    *_prop({"type": "array", "maxItems": 1}, [1, 2], []),
    *_prop({"type": "array", "items": {"type": "string"}}, ["a", 1, 2], ["a"]),
    *_prop(
        {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "number"}}}},
        [{"x": 1}, {"x": "y"}],
    ),
    *_prop(
        {"type": "array", "uniqueItems": True},
        [1, 2, 1],
        [1, "1"],
        [{"a": 1}, {"a": 1}],
        [[1], [1, 2]],
        [1, True],
    ),
    *_prop({"type": "array", "uniqueItems": True, "items": {"type": "string"}}, ["a", "b", "a"], ["a", "b"]),
    *_prop(
        {"type": "array", "uniqueItems": True, "items": {"type": ["string", "number"]}},
        ["1", 1],
        [1, "a", 1.0],
    ),
    *_prop({"type": "array", "uniqueItems": True, "items": {"type": "number"}}, [1, 2.0, 2], [1, "x", "x"]),
    *_prop({"type": "array", "uniqueItems": False}, [1, 1]),
    *_prop({"type": "array", "contains": {"type": "string"}}, [1, 2], [1, "a"], []),
    *_prop({"type": "array", "contains": True}, [], [1]),
    *_prop({"type": "array", "items": [{"type": "string"}, {"type": "number"}]}, ["a", 1, True], [1], []),
    *_prop({"type": "array", "items": [{"type": "string"}], "additionalItems": False}, ["a", 1], ["a"]),
    *_prop(
        {"type": "array", "items": [{"type": "string"}], "additionalItems": {"type": "number"}}, ["a", 1, "b"]
    ),
    *_prop(
        {"type": "array", "items": [{"type": "string", "default": "x"}, {"type": "number", "default": 2}]},
        [],
        ["y"],
    ),
    # --- objects -------------------------------------------------------------------------------
    *_prop({"type": "object", "required": ["x", "y"]}, {}, {"y": 1}, {"x": None, "y": 1}),
    *_prop({"type": "object", "minProperties": 1}, {}, {"q": 1}),
    *_prop({"type": "object", "maxProperties": 1}, {"q": 1, "r": 2}),
    *_prop({"type": "object", "propertyNames": {"maxLength": 2}}, {"abc": 1}, {"ab": 1}),
    *_prop({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}}, {"ok": 1, "B": 2, "C": 3}),
    *_prop(
        {"type": "object", "dependencies": {"x": ["y", "z"]}}, {"x": 1}, {"x": 1, "y": 1, "z": 1}, {"y": 1}
    ),
    *_prop({"type": "object", "dependencies": {"x": ["y"]}}, {"x": 1}),
    *_prop({"type": "object", "dependencies": {"x": {"required": ["w"]}}}, {"x": 1}, {"w": 1}),
    *_prop(
        {"type": "object", "patternProperties": {"^x": {"type": "string"}}}, {"xa": 1}, {"xa": "s", "b": 1}
    ),
    *_prop(
        {"type": "object", "patternProperties": {"^x": {"type": "string"}}, "additionalProperties": False},
        {"xa": "s", "b": 1},
    ),
    *_prop({"type": "object", "additionalProperties": {"type": "number"}}, {"x": 1, "y": "no", "z": 2}),
    *_prop(
        {
            "type": "object",
            "properties": {"k": {"type": "string"}},
            "additionalProperties": {"type": "number"},
        },
        {"k": "s", "y": "no", "n": 1},
    ),
    *_prop({"type": "object", "additionalProperties": True}, {"x": 1}),
    *_prop({"type": "object", "additionalProperties": False}, {"x": 1}),
    *_prop(
        {"type": "object", "properties": {"2": {"type": "string"}, "1": {"type": "string"}}}, {"2": 1, "1": 2}
    ),
    *_prop(
        {"type": "object", "required": ["b", "a"], "properties": {"a": {"type": "string", "default": "d"}}},
        {},
    ),
    (_obj({"o": {"type": "object", "default": {}, "properties": {"d": {"default": "nd"}}}}), {}),
    (_obj({"o": {"type": "object", "properties": {"d": {"default": "nd"}}}}), {}),
    (_obj({"a": {"type": "string", "default": 5}}), {}),
    (_obj({"a": {"type": "object", "properties": {"b": {"default": 1}}, "default": {"c": 2}}}), {}),
    (_obj({"a": {"default": None}}), {}),
    (
        _obj({"a": {"type": "string"}}, required=["a"], additionalProperties=False, title="t"),
        {"a": "x", "b": 1},
    ),
    # --- const / enum / not ---------------------------------------------------------------------
    *_prop({"const": "x"}, "x", "y", None),
    *_prop({"const": 1}, 1, 1.0, True, "1"),
    *_prop({"const": None}, None, 0),
    *_prop({"const": {"a": [1, {"b": 2}]}}, {"a": [1, {"b": 2}]}, {"a": [1, {"b": 3}]}),
    *_prop({"enum": [1, "a", None, [1], {"k": True}]}, 1, True, "a", None, [1], {"k": True}, {"k": 1}),
    *_prop({"enum": [False]}, 0, False),
    *_prop({"not": {"type": "string"}}, "x", 1),
    *_prop({"not": {}}, 1),
    # --- combinators ----------------------------------------------------------------------------
    ({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "number"}]}, True),
    *_prop({"anyOf": [{"type": "string", "enum": ["a"]}, {"type": "number"}]}, True, "b", 1),
    *_prop({"anyOf": [{"type": "string"}, {}]}, 1),
    *_prop({"oneOf": [{"type": "number"}, {"type": "integer"}]}, 1, 1.5, "x"),
    *_prop({"oneOf": [{"type": "string"}, {}]}, "x", 1),
    *_prop({"allOf": [{"type": "number"}, {"minimum": 3}]}, 1, "x", 4),
    *_prop({"anyOf": [{"anyOf": [{"type": "string"}, {"type": "number"}]}, {"type": "boolean"}]}, None),
    (
        {
            "anyOf": [
                _obj({"a": {"type": "string"}}, additionalProperties=False),
                _obj({"b": {"type": "number"}}),
            ]
        },
        {"a": 1, "b": 2},
    ),
    (
        {
            "oneOf": [
                _obj({"a": {"type": "string"}}, additionalProperties=False),
                _obj({"b": {"type": "number"}}),
            ]
        },
        {"a": "x", "b": 2},
    ),
    (
        {
            "anyOf": [
                _obj({"a": {"type": "string"}}, required=["a"], additionalProperties=False),
                {"type": "object"},
            ]
        },
        {"b": 1},
    ),
    (
        {
            "type": "object",
            "if": {"properties": {"a": {"const": 1}}},
            "then": {"required": ["b"]},
            "else": {"required": ["c"]},
        },
        {"a": 1},
    ),
    (
        {
            "type": "object",
            "if": {"properties": {"a": {"const": 1}}},
            "then": {"required": ["b"]},
            "else": {"required": ["c"]},
        },
        {"a": 2},
    ),
    ({"type": "object", "if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}}, {"a": 2}),
    ({"type": "object", "if": {"required": ["a"]}, "else": {"required": ["z"]}}, {}),
    (
        {
            "anyOf": [
                {"type": "object", "if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]}},
                {"type": "string"},
            ]
        },
        {"a": 1},
    ),
    ({"anyOf": [{"type": "object", "required": ["x"]}]}, {"y": 1}),
    ({"allOf": [{"type": "object", "required": ["x"]}, {"type": "object", "required": ["y"]}]}, {}),
    ({"anyOf": [{"type": "array", "contains": {"type": "string"}}]}, [1, 2]),
    ({"anyOf": [{"type": "object", "propertyNames": {"minLength": 3}}]}, {"ab": 1}),
    # --- $ref -----------------------------------------------------------------------------------
    (
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/s"}},
            "definitions": {"s": {"type": "string"}},
        },
        {"a": 1},
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/x"}},
            "definitions": {
                "x": {
                    "type": "object",
                    "properties": {"b": {"$ref": "#/definitions/x"}, "n": {"type": "number"}},
                }
            },
        },
        {"a": {"b": {"b": 5}}},
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/x"}},
            "definitions": {
                "x": {
                    "type": "object",
                    "properties": {"b": {"$ref": "#/definitions/x"}, "n": {"type": "number"}},
                }
            },
        },
        {"a": {"b": {"n": "x"}}},
    ),
    (
        {
            "anyOf": [{"$ref": "#/definitions/x"}],
            "definitions": {
                "x": {"type": "object", "properties": {"b": {"default": 3}, "c": {"$ref": "#/definitions/x"}}}
            },
        },
        {},
    ),
    (
        {"type": "object", "properties": {"child": {"$ref": "#"}, "v": {"type": "integer"}}},
        {"child": {"child": {"v": "x"}}},
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"$ref": "#/definitions/s", "minLength": 2}},
            "definitions": {"s": {"type": "string"}},
        },
        {"a": "x"},
    ),
    (
        {"type": "object", "properties": {"a": {"$ref": "#/$defs/s"}}, "$defs": {"s": {"type": "string"}}},
        {"a": 1},
    ),
    # --- formats --------------------------------------------------------------------------------
    *_prop(
        {"type": "string", "format": "email"},
        "a@b.co",
        "a@b",
        "not-an-email",
        "A.B+c@Example.COM",
        "a..b@c.d",
    ),
    *_prop(
        {"type": "string", "format": "uri"},
        "https://example.com/a?b=1#c",
        "x",
        "mailto:x@y.z",
        "http://[::1]:80/",
        "urn:isbn:123",
        "/relative",
    ),
    *_prop({"type": "string", "format": "uri-reference"}, "/relative", "https://x", "a b"),
    *_prop({"type": "string", "format": "url"}, "https://example.com", "ftp://a.b/c", "http://10.0.0.1", "x"),
    *_prop(
        {"type": "string", "format": "date-time"},
        "2024-01-01T10:00:00Z",
        "2024-01-01t10:00:00.123+02:00",
        "2024-01-01 10:00:00",
        "2024-02-30T10:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-01-01T23:59:60Z",
        "yesterday",
    ),
    *_prop({"type": "string", "format": "date"}, "2024-02-29", "2023-02-29", "2024-13-01", "24-01-01"),
    *_prop({"type": "string", "format": "time"}, "10:00:00", "10:00:00.5+01:00", "25:00:00", "10:00"),
    *_prop(
        {"type": "string", "format": "uuid"},
        "123e4567-e89b-12d3-a456-426614174000",
        "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
        "x",
    ),
    *_prop({"type": "string", "format": "ipv4"}, "127.0.0.1", "256.0.0.1", "1.2.3"),
    *_prop(
        {"type": "string", "format": "ipv6"}, "::1", "2001:db8::8a2e:370:7334", "::ffff:1.2.3.4", "1::2::3"
    ),
    *_prop({"type": "string", "format": "hostname"}, "example.com", "-bad.com", "a" * 64 + ".com"),
    *_prop({"type": "string", "format": "duration"}, "P1D", "PT1H30M", "P", "P1W", "1D"),
    *_prop({"type": "string", "format": "json-pointer"}, "/a/b~0", "a", ""),
    *_prop({"type": "string", "format": "relative-json-pointer"}, "0/a", "1#", "/a"),
    *_prop({"type": "string", "format": "regex"}, "^a+$", "(", "a\\Z"),
    *_prop({"type": "string", "format": "byte"}, "aGVsbG8=", "aGVsbG8", "!!!"),
    *_prop({"type": "string", "format": "uri-template"}, "https://x/{id}", "https://x/{id"),
    *_prop({"type": "string", "format": "password"}, "x"),
    *_prop({"type": "number", "format": "int32"}, 1, 2**31, 1.5),
    *_prop({"format": "email"}, 5, "x"),
    *_prop(
        {"type": "string", "format": "date", "formatMaximum": "2020-01-01"}, "2021-01-01", "2019-12-31", "bad"
    ),
    *_prop(
        {"type": "string", "format": "date-time", "formatExclusiveMinimum": "2020-01-01T00:00:00Z"},
        "2020-01-01T00:00:00Z",
    ),
    *_prop({"type": "string", "format": "time", "formatMinimum": "10:00:00Z"}, "09:59:59Z", "10:00:00Z"),
    *_prop(
        {"type": "string", "format": "date", "formatExclusiveMaximum": "2020-01-01"},
        "2020-01-01",
        "2019-12-31",
    ),
    # --- strict mode and schema errors ------------------------------------------------------------
    (_obj({"a": {"type": "string", "example": "x"}}), {}),
    (_obj({"a": {"type": "string", "x-custom": 1}}), {}),
    (_obj({"a": {"type": "string", "format": "color"}}), {}),
    (_obj({"a": {"nullable": True}}), {}),
    (_obj({"a": {"type": "string", "nullable": "yes"}}), {}),
    (_obj({"a": {"type": "null", "nullable": False}}), {}),
    ({"type": "object", "$schema": "https://json-schema.org/draft/2020-12/schema"}, {}),
    ({"type": "object", "$schema": "http://json-schema.org/draft-07/schema#"}, {}),
    ({"type": "object", "$schema": "http://json-schema.org/draft-07/schema"}, {}),
    ({"type": "object", "required": "name"}, {}),
    (_obj({"a": {"type": "foo"}}), {}),
    (_obj({"a": {"enum": [1, 1]}}), {}),
    (_obj({"a": {"enum": []}}), {}),
    (_obj({"a": {"type": "integer", "multipleOf": 0}}), {}),
    (_obj({"a": {"type": "string", "minLength": -1}}), {}),
    (_obj({"a": {"type": "string", "minLength": 1.5}}), {}),
    (_obj({"a": {"type": ["string", "string"]}}), {}),
    ({"type": "object", "if": {"required": ["a"]}}, {}),
    ({"type": "object", "then": {"required": ["a"]}}, {}),
    ({"type": "object", "additionalItems": False}, {}),
    ({"type": "object", "default": {}}, {}),
    ({"anyOf": [{"type": "object", "properties": {"a": {"default": 1}}}]}, {}),
    (
        {
            "anyOf": [
                {
                    "type": "object",
                    "properties": {
                        "x": {"type": "string"},
                        "o": {"type": "object", "properties": {"a-b": {"default": 1}}},
                    },
                }
            ]
        },
        {},
    ),
    ({"anyOf": [{"type": "array", "items": [{"default": 1}]}]}, []),
    ({"anyOf": [{}, {"type": "object", "properties": {"a": {"default": 1}}}]}, {}),
    (_obj({"a": {"$ref": "#/definitions/missing"}}), {}),
    (_obj({"a": {"type": "string", "pattern": "(unclosed"}}), {}),
    (_obj({"a": {"type": "string", "pattern": "a\\Z"}}), {}),
    (_obj({"a": {"type": "string", "pattern": "a{"}}), {}),
    (_obj({"a": {"type": "string", "format": "email", "formatMaximum": "x"}}), {}),
    (_obj({"a": {"type": "string", "formatMaximum": "2020-01-01"}}), {}),
    (
        {
            "type": "object",
            "patternProperties": {"^a": {"type": "string"}},
            "properties": {"ab": {"type": "string"}},
        },
        {},
    ),
    (_obj({"a": {"type": "string", "id": "x"}}), {}),
    (
        _obj(
            {
                "a": {
                    "type": "string",
                    "title": "t",
                    "description": "d",
                    "examples": ["x"],
                    "deprecated": True,
                    "readOnly": True,
                    "writeOnly": False,
                    "$comment": "c",
                    "default": "z",
                }
            }
        ),
        {},
    ),
    (
        {
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "definitions": {"unused": {"example": 1}},
        },
        {},
    ),
]
