"""Deployment: the dev server's headers, precompressed files, build-time figures,
the embed allow-list, the dependency lock and the service worker's update path."""

import http.client
import json
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from sitebuild import csp, engine
from sitebuild.server import SiteHandler, make_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def serve():
    """serve(root, **kw) -> (server, base URL); every server is shut down afterwards."""
    servers = []

    def start(root, **kw):
        server = make_server(root, port=0, **kw)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server, server.server_port

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def until(page, script: str, arg=None, timeout: float = 120) -> None:
    """Poll an async page function until it returns true (wait_for_function does not await promises)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(250)  # polls for a state


def get(port, path, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, response.headers, body


def test_server_sends_precompressed_files_by_accept_encoding(site_dir, serve):
    _, port = serve(site_dir)
    raw = (site_dir / "pyodide" / "pyodide.asm.wasm").read_bytes()
    for accept, coding, suffix in [("br, gzip", "br", ".br"), ("gzip", "gzip", ".gz"), ("br;q=0, gzip", "gzip", ".gz")]:
        status, headers, body = get(port, "/pyodide/pyodide.asm.wasm", **{"Accept-Encoding": accept})
        assert status == 200 and headers["Content-Encoding"] == coding
        assert headers["Vary"] == "Accept-Encoding" and headers["Content-Type"] == "application/wasm"
        assert body == (site_dir / "pyodide" / f"pyodide.asm.wasm{suffix}").read_bytes()
    status, headers, body = get(port, "/pyodide/pyodide.asm.wasm")
    assert "Content-Encoding" not in headers and body == raw


def test_a_file_written_again_with_the_same_bytes_is_still_sent_compressed(tmp_path, serve):
    """A rebuild may write a file again with the same bytes (placeholders filled, the engine copied):
    its siblings are right, and precompress makes them no older than the file, so the server still
    sends them (it once sent python_stdlib.zip, the package and the page uncompressed: 1.8 MB more)."""
    import os

    from sitebuild import compression

    script = tmp_path / "a.js"
    script.write_text("const a = 1;\n" * 100)
    compression.precompress(tmp_path)
    later = script.stat().st_mtime_ns + 10**9
    script.write_text("const a = 1;\n" * 100)
    os.utime(script, ns=(later, later))
    compression.precompress(tmp_path)
    _, port = serve(tmp_path)
    status, headers, _ = get(port, "/a.js", **{"Accept-Encoding": "br"})
    assert status == 200 and headers["Content-Encoding"] == "br", "the rebuilt file went uncompressed"


def test_siblings_are_made_again_when_the_compression_settings_change(tmp_path, monkeypatch):
    """A rebuild's memo keeps siblings only while their settings hold: once brotli's window went
    from 24 to 21, the memo still served the old siblings and the site differed from a clean build."""
    import brotli

    from sitebuild import compression, filememo

    site = tmp_path / "site"
    site.mkdir()
    (site / "a.js").write_text("".join(f"const a{i} = {i * i};\n" for i in range(400)))
    memo_file = tmp_path / "memo.json"
    with filememo.FileMemo(memo_file, site) as memo:
        compression.precompress(site, memo)
    monkeypatch.setattr(compression, "WINDOW", 18)
    with filememo.FileMemo(memo_file, site) as memo:
        compression.precompress(site, memo)
    sibling = (site / "a.js.br").read_bytes()
    data = (site / "a.js").read_bytes()
    assert sibling == brotli.compress(data, quality=compression.BEST, lgwin=18)


def test_build_writes_compressed_siblings(site_dir):
    import gzip

    import brotli

    for rel in [
        "index.html",
        "calculator/index.html",
        "data/index.json",
        "pyodide/pyodide.asm.wasm",
        "js/sw-client.js",
    ]:
        data = (site_dir / rel).read_bytes()
        assert brotli.decompress((site_dir / f"{rel}.br").read_bytes()) == data, rel
        assert gzip.decompress((site_dir / f"{rel}.gz").read_bytes()) == data, rel


def test_etag_is_content_hash_and_a_rollback_is_seen(site_dir, tmp_path, serve):
    root = tmp_path / "site"
    root.mkdir()
    page = root / "data.json"
    page.write_text('{"v": 2}')
    _, port = serve(root)
    _, headers, _ = get(port, "/data.json")
    etag = headers["ETag"]
    assert get(port, "/data.json", **{"If-None-Match": etag})[0] == 304
    # Roll back to older content with an older modification time: the server must send it.
    page.write_text('{"v": 1}')
    old = time.time() - 86400
    import os

    os.utime(page, (old, old))
    status, headers, body = get(
        port, "/data.json", **{"If-None-Match": etag, "If-Modified-Since": "Tue, 01 Dec 2099 00:00:00 GMT"}
    )
    assert status == 200 and body == b'{"v": 1}' and headers["ETag"] != etag


def test_no_directory_listing(site_dir, serve):
    _, port = serve(site_dir)
    status, _, body = get(port, "/py/")
    assert status == 404 and b"calculator.zip" not in body
    status, headers, _ = get(port, "/calculator")
    assert status == 301 and headers["Location"] == "/calculator/"
    assert get(port, "/../build.py")[0] in (400, 404)


def raw_get(port: int, target: bytes) -> tuple[int, dict, bytes]:
    """GET with the request target sent byte for byte (NUL, backslashes, invalid UTF-8 included)."""
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()  # raises if the server drops the connection instead of answering
        return response.status, dict(response.getheaders()), response.read()


# Each odd request target and the status it must get.
ODD_PATHS = {
    b"/index.html": 200,  # the control
    b"/index.html%00.js": 404,
    b"/index.html\x00.js": 404,
    b"/%00": 404,
    b"/" + b"a" * 5000: 404,  # a name longer than the file system allows
    b"/" + b"a/" * 3000: 404,  # a path longer than the file system allows
    b"/" + b"a" * 70000: 414,  # longer than the server reads
    b"/%2e%2e/secret.txt": 404,
    b"/%2E%2E/%2e%2e/etc/passwd": 404,
    b"/..%2fsecret.txt": 404,
    b"/../secret.txt": 404,
    b"/..\\secret.txt": 404,
    b"/%5c..%5csecret.txt": 404,
    b"/%252e%252e/secret.txt": 404,  # double encoding: %2e%2e is a name, not ..
    b"/outside": 404,  # a link inside the site to a file outside it
    b"/calculator": 301,
    b"//calculator": 301,
    b"/%ff%fe.html": 404,  # not UTF-8
    b"/calculator%c0%af": 404,  # an overlong "/"
    b"/calculator/?q=%00%ff": 200,  # the query is not a path
}


def test_odd_paths_get_a_proper_answer(tmp_path, serve, capfd):
    """Every odd path gets an HTTP answer with the right status, nothing outside the site is
    served, a redirect stays on this site, and the server logs no traceback."""
    site = tmp_path / "site"
    (site / "calculator").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>")
    (site / "calculator" / "index.html").write_text("<p>calculator</p>")
    (site / "404.html").write_text("<p>not found</p>")
    (tmp_path / "secret.txt").write_text("SECRET")
    (site / "outside").symlink_to(tmp_path / "secret.txt")
    _, port = serve(site)
    for target, expected in ODD_PATHS.items():
        status, headers, body = raw_get(port, target)
        assert status == expected, (target[:60], status)
        assert b"SECRET" not in body, target[:60]
        if status == 404:
            assert body == b"<p>not found</p>" and "Content-Security-Policy" in headers, target[:60]
        if status == 301:
            assert headers["Location"] == "/calculator/", target  # never //calculator/ (another host)
    log = capfd.readouterr().err
    assert "Traceback" not in log and "Exception" not in log, log[-2000:]


def test_embed_allow_list_drives_frame_ancestors(site_dir, serve):
    built = json.loads((site_dir / "embed" / "origins.json").read_text(encoding="utf-8"))
    assert built == {"allowed": csp.embed_origins()}
    _, port = serve(site_dir)
    _, headers, _ = get(port, "/embed/")
    assert headers["Content-Security-Policy"].endswith("frame-ancestors " + " ".join(["'self'", *built["allowed"]]))
    origins = ["https://www.example-hospital.cn", "http://127.0.0.1:9"]
    _, port = serve(site_dir, embed_origins=origins)
    _, headers, body = get(port, "/embed/")
    assert headers["Content-Security-Policy"].endswith(
        "frame-ancestors 'self' https://www.example-hospital.cn http://127.0.0.1:9"
    )
    _, _, body = get(port, "/embed/origins.json")
    assert json.loads(body) == {"allowed": origins}


def test_csp_hashes_every_inline_script(site_dir):
    import base64
    import hashlib

    policy = csp.policy(site_dir)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    page = (site_dir / "index.html").read_text(encoding="utf-8")
    inline = [body for attrs, body in csp.INLINE_SCRIPT.findall(page) if "src=" not in attrs and "json" not in attrs]
    assert inline, "the theme's inline helpers are expected on the home page"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


def test_no_inline_style_so_style_src_is_strict(site_dir):
    """No built page carries an inline style, so the policy needs no 'unsafe-inline' at all."""
    policy = csp.policy(site_dir)
    assert "'unsafe-inline'" not in policy
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<style" not in text and ' style="' not in text, page.relative_to(site_dir)


@pytest.mark.parametrize(
    "html, inline",
    [
        ("<STYLE>p{}</STYLE>", True),
        ('<p style="color:red">', True),
        ("<p\tStyle=color:red>", True),
        ("<style\n>", True),
        ('<link rel="stylesheet" href="a.css">', False),
        ('<p class="style">a style guide</p>', False),
        ("style=", False),
    ],
)
def test_an_inline_style_is_found_in_any_case(html, inline):
    """csp.has_inline_style looks only where "style" is: it finds what a case-insensitive search finds."""
    assert csp.has_inline_style(f"<html><body>{html}</body></html>") is inline


def test_webassembly_is_allowed_only_where_the_engine_runs(site_dir, serve):
    """'wasm-unsafe-eval' is in the policy of the pages that start the engine's worker (those that
    load the boot script) and of the worker itself, and of no other file."""
    _, port = serve(site_dir)
    engine = {"/calculator/", "/embed/", "/js/calculator-worker.js"}
    for path in ["/", "/regions/changchun/employee/", "/embed/guide/", "/sw.js", "/no/such/page/", *engine]:
        headers = get(port, path)[1]
        assert ("'wasm-unsafe-eval'" in headers["Content-Security-Policy"]) == (path in engine), path
    starting = {
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html") if "calculator-boot.js" in p.read_text()
    }
    assert set(csp.WASM_FILES) == starting | {"js/calculator-worker.js"}


# Compiles the smallest WebAssembly module (no sections): true where the page's policy allows it.
WASM_COMPILES = "() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => true, () => false)"


@pytest.mark.browser
def test_pages_run_without_csp_violations(browser, site_url):
    """Home, a region page, the embed guide, the calculator and the embed page under the strict
    policy: nothing blocked; only the engine's pages may compile WebAssembly (the worker's own
    policy is checked above, and every calculator test runs the engine under it)."""
    page = browser.new_page()
    blocked, open_requests = [], set()

    def console(msg):
        # The probe's refusal on a page without the engine is the policy at work, not a fault.
        if "Content Security Policy" in msg.text and "WebAssembly" not in msg.text:
            blocked.append(msg.text)

    page.on("console", console)
    page.on("request", lambda r: open_requests.add(r))
    page.on("requestfinished", lambda r: open_requests.discard(r))
    page.on("requestfailed", lambda r: open_requests.discard(r))
    try:
        for path, engine in (
            ("", False),
            ("regions/changchun/employee/", False),
            ("embed/guide/", False),
            ("calculator/", True),
            ("embed/", True),
        ):
            page.goto(site_url + path)
            page.wait_for_load_state("load")  # every script of the page has run
            if engine:  # and what they start: Python, the theme's script
                page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=180_000)
                page.wait_for_function("() => !document.querySelector('script[type=\"text/yb-later\"]')")
            deadline = time.monotonic() + 30
            while open_requests:  # nothing still loading
                assert time.monotonic() < deadline, [r.url for r in open_requests]
                page.wait_for_timeout(50)  # polls for a state
            assert page.evaluate(WASM_COMPILES) is engine, path
        assert not blocked, blocked
    finally:
        page.close()


def test_build_time_figures_replace_placeholders(site_dir):
    for path in site_dir.rglob("*"):
        if path.suffix in (".html", ".js") and path.relative_to(site_dir).parts[0] not in ("pyodide", "bench"):
            text = path.read_text(encoding="utf-8")
            for name in ("__DOWNLOAD_MB__", "__PACKAGE__", "__ENGINE_FILES__", "__DATA_VERSION__", "__CSP__"):
                assert name not in text, (path, name)
    worker = (site_dir / "js" / "calculator-worker.js").read_text(encoding="utf-8")
    files = json.loads(re.search(r"const FILES = (\{.*?\});", worker).group(1))
    assert set(files) >= {"pyodide/pyodide.asm.wasm", "pyodide/python_stdlib.zip", "data/index.json"}
    assert len([rel for rel in files if rel.startswith("data/regions/")]) == 1  # the default policy's region
    for rel, (raw, sent, _module) in files.items():
        if rel != "js/calculator-worker.js":  # measured before this very list was written into it
            assert raw == (site_dir / rel).stat().st_size
        assert 0 < sent <= raw
    # The progress total is the size the calculator page announces (one figure, not two).
    announced = f"{sum(sent for _, sent, _ in files.values()) / 1e6:.1f}"
    assert f"约 {announced} MB" in (site_dir / "calculator" / "index.html").read_text(encoding="utf-8")
    assert 'pyimport("calculator.api")' in worker and "runPython" not in worker


def test_data_version_says_what_it_is(site_dir):
    """The footer's data version names its parts: the data's hash and the newest document date in
    it, not a date that reads like the rules' own (issue 18: a 2016-01-03 beside 2010 rules)."""
    import hashlib

    from compiler import compile_policies

    bundle = compile_policies(ROOT / "policies")  # as the build hashes it (before it splits it)
    text = json.dumps(bundle, ensure_ascii=False)
    newest = max(d["date"] for d in bundle["documents"].values() if d.get("date"))
    expected = f"编号 {hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]} · 所收文件最新为 {newest}"
    sw = (site_dir / "sw.js").read_text(encoding="utf-8")
    client = (site_dir / "js" / "sw-client.js").read_text(encoding="utf-8")
    assert f'const DATA_VERSION = "{expected}"' in sw
    assert f'var THIS_VERSION = "{expected}"' in client
    assert json.loads((site_dir / "data" / "index.json").read_text(encoding="utf-8"))["version"] == expected


def test_precache_holds_only_what_pages_use(site_dir):
    sw = (site_dir / "sw.js").read_text(encoding="utf-8")
    urls = json.loads(re.search(r"const PRECACHE = (\[.*?\]);", sw, re.S).group(1))
    assert not [u for u in urls if u.endswith((".br", ".gz", ".map", ".xml")) or u.startswith("bench/")]
    packs = [u for u in urls if "/lunr/min/lunr." in u]
    assert not [u for u in packs if not re.search(r"lunr\.(zh|stemmer\.support|multi)\.min\.js$", u)], packs
    assert not [u for u in urls if u.endswith(("wordcut.js", "tinyseg.js", "/index.html"))]
    for url in urls:
        assert (site_dir / url).exists(), url
    # Revalidated, never re-downloaded with cache: "reload".
    assert 'cache: "no-cache"' in sw and '"reload"' not in sw


def test_lock_pins_every_package_with_hashes():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", text, re.M)
    names = {name.lower() for name, _, _ in entries}
    assert {"pip", "brotli", "mkdocs-material", "markdown", "pymdown-extensions", "pygments", "markupsafe"} <= names
    requirements = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    assert len(requirements) == len(entries), "every requirement is pinned with hashes"
    assert "--find-links" not in text and "--index-url" not in text
    source = (ROOT / "sitebuild" / "environment.py").read_text(encoding="utf-8")
    assert "--require-hashes" in source and "--upgrade" not in source


