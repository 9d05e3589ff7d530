// The scenario in the URL fragment (never sent to a server) and the requests
// the engine receives. Fragment keys are short and stable: shared links live long.

import { SITE, today } from "./dom.js";

const KEYS = {
  policy: "p", date: "d", care: "c", facility: "f", item: "i", member: "m",
  "costs.total": "t", "costs.class_b": "b", "costs.self_pay": "s",
  "year_to_date.fund_paid": "yf", "year_to_date.eligible_costs": "ye", "year_to_date.out_of_pocket": "yo",
  "remote.kind": "r", "remote.registered": "rg", "remote.cross_province": "rx",
  "check.reason": "xr", "check.care": "xq", "check.networked": "xn", "check.visit_date": "xd",
  "check.discharged": "xe", "check.filed": "xf", "check.filing_date": "xg", "check.condition": "xk",
  "check.months_elsewhere": "xm", "check.days_away": "xa", "check.cross_province": "xc", view: "v",
};
export const BOOLEAN_FIELDS = ["remote.registered", "remote.cross_province", "check.cross_province"];
const KEY_TO_NAME = new Map(Object.entries(KEYS).map(([name, key]) => [key, name]));

export function toFragment(state) {
  const q = new URLSearchParams();
  for (const [name, key] of Object.entries(KEYS)) {
    let v = state[name];
    if (name === "member") v = (state.member || []).join(",");
    if (typeof v === "boolean") v = v ? "1" : "";
    if (name === "view" && v === "estimate") v = "";
    // The checker's own fields only matter when the link opens the checker.
    if (name.startsWith("check.") && state.view !== "remote") v = "";
    if (v) q.set(key, v);
  }
  for (const [key, value] of state.overrides || []) if (value) q.set(`o.${key}`, value);
  return q.toString();
}

/** Fragment -> form state. Unknown keys are ignored; any value is kept for the engine to judge. */
export function fromFragment(hash) {
  const q = new URLSearchParams(String(hash).replace(/^#/, ""));
  const state = { overrides: new Map() };
  for (const [key, v] of q) {
    if (key.startsWith("o.")) { state.overrides.set(key.slice(2), v); continue; }
    const name = KEY_TO_NAME.get(key);
    if (!name) continue;
    if (name === "member") state.member = v.split(",").filter(Boolean);
    else if (BOOLEAN_FIELDS.includes(name)) state[name] = v === "1";
    else state[name] = v;
  }
  return state;
}

export function shareUrl(state) {
  const url = new URL("calculator/", SITE);
  url.hash = toFragment(state);
  return url.href;
}

const flags = (list) => Object.fromEntries((list || []).map((f) => [f, true]));

export function estimateRequest(state) {
  const req = {
    policy: state.policy, care: state.care, facility: state.facility,
    member: flags(state.member),
    costs: { total: state["costs.total"], class_b: state["costs.class_b"], self_pay: state["costs.self_pay"] },
    year_to_date: {
      fund_paid: state["year_to_date.fund_paid"], eligible_costs: state["year_to_date.eligible_costs"],
      out_of_pocket: state["year_to_date.out_of_pocket"],
    },
    remote: state["remote.kind"] ? {
      kind: state["remote.kind"], registered: state["remote.registered"], cross_province: state["remote.cross_province"],
    } : null,
  };
  if (state.date) req.date = state.date;
  if (state.item) req.item = state.item;
  const overrides = [...(state.overrides || [])].filter(([, v]) => v !== "");
  if (overrides.length) req.overrides = Object.fromEntries(overrides);
  return req;
}

const TRI = new Map([["yes", true], ["no", false]]);

export function remoteRequest(state) {
  const req = {
    policy: state.policy, reason: state["check.reason"],
    member: flags(state.member),
    visit_date: state["check.visit_date"],
    cross_province: state["check.cross_province"],
    today: today(),   // the page's day (what the engine would assume), said once, like the form's dates
  };
  if (state["check.care"]) req.care = state["check.care"];
  if (state["check.networked"]) req.networked = TRI.has(state["check.networked"]) ? TRI.get(state["check.networked"]) : state["check.networked"];
  if (state["check.filed"]) req.filed = TRI.has(state["check.filed"]) ? TRI.get(state["check.filed"]) : state["check.filed"];
  for (const key of ["filing_date", "condition", "discharged", "days_away", "months_elsewhere"]) {
    if (state[`check.${key}`]) req[key] = state[`check.${key}`];
  }
  return req;
}
