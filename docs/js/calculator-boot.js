// At the top of <head> on the calculator page (build.py writes it into the page, so no
// request comes before the worker's) and async on the embed page: starts the estimator's
// worker (Pyodide) before the rest of the page is parsed.
// calc/worker-client.js adopts it and replays what it said in the meantime.
(function () {
  // This file's address (inline, the page gives it as data-src): the others are relative to it.
  var script = document.currentScript;
  var here = script.src || new URL(script.dataset.src, location.href).href;
  // The offline copy this page was opened from: a newer one may take over before the page's
  // modules run, and calculator.js still says so (watchForUpdates).
  if (!("ybFirstController" in window) && "serviceWorker" in navigator) {
    window.ybFirstController = navigator.serviceWorker.controller;
  }
  // The theme's script starts late on this page (calc/theme.js): portal.css keeps search offered.
  document.documentElement.classList.add("yb-theme-later");
  // The policy data for the form, fetched now (calc/policy-data.js picks up the promises): the
  // index, then the file of the region the form opens on (the link's, the last one chosen, or
  // the default policy's).
  if (!window.ybIndexText && typeof fetch === "function") {
    var text = function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); };
    window.ybIndexText = fetch(new URL("../data/index.json", here)).then(text);
    window.ybRegionText = window.ybIndexText.then(function (indexText) {
      var index = JSON.parse(indexText);
      var wanted = openingPolicy() || index.catalog.default_policy;
      var entry = index.catalog.index.filter(function (e) { return e.id === wanted; })[0] ||
        index.catalog.index.filter(function (e) { return e.id === index.catalog.default_policy; })[0];
      if (!entry) return null;
      return fetch(new URL("../data/" + index.region_files[entry.region], here)).then(text)
        .then(function (t) { return { region: entry.region, text: t }; });
    });
    window.ybIndexText.catch(function () {});
    window.ybRegionText.catch(function () {});
  }
  if (window.ybWorker || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
  try {
    var worker = new Worker(new URL("calculator-worker.js", here), { type: "module" });
    window.ybWorker = worker;
    // The policy data is on its way from this page: the worker waits for it instead of
    // fetching it too (calc/worker-client.js hands it over).
    if (window.ybIndexText) worker.postMessage({ type: "bundle", pending: true });
    window.ybWorkerEarly = [];
    worker.onmessage = function (e) { window.ybWorkerEarly.push({ data: e.data }); };
    worker.onerror = function (e) { e.preventDefault(); window.ybWorkerEarly.push({ error: true }); };
  } catch (e) { /* the engine module will try again and explain */ }

  /** The policy a link, an embed's presets or the last visit opens on (calc/policy-data.js's rule). */
  function openingPolicy() {
    var fromLink = new URLSearchParams(location.hash.slice(1)).get("p") ||
      new URLSearchParams(location.search).get("policy");
    if (fromLink) return fromLink;
    if (/[?&]kiosk(=|&|$)/.test(location.search)) return null;
    try { return localStorage.getItem("yb-policy"); } catch (e) { return null; }
  }
})();
