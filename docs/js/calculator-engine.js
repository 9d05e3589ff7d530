// The page's handle on the estimator worker: start it at once, queue calls,
// report loading state, and time out if Python never arrives.

const DEFAULT_TIMEOUT_MS = 45000;

export function browserSupport() {
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    return "您的浏览器不支持 WebAssembly（或已被禁用），无法在本机运行计算器。请换用较新版本的 Chrome、Edge、Firefox、Safari 或手机自带浏览器的最新版本。";
  }
  if (typeof Worker !== "function") {
    return "您的浏览器不支持后台计算（Web Worker），无法运行计算器。请升级浏览器后再试。";
  }
  return null;
}

export class Engine {
  constructor({ timeoutMs = DEFAULT_TIMEOUT_MS, onState = () => {} } = {}) {
    this.state = "loading";
    this.onState = onState;
    this.pending = new Map();
    this.nextId = 1;
    this.started = performance.now();
    const problem = browserSupport();
    if (problem) {
      this._set("unsupported", problem);
      return;
    }
    const onError = (event) => {
      event?.preventDefault?.();
      this._set("failed", "计算器未能启动：浏览器无法加载计算引擎。可能是浏览器版本过旧，或网站设置阻止了 WebAssembly。");
    };
    // calculator-boot.js may have started the worker already (earlier in the page).
    this.worker = window.ybWorker;
    const early = window.ybWorkerEarly || [];
    if (!this.worker) {
      try {
        this.worker = new Worker(new URL("./calculator-worker.js", import.meta.url), { type: "module" });
        window.ybWorker = this.worker;
      } catch (err) {
        this._set("unsupported", "您的浏览器无法启动计算器所需的后台模块（module worker）。请升级浏览器后再试。");
        return;
      }
    }
    this.worker.onmessage = (event) => this._receive(event.data);
    this.worker.onerror = onError;
    for (const item of early.splice(0)) {
      if (item.error) onError(null); else this._receive(item.data);
    }
    this.timer = setTimeout(() => {
      if (this.state === "loading") {
        this._set("timeout", "计算引擎加载时间过长，仍未就绪。可能是网络太慢，或浏览器/网站设置阻止了 WebAssembly。您可以稍候，或刷新页面重试。");
      }
    }, timeoutMs);
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
    if (msg.type === "ready") {
      this.readyMs = performance.now() - this.started;
      this.marks = msg.marks;
      this._set("ready");
      return;
    }
    if (msg.type === "failed") {
      this._set("failed", "计算器未能启动：" + (msg.message ? "加载计算引擎时出错。" : "") +
        "请刷新页面重试；如果仍不行，请换用较新版本的浏览器。");
      return;
    }
    const entry = this.pending.get(msg.id);
    if (!entry) return;
    this.pending.delete(msg.id);
    entry.resolve(msg);
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
