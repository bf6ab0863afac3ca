"""Every code block in README.md and docs/*.md runs as written.

The rules, for whoever writes a block:

- A fence tagged ``python``/``py`` or ``sh``/``bash``/``shell`` is code; other fences (untagged
  diagrams, ``text``, ``json``...) are not run.
- A block preceded by the line ``<!-- doctest: fragment -->`` is only compiled (Python, top-level
  ``await`` allowed) or parsed with ``bash -n`` (shell). Keep these few: blocks that need a Novu account.
- The other blocks of a document run in order, in one temporary directory per document, so a later block
  sees the files and the local store an earlier one made. A Python block whose first line is
  ``# NAME.py`` is saved as ``NAME.py`` there (and run), so later blocks can import it.
- Python blocks run in a fresh interpreter (this one's environment). Shell blocks run with ``bash -e``
  against a wheel built from this checkout, in a fresh virtualenv holding only the extra the block's
  ``pip install "novu-framework[EXTRA]"`` names (that line installs the wheel instead); a block that
  names none uses the previous shell block's virtualenv (a reader installs once), else the bare wheel.
- ``4000`` in a shell block (the dev server's port) is replaced by a free port, so that documents
  can run while other servers use the machine. Whatever a block starts in the background is stopped
  when it ends.
- No ``NOVU_*`` variable of the test's environment reaches a block: none needs a Novu account.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import venv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FRAGMENT = "<!-- doctest: fragment -->"
LANGUAGES = {"python": "python", "py": "python", "sh": "shell", "bash": "shell", "shell": "shell"}
PIP_LINE = re.compile(r"""pip install (["']?)novu-framework(?:\[([a-z0-9,_-]+)\])?\1""")
BLOCK_TIMEOUT = 240


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    language: str
    source: str
    fragment: bool

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks_of(path: Path) -> list[Block]:
    """The code blocks of a Markdown file, with their line numbers and fragment markers."""
    found: list[Block] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)", lines[i])
        if not opening:
            i += 1
            continue
        indent, fence, tag = opening.groups()
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
            i += 1
        i += 1
        language = LANGUAGES.get(tag.lower())
        if language is None:
            continue
        before = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        found.append(Block(path, start + 1, language, "\n".join(body) + "\n", before == FRAGMENT))
    return found


ALL_BLOCKS = [block for path in DOCUMENTS for block in blocks_of(path)]


# --- the parser itself -----------------------------------------------------------------------------


def test_the_parser_finds_blocks_lines_and_markers(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "text\n\n```python\nprint(1)\n```\n\n<!-- doctest: fragment -->\n\n```sh\nexit 1\n```\n"
        "```\ndiagram\n```\n  ```py\n  x = 2\n  ```\n",
        encoding="utf-8",
    )
    got = [(b.line, b.language, b.source, b.fragment) for b in blocks_of(doc)]
    assert got == [
        (3, "python", "print(1)\n", False),
        (9, "shell", "exit 1\n", True),
        (15, "python", "x = 2\n", False),
    ]


def test_every_document_with_code_is_seen() -> None:
    assert any(b.path.name == "README.md" and not b.fragment for b in ALL_BLOCKS)


