"""The package layout holds: imports go one way, and nothing in advisor imports Streamlit.

Order (a package may import only those before it):
errors → model → source → engine → analysis → render → authoring → store → the top
(``advisor/__init__.py``, ``cli.py``, ``__main__.py``) → ``ui``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["errors", "model", "source", "engine", "analysis", "render", "authoring", "store", "top"]


def _layer(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "advisor":
        return "ui" if parts[0] == "ui" else "outside"
    if len(parts) == 1 or parts[1] in ("cli", "__main__"):
        return "top"
    return parts[1] if parts[1] in ORDER else "top"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names
                      if node.module in ("advisor",) and alias.name != "*"]
    return found


ADVISOR_FILES = sorted((ROOT / "advisor").rglob("*.py"))


@pytest.mark.parametrize("path", ADVISOR_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_one_way(path):
    here = _layer(_module_name(path))
    wrong = []
    for line, module in _imports(path):
        if module.split(".")[0] in ("streamlit", "ui"):
            wrong.append(f"line {line}: imports {module} (advisor never imports the UI)")
            continue
        there = _layer(module)
        if there in ORDER and ORDER.index(there) > ORDER.index(here):
            wrong.append(f"line {line}: {here} imports {module} ({there} is above it)")
    assert not wrong, "\n".join(wrong)


def test_every_package_says_what_it_may_import():
    for init in (ROOT / "advisor").glob("*/__init__.py"):
        assert "Imports:" in init.read_text(encoding="utf-8"), init


def test_no_import_cycles():
    graph: dict[str, set[str]] = {}
    names = {_module_name(p) for p in ADVISOR_FILES}
    for path in ADVISOR_FILES:
        graph[_module_name(path)] = {m for _, m in _imports(path) if m in names}
    visiting, done = set(), set()

    def visit(node, trail):
        if node in done:
            return
        assert node not in visiting, "import cycle: " + " → ".join([*trail, node])
        visiting.add(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        visiting.discard(node)
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
