// The calculator page and the embed page: wires the modules in calc/ together.
// The form is drawn from the catalogue of the policy data (the index and the chosen
// region's file, calc/policy-data.js) before Python is ready; every computation runs in
// the worker.
import { Catalog } from "./calc/catalog.js";
import { $, app, fill, h, MODE, params, root, SITE } from "./calc/dom.js";
import { postResultToParent, setupEmbed } from "./calc/embed.js";
import { applyState, buildForm, currentView, readForm, refreshFlags, refreshPolicy, showPolicy } from "./calc/form.js";
import { announce, clearErrors, showError } from "./calc/messages.js";
import { armKiosk, forgetVisitor, updatePrintMeta } from "./calc/print-kiosk.js";
import { PolicyData, rememberedPolicy, rememberPolicy } from "./calc/policy-data.js";
import { remoteSummary, renderRemote } from "./calc/render-remote.js";
import { renderCompare, renderResult, spokenSummary } from "./calc/render.js";
import { renderYear } from "./calc/render-year.js";
import { copyLink, refreshQr, toggleQr } from "./calc/share.js";
import { armTheme, startTheme } from "./calc/theme.js";
import { estimateRequest, fromFragment, remoteRequest, shareUrl, toFragment, yearRequest } from "./calc/url-state.js";
import { render as renderVisits, visitError, visitName } from "./calc/visits.js";
import { Engine } from "./calc/worker-client.js";

const KIOSK = MODE === "page" && params.has("kiosk");
const link = () => shareUrl(readForm());

const handlers = {
  submit: (view) => {
    // The answer to 计算 is shown on screen, even if a typing-triggered run finishes first.
    clearTimeout(debounce);
    delete root.dataset.pending;
    revealNext = true;
    saveFragment();
    run(view);
  },
  reset: () => resetAll(),
  copy: () => copyLink(link()),
  qr: () => toggleQr(link()),
  view: (view) => showView(view),
  policy: (id) => choosePolicy(id),
  keepAll: () => keepAll(),
};

/** An outreach tablet: the offline copy keeps every region (the service worker downloads them). */
function keepAll() {
  const status = $("#yb-keep-all-status");
  const sw = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  if (!sw) {
    registerServiceWorker();
    status.textContent = "离线副本还在准备中，请稍等一会儿再点一次。";
    return;
  }
  const channel = new MessageChannel();
  channel.port1.onmessage = ({ data }) => {
    const { done, total, failed } = data;
    if (data.type === "progress") status.textContent = `正在保存：${done} / ${total}`;
    else if (failed) status.textContent = `有 ${failed} 个文件没有保存成功，请联网后再点一次。`;
    else status.textContent = `已保存全部 ${total} 个文件，断网后也能计算每个地区。`;
  };
  status.textContent = "正在保存……";
  sw.postMessage({ type: "keep-all" }, [channel.port2]);
}

/** The region of a policy the index lists, added to the form's catalogue (fetched once). */
async function loadRegionOf(id) {
  const entry = app.catalog.entry(id);
  if (!entry || app.catalog.policy(id)) return;
  app.catalog.addRegion(await app.data.region(entry.region, (region, text) => app.engine.addRegion(region, text)));
  keepOffline();
}

/** The resident picked another policy (search box, province, region or scheme). */
async function choosePolicy(id) {
  clearTimeout(debounce);
  root.dataset.pending = "1";
  showPolicy(id);
  const mine = ++choosing;
  try {
    await loadRegionOf(id);
  } catch {
    if (mine !== choosing) return;
    delete root.dataset.pending;
    const status = $("#yb-status");  // the engine is fine: only this region's data is missing
    status.classList.add("yb-status-bad");
    status.textContent = "无法载入这个地区的政策数据。请检查网络后再选一次；用过的地区断网后也能使用。";
    announce(status.textContent);
    return;
  }
  if (mine !== choosing) return;  // another choice came meanwhile
  showState(app.engine.state, app.engine.message);
  refreshPolicy();
  if (!KIOSK) rememberPolicy(id);
  delete root.dataset.pending;
  saveFragment();
  run();
}
let choosing = 0;

function showView(view, user = true) {
  const remote = view === "remote";
  $("#yb-panel-remote").hidden = !remote;
  $("#yb-panel-estimate").hidden = remote;
  $("#yb-tab-remote").setAttribute("aria-selected", String(remote));
  $("#yb-tab-estimate").setAttribute("aria-selected", String(!remote));
  $("#yb-tab-remote").tabIndex = remote ? 0 : -1;
  $("#yb-tab-estimate").tabIndex = remote ? -1 : 0;
  refreshFlags();
  if (user) { saveFragment(); run(); }
}

