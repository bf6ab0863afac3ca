"""Send the battery (``data/requests.json``) to a strict and an open bridge and record the answers.

The recorder signs as the Novu cloud does and masks only the values that change from run to run, so
that two recordings (the reference's and ours) can be compared case by case (``comparer.py``).
It is written independently of the package (its own ``JSON.stringify``), so a bug in the package's
signing code cannot hide itself.

Signature: header ``novu-signature: t=<ms>,v1=<hex HMAC-SHA256(secret, "<ms>.<S>")>``, where ``S`` is
JavaScript's ``JSON.stringify`` of the *parsed* body: ``{}`` for a non-POST request and for a POST body
that is empty or not JSON. A case's ``sign`` object builds an odd signature on purpose (``timestamp``,
``secret``, ``template``, ``headerName``, ``literal``, ``signedBody``, ``hashRawBody``).

Masks (volatile values only): ``metadata.duration``; ``data.stack`` of errors; source code in a 2xx
discover (workflow, step and provider ``code``) and in a 2xx ``action=code`` reply; the engine's text
of ``Unknown BridgeError: ...``; the per-case ``mask`` paths (random preview mocks).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import http.client
import json
import math
import re
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().with_name("data")
REQUESTS = DATA / "requests.json"
FORMAT = "novu-bridge-recording/1"

RECORDED_HEADERS = (
    "content-type",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "novu-framework-version",
    "novu-framework-sdk",
    "novu-framework-server",
    "user-agent",
)

# --- JavaScript's JSON.stringify of a value JSON.parse produced ----------------------------------

_INDEX_KEY = re.compile(r"0|[1-9][0-9]*")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _number(value: float) -> str:
    """ECMAScript Number::toString: shortest round-trip digits, laid out by the exponent."""
    if math.isnan(value) or math.isinf(value):
        return "null"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) - (len(whole + fraction) - len(digits)) + int(exponent or 0)
    digits = digits.rstrip("0") or "0"
    k, n = len(digits), point  # value = 0.DIGITS x 10**n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        tail = f".{digits[1:]}" if k > 1 else ""
        text = f"{digits[0]}{tail}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return sign + text


def _string(value: str) -> str:
    out = []
    for char in value:
        code = ord(char)
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def js_stringify(value: Any) -> str:
    """``JSON.stringify(value)``: integer-like keys first and ascending, numbers as IEEE doubles."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value) if abs(value) < 2**53 else _number(float(value))
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(js_stringify(item) for item in value) + "]"
    if isinstance(value, dict):
        index = sorted((k for k in value if _INDEX_KEY.fullmatch(k) and int(k) < 2**32 - 1), key=int)
        keys = index + [k for k in value if k not in index]
        return "{" + ",".join(f"{_string(k)}:{js_stringify(value[k])}" for k in keys) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


# --- building a request --------------------------------------------------------------------------


