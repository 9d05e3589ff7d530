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

const collator = new Intl.Collator("zh-Hans-CN");

/** Regions whose name (汉字), pinyin or initials match what was typed, best first. */
export function findRegions(query, limit = 8) {
  const q = query.trim().toLowerCase().replace(/[\s'’]/g, "");
  if (!q) return [];
  const rank = (r) => {
    const name = r.name.split("（")[0];
    if (name === q || name.replace(/[市县区州盟]$/, "") === q) return 0;
    if (name.startsWith(q)) return 1;
    if (r.pinyin.startsWith(q)) return 2;
    if (r.initials.startsWith(q)) return 3;
    if (name.includes(q) || r.province.startsWith(q)) return 4;
    return -1;
  };
  return app.catalog.regions()
    .map((r) => [rank(r), r]).filter(([k]) => k >= 0)
    .sort((a, b) => a[0] - b[0] || collator.compare(a[1].name, b[1].name))
    .slice(0, limit).map(([, r]) => r);
}

function provinces() {
  const seen = [...new Set(app.catalog.regions().map((r) => r.province))];
  return seen.sort(collator.compare);
}

const regionsIn = (province) => app.catalog.regions().filter((r) => r.province === province)
  .sort((a, b) => collator.compare(a.name, b.name));

/** The region picker: a search box (a combobox: 汉字, pinyin or initials), the province and
 * region selects, and the region's schemes (the `policy` field). `on.policy(id)` runs when the
 * resident picks another policy (the page fetches its region first). */
function policyPicker(on) {
  const find = h("input", { type: "text", id: "yb-find", role: "combobox", autocomplete: "off", spellcheck: "false",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "yb-find-list",
    "aria-describedby": "yb-find-hint", placeholder: holderOf("find") });
  const list = h("ul", { id: "yb-find-list", role: "listbox", class: "yb-find-list", "aria-label": "找到的地区", hidden: true });
  let active = -1;
  let found = [];
  const close = () => { list.hidden = true; find.setAttribute("aria-expanded", "false"); find.removeAttribute("aria-activedescendant"); active = -1; };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
    if (i >= 0) find.setAttribute("aria-activedescendant", list.children[i].id); else find.removeAttribute("aria-activedescendant");
  };
  const pick = (region) => {
    close();
    find.value = region.name;
    on.policy(schemeIn(region));
  };
  const show = () => {
    found = findRegions(find.value);
    fill(list, found.length ? found.map((r, i) => h("li", { role: "option", id: `yb-find-${i}`, "aria-selected": "false",
      onpointerdown: (e) => { e.preventDefault(); pick(r); } }, `${r.name}`, h("span", { class: "yb-find-where" }, `（${r.province}）`)))
      : h("li", { class: "yb-find-none", role: "option", "aria-disabled": "true", id: "yb-find-none" }, "没有找到，请换个写法，或从下面按省份选择。"));
    list.hidden = !find.value.trim();
    find.setAttribute("aria-expanded", String(!list.hidden));
    mark(found.length ? 0 : -1);
  };
  find.addEventListener("input", show);
  find.addEventListener("blur", close);
  find.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden) { show(); return; }
      if (found.length) mark((active + (e.key === "ArrowDown" ? 1 : found.length - 1)) % found.length);
    } else if (e.key === "Enter") {
      if (!list.hidden && found[active]) { e.preventDefault(); pick(found[active]); }
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); }
    }
  });
  const province = h("select", { id: "yb-province", "data-picker": "1" }, provinces().map((p) => h("option", { value: p }, p)));
  const region = h("select", { id: "yb-region", "data-picker": "1" });
  province.addEventListener("change", () => {
    fillRegions(province.value);
    on.policy(schemeIn(regionsIn(province.value)[0]));
  });
  region.addEventListener("change", () => {
    const r = app.catalog.regions().find((x) => x.id === region.value);
    if (r) on.policy(schemeIn(r));
  });
  const policy = h("select", {});
  policy.addEventListener("change", () => on.policy(policy.value));
  return h("div", { class: "yb-picker" },
    h("div", { class: "yb-field yb-find" },
      h("label", { for: "yb-find" }, labelOf("find")),
      h("div", { class: "yb-find-box" }, find, list),
      h("p", { class: "yb-hint", id: "yb-find-hint" }, app.catalog.field("find").hint)),
    h("div", { class: "yb-picker-row" },
      h("div", { class: "yb-field" }, h("label", { for: "yb-province" }, labelOf("province")), province),
      h("div", { class: "yb-field" }, h("label", { for: "yb-region" }, labelOf("region")), region)),
    field("policy", policy, undefined, labelOf("scheme")));
}

/** The policy of `region` of the same scheme as the one shown (职工 stays 职工), else its first. */
function schemeIn(region) {
  const shown = app.catalog.entry($("#yb-policy").value);
  return (region.policies.find((p) => shown && p.name === shown.name) || region.policies[0]).id;
}

function fillRegions(province) {
  fill($("#yb-region"), regionsIn(province).map((r) => h("option", { value: r.id }, r.name)));
}

/** Show this policy in the picker: its province, region and the region's schemes. */
export function showPolicy(id) {
  const entry = app.catalog.entry(id);
  const select = $("#yb-policy");
  if (!entry) {
    setSelect(select, id);  // a link's policy the data does not know: the engine explains it
    return;
  }
  const region = app.catalog.regions().find((r) => r.id === entry.region);
  $("#yb-province").value = region.province;
  fillRegions(region.province);
  $("#yb-region").value = region.id;
  fill(select, options(region.policies.map((p) => ({ id: p.id, label: p.name }))));
  select.value = id;
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

/** The offline copy keeps the regions used; an outreach tablet can keep them all. */
function keepAllBox(on) {
  const count = app.catalog.regions().length;
  const mb = Math.max(0.1, (app.catalog.regionBytes || 0) / 1e6).toFixed(1);
  return h("section", { class: "yb-offline yb-no-print", "aria-labelledby": "yb-keep-all" },
    h("button", { type: "button", class: "yb-btn", id: "yb-keep-all", onclick: on.keepAll }, "保存全部地区，断网也能用"),
    h("p", { class: "yb-hint", id: "yb-keep-all-status", role: "status" },
      `本机平时只保存您用过的地区。外出宣讲用的平板可以一次保存全部 ${count} 个地区的政策数据（约 ${mb} MB）。`));
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
      policyPicker(on),
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
      h("p", { class: "yb-hint" }, "链接里只有您填写的内容，保存在网址“#”之后，不会发送给任何服务器。")),
    MODE === "page" ? keepAllBox(on) : null);
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

/** The choices of the policy shown (its region's part is added). */
export function refreshPolicy() {
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
  showPolicy(state.policy);
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
