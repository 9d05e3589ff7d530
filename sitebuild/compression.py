"""Precompressed siblings (.br, .gz) of every compressible file, so hosts send them as they are."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from . import CACHE_DIR, filememo, files_in
from .filememo import FileMemo

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".txt", ".webmanifest", ".zip", ".xml")


# The region, document and search pages are many (thousands at hundreds of regions) and each is
# read by few: brotli 8 (60 times faster than 11, 7% larger). A region's policy file is loaded by
# that region's visitors only: 10 (a third of 11's time, 1.4% larger). The engine and what every
# visitor loads get brotli's best.
BULK = ("regions/", "documents/", "search/")
REGION_DATA = "data/regions/"
BEST, REGION, FAST = 11, 10, 8
# brotli's window (2**21 bytes): Pyodide's wasm (9.6 MB, the only file much larger) comes out 1.7%
# smaller than with the largest window (24), in three quarters of the time.
WINDOW = 21


def quality(rel: str) -> int:
    """brotli's quality for a file of the site (its path relative to the site)."""
    if rel.startswith(BULK):
        return FAST
    return REGION if rel.startswith(REGION_DATA) else BEST


def _settings(level: int) -> str:
    """What decides the compressed bytes besides the content (the cache's and the memo's key)."""
    return f"q{level}w{WINDOW}"


def _cache_paths(data: bytes, level: int) -> tuple[Path, Path]:
    key = hashlib.sha256(data).hexdigest() + "-" + _settings(level)
    cache = CACHE_DIR / "precompressed"
    return cache / f"{key}.br", cache / f"{key}.gz"


def compressed(data: bytes, level: int = BEST) -> tuple[bytes, bytes]:
    """(brotli, gzip) of data, cached by content hash: brotli 11 takes the wasm half a minute, once.
    Both are byte-stable: brotli has no header to vary, and the gzip header's time is 0."""
    import brotli

    br_path, gz_path = _cache_paths(data, level)
    if not (br_path.exists() and gz_path.exists()):
        br_path.parent.mkdir(parents=True, exist_ok=True)
        for path, body in ((br_path, brotli.compress(data, quality=level, lgwin=WINDOW)),
                           (gz_path, gzip.compress(data, compresslevel=9, mtime=0))):  # fmt: skip
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes may write one key
            tmp.write_bytes(body)
            os.replace(tmp, path)
    return br_path.read_bytes(), gz_path.read_bytes()


def _compress_file(args: tuple[str | bytes, int]) -> None:
    what, level = args
    compressed(what if isinstance(what, bytes) else Path(what).read_bytes(), level)


def warm(files: dict[str, Path | bytes], workers: int = 2) -> None:
    """Fill the cache for these files or contents, each at the quality of its place in the site (a
    path relative to it), in `workers` processes: set-up starts this for Pyodide's files while pip
    installs, the build early for the engine's files, whose content never depends on the data, and
    for the data's region files, which are known once the policies are compiled."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(w if isinstance(w, bytes) else str(w), quality(rel)) for rel, w in files.items()
            if isinstance(w, bytes) or w.exists()]  # fmt: skip
    # Spawned, not forked: this runs beside the build's other steps, and a forked child would
    # hold open the pipes of their subprocesses (git, MkDocs), which would then never end.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_compress_file, jobs))


def precompress(root: Path, memo: FileMemo | None = None) -> dict[str, int]:
    """Write .br and .gz siblings of every compressible file where they save bytes, and remove
    every other .br and .gz file (stale ones, such as MkDocs's sitemap.xml.gz, or those of a file
    gone since the last build). A sibling already holding the right bytes is left as it is, and
    a file `memo` saw with its siblings, all unchanged since, is not read again.
    Returns the bytes a browser accepting brotli transfers for each file (relative path)."""
    memo = memo or filememo.none(root)
    sizes, todo, siblings, wanted = {}, [], set(), set()
    for path in files_in(root):
        if path.name.endswith((".br", ".gz")):
            siblings.add(path)
            continue
        rel = path.relative_to(root).as_posix()
        sizes[rel] = path.stat().st_size
        if path.name.endswith(COMPRESSIBLE) and sizes[rel] >= 256:
            done = _unchanged(memo, path, quality(rel))
            if done is None:
                todo.append((path, quality(rel)))
            else:
                wanted.update(Path(f"{path}{suffix}") for suffix in done["siblings"])
                sizes[rel] = done["sent"]
    _fill_cache(todo)
    for path, level in todo:
        data = path.read_bytes()
        br, gz = compressed(data, level)
        kept = {}
        for suffix, body in ((".gz", gz), (".br", br)):
            if len(body) < 0.95 * len(data):  # an already compressed zip gains nothing
                target = Path(f"{path}{suffix}")
                wanted.add(target)
                if target not in siblings or target.read_bytes() != body:
                    target.write_bytes(body)
                elif target.stat().st_mtime_ns < (made := path.stat().st_mtime_ns):
                    # The file was written again with the same bytes (a rebuild): the sibling is not
                    # stale, and the dev server only sends a sibling that is not older than its file.
                    os.utime(target, ns=(made, made))
                kept[suffix] = filememo.signature(target)
        rel = path.relative_to(root).as_posix()
        if len(br) < 0.95 * len(data):
            sizes[rel] = len(br)
        memo.keep(path, {"settings": _settings(level), "siblings": kept, "sent": sizes[rel]})
    for stale in sorted(siblings - wanted):
        _remove(stale, root)
    return sizes


def _unchanged(memo: FileMemo, path: Path, level: int) -> dict | None:
    """What `memo` kept for the file if neither it nor its siblings changed since (same quality)."""
    done = memo.recall(path)
    if done is filememo.MISSING or done.get("settings") != _settings(level):
        return None
    for suffix, sig in done["siblings"].items():
        sibling = Path(f"{path}{suffix}")
        if not sibling.exists() or filememo.signature(sibling) != sig:
            return None
    return done


def _fill_cache(todo: list[tuple[Path, int]]) -> None:
    """Compress what the cache lacks, in two processes (a rebuild finds nearly all of it there)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    missing = [(str(p), q) for p, q in todo if not all(c.exists() for c in _cache_paths(p.read_bytes(), q))]
    if missing:
        spawn = multiprocessing.get_context("spawn")  # not forked: see warm()
        with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:  # two cores
            list(pool.map(_compress_file, missing, chunksize=16))


def _remove(path: Path, root: Path) -> None:
    """Remove a file, and the directories it leaves empty (a page gone since the last build)."""
    path.unlink()
    parent = path.parent
    while parent != root and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent
