// A resident's year as they read it: the year's totals on top (exact, bounded or what is certain),
// what is left of each yearly limit, then a line per visit (date, care, facility, fund, you).

import { $, app, fill, h, yuan } from "./dom.js";
import { compareCells, dated, headline } from "./render.js";
import { visitName } from "./visits.js";

/** The table's heads: a visit's date, care and facility in their fields' words. */
const heads = () => ["就医", ...["date", "care", "facility"].map((name) => app.catalog.field(name).label), "医保支付", "您支付"];

function limits(entry) {
  if (!entry.remaining?.length) return null;
  return h("ul", { class: "yb-remaining" }, entry.remaining.map((r) => h("li", {},
    `${r.label}：`,
    r.amount != null ? h("strong", {}, yuan(r.amount)) : h("span", { class: "yb-warn" }, "无法确定"),
    r.limit != null && r.amount != null ? `（上限 ${yuan(r.limit)}）` : "",
    r.reason ? h("span", { class: "yb-hint yb-remaining-why" }, r.reason) : null)));
}

function visitRows(result, entry) {
  const names = heads();
  return result.visits.filter((v) => v.year === entry.year).map((v) => {
    const [fund, you] = compareCells(v);
    const cells = [v.date, v.care_label, v.facility_label, fund, you];
    return h("tr", { "data-index": String(v.index) },
      h("th", { scope: "row" }, visitName(v.index)),
      cells.map((text, j) => h("td", { "data-label": names[j + 1] }, text)));
  });
}

function year(result, entry, several) {
  const span = entry.from.endsWith("-01-01") ? `${entry.year}年` : `${entry.year}年度（${entry.from} 至 ${entry.to}）`;
  return h("section", { class: "yb-year", "data-year": String(entry.year) },
    h("h3", {}, several ? `${span}：医保支付 ${cellOf(entry, "fund_pays")}，您支付 ${cellOf(entry, "patient_pays")}` : `${span}的年度限额`),
    limits(entry),
    h("table", { class: "yb-table yb-stack yb-visit-table" },
      h("caption", {}, `${span}的每次就医`),
      h("thead", {}, h("tr", {}, heads().map((t) => h("th", { scope: "col" }, t)))),
      h("tbody", {}, visitRows(result, entry))));
}

function cellOf(entry, key) {
  const [fund, you] = compareCells({ ...entry, effective_rate: null });
  return key === "fund_pays" ? fund : you;
}

export function renderYear(result) {
  const years = result.years || [];
  const top = { ...result.totals, bounds: result.bounds, headline: result.headline, complete: result.complete };
  const ages = result.visits.map((v) => v.rules_note).filter(Boolean);
  fill($("#yb-result"),
    h("h2", { class: "yb-result-title" }, "全年估算结果"),
    h("p", { class: "yb-summary", id: "yb-summary" }, result.summary),
    headline(top, { fund: "医保基金共支付", patient: "您共需支付" }),
    h("p", { class: "yb-context" }, `${result.policy_name} · 按“${result.member_label}”计算 · 共 ${result.visits.length} 次就医，按就诊日期先后计算，每次都计入同一年度此前已用去的额度`),
    years.map((entry) => year(result, entry, years.length > 1)),
    dated({ as_of: result.as_of, rules_note: ages[ages.length - 1] }),
    result.caveats?.length ? h("div", { class: "yb-caveats" }, h("h3", {}, "说明"), h("ul", {}, result.caveats.map((c) => h("li", {}, c)))) : null,
    h("p", { class: "yb-disclaimer" }, "本结果是按公开政策文件作出的估算，实际报销以医保经办机构结算为准。"));
}
