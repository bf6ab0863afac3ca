"""Who may use the Studio: by default only this machine, since it triggers runs and edits controls."""

from __future__ import annotations

import ipaddress

from novu_framework.studio.http import HttpError, Request

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class StudioRemoteError(ValueError):
    """The Studio was asked to listen on an address other machines can reach, without allow_remote."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost (with or without brackets)."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, allow_remote: bool = False) -> None:
    """Raise :class:`StudioRemoteError` unless ``host`` is a loopback address or ``allow_remote`` is set.

    Call it before starting a server that serves the Studio.
    """
    if not allow_remote and not is_loopback(host):
        raise StudioRemoteError(
            f"the Studio can trigger runs and edit step controls, so it listens only on a loopback "
            f"address (127.0.0.1, ::1, localhost), not {host!r}; pass allow_remote=True "
            "(novu-framework dev --allow-remote) to serve it to other machines"
        )


def _host_name(value: str) -> str:
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def check_request(request: Request, allow_remote: bool) -> None:
    """Refuse requests that did not come over loopback, and cross-site writes.

    The Host header must name a loopback host too, so that a web page on another site cannot reach the
    Studio through DNS rebinding; a write's Origin, when sent, must be the Studio's own.
    """
    if not allow_remote:
        server = request.scope.get("server")
        client = request.scope.get("client")
        host = _host_name(request.headers.get("host", ""))
        for what, value in (
            ("server address", server[0] if server else None),
            ("client address", client[0] if client else None),
            ("Host header", host),
        ):
            if value is not None and not is_loopback(str(value)):
                raise HttpError(
                    403,
                    f"the Studio answers only on loopback (its {what} is {value!r}); start it with "
                    "allow_remote=True to serve other machines",
                    "StudioLoopbackOnly",
                )
    if request.method not in ("GET", "HEAD"):
        origin = request.headers.get("origin")
        if origin is not None and origin != "null":
            own = request.headers.get("host", "")
            if origin.split("://", 1)[-1] != own:
                raise HttpError(
                    403, f"cross-site request refused (Origin {origin!r}, Host {own!r})", "StudioCrossSite"
                )
