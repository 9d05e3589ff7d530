// Runs calculator.api.call_json in Pyodide under Node, for tests: the engine exactly
// as the browser worker loads it (wheel on sys.path, the site's data/index.json loaded,
// then every region file it lists added), with a chosen standard-library archive; with
// --restored, on an engine restored from a memory snapshot taken after the index was
// loaded, the regions added after the restore (as the worker does on repeat visits).
//
//   node tools/pyodide_calls.mjs <pyodide dir> <stdlib.zip> <wheel> <site data dir> [--restored] < calls.json
//   calls.json: [[op, request text], ...]   stdout: [response text, ...]
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlib, wheel, data, mode] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const options = { indexURL: pyodideDir + path.sep, stdLibURL: stdlib, stdout: () => {}, stderr: () => {} };
let pyodide = await loadPyodide({ ...options, _makeSnapshot: mode === "--restored" });
pyodide.FS.writeFile("/lib/calculator.whl", fs.readFileSync(wheel));
pyodide.pyimport("sys").path.insert(0, "/lib/calculator.whl");
pyodide.pyimport("calculator.api");
const indexText = fs.readFileSync(path.join(data, "index.json"), "utf8");
pyodide.pyimport("calculator").load_bundle(indexText);
if (mode === "--restored") {
  const snapshot = pyodide.makeMemorySnapshot();
  pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
  pyodide.FS.writeFile("/lib/calculator.whl", fs.readFileSync(wheel));
}
const addRegion = pyodide.pyimport("calculator").add_region;
for (const file of Object.values(JSON.parse(indexText).region_files)) {
  addRegion(fs.readFileSync(path.join(data, file), "utf8"));
}
const callJson = pyodide.pyimport("calculator.api").call_json;
// Read stdin as a stream: readFileSync(0) fails with EAGAIN on a large piped input.
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calls = JSON.parse(Buffer.concat(chunks).toString("utf8"));
process.stdout.write(JSON.stringify(calls.map(([op, text]) => callJson(op, text))));
