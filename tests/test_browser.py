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
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode, urlsplit

import pytest
from caseload import estimate_cases, remote_cases, year_cases
from conftest import FROZEN_TODAY

import calculator
from calculator.errors import InputError

pytestmark = pytest.mark.browser

BOOT_MS = 120_000  # generous: CI machines are slow, and the first boot compiles the wasm
DAY = FROZEN_TODAY  # every request carries its dates (the pages' clock says this day): none depends on the real day
DATED = {"estimate": ("date",), "remote": ("visit_date", "today")}


# ---------------------------------------------------------------- helpers


def dated(op: str, request: dict) -> bool:
    """The request carries its dates (a year: each visit its own)."""
    if op == "year":
        return all(isinstance(v, dict) and v.get("date") for v in request.get("visits") or [])
    return all(request.get(k) for k in DATED[op])


def cpython(op: str, request) -> dict:
    """The CPython answer to what the page sends: the form's date and the checker's today default
    to the page's day, which the suite's clock fixes (conftest.py: FROZEN_TODAY)."""
    fn = {"estimate": calculator.estimate, "year": calculator.year}.get(op, calculator.check_remote)
    if isinstance(request, dict):
        request = {**{key: DAY for key in DATED.get(op, ()) if key not in request}, **request}
    try:
        out = {"result": fn(copy.deepcopy(request))}
    except InputError as exc:
        out = exc.to_dict()
    return json.loads(json.dumps(out, ensure_ascii=False))


def grouped(amount: str) -> str:
    """An amount as the page shows it: thousands separators, two decimals, 元."""
    whole, _, cents = amount.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}.{cents.ljust(2, '0')} 元"


def shown_amount(result: dict, key: str) -> str:
    """A headline amount as the page shows it: exact when complete, else the bound (最多/至少)."""
    if result["headline"]["status"] == "complete":
        return grouped(result[key])
    low, high = result["bounds"][key]["min"], result["bounds"][key]["max"]
    if low is not None and high is not None:
        return grouped(low) if low == high else f"{grouped(low)} 至 {grouped(high)}"
    return f"最多 {grouped(high)}" if high is not None else f"至少 {grouped(low)}"


def pdf_pages(page) -> int:
    """Pages of the printout (A4, backgrounds as printed)."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", page.pdf(format="A4", print_background=True)))


def catalog_policy(policy_id: str) -> dict:
    return next(p for p in calculator.bundle()["catalog"]["policies"] if p["id"] == policy_id)


def wait_engine(page):
    page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)


def choose_policy(page, policy_id: str) -> None:
    """Pick a policy as a resident does: its province, its region, then its scheme (the region's
    data is fetched on the way), and wait until the form offers that policy's choices."""
    entry = next(p for p in calculator.bundle()["catalog"]["index"] if p["id"] == policy_id)
    province = entry["province"] or entry["region_name"]
    if page.input_value("#yb-province") != province:
        page.select_option("#yb-province", province)
    if page.input_value("#yb-region") != entry["region"]:
        page.select_option("#yb-region", entry["region"])
    page.wait_for_function(
        "(id) => [...document.querySelectorAll('#yb-policy option')].some(o => o.value === id)", arg=policy_id
    )
    if page.input_value("#yb-policy") != policy_id:
        page.select_option("#yb-policy", policy_id)
    page.wait_for_function("() => !document.getElementById('yb-calc').dataset.pending")


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


