"""Serve Novu workflows from Flask: ``app.register_blueprint(serve(workflows=[...]), url_prefix=...)``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from novu_framework.requirements import require

require("flask", "novu_framework_flask")

import flask  # noqa: E402

from novu_framework.bridge_http import BridgeLimits, read_chunks  # noqa: E402
from novu_framework.handler import NovuRequestHandler  # noqa: E402

if TYPE_CHECKING:
    from flask.blueprints import BlueprintSetupState

    from novu_framework import Client, Workflow

__all__ = ["serve"]

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def serve(
    workflows: Iterable[Workflow], client: Client | None = None, *, limits: BridgeLimits | None = None
) -> flask.Blueprint:
    """A blueprint answering the Novu bridge at its URL prefix, with or without a trailing slash.

    ``limits``: what a request may hold (:class:`~novu_framework.bridge_http.BridgeLimits`), checked
    while the body streams in.
    """
    handler = NovuRequestHandler(
        workflows=list(workflows), client=client, framework_name="flask", limits=limits
    )
    blueprint = flask.Blueprint("novu", __name__)

    def bridge() -> flask.Response:
        request = flask.request
        answer = handler.handle_stream_sync(
            request.method,
            request.query_string,
            list(request.headers.items()),
            read_chunks(request.stream.read),
        )
        return flask.Response(answer.body, status=answer.status, headers=list(answer.headers.items()))

    # strict_slashes=False: "/api/novu" and "/api/novu/" both match this one rule, neither redirects.
    blueprint.add_url_rule(
        "/", "bridge", bridge, methods=_METHODS, strict_slashes=False, provide_automatic_options=False
    )
    # Flask cannot register a rule for every method, so the rule is opened to all of them once the
    # app has built it: the core answers the methods it does not serve with its own 405 envelope.
    blueprint.record(_accept_every_method)
    return blueprint


def _accept_every_method(state: BlueprintSetupState) -> None:
    endpoint = f"{state.name_prefix}.{state.name}.bridge".lstrip(".")
    for rule in state.app.url_map.iter_rules(endpoint):
        rule.methods = None
