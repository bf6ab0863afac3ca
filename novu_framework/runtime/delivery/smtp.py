"""Email over SMTP: plain, STARTTLS or implicit TLS, with optional login; settings from the environment.

Why smtplib on a thread pool of its own rather than aiosmtplib (native asyncio): an aiosmtplib 5.1.3
version of this provider (a pool of connected clients per event loop, reconnecting, the same errors)
was built and measured slower. On the 2-core development machine, the two alternated three rounds
in one session, medians of steps/s from ``python benchmarks/runtime_throughput.py`` (1000 triggers,
in_app -> digest -> email to aiosmtpd): 634 for this pool against 496 for aiosmtplib with 4
clients; in two later sessions 930 against 708 (830 with 16 clients), and 978 against 782. The
provider alone (``python benchmarks/email_delivery.py``, 64 sends in flight, 4 sessions) sent 612
and 950 messages/s against 499 and 735. The cause, from a profile: aiosmtplib writes each SMTP
command from the event loop's thread, and a write to a local TCP socket took about 0.65 ms there
(the kernel's delivery to the receiver is charged to the writer), four per message, stalling the
loop that also runs the worker's steps; here the same writes run on the pool's threads without the
GIL.

Why :func:`plain_email` stays beside :func:`build_email`: it builds a message in 6-35 µs where the
``email`` package takes 175-590 µs (by the machine's load), and without it the provider alone sends
296 messages/s instead of 565 (``benchmarks/email_delivery.py``, three alternated rounds, medians).
End to end the difference is within noise (678 against 635 steps/s), email being one step in three
there; a burst of mail is where it counts. A test keeps the two builders byte-equal.
"""

from __future__ import annotations

import asyncio
import base64
import email.errors
import os
import re
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, parseaddr
from typing import Any

from novu_framework.runtime.delivery.base import DeliveryError, Message

