// The scenario in the URL fragment (never sent to a server) and the requests
// the engine receives. Fragment keys are short and stable: shared links live long.
// The keys are the vocabulary's (catalog.fields). A year: the first visit's fields keep their keys,
// visit N (2, 3, …) writes them with N in front ("2d", "2t", "2o.quota"), and "e" names the visit
// in the form when it is not the last.

import { app, SITE, today } from "./dom.js";
import { maxVisits, pickVisit, visitFields } from "./visits.js";

/** The share link's short keys (the vocabulary's, in catalog.fields): field name -> key, in order.
 * A figure the resident knows ("o.quota") and the visit in the form ("e") are written apart. */
function linkKeys() {
  const keys = app.catalog.fieldsWhere((f) => f.key && !f.name.startsWith("overrides") && f.name !== "visit");
  return new Map(keys.map((f) => [f.name, f.key]));
}
const overridesKey = () => app.catalog.field("overrides").key;
export const booleanFields = () => app.catalog.fieldsWhere((f) => f.kind === "bool").map((f) => f.name);

const flat = (v) => (typeof v === "boolean" ? (v ? "1" : "") : v);

export function toFragment(state) {
  const q = new URLSearchParams();
  const visits = state.visits?.length ? state.visits : [pickVisit(state)];
  const keys = linkKeys();
  const perVisit = visitFields();
  for (const [name, key] of keys) {
    if (perVisit.includes(name)) {
      if (name === perVisit[0]) writeVisits(q, visits, keys);  // the visits' fields, where the first one's always stood
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
  if (visits.length > 1 && state.current !== visits.length - 1) q.set(app.catalog.field("visit").key, String(state.current + 1));
  return q.toString();
}

function writeVisits(q, visits, keys) {
  visits.forEach((visit, i) => {
    const prefix = i ? String(i + 1) : "";
    for (const name of visitFields()) {
      const v = flat(visit[name]);
      if (v) q.set(prefix + keys.get(name), v);
    }
    for (const [key, value] of visit.overrides || []) if (value) q.set(`${prefix}${overridesKey()}.${key}`, value);
  });
}

/** Fragment -> form state. Unknown keys are ignored; any value is kept for the engine to judge. */
export function fromFragment(hash) {
  const q = new URLSearchParams(String(hash).replace(/^#/, ""));
  const state = { overrides: new Map() };
  const later = [];   // visits 2, 3, …: their fields
  const names = new Map([...linkKeys()].map(([name, key]) => [key, name]));
  const perVisit = visitFields();
  const bools = booleanFields();
  const overrides = `${overridesKey()}.`;
  for (const [key, v] of q) {
    const m = /^([1-9][0-9]{0,2})(\D.*)$/.exec(key);
    const n = m ? Number(m[1]) : 1;
    if (n < 2 && m) continue;
    if (n > maxVisits()) continue;
    const target = n === 1 ? state : (later[n - 2] ||= { overrides: new Map() });
    const rest = m ? m[2] : key;
    if (rest.startsWith(overrides)) { target.overrides.set(rest.slice(overrides.length), v); continue; }
    const name = names.get(rest);
    if (!name || (n > 1 && !perVisit.includes(name))) continue;
    if (name === "member") state.member = v.split(",").filter(Boolean);
    else if (bools.includes(name)) target[name] = v === "1";
    else target[name] = v;
  }
  if (later.length) {
    state.visits = [pickVisit(state), ...Array.from(later, (v) => pickVisit(v || {}))];
    const e = Number(q.get(app.catalog.field("visit").key));
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
// A field of kind "answer" is a select of 是, 否 and its `empty` label: sent as true, false, or not at all.
const ANSWER = new Map([["yes", true], ["no", false]]);

function put(req, path, value) {
  const parts = path.split(".");
  let at = req;
  for (const part of parts.slice(0, -1)) at = (at[part] ||= {});
  at[parts[parts.length - 1]] = value;
}

/** The fields of request `op` (estimate, remote, year) read from a state, as the catalogue names
 * them: empty text is left out, so the engine applies its default or asks for the field. */
function requestOf(op, state, test = () => true) {
  const req = {};
  for (const f of app.catalog.fieldsWhere((f) => f.ops.includes(op) && !f.name.startsWith("overrides") && test(f))) {
    const v = state[f.name];
    if (v === undefined || v === null || v === "") continue;
    put(req, f.field, f.kind === "flags" ? flags(v) : f.kind === "answer" && ANSWER.has(v) ? ANSWER.get(v) : v);
  }
  return req;
}

/** One visit's fields of a request (estimate or year). */
function visitRequest(visit) {
  const req = requestOf("estimate", visit, (f) => f.visit);
  if (!req.remote?.kind) delete req.remote;   // out-of-region care: only once its kind is chosen
  const overrides = [...(visit.overrides || [])].filter(([, v]) => v !== "");
  if (overrides.length) req.overrides = Object.fromEntries(overrides);
  return req;
}

export function estimateRequest(state) {
  return { ...requestOf("estimate", state, (f) => !f.visit), ...visitRequest(state) };
}

/** The year of every visit (calculator.year): each visit's own fields, the rest shared. */
export function yearRequest(state) {
  return { ...requestOf("year", state, (f) => f.kind !== "list"), visits: state.visits.map(visitRequest) };
}

export function remoteRequest(state) {
  // today: the page's day (what the engine would assume), said once, like the form's dates
  return { ...requestOf("remote", state), today: today() };
}
