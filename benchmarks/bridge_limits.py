"""What the request limits cost on the normal path: a signed execute through the core, in process.

    python benchmarks/bridge_limits.py [--requests 400] [--rounds 15]

Two ways into the same handler, interleaved round by round so that drift hits both alike:

- ``buffered``: the adapter reads the whole body, then ``handle_sync(BridgeRequest.from_raw(...))``
  (how every adapter called the core before the limits; the body-size check only).
- ``streamed``: ``handle_stream_sync(method, query, headers, chunks)``: query and header sizes
  checked, the Content-Length compared, the body counted chunk by chunk as it arrives (how every
  adapter calls the core now).

Printed, for a small body (one chunk) and a 256 KiB one (four 64 KiB chunks, a tenth of the requests),
sync and async: the median over rounds of each path's mean time per request (microseconds), the ratio
of those medians, and the median of the per-round ratios (paired: the more robust on a busy machine).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import statistics
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from novu_framework import BridgeRequest, Client, NovuRequestHandler, workflow

SECRET = "sk_bench_limits"
QUERY = "action=execute&workflowId=bench-limits&stepId=send-email"


@workflow("bench-limits")
async def bench_limits(step: Any, payload: dict[str, Any]) -> None:
    await step.email("send-email", {"subject": "Hi {{payload.name}}", "body": "Welcome"})


def _body(padding: int) -> bytes:
    event = {
        "payload": {"name": "Ada", "pad": "x" * padding},
        "controls": {},
        "state": [],
        "subscriber": {"subscriberId": "sub-1"},
    }
    return json.dumps(event, separators=(",", ":")).encode()


def _headers(body: bytes) -> list[tuple[str, str]]:
    stamp = int(time.time() * 1000)
    digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return [
        ("host", "127.0.0.1:4000"),
        ("user-agent", "bench"),
        ("accept", "*/*"),
        ("content-type", "application/json"),
        ("content-length", str(len(body))),
        ("novu-signature", f"t={stamp},v1={digest}"),
    ]


def _chunks(body: bytes, size: int = 64 * 1024) -> list[bytes]:
    return [body[i : i + size] for i in range(0, len(body), size)] or [b""]


def _per_request_us(fn: Callable[[], Any], requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        fn()
    return (time.perf_counter() - start) / requests * 1e6


async def _per_request_us_async(fn: Callable[[], Any], requests: int) -> float:
    start = time.perf_counter()
    for _ in range(requests):
        await fn()
    return (time.perf_counter() - start) / requests * 1e6


async def _aiter(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _case(handler: NovuRequestHandler, label: str, padding: int, requests: int, rounds: int) -> None:
    body = _body(padding)
    headers = _headers(body)
    parts = _chunks(body)

    def buffered() -> Any:
        return handler.handle_sync(BridgeRequest.from_raw("POST", QUERY, headers, b"".join(parts)))

    def streamed() -> Any:
        return handler.handle_stream_sync("POST", QUERY, headers, iter(parts))

    assert buffered().status == 200 and streamed().status == 200, buffered().body[:200]
    sync = []
    for i in range(rounds):  # the order alternates, so that warming up or drifting favours neither
        if i % 2:
            b = _per_request_us(buffered, requests)
            sync.append((b, _per_request_us(streamed, requests)))
        else:
            s = _per_request_us(streamed, requests)
            sync.append((_per_request_us(buffered, requests), s))
    _report(f"{label}, sync", sync)

    async def a_buffered() -> Any:
        chunks = [part async for part in _aiter(parts)]
        return await handler.handle(BridgeRequest.from_raw("POST", QUERY, headers, b"".join(chunks)))

    async def a_streamed() -> Any:
        return await handler.handle_stream("POST", QUERY, headers, _aiter(parts))

    async def run_async() -> list[tuple[float, float]]:
        assert (await a_buffered()).status == 200 and (await a_streamed()).status == 200
        return [
            (
                await _per_request_us_async(a_buffered, requests),
                await _per_request_us_async(a_streamed, requests),
            )
            for _ in range(rounds)
        ]

    _report(f"{label}, async", asyncio.run(run_async()))

    # The added work alone, timed over many calls (steadier than the difference of two noisy totals).
    from novu_framework.bridge_http import collect_body

    def added() -> Any:
        handler._check_head("POST", QUERY, headers)
        return collect_body(iter(parts), handler.limits.max_body_bytes)

    def baseline() -> Any:
        return b"".join(parts)

    extra = statistics.median(
        _per_request_us(added, 20_000) - _per_request_us(baseline, 20_000) for _ in range(5)
    )
    whole = statistics.median(r[0] for r in sync)
    print(
        f"{'':<4}limit checks alone: {extra:.2f} us per request, {extra / whole:.2%} of the buffered request"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per round and path")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    handler = NovuRequestHandler([bench_limits], Client(secret_key=SECRET, strict_authentication=True))
    print(f"python {sys.version.split()[0]}, {args.rounds} rounds x {args.requests} requests per path")
    print(f"{'case':<22}{'buffered us':>12}{'streamed us':>13}{'ratio':>8}{'paired':>8}")
    for label, padding, share in (("small body", 0, 1), ("256 KiB body", 256 * 1024, 10)):
        _case(handler, label, padding, max(1, args.requests // share), args.rounds)
    handler.close()
    return 0


def _report(label: str, rounds: list[tuple[float, float]]) -> None:
    buffered = statistics.median(r[0] for r in rounds)
    streamed = statistics.median(r[1] for r in rounds)
    paired = statistics.median(r[1] / r[0] for r in rounds)
    print(f"{label:<22}{buffered:>12.1f}{streamed:>13.1f}{streamed / buffered:>8.3f}{paired:>8.3f}")


if __name__ == "__main__":
    sys.exit(main())
