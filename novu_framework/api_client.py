"""HTTP client for the Novu API: triggers and cancels, sent the way @novu/framework 2.9.0 sends them.

The request line, the ``Content-Type``/``Authorization`` headers and the JSON body bytes (key order and
JavaScript number formatting included) are the TypeScript client's. Deliberate differences, documented in
``docs/TRIGGER.md``:

* :meth:`NovuApiClient.trigger` always sends a ``transactionId``: when the caller gave none it generates one
  (uuid4 hex) before the first attempt, so that a retried request is deduplicated by the API;
* connection errors, timeouts and 5xx answers are retried with exponential backoff (never a 4xx);
* ``cancel`` uses the real transaction id (the reference requests ``/v1/events/trigger/undefined``), and
  raises on an error answer instead of returning the error body.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import anyio
import httpx
import pydantic_core
from pydantic import BaseModel

from novu_framework._sync import ensure_not_on_loop, on_event_loop, on_thread_loop, run_blocking
from novu_framework._version import __version__
from novu_framework.constants import PACKAGE_NAME, SDK_VERSION
from novu_framework.errors import (
    BlockingCallInEventLoopError,
    BridgeError,
    MissingSecretKeyError,
    NovuError,
    PlatformError,
)
from novu_framework.js.json import JsonParseError, loads
from novu_framework.js.json import stringify as js_stringify
from novu_framework.js.values import is_number, truthy
from novu_framework.trigger_result import TriggerResult

logger = logging.getLogger("novu_framework.api_client")

TRIGGER_PATH = "/v1/events/trigger"
USER_AGENT = f"{PACKAGE_NAME}/{__version__} (compatible with @novu/framework {SDK_VERSION})"
_MAX_BACKOFF = 30.0

__all__ = [
    "TRIGGER_PATH",
    "BlockingCallInEventLoopError",
    "NovuApiClient",
    "NovuApiPlatformError",
    "NovuApiResponseError",
    "NovuApiUnreachableError",
    "TriggerResult",
    "bridge_trigger",
    "build_bridge_trigger_body",
    "build_trigger_body",
    "encode_body",
]


# --- errors ----------------------------------------------------------------------------------------


class NovuApiPlatformError(PlatformError):
    """The API answered non-2xx with its error shape ``{statusCode, error, message}``.

    ``status_code``/``code``/``data`` are the reference's ``PlatformError`` fields; ``api_status`` is the HTTP
    status of the answer and ``body`` the parsed answer.
    """

    def __init__(self, api_status: int, body: Mapping[str, Any]) -> None:
        raw_status, error, message = body["statusCode"], body["error"], body["message"]
        status = int(raw_status) if is_number(raw_status) else api_status
        text = message if isinstance(message, str) else js_stringify(message)
        super().__init__(status, error if isinstance(error, str) else js_stringify(error), text)
        self.data = {"message": message}  # verbatim: NestJS validation messages are lists
        self.api_status = api_status
        self.body = body

    @property
    def is_client_error(self) -> bool:
        """Whether the bridge relays it as is (``statusCode`` is a number in 400..499)."""
        raw = self.body["statusCode"]
        return is_number(raw) and 400 <= raw < 500

    def reference_json(self) -> str:
        """``JSON.stringify(error, null, 2)`` of the reference's ``PlatformError`` object."""
        return _pretty_json(
            {"data": self.data, "statusCode": self.body["statusCode"], "code": self.body["error"]}
        )


class NovuApiResponseError(BridgeError):
    """The API answered with a body the client cannot use (not JSON, or an error without the API's shape)."""

    def __init__(self, api_status: int, body: Any, detail: str) -> None:
        NovuError.__init__(
            self, f"Unknown BridgeError: {detail}", {"stack": f"{type(self).__name__}: {detail}"}
        )
        self.api_status = api_status
        self.body = body


class NovuApiUnreachableError(BridgeError):
    """No answer from the API: connection error or timeout, after the allowed retries."""

    def __init__(self, method: str, url: str, attempts: int, reason: str) -> None:
        plural = "" if attempts == 1 else "s"
        detail = f"{method} {url} failed after {attempts} attempt{plural}: {reason}"
        NovuError.__init__(
            self, f"Unknown BridgeError: {detail}", {"stack": f"{type(self).__name__}: {detail}"}
        )
        self.method = method
        self.url = url
        self.attempts = attempts
        self.reason = reason


# --- request bodies ----------------------------------------------------------------------------------


