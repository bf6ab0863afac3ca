"""JSON Schema validation speed: one realistic payload schema compiled once, then many payloads validated.

    python benchmarks/schema_validate.py [--rounds 7] [--number 10000]

The schema is shaped like a trigger payload (nested objects, an array of objects, formats, a pattern, an
enum, defaults, ``additionalProperties: false``). Each round validates ``--number`` payloads through the
public ``JsonSchema.validate``; the median µs per call is printed for valid payloads (the common case) and
for invalid ones (which also run the all-errors pass).

    python benchmarks/schema_validate.py --against /path/to/other/checkout [--rounds 40] [--number 1000]

compares with another checkout of the package loaded into the same process: rounds alternate between the
two, each timed in thread CPU time (which a busy machine disturbs less than the wall clock), and the
medians and the median of the per-round ratios are printed.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from novu_framework.schema import JsonSchema
from novu_framework.schema.jsregex import set_regex_timeout

ORDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "orderId": {"type": "string", "pattern": "^ord_[0-9a-z]{6,}$"},
        "status": {"type": "string", "enum": ["placed", "shipped", "delivered", "cancelled"]},
        "placedAt": {"type": "string", "format": "date-time"},
        "customer": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "email": {"type": "string", "format": "email"},
                "locale": {"type": "string", "default": "en"},
            },
            "required": ["name", "email"],
            "additionalProperties": False,
        },
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 100,
            "items": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string"},
                    "quantity": {"type": "integer", "minimum": 1},
                    "price": {"type": "number", "exclusiveMinimum": 0},
                },
                "required": ["sku", "quantity", "price"],
            },
        },
        "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True, "default": []},
        "note": {"type": ["string", "null"]},
    },
    "required": ["orderId", "status", "customer", "items"],
    "additionalProperties": False,
}


def valid_payload(n: int) -> dict[str, Any]:
    """A valid order; ``n`` varies the values and the number of items."""
    return {
        "orderId": f"ord_{n:08d}",
        "status": ("placed", "shipped", "delivered")[n % 3],
        "placedAt": "2026-11-30T12:34:56.789Z",
        "customer": {"name": f"Customer {n}", "email": f"user{n}@example.com"},
        "items": [{"sku": f"sku-{i}", "quantity": i + 1, "price": 9.5 + i} for i in range(1 + n % 4)],
        "note": None if n % 2 else "leave at the door",
    }


def invalid_payload(n: int) -> dict[str, Any]:
    """An order with two violations (a bad status, a missing item price) and an extra property."""
    payload = valid_payload(n)
    payload["status"] = "lost"
    del payload["items"][0]["price"]
    payload["extra"] = True
    return payload


def per_call_us(
    schema: Any,
    payloads: list[dict[str, Any]],
    expect_ok: bool,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """µs per ``validate`` over ``payloads``, checking every result is what it should be."""
    started = clock()
    for payload in payloads:
        if schema.validate(payload).ok is not expect_ok:
            raise SystemExit(f"unexpected validation result for {payload!r}")
    return (clock() - started) / len(payloads) * 1e6


def compiled_schema(schema_class: Any, set_timeout: Callable[[float], None]) -> Any:
    """The benchmark schema, compiled, with a regex budget a loaded machine cannot run out of (this
    measures speed, not that limit)."""
    set_timeout(10.0)
    schema = schema_class(ORDER_SCHEMA)
    schema.compile()
    return schema


def load_other(tree: Path) -> Any:
    """The benchmark schema compiled by another checkout's package, imported beside this one."""
    ours = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "novu_framework"}
    for name in ours:
        del sys.modules[name]
    sys.path.insert(0, str(tree))
    try:
        package = importlib.import_module("novu_framework.schema")
        jsregex = importlib.import_module("novu_framework.schema.jsregex")
        if not str(Path(package.__file__ or "").resolve()).startswith(str(tree.resolve())):
            raise SystemExit(f"{tree} has no novu_framework package")
        return compiled_schema(package.JsonSchema, jsregex.set_regex_timeout)
    finally:
        sys.path.remove(str(tree))
        for name in [n for n in sys.modules if n.split(".")[0] == "novu_framework"]:
            del sys.modules[name]
        sys.modules.update(ours)


def compare(other_tree: Path, rounds: int, number: int) -> None:
    schemas = {"this tree": compiled_schema(JsonSchema, set_regex_timeout), "other": load_other(other_tree)}
    valid = [valid_payload(n) for n in range(number)]
    invalid = [invalid_payload(n) for n in range(max(number // 5, 1))]
    times: dict[str, dict[str, list[float]]] = {side: {"valid": [], "invalid": []} for side in schemas}
    for _ in range(rounds):
        for side, schema in schemas.items():
            times[side]["valid"].append(per_call_us(schema, valid, True, time.thread_time))
            times[side]["invalid"].append(per_call_us(schema, invalid, False, time.thread_time))
    for kind in ("valid", "invalid"):
        ours, theirs = times["this tree"][kind], times["other"][kind]
        ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True))
        print(
            f"{kind + ' payload:':17}this tree {statistics.median(ours):6.2f} µs, other {statistics.median(theirs):6.2f}"
            f" µs CPU per validate (medians of {rounds}); per-round ratio this/other {ratio:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=10000)
    parser.add_argument("--against", type=Path, help="another checkout to compare with, in this process")
    args = parser.parse_args()
    if args.against is not None:
        compare(args.against, args.rounds, args.number)
        return
    schema = compiled_schema(JsonSchema, set_regex_timeout)
    valid = [valid_payload(n) for n in range(args.number)]
    invalid = [invalid_payload(n) for n in range(max(args.number // 10, 1))]
    per_call_us(schema, valid[:100], True)  # warm up
    valid_us = [per_call_us(schema, valid, True) for _ in range(args.rounds)]
    invalid_us = [per_call_us(schema, invalid, False) for _ in range(args.rounds)]
    print(f"valid payload:   {statistics.median(valid_us):7.2f} µs per validate (median of {args.rounds})")
    print(f"invalid payload: {statistics.median(invalid_us):7.2f} µs per validate (median of {args.rounds})")


if __name__ == "__main__":
    main()
