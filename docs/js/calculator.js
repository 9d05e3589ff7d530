// The calculator page and the embed page: the form (filled from policies.json
// before Python is ready), results, comparison, out-of-region checker, share
// link + QR code, print, kiosk mode. Every computation runs in the worker.
import { Engine } from "./calculator-engine.js";

const SITE = new URL("../", import.meta.url);
const root = document.getElementById("yb-calc");
const MODE = root?.dataset.mode || "page";
const params = new URLSearchParams(location.search);

// Member flags, out-of-region kinds and reasons: the engine's own labels, from policies.json.
const PAYER_LABELS = { basic: "基本医保统筹基金", hospital: "医院承担", patient: "个人支付" };
// Fragment keys: short, stable (shared links live long).
const KEYS = {
  policy: "p", date: "d", care: "c", facility: "f", item: "i", member: "m",
  "costs.total": "t", "costs.class_b": "b", "costs.self_pay": "s",
  "year_to_date.fund_paid": "yf", "year_to_date.eligible_costs": "ye", "year_to_date.out_of_pocket": "yo",
  "remote.kind": "r", "remote.registered": "rg", "remote.cross_province": "rx",
  "check.reason": "xr", "check.visit_date": "xd", "check.discharged": "xe", "check.filed": "xf",
  "check.filing_date": "xg", "check.condition": "xk", "check.months_elsewhere": "xm",
  "check.days_away": "xa", "check.cross_province": "xc", view: "v",
};

let bundle = null;
let engine = null;
let seq = 0;                 // latest estimate request number (stale answers are dropped)
let lastResult = null;       // {request, result} of the latest successful estimate
let lastRemote = null;

// ------------------------------------------------------------------ helpers

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const $ = (sel) => root.querySelector(sel);
// replaceChildren() would print "null" for the skipped parts.
const fill = (el, ...children) => el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
const $$ = (sel) => [...root.querySelectorAll(sel)];
const yuan = (s) => `${s} 元`;
const today = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};

function docLink(source) {
  if (!source || !source.document) return null;
  const title = source.title ? `《${source.title}》` : source.document;
  // The portal's document pages carry an anchor per clause id.
  const clause = (source.cite || "").split("/")[1];
  const href = new URL(`documents/${source.document}/`, SITE);
  if (clause) href.hash = clause;
  const a = h("a", { href: href.href }, title);
  if (MODE === "embed") { a.target = "_blank"; a.rel = "noopener"; }
  return h("span", { class: "yb-cite" }, "依据：", a, source.number ? `（${source.number}）` : "",
    source.clause ? ` ${source.clause}` : "");
}

// ------------------------------------------------------------------ policy data (from policies.json)

function policyList() {
  return Object.values(bundle.policies);
}

function newestCare(policy) {
  return policy.versions[policy.versions.length - 1].care || {};
}

function careOptions(policy) {
  return Object.entries(newestCare(policy)).map(([id, rule]) => ({
    id, label: rule.label || id,
    facilities: rule.facilities || Object.keys(policy.facilities),
    items: Object.entries(rule.standards || {}).map(([k, v]) => ({ id: k, label: v.label || k })),
    overridable: overridable(rule),
  }));
}

function overridable(rule) {
  const out = [];
  if (rule.quota && typeof rule.quota === "object" && rule.quota.overridable) out.push({ id: "quota", label: "定额标准" });
  for (const layer of rule.layers || []) {
    if (layer.threshold && typeof layer.threshold === "object" && layer.threshold.overridable) {
      out.push({ id: `${layer.id}.threshold`, label: `${layer.label || layer.id}起付标准` });
    }
  }
  return out;
}

function flagsUsed(policy) {
  const used = new Set();
  const scan = (rule) => {
    for (const f of rule?.when || []) used.add(f);
    for (const f of rule?.when_any || []) used.add(f);
  };
  policy.members.forEach(scan);
  for (const version of policy.versions) {
    for (const rule of Object.values(version.care || {})) (rule.layers || []).forEach(scan);
  }
  const flags = Object.keys(bundle.labels.member_flags).filter((f) => used.has(f));
  return flags.length ? flags : ["retired", "minor"];
}

function payerLabel(policy, key, result) {
  if (PAYER_LABELS[key]) return PAYER_LABELS[key];
  for (const version of policy?.versions || []) {
    for (const rule of Object.values(version.care || {})) {
      const layer = (rule.layers || []).find((l) => l.id === key);
      if (layer?.label) return layer.label;
    }
  }
  const step = result.steps.find((s) => s.payer === key);
  return step ? step.label : key;
}

// ------------------------------------------------------------------ the form

function field(name, label, input, hint) {
  const id = "yb-" + name.replace(/\./g, "-");
  input.id = id;
  input.name = name;
  input.dataset.field = name;
  const err = h("p", { class: "yb-error", id: id + "-err", role: "alert", hidden: true });
  input.setAttribute("aria-describedby", [hint ? id + "-hint" : null, id + "-err"].filter(Boolean).join(" "));
  return h("div", { class: "yb-field", "data-for": name },
    h("label", { for: id }, label),
    input,
    hint ? h("p", { class: "yb-hint", id: id + "-hint" }, hint) : null,
    err);
}

const money = (placeholder = "0.00") =>
  h("input", { type: "text", inputmode: "decimal", autocomplete: "off", placeholder, spellcheck: "false" });

