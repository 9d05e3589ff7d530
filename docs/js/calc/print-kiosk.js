// Print (one A4 page: a header with the date, the scheme and its version, the
// link) and kiosk mode (a shared tablet keeps nothing for the next visitor).

import { $, app, fill, h, today } from "./dom.js";

export function updatePrintMeta(r, remote, link) {
  const shown = r || remote;
  const policy = shown ? app.catalog.policy(shown.policy) : null;
  // A year has its rules' date per visit: each date once, in the order of the visits.
  const rulesFrom = r?.visits ? [...new Set(r.visits.map((v) => v.rules_from))].join("、") : shown?.rules_from;
  fill($("#yb-print-meta"),
    h("strong", {}, r?.visits ? `医保报销估算（全年 ${r.visits.length} 次就医）` : r ? "医保报销估算" : app.catalog.label("view", "remote")),
    ` · 打印日期 ${today()}`,
    policy ? ` · ${policy.title}` : "",
    shown ? ` · 依据的规定：${rulesFrom}` : "",
    h("br"), h("span", { class: "yb-print-link" }, link));
}

/** Forget the visitor: elder mode off (elder.js follows the class) and anything this site stored here. */
export function forgetVisitor() {
  document.documentElement.classList.remove("yb-elder");
  for (const store of ["localStorage", "sessionStorage"]) {
    try { window[store].clear(); } catch { /* storage blocked: nothing was kept */ }
  }
}

/** Kiosk: after idle minutes, start again for the next visitor. */
export function armKiosk(reset, idleMs = 5 * 60 * 1000) {
  let idle = null;
  const arm = () => { clearTimeout(idle); idle = setTimeout(reset, idleMs); };
  ["pointerdown", "keydown", "input"].forEach((e) => document.addEventListener(e, arm));
  arm();
}
