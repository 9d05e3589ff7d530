"""Portal benchmark (not a test): python3 build.py bench portal

At 10 regions (policies/ as it is) and at 340 (plus fictional regions from tests/synthetic.py:
YAML files whose figures and text differ region by region, every figure cited), each built by the
real build (sitebuild.pipeline, in a temporary root, in its own process):
  - the whole build's time, cold (no site, no build directory, an empty cache) and where it goes
    (each step's seconds); and a rebuild after one region's YAML changed (the same cache);
    targets at 340: cold <= 60 s, rebuild <= 20 s (on this machine's two cores);
  - bytes sent (as the dev server sends them: brotli) from opening the calculator to the first
    estimate; target at 340: within 5% of the 10-region figure, and <= 3.5 MB;
  - a region page with search unused (target <= 100 KB), then the first search query (起付线)
    typed on it: every piece of index and every result fragment (target <= 300 KB);
  - the largest page of the site (raw and brotli).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from synthetic import write_corpus  # noqa: E402

SCENARIO = "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000&b=2000&s=1000"
REGION_PAGE = "regions/changchun/employee/"
QUERY = "起付线"
BUILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from sitebuild import pipeline
b = pipeline.run(pipeline.Build(Path({build!r}), policies=Path({policies!r})))
print("SECONDS " + json.dumps(b.seconds))
"""


def copy_sources(root: Path) -> None:
    """What a fresh clone has: mkdocs.yml, the hand-written docs/ and the portal's templates and overrides."""
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("docs", "portal"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))


def build(root: Path, policies: Path, cache: Path) -> tuple[float, dict]:
    """One whole build in its own process: wall seconds and each step's."""
    code = BUILD.format(root=str(ROOT), build=str(root), policies=str(policies))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "YIBAO_BUILD_CACHE": str(cache), "PYTHONHASHSEED": "0"},
    )
    wall = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("SECONDS "))
    return wall, json.loads(line[len("SECONDS ") :])


def change_one_region(policies: Path) -> str:
    """An editor's change: one region's summary sentence and a deductible."""
    path = sorted(policies.glob("synth*.yaml"))[-1] if list(policies.glob("synth*.yaml")) else policies / "beijing.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("summary: |\n", "summary: |\n      （本次修订调整了文字。）\n", 1)
    text = re.sub(r"provincial: (\d+)", lambda m: f"provincial: {int(m.group(1)) + 10}", text, count=1)
    path.write_text(text, encoding="utf-8")
    return path.stem


def measure_browser(site: Path) -> dict:
    from conftest import CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    from sitebuild.server import make_server

    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN", service_workers="block")
        page = context.new_page()
        server.sent.clear()
        page.goto(base + SCENARIO)
        page.wait_for_selector("#yb-calc[data-first-result]", timeout=600_000)
        shown = (
            page.evaluate("() => performance.timeOrigin") + float(page.get_attribute("#yb-calc", "data-first-result"))
        ) / 1000
        out["first_estimate"] = sum(n for at, n in list(server.sent) if at <= shown)
        context.close()

        context = browser.new_context(locale="zh-CN", service_workers="block")
        page = context.new_page()
        server.sent.clear()
        page.goto(base + REGION_PAGE, wait_until="networkidle")
        out["region_page"] = sum(n for _, n in list(server.sent))
        server.sent.clear()
        page.locator("[data-md-component=search-query]").click()
        page.locator("[data-md-component=search-query]").fill(QUERY)
        page.wait_for_function(
            "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=120_000
        )
        page.wait_for_load_state("networkidle")
        out["search"] = sum(n for _, n in list(server.sent))
        out["search_results"] = page.locator(".md-search-result__meta").inner_text()
        context.close()
        browser.close()
    server.shutdown()
    server.server_close()
    return out


def largest_page(site: Path) -> tuple[str, int, int]:
    pages = sorted(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    big = pages[-1]
    br = Path(f"{big}.br")
    return big.relative_to(site).as_posix(), big.stat().st_size, br.stat().st_size if br.exists() else 0


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB" if n < 1e6 else f"{n / 1e6:.2f} MB"


def report(count: int, figures: dict) -> None:
    cold, steps = figures["cold"]
    rebuild, rsteps = figures["rebuild"]
    print(f"portal at {count} regions ({figures['schemes']} schemes, {figures['pages']} pages):")
    print(f"  build, cold: {cold:.1f} s (target at 340: <= 60 s); per step:")
    print("    " + ", ".join(f"{k} {v:.1f}" for k, v in steps.items()))
    print(f"  rebuild after one region's YAML changed ({figures['changed']}): {rebuild:.1f} s (target at 340: <= 20 s)")
    print("    " + ", ".join(f"{k} {v:.1f}" for k, v in rsteps.items()))
    b = figures["browser"]
    print(f"  bytes to the first estimate (brotli, as sent): {kb(b['first_estimate'])}")
    print(f"  region page {REGION_PAGE}, search unused: {kb(b['region_page'])} (target <= 100 KB)")
    print(
        f"  first search query ({QUERY}) and its results: {kb(b['search'])} (target <= 300 KB); {b['search_results']}"
    )
    name, raw, br = figures["largest"]
    print(f"  largest page: {name}: {kb(raw)} raw, {kb(br)} brotli")


def main() -> None:
    results = {}
    for count in (10, 340):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            root, policies, cache = tmp / "root", tmp / "policies", tmp / "cache"
            root.mkdir()
            copy_sources(root)
            write_corpus(policies, count)
            figures = {"cold": build(root, policies, cache)}
            figures["changed"] = change_one_region(policies)
            figures["rebuild"] = build(root, policies, cache)
            site = root / "site"
            index = json.loads((site / "data" / "index.json").read_text(encoding="utf-8"))
            figures["schemes"] = len(index["catalog"]["index"])
            figures["pages"] = sum(1 for _ in site.rglob("index.html"))
            figures["largest"] = largest_page(site)
            figures["browser"] = measure_browser(site)
            results[count] = figures
            report(count, figures)
    ten, big = results[10]["browser"]["first_estimate"], results[340]["browser"]["first_estimate"]
    print(
        f"bytes to the first estimate, 340 vs 10 regions: {big / ten:.3f}x (target <= 1.05) "
        f"and {big / 1e6:.2f} MB (target <= 3.5 MB)"
    )
    print(f"machine load (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
