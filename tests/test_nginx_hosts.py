"""The embed guide's host examples, run for real: Debian's nginx, Apache and Caddy
serve the built site with the configuration the guide shows (read from
docs/embed/guide.md), and Chromium opens a portal page, gets an estimate and
reloads the calculator offline through each of them.

Only the parts a host must change are substituted: the port, the site's path and
the CSP placeholders the build fills in. `python3 build.py test` installs the
servers (sitebuild.environment.ensure_debian_packages); without them these tests fail, never skip.
"""

import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitebuild import csp
from sitebuild.server import make_server

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "embed" / "guide.md"
SCENARIO = "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000&b=2000&s=1000"
BOOT_MS = 180_000


def guide_block(language: str, site: Path) -> str:
    """The guide's example for one server, with the policies the build writes into the guide's page."""
    blocks = re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, f"the guide should show one {language} example"
    block = blocks[0].replace("__CSP_WASM__", csp.policy(site, wasm=True))
    return block.replace("__CSP__", csp.policy(site))


def test_guide_page_shows_the_servers_policy(site_dir):
    """The built guide shows the very policies the dev server sends (with the allow-list): the
    one of every page, and the one with 'wasm-unsafe-eval' where the engine runs."""
    import html

    page = (site_dir / "embed" / "guide" / "index.html").read_text(encoding="utf-8")
    assert "__CSP" not in page and "CSP</strong>" not in page and "CSP_WASM</strong>" not in page
    server = make_server(site_dir, port=0)
    try:
        for wasm in (False, True):
            assert server.policies[wasm] == csp.policy(site_dir, wasm=wasm)
            assert page.count(html.escape(server.policies[wasm], quote=False)) == 3
            script_src = server.policies[wasm].split("script-src", 1)[1].split(";")[0]
            assert "'unsafe-inline'" not in script_src and ("'wasm-unsafe-eval'" in script_src) == wasm
    finally:
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited: {log.read_text(errors='replace') if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)  # polls for a state
    pytest.fail("server did not start listening")