function buildForm() {
  const policySelect = h("select", {});
  const byRegion = new Map();
  for (const p of policyList()) {
    const key = `${p.province || ""}${p.region_name}`;
    if (!byRegion.has(key)) byRegion.set(key, []);
    byRegion.get(key).push(p);
  }
  for (const [region, list] of byRegion) {
    policySelect.append(h("optgroup", { label: region },
      list.map((p) => h("option", { value: p.id }, `${p.region_name} · ${p.name}`))));
  }

  const status = h("div", { class: "yb-status", role: "status", "aria-live": "polite" },
    "正在后台加载计算引擎，您可以先填写表单。");

  const toolbar = h("div", { class: "yb-toolbar" },
    MODE === "page" ? h("button", { type: "button", class: "yb-btn", id: "yb-large", "aria-pressed": "false",
      onclick: () => setLarge(!document.documentElement.classList.contains("yb-large-text")) }, "大字模式") : null,
    h("button", { type: "button", class: "yb-btn", id: "yb-reset", onclick: resetAll }, "清空重来"),
    MODE === "page" ? h("button", { type: "button", class: "yb-btn", id: "yb-print", onclick: () => window.print() }, "打印结果") : null);

  const who = h("fieldset", { class: "yb-group" }, h("legend", {}, "参保情况"),
    field("policy", "参保地区与医保类型", policySelect),
    h("fieldset", { class: "yb-flags", "data-for": "member", id: "yb-member" },
      h("legend", {}, "人员类别（符合的请勾选）"),
      h("div", { class: "yb-flag-list" }),
      h("p", { class: "yb-error", id: "yb-member-err", role: "alert", hidden: true })));

  const tabs = h("div", { class: "yb-tabs", role: "tablist", "aria-label": "计算器功能" },
    h("button", { type: "button", role: "tab", id: "yb-tab-estimate", "aria-controls": "yb-panel-estimate",
      "aria-selected": "true", onclick: () => showView("estimate") }, "费用估算"),
    h("button", { type: "button", role: "tab", id: "yb-tab-remote", "aria-controls": "yb-panel-remote",
      "aria-selected": "false", tabindex: "-1", onclick: () => showView("remote") }, "异地就医检查"));

  const remoteKind = h("select", {}, h("option", { value: "" }, "在参保地本地就医"),
    Object.entries(bundle.labels.remote_kinds).map(([k, v]) => h("option", { value: k }, v)));

  const estimateForm = h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); runEstimate(); } },
    h("fieldset", { class: "yb-group" }, h("legend", {}, "就医情况"),
      field("date", "就诊（入院）日期", h("input", { type: "date", value: today() }), "按这一天施行的政策计算。"),
      field("care", "就医类型", h("select", {})),
      field("facility", "医疗机构级别", h("select", {})),
      field("item", "病种", h("select", {}))),
    h("fieldset", { class: "yb-group" }, h("legend", {}, "本次费用（元）"),
      field("costs.total", "医疗费用总额", money("例如 20000"), "发票或费用清单上的总金额。"),
      field("costs.class_b", "其中乙类费用", money(), "需个人先付一部分的乙类药品、项目，不清楚可填 0。"),
      field("costs.self_pay", "其中自费（丙类）费用", money(), "医保目录外、全部自付的费用。")),
    h("details", { class: "yb-group yb-more" }, h("summary", {}, "本年度已发生的费用（可选）"),
      field("year_to_date.fund_paid", "本年度基金已支付", money()),
      field("year_to_date.eligible_costs", "本年度已累计的合规费用", money()),
      field("year_to_date.out_of_pocket", "本年度已个人负担的合规费用", money())),
    h("details", { class: "yb-group yb-more", id: "yb-remote-box" }, h("summary", {}, "在外地就医（可选）"),
      field("remote.kind", "就医地点", remoteKind),
      h("div", { class: "yb-check" }, h("input", { type: "checkbox", id: "yb-remote-registered", name: "remote.registered", "data-field": "remote.registered" }),
        h("label", { for: "yb-remote-registered" }, "已办理备案（登记、审批）")),
      h("div", { class: "yb-check" }, h("input", { type: "checkbox", id: "yb-remote-cross", name: "remote.cross_province", "data-field": "remote.cross_province" }),
        h("label", { for: "yb-remote-cross" }, "就医地在其他省份（跨省）"))),
    h("div", { class: "yb-group yb-overrides", hidden: true }),
    h("p", { class: "yb-error yb-general", id: "yb-general-err", role: "alert", hidden: true }),
    h("button", { type: "submit", class: "yb-btn yb-primary" }, "计算"));

  const remoteForm = h("form", { class: "yb-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); runRemote(); } },
    h("fieldset", { class: "yb-group" }, h("legend", {}, "外地就医情况"),
      field("check.reason", "原因", h("select", {}, Object.entries(bundle.labels.remote_reasons).map(([k, v]) => h("option", { value: k }, v)))),
      field("check.visit_date", "就诊（入院）日期", h("input", { type: "date", value: today() })),
      h("div", { class: "yb-check" }, h("input", { type: "checkbox", id: "yb-check-cross", name: "check.cross_province", "data-field": "check.cross_province" }),
        h("label", { for: "yb-check-cross" }, "就医地在其他省份（跨省）")),
      field("check.filed", "是否已办理备案（登记、审批）", h("select", {}, h("option", { value: "" }, "还不清楚 / 未说明"),
        h("option", { value: "yes" }, "已办理"), h("option", { value: "no" }, "没有办理"))),
      field("check.filing_date", "备案（登记、审批）日期（可选）", h("input", { type: "date" })),
      field("check.condition", "病情（急诊时填写，可选）", h("input", { type: "text", autocomplete: "off", list: "yb-conditions", placeholder: "例如 急性心肌梗塞" })),
      h("datalist", { id: "yb-conditions" }),
      field("check.discharged", "出院日期（可选）", h("input", { type: "date" })),
      field("check.days_away", "在外地治疗的天数（可选）", h("input", { type: "text", inputmode: "numeric", autocomplete: "off", placeholder: "例如 20" })),
      field("check.months_elsewhere", "在外地居住的月数（长期居住时填写）", h("input", { type: "text", inputmode: "numeric", autocomplete: "off", placeholder: "例如 12" }))),
    h("p", { class: "yb-error yb-general", id: "yb-remote-general-err", role: "alert", hidden: true }),
    h("button", { type: "submit", class: "yb-btn yb-primary" }, "检查"));

  const share = h("section", { class: "yb-share", "aria-label": "分享" },
    h("button", { type: "button", class: "yb-btn", id: "yb-copy", onclick: copyLink }, "复制链接"),
    h("button", { type: "button", class: "yb-btn", id: "yb-qr-btn", "aria-expanded": "false", onclick: toggleQr }, "显示二维码"),
    h("span", { class: "yb-copied", role: "status", "aria-live": "polite" }),
    h("div", { class: "yb-qr", id: "yb-qr", hidden: true }),
    h("p", { class: "yb-hint" }, "链接里只有您填写的内容，保存在网址“#”之后，不会发送给任何服务器。"));

  root.replaceChildren(
    h("div", { class: "yb-print-meta", id: "yb-print-meta" }),
    toolbar, status, who, tabs,
    h("div", { role: "tabpanel", id: "yb-panel-estimate", "aria-labelledby": "yb-tab-estimate", class: "yb-panel" },
      estimateForm,
      h("section", { class: "yb-result", id: "yb-result", "aria-live": "polite", "aria-label": "估算结果" },
        h("p", { class: "yb-placeholder" }, "填写费用总额后，这里显示估算结果。")),
      h("section", { class: "yb-compare", id: "yb-compare", hidden: true })),
    h("div", { role: "tabpanel", id: "yb-panel-remote", "aria-labelledby": "yb-tab-remote", class: "yb-panel", hidden: true },
      remoteForm,
      h("section", { class: "yb-result", id: "yb-remote-result", "aria-live": "polite", "aria-label": "检查结果" },
        h("p", { class: "yb-placeholder" }, "选择原因和日期后，这里显示能否报销、要办什么、截止日期。"))),
    share);

  tabs.addEventListener("keydown", (e) => {
    // WAI-ARIA tabs: arrow keys move between the two tabs.
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
    e.preventDefault();
    const next = $("#yb-panel-remote").hidden ? "remote" : "estimate";
    showView(next);
    $(`#yb-tab-${next}`).focus();
  });
  root.addEventListener("input", onInput);
  root.addEventListener("change", onInput);
  $("#yb-policy").addEventListener("change", () => { refreshPolicy(); });
  $("#yb-care").addEventListener("change", () => { refreshCare(); });
}

