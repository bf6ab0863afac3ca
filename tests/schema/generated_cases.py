"""Random but reproducible (schema, data) pairs for the ajv parity test: nested keywords and combinators,
defaults outside combinators, ``additionalProperties`` removal inside ``anyOf``/``oneOf`` branches."""

from __future__ import annotations

import random
from typing import Any

_KEYS = ["a", "b", "c", "1", "x-y"]
_TYPES: list[Any] = [
    "string",
    "number",
    "integer",
    "boolean",
    "null",
    "object",
    "array",
    ["string", "null"],
    ["object", "array"],
]


class _Generator:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def scalar(self) -> Any:
        return self.r.choice([None, True, False, 0, 1, -2, 2.5, "", "a", "b", "1", "2024-01-01", "a@b.co"])

    def data(self, depth: int = 0) -> Any:
        roll = self.r.random()
        if depth > 3 or roll < 0.4:
            return self.scalar()
        if roll < 0.55:
            return [self.data(depth + 1) for _ in range(self.r.randint(0, 3))]
        return {k: self.data(depth + 1) for k in self.r.sample(_KEYS, self.r.randint(0, 4))}

    def keywords(self) -> dict[str, Any]:
        r = self.r
        options: list[tuple[str, Any]] = [
            ("minLength", lambda: r.randint(0, 2)),
            ("maxLength", lambda: r.randint(0, 2)),
            ("pattern", lambda: r.choice(["^a", "\\d", "^[0-9]+$", "b$"])),
            ("format", lambda: r.choice(["email", "date", "uri", "date-time"])),
            ("minimum", lambda: r.choice([0, 1, 1.5])),
            ("maximum", lambda: r.choice([0, 2])),
            ("exclusiveMinimum", lambda: 0),
            ("multipleOf", lambda: r.choice([2, 0.5])),
            ("enum", lambda: r.sample(["a", "b", 1, None, True], r.randint(1, 3))),
            ("const", lambda: r.choice(["a", 1, None, {"a": 1}])),
            ("minItems", lambda: 1),
            ("maxItems", lambda: 1),
            ("uniqueItems", lambda: True),
            ("required", lambda: r.sample(_KEYS, r.randint(1, 2))),
            ("minProperties", lambda: 1),
            ("maxProperties", lambda: 2),
        ]
        return {name: make() for name, make in options if r.random() < 0.08}

    def schema(self, depth: int = 0, composite: bool = False) -> dict[str, Any]:
        r = self.r
        schema: dict[str, Any] = {}
        if r.random() < 0.7:
            schema["type"] = r.choice(_TYPES)
            if r.random() < 0.2 and isinstance(schema["type"], str) and schema["type"] != "null":
                schema["nullable"] = True
        schema.update(self.keywords())
        if depth >= 3:
            return schema
        if r.random() < 0.4:
            props = {k: self.schema(depth + 1, composite) for k in r.sample(_KEYS, r.randint(1, 3))}
            if not composite:
                for sub in props.values():
                    if r.random() < 0.3:
                        sub["default"] = self.scalar()
            schema["properties"] = props
        if r.random() < 0.3:
            schema["additionalProperties"] = r.choice([False, True, {"type": "number"}, {"type": "string"}])
        if r.random() < 0.15:
            schema["items"] = self.schema(depth + 1, composite)
        if r.random() < 0.1:
            schema["contains"] = self.schema(depth + 1, True)
        if r.random() < 0.05:
            schema["patternProperties"] = {"^x": self.schema(depth + 1, composite)}
        if r.random() < 0.05:
            schema["propertyNames"] = {"maxLength": 1}
        if r.random() < 0.05:
            schema["dependencies"] = {"a": ["b"], "c": {"required": ["a"]}}
        for keyword in ("anyOf", "oneOf", "allOf"):
            if r.random() < 0.12:
                inner = composite or keyword != "allOf"
                schema[keyword] = [self.schema(depth + 1, inner) for _ in range(r.randint(1, 3))]
        if r.random() < 0.06:
            schema["not"] = self.schema(depth + 1, True)
        if r.random() < 0.06:
            schema["if"] = self.schema(depth + 1, True)
            schema["then"] = self.schema(depth + 1, composite)
            if r.random() < 0.5:
                schema["else"] = self.schema(depth + 1, composite)
        return schema


def generated_cases(seed: int, count: int) -> list[tuple[dict[str, Any], Any]]:
    """``count`` pairs; the root is an object schema or a root ``anyOf`` (what the bridge accepts)."""
    gen = _Generator(seed)
    cases: list[tuple[dict[str, Any], Any]] = []
    for _ in range(count):
        schema = gen.schema()
        if gen.r.random() < 0.5:
            schema["type"] = "object"
        elif "anyOf" not in schema:
            schema = {"anyOf": [schema, {"type": "string"}]}
        cases.append((schema, gen.data()))
    return cases
