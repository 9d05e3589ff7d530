#!/usr/bin/env python3
"""The one build entry point.

    python3 build.py serve    set up, build the portal + calculator, serve on localhost
    python3 build.py test     set up, build, run every test (CI runs exactly this)
    python3 build.py build    validate policies, render pages, build the site into site/
    python3 build.py bench    print the benchmarks (engine, hostile_yaml, portal, browser)
    python3 build.py clean    remove generated pages, the built site and caches
    python3 build.py lock     re-resolve requirements.lock (hashes) after a change to pyproject.toml

On a fresh machine the first run creates .venv, installs the pinned Python and
npm dependencies and (for tests) Debian's Chromium, then re-executes itself
inside .venv. Only the standard library is imported before that.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


LOCK = ROOT / "requirements.lock"
# The lock is resolved against PyPI alone: the machine's pip configuration (local
# indexes, find-links, a constraints file) would make it differ from machine to machine.
PIP_ENV_DROP = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_NO_INDEX")


def _pip_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in PIP_ENV_DROP}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def ensure_venv() -> None:
    """Create .venv with the locked dependencies (hashes required) and re-exec inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not VENV_PY.exists():
        _run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".deps-stamp"
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        pip = [str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        # pip itself is in the lock: it is pinned, never "whatever is newest".
        _run([*pip, "--require-hashes", "--no-deps", "-r", str(LOCK)], env=_pip_env())
        # The project itself (no dependencies of its own); its build backend comes from the lock.
        _run([*pip, "--no-deps", "--no-build-isolation", "--no-index", "-e", "."], env=_pip_env())
        stamp.write_text(digest)
    os.execv(str(VENV_PY), [str(VENV_PY), str(ROOT / "build.py"), *sys.argv[1:]])


def cmd_lock(args) -> None:
    """Re-resolve requirements.lock (hashes, PyPI only) from pyproject.toml's dev extra and PIP_VERSION."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        tools = Path(tmp) / "venv"
        _run([sys.executable, "-m", "venv", str(tools)], env=_pip_env())
        _run([str(tools / "bin" / "pip"), "install", "--quiet", f"pip-tools=={PIP_TOOLS_VERSION}"], env=_pip_env())
        cmd = [str(tools / "bin" / "pip-compile"), "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras"]
        cmd += ["--extra", "dev", "--no-emit-index-url", "--no-emit-find-links", "--output-file", LOCK.name]
        print("+", " ".join(cmd), flush=True)
        subprocess.run(
            [*cmd, "pyproject.toml", "-"],
            input=f"pip=={PIP_VERSION}\n",
            text=True,
            check=True,
            cwd=ROOT,
            env=_pip_env(),
        )


PIP_VERSION = "26.3"
PIP_TOOLS_VERSION = "7.6.2"


def ensure_npm() -> None:
    """Install the pinned npm packages (Pyodide) from package-lock.json."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".lock-stamp"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    _run(["npm", "ci", "--no-audit", "--no-fund"])
    stamp.write_text(digest)


# Debian packages the tests need: the browser, a Chinese font (print layout and
# screenshots as residents see them), and the web servers whose configurations
# the embed guide shows (tests/test_nginx_hosts.py runs each of them).
SYSTEM_PACKAGES = {
    "chromium": CHROMIUM,
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "nginx-light": Path("/usr/sbin/nginx"),
    "apache2": Path("/usr/sbin/apache2"),
    "caddy": Path("/usr/bin/caddy"),
}


def ensure_chromium() -> None:
    """Debian's Chromium, a Chinese font and the guide's web servers (Playwright cannot download a browser here)."""
    missing = [name for name, path in SYSTEM_PACKAGES.items() if not path.exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing Debian packages; install them with: sudo apt-get install -y {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run(["apt-get", "update"], env=env)
    _run(["apt-get", "install", "-y", "--no-install-recommends", *missing], env=env)


# --------------------------------------------------------------------------
# Build steps
# --------------------------------------------------------------------------


def build_policies() -> dict:
    """Validate every policy file and return the bundle (the browser's JSON)."""
    from calculator.errors import PolicyDataError
    from compiler import compile_policies

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
# Not in the offline cache: precompressed siblings, source maps, the sitemap (no page
# reads it), benchmark pages, and search language packs (and the Thai and Japanese
# word splitters) a Chinese site never loads.
SW_SKIP = (".map", ".gz", ".br", ".xml")
SW_SKIP_DIRS = ("bench/",)
# Cached when first used, not precached: most visitors never open search, and at
# hundreds of regions the index would be the biggest file of a first visit.
SW_ON_DEMAND = ("search/search_index.json",)
LUNR_PACK = re.compile(
    r"^assets/javascripts/lunr/(min/lunr\.(?!zh\b|stemmer\.support\b|multi\b)[a-z]{2}\.min\.js|wordcut\.js|tinyseg\.js)$"
)
# What a first visit downloads before the first estimate (the worker fetches all but the modules;
# the page fetches policies.json for its form and hands it to the worker).
PACKAGE = "py/calculator.zip"  # the calculator as bytecode for Pyodide (tools/compile_package.py)
ENGINE_FETCHED = [
    "pyodide/pyodide.asm.wasm",
    "pyodide/python_stdlib.zip",
    "pyodide/pyodide-lock.json",
    "policies.json",
    PACKAGE,
]
ENGINE_MODULES = ["pyodide/pyodide.mjs", "pyodide/pyodide.asm.mjs", "js/calculator-worker.js"]
COMPRESSIBLE = (
    ".html",
    ".css",
    ".js",
    ".mjs",
    ".json",
    ".wasm",
    ".svg",
    ".txt",
    ".webmanifest",
    ".zip",
    ".xml",
)
CACHE_DIR = ROOT / ".cache"
SITE_TOML = ROOT / "site.toml"
ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")


def embed_origins() -> list[str]:
    """site.toml [embed] allowed_origins: the sites allowed to frame the calculator (contract 5)."""
    import tomllib

    config = tomllib.loads(SITE_TOML.read_text(encoding="utf-8")) if SITE_TOML.exists() else {}
    origins = config.get("embed", {}).get("allowed_origins", [])
    bad = [o for o in origins if not isinstance(o, str) or not ORIGIN.match(o)]
    if not isinstance(origins, list) or bad:
        sys.exit(f"site.toml: [embed] allowed_origins must list origins such as https://www.example.cn, not {bad}")
    return origins


def _inline_scripts(root: Path) -> tuple[set[str], bool]:
    """sha256 sources of every inline script in the built HTML, and whether any inline style exists."""
    import base64

    hashes, inline_style = set(), False
    for html in root.rglob("*.html"):
        if html.relative_to(root).parts[0] == "bench":
            continue
        text = html.read_text(encoding="utf-8")
        for attrs, body in INLINE_SCRIPT.findall(text):
            kind = re.search(r"""type=["']?([^"'\s>]+)""", attrs)
            if re.search(r"\ssrc=", attrs) or (kind and kind.group(1) not in ("module", "text/javascript")):
                continue  # external, or a data block (JSON) that never runs
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            hashes.add("'sha256-" + base64.b64encode(digest).decode() + "'")
        inline_style = inline_style or bool(INLINE_STYLE.search(text))
    return hashes, inline_style


INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=", re.I)


def csp(root: Path = SITE, origins: list[str] | None = None) -> str:
    """The one Content-Security-Policy: the dev server sends it and the embed guide's host examples show it.

    script-src: our files, wasm compilation (Pyodide), and the hashes of the theme's inline
    helpers (no 'unsafe-inline'). style-src keeps 'unsafe-inline' only while a built page
    still carries an inline style (a <style> element or style="" attribute): those cannot be
    hashed without 'unsafe-hashes'. frame-ancestors: this site plus site.toml's allow-list.
    """
    hashes, inline_style = _inline_scripts(root)
    origins = embed_origins() if origins is None else origins
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self' 'wasm-unsafe-eval'", *sorted(hashes)]),
            "style-src 'self'" + (" 'unsafe-inline'" if inline_style else ""),
            "img-src 'self' data:",
            "font-src 'self'",
            "worker-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            " ".join(["frame-ancestors 'self'", *origins]),
        ]
    )


def _compressed(data: bytes) -> tuple[bytes, bytes]:
    """(brotli, gzip) of data, cached by content hash: brotli 11 takes the wasm a minute, once."""
    import gzip

    import brotli

    key = hashlib.sha256(data).hexdigest() + "-q11w24"
    cache = CACHE_DIR / "precompressed"
    br_path, gz_path = cache / f"{key}.br", cache / f"{key}.gz"
    if not (br_path.exists() and gz_path.exists()):
        cache.mkdir(parents=True, exist_ok=True)
        br_path.write_bytes(brotli.compress(data, quality=11, lgwin=24))
        gz_path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return br_path.read_bytes(), gz_path.read_bytes()


def precompress(root: Path = SITE) -> dict[str, int]:
    """Write .br and .gz siblings of every compressible file where they save bytes.

    Returns the bytes a browser accepting brotli transfers for each file (relative path).
    """
    sizes = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith((".br", ".gz")):
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        sizes[rel] = len(data)
        for suffix in (".br", ".gz"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if not path.name.endswith(COMPRESSIBLE) or len(data) < 256:
            continue
        br, gz = _compressed(data)
        if len(gz) < 0.95 * len(data):  # an already compressed zip gains nothing
            Path(f"{path}.gz").write_bytes(gz)
        if len(br) < 0.95 * len(data):
            Path(f"{path}.br").write_bytes(br)
            sizes[rel] = len(br)
    return sizes


def _data_version(bundle: dict, text: str) -> str:
    """What pages show as the data version, saying what each part is: a short hash of
    policies.json (it changes with any change to the data) and the newest document date in it."""
    code = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    dates = [d["date"] for d in (bundle.get("documents") or {}).values() if d.get("date")]
    return f"编号 {code} · 所收文件最新为 {max(dates)}" if dates else f"编号 {code}"


def _replace_in(root: Path, suffixes: tuple[str, ...], values: dict[str, str]) -> None:
    # In Markdown prose __NAME__ renders as <strong>NAME</strong>: replace that form too.
    for key, value in list(values.items()):
        if key.startswith("__") and key.endswith("__"):
            values[f"<strong>{key[2:-2]}</strong>"] = value
    for path in root.rglob("*"):
        if path.is_file() and path.suffix in suffixes and path.relative_to(root).parts[0] not in ("pyodide", "bench"):
            text = path.read_text(encoding="utf-8")
            if any(key in text for key in values):
                for key, value in values.items():
                    text = text.replace(key, value)
                path.write_text(text, encoding="utf-8")


def _copy_pyodide() -> None:
    """Pyodide, self-hosted: only the files a browser fetches; the lock file without the
    package list (the estimator loads no Pyodide package: 119 KB nobody reads)."""
    import json

    pyodide = SITE / "pyodide"
    pyodide.mkdir(exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copy2(ROOT / "node_modules" / "pyodide" / name, pyodide / name)
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    (pyodide / "pyodide-lock.json").write_text(json.dumps({"info": lock["info"], "packages": {}}), encoding="utf-8")
    vendor = SITE / "js" / "vendor"
    vendor.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "node_modules" / "qrcode-generator" / "dist" / "qrcode.mjs", vendor / "qrcode.mjs")


def _build_wheel(out: Path) -> Path:
    """The calculator as a pure-Python wheel from a standard build (pyodide build would need
    a cross-build environment), in `out`; a fixed date keeps it byte-stable."""
    _run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        cwd=out,  # from ROOT, `-m build` would find this build.py instead of the package
        env={**os.environ, "SOURCE_DATE_EPOCH": "315532800"},
        stdout=subprocess.DEVNULL,
    )
    return next(out.glob("calculator-*.whl"))


def _in_pyodide(program: str, inputs: list[Path], target: Path) -> str:
    """Run tools/<program>.py's main(*inputs, out) in Pyodide under Node (tools/in_pyodide.mjs),
    writing `target`; the result is cached by the hash of everything it reads. Returns its report."""
    runner, script = ROOT / "tools" / "in_pyodide.mjs", ROOT / "tools" / f"{program}.py"
    pyodide = ROOT / "node_modules" / "pyodide"
    key = hashlib.sha256()
    for path in [pyodide / "pyodide.asm.wasm", runner, script, *inputs]:
        key.update(hashlib.sha256(path.read_bytes()).digest())
    cached = CACHE_DIR / program / f"{key.hexdigest()}{target.suffix}"
    report = "cached"
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        cmd = ["node", str(runner), str(pyodide), str(script), f"{cached}.tmp", *map(str, inputs)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"tools/{program}.py in Pyodide failed:\n{done.stderr[-3000:]}")
        os.replace(f"{cached}.tmp", cached)
        report = done.stdout.strip()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(cached, target)
    return report


def _engine_python() -> str:
    """The Python the worker runs: the calculator compiled to bytecode by Pyodide's interpreter
    (py/calculator.zip), and in place of Pyodide's standard library (2.5 MB) the modules the
    estimator needs, found by tracing the wheel in Pyodide. Returns what the trace reports."""
    import tempfile

    shutil.rmtree(SITE / "py", ignore_errors=True)
    full_stdlib = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _build_wheel(Path(tmp))
        _in_pyodide("compile_package", [wheel], SITE / PACKAGE)
        inputs = [wheel, SITE / "policies.json", full_stdlib]
        return _in_pyodide("trim_stdlib", inputs, SITE / "pyodide" / "python_stdlib.zip")


def _engine_download() -> tuple[str, dict]:
    """The first download's size (MB, as pages announce it) and, for the worker's progress, each
    file's [bytes decoded, bytes transferred (brotli, as hosts send it), 1 if a JS module]: the
    worker counts fetched files as they stream and modules once Pyodide is loaded, so its total
    is the size the page announces (the worker's own entry is measured before this list is written into it)."""
    files, total = {}, 0
    for rel in [*ENGINE_FETCHED, *ENGINE_MODULES]:
        data = (SITE / rel).read_bytes()
        br, _gz = _compressed(data) if rel.endswith(COMPRESSIBLE) else (data, data)
        sent = min(len(br), len(data))
        total += sent
        files[rel] = [len(data), sent, int(rel in ENGINE_MODULES)]
    return f"{total / 1e6:.1f}", files


BOOT_SCRIPT = "js/calculator-boot.js"


def _inline_boot_script(root: Path) -> None:
    """The calculator page's boot script goes into the page (the file stays for the embed page,
    which loads it async): the worker starts one round trip sooner, before the stylesheets'
    requests fill the browser's connections."""
    body = (root / BOOT_SCRIPT).read_text(encoding="utf-8")
    for page in root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        src = os.path.relpath(root / BOOT_SCRIPT, page.parent).replace(os.sep, "/")
        tag = f'<script src="{src}"></script>'
        if tag in text:
            page.write_text(text.replace(tag, f'<script data-src="{src}">{body}</script>'), encoding="utf-8")


def precache_list(root: Path = SITE) -> list[str]:
    """Every file a page of the site can use, as URLs relative to the site root."""
    urls = ["./"]
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if (
            not path.is_file()
            or rel == "sw.js"
            or rel.endswith(SW_SKIP)
            or rel.startswith(SW_SKIP_DIRS)
            or rel in SW_ON_DEMAND
            or LUNR_PACK.match(rel)
        ):
            continue
        # Pages are linked as directories (x/): cache that URL only, not x/index.html as well.
        urls.append(rel[: -len("index.html")] if path.name == "index.html" and rel != "index.html" else rel)
    return urls


def add_browser_assets(bundle: dict) -> None:
    """Calculator runtime into site/: Pyodide, the calculator package, policies.json, the embed
    allow-list, build-time figures in pages (download size, data version, CSP), the service
    worker's file list, and precompressed siblings of every file."""
    import html
    import json

    SITE.mkdir(exist_ok=True)
    _copy_pyodide()
    text = json.dumps(bundle, ensure_ascii=False)
    (SITE / "policies.json").write_text(text, encoding="utf-8")
    stdlib = _engine_python()
    (SITE / "embed").mkdir(exist_ok=True)
    (SITE / "embed" / "origins.json").write_text(json.dumps({"allowed": embed_origins()}), encoding="utf-8")

    version = _data_version(bundle, text)
    # The worker's memory snapshot is valid only for these exact files.
    engine = [SITE / "pyodide" / n for n in PYODIDE_FILES] + [SITE / PACKAGE, SITE / "policies.json"]
    snapshot_key = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in engine)).hexdigest()[:24]
    values = {"__PACKAGE__": PACKAGE, "__DATA_VERSION__": version, "__SNAPSHOT_KEY__": snapshot_key}
    _replace_in(SITE, (".js",), values)  # before the worker's size is measured
    download_mb, engine_files = _engine_download()
    values = {"__DOWNLOAD_MB__": download_mb, '"__ENGINE_FILES__"': json.dumps(engine_files)}
    _replace_in(SITE, (".html", ".js"), values)
    _inline_boot_script(SITE)  # before the CSP hashes the inline scripts
    _replace_in(SITE, (".html",), {"__CSP__": html.escape(csp(SITE), quote=False)})

    # Service worker: the cache name is a hash of every precached file, so any change
    # installs a fresh cache (and drops the old one once it takes over).
    sw = SITE / "sw.js"
    if sw.exists():
        urls = precache_list(SITE)
        digest = hashlib.sha256()
        for rel in urls:
            page = SITE / rel / "index.html" if rel.endswith("/") else SITE / rel
            digest.update(rel.encode() + b"\0" + page.read_bytes())
        text = sw.read_text(encoding="utf-8")
        text = text.replace("__CACHE_VERSION__", digest.hexdigest()[:16])
        text = text.replace('["__PRECACHE__"]', json.dumps(urls, ensure_ascii=False))
        text = text.replace('["__ON_DEMAND__"]', json.dumps(list(SW_ON_DEMAND)))
        sw.write_text(text, encoding="utf-8")
    sizes = precompress(SITE)
    print(f"site: first download {download_mb} MB; minimal standard library ({stdlib}); {len(sizes)} files")


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
    ".zip": "application/zip",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}


