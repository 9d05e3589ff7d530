// The estimator in a module Web Worker: Pyodide (self-hosted) + the calculator
// wheel + the policy bundle. The page stays responsive while Python starts.
//
// Page -> worker: {id, op: "estimate" | "remote" | "batch" | "policies", request}
// Worker -> page: {type: "ready", ms} | {type: "failed", message}
//                 {id, result} | {id, error: {field, code, message}}
import { loadPyodide } from "../pyodide/pyodide.mjs";

const site = new URL("../", import.meta.url);
// build.py writes the wheel's real file name here.
const WHEEL = "__WHEEL__";

const started = performance.now();
// Wall-clock marks of the boot, for the benchmark (tests/bench_browser.py).
const marks = { worker: performance.timeOrigin + started };
let call = null;          // Python function (op, json text) -> json text
const queue = [];         // requests that arrived before Python was ready

async function boot() {
  const bundle = fetch(new URL("policies.json", site)).then((r) => {
    if (!r.ok) throw new Error("policies.json: HTTP " + r.status);
    return r.text();
  });
  // Downloaded while the interpreter starts. Not passed as a package to
  // loadPyodide: unpacking it costs ~150 ms of CPU, while a pure-Python wheel
  // imports straight from the zip (zipimport, already used for the stdlib).
  const wheel = fetch(new URL(WHEEL, site)).then((r) => {
    if (!r.ok) throw new Error("calculator wheel: HTTP " + r.status);
    return r.arrayBuffer();
  });
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", site).href,
    stdout: () => {},
    stderr: (s) => console.warn(s),
  });
  marks.pyodide = performance.timeOrigin + performance.now();
  const wheelPath = "/lib/" + WHEEL.split("/").pop();
  pyodide.FS.writeFile(wheelPath, new Uint8Array(await wheel));
  pyodide.globals.set("WHEEL_PATH", wheelPath);
  pyodide.globals.set("BUNDLE_TEXT", await bundle);
  pyodide.runPython(`
import json
import sys
sys.path.insert(0, WHEEL_PATH)
del WHEEL_PATH
import calculator
from calculator.errors import InputError

calculator.load_bundle(BUNDLE_TEXT)
del BUNDLE_TEXT

def _dispatch(op, text):
    fns = {"estimate": calculator.estimate, "remote": calculator.check_remote}
    try:
        if op == "policies":
            return json.dumps({"result": calculator.policies()}, ensure_ascii=False)
        request = json.loads(text)
        if op == "batch":
            out = []
            for item in request:
                try:
                    out.append({"result": fns[item["op"]](item["request"])})
                except InputError as exc:
                    out.append(exc.to_dict())
            return json.dumps({"result": out}, ensure_ascii=False)
        return json.dumps({"result": fns[op](request)}, ensure_ascii=False)
    except InputError as exc:
        return json.dumps(exc.to_dict(), ensure_ascii=False)
    except Exception as exc:  # never a traceback on the page
        import traceback
        traceback.print_exc()
        return json.dumps({"error": {"field": "", "code": "internal",
                                     "message": "计算出错，请检查输入后重试。"}}, ensure_ascii=False)
`);
  call = pyodide.globals.get("_dispatch");
  marks.python = performance.timeOrigin + performance.now();
}

function handle(msg) {
  const text = call(msg.op, JSON.stringify(msg.request ?? null));
  const out = JSON.parse(text);
  out.id = msg.id;
  self.postMessage(out);
}

self.onmessage = (event) => {
  const msg = event.data;
  if (!msg || typeof msg.id === "undefined") return;
  if (call) handle(msg);
  else queue.push(msg);
};

boot().then(
  () => {
    self.postMessage({ type: "ready", ms: performance.now() - started, marks });
    while (queue.length) handle(queue.shift());
  },
  (err) => {
    console.error(err);
    self.postMessage({ type: "failed", message: String(err && err.message || err) });
  },
);
