// Input errors beside their fields, and the one short sentence a screen
// reader hears once a result has settled (not the whole result on every key).

import { $, root } from "./dom.js";

const ANNOUNCE_MS = 1000;   // quiet time after the last result before it is spoken
let announceTimer = null;

export function announce(text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    const region = $("#yb-announce");
    if (!region || region.textContent === text) return;
    region.textContent = text;
    region.dataset.count = String(Number(region.dataset.count || 0) + 1);
  }, ANNOUNCE_MS);
}

export function clearErrors(scope = root) {
  for (const el of scope.querySelectorAll(".yb-error")) { el.hidden = true; el.textContent = ""; }
  for (const el of scope.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** The engine names the field by its dotted path; show the message beside it. */
export function showError(error, panel) {
  const name = error.field || "";
  let input = null;
  let errEl = null;
  for (let path = name; path; path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "") {
    const mapped = panel === "remote" && !path.startsWith("check.") && !["policy", "member"].some((p) => path.startsWith(p))
      ? `check.${path}` : path;
    input = root.querySelector(`[data-field="${CSS.escape(mapped)}"]`);
    if (mapped.startsWith("member")) {
      errEl = $("#yb-member-err");
      input = input || $("#yb-member");
      $("#yb-member").hidden = false;
      break;
    }
    if (input) { errEl = root.querySelector(`#${CSS.escape(input.id)}-err`); break; }
  }
  if (!errEl) {
    errEl = panel === "remote" ? $("#yb-remote-general-err") : $("#yb-general-err");
    input = null;
  }
  if (input && input.tagName !== "FIELDSET") input.setAttribute("aria-invalid", "true");
  if (input && input.closest("details")) input.closest("details").open = true;
  errEl.textContent = error.message || "输入有误，请检查。";
  errEl.hidden = false;
  errEl.dataset.code = error.code || "";
}
