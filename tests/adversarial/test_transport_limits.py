"""Limits before buffering, through every adapter's real server: bodies (streamed and counted, chunked
or not, with the memory a 64 MiB upload costs measured), headers, query strings, Django's own limits,
chunked bodies under WSGI, malformed chunked bodies and unknown methods."""

from __future__ import annotations

import socket
import string
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.adapters.bridge_workflows import SECRET
from tests.adapters.servers import RunningServer
from tests.adapters.signer import novu_signature

from .conftest import ServerLog
from .envelope import EXECUTE, assert_envelope, assert_welcomed, post_signed

MiB = 1024 * 1024
# The documented defaults of BridgeLimits (written out: this suite also runs against older code).
MAX_BODY_BYTES = 10 * MiB
MAX_HEADER_BYTES = 32 * 1024
MAX_QUERY_BYTES = 8 * 1024
PREVIEW = "?action=preview&workflowId=contract-welcome&stepId=send-email"
SETTINGS = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _execute_body(padding: int = 0) -> bytes:
    inbox = (
        '{"stepId":"inbox","outputs":{"seen":true,"read":false,"lastSeenDate":null,"lastReadDate":null},'
        '"state":{"status":"completed","error":null}}'
    )
    return (
        '{"payload":{"name":"Ada","plan":"pro"},"controls":{},"state":[' + inbox + "],"
        '"subscriber":{"subscriberId":"sub_1"},"pad":"' + "x" * padding + '"}'
    ).encode()


# --- body size -------------------------------------------------------------------------------------

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _peak_rss_kib() -> int:
    for line in _STATUS.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc/self/status")


def _reset_peak_rss() -> None:
    _CLEAR_REFS.write_text("5")  # resets VmHWM to the current RSS (Linux)


def _upload(total: int) -> Iterator[bytes]:
    chunk = b"x" * (64 * 1024)  # the same object every time: the client holds one chunk
    for _ in range(total // len(chunk)):
        yield chunk


@pytest.mark.parametrize("framing", ["chunked", "content-length"])
def test_a_64_mib_upload_is_refused_before_it_is_held(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, framing: str
) -> None:
    """The servers run in this process: its peak RSS, reset before the upload, bounds what they held."""
    if not _CLEAR_REFS.exists():
        pytest.skip("peak RSS cannot be reset on this OS (no /proc/self/clear_refs)")
    headers = {"content-type": "application/json", "novu-signature": novu_signature(SECRET)}
    if framing == "content-length":
        headers["content-length"] = str(64 * MiB)
    _reset_peak_rss()
    before = _peak_rss_kib()
    try:
        response = http.post(server.bridge_url + EXECUTE, content=_upload(64 * MiB), headers=headers)
    finally:
        grown_mib = (_peak_rss_kib() - before) / 1024
    body = assert_envelope(response, server, 413, "RequestBodyTooLargeError")
    assert f"at most {MAX_BODY_BYTES} bytes" in body["message"]
    # At most what the 10 MiB limit lets in, with the allocator's slack (measured: 0 to 20 MiB); a
    # server that buffers the upload grows by 64 MiB or more (measured before the limits: 64 to 129).
    assert grown_mib < 32, f"the server grew by {grown_mib:.1f} MiB before answering"
    server_log.assert_quiet()


def test_a_body_over_the_limit_by_one_byte_is_refused_when_streamed(
    http: httpx.Client, server: RunningServer, server_log: ServerLog
) -> None:
    limit = MAX_BODY_BYTES

    def body() -> Iterator[bytes]:
        yield b'{"pad":"'
        yield b"y" * (limit - 9)
        yield b'"}'  # one byte past the limit, and no Content-Length to announce it

    response = http.post(
        server.bridge_url + EXECUTE, content=body(), headers={"content-type": "application/json"}
    )
    assert_envelope(response, server, 413, "RequestBodyTooLargeError")
    server_log.assert_quiet()


def test_bodies_between_djangos_limit_and_the_bridges_are_served(
    http: httpx.Client, server: RunningServer, server_log: ServerLog
) -> None:
    """3 MiB is over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB): the bridge's own limit decides."""
    content = _execute_body(padding=3 * MiB)
    response = post_signed(http, server, content)
    assert_welcomed(response, "Ada")
    server_log.assert_quiet()


def test_a_signed_chunked_body_is_read_on_every_adapter(
    http: httpx.Client, server: RunningServer, server_log: ServerLog
) -> None:
    content = b'{"controls":{},"payload":{"name":"Grace"},"state":[]}'

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(content), 7):
            yield content[start : start + 7]

    response = post_signed(http, server, pieces(), PREVIEW, signed=content)
    assert "content-length" not in response.request.headers  # sent chunked
    assert_welcomed(response, "Grace")
    server_log.assert_quiet()


def _raw_request(server: RunningServer, request: bytes) -> bytes:
    host_port = server.bridge_url.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)  # a body cut short ends here, as when a client goes away
        received = b""
        while b"\r\n\r\n" not in received or len(received) < 4096:
            try:
                part = sock.recv(65536)
            except TimeoutError:
                break
            if not part:
                break
            received += part
    return received