def _site_without_pyodide(site_dir: Path, tmp_path: Path) -> tuple[Path, str, list]:
    """A copy of the site without Pyodide (dropped from the precache list too): (root, sw.js text, precache)."""
    root = tmp_path / "site"
    shutil.copytree(site_dir, root, ignore=shutil.ignore_patterns("bench", "pyodide"))
    sw = root / "sw.js"
    text = sw.read_text(encoding="utf-8")
    urls = [
        u
        for u in json.loads(re.search(r"const PRECACHE = (\[.*?\]);", text, re.S).group(1))
        if not u.startswith("pyodide/")
    ]
    text = re.sub(r"const PRECACHE = \[.*?\];", "const PRECACHE = " + json.dumps(urls) + ";", text, flags=re.S)
    sw.write_text(text, encoding="utf-8")
    return root, text, urls


def _serve(root: Path, handler) -> tuple:
    """(server, base URL) of `root` served by this SiteHandler subclass."""
    server = make_server(root, port=0)
    server.RequestHandlerClass = handler
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def _installed(page, base: str) -> tuple[str, list]:
    """Open the site, install its offline copy: (the data version the page shows, the cache names)."""
    page.goto(base)
    version = page.inner_text("#yb-data-version")
    page.evaluate("() => navigator.serviceWorker.register('/sw.js')")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
    return version, page.evaluate("() => caches.keys()")


