/* Chinese search queries for Material's search worker.
 *
 * The page starts this script instead of Material's worker (see
 * portal/overrides/main.html); the worker's own file name follows the
 * "?" in this script's URL. Before a query reaches Material's handler:
 *
 * 1. Traditional characters become simplified (t2s.js, generated at build time
 *    from OpenCC for the characters the index uses), so 起付線 finds exactly
 *    what 起付线 finds.
 * 2. Each run of Chinese characters is cut into words of the index (longest
 *    match first; the index was segmented by jieba at build time), and each
 *    word is written with its last character repeated: Material's own query
 *    segmenter only tries slices that end before a run's last character, so
 *    without this a query that is exactly one indexed word (起付线) would be
 *    searched as its first part (起付).
 */
/* global T2S */
importScripts("t2s.js")

const SETUP = 0
const QUERY = 2
const HAN = /\p{sc=Han}+/gu

const simplified = new Map()
const pairs = Array.from(T2S)
for (let i = 0; i + 1 < pairs.length; i += 2)
  simplified.set(pairs[i], pairs[i + 1])

let words = new Set()
let longest = 1

function learn(index) {
  words = new Set()
  const separator = new RegExp(index.config.separator, "g")
  for (const doc of index.docs)
    for (const text of [doc.title, doc.text])
      for (const word of String(text || "").split(separator))
        if (word && /^\p{sc=Han}+$/u.test(word)) {
          words.add(word)
          if (word.length > longest)
            longest = word.length
        }
}

function segment(run) {
  const out = []
  for (let i = 0; i < run.length;) {
    let j = Math.min(run.length, i + longest)
    while (j > i + 1 && !words.has(run.slice(i, j)))
      j--
    const word = run.slice(i, j)
    out.push(words.has(word) ? word + word.slice(-1) : word)
    i = j
  }
  return out.join(" ")
}

function rewrite(message) {
  if (message && message.type === SETUP)
    learn(message.data)
  if (message && message.type === QUERY && typeof message.data === "string") {
    const query = Array.from(message.data, c => simplified.get(c) || c).join("")
    return { ...message, data: query.replace(HAN, segment) }
  }
  return message
}

// (a top-level binding named addEventListener would shadow the override below)
const addListener = self.addEventListener.bind(self)
self.addEventListener = (type, listener, options) =>
  addListener(type, type === "message"
    ? event => listener({ data: rewrite(event.data) })
    : listener, options)

importScripts(`search.${self.location.search.slice(1)}`)
