"""``NovuRequestHandler``: the whole bridge, framework-agnostic. See ``docs/REQUEST_LIFECYCLE.md``."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
from collections.abc import AsyncIterable, Iterable, Iterator, Mapping
from typing import Any

from novu_framework._sync import close_thread_loop, ensure_not_on_loop, run_blocking
from novu_framework._version import __version__
from novu_framework.bridge_http import (
    BodyLimitExceeded,
    BridgeLimits,
    BridgeRequest,
    BridgeResponse,
    collect_body,
    collect_body_async,
    parse_headers,
    parse_query,
)
from novu_framework.client import Client
from novu_framework.constants import (
    FRAMEWORK_VERSION,
    PACKAGE_NAME,
    SDK_VERSION,
    GetAction,
    HttpHeader,
    HttpMethod,
    HttpQuery,
    PostAction,
)
from novu_framework.errors import (
    BridgeError,
    InvalidActionError,
    InvalidRequestBodyError,
    MethodNotAllowedError,
    MissingSecretKeyError,
    NovuError,
    RequestBodyTooLargeError,
    RequestHeadersTooLargeError,
    RequestQueryTooLargeError,
    StepNotFoundError,
    WorkflowAlreadyExistsError,
    WorkflowNotFoundError,
)
from novu_framework.execution import ExecuteRequest, execute
from novu_framework.js.json import JsonParseError, dumps, loads
from novu_framework.signature import verify
from novu_framework.user_code import BLOCKING_ALLOWED
from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework")

DEFAULT_MAX_BODY_BYTES = BridgeLimits.max_body_bytes
_MAX_LENGTH_DIGITS = 18  # a Content-Length longer than this is no size any limit allows
_collectors: list[list[Workflow]] = []
_collectors_lock = threading.Lock()


@contextlib.contextmanager
def collect_served() -> Iterator[list[Workflow]]:
    """Collect the workflows of every handler (every adapter's ``serve()``) built inside the block.

    How ``novu-framework dev`` finds workflows that a module only passes to ``serve(...)``.
    """
    found: list[Workflow] = []
    with _collectors_lock:
        _collectors.append(found)
    try:
        yield found
    finally:
        with _collectors_lock:
            _collectors.remove(found)


_GET_ACTIONS = [GetAction.DISCOVER.value, GetAction.HEALTH_CHECK.value, GetAction.CODE.value]
_POST_ACTIONS = [PostAction.TRIGGER.value, PostAction.EXECUTE.value, PostAction.PREVIEW.value]


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return type(value).__name__


def _error_response_parts(exc: BaseException) -> tuple[int, dict[str, Any]]:
    """The status and envelope for any exception (the reference's ``handleError`` rules)."""
    if isinstance(exc, NovuError):
        return exc.status_code, exc.to_body()
    status = getattr(exc, "status_code", getattr(exc, "statusCode", None))
    if isinstance(status, int) and not isinstance(status, bool) and 400 <= status < 500:
        body: dict[str, Any] = {"message": str(getattr(exc, "message", exc))}
        data = getattr(exc, "data", None)
        if data is not None:
            body["data"] = data
        body["code"] = str(getattr(exc, "code", type(exc).__name__))
        return status, body
    wrapped = BridgeError(exc)
    return wrapped.status_code, wrapped.to_body()


def _declared_length(value: str) -> int | None:
    """A Content-Length value as a number (too many digits: past every limit); ``None`` if not one."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()):
        return None  # the server has refused it already, or reading the body settles it
    return int(value) if len(value) <= _MAX_LENGTH_DIGITS else 10**_MAX_LENGTH_DIGITS


class NovuRequestHandler:
    """Answers bridge requests for a set of workflows.

    ``handle`` (async) and ``handle_sync`` (blocking) take a :class:`BridgeRequest` and return a
    :class:`BridgeResponse`; a framework adapter needs nothing else.
    """

    def __init__(
        self,
        workflows: Iterable[Workflow],
        client: Client | None = None,
        framework_name: str = "python",
        *,
        limits: BridgeLimits | None = None,
        max_body_bytes: int | None = None,
    ) -> None:
        self.client = client or Client()
        self.framework_name = framework_name
        self.limits = limits or BridgeLimits()
        if max_body_bytes is not None:
            self.limits = dataclasses.replace(self.limits, max_body_bytes=max_body_bytes)
        self.max_body_bytes = self.limits.max_body_bytes
        self.workflows: dict[str, Workflow] = {}
        for wf in workflows:
            if not isinstance(wf, Workflow):
                raise TypeError(
                    f"serve(): expected Workflow objects (from workflow()), got {type(wf).__name__}"
                )
            existing = self.workflows.get(wf.id)
            if existing is not None and existing is not wf:
                raise WorkflowAlreadyExistsError(
                    wf.id, f"Two different workflows passed to serve() use it ({existing!r} and {wf!r})."
                )
            self.workflows[wf.id] = wf
        with _collectors_lock:
            for found in _collectors:
                found.extend(self.workflows.values())
        self._headers = {
            HttpHeader.CONTENT_TYPE.value: "application/json",
            HttpHeader.ALLOW_ORIGIN.value: "*",
            HttpHeader.ALLOW_METHODS.value: "GET, POST",
            HttpHeader.ALLOW_HEADERS.value: "*",
            HttpHeader.MAX_AGE.value: "604800",
            HttpHeader.FRAMEWORK_VERSION.value: FRAMEWORK_VERSION,
            HttpHeader.FRAMEWORK_SDK.value: SDK_VERSION,
            HttpHeader.FRAMEWORK_SERVER.value: framework_name,
            HttpHeader.USER_AGENT.value: f"{PACKAGE_NAME}:v{__version__}",
        }
        mode = (
            "strict (signed requests only)"
            if self.client.auth.strict
            else "open (unsigned requests accepted)"
        )
        logger.info(
            "novu-framework bridge: authentication is %s because of %s", mode, self.client.auth.reason
        )
        # Without a key a strict bridge can authenticate nothing: it still imports and starts (local
        # development needs no account) but refuses every action except health-check before any
        # workflow code runs, with the error the reference's signature check gives for a missing key.
        self._locked = self.client.auth.strict and not self.client.secret_key
        if self._locked and not _collectors:  # not while novu-framework tooling loads an app
            logger.warning(
                "novu-framework bridge: no secret key is set (%s), so this strict bridge answers every "
                "action except health-check with a 401 and runs no workflow code. Set NOVU_SECRET_KEY, or "
                "develop locally with `novu-framework dev app.py`.",
                MissingSecretKeyError().message,
            )

    # --- entry points --------------------------------------------------------------------------

    async def handle(self, request: BridgeRequest) -> BridgeResponse:
        """Answer one bridge request. Never raises: every failure becomes a JSON error response."""
        try:
            status, body = await self._dispatch(request)
        except Exception as exc:
            status, body = _error_response_parts(exc)
            if status >= 500:
                logger.error("novu-framework bridge: %s", body.get("message"), exc_info=exc)
        return BridgeResponse(status, dict(self._headers), dumps(body))

    def handle_sync(self, request: BridgeRequest) -> BridgeResponse:
        """Blocking twin of :meth:`handle`, for WSGI servers.

        Runs the same async engine on the calling thread's event loop (``novu_framework._sync``); since
        that thread may block, sync user functions are called in place rather than in another thread.
        """
        ensure_not_on_loop("NovuRequestHandler.handle_sync", "NovuRequestHandler.handle")
        return run_blocking(self._handle_blocking(request))

    async def handle_stream(
        self,
        method: str,
        query_string: str | bytes,
        headers: Iterable[tuple[str, str]] | Mapping[str, str],
        body: AsyncIterable[bytes],
    ) -> BridgeResponse:
        """Answer a request whose body is still to be read: the entry point of an ASGI adapter.

        The query and headers are checked against :attr:`limits` first; a POST body is then read from
        ``body`` (read nothing else) and refused as soon as it grows past ``max_body_bytes``, so at
        most that much is ever held. A failure to read it is a 400, not a 500.
        """
        try:
            header_map, wants_body = self._check_head(method, query_string, headers)
            raw = await collect_body_async(body, self.limits.max_body_bytes) if wants_body else b""
        except Exception as exc:
            return self._refusal(exc)
        return await self.handle(BridgeRequest(method, parse_query(query_string), header_map, raw))

    def handle_stream_sync(
        self,
        method: str,
        query_string: str | bytes,
        headers: Iterable[tuple[str, str]] | Mapping[str, str],
        body: Iterable[bytes],
    ) -> BridgeResponse:
        """Blocking twin of :meth:`handle_stream`, for WSGI adapters."""
        ensure_not_on_loop("NovuRequestHandler.handle_stream_sync", "NovuRequestHandler.handle_stream")
        try:
            header_map, wants_body = self._check_head(method, query_string, headers)
            raw = collect_body(body, self.limits.max_body_bytes) if wants_body else b""
        except Exception as exc:
            return self._refusal(exc)
        request = BridgeRequest(method, parse_query(query_string), header_map, raw)
        return run_blocking(self._handle_blocking(request))

    def _check_head(
        self, method: str, query_string: str | bytes, headers: Iterable[tuple[str, str]] | Mapping[str, str]
    ) -> tuple[Mapping[str, str], bool]:
        """The headers as the bridge reads them, and whether a body is to be read; raises unless the
        query and headers are within the limits and a declared body length is too."""
        limits = self.limits
        if len(query_string) > limits.max_query_bytes:
            raise RequestQueryTooLargeError(len(query_string), limits.max_query_bytes)
        header_map, size = parse_headers(headers.items() if isinstance(headers, Mapping) else headers)
        if size > limits.max_header_bytes:
            raise RequestHeadersTooLargeError(size, limits.max_header_bytes)
        if method != HttpMethod.POST:
            return header_map, False  # only a POST body is ever used: the others are signed over ``{}``
        length = header_map.get("content-length")
        declared = None if length is None else _declared_length(length)
        if declared is not None and declared > limits.max_body_bytes:
            raise RequestBodyTooLargeError(
                declared if declared < 10**_MAX_LENGTH_DIGITS else None, limits.max_body_bytes
            )
        return header_map, True

    def _refusal(self, exc: BaseException) -> BridgeResponse:
        """The envelope for a request refused before dispatch (a limit, or a body that cannot be read)."""
        if isinstance(exc, BodyLimitExceeded):
            exc = RequestBodyTooLargeError(None, exc.limit)
        elif not isinstance(exc, NovuError):
            # The server could not deliver the body (a malformed chunk, a client gone): one line.
            detail = f"{type(exc).__name__}: {exc}"[:200]
            logger.warning("novu-framework bridge: request body could not be read (%s)", detail)
            exc = InvalidRequestBodyError(f"the body could not be read ({detail})", full_message=True)
        status, body = _error_response_parts(exc)
        return BridgeResponse(status, dict(self._headers), dumps(body))

    async def _handle_blocking(self, request: BridgeRequest) -> BridgeResponse:
        token = BLOCKING_ALLOWED.set(True)
        try:
            return await self.handle(request)
        finally:
            BLOCKING_ALLOWED.reset(token)

    def close(self) -> None:
        """Close the calling thread's event loop used by :meth:`handle_sync`, if it has one."""
        close_thread_loop()

    # --- pipeline ------------------------------------------------------------------------------

    async def _discover_all(self) -> None:
        for wf in self.workflows.values():
            await wf.definition()

    async def _dispatch(self, request: BridgeRequest) -> tuple[int, Any]:
        method = request.method
        if method == HttpMethod.OPTIONS:
            return 200, {}  # D4: preflights carry no signature
        action = request.query.get(HttpQuery.ACTION) or GetAction.HEALTH_CHECK.value
        if self._locked and action != GetAction.HEALTH_CHECK:
            # SignatureNotFoundError for an unsigned request, else SigningKeyNotFoundError (no key).
            verify(request.headers.get(HttpHeader.SIGNATURE, ""), "", raw_body=b"", is_post=False)
        await self._discover_all()
        is_post = method == HttpMethod.POST
        body: Any = {}
        body_error: JsonParseError | None = None
        if is_post and len(request.body) > self.max_body_bytes:
            raise RequestBodyTooLargeError(len(request.body), self.max_body_bytes)
        if is_post and request.body.strip():
            try:
                body = loads(request.body)
            except JsonParseError as exc:
                body_error = exc
        if action != GetAction.HEALTH_CHECK and self.client.auth.strict:
            header = request.headers.get(HttpHeader.SIGNATURE, "")
            if body_error is None:
                verify(
                    header, self.client.secret_key, raw_body=request.body, parsed_body=body, is_post=is_post
                )
            else:
                verify(header, self.client.secret_key, raw_body=request.body, is_post=is_post)

        if method == HttpMethod.GET:
            return 200, await self._get(action, request)
        if is_post:
            if action not in _POST_ACTIONS:
                raise InvalidActionError(action, _POST_ACTIONS)
            if body_error is not None:
                raise InvalidRequestBodyError("text that is not valid JSON")
            if not isinstance(body, dict):
                raise InvalidRequestBodyError(_json_kind(body))
            return 200, await self._post(action, request, body)
        raise MethodNotAllowedError()

    async def _get(self, action: str, request: BridgeRequest) -> Any:
        if action == GetAction.HEALTH_CHECK:
            steps = 0
            for wf in self.workflows.values():
                steps += len((await wf.definition()).steps)
            return {
                "status": "ok",
                "sdkVersion": SDK_VERSION,
                "frameworkVersion": FRAMEWORK_VERSION,
                "discovered": {"workflows": len(self.workflows), "steps": steps},
            }
        if action == GetAction.DISCOVER:
            return {"workflows": [await wf.document() for wf in self.workflows.values()]}
        if action == GetAction.CODE:
            wf = self._workflow(request.query.get(HttpQuery.WORKFLOW_ID, ""))
            step_id = request.query.get(HttpQuery.STEP_ID, "")
            document = await wf.document()
            if not step_id:
                return {"code": document["code"]}
            step = (await wf.definition()).by_id.get(step_id)
            if step is None:
                raise StepNotFoundError(step_id)
            return {"code": step.code}
        raise InvalidActionError(action, _GET_ACTIONS)

    async def _post(self, action: str, request: BridgeRequest, body: dict[str, Any]) -> Any:
        workflow_id = request.query.get(HttpQuery.WORKFLOW_ID, "")
        if action == PostAction.TRIGGER:
            from novu_framework.api_client import bridge_trigger

            return await bridge_trigger(self.client.secret_key, self.client.api_url, workflow_id, body)
        wf = self._workflow(workflow_id)
        step_id = request.query.get(HttpQuery.STEP_ID, "")
        limits = self.client.render_limits
        result = await execute(wf, ExecuteRequest.from_body(wf.id, step_id, body, action, limits))
        return result.to_wire()

    def _workflow(self, workflow_id: str) -> Workflow:
        wf = self.workflows.get(workflow_id)
        if wf is None:
            raise WorkflowNotFoundError(workflow_id)
        return wf
