"""Latency a bridge request adds over a bare endpoint, per framework, and throughput against the reference.

    python benchmarks/adapters.py [--requests 2000] [--connections 4] [--duration 3] [--nagle]

Every server runs in its own process on 127.0.0.1 (benchmarks/adapters_servers.py; the TypeScript
reference behind Express: benchmarks/adapters_reference.mjs), started and stopped here. A raw-socket
HTTP/1.1 keep-alive client sends each request in one write and reads until the response is complete.

1. Latency: ``GET /bare`` (a small JSON dict), signed ``POST ?action=execute`` of a one-email-step
   workflow with Liquid controls, and ``GET ?action=health-check``, ``--requests`` sequential
   requests of each on one connection after a warm-up, interleaved in blocks so that drift hits all
   three alike. Added latency = bridge percentile minus bare percentile of the same server.
2. Throughput: signed execute over ``--connections`` concurrent keep-alive connections for
   ``--duration`` seconds, ours against the reference in the same run.

``--nagle`` first shows the uvicorn stall this benchmark avoids: a listener created without
``IPPROTO_TCP`` hands asyncio accepted sockets it will not set TCP_NODELAY on, so the response body
(written after the head) waits for the client's delayed ACK.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import importlib.util
import json
import os
import platform
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from tests.servers import stop_process  # noqa: E402

REFERENCE_DIR = ROOT / ".reference"
SECRET = "sk_bench_adapters"
PREFIX = "/api/novu"
START_TIMEOUT = 30.0
IO_TIMEOUT = 10.0
TARGET_ADDED_P50_MS = 1.0

EXECUTE_BODY = json.dumps(
    {
        "payload": {"name": "Ada", "plan": "pro"},
        "controls": {},
        "state": [],
        "subscriber": {"subscriberId": "sub-1", "firstName": "Ada"},
        "context": {},
    },
    separators=(",", ":"),
).encode()
EXPECTED_OUTPUTS = {
    "subject": "Welcome Ada",
    "body": "<p>Hello Ada, your PRO plan is ready</p>",
}


@dataclass(frozen=True)
class Target:
    """A server to measure: how it is labelled and the command that starts it."""

    name: str
    server: str
    command: list[str]
    reference: bool = False


def python_target(framework: str, server: str, *, nagle: bool = False) -> Target:
    command = [sys.executable, str(HERE / "adapters_servers.py"), framework]
    return Target(framework, server, [*command, "--nagle"] if nagle else command)


TARGETS = [
    python_target("fastapi", "uvicorn"),
    python_target("flask", "gunicorn gthread"),
    python_target("django-wsgi", "gunicorn gthread"),
    python_target("django-asgi", "uvicorn"),
]
REFERENCE = Target(
    "express (TS ref)",
    "node",
    ["node", str(HERE / "adapters_reference.mjs"), str(REFERENCE_DIR)],
    reference=True,
)


# --- server processes ---------------------------------------------------------------------------


class ServerProcess:
    """A server child process; its ``PORT <n>`` line gives the port, the rest of its output is drained."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.proc = subprocess.Popen(target.command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        self.port = self._read_port()
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_port(self) -> int:
        assert self.proc.stdout is not None
        found: list[int] = []

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                if line.startswith("PORT "):
                    found.append(int(line.split()[1]))
                    return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        reader.join(START_TIMEOUT)
        if not found:
            self.stop()
            raise RuntimeError(f"{self.target.name} did not start within {START_TIMEOUT:.0f} s")
        deadline = time.monotonic() + START_TIMEOUT
        while True:  # the port is announced just before the server listens
            try:
                socket.create_connection(("127.0.0.1", found[0]), timeout=1).close()
                return found[0]
            except OSError:
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{self.target.name} never accepted a connection") from None
                time.sleep(0.02)

    def _drain(self) -> None:
        assert self.proc.stdout is not None
        for _ in self.proc.stdout:
            pass

    def stop(self) -> None:
        stop_process(self.proc)


# --- HTTP/1.1 on a raw socket ---------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes


def parse_response(buf: bytearray) -> tuple[Response, int] | None:
    """The first complete response in ``buf`` and the bytes it used, or None while incomplete."""
    end = buf.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buf[:end]).decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length: int | None = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        name = name.strip().lower()
        value = value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding":
            chunked = "chunked" in value
        elif name == "connection" and value == "close":
            raise RuntimeError("the server closed a keep-alive connection")
    start = end + 4
    if chunked:
        return _parse_chunked(buf, status, start)
    if length is None:
        raise RuntimeError("response without Content-Length or chunked encoding")
    if len(buf) < start + length:
        return None
    return Response(status, bytes(buf[start : start + length])), start + length