function refreshPolicy() {
  const policy = bundle.policies[$("#yb-policy").value];
  const careSel = $("#yb-care");
  const keep = careSel.value;
  careSel.replaceChildren();
  const flagBox = $(".yb-flag-list");
  const checked = new Set($$(".yb-flag-list input:checked").map((i) => i.value));
  flagBox.replaceChildren();
  if (!policy) return;
  for (const care of careOptions(policy)) careSel.append(h("option", { value: care.id }, care.label));
  if ([...careSel.options].some((o) => o.value === keep)) careSel.value = keep;
  for (const flag of flagsUsed(policy)) {
    const id = `yb-flag-${flag}`;
    flagBox.append(h("div", { class: "yb-check" },
      h("input", { type: "checkbox", id, value: flag, name: `member.${flag}`, "data-field": `member.${flag}`, checked: checked.has(flag) }),
      h("label", { for: id }, bundle.labels.member_flags[flag])));
  }
  const conditions = policy.remote?.emergency?.conditions?.items || {};
  $("#yb-conditions").replaceChildren(...Object.values(conditions).map((label) => h("option", { value: label })));
  refreshCare();
}

function refreshCare() {
  const policy = bundle.policies[$("#yb-policy").value];
  if (!policy) return;
  const care = careOptions(policy).find((c) => c.id === $("#yb-care").value) || careOptions(policy)[0];
  const facSel = $("#yb-facility");
  const keep = facSel.value;
  facSel.replaceChildren(...care.facilities.map((f) => h("option", { value: f }, policy.facilities[f] || f)));
  if (care.facilities.includes(keep)) facSel.value = keep;
  const itemSel = $("#yb-item");
  itemSel.replaceChildren(...care.items.map((i) => h("option", { value: i.id }, i.label)));
  itemSel.closest(".yb-field").hidden = care.items.length === 0;
  const box = $(".yb-overrides");
  const old = Object.fromEntries($$(".yb-overrides input").map((i) => [i.name, i.value]));
  box.replaceChildren();
  if (care.overridable.length) {
    box.append(h("p", { class: "yb-hint" }, "来源没有给出、但您可能从医院或医保部门得知的数字，可以在这里填写："));
    for (const o of care.overridable) {
      const input = money("不清楚可不填");
      box.append(field(`overrides.${o.id}`, o.label + "（元）", input));
      input.value = old[`overrides.${o.id}`] || "";
    }
  }
  box.hidden = care.overridable.length === 0;
}

