// The estimator in a module Web Worker: Pyodide (self-hosted) + the calculator
// wheel + the policy bundle. The page stays responsive while Python starts.
//
// Page -> worker: {id, op: "estimate" | "remote" | "batch" | "policies", request}
// Worker -> page: {type: "progress", loaded, total}  bytes of the first download
//                 {type: "ready", ms, restored}      restored: started from a memory snapshot
//                 {type: "failed", message}
//                 {id, result} | {id, error: {field, code, message}}
// The Python side is calculator.api.call_json (no Python source here).
import { loadPyodide } from "../pyodide/pyodide.mjs";

const site = new URL("../", import.meta.url);
// build.py writes the wheel's path, and for each file of the first download
// [bytes decoded, bytes transferred with brotli, 1 if a JS module] (progress counts
// transferred bytes; their sum is the size the page announces).
const WHEEL = "__WHEEL__";
const FILES = "__ENGINE_FILES__";

const started = performance.now();
// Wall-clock marks of the boot, for the benchmark (tests/bench_browser.py).
const marks = { worker: performance.timeOrigin + started };
let callJson = null;      // calculator.api.call_json(op, text) -> text
const queue = [];         // requests that arrived before Python was ready

// Progress: every fetch of a known file (ours and Pyodide's own) is streamed and
// counted, so the page can show "downloaded / total" instead of a silent wait.
const total = Object.values(FILES).reduce((sum, [, sent]) => sum + sent, 0);
const received = new Map();
let lastPost = 0;

function report(force) {
  const now = performance.now();
  if (!force && now - lastPost < 100) return;
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
  const counter = new TransformStream({
    transform(chunk, controller) {
      received.set(rel, received.get(rel) + chunk.byteLength);
      report(false);
      controller.enqueue(chunk);
    },
    flush() { report(true); },
  });
  // Same status and headers: WebAssembly.instantiateStreaming still sees application/wasm.
  return new Response(response.body.pipeThrough(counter), {
    status: response.status, statusText: response.statusText, headers: response.headers,
  });
};

async function fetchBytes(rel) {
  const r = await self.fetch(new URL(rel, site));
  if (!r.ok) throw new Error(rel + ": HTTP " + r.status);
  return new Uint8Array(await r.arrayBuffer());
}

// Instant repeat visits: a memory snapshot of the interpreter with the calculator
// imported and the bundle loaded, stored in the offline cache (the service worker's
// "yibao-…" cache, so it goes when that version of the site goes) and keyed by the
// hashes of Pyodide, the standard library, the wheel and the bundle (build.py writes
// the key). Any failure to restore falls back to the normal boot.
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
    // (the service worker marks it so), up to 5 minutes.
    const complete = new URL("__complete__", site).href;
    for (let i = 0; i < 60; i++) {
      let cache = null;
      for (const name of await caches.keys()) {
        if (name.startsWith("yibao-") && await (await caches.open(name)).match(complete)) cache = await caches.open(name);
      }
      if (cache) {
        if (await cache.match(snapshotURL)) return;  // another page's worker stored it already
        for (const old of await cache.keys()) {
          if (old.url.includes("/__snapshot__/") && old.url !== snapshotURL) await cache.delete(old);
        }
        await cache.put(snapshotURL, new Response(pyodide.makeMemorySnapshot(), {
          headers: { "Content-Type": "application/octet-stream" },
        }));
        marks.snapshotSaved = performance.timeOrigin + performance.now();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  } catch (err) {
    console.warn("engine snapshot not saved", err);
  }
}

const options = () => ({
  indexURL: new URL("pyodide/", site).href,
  stdout: () => {},
  stderr: (s) => console.warn(s),
});

async function restore(snapshot, wheel) {
  const pyodide = await loadPyodide({ ...options(), _loadSnapshot: snapshot });
  // Modules are imported already; the wheel goes back on disk for any later lazy import.
  pyodide.FS.writeFile("/lib/" + WHEEL.split("/").pop(), await wheel);
  callJson = pyodide.pyimport("calculator.api").call_json;
  JSON.parse(callJson("estimate", "{}"));  // answers (with a typed error): the engine is whole
  return pyodide;
}

async function boot() {
  report(true);
  // Downloaded while the interpreter starts. Not passed as a package to
  // loadPyodide: unpacking it costs ~150 ms of CPU, while a pure-Python wheel
  // imports straight from the zip (zipimport, already used for the stdlib).
  const wheel = fetchBytes(WHEEL);
  wheel.catch(() => {});
  const snapshot = await loadSnapshot();
  if (snapshot) {
    try {
      await restore(snapshot, wheel);
      marks.python = performance.timeOrigin + performance.now();
      return { restored: true };
    } catch (err) {
      console.warn("engine snapshot not restored; normal start", err);
      marks.restoreError = String(err && err.message || err);
      callJson = null;
    }
  }
  const bundle = fetchBytes("policies.json");
  bundle.catch(() => {});
  const pyodide = await loadPyodide({ ...options(), _makeSnapshot: true });
  marks.pyodide = performance.timeOrigin + performance.now();
  // The JS modules (this worker, Pyodide's loader) arrive by import, not fetch: loaded by now.
  for (const [rel, [raw, , module]] of Object.entries(FILES)) if (module) received.set(rel, raw);
  report(true);
  const wheelPath = "/lib/" + WHEEL.split("/").pop();
  pyodide.FS.writeFile(wheelPath, await wheel);
  pyodide.pyimport("sys").path.insert(0, wheelPath);
  const api = pyodide.pyimport("calculator.api");
  pyodide.pyimport("calculator").load_bundle(new TextDecoder().decode(await bundle));
  callJson = api.call_json;
  marks.python = performance.timeOrigin + performance.now();
  return { restored: false, pyodide };
}

function handle(msg) {
  let out;
  try {
    out = JSON.parse(callJson(String(msg.op), JSON.stringify(msg.request ?? null)));
  } catch (err) {  // call_json never raises; this is the bridge itself failing
    console.error(err);
    out = { error: { field: "", code: "internal", message: "计算出错，请刷新页面后重试。" } };
  }
  out.id = msg.id;
  self.postMessage(out);
}

self.onmessage = (event) => {
  const msg = event.data;
  if (!msg || typeof msg.id === "undefined") return;
  if (callJson) handle(msg);
  else queue.push(msg);
};

boot().then(
  ({ restored, pyodide }) => {
    self.postMessage({ type: "ready", ms: performance.now() - started, restored, marks });
    while (queue.length) handle(queue.shift());
    // After the first answers, so the snapshot never delays an estimate.
    if (pyodide) setTimeout(() => saveSnapshot(pyodide), 0);
  },
  (err) => {
    console.error(err);
    self.postMessage({ type: "failed", message: String(err && err.message || err) });
  },
);
