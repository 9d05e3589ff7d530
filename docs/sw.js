// Service worker: after one visit the site (portal pages, Pyodide, the calculator
// package, the policy data's index) works with no network, and so does every
// region the visitor used: region files, region and document pages and search
// pieces are kept when first used (ON_DEMAND), not all downloaded at once; an
// update downloads again the newer version of each (carried over), and the
// calculator page's button keeps every region (an outreach tablet: "keep-all").
// build.py fills in the cache version (a hash of every file), the data version
// pages show, and the file lists.
const VERSION = "__CACHE_VERSION__";
const DATA_VERSION = "__DATA_VERSION__";
const PREFIX = "yibao-";
const CACHE = PREFIX + VERSION;
const PRECACHE = ["__PRECACHE__"];
const ON_DEMAND = ["__ON_DEMAND__"];  // path prefixes: kept once used, never precached
const PARALLEL = 6;

async function precache() {
  // A cache of this name left by an attempt that was cut off is incomplete: start afresh.
  await caches.delete(CACHE);
  const cache = await caches.open(CACHE);
  const queue = PRECACHE.slice();
  async function next(optional = false) {
    while (queue.length) {
      const url = new URL(queue.shift(), self.registration.scope);
      // "no-cache": revalidate with the server (ETag). A file the page has just
      // downloaded comes back from the HTTP cache as a 304, not as a second
      // download, and a new version never mixes in old files.
      const response = await fetch(new Request(url, { cache: "no-cache" }));
      if (response.ok) await cache.put(url, response);
      else if (!optional) throw new Error(url + ": HTTP " + response.status);  // a page gone since: not kept
    }
  }
  try {
    await Promise.all(Array.from({ length: PARALLEL }, next));
    queue.push(...await carriedOver(cache));
    await Promise.all(Array.from({ length: PARALLEL }, () => next(true)));
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

const scoped = (path) => new URL(path, self.registration.scope).href;
const pathOf = (url) => new URL(url).pathname.slice(new URL(self.registration.scope).pathname.length);
const onDemand = (path) => ON_DEMAND.some((prefix) => path.startsWith(prefix));

/** The index's region files, by region id (the index is in this version's cache). */
async function regionFiles(cache) {
  const index = await cache.match(scoped("data/index.json"));
  return index ? (await index.json()).region_files || {} : {};
}

/** This version's name of a file a visitor used in another version: a region's data file is
 * named by its content (regions/<id>.<hash>.json), search pieces by the index's version. */
async function renamer(cache) {
  const files = await regionFiles(cache);
  const manifest = await cache.match(scoped("search/search_index.json"));
  const base = manifest ? (await manifest.json()).config?.yb?.base : null;
  return (path) => {
    const region = /^data\/regions\/([^./]+)\./.exec(path);
    if (region) return files[region[1]] ? "data/" + files[region[1]] : null;
    const piece = /^search\/[^/]+\/([^/]+)$/.exec(path);
    if (piece) return base ? `search/${base}${piece[1]}` : null;
    return path;
  };
}

/** What the visitor used from an older version (on-demand files): this version's files of them. */
async function carriedOver(cache) {
  const rename = await renamer(cache);
  const out = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    for (const request of await (await caches.open(name)).keys()) {
      const path = pathOf(request.url);
      const now = onDemand(path) && new URL(request.url).search === "" ? rename(path) : null;
      if (now && !PRECACHE.includes(now)) out.add(now);
    }
  }
  return [...out];
}

/** Keep these files (site-relative) in the offline copy; progress on `port` ({done, total, failed}). */
async function keep(paths, port) {
  const cache = await caches.open(CACHE);
  let done = 0;
  let failed = 0;
  const queue = paths.slice();
  const report = (type) => port && port.postMessage({ type, done, total: paths.length, failed });
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (queue.length) {
      const url = scoped(queue.shift());
      try {
        if (!await cache.match(url)) {
          const response = await fetch(new Request(url, { cache: "no-cache" }));
          if (response.ok) await cache.put(url, response); else failed += 1;
        }
      } catch { failed += 1; }
      done += 1;
      report("progress");
    }
  }));
  report("kept");
}

/** Every region's data file (and the search pieces): what an outreach tablet keeps. */
async function everything() {
  const cache = await caches.open(CACHE);
  const paths = Object.values(await regionFiles(cache)).map((file) => "data/" + file);
  const manifest = await cache.match(scoped("search/search_index.json"));
  const yb = manifest ? (await manifest.json()).config?.yb : null;
  if (yb && Array.isArray(yb.files)) paths.push(...yb.files.map((file) => `search/${yb.base}${file}`));
  return paths;
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
  // The calculator page: the region files it fetched before this worker took over.
  if (msg.type === "keep" && Array.isArray(msg.urls)) {
    const paths = msg.urls.filter((path) => typeof path === "string" && onDemand(path));
    event.waitUntil(keep(paths, event.ports[0]));
  }
  if (msg.type === "keep-all") event.waitUntil(everything().then((paths) => keep(paths, event.ports[0])));
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
      // Kept without its query (?q=, ?h= of a search result): the same file, found again offline.
      const url = new URL(request.url);
      url.search = "";
      if (response.ok && onDemand(pathOf(url.href))) await cache.put(url.href, response.clone());
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
