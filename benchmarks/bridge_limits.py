"""What the request limits cost on the normal path: a signed execute through the core, in process.

    python benchmarks/bridge_limits.py [--requests 4000]

Two ways into the same handler, called in alternation request by request (the order flipping each
time), so that whatever else the machine does hits both alike:

- ``buffered``: the adapter reads the whole body, then ``handle_sync(BridgeRequest.from_raw(...))``
  (how every adapter called the core before the limits; the body-size check only).
- ``streamed``: ``handle_stream_sync(method, query, headers, chunks)``: query and header sizes
  checked, the Content-Length compared, the body counted chunk by chunk as it arrives (how every
  adapter calls the core now).

Printed, for a small body (one chunk) and a 256 KiB one (four 64 KiB chunks, a tenth of the
requests), sync and async: the median time per request of each path (microseconds) and their ratio.
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
from collections.abc import AsyncIterator, Awaitable, Callable
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


def _paired(first: Callable[[], Any], second: Callable[[], Any], requests: int) -> tuple[float, float]:
    """Median microseconds of each, called in alternation request by request (the order flips each
    time), so that whatever else the machine does hits both alike."""
    clock = time.perf_counter
    a: list[float] = []
    b: list[float] = []
    for i in range(requests):
        if i % 2:
            t0 = clock()
            first()
            t1 = clock()
            second()
            t2 = clock()
            a.append(t1 - t0)
            b.append(t2 - t1)
        else:
            t0 = clock()
            second()
            t1 = clock()
            first()
            t2 = clock()
            b.append(t1 - t0)
            a.append(t2 - t1)
    return statistics.median(a) * 1e6, statistics.median(b) * 1e6


async def _paired_async(
    first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]], requests: int
) -> tuple[float, float]:
    clock = time.perf_counter
    a: list[float] = []
    b: list[float] = []
    for i in range(requests):
        x, y = (first, second) if i % 2 else (second, first)
        t0 = clock()
        await x()
        t1 = clock()
        await y()
        t2 = clock()
        (a if x is first else b).append(t1 - t0)
        (b if x is first else a).append(t2 - t1)
    return statistics.median(a) * 1e6, statistics.median(b) * 1e6


async def _aiter(parts: list[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


def _case(handler: NovuRequestHandler, label: str, padding: int, requests: int) -> None:
    body = _body(padding)
    headers = _headers(body)
    parts = _chunks(body)

    def buffered() -> Any:
        return handler.handle_sync(BridgeRequest.from_raw("POST", QUERY, headers, b"".join(parts)))

    def streamed() -> Any:
        return handler.handle_stream_sync("POST", QUERY, headers, iter(parts))

    assert buffered().status == 200 and streamed().status == 200, buffered().body[:200]
    for _ in range(max(20, requests // 10)):  # warm-up
        buffered()
        streamed()
    sync = _paired(buffered, streamed, requests)
    _report(f"{label}, sync", sync)

    async def a_buffered() -> Any:
        chunks = [part async for part in _aiter(parts)]
        return await handler.handle(BridgeRequest.from_raw("POST", QUERY, headers, b"".join(chunks)))

    async def a_streamed() -> Any:
        return await handler.handle_stream("POST", QUERY, headers, _aiter(parts))

    async def run_async() -> tuple[float, float]:
        assert (await a_buffered()).status == 200 and (await a_streamed()).status == 200
        return await _paired_async(a_buffered, a_streamed, requests)

    _report(f"{label}, async", asyncio.run(run_async()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000, help="requests of each path (small body)")
    args = parser.parse_args()
    handler = NovuRequestHandler([bench_limits], Client(secret_key=SECRET, strict_authentication=True))
    print(f"python {sys.version.split()[0]}, {args.requests} requests of each path (a tenth for 256 KiB)")
    print(f"{'case (median)':<22}{'buffered us':>12}{'streamed us':>13}{'ratio':>8}")
    for label, padding, share in (("small body", 0, 1), ("256 KiB body", 256 * 1024, 10)):
        _case(handler, label, padding, max(2, args.requests // share))
    handler.close()
    return 0


def _report(label: str, medians: tuple[float, float]) -> None:
    buffered, streamed = medians
    print(f"{label:<22}{buffered:>12.1f}{streamed:>13.1f}{streamed / buffered:>8.3f}")


if __name__ == "__main__":
    sys.exit(main())
