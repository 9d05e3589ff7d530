"""Hostile requests through the page's Pyodide worker end in typed errors (issue 10).

The worker hands every message to `calculator.api.call_json(op, JSON.stringify(request))`,
so each answer must be the very envelope CPython's call_json gives for the same text:
a typed error with a field and a Chinese message, never the generic "internal" failure.
Requests travel as ASCII JSON text and are parsed in the page, so lone surrogates
reach the worker as real JavaScript strings.
"""

import json

import pytest

from calculator import api

pytestmark = pytest.mark.browser

REMOTE = {
    "policy": "changchun-employee",
    "reason": "emergency",
    "visit_date": "2025-09-25",
    "cross_province": False,
    "today": "2025-09-26",
}
ESTIMATE = {"policy": "changchun-employee", "date": "2025-09-25", "facility": "provincial", "costs": {"total": "20000"}}


def _nested(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


# (op, request, field, code or the codes allowed: a non-text id is "type" or "unknown")
CASES = [
    ("estimate", {"policy": "\ud800"}, "policy", "invalid_text"),
    ("estimate", {**ESTIMATE, "\udc00": 1}, "request", "invalid_text"),
    ("estimate", {**ESTIMATE, "remote": {"kind": []}}, "remote.kind", {"type", "unknown"}),
    ("estimate", {**ESTIMATE, "remote": {"kind": {}}}, "remote.kind", {"type", "unknown"}),
    ("estimate", {**ESTIMATE, "costs": {"total": "9" * 5000}}, "costs.total", "too_long"),
    ("estimate", {**ESTIMATE, "costs": {"total": "20,50"}}, "costs.total", "bad_separator"),
    ("estimate", {**ESTIMATE, "date": "9999-12-31"}, "date", "date_out_of_range"),
    ("estimate", _nested(200), "request", "too_complex"),
    ("remote", {**REMOTE, "visit_date": "9999-12-31", "today": "9999-12-31"}, "visit_date", "date_out_of_range"),
    ("remote", {**REMOTE, "filing_date": "9999-12-01"}, "filing_date", "date_out_of_range"),
    ("remote", {**REMOTE, "discharged": "9999-12-31"}, "discharged", "date_out_of_range"),
    ("remote", {**REMOTE, "months_elsewhere": 1e300}, "months_elsewhere", "too_large"),
    ("remote", {**REMOTE, "condition": "\udfff"}, "condition", "invalid_text"),
    ("batch", [{"op": "estimate", "request": {"policy": "\ud800"}}], "[0].request.policy", "invalid_text"),
    ("delete", {}, "op", "unknown_op"),
]


@pytest.fixture(scope="module")
def worker_page(warm, site_dir, site_url, site_bundle):
    worker_js = (site_dir / "js" / "calculator-worker.js").read_text(encoding="utf-8")
    assert "calculator.api" in worker_js, "the built worker must answer through calculator.api (one dispatcher)"
    api_bundle = site_bundle.read_text(encoding="utf-8")
    import calculator

    calculator.load_bundle(api_bundle)  # CPython answers from the very bundle the browser gets
    page = warm.new_page()  # a returning visitor's: each new worker starts from the engine's snapshot
    page.goto(site_url + "calculator/")
    yield page
    page.close()


def _through_worker(page, cases: list) -> list:
    return page.evaluate(
        """async (calls) => {
          const worker = new Worker(new URL("../js/calculator-worker.js", location.href), {type: "module"});
          await new Promise((resolve, reject) => {
            worker.onmessage = (e) => {
              if (e.data.type === "ready") resolve();
              else if (e.data.type === "failed") reject(new Error(e.data.message));
            };
          });
          const out = [];
          for (let i = 0; i < calls.length; i++) {
            const [op, text] = calls[i];
            out.push(await new Promise((resolve) => {
              worker.onmessage = (e) => { if (e.data.id === i + 1) resolve(e.data); };
              worker.postMessage({id: i + 1, op, request: JSON.parse(text)});
            }));
          }
          worker.terminate();
          return out;
        }""",
        [[op, json.dumps(request)] for op, request, _, _ in cases],  # ASCII: surrogates as \\ud800 escapes
    )


def _typed(error: dict) -> None:
    assert error["field"] and error["code"] != "internal", error
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error


def test_hostile_requests_through_the_worker_are_typed(worker_page):
    answers = _through_worker(worker_page, CASES)
    for (op, request, field, code), answer in zip(CASES, answers, strict=True):
        answer.pop("id")
        expected = json.loads(api.call_json(op, json.dumps(request)))
        assert answer == expected, (op, field, code)
        _typed(answer["error"])
        assert answer["error"]["field"] == field
        assert answer["error"]["code"] in (code if isinstance(code, set) else {code})
