"""SMTP with STARTTLS or implicit TLS and a login, against a real aiosmtpd server with its own certificate."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from novu_framework import workflow
from novu_framework.runtime import RetryPolicy, Runtime, SmtpSettings
from tests.runtime.conftest import SmtpSink
from tests.servers import free_port

ADA = {"subscriberId": "sub-1", "email": "ada@example.com"}

# The implicit-TLS server is told not to require STARTTLS before AUTH (its whole session is TLS).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@workflow("tls-mail")
async def tls_mail(step: Any) -> None:
    await step.email("email", {"subject": "Secure", "body": "<p>over TLS</p>"})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"mailer",
        b"s3cret",
    )
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself


class ImplicitTlsController(Controller):
    """aiosmtpd's readiness probe wraps its socket with the server's own context; use a client one."""

    def __init__(self, *args: Any, client_context: ssl.SSLContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client_context = client_context

    def _trigger_server(self) -> None:
        with (
            socket.create_connection((self.hostname, self.port), 1.0) as raw,
            self.client_context.wrap_socket(raw, server_hostname=self.hostname) as tls,
        ):
            tls.recv(1024)


@pytest.fixture(params=["starttls", "ssl"])
def tls_server(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[SmtpSink, str]]:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    sink = SmtpSink("127.0.0.1", free_port())
    options: dict[str, Any] = {"authenticator": _authenticate, "auth_required": True}
    controller: Controller
    if request.param == "starttls":
        controller = Controller(
            sink, hostname=sink.host, port=sink.port, tls_context=context, require_starttls=True, **options
        )
    else:
        controller = ImplicitTlsController(
            sink,
            hostname=sink.host,
            port=sink.port,
            ssl_context=context,
            client_context=ssl.create_default_context(cafile=str(cert)),
            auth_require_tls=False,  # the whole session is TLS, which aiosmtpd does not see here
            **options,
        )
    controller.start()
    try:
        yield sink, request.param
    finally:
        controller.stop()


async def _one_mail(runtime: Runtime) -> Any:
    """The run of one ``tls_mail`` trigger, once the runtime is idle."""
    await runtime.trigger(tls_mail, ADA, {})
    await runtime.run_until_idle()
    [run] = await runtime.history()
    return run


async def test_tls_and_login_deliver(make_runtime: Any, tls_server: Any, certificate: Any) -> None:
    sink, mode = tls_server
    settings = SmtpSettings(
        host=sink.host,
        port=sink.port,
        sender="alerts@example.com",
        tls=mode,
        username="mailer",
        password="s3cret",
        ca_file=str(certificate[0]),
    )
    run = await _one_mail(make_runtime([tls_mail], email=settings))
    assert run.status == "completed"
    assert [m["Subject"] for m in sink.messages] == ["Secure"]


async def test_wrong_password_is_a_recorded_permanent_failure(
    make_runtime: Any, tls_server: Any, certificate: Any
) -> None:
    sink, mode = tls_server
    settings = SmtpSettings(
        host=sink.host,
        port=sink.port,
        tls=mode,
        username="mailer",
        password="wrong",
        ca_file=str(certificate[0]),
    )
    run = await _one_mail(make_runtime([tls_mail], email=settings))
    [delivery] = run.deliveries
    assert run.status == "failed" and len(delivery.attempts) == 1
    assert delivery.error is not None and delivery.error.startswith("SMTP authentication failed: 535")
    assert sink.messages == []


async def test_an_untrusted_certificate_is_not_accepted(
    make_runtime: Any, tls_server: Any, clock: Any
) -> None:
    sink, mode = tls_server
    settings = SmtpSettings(host=sink.host, port=sink.port, tls=mode, username="mailer", password="s3cret")
    run = await _one_mail(make_runtime([tls_mail], email=settings, retry=RetryPolicy(max_attempts=1)))
    assert run.status == "failed"
    assert run.deliveries[0].error is not None and "CERTIFICATE_VERIFY_FAILED" in run.deliveries[0].error
    assert sink.messages == []
