// The scenario in the URL fragment (never sent to a server) and the requests
// the engine receives. Fragment keys are short and stable: shared links live long.
// A year: the first visit's fields keep their keys, visit N (2, 3, …) writes them with
// N in front ("2d", "2t", "2o.quota"), and "e" names the visit in the form when it is not the last.

import { SITE, today } from "./dom.js";
import { MAX_VISITS, pickVisit, VISIT_FIELDS } from "./visits.js";

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

const flat = (v) => (typeof v === "boolean" ? (v ? "1" : "") : v);

export function toFragment(state) {
  const q = new URLSearchParams();
  const visits = state.visits?.length ? state.visits : [pickVisit(state)];
  for (const [name, key] of Object.entries(KEYS)) {
    if (VISIT_FIELDS.includes(name)) {
      if (name === "date") writeVisits(q, visits);  // the visits' fields, where the first one's always stood
      continue;
    }
    if (visits.length > 1 && name.startsWith("year_to_date.")) continue;  // a year works these out itself
    let v = state[name];
    if (name === "member") v = (state.member || []).join(",");
    if (typeof v === "boolean") v = v ? "1" : "";
    if (name === "view" && v === "estimate") v = "";
    // The checker's own fields only matter when the link opens the checker.
    if (name.startsWith("check.") && state.view !== "remote") v = "";
    if (v) q.set(key, v);
  }
  if (visits.length > 1 && state.current !== visits.length - 1) q.set("e", String(state.current + 1));
  return q.toString();
}

function writeVisits(q, visits) {
  visits.forEach((visit, i) => {
    const prefix = i ? String(i + 1) : "";
    for (const name of VISIT_FIELDS) {
      const v = flat(visit[name]);
      if (v) q.set(prefix + KEYS[name], v);
    }
    for (const [key, value] of visit.overrides || []) if (value) q.set(`${prefix}o.${key}`, value);
  });
}

/** Fragment -> form state. Unknown keys are ignored; any value is kept for the engine to judge. */
export function fromFragment(hash) {
  const q = new URLSearchParams(String(hash).replace(/^#/, ""));
  const state = { overrides: new Map() };
  const later = [];   // visits 2, 3, …: their fields
  for (const [key, v] of q) {
    const m = /^([1-9][0-9]{0,2})(\D.*)$/.exec(key);
    const n = m ? Number(m[1]) : 1;
    if (n < 2 && m) continue;
    if (n > MAX_VISITS) continue;
    const target = n === 1 ? state : (later[n - 2] ||= { overrides: new Map() });
    const rest = m ? m[2] : key;
    if (rest.startsWith("o.")) { target.overrides.set(rest.slice(2), v); continue; }
    const name = KEY_TO_NAME.get(rest);
    if (!name || (n > 1 && !VISIT_FIELDS.includes(name))) continue;
    if (name === "member") state.member = v.split(",").filter(Boolean);
    else if (BOOLEAN_FIELDS.includes(name)) target[name] = v === "1";
    else target[name] = v;
  }
  if (later.length) {
    state.visits = [pickVisit(state), ...Array.from(later, (v) => pickVisit(v || {}))];
    const e = Number(q.get("e"));
    state.current = Number.isInteger(e) && e >= 1 && e <= state.visits.length ? e - 1 : state.visits.length - 1;
  }
  return state;
}

export function shareUrl(state) {
  const url = new URL("calculator/", SITE);
  url.hash = toFragment(state);
  return url.href;
}

const flags = (list) => Object.fromEntries((list || []).map((f) => [f, true]));

/** One visit's fields of a request (estimate or year). */
function visitRequest(visit) {
  const req = {
    care: visit.care, facility: visit.facility,
    costs: { total: visit["costs.total"], class_b: visit["costs.class_b"], self_pay: visit["costs.self_pay"] },
    remote: visit["remote.kind"] ? {
      kind: visit["remote.kind"], registered: visit["remote.registered"], cross_province: visit["remote.cross_province"],
    } : null,
  };
  if (visit.date) req.date = visit.date;
  if (visit.item) req.item = visit.item;
  const overrides = [...(visit.overrides || [])].filter(([, v]) => v !== "");
  if (overrides.length) req.overrides = Object.fromEntries(overrides);
  return req;
}

export function estimateRequest(state) {
  const req = { policy: state.policy, member: flags(state.member), ...visitRequest(state) };
  req.year_to_date = {
    fund_paid: state["year_to_date.fund_paid"], eligible_costs: state["year_to_date.eligible_costs"],
    out_of_pocket: state["year_to_date.out_of_pocket"],
  };
  return req;
}

/** The year of every visit (calculator.year): a visit's date is always sent (the engine asks for it). */
export function yearRequest(state) {
  const visits = state.visits.map((v) => ({ ...visitRequest(v), date: v.date || "" }));
  return { policy: state.policy, member: flags(state.member), visits };
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
