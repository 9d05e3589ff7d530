"""What the browser's worker runs: Pyodide (self-hosted from node_modules), the calculator
compiled to bytecode by Pyodide's own interpreter, and a standard library trimmed to what the
estimator imports; and the size of that first download."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import CACHE_DIR, ROOT
from .compression import COMPRESSIBLE, compressed, quality
from .environment import run

NODE_PYODIDE = ROOT / "node_modules" / "pyodide"
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# Those the site serves as node_modules has them: the standard library is replaced by the trimmed
# one and the lock file is rewritten, so compressing their originals ahead would be wasted.
PYODIDE_AS_IS = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"]
PACKAGE = "py/calculator.zip"  # the calculator as bytecode for Pyodide (tools/compile_package.py)
INDEX = "data/index.json"  # the policy data's index (sitebuild.bundles); one file per region beside it
# What a first visit downloads before the first estimate (the worker fetches all but the modules;
# the page fetches the index and the chosen region's file for its form and hands them to the worker:
# the default policy's region stands for any region).
ENGINE_FETCHED = [
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide-lock.json",
    INDEX,
    PACKAGE,
]
ENGINE_MODULES = ["pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "js/calculator-worker.js"]
# The wheel's file dates (1980-01-01): the wheel, and so the bytecode zip, is byte-stable.
WHEEL_EPOCH = "315532800"


def pyodide_as_is() -> dict[str, Path]:
    """The Pyodide files the site serves as node_modules has them, by their place in the site."""
    return {f"pyodide/{name}": NODE_PYODIDE / name for name in PYODIDE_AS_IS}


def copy_pyodide(site: Path) -> None:
    """Pyodide, self-hosted: only the files a browser fetches; the lock file without the
    package list (the estimator loads no Pyodide package: 119 KB nobody reads); the QR code module."""
    pyodide = site / "pyodide"
    pyodide.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(NODE_PYODIDE / name, pyodide / name)
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    (pyodide / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": {}}), encoding="utf-8")
    vendor = site / "js" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs", vendor / "qrcode.mjs")


def build_wheel(out: Path) -> Path:
    """The calculator as a pure-Python wheel from a standard build (pyodide build would need
    a cross-build environment), in `out`."""
    run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        cwd=out,  # from ROOT, `-m build` would find build.py instead of the package
        env={**os.environ, "SOURCE_DATE_EPOCH": WHEEL_EPOCH},
        stdout=subprocess.DEVNULL,
    )
    return next(out.glob("calculator-*.whl"))


def in_pyodide(program: str, inputs: list[Path], target: Path) -> str:
    """Run tools/<program>.py's main(*inputs, out) in Pyodide under Node (tools/in_pyodide.mjs),
    writing `target`; the result is cached by the hash of everything it reads. Returns its report."""
    runner, script = ROOT / "tools" / "in_pyodide.mjs", ROOT / "tools" / f"{program}.py"
    key = hashlib.sha256()
    for path in [NODE_PYODIDE / "pyodide.asm.wasm", runner, script, *inputs]:
        key.update(hashlib.sha256(path.read_bytes()).digest())
    cached = CACHE_DIR / program / f"{key.hexdigest()}{target.suffix}"
    report = "cached"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cmd = ["node", str(runner), str(NODE_PYODIDE), str(script), f"{cached}.tmp", *map(str, inputs)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"tools/{program}.py in Pyodide failed:\n{done.stderr[-3000:]}")
        os.replace(f"{cached}.tmp", cached)
        report = done.stdout.strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached, target)
    return report


def compile_python(site: Path, trace_bundle: Path) -> str:
    """The Python the worker runs: the calculator compiled to bytecode by Pyodide's interpreter
    (py/calculator.zip), and in place of Pyodide's standard library (2.5 MB) the modules the
    estimator needs, found by tracing the wheel in Pyodide on `trace_bundle`. Written under `site`
    (the build stages them and copies them into the site). Returns what the trace reports."""
    shutil.rmtree(site / "py", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(Path(tmp))
        in_pyodide("compile_package", [wheel], site / PACKAGE)
        inputs = [wheel, trace_bundle, NODE_PYODIDE / "python_stdlib.zip"]
        return in_pyodide("trim_stdlib", inputs, site / "pyodide" / "python_stdlib.zip")


def snapshot_key(site: Path) -> str:
    """The worker's memory snapshot holds Pyodide, the package and the policy index (regions are
    added after a restore), so it is valid only for these exact files: a hash of them. The index
    names every region file by its content's hash, so it changes with any region."""
    engine = [site / "pyodide" / n for n in PYODIDE_FILES] + [site / PACKAGE, site / INDEX]
    return hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in engine)).hexdigest()[:24]


def download(site: Path) -> tuple[str, dict]:
    """The first download's size (MB, as pages announce it) and, for the worker's progress, each
    file's [bytes decoded, bytes transferred (brotli, as hosts send it), 1 if a JS module]: the
    worker counts fetched files as they stream and modules once Pyodide is loaded, so its total
    is the size the page announces (the worker's own entry is measured before this list is written into it)."""
    files, total = {}, 0
    region = default_region_file(site)
    for rel in [*ENGINE_FETCHED, region, *ENGINE_MODULES]:
        data = (site / rel).read_bytes()
        br, _gz = compressed(data, quality(rel)) if rel.endswith(COMPRESSIBLE) else (data, data)
        sent = min(len(br), len(data))
        total += sent
        files[rel] = [len(data), sent, int(rel in ENGINE_MODULES)]
    return f"{total / 1e6:.1f}", files


def default_region_file(site: Path) -> str:
    """The data file (relative to the site) of the region of the policy the form opens on."""
    index = json.loads((site / INDEX).read_text(encoding="utf-8"))
    default = index["catalog"]["default_policy"]
    region = next(e["region"] for e in index["catalog"]["index"] if e["id"] == default)
    return "data/" + index["region_files"][region]
