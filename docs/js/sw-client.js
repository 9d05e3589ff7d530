// On every page: which version of the policy data this page uses and, once the
// service worker has a newer version complete in the offline cache, an offer to
// reload with it. An update that failed (network cut while it downloaded; its
// partial cache is already gone) is asked for again.
// build.py writes the data version of the build this file belongs to: served from
// the offline cache, it is the version in use.
(function () {
  "use strict";
  var THIS_VERSION = "__DATA_VERSION__";
  var RETRY_MS = [15000, 60000, 300000];
  var script = document.currentScript;
  var site = new URL("../", script ? script.src : location.href);

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
    if (controlled) ask(sw.controller).then(function (v) { show(true, v); });
    sw.addEventListener("controllerchange", function () {
      // A newer version is complete in the offline cache and has taken over.
      ask(sw.controller).then(function (v) { show(true, controlled ? v : null); });
    });
    sw.getRegistration(site.href).then(function (reg) { if (reg) watch(reg); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
