"""The service worker's file list and cache name (sw.js works the site offline after one visit)."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from . import filememo, files_in
from .filememo import FileMemo

# Not in the offline cache: precompressed siblings, source maps, the sitemap (no page
# reads it), benchmark pages, and search language packs (and the Thai and Japanese
# word splitters) a Chinese site never loads.
SW_SKIP = (".map", ".gz", ".br", ".xml")
SW_SKIP_DIRS = ("bench/",)
# Cached when first used (path prefixes), not precached: a visitor needs one region of hundreds,
# and search pieces only once search is used. Precached files under these prefixes (the region
# and document indexes, national pages, the search manifest) stay precached.
SW_ON_DEMAND = ("data/regions/", "search/", "regions/", "documents/")
LUNR_PACK = re.compile(
    r"^assets/javascripts/lunr/(min/lunr\.(?!zh\b|stemmer\.support\b|multi\b)[a-z]{2}\.min\.js|wordcut\.js|tinyseg\.js)$"
)


def regional(root: Path):
    """A test for the files of one region (its data file, pages and documents' pages) and the
    search pieces: what the offline copy keeps once used (the site's data/index.json says which)."""
    index = json.loads((root / "data" / "index.json").read_text(encoding="utf-8"))
    regions, national_docs = set(index["regions"]), set(index["documents"])

    def test(rel: str) -> bool:
        parts = rel.split("/")
        return (
            rel.startswith("data/regions/")
            or (parts[0] == "search" and len(parts) > 2)
            or (parts[0] == "regions" and len(parts) > 2 and parts[1] in regions)
            or (parts[0] == "documents" and len(parts) > 2 and parts[1] not in national_docs)
        )

    return test


def precache_list(root: Path) -> list[str]:
    """Every file a page of the site can use, as URLs relative to the site root, but the
    regions' own files and the search pieces (kept once used)."""
    urls = ["./"]
    kept_once_used = regional(root)
    cut = len(str(root)) + 1
    for path in files_in(root):
        rel = str(path)[cut:].replace(os.sep, "/")  # a slice: Path.relative_to is slow at 19,000 files
        if (
            rel == "sw.js"
            or rel.endswith(SW_SKIP)
            or rel.startswith(SW_SKIP_DIRS)
            or kept_once_used(rel)
            or LUNR_PACK.match(rel)
        ):
            continue
        # Pages are linked as directories (x/): cache that URL only, not x/index.html as well.
        urls.append(rel[: -len("index.html")] if path.name == "index.html" and rel != "index.html" else rel)
    return urls


def write_service_worker(root: Path, memo: FileMemo | None = None) -> None:
    """Fill sw.js's file lists and its cache name: a hash of every precached file, so any change
    installs a fresh cache (and drops the old one once it takes over). `memo` keeps each file's hash."""
    sw = root / "sw.js"
    if not sw.exists():
        return
    urls = precache_list(root)
    memo = memo or filememo.none(root)
    digest = hashlib.sha256()
    for rel in urls:
        page = root / rel / "index.html" if rel.endswith("/") else root / rel
        digest.update(rel.encode() + b"\0" + memo.get(page, _sha256).encode())
    text = sw.read_text(encoding="utf-8")
    text = text.replace("__CACHE_VERSION__", digest.hexdigest()[:16])
    text = text.replace('["__PRECACHE__"]', json.dumps(urls, ensure_ascii=False))
    text = text.replace('["__ON_DEMAND__"]', json.dumps(list(SW_ON_DEMAND)))
    sw.write_text(text, encoding="utf-8")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
