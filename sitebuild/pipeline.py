"""The build, as an ordered list of named steps (STEPS): policy YAML -> bundle -> pages -> site/.

Each step is a function of the Build and says, in its docstring, what it needs from the
steps before it. `build()` runs them all; tests run a few (PORTAL) on a scratch root.
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import CACHE_DIR, ROOT, compression, csp, dates, engine, offline, placeholders

MAX_CHANGES_SHOWN = 40  # lines of the change list a build prints


@dataclass
class Build:
    """What the steps share. `root` holds the portal's sources (mkdocs.yml, docs/, portal/) and
    receives build/docs/ and site/; the policies, the calculator package, node_modules, site.toml
    and the caches are always the checkout's."""

    root: Path = ROOT
    bundle: dict | None = None
    epoch: int | None = None  # SOURCE_DATE_EPOCH of this build (dates.source_date_epoch when None)
    values: dict = field(default_factory=dict)  # build-time figures already known, by placeholder
    stdlib: str = ""  # what the trace of the standard library reported (for the summary line)

    @property
    def site(self) -> Path:
        return self.root / "site"


def compile_policies(b: Build) -> None:
    """Needs nothing: validates every policy file and keeps the bundle (the browser's JSON)."""
    from calculator.errors import PolicyDataError
    from compiler import compile_policies

    try:
        b.bundle = compile_policies(ROOT / "policies")
    except PolicyDataError as exc:  # file:line: reason, no traceback
        sys.exit(f"政策资料有错误，构建停止：\n{exc}")
    print(f"policies: {len(b.bundle['policies'])} schemes validated", flush=True)


def write_reference(b: Build) -> None:
    """Needs the policies checked: schema.json and README's key reference, rewritten from the vocabulary when stale."""
    from compiler.reference import write_all

    for name in write_all():
        print(f"{name}: rewritten from the vocabulary", flush=True)


def report_changes(b: Build) -> None:
    """Needs the bundle: what changed against the previous build, figure by figure with its cite (build/changes.txt)."""
    # A reviewer reads it in words; the previous build's figures are kept in .cache/figures.json.
    from compiler.changes import bundle_figures, report

    path = CACHE_DIR / "figures.json"
    now = bundle_figures(b.bundle)
    before = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    names = {rid: r["name"] for rid, r in b.bundle["regions"].items()} | {"national": "全国规定"}
    if before is None:
        lines = ["（第一次构建：没有可以比较的上一次构建）"]
    else:
        lines = report(before, now, names, b.bundle["documents"]) or ["与上一次构建相比，没有数字变化。"]
    out = b.root / "build" / "changes.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = lines[:MAX_CHANGES_SHOWN]
    more = f"\n  ……共 {len(lines)} 行，全部见 {out.relative_to(b.root)}" if len(lines) > len(shown) else ""
    print("changes against the previous build:\n" + "\n".join(shown) + more, flush=True)
    CACHE_DIR.mkdir(exist_ok=True)
    path.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True), encoding="utf-8")


def date_the_build(b: Build) -> None:
    """Needs the bundle (outside git the date comes from it): the build date; warns if the calendar ends soon."""
    if b.epoch is None:
        b.epoch = dates.source_date_epoch(b.bundle)
    warning = dates.calendar_warning(b.bundle, dates.day_of(b.epoch))
    if warning:
        print(warning, file=sys.stderr, flush=True)


def render_pages(b: Build) -> None:
    """Needs the bundle and the date: hand-written docs/ plus the generated pages in build/docs/."""
    import portal

    portal.prepare(b.bundle, b.root, dates.day_of(b.epoch))


def run_mkdocs(b: Build) -> None:
    """Needs build/docs/: MkDocs builds site/ (emptied first), then search in traditional characters."""
    import portal

    if not portal.run_mkdocs(b.root, strict=True, source_date_epoch=b.epoch):
        sys.exit("mkdocs build failed: see the warnings above")
    portal.finish(b.site)


def copy_pyodide(b: Build) -> None:
    """Needs site/: Pyodide's files and the QR code module, from node_modules."""
    engine.copy_pyodide(b.site)


def write_bundle(b: Build) -> None:
    """Needs the bundle and site/: policies.json and the embed allow-list (embed/origins.json)."""
    text = json.dumps(b.bundle, ensure_ascii=False)
    (b.site / "policies.json").write_text(text, encoding="utf-8")
    (b.site / "embed").mkdir(exist_ok=True)
    (b.site / "embed" / "origins.json").write_text(json.dumps({"allowed": csp.embed_origins()}), encoding="utf-8")
    b.values["__DATA_VERSION__"] = placeholders.data_version(b.bundle, text)


def compile_python(b: Build) -> None:
    """Needs policies.json (the standard library is traced on it): the bytecode zip and the trimmed stdlib."""
    b.stdlib = engine.compile_python(b.site)


def fill_script_values(b: Build) -> None:
    """Needs every engine file final (the snapshot key hashes them): package path, data version, key into scripts."""
    values = {"__PACKAGE__": engine.PACKAGE, "__SNAPSHOT_KEY__": engine.snapshot_key(b.site)}
    placeholders.fill(b.site, (".js",), {**values, "__DATA_VERSION__": b.values["__DATA_VERSION__"]})


def fill_download_size(b: Build) -> None:
    """Needs the scripts filled (the worker is part of the download): its size and file list into pages, scripts."""
    mb, files = engine.download(b.site)
    b.values["__DOWNLOAD_MB__"] = mb
    placeholders.fill(b.site, (".html", ".js"), {"__DOWNLOAD_MB__": mb, '"__ENGINE_FILES__"': json.dumps(files)})


def inline_boot_script(b: Build) -> None:
    """Needs the boot script filled: the calculator page carries it inline."""
    placeholders.inline_boot_script(b.site)


def fill_csp(b: Build) -> None:
    """Needs every inline script final (the policy hashes them): both policies into the embed guide."""
    policies = {"__CSP__": csp.policy(b.site), "__CSP_WASM__": csp.policy(b.site, wasm=True)}
    placeholders.fill(b.site, (".html",), {k: html.escape(v, quote=False) for k, v in policies.items()})


def write_service_worker(b: Build) -> None:
    """Needs every precached file final (the cache name hashes them): sw.js's file lists and cache name."""
    offline.write_service_worker(b.site)


def precompress(b: Build) -> None:
    """Needs every file final: .br and .gz siblings, then the one-line summary."""
    sizes = compression.precompress(b.site)
    mb = b.values["__DOWNLOAD_MB__"]
    print(f"site: first download {mb} MB; minimal standard library ({b.stdlib}); {len(sizes)} files")


PORTAL = [date_the_build, render_pages, run_mkdocs]
STEPS = [
    compile_policies,
    write_reference,
    report_changes,
    *PORTAL,
    copy_pyodide,
    write_bundle,
    compile_python,
    fill_script_values,
    fill_download_size,
    inline_boot_script,
    fill_csp,
    write_service_worker,
    precompress,
]


def run(b: Build, steps: list = STEPS) -> Build:
    for step in steps:
        step(b)
    return b


def build(root: Path = ROOT) -> Build:
    """The whole build: policies validated, pages rendered, site/ with the calculator's runtime."""
    return run(Build(root))


def clean(root: Path = ROOT) -> None:
    """Remove the generated pages, the built site and the caches."""
    for name in ("site", "dist", "build", ".pytest_cache", ".hypothesis", CACHE_DIR.name):
        shutil.rmtree(root / name, ignore_errors=True)
