// The form: built from the catalogue (policies, care types, facilities,
// member flags that matter, overridable figures, emergency conditions; every field's label,
// hint and kind are the vocabulary's), read back into a plain state object, and filled from
// one (a shared link).

import { $, $$, app, fill, h, MODE, root, today } from "./dom.js";
import { booleanFields } from "./url-state.js";
import { addVisit, pickVisit, render as renderVisits, setVisits, visitFields, withVisits } from "./visits.js";

let flagMemory = new Set();   // ticked member flags, kept while the choices shown change

/** A field's label as the form shows it: the vocabulary's, marked （可选） when it may stay empty. */
const labelOf = (name) => app.catalog.field(name).label + (app.catalog.field(name).optional ? "（可选）" : "");

/** One field of the vocabulary: its label and hint from the catalogue (`hint` may add the page's own). */
function field(name, input, hint = app.catalog.field(name).hint, label = labelOf(name)) {
  const id = "yb-" + name.replace(/\./g, "-");
  input.id = id;
  input.name = name;
  input.dataset.field = name;
  input.setAttribute("aria-describedby", [hint ? id + "-hint" : null, id + "-err"].filter(Boolean).join(" "));
  return h("div", { class: "yb-field", "data-for": name },
    h("label", { for: id }, label),
    input,
    hint ? h("p", { class: "yb-hint", id: id + "-hint" }, hint) : null,
    h("p", { class: "yb-error", id: id + "-err", role: "alert", hidden: true }));
}

function checkbox(name) {
  const id = "yb-" + name.replace(/\./g, "-");
  return h("div", { class: "yb-check" }, h("input", { type: "checkbox", id, name, "data-field": name }),
    h("label", { for: id }, labelOf(name)));
}

const holderOf = (name) => app.catalog.field(name).placeholder;
const moneyInput = (holder = "0.00") =>
  h("input", { type: "text", inputmode: "decimal", autocomplete: "off", placeholder: holder, spellcheck: "false" });
const countInput = (name) =>
  h("input", { type: "text", inputmode: "numeric", autocomplete: "off", placeholder: holderOf(name) });
const options = (list) => list.map((x) => h("option", { value: x.id }, x.label));
/** A yes-or-no select (kind "answer"): its `empty` label, 是, 否. */
const answers = (name) => [h("option", { value: "" }, app.catalog.field(name).empty),
  ...[...app.catalog.labels.get("answer")].map(([id, label]) => h("option", { value: id }, label))];
const money = (name) => field(name, moneyInput(holderOf(name)));

function policySelect() {
  const select = h("select", {});
  const groups = new Map();
  for (const p of app.catalog.policies) {
    const key = p.province || p.region_name;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  for (const [label, list] of groups) select.append(h("optgroup", { label }, options(list.map((p) => ({ id: p.id, label: p.title })))));
  return select;
}

function estimateForm(on) {
  return h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); on.submit("estimate"); } },
    h("section", { class: "yb-visits", id: "yb-visits", "aria-label": app.catalog.field("visits").label, hidden: true }),
    h("fieldset", { class: "yb-group" }, h("legend", {}, "就医情况"),
      field("date", h("input", { type: "date", value: today() })),
      field("care", h("select", {})),
      field("facility", h("select", {})),
      field("item", h("select", {}))),
    h("fieldset", { class: "yb-group" }, h("legend", {}, "本次费用（元）"),
      money("costs.total"), money("costs.class_b"), money("costs.self_pay")),
    h("div", { class: "yb-add-visit" },
      h("button", { type: "button", class: "yb-btn", id: "yb-add-visit", onclick: () => addVisit(readForm) }),
      h("p", { class: "yb-hint", id: "yb-add-hint", "aria-live": "polite" })),
    h("details", { class: "yb-group yb-more", id: "yb-ytd-box" }, h("summary", {}, "本年度已发生的费用（可选）"),
      money("year_to_date.fund_paid"), money("year_to_date.eligible_costs"), money("year_to_date.out_of_pocket")),
    h("details", { class: "yb-group yb-more", id: "yb-remote-box" }, h("summary", {}, "在外地就医（可选）"),
      field("remote.kind", h("select", {})),
      checkbox("remote.registered"),
      checkbox("remote.cross_province")),
    h("div", { class: "yb-group yb-overrides", hidden: true }),
    h("p", { class: "yb-error yb-general", id: "yb-general-err", role: "alert", hidden: true }),
    h("button", { type: "submit", class: "yb-btn yb-primary" }, "计算"));
}

