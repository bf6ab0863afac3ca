"""A runtime database that is corrupt, truncated, read-only or on a full disk: one clear StoreError
naming the file and the fix, and the CLI prints it on one line, without a traceback."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import novu_framework.runtime as runtime_api
from novu_framework import workflow
from novu_framework.runtime import Runtime

# Looked up, not imported: this suite also runs against code older than StoreError, and must fail there.
StoreError: type[Any] = getattr(runtime_api, "StoreError", Exception)

REPO = Path(__file__).resolve().parents[2]


@workflow("store-probe")
async def store_probe(step: Any) -> None:
    await step.in_app("inbox", {"body": "hello"})


async def _fill(path: Path, count: int) -> None:
    async with Runtime([store_probe], store=str(path)) as runtime:
        for i in range(count):
            await runtime.trigger(store_probe, f"sub-{i}", {"text": "x" * 500})


def _cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "novu_framework.cli", "--db", str(path), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def _assert_cli_says(path: Path, words: str) -> None:
    done = _cli(path, "history")
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr and done.stdout == "", done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(path) in lines[0] and words in lines[0], lines[0]


async def _store_error(path: Path) -> StoreError:
    runtime = Runtime([store_probe], store=str(path))
    try:
        with pytest.raises(StoreError) as info:
            await runtime.ready()
            await runtime.history()
            await runtime.trigger(store_probe, "sub-x", {})
    finally:
        with contextlib.suppress(StoreError):
            await runtime.close()
    assert str(path) in info.value.message
    assert info.value.__cause__ is not None  # the database's own error, kept for debugging
    return info.value


async def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "runtime.sqlite3"
    path.write_bytes(b"this is a text file, not SQLite\n" * 200)
    error = await _store_error(path)
    assert "is corrupt or not a SQLite database" in error.message and "Move it aside" in error.message
    _assert_cli_says(path, "is corrupt or not a SQLite database")


async def test_a_truncated_database(tmp_path: Path) -> None:
    path = tmp_path / "runtime.sqlite3"
    await _fill(path, 300)
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.truncate(size // 3)
    error = await _store_error(path)
    assert "is corrupt" in error.message
    _assert_cli_says(path, "is corrupt")


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


async def test_a_read_only_database(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        path = tmp_path / "ro" / "runtime.sqlite3"
        await _fill(path, 3)
        path.chmod(0o444)
        path.parent.chmod(0o555)
        try:
            error = await _store_error(path)
        finally:
            path.parent.chmod(0o755)
        assert "read-only" in error.message or "cannot be opened" in error.message
        return
    # Root writes through file permissions: a read-only mount it cannot write through.
    with _tmpfs(tmp_path / "ro", "4m") as mount:
        path = mount / "runtime.sqlite3"
        await _fill(path, 3)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        error = await _store_error(path)
        assert "read-only" in error.message or "cannot be opened" in error.message, error.message
        assert "writable" in error.message
        done = _cli(path, "history")
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and str(path) in done.stderr


async def test_a_full_disk(tmp_path: Path) -> None:
    with _tmpfs(tmp_path / "small", "640k") as mount:
        path = mount / "runtime.sqlite3"
        runtime = Runtime([store_probe], store=str(path))
        try:
            with pytest.raises(StoreError) as info:
                for i in range(200):  # 200 x 10 KB: well past 640 KiB
                    await runtime.trigger(store_probe, f"sub-{i}", {"text": "x" * 10_000})
        finally:
            with contextlib.suppress(StoreError):
                await runtime.close()
        message = info.value.message
        assert str(path) in message and "full" in message and "Free space" in message, message
