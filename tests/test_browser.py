"""The calculator in real Chromium: parity with CPython, the form, sharing,
printing, offline, privacy, embedding, accessibility and a fuzz test.

One page with a booted worker is shared by most tests of this module (Pyodide
takes a few seconds to start); tests that need a fresh context say so.
"""

import copy
import json
import random
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest
from caseload import estimate_cases, remote_cases

import calculator
from calculator.errors import InputError

pytestmark = pytest.mark.browser

BOOT_MS = 120_000  # generous: CI machines are slow, and the first boot compiles the wasm


# ---------------------------------------------------------------- helpers


def cpython(op: str, request) -> dict:
    fn = calculator.estimate if op == "estimate" else calculator.check_remote
    try:
        out = {"result": fn(copy.deepcopy(request))}
    except InputError as exc:
        out = exc.to_dict()
    return json.loads(json.dumps(out, ensure_ascii=False))


def wait_engine(page):
    page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)


def load(page, url):
    """A real page load (never a same-document fragment change), then wait for Python."""
    page.goto("about:blank")
    page.goto(url)
    wait_engine(page)


def done_count(page) -> int:
    return int(page.evaluate("() => Number(document.getElementById('yb-calc').dataset.done || 0)"))


def settle(page, before: int):
    """Wait until an estimate newer than `before` has finished and no newer one is pending."""
    page.wait_for_function(
        """(before) => { const r = document.getElementById('yb-calc');
            const d = Number(r.dataset.done || 0);
            return d > before && d === Number(r.dataset.seq || 0) && !r.dataset.pending; }""",
        arg=before,
        timeout=BOOT_MS,
    )


def fragment(request: dict) -> str:
    """The share-link fragment for an estimate request (the page's own format)."""
    q = {
        "p": request["policy"],
        "c": request.get("care", ""),
        "f": request.get("facility", ""),
        "d": request.get("date", ""),
    }
    costs = request.get("costs") or {}
    q.update({"t": costs.get("total", ""), "b": costs.get("class_b", ""), "s": costs.get("self_pay", "")})
    flags = [k for k, v in (request.get("member") or {}).items() if v]
    if flags:
        q["m"] = ",".join(flags)
    remote = request.get("remote")
    if remote:
        q.update(
            {
                "r": remote["kind"],
                "rg": "1" if remote.get("registered") else "",
                "rx": "1" if remote.get("cross_province") else "",
            }
        )
    return urlencode({k: v for k, v in q.items() if v})


def ui_expressible(request: dict) -> bool:
    allowed = {"policy", "date", "care", "facility", "member", "costs", "remote"}
    return set(request) <= allowed


