"""Request bodies: ``workflow.trigger()`` rules, the bridge's ``action=trigger`` rules, and their bytes.

The bridge expectations were observed on the TypeScript reference bridge (2.9.0) forwarding to a recorder.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest
from pydantic import BaseModel, Field

from novu_framework.api_client import build_bridge_trigger_body, build_trigger_body, encode_body

# --- workflow.trigger() ---


def test_trigger_body_key_order_with_every_field() -> None:
    body = build_trigger_body(
        "welcome",
        bridge_url="https://example.com/api/novu",
        context={"tenant": "acme"},
        actor="admin",
        overrides={"email": {"from": "a@b.c"}},
        transaction_id="txn-1",
        payload={"name": "Ada"},
        to="sub-1",
    )
    assert list(body) == [
        "name",
        "to",
        "payload",
        "transactionId",
        "overrides",
        "actor",
        "context",
        "bridgeUrl",
    ]
    assert body["name"] == "welcome"
    assert encode_body(body) == (
        b'{"name":"welcome","to":"sub-1","payload":{"name":"Ada"},"transactionId":"txn-1",'
        b'"overrides":{"email":{"from":"a@b.c"}},"actor":"admin","context":{"tenant":"acme"},'
        b'"bridgeUrl":"https://example.com/api/novu"}'
    )


def test_trigger_body_minimal() -> None:
    assert build_trigger_body("wf", to="sub-1", payload=None) == {"name": "wf", "to": "sub-1", "payload": {}}


@pytest.mark.parametrize(
    ("field", "value", "sent"),
    [
        ("transaction_id", "", False),
        ("transaction_id", None, False),
        ("actor", "", False),
        ("actor", None, False),
        ("actor", {}, True),  # an empty object is truthy in JavaScript
        ("context", None, False),
        ("context", {}, True),
        ("overrides", None, False),
        ("overrides", {}, True),
        ("bridge_url", "", False),
        ("bridge_url", None, False),
    ],
)
def test_trigger_body_sends_only_truthy_optionals(field: str, value: Any, sent: bool) -> None:
    wire = {"transaction_id": "transactionId", "bridge_url": "bridgeUrl"}.get(field, field)
    body = build_trigger_body("wf", to="s", payload={}, **{field: value})
    assert (wire in body) is sent
    if sent:
        assert body[wire] == value


def test_trigger_body_never_sends_tenant_or_controls() -> None:
    with pytest.raises(TypeError):
        build_trigger_body("wf", to="s", payload={}, tenant="t")  # type: ignore[call-arg]
    assert set(build_trigger_body("wf", to="s", payload={"tenant": 1})) == {"name", "to", "payload"}


def test_trigger_body_omits_to_none_and_keeps_other_to_shapes() -> None:
    assert "to" not in build_trigger_body("wf", to=None, payload={})
    topic = {"type": "Topic", "topicKey": "news", "exclude": ["s2"]}
    subscribers = ["s1", {"subscriberId": "s2", "email": "x@y.z"}, topic]
    assert build_trigger_body("wf", to=subscribers, payload={})["to"] == subscribers


def test_trigger_body_payload_is_a_shallow_copy() -> None:
    payload = {"nested": {"a": 1}}
    body = build_trigger_body("wf", to="s", payload=payload)
    payload["added"] = True
    assert body["payload"] == {"nested": {"a": 1}}
    assert body["payload"]["nested"] is payload["nested"]


def test_trigger_body_payload_model_is_dumped_with_wire_names() -> None:
    class Payload(BaseModel):
        first_name: str = Field(alias="firstName")
        when: datetime.date

    payload = Payload(firstName="Ada", when=datetime.date(2024, 5, 1))
    assert build_trigger_body("wf", to="s", payload=payload)["payload"] == {
        "firstName": "Ada",
        "when": "2024-05-01",
    }


@pytest.mark.parametrize("payload", ["text", ["a"], 3, True])
def test_trigger_body_rejects_a_payload_that_is_not_an_object(payload: Any) -> None:
    with pytest.raises(TypeError, match="payload must be a mapping"):
        build_trigger_body("wf", to="s", payload=payload)


# --- the bridge's action=trigger ---


@pytest.mark.parametrize(
    ("request_body", "forwarded"),
    [
        (  # documented example (bridge-protocol.md 18.9)
            {"to": "sub_1", "payload": {"name": "Ada"}, "transactionId": "txn_abc"},
            '{"name":"welcome","to":"sub_1","payload":{"name":"Ada"},"transactionId":"txn_abc","overrides":{}}',
        ),
        (  # a body workflowId wins over the query's; tenant and unknown fields are dropped
            {
                "to": "sub-1",
                "payload": {"x": 1},
                "transactionId": "txn",
                "tenant": "t",
                "workflowId": "bodywf",
            },
            '{"name":"bodywf","to":"sub-1","payload":{"x":1},"transactionId":"txn","overrides":{}}',
        ),
        (  # nulls of to/transactionId/workflowId are kept, falsy payload/overrides become {}
            {
                "to": None,
                "payload": 0,
                "transactionId": None,
                "overrides": 0,
                "actor": "",
                "bridgeUrl": "",
                "controls": {},
                "context": {},
                "workflowId": None,
            },
            '{"name":null,"to":null,"payload":{},"transactionId":null,"overrides":{},"controls":{},"context":{}}',
        ),
        (  # truthy non-objects are forwarded as they are; absent to/transactionId are omitted
            {
                "payload": [1, 2],
                "overrides": [],
                "actor": {},
                "bridgeUrl": "http://x",
                "controls": None,
                "context": "c",
            },
            '{"name":"welcome","payload":[1,2],"overrides":[],"actor":{},"bridgeUrl":"http://x","context":"c"}',
        ),
        ({"payload": "ab", "x": 1}, '{"name":"welcome","payload":"ab","overrides":{}}'),
        (  # JavaScript key order and number formatting
            {"to": 1, "payload": {"b": 1, "2": 2, "big": 12345678901234567890, "u": "é🚀"}},
            '{"name":"welcome","to":1,"payload":{"2":2,"b":1,"big":12345678901234567000,"u":"é🚀"},"overrides":{}}',
        ),
        (
            {"to": "s", "transactionId": "", "actor": "a", "controls": {"steps": {"e": {"subject": "Hi"}}}},
            '{"name":"welcome","to":"s","payload":{},"transactionId":"","overrides":{},"actor":"a",'
            '"controls":{"steps":{"e":{"subject":"Hi"}}}}',
        ),
    ],
)
def test_bridge_trigger_body_matches_the_reference(request_body: dict[str, Any], forwarded: str) -> None:
    assert encode_body(build_bridge_trigger_body("welcome", request_body)) == forwarded.encode()


# --- bytes ---


def test_encode_body_is_javascript_json() -> None:
    body = {"z": 1.0, "10": "ten", "1": "one", "f": 1e21, "g": 0.1, "s": 'line\n"q" \u2028', "n": None}
    assert encode_body(body) == (
        b'{"1":"one","10":"ten","z":1,"f":1e+21,"g":0.1,"s":"line\\n\\"q\\" \xe2\x80\xa8","n":null}'
    )


def test_encode_body_converts_python_values_like_pydantic() -> None:
    when = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    ident = uuid.UUID(int=1)
    body = {"when": when, "id": ident, "pair": (1, 2), 3: "int key", "nan": float("nan")}
    assert encode_body(body) == (
        b'{"3":"int key","when":"2024-01-02T03:04:05Z","id":"00000000-0000-0000-0000-000000000001",'
        b'"pair":[1,2],"nan":null}'
    )


def test_encode_body_rejects_values_without_a_json_form() -> None:
    with pytest.raises(TypeError, match="not JSON-serialisable"):
        encode_body({"payload": {"x": object()}})