def answered(page):
    """Wait until the page has answered what it opened on: an estimate or check was asked for (the
    engine is ready and the form drawn) and its answer or its error is on screen."""
    page.wait_for_function(
        """() => { const r = document.getElementById('yb-calc');
            const seq = Number(r.dataset.seq || 0);
            return seq > 0 && Number(r.dataset.done || 0) === seq && !r.dataset.pending; }""",
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
def bundle_loaded(site_bundle):
    """CPython reads the very bundle the browser gets."""
    calculator.load_bundle(site_bundle.read_text(encoding="utf-8"))
    return True


@pytest.fixture(scope="module")
def calc(warm, site_url, bundle_loaded):
    """One calculator page with a booted worker, shared by this module."""
    page = warm.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    load(page, site_url + "calculator/")
    page.errors = errors
    yield page
    page.close()


# ---------------------------------------------------------------- parity


PARITY_EXTRA = [
    # Bad input must come back as the same typed error, not a traceback.
    ("estimate", {"policy": "nowhere-employee", "date": DAY, "costs": {"total": "100"}}),
    ("estimate", {"policy": "changchun-employee", "date": DAY, "facility": "provincial", "costs": {"total": "-5"}}),
    (
        "estimate",
        {
            "policy": "changchun-employee",
            "date": DAY,
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
            "today": "2026-10-02",
            "condition": "急性心肌梗塞",
        },
    ),
    (
        "remote",
        {
            "policy": "changchun-employee",
            "reason": "referral",
            "visit_date": DAY,
            "today": DAY,
            "cross_province": True,
            "filed": True,
        },
    ),
    ("remote", {"policy": "changchun-employee", "reason": "teleport", "visit_date": DAY, "today": DAY}),
    ("year", {"policy": "changchun-resident", "visits": []}),
    ("year", {"policy": "changchun-resident", "visits": [{"date": DAY, "costs": {"total": "-1"}}]}),
]


def generated_calls() -> list:
    """A sweep over the data: every policy, care type, facility, member group and
    version date for estimates; every reason, with and without filing, in and
    out of the province for the out-of-region checker."""
    calls = []
    for policy in calculator.bundle()["policies"].values():
        starts = [v["from"] or v.get("applies_from") for v in policy["versions"]]
        dates = [d for d in starts if d] or [DAY]
        for day in dates:
            version = [v for v, start in zip(policy["versions"], starts, strict=True) if start in (day, None)][-1]
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
                            "date": day,
                        }
                        if care.get("standards"):
                            request["item"] = next(iter(care["standards"]))
                        calls.append(("estimate", request))
                        # the same bill twice in one year and once in the next: what accumulates
                        visit = {k: v for k, v in request.items() if k not in ("policy", "member")}
                        visit.setdefault("date", "2026-03-01")
                        later = {**visit, "date": f"{int(visit['date'][:4]) + 1}{visit['date'][4:]}"}
                        visits = [visit, visit, later]
                        calls.append(("year", {"policy": policy["id"], "member": flags, "visits": visits}))
        for reason in ("emergency", "referral", "residence", "work", "temporary"):
            for cross in (False, True):
                for filed in (None, True, False):
                    request = {
                        "policy": policy["id"],
                        "reason": reason,
                        "visit_date": DAY,
                        "today": DAY,
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
    calls += [("year", case["request"]) for case in year_cases()]
    calls += PARITY_EXTRA
    calls += generated_calls()
    assert len(calls) > 10
    undated = [(op, r) for op, r in calls if isinstance(r, dict) and not dated(op, r)]
    assert not undated, f"requests that depend on the day the test runs: {undated[:3]}"
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
    for (op, request), browser_out in zip(calls, got, strict=True):
        assert browser_out == cpython(op, request), f"{op} {json.dumps(request, ensure_ascii=False)}"


# ---------------------------------------------------------------- the form


def _fill_case(page, request):
    choose_policy(page, request["policy"])
    page.select_option("#yb-care", request.get("care", "inpatient"))
    # Only the flags that change something for this care are offered (the others change nothing).
    for flag, on in (request.get("member") or {}).items():
        box = page.locator(f"#yb-flag-{flag}")
        if on and box.count():
            box.check()
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
    assert page.inner_text("#yb-summary") == expected["summary"]
    assert page.inner_text("#yb-fund-pays") == shown_amount(expected, "fund_pays")
    assert page.inner_text("#yb-patient-pays") == shown_amount(expected, "patient_pays")
    assert page.inner_text("#yb-rate").endswith(expected["effective_rate"])
    # One rate everywhere: the bar's legend shows amounts, never a second rounding of the rate.
    assert "%" not in page.inner_text("#yb-result .yb-legend")
    # Every cited step links to its document page, at the clause.
    for step in expected["steps"]:
        if step.get("source"):
            doc, clause = step["source"]["cite"].split("/")
            assert page.locator(f'#yb-result a[href$="documents/{doc}/#{clause}"]').count() >= 1
    # The breakdown bar has a text alternative with the amounts.
    label = page.get_attribute("#yb-result .yb-bar", "aria-label")
    assert grouped(expected["fund_pays"]) in label and grouped(expected["patient_pays"]) in label
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
        # With the QR code shown: a printout a resident can scan at home.
        page.click("#yb-qr-btn")
        page.wait_for_selector("#yb-qr svg")
        rules = cpython("estimate", case["request"])["result"]["rules_from"]
    else:
        load(page, site_url + "calculator/#" + REMOTE_PRINT)
        page.wait_for_selector('#yb-remote-result[data-state="done"]', timeout=BOOT_MS)
        rules = cpython(
            "remote",
            {
                "policy": "changchun-employee",
                "reason": "residence",
                "visit_date": "2026-09-30",
                "cross_province": True,
                "member": {"retired": True},
            },
        )["result"]["rules_from"]
    page.emulate_media(media="print")
    try:
        assert not page.is_visible("#yb-calc form")
        assert page.is_visible("#yb-result" if view == "estimate" else "#yb-remote-result")
        meta = page.inner_text("#yb-print-meta")
        assert "打印日期" in meta and re.search(r"\d{4}-\d{2}-\d{2}", meta)
        assert f"依据的规定：{rules}" in meta  # the same words as the result's dated line
        pages = pdf_pages(page)
        assert pages == 1, f"print takes {pages} pages"
    finally:
        page.emulate_media(media="screen")


def test_kiosk_reset_forgets_the_visitor(calc, site_url):
    """A shared tablet: reset clears every input, the link state and elder mode, and keeps nothing stored."""
    page = calc
    load(page, site_url + "calculator/?kiosk=1#" + fragment(UI_CASES[0]["request"]))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert page.locator("#yb-large").count() == 0, "the calculator has no large-text switch of its own"
    # The visitor turned elder mode on (the site-wide switch) and typed more.
    page.evaluate(
        "() => { document.documentElement.classList.add('yb-elder'); localStorage.setItem('yb-elder', '1'); }"
    )
    page.locator("#yb-ytd-box summary").click()
    page.fill("#yb-year_to_date-fund_paid", "1234")
    page.click("#yb-reset")
    for sel in ("#yb-costs-total", "#yb-costs-class_b", "#yb-costs-self_pay", "#yb-year_to_date-fund_paid"):
        assert page.input_value(sel) == "", sel
    assert page.locator(".yb-flag-list input:checked").count() == 0
    assert urlsplit(page.url).fragment == ""
    assert not page.evaluate("() => document.documentElement.classList.contains('yb-elder')")
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0


def test_elder_mode_styles_the_calculator(calc, site_url):
    """Under the site-wide html.yb-elder: larger text, checkboxes and buttons at least 44 px."""
    page = calc
    load(page, site_url + "calculator/#p=changchun-employee")
    size = "() => parseFloat(getComputedStyle(document.getElementById('yb-calc')).fontSize)"
    normal = page.evaluate(size)
    page.evaluate("() => document.documentElement.classList.add('yb-elder')")
    try:
        assert page.evaluate(size) >= normal * 1.2
        boxes = page.evaluate(
            """() => [...document.querySelectorAll('#yb-calc .yb-check input, #yb-calc .yb-btn')]
                 .filter((e) => e.offsetParent).map((e) => { const r = e.getBoundingClientRect();
                   return [e.id || e.className, r.width, r.height]; })"""
        )
        assert boxes
        small = [b for b in boxes if b[2] < 44 or (b[0].startswith("yb-flag") and b[1] < 44)]
        assert not small, small
    finally:
        page.evaluate("() => document.documentElement.classList.remove('yb-elder')")


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
    for item in expected["checklist"]:
        assert item["label"] in text
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
    choose_policy(page, "changchun-employee")
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


def test_letters_in_an_amount_are_explained_when_the_field_is_left(calc, site_url):
    """Typing abc (or 2万x) into 医疗费用总额 and leaving the field: the engine's own message at the
    field, never only 「填写费用总额后……」; 2万 and ２．５万元 are read as the amounts they mean (by
    the engine's parser: the page copies no parsing rule). On a 390 px phone."""
    page = calc
    page.set_viewport_size({"width": 390, "height": 844})
    base = {"policy": "changchun-employee", "date": DAY, "care": "inpatient", "facility": "provincial"}
    field = page.locator("#yb-costs-total")
    try:
        load(page, site_url + "calculator/#" + fragment({**base, "costs": {"total": "20000"}}))
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        for typed in ("abc", "2万x"):
            field.fill("")
            before = done_count(page)
            field.press_sequentially(typed)
            field.blur()
            settle(page, before)
            error = cpython("estimate", {**base, "costs": {"total": typed}})["error"]
            assert error["field"] == "costs.total" and error["message"].startswith("医疗费用总额必须是数字")
            assert page.inner_text("#yb-costs-total-err") == error["message"]
            assert page.is_visible("#yb-costs-total-err") and field.get_attribute("aria-invalid") == "true"
            box = page.locator("#yb-costs-total-err").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
            assert "填写费用总额后" not in page.inner_text("#yb-result")
        for typed, total in (("2万", "20000.00"), ("２．５万元", "25000.00")):
            before = done_count(page)
            field.fill(typed)
            field.blur()
            settle(page, before)
            expected = cpython("estimate", {**base, "costs": {"total": typed}})["result"]
            assert expected["total"] == total
            assert page.inner_text("#yb-summary") == expected["summary"]
            assert page.inner_text("#yb-totals").startswith(f"费用总额 {grouped(total)}")
            assert not page.is_visible("#yb-costs-total-err")
        assert not page.errors
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})


