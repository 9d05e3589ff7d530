"""The service worker's file list and cache name (sw.js works the site offline after one visit)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

# Not in the offline cache: precompressed siblings, source maps, the sitemap (no page
# reads it), benchmark pages, and search language packs (and the Thai and Japanese
# word splitters) a Chinese site never loads.
SW_SKIP = (".map", ".gz", ".br", ".xml")
SW_SKIP_DIRS = ("bench/",)
# Cached when first used, not precached: most visitors never open search, and at
# hundreds of regions the index would be the biggest file of a first visit.
SW_ON_DEMAND = ("search/search_index.json",)
LUNR_PACK = re.compile(
    r"^assets/javascripts/lunr/(min/lunr\.(?!zh\b|stemmer\.support\b|multi\b)[a-z]{2}\.min\.js|wordcut\.js|tinyseg\.js)$"
)


def precache_list(root: Path) -> list[str]:
    """Every file a page of the site can use, as URLs relative to the site root."""
    urls = ["./"]
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if (
            not path.is_file()
            or rel == "sw.js"
            or rel.endswith(SW_SKIP)
            or rel.startswith(SW_SKIP_DIRS)
            or rel in SW_ON_DEMAND
            or LUNR_PACK.match(rel)
        ):
            continue
        # Pages are linked as directories (x/): cache that URL only, not x/index.html as well.
        urls.append(rel[: -len("index.html")] if path.name == "index.html" and rel != "index.html" else rel)
    return urls


def write_service_worker(root: Path) -> None:
    """Fill sw.js's file lists and its cache name: a hash of every precached file, so any change
    installs a fresh cache (and drops the old one once it takes over)."""
    sw = root / "sw.js"
    if not sw.exists():
        return
    urls = precache_list(root)
    digest = hashlib.sha256()
    for rel in urls:
        page = root / rel / "index.html" if rel.endswith("/") else root / rel
        digest.update(rel.encode() + b"\0" + page.read_bytes())
    text = sw.read_text(encoding="utf-8")
    text = text.replace("__CACHE_VERSION__", digest.hexdigest()[:16])
    text = text.replace('["__PRECACHE__"]', json.dumps(urls, ensure_ascii=False))
    text = text.replace('["__ON_DEMAND__"]', json.dumps(list(SW_ON_DEMAND)))
    sw.write_text(text, encoding="utf-8")
