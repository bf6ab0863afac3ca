"""A bridge's render limits come from its Client and answer with the Liquid-failure envelope."""

from __future__ import annotations

from novu_framework import Client, NovuRequestHandler, RenderLimits

from .conftest import SECRET, Bridge, core_demo

INBOX_STATE = [
    {
        "stepId": "inbox",
        "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
        "state": {"status": "completed"},
    }
]
LOOP = "{% for i in (1..50) %}{{ i }}{% endfor %}"


def _bridge(limits: RenderLimits | None) -> Bridge:
    client = Client(secret_key=SECRET, strict_authentication=False, render_limits=limits)
    return Bridge(NovuRequestHandler([core_demo], client), strict=False)


async def _execute(bridge: Bridge) -> tuple[int, dict[str, object]]:
    body = {"payload": {"name": "Ada"}, "controls": {"subject": LOOP}, "state": INBOX_STATE}
    status, _, answer = await bridge.request("POST", "action=execute&workflowId=core-demo&stepId=mail", body)
    return status, answer


async def test_the_clients_limits_apply() -> None:
    status, answer = await _execute(_bridge(RenderLimits(loop_iterations=10)))
    assert status == 400
    assert answer == {
        "message": (
            "Workflow with id: `core-demo` could not render the controls of step with id: `mail`: rendering "
            "control `/subject` exceeded the render limit `loop_iterations` (10 loop iterations per step; "
            "raise it with RenderLimits(loop_iterations=...) or NOVU_RENDER_LOOP_ITERATIONS)"
        ),
        "data": {
            "name": "RenderLimitError",
            "control": "/subject",
            "limit": "loop_iterations",
            "maximum": 10,
        },
        "code": "StepControlCompilationFailedError",
    }


async def test_within_the_limits_the_answer_is_unchanged() -> None:
    status, answer = await _execute(_bridge(None))
    assert status == 200
    assert answer["outputs"]["subject"] == "".join(str(i) for i in range(1, 51))  # type: ignore[index]
