"""The bridge's query string: read as ``parse_qsl(..., keep_blank_values=True)`` reads it, the first
occurrence of a key winning, whether or not anything in it needs unquoting."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import given
from hypothesis import strategies as st

from novu_framework.bridge_http import parse_query

_PIECES = st.sampled_from(["action", "workflowId", "stepId", "=", "&", "%20", "%", "+", "é", "a", ""])


def _expected(query: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        out.setdefault(key, value)
    return out


@given(st.lists(_PIECES | st.text(max_size=6), max_size=12).map("".join))
def test_any_query_reads_as_parse_qsl_reads_it(query: str) -> None:
    assert dict(parse_query(query)) == _expected(query)
    assert dict(parse_query(query.encode("utf-8", "surrogatepass"))) == _expected(
        query.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    )


def test_the_bridge_s_own_query() -> None:
    query = "action=execute&workflowId=welcome&stepId=email&workflowId=other&flag&empty="
    assert dict(parse_query(query)) == {
        "action": "execute",
        "workflowId": "welcome",
        "stepId": "email",
        "flag": "",
        "empty": "",
    }
    assert dict(parse_query("name=a%26b&x=1+2")) == {"name": "a&b", "x": "1 2"}
