"""Every error class: status, wire code and message exactly as the reference's catalogue has them."""

from __future__ import annotations

from typing import Any

import pytest

from novu_framework import errors as e
from novu_framework import workflow
from novu_framework.testing import run_step

CATALOGUE: list[tuple[e.NovuError, int, str, str]] = [
    (e.BridgeError(), 500, "BridgeError", "Unknown BridgeError"),
    (e.BridgeError(ValueError("boom")), 500, "BridgeError", "Unknown BridgeError: boom"),
    (
        e.BlockingCallInEventLoopError("Workflow.trigger_sync", "Workflow.trigger"),
        500,
        "BlockingCallInEventLoopError",
        "Workflow.trigger_sync() blocks, so it cannot be called from a thread that runs an event loop; "
        "use `await Workflow.trigger(...)` there",
    ),
    (
        e.ExecutionEventControlInvalidError("wf", []),
        400,
        "ExecutionEventControlInvalidError",
        "Workflow with id: `wf` has invalid `controls`. Please provide the correct event controls.",
    ),
    (
        e.ExecutionEventPayloadInvalidError("wf", []),
        400,
        "ExecutionEventPayloadInvalidError",
        "Workflow with id: `wf` has invalid `payload`. Please provide the correct event payload.",
    ),
    (
        e.ExecutionProviderOutputInvalidError("wf", "s", "p", []),
        400,
        "ExecutionProviderOutputInvalidError",
        "Workflow with id: `wf` has an invalid state. Step with id: `s` and provider with id: `p` has invalid output. "
        "Please provide the correct provider output.",
    ),
    (
        e.ExecutionStateControlInvalidError("wf", "s", []),
        400,
        "ExecutionStateControlInvalidError",
        "Workflow with id: `wf` has an invalid state. Step with id: `s` has invalid `controls`. "
        "Please provide the correct step controls.",
    ),
    (
        e.ExecutionStateCorruptError("wf", "s"),
        400,
        "ExecutionStateCorruptError",
        "Workflow with id: `wf` has a corrupt state. Step with id: `s` does not exist. Please provide the missing state.",
    ),
    (
        e.ExecutionStateOutputInvalidError("wf", "s", []),
        400,
        "ExecutionStateOutputInvalidError",
        "Workflow with id: `wf` has an invalid state. Step with id: `s` has invalid output. "
        "Please provide the correct step output.",
    ),
    (
        e.ExecutionStateResultInvalidError("wf", "s", []),
        400,
        "ExecutionStateResultInvalidError",
        "Workflow with id: `wf` has an invalid state. Step with id: `s` has invalid result. "
        "Please provide the correct step result.",
    ),
    (
        e.InvalidActionError("x", ["trigger", "execute", "preview"]),
        400,
        "InvalidActionError",
        "Invalid query string: `action`=`x`. Please use one of `trigger`, `execute`, `preview`",
    ),
    (
        e.InvalidRequestBodyError("null"),
        400,
        "InvalidRequestBodyError",
        "Invalid request body: expected a JSON object, got null",
    ),
    (
        e.MethodNotAllowedError(),
        405,
        "MethodNotAllowedError",
        "Method not allowed. Please use one of `POST`, `GET`, `OPTIONS`",
    ),
    (
        e.MissingDependencyError("JSON schema", ["jsonschema"]),
        500,
        "MissingDependencyError",
        "Tried to use a JSON schema in novu-framework without jsonschema installed. "
        "Please install it by running `pip install jsonschema`.",
    ),
    (
        e.RequestBodyTooLargeError(20, 10),
        413,
        "RequestBodyTooLargeError",
        "Request body too large: 20 bytes, the bridge accepts at most 10 bytes (NovuRequestHandler(max_body_bytes=...))",
    ),
    (
        e.RequestHeadersTooLargeError(40, 32),
        400,
        "RequestHeadersTooLargeError",
        "Request headers too large: 40 bytes of names and values, the bridge accepts at most 32 bytes "
        "(BridgeLimits(max_header_bytes=...))",
    ),
    (
        e.RequestQueryTooLargeError(9, 8),
        400,
        "RequestQueryTooLargeError",
        "Query string too long: 9 bytes, the bridge accepts at most 8 bytes (BridgeLimits(max_query_bytes=...))",
    ),
    (
        e.MissingSecretKeyError(),
        400,
        "MissingSecretKeyError",
        "Missing secret key. Set the `NOVU_SECRET_KEY` environment variable or pass `secretKey` to the client options.",
    ),
    (
        e.ProviderExecutionFailedError("slack", "execute", RuntimeError("x")),
        502,
        "ProviderExecutionFailedError",
        "Failed to execute Provider with id: `slack`: x",
    ),
    (
        e.ProviderNotFoundError("slack"),
        404,
        "ProviderNotFoundError",
        "Provider with id: `slack` does not exist. Please provide a valid id.",
    ),
    (
        e.SignatureExpiredError(),
        401,
        "SignatureExpiredError",
        "Signature expired. Please provide a signature with a timestamp no older than 5 minutes in the "
        "`novu-signature` header",
    ),
    (
        e.SignatureInvalidError(),
        401,
        "SignatureInvalidError",
        "Signature is invalid. Please provide a valid signature in the `novu-signature` header",
    ),
    (
        e.SignatureMismatchError(),
        401,
        "SignatureMismatchError",
        "Signature does not match the expected signature. Please ensure the signature provided in the "
        "`novu-signature` header is correct and try again.",
    ),
    (
        e.SignatureNotFoundError(),
        401,
        "SignatureNotFoundError",
        "Signature not found. Please provide a signature in the `novu-signature` header",
    ),
    (
        e.SignatureVersionInvalidError(),
        401,
        "SignatureVersionInvalidError",
        "Signature version is invalid. Please provide a signature version with version `v1` in the "
        "`novu-signature` header",
    ),
    (
        e.SigningKeyNotFoundError(),
        401,
        "SigningKeyNotFoundError",
        "Signature key not found. Please provide a valid key in the Client constructor `config.secretKey`",
    ),
    (
        e.StepAlreadyExistsError("s"),
        409,
        "StepAlreadyExistsError",
        "Step with id: `s` already exists. Please use a different id.",
    ),
    (
        e.StepControlCompilationFailedError("wf", "s", {}),
        400,
        "StepControlCompilationFailedError",
        "Workflow with id: `wf` has invalid controls syntax in step with id: `s`. Please correct step control syntax.",
    ),
    (
        e.StepExecutionFailedError("s", "preview", RuntimeError("y")),
        502,
        "StepExecutionFailedError",
        "Failed to preview Step with id: `s`: y",
    ),
    (
        e.StepNotFoundError("s"),
        404,
        "StepNotFoundError",
        "Step with id: `s` does not exist. Please provide a valid id.",
    ),
    (
        e.WorkflowAlreadyExistsError("wf"),
        409,
        "WorkflowAlreadyExistsError",
        "Workflow with id: `wf` already exists. Please use a different id.",
    ),
    (
        e.WorkflowNotFoundError("wf"),
        404,
        "WorkflowNotFoundError",
        "Workflow with id: `wf` does not exist. Please provide a valid id.",
    ),
    (
        e.WorkflowPayloadInvalidError("wf", []),
        400,
        "WorkflowPayloadInvalidError",
        "Workflow with id: `wf` has invalid `payload`. Please provide the correct payload.",
    ),
]


