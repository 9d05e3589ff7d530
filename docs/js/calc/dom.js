// Helpers every calculator module uses: element building, money formatting,
// own-property lookups, citations. Written once here.

export const SITE = new URL("../../", import.meta.url);
export const root = document.getElementById("yb-calc");
export const MODE = root?.dataset.mode || "page";
export const params = new URLSearchParams(location.search);

// Shared state of the page (one calculator per page).
export const app = {
  catalog: null,      // Catalog (calc/catalog.js)
  engine: null,       // Engine (calc/worker-client.js)
  seq: 0,             // latest request number (stale answers are dropped)
  lastResult: null,   // {request, result} of the latest estimate
  lastRemote: null,   // {request, result} of the latest out-of-region check
};

/** Element builder. Never sets a `style` attribute (the CSP forbids inline styles). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

const present = (c) => c !== null && c !== undefined && c !== false;

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (!present(child)) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** replaceChildren() with arrays and skipped parts (it would print "null" or "[object …]"). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** fill(), keeping every element that comes out the same: a button drawn again while the
 * resident presses it (a field's change redraws the visits' list as the pointer goes down)
 * would lose the press, or the focus, with the old element. Listeners stay the old ones,
 * so only what its attributes and text say may differ between two drawings of an element. */
export function refill(el, ...children) {
  const fresh = document.createElement(el.tagName);
  append(fresh, children);
  refillFrom(el, fresh);
  return el;
}

function patch(node, fresh) {
  if (node.isEqualNode(fresh)) return;
  const same = node.nodeType === Node.ELEMENT_NODE && node.tagName === fresh.tagName &&
    JSON.stringify(drawn(node)) === JSON.stringify(drawn(fresh));
  if (same) refillFrom(node, fresh);
  else node.replaceWith(fresh);
}

/** An element's attributes as drawn: without the marks the theme's focus-visible polyfill puts on
 * the focused element (the very button being pressed). */
function drawn(el) {
  return [...el.attributes].filter((a) => a.name !== "data-focus-visible-added")
    .map((a) => `${a.name}=${a.name === "class" ? a.value.split(" ").filter((c) => c !== "focus-visible").join(" ") : a.value}`)
    .sort();
}

function refillFrom(node, fresh) {
  const before = [...node.childNodes];
  const after = [...fresh.childNodes];
  if (before.length !== after.length) node.replaceChildren(...after);
  else before.forEach((child, i) => patch(child, after[i]));
}

export const $ = (sel) => root.querySelector(sel);
export const $$ = (sel) => [...root.querySelectorAll(sel)];

/** "1234567.5" -> "1,234,567.50"; anything else is shown as it came. */
export function money(value) {
  const s = String(value ?? "");
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return s;
  const whole = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${m[1]}${whole}.${(m[3] || "").padEnd(2, "0")}`;
}

export const yuan = (s) => `${money(s)} 元`;

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** Link to the clause a figure comes from (the portal's document pages have an anchor per clause). */
export function docLink(source) {
  if (!source || !source.document) return null;
  const title = source.title ? `《${source.title}》` : "政策文件";
  const clause = (source.cite || "").split("/")[1];
  const href = new URL(`documents/${encodeURIComponent(source.document)}/`, SITE);
  if (clause) href.hash = clause;
  const a = h("a", { href: href.href }, title);
  if (MODE === "embed") { a.target = "_blank"; a.rel = "noopener"; }
  return h("span", { class: "yb-cite" }, "依据：", a, source.number ? `（${source.number}）` : "",
    source.clause ? ` ${source.clause}` : "");
}

/** Link to the glossary entry of a term. */
export function glossaryLink(anchor, text) {
  const a = h("a", { href: new URL(`guides/glossary/#${encodeURIComponent(anchor)}`, SITE).href }, text);
  if (MODE === "embed") { a.target = "_blank"; a.rel = "noopener"; }
  return a;
}