// ------------------------------------------------------------------ state <-> form <-> fragment

function readForm() {
  const get = (name) => root.querySelector(`[name="${CSS.escape(name)}"]`);
  const val = (name) => get(name)?.value ?? "";
  const state = {};
  for (const name of ["policy", "date", "care", "facility", "costs.total", "costs.class_b", "costs.self_pay",
    "year_to_date.fund_paid", "year_to_date.eligible_costs", "year_to_date.out_of_pocket", "remote.kind",
    "check.reason", "check.visit_date", "check.discharged", "check.filed", "check.filing_date", "check.condition",
    "check.days_away", "check.months_elsewhere"]) state[name] = val(name);
  state.item = $("#yb-item").closest(".yb-field").hidden ? "" : val("item");
  state.member = $$(".yb-flag-list input:checked").map((i) => i.value);
  state["remote.registered"] = get("remote.registered").checked;
  state["remote.cross_province"] = get("remote.cross_province").checked;
  state["check.cross_province"] = get("check.cross_province").checked;
  state.overrides = Object.fromEntries($$(".yb-overrides input").map((i) => [i.name.slice("overrides.".length), i.value]));
  state.view = $("#yb-panel-remote").hidden ? "estimate" : "remote";
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

function applyState(state) {
  setSelect($("#yb-policy"), state.policy);
  refreshPolicy();
  for (const flag of state.member || []) {
    const box = $(`#yb-flag-${CSS.escape(flag)}`);
    if (box) box.checked = true;
  }
  setSelect($("#yb-care"), state.care);
  refreshCare();
  setSelect($("#yb-facility"), state.facility);
  setSelect($("#yb-item"), state.item);
  const set = (name, value) => {
    const el = root.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!el || value === undefined || value === null) return;
    if (el.type === "checkbox") el.checked = !!value;
    else if (el.tagName === "SELECT") setSelect(el, value);
    else el.value = value;
    if (el.type === "date" && value && el.value !== value) {
      // Not a real date: show it as text so the resident sees what the link held.
      el.type = "text";
      el.value = value;
    }
  };
  for (const name of ["date", "costs.total", "costs.class_b", "costs.self_pay", "year_to_date.fund_paid",
    "year_to_date.eligible_costs", "year_to_date.out_of_pocket", "remote.kind", "remote.registered",
    "remote.cross_province", "check.reason", "check.visit_date", "check.discharged", "check.filed",
    "check.filing_date", "check.condition", "check.days_away", "check.months_elsewhere",
    "check.cross_province"]) set(name, state[name]);
  for (const [key, value] of Object.entries(state.overrides || {})) set(`overrides.${key}`, value);
  if (state["remote.kind"]) $("#yb-remote-box").open = true;
  if (state["year_to_date.fund_paid"] || state["year_to_date.eligible_costs"] || state["year_to_date.out_of_pocket"]) {
    $$(".yb-more")[0].open = true;
  }
  showView(state.view === "remote" ? "remote" : "estimate", false);
}

function toFragment(state) {
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
  for (const [key, value] of Object.entries(state.overrides || {})) if (value) q.set(`o.${key}`, value);
  return q.toString();
}

function fromFragment(hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ""));
  const state = { overrides: {} };
  for (const [name, key] of Object.entries(KEYS)) {
    if (!q.has(key)) continue;
    const v = q.get(key);
    if (name === "member") state.member = v.split(",").filter(Boolean);
    else if (["remote.registered", "remote.cross_province", "check.cross_province"].includes(name)) state[name] = v === "1";
    else state[name] = v;
  }
  for (const [key, value] of q) if (key.startsWith("o.")) state.overrides[key.slice(2)] = value;
  return state;
}

function shareUrl() {
  const url = new URL("calculator/", SITE);
  url.hash = toFragment(readForm());
  return url.href;
}

