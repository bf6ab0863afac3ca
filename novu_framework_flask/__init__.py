"""Serve Novu workflows from Flask: ``app.register_blueprint(serve(workflows=[...]), url_prefix=...)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from novu_framework.requirements import require

require("flask", "novu_framework_flask")

import flask  # noqa: E402

from novu_framework.bridge_http import BridgeRequest  # noqa: E402
from novu_framework.handler import NovuRequestHandler  # noqa: E402

if TYPE_CHECKING:
    from novu_framework import Client, Workflow

__all__ = ["serve"]

# Every method reaches the core, which answers the ones it does not serve with its own 405.
_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def serve(workflows: Iterable[Workflow], client: Client | None = None) -> flask.Blueprint:
    """A blueprint answering the Novu bridge at its URL prefix, with or without a trailing slash."""
    handler = NovuRequestHandler(workflows=list(workflows), client=client, framework_name="flask")
    blueprint = flask.Blueprint("novu", __name__)

    def bridge() -> flask.Response:
        request = flask.request
        answer = handler.handle_sync(
            BridgeRequest.from_raw(
                request.method,
                request.query_string,
                list(request.headers.items()),
                request.get_data(cache=False, parse_form_data=False),
            )
        )
        return flask.Response(answer.body, status=answer.status, headers=list(answer.headers.items()))

    # strict_slashes=False: "/api/novu" and "/api/novu/" both match this one rule, neither redirects.
    blueprint.add_url_rule(
        "/", "bridge", bridge, methods=_METHODS, strict_slashes=False, provide_automatic_options=False
    )
    return blueprint
