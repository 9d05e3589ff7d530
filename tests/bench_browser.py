"""Browser benchmark (not a test): python3 build.py bench browser

One run, headless Debian Chromium, the built site served by sitebuild.server.make_server
(precompressed files by Accept-Encoding, as the guide's hosts send them):
  - bytes transferred from a cold visit to the first estimate (responses the server sent
    before the estimate was on screen;
    target <= 3.5 MB), and for the whole first visit until the offline copy is complete;
  - cold first estimate on a Fast-3G profile (CDP Network.emulateNetworkConditions:
    1.6 Mbps down, 150 ms RTT; target <= 25 s) and whether an error was shown on the way;
  - cold first estimate / bare Pyodide boot (<= 1.10; the median of three alternating cold
    pairs, each pair's ratio printed); repeat visit first estimate / bare boot from cache (<= 0.5);
  - Lighthouse 12.2.3 mobile (bench/package.json; CHROME_PATH=/usr/bin/chromium):
    home >= 98, region page >= 95, calculator >= 90, accessibility 100;
  - search index bytes on a page that does not open search (0);
  - a cheap phone: the CPU throttled 4x through the DevTools protocol
    (Emulation.setCPUThrottlingRate, no network throttling), cold, in fresh profiles, the bare
    Pyodide boot and the calculator alternately (THROTTLED_PAIRS): form usable (the form drawn,
    ms from navigation; target <= 2000), first estimate, bare boot, and their ratio (<= 1.10).
The figures of main before this work (bench/browser-before.json, measured with
`python3 tests/bench_browser.py --site <main's site> --save bench/browser-before.json`)
print beside them.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIO = "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000&b=2000&s=1000"
REGION = "regions/changchun/"
# Odd counts: the figure is the middle pair's (by ratio); with two it was the worse of two, and
# under the 4x throttle one pair's ratio swings by a third from the next one's.
COLD_PAIRS = 3
THROTTLED_PAIRS = 5
CPU_RATE = 4
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
BEFORE = ROOT / "bench" / "browser-before.json"

BARE_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bare Pyodide boot</title></head>
<body><p>bare Pyodide boot</p><script type="module" src="bare.js"></script></body></html>
"""
BARE_JS = """const worker = new Worker(new URL("bare-worker.js", import.meta.url), {type: "module"});
window.bareWorkerStart = performance.now();
worker.onmessage = (e) => { window.bareReady = performance.now(); window.bareWorkerMs = e.data; };
"""
BARE_WORKER = """import { loadPyodide } from "../pyodide/pyodide.mjs";
const t0 = performance.now();
const pyodide = await loadPyodide({indexURL: new URL("../pyodide/", import.meta.url).href});
pyodide.runPython("1 + 1");
self.postMessage(performance.now() - t0);
"""
ERROR_SHOWN = "() => !!document.querySelector('#yb-calc .yb-status-bad, #yb-calc[data-engine=failed]')"


