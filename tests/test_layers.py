"""The package's layers: every import in src/ (module level and inside functions) points down.

The layers, in the order data flows (each may import only from itself and the layers before
it): errors → _util → data → io → datasets → models → stats → workflow → present → cli →
the package's ``__init__`` (the public API). A module may import from its own layer, but the
graph of imports between modules has no cycle. ``__init__.py`` files only re-export.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bilateral_trade

PACKAGE = Path(bilateral_trade.__file__).parent
LAYERS = (
    "errors",
    "_util",
    "data",
    "io",
    "datasets",
    "models",
    "stats",
    "workflow",
    "present",
    "cli",
    "__init__",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    parts = package.split(".")
    base = parts[: len(parts) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _imports(module: str, path: Path) -> set[str]:
    """The package's modules that ``module`` imports, anywhere in its body."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, path, node)
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            name = node.args[0].value
            if name.startswith("."):
                package = module if path.name == "__init__.py" else module.rpartition(".")[0]
                name = package + name
            targets = [name]
        for target in targets:
            # A module's own packages are imported before it whatever it says; an import of
            # a sibling through its package (``from .. import datasets``) counts as the sibling.
            if target in MODULES and target != module and not module.startswith(target + "."):
                found.add(target)
    return found


GRAPH = {module: _imports(module, path) for module, path in MODULES.items()}


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return LAYERS.index("__init__")
    return LAYERS.index(parts[1])


def test_every_module_is_in_a_layer() -> None:
    for module in MODULES:
        parts = module.split(".")
        assert len(parts) == 1 or parts[1] in LAYERS, f"{module} is in no layer"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    upward = sorted(t for t in GRAPH[module] if _layer(t) > _layer(module))
    assert not upward, f"{module} imports from a later layer: {upward}"


def test_no_import_cycle() -> None:
    # Depth-first search for a cycle among the package's modules. A package's __init__
    # importing its own submodules is an edge like any other, but a submodule that imports
    # its own package (parent __init__) is reported too.
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state:
            cycle = visit(module)
            assert cycle is None, "import cycle: " + " → ".join(cycle)


@pytest.mark.parametrize("module", sorted(m for m, p in MODULES.items() if p.name == "__init__.py"))
def test_init_files_only_re_export(module: str) -> None:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    allowed = (ast.Import, ast.ImportFrom, ast.Expr, ast.Try, ast.If)
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            names = [t.id for t in getattr(node, "targets", [getattr(node, "target", None)])]
            assert set(names) <= {"__all__", "__version__"}, f"{module}: assigns {names}"
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            continue  # lazy re-export (bt.plot loads matplotlib on first use)
        assert isinstance(node, allowed), f"{module}: {type(node).__name__} at line {node.lineno}"


def test_no_exported_name_is_a_submodule_name() -> None:
    import importlib

    for module, path in MODULES.items():
        if path.name != "__init__.py":
            continue
        mod = importlib.import_module(module)
        for name in getattr(mod, "__all__", []):
            sub = f"{module}.{name}"
            value = getattr(mod, name)
            if sub in MODULES:
                assert getattr(value, "__name__", None) == sub, (
                    f"{module}.{name} is exported as {type(value).__name__} but is also a submodule"
                )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("breaks", "bilateral_trade.stats.breaks"),
        ("screening", "bilateral_trade.stats.screening"),
        ("cases", "bilateral_trade.workflow.cases"),
        ("window", "bilateral_trade.workflow.window"),
        ("impact", "bilateral_trade.stats.impact"),
        ("series", "bilateral_trade.data.series"),
    ],
)
def test_old_module_paths_still_import(old: str, new: str) -> None:
    import importlib

    assert importlib.import_module(f"bilateral_trade.{old}") is importlib.import_module(new)
    # the functions that share a name with their old module stay functions
    assert callable(bilateral_trade.gravity) and callable(bilateral_trade.recovery)
