"""Error classes. Each carries the HTTP status and wire code the bridge answers with.

The messages are the reference's, word for word: the Novu platform stores and shows them.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from novu_framework.constants import ErrorCode

_UNSET: Any = object()


class NovuError(Exception):
    """Base class of every error the framework raises on purpose."""

    status_code: ClassVar[int] = 500
    code: ClassVar[str] = ErrorCode.BRIDGE_ERROR

    def __init__(self, message: str, data: Any = _UNSET) -> None:
        super().__init__(message)
        self.message = message
        self.data = data

    @property
    def has_data(self) -> bool:
        return self.data is not _UNSET

    def to_body(self) -> dict[str, Any]:
        """The JSON error envelope: ``{message, data?, code}`` (``data`` omitted when unset)."""
        body: dict[str, Any] = {"message": self.message}
        if self.has_data:
            body["data"] = self.data
        body["code"] = str(self.code)
        return body


# --- 400 -----------------------------------------------------------------------------------------


class BadRequestError(NovuError):
    status_code = 400


class ExecutionEventPayloadInvalidError(BadRequestError):
    """The event payload does not match the workflow's payload schema."""

    code = ErrorCode.EXECUTION_EVENT_PAYLOAD_INVALID

    def __init__(self, workflow_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has invalid `payload`. "
            "Please provide the correct event payload.",
            data,
        )


class ExecutionEventControlInvalidError(BadRequestError):
    code = ErrorCode.EXECUTION_EVENT_CONTROL_INVALID

    def __init__(self, workflow_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has invalid `controls`. "
            "Please provide the correct event controls.",
            data,
        )


class ExecutionStateControlInvalidError(BadRequestError):
    """The step controls do not match the step's control schema."""

    code = ErrorCode.EXECUTION_STATE_CONTROL_INVALID

    def __init__(self, workflow_id: str, step_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid "
            "`controls`. Please provide the correct step controls.",
            data,
        )


class ExecutionStateCorruptError(BadRequestError):
    """A step that must be replayed has no entry in ``state``."""

    code = ErrorCode.EXECUTION_STATE_CORRUPT

    def __init__(self, workflow_id: str, step_id: str) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has a corrupt state. "
            f"Step with id: `{step_id}` does not exist. "
            "Please provide the missing state.",
            {"workflowId": workflow_id, "stepId": step_id},
        )


class ExecutionStateOutputInvalidError(BadRequestError):
    """A step resolver returned outputs that do not match the step's output schema."""

    code = ErrorCode.EXECUTION_STATE_OUTPUT_INVALID

    def __init__(self, workflow_id: str, step_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid "
            "output. Please provide the correct step output.",
            data,
        )


