"""One-way layers (issue 7): no import cycle; the runtime imports the standard library only.

Read from the source with `ast` (nothing is imported), over the packages
`calculator` (runtime, shipped to the browser), `compiler`, `portal` and
`sitebuild` (build time) when present:

- the module-level import graph has no cycle (imports inside functions run
  later and are left out; imports in `if`/`try`/class bodies at module level
  count);
- every import anywhere in `calculator/` (functions included) is the standard
  library or `calculator` itself: never `compiler`, `portal`, `yaml`,
  `jsonschema` or any other installed package;
- importing `calculator` and loading a bundle leaves yaml, jsonschema,
  chinese_calendar and the build-time packages unimported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    name
    for name in ("calculator", "vocabulary", "compiler", "portal", "sitebuild")
    if (ROOT / name / "__init__.py").exists()
]
# vocabulary/ reaches the runtime only through the bundle (labels, fields, words): never imported by it.
BUILD_TIME = ("vocabulary", "compiler", "portal", "sitebuild", "yaml", "jsonschema", "chinese_calendar", "jinja2")
BUILD_TIME += ("mkdocs",)


def modules(root: Path, packages: list[str]) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the packages."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_package(name: str, known: dict[str, Path]) -> bool:
    return known[name].name == "__init__.py"


def _resolve(node: ast.Import | ast.ImportFrom, importer: str, known: dict[str, Path]) -> list[str]:
    """The module names an import statement loads (absolute, possibly outside `known`)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base_parts = importer.split(".")
        if not _is_package(importer, known):
            base_parts.pop()
        base_parts = base_parts[: len(base_parts) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    names = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
    return names or [base]  # `from pkg import name`: a submodule, or an attribute of pkg


def _with_parents(name: str, importer: str) -> list[str]:
    """Importing a.b.c runs a and a.b first, except the packages the importer already sits in."""
    parts = name.split(".")
    chain = [".".join(parts[: i + 1]) for i in range(len(parts))]
    return [m for m in chain if not (importer == m or importer.startswith(m + "."))]


def _import_nodes(tree: ast.AST, module_level_only: bool):
    """Import statements; with module_level_only, those that run when the module is imported."""
    stack = list(ast.iter_child_nodes(tree))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        if module_level_only and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        if module_level_only and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def imports(root: Path, packages: list[str], module_level_only: bool = True) -> dict[str, set[str]]:
    """Module -> the modules it imports (all names, known or not)."""
    known = modules(root, packages)
    graph = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = set()
        for node in _import_nodes(tree, module_level_only):
            for target in _resolve(node, name, known):
                targets.update(_with_parents(target, name))
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the graph's own modules, as a path a -> ... -> a, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if target not in graph:
                continue
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def runtime_violations(root: Path) -> list[str]:
    """Imports in calculator/ (anywhere in a file) that are neither the standard library nor calculator."""
    bad = []
    for module, targets in imports(root, ["calculator"], module_level_only=False).items():
        for target in sorted(targets):
            top = target.split(".")[0]
            if top != "calculator" and top not in sys.stdlib_module_names:
                bad.append(f"{module} imports {target}")
    return bad


# ---------------------------------------------------------------- the real tree


def test_packages_found():
    assert "calculator" in PACKAGES and "compiler" in PACKAGES
    graph = imports(ROOT, PACKAGES)
    assert "calculator.engine" in graph and "calculator.data" in graph["calculator.engine"]


def test_no_import_cycle():
    cycle = find_cycle(imports(ROOT, PACKAGES))
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_runtime_imports_only_the_standard_library():
    assert runtime_violations(ROOT) == []


def test_runtime_never_imports_build_time_code():
    graph = imports(ROOT, ["calculator"], module_level_only=False)
    bad = [f"{m} imports {t}" for m, targets in graph.items() for t in targets if t.split(".")[0] in BUILD_TIME]
    assert bad == []


def test_browser_import_does_not_need_compile():
    """What the worker does (import, load a bundle, call the api) pulls in no build-time module."""
    code = (
        "import os, sys, calculator, calculator.api; "
        "calculator.load_bundle(open(os.environ['YIBAO_BUNDLE'], encoding='utf-8').read()); "
        f"bad = [m for m in {BUILD_TIME!r} if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# ---------------------------------------------------------------- the checks themselves can fail


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "files,cycle",
    [
        (  # the cycle issue 7 found: data -> compile -> engine -> data
            {
                "calculator/__init__.py": "",
                "calculator/data.py": "from .compile import compile_policies\n",
                "calculator/compile.py": "from calculator.engine import estimate\n",
                "calculator/engine.py": "from . import data\n",
            },
            ["calculator.compile", "calculator.engine", "calculator.data", "calculator.compile"],
        ),
        (  # across packages, through a package __init__
            {
                "calculator/__init__.py": "from .data import load\n",
                "calculator/data.py": "import compiler.policies\n",
                "compiler/__init__.py": "",
                "compiler/policies.py": "from calculator.labels import X\n",
                "calculator/labels.py": "X = 1\n",
            },
            ["calculator", "calculator.data", "compiler.policies", "calculator"],
        ),
        (  # imports inside functions or under TYPE_CHECKING run later: no cycle
            {
                "calculator/__init__.py": "def f():\n    from .engine import g\n",
                "calculator/engine.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import calculator\n",
                "compiler/__init__.py": "try:\n    import calculator.engine\nexcept ImportError:\n    pass\n",
            },
            None,
        ),
    ],
)
def test_cycle_detector(tmp_path, files, cycle):
    root = _tree(tmp_path, files)
    assert find_cycle(imports(root, ["calculator", "compiler"])) == cycle


def test_runtime_check_catches_third_party_and_build_time(tmp_path):
    root = _tree(
        tmp_path,
        {
            "calculator/__init__.py": "import json\nfrom . import engine\n",
            "calculator/engine.py": "import decimal\n\ndef f():\n    import yaml\n",
            "calculator/remote.py": "from compiler.policies import load\nimport os.path\n",
        },
    )
    assert runtime_violations(root) == [
        "calculator.engine imports yaml",
        "calculator.remote imports compiler",
        "calculator.remote imports compiler.policies",
    ]