def write_bare_page(site: Path) -> None:
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    (bench / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    (bench / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bench / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")


def bare_boot(page, base: str) -> float:
    page.goto(base + "bench/bare.html")
    page.wait_for_function("() => window.bareReady", timeout=300_000)
    return page.evaluate("() => window.bareReady")


def first_estimate(page, base: str, watch_errors: bool = False) -> tuple[float, bool]:
    """ms from navigation start to the first estimate on screen; whether an error showed meanwhile."""
    page.goto(base + SCENARIO)
    error = False
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if page.evaluate("() => !!document.getElementById('yb-calc').dataset.firstResult"):
            break
        error = error or (watch_errors and page.evaluate(ERROR_SHOWN))
        time.sleep(0.25)
    return float(page.get_attribute("#yb-calc", "data-first-result")), error


def wait_offline_copy(page) -> None:
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=600_000)


def wait_snapshot(page, base: str, site: Path) -> None:
    """A returning visitor comes back after the engine's snapshot is stored (sites without one: skip)."""
    import re

    key = re.search(r'const SNAPSHOT_KEY = "([0-9a-f]+)"', (site / "js" / "calculator-worker.js").read_text("utf-8"))
    deadline = time.monotonic() + 300
    while key and time.monotonic() < deadline:
        if page.evaluate("async (url) => !!(await caches.match(url))", f"{base}__snapshot__/{key.group(1)}"):
            return
        time.sleep(0.5)


def lighthouse(url: str) -> dict:
    cli = ROOT / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT / "bench", check=True)
    out = subprocess.run(
        [
            "node",
            str(cli),
            url,
            "--output=json",
            "--quiet",
            "--only-categories=performance,accessibility",
            "--form-factor=mobile",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
        timeout=600,
    )
    report = json.loads(out.stdout)
    return {name: round(100 * cat["score"]) for name, cat in report["categories"].items()}


def measure(site: Path) -> dict:
    from conftest import CHROMIUM_ARGS  # the flags every Chromium launch here uses (closed network)
    from playwright.sync_api import sync_playwright

    from sitebuild import server as server_module
    from sitebuild.server import make_server

    write_bare_page(site)
    # The bare boot runs Pyodide like the calculator page: it gets the engine's policy too.
    server_module.WASM_FILES = (*server_module.WASM_FILES, "bench/bare.html", "bench/bare-worker.js")
    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

        # Cold pairs, alternating (bare boot, then the calculator, each in a fresh profile): on two
        # shared cores one pair swings by 20%, so the ratio reported is the median pair's.
        pairs = []
        for i in range(COLD_PAIRS):
            ctx = browser.new_context()
            page = ctx.new_page()
            bare = bare_boot(page, base)
            if i == 0:
                page.goto("about:blank")
                out["bare_cached_ms"] = bare_boot(page, base)
            ctx.close()

            ctx = browser.new_context()
            page = ctx.new_page()
            server.sent.clear()
            first, _ = first_estimate(page, base)
            pairs.append((bare, first))
            if i == 0:
                # Responses sent before the estimate was on screen (the page's clock is the wall clock).
                shown = (page.evaluate("() => performance.timeOrigin") + first) / 1000
                out["bytes_to_first_estimate"] = sum(n for at, n in list(server.sent) if at <= shown)
                wait_offline_copy(page)
                wait_snapshot(page, base, site)
                out["bytes_first_visit"] = sum(n for _, n in list(server.sent))
                page.goto("about:blank")
                out["first_repeat_ms"], _ = first_estimate(page, base)
            ctx.close()
        out["cold_pairs"] = " ".join(f"{first / bare:.2f}" for bare, first in pairs)
        out["bare_cold_ms"], out["first_cold_ms"] = sorted(pairs, key=lambda pair: pair[1] / pair[0])[len(pairs) // 2]

        ctx = browser.new_context()
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
        out["fast3g_first_ms"], out["fast3g_error_shown"] = first_estimate(page, base, watch_errors=True)
        ctx.close()

        ctx = browser.new_context()
        page = ctx.new_page()
        search = []
        # The index's pieces and the search worker (the small script that defers them is not search data).
        searching = ("/search/", "/workers/search-zh.js")
        page.on(
            "requestfinished",
            lambda r: any(s in r.url for s in searching) and search.append(r.sizes()["responseBodySize"]),
        )
        page.goto(base + REGION)
        page.wait_for_load_state("networkidle")
        out["search_bytes_no_search"] = sum(search)
        ctx.close()

        throttled = []
        for _ in range(THROTTLED_PAIRS):
            ctx = browser.new_context()
            page = ctx.new_page()
            ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
            bare = bare_boot(page, base)
            ctx.close()
            ctx = browser.new_context()
            page = ctx.new_page()
            ctx.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": CPU_RATE})
            first, _ = first_estimate(page, base)
            usable = float(page.get_attribute("#yb-calc", "data-form-ready"))
            throttled.append((bare, first, usable))
            ctx.close()
        out["phone_pairs"] = " ".join(f"{first / bare:.2f}" for bare, first, _ in throttled)
        bare, first, usable = sorted(throttled, key=lambda t: t[1] / t[0])[len(throttled) // 2]
        out["phone_bare_ms"], out["phone_first_ms"], out["phone_form_ms"] = bare, first, usable
        browser.close()
    for name, path in [("home", ""), ("region", REGION), ("calculator", "calculator/")]:
        try:
            out[f"lighthouse_{name}"] = lighthouse(base + path)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports, never stops half-way
            out[f"lighthouse_{name}"] = {"error": str(exc)[:200]}
    server.shutdown()
    return out


def _fmt(value) -> str:
    if isinstance(value, dict):
        return " ".join(f"{k[:4]} {v}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value / 1e6:.2f} MB" if value > 10_000 else str(value)
    return str(value)


def report(after: dict, before: dict) -> None:
    def ratio(d, a, b):
        return f"{d[a] / d[b]:.2f}" if d.get(a) and d.get(b) else "-"

    for d in (after, before):
        if d:
            d["ratio_cold"] = ratio(d, "first_cold_ms", "bare_cold_ms")
            d["ratio_repeat"] = ratio(d, "first_repeat_ms", "bare_cached_ms")
            d["ratio_phone"] = ratio(d, "phone_first_ms", "phone_bare_ms")
    rows = [
        ("bytes, cold visit to first estimate (<= 3.5 MB)", "bytes_to_first_estimate"),
        ("bytes, whole first visit incl. offline copy", "bytes_first_visit"),
        ("Fast-3G cold first estimate, ms (<= 25000)", "fast3g_first_ms"),
        ("Fast-3G: error shown on the way (no)", "fast3g_error_shown"),
        ("bare Pyodide boot cold, ms", "bare_cold_ms"),
        ("bare Pyodide boot from cache, ms", "bare_cached_ms"),
        ("first estimate cold, ms", "first_cold_ms"),
        ("first estimate repeat visit, ms", "first_repeat_ms"),
        ("cold first estimate / bare boot (<= 1.10; median pair)", "ratio_cold"),
        ("  each cold pair's ratio", "cold_pairs"),
        ("repeat first estimate / bare boot cached (<= 0.5)", "ratio_repeat"),
        ("Lighthouse home (perf >= 98, a11y 100)", "lighthouse_home"),
        ("Lighthouse region page (perf >= 95, a11y 100)", "lighthouse_region"),
        ("Lighthouse calculator (perf >= 90, a11y 100)", "lighthouse_calculator"),
        ("search index bytes, page without search (0)", "search_bytes_no_search"),
        (f"cheap phone (CPU {CPU_RATE}x): form usable, ms (<= 2000)", "phone_form_ms"),
        ("cheap phone: bare Pyodide boot, ms", "phone_bare_ms"),
        ("cheap phone: first estimate, ms", "phone_first_ms"),
        ("cheap phone: first estimate / bare boot (<= 1.10)", "ratio_phone"),
        ("  each throttled pair's ratio", "phone_pairs"),
    ]
    print("browser benchmark: one run, headless Chromium, sitebuild's dev server on localhost")
    print(f"  {'':52} {'before (main)':>22}   {'after':>22}")
    for label, key in rows:
        print(f"  {label:52} {_fmt(before.get(key, '-')):>22}   {_fmt(after.get(key, '-')):>22}")
    print("  (2 shared cores: timings swing with the machine's load; before = main's site, same server)")


def main(argv=None) -> None:
    from sitebuild import SITE, pipeline

    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--save", type=Path)
    args = parser.parse_args(argv if argv is not None else sys.argv[2:] if sys.argv[1:2] == ["browser"] else [])
    if args.site == SITE and not (SITE / "sw.js").exists():
        pipeline.build()
    after = measure(args.site)
    if args.save:
        args.save.write_text(json.dumps(after, indent=1), encoding="utf-8")
    before = json.loads(BEFORE.read_text(encoding="utf-8")) if BEFORE.exists() and not args.save else {}
    report(after, before)


if __name__ == "__main__":
    main(sys.argv[1:])
