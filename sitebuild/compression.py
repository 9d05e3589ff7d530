"""Precompressed siblings (.br, .gz) of every compressible file, so hosts send them as they are."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

from . import CACHE_DIR

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".txt", ".webmanifest", ".zip", ".xml")


# The region, document and search pages are many (thousands at hundreds of regions) and each is
# read by few: brotli 8 (60 times faster than 11, 7% larger); everything else, the engine and what
# every visitor loads, gets brotli's best.
BULK = ("regions/", "documents/", "search/")
BEST, FAST = 11, 8


def quality(rel: str) -> int:
    return FAST if rel.startswith(BULK) else BEST


def compressed(data: bytes, level: int = BEST) -> tuple[bytes, bytes]:
    """(brotli, gzip) of data, cached by content hash: brotli 11 takes the wasm a minute, once.
    Both are byte-stable: brotli has no header to vary, and the gzip header's time is 0."""
    import brotli

    key = hashlib.sha256(data).hexdigest() + f"-q{level}w24"
    cache = CACHE_DIR / "precompressed"
    br_path, gz_path = cache / f"{key}.br", cache / f"{key}.gz"
    if not (br_path.exists() and gz_path.exists()):
        cache.mkdir(parents=True, exist_ok=True)
        for path, body in ((br_path, brotli.compress(data, quality=level, lgwin=24)),
                           (gz_path, gzip.compress(data, compresslevel=9, mtime=0))):  # fmt: skip
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # two processes may write one key
            tmp.write_bytes(body)
            os.replace(tmp, path)
    return br_path.read_bytes(), gz_path.read_bytes()


def _compress_file(args: tuple[str, int]) -> None:
    compressed(Path(args[0]).read_bytes(), args[1])


def warm(paths: list[Path], workers: int = 2) -> None:
    """Fill the cache for these files (in `workers` processes): the build starts this early for
    the engine's files, whose content never depends on the data."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    jobs = [(str(p), BEST) for p in paths if p.exists()]
    # Spawned, not forked: this runs beside the build's other steps, and a forked child would
    # hold open the pipes of their subprocesses (git, MkDocs), which would then never end.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_compress_file, jobs))


def precompress(root: Path) -> dict[str, int]:
    """Write .br and .gz siblings of every compressible file where they save bytes (and remove
    stale ones, such as MkDocs's sitemap.xml.gz). Returns the bytes a browser accepting brotli
    transfers for each file (relative path)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    sizes, todo = {}, []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith((".br", ".gz")):
            continue
        rel = path.relative_to(root).as_posix()
        sizes[rel] = path.stat().st_size
        for suffix in (".br", ".gz"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if path.name.endswith(COMPRESSIBLE) and sizes[rel] >= 256:
            todo.append((str(path), quality(rel)))
    spawn = multiprocessing.get_context("spawn")  # not forked: see warm()
    with ProcessPoolExecutor(max_workers=2, mp_context=spawn) as pool:  # two cores (cached results are quick)
        list(pool.map(_compress_file, todo, chunksize=16))
    for name, level in todo:
        path = Path(name)
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        br, gz = compressed(data, level)
        if len(gz) < 0.95 * len(data):  # an already compressed zip gains nothing
            Path(f"{path}.gz").write_bytes(gz)
        if len(br) < 0.95 * len(data):
            Path(f"{path}.br").write_bytes(br)
            sizes[rel] = len(br)
    return sizes