function remoteForm(on) {
  return h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); on.submit("remote"); } },
    h("fieldset", { class: "yb-group" }, h("legend", {}, "外地就医情况"),
      field("check.reason", h("select", {})),
      field("check.care", h("select", {}, options([...app.catalog.remoteCare].map(([id, label]) => ({ id, label }))))),
      field("check.visit_date", h("input", { type: "date", value: today() }), app.catalog.calendarNote),
      checkbox("check.cross_province"),
      field("check.networked", h("select", {}, answers("check.networked"))),
      field("check.filed", h("select", {}, answers("check.filed"))),
      field("check.filing_date", h("input", { type: "date" })),
      field("check.condition", h("input", { type: "text", autocomplete: "off", list: "yb-conditions" })),
      h("datalist", { id: "yb-conditions" }),
      field("check.discharged", h("input", { type: "date" })),
      field("check.days_away", countInput("check.days_away")),
      field("check.months_elsewhere", countInput("check.months_elsewhere"))),
    h("p", { class: "yb-error yb-general", id: "yb-remote-general-err", role: "alert", hidden: true }),
    h("button", { type: "submit", class: "yb-btn yb-primary" }, "检查"));
}

/** Draw the whole calculator. `on` holds the page's handlers (submit, reset, print, copy, qr, view). */
export function buildForm(on) {
  flagMemory = new Set();
  const tab = (view, label, selected) => h("button", { type: "button", role: "tab", id: `yb-tab-${view}`,
    "aria-controls": `yb-panel-${view}`, "aria-selected": String(selected), tabindex: selected ? null : "-1",
    onclick: () => on.view(view) }, label);
  const view = app.catalog.field("view");
  const tabs = h("div", { class: "yb-tabs", role: "tablist", "aria-label": view.label },
    tab("estimate", app.catalog.label("view", "estimate"), true), tab("remote", app.catalog.label("view", "remote"), false));
  tabs.addEventListener("keydown", (e) => {
    // WAI-ARIA tabs: arrow keys move between the two tabs.
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
    e.preventDefault();
    const next = $("#yb-panel-remote").hidden ? "remote" : "estimate";
    on.view(next);
    $(`#yb-tab-${next}`).focus();
  });
  const placeholder = (text) => h("p", { class: "yb-placeholder" }, text);
  fill(root,
    h("div", { class: "yb-print-meta", id: "yb-print-meta" }),
    h("div", { class: "yb-toolbar" },
      h("button", { type: "button", class: "yb-btn", id: "yb-reset", onclick: on.reset }, "清空重来"),
      MODE === "page" ? h("button", { type: "button", class: "yb-btn", id: "yb-print", onclick: () => window.print() }, "打印结果") : null),
    h("p", { class: "yb-status", id: "yb-status" }),
    h("div", { class: "yb-sr-only", id: "yb-announce", role: "status", "aria-live": "polite", "aria-atomic": "true" }),
    h("fieldset", { class: "yb-group" }, h("legend", {}, "参保情况"),
      field("policy", policySelect()),
      h("fieldset", { class: "yb-flags", "data-for": "member", id: "yb-member" },
        h("legend", {}, `${labelOf("member")}（${app.catalog.field("member").hint.replace(/。$/, "")}）`),
        h("div", { class: "yb-flag-list" }),
        h("p", { class: "yb-error", id: "yb-member-err", role: "alert", hidden: true }))),
    tabs,
    h("div", { role: "tabpanel", id: "yb-panel-estimate", "aria-labelledby": "yb-tab-estimate", class: "yb-panel" },
      estimateForm(on),
      h("section", { class: "yb-result", id: "yb-result", "aria-label": "估算结果", tabindex: "-1" },
        placeholder("填写费用总额后，这里显示估算结果。")),
      h("section", { class: "yb-compare", id: "yb-compare", hidden: true })),
    h("div", { role: "tabpanel", id: "yb-panel-remote", "aria-labelledby": "yb-tab-remote", class: "yb-panel", hidden: true },
      remoteForm(on),
      h("section", { class: "yb-result", id: "yb-remote-result", "aria-label": "检查结果", tabindex: "-1" },
        placeholder("选择原因和日期后，这里显示能否报销、要办什么、截止日期。"))),
    h("section", { class: "yb-share", "aria-label": "分享" },
      h("button", { type: "button", class: "yb-btn", id: "yb-copy", onclick: on.copy }, "复制链接"),
      h("button", { type: "button", class: "yb-btn", id: "yb-qr-btn", "aria-expanded": "false", onclick: on.qr }, "显示二维码"),
      h("span", { class: "yb-copied", role: "status", "aria-live": "polite" }),
      h("div", { class: "yb-qr", id: "yb-qr", hidden: true }),
      h("p", { class: "yb-hint" }, "链接里只有您填写的内容，保存在网址“#”之后，不会发送给任何服务器。")));
  $("#yb-policy").addEventListener("change", () => refreshPolicy());
  $("#yb-care").addEventListener("change", () => refreshCare());
  $$(".yb-flag-list").forEach((box) => box.addEventListener("change", (e) => {
    if (e.target.checked) flagMemory.add(e.target.value); else flagMemory.delete(e.target.value);
  }));
}

