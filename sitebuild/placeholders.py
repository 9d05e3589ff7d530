"""Build-time figures written into the built pages and scripts (`__NAME__` placeholders), and
the calculator page's boot script put into the page."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import filememo, files_in
from .filememo import FileMemo

BOOT_SCRIPT = "js/calculator-boot.js"
NOT_OURS = ("pyodide", "bench")  # top-level folders of the site whose files hold no placeholder


def fill(root: Path, suffixes: tuple[str, ...], values: dict[str, str], memo: FileMemo | None = None) -> None:
    """Replace each placeholder in every file of `root` with one of `suffixes` (a file `memo` saw
    after it was filled, and unchanged since, holds none: it is not read again)."""
    values = dict(values)
    # In Markdown prose __NAME__ renders as <strong>NAME</strong>: replace that form too.
    for key, value in list(values.items()):
        if key.startswith("__") and key.endswith("__"):
            values[f"<strong>{key[2:-2]}</strong>"] = value

    def replace(path: Path) -> bool:
        text = path.read_text(encoding="utf-8")
        if any(key in text for key in values):
            for key, value in values.items():
                text = text.replace(key, value)
            path.write_text(text, encoding="utf-8")
        return True  # none left

    memo = memo or filememo.none(root)
    for path in files_in(root, suffixes):
        if path.relative_to(root).parts[0] not in NOT_OURS:
            memo.get(path, replace)


def data_version(bundle: dict, text: str) -> str:
    """What pages show as the data version, saying what each part is: a short hash of
    policies.json (it changes with any change to the data) and the newest document date in it."""
    code = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    dates = [d["date"] for d in (bundle.get("documents") or {}).values() if d.get("date")]
    return f"编号 {code} · 所收文件最新为 {max(dates)}" if dates else f"编号 {code}"


def inline_boot_script(root: Path, memo: FileMemo | None = None) -> None:
    """The calculator page's boot script goes into the page (the file stays for the embed page,
    which loads it async): the worker starts one round trip sooner, before the stylesheets'
    requests fill the browser's connections. `memo`: as for fill (keyed by the script too)."""
    body = (root / BOOT_SCRIPT).read_text(encoding="utf-8")
    script = hashlib.sha256(body.encode("utf-8")).hexdigest()

    def inline(page: Path) -> str:
        text = page.read_text(encoding="utf-8")
        src = os.path.relpath(root / BOOT_SCRIPT, page.parent).replace(os.sep, "/")
        tag = f'<script src="{src}"></script>'
        if tag in text:
            page.write_text(text.replace(tag, f'<script data-src="{src}">{body}</script>'), encoding="utf-8")
        return script  # the page holds this script inline, or never loads it

    memo = memo or filememo.none(root)
    for page in files_in(root, (".html",)):
        if memo.recall(page) != script:
            memo.keep(page, inline(page))
