// The page's handle on the estimator worker (docs/js/calculator-worker.js):
// adopt or start it, queue calls, report download progress, and call it a
// failure only on a real failure: a worker error, or no progress for a long time.

const STALL_MS = 60000;   // no byte and no message for this long: something is blocking the engine

function browserSupport() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return "您的浏览器版本过旧，或关闭了运行计算引擎所需的功能，无法在本机计算。请换用较新版本的 Chrome、Edge、Firefox、Safari 或手机自带浏览器。";
  }
  if (typeof Worker !== "function") {
    return "您的浏览器不支持后台计算，无法运行计算器。请升级浏览器后再试。";
  }
  return null;
}

const mb = (bytes) => (Number(bytes) / 1e6).toFixed(1);   // MB as phones count them

/** The loading line for a progress message (bytes of the first download). */
function progressText(loaded, total) {
  if (total > 0 && loaded >= total) return "计算引擎已下载，正在启动……您可以先填写表单。";
  if (total > 0) return `正在下载计算引擎：${mb(loaded)} / ${mb(total)} MB。您可以先填写表单。`;
  if (loaded > 0) return `正在下载计算引擎：已下载 ${mb(loaded)} MB。您可以先填写表单。`;
  return "正在后台加载计算引擎，您可以先填写表单。";
}

export class Engine {
  /** bundle: a promise of data/index.json's text, handed to the worker (it then does not fetch it). */
  constructor({ stallMs = STALL_MS, bundle = null, onState = () => {} } = {}) {
    this.state = "loading";
    this.message = progressText(0, 0);
    this.onState = onState;
    this.stallMs = stallMs;
    this.pending = new Map();
    this.nextId = 1;
    this.started = performance.now();
    const problem = browserSupport();
    if (problem) {
      this._set("unsupported", problem);
      return;
    }
    // calculator-boot.js may have started the worker already (earlier in the page).
    this.worker = window.ybWorker;
    const early = window.ybWorkerEarly || [];
    if (!this.worker) {
      try {
        this.worker = new Worker(new URL("../calculator-worker.js", import.meta.url), { type: "module" });
        window.ybWorker = this.worker;
      } catch {
        this._set("unsupported", "您的浏览器无法启动计算器所需的后台程序。请升级浏览器后再试。");
        return;
      }
    }
    this.worker.onmessage = (event) => this._receive(event.data);
    this.worker.onerror = (event) => { event?.preventDefault?.(); this._fail(); };
    for (const item of early.splice(0)) {
      if (item.error) this._fail(); else this._receive(item.data);
    }
    if (bundle) {  // the protocol is described in calculator-worker.js
      const handOver = (text) => this.worker.postMessage({ type: "bundle", text });
      this.worker.postMessage({ type: "bundle", pending: true });
      bundle.then(handOver, () => handOver(null));
    }
    this._arm();
  }

  _arm() {
    clearTimeout(this.timer);
    if (this.state !== "loading" && this.state !== "timeout") return;
    this.timer = setTimeout(() => {
      this._set("timeout", "计算引擎已经很久没有收到新的数据。可能是网络中断，或浏览器、网站的设置阻止了计算引擎运行。您可以稍候，或刷新页面重试。");
    }, this.stallMs);
  }

  _fail() {
    this._set("failed", "计算器未能启动：浏览器无法加载计算引擎。请刷新页面重试；如果仍不行，请换用较新版本的浏览器。");
  }

  _set(state, message = "") {
    this.state = state;
    this.message = message;
    if (state !== "loading" && state !== "timeout") clearTimeout(this.timer);
    if (state === "failed" || state === "unsupported") {
      for (const { reject } of this.pending.values()) reject(new Error(message));
      this.pending.clear();
    }
    this.onState(state, message);
  }

  _receive(msg) {
    if (!msg) return;
    if (msg.type === "progress") {
      if (this.state !== "loading" && this.state !== "timeout") return;
      this.loaded = Number(msg.loaded) || 0;
      this.total = Number(msg.total) || 0;
      this._set("loading", progressText(this.loaded, this.total));
      this._arm();
      return;
    }
    if (msg.type === "ready") {
      this.readyMs = performance.now() - this.started;
      this.marks = msg.marks;
      this.restored = !!msg.restored;
      this._set("ready");
      return;
    }
    if (msg.type === "failed") {
      this._fail();
      return;
    }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    entry.resolve(msg);
  }

  /** A region's file, fetched by the page for its form: the worker adds it (and does not fetch it). */
  addRegion(region, text) {
    if (this.worker && this.state !== "failed" && this.state !== "unsupported") {
      this.worker.postMessage({ type: "region", region, text });
    }
  }

  /** Resolves with {result} or {error: {field, code, message}}. */
  call(op, request) {
    if (this.state === "failed" || this.state === "unsupported") {
      return Promise.reject(new Error(this.message));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, request });
    });
  }
}