def expand(value: Any) -> Any:
    """The battery's macros: ``{"$repeat": s, "times": n}`` and ``{"$nest": n, "key": k, "leaf": v}``."""
    if isinstance(value, list):
        return [expand(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$repeat" in value:
        return str(value["$repeat"]) * int(value["times"])
    if "$nest" in value:
        node = expand(value.get("leaf"))
        for _ in range(int(value["$nest"])):
            node = {value.get("key", "child"): node}
        return node
    return {key: expand(item) for key, item in value.items()}


def _body(case: dict[str, Any]) -> str | None:
    if "rawBody" in case:
        return str(expand(case["rawBody"]))
    if "body" in case:
        return json.dumps(expand(case["body"]), ensure_ascii=False, separators=(",", ":"))
    return None


def _signed_text(method: str, body: str | None) -> str:
    """What the reference hashes after ``<timestamp>.``."""
    if method != "POST" or not body:
        return "{}"
    try:
        return js_stringify(json.loads(body))
    except ValueError:
        return "{}"


def _signature(case: dict[str, Any], method: str, body: str | None, secret: str) -> tuple[str, str] | None:
    sign = case.get("sign", False)
    if not sign:
        return None
    spec: dict[str, Any] = sign if isinstance(sign, dict) else {}
    name = spec.get("headerName", "novu-signature")
    if "literal" in spec:
        return name, str(spec["literal"])
    stamp = str(spec.get("timestamp", int(time.time() * 1000)))
    if "signedBody" in spec:
        text = js_stringify(spec["signedBody"])
    elif spec.get("hashRawBody"):
        text = body or ""
    else:
        text = _signed_text(method, body)
    key = str(spec.get("secret", secret)).encode()
    digest = hmac.new(key, f"{stamp}.{text}".encode(), hashlib.sha256).hexdigest()
    return name, str(spec.get("template", "t={ts},v1={sig}")).replace("{ts}", stamp).replace("{sig}", digest)


# --- masking volatile values ---------------------------------------------------------------------

_CODE = "<source-code>"


def _mask(node: Any, parts: list[str]) -> None:
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict):
        keys = list(node) if head == "*" else [head] if head in node else []
    elif isinstance(node, list):
        keys = list(range(len(node))) if head == "*" else []
        if head.isdigit() and int(head) < len(node):
            keys = [int(head)]
    else:
        return
    for key in keys:
        if rest:
            _mask(node[key], rest)
        else:
            node[key] = "<masked>"


def mask(case: dict[str, Any], status: int, body: Any) -> Any:
    """Replace the values that differ between two runs of the same bridge."""
    query = case.get("query")
    action = query.get("action") if isinstance(query, dict) else None
    ok = 200 <= status < 300
    if isinstance(body, dict):
        meta, data = body.get("metadata"), body.get("data")
        if isinstance(meta, dict) and isinstance(meta.get("duration"), (int, float)):
            meta["duration"] = "<duration>"
        if isinstance(data, dict) and isinstance(data.get("stack"), str):
            data["stack"] = "<stack>"
        if ok and action == "discover" and isinstance(body.get("workflows"), list):
            for wf in body["workflows"]:
                if not isinstance(wf, dict):
                    continue
                if isinstance(wf.get("code"), str):
                    wf["code"] = _CODE
                for step in wf.get("steps") or []:
                    if not isinstance(step, dict):
                        continue
                    if isinstance(step.get("code"), str):
                        step["code"] = _CODE
                    for provider in step.get("providers") or []:
                        if isinstance(provider, dict) and isinstance(provider.get("code"), str):
                            provider["code"] = _CODE
        if ok and action == "code" and isinstance(body.get("code"), str):
            body["code"] = _CODE
        message = body.get("message")
        engine_text = isinstance(message, str) and message.startswith("Unknown BridgeError: ")
        if body.get("code") == "BridgeError" and engine_text:
            body["message"] = "Unknown BridgeError: <engine-specific>"
    for path in case.get("mask", []):
        parts = path.split(".")
        if parts[0] == "body" and len(parts) > 1:
            _mask(body, parts[1:])
    return body


# --- sending -------------------------------------------------------------------------------------


def send(base_url: str, case: dict[str, Any], secret: str, timeout: float = 30.0) -> dict[str, Any]:
    """One case: the request as the case describes it, the answer normalised."""
    url = urllib.parse.urlsplit(base_url)
    method = str(case["method"]).upper()
    query = (
        case["rawQuery"]
        if "rawQuery" in case
        else urllib.parse.urlencode(case.get("query") or {}, quote_via=urllib.parse.quote)
    )
    target = (url.path or "/") + (f"?{query}" if query else "")
    body = _body(case)
    headers = {key.lower(): value for key, value in (case.get("headers") or {}).items()}
    if body is not None:
        headers.setdefault("content-type", "application/json")
    signature = _signature(case, method, body, secret)
    if signature:
        headers[signature[0]] = signature[1]
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=timeout)
    try:
        connection.request(method, target, body=None if body is None else body.encode(), headers=headers)
        response = connection.getresponse()
        raw, status = response.read(), response.status
        answered = {key.lower(): value for key, value in response.getheaders()}
    finally:
        connection.close()
    text = raw.decode("utf-8", errors="replace")
    result: dict[str, Any] = {
        "request": {
            "instance": case["instance"],
            "method": method,
            "path": target[len(url.path or "") :] or "/",
            "signed": signature is not None,
        },
        "status": status,
        "headers": {name: answered.get(name) for name in RECORDED_HEADERS},
    }
    try:
        result["body"] = mask(case, status, json.loads(text)) if text else None
        if not text:
            result["bodyText"] = ""
    except ValueError:
        result["body"] = None
        result["bodyText"] = text
    return result


def load_battery(path: Path = REQUESTS) -> dict[str, Any]:
    battery: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return battery


def record(
    strict_url: str,
    open_url: str,
    *,
    battery: dict[str, Any] | None = None,
    only: frozenset[str] = frozenset(),
    timeout: float = 30.0,
) -> dict[str, Any]:
    """Every case of the battery against its instance; a transport failure is recorded as ``error``."""
    battery = battery if battery is not None else load_battery()
    bases = {"strict": strict_url, "open": open_url}
    results: dict[str, Any] = {}
    for case in battery["cases"]:
        if only and case["id"] not in only:
            continue
        try:
            results[case["id"]] = send(bases[case["instance"]], case, battery["secretKey"], timeout)
        except (OSError, http.client.HTTPException) as exc:
            results[case["id"]] = {"error": f"{type(exc).__name__}: {exc}"}
    return {"format": FORMAT, "cases": len(results), "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record the conformance battery against two bridges.")
    parser.add_argument("--strict-url", required=True, help="bridge with strict authentication")
    parser.add_argument("--open-url", required=True, help="bridge without strict authentication")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--cases", type=Path, default=REQUESTS)
    parser.add_argument("--only", action="append", default=[], help="record only this case (repeatable)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    recording = record(
        args.strict_url, args.open_url, battery=load_battery(args.cases), only=frozenset(args.only)
    )
    args.out.write_text(json.dumps(recording, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"recorded {recording['cases']} cases in {time.perf_counter() - started:.2f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
