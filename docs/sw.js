// Service worker: after one visit the whole site (portal pages, Pyodide, the
// calculator wheel, the policy data) works with no network.
// build.py fills in the cache version (a hash of every file) and the file list.
const VERSION = "__CACHE_VERSION__";
const PREFIX = "yibao-";
const CACHE = PREFIX + VERSION;
const PRECACHE = ["__PRECACHE__"];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: "reload" skips the HTTP cache so a new version never mixes in old files.
    await cache.addAll(PRECACHE.map((url) => new Request(new URL(url, self.registration.scope), { cache: "reload" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Clean update: drop every older version of this site's cache.
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
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
      return await fetch(request);
    } catch (err) {
      if (request.mode === "navigate") {
        const page = await cache.match(new URL("calculator/", self.registration.scope));
        if (page) return page;
      }
      throw err;
    }
  })());
});
