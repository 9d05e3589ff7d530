#!/usr/bin/env python3
"""The one build entry point.

    python3 build.py serve    set up, build the portal + calculator, serve on localhost
    python3 build.py test     set up, build, run every test (CI runs exactly this)
    python3 build.py build    validate policies, render pages, build the site into site/
    python3 build.py bench    print the benchmarks (engine, portal, browser)
    python3 build.py clean    remove generated pages, the built site and caches

On a fresh machine the first run creates .venv, installs the pinned Python and
npm dependencies and (for tests) Debian's Chromium, then re-executes itself
inside .venv. Only the standard library is imported before that.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
SITE = ROOT / "site"
POLICIES = ROOT / "policies"
CHROMIUM = Path("/usr/bin/chromium")


# --------------------------------------------------------------------------
# Set-up: a private venv with the pinned dependencies, npm packages, Chromium
# --------------------------------------------------------------------------


def _run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=kw.pop("cwd", ROOT), **kw)


def ensure_venv() -> None:
    """Create .venv with the dev dependencies and re-exec inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not VENV_PY.exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".deps-stamp"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        _run([str(VENV_PY), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        _run([str(VENV_PY), "-m", "pip", "install", "--quiet", "-e", ".[dev]"])
        stamp.write_text(digest)
    os.execv(str(VENV_PY), [str(VENV_PY), str(ROOT / "build.py"), *sys.argv[1:]])


def ensure_npm() -> None:
    """Install the pinned npm packages (Pyodide) from package-lock.json."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".lock-stamp"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    _run(["npm", "ci", "--no-audit", "--no-fund"])
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """Debian's Chromium for the browser tests (Playwright cannot download one here)."""
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0:
        sys.exit(f"{CHROMIUM} is missing; install it with: sudo apt-get install -y chromium")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(["apt-get", "update"], env=env)
    _run(["apt-get", "install", "-y", "--no-install-recommends", "chromium"], env=env)


# --------------------------------------------------------------------------
# Build steps
# --------------------------------------------------------------------------


def build_policies() -> dict:
    """Validate every policy file and return the bundle (the browser's JSON)."""
    from compiler import compile_policies
    from calculator.errors import PolicyDataError

    try:
        return compile_policies(POLICIES)
    except PolicyDataError as exc:  # file:line: reason, no traceback
        sys.exit(f"policy data error: {exc}")


def render_pages(bundle: dict, root: Path = ROOT, today=None) -> None:
    """Portal: hand-written docs/ plus pages generated from the bundle -> build/docs/ (docs/ is never written)."""
    import portal

    portal.prepare(bundle, root, today)


def run_mkdocs(strict: bool = True, root: Path = ROOT) -> None:
    """mkdocs build (mkdocs.yml: build/docs/ -> site/), then search in traditional characters, Chinese only."""
    import portal

    if not portal.run_mkdocs(root, strict):
        sys.exit("mkdocs build failed: see the warnings above")
    portal.finish(root / "site")


PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
# Not worth a place in the offline cache: source maps, the gzipped sitemap, benchmark pages.
SW_SKIP = (".map", ".gz")


def add_browser_assets(bundle: dict) -> None:
    """Calculator runtime into site/: Pyodide, the calculator wheel, policies.json, service worker."""
    import json
    import tempfile

    SITE.mkdir(exist_ok=True)
    # Pyodide, self-hosted: only the files a browser fetches.
    pyodide = SITE / "pyodide"
    pyodide.mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(ROOT / "node_modules" / "pyodide" / name, pyodide / name)
    vendor = SITE / "js" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs", vendor / "qrcode.mjs")

    # The calculator as a pure-Python wheel from a standard build (pyodide build
    # would need a cross-build environment); a fixed date keeps it byte-stable.
    wheels = SITE / "py"
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir()
    with tempfile.TemporaryDirectory() as tmp:
        # cwd elsewhere: from ROOT, `-m build` would find this build.py instead of the package.
        _run(
            [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", tmp, str(ROOT)],
            cwd=tmp,
            env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},
            stdout=subprocess.DEVNULL,
        )
        wheel = next(Path(tmp).glob("calculator-*.whl"))
        shutil.copy2(wheel, wheels / wheel.name)
    (SITE / "policies.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")

    worker = SITE / "js" / "calculator-worker.js"
    if worker.exists():
        worker.write_text(worker.read_text(encoding="utf-8").replace("__WHEEL__", f"py/{wheel.name}"), encoding="utf-8")

    # Service worker: precache every file of the site; the cache name is a hash
    # of their contents, so any change installs a fresh cache and drops the old.
    sw = SITE / "sw.js"
    if sw.exists():
        files = sorted(
            p
            for p in SITE.rglob("*")
            if p.is_file() and p != sw and not p.name.endswith(SW_SKIP) and p.relative_to(SITE).parts[0] != "bench"
        )
        digest = hashlib.sha256()
        urls = ["./"]
        for path in files:
            rel = path.relative_to(SITE).as_posix()
            digest.update(rel.encode() + b"\0" + path.read_bytes())
            urls.append(rel)
            if path.name == "index.html" and rel != "index.html":
                urls.append(rel[: -len("index.html")])
        text = sw.read_text(encoding="utf-8")
        text = text.replace("__CACHE_VERSION__", digest.hexdigest()[:16])
        text = text.replace('["__PRECACHE__"]', json.dumps(urls, ensure_ascii=False))
        sw.write_text(text, encoding="utf-8")


def build(args=None) -> None:
    bundle = build_policies()
    print(f"policies: {len(bundle['policies'])} schemes validated", flush=True)
    render_pages(bundle)
    run_mkdocs()
    add_browser_assets(bundle)


# --------------------------------------------------------------------------
# Serving: the built site with the MIME types and headers Pyodide needs
# --------------------------------------------------------------------------

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
}
# The same policy docs/embed-guide.md recommends to hosts: only our own origin,
# wasm compilation allowed for Pyodide.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; worker-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'"
)


