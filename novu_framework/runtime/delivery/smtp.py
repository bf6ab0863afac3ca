"""Email over SMTP: plain, STARTTLS or implicit TLS, with optional login; settings from the environment."""

from __future__ import annotations

import base64
import os
import re
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formatdate, parseaddr
from typing import Any

import aiosmtplib

from novu_framework.runtime.delivery.base import DeliveryError, Message
from novu_framework.runtime.delivery.smtp_sessions import SmtpSessions

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
    """Sends email with aiosmtplib, keeping up to ``pool_size`` sessions open (each idle for at most
    ``max_idle_seconds``), so that a burst of mail neither reconnects per message nor opens more
    sessions than that: further messages wait for a free session."""

    name = "smtp"

    def __init__(self, settings: SmtpSettings, *, pool_size: int = 4, max_idle_seconds: float = 30.0) -> None:
        self.settings = settings
        self.pool_size = pool_size
        self.max_idle_seconds = max_idle_seconds
        self._context: ssl.SSLContext | None = None
        self._sender_address = parseaddr(settings.sender)[1]
        self.sessions = SmtpSessions(self._connect, size=pool_size, max_idle_seconds=max_idle_seconds)

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
        exchange: Callable[[aiosmtplib.SMTP], Awaitable[tuple[dict[str, Any], str]]]
        if data is not None:
            sender, content = self._sender_address, data

            def exchange(client: aiosmtplib.SMTP) -> Awaitable[tuple[dict[str, Any], str]]:
                return client.sendmail(sender, [recipient], content)

        else:
            email = build_email(self.settings, message)

            def exchange(client: aiosmtplib.SMTP) -> Awaitable[tuple[dict[str, Any], str]]:
                return client.send_message(email)  # envelope from the From and To headers

        try:
            refused, _ = await self.sessions.run(exchange)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise DeliveryError(
                f"SMTP server refused the recipient: {_describe(exc)}", permanent=True
            ) from exc
        except aiosmtplib.SMTPNotSupported as exc:
            raise DeliveryError(f"SMTP server does not support this: {exc}", permanent=True) from exc
        except aiosmtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(f"SMTP authentication failed: {_describe(exc)}", permanent=True) from exc
        except aiosmtplib.SMTPResponseException as exc:
            if isinstance(exc, aiosmtplib.SMTPConnectResponseError) and not 500 <= exc.code < 600:
                raise self._unreachable(exc) from exc
            permanent = 500 <= exc.code < 600
            raise DeliveryError(f"SMTP error: {_describe(exc)}", permanent=permanent) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise self._unreachable(exc) from exc
        return {"messageId": message_id(message), "refused": sorted(refused)}

    def _unreachable(self, exc: BaseException) -> DeliveryError:
        s = self.settings
        return DeliveryError(f"cannot send through SMTP server {s.host}:{s.port}: {_describe(exc)}")

    async def close(self) -> None:
        """Close the idle sessions."""
        await self.sessions.close()

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.host,
            port=s.port,
            local_hostname=s.local_hostname,
            timeout=s.timeout,
            use_tls=s.tls == "ssl",
            start_tls=False,  # upgraded below, and only when asked to: "none" means none
            tls_context=self._tls() if s.tls != "none" else None,
        )
        await client.connect()
        try:
            if s.tls == "starttls":
                await client.ehlo()
                if not client.supports_extension("starttls"):
                    raise aiosmtplib.SMTPNotSupported("STARTTLS extension not supported by server.")
                await client.starttls(tls_context=self._tls())
            if s.username:
                await client.ehlo()
                if not client.supports_extension("auth"):
                    raise aiosmtplib.SMTPNotSupported("SMTP AUTH extension not supported by server.")
                await client.login(s.username, s.password or "")
        except BaseException:
            client.close()
            raise
        return client


def _describe(exc: BaseException) -> str:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused) and exc.recipients:
        return "; ".join(_describe(refusal) for refusal in exc.recipients)
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return f"{exc.code} {exc.message}"
    cause = exc.__cause__
    if isinstance(exc, aiosmtplib.SMTPConnectError) and isinstance(cause, OSError):
        exc = cause  # "ConnectionRefusedError: ...", the certificate error: what actually went wrong
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
