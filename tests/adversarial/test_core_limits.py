"""The core's side of the limits, in process: limits a user sets are the ones applied, a body is
refused after at most the limit has been read, and the chunked decoder used under wsgiref takes any
framing apart exactly or refuses it with ``ValueError``."""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from novu_framework import BridgeLimits, Client, NovuRequestHandler
from novu_framework.bridge_http import dechunk
from tests.adapters.bridge_workflows import WORKFLOWS

OPEN = Client(secret_key="sk_test_core_limits", strict_authentication=False)
PREVIEW = "action=preview&workflowId=contract-welcome&stepId=send-email"


@pytest.fixture(scope="module")
def handler() -> Iterator[NovuRequestHandler]:
    made = NovuRequestHandler(
        WORKFLOWS,
        OPEN,
        limits=BridgeLimits(max_body_bytes=1000, max_header_bytes=200, max_query_bytes=100),
    )
    yield made
    made.close()


def _answer(response: Any) -> tuple[int, dict[str, Any]]:
    return response.status, json.loads(response.body)


def test_limits_a_user_sets_are_applied(handler: NovuRequestHandler) -> None:
    body = b'{"controls":{},"payload":{"name":"Grace"},"state":[]}'
    status, answer = _answer(handler.handle_stream_sync("POST", PREVIEW, [], iter([body])))
    assert status == 200 and answer["outputs"]["subject"] == "Welcome, Grace!"
    status, answer = _answer(handler.handle_stream_sync("POST", PREVIEW, [], iter([b" " * 1001])))
    assert (status, answer["code"]) == (413, "RequestBodyTooLargeError")
    assert "at most 1000 bytes" in answer["message"]
    status, answer = _answer(handler.handle_stream_sync("GET", "x=" + "1" * 99, [], iter([])))
    assert (status, answer["code"]) == (400, "RequestQueryTooLargeError")
    status, answer = _answer(handler.handle_stream_sync("GET", "", [("x-pad", "p" * 200)], iter([])))
    assert (status, answer["code"]) == (400, "RequestHeadersTooLargeError")
    status, answer = _answer(
        handler.handle_stream_sync("POST", PREVIEW, [("Content-Length", "1001")], iter([]))
    )
    assert (status, answer["code"]) == (413, "RequestBodyTooLargeError")
    assert "1001 bytes" in answer["message"]


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 600), min_size=1, max_size=30))
def test_a_streamed_body_is_read_no_further_than_the_limit(
    handler: NovuRequestHandler, sizes: list[int]
) -> None:
    taken: list[int] = []

    def chunks() -> Iterator[bytes]:
        for size in sizes:
            taken.append(size)
            yield b" " * size

    status, answer = _answer(handler.handle_stream_sync("POST", PREVIEW, [], chunks()))
    total = sum(sizes)
    if total > 1000:
        assert (status, answer["code"]) == (413, "RequestBodyTooLargeError")
        crossing = next(i for i in range(len(sizes)) if sum(sizes[: i + 1]) > 1000)
        assert len(taken) == crossing + 1  # not one chunk read past the one that crossed the limit
    else:
        assert status == 200  # blank body: an empty event, previewed with mocks


def test_a_body_the_server_cannot_deliver_is_a_400(handler: NovuRequestHandler) -> None:
    def broken() -> Iterator[bytes]:
        yield b'{"controls":'
        raise OSError("Invalid chunk header")

    status, answer = _answer(handler.handle_stream_sync("POST", PREVIEW, [], broken()))
    assert (status, answer["code"]) == (400, "InvalidRequestBodyError")
    assert "could not be read (OSError: Invalid chunk header)" in answer["message"]


def _frame(pieces: list[bytes], extension: bool) -> bytes:
    out = b""
    for piece in pieces:
        out += f"{len(piece):x}".encode() + (b";ext=1" if extension else b"") + b"\r\n" + piece + b"\r\n"
    return out + b"0\r\nX-Trailer: t\r\n\r\n"


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(st.binary(min_size=1, max_size=300), max_size=12), extension=st.booleans())
def test_dechunk_reassembles_any_framing(pieces: list[bytes], extension: bool) -> None:
    stream = io.BytesIO(_frame(pieces, extension) + b"NEXT REQUEST")
    assert b"".join(dechunk(stream, size=64)) == b"".join(pieces)
    assert stream.read() == b"NEXT REQUEST"  # nothing past the body was consumed


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=400))
def test_dechunk_refuses_garbage_with_value_error_only(raw: bytes) -> None:
    with contextlib.suppress(ValueError):  # any other exception fails the test
        b"".join(dechunk(io.BytesIO(raw)))
