"""The build's steps, behind `python3 build.py` (the command line stays in build.py).

    environment   .venv with the locked dependencies, npm packages, Debian packages, the lock
                  (standard library only: it runs before .venv exists)
    dates         the build date (reproducible), and the warning when the calendar runs out
    pipeline      the build as an ordered list of named steps; clean
    engine        what the browser worker runs: Pyodide, the calculator as bytecode, a trimmed stdlib
    placeholders  build-time figures written into pages and scripts; the boot script inlined
    csp           the Content-Security-Policy of each page, from the built HTML and site.toml
    offline       the service worker's file list and cache name
    compression   .br and .gz siblings of every compressible file
    server        the development server (as the embed guide's hosts serve the site)

This module imports only pathlib: `build.py` imports `sitebuild.environment` with the system Python.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SITE = ROOT / "site"
CACHE_DIR = ROOT / ".cache"  # results keyed by the hash of what they read (compression, Pyodide steps)
