// On every page: which version of the policy data this page uses and, once the
// service worker has a newer version complete in the offline cache, an offer to
// reload with it. An update that failed (a file missing or refused, or the network
// cut while it downloaded; its partial cache is already gone) is said on the page
// (sw.js tells the pages, with the version it could not download) and asked for again.
// build.py writes the data version of the build this file belongs to: served from
// the offline cache, it is the version in use.
(function () {
  "use strict";
  var THIS_VERSION = "__DATA_VERSION__";
  var RETRY_MS = [15000, 60000, 300000];
  var script = document.currentScript;
  var site = new URL("../", script ? script.src : location.href);
  var failure = null;  // {controlled, version} of the last update that could not be downloaded

  function spot() {
    var el = document.getElementById("yb-data-version");
    if (el) return el;
    el = document.createElement("p");
    el.id = "yb-data-version";
    el.className = "yb-data-version yb-no-print";
    el.setAttribute("role", "status");
    var host = document.querySelector(".md-footer-meta__inner, .yb-foot, footer") || document.body;
    host.appendChild(el);
    return el;
  }

  function show(offline, newer) {
    var el = spot();
    el.textContent = "政策数据版本：" + THIS_VERSION + (offline ? "（已保存在本机，断网可用）" : "");
    if (newer && newer !== THIS_VERSION) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "yb-btn yb-data-update";
      button.textContent = "有新版本（" + newer + "），点此刷新使用";
      button.addEventListener("click", function () { location.reload(); });
      el.appendChild(document.createTextNode(" "));
      el.appendChild(button);
    }
    if (failure) {
      var note = document.createElement("span");
      note.id = "yb-update-failed";
      note.className = "yb-update-failed";
      note.textContent = failedText(failure);
      el.appendChild(document.createTextNode(" "));
      el.appendChild(note);
    }
  }

  function failedText(f) {
    if (!f.controlled) return "这次没能把本站完整保存到本机，断网时还不能使用；稍后会自动重试。";
    if (f.version && f.version !== THIS_VERSION) {
      return "有更新的政策数据（" + f.version + "），但这次没能下载完整，稍后会自动重试；" +
        "在那之前，本页继续使用上面这一版本，断网也能用。";
    }
    return "网站有更新，但这次没能下载完整，稍后会自动重试；在那之前继续使用已保存的这一版本。";
  }

  function ask(worker) {
    return new Promise(function (resolve) {
      if (!worker) return resolve(null);
      var channel = new MessageChannel();
      channel.port1.onmessage = function (e) { resolve(e.data && e.data.version); };
      worker.postMessage({ type: "version" }, [channel.port2]);
      setTimeout(function () { resolve(null); }, 3000);
    });
  }

  function watch(reg) {
    var failures = 0;
    function retry() {
      if (failures > RETRY_MS.length) return;
      setTimeout(function () { reg.update().catch(function () {}); }, RETRY_MS[failures - 1]);
    }
    function follow(worker) {
      worker.addEventListener("statechange", function () {
        // "redundant" before "activated": the update did not complete. Ask again later.
        if (worker.state === "redundant" && reg.active !== worker) {
          failures += 1;
          retry();
        }
      });
    }
    if (reg.installing) follow(reg.installing);
    reg.addEventListener("updatefound", function () { if (reg.installing) follow(reg.installing); });
    window.addEventListener("online", function () { reg.update().catch(function () {}); });
  }

  function start() {
    show(false, null);
    if (!("serviceWorker" in navigator) || location.protocol === "file:") return;
    var sw = navigator.serviceWorker;
    var controlled = !!sw.controller;
    var inUse = null;  // the data version the controlling worker reported
    if (controlled) ask(sw.controller).then(function (v) { inUse = v; show(true, v); });
    sw.addEventListener("controllerchange", function () {
      // A newer version is complete in the offline cache and has taken over.
      failure = null;
      ask(sw.controller).then(function (v) { inUse = v; show(true, controlled ? v : null); });
    });
    sw.addEventListener("message", function (e) {
      var msg = e.data || {};
      if (msg.type !== "update-failed") return;
      failure = { controlled: !!sw.controller, version: msg.version };
      show(!!sw.controller, controlled ? inUse : null);
    });
    sw.startMessages();  // messages sent before this page's load finished are delivered too
    sw.getRegistration(site.href).then(function (reg) { if (reg) watch(reg); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