const currentPolicy = () => app.catalog.policy($("#yb-policy").value);
const currentCare = (policy) => app.catalog.care(policy, $("#yb-care").value) || policy?.care[0];
export const currentView = () => ($("#yb-panel-remote")?.hidden === false ? "remote" : "estimate");

function keepValue(select, list) {
  const keep = select.value;
  fill(select, options(list));
  if (list.some((x) => x.id === keep)) select.value = keep;
}

function refreshPolicy() {
  const policy = currentPolicy();
  const remote = app.catalog.remote(policy);
  keepValue($("#yb-care"), policy?.care || []);
  keepValue($("#yb-check-reason"), remote.reasons);
  const kind = $("#yb-remote-kind");
  const keepKind = kind.value;
  fill(kind, h("option", { value: "" }, app.catalog.field("remote.kind").empty), options(remote.kinds));
  if (remote.kinds.some((k) => k.id === keepKind)) kind.value = keepKind;
  fill($("#yb-conditions"), remote.conditions.map((c) => h("option", { value: c.label })));
  $("#yb-check-condition").placeholder = remote.conditions.length ? `例如 ${remote.conditions[0].label}` : "";
  refreshCare();
}

function refreshCare() {
  const policy = currentPolicy();
  const care = currentCare(policy);
  keepValue($("#yb-facility"), (care?.facilities || []).map((id) => ({ id, label: app.catalog.facilityLabel(policy, id) })));
  const items = care?.items || [];
  // Several diseases: the resident chooses one (none is preselected); one: it is the answer.
  keepValue($("#yb-item"), items.length > 1 ? [{ id: "", label: app.catalog.field("item").empty }, ...items] : items);
  $("#yb-item").closest(".yb-field").hidden = items.length === 0;
  const box = $(".yb-overrides");
  const old = new Map($$(".yb-overrides input").map((i) => [i.name, i.value]));
  const list = care?.overridable || [];
  fill(box, list.length ? h("p", { class: "yb-hint" }, `${app.catalog.field("overrides").hint.replace(/。$/, "")}，可以在这里填写：`) : null,
    list.map((o) => {
      const input = moneyInput("不清楚可不填");
      input.value = old.get(`overrides.${o.id}`) || "";
      return field(`overrides.${o.id}`, input, o.hint || null, o.label);
    }));
  box.hidden = list.length === 0;
  refreshFlags();
}

/** Member flags shown: those that change something for this care (or, in the checker, for any care). */
export function refreshFlags() {
  const policy = currentPolicy();
  const flags = app.catalog.flagsFor(policy, currentView() === "remote" ? null : currentCare(policy));
  fill($(".yb-flag-list"), flags.map((f) => h("div", { class: "yb-check" },
    h("input", { type: "checkbox", id: `yb-flag-${f.id}`, value: f.id, name: `member.${f.id}`, "data-field": `member.${f.id}`,
      checked: flagMemory.has(f.id) }),
    h("label", { for: `yb-flag-${f.id}` }, f.label))));
  $("#yb-member").hidden = flags.length === 0;
}