function estimateRequest(state) {
  const req = {
    policy: state.policy, care: state.care, facility: state.facility,
    member: Object.fromEntries(state.member.map((f) => [f, true])),
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
  const overrides = Object.fromEntries(Object.entries(state.overrides).filter(([, v]) => v !== ""));
  if (Object.keys(overrides).length) req.overrides = overrides;
  return req;
}

function remoteRequest(state) {
  const req = {
    policy: state.policy, reason: state["check.reason"],
    member: Object.fromEntries(state.member.map((f) => [f, true])),
    visit_date: state["check.visit_date"],
    cross_province: state["check.cross_province"],
  };
  if (state["check.filed"]) req.filed = state["check.filed"] === "yes" ? true : state["check.filed"] === "no" ? false : state["check.filed"];
  for (const key of ["filing_date", "condition", "discharged", "days_away", "months_elsewhere"]) {
    if (state[`check.${key}`] !== "") req[key] = state[`check.${key}`];
  }
  return req;
}

// ------------------------------------------------------------------ running

let debounce = null;
function onInput(event) {
  if (event.target.closest(".yb-share, .yb-toolbar, .yb-tabs")) return;
  clearTimeout(debounce);
  root.dataset.pending = "1";   // tests and the benchmark wait for the estimate of what was typed
  debounce = setTimeout(() => {
    delete root.dataset.pending;
    saveFragment();
    if (!$("#yb-panel-remote").hidden) runRemote(); else runEstimate();
  }, event.type === "change" ? 0 : 150);
}

function saveFragment() {
  const frag = toFragment(readForm());
  if (MODE === "page") history.replaceState(null, "", frag ? `#${frag}` : location.pathname + location.search);
  if (!$("#yb-qr").hidden) renderQr();
}

function clearErrors(scope) {
  for (const el of scope.querySelectorAll(".yb-error")) { el.hidden = true; el.textContent = ""; }
  for (const el of scope.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

function showError(error, panel) {
  // The engine names the field by its dotted path; show the message beside it.
  const name = error.field || "";
  let input = null;
  let errEl = null;
  for (let path = name; path; path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "") {
    const mapped = panel === "remote" && !path.startsWith("check.") && !["policy", "member"].some((p) => path.startsWith(p))
      ? `check.${path}` : path;
    input = root.querySelector(`[data-field="${CSS.escape(mapped)}"]`);
    if (mapped.startsWith("member")) { errEl = $("#yb-member-err"); input = input || $("#yb-member"); break; }
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

async function runEstimate() {
  if (!engine) return;
  const state = readForm();
  const panel = $("#yb-result");
  const mine = ++seq;
  root.dataset.seq = String(mine);
  if (!state["costs.total"].trim()) {
    clearErrors(root);
    panel.replaceChildren(h("p", { class: "yb-placeholder" }, "填写费用总额后，这里显示估算结果。"));
    panel.dataset.state = "empty";
    $("#yb-compare").hidden = true;
    lastResult = null;
    root.dataset.done = String(mine);
    return;
  }
  const request = estimateRequest(state);
  let answer;
  try {
    answer = await engine.call("estimate", request);
  } catch (err) {
    return; // the status line already says why the engine is not there
  }
  if (mine !== seq) return;
  clearErrors(root);
  if (answer.error) {
    showError(answer.error, "estimate");
    panel.replaceChildren(h("p", { class: "yb-placeholder yb-stale" }, "请先改正上面标出的输入，再查看结果。"));
    panel.dataset.state = "error";
    $("#yb-compare").hidden = true;
    lastResult = null;
    root.dataset.done = String(mine);
    return;
  }
  lastResult = { request, result: answer.result };
  renderResult(answer.result);
  if (!root.dataset.firstResult) {
    root.dataset.firstResult = String(Math.round(performance.now()));
    // Boot marks relative to this page's start (read by the benchmark).
    const rel = (t) => Math.round(t - performance.timeOrigin);
    if (engine.marks) root.dataset.bootMarks = Object.entries(engine.marks).map(([k, t]) => `${k}=${rel(t)}`).join(" ");
  }
  panel.dataset.state = "done";
  root.dataset.done = String(mine);
  postResultToParent("auto");
  renderCompare(request, state, mine);
}

async function runRemote() {
  if (!engine) return;
  const state = readForm();
  const panel = $("#yb-remote-result");
  const mine = ++seq;
  root.dataset.seq = String(mine);
  const request = remoteRequest(state);
  let answer;
  try {
    answer = await engine.call("remote", request);
  } catch (err) {
    return;
  }
  if (mine !== seq) return;
  clearErrors(root);
  if (answer.error) {
    showError(answer.error, "remote");
    panel.replaceChildren(h("p", { class: "yb-placeholder yb-stale" }, "请先改正上面标出的输入，再查看结果。"));
    panel.dataset.state = "error";
    root.dataset.done = String(mine);
    return;
  }
  lastRemote = { request, result: answer.result };
  renderRemote(answer.result);
  panel.dataset.state = "done";
  root.dataset.done = String(mine);
}

function run() {
  if (!$("#yb-panel-remote").hidden) runRemote(); else runEstimate();
}

// ------------------------------------------------------------------ rendering results

function pct(part, total) {
  const t = Number(total);
  return t > 0 ? Math.max(0, Math.min(100, (Number(part) / t) * 100)) : 0;
}

function renderResult(r) {
  const policy = bundle.policies[r.policy];
  const parts = [];
  for (const [key, amount] of Object.entries(r.payers || {})) {
    if (Number(amount) > 0) parts.push({ key, label: payerLabel(policy, key, r), amount, cls: key === "basic" ? "fund" : "layer" });
  }
  if (Number(r.hospital_bears) > 0) parts.push({ key: "hospital", label: PAYER_LABELS.hospital, amount: r.hospital_bears, cls: "hospital" });
  parts.push({ key: "patient", label: PAYER_LABELS.patient, amount: r.patient_pays, cls: "patient" });
  // Shares in tenths of a percent that add up to exactly 100.0 (largest remainder).
  const raw = parts.map((p) => pct(p.amount, r.total) * 10);
  const tenths = raw.map(Math.floor);
  let left = Number(r.total) > 0 ? 1000 - tenths.reduce((a, b) => a + b, 0) : 0;
  for (const i of raw.map((x, i) => i).sort((a, b) => (raw[b] - tenths[b]) - (raw[a] - tenths[a]))) {
    if (left <= 0) break;
    tenths[i] += 1;
    left -= 1;
  }
  parts.forEach((p, i) => { p.share = (tenths[i] / 10).toFixed(1); });
  const summary = parts.map((p) => `${p.label} ${yuan(p.amount)}（${p.share}%）`).join("，");

  const bar = h("div", { class: "yb-bar", role: "img", "aria-label": `费用构成：${summary}` },
    parts.map((p, i) => h("span", { class: `yb-seg yb-seg-${p.cls} yb-pat-${i % 4}`, style: `width:${pct(p.amount, r.total)}%` },
      pct(p.amount, r.total) >= 12 ? p.label.replace("基本医保统筹基金", "统筹基金") : "")));
  const legend = h("ul", { class: "yb-legend" }, parts.map((p, i) =>
    h("li", {}, h("span", { class: `yb-swatch yb-seg-${p.cls} yb-pat-${i % 4}`, "aria-hidden": "true" }),
      `${p.label}：`, h("strong", {}, yuan(p.amount)), `（${p.share}%）`)));

  const steps = h("ol", { class: "yb-steps" }, r.steps.map((s) => h("li", { class: `yb-step yb-step-${s.payer || "info"}` },
    h("div", { class: "yb-step-head" }, h("span", { class: "yb-step-label" }, s.label),
      s.amount !== undefined && s.amount !== null ? h("span", { class: "yb-step-amount" }, yuan(s.amount)) : null),
    s.detail ? h("p", { class: "yb-step-detail" }, s.detail) : null,
    docLink(s.source))));

  const version = r.version ? `${r.version} 起施行的版本` : "未注明施行日期的版本";
  fill($("#yb-result"),
    h("h2", { class: "yb-result-title" }, "估算结果"),
    h("p", { class: "yb-context" }, `${r.policy_name} · ${r.care_label} · ${r.facility_label} · 按“${r.member_label}”计算 · 就诊日期 ${r.date} · 政策：${version}`),
    h("div", { class: "yb-headline" },
      h("div", { class: "yb-big yb-big-fund" }, h("span", {}, "医保基金支付"), h("strong", { id: "yb-fund-pays" }, yuan(r.fund_pays))),
      h("div", { class: "yb-big yb-big-patient" }, h("span", {}, "您需支付"), h("strong", { id: "yb-patient-pays" }, yuan(r.patient_pays))),
      h("div", { class: "yb-big" }, h("span", {}, "实际报销比例"), h("strong", { id: "yb-rate" }, r.effective_rate))),
    h("p", {}, `费用总额 ${yuan(r.total)}，其中起付线 ${yuan(r.deductible)}。`,
      Number(r.hospital_bears) > 0 ? `医院承担 ${yuan(r.hospital_bears)}。` : ""),
    bar, legend,
    r.complete === false ? h("p", { class: "yb-warn" }, "注意：来源文件没有给出计算所需的全部数字，下面“说明”列出了缺少的部分，实际结果可能不同。") : null,
    h("h3", {}, "计算步骤与政策依据"), steps,
    r.caveats?.length ? h("div", { class: "yb-caveats" }, h("h3", {}, "说明"), h("ul", {}, r.caveats.map((c) => h("li", {}, c)))) : null,
    h("p", { class: "yb-disclaimer" }, "本结果是按公开政策文件作出的估算，实际报销以医保经办机构结算为准。"));
  updatePrintMeta(r);
}

async function renderCompare(request, state, mine) {
  const box = $("#yb-compare");
  const policy = bundle.policies[request.policy];
  const care = policy && careOptions(policy).find((c) => c.id === (request.care || ""));
  if (!care || care.facilities.length < 2) { box.hidden = true; return; }
  const batch = care.facilities.map((f) => ({ op: "estimate", request: { ...request, facility: f } }));
  let answer;
  try { answer = await engine.call("batch", batch); } catch { return; }
  if (mine !== seq || answer.error) return;
  const rows = answer.result.map((res, i) => {
    const f = care.facilities[i];
    const current = f === request.facility;
    if (res.error) {
      return h("tr", {}, h("th", { scope: "row" }, policy.facilities[f] || f), h("td", { colspan: "3" }, res.error.message));
    }
    const r = res.result;
    return h("tr", { class: current ? "yb-current" : null },
      h("th", { scope: "row" }, policy.facilities[f] || f, current ? h("span", { class: "yb-tag" }, "（当前选择）") : null),
      h("td", {}, yuan(r.fund_pays)), h("td", {}, yuan(r.patient_pays)), h("td", {}, r.effective_rate));
  });
  fill(box,
    h("h3", {}, "同一笔费用在各级医疗机构"),
    h("table", { class: "yb-table" },
      h("caption", {}, `费用总额 ${yuan(lastResult?.result.total ?? "")}，其余条件相同`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "医疗机构级别"), h("th", { scope: "col" }, "基金支付"),
        h("th", { scope: "col" }, "个人支付"), h("th", { scope: "col" }, "报销比例"))),
      h("tbody", {}, rows)));
  box.hidden = false;
  box.dataset.done = String(mine);
}

function textOf(x) {
  if (x === null || x === undefined) return "";
  if (typeof x === "string") return x;
  return x.text || x.label || x.detail || x.message || "";
}

function renderRemote(r) {
  const verdict = r.eligible === true ? ["yb-ok", "✔ ", "可以报销"]
    : r.eligible === false ? ["yb-no", "✘ ", "按现有情况不能报销"] : ["yb-maybe", "？ ", "需要审核后才能确定"];
  const deadlines = (r.deadlines || []).map((d) => h("tr", { class: d.passed ? "yb-passed" : null },
    h("td", {}, h("strong", {}, d.date), d.passed ? "（已过）" : ""),
    h("td", {}, d.label, docLink(d.source))));
  const s = r.settlement;
  fill($("#yb-remote-result"),
    h("h2", { class: "yb-result-title" }, "异地就医检查结果"),
    h("p", { class: "yb-context" }, `${r.reason_label} · 政策：${r.version ? r.version + " 起施行的版本" : "未注明施行日期的版本"}` +
      (r.rules_applied === "local+national" ? " · 适用参保地规定和国家跨省异地就医规定" : " · 适用参保地规定")),
    h("p", { class: `yb-verdict ${verdict[0]}`, id: "yb-verdict", "data-eligible": String(r.eligible) },
      h("span", { "aria-hidden": "true" }, verdict[1]), verdict[2]),
    r.eligible_reason ? h("p", {}, r.eligible_reason) : null,
    deadlines.length ? h("div", {}, h("h3", {}, "截止日期"), h("table", { class: "yb-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "日期"), h("th", { scope: "col" }, "事项"))),
      h("tbody", {}, deadlines))) : null,
    r.steps?.length ? h("div", {}, h("h3", {}, "要办什么、带什么"), h("ol", { class: "yb-steps" }, r.steps.map((x) =>
      h("li", { class: "yb-step" }, h("div", { class: "yb-step-head" }, x.label), x.detail ? h("p", { class: "yb-step-detail" }, x.detail) : null,
        docLink(x.source))))) : null,
    s && s.text ? h("div", {}, h("h3", {}, "怎么报销"), h("p", {}, s.text), docLink(s.source),
      s.ratio_cut?.text ? h("p", {}, s.ratio_cut.text, docLink(s.ratio_cut.source)) : null,
      s.catalog?.text ? h("p", {}, s.catalog.text, docLink(s.catalog.source)) : null) : null,
    r.reasons?.length ? h("div", {}, h("h3", {}, "相关规定"), h("ul", { class: "yb-reasons" },
      r.reasons.map((x) => h("li", {}, textOf(x), docLink(x.source))))) : null,
    r.caveats?.length ? h("div", { class: "yb-caveats" }, h("h3", {}, "说明"), h("ul", {}, r.caveats.map((c) => h("li", {}, textOf(c))))) : null);
  updatePrintMeta(null, r);
}

function updatePrintMeta(r, remote) {
  const meta = $("#yb-print-meta");
  const policy = bundle.policies[(r || remote || {}).policy];
  const shown = r || remote;
  const version = shown ? (shown.version || "未注明施行日期") : "";
  fill(meta,
    h("strong", {}, r ? "医保报销估算" : "异地就医检查"),
    ` · 打印日期 ${today()}`,
    policy ? ` · ${policy.region_name}${policy.name}` : "",
    version ? ` · 政策版本：${version}` : "",
    h("br"), h("span", { class: "yb-print-link" }, shareUrl()));
}

// ------------------------------------------------------------------ share, print, kiosk, views

async function copyLink() {
  const url = shareUrl();
  const note = $(".yb-copied");
  try {
    await navigator.clipboard.writeText(url);
    note.textContent = "链接已复制。";
  } catch {
    const box = h("input", { type: "text", value: url, readonly: true, "aria-label": "分享链接", class: "yb-linkbox" });
    note.replaceChildren("请手动复制：", box);
    box.select();
  }
}

let qrModule = null;
async function renderQr() {
  qrModule = qrModule || (await import("./vendor/qrcode.mjs")).default;
  const qr = qrModule(0, "M");
  qr.addData(shareUrl());
  qr.make();
  const box = $("#yb-qr");
  box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: "本次估算的链接二维码", title: "扫码打开本次估算" });
  box.append(h("p", { class: "yb-hint" }, "用手机扫码，可在手机上打开同样的估算。"));
}

async function toggleQr() {
  const box = $("#yb-qr");
  const btn = $("#yb-qr-btn");
  if (box.hidden) {
    await renderQr();
    box.hidden = false;
    btn.textContent = "隐藏二维码";
    btn.setAttribute("aria-expanded", "true");
  } else {
    box.hidden = true;
    btn.textContent = "显示二维码";
    btn.setAttribute("aria-expanded", "false");
  }
}

function setLarge(on) {
  document.documentElement.classList.toggle("yb-large-text", on);
  const btn = $("#yb-large");
  if (btn) btn.setAttribute("aria-pressed", on ? "true" : "false");
  try { if (MODE === "page") localStorage.setItem("yb-large-text", on ? "1" : ""); } catch { /* private mode */ }
}

function resetAll() {
  const keepPolicy = MODE === "embed" ? params.get("policy") : null;
  buildForm();
  setSelect($("#yb-policy"), keepPolicy || policyList()[0].id);
  refreshPolicy();
  if (MODE === "embed" && params.get("facility")) setSelect($("#yb-facility"), params.get("facility"));
  if (MODE === "page") history.replaceState(null, "", location.pathname + location.search);
  lastResult = null;
  lastRemote = null;
  showState(engine.state, engine.message);
  $("#yb-policy").focus();
}

function showView(view, focus = true) {
  const remote = view === "remote";
  $("#yb-panel-remote").hidden = !remote;
  $("#yb-panel-estimate").hidden = remote;
  $("#yb-tab-remote").setAttribute("aria-selected", String(remote));
  $("#yb-tab-estimate").setAttribute("aria-selected", String(!remote));
  $("#yb-tab-remote").tabIndex = remote ? 0 : -1;
  $("#yb-tab-estimate").tabIndex = remote ? -1 : 0;
  if (focus) { saveFragment(); run(); }
}

function showState(state, message) {
  const status = $(".yb-status");
  root.dataset.engine = state;
  status.classList.toggle("yb-status-bad", state !== "loading" && state !== "ready");
  if (state === "ready") {
    status.textContent = "计算引擎已就绪。所有计算都在您的设备上完成，填写的内容不会发送到任何地方。";
    status.classList.add("yb-status-ok");
  } else if (state === "loading") {
    status.textContent = "正在后台加载计算引擎，您可以先填写表单。";
  } else {
    status.textContent = message;
  }
}

// ------------------------------------------------------------------ embedding

const parentOrigin = (() => {
  const p = params.get("parent");
  if (MODE !== "embed" || !p || window.parent === window) return null;
  try {
    const origin = new URL(p).origin;
    return origin !== "null" && origin === p.replace(/\/$/, "") ? origin : null;
  } catch { return null; }
})();
let subscribed = false;

function postHeight() {
  if (!parentOrigin) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "yibao:height", height }, parentOrigin);
}

