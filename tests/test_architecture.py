"""The package's architecture, checked: the import contract, no module cycles, no private names across modules,
imports inside functions only where they earn it, and a command line that starts without the scientific stack.

The layers (bottom to top) and the contract are in ``pyproject.toml`` (``[tool.importlinter]``) and explained in
``docs/explanation/architecture.md``. Every check here counts imports inside functions, not only module-level ones.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "gametheory_ukraine"

#: the notebook display hooks: Jupyter calls them on the object it shows, and they may import output.display
HOOKS = {"_repr_html_", "_repr_latex_"}
HOOK_TARGET = "gametheory_ukraine.output.display"
#: what an import inside a function may bring in, anywhere: optional dependencies (dask, pygambit), heavy ones
#: that only some paths need (matplotlib for figures, SALib for Sobol indices, scipy.stats for quasi-random designs,
#: tqdm for progress bars, nashpy for the optional Lemke-Howson method: it loads scipy.optimize and networkx), and
#: a POSIX-only part of the standard library (ctypes for prctl)
DEFERRABLE = ("dask", "distributed", "pygambit", "matplotlib", "SALib", "scipy.stats", "tqdm", "nashpy", "ctypes")
#: modules that ``gtu --help`` must not import (the command line loads the library only to run a command)
HEAVY = ("numpy", "sympy", "pandas", "scipy", "matplotlib", "pyarrow", "yaml")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (a package module, or an external dotted name)
    names: tuple[str, ...]  # the names imported from it ("from target import names"), empty for "import target"
    line: int
    function: str | None  # the enclosing function, None at module level


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports() -> list[Import]:
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        enclosing: dict[int, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    enclosing.setdefault(id(inner), node.name)  # ast.walk is breadth-first: outermost wins
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    base = base[: len(base) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:  # "from package import module" imports the module
                    sub = f"{source}.{alias.name}"
                    target, names = (sub, ()) if sub in MODULES else (source, (alias.name,))
                    found.append(Import(module, target, names, node.lineno, enclosing.get(id(node))))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(module, alias.name, (), node.lineno, enclosing.get(id(node))))
    return found


IMPORTS = _imports()


def _is_hook(imp: Import) -> bool:
    return imp.function in HOOKS and imp.target == HOOK_TARGET


def _internal(target: str) -> str | None:
    """The package module *target* names (a module, or the package a name is imported from), else None."""
    return target if target in MODULES else None


# ------------------------------------------------------------------------------------------ the contract
def _lint_imports(cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lint-imports")
    assert exe.exists(), f"import-linter is not installed next to {sys.executable} (it is in the test extra)"
    return subprocess.run([str(exe), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_import_contract_holds():
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "Contracts: 3 kept, 0 broken." in proc.stdout, proc.stdout[-3000:]


def test_import_contract_catches_a_forbidden_import_inside_a_function(tmp_path):
    # a copy of the package whose games layer imports the command line inside a function must break the contract
    copy = tmp_path / "src"
    shutil.copytree(PACKAGE, copy / "gametheory_ukraine", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    values = copy / "gametheory_ukraine" / "games" / "values.py"
    values.write_text(values.read_text(encoding="utf-8")
                      + "\n\ndef _smuggled():\n    from ..cli import main\n\n    return main\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(copy))
    proc = _lint_imports(copy, env)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert "gametheory_ukraine.games.values -> gametheory_ukraine.cli" in proc.stdout, proc.stdout[-3000:]
    assert "broken" in proc.stdout


# ------------------------------------------------------------------------------------------ cycles
def test_no_import_cycle_among_the_modules():
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in IMPORTS:
        target = _internal(imp.target)
        if target and target != imp.module and not _is_hook(imp):
            edges[imp.module].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
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
                cycles.append(sorted(component))

    for v in sorted(MODULES):
        if v not in index:
            visit(v)
    assert cycles == [], "modules that import each other (directly or in a circle):\n" + "\n".join(map(str, cycles))


def test_the_cycle_check_sees_imports_inside_functions():
    # the scan must report function-level imports, or the checks above would miss the imports that hid the circle
    hooks = [imp for imp in IMPORTS if _is_hook(imp)]
    assert hooks and all(imp.function in HOOKS for imp in hooks)


# ------------------------------------------------------------------------------------------ private names
def test_no_private_name_is_imported_or_used_across_modules():
    found = [f"{imp.module}:{imp.line} imports {imp.target}.{name}"
             for imp in IMPORTS if _internal(imp.target) and imp.target != imp.module
             for name in imp.names if name.startswith("_") and not name.startswith("__")]
    for module, path in MODULES.items():
        aliases = {}  # local name -> package module, for "from package import module [as alias]"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for imp in IMPORTS:
            if imp.module == module and not imp.names and _internal(imp.target) and imp.target != module:
                aliases[imp.target.rsplit(".", 1)[-1]] = imp.target
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{module}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert found == [], "\n".join(found)


# ------------------------------------------------------------------------------------------ deferred imports
def _earns_deferral(imp: Import) -> bool:
    if _is_hook(imp):
        return True
    if any(imp.target == d or imp.target.startswith(d + ".") for d in DEFERRABLE):
        return True
    # the command line loads the library only when a command runs, so that `gtu --help` starts at once
    return imp.module.startswith("gametheory_ukraine.cli.") and imp.function == "run"


def test_imports_inside_functions_only_where_they_earn_it():
    wrong = [f"{imp.module}:{imp.line} in {imp.function}(): {imp.target} {','.join(imp.names)}".rstrip()
             for imp in IMPORTS if imp.function is not None and not _earns_deferral(imp)]
    assert wrong == [], "imports inside functions that belong at the top of the module:\n" + "\n".join(wrong)


def test_gtu_help_loads_none_of_the_scientific_stack():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "gametheory_ukraine", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "usage: gtu" in proc.stdout, proc.stderr[-2000:]
    loaded = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert "gametheory_ukraine.cli" in loaded
    assert sorted(m for m in HEAVY if m in loaded) == []


@pytest.mark.parametrize("layer", ["core", "games", "solvers", "modelling", "io", "batched", "analysis", "output"])
def test_library_layers_never_print_or_exit(layer):
    # only the command line parses arguments, prints or exits
    wrong = []
    for module, path in MODULES.items():
        if not module.startswith(f"gametheory_ukraine.{layer}"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = ast.unparse(node.func)
                if name in {"print", "sys.exit", "exit", "quit"} or name.startswith("argparse."):
                    wrong.append(f"{module}:{node.lineno} calls {name}")
            if isinstance(node, ast.Raise) and node.exc is not None and "SystemExit" in ast.unparse(node.exc):
                wrong.append(f"{module}:{node.lineno} raises SystemExit")
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) else [])
                if "argparse" in names:
                    wrong.append(f"{module}:{node.lineno} imports argparse")
    assert wrong == [], "\n".join(wrong)
