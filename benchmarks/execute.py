"""In-process execute of an email step after one replayed in_app step: ours vs the TypeScript reference.

    python benchmarks/execute.py [--iterations N]

Liquid controls, a JSON Schema payload, sanitised email outputs. Both engines run the same workflow in
the same run on the same machine; prints µs/op for each and the ratio (ours / reference).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from novu_framework import workflow  # noqa: E402
from novu_framework.execution import ExecuteRequest, execute  # noqa: E402

PAYLOAD_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "plan": {"type": "string", "enum": ["free", "pro"], "default": "free"},
        "items": {"type": "array", "items": {"type": "string"}, "default": []},
    },
    "required": ["name"],
    "additionalProperties": False,
}
CONTROL_SCHEMA = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "default": "Welcome {{payload.name}} ({{payload.plan | upcase}})"},
        "body": {
            "type": "string",
            "default": "<p>Hello {{subscriber.firstName}}, you have {{payload.items | size}} items</p>",
        },
    },
    "additionalProperties": False,
}


@workflow("bench", payload_schema=PAYLOAD_SCHEMA)
async def bench(step: Any, payload: dict[str, Any]) -> None:
    async def inbox_outputs(controls: dict[str, Any]) -> dict[str, Any]:
        return {"body": f"Hi {payload['name']}"}

    inbox = await step.in_app("inbox", inbox_outputs)

    async def mail_outputs(controls: dict[str, Any]) -> dict[str, Any]:
        return {
            "subject": controls["subject"],
            "body": controls["body"] + f"<p>seen: {str(inbox.seen).lower()}</p>",
        }

    await step.email("mail", mail_outputs, control_schema=CONTROL_SCHEMA)


def request() -> ExecuteRequest:
    return ExecuteRequest(
        workflow_id="bench",
        step_id="mail",
        payload={"name": "Ada", "plan": "pro", "items": ["a", "b", "c"]},
        controls={},
        state=[
            {
                "stepId": "inbox",
                "outputs": {"seen": True, "read": False, "lastSeenDate": None, "lastReadDate": None},
                "state": {"status": "completed", "error": None},
            }
        ],
        subscriber={"subscriberId": "sub-1", "firstName": "Ada"},
        context={},
    )


async def measure_ours(iterations: int) -> tuple[float, dict[str, Any]]:
    check = await execute(bench, request())
    for _ in range(min(2000, iterations)):
        await execute(bench, request())
    start = time.perf_counter()
    for _ in range(iterations):
        await execute(bench, request())
    return (time.perf_counter() - start) / iterations * 1e6, check.outputs


def measure_reference(iterations: int) -> tuple[float, dict[str, Any]] | None:
    reference = ROOT / ".reference"
    if not (reference / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return None
    out = subprocess.run(
        ["node", str(ROOT / "benchmarks" / "execute_reference.mjs"), str(reference), str(iterations)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["us_per_op"]), result["outputs"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=20000)
    args = parser.parse_args()
    ours, our_outputs = asyncio.run(measure_ours(args.iterations))
    reference = measure_reference(args.iterations)
    print(f"execute email after replayed in_app ({args.iterations} iterations)")
    print(f"  ours (python)      {ours:8.1f} µs/op")
    if reference is None:
        return 1
    ref_us, ref_outputs = reference
    print(f"  reference (node)   {ref_us:8.1f} µs/op")
    print(f"  ratio ours/ref     {ours / ref_us:8.2f}x")
    if our_outputs != ref_outputs:
        print(f"  OUTPUTS DIFFER: ours={our_outputs} reference={ref_outputs}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