function postResultToParent(why) {
  if (!parentOrigin || (why === "auto" && !subscribed) || !lastResult) return;
  window.parent.postMessage({ type: "yibao:result", request: lastResult.request, result: lastResult.result }, parentOrigin);
}

function setupEmbed() {
  const theme = params.get("theme");
  if (theme && /^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(theme)) {
    let hex = theme.replace("#", "");
    if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    document.documentElement.style.setProperty("--yb-accent", `#${hex}`);
    // Text on the accent stays readable (WCAG contrast) whatever colour is chosen.
    document.documentElement.style.setProperty("--yb-on-accent", lum > 0.18 ? "#000" : "#fff");
    document.documentElement.style.setProperty("--yb-accent-text", lum > 0.18 ? "#1a1a1a" : `#${hex}`);
  }
  const size = params.get("size");
  if (size === "large") document.documentElement.classList.add("yb-large-text");
  if (size === "xlarge") document.documentElement.classList.add("yb-large-text", "yb-xlarge-text");
  if (!parentOrigin) return;
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

// ------------------------------------------------------------------ start

async function main() {
  if (!root) return;
  watchForUpdates();
  if (MODE === "embed") setupEmbed();
  else {
    try { if (localStorage.getItem("yb-large-text") === "1" || params.get("kiosk") === "1") document.documentElement.classList.add("yb-large-text"); } catch { /* */ }
  }
  // The worker starts first: Python boots while the page fetches the data and draws the form.
  const timeoutMs = Number(params.get("loadtimeout")) || undefined;
  engine = new Engine({ timeoutMs, onState: (state, message) => {
    if (bundle) showState(state, message);
    if (state === "ready" && bundle) run();
    if (state !== "loading") registerServiceWorker();
  } });
  try {
    let text = null;
    try { text = window.ybBundleText ? await window.ybBundleText : null; } catch { text = null; }
    if (text === null) {
      const resp = await fetch(new URL("policies.json", SITE));
      if (!resp.ok) throw new Error(String(resp.status));
      text = await resp.text();
    }
    bundle = JSON.parse(text);
  } catch {
    root.replaceChildren(h("p", { class: "yb-status yb-status-bad", role: "alert" },
      "无法载入政策数据。请检查网络后刷新页面；如果您曾经打开过本页，恢复网络后再试一次即可离线使用。"));
    return;
  }
  buildForm();
  setLarge(document.documentElement.classList.contains("yb-large-text"));
  const state = MODE === "page" ? fromFragment(location.hash) : {};
  if (MODE === "embed") {
    state.policy = params.get("policy") || undefined;
    state.facility = params.get("facility") || undefined;
    state.care = params.get("care") || undefined;
  }
  if (!state.policy) state.policy = policyList()[0].id;
  applyState(state);
  root.dataset.formReady = String(Math.round(performance.now()));
  showState(engine.state, engine.message);
  if (engine.state === "ready") run();
  window.addEventListener("hashchange", () => {
    if (location.hash.slice(1) === toFragment(readForm())) return;
    buildForm();
    applyState(fromFragment(location.hash));
    showState(engine.state, engine.message);
    run();
  });
  if (MODE === "page" && params.get("kiosk") === "1") {
    // A shared tablet: forget the last visitor's bill after 5 idle minutes.
    let idle = null;
    const arm = () => { clearTimeout(idle); idle = setTimeout(resetAll, 5 * 60 * 1000); };
    ["pointerdown", "keydown", "input"].forEach((e) => document.addEventListener(e, arm));
    arm();
  }
}

let swRegistered = false;
function registerServiceWorker() {
  // After Python is up, so precaching the site never slows the first estimate.
  if (swRegistered || !("serviceWorker" in navigator) || location.protocol === "file:") return;
  swRegistered = true;
  navigator.serviceWorker.register(new URL("sw.js", SITE)).catch(() => {});
}

function watchForUpdates() {
  if (!("serviceWorker" in navigator)) return;
  const hadController = !!navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // A new version of the site took over (the old offline copy is gone): say so once.
    if (!hadController || document.getElementById("yb-update")) return;
    root.before(h("p", { class: "yb-update yb-no-print", id: "yb-update", role: "status" }, "网站已更新到新版本。",
      h("button", { type: "button", class: "yb-btn", onclick: () => location.reload() }, "刷新页面")));
  });
}

main();