@pytest.mark.parametrize("chunk", [b"zz\r\nabc\r\n0\r\n\r\n", b"5\r\nab", b"3\r\nabcXX0\r\n\r\n"])
def test_a_malformed_chunked_body_gets_the_bridge_400(
    server: RunningServer, server_log: ServerLog, chunk: bytes
) -> None:
    """Where the WSGI server hands the framing to the adapter (Werkzeug decodes it, wsgiref does not),
    a bad chunk is the bridge's 400. Under uvicorn, h11 refuses it before any application runs, with
    a plain-text 400 of its own: no HTML, no 500 there either."""
    head = (
        f"POST /api/novu{EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/json\r\nConnection: close\r\n\r\n"
    ).encode()
    raw = _raw_request(server, head + chunk)
    status_line, _, rest = raw.partition(b"\r\n")
    headers, _, payload = rest.partition(b"\r\n\r\n")
    if server.backend in ("fastapi", "django-asgi"):
        # A body cut short by the client's end of the connection is a disconnect to uvicorn: nobody
        # is left to answer, and the application must not log it as its own failure.
        if raw:
            assert b" 400 " in status_line and b"content-type: text/plain" in headers.lower(), raw[:400]
            assert b"<html" not in payload.lower(), raw[:400]
        server_log.assert_quiet()
        return
    assert b" 400 " in status_line, raw[:400]
    assert b"content-type: application/json" in headers.lower(), raw[:400]
    assert b'"code":"InvalidRequestBodyError"' in payload, raw[:600]
    assert b"could not be read" in payload
    server_log.assert_quiet()


# --- headers and query -----------------------------------------------------------------------------


@SETTINGS
@given(count=st.integers(34, 56), size=st.integers(1000, 1100))
def test_headers_over_the_limit_get_the_bridge_400(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, count: int, size: int
) -> None:
    # Under the servers' own caps (100 header lines, 64 KiB a line, about 64 KiB in all for uvicorn),
    # over the bridge's 32 KiB.
    headers = {f"x-pad-{i}": "h" * size for i in range(count)}
    response = http.get(server.bridge_url + "?action=health-check", headers=headers)
    body = assert_envelope(response, server, 400, "RequestHeadersTooLargeError")
    assert f"at most {MAX_HEADER_BYTES} bytes" in body["message"]
    server_log.assert_quiet()


@SETTINGS
@given(length=st.integers(MAX_QUERY_BYTES + 1, 60_000))
def test_a_query_over_the_limit_gets_the_bridge_400(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, length: int
) -> None:
    query = "action=health-check&pad=" + "q" * (length - 24)
    assert len(query) == length
    response = http.get(f"{server.bridge_url}?{query}")
    body = assert_envelope(response, server, 400, "RequestQueryTooLargeError")
    assert f"{length} bytes" in body["message"]
    server_log.assert_quiet()


def test_more_query_fields_than_django_allows_are_the_bridges_to_judge(
    http: httpx.Client, server: RunningServer, server_log: ServerLog
) -> None:
    """1500 fields (Django's DATA_UPLOAD_MAX_NUMBER_FIELDS is 1000) in 4 KiB: the bridge answers."""
    query = "action=discover&" + "&".join(["f"] * 1500)
    response = http.get(f"{server.bridge_url}?{query}", headers={"novu-signature": novu_signature(SECRET)})
    assert response.status_code == 200, response.text[:300]
    assert {wf["workflowId"] for wf in response.json()["workflows"]} >= {"contract-welcome"}
    server_log.assert_quiet()


# --- methods ---------------------------------------------------------------------------------------

_SERVED = {"GET", "POST", "OPTIONS", "HEAD", "CONNECT"}  # HEAD has no body; CONNECT is a tunnel
_TOKEN = st.text(alphabet=string.ascii_uppercase, min_size=3, max_size=12).filter(lambda m: m not in _SERVED)


_UVICORN = {"fastapi", "django-asgi", "django-asgi-front"}
_WELL_KNOWN = ["PROPFIND", "MKCOL", "PURGE", "LINK", "TRACE", "PUT"]


@SETTINGS
@given(method=st.one_of(st.sampled_from(_WELL_KNOWN), _TOKEN))
def test_unknown_methods_get_the_bridge_405(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, method: str
) -> None:
    response = http.request(method, server.bridge_url, content=b"{}")
    if server.backend in _UVICORN and method not in _WELL_KNOWN and response.status_code == 400:
        # uvicorn's httptools parser (llhttp) knows a fixed list of methods and refuses any other token
        # itself, before an application runs; h11, Werkzeug and wsgiref hand every token on.
        assert response.text == "Invalid HTTP request received.", response.text[:300]
        server_log.assert_quiet()
        return
    body = assert_envelope(response, server, 405, "MethodNotAllowedError")
    assert body["message"] == "Method not allowed. Please use one of `POST`, `GET`, `OPTIONS`"
    server_log.assert_quiet()
