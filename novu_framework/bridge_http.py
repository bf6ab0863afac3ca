"""The normalised HTTP request and response that every framework adapter translates to and from."""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol
from urllib.parse import parse_qsl


class BinaryReader(Protocol):
    """A file-like byte stream, as a WSGI server's ``wsgi.input``."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readline(self, size: int = ..., /) -> bytes: ...


def _first_wins(pairs: Iterable[tuple[str, str]], *, lower: bool) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        name = key.lower() if lower else key
        if name not in out:
            out[name] = value
    return MappingProxyType(out)


def parse_query(query_string: str | bytes) -> Mapping[str, str]:
    """A raw query string as the bridge reads it (as ``parse_qsl(..., keep_blank_values=True)`` does):
    the first occurrence of a key wins."""
    if isinstance(query_string, bytes):
        query_string = query_string.decode("utf-8", errors="replace")
    if "%" in query_string or "+" in query_string:
        return _first_wins(parse_qsl(query_string, keep_blank_values=True), lower=False)
    # Nothing to unquote (the bridge's own queries): the same pairs, split in place.
    out: dict[str, str] = {}
    for part in query_string.split("&"):
        if part:
            name, _, value = part.partition("=")
            if name not in out:
                out[name] = value
    return MappingProxyType(out)


def parse_headers(headers: Iterable[tuple[str, str]]) -> tuple[Mapping[str, str], int]:
    """Header pairs as the bridge reads them (lowercased names, the first occurrence wins), and the
    size the header limit counts (names and values, without separators), in one pass."""
    out: dict[str, str] = {}
    size = 0
    for key, value in headers:
        size += len(key) + len(value)
        name = key.lower()
        if name not in out:
            out[name] = value
    return MappingProxyType(out), size


@dataclass(frozen=True)
class BridgeRequest:
    """One bridge request: method, query (first occurrence of a key wins), lowercased headers, raw body."""

    method: str
    query: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    body: bytes = b""

    @classmethod
    def from_raw(
        cls,
        method: str,
        query_string: str | bytes = "",
        headers: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        body: bytes = b"",
    ) -> BridgeRequest:
        """Build a request from a raw query string and header pairs, as adapters receive them."""
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return cls(
            method=method, query=parse_query(query_string), headers=_first_wins(pairs, lower=True), body=body
        )


@dataclass(frozen=True)
class BridgeResponse:
    """The bridge's answer: status, headers (lowercase names) and the JSON body as bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class BridgeLimits:
    """What the bridge accepts before it reads a request: checked by the core for every adapter.

    ``max_body_bytes`` counts the body as it streams in (chunked or not), so a larger upload is refused
    after at most this many bytes are held; ``max_header_bytes`` is the sum of the header names and
    values; ``max_query_bytes`` the length of the raw query string. Pass one to ``serve(limits=...)``
    or ``NovuRequestHandler(limits=...)``.
    """

    max_body_bytes: int = 10 * 1024 * 1024
    max_header_bytes: int = 32 * 1024
    max_query_bytes: int = 8 * 1024


class BodyLimitExceeded(Exception):
    """The body grew past ``limit`` while being read (raised by :func:`collect_body`)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} bytes")
        self.limit = limit


def collect_body(chunks: Iterable[bytes], limit: int) -> bytes:
    """Join ``chunks``, stopping as soon as more than ``limit`` bytes have arrived."""
    parts: list[bytes] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise BodyLimitExceeded(limit)
        parts.append(chunk)
    return bytes(parts[0]) if len(parts) == 1 else b"".join(parts)


async def collect_body_async(chunks: AsyncIterable[bytes], limit: int) -> bytes:
    """:func:`collect_body` for an asynchronous stream (ASGI)."""
    parts: list[bytes] = []
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise BodyLimitExceeded(limit)
        parts.append(chunk)
    return bytes(parts[0]) if len(parts) == 1 else b"".join(parts)


def read_chunks(read: Callable[[int], bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """``read(size)`` until it returns nothing: a file-like WSGI input as chunks."""
    while True:
        chunk = read(size)
        if not chunk:
            return
        yield chunk


def wsgi_chunked_body(environ: Mapping[str, Any]) -> Iterator[bytes] | None:
    """A WSGI request's chunked body (no ``Content-Length``) as chunks, ``None`` for any other body.

    Read from the server's input: decoded by the server where it says so (``wsgi.input_terminated``:
    gunicorn, Werkzeug), else here (wsgiref, Django's ``runserver`` pass the framing on).
    """
    if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower() or environ.get("CONTENT_LENGTH"):
        return None
    stream = environ["wsgi.input"]
    return read_chunks(stream.read) if environ.get("wsgi.input_terminated") else dechunk(stream)


def dechunk(stream: BinaryReader, size: int = 64 * 1024) -> Iterator[bytes]:
    """Decode an HTTP/1.1 chunked body from ``stream``, for WSGI servers that pass it on undecoded
    (wsgiref, Django's runserver). A malformed chunk raises ``ValueError``."""
    while True:
        line = stream.readline(1026)
        if not line.endswith(b"\n"):
            raise ValueError("chunk size line missing or too long")
        digits = line.split(b";", 1)[0].strip()
        if not digits or len(digits) > 16 or not all(c in b"0123456789abcdefABCDEF" for c in digits):
            raise ValueError(f"invalid chunk size {digits[:20]!r}")
        left = int(digits, 16)
        if left == 0:
            for _ in range(100):  # trailers, up to the blank line
                if not stream.readline(1026).strip():
                    return
            raise ValueError("too many chunked trailer lines")
        while left:
            chunk = stream.read(min(left, size))
            if not chunk:
                raise ValueError("chunked body ended early")
            left -= len(chunk)
            yield chunk
        if stream.readline(3).strip():
            raise ValueError("chunk not followed by CRLF")