def _payload_copy(payload: Any) -> dict[str, Any]:
    if payload is None:
        return {}
    if isinstance(payload, BaseModel):
        return dict(payload.model_dump(mode="json", by_alias=True))
    if isinstance(payload, Mapping):
        return dict(payload)
    raise TypeError(f"trigger payload must be a mapping (a JSON object), got {type(payload).__name__}")


def build_trigger_body(
    workflow_id: str,
    *,
    to: Any,
    payload: Any,
    transaction_id: str | None = None,
    overrides: Any = None,
    actor: Any = None,
    context: Any = None,
    bridge_url: str | None = None,
) -> dict[str, Any]:
    """The body ``workflow.trigger()`` sends: ``name, to, payload, transactionId?, overrides?, actor?,
    context?, bridgeUrl?`` in that order.

    ``payload`` (already validated) is shallow-copied, ``{}`` when ``None``. ``transactionId``, ``actor`` and
    ``context`` are sent when truthy in the JavaScript sense, ``overrides`` when not ``None`` (``{}`` is
    sent, as JavaScript's ``{}`` is truthy). ``to=None`` is omitted like an ``undefined`` field.
    """
    body: dict[str, Any] = {"name": workflow_id}
    if to is not None:
        body["to"] = to
    body["payload"] = _payload_copy(payload)
    if truthy(transaction_id):
        body["transactionId"] = transaction_id
    if truthy(overrides):
        body["overrides"] = overrides
    if truthy(actor):
        body["actor"] = actor
    if truthy(context):
        body["context"] = context
    if bridge_url:
        body["bridgeUrl"] = bridge_url
    return body


def build_bridge_trigger_body(workflow_id: str, request_body: Mapping[str, Any]) -> dict[str, Any]:
    """The body the bridge's ``action=trigger`` forwards, built from the parsed request body.

    As in the reference: ``name`` is the body's ``workflowId`` when present (the reference spreads the body
    over the query value), else ``workflow_id``; ``to`` and ``transactionId`` are copied when present (even
    ``null``); ``payload`` and ``overrides`` fall back to ``{}`` when falsy; ``actor``, ``bridgeUrl``,
    ``controls`` and ``context`` are kept when truthy. Every other field (``tenant``, ...) is dropped.
    """
    body: dict[str, Any] = {"name": request_body.get("workflowId", workflow_id)}
    if "to" in request_body:
        body["to"] = request_body["to"]
    payload = request_body.get("payload")
    body["payload"] = payload if truthy(payload) else {}
    if "transactionId" in request_body:
        body["transactionId"] = request_body["transactionId"]
    overrides = request_body.get("overrides")
    body["overrides"] = overrides if truthy(overrides) else {}
    for key in ("actor", "bridgeUrl", "controls", "context"):
        if truthy(request_body.get(key)):
            body[key] = request_body[key]
    return body


def encode_body(body: Any) -> bytes:
    """The request bytes: ``JSON.stringify`` of the body (integer-like keys first, JavaScript numbers).

    Python values JSON has no form for (datetimes, UUIDs, tuples, models, ...) are converted the way
    Pydantic serialises them; anything else raises ``TypeError``.
    """
    try:
        plain = pydantic_core.to_jsonable_python(body, by_alias=True)
    except pydantic_core.PydanticSerializationError as exc:
        raise TypeError(f"the trigger body is not JSON-serialisable: {exc}") from exc
    return js_stringify(plain).encode("utf-8", "surrogatepass")


def _pretty_json(value: Any) -> str:
    """``JSON.stringify(value, null, 2)`` for parsed JSON (key order of JavaScript objects)."""
    return json.dumps(loads(js_stringify(value)), indent=2, ensure_ascii=False)