def _next_version(root: Path, text: str) -> None:
    """A new build of the site: a new cache version and newer policy data."""
    (root / "sw.js").write_text(
        text.replace(re.search(r'const VERSION = "([^"]*)"', text).group(1), "next").replace(
            re.search(r'const DATA_VERSION = "([^"]*)"', text).group(1), "2099-01-01 · next"
        ),
        encoding="utf-8",
    )


@pytest.mark.browser
@pytest.mark.parametrize("status", [404, 500])
def test_failed_update_says_so(browser, site_dir, tmp_path, status):
    """One file of a new version missing (404) or refused (500): the old version stays in use and
    offline, and the page says that the newer rules could not be downloaded and will be tried again
    (it said nothing, and showed the old data version without a word); once the file is back the
    update completes, the note goes and the page offers the newer data."""
    root, text, urls = _site_without_pyodide(site_dir, tmp_path)
    failing = "/" + next(u for u in urls if u.startswith("guides/"))
    state = {"fail": False}

    class Failing(SiteHandler):
        def do_GET(self, head=False):
            if state["fail"] and self.path.split("?")[0] == failing:
                self.send_error(status)
                return None
            return super().do_GET(head)

    server, base = _serve(root, Failing)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        old, first = _installed(page, base)
        _next_version(root, text)
        state["fail"] = True
        page.reload()  # the browser checks sw.js on the navigation: the new version installs, one file fails
        page.wait_for_selector("#yb-update-failed", timeout=120_000)
        note = page.inner_text("#yb-update-failed")
        assert "2099-01-01 · next" in note and "没能下载完整" in note and "自动重试" in note, note
        assert page.inner_text("#yb-data-version").startswith(old.split("（")[0]), "the version in use is still shown"
        until(page, "async (first) => JSON.stringify(await caches.keys()) === first", json.dumps(first))
        # The old version is intact and works offline.
        context.set_offline(True)
        page.reload()
        assert page.inner_text("#yb-data-version").startswith(old.split("（")[0])
        context.set_offline(False)
        # The file is back: the next attempt (here on 'online') completes, the note goes.
        state["fail"] = False
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        until(page, "async () => JSON.stringify(await caches.keys()) === '[\"yibao-next\"]'")
        page.wait_for_selector("#yb-data-version button", timeout=30_000)
        assert page.locator("#yb-update-failed").count() == 0
    finally:
        context.set_offline(False)
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_failed_update_is_removed_and_retried(browser, site_dir, tmp_path):
    """A network cut in the middle of an update leaves no partial cache and the old
    version in use; the next attempt completes and the page offers the newer data."""
    root, text, _ = _site_without_pyodide(site_dir, tmp_path)
    state = {"cut": False}

    class Cutting(SiteHandler):
        def do_GET(self, head=False):
            if state["cut"] and self.path.startswith("/guides/"):
                self.close_connection = True  # the connection drops before any response
                return None
            return super().do_GET(head)

    server, base = _serve(root, Cutting)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        version, first = _installed(page, base)
        assert "政策数据版本：" in version
        assert len(first) == 1
        # A new version, and the network cut half-way through its download.
        _next_version(root, text)
        state["cut"] = True
        page.reload()
        started = page.evaluate(
            "async () => { const r = await navigator.serviceWorker.getRegistration();"
            " await r.update().catch(() => {}); return !!r.installing; }"
        )
        assert started, "the new version starts installing"
        until(page, "async () => { const r = await navigator.serviceWorker.getRegistration(); return !r.installing; }")
        assert not page.evaluate("async () => !!(await navigator.serviceWorker.getRegistration()).waiting")
        # No partial cache of the failed update (deleted once its download failed).
        until(page, "async (first) => JSON.stringify(await caches.keys()) === first", json.dumps(first))
        in_use = "() => document.getElementById('yb-data-version').firstChild.textContent"
        assert "next" not in page.evaluate(in_use)
        page.wait_for_selector("#yb-update-failed", timeout=30_000)  # and the page says so
        # The network is back: the page asks again (here on 'online'), the update completes.
        state["cut"] = False
        page.evaluate("() => window.dispatchEvent(new Event('online'))")
        until(page, "async () => JSON.stringify(await caches.keys()) === '[\"yibao-next\"]'")
        page.wait_for_selector("#yb-data-version button", timeout=30_000)
        assert "2099-01-01 · next" in page.inner_text("#yb-data-version")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


