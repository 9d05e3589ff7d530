// The embed guide's snippet generator: pick presets, copy one block of HTML.
// Policies come from the policy data's index, a policy's facilities from its region's file.
import { Catalog } from "./calc/catalog.js";
import { fill, h, SITE } from "./calc/dom.js";
import { PolicyData } from "./calc/policy-data.js";

const box = document.getElementById("yb-snippet");

function field(id, label, input, hint) {
  input.id = id;
  return h("div", { class: "yb-field" }, h("label", { for: id }, label), input,
    hint ? h("p", { class: "yb-hint" }, hint) : null);
}

function originOf(text) {
  try {
    const url = new URL(text.trim());
    return (url.protocol === "https:" || url.protocol === "http:") ? url.origin : null;
  } catch { return null; }
}

async function main() {
  if (!box) return;
  let catalog;
  const data = new PolicyData();
  try {
    catalog = new Catalog((await data.index()).catalog);
  } catch {
    fill(box, h("p", { class: "yb-status yb-status-bad" }, "无法载入政策数据，请刷新页面重试。"));
    return;
  }
  const groups = new Map();
  for (const p of catalog.policies) {
    const key = p.province || p.region_name;
    groups.set(key, [...(groups.get(key) || []), p]);
  }
  const policy = h("select", {}, [...groups].map(([label, list]) =>
    h("optgroup", { label }, list.map((p) => h("option", { value: p.id }, p.title)))));
  const facility = h("select", {});
  const site = h("input", { type: "text", value: SITE.href, autocomplete: "off" });
  const parent = h("input", { type: "text", placeholder: "https://www.example-hospital.cn", autocomplete: "off" });
  const theme = h("input", { type: "text", value: "#0b5cad", autocomplete: "off" });
  const size = h("select", {}, h("option", { value: "" }, "标准"), h("option", { value: "large" }, "大字"),
    h("option", { value: "xlarge" }, "特大"));
  const out = h("textarea", { id: "yb-snippet-code", rows: "14", readonly: true, class: "yb-code", "aria-label": "嵌入代码" });
  const err = h("p", { class: "yb-error", role: "alert", hidden: true });
  const copied = h("span", { role: "status", "aria-live": "polite" });

  async function fillFacilities() {
    const entry = catalog.entry(policy.value);
    if (entry && !catalog.policy(entry.id)) {
      try { catalog.addRegion(await data.region(entry.region, () => {})); } catch { /* offered without presets */ }
    }
    // fill() takes arrays (replaceChildren would print "[object HTMLOptionElement]").
    fill(facility, h("option", { value: "" }, "不预设"),
      (catalog.policy(policy.value)?.facilities || []).map((f) => h("option", { value: f.id }, f.label)));
  }

  function render() {
    err.hidden = true;
    const base = originOf(site.value) ? new URL(site.value.trim()) : null;
    const parentOrigin = parent.value.trim() ? originOf(parent.value) : null;
    const colour = theme.value.trim().replace(/^#/, "");
    const problems = [];
    if (!base) problems.push("计算器地址不是有效的网址（应以 https:// 开头）。");
    if (parent.value.trim() && !parentOrigin) problems.push("您网站的地址不是有效的网址，例如 https://www.example-hospital.cn。");
    if (colour && !/^([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/.test(colour)) problems.push("主题颜色请写 6 位十六进制，例如 #0b5cad。");
    if (problems.length) {
      err.textContent = problems.join(" ");
      err.hidden = false;
      out.value = "";
      return;
    }
    const src = new URL("embed/", base);
    src.searchParams.set("policy", policy.value);
    if (facility.value) src.searchParams.set("facility", facility.value);
    if (colour) src.searchParams.set("theme", colour);
    if (size.value) src.searchParams.set("size", size.value);
    if (parentOrigin) src.searchParams.set("parent", parentOrigin);
    const calcOrigin = src.origin;
    let code = `<iframe id="yibao-calculator" src="${src.href.replace(/&/g, "&amp;")}" title="医保报销计算器" ` +
      `allow="clipboard-write" style="width:100%;border:0;min-height:900px" loading="lazy"></iframe>`;
    if (parentOrigin) {
      code += `
<script>
window.addEventListener("message", function (event) {
  if (event.origin !== "${calcOrigin}") return;
  var data = event.data || {};
  if (data.type === "yibao:height" && typeof data.height === "number") {
    var frame = document.getElementById("yibao-calculator");
    frame.style.minHeight = "0";
    frame.style.height = data.height + "px";
  }
});
</script>`;
    } else {
      code += "\n<!-- 填写“您网站的地址”后，这里会加上高度自动调整的脚本。 -->";
    }
    out.value = code;
  }

  fill(box,
    h("form", { class: "yb-form", onsubmit: (e) => e.preventDefault() },
      field("yb-s-policy", "预设政策", policy),
      field("yb-s-facility", "预设医疗机构级别", facility),
      field("yb-s-parent", "您网站的地址（origin）", parent, "用于高度自动调整和按需取得结果；不填则框架高度固定。"),
      field("yb-s-theme", "主题颜色", theme),
      field("yb-s-size", "文字大小", size),
      field("yb-s-site", "计算器地址", site)),
    err,
    h("label", { for: "yb-snippet-code" }, h("strong", {}, "嵌入代码（复制后贴到您的网页里）")),
    out,
    h("p", {}, h("button", { type: "button", class: "yb-btn yb-primary", onclick: async () => {
      try { await navigator.clipboard.writeText(out.value); copied.textContent = " 已复制。"; } catch {
        out.select(); copied.textContent = " 请按 Ctrl+C 复制。";
      }
    } }, "复制代码"), copied));
  policy.addEventListener("change", () => { render(); fillFacilities().then(render); });
  for (const el of [facility, site, parent, theme, size]) {
    el.addEventListener("input", render);
    el.addEventListener("change", render);
  }
  render();
  fillFacilities().then(render);
}

main();
