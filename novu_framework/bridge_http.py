"""The normalised HTTP request and response that every framework adapter translates to and from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import parse_qsl


def _first_wins(pairs: Iterable[tuple[str, str]], *, lower: bool) -> Mapping[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        name = key.lower() if lower else key
        if name not in out:
            out[name] = value
    return MappingProxyType(out)


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
        if isinstance(query_string, bytes):
            query_string = query_string.decode("utf-8", errors="replace")
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        return cls(
            method=method,
            query=_first_wins(parse_qsl(query_string, keep_blank_values=True), lower=False),
            headers=_first_wins(pairs, lower=True),
            body=body,
        )


@dataclass(frozen=True)
class BridgeResponse:
    """The bridge's answer: status, headers (lowercase names) and the JSON body as bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes
