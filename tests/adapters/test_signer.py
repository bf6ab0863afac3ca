"""The suite's signer reproduces the signatures the TypeScript reference computes (bridge protocol §4.4)."""

from __future__ import annotations

from .signer import novu_signature

SECRET = "sk_test_123"
STAMP = 1700000000000
EXECUTE_BODY = (
    '{"payload":{"name":"Ada"},"controls":{},"state":[{"stepId":"digest","outputs":{"events":[{"id":"job_1",'
    '"time":"2026-01-10T10:00:00.000Z","payload":{"name":"Ada"}},{"id":"job_2","time":"2026-01-10T10:01:00.000Z",'
    '"payload":{"name":"Ada"}}],"eventCount":2},"state":{"status":"completed","error":null}}],"subscriber":'
    '{"subscriberId":"sub_1","firstName":"Ada","email":"ada@example.com"},"context":{}}'
)


def test_get_requests_are_signed_over_an_empty_object() -> None:
    assert novu_signature(SECRET, timestamp_ms=STAMP) == (
        "t=1700000000000,v1=b35b2aded71a62073f9d26c904a4e1faccc5f7a4abfaff39faecc502b57b5763"
    )


def test_post_bodies_are_signed_over_their_bytes() -> None:
    assert novu_signature(SECRET, EXECUTE_BODY.encode(), timestamp_ms=STAMP) == (
        "t=1700000000000,v1=8edf133402880891aabe87c0c1855e9b48340a54beaba6b270e8578f8c8a2e51"
    )


def test_non_ascii_is_signed_as_utf8_like_node() -> None:
    # Node: createHmac("sha256", secret).update("1700000000000." + JSON.stringify({name: "Zoë 🚀"}))
    body = '{"name":"Zoë 🚀"}'.encode()
    assert novu_signature(SECRET, body, timestamp_ms=STAMP) == (
        "t=1700000000000,v1=715e39cd01ca30ec45c15e192c5604c0e1664067c0d805263a1073e9ac4867c0"
    )


def test_empty_body_is_signed_as_empty() -> None:
    assert novu_signature(SECRET, b"", timestamp_ms=STAMP) == (
        "t=1700000000000,v1=0364d28bee56ae3cf7c8d7e5718a35d57f3e1b660714a86326222f8cc99878a8"
    )
