"""Check a recording's discover document against the JSON blocks of ``data/catalogue.md``.

Each block follows a comment line naming what it describes:
``<!-- schema WORKFLOW payload|controls -->``, ``<!-- schema WORKFLOW/STEP controls|outputs -->`` or
``<!-- meta WORKFLOW -->`` (name, description, tags, severity, preferences and ``[stepId, type]`` pairs).
Every discovered workflow needs a ``meta`` block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).resolve().with_name("data") / "catalogue.md"
_BLOCK = re.compile(r"<!-- (schema|meta) ([^ ]+)(?: (\w+))? -->\s*```json\n(.*?)```", re.S)
_META_KEYS = ("name", "description", "tags", "severity", "preferences")


def discover_document(results: dict[str, Any]) -> dict[str, Any]:
    """Case ``discover-open-unsigned``, else the first 2xx answer with a ``workflows`` list."""
    for case in ["discover-open-unsigned", *results]:
        answer = results.get(case) or {}
        body = answer.get("body")
        ok = 200 <= (answer.get("status") or 0) < 300
        if ok and isinstance(body, dict) and isinstance(body.get("workflows"), list):
            return body
    raise AssertionError("the recording holds no discover document")


def catalogue_problems(results: dict[str, Any], catalogue: Path = CATALOGUE) -> tuple[int, list[str]]:
    """How many blocks were checked, and one line per block the discover document contradicts."""
    workflows = {wf["workflowId"]: wf for wf in discover_document(results)["workflows"]}
    blocks = _BLOCK.findall(catalogue.read_text(encoding="utf-8"))
    problems, described = [], set()
    for kind, target, part, text in blocks:
        workflow_id, _, step_id = target.partition("/")
        wf = workflows.get(workflow_id)
        if wf is None:
            problems.append(f"{kind} {target}: no such workflow")
            continue
        if kind == "meta":
            described.add(workflow_id)
            actual: Any = {key: wf[key] for key in _META_KEYS if key in wf}
            actual["steps"] = [[step["stepId"], step["type"]] for step in wf["steps"]]
        elif step_id:
            step = next((s for s in wf["steps"] if s["stepId"] == step_id), None)
            if step is None:
                problems.append(f"{kind} {target}: no such step")
                continue
            actual = step[part]["schema"]
        else:
            actual = wf[part]["schema"]
        if json.loads(text) != actual:
            problems.append(
                f"{kind} {target} {part}: catalogue {text.strip()[:300]} != discover {json.dumps(actual)[:300]}"
            )
    problems += [f"no meta block for {wf}" for wf in workflows if wf not in described]
    return len(blocks), problems
