"""The package's import graph: no circle, and the core reaches the embedded runtime only through a port.

Every import statement counts, including those inside functions (a lazy import is still a dependency);
imports under ``if TYPE_CHECKING:`` do not, since they never run. Importing ``a.b.c`` is an edge to
``a.b.c`` only, not to its parent packages (their ``__init__`` runs first, but is not what the importer
depends on).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "novu_framework"
RUNTIME = f"{PACKAGE}.runtime"
# The command line is where the core and the runtime are put together: it builds a Runtime and serves it,
# with the local services built on the runtime (the Inbox API and the Studio) beside the bridge.
COMPOSITION_ROOTS = {f"{PACKAGE}.cli", f"{PACKAGE}.dev_services"}
ON_THE_RUNTIME = (f"{PACKAGE}.inbox", f"{PACKAGE}.studio")


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted((ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> set[str]:
    targets: set[str] = set()

    def resolve(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := resolve(alias.name)) is not None:
                    targets.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module if is_package else module.rpartition(".")[0]
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                target = resolve(f"{source}.{alias.name}") if f"{source}.{alias.name}" in known else None
                target = target or resolve(source)
                if target is not None:
                    targets.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    targets.discard(module)
    return targets


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {
        name: _imports(ast.parse(path.read_text()), name, path.name == "__init__.py", known)
        for name, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return found


def test_the_graph_is_read_from_every_module() -> None:
    graph = import_graph()
    assert {"novu_framework.workflow", "novu_framework.routing", RUNTIME, f"{RUNTIME}.local"} <= set(graph)
    # The runtime depends on the core (so an edge from the core back to it would close a circle).
    assert "novu_framework.workflow" in graph[f"{RUNTIME}.local"]


def test_the_detector_finds_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_graph_has_no_circle() -> None:
    assert cycles(import_graph()) == []


def test_the_core_imports_nothing_from_the_runtime() -> None:
    offenders = {
        module: sorted(t for t in targets if t == RUNTIME or t.startswith(f"{RUNTIME}."))
        for module, targets in import_graph().items()
        if not (module == RUNTIME or module.startswith(f"{RUNTIME}."))
        and module not in COMPOSITION_ROOTS
        and not any(module == top or module.startswith(f"{top}.") for top in ON_THE_RUNTIME)
    }
    assert {m: t for m, t in offenders.items() if t} == {}
