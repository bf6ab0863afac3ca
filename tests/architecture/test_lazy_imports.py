"""A bridge that answers health-checks and discovery loads no more than it needs: the template engine
and the embedded runtime come in on first use (a cold start is mostly imports; see
benchmarks/cold_start.py)."""

from __future__ import annotations

import json
import subprocess
import sys

# Modules whose import is deferred, and why each matters to the cold start.
DEFERRED = (
    "liquid",  # python-liquid: the template engine, loaded by the first render
    "babel",  # dates and numbers for Liquid filters
    "novu_framework.templating.render",
    "novu_framework.runtime",  # the embedded runtime: loaded by a local trigger or the CLI
    "httpx",  # the Novu API client: loaded by a cloud trigger
    "regex",  # the JavaScript-pattern engine: loaded by the first schema ``pattern``
    "novu_framework.sanitize",  # the HTML sanitiser: loaded by the first email or in-app output
)

_PROBE = """
import json, sys
from novu_framework import Client, workflow
from novu_framework.handler import NovuRequestHandler
from novu_framework.bridge_http import BridgeRequest

@workflow("welcome", payload_schema={"type": "object", "properties": {"name": {"type": "string"}}})
async def welcome(step, payload):
    await step.in_app("inbox", lambda controls: {"body": "Hi {{payload.name}}"})

handler = NovuRequestHandler([welcome], Client(secret_key="sk_test_lazy", strict_authentication=False))
for action in ("health-check", "discover"):
    response = handler.handle_sync(BridgeRequest("GET", {"action": action}, {}, b""))
    assert response.status == 200, (action, response.status)
before = sorted(name for name in sys.modules if name.split(".")[0] in ("liquid", "babel", "httpx", "regex")
                or name.startswith(("novu_framework.templating.render", "novu_framework.runtime",
                                    "novu_framework.sanitize")))
body = json.dumps({"payload": {"name": "Ada"}, "subscriber": {"subscriberId": "s"}, "state": [],
                   "controls": {}, "workflowId": "welcome", "stepId": "inbox"}).encode()
response = handler.handle_sync(BridgeRequest("POST", {"action": "execute", "workflowId": "welcome",
                               "stepId": "inbox"}, {"content-type": "application/json"}, body))
print(json.dumps({"before": before, "status": response.status,
                  "liquid_after": "liquid" in sys.modules}))
"""


def test_health_check_and_discover_load_no_template_engine_or_runtime() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    loaded = {
        prefix
        for prefix in DEFERRED
        for name in seen["before"]
        if name.split(".")[0] == prefix or name.startswith(prefix)
    }
    assert loaded == set(), f"loaded before any render: {seen['before']}"
    # The first execute renders, so the engine comes in then.
    assert seen["status"] == 200
    assert seen["liquid_after"] is True
