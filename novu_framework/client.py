"""Bridge configuration: secret key, API URL and whether requests must be signed."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from novu_framework.constants import DEFAULT_API_URL, SDK_VERSION
from novu_framework.templating.limits import RenderLimits, default_render_limits

logger = logging.getLogger("novu_framework")

_STRICT_ENV = "NOVU_STRICT_AUTHENTICATION_ENABLED"


@dataclass(frozen=True)
class AuthDecision:
    """Whether HMAC signatures are enforced, and why (logged once when a handler is built)."""

    strict: bool
    reason: str


def _decide_strict(explicit: bool | None) -> AuthDecision:
    if explicit is not None:
        return AuthDecision(explicit, f"strict_authentication={explicit} was passed to Client")
    env = os.environ.get(_STRICT_ENV)
    if env is not None:
        value = env.strip().lower()
        if value in ("true", "false"):
            return AuthDecision(value == "true", f"{_STRICT_ENV}={env}")
        return AuthDecision(
            True, f"{_STRICT_ENV}={env!r} is neither 'true' nor 'false'; defaulting to strict"
        )
    return AuthDecision(
        True, f"the default (set {_STRICT_ENV}=false to accept unsigned requests in development)"
    )


class Client:
    """Secret key, API URL and authentication mode of a bridge.

    ``secret_key``: argument, then ``NOVU_SECRET_KEY``, then ``NOVU_API_KEY``.
    ``api_url``: argument, then ``NOVU_API_URL``, then ``https://api.novu.co``.
    ``strict_authentication``: argument, then ``NOVU_STRICT_AUTHENTICATION_ENABLED`` (``true``/``false``),
    otherwise strict. ``NODE_ENV`` is not read.
    ``render_limits``: the work budget of rendering one step's controls (:class:`RenderLimits`); by default
    read from ``NOVU_RENDER_*`` variables, then built-in defaults.
    """

    version = SDK_VERSION

    def __init__(
        self,
        secret_key: str | None = None,
        api_url: str | None = None,
        strict_authentication: bool | None = None,
        render_limits: RenderLimits | None = None,
    ) -> None:
        self.secret_key: str = (
            secret_key or os.environ.get("NOVU_SECRET_KEY") or os.environ.get("NOVU_API_KEY") or ""
        )
        self.api_url: str = (api_url or os.environ.get("NOVU_API_URL") or DEFAULT_API_URL).rstrip("/")
        self.auth = _decide_strict(strict_authentication)
        self.render_limits: RenderLimits = render_limits or default_render_limits()

    @property
    def strict_authentication(self) -> bool:
        return self.auth.strict

    def __repr__(self) -> str:
        key = "set" if self.secret_key else "missing"
        return f"Client(api_url={self.api_url!r}, secret_key={key}, strict_authentication={self.auth.strict})"
