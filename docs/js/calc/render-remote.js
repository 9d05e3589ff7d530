// The out-of-region checker's answer: the verdict, then a dated checklist
// grouped by phase (before care, in hospital, after discharge), then the rules.

import { $, app, docLink, fill, h } from "./dom.js";
import { dated, nextStep } from "./render.js";


function textOf(x) {
  if (x === null || x === undefined) return "";
  if (typeof x === "string") return x;
  return x.text || x.label || x.detail || x.message || "";
}

function checklist(items) {
  // the phases in the vocabulary's order: before care, in hospital, after discharge
  return h("div", { class: "yb-checklist", id: "yb-checklist" }, [...app.catalog.labels.get("phase")].map(([phase, title]) => {
    const mine = items.filter((x) => x.phase === phase);
    if (!mine.length) return null;
    return h("section", { class: "yb-phase", "data-phase": phase }, h("h3", {}, title),
      h("ol", { class: "yb-steps" }, mine.map((x) => h("li", { class: "yb-step" },
        h("div", { class: "yb-step-head" }, h("span", {}, x.label), x.date ? h("strong", { class: "yb-date" }, x.date) : null),
        x.text ? h("p", { class: "yb-step-detail" }, x.text) : null,
        docLink(x.source)))));
  }));
}

/** Before the checklist existed: deadlines and steps as separate lists. */
function deadlinesAndSteps(r) {
  const deadlines = (r.deadlines || []).map((d) => h("tr", { class: d.passed ? "yb-passed" : null },
    h("td", {}, h("strong", {}, d.date), d.passed ? "（已过）" : ""),
    h("td", {}, d.label, docLink(d.source))));
  return [
    deadlines.length ? h("div", {}, h("h3", {}, "截止日期"), h("table", { class: "yb-table" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "日期"), h("th", { scope: "col" }, "事项"))),
      h("tbody", {}, deadlines))) : null,
    r.steps?.length ? h("div", {}, h("h3", {}, "要办什么、带什么"), h("ol", { class: "yb-steps" }, r.steps.map((x) =>
      h("li", { class: "yb-step" }, h("div", { class: "yb-step-head" }, x.label), x.detail ? h("p", { class: "yb-step-detail" }, x.detail) : null,
        docLink(x.source))))) : null,
  ];
}

export function remoteSummary(r) {
  return app.catalog.label("verdict", r.eligible === true ? "yes" : r.eligible === false ? "no" : "open");
}

export function renderRemote(r) {
  const verdict = r.eligible === true ? ["yb-ok", "✔ "] : r.eligible === false ? ["yb-no", "✘ "] : ["yb-maybe", "？ "];
  const s = r.settlement;
  fill($("#yb-remote-result"),
    h("h2", { class: "yb-result-title" }, "异地就医检查结果"),
    h("p", { class: `yb-verdict ${verdict[0]}`, id: "yb-verdict", "data-eligible": String(r.eligible) },
      h("span", { "aria-hidden": "true" }, verdict[1]), remoteSummary(r)),
    r.eligible_reason ? h("p", {}, r.eligible_reason) : null,
    h("p", { class: "yb-context" }, `${r.reason_label} · ` +
      (r.rules_applied === "local+national" ? "适用参保地规定和国家跨省异地就医规定" : "适用参保地规定")),
    dated(r),
    Array.isArray(r.checklist) ? checklist(r.checklist) : deadlinesAndSteps(r),
    s && s.text ? h("div", {}, h("h3", {}, "怎么报销"), h("p", {}, s.text), docLink(s.source),
      s.ratio_cut?.text ? h("p", {}, s.ratio_cut.text, docLink(s.ratio_cut.source)) : null,
      s.catalog?.text ? h("p", {}, s.catalog.text, docLink(s.catalog.source)) : null) : null,
    r.reasons?.length ? h("div", {}, h("h3", {}, "相关规定"), h("ul", { class: "yb-reasons" },
      r.reasons.map((x) => h("li", {}, textOf(x), docLink(x.source))))) : null,
    r.caveats?.length ? h("div", { class: "yb-caveats" }, h("h3", {}, "说明"), h("ul", {}, r.caveats.map((c) => h("li", {}, textOf(c))))) : null,
    nextStep(r.next_step, "yb-remote-next"));
}