/** The fields read as text (inputs and selects): every field of the two forms but the check boxes,
 * the member flags, the disease (read apart: hidden when the care has none) and the figures a
 * resident knows (their own box). */
const textFields = () => app.catalog.fieldsWhere((f) => ["estimate", "remote"].includes(f.op)
  && !["bool", "flags"].includes(f.kind) && f.name !== "item" && !f.name.startsWith("overrides")).map((f) => f.name);
const byName = (name) => root.querySelector(`[name="${CSS.escape(name)}"]`);
/** One visit's fields typed or picked in the form (its care, facility and disease are set with the choices). */
const visitText = () => visitFields().filter((name) => !["care", "facility", "item"].includes(name) && !booleanFields().includes(name));

export function readForm() {
  return withVisits(readFields());
}

/** The form's fields as they are (the visit in the form, and what all visits share). */
function readFields() {
  const state = {};
  for (const name of textFields()) state[name] = byName(name)?.value ?? "";
  state.item = $("#yb-item").closest(".yb-field").hidden ? "" : $("#yb-item").value;
  state.member = $$(".yb-flag-list input:checked").map((i) => i.value);
  for (const name of booleanFields()) state[name] = byName(name).checked;
  state.overrides = new Map($$(".yb-overrides input").map((i) => [i.name.slice("overrides.".length), i.value]));
  state.view = currentView();
  return state;
}

function setSelect(sel, value) {
  if (!value) return;
  if (![...sel.options].some((o) => o.value === value)) {
    // A value from a link that the data does not know: keep it so the engine explains it.
    sel.append(h("option", { value, "data-bogus": "1" }, `（链接中的无效值：${value}）`));
  }
  sel.value = value;
}

function setField(name, value) {
  const el = byName(name);
  if (!el || value === undefined || value === null) return;
  if (el.type === "checkbox") el.checked = !!value;
  else if (el.tagName === "SELECT") setSelect(el, value);
  else el.value = value;
  if (el.type === "date" && value && el.value !== value) {
    // Not a real date: show it as text so the resident sees what the link held.
    el.type = "text";
    el.value = value;
  }
}

/** Put one visit in the form's fields (the others wait in the list). */
function loadVisit(visit) {
  setSelect($("#yb-care"), visit.care);
  refreshCare();
  setSelect($("#yb-facility"), visit.facility);
  setSelect($("#yb-item"), visit.item);
  $("#yb-date").type = "date";
  for (const name of visitText()) {
    byName(name).value = "";
    setField(name, visit[name]);
  }
  for (const name of visitFields().filter((n) => booleanFields().includes(n))) byName(name).checked = !!visit[name];
  for (const input of $$(".yb-overrides input")) input.value = "";
  for (const [key, value] of visit.overrides || []) setField(`overrides.${key}`, value);
  $("#yb-remote-box").open = !!visit["remote.kind"];
}

/** Fill the form from a state (a shared link, or the embed's presets). */
export function applyState(state, showView, changed = () => {}) {
  setSelect($("#yb-policy"), state.policy);
  flagMemory = new Set(state.member || []);
  refreshPolicy();
  const visits = state.visits?.length ? state.visits : [pickVisit({ ...state, date: state.date || today() })];
  setVisits(visits, state.current ?? visits.length - 1, { load: loadVisit, changed });
  const visit = visits[state.current ?? visits.length - 1];
  setSelect($("#yb-care"), visit.care);
  refreshCare();
  setSelect($("#yb-facility"), visit.facility);
  setSelect($("#yb-item"), visit.item);
  const perVisit = visitFields();
  for (const name of textFields()) if (!["policy", "care", "facility"].includes(name) && !perVisit.includes(name)) setField(name, state[name]);
  for (const name of perVisit) if (!["care", "facility", "item"].includes(name)) setField(name, visit[name]);
  for (const name of booleanFields()) if (!perVisit.includes(name)) setField(name, state[name]);
  for (const [key, value] of visit.overrides || []) setField(`overrides.${key}`, value);
  if (visit["remote.kind"]) $("#yb-remote-box").open = true;
  renderVisits(readForm);
  if (state["year_to_date.fund_paid"] || state["year_to_date.eligible_costs"] || state["year_to_date.out_of_pocket"]) {
    $("#yb-ytd-box").open = true;
  }
  showView(state.view === "remote" ? "remote" : "estimate", false);
}
