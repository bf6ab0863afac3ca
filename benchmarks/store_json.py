"""The store's JSON encoding: the public ``json.JSONEncoder.encode`` against CPython's private C encoder.

    python benchmarks/store_json.py [--rounds 7] [--number 20000]

Encodes documents shaped like what the store writes (an empty dict, a subscriber, a trigger payload,
step outputs with a list of events) and prints the median time per call of each path, and their ratio.
The private path (``json.encoder.c_make_encoder`` built once) is measured only where CPython has it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from novu_framework.runtime.store.encoding import to_json

DOCS: dict[str, Any] = {
    "empty dict": {},
    "subscriber": {"subscriberId": "user-42", "email": "ada@example.com", "firstName": "Ada"},
    "payload": {"orderId": 1234, "items": [{"sku": "a-1", "qty": 2, "price": 9.5}], "note": "café"},
    "digest outputs": {
        "events": [{"id": f"run-{i}", "time": 1_700_000_000_000 + i, "payload": {"n": i}} for i in range(20)]
    },
}


def _private_encoder() -> Any:
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return None

    def not_json(value: Any) -> Any:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    c = make(None, not_json, encoder.encode_basestring_ascii, None, ":", ",", False, False, False)
    return lambda value: "".join(c(value, 0))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--number", type=int, default=20000)
    args = parser.parse_args()
    private = _private_encoder()
    dumps = lambda v: json.dumps(v, separators=(",", ":"), allow_nan=False)  # noqa: E731
    for name, doc in DOCS.items():
        paths = {"public JSONEncoder.encode": to_json, "json.dumps(separators)": dumps}
        if private is not None:
            assert private(doc) == to_json(doc)
            paths["private c_make_encoder"] = private
        times = {
            label: statistics.median(
                timeit.repeat(lambda f=fn, d=doc: f(d), number=args.number, repeat=args.rounds)
            )
            / args.number
            * 1e6
            for label, fn in paths.items()
        }
        line = ", ".join(f"{label} {us:.2f} µs" for label, us in times.items())
        if private is not None:
            line += f"; public/private {times['public JSONEncoder.encode'] / times['private c_make_encoder']:.2f}x"
        print(f"{name}: {line}")


if __name__ == "__main__":
    main()