function showState(state, message) {
  const status = $("#yb-status");
  root.dataset.engine = state;
  status.classList.toggle("yb-status-bad", state !== "loading" && state !== "ready");
  status.classList.toggle("yb-status-ok", state === "ready");
  status.textContent = state === "ready" ? "计算引擎已就绪。计算只在您的设备上进行，填写的内容不会发送出去。" : message;
  if (state !== "loading") announce(status.textContent);
}

/** Draw the form for a state (a link, the embed's presets, or none): its policy's region first. */
async function startForm(state) {
  if (!state.policy) state.policy = (!KIOSK && app.catalog.entry(rememberedPolicy()) && rememberedPolicy()) || app.catalog.defaultPolicy;
  await loadRegionOf(state.policy);
  buildForm(handlers);
  applyState(state, showView, () => { saveFragment(); run(); });
  showState(app.engine.state, app.engine.message);
}

async function resetAll() {
  clearTimeout(debounce);
  delete root.dataset.pending;
  // An answer still on its way (an estimate, the comparison table) belongs to the previous
  // visitor: a newer sequence number drops it when it arrives.
  root.dataset.seq = root.dataset.done = String(++app.seq);
  revealNext = false;
  // The previous visitor's answers go at once (the form is drawn again once its region is there).
  placeholder($("#yb-result"), "填写费用总额后，这里显示估算结果。", "empty");
  $("#yb-compare").hidden = true;
  const presets = MODE === "embed" ? embedPresets() : {};
  if (KIOSK) forgetVisitor();
  await startForm(presets);
  if (MODE === "page") history.replaceState(null, "", location.pathname + location.search);
  app.lastResult = null;
  app.lastRemote = null;
  $("#yb-policy").focus();
}

function embedPresets() {
  const get = (k) => params.get(k) || undefined;
  return { policy: get("policy"), facility: get("facility"), care: get("care") };
}

let debounce = null;
let revealNext = false;
function onInput(event) {
  // The picker's own handler (choosePolicy) runs the estimate once the region is there.
  if (event.target.closest(".yb-share, .yb-toolbar, .yb-tabs, .yb-picker")) return;
  clearTimeout(debounce);
  root.dataset.pending = "1";   // tests and the benchmark wait for the estimate of what was typed
  debounce = setTimeout(() => {
    delete root.dataset.pending;
    saveFragment();
    run();
  }, event.type === "change" ? 0 : 150);
}

function saveFragment() {
  const frag = toFragment(readForm());
  if (MODE === "page") history.replaceState(null, "", frag ? `#${frag}` : location.pathname + location.search);
  refreshQr(link());
}

function placeholder(panel, text, state) {
  revealNext = false;
  fill(panel, h("p", { class: state === "error" ? "yb-placeholder yb-stale" : "yb-placeholder" }, text));
  panel.dataset.state = state;
}

/** Scroll the answer into view after 计算 when it is off screen (a phone: the form is above it). */
function reveal(panel) {
  if (!revealNext) return;
  revealNext = false;
  const box = panel.getBoundingClientRect();
  if (box.top < 0 || box.top > window.innerHeight * 0.5) panel.scrollIntoView({ block: "start" });
  panel.focus({ preventScroll: true });
}

/** One visit: its estimate. Two or more: the year (calculator.year), each visit settled with what
 * the earlier visits of its insured year used. */
async function runEstimate() {
  const state = readForm();
  renderVisits(readForm);
  const year = state.visits.length > 1;
  const panel = $("#yb-result");
  const mine = ++app.seq;
  root.dataset.seq = String(mine);
  const unanswered = (text, kind) => {
    placeholder(panel, text, kind);
    $("#yb-compare").hidden = true;
    app.lastResult = null;
    root.dataset.done = String(mine);
  };
  const empty = state.visits.findIndex((v) => !String(v["costs.total"] || "").trim());
  if (empty >= 0) {
    clearErrors();
    unanswered(year ? `填写${visitName(empty)}的费用总额后，这里显示全年的估算结果。` : "填写费用总额后，这里显示估算结果。", "empty");
    return;
  }
  const request = year ? yearRequest(state) : estimateRequest(state);
  let answer;
  try { answer = await app.engine.call(year ? "year" : "estimate", request); } catch { return; }  // the status line says why
  if (mine !== app.seq) return;
  clearErrors();
  if (answer.error) {
    const shown = year ? visitError(answer.error) : answer.error;   // a year: the visit's line names it too
    if (shown) showError(shown, "estimate");
    unanswered("请先改正上面标出的输入，再查看结果。", "error");
    return;
  }
  app.lastResult = { request, result: answer.result };
  (year ? renderYear : renderResult)(answer.result);
  updatePrintMeta(answer.result, null, link());
  firstResultMarks();
  panel.dataset.state = "done";
  root.dataset.done = String(mine);
  reveal(panel);
  announce(year ? answer.result.summary : spokenSummary(answer.result));
  postResultToParent("auto");
  if (year) $("#yb-compare").hidden = true; else renderCompare(request, mine);
}

