// Build step (python3 build.py build): boot Pyodide in Node with the full standard
// library, run tools/trim_stdlib.py in it (the calculator wheel, the policy bundle,
// a sweep of requests), and write the minimal standard-library archive it builds.
//
//   node tools/trim_stdlib.mjs <pyodide dir> <wheel> <policies.json> <trim_stdlib.py> <out.zip>
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, bundle, tracer, out] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: pyodideDir + path.sep, stdout: () => {}, stderr: () => {} });
pyodide.FS.writeFile("/tmp/calculator.whl", fs.readFileSync(wheel));
pyodide.FS.writeFile("/tmp/policies.json", fs.readFileSync(bundle));
pyodide.FS.writeFile("/tmp/stdlib-full.zip", fs.readFileSync(path.join(pyodideDir, "python_stdlib.zip")));
const namespace = pyodide.toPy({ __name__: "trim_stdlib" });
pyodide.runPython(fs.readFileSync(tracer, "utf8"), { globals: namespace });
const report = namespace.get("main")("/tmp/calculator.whl", "/tmp/policies.json", "/tmp/stdlib-full.zip", "/tmp/stdlib.zip");
fs.writeFileSync(out, pyodide.FS.readFile("/tmp/stdlib.zip"));
console.log(report);