def _accepts(header: str) -> set[str]:
    """Content codings an Accept-Encoding header allows (q=0 refuses)."""
    out = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = params.strip().removeprefix("q=").strip() if params.strip().startswith("q=") else "1"
        try:
            if float(q) > 0:
                out.add(name.strip().lower())
        except ValueError:
            continue
    return out


class SiteHandler(BaseHTTPRequestHandler):
    """Static files of server.root as the guide's hosts serve them (see make_server)."""

    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head=False):
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if self.server.origins_json is not None and path == "/embed/origins.json":
            return self._send(200, self.server.origins_json, ".json", '"origins-override"', head=head)
        target = self._resolve(path, url.query)
        if target is not None:
            self._send_file(target, head)
        return None

    def _resolve(self, path: str, query: str) -> Path | None:
        """The file for a URL path; a redirect for a directory without its slash; else 404. Never a listing."""
        root = self.server.root
        target = (root / path.lstrip("/")).resolve()
        if target.is_dir() and target.is_relative_to(root) and not path.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/" + (f"?{query}" if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            page = root / "404.html"
            body = page.read_bytes() if page.is_file() else b"not found"
            self._send(404, body, ".html", None, head=self.command == "HEAD")
            return None
        return target

    def _etag(self, path: Path) -> str:
        st = path.stat()
        key = (str(path), st.st_mtime_ns, st.st_size)
        etags = self.server.etags
        if key not in etags:  # the file is read only to hash it once, not on every request
            etags[key] = '"' + hashlib.sha256(path.read_bytes()).hexdigest()[:32] + '"'
        return etags[key]

    def _send_file(self, target: Path, head: bool) -> None:
        etag, coding, compressible = self._etag(target), None, target.name.endswith(COMPRESSIBLE)
        data = None
        if compressible:
            accepted = _accepts(self.headers.get("Accept-Encoding", ""))
            for name, suffix in (("br", ".br"), ("gzip", ".gz")):
                sibling = Path(f"{target}{suffix}")
                # A sibling older than its file is stale (the file was edited after the build).
                if name in accepted and sibling.is_file() and sibling.stat().st_mtime_ns >= target.stat().st_mtime_ns:
                    data, coding, etag = sibling.read_bytes(), name, etag[:-1] + "-" + name + '"'
                    break
        if data is None:
            data = target.read_bytes()
        self._send(200, data, target.suffix, etag, coding, vary=compressible, head=head)

    def _send(self, status, body, suffix, etag, coding=None, vary=False, head=False):
        matches = etag and etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
        self.send_response(304 if matches else status)
        self.send_header("Content-Type", MIME_TYPES.get(suffix, "application/octet-stream"))
        for name, value in (("ETag", etag), ("Content-Encoding", coding), ("Vary", vary and "Accept-Encoding")):
            if value:
                self.send_header(name, value)
        self.send_header("Content-Security-Policy", self.server.policy)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", "0" if matches else str(len(body)))
        self.end_headers()
        if not matches and not head:
            self.wfile.write(body)
            with self.server.lock:
                self.server.sent.append((time.time(), len(body)))

    def log_message(self, *args):
        pass


