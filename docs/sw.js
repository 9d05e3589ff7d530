// Service worker: after one visit the whole site (portal pages, Pyodide, the
// calculator package, the policy data) works with no network.
// build.py fills in the cache version (a hash of every file), the data version
// pages show, and the file list.
const VERSION = "__CACHE_VERSION__";
const DATA_VERSION = "__DATA_VERSION__";
const PREFIX = "yibao-";
const CACHE = PREFIX + VERSION;
const PRECACHE = ["__PRECACHE__"];
const ON_DEMAND = ["__ON_DEMAND__"];  // kept once used (the search index), never precached
const PARALLEL = 6;

async function precache() {
  // A cache of this name left by an attempt that was cut off is incomplete: start afresh.
  await caches.delete(CACHE);
  const cache = await caches.open(CACHE);
  const queue = PRECACHE.slice();
  async function next() {
    while (queue.length) {
      const url = new URL(queue.shift(), self.registration.scope);
      // "no-cache": revalidate with the server (ETag). A file the page has just
      // downloaded comes back from the HTTP cache as a 304, not as a second
      // download, and a new version never mixes in old files.
      const response = await fetch(new Request(url, { cache: "no-cache" }));
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      await cache.put(url, response);
    }
  }
  try {
    await Promise.all(Array.from({ length: PARALLEL }, next));
    // Marks the copy complete: the calculator's worker stores its engine snapshot only here.
    await cache.put(new URL("__complete__", self.registration.scope), new Response(VERSION));
  } catch (err) {
    // A file missing or refused, or the network cut half-way: leave no partial cache
    // behind. The install fails, the pages keep the version they have, and are told
    // (sw-client.js says the newer version could not be downloaded and asks again).
    await caches.delete(CACHE);
    const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    for (const page of pages) page.postMessage({ type: "update-failed", version: DATA_VERSION });
    throw err;
  }
}

self.addEventListener("install", (event) => {
  // Complete new version: take over at once (open pages keep what they have loaded;
  // sw-client.js offers to reload them with the newer data).
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Clean update: drop every other version of this site's cache.
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const msg = event.data || {};
  if (msg.type === "version" && event.ports[0]) {
    event.ports[0].postMessage({ type: "version", version: DATA_VERSION, cache: VERSION });
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const exact = await cache.match(request);
    if (exact) return exact;
    // Query strings carry presets (embed/?policy=…, search-zh.js?<worker>), not other files.
    // A new Response keeps the request's URL, so a worker still sees its own ?query.
    const loose = await cache.match(request, { ignoreSearch: true });
    if (loose) {
      return new Response(loose.body, { status: loose.status, statusText: loose.statusText, headers: loose.headers });
    }
    try {
      const response = await fetch(request);
      const path = new URL(request.url).pathname.slice(new URL(self.registration.scope).pathname.length);
      if (response.ok && ON_DEMAND.includes(path)) await cache.put(request, response.clone());
      return response;
    } catch (err) {
      if (request.mode === "navigate") {
        const page = await cache.match(new URL("calculator/", self.registration.scope));
        if (page) return page;
      }
      throw err;
    }
  })());
});
