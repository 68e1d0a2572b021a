"""The shape of the code: layers import one way, no import cycle (also through imports inside
functions), only the optimizer imports pulp and highspy, only the CLI imports click, no module
grows past the size a newcomer reads in one sitting."""

from __future__ import annotations

import ast
import functools
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Repository folders and the import package each installs as, from pyproject.toml (the one map).
_PACKAGE_DIR = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
PACKAGES = {folder: package for package, folder in _PACKAGE_DIR.items() if package != "mealplan.examples"}
# Lower layers never import higher ones. The shared core (errors, file I/O, number text, status words)
# is below all; the plan's schema (mealplan.plan) sits above the targets it records and below every
# stage that makes, checks or shows a plan. The planner and the verifier share a layer and never
# import each other (test_verifier_never_imports_the_planner).
LAYERS = [
    ("mealplan.errors", 0),
    ("mealplan.fileio", 0),
    ("mealplan.numbers", 0),
    ("mealplan.textsafe", 0),
    ("mealplan.status", 0),
    ("mealplan.food_data", 1),
    ("mealplan.triage", 2),
    ("mealplan.targets", 3),
    ("mealplan.plan", 4),
    ("mealplan.plan_files", 4),
    ("mealplan.household_plan", 4),
    ("mealplan.optimizer", 5),
    ("mealplan.verify", 5),
    ("mealplan.report", 6),
    ("mealplan.batch", 6),
    ("mealplan.workbench", 6),
    ("mealplan.web", 7),
    ("mealplan.cli", 8),
    ("mealplan", 9),  # the front door (mealplan/__init__.py, __main__.py) sits on top
]
MAX_LINES = 600  # no module over 600 lines
MAX_FUNCTION_LINES = 120  # no function over 120 lines in library code


def _modules() -> dict[str, Path]:
    out = {}
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            out[".".join([package, *parts])] = path
    return out


MODULES = _modules()


def _layer(module: str) -> int:
    for prefix, level in sorted(LAYERS, key=lambda pl: -len(pl[0])):
        if module == prefix or module.startswith(prefix + "."):
            return level
    raise AssertionError(f"{module}: no layer")


@functools.cache
def _imports(path: Path) -> tuple[tuple[str, bool], ...]:
    """Every import in a file: (module, type-checking only); each file is parsed once per run."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from mealplan import batch" imports the submodule; "from x import name" the module x.
            names = {
                f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module for a in node.names
            }
            out += [(n, id(node) in typing_only) for n in sorted(names)]
        elif isinstance(node, ast.Import):
            out += [(a.name, id(node) in typing_only) for a in node.names]
    return tuple(out)


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for name, typing_only in _imports(path):
            if name in MODULES and name != module and not typing_only:
                graph[module].add(name)
    return graph


def test_layers_import_one_way():
    upward = [
        f"{a} -> {b}"
        for a, targets in _graph().items()
        for b in targets
        if _layer(b) > _layer(a) and not (a == "mealplan" or a.startswith("mealplan.__main__"))
    ]
    assert not upward


def test_no_import_cycle():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert not cycles


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("pulp", ("mealplan.optimizer",)),
        ("highspy", ("mealplan.optimizer",)),
        ("click", ("mealplan.cli",)),
        ("starlette", ("mealplan.web",)),
        ("uvicorn", ("mealplan.cli.cmd_serve",)),
        ("sqlite3", ("mealplan.workbench.store",)),
        ("dask", ("mealplan.batch.executors",)),
        ("distributed", ("mealplan.batch.executors",)),
        ("jinja2", ("mealplan.report", "mealplan.web")),
    ],
)
def test_only_one_package_imports(library, allowed):
    users = [
        module
        for module, path in MODULES.items()
        if any(n == library or n.startswith(library + ".") for n, _ in _imports(path))
        and not module.startswith(allowed)
    ]
    assert not users


def test_verifier_never_imports_the_planner():
    """The verifier recomputes a plan on its own: an import of the planner (also inside a function or
    under TYPE_CHECKING) would let it share the planner's mistakes."""
    wrong = [
        f"{module} -> {name}"
        for module, path in MODULES.items()
        if module.startswith("mealplan.verify")
        for name, _ in _imports(path)
        if name.startswith("mealplan.optimizer")
    ]
    assert not wrong


def _long_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_function_is_too_long_to_read():
    long = {m: f for m, p in MODULES.items() if (f := _long_functions(p))}
    assert not long


def test_no_module_is_too_long_to_read():
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long


def test_every_subpackage_is_the_top_level_folder_of_its_name():
    """``mealplan.report`` lives in ``report/``: every subpackage is a top-level folder named as the last
    part of its import name, and ``mealplan/`` holds only modules (the front door and the shared core)."""
    wrong = {pkg: folder for pkg, folder in _PACKAGE_DIR.items() if pkg != "mealplan" and folder != pkg.split(".")[-1]}
    assert not wrong
    assert not [p.name for p in (ROOT / "mealplan").iterdir() if p.is_dir() and p.name != "__pycache__"]