DAY = "2026-03-01"  # every request carries its date: no test depends on the day it runs


def parity_calls() -> list[tuple[str, str]]:
    """The hand-worked cases and a sweep over every choice of the catalogue, as call_json arguments."""
    from caseload import estimate_cases, remote_cases, year_cases

    import calculator

    calls = [("estimate", c["request"]) for c in estimate_cases()]
    calls += [("remote", c["request"]) for c in remote_cases()]
    calls += [("year", c["request"]) for c in year_cases()]
    catalog = calculator.policies()
    for policy in catalog["policies"] if isinstance(catalog, dict) else catalog:
        for care in policy.get("care", []) if isinstance(policy.get("care"), list) else []:
            care_id = care["id"] if isinstance(care, dict) else care
            for facility in (care.get("facilities") if isinstance(care, dict) else None) or [None]:
                for total in ("20000", "1500.5", "２０,０００", "0"):
                    request = {
                        "policy": policy["id"],
                        "date": DAY,
                        "care": care_id,
                        "facility": facility,
                        "costs": {"total": total},
                    }
                    calls.append(("estimate", request))
                visits = [{"date": day, "care": care_id, "facility": facility, "costs": {"total": "3000"}}
                          for day in ("2026-03-01", "2026-03-01", "2027-01-02")]  # fmt: skip
                calls.append(("year", {"policy": policy["id"], "visits": visits}))
        for reason in ("emergency", "retired", "referral", "nope"):
            remote = {"policy": policy["id"], "reason": reason, "visit_date": "2026-09-30", "today": "2026-10-09"}
            calls.append(("remote", remote))
    texts = [(op, json.dumps(request, ensure_ascii=False)) for op, request in calls]
    return texts + [("estimate", "{bad"), ("remote", '"\\ud800"'), ("policies", "null")]


