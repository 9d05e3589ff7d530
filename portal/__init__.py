"""The portal (build time only): policy bundle -> Markdown pages -> static site.

    prepare(bundle, root)   copy the hand-written docs/ into build/docs/ and render the
                            generated pages there (docs/ is never written to)
    run_mkdocs(root)        build the site from build/docs/ with the one mkdocs.yml
    finish(site)            search in traditional characters; drop unused search language packs

Nothing here uses the MkDocs plugin API: the pages are plain Markdown (raw HTML
tables inside), mkdocs.yml is thin, and the only extension is a Python-Markdown
one (portal.mdtables), so another generator that reads mkdocs.yml can build
the same directory. Every figure is written as <span class="fig" data-v="…">
next to a link to the clause it comes from (tests/test_portal.py checks this).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .example import EXAMPLE
from .pages import render
from .search import add_traditional_search, prune_language_packs

__all__ = ["EXAMPLE", "build_dir", "finish", "prepare", "render", "run_mkdocs"]

HERE = Path(__file__).resolve().parent


def build_dir(root: Path) -> Path:
    return Path(root) / "build" / "docs"


def prepare(bundle: dict, root: Path, today: dt.date | None = None) -> Path:
    """A fresh build/docs/: the hand-written docs/ plus the generated pages."""
    out = build_dir(root)
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(Path(root) / "docs", out, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    render(bundle, out, today)
    return out


def run_mkdocs(root: Path, strict: bool = True, source_date_epoch: int | None = None) -> bool:
    """`mkdocs build` with root/mkdocs.yml (docs_dir: build/docs); True if it succeeded.
    MkDocs dates the build (sitemap, page dates) from `source_date_epoch` when given."""
    cmd = [sys.executable, "-m", "portal.mkdocs_run", "build", "-f", str(Path(root) / "mkdocs.yml")]
    # portal.mkdocs_run and portal.mdtables (named in mkdocs.yml): importable from the repository root
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path}
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    return subprocess.run(cmd + (["--strict"] if strict else []), cwd=root, env=env).returncode == 0


def finish(site: Path) -> None:
    add_traditional_search(site)
    prune_language_packs(site)
