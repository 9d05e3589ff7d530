"""Code health inside the test command: ruff (config in pyproject.toml) on the Python, yamllint
(.yamllint.yaml) on the hand-written YAML, ESLint (eslint.config.mjs, pinned in package.json)
on the hand-written JavaScript. Warnings count as failures."""

import re
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


def test_no_bare_sleeps_in_the_tests():
    """A fixed wait followed by "nothing happened" passes on a fast machine and fails on a slow one
    (issue 17): a test waits for the event that proves it or for the state that excludes it. A
    short sleep is allowed only inside a loop that polls for a state, and says so on its line."""
    pattern = re.compile(r"\b(wait_for_timeout|time\.sleep|asyncio\.sleep)\(")
    bare = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and "# polls for a state" not in line
    ]
    assert not bare, "\n".join(bare)
