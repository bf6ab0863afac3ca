"""HTTP throughput with wrk: every server stack against the reference behind Express, in the same run.

    python benchmarks/http_load.py [--rounds 3] [--duration 2] [--connections 4] [--targets ...]

Needs ``wrk`` (Debian: ``apt-get install -y wrk``). Each server is one process on 127.0.0.1
(``adapters_servers.py``; the reference: ``adapters_reference.mjs``), all started first. For each
round and each request kind (signed ``execute`` of a one-email-step workflow with a sync resolver,
signed ``discover``, ``health-check``) wrk runs for ``--duration`` seconds with one thread and
``--connections`` keep-alive connections against the reference, then against each of ours; the
ratio is the median over rounds of ours / the reference's requests per second measured just before.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from adapters import (  # noqa: E402
    EXECUTE_BODY,
    PREFIX,
    REFERENCE,
    REFERENCE_DIR,
    ServerProcess,
    Target,
    check_answers,
    signature,
)

SERVERS = HERE / "adapters_servers.py"
TARGETS = {
    "fastapi": Target("FastAPI", "uvicorn + uvloop + httptools", [sys.executable, str(SERVERS), "fastapi"]),
    "flask": Target(
        "Flask", "granian (WSGI)", [sys.executable, str(SERVERS), "flask", "--server", "granian"]
    ),
    "django-wsgi": Target(
        "Django WSGI", "granian (WSGI)", [sys.executable, str(SERVERS), "django-wsgi", "--server", "granian"]
    ),
    "flask-gunicorn": Target("Flask", "gunicorn gthread", [sys.executable, str(SERVERS), "flask"]),
    "django-gunicorn": Target(
        "Django WSGI", "gunicorn gthread", [sys.executable, str(SERVERS), "django-wsgi"]
    ),
    "django-asgi": Target(
        "Django ASGI", "uvicorn + uvloop + httptools", [sys.executable, str(SERVERS), "django-asgi"]
    ),
    "django-asgi-front": Target(
        "Django ASGI, bridge_before_django",
        "uvicorn + uvloop + httptools",
        [sys.executable, str(SERVERS), "django-asgi", "--front"],
    ),
}
DEFAULT_TARGETS = ("fastapi", "flask", "django-wsgi")
KINDS = ("execute", "discover", "health")


def lua_script(kind: str) -> str:
    """A wrk script sending one signed request of ``kind`` (the signature stays valid for the run)."""
    if kind == "execute":
        body = EXECUTE_BODY.decode()
        return (
            'wrk.method = "POST"\n'
            f"wrk.body = [[{body}]]\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["novu-signature"] = "{signature(EXECUTE_BODY)}"\n'
        )
    return f'wrk.headers["novu-signature"] = "{signature(b"{}")}"\n'


def path_of(kind: str) -> str:
    if kind == "execute":
        return f"{PREFIX}?action=execute&workflowId=bench-welcome&stepId=welcome-email"
    return f"{PREFIX}?action={'discover' if kind == 'discover' else 'health-check'}"


def wrk(port: int, kind: str, duration: float, connections: int, scripts: Path) -> float:
    """Requests per second; fails on any non-2xx answer or socket error."""
    script = scripts / f"{kind}.lua"
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path_of(kind)}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 30,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk reported errors for {kind} on port {port}:\n{out}")
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return float(match.group(1))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=2, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--targets", default=",".join(DEFAULT_TARGETS), help=",".join(TARGETS))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install -y wrk)", file=sys.stderr)
        return 1
    if not (REFERENCE_DIR / "node_modules" / "@novu" / "framework").is_dir():
        print("reference not installed: run scripts/install-reference.sh", file=sys.stderr)
        return 1
    names = [name for name in args.targets.split(",") if name]
    servers: dict[str, ServerProcess] = {}
    try:
        servers["ref"] = ServerProcess(REFERENCE)
        for name in names:
            servers[name] = ServerProcess(TARGETS[name])
        for server in servers.values():
            check_answers(server.port)
        rps: dict[tuple[str, str], list[float]] = {}
        ratios: dict[tuple[str, str], list[float]] = {}
        with tempfile.TemporaryDirectory() as tmp:
            scripts = Path(tmp)
            for kind in KINDS:
                (scripts / f"{kind}.lua").write_text(lua_script(kind))
            for _ in range(args.rounds):
                for kind in KINDS:
                    ref = wrk(servers["ref"].port, kind, args.duration, args.connections, scripts)
                    rps.setdefault(("ref", kind), []).append(ref)
                    for name in names:
                        ours = wrk(servers[name].port, kind, args.duration, args.connections, scripts)
                        rps.setdefault((name, kind), []).append(ours)
                        ratios.setdefault((name, kind), []).append(ours / ref)
    finally:
        for server in servers.values():
            server.stop()

    print(
        f"HTTP throughput with wrk (-t1 -c{args.connections}, {args.duration:g} s x {args.rounds} rounds), "
        "requests/s, medians; ratio = median of per-round ours/Express"
    )
    print(f"  {'server':<46}" + "".join(f"{kind:>22}" for kind in KINDS))
    ref_cells = "".join(f"{statistics.median(rps[('ref', kind)]):>22.0f}" for kind in KINDS)
    print(f"  {'Express (TypeScript reference)':<46}{ref_cells}")
    for name in names:
        target = TARGETS[name]
        cells = "".join(
            f"{statistics.median(rps[(name, kind)]):>12.0f} {statistics.median(ratios[(name, kind)]):>7.2f}x  "
            for kind in KINDS
        )
        print(f"  {target.name + ', ' + target.server:<46}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
