"""Set-up: a private .venv with the locked Python dependencies, the npm packages, Debian's packages.

Standard library only: build.py imports this with whatever Python runs it, before .venv exists.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import ROOT

VENV = ROOT / ".venv"
VENV_PY = VENV / "bin" / "python"
LOCK = ROOT / "requirements.lock"
PIP_VERSION = "26.3"
PIP_TOOLS_VERSION = "7.6.2"
# The lock is resolved against PyPI alone: the machine's pip configuration (local
# indexes, find-links, a constraints file) would make it differ from machine to machine.
PIP_ENV_DROP = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CONSTRAINT", "PIP_NO_INDEX")

# Debian packages the tests need: the browser, a Chinese font (print layout and
# screenshots as residents see them), and the web servers whose configurations
# the embed guide shows (tests/test_nginx_hosts.py runs each of them).
CHROMIUM = Path("/usr/bin/chromium")
SYSTEM_PACKAGES = {
    "chromium": CHROMIUM,
    "fonts-noto-cjk": Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    "nginx-light": Path("/usr/sbin/nginx"),
    "apache2": Path("/usr/sbin/apache2"),
    "caddy": Path("/usr/bin/caddy"),
}


def run(cmd: list, **kw) -> None:
    """Run a command from the checkout (or `cwd`), echoing it; a failure stops the build."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=kw.pop("cwd", ROOT), **kw)


def pip_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in PIP_ENV_DROP}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def ensure_venv(script: Path) -> None:
    """Create .venv with the locked dependencies (hashes required) and re-run `script` inside it."""
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not VENV_PY.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    stamp = VENV / ".deps-stamp"
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        pip = [str(VENV_PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        compressing = _compress_pyodide(pip)
        # pip itself is in the lock: it is pinned, never "whatever is newest".
        run([*pip, "--require-hashes", "--no-deps", "-r", str(LOCK)], env=pip_env())
        # The project itself (no dependencies of its own); its build backend comes from the lock.
        run([*pip, "--no-deps", "--no-build-isolation", "--no-index", "-e", "."], env=pip_env())
        if compressing.wait() != 0:
            print("Pyodide's files were not compressed ahead: the build compresses them", flush=True)
        stamp.write_text(digest)
    os.execv(str(VENV_PY), [str(VENV_PY), str(script), *sys.argv[1:]])


def _compress_pyodide(pip: list[str]) -> subprocess.Popen:
    """brotli alone (from the lock), then, in the background, the brotli of the Pyodide files the site
    serves as they are (half a minute on one core, cached by content: the build then finds them),
    while pip installs the rest on the other core."""
    block, lines = [], LOCK.read_text(encoding="utf-8").splitlines()
    for line in lines[next(i for i, line in enumerate(lines) if line.startswith("brotli==")) :]:
        block.append(line)
        if not line.endswith("\\"):
            break
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as one:
        one.write("\n".join(block) + "\n")
    try:
        run([*pip, "--require-hashes", "--no-deps", "-r", one.name], env=pip_env())
    finally:
        os.unlink(one.name)
    code = "from sitebuild import compression, engine; compression.warm(engine.pyodide_as_is())"
    print("+ compressing Pyodide's files in the background", flush=True)
    return subprocess.Popen([str(VENV_PY), "-c", code], cwd=ROOT)


def ensure_npm() -> None:
    """Install the pinned npm packages (Pyodide, the QR code generator, ESLint) from package-lock.json."""
    lock = ROOT / "package-lock.json"
    stamp = ROOT / "node_modules" / ".lock-stamp"
    digest = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(["npm", "ci", "--no-audit", "--no-fund"])
    stamp.write_text(digest)


def ensure_debian_packages() -> None:
    """Debian's Chromium, a Chinese font and the guide's web servers (Playwright cannot download a browser here)."""
    missing = [name for name, path in SYSTEM_PACKAGES.items() if not path.exists()]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing Debian packages; install them with: sudo apt-get install -y {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # apt's many lines go to a log (the build prints meanwhile); a failure prints the log.
    log = ROOT / "build" / "apt.log"
    log.parent.mkdir(exist_ok=True)
    with open(log, "w", encoding="utf-8") as out:
        try:
            run(["apt-get", "update"], env=env, stdout=out, stderr=subprocess.STDOUT)
            run(
                ["apt-get", "install", "-y", "--no-install-recommends", *missing],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        except subprocess.CalledProcessError:
            out.flush()
            sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
            raise
    print(f"installed {' '.join(missing)} (apt's output: {log.relative_to(ROOT)})", flush=True)


def lock() -> None:
    """Re-resolve requirements.lock (hashes, PyPI only) from pyproject.toml's dev extra and PIP_VERSION."""
    with tempfile.TemporaryDirectory() as tmp:
        tools = Path(tmp) / "venv"
        run([sys.executable, "-m", "venv", str(tools)], env=pip_env())
        run([str(tools / "bin" / "pip"), "install", "--quiet", f"pip-tools=={PIP_TOOLS_VERSION}"], env=pip_env())
        cmd = [str(tools / "bin" / "pip-compile"), "--quiet", "--generate-hashes", "--allow-unsafe", "--strip-extras"]
        cmd += ["--extra", "dev", "--no-emit-index-url", "--no-emit-find-links", "--output-file", LOCK.name]
        print("+", " ".join(cmd), flush=True)
        subprocess.run(
            [*cmd, "pyproject.toml", "-"],
            input=f"pip=={PIP_VERSION}\n",
            text=True,
            check=True,
            cwd=ROOT,
            env=pip_env(),
        )