def make_server(root: Path = SITE, host: str = "127.0.0.1", port: int = 8000):
    """A threaded static server for `root` (port 0 picks a free port)."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

        def end_headers(self):
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Cache-Control", "no-cache")
            super().end_headers()

        def log_message(self, *args):
            pass

    handler = functools.partial(Handler, directory=str(root))
    return ThreadingHTTPServer((host, port), handler)


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def cmd_build(args) -> None:
    build(args)


def cmd_serve(args) -> None:
    build(args)
    server = make_server(SITE, args.host, args.port)
    print(f"serving {SITE} on http://{args.host}:{server.server_port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def cmd_test(args) -> int:
    ensure_chromium()
    build(args)
    extra = list(args.pytest_args or [])
    if extra[:1] == ["--"]:  # python3 build.py test -- -x -k estimate
        extra = extra[1:]
    return subprocess.call([sys.executable, "-m", "pytest", *extra], cwd=ROOT)


def cmd_bench(args) -> int:
    return subprocess.call([sys.executable, str(ROOT / "tests" / "bench.py"), *(args.what or [])], cwd=ROOT)


def cmd_clean(args) -> None:
    for path in [
        SITE,
        ROOT / "dist",
        ROOT / "build",
        ROOT / ".pytest_cache",
        ROOT / ".hypothesis",
    ]:
        shutil.rmtree(path, ignore_errors=True)
    print("cleaned")


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="build.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="validate, render and build the site into site/")
    serve = sub.add_parser("serve", help="build and serve on localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--host", default="127.0.0.1")
    test = sub.add_parser("test", help="build and run every test")
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    bench = sub.add_parser("bench", help="print benchmark figures")
    bench.add_argument("what", nargs="*", help="engine | portal | browser (default: all)")
    sub.add_parser("clean", help="remove generated files")
    args = parser.parse_args()
    if args.command != "clean":
        ensure_venv()
        ensure_npm()
    handler = {"build": cmd_build, "serve": cmd_serve, "test": cmd_test, "bench": cmd_bench, "clean": cmd_clean}[
        args.command
    ]
    return handler(args) or 0


if __name__ == "__main__":
    sys.exit(main())
