"""Finding the workflows of an app given as ``module``, ``module:attribute`` or ``path/to/file.py``."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from novu_framework.handler import collect_served
from novu_framework.workflow import Workflow


class AppNotFoundError(Exception):
    """The application spec names no importable module or no workflow."""


def _import(target: str) -> ModuleType:
    if target.endswith(".py") or os.sep in target:
        path = Path(target).resolve()
        if not path.is_file():
            raise AppNotFoundError(f"no such file: {target}")
        sys.path.insert(0, str(path.parent))
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            raise AppNotFoundError(f"cannot import {target}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        return module
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        return importlib.import_module(target)
    except ModuleNotFoundError as exc:
        if exc.name and target.startswith(exc.name):
            raise AppNotFoundError(f"cannot import module {target!r}: {exc}") from exc
        raise


def _collect(value: Any) -> list[Workflow]:
    if isinstance(value, Workflow):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict)):
        return [item for item in value if isinstance(item, Workflow)]
    return []


def load_workflows(spec: str) -> list[Workflow]:
    """The workflows of an application.

    ``module:attribute``: the workflow or list of workflows that attribute holds. ``module`` alone: every
    workflow at module level, those of a ``WORKFLOWS`` list, and those passed to ``serve(...)`` (any
    adapter's) while the module was imported.
    """
    module_name, _, attribute = spec.partition(":")
    with collect_served() as served:
        module = _import(module_name)
    if attribute:
        if not hasattr(module, attribute):
            raise AppNotFoundError(f"module {module_name!r} has no attribute {attribute!r}")
        found = _collect(getattr(module, attribute))
    else:
        found = [value for value in vars(module).values() if isinstance(value, Workflow)]
        found += _collect(getattr(module, "WORKFLOWS", ()))
        found += served
    unique: dict[int, Workflow] = {id(wf): wf for wf in found}
    if not unique:
        raise AppNotFoundError(
            f"no workflow found in {spec!r}: define workflows at module level, list them in WORKFLOWS, "
            "pass them to serve(...), or name them with module:attribute"
        )
    return list(unique.values())
