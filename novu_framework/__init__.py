"""novu-framework: code-first notification workflows, served to Novu through a bridge or run locally."""

from novu_framework._version import __version__
from novu_framework.bridge_http import BridgeLimits, BridgeRequest, BridgeResponse
from novu_framework.client import Client
from novu_framework.constants import CronExpression, SeverityLevel
from novu_framework.handler import NovuRequestHandler
from novu_framework.results import (
    DelayResult,
    DigestEvent,
    DigestResult,
    EmptyResult,
    InAppResult,
    Subscriber,
    ThrottleResult,
)
from novu_framework.templating.limits import RenderLimits
from novu_framework.workflow import Workflow, workflow

SeverityLevelEnum = SeverityLevel

__all__ = [
    "BridgeLimits",
    "BridgeRequest",
    "BridgeResponse",
    "Client",
    "CronExpression",
    "DelayResult",
    "DigestEvent",
    "DigestResult",
    "EmptyResult",
    "InAppResult",
    "NovuRequestHandler",
    "RenderLimits",
    "SeverityLevel",
    "SeverityLevelEnum",
    "Subscriber",
    "ThrottleResult",
    "Workflow",
    "__version__",
    "workflow",
]