def same_origin(url: str, base: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    a, b = urlsplit(url), urlsplit(base)
    return (a.scheme, a.netloc) == (b.scheme, b.netloc)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def bundle_loaded(site_dir):
    """CPython reads the very bundle the browser gets."""
    calculator.load_bundle((site_dir / "policies.json").read_text(encoding="utf-8"))
    return True


@pytest.fixture(scope="module")
def calc(browser, site_url, bundle_loaded):
    """One context + calculator page with a booted worker, shared by this module."""
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    load(page, site_url + "calculator/")
    page.errors = errors
    yield page
    context.close()


# ---------------------------------------------------------------- parity

PARITY_EXTRA = [
    # Bad input must come back as the same typed error, not a traceback.
    ("estimate", {"policy": "nowhere-employee", "costs": {"total": "100"}}),
    ("estimate", {"policy": "changchun-employee", "facility": "provincial", "costs": {"total": "-5"}}),
    (
        "estimate",
        {
            "policy": "changchun-employee",
            "facility": "provincial",
            "costs": {"total": "100", "class_b": "80", "self_pay": "30"},
        },
    ),
    (
        "estimate",
        {"policy": "changchun-employee", "facility": "provincial", "date": "2026-02-30", "costs": {"total": "100"}},
    ),
    ("estimate", []),
    (
        "remote",
        {
            "policy": "changchun-employee",
            "reason": "emergency",
            "visit_date": "2026-09-30",
            "condition": "急性心肌梗塞",
        },
    ),
    (
        "remote",
        {
            "policy": "changchun-employee",
            "reason": "referral",
            "visit_date": "2026-03-02",
            "cross_province": True,
            "filed": True,
        },
    ),
    ("remote", {"policy": "changchun-employee", "reason": "teleport", "visit_date": "2026-03-02"}),
]


def generated_calls() -> list:
    """A sweep over the data: every policy, care type, facility, member group and
    version date for estimates; every reason, with and without filing, in and
    out of the province for the out-of-region checker."""
    calls = []
    for policy in calculator.bundle()["policies"].values():
        dates = [v["from"] for v in policy["versions"] if v["from"]] or [None]
        for day in dates:
            version = [v for v in policy["versions"] if v["from"] in (day, None)][-1]
            for care_id, care in version["care"].items():
                for facility in care.get("facilities") or list(policy["facilities"]):
                    for group in policy["members"]:
                        flags = {f: True for f in (group.get("when") or []) + (group.get("when_any") or [])[:1]}
                        request = {
                            "policy": policy["id"],
                            "care": care_id,
                            "facility": facility,
                            "member": flags,
                            "costs": {"total": "8000", "class_b": "1000", "self_pay": "500"},
                        }
                        if day:
                            request["date"] = day
                        if care.get("standards"):
                            request["item"] = next(iter(care["standards"]))
                        calls.append(("estimate", request))
        for reason in ("emergency", "referral", "residence", "work", "temporary"):
            for cross in (False, True):
                for filed in (None, True, False):
                    request = {
                        "policy": policy["id"],
                        "reason": reason,
                        "visit_date": "2026-03-02",
                        "cross_province": cross,
                        "months_elsewhere": "8",
                    }
                    if filed is not None:
                        request["filed"] = filed
                    calls.append(("remote", request))
    return calls


def test_parity_with_cpython(calc):
    """Every hand-worked case (tests/cases), and a sweep over the data, gives the same JSON in the
    browser worker as in CPython."""
    calls = [("estimate", case["request"]) for case in estimate_cases()]
    calls += [("remote", case["request"]) for case in remote_cases()]
    calls += PARITY_EXTRA
    calls += generated_calls()
    assert len(calls) > 10
    got = calc.evaluate(
        """async (calls) => {
          const worker = new Worker(new URL("../js/calculator-worker.js", location.href), {type: "module"});
          const answers = new Map();
          await new Promise((resolve, reject) => {
            worker.onmessage = (e) => {
              const m = e.data;
              if (m.type === "ready") resolve();
              else if (m.type === "failed") reject(new Error(m.message));
              else answers.set(m.id, m);
            };
          });
          const out = [];
          for (let i = 0; i < calls.length; i++) {
            const [op, request] = calls[i];
            const answer = await new Promise((resolve) => {
              worker.onmessage = (e) => { if (e.data.id === i + 1) resolve(e.data); };
              worker.postMessage({id: i + 1, op, request});
            });
            delete answer.id;
            out.push(answer);
          }
          worker.terminate();
          return out;
        }""",
        [list(c) for c in calls],
    )
    assert len(got) == len(calls)
    for (op, request), browser_out in zip(calls, got):
        assert browser_out == cpython(op, request), f"{op} {json.dumps(request, ensure_ascii=False)}"


# ---------------------------------------------------------------- the form


def _fill_case(page, request):
    page.select_option("#yb-policy", request["policy"])
    for flag in request.get("member") or {}:
        box = page.locator(f"#yb-flag-{flag}")
        if request["member"][flag]:
            box.check()
    page.select_option("#yb-care", request.get("care", "inpatient"))
    page.select_option("#yb-facility", request["facility"])
    page.fill("#yb-date", request.get("date", ""))
    costs = request["costs"]
    before = done_count(page)
    page.fill("#yb-costs-class_b", costs.get("class_b", ""))
    page.fill("#yb-costs-self_pay", costs.get("self_pay", ""))
    page.fill("#yb-costs-total", costs["total"])
    settle(page, before)


UI_CASES = [
    c
    for c in estimate_cases()
    if ui_expressible(c["request"])
    and not c["request"].get("remote")
    and set(c.get("expect", {})) & {"fund_pays", "patient_pays"}
    and c["expect"].get("complete") is not False
][:3]


@pytest.mark.parametrize("case", UI_CASES, ids=[c["name"] for c in UI_CASES])
def test_form_shows_the_right_amounts(calc, site_url, case):
    page = calc
    load(page, site_url + "calculator/")
    _fill_case(page, case["request"])
    expected = cpython("estimate", case["request"])["result"]
    for key in ("fund_pays", "patient_pays"):
        if key in case["expect"]:
            assert expected[key] == case["expect"][key]
    assert page.inner_text("#yb-fund-pays") == f"{expected['fund_pays']} 元"
    assert page.inner_text("#yb-patient-pays") == f"{expected['patient_pays']} 元"
    assert page.inner_text("#yb-rate") == expected["effective_rate"]
    # Every cited step links to its document page, at the clause.
    for step in expected["steps"]:
        if step.get("source"):
            doc, clause = step["source"]["cite"].split("/")
            assert page.locator(f'#yb-result a[href$="documents/{doc}/#{clause}"]').count() >= 1
    # The breakdown bar has a text alternative with the amounts.
    label = page.get_attribute("#yb-result .yb-bar", "aria-label")
    assert expected["fund_pays"] in label and expected["patient_pays"] in label
    # Same bill at each facility level: one row per facility, the current one marked.
    page.wait_for_selector("#yb-compare[data-done]:not([hidden])")
    rows = page.locator("#yb-compare tbody tr")
    policy = calculator.bundle()["policies"][case["request"]["policy"]]
    care = policy["versions"][-1]["care"][case["request"].get("care", "inpatient")]
    assert rows.count() == len(care.get("facilities") or policy["facilities"])
    assert page.locator("#yb-compare .yb-current").count() == 1
    assert not page.errors


def test_share_link_restores_the_result(calc, browser):
    page = calc
    case = UI_CASES[0]
    load(page, page.url.split("#")[0])
    _fill_case(page, case["request"])
    shared = page.url
    assert "#" in shared and "t=" in shared
    original = page.inner_text("#yb-result")
    # The QR code of the link renders (no network: the encoder is vendored).
    page.click("#yb-qr-btn")
    page.wait_for_selector("#yb-qr svg")
    # A new page in a new context: the same scenario, the same result.
    context = browser.new_context(locale="zh-CN", service_workers="block")
    other = context.new_page()
    try:
        other.goto(shared)
        wait_engine(other)
        other.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        assert other.inner_text("#yb-result") == original
        assert other.input_value("#yb-costs-total") == case["request"]["costs"]["total"]
    finally:
        context.close()


REMOTE_PRINT = "p=changchun-employee&v=remote&xr=residence&xd=2026-09-30&xc=1&m=retired"


@pytest.mark.parametrize("view", ["estimate", "remote"])
def test_print_fits_one_a4_page(calc, site_url, view):
    page = calc
    if view == "estimate":
        case = UI_CASES[0]
        load(page, site_url + "calculator/#" + fragment(case["request"]))
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        page.wait_for_selector("#yb-compare[data-done]:not([hidden])")
        version = cpython("estimate", case["request"])["result"]["version"]
    else:
        load(page, site_url + "calculator/#" + REMOTE_PRINT)
        page.wait_for_selector('#yb-remote-result[data-state="done"]', timeout=BOOT_MS)
        version = cpython(
            "remote",
            {
                "policy": "changchun-employee",
                "reason": "residence",
                "visit_date": "2026-09-30",
                "cross_province": True,
                "member": {"retired": True},
            },
        )["result"]["version"]
    page.emulate_media(media="print")
    try:
        assert not page.is_visible("#yb-calc form")
        assert page.is_visible("#yb-result" if view == "estimate" else "#yb-remote-result")
        meta = page.inner_text("#yb-print-meta")
        assert "打印日期" in meta and re.search(r"\d{4}-\d{2}-\d{2}", meta)
        assert f"政策版本：{version or '未注明施行日期'}" in meta
        pdf = page.pdf(format="A4", print_background=True)
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert pages == 1, f"print takes {pages} pages"
    finally:
        page.emulate_media(media="screen")


def test_kiosk_large_text_and_reset(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#" + fragment(UI_CASES[0]["request"]))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    size = lambda: page.evaluate("() => parseFloat(getComputedStyle(document.getElementById('yb-calc')).fontSize)")
    normal = size()
    page.click("#yb-large")
    assert size() >= normal * 1.2
    assert page.get_attribute("#yb-large", "aria-pressed") == "true"
    page.click("#yb-reset")
    assert page.input_value("#yb-costs-total") == ""
    assert "#" not in page.url or page.url.endswith("#") or urlsplit(page.url).fragment == ""
    page.click("#yb-large")
    assert size() == pytest.approx(normal)


def test_out_of_region_checker(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#p=changchun-employee&v=remote&xr=emergency&xd=2026-09-30&xk=急性心肌梗塞")
    page.wait_for_selector('#yb-remote-result[data-state="done"]', timeout=BOOT_MS)
    expected = cpython(
        "remote",
        {
            "policy": "changchun-employee",
            "reason": "emergency",
            "visit_date": "2026-09-30",
            "condition": "急性心肌梗塞",
            "member": {},
            "cross_province": False,
        },
    )["result"]
    assert page.get_attribute("#yb-verdict", "data-eligible") == json.dumps(expected["eligible"])
    text = page.inner_text("#yb-remote-result")
    for deadline in expected["deadlines"]:
        assert deadline["date"] in text
    for step in expected["steps"]:
        assert step["label"] in text
    # A bad date is explained beside the date field.
    before = done_count(page)
    page.fill("#yb-check-days_away", "三十")
    settle(page, before)
    assert page.is_visible("#yb-check-days_away-err")
    assert page.get_attribute("#yb-check-days_away", "aria-invalid") == "true"


# ---------------------------------------------------------------- errors, fuzz


def test_errors_beside_the_field(calc, site_url):
    page = calc
    load(page, site_url + "calculator/")
    page.select_option("#yb-policy", "changchun-employee")
    before = done_count(page)
    page.fill("#yb-costs-total", "1000")
    page.fill("#yb-costs-class_b", "900")
    page.fill("#yb-costs-self_pay", "200")
    settle(page, before)
    err = cpython(
        "estimate",
        {
            "policy": "changchun-employee",
            "facility": page.input_value("#yb-facility"),
            "costs": {"total": "1000", "class_b": "900", "self_pay": "200"},
        },
    )["error"]
    assert page.inner_text(f"#yb-{err['field'].replace('.', '-')}-err") == err["message"]
    assert "Traceback" not in page.inner_text("#yb-calc")


FUZZ_ALPHABET = "0123456789.,-+eE 元¥$%abc中文１２３\u3000\t'\"<>&;#=/\\" + "\U0001f600"


def _random_text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.15:
        return rng.choice(
            [
                "",
                " ",
                "0",
                "1e5",
                "-0",
                "0.001",
                "99999999999",
                "NaN",
                "Infinity",
                "1,000",
                "<script>alert(1)</script>",
                "١٢٣",
                "12.345",
                "00012",
                ".5",
                "5.",
            ]
        )
    return "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(1, 14)))


def _fuzz_one(page, panel, name, fields, base, value):
    sel = f"#yb-{name.replace('.', '-')}"
    for other in fields:
        page.fill(f"#yb-{other.replace('.', '-')}", base.get(other, ""))
    before = done_count(page)
    page.fill(sel, value)
    page.dispatch_event(sel, "change")
    settle(page, before)
    state = page.get_attribute(panel, "data-state")
    if state == "error":
        # Explained beside this field (or beside class B when B + self-pay exceed the total).
        shown = page.locator(f"{sel}-err:not([hidden]), #yb-costs-class_b-err:not([hidden])").all_inner_texts()
        assert [t for t in shown if t.strip()], f"{name}={value!r}: an error without an explanation beside it"
    else:
        assert state in ("done", "empty"), f"{name}={value!r}: no result and no explanation"
        if state == "empty":
            assert name == "costs.total" and not value.strip()
    assert "Traceback" not in page.inner_text(panel)


def test_fuzz_every_field(calc, site_url):
    """Random strings in every text field: no uncaught error; every bad value is explained."""
    page = calc
    load(page, site_url + "calculator/")
    page.select_option("#yb-policy", "changchun-employee")
    for summary in page.locator("#yb-panel-estimate details summary").all():
        summary.click()
    rng = random.Random(20260301)
    fields = [
        "costs.total",
        "costs.class_b",
        "costs.self_pay",
        "year_to_date.fund_paid",
        "year_to_date.eligible_costs",
        "year_to_date.out_of_pocket",
    ]
    base = {"costs.total": "20000", "costs.class_b": "2000", "costs.self_pay": "1000"}
    page.errors.clear()
    for _ in range(5):
        for name in fields:
            _fuzz_one(page, "#yb-result", name, fields, base, _random_text(rng))
    page.click("#yb-tab-remote")
    remote_fields = ["check.condition", "check.days_away", "check.months_elsewhere"]
    for _ in range(4):
        for name in remote_fields:
            _fuzz_one(page, "#yb-remote-result", name, remote_fields, {}, _random_text(rng))
    # Random share links: nothing breaks, something is explained or shown.
    for _ in range(6):
        junk = "&".join(f"{rng.choice('pcfdtbsmrxyv')}={_random_text(rng)}" for _ in range(rng.randint(1, 6)))
        page.goto(site_url + "calculator/#" + junk)
        wait_engine(page)
        page.wait_for_function("() => document.getElementById('yb-calc').dataset.formReady")
        page.wait_for_timeout(300)
        text = page.inner_text("#yb-calc")
        assert "Traceback" not in text
    assert not page.errors, page.errors


# ---------------------------------------------------------------- loading failures


def test_no_webassembly_says_so(browser, site_url):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    page.add_init_script("delete window.WebAssembly")
    try:
        page.goto(site_url + "calculator/")
        page.wait_for_selector('#yb-calc[data-engine="unsupported"]')
        assert "WebAssembly" in page.inner_text(".yb-status")
        # The form still works for reading and filling.
        page.fill("#yb-costs-total", "100")
    finally:
        context.close()


def test_load_timeout_message(browser, site_url):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    # The wasm never arrives: what a wrong MIME type or a strict CSP looks like.
    context.route("**/pyodide.asm.wasm", lambda route: None)
    page = context.new_page()
    try:
        page.goto(site_url + "calculator/?loadtimeout=1500")
        page.wait_for_selector('#yb-calc[data-engine="timeout"]', timeout=20000)
        assert "加载时间过长" in page.inner_text(".yb-status")
    finally:
        context.close()


# ---------------------------------------------------------------- offline, privacy


def test_offline_after_one_visit(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000")
        wait_engine(page)
        page.evaluate("() => navigator.serviceWorker.ready")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60000)
        context.set_offline(True)
        page.reload()
        wait_engine(page)
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        before = done_count(page)
        page.fill("#yb-costs-total", "30000")
        settle(page, before)
        expected = cpython(
            "estimate",
            {
                "policy": "changchun-employee",
                "care": "inpatient",
                "facility": "provincial",
                "costs": {"total": "30000", "class_b": "", "self_pay": ""},
                "member": {},
                "year_to_date": {},
                "remote": None,
            },
        )["result"]
        assert page.inner_text("#yb-fund-pays") == f"{expected['fund_pays']} 元"
        # A portal page is there offline too.
        page.goto(site_url)
        assert page.title()
        assert not errors, errors
    finally:
        context.set_offline(False)
        context.close()


def test_update_replaces_the_offline_copy(browser, site_dir, tmp_path):
    """A new build (new cache version) takes over and the old cache is deleted."""
    import shutil

    import build

    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    server = build.make_server(copy, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/calculator/"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(url)
        wait_engine(page)
        page.evaluate("() => navigator.serviceWorker.ready")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60000)
        old = page.evaluate("() => caches.keys()")
        assert len(old) == 1 and old[0].startswith("yibao-")
        sw = copy / "sw.js"
        sw.write_text(
            re.sub(r'const VERSION = "[^"]*"', 'const VERSION = "test-next"', sw.read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        page.reload()
        wait_engine(page)
        page.wait_for_function(
            "async () => JSON.stringify(await caches.keys()) === JSON.stringify(['yibao-test-next'])", timeout=120_000
        )
        page.wait_for_selector("#yb-update", timeout=30000)
    finally:
        context.close()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["calculator/#p=changchun-employee&t=20000", "embed/?policy=changchun-employee"])
def test_every_request_is_same_origin(browser, site_url, path):
    context = browser.new_context(locale="zh-CN")
    seen = []
    context.on("request", lambda req: seen.append(req.url))
    page = context.new_page()
    try:
        page.goto(site_url + path)
        wait_engine(page)
        page.fill("#yb-costs-total", "12345")
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        page.click("#yb-qr-btn")
        page.wait_for_selector("#yb-qr svg")
        page.wait_for_timeout(500)
        assert any("pyodide.asm.wasm" in u for u in seen)
        foreign = [u for u in seen if not same_origin(u, site_url)]
        assert not foreign, foreign
    finally:
        context.close()


# ---------------------------------------------------------------- embedding

HOST_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某医院</title></head><body>
<h1>某医院网站</h1>
<iframe id="calc" title="医保报销计算器" src="{src}" style="width:100%;border:0"></iframe>
<script>
window.messages = [];
window.addEventListener("message", (e) => {{
  if (e.origin !== "{calc_origin}") return;
  window.messages.push(e.data);
  if (e.data.type === "yibao:height") document.getElementById("calc").style.height = e.data.height + "px";
}});
</script></body></html>"""


@pytest.fixture(scope="module")
def host_server(tmp_path_factory):
    """Another origin (another port): the hospital's website."""
    root = tmp_path_factory.mktemp("hospital")

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_embed_on_another_origin(browser, site_url, host_server):
    root, host = host_server
    calc_origin = site_url.rstrip("/")
    src = (
        site_url
        + "embed/?"
        + urlencode(
            {
                "policy": "changchun-employee",
                "facility": "municipal",
                "theme": "7a1f5c",
                "size": "large",
                "parent": host,
            }
        )
    )
    (root / "host.html").write_text(
        HOST_PAGE.format(src=src.replace("&", "&amp;"), calc_origin=calc_origin), encoding="utf-8"
    )
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(host + "/host.html")
        frame = page.frame_locator("#calc")
        page.wait_for_function(
            "() => window.messages.some((m) => m.type === 'yibao:height' && m.height > 300)", timeout=30000
        )
        inner = next(f for f in page.frames if f.url.startswith(site_url + "embed/"))
        inner.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)
        # Presets from the URL: policy, facility, theme colour, text size.
        assert inner.input_value("#yb-policy") == "changchun-employee"
        assert inner.input_value("#yb-facility") == "municipal"
        assert (
            inner.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--yb-accent').trim()")
            == "#7a1f5c"
        )
        assert inner.evaluate("() => document.documentElement.classList.contains('yb-large-text')")
        assert inner.locator("header.md-header").count() == 0  # no site chrome
        frame.locator("#yb-costs-total").fill("10000")
        inner.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        # Heights follow the content (wait for the resize after the result, not a fixed time).
        page.wait_for_function(
            "() => new Set(window.messages.filter((m) => m.type === 'yibao:height').map((m) => m.height)).size >= 2",
            timeout=30000,
        )
        types = page.evaluate("() => window.messages.map((m) => m.type)")
        assert "yibao:result" not in types, "the result went to the parent unasked"
        # The embedder asks; the result arrives, to this origin only.
        page.evaluate(
            f"() => document.getElementById('calc').contentWindow.postMessage({{type: 'yibao:get-result'}}, '{calc_origin}')"
        )
        page.wait_for_function("() => window.messages.some((m) => m.type === 'yibao:result')", timeout=10000)
        got = page.evaluate("() => window.messages.find((m) => m.type === 'yibao:result')")
        expected = cpython("estimate", got["request"])["result"]
        assert got["result"] == expected
        assert got["result"]["facility"] == "municipal"
        assert not errors, errors
    finally:
        context.close()


def test_embed_ignores_other_origins(browser, site_url, host_server):
    """A page that is not the declared parent gets neither heights nor results."""
    root, host = host_server
    src = site_url + "embed/?" + urlencode({"policy": "changchun-employee", "parent": "https://hospital.example"})
    (root / "stranger.html").write_text(
        HOST_PAGE.format(src=src.replace("&", "&amp;"), calc_origin=site_url.rstrip("/")), encoding="utf-8"
    )
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    try:
        page.goto(host + "/stranger.html")
        inner = next(f for f in page.frames if "/embed/" in f.url)
        inner.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        page.evaluate(
            "() => document.getElementById('calc').contentWindow.postMessage({type: 'yibao:get-result'}, '*')"
        )
        page.wait_for_timeout(1000)
        assert page.evaluate("() => window.messages.length") == 0
    finally:
        context.close()


# ---------------------------------------------------------------- accessibility


@pytest.mark.parametrize(
    "path",
    [
        "calculator/#p=changchun-employee&t=20000&b=2000&s=1000",
        "calculator/#p=changchun-employee&v=remote&xr=emergency&xd=2026-09-30",
        "embed/?policy=changchun-employee&theme=ffcc00",
        "embed/guide/",
    ],
)
def test_axe_no_serious_violations(calc, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    page = calc
    if "guide" in path:
        page.goto(site_url + path)
        page.wait_for_selector("#yb-snippet-code")
    else:
        load(page, site_url + path)
        if path.startswith("embed/"):
            page.fill("#yb-costs-total", "20000")
        page.wait_for_selector('.yb-result[data-state="done"]', timeout=BOOT_MS)
    # The portal's chrome (header, search dialog, footer) is audited by tests/test_portal.py.
    chrome = [[".md-header"], [".md-footer"], [".md-sidebar"], [".md-tabs"]]
    results = Axe().run(page, context={"exclude": chrome})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, json.dumps(
        [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in bad], ensure_ascii=False
    )


def test_snippet_generator(calc, site_url):
    page = calc
    page.goto(site_url + "embed/guide/")
    page.wait_for_selector("#yb-snippet-code")
    page.fill("#yb-s-parent", "https://www.example-hospital.cn")
    page.select_option("#yb-s-policy", "changchun-resident")
    code = page.input_value("#yb-snippet-code")
    assert "<iframe" in code and "embed/?policy=changchun-resident" in code
    assert "parent=https%3A%2F%2Fwww.example-hospital.cn" in code
    assert f'event.origin !== "{site_url.rstrip("/")}"' in code
    page.fill("#yb-s-parent", "not a url")
    assert page.is_visible("#yb-snippet .yb-error")
