// Runs calculator.api.call_json in Pyodide under Node, for tests: the engine exactly
// as the browser worker loads it (wheel on sys.path, bundle loaded), with a chosen
// standard-library archive.
//
//   node tools/pyodide_calls.mjs <pyodide dir> <stdlib.zip> <wheel> <policies.json> < calls.json
//   calls.json: [[op, request text], ...]   stdout: [response text, ...]
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, stdlib, wheel, bundle] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdLibURL: stdlib, stdout: () => {}, stderr: () => {} });
pyodide.FS.writeFile("/lib/calculator.whl", fs.readFileSync(wheel));
pyodide.pyimport("sys").path.insert(0, "/lib/calculator.whl");
pyodide.pyimport("calculator").load_bundle(fs.readFileSync(bundle, "utf8"));
const callJson = pyodide.pyimport("calculator.api").call_json;
const calls = JSON.parse(fs.readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(calls.map(([op, text]) => callJson(op, text))));
