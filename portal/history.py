"""A region's change history, by data version: what every commit of its file changed, in words.

Read from git at build time: the commits of the branch's own line (first parents: a merged
branch counts as one change) that touched policies/<region>.yaml (following renames), each
revision loaded as written and its figures compared with the revision before
(compiler/changes.py). The same commit gives the same history, so two builds of one tree are
identical; a tree without git history (an exported copy, a new file not yet committed) shows
no history and says so. A revision the loader refuses is skipped: its mistakes were fixed in a
later commit.
"""

from __future__ import annotations

import functools
import hashlib
import subprocess
from pathlib import Path

from compiler import load_yaml
from compiler.changes import diff, figures
from compiler.yaml_loader import Refused

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 30  # changes listed for one data version; the rest are counted
CITE_CHARS = 24  # a document's title and clause are cut to this many characters on a page


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def _commits(rel: str) -> list[tuple[str, str, str]]:
    """(commit, date, path at that commit), oldest first."""
    log = _git("log", "--first-parent", "--follow", "--format=%x00%H %cs", "--name-only", "--", rel) or ""
    found = []
    for block in log.split("\0")[1:]:
        head, *paths = [line for line in block.splitlines() if line.strip()]
        commit, date = head.split()
        found.append((commit, date, paths[-1] if paths else rel))
    return found[::-1]


def data_version(text: str, data: dict) -> tuple[str, str | None]:
    """A region file's data version: a short hash of its text, and the newest document date in it."""
    code = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    documents = data.get("documents") if isinstance(data.get("documents"), dict) else {}
    dates = [d["date"] for d in documents.values() if isinstance(d, dict) and isinstance(d.get("date"), str)]
    return code, max(dates) if dates else None


def history(rel: str) -> list[dict]:
    """[{date, version, newest, changes: [line], more: n}] for a region file, newest first."""
    if not (ROOT / rel).exists():  # a region compiled from elsewhere (a scratch copy, a synthetic set)
        return []
    out, before = [], None
    for commit, date, path in _commits(rel):
        revision = _revision(commit, path)
        if revision is None:
            continue
        text, data, now = revision
        documents = data.get("documents") if isinstance(data.get("documents"), dict) else {}
        lines = [f"首次收录：{len(now)} 个数字"] if before is None else diff(before, now, documents, CITE_CHARS)
        if before is None or lines:
            version, newest = data_version(text, data)
            out.append({"date": date, "version": version, "newest": newest, "changes": lines[:MAX_LINES],
                        "more": max(0, len(lines) - MAX_LINES)})  # fmt: skip
        before = now
    return out[::-1]


@functools.cache
def _revision(commit: str, path: str) -> tuple[str, dict, dict] | None:
    """A region file as committed: its text, its data and its figures (None if refused). A commit
    never changes, so each is read once per process (tests render the pages many times); callers
    only read what it returns."""
    text = _git("show", f"{commit}:{path}")
    try:
        data, _ = load_yaml(text or "")
        return text, data, figures("region_file", data)
    except (Refused, TypeError, AttributeError, KeyError):
        return None
