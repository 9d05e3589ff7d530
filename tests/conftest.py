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
    from sitebuild import SITE, pipeline

    if not (SITE / "index.html").exists() or not (SITE / "search" / "search_index.json").exists():
        pipeline.build()
    return SITE


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
        yield chromium
        chromium.close()


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
