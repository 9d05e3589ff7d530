// The estimator in a module Web Worker: Pyodide (self-hosted) + the calculator
// package (bytecode) + the policy data (data/index.json and the regions asked about).
// The page stays responsive while Python starts.
//
// Page -> worker: {type: "bundle", pending: true}  the page is fetching data/index.json for its
//                 form and will hand it over: {type: "bundle", text} (null if its fetch failed;
//                 the worker then fetches it, as does a worker told nothing)
//                 {type: "region", region, text}  a region's file the page fetched for its form
//                 {id, op: "estimate" | "remote" | "year" | "batch" | "policies", request}: the
//                 worker adds the regions of the policies a request names first (fetching any
//                 the page did not hand over), so no answer is ever "region not loaded"
// Worker -> page: {type: "progress", loaded, total}  bytes of the first download
//                 {type: "ready", ms, restored}      restored: started from a memory snapshot
//                 {type: "failed", message}
//                 {id, result} | {id, error: {field, code, message}}
// The Python side is calculator.api.call_json (no Python source here).
import { loadPyodide } from "../pyodide/pyodide.mjs";

const site = new URL("../", import.meta.url);
// build.py writes the calculator package's path, and for each file of the first download
// [bytes decoded, bytes transferred with brotli, 1 if a JS module] (progress counts
// transferred bytes; their sum is the size the page announces).
const PACKAGE = "__PACKAGE__";
const FILES = "__ENGINE_FILES__";

const started = performance.now();
// Wall-clock marks of the boot, for the benchmark (tests/bench_browser.py).
const marks = { worker: performance.timeOrigin + started };
let callJson = null;      // calculator.api.call_json(op, text) -> text
let addRegion = null;     // calculator.add_region(text)
const queue = [];         // requests that arrived before Python was ready
let pageBundle = null;    // promise of the page's copy of data/index.json (text or null)
let settleBundle = () => {};
let index = null;         // the index, parsed: region_files and catalog.index
const regionText = new Map();  // region id -> a file's text handed over by the page, not added yet
const added = new Set();       // regions added to Python's bundle

// Progress: every fetch of a known file (ours and Pyodide's own) is streamed and
// counted, so the page can show "downloaded / total" instead of a silent wait.
const total = Object.values(FILES).reduce((sum, [, sent]) => sum + sent, 0);
const received = new Map();
let lastPost = 0;

function report(force) {
  const now = performance.now();
  if (!force && now - lastPost < 250) return;  // 4 a second: each one redraws the page
  lastPost = now;
  let loaded = 0;
  for (const [rel, bytes] of received) {
    const [raw, sent] = FILES[rel];
    loaded += Math.min(sent, Math.round(bytes * sent / raw));
  }
  self.postMessage({ type: "progress", loaded, total });
}

function known(url) {
  const href = new URL(url, self.location.href).href;
  if (!href.startsWith(site.href)) return null;
  const rel = href.slice(site.href.length).split(/[?#]/)[0];
  return Object.prototype.hasOwnProperty.call(FILES, rel) ? rel : null;
}

const nativeFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  const response = await nativeFetch(input, init);
  const rel = known(typeof input === "string" || input instanceof URL ? input : input.url);
  if (!rel || !response.ok || !response.body) return response;
  received.set(rel, 0);
  // Count a clone: the response itself stays the browser's own stream, which WebAssembly
  // compiles as it arrives (piping it through JavaScript slowed the boot when measured).
  const reader = response.clone().body.getReader();
  (async () => {
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      received.set(rel, received.get(rel) + part.value.byteLength);
      report(false);
    }
    report(true);
  })().catch(() => {});
  return response;
};

async function fetchBytes(rel) {
  const r = await self.fetch(new URL(rel, site));
  if (!r.ok) throw new Error(rel + ": HTTP " + r.status);
  return new Uint8Array(await r.arrayBuffer());
}