def _parse_chunked(buf: bytearray, status: int, pos: int) -> tuple[Response, int] | None:
    body = bytearray()
    while True:
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        size = int(bytes(buf[pos:line_end]).split(b";")[0], 16)
        pos = line_end + 2
        if size == 0:
            trailer_end = buf.find(b"\r\n\r\n", pos - 2)
            if trailer_end < 0:
                return None
            return Response(status, bytes(body)), trailer_end + 4
        if len(buf) < pos + size + 2:
            return None
        body += buf[pos : pos + size]
        pos += size + 2


class Connection:
    """One blocking keep-alive connection with TCP_NODELAY; each request goes out in a single write."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()

    def request(self, data: bytes) -> tuple[Response, int]:
        """Send ``data`` and read the answer; returns it with the elapsed nanoseconds."""
        start = time.perf_counter_ns()
        self.sock.sendall(data)
        while (parsed := parse_response(self.buf)) is None:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed by the server")
            self.buf += chunk
        elapsed = time.perf_counter_ns() - start
        response, used = parsed
        del self.buf[:used]
        return response, elapsed

    def close(self) -> None:
        self.sock.close()


def signature(body: bytes) -> str:
    """The Novu cloud's ``novu-signature``: HMAC-SHA256 over ``"<ms>." + body`` (GET signs ``{}``)."""
    stamp = int(time.time() * 1000)
    digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def _get(port: int, path: str, signed: bool) -> bytes:
    extra = f"novu-signature: {signature(b'{}')}\r\n" if signed else ""
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()


def bare_request(port: int) -> bytes:
    return _get(port, "/bare", signed=False)


def health_request(port: int) -> bytes:
    return _get(port, f"{PREFIX}?action=health-check", signed=True)


def _execute(port: int, workflow_id: str) -> bytes:
    head = (
        f"POST {PREFIX}?action=execute&workflowId={workflow_id}&stepId=welcome-email HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(EXECUTE_BODY)}\r\nnovu-signature: {signature(EXECUTE_BODY)}\r\n\r\n"
    )
    return head.encode() + EXECUTE_BODY


def execute_request(port: int) -> bytes:
    """Signed execute of the workflow whose resolver is a ``def`` (run in a worker thread)."""
    return _execute(port, "bench-welcome")


def execute_async_request(port: int) -> bytes:
    """Signed execute of the same workflow with an ``async def`` resolver."""
    return _execute(port, "bench-welcome-async")


@dataclass(frozen=True)
class Kind:
    label: str
    build: Callable[[int], bytes]


KINDS: dict[str, Kind] = {
    "bare": Kind("bare GET /bare", bare_request),
    "execute": Kind("execute, def resolver", execute_request),
    "execute_async": Kind("execute, async def resolver", execute_async_request),
    "health": Kind("health-check", health_request),
}
BRIDGE_KINDS = ("execute", "execute_async", "health")
THROUGHPUT_KINDS = ("execute", "execute_async")


# --- measurements ---------------------------------------------------------------------------------


