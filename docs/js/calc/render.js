// The estimate as a resident reads it: one plain sentence, then what is known
// (exact amounts, bounds, or what is certain and what is missing), then the
// breakdown, the steps with their sources and the words explained inline.

import { $, app, docLink, fill, glossaryLink, h, money, yuan } from "./dom.js";

/** Who pays a part (the vocabulary's `payer` labels; a layer by its own label in the steps). */
const payer = (key) => app.catalog.labels.get("payer").get(key);

const statusOf = (r) => r.headline?.status || (r.complete === false ? "incomplete" : "complete");

/** An amount the sources only bound: "至少 …"/"最多 …"; null when nothing is known. */
export function boundText(bound) {
  if (!bound) return null;
  const { min, max } = bound;
  if (min != null && max != null) return min === max ? yuan(min) : `${yuan(min)} 至 ${yuan(max)}`;
  if (min != null) return `至少 ${yuan(min)}`;
  if (max != null) return `最多 ${yuan(max)}`;
  return null;
}

function card(cls, label, value, id) {
  return h("div", { class: `yb-big ${cls}` }, h("span", {}, label), h("strong", { id }, value));
}

/** The rate beside a bounded answer carries the same bound as the fund's amount. */
function rateText(r) {
  if (r.effective_rate == null) return null;
  const fund = r.bounds?.fund_pays;
  if (statusOf(r) === "bounded" && fund) {
    if (fund.max != null && fund.min == null) return `最多 ${r.effective_rate}`;
    if (fund.min != null && fund.max == null) return `至少 ${r.effective_rate}`;
  }
  return r.effective_rate;
}

/** The answer's cards; a year passes its totals and its own labels ({fund, patient}). */
export function headline(r, labels = { fund: "医保基金支付", patient: "您需支付" }) {
  const status = statusOf(r);
  const hl = r.headline || {};
  if (status === "complete" || status === "bounded") {
    // Bounded: the summary above says why; the cards say 最多/至少.
    const amount = (key) => (status === "complete" ? yuan(r[key]) : boundText(r.bounds?.[key]) ?? "无法确定");
    const rate = rateText(r);
    return h("div", { class: "yb-headline", "data-status": status },
      card("yb-big-fund", labels.fund, amount("fund_pays"), "yb-fund-pays"),
      card("yb-big-patient", labels.patient, amount("patient_pays"), "yb-patient-pays"),
      rate ? card("", "实际报销比例", rate, "yb-rate") : null);
  }
  // Incomplete: what is certain, and the missing figures by name; never a bare 0 as the answer.
  return h("div", { class: "yb-headline", "data-status": status },
    h("p", { class: "yb-headline-text" }, hl.text || "来源文件缺少计算所需的数字，无法算出医保支付多少。"),
    (hl.certain || []).map((c, i) => card("yb-big-certain", c.label, yuan(c.amount), `yb-certain-${i}`)),
    hl.missing?.length ? h("p", { class: "yb-missing" }, "缺少的数字：", hl.missing.join("、")) : null);
}

function payerLabel(key, r) {
  if (app.catalog.labels.get("payer").has(key)) return payer(key);
  return r.steps.find((s) => s.payer === key)?.label ?? "其他支付";
}

const pct = (part, total) => (Number(total) > 0 ? Math.max(0, Math.min(100, (Number(part) / Number(total)) * 100)) : 0);

