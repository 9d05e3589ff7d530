"""Code health inside the test command: ruff (config in pyproject.toml) on the Python, yamllint
(.yamllint.yaml) on the hand-written YAML, ESLint (eslint.config.mjs, pinned in package.json)
on the hand-written JavaScript. Warnings count as failures."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean():
    r = run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_clean():
    r = run(sys.executable, "-m", "ruff", "format", "--no-cache", "--check", ".")
    assert r.returncode == 0, r.stdout + r.stderr


def test_yamllint_is_clean_on_policies_and_cases():
    r = run(sys.executable, "-m", "yamllint", "--strict", "--format", "parsable", "policies", "tests/cases")
    assert r.returncode == 0, r.stdout + r.stderr


def test_eslint_is_clean_on_the_browser_code():
    """docs/ (the calculator's modules and worker, the service worker, the theme's helpers); no vendor code."""
    r = run("node", "node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "docs")
    assert r.returncode == 0, r.stdout + r.stderr
