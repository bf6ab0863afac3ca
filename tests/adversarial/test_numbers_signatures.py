"""Integers where a hostile client chooses their length: signature timestamps and signed JSON bodies,
through every adapter's real server. Each gets a 400/401 envelope and leaves no traceback in the log."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.adapters.bridge_workflows import SECRET
from tests.adapters.servers import RunningServer
from tests.adapters.signer import novu_signature

from .conftest import ServerLog
from .envelope import assert_envelope, assert_welcomed, post_signed

SETTINGS = settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
MAX_INTEGER_DIGITS = 1000  # the documented limit of novu_framework.js.json.MAX_INTEGER_DIGITS
INBOX_STATE = {
    "stepId": "inbox",
    "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
    "state": {"status": "completed", "error": None},
}


def _execute_text(extra: str) -> bytes:
    event = {"payload": {"name": "Ada", "plan": "pro"}, "controls": {}, "state": [INBOX_STATE]}
    text = json.dumps(event, separators=(",", ":"))
    return (text[:-1] + "," + extra + "}").encode()


@SETTINGS
@given(digits=st.integers(17, 20_000))
@example(digits=5000)
def test_a_timestamp_of_any_length_is_an_expired_signature(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, digits: int
) -> None:
    """A millisecond timestamp of 17 digits or more is centuries away: expired, never parsed."""
    stamp = "9" * digits
    good = novu_signature(SECRET)
    header = f"t={stamp},{good.split(',', 1)[1]}"
    response = http.get(server.bridge_url + "?action=discover", headers={"novu-signature": header})
    assert_envelope(response, server, 401, "SignatureExpiredError")
    server_log.assert_quiet()


@SETTINGS
@given(digits=st.integers(309, MAX_INTEGER_DIGITS), negative=st.booleans())
@example(digits=309, negative=False)
@example(digits=MAX_INTEGER_DIGITS, negative=True)
def test_a_signed_body_with_an_integer_past_float_range_is_served(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, digits: int, negative: bool
) -> None:
    """JavaScript reads such an integer as Infinity, which JSON.stringify writes as null; the raw body
    is what was signed here, and the step runs."""
    number = ("-" if negative else "") + "9" * digits
    content = _execute_text(f'"huge":{number},"payloadExtra":[{number}]')
    response = post_signed(http, server, content)
    assert_welcomed(response, "Ada")
    server_log.assert_quiet()


@SETTINGS
@given(digits=st.integers(MAX_INTEGER_DIGITS + 1, 9000))
@example(digits=4301)  # just past Python's own int-to-string limit
def test_a_signed_body_with_an_overlong_integer_is_a_400(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, digits: int
) -> None:
    content = _execute_text(f'"huge":{"7" * digits}')
    response = post_signed(http, server, content)
    assert_envelope(response, server, 400, "InvalidRequestBodyError")
    server_log.assert_quiet()


@SETTINGS
@given(digits=st.integers(309, 9000))
def test_an_unsigned_body_with_a_huge_integer_is_refused_before_it_is_parsed_far(
    http: httpx.Client, server: RunningServer, server_log: ServerLog, digits: int
) -> None:
    """Without a valid signature the answer is the signature's 401, whatever the body holds."""
    content = _execute_text(f'"huge":{"5" * digits}')
    response = post_signed(http, server, content, signed=b"{}")
    assert_envelope(response, server, 401, "SignatureMismatchError")
    server_log.assert_quiet()
