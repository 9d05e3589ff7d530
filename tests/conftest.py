"""Shared fixtures: the built site (once per session), a local server for it, and Chromium.

`python3 build.py test` builds the site before pytest, so the fixtures reuse
site/ as built; they build it only when it is missing (e.g. plain `pytest`).
"""

import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pytest_configure(config):
    """The runtime never compiles YAML: compile the policies once (build time) and load them,
    and point CLI subprocesses at the same bundle."""
    import json
    import os
    import tempfile

    import calculator
    from compiler import compile_policies

    bundle = compile_policies(ROOT / "policies")
    calculator.load_bundle(bundle)
    path = Path(tempfile.mkdtemp(prefix="yibao-bundle-")) / "policies.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    os.environ["YIBAO_BUNDLE"] = str(path)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built site; built here only if `python3 build.py build` has not run."""
    import fcntl

    from sitebuild import CACHE_DIR, SITE, pipeline

    CACHE_DIR.mkdir(exist_ok=True)
    with open(CACHE_DIR / "site-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # pytest-xdist: one worker builds, the others wait for it
        if not (SITE / "index.html").exists() or not (SITE / "search" / "search_index.json").exists():
            pipeline.build()
    return SITE


@pytest.fixture(scope="session")
def site_bundle(site_dir, tmp_path_factory) -> Path:
    """The full bundle the browser gets, as one file: site/data/index.json with every region
    file merged in (calculator.data.load_path), for tests that need the browser's very data."""
    import json

    from calculator import data

    saved = data.bundle()
    try:
        full = data.load_path(site_dir / "data")
    finally:
        data.load_bundle(saved)
    path = tmp_path_factory.mktemp("site-bundle") / "policies.json"
    path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def site_url(site_dir) -> str:
    """Base URL (ending in /) of site/ served by sitebuild.server.make_server on a free port."""
    from sitebuild.server import make_server

    server = make_server(site_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        new_context = chromium.new_context

        def dated_context(**options):
            # Every page's clock says the suite's day: the form's dates and the checker's "today"
            # (both the page's today) never depend on the day the suite runs. Timers keep running.
            context = new_context(**options)
            context.clock.set_fixed_time(f"{FROZEN_TODAY}T12:00:00")
            return context

        chromium.new_context = dated_context
        check_layout_font(chromium)
        yield chromium
        chromium.close()


# The font the layout tests measure (text widths, wrapping, pages in print): the one the test command
# installs (Debian's fonts-noto-cjk), which css/portal.css's font stack names.
LAYOUT_FONT = "Noto Sans CJK SC"


def check_layout_font(chromium) -> None:
    """Chinese text in the site's font stacks (the portal's, the embed page's) is drawn in LAYOUT_FONT,
    asked of Chromium itself (the DevTools protocol's platform fonts for a heading): on a machine where
    it would fall back to another font the browser tests stop here with the reason, instead of
    measuring different text widths."""
    import re

    css = (ROOT / "docs" / "css" / "portal.css").read_text(encoding="utf-8")
    css += (ROOT / "docs" / "css" / "calculator.css").read_text(encoding="utf-8")
    stacks = [
        re.search(r"--md-text-font:\s*([^;]+);", css)[1],
        re.search(r"yb-embed-page \{[^}]*font-family:([^;]+);", css)[1],
    ]
    context = chromium.new_context(locale="zh-CN", service_workers="block")
    try:
        page = context.new_page()
        page.set_content("".join(f"<h1 style='font-family: {stack}'>医保报销计算器</h1>" for stack in stacks))
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        used = set()
        for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "h1"})["nodeIds"]:
            used |= {f["familyName"] for f in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
    finally:
        context.close()
    assert used == {LAYOUT_FONT}, (
        f"Chinese text is drawn in {sorted(used)}, not {LAYOUT_FONT}: the layout tests measure with the font "
        "`python3 build.py test` installs (apt-get install fonts-noto-cjk)"
    )


# True once the engine's memory snapshot is in the offline copy (calculator-worker.js saveSnapshot).
SNAPSHOT_SAVED = """async () => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    if ((await cache.keys()).some((request) => request.url.includes("/__snapshot__/"))) return true;
  }
  return false;
}"""


def warm_context(browser, site_url: str):
    """A context whose engine pages start as a returning visitor's do: the calculator opened once,
    its service worker's offline copy complete and the engine's memory snapshot saved, so every later
    load restores it (about a second) instead of booting Python cold (five or more on this machine).
    Tests about a first visit or a cold start open a fresh context of their own."""
    import time

    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "calculator/")
    page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=180_000)
    deadline = time.monotonic() + 180
    while not page.evaluate(SNAPSHOT_SAVED):
        assert time.monotonic() < deadline, "the engine's memory snapshot was never saved"
        page.wait_for_timeout(250)  # polls for a state
    page.close()
    return context


@pytest.fixture(scope="session")
def warm(browser, site_url):
    """One returning visitor's context per test process, shared by every module's engine pages
    (a module fixture would boot Python cold again each time pytest-xdist moves a process to
    another module and back). Tests that change a context's settings open their own."""
    context = warm_context(browser, site_url)
    yield context
    context.close()


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test."""
    context = browser.new_context(locale="zh-CN")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def serve_site(site_dir):
    """serve_site(embed_origins=[...]) -> base URL (ending in /) of site/ on a fresh server whose
    frame-ancestors and /embed/origins.json allow those origins (contract 5); `site_url` allows
    only what site.toml lists (by default: same origin only)."""
    from sitebuild.server import make_server

    servers = []

    def start(embed_origins=None):
        server = make_server(site_dir, port=0, embed_origins=embed_origins)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------- no test depends on the day it runs


class DefaultDateUsed(BaseException):
    """A request reached the engine without its date (a BaseException: nothing in the engine swallows it)."""


# The day a test marked `default_date` gets for a request without a date; every other test must set it.
FROZEN_TODAY = "2026-03-02"
_allow_default = {"on": False}
REAL_DEFAULT_TODAY = []  # the engine's own default, kept for the test that checks it


def _default_today():
    import datetime

    if not _allow_default["on"]:
        raise DefaultDateUsed(
            "a request without its date reached the engine's default (today): set `date` (estimate) or "
            "`visit_date` and `today` (remote) in the test, or mark it @pytest.mark.default_date"
        )
    return datetime.date.fromisoformat(FROZEN_TODAY)


def pytest_sessionstart(session):
    """The engine's default date (calculator.request.default_today) is replaced for the whole
    session: a test that leaves a date out fails, unless it is about the default (`default_date`,
    which then gets FROZEN_TODAY, never the real day)."""
    import calculator.request

    REAL_DEFAULT_TODAY.append(calculator.request.default_today)
    calculator.request.default_today = _default_today


@pytest.fixture(autouse=True)
def _default_date_marker(request):
    _allow_default["on"] = request.node.get_closest_marker("default_date") is not None
    yield
    _allow_default["on"] = False
