"""The build, as an ordered list of named steps (STEPS): policy YAML -> bundle -> pages -> site/.

Each step is a function of the Build and says, in its docstring, what it needs from the
steps before it. `build()` runs them all; tests run a few (PORTAL) on a scratch root.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import (
    CACHE_DIR,
    POLICY_READINGS,
    ROOT,
    bundles,
    compression,
    csp,
    dates,
    engine,
    filememo,
    offline,
    placeholders,
)


class Background:
    """A step's work that runs while the next steps do (a thread: the work is in subprocesses)."""

    def __init__(self, work):
        self._out, self._err = None, None

        def run():
            try:
                self._out = work()
            except BaseException as exc:  # noqa: BLE001 - re-raised where the result is needed
                self._err = exc

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def result(self):
        self._thread.join()
        if self._err is not None:
            raise self._err
        return self._out


MAX_CHANGES_SHOWN = 40  # lines of the change list a build prints


@dataclass
class Build:
    """What the steps share. `root` holds the portal's sources (mkdocs.yml, docs/, portal/) and
    receives build/docs/ and site/; the policies, the calculator package, node_modules, site.toml
    and the caches are always the checkout's."""

    root: Path = ROOT
    policies: Path = ROOT / "policies"  # the policy YAML (the benchmark builds a synthetic corpus)
    bundle: dict | None = None
    epoch: int | None = None  # SOURCE_DATE_EPOCH of this build (dates.source_date_epoch when None)
    values: dict = field(default_factory=dict)  # build-time figures already known, by placeholder
    engine: Background | None = None  # the engine's Python, compiled while the pages are built
    warm: Background | None = None  # Pyodide's files compressed meanwhile
    stdlib: str = ""  # what the trace of the standard library reported (for the summary line)
    search: subprocess.Popen | None = None  # the search index, built while the later steps run
    seconds: dict = field(default_factory=dict)  # wall-clock seconds of each step run (the benchmark prints them)

    @property
    def site(self) -> Path:
        return self.root / "site"

    def memo(self, step: str) -> filememo.FileMemo:
        """What `step` found in each file of site/, kept until the file changes (sitebuild.filememo)."""
        return filememo.FileMemo(self.root / "build" / "memo" / f"{step}.json", self.site)


def compile_policies(b: Build) -> None:
    """Needs nothing: validates every policy file and keeps the bundle (the browser's JSON)."""
    from calculator.errors import PolicyDataError
    from compiler import compile_policies

    try:
        b.bundle = compile_policies(b.policies, POLICY_READINGS)
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

    # A synthetic corpus (the benchmark's) keeps its own, so the next real build compares with the real one.
    path = CACHE_DIR / "figures.json" if b.policies == ROOT / "policies" else b.root / "build" / "figures.json"
    now = bundle_figures(b.bundle, CACHE_DIR / "region-figures")
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

    portal.prepare(b.bundle, b.root, dates.day_of(b.epoch), CACHE_DIR / "region-pages")


def run_mkdocs(b: Build) -> None:
    """Needs build/docs/: MkDocs builds site/, then the search index starts in another process."""
    import portal

    if not portal.run_mkdocs(b.root, strict=True, source_date_epoch=b.epoch):
        sys.exit("mkdocs build failed: see the warnings above")
    b.search = portal.start_search(b.root, CACHE_DIR / "search-pages")


def finish_search(b: Build) -> None:
    """Needs the search index started: waits for it (the offline list and the siblings cover it)."""
    if b.search.wait() != 0:
        sys.exit("the search index failed: see the error above")


def copy_pyodide(b: Build) -> None:
    """Needs site/: Pyodide's files and the QR code module, from node_modules."""
    engine.copy_pyodide(b.site)


def start_engine(b: Build) -> None:
    """Needs the bundle: in the background, the engine's Python, the brotli of it, Pyodide and the region files."""
    # The standard library is traced on one policy of each shape; Pyodide's files never change.
    staging = b.root / "build" / "engine"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    trace = b.root / "build" / "trace-bundle.json"
    trace.write_text(json.dumps(bundles.one_of_each_shape(b.bundle), ensure_ascii=False), encoding="utf-8")

    def python() -> str:
        report = engine.compile_python(staging, trace)
        # brotli of the package and the trimmed standard library (seconds each), meanwhile too
        compression.warm({rel: staging / rel for rel in (engine.PACKAGE, "pyodide/python_stdlib.zip")})
        return report

    b.engine = Background(python)
    # One worker takes the wasm (half a minute), the other the rest and then the region files.
    regions = {f"data/{rel}": data for rel, data in bundles.region_files(b.bundle).items()}
    b.warm = Background(lambda: compression.warm({**engine.pyodide_as_is(), **regions}))