/** The bar and its legend: amounts only; the one rate shown is the engine's effective_rate. */
function breakdown(r) {
  const parts = [];
  for (const [key, amount] of Object.entries(r.payers || {})) {
    if (Number(amount) > 0) parts.push({ label: payerLabel(key, r), amount, cls: key === "basic" ? "fund" : "layer" });
  }
  if (Number(r.hospital_bears) > 0) parts.push({ label: payer("hospital"), amount: r.hospital_bears, cls: "hospital" });
  parts.push({ label: payer("patient"), amount: r.patient_pays, cls: "patient" });
  const said = parts.map((p) => `${p.label} ${yuan(p.amount)}`).join("，");
  const bar = h("div", { class: "yb-bar", role: "img", "aria-label": `费用构成：${said}` });
  parts.forEach((p, i) => {
    const seg = h("span", { class: `yb-seg yb-seg-${p.cls} yb-pat-${i % 4}` }, pct(p.amount, r.total) >= 15 ? p.label : "");
    seg.style.width = `${pct(p.amount, r.total)}%`;   // CSSOM, allowed by the CSP (no inline style attribute)
    bar.append(seg);
  });
  // A label wider than its part (a narrow part, large text) is hidden, not cut: the legend says it.
  // Measured on every resize of the bar (its height follows the text size); the text stays in place,
  // so the measure does not change with the class.
  new ResizeObserver(() => {
    for (const seg of bar.children) seg.classList.toggle("yb-seg-cut", seg.scrollWidth > seg.clientWidth);
  }).observe(bar);
  const legend = h("ul", { class: "yb-legend" }, parts.map((p, i) =>
    h("li", {}, h("span", { class: `yb-swatch yb-seg-${p.cls} yb-pat-${i % 4}`, "aria-hidden": "true" }),
      `${p.label}：`, h("strong", {}, yuan(p.amount)))));
  return [bar, legend];
}

/** Steps, each followed by the words it uses that the glossary explains (each word once). */
function steps(r) {
  const terms = [...(r.terms || [])];
  const explain = (text) => {
    const found = [];
    for (let i = terms.length - 1; i >= 0; i--) {
      if (text.includes(terms[i].term)) found.unshift(...terms.splice(i, 1));
    }
    return found.map(termNote);
  };
  const list = h("ol", { class: "yb-steps" }, r.steps.map((s) => h("li", { class: `yb-step yb-step-${s.payer || "info"}` },
    h("div", { class: "yb-step-head" }, h("span", { class: "yb-step-label" }, s.label),
      s.amount != null ? h("span", { class: "yb-step-amount" }, yuan(s.amount)) : null),
    s.detail ? h("p", { class: "yb-step-detail" }, s.detail) : null,
    docLink(s.source),
    explain(`${s.label} ${s.detail || ""}`))));
  const rest = terms.length ? h("div", { class: "yb-terms" }, h("h3", {}, "词语解释"), terms.map(termNote)) : null;
  return [list, rest];
}

function termNote(t) {
  return h("p", { class: "yb-term" }, h("dfn", {}, t.term), "：", t.short, " ", glossaryLink(t.anchor, `（详细解释：${t.term}）`));
}

/** What the resident can do next (the engine's `next_step`, from the data): the last part of a result. */
export function nextStep(n, id) {
  if (!n) return null;
  return h("section", { class: "yb-next", id, "aria-label": "下一步" },
    h("h3", {}, "下一步"),
    h("p", { class: "yb-next-what" }, h("strong", {}, n.label), n.date ? h("strong", { class: "yb-date" }, n.date) : null),
    h("p", {}, n.detail), docLink(n.source),
    n.contacts?.length ? h("ul", { class: "yb-contacts" }, n.contacts.map((c) => h("li", {}, `${c.label}：`,
      h("strong", {}, c.value), docLink(c.source)))) : null,
    h("p", { class: "yb-office" }, `办理和咨询：${n.office}`, docLink(n.office_source)));
}

/** The one line that dates the rules used (the engine words it: start, age, advice). */
export function dated(r) {
  return h("div", { class: "yb-dated", id: "yb-dated" }, h("p", {}, r.rules_note));
}

/** The deductible beside the total: its amount, that the sources do not give it, or nothing where
 * this settlement has none (per case, a quota, nothing paid): never a 0.00 that stands for an unknown. */
