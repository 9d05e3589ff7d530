// Build steps (python3 build.py build) that must run in Pyodide's own interpreter: boot
// Pyodide in Node with its full standard library, copy the input files into its file
// system, call main(*inputs, out) of a program in tools/ (compile_package.py,
// trim_stdlib.py), write what it wrote to `out` and print its report. Bytecode
// compiled here carries no column positions (PYTHONNODEBUGRANGES): smaller downloads.
//
//   node tools/in_pyodide.mjs <pyodide dir> <program.py> <out> <input>...
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, program, out, ...inputs] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: pyodideDir + path.sep, env: { PYTHONNODEBUGRANGES: "1" }, stdout: () => {}, stderr: () => {},
});
pyodide.FS.mkdirTree("/tmp/in");
const paths = inputs.map((file) => {
  const inside = "/tmp/in/" + path.basename(file);
  pyodide.FS.writeFile(inside, fs.readFileSync(file));
  return inside;
});
const namespace = pyodide.toPy({ __name__: path.basename(program, ".py") });
pyodide.runPython(fs.readFileSync(program, "utf8"), { globals: namespace });
const report = namespace.get("main")(...paths, "/tmp/out");
fs.writeFileSync(out, pyodide.FS.readFile("/tmp/out"));
console.log(report);