def publish(site_dir: Path, tmp: Path) -> Path:
    """A copy of the built site, readable by the servers' unprivileged workers (pytest's own
    temporary folders are private to root)."""
    target = tmp / "site"
    shutil.copytree(site_dir, target, ignore=shutil.ignore_patterns("bench"))
    for path in [tmp, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def run_nginx(site: Path, tmp: Path, port: int) -> subprocess.Popen:
    server = guide_block("nginx", site)
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/yibao/site", str(site))
    temp = "\n".join(
        f"    {name}_temp_path {tmp}/{name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"daemon off;\nworker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        "events {}\nhttp {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log off;\n{temp}\n{server}\n}}\n"
    )
    return subprocess.Popen(["/usr/sbin/nginx", "-p", str(tmp), "-c", str(conf)], stderr=subprocess.STDOUT)


def run_apache(site: Path, tmp: Path, port: int) -> subprocess.Popen:
    (site / ".htaccess").write_text(guide_block("apache", site), encoding="utf-8")
    (site / ".htaccess").chmod(0o644)
    modules = "\n".join(
        f"LoadModule {name}_module /usr/lib/apache2/modules/mod_{name}.so"
        for name in ("mpm_event", "authz_core", "dir", "mime", "headers", "rewrite")
    )
    conf = tmp / "apache2.conf"
    conf.write_text(
        f"{modules}\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\nPidFile {tmp}/apache.pid\n"
        f"ErrorLog {tmp}/error.log\nUser nobody\nGroup nogroup\nTypesConfig /etc/mime.types\n"
        f"DefaultRuntimeDir {tmp}\nMutex file:{tmp}\nDocumentRoot {site}\nDirectoryIndex index.html\n"
        f'<Directory "{site}">\n    AllowOverride All\n    Require all granted\n</Directory>\n'
    )
    return subprocess.Popen(["/usr/sbin/apache2", "-X", "-f", str(conf)], stderr=subprocess.STDOUT)


def run_caddy(site: Path, tmp: Path, port: int) -> subprocess.Popen:
    block = guide_block("caddy", site).replace("yibao.example.cn {", f"http://127.0.0.1:{port} {{", 1)
    conf = tmp / "Caddyfile"
    conf.write_text("{\n    admin off\n}\n" + block.replace("/srv/yibao/site", str(site)))
    env = {"HOME": str(tmp), "XDG_DATA_HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp), "PATH": "/usr/bin:/bin"}
    return subprocess.Popen(
        ["/usr/bin/caddy", "run", "--config", str(conf), "--adapter", "caddyfile"],
        env=env,
        stdout=(tmp / "error.log").open("w"),
        stderr=subprocess.STDOUT,
    )


SERVERS = {"nginx": run_nginx, "apache": run_apache, "caddy": run_caddy}
# What each example sends for the wasm to a browser that accepts brotli and gzip
# (Debian's nginx-light has no brotli module: the guide says so).
WASM_CODING = {"nginx": "gzip", "apache": "br", "caddy": "br"}


@pytest.fixture(params=sorted(SERVERS))
def host(request, site_dir):
    name = request.param
    tmp = Path(tempfile.mkdtemp(prefix=f"yibao-{name}-"))
    site = publish(site_dir, tmp)
    port = free_port()
    proc = SERVERS[name](site, tmp, port)
    try:
        wait_listening(port, proc, tmp / "error.log")
        yield name, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def fetch(url: str, coding: str = "identity"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": coding})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


TYPES = {
    "": "text/html",
    "calculator/": "text/html",
    "embed/": "text/html",
    "embed/guide/": "text/html",
    "regions/changchun/employee/": "text/html",
    "css/calculator.css": "text/css",
    "data/index.json": "application/json",
    "pyodide/pyodide.asm.wasm": "application/wasm",
    "pyodide/pyodide.mjs": "text/javascript",
    "js/calculator-worker.js": "javascript",
    "sw.js": "javascript",
}


# Where the engine runs: these get the policy with 'wasm-unsafe-eval', every other file the other one.
ENGINE_PATHS = {"calculator/", "embed/", "js/calculator-worker.js"}


def test_host_headers(host, site_dir):
    """Right types (the type table is extended, not replaced), the site's CSP (with
    'wasm-unsafe-eval' only where the engine runs) and nosniff on every file, the service
    worker included, whether sent compressed or not, and the precompressed files sent as such."""
    name, base = host
    policies = {wasm: csp.policy(site_dir, wasm=wasm) for wasm in (False, True)}  # the same in the copy
    for path, kind in TYPES.items():
        for coding in ("identity", "br, gzip"):
            status, headers, body = fetch(base + path, coding)
            assert status == 200, (name, path, status)
            assert kind in headers.get("Content-Type", ""), (name, path, headers.get("Content-Type"))
            assert headers.get("Content-Security-Policy") == policies[path in ENGINE_PATHS], (name, path, coding)
            assert headers.get("X-Content-Type-Options") == "nosniff", (name, path)
            assert "no-cache" in headers.get("Cache-Control", ""), (name, path)
    status, headers, body = fetch(base + "pyodide/pyodide.asm.wasm", "br, gzip")
    assert headers.get("Content-Encoding") == WASM_CODING[name]
    assert "Accept-Encoding" in headers.get("Vary", "")
    assert headers.get("Content-Type") == "application/wasm"
    assert len(body) < (site_dir / "pyodide" / "pyodide.asm.wasm").stat().st_size / 2
    status, headers, _ = fetch(base + "no/such/page/")
    assert status == 404 and headers.get("Content-Security-Policy") == policies[False]


def test_host_smoke_in_chromium(host, browser):
    """A portal page, a calculator estimate, and the calculator again with the network off."""
    name, base = host
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda m: "Content Security Policy" in m.text and problems.append(m.text))
    try:
        response = page.goto(base)
        assert response.status == 200 and "text/html" in response.headers["content-type"]
        assert page.locator("h1").first.inner_text().strip()
        page.goto(base + SCENARIO)
        page.wait_for_selector("#yb-calc[data-first-result]", state="attached", timeout=BOOT_MS)
        fund = page.inner_text("#yb-fund-pays")
        assert re.fullmatch(r"(最多 |至少 )?[\d,]+\.\d\d 元", fund), fund
        page.evaluate("() => navigator.serviceWorker.ready")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=BOOT_MS)
        # The region this page used is in the offline copy too (it was fetched before the worker took over).
        page.wait_for_selector("#yb-calc[data-offline]", state="attached", timeout=BOOT_MS)
        context.set_offline(True)
        page.goto("about:blank")
        page.goto(base + SCENARIO)
        page.wait_for_selector("#yb-calc[data-first-result]", state="attached", timeout=BOOT_MS)
        assert page.inner_text("#yb-fund-pays") == fund
        assert not problems, (name, problems)
    finally:
        context.set_offline(False)
        context.close()
