"""Rebuilding only the pages that changed: a region's YAML edited re-renders its pages, not 2,700.

MkDocs's own `--dirty` build (a command-line option, not the plugin API) renders a page only when
its Markdown file is newer than the page it built last time. For that to be right:

- build/docs/ is rewritten only where a file's bytes changed (`sync`), so an unchanged page keeps
  its time; a page that includes a snippet (`--8<-- "…"`) is touched when the snippet changed;
- MkDocs writes into its own directory (build/mkdocs-site/), never into site/, which the later
  steps fill in place (placeholders, hashes, compression): site/ is made to hold exactly its files
  each build (`mirror`: a file is copied when its bytes differ, so one the later steps changed is
  copied again; the .br and .gz siblings are sitebuild.compression's, which rewrites only those
  that differ and removes the rest; search/ is portal.search's);
- a dirty build is used only when nothing but page contents changed (`layout_key`: the set of
  files, mkdocs.yml, the theme's overrides, the Markdown extension, the MkDocs and Material
  versions, the build date); anything else, or a dirty build that fails, builds everything, in
  two MkDocs processes at once (`in_two_halves`).

A clean build and a dirty one give the same site (tests/test_portal.py).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SNIPPET = re.compile(r'^--8<-- "([^"]+)"', re.M)


def sync(fresh: Path, out: Path) -> None:
    """Make `out` hold exactly the files of `fresh`, replacing only those whose bytes differ (their
    time is now); `fresh` is used up."""
    new = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    old = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} if out.exists() else set()
    changed = set()
    for rel in sorted(new):
        src, dst = fresh / rel, out / rel
        if rel in old and _same(src, dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dst)
        os.utime(dst)  # a hand-written file keeps its checkout time in the copy: newer than the last build
        changed.add(rel)
    for rel in old - new:
        (out / rel).unlink()
    for rel in sorted(new):  # a page including a changed snippet is itself changed
        if rel.endswith(".md") and rel not in changed:
            text = (out / rel).read_text(encoding="utf-8")
            if any(name in changed for name in SNIPPET.findall(text)):
                os.utime(out / rel)
    shutil.rmtree(fresh, ignore_errors=True)


def in_two_halves(docs: Path, built: Path, other: Path, mkdocs) -> bool:
    """A whole build into `built` as two MkDocs processes at once (two cores), `mkdocs(out)`
    starting a `--dirty` build into `out`: each renders every page but one half of the region and
    document pages, whose outputs it finds already there (an empty file as new as the Markdown,
    which `--dirty` skips); the other process's half is then moved in. Those pages are in no nav
    and never shape another page, as a dirty rebuild equal to a clean build shows
    (tests/test_portal.py). True if both succeeded."""
    pages = sorted(rel for rel in (p.relative_to(docs).as_posix() for p in docs.rglob("*.md")) if _one_of_many(rel))
    halves = pages[0::2], pages[1::2]
    for out, skipped in ((built, halves[1]), (other, halves[0])):
        shutil.rmtree(out, ignore_errors=True)
        for rel in skipped:
            target = out / _output(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
            source = (docs / rel).stat()
            os.utime(target, ns=(source.st_atime_ns, source.st_mtime_ns))
    codes = [process.wait() for process in [mkdocs(built), mkdocs(other)]]
    if any(codes):
        return False
    for rel in halves[1]:
        os.replace(other / _output(rel), built / _output(rel))
    shutil.rmtree(other)
    return True


def _one_of_many(rel: str) -> bool:
    """A region's page or a document's (regions/<id>/*.md, documents/<id>.md), not an index."""
    parts = rel.split("/")
    if parts[0] == "regions" and len(parts) == 3:
        return not parts[2].startswith("_")
    return parts[0] == "documents" and len(parts) == 2 and parts[1] != "index.md"


def _output(rel: str) -> str:
    """The page MkDocs writes for a Markdown file (use_directory_urls)."""
    stem = rel[: -len(".md")]
    return f"{stem[: -len('index')]}index.html" if stem.split("/")[-1] == "index" else f"{stem}/index.html"


SIBLINGS = (".br", ".gz")  # precompressed siblings in site/: sitebuild.compression keeps them


def mirror(src: Path, dst: Path, keep: tuple[str, ...] = ()) -> None:
    """Make `dst` hold exactly the files of `src` (besides .br/.gz siblings and the files under the
    prefixes in `keep`, which their own steps rewrite), copying only those whose bytes differ:
    the result is a fresh copy's, and a rebuild writes only what changed."""

    def files(root: Path) -> set[str]:
        # os.walk and strings: pathlib took seconds over site/'s 19,000 files
        out, cut = set(), len(str(root)) + 1
        for top, _dirs, names in os.walk(root):
            base = top[cut:].replace(os.sep, "/") + "/" if len(top) >= cut else ""
            out.update(base + n for n in names if not n.endswith(SIBLINGS) and not (base + n).startswith(keep))
        return out

    new, old = files(src), files(dst)
    for rel in sorted(old - new):
        (dst / rel).unlink()
        remove_empty_dirs((dst / rel).parent, dst)
    for rel in sorted(new):
        source, target = src / rel, dst / rel
        if rel in old and _same(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def _same(a: Path, b: Path) -> bool:
    """Both files hold the same bytes (then the one in place stays, with its time). The one in
    place was copied from this source (same size and modification time, which the copy keeps,
    and a later write of either changes) or holds the same bytes."""
    sa, sb = a.stat(), b.stat()
    if sa.st_size != sb.st_size:
        return False
    return sa.st_mtime_ns == sb.st_mtime_ns or a.read_bytes() == b.read_bytes()


def remove_empty_dirs(path: Path, top: Path) -> None:
    """Remove `path` and its parents below `top` while they are empty."""
    while path != top and path.is_dir() and not any(path.iterdir()):
        path.rmdir()
        path = path.parent


def layout_key(root: Path, docs: Path, source_date_epoch: int | None) -> str:
    """What every page depends on besides its own Markdown: when it changes, every page is built."""
    digest = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"):
        digest.update(f"{name}={metadata.version(name)}\n".encode())
    digest.update(f"epoch={source_date_epoch}\n".encode())
    digest.update((Path(root) / "mkdocs.yml").read_bytes())
    digest.update((HERE / "mdskip.py").read_bytes())
    overrides = Path(root) / "portal" / "overrides"
    for path in sorted(overrides.rglob("*")) if overrides.exists() else []:
        if path.is_file():
            digest.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(docs).as_posix().encode() + b"\n")
    return digest.hexdigest()