def test_no_zero_deductible_where_nothing_is_known(calc, site_url):
    """「费用总额 20,000.00 元，其中起付线 0.00 元。」 for Beijing's residents (the sources give no
    deductible) and for Xiaogan's per-disease settlement (which has none)."""
    page = calc
    beijing = {"p": "beijing-resident", "d": DAY, "f": "designated", "t": "20000"}
    load(page, site_url + "calculator/#" + urlencode(beijing))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert page.inner_text("#yb-totals") == "费用总额 20,000.00 元，来源没有给出起付线。"
    xiaogan = {"p": "xiaogan-basic", "d": DAY, "c": "single_disease", "f": "grade2_general", "i": "goitre"}
    xiaogan["t"] = "20000"
    load(page, site_url + "calculator/#" + urlencode(xiaogan))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert page.inner_text("#yb-totals") == "费用总额 20,000.00 元。"
    assert "0.00 元" not in page.locator("#yb-result .yb-step-amount").all_inner_texts()


def test_checker_shows_the_calendar_range(calc, site_url):
    """The working-day calendar's last day is one figure of the bundle, shown on the checker's page."""
    page = calc
    load(page, site_url + "calculator/")
    page.click("#yb-tab-remote")
    calendar = calculator.bundle()["catalog"]["calendar"]
    assert page.inner_text("#yb-check-visit_date-hint") == calendar["note"]
    assert calculator.bundle()["calendar"]["last"] in calendar["note"]


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
    # Every field back to its base value first (one look at all of them; only those that differ
    # are filled: each fill is a round trip and an estimate).
    ids = [f"yb-{other.replace('.', '-')}" for other in fields]
    now = page.evaluate("(ids) => ids.map((id) => document.getElementById(id).value)", ids)
    for other, id_, shown in zip(fields, ids, now, strict=True):
        if shown != base.get(other, ""):
            page.fill(f"#{id_}", base.get(other, ""))
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
    choose_policy(page, "changchun-employee")
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
        answered(page)
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
        status = page.inner_text(".yb-status")
        assert "浏览器版本过旧" in status and "WebAssembly" not in status  # plain words, no technical names
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
        assert "刷新页面" in page.inner_text("#yb-status")
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
        page.wait_for_selector("#yb-calc[data-offline]", timeout=60000)  # the region used is kept
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
        assert page.inner_text("#yb-fund-pays") == shown_amount(expected, "fund_pays")
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

    from sitebuild.server import make_server

    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    server = make_server(copy, port=0)
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
        page.reload()  # the new version installs beside the page; its engine need not be waited for
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
    seen, open_requests = [], set()
    context.on("request", lambda req: (seen.append(req.url), open_requests.add(req)))
    context.on("requestfinished", lambda r: open_requests.discard(r))
    context.on("requestfailed", lambda r: open_requests.discard(r))
    page = context.new_page()
    try:
        page.goto(site_url + path)
        wait_engine(page)
        page.fill("#yb-costs-total", "12345")
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        page.click("#yb-qr-btn")
        page.wait_for_selector("#yb-qr svg")
        # Everything the page loads later has happened: the offline copy is complete (the service
        # worker's own downloads), the theme's script has started; then no request is in flight.
        page.wait_for_selector("#yb-calc[data-offline]", timeout=60000)
        page.wait_for_function("() => !document.querySelector('script[type=\"text/yb-later\"]')")
        deadline = time.monotonic() + 30
        while open_requests:
            assert time.monotonic() < deadline, [r.url for r in open_requests]
            page.wait_for_timeout(50)  # polls for a state
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


def allow_embedding(context, site_url, origins, framing=None):
    """What the operator lists in site.toml, as the site serves it: embed/origins.json and the
    embed page's frame-ancestors (the build and the server own both; a test lists its own origins).
    `framing` differs from `origins` to model a host that sends no frame-ancestors of its own."""
    body = json.dumps({"allowed": origins})
    framing = origins if framing is None else framing

    def handle(route):
        request = route.request
        if request.url.endswith("embed/origins.json"):
            route.fulfill(content_type="application/json", body=body)
        elif request.resource_type == "document":
            response = route.fetch()
            headers = dict(response.headers)
            csp = headers.get("content-security-policy")
            if csp and "frame-ancestors" in csp:
                ancestors = " ".join(["'self'", *framing])
                headers["content-security-policy"] = re.sub(
                    r"frame-ancestors[^;]*", f"frame-ancestors {ancestors}", csp
                )
            route.fulfill(response=response, headers=headers)
        else:
            route.continue_()

    context.route(lambda url: url.startswith(site_url + "embed/"), handle)


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
    allow_embedding(context, site_url, [host])
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
        assert inner.evaluate("() => document.documentElement.classList.contains('yb-elder')")
        # The footer says what this site receives.
        assert host in inner.inner_text("#yb-foot-note")
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
        ask = "{type: 'yibao:get-result'}"
        page.evaluate(f"() => document.getElementById('calc').contentWindow.postMessage({ask}, '{calc_origin}')")
        page.wait_for_function("() => window.messages.some((m) => m.type === 'yibao:result')", timeout=10000)
        got = page.evaluate("() => window.messages.find((m) => m.type === 'yibao:result')")
        expected = cpython("estimate", got["request"])["result"]
        assert got["result"] == expected
        assert got["result"]["facility"] == "municipal"
        assert not errors, errors
    finally:
        context.close()