def pyodide_calls(site_dir: Path, stdlib: Path, calls, *flags: str) -> list:
    import subprocess

    cmd = ["node", str(ROOT / "tools" / "pyodide_calls.mjs"), str(ROOT / "node_modules" / "pyodide"), str(stdlib)]
    done = subprocess.run(
        [*cmd, str(site_dir / engine.PACKAGE), str(site_dir / "data"), *flags],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(text) for text in json.loads(done.stdout)]


def test_parity_sweep_on_the_minimal_stdlib(site_dir, tmp_path):
    """The site's standard-library archive holds only what the estimator needs, and the
    whole parity sweep gives in Pyodide exactly what CPython gives; the same archive
    without one module it needs fails the sweep."""
    import zipfile

    from calculator import api

    stdlib = site_dir / "pyodide" / "python_stdlib.zip"
    full = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
    with zipfile.ZipFile(stdlib) as small, zipfile.ZipFile(full) as whole:
        assert len(small.namelist()) < len(whole.namelist()) / 2
    assert Path(f"{stdlib}.br").stat().st_size < full.stat().st_size / 4  # what a browser downloads
    calls = parity_calls()
    assert len(calls) > 100
    expected = [json.loads(api.call_json(op, text)) for op, text in calls]
    assert pyodide_calls(site_dir, stdlib, calls) == expected

    broken = tmp_path / "stdlib.zip"
    with zipfile.ZipFile(stdlib) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            if name != "decimal.py":
                dst.writestr(name, src.read(name))
    estimates = [call for call in calls if call[0] == "estimate"][:5]
    with pytest.raises(AssertionError):
        assert pyodide_calls(site_dir, broken, estimates) == [json.loads(api.call_json(*c)) for c in estimates]


