"""Precompressed siblings (.br, .gz) of every compressible file, so hosts send them as they are."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from . import CACHE_DIR

COMPRESSIBLE = (".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".txt", ".webmanifest", ".zip", ".xml")


def compressed(data: bytes) -> tuple[bytes, bytes]:
    """(brotli, gzip) of data, cached by content hash: brotli 11 takes the wasm a minute, once.
    Both are byte-stable: brotli has no header to vary, and the gzip header's time is 0."""
    import brotli

    key = hashlib.sha256(data).hexdigest() + "-q11w24"
    cache = CACHE_DIR / "precompressed"
    br_path, gz_path = cache / f"{key}.br", cache / f"{key}.gz"
    if not (br_path.exists() and gz_path.exists()):
        cache.mkdir(parents=True, exist_ok=True)
        br_path.write_bytes(brotli.compress(data, quality=11, lgwin=24))
        gz_path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    return br_path.read_bytes(), gz_path.read_bytes()


def precompress(root: Path) -> dict[str, int]:
    """Write .br and .gz siblings of every compressible file where they save bytes (and remove
    stale ones, such as MkDocs's sitemap.xml.gz). Returns the bytes a browser accepting brotli
    transfers for each file (relative path)."""
    sizes = {}
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith((".br", ".gz")):
            continue
        rel = path.relative_to(root).as_posix()
        data = path.read_bytes()
        sizes[rel] = len(data)
        for suffix in (".br", ".gz"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        if not path.name.endswith(COMPRESSIBLE) or len(data) < 256:
            continue
        br, gz = compressed(data)
        if len(gz) < 0.95 * len(data):  # an already compressed zip gains nothing
            Path(f"{path}.gz").write_bytes(gz)
        if len(br) < 0.95 * len(data):
            Path(f"{path}.br").write_bytes(br)
            sizes[rel] = len(br)
    return sizes
