"""Fixtures: a clock the tests move, runtimes on temporary SQLite files, real SMTP and PostgreSQL servers."""

from __future__ import annotations

import email
import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.message import Message as MimeMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from novu_framework.runtime import ConsoleProvider, Runtime, SmtpSettings
from tests.servers import free_port

REPO = Path(__file__).resolve().parents[2]


class FakeClock:
    """Epoch milliseconds that move only when told."""

    def __init__(self, start_ms: int = 1_767_261_600_000) -> None:  # 2026-01-01T10:00:00Z
        self.now = start_ms

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += int(seconds * 1000)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def console() -> io.StringIO:
    return io.StringIO()


@pytest.fixture
async def make_runtime(
    tmp_path: Path, clock: FakeClock, console: io.StringIO
) -> AsyncIterator[Callable[..., Runtime]]:
    """Build runtimes on one SQLite file in tmp_path (a second one simulates a restart); all closed after."""
    made: list[Runtime] = []

    def make(workflows: Any = (), **options: Any) -> Runtime:
        options.setdefault("store", str(tmp_path / "runtime.sqlite3"))
        options.setdefault("clock", clock)
        providers = options.pop("providers", {})
        for channel in ("sms", "push", "chat", "email"):
            if channel != "email" or "email" not in options:
                providers.setdefault(channel, ConsoleProvider(console))
        runtime = Runtime(workflows, providers=providers, **options)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        await runtime.close()


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """Every message a real SMTP server (aiosmtpd on 127.0.0.1) accepted."""

    host: str
    port: int
    messages: list[MimeMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.endswith("@unknown.example"):
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def settings(self, **overrides: Any) -> SmtpSettings:
        return SmtpSettings(host=self.host, port=self.port, sender="alerts@example.com", **overrides)

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


@pytest.fixture
def smtp_server() -> Iterator[SmtpSink]:
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


# --- PostgreSQL ----------------------------------------------------------------------------------


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for version_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (version_dir / name).exists():
            return str(version_dir / name)
    pytest.skip(f"PostgreSQL's {name} is not installed (bash scripts/setup-tests.sh installs it)")


@dataclass
class PgCluster:
    dsn: str
    port: int

    def fresh_database(self) -> str:
        """A new empty database; its connection string."""
        import psycopg

        name = f"t{time.time_ns()}"
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.dsn.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgCluster]:
    """A throw-away PostgreSQL cluster on 127.0.0.1, run as a non-root user when the tests run as root."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    root = Path(tempfile.mkdtemp(prefix="novu-pg-"))
    data = root / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        user = "postgres" if _user_exists("postgres") else "nobody"
        shutil.chown(root, user=user)
        root.chmod(0o700)
        as_user = ["runuser", "-u", user, "--"]
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "novu", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield PgCluster(f"postgresql://novu@127.0.0.1:{port}/postgres", port)
    finally:
        subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