@pytest.mark.parametrize(("error", "status", "code", "message"), CATALOGUE, ids=lambda v: type(v).__name__)
def test_error_catalogue(error: e.NovuError, status: int, code: str, message: str) -> None:
    assert (error.status_code, str(error.code), error.message) == (status, code, message)
    body = error.to_body()
    assert list(body) == (["message", "data", "code"] if error.has_data else ["message", "code"])


def test_every_error_class_is_in_the_catalogue() -> None:
    covered = {type(error) for error, *_ in CATALOGUE}
    concrete = {
        cls
        for cls in vars(e).values()
        if isinstance(cls, type)
        and issubclass(cls, e.NovuError)
        and "code" in vars(cls)
        and cls is not e.NovuError
    }
    assert concrete - covered == set()


def test_wrapped_framework_error_is_described_as_json() -> None:
    inner = e.ExecutionProviderOutputInvalidError(
        "wf", "s", "slack", [{"path": "/a", "message": "must be string"}]
    )
    outer = e.ProviderExecutionFailedError("slack", "execute", inner)
    assert outer.message.startswith('Failed to execute Provider with id: `slack`: {\n  "statusCode": 400,')
    assert '"code": "ExecutionProviderOutputInvalidError"' in outer.message
    assert outer.data == {"stack": outer.data["stack"]} and "/" not in outer.data["stack"].split(":")[0]


def test_platform_error_carries_the_api_status() -> None:
    error = e.PlatformError(422, "Unprocessable Entity", "bad")
    assert (error.status_code, error.code, error.to_body()) == (
        422,
        "Unprocessable Entity",
        {"message": "", "data": {"message": "bad"}, "code": "Unprocessable Entity"},
    )


async def test_provider_missing_at_execution_is_not_found() -> None:
    @workflow("flaky-providers", payload_schema={"type": "object", "additionalProperties": True})
    async def flaky(step: Any, payload: dict[str, Any]) -> None:
        providers = {} if payload.get("drop") else {"slack": lambda c, o: {"text": "t"}}
        await step.chat("chat", lambda c: {"body": "b"}, providers=providers)

    with pytest.raises(e.ProviderNotFoundError, match="`slack`"):
        await run_step(flaky, "chat", payload={"drop": True})
    assert (await run_step(flaky, "chat", payload={"x": 1})).providers == {"slack": {"text": "t"}}