# --- fragments: compiled or parsed only ------------------------------------------------------------


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if b.fragment], ids=lambda b: b.where)
def test_fragments_compile(block: Block) -> None:
    if block.language == "python":
        try:
            compile(block.source, block.where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        except SyntaxError as exc:
            pytest.fail(f"{block.where}: the fragment does not compile: {exc}")
    else:
        done = subprocess.run(["bash", "-n"], input=block.source, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, f"{block.where}: the fragment does not parse: {done.stderr}"


# --- runnable blocks ---------------------------------------------------------------------------------


class Environments:
    """A wheel built once from the checkout, and one virtualenv per extra, made when first needed."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self._wheel: Path | None = None
        self._venvs: dict[str, Path] = {}

    @property
    def wheel(self) -> Path:
        if self._wheel is None:
            source = self.base / "source"
            shutil.copytree(
                ROOT,
                source,
                ignore=shutil.ignore_patterns(
                    ".git", ".venv", ".nox", ".reference", "node_modules", "build", "dist", "*.egg-info",
                    ".novu", "__pycache__", "*.sqlite3*", ".hypothesis", ".mypy_cache", ".ruff_cache",
                ),
            )  # fmt: skip
            out = self.base / "wheel"
            done = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert done.returncode == 0, f"building the wheel failed:\n{done.stdout}\n{done.stderr}"
            [self._wheel] = out.glob("novu_framework-*.whl")
        return self._wheel

    def venv(self, extra: str) -> Path:
        if extra not in self._venvs:
            path = self.base / f"venv-{extra or 'bare'}"
            venv.EnvBuilder(with_pip=True).create(path)
            requirement = f"{self.wheel}[{extra}]" if extra else str(self.wheel)
            done = subprocess.run(
                [str(path / "bin" / "python"), "-m", "pip", "install", "-q", requirement],
                capture_output=True,
                text=True,
                timeout=900,
            )
            assert done.returncode == 0, f"installing {requirement} failed:\n{done.stdout}\n{done.stderr}"
            self._venvs[extra] = path
        return self._venvs[extra]


@pytest.fixture(scope="session")
def environments() -> Iterator[Environments]:
    with tempfile.TemporaryDirectory(prefix="novu-doctest-") as base:
        yield Environments(Path(base))


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("NOVU_", "VIRTUAL_ENV", "PYTHONPATH"))}


def _run(argv: list[str], cwd: Path, env: dict[str, str], block: Block, stdin: str | None = None) -> None:
    # Output goes to a file, not a pipe: a background job left running must not keep the test waiting.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, so that background jobs are stopped with it
        )
        timed_out = False
        try:
            process.communicate(stdin, timeout=BLOCK_TIMEOUT)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.seek(0)
        output = log.read()
    if timed_out:
        pytest.fail(
            f"{block.where}: the {block.language} block did not finish in {BLOCK_TIMEOUT} s:\n{output}"
        )
    if process.returncode != 0:
        pytest.fail(
            f"{block.where}: the {block.language} block failed (exit {process.returncode}):\n"
            f"{block.source}\n--- output ---\n{output}"
        )


def _run_python(block: Block, cwd: Path) -> None:
    first = block.source.splitlines()[0].strip() if block.source.strip() else ""
    named = re.fullmatch(r"#\s*([\w-]+\.py)", first)
    script = cwd / (named.group(1) if named else f"_doctest_{block.line}.py")
    script.write_text(block.source, encoding="utf-8")
    _run([sys.executable, script.name], cwd, _clean_env(), block)


def _run_shell(block: Block, cwd: Path, environments: Environments, extra: str | None) -> str | None:
    named = [m.group(2) or "" for m in PIP_LINE.finditer(block.source)]
    if named:
        extra = named[0]
    env_dir = environments.venv(extra or "")
    source = PIP_LINE.sub(
        lambda m: f'pip install -q "{environments.wheel}[{m.group(2) or ""}]"', block.source
    )
    source = re.sub(r"\b4000\b", str(free_port()), source)
    env = _clean_env()
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    env["VIRTUAL_ENV"] = str(env_dir)
    _run(["bash", "-e", "-o", "pipefail", "-s"], cwd, env, block, stdin=source)
    return extra


RUNNABLE = sorted({b.path for b in ALL_BLOCKS if not b.fragment})


@pytest.mark.parametrize("path", RUNNABLE, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_document_runs_as_written(path: Path, environments: Environments, tmp_path: Path) -> None:
    extra: str | None = None
    for block in blocks_of(path):
        if block.fragment:
            continue
        if block.language == "python":
            _run_python(block, tmp_path)
        else:
            extra = _run_shell(block, tmp_path, environments, extra)
