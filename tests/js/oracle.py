"""One Node process, kept for a test module, that answers ``js_oracle.js`` questions line by line."""

from __future__ import annotations

import json
import math
import select
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ORACLE = Path(__file__).resolve().parent / "js_oracle.js"
TAG = "__js_oracle_number__"
_ANSWER_SECONDS = 10.0


def encode(value: Any) -> Any:
    """The value as JSON can carry it: NaN, ±Infinity and integers past 2**53 become tagged strings."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {TAG: str(value)}
    if isinstance(value, float):
        return (
            value
            if math.isfinite(value)
            else {TAG: repr(value).replace("inf", "Infinity").replace("nan", "NaN")}
        )
    if isinstance(value, list):
        return [encode(item) for item in value]
    return {key: encode(item) for key, item in value.items()}


def utf16(text: str) -> bytes:
    """A string as JavaScript holds it (a surrogate pair and the character it encodes are the same)."""
    return text.encode("utf-16-le", "surrogatepass")


class NodeOracle:
    """``node js_oracle.js`` answering one question per line."""

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            pytest.skip("Node.js is not installed: the JavaScript semantics are checked against Node")
        self._process = subprocess.Popen(
            [node, str(ORACLE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        line = json.dumps(request, ensure_ascii=True, allow_nan=False) + "\n"
        process.stdin.write(line.encode("ascii"))
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], _ANSWER_SECONDS)
        answer = process.stdout.readline() if ready else b""
        if not answer:
            exited = process.poll() is not None and process.stderr is not None
            stderr = process.stderr.read().decode("utf-8", "replace") if exited and process.stderr else ""
            raise AssertionError(f"js_oracle.js gave no answer to {line[:200]!r}: {stderr[-2000:]}")
        result: dict[str, Any] = json.loads(answer)
        return result

    def describe(self, value: Any) -> dict[str, Any]:
        """Node's answers about one value (see ``js_oracle.js``)."""
        return self.ask({"value": encode(value)})

    def compare(self, left: Any, right: Any) -> dict[str, Any]:
        """Node's answers about a pair of values."""
        return self.ask({"pair": [encode(left), encode(right)]})

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()