def test_calculator_ships_as_bytecode_for_pyodide(site_dir):
    """The worker imports the calculator without compiling it: every module of the package is in
    the zip as bytecode for Pyodide's interpreter, and nothing else is (the sweeps above run on it)."""
    import zipfile

    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "calculator").rglob("*.py")}
    with zipfile.ZipFile(site_dir / engine.PACKAGE) as package:
        names = set(package.namelist())
        headers = {package.read(name)[:16] for name in names}
    assert names == {name + "c" for name in sources}
    assert len(headers) == 1 and next(iter(headers))[2:4] == b"\r\n"  # one interpreter's magic number


def test_parity_sweep_on_a_restored_engine(site_dir):
    """The engine restored from a memory snapshot (repeat visits) answers the whole sweep as CPython does."""
    from calculator import api

    calls = parity_calls()
    expected = [json.loads(api.call_json(op, text)) for op, text in calls]
    assert pyodide_calls(site_dir, site_dir / "pyodide" / "python_stdlib.zip", calls, "--restored") == expected


WORKER_RUN = """async (calls) => {
  const worker = new Worker(new URL("js/calculator-worker.js", location.href), {type: "module"});
  const progress = [];
  const ready = await new Promise((resolve, reject) => {
    worker.onmessage = (e) => {
      if (e.data.type === "progress") progress.push([e.data.loaded, e.data.total]);
      else if (e.data.type === "ready") resolve(e.data);
      else if (e.data.type === "failed") reject(new Error(e.data.message));
    };
  });
  const out = [];
  for (let i = 0; i < calls.length; i++) {
    out.push(await new Promise((resolve) => {
      worker.onmessage = (e) => { if (e.data.id === i + 1) resolve(e.data); };
      worker.postMessage({id: i + 1, op: calls[i][0], request: calls[i][1]});
    }));
  }
  worker.terminate();
  return {restored: ready.restored, marks: ready.marks, progress, out};
}"""


@pytest.mark.browser
def test_worker_progress_and_restored_snapshot(browser, site_url, site_dir):
    """The first start reports download progress up to the total; once the offline copy exists
    the engine's snapshot is stored in it; the next start restores it (ready.restored) and
    answers exactly as CPython does."""
    from calculator import api

    calls = [(op, json.loads(text)) for op, text in parity_calls()[:40] if not text.startswith(("{bad", '"'))]
    expected = [json.loads(api.call_json(op, json.dumps(request))) for op, request in calls]
    worker = (site_dir / "js" / "calculator-worker.js").read_text(encoding="utf-8")
    key = re.search(r'const SNAPSHOT_KEY = "([0-9a-f]+)"', worker).group(1)
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site_url)
        first = page.evaluate(WORKER_RUN, calls)
        assert first["restored"] is False
        loaded, total = first["progress"][-1]
        assert total > 1_000_000 and loaded == total
        assert all(b[0] >= a[0] for a, b in zip(first["progress"], first["progress"][1:], strict=False))
        # The calculator page installs the offline copy; its worker then stores the snapshot in it.
        page.goto(site_url + "calculator/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=300_000)
        until(page, "async (url) => !!(await caches.match(url))", f"{site_url}__snapshot__/{key}", timeout=300)
        assert len(page.evaluate("() => caches.keys()")) == 1  # stored with the offline copy
        page.goto(site_url)
        second = page.evaluate(WORKER_RUN, calls)
        assert second["restored"] is True
        for run in (first, second):
            assert [{k: v for k, v in r.items() if k != "id"} for r in run["out"]] == expected
    finally:
        context.close()
