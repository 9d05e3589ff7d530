"""The portal (build time only): policy bundle -> Markdown pages -> static site.

    prepare(bundle, root)   copy the hand-written docs/ into build/docs/ and render the
                            generated pages there (docs/ is never written to; unchanged files
                            keep their time)
    run_mkdocs(root)        build the site from build/docs/ with the one mkdocs.yml (only the
                            changed pages when nothing else changed: portal.incremental)
    start_search(root)      the site's search index, in shards (portal.search), in another process;
                            Material's lunr removed

Nothing here uses the MkDocs plugin API: the pages are plain Markdown (raw HTML
tables inside), mkdocs.yml is thin, and the only extension is a Python-Markdown
one (portal.mdskip), so another generator that reads mkdocs.yml can build
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

from . import incremental
from .example import EXAMPLE
from .pages import render
from .search import remove_lunr

__all__ = ["EXAMPLE", "build_dir", "prepare", "render", "run_mkdocs", "start_search"]

HERE = Path(__file__).resolve().parent


def build_dir(root: Path) -> Path:
    return Path(root) / "build" / "docs"


def prepare(bundle: dict, root: Path, today: dt.date | None = None, cache: Path | None = None) -> Path:
    """build/docs/: the hand-written docs/ plus the generated pages, rewritten only where a file
    changed (portal.incremental: the next MkDocs build renders only those); with `cache`, each
    region's pages are kept there by what they are made of (portal.pages.RegionCache)."""
    out = build_dir(root)
    fresh = out.with_name("docs.new")
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(Path(root) / "docs", fresh, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    render(bundle, fresh, today, cache=cache)
    incremental.sync(fresh, out)
    return out


def run_mkdocs(root: Path, strict: bool = True, source_date_epoch: int | None = None) -> bool:
    """`mkdocs build` with root/mkdocs.yml (docs_dir: build/docs) into build/mkdocs-site/, then
    root/site/ made to hold its files (portal.incremental.mirror); True if it succeeded. Only the
    pages whose Markdown changed are rendered again when nothing else did, and a whole build is two
    MkDocs processes at once (portal.incremental). MkDocs dates the build (sitemap, page dates)
    from `source_date_epoch` when given."""
    root = Path(root)
    built, key_file = root / "build" / "mkdocs-site", root / "build" / "mkdocs-site.key"
    key = incremental.layout_key(root, build_dir(root), source_date_epoch)
    dirty = built.is_dir() and key_file.exists() and key_file.read_text(encoding="utf-8") == key
    key_file.unlink(missing_ok=True)  # until this build succeeds, the next one builds everything
    cmd = [sys.executable, "-m", "portal.mkdocs_run", "build", "-f", str(root / "mkdocs.yml")]
    # portal.mkdocs_run and portal.mdskip (named in mkdocs.yml): importable from the repository root
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": path}
    if source_date_epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(source_date_epoch)
    strict_flag = ["--strict"] if strict else []

    def mkdocs(out: Path) -> subprocess.Popen:
        return subprocess.Popen([*cmd, "-d", str(out), *strict_flag, "--dirty"], cwd=root, env=env)

    # A rebuild renders the pages that changed; a whole build runs in two halves at once.
    if not (dirty and mkdocs(built).wait() == 0):
        if not incremental.in_two_halves(build_dir(root), built, root / "build" / "mkdocs-half", mkdocs):
            return False
    key_file.write_text(key, encoding="utf-8")
    incremental.mirror(built, root / "site", keep=("search/",))  # what a fresh copy would hold
    return True


def start_search(root: Path, cache: Path | None = None) -> subprocess.Popen:
    """Material's lunr search removed from root/site/, then its search index (portal.search) built
    in another process from MkDocs's pages (build/mkdocs-site/, which nothing changes meanwhile),
    returned running: the build's next steps go on meanwhile on the other core (they fill
    placeholders in site/'s pages and read no file of the index), and wait for it before the
    steps that do."""
    site = Path(root) / "site"
    remove_lunr(site)
    code = "import sys; from pathlib import Path; from portal.search import build_index; "
    code += "build_index(Path(sys.argv[1]), Path(sys.argv[2]) if sys.argv[2] else None, Path(sys.argv[3]))"
    path = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    argv = [sys.executable, "-c", code, str(site), str(cache or ""), str(Path(root) / "build" / "mkdocs-site")]
    return subprocess.Popen(argv, cwd=HERE.parent, env={**os.environ, "PYTHONPATH": path})
