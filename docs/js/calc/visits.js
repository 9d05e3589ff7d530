// A resident's year: the visits entered so far, one of them in the form's fields at a time.
// One visit is the default and the form looks as it always did; from two visits on, the list
// shows each visit (date, care, facility, total) with 修改 / 删除, and the page asks the
// engine for the year (calculator.year). Labels come from the catalogue.

import { $, app, fill, h, refill, yuan } from "./dom.js";

/** How many visits a year may hold (the engine's limit, the vocabulary's `visits` field). */
export const maxVisits = () => app.catalog.field("visits").maximum;
/** The fields of one visit in the form's state (the vocabulary marks them `visit`; a figure the
 * resident knows travels in `overrides`); the rest (policy, member…) is shared by all. */
export const visitFields = () =>
  app.catalog.fieldsWhere((f) => f.visit && !f.name.startsWith("overrides")).map((f) => f.name);

let visits = [];   // visit states ({date, care, …, overrides: Map}); visits[current] is in the form
let current = 0;
let hooks = { load: () => {}, changed: () => {} };

export const visitName = (index) => `第${index + 1}次就医`;

/** One visit's part of a form state (a copy). */
export function pickVisit(state) {
  const visit = Object.fromEntries(visitFields().map((name) => [name, state[name]]));
  visit.overrides = new Map(state.overrides || []);
  return visit;
}

/** Start again with these visits (a link, a reset); `load` puts a visit in the form, `changed` reruns. */
export function setVisits(list, index, on = hooks) {
  hooks = on;
  visits = list.length ? list.map((v) => ({ ...v, overrides: new Map(v.overrides || []) })) : [];
  current = Math.min(Math.max(0, index || 0), Math.max(0, visits.length - 1));
}

/** The form's state with every visit: the current one read from the form. */
export function withVisits(state) {
  if (!visits.length) visits = [pickVisit(state)];
  visits[current] = pickVisit(state);
  return { ...state, visits: visits.map((v) => ({ ...v, overrides: new Map(v.overrides) })), current };
}

export const currentVisit = () => visits[current];
export const visitCount = () => Math.max(1, visits.length);

function edit(index, readForm) {
  withVisits(readForm());
  current = index;
  hooks.load(visits[current]);
  render(readForm);
  $("#yb-date")?.focus();
  hooks.changed();
}

function remove(index, readForm) {
  withVisits(readForm());
  visits.splice(index, 1);
  current = Math.min(index < current ? current - 1 : current, visits.length - 1);
  hooks.load(visits[current]);
  render(readForm);
  $("#yb-add-visit")?.focus();
  hooks.changed();
}

/** Keep the visit in the form, open a new one (same date, care and facility; no costs yet). */
export function addVisit(readForm) {
  const state = withVisits(readForm());
  if (visits.length >= maxVisits()) return;
  const last = state.visits[current];
  visits.push({ ...pickVisit({}), date: last.date, care: last.care, facility: last.facility, item: last.item,
    overrides: new Map() });
  current = visits.length - 1;
  hooks.load(visits[current]);
  render(readForm);
  $("#yb-costs-total")?.focus();
  hooks.changed();
}

function describe(visit) {
  const policy = app.catalog.policy($("#yb-policy").value);
  const care = app.catalog.care(policy, visit.care);
  const parts = [visit.date || "未填日期", care?.label || visit.care, app.catalog.facilityLabel(policy, visit.facility)];
  parts.push(visit["costs.total"] ? `费用 ${yuan(visit["costs.total"])}` : "未填费用");
  return parts.filter(Boolean).join(" · ");
}

/** The list of visits (shown from two on) and the add button's words. */
export function render(readForm) {
  const box = $("#yb-visits");
  if (!box) return;
  const many = visits.length > 1;
  box.hidden = !many;
  $("#yb-ytd-box").hidden = many;   // a year works out what was used before each visit itself
  const add = $("#yb-add-visit");
  add.disabled = visits.length >= maxVisits();
  add.textContent = many ? "＋ 再添加一次就医" : "＋ 添加另一次就医（计算全年）";
  $("#yb-add-hint").textContent = visits.length >= maxVisits() ? `最多可以填写 ${maxVisits()} 次就医。` : "";
  if (!many) { fill(box); return; }
  refill(box,
    h("h3", { class: "yb-visits-title" }, `${app.catalog.field("visits").label}（共 ${visits.length} 次）`),
    h("ol", { class: "yb-visit-list" }, visits.map((visit, i) => h("li", {
      class: i === current ? "yb-visit yb-visit-current" : "yb-visit", "data-index": String(i),
      "aria-current": i === current ? "true" : null },
    h("span", { class: "yb-visit-name" }, visitName(i), i === current ? "（正在填写）" : ""),
    h("span", { class: "yb-visit-what" }, describe(visit)),
    h("span", { class: "yb-visit-actions" },
      i === current ? null : h("button", { type: "button", class: "yb-btn yb-visit-edit", "aria-label": `修改${visitName(i)}`,
        onclick: () => edit(i, readForm) }, "修改"),
      h("button", { type: "button", class: "yb-btn yb-visit-remove", "aria-label": `删除${visitName(i)}`,
        onclick: () => remove(i, readForm) }, "删除")),
    h("p", { class: "yb-error", id: `yb-visit-${i}-err`, role: "alert", hidden: true })))),
    h("p", { class: "yb-hint", id: "yb-visit-editing" }, `下面的表格正在填写${visitName(current)}。`));
}

/** An engine error about one visit: said in that visit's line; returned with the field inside the
 * visit when it is the one in the form (shown beside the field too), else null. */
export function visitError(error) {
  const m = /^visits\[(\d+)\](?:\.(.*))?$/.exec(error?.field || "");
  if (!m) return error;
  const index = Number(m[1]);
  const line = $(`#yb-visit-${index}-err`);
  if (line) { line.textContent = error.message; line.hidden = false; }
  return index === current ? { ...error, field: m[2] || "" } : null;
}