function deductibleClause(r) {
  if (r.deductible != null) return `，其中起付线 ${yuan(r.deductible)}`;
  return r.deductible_reason === "unknown" ? "，来源没有给出起付线" : "";
}

export function renderResult(r) {
  const policy = app.catalog.policy(r.policy);
  fill($("#yb-result"),
    h("h2", { class: "yb-result-title" }, "估算结果"),
    r.summary ? h("p", { class: "yb-summary", id: "yb-summary" }, r.summary) : null,
    headline(r),
    h("p", { class: "yb-context" }, `${policy?.title || r.policy_name || ""} · ${r.care_label} · ${r.facility_label} · 按“${r.member_label}”计算 · 就诊日期 ${r.date}`),
    dated(r),
    h("p", { id: "yb-totals" }, `费用总额 ${yuan(r.total)}${deductibleClause(r)}。`,
      Number(r.hospital_bears) > 0 ? `${payer("hospital")} ${yuan(r.hospital_bears)}。` : ""),
    statusOf(r) === "incomplete" ? null : breakdown(r),
    h("h3", {}, "计算步骤与政策依据"), steps(r),
    r.caveats?.length ? h("div", { class: "yb-caveats" }, h("h3", {}, "说明"), h("ul", {}, r.caveats.map((c) => h("li", {}, c)))) : null,
    h("p", { class: "yb-disclaimer" }, "本结果是按公开政策文件作出的估算，实际报销以医保经办机构结算为准。"),
    nextStep(r.next_step, "yb-next"));
}

export function compareCells(r) {
  const status = statusOf(r);
  if (status === "complete") return [yuan(r.fund_pays), yuan(r.patient_pays), r.effective_rate ?? "—"];
  if (status === "bounded") {
    return [boundText(r.bounds?.fund_pays) ?? "无法确定", boundText(r.bounds?.patient_pays) ?? "无法确定", rateText(r) ?? "—"];
  }
  return ["缺少数据", "缺少数据", "—"];
}

/** The same bill at every facility level of this care. */
export async function renderCompare(request, mine) {
  const box = $("#yb-compare");
  const policy = app.catalog.policy(request.policy);
  const care = app.catalog.care(policy, request.care);
  if (!care || care.facilities.length < 2) { box.hidden = true; return; }
  const batch = care.facilities.map((f) => ({ op: "estimate", request: { ...request, facility: f } }));
  let answer;
  try { answer = await app.engine.call("batch", batch); } catch { return; }
  if (mine !== app.seq || answer.error) return;
  const heads = [app.catalog.field("facility").label, "基金支付", "个人支付", "报销比例"];
  const rows = answer.result.map((res, i) => {
    const f = care.facilities[i];
    const name = app.catalog.facilityLabel(policy, f);
    if (res.error) return h("tr", {}, h("th", { scope: "row" }, name), h("td", { colspan: "3" }, res.error.message));
    const current = f === request.facility;
    return h("tr", { class: current ? "yb-current" : null },
      h("th", { scope: "row" }, name, current ? h("span", { class: "yb-tag" }, "（当前选择）") : null),
      compareCells(res.result).map((text, j) => h("td", { "data-label": heads[j + 1] }, text)));
  });
  fill(box,
    h("h3", {}, "同一笔费用在各级医疗机构"),
    h("table", { class: "yb-table yb-stack" },
      h("caption", {}, `费用总额 ${yuan(app.lastResult?.result.total ?? "")}，其余条件相同`),
      h("thead", {}, h("tr", {}, heads.map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, rows)));
  box.hidden = false;
  box.dataset.done = String(mine);
}

/** The short sentence a screen reader hears once the result settles. */
export function spokenSummary(r) {
  if (r.summary) return r.summary;
  const status = statusOf(r);
  if (status === "complete") return `医保基金支付 ${money(r.fund_pays)} 元，您需支付 ${money(r.patient_pays)} 元。`;
  return r.headline?.text || "估算结果已更新。";
}