def write_bundle(b: Build) -> None:
    """Needs the bundle and site/: data/index.json and a file per region, the embed allow-list (embed/origins.json)."""
    b.values["__DATA_VERSION__"] = placeholders.data_version(b.bundle, json.dumps(b.bundle, ensure_ascii=False))
    bundles.write(b.bundle, b.site / "data", b.values["__DATA_VERSION__"])
    (b.site / "embed").mkdir(exist_ok=True)
    (b.site / "embed" / "origins.json").write_text(json.dumps({"allowed": csp.embed_origins()}), encoding="utf-8")


def compile_python(b: Build) -> None:
    """Needs site/ and the engine started: its bytecode zip and trimmed standard library into site/."""
    b.stdlib = b.engine.result()
    shutil.copytree(b.root / "build" / "engine", b.site, dirs_exist_ok=True)


def fill_script_values(b: Build) -> None:
    """Needs every engine file final (the snapshot key hashes them): package path, data version, key into scripts."""
    values = {"__PACKAGE__": engine.PACKAGE, "__SNAPSHOT_KEY__": engine.snapshot_key(b.site)}
    with b.memo("fill_script_values") as memo:
        placeholders.fill(b.site, (".js",), {**values, "__DATA_VERSION__": b.values["__DATA_VERSION__"]}, memo)


def fill_download_size(b: Build) -> None:
    """Needs the scripts filled (the worker is part of the download): its size and file list into pages, scripts."""
    b.warm.result()  # Pyodide's brotli, measured here, is done in the background
    mb, files = engine.download(b.site)
    b.values["__DOWNLOAD_MB__"] = mb
    values = {"__DOWNLOAD_MB__": mb, '"__ENGINE_FILES__"': json.dumps(files)}
    with b.memo("fill_download_size") as memo:
        placeholders.fill(b.site, (".html", ".js"), values, memo)


def inline_boot_script(b: Build) -> None:
    """Needs the boot script filled: the calculator page carries it inline."""
    with b.memo("inline_boot_script") as memo:
        placeholders.inline_boot_script(b.site, memo)


def fill_csp(b: Build) -> None:
    """Needs every inline script final (the policy hashes them): both policies into the embed guide."""
    with b.memo("csp") as memo:
        both = csp.policies(b.site, memo=memo)
    policies = {"__CSP__": both[False], "__CSP_WASM__": both[True]}
    with b.memo("fill_csp") as memo:
        placeholders.fill(b.site, (".html",), {k: html.escape(v, quote=False) for k, v in policies.items()}, memo)


def write_service_worker(b: Build) -> None:
    """Needs every precached file final (the cache name hashes them): sw.js's file lists and cache name."""
    with b.memo("write_service_worker") as memo:
        offline.write_service_worker(b.site, memo)


def precompress(b: Build) -> None:
    """Needs every file final: .br and .gz siblings, then the one-line summary."""
    with b.memo("precompress") as memo:
        sizes = compression.precompress(b.site, memo)
    mb = b.values["__DOWNLOAD_MB__"]
    print(f"site: first download {mb} MB; minimal standard library ({b.stdlib}); {len(sizes)} files")


PORTAL = [date_the_build, render_pages, run_mkdocs, finish_search]
STEPS = [
    compile_policies,
    start_engine,
    write_reference,
    report_changes,
    *PORTAL[:-1],
    copy_pyodide,
    write_bundle,
    compile_python,
    fill_script_values,
    fill_download_size,
    inline_boot_script,
    fill_csp,
    finish_search,
    write_service_worker,
    precompress,
]


def run(b: Build, steps: list = STEPS) -> Build:
    for step in steps:
        start = time.perf_counter()
        step(b)
        b.seconds[step.__name__] = time.perf_counter() - start
    return b


def build(root: Path = ROOT) -> Build:
    """The whole build: policies validated, pages rendered, site/ with the calculator's runtime."""
    return run(Build(root))


def clean(root: Path = ROOT) -> None:
    """Remove the generated pages, the built site and the caches of the tree at `root` (another
    tree's clean, e.g. a test's, leaves this checkout's build cache alone)."""
    for name in ("site", "dist", "build", ".pytest_cache", ".hypothesis"):
        shutil.rmtree(root / name, ignore_errors=True)
    shutil.rmtree(CACHE_DIR if root == ROOT else root / ".cache", ignore_errors=True)