function firstResultMarks() {
  if (root.dataset.firstResult) return;
  root.dataset.firstResult = String(Math.round(performance.now()));
  // Boot marks relative to this page's start (read by the benchmark).
  const rel = (t) => Math.round(t - performance.timeOrigin);
  const marks = app.engine.marks;
  if (marks) root.dataset.bootMarks = Object.entries(marks).map(([k, t]) => `${k}=${rel(t)}`).join(" ");
}

async function runRemote() {
  const request = remoteRequest(readForm());
  const panel = $("#yb-remote-result");
  const mine = ++app.seq;
  root.dataset.seq = String(mine);
  let answer;
  try { answer = await app.engine.call("remote", request); } catch { return; }
  if (mine !== app.seq) return;
  clearErrors();
  if (answer.error) {
    showError(answer.error, "remote");
    placeholder(panel, "请先改正上面标出的输入，再查看结果。", "error");
    root.dataset.done = String(mine);
    return;
  }
  app.lastRemote = { request, result: answer.result };
  renderRemote(answer.result);
  updatePrintMeta(null, answer.result, link());
  panel.dataset.state = "done";
  root.dataset.done = String(mine);
  reveal(panel);
  announce(`异地就医检查：${remoteSummary(answer.result)}`);
}

function run(view = currentView()) {
  if (!app.engine || !app.catalog || !$("#yb-status")) return;
  return (view === "remote" ? runRemote() : runEstimate()).finally(afterFirstAnswer);
}

async function main() {
  if (!root) return;
  watchForUpdates();
  armTheme();
  const embedReady = MODE === "embed" ? setupEmbed() : null;
  // The worker starts first: Python boots while the page fetches the data and draws the form.
  const stallMs = Number(params.get("loadtimeout")) || undefined;
  app.data = new PolicyData();  // the form reads the index's catalogue; the worker gets the text
  app.engine = new Engine({ stallMs, bundle: app.data.indexText, onState: (state, message) => {
    if ($("#yb-status")) showState(state, message);
    if (state === "ready") run();
    if (state !== "loading" && state !== "ready") afterFirstAnswer();
  } });
  try {
    const index = await app.data.index();
    app.catalog = new Catalog(index.catalog, index.region_bytes);
    await startForm(MODE === "page" ? fromFragment(location.hash) : embedPresets());
  } catch {
    startTheme();
    fill(root, h("p", { class: "yb-status yb-status-bad", role: "alert" },
      "无法载入政策数据。请检查网络后刷新页面；如果您曾经打开过本页，恢复网络后再试一次即可离线使用。"));
    return;
  }
  root.addEventListener("input", onInput);
  root.addEventListener("change", onInput);
  root.dataset.formReady = String(Math.round(performance.now()));
  if (app.engine.state === "ready") run();
  await embedReady;
  window.addEventListener("hashchange", () => {
    if (MODE !== "page" || location.hash.slice(1) === toFragment(readForm())) return;
    startForm(fromFragment(location.hash)).then(() => run(), () => {});
  });
  if (KIOSK) armKiosk(resetAll);
}

/** After the first answer (or once Python cannot start): the offline copy and the theme's
 * script wait for it, so neither competes with the first estimate for bandwidth or CPU. */
function afterFirstAnswer() {
  startTheme();
  registerServiceWorker();
}

let swRegistered = false;
function registerServiceWorker() {
  if (swRegistered || !("serviceWorker" in navigator) || location.protocol === "file:") return;
  swRegistered = true;
  navigator.serviceWorker.addEventListener("controllerchange", keepOffline);
  navigator.serviceWorker.register(new URL("sw.js", SITE)).then(keepOffline, () => {});
}

/** The offline copy keeps the regions this page used (fetched before the service worker took
 * over); `data-offline` then counts them (tests wait for it). */
function keepOffline() {
  const sw = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
  if (!sw || !app.data) return;
  const files = app.data.files();
  const channel = new MessageChannel();
  channel.port1.onmessage = ({ data }) => {
    if (data.type === "kept" && !data.failed) root.dataset.offline = String(files.length);
  };
  sw.postMessage({ type: "keep", urls: files }, [channel.port2]);
}

function watchForUpdates() {
  if (!("serviceWorker" in navigator)) return;
  // The controller when the page opened (the boot script's note, else now): a change before
  // this module ran is announced as well as one after.
  const sw = navigator.serviceWorker;
  const first = "ybFirstController" in window ? window.ybFirstController : sw.controller;
  const announce = () => {
    // A new version of the site took over (the old offline copy is gone): say so once.
    if (!first || sw.controller === first || document.getElementById("yb-update")) return;
    root.before(h("p", { class: "yb-update yb-no-print", id: "yb-update", role: "status" }, "网站已更新到新版本。",
      h("button", { type: "button", class: "yb-btn", onclick: () => location.reload() }, "刷新页面")));
  };
  sw.addEventListener("controllerchange", announce);
  announce();
}

main();
