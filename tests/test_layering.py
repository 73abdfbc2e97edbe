"""Layering of `gongkai/`: no import cycle between modules, no private name crossing modules.

Every module is parsed with `ast`; every import counts, also one inside a function (a deferred
import hides a cycle from Python, not from the design). Relative imports are resolved against
the importing module's package.

Edges: `from a.b import c` is an edge to `a.b.c` if that is a module, else to `a.b`; `import a.b`
is an edge to `a.b`. Importing a module first runs its package's `__init__`, but that is not
counted as an edge: a package's `__init__` may re-export its own submodules (package → submodule
is an edge), and a submodule importing a sibling through the package would then look like a cycle
with every re-export; only the module actually named is an edge. A cycle is any strongly
connected set of two or more modules, or a module importing itself.

Private names: `from m import _x` where `m` is another module (of gongkai) fails, and so does
`m._x` attribute use on an imported module, unless `_x` is a dunder.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gongkai"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, tuple[Path, ast.Module]]:
    return {module_name(p): (p, ast.parse(p.read_text(encoding="utf-8"), str(p))) for p in sorted(PACKAGE.rglob("*.py"))}


def resolve(importer: str, is_package: bool, level: int, target: str | None) -> str:
    if level == 0:
        return target or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([target] if target else [])])


def imports(mods: dict[str, tuple[Path, ast.Module]]) -> tuple[dict[str, set[str]], list[str]]:
    """The module graph (gongkai modules only) and the private names that cross modules."""
    graph: dict[str, set[str]] = {name: set() for name in mods}
    private: list[str] = []
    for name, (path, tree) in mods.items():
        is_package = path.name == "__init__.py"
        aliases: dict[str, str] = {}  # local name -> gongkai module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in mods:
                        graph[name].add(alias.name)
                        aliases[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.ImportFrom):
                source = resolve(name, is_package, node.level, node.module)
                if source not in mods:
                    continue
                for alias in node.names:
                    sub = f"{source}.{alias.name}"
                    if sub in mods:
                        graph[name].add(sub)
                        aliases[alias.asname or alias.name] = sub
                    else:
                        graph[name].add(source)
                        if alias.name.startswith("_") and not alias.name.startswith("__") and source != name:
                            private.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {alias.name} from {source}")
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__") and aliases[node.value.id] != name):
                private.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value.id}.{node.attr}")
    return graph, private


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of two or more modules, or a module importing itself (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_checker_sees_a_cycle_and_a_private_import() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert resolve("gongkai.render.views", False, 2, "cache") == "gongkai.cache"
    assert resolve("gongkai.render", True, 1, "env") == "gongkai.render.env"


def test_no_import_cycles_between_modules() -> None:
    graph, _ = imports(modules())
    assert cycles(graph) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    _, private = imports(modules())
    assert private == []