class ExecutionStateResultInvalidError(BadRequestError):
    """A replayed ``state`` entry does not match the step's result schema."""

    code = ErrorCode.EXECUTION_STATE_RESULT_INVALID

    def __init__(self, workflow_id: str, step_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` has invalid "
            "result. Please provide the correct step result.",
            data,
        )


class ExecutionProviderOutputInvalidError(BadRequestError):
    """A provider override returned outputs that do not match the provider's schema."""

    code = ErrorCode.EXECUTION_PROVIDER_OUTPUT_INVALID

    def __init__(self, workflow_id: str, step_id: str, provider_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has an invalid state. Step with id: `{step_id}` and provider "
            f"with id: `{provider_id}` has invalid output. Please provide the correct provider output.",
            data,
        )


class InvalidActionError(BadRequestError):
    code = ErrorCode.INVALID_ACTION

    def __init__(self, action: str, allowed: list[str]) -> None:
        choices = ", ".join(f"`{a}`" for a in allowed)
        super().__init__(f"Invalid query string: `action`=`{action}`. Please use one of {choices}")


class InvalidRequestBodyError(BadRequestError):
    """The POST body is not a JSON object (deviation D3)."""

    code = ErrorCode.INVALID_REQUEST_BODY

    def __init__(self, received: str, *, full_message: bool = False) -> None:
        detail = received if full_message else f"expected a JSON object, got {received}"
        super().__init__(f"Invalid request body: {detail}")


class RequestBodyTooLargeError(NovuError):
    """The request body is larger than the handler accepts (``BridgeLimits.max_body_bytes``).

    ``size`` is ``None`` when the body was refused while streaming in, before its end was known.
    """

    status_code = 413
    code = ErrorCode.REQUEST_BODY_TOO_LARGE

    def __init__(self, size: int | None, limit: int) -> None:
        seen = f"{size} bytes" if size is not None else f"more than {limit} bytes"
        super().__init__(
            f"Request body too large: {seen}, the bridge accepts at most {limit} bytes "
            "(NovuRequestHandler(max_body_bytes=...))"
        )


class RequestHeadersTooLargeError(BadRequestError):
    """The request headers together are larger than ``BridgeLimits.max_header_bytes``."""

    code = ErrorCode.REQUEST_HEADERS_TOO_LARGE

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"Request headers too large: {size} bytes of names and values, the bridge accepts at most "
            f"{limit} bytes (BridgeLimits(max_header_bytes=...))"
        )


class RequestQueryTooLargeError(BadRequestError):
    """The query string is longer than ``BridgeLimits.max_query_bytes``."""

    code = ErrorCode.REQUEST_QUERY_TOO_LARGE

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"Query string too long: {size} bytes, the bridge accepts at most {limit} bytes "
            "(BridgeLimits(max_query_bytes=...))"
        )


class MissingSecretKeyError(BadRequestError):
    code = ErrorCode.MISSING_SECRET_KEY

    def __init__(self) -> None:
        super().__init__(
            "Missing secret key. Set the `NOVU_SECRET_KEY` environment variable or pass `secretKey` to the "
            "client options."
        )


class StepControlCompilationFailedError(BadRequestError):
    """A step control value is not a valid Liquid template."""

    code = ErrorCode.STEP_CONTROL_COMPILATION_FAILED

    def __init__(self, workflow_id: str, step_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has invalid controls syntax in step with id: `{step_id}`. "
            "Please correct step control syntax.",
            data,
        )


class StepControlRenderLimitError(StepControlCompilationFailedError):
    """Rendering a step's controls went over a render limit (``RenderLimits``); same wire code.

    ``data`` is ``{"name": "RenderLimitError", "control": <JSON pointer>, "limit": <name>, "maximum": <n>,
    "message": <what to change>}``.
    """

    def __init__(self, workflow_id: str, step_id: str, control: str, limit: str, maximum: float, detail: str):
        NovuError.__init__(
            self,
            f"Workflow with id: `{workflow_id}` could not render the controls of step with id: `{step_id}`: "
            f"{detail}",
            {"name": "RenderLimitError", "control": control, "limit": limit, "maximum": maximum},
        )


class WorkflowPayloadInvalidError(BadRequestError):
    """``Workflow.trigger()`` was given a payload that does not match the payload schema."""

    code = ErrorCode.WORKFLOW_PAYLOAD_INVALID

    def __init__(self, workflow_id: str, data: Any) -> None:
        super().__init__(
            f"Workflow with id: `{workflow_id}` has invalid `payload`. Please provide the correct payload.",
            data,
        )


# --- 401 -----------------------------------------------------------------------------------------


class UnauthorizedError(NovuError):
    status_code = 401


class SignatureNotFoundError(UnauthorizedError):
    code = ErrorCode.SIGNATURE_NOT_FOUND

    def __init__(self) -> None:
        super().__init__("Signature not found. Please provide a signature in the `novu-signature` header")


class SignatureInvalidError(UnauthorizedError):
    code = ErrorCode.SIGNATURE_INVALID

    def __init__(self) -> None:
        super().__init__(
            "Signature is invalid. Please provide a valid signature in the `novu-signature` header"
        )


class SignatureExpiredError(UnauthorizedError):
    code = ErrorCode.SIGNATURE_EXPIRED

    def __init__(self) -> None:
        super().__init__(
            "Signature expired. Please provide a signature with a timestamp no older than 5 minutes in the "
            "`novu-signature` header"
        )


class SignatureMismatchError(UnauthorizedError):
    code = ErrorCode.SIGNATURE_MISMATCH

    def __init__(self) -> None:
        super().__init__(
            "Signature does not match the expected signature. Please ensure the signature provided in the "
            "`novu-signature` header is correct and try again."
        )


class SignatureVersionInvalidError(UnauthorizedError):
    code = ErrorCode.SIGNATURE_VERSION_INVALID

    def __init__(self) -> None:
        super().__init__(
            "Signature version is invalid. Please provide a signature version with version `v1` in the "
            "`novu-signature` header"
        )


class SigningKeyNotFoundError(UnauthorizedError):
    code = ErrorCode.SIGNING_KEY_NOT_FOUND

    def __init__(self) -> None:
        super().__init__(
            "Signature key not found. Please provide a valid key in the Client constructor `config.secretKey`"
        )


# --- 404 / 405 / 409 -----------------------------------------------------------------------------


class NotFoundError(NovuError):
    status_code = 404


class WorkflowNotFoundError(NotFoundError):
    code = ErrorCode.WORKFLOW_NOT_FOUND

    def __init__(self, workflow_id: str) -> None:
        super().__init__(f"Workflow with id: `{workflow_id}` does not exist. Please provide a valid id.")


class StepNotFoundError(NotFoundError):
    code = ErrorCode.STEP_NOT_FOUND

    def __init__(self, step_id: str) -> None:
        super().__init__(f"Step with id: `{step_id}` does not exist. Please provide a valid id.")


class ProviderNotFoundError(NotFoundError):
    code = ErrorCode.PROVIDER_NOT_FOUND

    def __init__(self, provider_id: str) -> None:
        super().__init__(f"Provider with id: `{provider_id}` does not exist. Please provide a valid id.")


class MethodNotAllowedError(NovuError):
    status_code = 405
    code = ErrorCode.METHOD_NOT_ALLOWED

    def __init__(self) -> None:
        super().__init__("Method not allowed. Please use one of `POST`, `GET`, `OPTIONS`")


class ConflictError(NovuError):
    status_code = 409


class WorkflowAlreadyExistsError(ConflictError):
    """Two different workflows share one id."""

    code = ErrorCode.WORKFLOW_ALREADY_EXISTS

    def __init__(self, workflow_id: str, detail: str = "") -> None:
        message = f"Workflow with id: `{workflow_id}` already exists. Please use a different id."
        super().__init__(f"{message} {detail}".strip())


class StepAlreadyExistsError(ConflictError):
    """Two steps of one workflow share one id."""

    code = ErrorCode.STEP_ALREADY_EXISTS

    def __init__(self, step_id: str, detail: str = "") -> None:
        message = f"Step with id: `{step_id}` already exists. Please use a different id."
        super().__init__(f"{message} {detail}".strip())


# --- 5xx -----------------------------------------------------------------------------------------


def describe_cause(cause: BaseException) -> str:
    """The reference's wording of a wrapped cause: the message of an ``...Error``, else its JSON."""
    if isinstance(cause, NovuError):
        return json.dumps(
            {
                "statusCode": cause.status_code,
                "code": str(cause.code),
                **({"data": cause.data} if cause.has_data else {}),
            },
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    if type(cause).__name__.endswith(("Error", "Exception")):
        return str(cause)
    return json.dumps(str(cause), ensure_ascii=False)


def short_stack(cause: BaseException) -> str:
    """A one-line description of the cause for ``data.stack``: no file paths or source lines."""
    text = str(cause)
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


class ServerError(NovuError):
    status_code = 500


class BridgeError(ServerError):
    """Any failure that is not one of the framework's own errors."""

    code = ErrorCode.BRIDGE_ERROR

    def __init__(self, cause: BaseException | None = None) -> None:
        if cause is None:
            super().__init__("Unknown BridgeError", {"stack": "Unknown BridgeError"})
        else:
            super().__init__(f"Unknown BridgeError: {describe_cause(cause)}", {"stack": short_stack(cause)})
        self.__cause__ = cause


class MissingDependencyError(ServerError):
    code = ErrorCode.MISSING_DEPENDENCY

    def __init__(self, kind: str, packages: list[str]) -> None:
        pronoun = "it" if len(packages) == 1 else "them"
        super().__init__(
            f"Tried to use a {kind} in novu-framework without {', '.join(packages)} installed. "
            f"Please install {pronoun} by running `pip install {' '.join(packages)}`."
        )


class StepExecutionFailedError(ServerError):
    """A step resolver raised."""

    status_code = 502
    code = ErrorCode.STEP_EXECUTION_FAILED

    def __init__(self, step_id: str, action: str, cause: BaseException) -> None:
        prefix = f"Failed to {action} Step with id: `{step_id}`"
        super().__init__(f"{prefix}: {describe_cause(cause)}", {"stack": short_stack(cause)})
        self.__cause__ = cause


class ProviderExecutionFailedError(ServerError):
    """A provider override raised or returned invalid outputs."""

    status_code = 502
    code = ErrorCode.PROVIDER_EXECUTION_FAILED

    def __init__(self, provider_id: str, action: str, cause: BaseException) -> None:
        prefix = f"Failed to {action} Provider with id: `{provider_id}`"
        super().__init__(f"{prefix}: {describe_cause(cause)}", {"stack": short_stack(cause)})
        self.__cause__ = cause


class BlockingCallInEventLoopError(NovuError, RuntimeError):
    """A blocking ``*_sync`` call was made from a thread that runs an event loop.

    It would block that loop (or wait forever on it): ``await`` the async form there instead. Also a
    ``RuntimeError``, as the guards it replaces raised.
    """

    code = "BlockingCallInEventLoopError"

    def __init__(self, what: str, instead: str) -> None:
        super().__init__(
            f"{what}() blocks, so it cannot be called from a thread that runs an event loop; "
            f"use `await {instead}(...)` there"
        )
        self.what = what
        self.instead = instead


class PlatformError(NovuError):
    """The Novu API answered with an error; carries its status and message."""

    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__("", {"message": message})
        self.status_code = status_code  # type: ignore[misc]
        self.code = code  # type: ignore[misc]
        self.api_message = message

    def __str__(self) -> str:
        return f"Novu API error {self.status_code} {self.code}: {self.api_message}"
