"""Wire constants of the Novu bridge protocol (mirrors @novu/framework 2.9.0)."""

from __future__ import annotations

import sys
from enum import Enum

if sys.version_info >= (3, 11):
    from enum import StrEnum
else:  # pragma: no cover - exercised on Python 3.10 only

    class StrEnum(str, Enum):
        """Backport of :class:`enum.StrEnum` for Python 3.10."""

        def __str__(self) -> str:
            return str(self.value)


SDK_VERSION = "2.9.0"
"""SDK version reported to the platform (the TypeScript package this bridge is compatible with)."""

FRAMEWORK_VERSION = "2024-06-26"
"""Bridge protocol version (`novu-framework-version` header)."""

PACKAGE_NAME = "novu-framework-python"

DEFAULT_API_URL = "https://api.novu.co"

SIGNATURE_TOLERANCE_MS = 300_000
"""Accepted clock difference between the signer and the bridge, in milliseconds."""


class PostAction(StrEnum):
    TRIGGER = "trigger"
    EXECUTE = "execute"
    PREVIEW = "preview"


class GetAction(StrEnum):
    DISCOVER = "discover"
    HEALTH_CHECK = "health-check"
    CODE = "code"


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"
    OPTIONS = "OPTIONS"


class HttpHeader(StrEnum):
    SIGNATURE = "novu-signature"
    FRAMEWORK_SDK = "novu-framework-sdk"
    FRAMEWORK_SERVER = "novu-framework-server"
    FRAMEWORK_VERSION = "novu-framework-version"
    USER_AGENT = "user-agent"
    CONTENT_TYPE = "content-type"
    ALLOW_ORIGIN = "access-control-allow-origin"
    ALLOW_METHODS = "access-control-allow-methods"
    ALLOW_HEADERS = "access-control-allow-headers"
    MAX_AGE = "access-control-max-age"


class HttpQuery(StrEnum):
    WORKFLOW_ID = "workflowId"
    STEP_ID = "stepId"
    ACTION = "action"
    SOURCE = "source"


