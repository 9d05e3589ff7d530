// Build step (python3 build.py build): compile the calculator wheel to bytecode with
// Pyodide's own interpreter under Node (tools/compile_package.py), so the browser
// worker imports it without compiling. Column positions are left out of the bytecode
// (PYTHONNODEBUGRANGES) to keep the download small.
//
//   node tools/compile_package.mjs <pyodide dir> <wheel> <compile_package.py> <out.zip>
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, wheel, script, out] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep, env: { PYTHONNODEBUGRANGES: "1" }, stdout: () => {}, stderr: () => {},
});
pyodide.FS.writeFile("/tmp/calculator.whl", fs.readFileSync(wheel));
const namespace = pyodide.toPy({ __name__: "compile_package" });
pyodide.runPython(fs.readFileSync(script, "utf8"), { globals: namespace });
const report = namespace.get("main")("/tmp/calculator.whl", "/tmp/calculator.zip");
fs.writeFileSync(out, pyodide.FS.readFile("/tmp/calculator.zip"));
console.log(report);
