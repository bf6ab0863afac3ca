"""A stand-in for the Novu API on 127.0.0.1: records every request and plays scripted answers."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    headers: dict[str, str]  # lower-cased names
    body: bytes
    client_port: int

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | Any = None  # bytes/str sent as is, anything else as JSON; None: the default answer
    delay: float = 0.0
    content_type: str = "application/json; charset=utf-8"


def processed(transaction_id: Any) -> dict[str, Any]:
    """The Novu API's answer to an accepted trigger."""
    return {"data": {"acknowledged": True, "status": "processed", "transactionId": transaction_id}}


def api_error(status: int, error: str, message: Any) -> Reply:
    """The Novu API's (NestJS) error answer."""
    return Reply(status, {"statusCode": status, "error": error, "message": message})


@dataclass
class RecordingServer:
    """Answers from the queue of scripted replies, then with the API's default answers.

    Default answers: a trigger gets ``processed`` with the transactionId it sent (``"generated-by-api"`` when
    it sent none), a cancel gets ``{"data": true}``.
    """

    requests: list[Recorded] = field(default_factory=list)
    replies: deque[Reply] = field(default_factory=deque)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def enqueue(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def start(self) -> RecordingServer:
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                recorded = Recorded(self.command, self.path, headers, body, self.client_address[1])
                recorder.requests.append(recorded)
                reply = recorder.replies.popleft() if recorder.replies else Reply()
                if reply.delay:
                    time.sleep(reply.delay)
                payload = recorder._payload(recorded, reply)
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            do_POST = do_DELETE = do_GET = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def _payload(self, request: Recorded, reply: Reply) -> bytes:
        if isinstance(reply.body, bytes):
            return reply.body
        if isinstance(reply.body, str):
            return reply.body.encode()
        if reply.body is not None:
            return json.dumps(reply.body).encode()
        if request.method == "DELETE":
            return b'{"data":true}'
        sent = json.loads(request.body) if request.body else {}
        txn = sent.get("transactionId") if isinstance(sent, dict) else None
        return json.dumps(processed(txn or "generated-by-api")).encode()


def closed_port_url() -> str:
    """A loopback URL where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