// Instant repeat visits: a memory snapshot of the interpreter with the calculator
// imported and the policy index loaded (no region: they are taken out while the snapshot is
// made, and added again after a restore), stored in the offline cache (the service worker's
// "yibao-…" cache, so it goes when that version of the site goes) and keyed by the
// hashes of Pyodide, the standard library, the calculator package and the index (build.py writes
// the key; the index names each region file by its hash). Any failure to restore falls back
// to the normal boot.
const SNAPSHOT_KEY = "__SNAPSHOT_KEY__";
const snapshotURL = new URL("__snapshot__/" + SNAPSHOT_KEY, site).href;

async function loadSnapshot() {
  if (typeof caches === "undefined") return null;
  try {
    const hit = await caches.match(snapshotURL);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch (err) {
    marks.restoreError = String(err && err.message || err);
    return null;
  }
}

async function saveSnapshot(pyodide) {
  if (typeof caches === "undefined") return;
  try {
    // On a first visit the offline copy is still on its way: wait until one is complete
    // (the service worker marks it so), looking every second (a visitor may leave soon after
    // the first estimate, and the copy is often complete a moment after it), up to 5 minutes.
    const complete = new URL("__complete__", site).href;
    for (let i = 0; i < 300; i++) {
      let cache = null;
      for (const name of await caches.keys()) {
        if (name.startsWith("yibao-") && await (await caches.open(name)).match(complete)) cache = await caches.open(name);
      }
      if (cache) {
        if (await cache.match(snapshotURL)) return;  // another page's worker stored it already
        for (const old of await cache.keys()) {
          if (old.url.includes("/__snapshot__/") && old.url !== snapshotURL) await cache.delete(old);
        }
        await cache.put(snapshotURL, new Response(indexOnly(pyodide, () => pyodide.makeMemorySnapshot()), {
          headers: { "Content-Type": "application/octet-stream" },
        }));
        marks.snapshotSaved = performance.timeOrigin + performance.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } catch (err) {
    console.warn("engine snapshot not saved", err);
  }
}

/** Run make() with the regions taken out of Python's bundle (what a snapshot holds), then put back. */
function indexOnly(pyodide, make) {
  const data = pyodide.pyimport("calculator.data");
  const parts = data.remove_regions();
  try {
    return make();
  } finally {
    for (const part of parts) data.add_region(part);
    parts.destroy();
    data.destroy();
  }
}

const options = () => ({
  indexURL: new URL("pyodide/", site).href,
  stdout: () => {},
  stderr: (s) => console.warn(s),
});

// The page fetches data/index.json for its form and hands it over (usually long before
// Python is ready): one download, not two. Without it (another page, a failed fetch), fetch it.
async function indexText() {
  const text = (await pageBundle) ?? new TextDecoder().decode(await fetchBytes("data/index.json"));
  index = JSON.parse(text);
  return text;
}

async function restore(snapshot, pkg) {
  const pyodide = await loadPyodide({ ...options(), _loadSnapshot: snapshot });
  // Modules are imported already; the package goes back on disk for any later lazy import.
  pyodide.FS.writeFile("/lib/" + PACKAGE.split("/").pop(), await pkg);
  callJson = pyodide.pyimport("calculator.api").call_json;
  addRegion = pyodide.pyimport("calculator").add_region;
  JSON.parse(callJson("estimate", "{}"));  // answers (with a typed error): the engine is whole
  index = JSON.parse(await indexText());  // the snapshot holds this index (its key says so)
  return pyodide;
}

async function boot() {
  report(true);
  // Downloaded while the interpreter starts. Not passed as a package to
  // loadPyodide: unpacking it costs ~150 ms of CPU, while the package's
  // bytecode imports straight from the zip (zipimport, as the stdlib does).
  const pkg = fetchBytes(PACKAGE);
  pkg.catch(() => {});
  const snapshot = await loadSnapshot();
  if (snapshot) {
    try {
      await restore(snapshot, pkg);
      marks.python = performance.timeOrigin + performance.now();
      return { restored: true };
    } catch (err) {
      console.warn("engine snapshot not restored; normal start", err);
      marks.restoreError = String(err && err.message || err);
      callJson = null;
    }
  }
  const pyodide = await loadPyodide({ ...options(), _makeSnapshot: true });
  marks.pyodide = performance.timeOrigin + performance.now();
  // The JS modules (this worker, Pyodide's loader) arrive by import, not fetch: loaded by now.
  for (const [rel, [raw, , module]] of Object.entries(FILES)) if (module) received.set(rel, raw);
  report(true);
  const pkgPath = "/lib/" + PACKAGE.split("/").pop();
  pyodide.FS.writeFile(pkgPath, await pkg);
  pyodide.pyimport("sys").path.insert(0, pkgPath);
  const api = pyodide.pyimport("calculator.api");
  pyodide.pyimport("calculator").load_bundle(await indexText());
  callJson = api.call_json;
  addRegion = pyodide.pyimport("calculator").add_region;
  marks.python = performance.timeOrigin + performance.now();
  return { restored: false, pyodide };
}

/** The regions of the policies a request names (a batch: each item's), by the index. */
function regionsOf(msg) {
  const policies = msg.op === "batch" && Array.isArray(msg.request)
    ? msg.request.map((item) => item?.request?.policy) : [msg.request?.policy];
  const out = new Set();
  for (const id of policies) {
    const entry = typeof id === "string" && index?.catalog?.index?.find((e) => e.id === id);
    if (entry) out.add(entry.region);
  }
  return out;
}

/** Add a region to Python's bundle: the page's copy, or fetched here. A region that cannot be
 * had is left out: the engine then answers with its typed error. */
async function ensureRegion(region) {
  if (added.has(region)) return;
  let text = regionText.get(region);
  if (text === undefined) {
    const file = index?.region_files?.[region];
    if (!file) return;
    try { text = new TextDecoder().decode(await fetchBytes("data/" + file)); } catch { return; }
  }
  if (added.has(region)) return;
  addRegion(text);
  added.add(region);
  regionText.delete(region);
}

async function handle(msg) {
  let out;
  try {
    for (const region of regionsOf(msg)) await ensureRegion(region);
    out = JSON.parse(callJson(String(msg.op), JSON.stringify(msg.request ?? null)));
  } catch (err) {  // call_json never raises; this is the bridge itself failing
    console.error(err);
    out = { error: { field: "", code: "internal", message: "计算出错，请刷新页面后重试。" } };
  }
  out.id = msg.id;
  self.postMessage(out);
}

// Requests are answered one after another, in the order they came (a region may be fetched first).
let line = Promise.resolve();
const answer = (msg) => { line = line.then(() => handle(msg)); };

self.onmessage = (event) => {
  const msg = event.data;
  if (msg && msg.type === "region" && typeof msg.region === "string" && typeof msg.text === "string") {
    if (!added.has(msg.region)) regionText.set(msg.region, msg.text);
    for (const rel of Object.keys(FILES)) if (rel.startsWith("data/regions/")) received.set(rel, FILES[rel][0]);
  }
  if (msg && msg.type === "bundle") {
    const text = typeof msg.text === "string" ? msg.text : null;
    if (text !== null) received.set("data/index.json", FILES["data/index.json"][0]);
    if (!pageBundle) pageBundle = msg.pending ? new Promise((resolve) => { settleBundle = resolve; }) : Promise.resolve(text);
    else if (!msg.pending) settleBundle(text);
  }
  if (!msg || typeof msg.id === "undefined") return;
  if (callJson) answer(msg);
  else queue.push(msg);
};

boot().then(
  ({ restored, pyodide }) => {
    // Everything has arrived (a count that reads a clone may still be a chunk behind).
    for (const [rel, [raw]] of Object.entries(FILES)) received.set(rel, raw);
    report(true);
    self.postMessage({ type: "ready", ms: performance.now() - started, restored, marks });
    while (queue.length) answer(queue.shift());
    // After the first answers, so the snapshot never delays an estimate.
    if (pyodide) line = line.then(() => { saveSnapshot(pyodide); });
  },
  (err) => {
    console.error(err);
    self.postMessage({ type: "failed", message: String(err && err.message || err) });
  },
);
