"""Where ``Workflow.trigger()`` sends a trigger: the Novu API or the embedded local runtime.

The rule (docs/TRIGGER.md): ``NOVU_RUNTIME=local`` always runs locally; ``NOVU_RUNTIME=cloud`` always
sends to the Novu API and needs a secret key; unset, a trigger runs locally unless a secret key is set.
A key that is plainly a placeholder (``sk_...``, ``dummy``, ``<your key>``) is refused rather than sent.

The core names no runtime module. The local runtime is a port: whatever registered itself with
:func:`register_local_runtime` serves local triggers; when nothing did, the ``novu_framework.local_runtime``
entry point of the installed package (the embedded runtime) is loaded.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Literal, Protocol

from novu_framework.constants import DEFAULT_API_URL
from novu_framework.errors import MissingSecretKeyError

if TYPE_CHECKING:
    from novu_framework.trigger_result import TriggerResult
    from novu_framework.workflow import Workflow

logger = logging.getLogger("novu_framework")

RUNTIME_ENV = "NOVU_RUNTIME"
ENTRY_POINT_GROUP = "novu_framework.local_runtime"

_PLACEHOLDER = re.compile(
    r"(?:.*(?:\.\.\.|…|<|>|\s).*)|x+|dummy|fake|placeholder|changeme|change[-_]me|todo|none|null|"
    r"secret|your[-_ ]?(?:secret[-_ ]?)?key|sk_x*",
    re.IGNORECASE,
)


class LocalTriggers(Protocol):
    """What the core needs from a local runtime: accept a trigger whose payload is already validated."""

    async def trigger_validated(
        self,
        workflow: Workflow,
        to: Any,
        payload: Any,
        *,
        transaction_id: str | None = None,
        actor: Any = None,
        overrides: Mapping[str, Any] | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> TriggerResult: ...


class TriggerRoutingError(ValueError):
    """The trigger settings do not say clearly where a trigger should go."""


@dataclass(frozen=True)
class Route:
    """Where triggers go, and why (logged once per process and target)."""

    target: Literal["cloud", "local"]
    reason: str
    secret_key: str = ""
    api_url: str = DEFAULT_API_URL


def is_placeholder_key(key: str) -> bool:
    """True for a value that is plainly not a real secret key (``sk_...``, ``dummy``, ``<key>``)."""
    return _PLACEHOLDER.fullmatch(key.strip()) is not None or not key.strip()


def decide_route(secret_key: str | None = None, api_url: str | None = None) -> Route:
    """Apply the rule above to the argument and the environment; raises when it cannot decide safely."""
    mode = os.environ.get(RUNTIME_ENV, "").strip().lower()
    key = secret_key or os.environ.get("NOVU_SECRET_KEY") or os.environ.get("NOVU_API_KEY") or ""
    url = (api_url or os.environ.get("NOVU_API_URL") or DEFAULT_API_URL).rstrip("/")
    if mode not in ("", "local", "cloud"):
        raise TriggerRoutingError(
            f"{RUNTIME_ENV}={os.environ.get(RUNTIME_ENV)!r} is not understood: use 'local' (the embedded "
            "runtime) or 'cloud' (the Novu API), or leave it unset"
        )
    if mode == "local":
        return Route("local", f"{RUNTIME_ENV}=local")
    if not key:
        if mode == "cloud":
            raise MissingSecretKeyError()
        return Route("local", f"no NOVU_SECRET_KEY is set (set it, or {RUNTIME_ENV}=cloud, for the Novu API)")
    if is_placeholder_key(key):
        raise TriggerRoutingError(
            f"the secret key {key!r} looks like a placeholder, so the trigger was not sent to the Novu API: "
            f"set the environment's real secret key, or {RUNTIME_ENV}=local to run triggers on the "
            "embedded local runtime"
        )
    why = f"{RUNTIME_ENV}=cloud" if mode == "cloud" else f"a secret key is set and {RUNTIME_ENV} is unset"
    return Route("cloud", f"{why} (set {RUNTIME_ENV}=local to run them locally)", key, url)


_lock = threading.Lock()
_provider: Callable[[], LocalTriggers] | None = None
_announced: set[str] = set()


def register_local_runtime(provider: Callable[[], LocalTriggers] | None) -> None:
    """Make ``provider()`` the local runtime that local triggers go to (``None``: back to the default)."""
    global _provider
    with _lock:
        _provider = provider


def local_runtime() -> LocalTriggers:
    """The registered local runtime, else the one the installed package declares as its entry point."""
    global _provider
    with _lock:
        provider = _provider
        if provider is None:
            found = list(entry_points(group=ENTRY_POINT_GROUP))
            if not found:
                raise RuntimeError(
                    "no local runtime is installed (the novu_framework.local_runtime entry point is "
                    "missing): install the novu-framework package (pip install -e . in a checkout)"
                )
            provider = _provider = found[0].load()
    return provider()


def announce(route: Route) -> None:
    """Log where triggers go, once per process and target."""
    with _lock:
        if route.target in _announced:
            return
        _announced.add(route.target)
    where = "the embedded local runtime" if route.target == "local" else f"the Novu API at {route.api_url}"
    logger.info("novu-framework: triggers run on %s because %s", where, route.reason)
