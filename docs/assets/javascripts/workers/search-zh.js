/* The site's search worker, for Material's own search UI (its worker protocol: SETUP, READY,
 * QUERY, RESULT; portal/overrides/main.html names this file as the theme's search worker).
 *
 * The index is in pieces (portal/search.py builds them): a query fetches only the shards that
 * hold its terms, the page list, and the sections of the pages shown first. Nothing else is
 * downloaded, nothing leaves the device, and no WebAssembly runs (the portal's pages do not
 * allow it). The service worker keeps every piece once fetched: search works offline after a visit.
 *
 * A query: traditional characters become simplified (t2s.js, generated at build time from
 * OpenCC for the characters the index holds), NFKC and lower case, then the same terms as the
 * index (pairs of Chinese characters, words of letters and digits). Pages that hold every term
 * of a word come first, scored by how often they hold them (the scheme pages, whose tables hold
 * the figures, use the figure words most), the rarer terms counting more; their matching
 * sections are listed under them.
 */
/* global T2S */
importScripts("t2s.js")

const SETUP = 0
const READY = 1
const QUERY = 2
const RESULT = 3
const SHOWN = 10          // pages whose sections are fetched for the first screen of results
const SNIPPET = 160       // characters of a section's text shown around the first match
const SATURATION = 10     // a term's count in a page weighs count / (count + this)
const HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g
const WORD = /[a-z0-9]+/g

const simplified = new Map()
const pairs = Array.from(T2S)
for (let i = 0; i + 1 < pairs.length; i += 2)
  simplified.set(pairs[i], pairs[i + 1])

let yb = null             // the manifest: {base, shards, pages, files}
let separator = /\s+/
const pieces = new Map()  // file name -> promise of its JSON
let latest = 0

function piece(name) {
  if (!pieces.has(name)) {
    const url = new URL(`../../../search/${yb.base}${name}`, self.location.href)
    const load = fetch(url).then(r => {
      if (!r.ok) throw new Error(`${name}: HTTP ${r.status}`)
      return r.json()
    })
    load.catch(() => pieces.delete(name))   // offline and never fetched: tried again next time
    pieces.set(name, load)
  }
  return pieces.get(name)
}

function fnv1a(term) {
  let h = 0x811c9dc5
  for (const ch of term)
    h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0
  return h
}

const normalize = text =>
  Array.from(text, c => simplified.get(c) || c).join("").normalize("NFKC").toLowerCase()

function termsOf(word) {
  const out = []
  for (const run of word.match(HAN) || [])
    if (run.length === 1) out.push(run)
    else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
  out.push(...(word.match(WORD) || []))
  return [...new Set(out)]
}

/** {page number: score} of the pages holding every term of `terms` (gaps decoded). */
function score(terms, postings, pages) {
  let result = null
  for (const term of terms) {
    const flat = postings.get(term) || []
    const idf = Math.log(1 + pages / Math.max(1, flat.length / 2))
    const here = new Map()
    for (let i = 0, page = 0; i + 1 < flat.length; i += 2) {
      page += flat[i]
      here.set(page, idf * flat[i + 1] / (flat[i + 1] + SATURATION))
    }
    if (result === null) result = here
    else for (const [page, value] of result)
      if (here.has(page)) result.set(page, value + here.get(page))
      else result.delete(page)
  }
  return result || new Map()
}

const escapeHtml = text => text.replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;" })[c])

/** The text with the words marked, cut around the first one (escaped HTML, as Material renders it). */
function mark(text, words, cut) {
  const flat = normalize(text)
  let first = -1
  for (const w of words) {
    const at = flat.indexOf(w)
    if (at >= 0 && (first < 0 || at < first)) first = at
  }
  let start = 0
  let end = text.length
  if (cut) {
    start = Math.max(0, first - SNIPPET / 4)
    end = Math.min(text.length, start + SNIPPET)
  }
  let out = ""
  for (let i = start; i < end;) {
    const w = words.find(x => x && flat.startsWith(x, i))
    if (w) { out += `<mark>${escapeHtml(text.slice(i, i + w.length))}</mark>`; i += w.length } else { out += escapeHtml(text[i]); i++ }
  }
  return (start > 0 ? "…" : "") + out + (end < text.length ? "…" : "")
}

async function search(query) {
  const words = normalize(query).split(separator).filter(w => termsOf(w).length)
  if (!words.length) return { items: [] }
  const byWord = words.map(termsOf)
  const all = [...new Set(byWord.flat())]
  const shardOf = term => `t${fnv1a(term) % yb.shards}.json`
  const [list, ...shards] = await Promise.all(["pages.json", ...new Set(all.map(shardOf))].map(piece))
  const postings = new Map()
  for (const shard of shards)
    for (const term of all)
      if (term in shard) postings.set(term, shard[term])
  // Each word on its own, then the pages that hold more of the words first.
  const total = new Map()
  const found = new Map()
  byWord.forEach((terms, w) => {
    for (const [page, value] of score(terms, postings, yb.pages)) {
      total.set(page, (total.get(page) || 0) + value)
      found.set(page, [...(found.get(page) || []), words[w]])
    }
  })
  const ranked = [...total].map(([page, value]) => [page, value * (found.get(page).length / words.length) ** 2])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
  const shown = await Promise.all(ranked.slice(0, SHOWN).map(([page]) => piece(`p${page}.json`).catch(() => null)))
  const items = ranked.map(([page, value], rank) => {
    const [path, title] = list[page]
    const termsFound = Object.fromEntries(words.map(w => [w, found.get(page).includes(w)]))
    const secs = shown[rank]
    const matched = found.get(page)
    const article = { location: path, title, text: "", score: value, terms: termsFound }
    if (!secs) return [article]
    const docs = []
    for (const [anchor, heading, text] of secs) {
      const hits = matched.filter(w => normalize(heading + " " + text).includes(w)).length
      if (anchor === "") {
        article.title = heading || title
        article.text = text ? mark(text, matched, true) : ""
        continue
      }
      if (!hits) continue
      docs.push({
        location: `${path}#${anchor}`, title: mark(heading, matched, false), text: mark(text, matched, true),
        score: value * hits / matched.length, terms: termsFound,
      })
    }
    return [article, ...docs]
  })
  return { items }
}

addEventListener("message", async event => {
  const message = event.data || {}
  if (message.type === SETUP) {
    const config = message.data && message.data.config || {}
    yb = config.yb
    if (config.separator)
      separator = new RegExp(config.separator)
    postMessage({ type: READY })
  } else if (message.type === QUERY && yb) {
    const mine = ++latest
    let data
    try {
      data = await search(String(message.data || ""))
    } catch (err) {
      console.warn("search", err)
      data = { items: [] }
    }
    if (mine === latest)   // an answer to an older query would replace the newer one's
      postMessage({ type: RESULT, data })
  }
})