# Posted by the embedded page after two frames (a ResizeObserver's heights go out within a frame):
# messages from one window arrive in the order sent, so once the host has it, whatever the embed
# page posted before has arrived too.
PROBE = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.parent.postMessage({ type: "test:probe" }, "*"); done(); })))"""


def posted_to_host(page, inner) -> list:
    """Every message the embed page has posted to the host page so far (the probe left out)."""
    inner.evaluate(PROBE)
    page.wait_for_function("() => window.messages.some((m) => m.type === 'test:probe')", timeout=30000)
    return [m for m in page.evaluate("() => window.messages") if m.get("type") != "test:probe"]


def test_embed_posts_nothing_to_an_unlisted_parent(browser, site_url, host_server):
    """A site that is not on the operator's list cannot read what visitors type, even as the declared parent."""
    root, host = host_server
    src = site_url + "embed/?" + urlencode({"policy": "changchun-employee", "parent": host})
    (root / "unlisted.html").write_text(
        HOST_PAGE.format(src=src.replace("&", "&amp;"), calc_origin=site_url.rstrip("/")), encoding="utf-8"
    )
    context = browser.new_context(locale="zh-CN", service_workers="block")
    # The page's own check, even where the host sends no frame-ancestors (the page can be framed).
    allow_embedding(context, site_url, ["https://listed-hospital.example"], framing=[host])
    page = context.new_page()
    try:
        page.goto(host + "/unlisted.html")
        inner = next(f for f in page.frames if "/embed/" in f.url)
        inner.wait_for_selector('#yb-calc[data-parent="refused"]', timeout=30000)
        inner.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)
        inner.fill("#yb-costs-total", "10000")
        inner.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        calc_origin = site_url.rstrip("/")
        for kind in ("yibao:subscribe", "yibao:get-result"):
            page.evaluate(
                f"() => document.getElementById('calc').contentWindow.postMessage({{type: '{kind}'}}, '{calc_origin}')"
            )
        inner.fill("#yb-costs-total", "20000")
        inner.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        assert posted_to_host(page, inner) == []
        assert "不会发送" in inner.inner_text("#yb-foot-note")
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
    allow_embedding(context, site_url, ["https://hospital.example"], framing=[host])
    page = context.new_page()
    try:
        page.goto(host + "/stranger.html")
        inner = next(f for f in page.frames if "/embed/" in f.url)
        inner.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        inner.wait_for_selector('#yb-calc[data-parent="allowed"]')  # its message listener is there
        inner.evaluate("() => { window.got = 0; window.addEventListener('message', () => { window.got += 1; }); }")
        page.evaluate(
            "() => document.getElementById('calc').contentWindow.postMessage({type: 'yibao:get-result'}, '*')"
        )
        inner.wait_for_function("() => window.got === 1")  # the page's own listener has had it too
        assert posted_to_host(page, inner) == []
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
    # The embed gets only what it needs: clipboard access for 复制链接.
    assert 'allow="clipboard-write"' in code
    # A facility can be preset: the list holds the policy's facilities, by name (from its region's file).
    facilities = catalog_policy("changchun-resident")["facilities"]
    page.wait_for_function(
        "(n) => document.querySelectorAll('#yb-s-facility option').length === n", arg=len(facilities) + 1
    )
    options = page.locator("#yb-s-facility option").all_inner_texts()
    assert options == ["不预设"] + [f["label"] for f in facilities]
    page.select_option("#yb-s-facility", facilities[1]["id"])
    assert f"facility={facilities[1]['id']}" in page.input_value("#yb-snippet-code")
    page.fill("#yb-s-parent", "not a url")
    assert page.is_visible("#yb-snippet .yb-error")


# ---------------------------------------------------------------- the form knows only what the data tells it


def test_graded_care_quota_can_be_filled(calc, site_url):
    """The engine asks for the graded-care quota of unnamed-resident; the form offers the field."""
    page = calc
    load(page, site_url + "calculator/#p=unnamed-resident&c=graded_care&f=grade1&t=5000")
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    care = next(c for c in catalog_policy("unnamed-resident")["care"] if c["id"] == "graded_care")
    assert [o["id"] for o in care["overridable"]] == ["quota"]
    assert page.is_visible("#yb-overrides-quota")
    before = done_count(page)
    page.fill("#yb-overrides-quota", "3000")
    settle(page, before)
    assert "o.quota=3000" in page.url
    request = {
        "policy": "unnamed-resident",
        "care": "graded_care",
        "facility": "grade1",
        "item": care["items"][0]["id"],
        "costs": {"total": "5000"},
        "overrides": {"quota": "3000"},
    }
    expected = cpython("estimate", request)["result"]
    assert grouped(expected["patient_pays"]) in page.inner_text("#yb-result")


def test_opens_on_a_computable_default(calc, site_url):
    page = calc
    load(page, site_url + "calculator/")
    catalog = calculator.bundle()["catalog"]
    assert page.input_value("#yb-policy") == catalog["default_policy"]
    care = next(c for c in catalog_policy(catalog["default_policy"])["care"] if c["id"] == page.input_value("#yb-care"))
    assert care["computable"]