def _with_transaction_id(body: Mapping[str, Any], transaction_id: str) -> dict[str, Any]:
    """``body`` with ``transactionId`` at its place in the reference's key order (right after ``payload``)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key != "transactionId":
            out[key] = value
        if key == "payload":
            out["transactionId"] = transaction_id
    out.setdefault("transactionId", transaction_id)
    return out


# --- the client ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    method: str
    url: str
    content: bytes | None


_Outcome = httpx.Response | httpx.TransportError


class NovuApiClient:
    """Sends triggers and cancels to the Novu API, with bounded timeouts and retries.

    Each call opens its own connection unless the client is used as a context manager: ``async with``
    keeps one connection pool for the async calls until exit (or :meth:`aclose`), ``with`` one for the
    blocking calls of the thread that entered it (or :meth:`close`). The blocking calls run the async
    ones on the calling thread's event loop (``novu_framework._sync``), so ``transport`` serves both.
    """

    def __init__(
        self,
        secret_key: str,
        api_url: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if not secret_key:
            raise MissingSecretKeyError()
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"api_url must be an absolute http(s) URL, got {api_url!r}")
        if timeout <= 0 or max_retries < 0 or backoff < 0:
            raise ValueError("timeout must be positive, max_retries and backoff not negative")
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self._transport = transport
        self._headers = {
            "Content-Type": "application/json",
            "Authorization": f"ApiKey {secret_key}",
            "User-Agent": USER_AGENT,
        }
        self._async_pool: httpx.AsyncClient | None = None
        # The pool of ``with``, and the thread whose event loop its connections belong to.
        self._sync_pool: tuple[int, httpx.AsyncClient] | None = None

    def __repr__(self) -> str:
        return f"NovuApiClient(api_url={self.api_url!r})"

    # --- public calls ---

    async def trigger(self, body: Mapping[str, Any]) -> TriggerResult:
        """``POST {api_url}/v1/events/trigger`` with ``body`` (see :func:`build_trigger_body`)."""
        return await self._trigger(body)

    def trigger_sync(self, body: Mapping[str, Any]) -> TriggerResult:
        """Blocking twin of :meth:`trigger`, for threads without a running event loop."""
        ensure_not_on_loop("NovuApiClient.trigger_sync", "NovuApiClient.trigger")
        return run_blocking(self._trigger(body))

    async def cancel(self, transaction_id: str) -> Any:
        """``DELETE {api_url}/v1/events/trigger/{transaction_id}``; the parsed answer (``{"data": true}``)."""
        return await self._send(self._cancel_request(transaction_id))

    def cancel_sync(self, transaction_id: str) -> Any:
        """Blocking twin of :meth:`cancel`."""
        ensure_not_on_loop("NovuApiClient.cancel_sync", "NovuApiClient.cancel")
        return run_blocking(self.cancel(transaction_id))

    async def aclose(self) -> None:
        """Close the connection pools opened by ``async with`` / ``with``."""
        pool, self._async_pool = self._async_pool, None
        if pool is not None:
            await pool.aclose()
        self.close()

    def close(self) -> None:
        """Close the blocking calls' connection pool opened by ``with``.

        Its connections belong to the event loop of the thread that opened it: from another thread,
        or on a running loop, the pool is let go and its connections close when it is collected.
        """
        held, self._sync_pool = self._sync_pool, None
        if held is not None and held[0] == threading.get_ident() and not on_event_loop():
            run_blocking(held[1].aclose())

    async def __aenter__(self) -> NovuApiClient:
        if self._async_pool is None:
            self._async_pool = self._new_async_client()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __enter__(self) -> NovuApiClient:
        if self._sync_pool is None:
            self._sync_pool = (threading.get_ident(), self._new_async_client())
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- requests and results ---

    def _request(self, method: str, path: str, body: Any = None) -> _Request:
        content = None if body is None else encode_body(body)
        return _Request(method, f"{self.api_url}{path}", content)

    async def _trigger(self, body: Mapping[str, Any]) -> TriggerResult:
        sent_id = body.get("transactionId")
        if not (isinstance(sent_id, str) and sent_id):
            sent_id = uuid.uuid4().hex
            body = _with_transaction_id(body, sent_id)
        data = await self._send(self._request("POST", TRIGGER_PATH, body))
        answered = data.get("data") if isinstance(data, dict) else None
        answered_id = answered.get("transactionId") if isinstance(answered, dict) else None
        transaction_id = answered_id if isinstance(answered_id, str) and answered_id else sent_id
        return TriggerResult(data=data, transaction_id=transaction_id, canceller=self.cancel)

    def _cancel_request(self, transaction_id: str) -> _Request:
        if not isinstance(transaction_id, str) or not transaction_id:
            raise ValueError(f"transaction_id must be a non-empty string, got {transaction_id!r}")
        return self._request("DELETE", f"{TRIGGER_PATH}/{quote(transaction_id, safe='')}")

    # --- transport ---

    def _new_async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self.timeout, transport=self._transport)

    def _pool(self) -> httpx.AsyncClient | None:
        """The pool a call uses: under a blocking call (on this thread's loop, see ``novu_framework._sync``)
        the one ``with`` opened in this thread, else the one of ``async with``; ``None``: a connection of
        its own."""
        if not on_thread_loop():
            return self._async_pool
        held = self._sync_pool
        return held[1] if held is not None and held[0] == threading.get_ident() else self._async_pool

    @contextlib.asynccontextmanager
    async def _http(self) -> AsyncIterator[httpx.AsyncClient]:
        pool = self._pool()
        if pool is not None:
            yield pool
        else:
            async with self._new_async_client() as client:
                yield client

    async def _send(self, request: _Request) -> Any:
        async with self._http() as http:
            attempt = 0
            while True:
                attempt += 1
                outcome: _Outcome
                try:
                    outcome = await http.request(
                        request.method, request.url, content=request.content, headers=self._headers
                    )
                except httpx.TransportError as exc:
                    outcome = exc
                delay = self._retry_delay(request, attempt, outcome)
                if delay is None:
                    return self._conclude(request, attempt, outcome)
                await anyio.sleep(delay)

    def _retry_delay(self, request: _Request, attempt: int, outcome: _Outcome) -> float | None:
        """Seconds to wait before the next attempt, or ``None`` to stop (success, 4xx, retries exhausted)."""
        if isinstance(outcome, httpx.Response) and outcome.status_code < 500:
            return None
        if attempt > self.max_retries:
            return None
        delay = min(self.backoff * 2.0 ** (attempt - 1), _MAX_BACKOFF)
        why = _describe_failure(outcome, self.timeout)
        logger.warning(
            "Novu API %s %s: %s; retrying in %.2fs (attempt %d of %d)",
            request.method,
            request.url,
            why,
            delay,
            attempt + 1,
            self.max_retries + 1,
        )
        return delay

    def _conclude(self, request: _Request, attempt: int, outcome: _Outcome) -> Any:
        """The parsed 2xx answer, or the error the final outcome maps to."""
        if isinstance(outcome, httpx.TransportError):
            raise NovuApiUnreachableError(
                request.method, request.url, attempt, _describe_failure(outcome, self.timeout)
            ) from outcome
        status = outcome.status_code
        try:
            body = loads(outcome.content)
        except JsonParseError as exc:
            snippet = outcome.text[:200]
            raise NovuApiResponseError(
                status,
                outcome.text,
                f"{request.method} {request.url} answered {status} with a body that is not JSON ({exc}): "
                f"{snippet!r}",
            ) from exc
        if 200 <= status < 300:
            return body
        if isinstance(body, dict) and {"statusCode", "error", "message"} <= body.keys():
            raise NovuApiPlatformError(status, body)
        raise NovuApiResponseError(status, body, _pretty_json(body))


def _describe_failure(outcome: _Outcome, timeout: float) -> str:
    if isinstance(outcome, httpx.Response):
        return f"HTTP {outcome.status_code}"
    if isinstance(outcome, httpx.TimeoutException):
        what = {
            httpx.ConnectTimeout: "could not connect",
            httpx.ReadTimeout: "no answer",
            httpx.WriteTimeout: "could not send the request",
            httpx.PoolTimeout: "no free connection",
        }.get(type(outcome), "timed out")
        return f"{what} within {timeout:g}s ({type(outcome).__name__})"
    if isinstance(outcome, httpx.ConnectError):
        return f"connection failed ({outcome or 'ConnectError'})"
    return f"{type(outcome).__name__}: {outcome}" if str(outcome) else type(outcome).__name__


# --- the bridge's action=trigger -----------------------------------------------------------------------


async def bridge_trigger(
    secret_key: str, api_url: str, workflow_id: str, request_body: Mapping[str, Any]
) -> Any:
    """What the bridge's ``action=trigger`` answers: the API's JSON answer verbatim.

    One attempt, no generated ``transactionId`` (the reference's wire exactly). Errors, as the reference
    bridge maps them: a platform error whose ``statusCode`` is a number in 400..499 is raised as
    :class:`NovuApiPlatformError` (a :class:`PlatformError`); any other error answer, a body that is not
    JSON, a connection error or a timeout raises a :class:`BridgeError` subclass.
    """
    body = build_bridge_trigger_body(workflow_id, request_body)
    client = NovuApiClient(secret_key, api_url, max_retries=0)
    try:
        return await client._send(client._request("POST", TRIGGER_PATH, body))
    except NovuApiPlatformError as exc:
        if exc.is_client_error:
            raise
        raise NovuApiResponseError(exc.api_status, exc.body, exc.reference_json()) from exc
