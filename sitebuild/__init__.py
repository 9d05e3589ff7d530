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

This module imports only os and pathlib: `build.py` imports `sitebuild.environment` with the system Python.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout
SITE = ROOT / "site"
# Results keyed by the hash of what they read (policy files read, search pages, compression,
# Pyodide steps); YIBAO_BUILD_CACHE names another place (the benchmark's cold builds).
CACHE_DIR = Path(os.environ.get("YIBAO_BUILD_CACHE") or ROOT / ".cache")
# Each policy file's reading, kept by its bytes (compile_policies(cache=)): the build's, and the
# tests' that compile a changed copy of policies/ (only the changed file is read again).
POLICY_READINGS = CACHE_DIR / "policy-files"


def files_in(root: Path, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """Every file under `root` (ending with one of `suffixes`, if given), in the order of
    sorted(root.rglob("*")): the later steps walk site/'s 19,000 files several times, and os.walk
    does it several times faster than pathlib."""
    found, cut = [], len(str(root)) + 1
    for top, _dirs, names in os.walk(root):
        parts = tuple(top[cut:].split(os.sep)) if len(top) >= cut else ()  # strings: pathlib is slow here
        found.extend((parts + (name,), top, name) for name in names if not suffixes or name.endswith(suffixes))
    found.sort(key=lambda item: item[0])
    return [Path(top, name) for _parts, top, name in found]