def test_member_flags_only_where_they_matter(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#p=xiaogan-maternity")
    labels = calculator.bundle()["catalog"]["labels"]["member_flag"]
    for policy_id in ("xiaogan-maternity", "changchun-employee"):
        choose_policy(page, policy_id)
        care = catalog_policy(policy_id)["care"][0]
        page.select_option("#yb-care", care["id"])
        shown = page.locator(".yb-flag-list label").all_inner_texts()
        assert sorted(shown) == sorted(labels[f] for f in care["member_flags"]), policy_id
    choose_policy(page, "xiaogan-maternity")
    assert "退休人员" not in page.inner_text("#yb-calc form")


def test_emergency_conditions_from_the_catalogue(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#p=changchun-employee&v=remote&xr=emergency")
    values = page.evaluate("() => [...document.querySelectorAll('#yb-conditions option')].map((o) => o.value)")
    assert values == [c["label"] for c in catalog_policy("changchun-employee")["remote"]["conditions"]]


@pytest.mark.parametrize(
    "path",
    [
        "calculator/#p=constructor&t=20000&d=2026-03-01",
        "calculator/#p=__proto__&c=toString&f=valueOf&t=20000",
        "calculator/#p=changchun-employee&c=hasOwnProperty&f=constructor&m=__proto__&o.__proto__=1&t=20000",
        "embed/?policy=__proto__&facility=toString",
        "embed/?policy=valueOf&care=constructor",
    ],
)
def test_prototype_names_in_links(warm, site_url, path):
    """Ids from a URL are looked up as own properties: nothing throws, the rest of the scenario survives."""
    page = warm.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(site_url + path)
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        wait_engine(page)
        if path.startswith("embed/"):
            page.fill("#yb-costs-total", "20000")
        assert page.input_value("#yb-costs-total") == "20000"
        page.wait_for_selector('#yb-result[data-state="error"], #yb-result[data-state="done"]', timeout=BOOT_MS)
        shown = page.locator(".yb-error:not([hidden])").all_inner_texts()
        assert [t for t in shown if t.strip()], "the unknown id is explained"
        assert not errors, errors
    finally:
        page.close()


# ---------------------------------------------------------------- what a resident sees


def test_headline_never_a_bare_zero_when_data_is_missing(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#p=beijing-resident&c=inpatient&t=300000")
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    request = {"policy": "beijing-resident", "care": "inpatient", "costs": {"total": "300000"}}
    expected = cpython("estimate", request)["result"]
    assert expected["complete"] is False
    headline = page.locator("#yb-result .yb-headline")
    assert headline.get_attribute("data-status") != "complete"
    assert page.is_visible("#yb-result .yb-headline-text")
    assert "0.00 元" not in headline.inner_text()
    assert page.locator("#yb-result .yb-bar").count() == 0
    for name in expected["headline"]["missing"]:
        assert name in headline.inner_text()
    # An unknown cap only bounds the answer: the headline says 最多/至少, never the uncapped sum alone.
    before = done_count(page)
    page.goto(site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=5000000")
    wait_engine(page)
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    request = {
        "policy": "changchun-employee",
        "care": "inpatient",
        "facility": "provincial",
        "costs": {"total": "5000000"},
    }
    expected = cpython("estimate", request)["result"]
    assert expected["headline"]["status"] == "bounded"
    assert page.inner_text("#yb-fund-pays") == shown_amount(expected, "fund_pays")
    assert page.inner_text("#yb-fund-pays").startswith("最多")
    assert before >= 0


def test_dated_and_explained(calc, site_url):
    """The result names the date and age of its rules, and explains glossary words inline, linked."""
    page = calc
    case = UI_CASES[0]
    load(page, site_url + "calculator/#" + fragment(case["request"]))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    expected = cpython("estimate", case["request"])["result"]
    assert page.inner_text("#yb-dated") == expected["rules_note"]
    if expected["as_of"]:
        assert expected["as_of"][:4] in expected["rules_note"]
    # The words come from the engine (`terms`, from the glossary): render one used by the first step.
    word = expected["steps"][0]["label"]
    terms = [{"term": word, "short": "一句话的解释。", "anchor": "test-word"}]
    page.evaluate(
        """async ([result, terms]) => {
             const m = await import(new URL('../js/calc/render.js', location.href).href);
             m.renderResult({ ...result, terms });
           }""",
        [expected, terms],
    )
    first = page.locator("#yb-result .yb-steps > li").first
    assert "一句话的解释。" in first.inner_text()
    assert first.locator('a[href$="guides/glossary/#test-word"]').count() == 1
    assert page.locator("#yb-result .yb-term").count() == 1


def test_phone_after_calculate(warm, site_url):
    """At 360 px: after 计算 both headline amounts are on screen; nothing scrolls sideways, in elder mode too."""
    page = warm.new_page()
    page.set_viewport_size({"width": 360, "height": 640})
    try:
        page.goto(site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial")
        wait_engine(page)
        page.fill("#yb-costs-total", "4250000")
        page.click("#yb-panel-estimate button[type=submit]")
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        page.wait_for_function("() => document.activeElement && document.activeElement.id === 'yb-result'")
        header = page.evaluate("() => document.querySelector('.md-header')?.getBoundingClientRect().bottom || 0")
        for sel in ("#yb-summary", "#yb-fund-pays", "#yb-patient-pays"):
            if page.locator(sel).count() == 0:
                continue
            box = page.evaluate(f"() => document.querySelector('{sel}').getBoundingClientRect().toJSON()")
            assert box["top"] >= header - 1 and box["bottom"] <= 640, (sel, box)
        page.wait_for_selector("#yb-compare[data-done]:not([hidden])")
        wide = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(wide) <= 0
        page.evaluate("() => document.documentElement.classList.add('yb-elder', 'yb-xlarge-text')")
        assert page.evaluate(wide) <= 0, "elder mode scrolls sideways"
        page.click("#yb-tab-remote")
        page.wait_for_selector('#yb-remote-result[data-state="done"], #yb-remote-result[data-state="error"]')
        assert page.evaluate(wide) <= 0, "the checker scrolls sideways"
    finally:
        page.close()


def test_screen_reader_hears_a_short_summary(calc, site_url):
    page = calc
    load(page, site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial")
    # The result itself is not a live region (it would be read whole on every key).
    assert page.locator("#yb-result[aria-live], #yb-remote-result[aria-live]").count() == 0
    live = page.locator("#yb-announce")
    assert live.get_attribute("aria-live") == "polite"
    # The engine's "ready" is spoken a quiet second after it is shown: wait until it has been, so it
    # is not taken for the result's summary (it once was, on a loaded machine).
    page.wait_for_function(
        "() => document.getElementById('yb-announce').textContent === document.getElementById('yb-status').textContent"
    )
    start = int(live.get_attribute("data-count") or 0)
    before = done_count(page)
    page.type("#yb-costs-total", "23456", delay=30)
    settle(page, before)
    expected = cpython(
        "estimate",
        {"policy": "changchun-employee", "care": "inpatient", "facility": "provincial", "costs": {"total": "23456"}},
    )["result"]
    page.wait_for_function(
        "(n) => Number(document.getElementById('yb-announce').dataset.count || 0) > n", arg=start, timeout=30000
    )
    text = live.inner_text()
    assert text == expected["summary"] and len(text) < 200
    assert int(live.get_attribute("data-count")) - start <= 2


FAKE_WORKER = """
window.ybWorker = { postMessage() {}, onmessage: null, onerror: null };
window.ybWorkerEarly = [];
window.ybStates = [];
window.ybSend = (data) => window.ybWorker.onmessage && window.ybWorker.onmessage({ data });
new MutationObserver(() => {
  const s = document.getElementById('yb-calc')?.dataset.engine;
  if (s && window.ybStates[window.ybStates.length - 1] !== s) window.ybStates.push(s);
}).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-engine'] });
"""


def test_progress_while_python_loads(browser, site_url):
    """Bytes still arriving is never a failure; a long silence is. Progress is shown in MB."""
    context = browser.new_context(locale="zh-CN", service_workers="block")
    context.add_init_script(FAKE_WORKER)
    page = context.new_page()
    try:
        page.goto(site_url + "calculator/?loadtimeout=2500")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        # Slow bytes for well over the silence limit: one message every 200 ms for 6 s.
        page.evaluate(
            """() => new Promise((done) => {
                 let loaded = 0;
                 const t = setInterval(() => {
                   loaded += 100000;
                   window.ybSend({ type: 'progress', loaded, total: 3200000 });
                   if (loaded >= 3000000) { clearInterval(t); done(); }
                 }, 200);
               })"""
        )
        assert page.evaluate("() => window.ybStates") == ["loading"]
        assert "3.0 / 3.2 MB" in page.inner_text("#yb-status")
        # Then silence: now it is reported.
        page.wait_for_selector('#yb-calc[data-engine="timeout"]', timeout=30000)
        page.evaluate("() => window.ybSend({ type: 'progress', loaded: 3200000, total: 3200000 })")
        assert page.get_attribute("#yb-calc", "data-engine") == "loading"
        page.evaluate("() => window.ybSend({ type: 'failed', message: 'x' })")
        assert page.get_attribute("#yb-calc", "data-engine") == "failed"
    finally:
        context.close()


def test_theme_script_waits_for_the_first_estimate(browser, site_url):
    """On the calculator page Material's bundle (search, header) does not compete with Python's
    start: it loads once the first estimate is on screen, or at once when the resident reaches
    for the header; the policy data (the index and the region's file) is downloaded once (the page
    hands it to the worker)."""
    material = "() => typeof window.document$ !== 'undefined'"  # Material's bundle has started
    context = browser.new_context(locale="zh-CN", service_workers="block", viewport={"width": 390, "height": 844})
    paths = []
    context.on("request", lambda r: paths.append(urlsplit(r.url).path))
    page = context.new_page()
    try:
        page.goto(site_url + "calculator/#p=changchun-employee&t=20000")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        if not page.get_attribute("#yb-calc", "data-first-result"):
            assert not page.evaluate(material)
        page.wait_for_selector("#yb-calc[data-first-result]", timeout=BOOT_MS)
        page.wait_for_function(material, timeout=30000)
        assert paths.count("/data/index.json") == 1, paths
        regions = [p for p in paths if p.startswith("/data/regions/")]
        assert len(regions) == 1 and regions[0].startswith("/data/regions/changchun."), paths
        assert page.locator(".yb-elder-switch").count() == 1  # the repeated DOMContentLoaded ran nothing twice

        # An engine that never gets ready: a tap on the header's search still brings search.
        waiting = context.new_page()
        waiting.add_init_script(FAKE_WORKER)
        waiting.goto(site_url + "calculator/")
        waiting.wait_for_selector("#yb-calc[data-form-ready]", timeout=30000)
        # Only startTheme (calc/theme.js) makes the inert script live: still inert, still not started.
        assert waiting.locator('script[type="text/yb-later"]').count() == 1
        assert not waiting.evaluate(material)
        waiting.locator("label.md-header__button[for=__search]").click()
        waiting.locator("[data-md-component=search-query]").fill("起付线")
        waiting.wait_for_function(
            "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=60000
        )
    finally:
        context.close()


STRICT_CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "worker-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'"
)


def test_embed_page_needs_no_inline_style(browser, site_url):
    """The embed page works under a CSP without 'unsafe-inline' (styles in CSS files, set through the CSSOM)."""
    context = browser.new_context(locale="zh-CN", service_workers="block")

    def strict(route):
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    context.route(site_url + "embed/**", strict)
    page = context.new_page()
    page.add_init_script(
        "window.cspViolations = []; document.addEventListener('securitypolicyviolation',"
        " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    try:
        page.goto(site_url + "embed/?policy=changchun-employee&theme=7a1f5c")
        wait_engine(page)
        page.fill("#yb-costs-total", "20000")
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        page.click("#yb-qr-btn")
        page.wait_for_selector("#yb-qr svg")
        assert page.evaluate("() => getComputedStyle(document.body).paddingTop") == "12px"
        assert page.evaluate("() => window.cspViolations") == []
        assert not failed, failed  # no /favicon.ico 404
    finally:
        context.close()


def test_checker_asks_care_and_network_and_shows_a_dated_checklist(calc, site_url):
    page = calc
    load(
        page,
        site_url
        + "calculator/#p=changchun-employee&v=remote&xr=emergency&xd=2026-09-30&xq=inpatient&xn=no&xk=心梗&xc=1",
    )
    page.wait_for_selector('#yb-remote-result[data-state="done"]', timeout=BOOT_MS)
    assert page.input_value("#yb-check-care") == "inpatient"
    assert page.input_value("#yb-check-networked") == "no"
    request = {
        "policy": "changchun-employee",
        "reason": "emergency",
        "visit_date": "2026-09-30",
        "cross_province": True,
        "care": "inpatient",
        "networked": False,
        "condition": "心梗",
        "member": {},
    }
    expected = cpython("remote", request)["result"]
    assert page.get_attribute("#yb-verdict", "data-eligible") == json.dumps(expected["eligible"])
    phases = page.evaluate(
        "() => [...document.querySelectorAll('#yb-checklist .yb-phase')].map((s) => s.dataset.phase)"
    )
    order = ["before", "during", "after"]
    assert phases == [p for p in order if any(x["phase"] == p for x in expected["checklist"])]
    for item in expected["checklist"]:
        section = page.locator(f'#yb-checklist .yb-phase[data-phase="{item["phase"]}"]')
        assert item["label"] in section.inner_text()
        if item["date"]:
            assert item["date"] in section.inner_text()
    # The care types offered are the catalogue's.
    options = page.locator("#yb-check-care option").all_inner_texts()
    assert options == list(calculator.bundle()["catalog"]["labels"]["remote_care"].values())


LAYOUT_SHIFTS = """window.ybShift = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.ybShift += e.value;
}).observe({ type: "layout-shift", buffered: true });"""


@pytest.mark.parametrize("path", ["calculator/", "calculator/#p=changchun-employee&t=20000"])
def test_no_layout_shift_while_the_engine_boots(browser, site_url, path):
    """A calm page on a phone: the form and the status keep their place while Python loads and answers."""
    context = browser.new_context(locale="zh-CN", service_workers="block", viewport={"width": 390, "height": 844})
    context.add_init_script(LAYOUT_SHIFTS)
    page = context.new_page()
    try:
        page.goto(site_url + path)
        wait_engine(page)
        if "t=" in path:
            page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        shift = page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r(window.ybShift)))")
        assert shift < 0.02, f"cumulative layout shift {shift:.3f}"
    finally:
        context.close()


# ---------------------------------------------------------------- a resident's year


def year_fragment(request: dict, current: int | None = None) -> str:
    """The share-link fragment of a year (the page's format: visit N's fields carry N in front)."""
    q = {"p": request["policy"]}
    flags = [k for k, v in (request.get("member") or {}).items() if v]
    if flags:
        q["m"] = ",".join(flags)
    for i, visit in enumerate(request["visits"]):
        prefix = str(i + 1) if i else ""
        costs = visit.get("costs") or {}
        fields = {"d": visit.get("date"), "c": visit.get("care"), "f": visit.get("facility"), "t": costs.get("total")}
        fields.update({"b": costs.get("class_b"), "s": costs.get("self_pay")})
        q.update({prefix + k: v for k, v in fields.items() if v})
    if current is not None:
        q["e"] = str(current + 1)
    return urlencode(q)


def outpatient_year(totals: list[str], policy: str = "changchun-resident") -> dict:
    """Changchun residents' community outpatient visits, a month apart (the annual 1-400 band)."""
    visits = [
        {
            "date": f"{2026 + i // 12}-{i % 12 + 1:02d}-10",
            "care": "outpatient",
            "facility": "district",
            "costs": {"total": t},
        }
        for i, t in enumerate(totals)
    ]
    return {"policy": policy, "visits": visits}


def year_rows(page) -> list[list[str]]:
    """The year's table as shown: per visit [name, date, care, facility, fund, you]."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#yb-result .yb-visit-table tbody tr')].map((tr) =>
             [...tr.children].map((c) => c.textContent.trim()))"""
    )


def expected_rows(result: dict) -> list[list[str]]:
    def cell(v, key):
        return grouped(v[key]) if v["headline"]["status"] == "complete" else shown_amount(v, key)

    return [
        [
            f"第{v['index'] + 1}次就医",
            v["date"],
            v["care_label"],
            v["facility_label"],
            cell(v, "fund_pays"),
            cell(v, "patient_pays"),
        ]
        for v in result["visits"]
    ]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width,elder", [(390, False), (360, True)], ids=["390px", "360px-elder"])
def test_year_add_change_remove(calc, site_url, width, elder):
    page = calc
    page.set_viewport_size({"width": width, "height": 800})
    try:
        load(
            page,
            site_url
            + "calculator/#"
            + fragment({"policy": "changchun-resident", **outpatient_year(["300"])["visits"][0]}),
        )
        if elder:
            page.evaluate("() => document.documentElement.classList.add('yb-elder')")
        page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
        # One visit looks as it always did: no list, the single estimate, one button more.
        assert not page.is_visible("#yb-visits") and page.is_visible("#yb-ytd-box")
        assert page.inner_text("#yb-result .yb-result-title") == "估算结果"
        before = done_count(page)
        page.click("#yb-add-visit")
        page.fill("#yb-date", "2026-05-10")
        page.fill("#yb-costs-total", "300")
        settle(page, before)
        request = outpatient_year(["300", "300"])
        request["visits"][1]["date"] = "2026-05-10"
        expected = cpython("year", request)["result"]
        assert [v["fund_pays"] for v in expected["visits"]] == ["90.00", "30.00"]
        assert page.inner_text("#yb-summary") == expected["summary"]
        assert page.inner_text("#yb-fund-pays") == grouped(expected["totals"]["fund_pays"])
        assert year_rows(page) == expected_rows(expected)
        assert page.locator("#yb-visits .yb-visit").count() == 2 and not page.is_visible("#yb-ytd-box")
        assert "0.00 元" in page.inner_text("#yb-result .yb-remaining")  # nothing left of the 400 band
        # Change the first visit: it comes back into the form; the second stays as it was.
        before = done_count(page)
        # Straight from the field to another visit's button: leaving the field redraws the list (its
        # change event) while focus is on the button, which the theme's focus-visible polyfill has
        # marked by then; the button is kept, not drawn anew, or the press is lost.
        page.wait_for_function("() => typeof window.document$ !== 'undefined'")  # the theme has started
        page.press('button[aria-label="修改第1次就医"]', "Enter")
        assert page.input_value("#yb-costs-total") == "300" and page.input_value("#yb-date") == "2026-01-10"
        page.fill("#yb-costs-total", "200")
        settle(page, before)
        request["visits"][0]["costs"]["total"] = "200"
        assert year_rows(page) == expected_rows(cpython("year", request)["result"])
        assert no_sideways_scroll(page)
        if elder:
            boxes = page.evaluate(
                """() => [...document.querySelectorAll('#yb-visits .yb-btn, #yb-add-visit')].map((e) =>
                     e.getBoundingClientRect().height)"""
            )
            assert boxes and min(boxes) >= 44, boxes
        # Remove the second, straight from the field: one visit again, the single estimate of the first.
        before = done_count(page)
        page.click('button[aria-label="删除第2次就医"]')
        settle(page, before)
        assert not page.is_visible("#yb-visits")
        assert page.inner_text("#yb-result .yb-result-title") == "估算结果"
        single = {"policy": "changchun-resident", **request["visits"][0]}
        assert page.inner_text("#yb-fund-pays") == grouped(cpython("estimate", single)["result"]["fund_pays"])
    finally:
        page.evaluate("() => document.documentElement.classList.remove('yb-elder')")
        page.set_viewport_size({"width": 1280, "height": 720})


def test_year_share_link_and_qr(calc, site_url):
    """Twelve visits restore exactly from the link and fit a QR code; sixty still restore from the
    link, and the page says why there is no QR code."""
    page = calc
    request = outpatient_year([str(100 + 10 * i) for i in range(12)])
    load(page, site_url + "calculator/#" + year_fragment(request, current=3))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    expected = cpython("year", request)["result"]
    assert year_rows(page) == expected_rows(expected)
    assert page.input_value("#yb-costs-total") == "130"  # the visit the link had in the form
    page.click("#yb-qr-btn")
    page.wait_for_selector("#yb-qr svg")
    shown = page.inner_text("#yb-result")
    link = page.url
    load(page, link)  # the page's own link: the same year again
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert page.inner_text("#yb-result") == shown
    many = outpatient_year([str(50 + i) for i in range(60)])
    load(page, site_url + "calculator/#" + year_fragment(many))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert len(year_rows(page)) == 60
    page.click("#yb-qr-btn")
    page.wait_for_selector("#yb-qr .yb-qr-none")
    assert page.locator("#yb-qr svg").count() == 0 and "复制链接" in page.inner_text("#yb-qr")


def test_year_print_fits_one_a4_page(calc, site_url):
    page = calc
    request = outpatient_year(["300", "120", "80"])
    request["visits"] += [
        {
            "date": "2026-06-02",
            "care": "inpatient",
            "facility": "municipal",
            "costs": {"total": "18000", "class_b": "2000"},
        },
        {"date": "2026-09-15", "care": "inpatient", "facility": "district", "costs": {"total": "6000"}},
        {"date": "2026-11-20", "care": "outpatient", "facility": "district", "costs": {"total": "260"}},
    ]
    load(page, site_url + "calculator/#" + year_fragment(request))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert len(year_rows(page)) == 6
    page.click("#yb-qr-btn")
    page.wait_for_selector("#yb-qr svg")
    page.emulate_media(media="print")
    try:
        assert not page.is_visible("#yb-calc form") and page.is_visible("#yb-result .yb-visit-table")
        assert "全年 6 次就医" in page.inner_text("#yb-print-meta")
        pages = pdf_pages(page)
        assert pages == 1, f"a year of 6 visits prints on {pages} pages"
    finally:
        page.emulate_media(media="screen")


def test_year_kiosk_reset_clears_every_visit(calc, site_url):
    page = calc
    load(page, site_url + "calculator/?kiosk=1#" + year_fragment(outpatient_year(["300", "200", "100"])))
    page.wait_for_selector('#yb-result[data-state="done"]', timeout=BOOT_MS)
    assert page.locator("#yb-visits .yb-visit").count() == 3
    page.click("#yb-reset")
    assert not page.is_visible("#yb-visits") and page.locator("#yb-visits .yb-visit").count() == 0
    assert page.input_value("#yb-costs-total") == ""
    assert urlsplit(page.url).fragment == ""
    assert page.inner_text("#yb-add-visit") == "＋ 添加另一次就医（计算全年）"


def test_year_error_names_the_visit_and_keeps_the_others(calc, site_url):
    page = calc
    request = outpatient_year(["300", "200", "abc"])
    load(page, site_url + "calculator/#" + year_fragment(request, current=0))
    page.wait_for_selector('#yb-result[data-state="error"]', timeout=BOOT_MS)
    error = cpython("year", request)["error"]
    assert error["field"] == "visits[2].costs.total"
    # Said in the third visit's line; the visit in the form (the first) and the others are kept.
    assert page.inner_text("#yb-visit-2-err") == error["message"] and error["message"].startswith("第3次就医：")
    assert page.input_value("#yb-costs-total") == "300" and page.locator("#yb-visits .yb-visit").count() == 3
    # In the form, the error is beside the field too.
    page.click('button[aria-label="修改第3次就医"]')
    page.wait_for_selector("#yb-costs-total-err:not([hidden])")
    assert page.inner_text("#yb-costs-total-err") == error["message"]
    before = done_count(page)
    page.fill("#yb-costs-total", "100")
    settle(page, before)
    assert year_rows(page) == expected_rows(cpython("year", outpatient_year(["300", "200", "100"]))["result"])


def test_year_in_the_embed(calc, site_url):
    page = calc
    load(page, site_url + "embed/?policy=changchun-resident&care=outpatient&facility=district")
    before = done_count(page)
    page.fill("#yb-date", "2026-03-10")
    page.fill("#yb-costs-total", "300")
    settle(page, before)
    before = done_count(page)
    page.click("#yb-add-visit")
    page.fill("#yb-date", "2026-04-10")
    page.fill("#yb-costs-total", "300")
    settle(page, before)
    request = outpatient_year(["300", "300"])
    request["visits"][0]["date"], request["visits"][1]["date"] = "2026-03-10", "2026-04-10"
    assert year_rows(page) == expected_rows(cpython("year", request)["result"])