_TLS_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send email. ``tls``: ``"none"``, ``"starttls"`` or ``"ssl"`` (implicit TLS)."""

    host: str = "localhost"
    port: int = 25
    sender: str = "no-reply@localhost"
    username: str | None = None
    password: str | None = None
    tls: str = "none"
    timeout: float = 10.0
    verify_certificates: bool = True
    ca_file: str | None = None  # PEM bundle to trust instead of the system's certificate authorities
    local_hostname: str | None = None  # the name sent in EHLO (default: this host's FQDN)

    def __post_init__(self) -> None:
        if self.tls not in _TLS_MODES:
            raise ValueError(f"SmtpSettings.tls must be one of {', '.join(_TLS_MODES)}, got {self.tls!r}")

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """``NOVU_SMTP_HOST`` (required), ``_PORT``, ``_FROM``, ``_USERNAME``, ``_PASSWORD``, ``_TLS``, ``_CA_FILE``;
        None when ``NOVU_SMTP_HOST`` is unset."""
        host = os.environ.get("NOVU_SMTP_HOST")
        if not host:
            return None
        tls = os.environ.get("NOVU_SMTP_TLS", "none").lower()
        default_port = {"none": 25, "starttls": 587, "ssl": 465}.get(tls, 25)
        return cls(
            host=host,
            port=int(os.environ.get("NOVU_SMTP_PORT", default_port)),
            sender=os.environ.get("NOVU_SMTP_FROM", "no-reply@localhost"),
            username=os.environ.get("NOVU_SMTP_USERNAME") or None,
            password=os.environ.get("NOVU_SMTP_PASSWORD") or None,
            tls=tls,
            ca_file=os.environ.get("NOVU_SMTP_CA_FILE") or None,
        )


def message_id(message: Message) -> str:
    """The Message-ID header: the idempotency key, the same for every attempt."""
    return f"<{message.idempotency_key.replace(':', '.')}@novu-framework>"


def build_email(settings: SmtpSettings, message: Message) -> MIMEText:
    """The MIME message: HTML body, and a Message-ID made from the idempotency key."""
    # MIMEText (the compat32 policy) rather than EmailMessage: its header objects cost milliseconds each.
    email = MIMEText(str(message.outputs.get("body", "")), "html", "utf-8")
    email["From"] = settings.sender
    email["To"] = message.recipient or ""
    subject = str(message.outputs.get("subject", ""))
    email["Subject"] = subject if subject.isascii() else Header(subject, "utf-8").encode()
    email["Date"] = formatdate(localtime=False, usegmt=True)
    email["Message-ID"] = message_id(message)
    email["X-Novu-Transaction-Id"] = message.transaction_id
    return email


_PRINTABLE = re.compile(r"[ -~]*")  # ASCII without control characters: one header line as it is
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"\\@]+@[^\s<>()\[\],;:\"\\@]+")
_MAX_LINE = 78  # RFC 5322's recommended line length; longer headers are folded by build_email


def _fits(name: str, value: str) -> bool:
    return len(name) + 2 + len(value) <= _MAX_LINE and _PRINTABLE.fullmatch(value) is not None


def plain_email(settings: SmtpSettings, message: Message) -> bytes | None:
    """The bytes :func:`build_email` would produce, made directly, in the common case where every
    header is printable ASCII on one line and the recipient a bare address; None otherwise.

    Flattening a MIME message costs several hundred microseconds; this costs a few.
    """
    recipient = message.recipient
    subject = str(message.outputs.get("subject", ""))
    mid = message_id(message)
    if not (
        recipient is not None
        and _ADDRESS.fullmatch(recipient)
        and _fits("To", recipient)
        and _fits("From", settings.sender)
        and _fits("Subject", subject)
        and _fits("Message-ID", mid)
        and _fits("X-Novu-Transaction-Id", message.transaction_id)
    ):
        return None
    try:
        body = str(message.outputs.get("body", "")).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: left to build_email
        return None
    head = (
        'Content-Type: text/html; charset="utf-8"\r\n'
        "MIME-Version: 1.0\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        f"From: {settings.sender}\r\n"
        f"To: {recipient}\r\n"
        f"Subject: {subject}\r\n"
        f"Date: {formatdate(localtime=False, usegmt=True)}\r\n"
        f"Message-ID: {mid}\r\n"
        f"X-Novu-Transaction-Id: {message.transaction_id}\r\n"
        "\r\n"
    )
    return head.encode("ascii") + base64.encodebytes(body).replace(b"\n", b"\r\n")


class SmtpEmailProvider:
    """Sends email with :mod:`smtplib` on ``pool_size`` threads of its own, each keeping its session open
    (idle for at most ``max_idle_seconds``), so that a burst of mail neither reconnects per message nor
    opens more sessions than that: further messages wait for a free session."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings, *, pool_size: int = 4, max_idle_seconds: float = 30.0) -> None:
        if pool_size < 1:
            raise ValueError(f"SmtpEmailProvider pool_size must be at least 1, got {pool_size}")
        self.settings = settings
        self.pool_size = pool_size
        self.max_idle_seconds = max_idle_seconds
        self._context: ssl.SSLContext | None = None
        self._idle: list[tuple[smtplib.SMTP, float]] = []
        self._lock = threading.Lock()
        self._sender_address = parseaddr(settings.sender)[1]
        self._executor: ThreadPoolExecutor | None = None

    def _tls(self) -> ssl.SSLContext:
        # Built once: loading the CA certificates costs tens of milliseconds.
        if self._context is None:
            context = ssl.create_default_context(cafile=self.settings.ca_file)
            if not self.settings.verify_certificates:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            self._context = context
        return self._context

    async def send(self, message: Message) -> dict[str, Any]:
        recipient = message.recipient
        if recipient is None:
            raise DeliveryError("the subscriber has no email address", permanent=True)
        data = plain_email(self.settings, message) if _ADDRESS.fullmatch(self._sender_address) else None
        if data is not None:
            sender, content = self._sender_address, data

            def deliver(client: smtplib.SMTP) -> dict[str, Any]:
                return client.sendmail(sender, [recipient], content)

        else:
            mime = build_email(self.settings, message)

            def deliver(client: smtplib.SMTP) -> dict[str, Any]:
                return client.send_message(mime)

        refused = await asyncio.get_running_loop().run_in_executor(self._threads(), self._send, deliver)
        return {"messageId": message_id(message), "refused": sorted(refused)}

    def _threads(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self.pool_size, thread_name_prefix="novu-smtp")
            return self._executor

    def close(self) -> None:
        """Close the idle sessions (and stop the sending threads once they are done)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        with self._lock:
            idle, self._idle = self._idle, []
        for client, _ in idle:
            _quit(client)

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        client: smtplib.SMTP
        if s.tls == "ssl":
            client = smtplib.SMTP_SSL(
                s.host, s.port, local_hostname=s.local_hostname, timeout=s.timeout, context=self._tls()
            )
        else:
            client = smtplib.SMTP(s.host, s.port, local_hostname=s.local_hostname, timeout=s.timeout)
        try:
            if s.tls == "starttls":
                client.starttls(context=self._tls())
            if s.username:
                client.login(s.username, s.password or "")
        except BaseException:
            _quit(client)
            raise
        return client

    def _checkout(self) -> smtplib.SMTP | None:
        now = time.monotonic()
        with self._lock:
            while self._idle:
                client, since = self._idle.pop()
                if now - since < self.max_idle_seconds:
                    return client
                _quit(client)
        return None

    def _checkin(self, client: smtplib.SMTP) -> None:
        with self._lock:
            if len(self._idle) < self.pool_size:
                self._idle.append((client, time.monotonic()))
                return
        _quit(client)

    def _send(self, deliver: Callable[[smtplib.SMTP], dict[str, Any]]) -> dict[str, Any]:
        """Run ``deliver`` on a pooled session (a new one if none is idle); the refused recipients."""
        s = self.settings
        client = self._checkout()
        try:
            if client is not None:
                try:
                    refused = deliver(client)
                except smtplib.SMTPServerDisconnected:  # the server closed the idle session
                    _quit(client)
                    client = None
            if client is None:
                client = self._connect()
                refused = deliver(client)
        except smtplib.SMTPRecipientsRefused as exc:
            _quit(client)
            raise DeliveryError(
                f"SMTP server refused the recipient: {_describe(exc)}", permanent=True
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            _quit(client)
            raise DeliveryError(f"SMTP server does not support this: {exc}", permanent=True) from exc
        except smtplib.SMTPAuthenticationError as exc:
            _quit(client)
            raise DeliveryError(f"SMTP authentication failed: {_describe(exc)}", permanent=True) from exc
        except smtplib.SMTPResponseException as exc:
            _quit(client)
            permanent = 500 <= exc.smtp_code < 600
            raise DeliveryError(f"SMTP error: {_describe(exc)}", permanent=permanent) from exc
        except (smtplib.SMTPException, OSError) as exc:
            _quit(client)
            raise DeliveryError(
                f"cannot send through SMTP server {s.host}:{s.port}: {_describe(exc)}"
            ) from exc
        except email.errors.MessageError as exc:  # a header the email package will not write
            if client is not None:
                self._checkin(client)  # send_message writes the message out before any command
            raise DeliveryError(f"the email cannot be written: {exc}", permanent=True) from exc
        except BaseException:
            _quit(client)  # whatever else went wrong, the session is not left open
            raise
        self._checkin(client)
        return refused


def _quit(client: smtplib.SMTP | None) -> None:
    if client is None:
        return
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        return f"{exc.smtp_code} {text}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
