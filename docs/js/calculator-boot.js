// At the top of <head> on the calculator page (build.py writes it into the page, so no
// request comes before the worker's) and async on the embed page: starts the estimator's
// worker (Pyodide) before the rest of the page is parsed.
// calc/worker-client.js adopts it and replays what it said in the meantime.
(function () {
  // This file's address (inline, the page gives it as data-src): the others are relative to it.
  var script = document.currentScript;
  var here = script.src || new URL(script.dataset.src, location.href).href;
  // The theme's script starts late on this page (calc/theme.js): portal.css keeps search offered.
  document.documentElement.classList.add("yb-theme-later");
  // The policy data for the form, fetched now; calculator.js picks up the promise.
  if (!window.ybBundleText && typeof fetch === "function") {
    window.ybBundleText = fetch(new URL("../policies.json", here))
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); });
    window.ybBundleText.catch(function () {});
  }
  if (window.ybWorker || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  try {
    var worker = new Worker(new URL("calculator-worker.js", here), { type: "module" });
    window.ybWorker = worker;
    // The policy data is on its way from this page: the worker waits for it instead of
    // fetching it too (calc/worker-client.js hands it over).
    if (window.ybBundleText) worker.postMessage({ type: "bundle", pending: true });
    window.ybWorkerEarly = [];
    worker.onmessage = function (e) { window.ybWorkerEarly.push({ data: e.data }); };
    worker.onerror = function (e) { e.preventDefault(); window.ybWorkerEarly.push({ error: true }); };
  } catch (e) { /* the engine module will try again and explain */ }
})();
