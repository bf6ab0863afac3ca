"""Regenerate docs/images/studio-*.png: the Studio serving the example workflows, page by page.

    python scripts/studio_screenshots.py

Needs Chromium (apt-get install -y chromium) and the dev extras (Playwright, no browser download). The
runtime's clock is moved forward a day to let the example runs finish; no network is used.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from examples.workflows import WORKFLOWS  # noqa: E402
from tests.studio.browser import chromium, missing  # noqa: E402
from tests.studio.server import serve_studio  # noqa: E402

OUT = ROOT / "docs" / "images"
DAY_MS = 86_400_000


class Clock:
    """Wall time plus an offset that the script moves forward."""

    def __init__(self) -> None:
        self.offset = 0

    def __call__(self) -> int:
        return int(time.time() * 1000) + self.offset


def shoot(page: Any, name: str, full: bool = False) -> None:
    path = OUT / f"studio-{name}.png"
    page.wait_for_timeout(300)
    page.screenshot(path=str(path), full_page=full)
    print(f"wrote {path.relative_to(ROOT)}")


def main() -> int:
    reason = missing()
    if reason:
        print(f"cannot take screenshots: {reason}")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    clock = Clock()
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve_studio(WORKFLOWS, str(Path(tmp) / "runtime.sqlite3"), clock=clock) as s,
        chromium() as browser,
    ):
        rt = s.runtime
        people = [("ada", "Ada", "team"), ("grace", "Grace", "free"), ("linus", "Linus", "enterprise")]
        welcome_runs = []
        for sid, name, plan in people:
            result = s.call(
                rt.trigger(
                    "welcome",
                    {"subscriberId": sid, "email": f"{sid}@example.com"},
                    {"first_name": name, "plan": plan},
                )
            )
            welcome_runs.append(result.transaction_id)
        comments = [("grace", "Lovely write-up!"), ("linus", "Ship it."), ("ken", "What about Windows?")]
        for author, text in comments:
            s.call(
                rt.trigger(
                    "comment-digest",
                    {"subscriberId": "ada", "email": "ada@example.com"},
                    {
                        "post_id": "p-42",
                        "post_title": "Durable workflows in Python",
                        "author_name": author,
                        "comment": text,
                    },
                )
            )
        time.sleep(1.0)
        page = browser.new_page()
        page.goto(s.url)
        page.locator(".wf-card").first.wait_for()
        shoot(page, "workflows")

        page.goto(s.url + "#/workflows/welcome/welcome-email")
        page.locator(".mail-subject").wait_for()
        payload = '{\n  "first_name": "Ada",\n  "plan": "team",\n  "dashboard_url": "https://app.example.com/dashboard"\n}'
        page.locator("#payload-editor").fill(payload)
        page.get_by_label("subject").fill("Welcome aboard, {{payload.first_name}}!")
        page.locator(".mail-subject", has_text="Welcome aboard").wait_for()
        shoot(page, "step-preview")

        page.goto(s.url + "#/trigger/welcome")
        page.get_by_label("first_name").fill("")
        page.get_by_role("button", name="Trigger run").click()
        page.locator('[data-error-for="/first_name"]').wait_for()
        shoot(page, "trigger")

        waiting = s.call(rt.history(transaction_id=welcome_runs[0]))[0]
        page.goto(s.url + f"#/runs/{waiting.id}")
        page.locator(".tl-step").first.wait_for()
        shoot(page, "run-waiting")

        clock.offset += DAY_MS  # the delay and the digest window are over
        rt.worker.wake()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            counts = s.call(rt.status_counts())
            if counts.get("completed", 0) + counts.get("merged", 0) >= 6:
                break
            time.sleep(0.2)

        page.goto(s.url + "#/runs")
        page.locator("table.runs tbody tr").first.wait_for()
        shoot(page, "runs")

        digest = s.call(rt.history(workflow_id="comment-digest", status="completed"))[0]
        page.goto(s.url + f"#/runs/{digest.id}")
        page.locator("#run-status .badge", has_text="completed").wait_for()
        page.locator(".tl-step[data-step='digest-email'] summary", has_text="Message").click()
        shoot(page, "run", full=True)

        page.goto(s.url + "#/subscribers/ada")
        page.locator(".inbox-item").first.wait_for()
        shoot(page, "inbox")
        page.goto(s.url + "#/subscribers/ada/outbox")
        page.locator("table.outbox tbody tr").first.wait_for()
        page.locator("table.outbox tbody tr", has_text="comment").first.get_by_role(
            "button", name="View"
        ).click()
        page.locator(".viewer .email-frame").wait_for()
        shoot(page, "outbox")
    return 0


if __name__ == "__main__":
    sys.exit(main())
