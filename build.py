#!/usr/bin/env python3
"""The one build entry point.

    python3 build.py serve    set up, build the portal + calculator, serve on localhost
    python3 build.py test     set up, build, run every test (CI runs exactly this)
    python3 build.py build    validate policies, render pages, build the site into site/
    python3 build.py bench    print the benchmarks (engine, hostile_yaml, portal, browser)
    python3 build.py clean    remove generated pages, the built site and caches
    python3 build.py lock     re-resolve requirements.lock (hashes) after a change to pyproject.toml

On a fresh machine the first run creates .venv, installs the pinned Python and
npm dependencies and (for tests) Debian's packages, then re-executes itself
inside .venv. Only the standard library is imported before that. The steps
themselves live in the package sitebuild/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from sitebuild import ROOT, SITE, environment


def cmd_build(args) -> None:
    from sitebuild import pipeline

    pipeline.build()


def cmd_serve(args) -> None:
    from sitebuild.server import make_server

    cmd_build(args)
    server = make_server(SITE, args.host, args.port)
    print(f"serving {SITE} on http://{args.host}:{server.server_port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def cmd_test(args) -> int:
    from concurrent.futures import ThreadPoolExecutor

    # Debian's packages (for the browser tests) install while the site builds: on a fresh
    # machine apt waits on the network and dpkg, the build on the CPU.
    with ThreadPoolExecutor(1) as pool:
        packages = pool.submit(environment.ensure_debian_packages)
        cmd_build(args)
        packages.result()
    extra = list(args.pytest_args or [])
    if extra[:1] == ["--"]:  # python3 build.py test -- -x -k estimate
        extra = extra[1:]
    if not any(a.startswith(("-n", "--numprocesses")) for a in extra):
        # On every core (pytest-xdist; `-n 0`: one process). A module marked xdist_group stays on
        # one worker, so its costly module fixture (a 340-region site, a booted page) is made once.
        extra = ["-n", "auto", "--dist", "loadgroup", *extra]
    return subprocess.call([sys.executable, "-m", "pytest", *extra], cwd=ROOT)


def cmd_bench(args) -> int:
    if not args.what or "browser" in args.what:
        cmd_build(args)  # the browser benchmark measures the site as built from this checkout
    return subprocess.call([sys.executable, str(ROOT / "tests" / "bench.py"), *(args.what or [])], cwd=ROOT)


def cmd_clean(args) -> None:
    from sitebuild import pipeline

    pipeline.clean()
    print("cleaned")


def cmd_lock(args) -> None:
    environment.lock()


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
        environment.ensure_npm()  # first: a new .venv compresses Pyodide's files while pip installs
        environment.ensure_venv(Path(__file__).resolve())
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