def make_server(root: Path = SITE, host: str = "127.0.0.1", port: int = 8000, embed_origins: list[str] | None = None):
    """A threaded static server for `root` (port 0 picks a free port), as the guide's hosts serve it:
    the site's CSP (frame-ancestors from site.toml, or `embed_origins` when given, which is then
    also served as /embed/origins.json), nosniff, precompressed files by Accept-Encoding,
    content-hash ETags (a rollback to older files is seen: no modification-time 304), no
    directory listings. `server.sent` logs (wall-clock time, body bytes) of each response (for the benchmark)."""
    import json
    import threading

    server = ThreadingHTTPServer((host, port), SiteHandler)
    server.daemon_threads = True
    plain = server.handle_error

    def handle_error(request, address):
        # A browser closing a tab drops its connections: not worth a traceback in the console.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            plain(request, address)

    server.handle_error = handle_error
    server.root = Path(root).resolve()
    server.policy = csp(server.root, embed_origins)
    server.origins_json = json.dumps({"allowed": embed_origins}).encode() if embed_origins is not None else None
    server.etags = {}
    server.lock = threading.Lock()
    server.sent = []
    return server


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
    if not args.what or "browser" in args.what:
        build(args)  # the browser benchmark measures the site as built from this checkout
    return subprocess.call([sys.executable, str(ROOT / "tests" / "bench.py"), *(args.what or [])], cwd=ROOT)


def cmd_clean(args) -> None:
    for path in [
        SITE,
        ROOT / "dist",
        ROOT / "build",
        ROOT / ".pytest_cache",
        ROOT / ".hypothesis",
        CACHE_DIR,
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
    bench.add_argument("what", nargs="*", help="engine | hostile_yaml | portal | browser (default: all)")
    sub.add_parser("clean", help="remove generated files")
    sub.add_parser("lock", help="re-resolve requirements.lock (with hashes) from pyproject.toml")
    args = parser.parse_args()
    if args.command not in ("clean", "lock"):
        ensure_venv()
        ensure_npm()
    handler = {
        "build": cmd_build,
        "serve": cmd_serve,
        "test": cmd_test,
        "bench": cmd_bench,
        "clean": cmd_clean,
        "lock": cmd_lock,
    }[args.command]
    return handler(args) or 0


if __name__ == "__main__":
    sys.exit(main())
