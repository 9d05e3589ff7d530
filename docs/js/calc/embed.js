// The embed page (embed/?policy=…&parent=…): presets, theme and text size from
// the URL; heights and (when asked) results posted only to a parent the site's
// operator allows (embed/origins.json; the same origin is always allowed).

import { app, params, root, SITE } from "./dom.js";

let parentOrigin = null;   // set once the declared parent is known to be allowed
let subscribed = false;

function declaredParent() {
  const p = params.get("parent");
  if (!p || window.parent === window) return null;
  try {
    const origin = new URL(p).origin;
    return origin !== "null" && origin === p.replace(/\/$/, "") ? origin : null;
  } catch { return null; }
}

async function allowedOrigins() {
  try {
    const resp = await fetch(new URL("embed/origins.json", SITE), { cache: "no-cache" });
    if (!resp.ok) return [];
    const data = await resp.json();
    return Array.isArray(data?.allowed) ? data.allowed.filter((o) => typeof o === "string") : [];
  } catch { return []; }
}

function postHeight() {
  if (!parentOrigin) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "yibao:height", height }, parentOrigin);
}

/** Results go only to an allowed parent that asked for them. */
export function postResultToParent(why) {
  if (!parentOrigin || (why === "auto" && !subscribed) || !app.lastResult) return;
  window.parent.postMessage({ type: "yibao:result", request: app.lastResult.request, result: app.lastResult.result }, parentOrigin);
  const note = document.getElementById("yb-foot-note");
  if (note) note.textContent = `计算在您的设备上完成。按 ${parentOrigin} 网站的请求，您填写的费用和计算结果已发给该网站。`;
}

function applyTheme() {
  const theme = params.get("theme");
  if (!theme || !/^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(theme)) return;
  let hex = theme.replace("#", "");
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const style = document.documentElement.style;   // CSS variables through the CSSOM (allowed by the CSP)
  style.setProperty("--yb-accent", `#${hex}`);
  // Text on the accent stays readable (WCAG contrast) whatever colour is chosen.
  style.setProperty("--yb-on-accent", lum > 0.18 ? "#000" : "#fff");
  style.setProperty("--yb-accent-text", lum > 0.18 ? "#1a1a1a" : `#${hex}`);
}

export async function setupEmbed() {
  applyTheme();
  const size = params.get("size");
  if (size === "large" || size === "xlarge") document.documentElement.classList.add("yb-elder");
  if (size === "xlarge") document.documentElement.classList.add("yb-xlarge-text");
  const declared = declaredParent();
  if (!declared) return;
  const allowed = declared === location.origin || (await allowedOrigins()).includes(declared);
  root.dataset.parent = allowed ? "allowed" : "refused";
  if (!allowed) return;
  parentOrigin = declared;
  const note = document.getElementById("yb-foot-note");
  if (note && declared !== location.origin) {
    note.textContent = `计算在您的设备上完成。本计算器嵌在 ${declared} 网站中：该网站会收到本框的高度；只有它提出请求时，才会收到您填写的费用和计算结果。`;
  }
  new ResizeObserver(postHeight).observe(document.documentElement);
  window.addEventListener("message", (event) => {
    if (event.origin !== parentOrigin || event.source !== window.parent) return;
    const type = event.data && event.data.type;
    if (type === "yibao:get-result") postResultToParent("asked");
    else if (type === "yibao:subscribe") { subscribed = true; postResultToParent("asked"); }
    else if (type === "yibao:unsubscribe") subscribed = false;
  });
  postHeight();
}
