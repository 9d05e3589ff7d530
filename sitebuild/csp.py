"""The Content-Security-Policy: the dev server sends it, the embed guide's host examples show it.

One policy for every file, from the built HTML (the hashes of its inline scripts) and
site.toml (the origins allowed to frame the calculator), with one difference: only the
files that run WebAssembly (the pages that start the Pyodide worker, and the worker
itself) allow compiling it ('wasm-unsafe-eval').
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import tomllib
from pathlib import Path

from . import ROOT, filememo, files_in
from .filememo import FileMemo

SITE_TOML = ROOT / "site.toml"
ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$")
INLINE_SCRIPT = re.compile(r"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=")  # matched in lowercased text, at each "style" (has_inline_style)
# The files (relative to the site) whose policy allows WebAssembly: the calculator and embed
# pages, which start the worker, and the worker, which runs Pyodide. The embed guide's host
# examples list the same paths (tests/test_nginx_hosts.py runs them).
WASM_FILES = ("calculator/index.html", "embed/index.html", "js/calculator-worker.js")


def embed_origins(site_toml: Path = SITE_TOML) -> list[str]:
    """site.toml [embed] allowed_origins: the sites allowed to frame the calculator (contract 5)."""
    config = tomllib.loads(site_toml.read_text(encoding="utf-8")) if site_toml.exists() else {}
    origins = config.get("embed", {}).get("allowed_origins", [])
    bad = [o for o in origins if not isinstance(o, str) or not ORIGIN.match(o)]
    if not isinstance(origins, list) or bad:
        sys.exit(f"site.toml: [embed] allowed_origins must list origins such as https://www.example.cn, not {bad}")
    return origins


def inline_scripts(root: Path, memo: FileMemo | None = None) -> tuple[set[str], bool]:
    """sha256 sources of every inline script in the built HTML, and whether any inline style exists
    (each page read again only if it changed since `memo` saw it)."""
    memo = memo or filememo.none(root)
    hashes, inline_style = set(), False
    for html in files_in(root, (".html",)):
        if html.relative_to(root).parts[0] != "bench":
            page_hashes, page_style = memo.get(html, _page_scripts)
            hashes.update(page_hashes)
            inline_style = inline_style or page_style
    return hashes, inline_style


def _page_scripts(html: Path) -> list:
    """[the sha256 sources of the page's inline scripts, whether it has an inline style]."""
    text = html.read_text(encoding="utf-8")
    hashes = []
    for attrs, body in INLINE_SCRIPT.findall(text):
        kind = re.search(r"""type=["']?([^"'\s>]+)""", attrs)
        if re.search(r"\ssrc=", attrs) or (kind and kind.group(1) not in ("module", "text/javascript")):
            continue  # external, or a data block (JSON) that never runs
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode() + "'")
    return [hashes, has_inline_style(text)]


def has_inline_style(text: str) -> bool:
    """A <style> element or a style= attribute. Found from each "style" in the lowercased text:
    one case-insensitive search of the whole text took seconds at 2,700 pages."""
    low = text.lower()
    at = low.find("style")
    while at != -1:
        if INLINE_STYLE.match(low, max(at - 1, 0)):
            return True
        at = low.find("style", at + 1)
    return False


def policies(root: Path, origins: list[str] | None = None, memo: FileMemo | None = None) -> dict[bool, str]:
    """Both policies of the site built in `root` ({wasm: policy}), reading its HTML once."""
    found = inline_scripts(root, memo)
    return {wasm: policy(root, origins, wasm, found) for wasm in (False, True)}


def policy(root: Path, origins: list[str] | None = None, wasm: bool = False, found=None) -> str:
    """The policy of the site built in `root`; `wasm` for the files in WASM_FILES.

    script-src: our files, wasm compilation where Pyodide runs, and the hashes of the theme's
    inline helpers (no 'unsafe-inline'). style-src keeps 'unsafe-inline' only while a built page
    still carries an inline style (a <style> element or style="" attribute): those cannot be
    hashed without 'unsafe-hashes'. frame-ancestors: this site plus site.toml's allow-list.
    `found`: what inline_scripts(root) returned, when already known.
    """
    hashes, inline_style = inline_scripts(root) if found is None else found
    origins = embed_origins() if origins is None else origins
    return "; ".join(
        [
            "default-src 'self'",
            " ".join(["script-src 'self'", *(["'wasm-unsafe-eval'"] if wasm else []), *sorted(hashes)]),
            "style-src 'self'" + (" 'unsafe-inline'" if inline_style else ""),
            "img-src 'self' data:",
            "font-src 'self'",
            "worker-src 'self'",
            "connect-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            " ".join(["frame-ancestors 'self'", *origins]),
        ]
    )
