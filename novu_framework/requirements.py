"""The oldest version of each dependency that the test lanes prove (``nox -s minimums``).

``pyproject.toml`` declares exactly these floors (a test checks that they agree), and the adapters'
import guards read their versions and messages from here. Each floor's reason is the failure the
release before it showed.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version


@dataclass(frozen=True)
class Floor:
    """``distribution >= minimum``, declared in ``extra`` (``None``: a core dependency)."""

    distribution: str
    minimum: str
    extra: str | None
    display: str
    why: str
    module: str = ""

    @property
    def import_name(self) -> str:
        return self.module or self.distribution


FLOORS: tuple[Floor, ...] = (
    Floor("pydantic", "2.9", None, "Pydantic", "2.8 publishes a different JSON Schema for models"),
    Floor(
        "python-liquid",
        "2.3.2",
        None,
        "python-liquid",
        "2.3.1 does not stop a runaway range loop; 2.2.0 hangs on an unclosed `{% case %}`",
        "liquid",
    ),
    Floor("anyio", "4.3", None, "AnyIO", "the oldest 4.x with the worker-thread API the core uses"),
    Floor("httpx", "0.27", None, "HTTPX", "the client's timeout and transport options"),
    Floor("croniter", "2.0.6", None, "croniter", "2.0.5 computes wrong cron wait times"),
    Floor("pluralizer", "2.0", None, "pluralizer", "1.2 has camelCase methods only: fails at import"),
    Floor(
        "regex",
        "2024.11.6",
        None,
        "regex",
        "the oldest release tried with the bounded-regex tests (match timeouts, \\p{...})",
    ),
    Floor("fastapi", "0.110.1", "fastapi", "FastAPI", "0.110.0 requires Starlette < 0.37"),
    Floor("starlette", "0.37.2", "fastapi", "Starlette", "the oldest release FastAPI 0.110.1 accepts"),
    Floor("uvicorn", "0.29", "fastapi", "uvicorn", "serves `novu-framework dev` and the README's app"),
    Floor("flask", "2.3.3", "flask", "Flask", "2.3.2's test client needs werkzeug.__version__ (gone in 3.1)"),
    Floor("django", "4.2", "django", "Django", "the oldest release the adapter is tested with"),
    Floor("asgiref", "3.6", "django", "asgiref", "Django 4.2's own floor (3.7.0 is yanked)"),
    Floor(
        "uvloop", "0.23", "fastapi", "uvloop", "the oldest release tested with the recommended uvicorn stack"
    ),
    Floor(
        "httptools",
        "0.9",
        "fastapi",
        "httptools",
        "the oldest release tested with the recommended uvicorn stack",
    ),
    Floor("granian", "2.8", "flask", "Granian", "the oldest release tested as the recommended WSGI server"),
    Floor("granian", "2.8", "django", "Granian", "the oldest release tested as the recommended WSGI server"),
    Floor(
        "psycopg",
        "3.2.1",
        "postgres",
        "psycopg",
        "3.1's notifies() takes no timeout (the Inbox API's LISTEN); 3.2.0 asks for a binary build never released",
    ),
    Floor(
        "python-socketio",
        "5.18",
        "inbox",
        "python-socketio",
        "the oldest release the Inbox API's real-time tests pass with",
        "socketio",
    ),
    Floor("uvicorn", "0.29", "inbox", "uvicorn", "serves the Inbox API's socket.io endpoint"),
    Floor(
        "websockets",
        "16",
        "inbox",
        "websockets",
        "17 needs Python 3.11; 16 is the newest line on 3.10 and passes the real-time tests",
    ),
)

BY_NAME = {floor.distribution: floor for floor in FLOORS}


def release(text: str) -> tuple[int, ...]:
    """The numeric release of a version string: ``"4.2.8rc1"`` -> ``(4, 2, 8)``."""
    match = re.match(r"\d+(?:\.\d+)*", text.strip())
    return tuple(int(part) for part in match.group(0).split(".")) if match else ()


def _padded(parts: tuple[int, ...]) -> tuple[int, ...]:
    return parts + (0,) * (4 - len(parts))


def require(distribution: str, needed_by: str) -> None:
    """Raise ``ImportError`` naming the floor and the install command unless ``distribution`` meets it."""
    floor = BY_NAME[distribution]
    extra = f"[{floor.extra}]" if floor.extra else ""
    try:
        importlib.import_module(floor.import_name)
    except ImportError:
        raise ImportError(
            f"{needed_by} needs {floor.display} >= {floor.minimum}, which is not installed. "
            f'Install it with: pip install "novu-framework{extra}"'
        ) from None
    try:
        installed = version(distribution)
    except PackageNotFoundError:  # a copy without package metadata: nothing to compare
        return
    if _padded(release(installed)) < _padded(release(floor.minimum)):
        raise ImportError(
            f"{needed_by} needs {floor.display} >= {floor.minimum}, but {floor.display} {installed} is "
            f'installed. Upgrade it with: pip install -U "novu-framework{extra}"'
        )
