"""What a step found in each file of site/, kept until the file changes (a rebuild reads only new files).

At hundreds of regions site/ holds thousands of files, and a rebuild after one region's change
leaves nearly all of them as they were (portal.incremental.mirror copies only what changed). The
steps that look at every file (the inline scripts' hashes, the placeholders, the service worker's
hash, the compressed siblings) keep their finding for each file with the file's signature, and
read the file again only when its signature differs.

A signature is (size, modification time, change time, inode). The change time is set by the
system on every write and cannot be set back, so a file written again with the same size and a
copied modification time still differs, and no two files share one: a file found under another
name with the same signature is the same file in a renamed directory (findings are about
content; a step that also reads the name checks it). Memos live in the build directory (build/memo/), and a
missing or unreadable memo only means every file is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

MISSING = object()


def signature(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class FileMemo:
    """Findings by file (relative to `root`), saved to `path` when the step ends without an error.
    With `path` None nothing is kept (a test's scratch site, a one-off check)."""

    def __init__(self, path: Path | None, root: Path):
        self.path, self.root = path, Path(root)
        self.old: dict = {}
        if path is not None and path.exists():
            try:
                self.old = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:  # a memo cut short: read every file
                self.old = {}
        self.new: dict = {}
        # A file in a renamed directory keeps its signature (a rebuild renames the search index's).
        self.moved = {tuple(entry[0]): entry for entry in self.old.values()}
        self._cut = len(str(self.root)) + 1

    def _rel(self, path: Path) -> str:
        # A slice, not Path.relative_to: this runs for each of site/'s thousands of files.
        return str(path)[self._cut :].replace(os.sep, "/")

    def recall(self, path: Path):
        """The finding kept for this file if it has not changed since (then kept again), else MISSING."""
        rel, sig = self._rel(path), signature(path)
        entry = self.old.get(rel)
        if entry is None or entry[0] != sig:
            entry = self.moved.get(tuple(sig))
        if entry is not None and entry[0] == sig:
            self.new[rel] = entry
            return entry[1]
        return MISSING

    def keep(self, path: Path, finding):
        """Keep a finding for the file as it is now (after the step wrote it, if it did)."""
        self.new[self._rel(path)] = [signature(path), finding]
        return finding

    def get(self, path: Path, find):
        """find(path), or what it found last time if the file is unchanged."""
        found = self.recall(path)
        return self.keep(path, find(path)) if found is MISSING else found

    def __enter__(self) -> FileMemo:
        return self

    def __exit__(self, kind, _value, _tb) -> None:
        if kind is None and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(self.new, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(tmp, self.path)


def none(root: Path) -> FileMemo:
    """A memo that keeps nothing (every file is read)."""
    return FileMemo(None, root)