class ChannelStepType(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    PUSH = "push"
    CHAT = "chat"
    IN_APP = "in_app"


class ActionStepType(StrEnum):
    DIGEST = "digest"
    DELAY = "delay"
    THROTTLE = "throttle"
    CUSTOM = "custom"


STEP_TYPES: tuple[str, ...] = (*(m.value for m in ChannelStepType), *(m.value for m in ActionStepType))
"""Every step type, as written in discover's ``type``: the channels, then the actions."""

CHANNEL_STEP_TYPES: frozenset[str] = frozenset(m.value for m in ChannelStepType)
"""The step types that deliver a message (and accept provider overrides)."""


class SeverityLevel(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class JobStatus(StrEnum):
    PENDING = "pending"
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    DELAYED = "delayed"
    CANCELED = "canceled"
    MERGED = "merged"
    SKIPPED = "skipped"


class ErrorCode(StrEnum):
    """Every error code the bridge can answer with (the reference's `ErrorCodeEnum`, plus ours)."""

    BRIDGE_ERROR = "BridgeError"
    EXECUTION_EVENT_CONTROL_INVALID = "ExecutionEventControlInvalidError"
    EXECUTION_EVENT_PAYLOAD_INVALID = "ExecutionEventPayloadInvalidError"
    EXECUTION_PROVIDER_OUTPUT_INVALID = "ExecutionProviderOutputInvalidError"
    EXECUTION_STATE_CONTROL_INVALID = "ExecutionStateControlInvalidError"
    EXECUTION_STATE_CORRUPT = "ExecutionStateCorruptError"
    EXECUTION_STATE_OUTPUT_INVALID = "ExecutionStateOutputInvalidError"
    EXECUTION_STATE_RESULT_INVALID = "ExecutionStateResultInvalidError"
    INVALID_ACTION = "InvalidActionError"
    METHOD_NOT_ALLOWED = "MethodNotAllowedError"
    MISSING_DEPENDENCY = "MissingDependencyError"
    MISSING_SECRET_KEY = "MissingSecretKeyError"
    PROVIDER_EXECUTION_FAILED = "ProviderExecutionFailedError"
    PROVIDER_NOT_FOUND = "ProviderNotFoundError"
    SIGNATURE_EXPIRED = "SignatureExpiredError"
    SIGNATURE_INVALID = "SignatureInvalidError"
    SIGNATURE_MISMATCH = "SignatureMismatchError"
    SIGNATURE_NOT_FOUND = "SignatureNotFoundError"
    SIGNATURE_VERSION_INVALID = "SignatureVersionInvalidError"
    SIGNING_KEY_NOT_FOUND = "SigningKeyNotFoundError"
    STEP_ALREADY_EXISTS = "StepAlreadyExistsError"
    STEP_CONTROL_COMPILATION_FAILED = "StepControlCompilationFailedError"
    STEP_EXECUTION_FAILED = "StepExecutionFailedError"
    STEP_NOT_FOUND = "StepNotFoundError"
    WORKFLOW_ALREADY_EXISTS = "WorkflowAlreadyExistsError"
    WORKFLOW_NOT_FOUND = "WorkflowNotFoundError"
    WORKFLOW_PAYLOAD_INVALID = "WorkflowPayloadInvalidError"
    # Not in the reference's enum: deviation D3 (a POST body that is not a JSON object).
    INVALID_REQUEST_BODY = "InvalidRequestBodyError"
    # Not in the reference's enum: a body over the handler's size limit.
    REQUEST_BODY_TOO_LARGE = "RequestBodyTooLargeError"
    # Not in the reference's enum: headers or query string over the handler's limits.
    REQUEST_HEADERS_TOO_LARGE = "RequestHeadersTooLargeError"
    REQUEST_QUERY_TOO_LARGE = "RequestQueryTooLargeError"


class CronExpression(StrEnum):
    """Cron presets, values copied verbatim from the reference (including its oddities)."""

    EVERY_SECOND = "* * * * * *"
    EVERY_5_SECONDS = "*/5 * * * * *"
    EVERY_10_SECONDS = "*/10 * * * * *"
    EVERY_30_SECONDS = "*/30 * * * * *"
    EVERY_MINUTE = "*/1 * * * *"
    EVERY_5_MINUTES = "0 */5 * * * *"
    EVERY_10_MINUTES = "0 */10 * * * *"
    EVERY_30_MINUTES = "0 */30 * * * *"
    EVERY_HOUR = "0 0-23/1 * * *"
    EVERY_2_HOURS = "0 0-23/2 * * *"
    EVERY_3_HOURS = "0 0-23/3 * * *"
    EVERY_4_HOURS = "0 0-23/4 * * *"
    EVERY_5_HOURS = "0 0-23/5 * * *"
    EVERY_6_HOURS = "0 0-23/6 * * *"
    EVERY_7_HOURS = "0 0-23/7 * * *"
    EVERY_8_HOURS = "0 0-23/8 * * *"
    EVERY_9_HOURS = "0 0-23/9 * * *"
    EVERY_10_HOURS = "0 0-23/10 * * *"
    EVERY_11_HOURS = "0 0-23/11 * * *"
    EVERY_12_HOURS = "0 0-23/12 * * *"
    EVERY_DAY_AT_1AM = "0 01 * * *"
    EVERY_DAY_AT_2AM = "0 02 * * *"
    EVERY_DAY_AT_3AM = "0 03 * * *"
    EVERY_DAY_AT_4AM = "0 04 * * *"
    EVERY_DAY_AT_5AM = "0 05 * * *"
    EVERY_DAY_AT_6AM = "0 06 * * *"
    EVERY_DAY_AT_7AM = "0 07 * * *"
    EVERY_DAY_AT_8AM = "0 08 * * *"
    EVERY_DAY_AT_9AM = "0 09 * * *"
    EVERY_DAY_AT_10AM = "0 10 * * *"
    EVERY_DAY_AT_11AM = "0 11 * * *"
    EVERY_DAY_AT_NOON = "0 12 * * *"
    EVERY_DAY_AT_1PM = "0 13 * * *"
    EVERY_DAY_AT_2PM = "0 14 * * *"
    EVERY_DAY_AT_3PM = "0 15 * * *"
    EVERY_DAY_AT_4PM = "0 16 * * *"
    EVERY_DAY_AT_5PM = "0 17 * * *"
    EVERY_DAY_AT_6PM = "0 18 * * *"
    EVERY_DAY_AT_7PM = "0 19 * * *"
    EVERY_DAY_AT_8PM = "0 20 * * *"
    EVERY_DAY_AT_9PM = "0 21 * * *"
    EVERY_DAY_AT_10PM = "0 22 * * *"
    EVERY_DAY_AT_11PM = "0 23 * * *"
    EVERY_DAY_AT_MIDNIGHT = "0 0 * * *"
    EVERY_WEEK = "0 0 * * 0"
    EVERY_WEEKDAY = "0 0 * * 1-5"
    EVERY_WEEKEND = "0 0 * * 6,0"
    EVERY_1ST_DAY_OF_MONTH_AT_MIDNIGHT = "0 0 1 * *"
    EVERY_1ST_DAY_OF_MONTH_AT_NOON = "0 12 1 * *"
    EVERY_2ND_HOUR = "0 */2 * * *"
    EVERY_2ND_HOUR_FROM_1AM_THROUGH_11PM = "0 1-23/2 * * *"
    EVERY_2ND_MONTH = "0 0 1 */2 *"
    EVERY_QUARTER = "0 0 1 */3 *"
    EVERY_6_MONTHS = "0 0 1 */6 *"
    EVERY_YEAR = "0 0 1 0 *"
    EVERY_30_MINUTES_BETWEEN_9AM_AND_5PM = "0 */30 9-17 * * *"
    EVERY_30_MINUTES_BETWEEN_9AM_AND_6PM = "0 */30 9-18 * * *"
    EVERY_30_MINUTES_BETWEEN_10AM_AND_7PM = "0 */30 10-19 * * *"
    MONDAY_TO_FRIDAY_AT_1AM = "0 0 01 * * 1-5"
    MONDAY_TO_FRIDAY_AT_2AM = "0 0 02 * * 1-5"
    MONDAY_TO_FRIDAY_AT_3AM = "0 0 03 * * 1-5"
    MONDAY_TO_FRIDAY_AT_4AM = "0 0 04 * * 1-5"
    MONDAY_TO_FRIDAY_AT_5AM = "0 0 05 * * 1-5"
    MONDAY_TO_FRIDAY_AT_6AM = "0 0 06 * * 1-5"
    MONDAY_TO_FRIDAY_AT_7AM = "0 0 07 * * 1-5"
    MONDAY_TO_FRIDAY_AT_8AM = "0 0 08 * * 1-5"
    MONDAY_TO_FRIDAY_AT_9AM = "0 0 09 * * 1-5"
    MONDAY_TO_FRIDAY_AT_09_30AM = "0 30 09 * * 1-5"
    MONDAY_TO_FRIDAY_AT_10AM = "0 0 10 * * 1-5"
    MONDAY_TO_FRIDAY_AT_11AM = "0 0 11 * * 1-5"
    MONDAY_TO_FRIDAY_AT_11_30AM = "0 30 11 * * 1-5"
    MONDAY_TO_FRIDAY_AT_12PM = "0 0 12 * * 1-5"
    MONDAY_TO_FRIDAY_AT_1PM = "0 0 13 * * 1-5"
    MONDAY_TO_FRIDAY_AT_2PM = "0 0 14 * * 1-5"
    MONDAY_TO_FRIDAY_AT_3PM = "0 0 15 * * 1-5"
    MONDAY_TO_FRIDAY_AT_4PM = "0 0 16 * * 1-5"
    MONDAY_TO_FRIDAY_AT_5PM = "0 0 17 * * 1-5"
    MONDAY_TO_FRIDAY_AT_6PM = "0 0 18 * * 1-5"
    MONDAY_TO_FRIDAY_AT_7PM = "0 0 19 * * 1-5"
    MONDAY_TO_FRIDAY_AT_8PM = "0 0 20 * * 1-5"
    MONDAY_TO_FRIDAY_AT_9PM = "0 0 21 * * 1-5"
    MONDAY_TO_FRIDAY_AT_10PM = "0 0 22 * * 1-5"
    MONDAY_TO_FRIDAY_AT_11PM = "0 0 23 * * 1-5"
