"""Runs inside Pyodide (tools/in_pyodide.mjs, at build time): which standard-library
modules does the estimator need, and an archive with only those.

Needed = what Pyodide's own boot imported (sys.modules on entry) + the packages
Pyodide's runtime may import later (pyodide, _pyodide) + everything imported while
the calculator loads its bundle and answers a sweep of requests over the whole
catalogue (every policy, care, facility, out-of-region reason and kind, bad
input of every sort) + every module the calculator's source names in an import
statement. The archive holds their source without docstrings and comments (smaller
on the wire than .pyc), stored uncompressed so that brotli on the wire does better
and zipimport has nothing to inflate.
"""

import ast
import importlib
import json
import sys
import zipfile

WHOLE_PACKAGES = ("pyodide", "_pyodide")
# Codecs a str/bytes conversion may look up by name at run time.
CODECS = ("encodings.utf_8", "encodings.utf_8_sig", "encodings.ascii", "encodings.latin_1", "encodings.aliases")


def source_imports(wheel: str) -> set[str]:
    names = set()
    with zipfile.ZipFile(wheel) as whl:
        for name in whl.namelist():
            if name.startswith("calculator/") and name.endswith(".py"):
                for node in ast.walk(ast.parse(whl.read(name))):
                    if isinstance(node, ast.Import):
                        names.update(alias.name for alias in node.names)
                    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                        names.add(node.module)
    return {n for n in names if n.split(".")[0] != "calculator"}


def ids(value) -> list:
    """Ids from a list of {"id": ...}, a list of ids or a mapping id -> label (catalogue shapes)."""
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return [v.get("id") if isinstance(v, dict) else v for v in value]
    return []


def sweep(api, catalog: dict) -> int:
    """Every choice the catalogue offers, through call_json, plus hostile input."""
    calls = 0
    amounts = [{"total": "20000", "class_b": "2000", "self_pay": "1000"}, {"total": "２０,０００.５"}, {"total": "-1"}]
    labels = catalog.get("labels", {}) if isinstance(catalog, dict) else {}
    reasons = ids(labels.get("remote_reasons")) + ["emergency"]
    kinds = ids(labels.get("remote_kinds")) + [None]
    policies = catalog.get("policies", []) if isinstance(catalog, dict) else []
    for policy in policies if isinstance(policies, list) else []:
        pid = policy.get("id") if isinstance(policy, dict) else policy
        cares = policy.get("care", []) if isinstance(policy, dict) else []
        for care in cares if isinstance(cares, list) else []:
            facilities = (care.get("facilities") if isinstance(care, dict) else None) or [None]
            flags = ids(care.get("member_flags")) if isinstance(care, dict) else []
            for facility in facilities:
                for costs in amounts:
                    request = {"policy": pid, "care": ids([care])[0], "facility": facility, "costs": costs}
                    request["member"] = dict.fromkeys(flags, True)
                    api.call_json("estimate", json.dumps(request))
                    calls += 1
                visits = [{"date": day, "care": ids([care])[0], "facility": facility, "costs": amounts[0]}
                          for day in ("2026-03-01", "2026-03-01", "2027-01-02")]  # fmt: skip
                api.call_json("year", json.dumps({"policy": pid, "visits": visits}))
                calls += 1
        for reason in reasons:
            for kind in kinds:
                for visit in ("2026-09-30", "9999-12-31", "2026-02-30"):
                    request = {"policy": pid, "reason": reason, "kind": kind, "visit_date": visit}
                    api.call_json("remote", json.dumps(request))
                    calls += 1
    hostile = ["{bad", '{"a": 1, "a": 2}', '"\\ud800"', "[" * 5000, '{"policy": 1e999999}', "9" * 5000, "null"]
    for op in ("estimate", "remote", "year", "policies", "batch", "nope"):
        for text in hostile:
            api.call_json(op, text)
            calls += 1
    api.call_json("batch", json.dumps([{"op": "estimate", "request": {}}, {"op": "remote", "request": {}}]))
    return calls + 1


def needed(wheel: str, bundle: str) -> tuple[set[str], int]:
    boot = set(sys.modules)
    sys.path.insert(0, wheel)
    import calculator
    import calculator.api as api

    calculator.load_bundle(open(bundle, encoding="utf-8").read())
    for name in sorted(source_imports(wheel)):
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    catalog = json.loads(api.call_json("policies", "null")).get("result", {})
    calls = sweep(api, catalog)
    return boot | set(sys.modules) | set(CODECS), calls


def strip(source: bytes, name: str) -> bytes:
    """The module without docstrings and comments (ast.unparse of the same Python version)."""
    tree = ast.parse(source, name)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                if isinstance(body[0].value.value, str):
                    node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree).encode("utf-8")


def main(wheel: str, bundle: str, full: str, out: str) -> str:
    modules, calls = needed(wheel, bundle)
    kept = 0
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name in sorted(src.namelist()):
            if not name.endswith(".py"):
                continue
            module = name[:-3].replace("/", ".").removesuffix(".__init__")
            if module not in modules and module.split(".")[0] not in WHOLE_PACKAGES:
                continue
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            dst.writestr(info, strip(src.read(name), name))
            kept += 1
    return json.dumps({"modules": kept, "requests": calls})
