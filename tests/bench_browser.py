"""Browser benchmark (not a test): python3 build.py bench browser

In one headless Chromium run, against the built site on a local server:
  - bare Pyodide boot: a page that only starts Pyodide (same files, also in a
    module worker), cold (fresh profile) and from cache (second visit);
  - the calculator: time until the form accepts input, and time to the first
    estimate on screen, cold and from cache (service worker);
  - estimate round trip page -> worker -> page: median and p95.
Targets (issue 4): first estimate <= 1.10 x bare boot (cold); form usable
<= 1 s; round trip <= 5 ms median.
"""

import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 5
SCENARIO = "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000&b=2000&s=1000"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

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

ROUND_TRIP = """async (n) => {
  const worker = new Worker(new URL("../js/calculator-worker.js", location.href), {type: "module"});
  await new Promise((resolve, reject) => {
    worker.onmessage = (e) => e.data.type === "ready" ? resolve() : e.data.type === "failed" && reject(e.data.message);
  });
  const request = {policy: "changchun-employee", care: "inpatient", facility: "provincial",
                   costs: {total: "20000", class_b: "2000", self_pay: "1000"}};
  const times = [];
  for (let i = 0; i < n + 20; i++) {
    request.costs.total = String(20000 + i);
    const t0 = performance.now();
    await new Promise((resolve) => { worker.onmessage = () => resolve(); worker.postMessage({id: i + 1, op: "estimate", request}); });
    if (i >= 20) times.push(performance.now() - t0);   // the first calls warm up the interpreter
  }
  worker.terminate();
  return times;
}"""


def write_bare_page(site: Path) -> None:
    bench = site / "bench"
    bench.mkdir(exist_ok=True)
    (bench / "bare.html").write_text(BARE_HTML, encoding="utf-8")
    (bench / "bare.js").write_text(BARE_JS, encoding="utf-8")
    (bench / "bare-worker.js").write_text(BARE_WORKER, encoding="utf-8")


def bare_boot(page, base: str) -> float:
    page.goto(base + "bench/bare.html")
    page.wait_for_function("() => window.bareReady", timeout=120_000)
    return page.evaluate("() => window.bareReady")


def calculator_visit(page, base: str) -> tuple[float, float]:
    page.goto(base + SCENARIO)
    page.wait_for_function("() => document.getElementById('yb-calc').dataset.firstResult", timeout=120_000)
    form = float(page.get_attribute("#yb-calc", "data-form-ready"))
    first = float(page.get_attribute("#yb-calc", "data-first-result"))
    return form, first


def main() -> None:
    from playwright.sync_api import sync_playwright

    import build

    site = build.SITE
    if not (site / "pyodide" / "pyodide.asm.wasm").exists() or not (site / "sw.js").exists():
        build.build()
    write_bare_page(site)
    server = build.make_server(site, port=0)
    server.handle_error = lambda *args: None  # Chromium drops connections when a profile closes
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    bare_cold, bare_warm, form_cold, first_cold, form_warm, first_warm = [], [], [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(RUNS):
            # Interleaved, each in a fresh profile, so neither side gets a warmer machine.
            ctx = browser.new_context()
            page = ctx.new_page()
            bare_cold.append(bare_boot(page, base))
            page.goto("about:blank")
            bare_warm.append(bare_boot(page, base))
            ctx.close()

            ctx = browser.new_context()
            page = ctx.new_page()
            form, first = calculator_visit(page, base)
            form_cold.append(form)
            first_cold.append(first)
            # Wait for the service worker's precache, then visit again.
            page.evaluate("() => navigator.serviceWorker.ready")
            page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=120_000)
            page.goto("about:blank")
            form, first = calculator_visit(page, base)
            form_warm.append(form)
            first_warm.append(first)
            ctx.close()

        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(base + "calculator/")
        times = page.evaluate(ROUND_TRIP, 300)
        ctx.close()
        browser.close()
    server.shutdown()

    med = statistics.median
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    ratio = med(first_cold) / med(bare_cold)
    print(f"browser benchmark (headless Chromium, localhost, median of {RUNS} fresh profiles)")
    print(f"  bare Pyodide boot           cold {med(bare_cold):7.0f} ms   from cache {med(bare_warm):7.0f} ms")
    print(
        f"  calculator first estimate   cold {med(first_cold):7.0f} ms   from cache {med(first_warm):7.0f} ms"
        f"   ratio to bare boot (cold) {ratio:.2f}  (target <= 1.10)"
    )
    print(
        f"  form accepts input          cold {med(form_cold):7.0f} ms   from cache {med(form_warm):7.0f} ms"
        f"   (target <= 1000 ms)"
    )
    print(
        f"  estimate round trip         median {med(times):.2f} ms   p95 {p95:.2f} ms   over {len(times)} calls"
        f"   (target median <= 5 ms)"
    )
    paired = med([c / b for c, b in zip(first_cold, bare_cold)])
    print(f"  paired ratio (each calculator run over the bare run just before it): median {paired:.2f}")
    print(
        f"  all runs (ms): bare cold {[round(x) for x in bare_cold]}, first estimate cold {[round(x) for x in first_cold]}"
    )
    print(
        "  (2 shared cores: figures swing by tens of percent with the machine's load; compare runs of one invocation)"
    )


if __name__ == "__main__":
    main()
