"""Differential proof: our trigger/cancel requests are the TypeScript reference's, byte for byte.

Each case runs twice against the same recording Novu API stand-in, with the same scripted answers: once
through the reference (``capture.mjs`` on node: ``workflow(...).trigger()``, ``cancel()``, and the
Express bridge's ``action=trigger``), once through ``novu_framework.api_client``. The recorded requests
(method, path, ``Content-Type``, ``Authorization``, exact body bytes) and what each side returned or
raised must be equal. The one allowed difference: when the caller gives no ``transactionId``, ours sends
a generated one right after ``payload`` (docs/TRIGGER.md).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from novu_framework.api_client import NovuApiClient, bridge_trigger, build_trigger_body
from novu_framework.errors import NovuError
from tests.api_client.recording_server import Recorded, RecordingServer, Reply, api_error, processed
from tests.reference import node_or_skip

REPO_ROOT = Path(__file__).resolve().parents[2]
CAPTURE_SCRIPT = Path(__file__).with_name("capture.mjs")
SECRET = "sk_test_differential"
SCHEMA = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "items": {"type": "array"}},
    "additionalProperties": True,
}
API_TXN = "api-txn-1"
# An accepted trigger as the recorder answers it, with the id also at the top level so that the
# reference's cancel (which reads ``data.transactionId`` of the whole answer) requests a real path.
ANSWER_WITH_TOP_LEVEL_ID = Reply(201, {**processed(API_TXN), "transactionId": API_TXN})


@dataclass
class Case:
    id: str
    kind: str  # "trigger" or "bridge"
    replies: list[Reply]  # one per request the case makes
    params: dict[str, Any] = field(default_factory=dict)  # trigger: the reference's trigger() argument
    cancel: bool = False
    env: dict[str, str] = field(default_factory=dict)
    payload_schema: dict[str, Any] | None = None
    body: dict[str, Any] = field(default_factory=dict)  # bridge: the request body

    def spec(self) -> dict[str, Any]:
        if self.kind == "bridge":
            return {"kind": "bridge", "workflowId": "welcome", "body": self.body}
        return {
            "kind": "trigger",
            "workflowId": "welcome",
            "payloadSchema": self.payload_schema,
            "params": self.params,
            "cancel": self.cancel,
            "env": self.env,
        }


def trigger(case_id: str, params: dict[str, Any], *replies: Reply, **options: Any) -> Case:
    options.setdefault("payload_schema", SCHEMA)
    return Case(
        case_id, "trigger", list(replies or [Reply(201, processed(API_TXN))]), params=params, **options
    )


def bridge(case_id: str, body: dict[str, Any], reply: Reply | None = None) -> Case:
    return Case(case_id, "bridge", [reply or Reply()], body=body)


CASES = [
    trigger(
        "to-string-with-cancel",
        {"to": "sub-1", "payload": {"name": "Ada"}, "transactionId": "txn-1"},
        ANSWER_WITH_TOP_LEVEL_ID,
        Reply(),
        cancel=True,
    ),
    trigger(
        "to-subscriber-object",
        {
            "to": {
                "subscriberId": "sub-2",
                "firstName": "Ada",
                "email": "ada@example.com",
                "data": {"n": 1.5},
            },
            "payload": {"name": "Ada", "items": [1, 2]},
        },
    ),
    trigger(
        "to-topic-with-cancel",
        {"to": {"type": "Topic", "topicKey": "news", "exclude": ["sub-9"]}, "payload": {"name": "News"}},
        ANSWER_WITH_TOP_LEVEL_ID,
        Reply(),
        cancel=True,
    ),
    trigger(
        "to-mixed-list", {"to": ["sub-1", {"subscriberId": "sub-2"}, {"type": "Topic", "topicKey": "t"}]}
    ),
    trigger(
        "actor-context-overrides-transaction-id",
        {
            "to": "sub-1",
            "payload": {"name": "Ada"},
            "transactionId": "txn-2",
            "overrides": {"email": {"from": "team@example.com"}, "providers": {"sendgrid": {"ipPool": "a"}}},
            "actor": {"subscriberId": "admin", "firstName": "Root"},
            "context": {"tenant": "acme", "project": {"id": "p1", "data": {"tier": "gold"}}},
        },
    ),
    trigger("actor-as-string", {"to": "sub-1", "payload": {}, "actor": "admin", "transactionId": "t3"}),
    trigger(
        "falsy-optionals",
        {
            "to": "sub-1",
            "payload": {"name": "x"},
            "transactionId": "",
            "actor": "",
            "overrides": {},
            "context": None,
        },
    ),
    trigger(
        "caller-controls-bridge-url-tenant-ignored",
        {
            "to": "sub-1",
            "payload": {"name": "x"},
            "transactionId": "t4",
            "controls": {"steps": {"inbox": {"body": "x"}}},
            "bridgeUrl": "https://ignored.example.com",
            "tenant": "acme",
        },
    ),
    trigger("payload-omitted", {"to": "sub-1", "transactionId": "t5"}),
    trigger(
        "no-schema-javascript-json",
        {"to": "sub-1", "payload": {"b": 1, "2": 2, "u": 'é🚀\n"', "f": 1e21, "g": 0.1, "z": None}},
        payload_schema=None,
    ),
    trigger(
        "bridge-origin-detected",
        {"to": "sub-1", "payload": {}, "transactionId": "t6"},
        env={"NOVU_BRIDGE_ORIGIN": "https://bridge.example.com"},
    ),
    trigger(
        "error-400-list-message",
        {"to": "", "payload": {}, "transactionId": "t7"},
        api_error(400, "Bad Request", ["to should not be empty"]),
    ),
    trigger(
        "error-401",
        {"to": "sub-1", "transactionId": "t8"},
        api_error(401, "Unauthorized", "API Key not found"),
    ),
    trigger(
        "error-422-body-status-wins",
        {"to": "sub-1", "transactionId": "t9"},
        Reply(422, {"statusCode": 409, "error": "Conflict", "message": "duplicate"}),
    ),
    trigger(
        "error-404-other-body", {"to": "sub-1", "transactionId": "t10"}, Reply(404, {"foo": 1, "b": [1, 2]})
    ),
    bridge(
        "bridge-documented-example", {"to": "sub_1", "payload": {"name": "Ada"}, "transactionId": "txn_abc"}
    ),
    bridge(
        "bridge-body-fields",
        {
            "to": {"subscriberId": "s"},
            "payload": {"2": 1, "a": 2},
            "actor": "admin",
            "bridgeUrl": "https://b.example.com/api/novu",
            "controls": {"steps": {"inbox": {"body": "hi"}}},
            "context": {"tenant": "acme"},
            "tenant": "dropped",
            "workflowId": "from-body",
        },
    ),
    bridge(
        "bridge-nulls-and-falsy",
        {
            "to": None,
            "payload": 0,
            "transactionId": None,
            "overrides": 0,
            "actor": "",
            "controls": {},
            "context": {},
        },
    ),
    bridge("bridge-error-400", {"to": "s"}, api_error(400, "Bad Request", ["to must be a string"])),
    bridge("bridge-error-500", {"to": "s"}, api_error(500, "Internal Server Error", "boom")),
    bridge("bridge-error-other-body", {"to": "s"}, Reply(404, {"foo": 1, "b": [1, 2]})),
    bridge("bridge-answer-not-json", {"to": "s"}, Reply(200, "not json", content_type="text/plain")),
]


@dataclass
class Side:
    results: list[Any]
    requests: list[list[Recorded]]  # per case


def reference_dir() -> Path:
    configured = os.environ.get("NOVU_REFERENCE_DIR")
    return Path(configured) if configured else REPO_ROOT / ".reference"


def serve_cases() -> RecordingServer:
    server = RecordingServer().start()
    for case in CASES:
        server.enqueue(*case.replies)
    return server


def split(requests: list[Recorded]) -> list[list[Recorded]]:
    assert len(requests) == sum(len(case.replies) for case in CASES), [(r.method, r.path) for r in requests]
    out, start = [], 0
    for case in CASES:
        out.append(requests[start : start + len(case.replies)])
        start += len(case.replies)
    return out


def run_capture(cases: list[Case], api_url: str) -> list[Any]:
    """Run ``capture.mjs`` on node over ``cases``; what the reference returned or threw, per case."""
    node = node_or_skip("capturing what the reference sends to the Novu API")
    ref = reference_dir()
    with tempfile.TemporaryDirectory() as tmp:
        cases_file = Path(tmp) / "cases.json"
        cases_file.write_text(json.dumps([case.spec() for case in cases]))
        env = {"PATH": os.environ.get("PATH", ""), "NOVU_REFERENCE_DIR": str(ref), "API_URL": api_url}
        env["SECRET_KEY"] = SECRET
        done = subprocess.run(
            [node, str(CAPTURE_SCRIPT), str(cases_file)], env=env, capture_output=True, text=True, timeout=120
        )
    assert done.returncode == 0, done.stderr
    results: list[Any] = json.loads(done.stdout)
    return results


def run_reference() -> Side:
    server = serve_cases()
    try:
        return Side(run_capture(CASES, server.url), split(server.requests))
    finally:
        server.stop()


def error_view(error: NovuError) -> dict[str, Any]:
    data = error.data if error.has_data else None
    return {"statusCode": error.status_code, "code": error.code, "message": error.message, "data": data}


async def run_ours_async(server_url: str) -> list[Any]:
    results: list[Any] = []
    for case in CASES:
        if case.kind == "bridge":
            try:
                answer: Any = {
                    "status": 200,
                    "body": await bridge_trigger(SECRET, server_url, "welcome", case.body),
                }
            except NovuError as exc:
                answer = {"status": exc.status_code, "body": exc.to_body()}
            results.append(answer)
            continue
        params = case.params
        origin = case.env.get("NOVU_BRIDGE_ORIGIN")
        body = build_trigger_body(
            "welcome",
            to=params.get("to"),
            payload=params.get("payload"),
            transaction_id=params.get("transactionId"),
            overrides=params.get("overrides"),
            actor=params.get("actor"),
            context=params.get("context"),
            bridge_url=f"{origin}/api/novu" if origin else None,
        )
        client = NovuApiClient(SECRET, server_url, max_retries=0)
        try:
            triggered = await client.trigger(body)
        except NovuError as exc:
            results.append({"error": error_view(exc)})
            continue
        result: dict[str, Any] = {"data": triggered.data}
        if case.cancel:
            result["cancelled"] = await triggered.cancel()
        results.append(result)
    return results


def run_ours() -> Side:
    server = serve_cases()
    try:
        results = asyncio.run(run_ours_async(server.url))
        return Side(results, split(server.requests))
    finally:
        server.stop()


@pytest.fixture(scope="module")
def sides() -> tuple[Side, Side]:
    return run_reference(), run_ours()


def without_generated_id(ours: bytes, reference: bytes) -> bytes:
    """Our body minus the transactionId we generated, after checking it sits right after ``payload``."""
    if not reference:
        return ours
    sent = json.loads(ours)
    reference_keys = list(json.loads(reference))
    generated = sent.get("transactionId")
    if "transactionId" in reference_keys or not isinstance(generated, str):
        return ours
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    at = reference_keys.index("payload") + 1
    assert list(sent) == [*reference_keys[:at], "transactionId", *reference_keys[at:]]
    return ours.replace(f',"transactionId":"{generated}"'.encode(), b"", 1)


def masked(result: Any) -> Any:
    """Mask what differs between engines (as the conformance kit does): stack text, parse-error wording."""
    result = json.loads(json.dumps(result))
    body = result.get("body") if isinstance(result, dict) else None
    if isinstance(body, dict) and body.get("code") == "BridgeError":
        body["data"]["stack"] = "<stack>"
        if "not JSON" in body["message"] or "is not valid JSON" in body["message"]:
            body["message"] = "Unknown BridgeError: <engine-specific>"
    error = result.get("error") if isinstance(result, dict) else None
    if isinstance(error, dict) and error.get("code") == "BridgeError":
        error["data"] = {"stack": "<stack>"}
    return result


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case.id for case in CASES])
def test_requests_and_results_match_the_reference(sides: tuple[Side, Side], index: int) -> None:
    reference, ours = sides
    case = CASES[index]
    for theirs, mine in zip(reference.requests[index], ours.requests[index], strict=True):
        assert (mine.method, mine.path) == (theirs.method, theirs.path)
        for header in ("content-type", "authorization"):
            assert mine.headers[header] == theirs.headers[header]
        assert without_generated_id(mine.body, theirs.body) == theirs.body
    assert masked(ours.results[index]) == masked(reference.results[index]), case.id


def test_reference_cancel_requests_undefined_ours_the_real_id() -> None:
    server = RecordingServer().start()
    try:
        server.enqueue(Reply(201, processed(API_TXN)), Reply(), Reply(201, processed(API_TXN)), Reply())
        [reference] = run_capture([trigger("cancel", {"to": "s", "payload": {}}, cancel=True)], server.url)
        assert reference["cancelled"] == {"data": True}

        async def ours() -> Any:
            result = await NovuApiClient(SECRET, server.url).trigger(
                build_trigger_body("welcome", to="s", payload={})
            )
            assert result.transaction_id == API_TXN
            return await result.cancel()

        assert asyncio.run(ours()) == {"data": True}
        assert [r.path for r in server.requests if r.method == "DELETE"] == [
            "/v1/events/trigger/undefined",
            f"/v1/events/trigger/{API_TXN}",
        ]
    finally:
        server.stop()
