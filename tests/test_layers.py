"""The modules depend on each other downwards only: no circle, and each floor imports only
from the floors below it (every import counts, also one inside a function or for types)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import readchallenge

PACKAGE = Path(readchallenge.__file__).parent

# What each part of readchallenge/ may import besides itself and `readchallenge` (its
# version). The commands' floor reaches the store, the sources and sync through the services.
TOP = {"boundary", "cli", "cli_table", "command_table", "commands", "completion", "dispatch",
       "docgen", "fastpath", "helptext", "params", "__main__"}  # fmt: skip
BASE = {"core", "errors"}
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "errors": set(),
    "results": {"core"},
    "config": BASE,
    "interrupts": set(),
    "files": BASE,
    "output": BASE,
    "store": BASE | {"config"},
    "sources": BASE | {"config", "interrupts"},
    "sync": BASE | {"store", "sources"},
    "render": BASE | {"results", "output"},
    "services": BASE
    | {"config", "files", "interrupts", "output", "render", "results", "sources", "store", "sync"},
    **{top: TOP | BASE | {"config", "files", "output", "render", "results", "services"}
       for top in TOP},
}  # fmt: skip


def modules(package: Path) -> dict[str, Path]:
    """Every module of a package by its dotted name."""
    found = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The modules of the package that `name` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in known:
                    yield sub
                elif base in known:
                    yield base


def graph(package: Path) -> dict[str, set[str]]:
    known = modules(package)
    return {name: set(imports(name, path, known)) - {name} for name, path in known.items()}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, round and round (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_round_a_circle():
    assert circles(graph(PACKAGE)) == []


def test_a_circle_is_found(tmp_path: Path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("def f():\n    from pkg.sub import b\n")
    (package / "sub" / "b.py").write_text("from .. import c\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                  "    import pkg.a\n")  # fmt: skip
    assert circles(graph(package)) == [["pkg.a", "pkg.c", "pkg.sub.b"]]


def _part(name: str) -> str:
    return name.split(".")[1] if "." in name else ""


def test_every_import_points_down():
    wrong = []
    for name, targets in sorted(graph(PACKAGE).items()):
        part = _part(name)
        for target in sorted(targets):
            if _part(target) not in {part, "", *ALLOWED[part]}:
                wrong.append(f"{name} -> {target}")
    assert wrong == []
