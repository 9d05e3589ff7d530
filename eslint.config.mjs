// ESLint (flat config) for the hand-written browser code in docs/: tests/test_lint.py runs
// `eslint docs`. Vendor code is not ours (the QR code module is copied from node_modules at build time).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["**/vendor/**"] },
  js.configs.recommended,
  {
    // The calculator's page code and its worker are ES modules.
    files: ["docs/**/*.js"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: globals.browser },
    // `catch (e) { /* why it is ignored */ }` is how these files say an error is expected.
    rules: { "no-unused-vars": ["error", { caughtErrors: "none" }] },
  },
  {
    // Plain scripts: the boot script (inline in the calculator page), the theme's helpers and search.
    files: ["docs/js/calculator-boot.js", "docs/js/elder.js", "docs/js/sw-client.js", "docs/assets/javascripts/**/*.js"],
    languageOptions: { sourceType: "script" },
  },
  {
    files: ["docs/js/calculator-worker.js", "docs/assets/javascripts/workers/*.js"],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ["docs/sw.js"],
    languageOptions: { sourceType: "script", globals: globals.serviceworker },
  },
];
