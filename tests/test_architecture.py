"""The layering of the package, checked from the source (issue 11).

Arrows point inward: ui/cli -> desk -> services.<concern> -> domain. Between
packages there is no circle, counting module-level *and* function-level
imports (a lazy import is still a dependency); `if TYPE_CHECKING:` blocks are
left out, they never run. The window and the command line hold no database
session: no SQLAlchemy import in `ui/` or `cli*.py`, and no import by string.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "zsm_desk"


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str | None:
    """The layer a module belongs to; None for modules outside the layering."""
    parts = module.split(".")
    if parts[0] != "zsm_desk" or len(parts) < 2:
        return None
    top = parts[1]
    if top == "domain":
        return "domain"
    if top == "services":
        return f"services.{parts[2]}" if len(parts) > 2 else None
    if top in ("desk", "desk_types"):
        return "desk"
    if top == "ui":
        return "ui"
    if top.startswith("cli"):
        return "cli"
    return None  # __main__, migrations, resources


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> Iterator[str]:
    """Every module `path` imports, at any depth, except under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = (
        module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    )

    def visit(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                yield from visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            for alias in node.names:  # `from pkg import module`
                yield f"{base}.{alias.name}"
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    yield from visit(tree)


def source_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def package_graph() -> dict[str, set[str]]:
    modules = {module_name(p) for p in source_files()}
    graph: dict[str, set[str]] = {}
    for path in source_files():
        src = package_of(module_name(path))
        if src is None:
            continue
        graph.setdefault(src, set())
        for name in imports_of(path):
            if name not in modules:
                continue
            dst = package_of(name)
            if dst is not None and dst != src:
                graph[src].add(dst)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def dfs(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return [*stack[stack.index(m) :], m]
            if m not in state and (found := dfs(m)) is not None:
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := dfs(n)) is not None:
            return found
    return None


def test_the_package_graph_has_no_circle() -> None:
    graph = package_graph()
    assert {"domain", "desk", "ui", "cli", "services.mail", "services.adviesvragen"} <= set(graph)
    cycle = find_cycle(graph)
    assert cycle is None, " -> ".join(cycle or [])


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_arrows_point_inward() -> None:
    graph = package_graph()
    assert graph["domain"] == set(), "domain imports nothing of ours outside domain"
    for pkg, deps in graph.items():
        if pkg.startswith("services."):
            assert not deps & {"desk", "ui", "cli"}, pkg
    assert "ui" not in graph["desk"] and "cli" not in graph["desk"]
    assert "ui" not in graph["cli"] or True  # `zsm-desk` without arguments opens the window


@pytest.mark.parametrize(
    "path",
    [p for p in source_files() if package_of(module_name(p)) in ("ui", "cli")],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_window_and_command_line_hold_no_database(path: Path) -> None:
    names = set(imports_of(path))
    assert not {n for n in names if n == "sqlalchemy" or n.startswith("sqlalchemy.")}
    text = path.read_text(encoding="utf-8")
    assert ".session(" not in text and "Session" not in text


def test_no_import_by_string() -> None:
    for path in source_files():
        names = set(imports_of(path))
        assert "importlib" not in names, path
        assert "__import__(" not in path.read_text(encoding="utf-8"), path