def percentile(samples_ms: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(samples_ms)
    rank = max(1, round(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def check_answers(port: int) -> dict[str, Any]:
    """Fail unless every kind answers 200 and execute renders the expected outputs; return them."""
    conn = Connection(port)
    try:
        outputs: dict[str, Any] = {}
        for name, kind in KINDS.items():
            response, _ = conn.request(kind.build(port))
            if response.status != 200:
                raise RuntimeError(f"{kind.label}: HTTP {response.status} {response.body[:300]!r}")
            if name in THROUGHPUT_KINDS:
                outputs = json.loads(response.body)["outputs"]
                if outputs != EXPECTED_OUTPUTS:
                    raise RuntimeError(f"{kind.label} rendered {outputs!r}, expected {EXPECTED_OUTPUTS!r}")
        return outputs
    finally:
        conn.close()


def measure_latency(port: int, requests: int, warmup: int, block: int) -> dict[str, list[float]]:
    """Sequential requests on one connection, the kinds taking turns in blocks; milliseconds per kind."""
    conn = Connection(port)
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    try:
        for _ in range(warmup):
            for kind in KINDS.values():
                conn.request(kind.build(port))
        while any(len(values) < requests for values in samples.values()):
            for name, kind in KINDS.items():
                for _ in range(min(block, requests - len(samples[name]))):
                    data = kind.build(port)
                    response, elapsed = conn.request(data)
                    if response.status != 200:
                        raise RuntimeError(f"{kind.label}: HTTP {response.status}")
                    samples[name].append(elapsed / 1e6)
    finally:
        conn.close()
    return samples


@dataclass
class _Client:
    sock: socket.socket
    buf: bytearray = field(default_factory=bytearray)
    done: bool = False


def measure_throughput(
    port: int, build: Callable[[int], bytes], connections: int, duration: float, warmup: float
) -> float:
    """Requests/s over ``connections`` keep-alive connections, one request in flight on each."""
    selector = selectors.DefaultSelector()
    clients: list[_Client] = []
    for _ in range(connections):
        sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        client = _Client(sock)
        selector.register(sock, selectors.EVENT_READ, client)
        clients.append(client)
    window_start = time.perf_counter() + warmup
    window_end = window_start + duration
    counted = 0
    try:
        for client in clients:
            client.sock.sendall(build(port))
        while not all(client.done for client in clients):
            events = selector.select(IO_TIMEOUT)
            if not events:
                raise RuntimeError(f"no response within {IO_TIMEOUT:.0f} s")
            for key, _ in events:
                client = key.data
                chunk = client.sock.recv(65536)
                if not chunk:
                    raise RuntimeError("connection closed by the server")
                client.buf += chunk
                while (parsed := parse_response(client.buf)) is not None:
                    response, used = parsed
                    del client.buf[:used]
                    if response.status != 200:
                        raise RuntimeError(f"HTTP {response.status}")
                    now = time.perf_counter()
                    if window_start <= now < window_end:
                        counted += 1
                    if now >= window_end:
                        client.done = True
                        selector.unregister(client.sock)
                        break
                    client.sock.sendall(build(port))
    finally:
        for client in clients:
            client.sock.close()
        selector.close()
    elapsed = min(duration, time.perf_counter() - window_start)
    return counted / elapsed


@dataclass
class Result:
    target: Target
    latency: dict[str, list[float]]
    throughput: dict[str, float]
    outputs: dict[str, Any]

    def p(self, kind: str, q: float) -> float:
        return percentile(self.latency[kind], q)

    def added(self, kind: str, q: float) -> float:
        return self.p(kind, q) - self.p("bare", q)


def run_target(target: Target, args: argparse.Namespace) -> Result:
    server = ServerProcess(target)
    try:
        outputs = check_answers(server.port)
        latency = measure_latency(server.port, args.requests, args.warmup, args.block)
        rates = {
            kind: measure_throughput(server.port, KINDS[kind].build, args.connections, args.duration, 0.5)
            for kind in THROUGHPUT_KINDS
        }
    finally:
        server.stop()
    return Result(target, latency, rates, outputs)


def diagnose_nagle(samples: int) -> None:
    """Bare FastAPI on uvicorn with a proto-0 listener vs an IPPROTO_TCP one: when the head and body arrive."""
    print("uvicorn listener and TCP_NODELAY (bare FastAPI route, GET /bare, median of", samples, "requests)")
    for nagle, label in ((True, "socket(AF_INET, SOCK_STREAM)"), (False, "socket(..., IPPROTO_TCP)")):
        server = ServerProcess(python_target("fastapi", "uvicorn", nagle=nagle))
        try:
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=IO_TIMEOUT)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            first: list[float] = []
            last: list[float] = []
            reads: list[int] = []
            for _ in range(samples + 10):
                buf = bytearray()
                start = time.perf_counter()
                sock.sendall(bare_request(server.port))
                first_at: float | None = None
                count = 0
                while parse_response(buf) is None:
                    buf += sock.recv(65536)
                    count += 1
                    first_at = first_at or time.perf_counter()
                first.append((first_at - start) * 1e3 if first_at else 0.0)
                last.append((time.perf_counter() - start) * 1e3)
                reads.append(count)
            sock.close()
        finally:
            server.stop()
        first, last, reads = first[10:], last[10:], reads[10:]
        print(
            f"  {label:30s} first bytes {statistics.median(first):7.2f} ms   "
            f"whole response {statistics.median(last):7.2f} ms   recv() calls {statistics.median(reads):.0f}"
        )
    print()


# --- report ---------------------------------------------------------------------------------------


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for package in ("uvicorn", "gunicorn", "fastapi", "flask", "django"):
        parts.append(f"{package} {version(package)}")
    for package in ("httptools", "uvloop"):
        try:
            parts.append(f"{package} {version(package)}")
        except Exception:
            parts.append(f"no {package}")
    return ", ".join(parts)


def report(results: list[Result], args: argparse.Namespace) -> None:
    print(
        f"\nLatency (ms), {args.requests} sequential keep-alive requests per row; "
        "added = this row minus the bare row of the same server"
    )
    header = f"{'framework':17s} {'server':17s} {'request':28s} {'p50':>6s} {'p99':>6s} {'added p50':>10s} {'added p99':>10s}"
    print(header)
    print("-" * len(header))
    for r in results:
        for index, (name, kind) in enumerate(KINDS.items()):
            lead = f"{r.target.name:17s} {r.target.server:17s}" if index == 0 else " " * 35
            added = f"{r.added(name, 50):+10.2f} {r.added(name, 99):+10.2f}" if name in BRIDGE_KINDS else ""
            print(f"{lead} {kind.label:28s} {r.p(name, 50):6.2f} {r.p(name, 99):6.2f} {added}")
        if not r.target.reference:
            worst = max(r.added(name, 50) for name in BRIDGE_KINDS)
            verdict = "met" if worst < TARGET_ADDED_P50_MS else "NOT met"
            print(
                f"{'':35s} target: bridge adds < {TARGET_ADDED_P50_MS:g} ms at p50: {verdict} (worst {worst:+.2f})"
            )
        else:
            print(f"{'':35s} (the reference's two workflows are the same: its resolvers are always async)")
    reference = next((r for r in results if r.target.reference), None)
    print(
        f"\nThroughput (requests/s), signed execute, {args.connections} keep-alive connections, "
        f"{args.duration:g} s after a 0.5 s warm-up; ratio = ours / reference"
    )
    header = f"{'framework':17s} {'server':17s}" + "".join(
        f" {KINDS[name].label:>28s} {'ratio':>6s}" for name in THROUGHPUT_KINDS
    )
    print(header)
    print("-" * len(header))
    for r in results:
        cells = ""
        for name in THROUGHPUT_KINDS:
            ratio = (
                f"{r.throughput[name] / reference.throughput[name]:5.2f}x" if reference else f"{'n/a':>6s}"
            )
            cells += f" {r.throughput[name]:28.0f} {ratio}"
        print(f"{r.target.name:17s} {r.target.server:17s}{cells}")
    if reference is not None:
        same = all(r.outputs == reference.outputs for r in results)
        print(f"\nexecute outputs identical to the reference's: {'yes' if same else 'NO'}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=2000, help="sequential requests per kind (default 2000)"
    )
    parser.add_argument("--warmup", type=int, default=200, help="warm-up rounds of all three kinds")
    parser.add_argument("--block", type=int, default=100, help="requests of one kind before the next kind")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections for throughput")
    parser.add_argument("--duration", type=float, default=2.0, help="throughput window in seconds")
    parser.add_argument("--nagle", action="store_true", help="first show the uvicorn TCP_NODELAY stall")
    parser.add_argument(
        "--only", nargs="*", help="measure only these targets (fastapi, flask, ..., reference)"
    )
    args = parser.parse_args()
    if args.requests < 100 or args.duration <= 0 or args.connections < 1:
        parser.error("--requests must be >= 100, --duration > 0, --connections >= 1")

    targets = [*TARGETS]
    have_reference = (
        shutil.which("node") is not None and (REFERENCE_DIR / "node_modules/@novu/framework").is_dir()
    )
    if have_reference:
        targets.append(REFERENCE)
    else:
        print("TypeScript reference not installed (scripts/install-reference.sh): measuring ours only\n")
    if args.only:
        targets = [t for t in targets if t.name in args.only or (t.reference and "reference" in args.only)]
    complete = have_reference
    if importlib.util.find_spec("gunicorn") is None:
        print("gunicorn is not installed (pip install gunicorn): skipping flask and django-wsgi\n")
        targets = [t for t in targets if t.server != "gunicorn gthread"]
        complete = False

    print(f"{_versions()}; {os.cpu_count()} CPUs\n")
    if args.nagle:
        diagnose_nagle(100)
    started = time.perf_counter()
    results = []
    for target in targets:
        print(f"measuring {target.name} ({target.server}) ...", flush=True)
        results.append(run_target(target, args))
    report(results, args)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
