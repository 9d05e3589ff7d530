"""What the page adds to a result, as a resident sees it at 390 and 320 px (issue 18): no disease
chosen for the resident, the rate tile filled, the next step last, the dated line once, 长辈模式's
header and switch, and a kiosk reset that drops the previous visitor's answer.

What the engine returns is checked in tests/test_consistency.py; these tests check the page.
One booted page is shared; each test sets its width.
"""

import pytest

import calculator

# One worker runs this module (pytest-xdist --dist loadgroup): its costly module fixture is made once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_results_browser")]

BOOT_MS = 120_000
WIDTHS = (390, 320)
# Counts the worker's answers (messages with an id), one task after the page has handled each.
COUNT_ANSWERS = """(() => {
  const Real = window.Worker;
  window.ybAnswers = 0;
  window.Worker = function (...args) {
    const w = new Real(...args);
    w.addEventListener("message", (e) => {
      if (e.data && e.data.id !== undefined) setTimeout(() => { window.ybAnswers += 1; }, 0);
    });
    return w;
  };
  window.Worker.prototype = Real.prototype;
})();"""


@pytest.fixture(scope="module")
def shown(warm, site_url, site_bundle):
    """One calculator page of the returning visitor's context (conftest.warm), which counts the
    worker's answers; CPython reads the bundle the page gets."""
    calculator.load_bundle(site_bundle.read_text(encoding="utf-8"))
    page = warm.new_page()
    page.add_init_script(COUNT_ANSWERS)
    page.base = site_url
    yield page
    page.close()


def open_page(page, width: int, fragment: str, query: str = "") -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("about:blank")
    page.goto(f"{page.base}calculator/{query}#{fragment}")
    page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)


def settled(page, panel: str = "#yb-result") -> None:
    page.wait_for_selector(f'{panel}[data-state="done"], {panel}[data-state="error"]', timeout=BOOT_MS)
    page.wait_for_function(
        """() => { const r = document.getElementById('yb-calc');
            return Number(r.dataset.done || 0) === Number(r.dataset.seq || 0) && !r.dataset.pending; }""",
        timeout=BOOT_MS,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_no_disease_is_chosen_for_the_resident(shown, width):
    """Xiaogan's payment by disease: the form asks which disease; it never picks the first one."""
    page = shown
    open_page(page, width, "p=xiaogan-basic&c=single_disease&f=grade2_general&d=2026-03-01&t=5000")
    settled(page)
    assert page.input_value("#yb-item") == ""
    assert page.locator("#yb-item option").first.inner_text() == "请选择病种"
    assert page.inner_text("#yb-item-err").startswith("请选择病种")
    assert "结节性甲状腺肿" not in page.inner_text("#yb-result")
    # Chosen, it is estimated.
    page.select_option("#yb-item", "appendicitis")
    page.wait_for_function("() => document.getElementById('yb-result').innerText.includes('急性单纯性阑尾炎')")
    settled(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_rate_tile_shows_the_engines_rate(shown, width):
    page = shown
    request = {
        "policy": "zhongshan-outpatient",
        "date": "2026-03-01",
        "care": "outpatient",
        "facility": "village_station",
        "costs": {"total": "200"},
    }
    open_page(page, width, "p=zhongshan-outpatient&c=outpatient&f=village_station&d=2026-03-01&t=200")
    settled(page)
    rate = calculator.estimate(request)["effective_rate"]
    assert rate and page.inner_text("#yb-rate") == rate
    box = page.locator("#yb-rate").bounding_box()
    assert box and box["width"] > 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_result_is_dated_once_and_ends_with_the_next_step(shown, width):
    page = shown
    request = {
        "policy": "changchun-employee",
        "date": "2026-03-01",
        "care": "inpatient",
        "facility": "provincial",
        "costs": {"total": "20000", "class_b": "2000"},
    }
    expected = calculator.estimate(request)
    open_page(page, width, "p=changchun-employee&c=inpatient&f=provincial&d=2026-03-01&t=20000&b=2000")
    settled(page)
    text = page.inner_text("#yb-result")
    # One date for the rules, said once, in the engine's words.
    assert page.inner_text("#yb-dated") == expected["rules_note"]
    assert text.count(expected["rules_from"]) == 1 and "版本" not in page.inner_text("#yb-result .yb-context")
    assert page.inner_text("#yb-summary") == expected["summary"]
    last = page.evaluate("() => document.querySelector('#yb-result').lastElementChild.id")
    assert last == "yb-next"
    assert expected["next_step"]["label"] in page.inner_text("#yb-next")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # The checker too.
    check = calculator.check_remote(
        {
            "policy": "changchun-resident",
            "reason": "emergency",
            "visit_date": "2026-03-02",
            "today": "2026-03-02",
            "cross_province": True,
            "networked": True,
            "condition": "休克",
        }
    )
    open_page(page, width, "p=changchun-resident&v=remote&xr=emergency&xd=2026-03-02&xc=1&xn=yes&xk=休克")
    settled(page, "#yb-remote-result")
    assert page.get_attribute("#yb-verdict", "data-eligible") == "false"
    assert page.inner_text("#yb-remote-result").count(check["eligible_reason"]) == 1
    last = page.evaluate("() => document.querySelector('#yb-remote-result').lastElementChild.id")
    assert last == "yb-remote-next"
    assert check["next_step"]["label"] in page.inner_text("#yb-remote-next")


HEADER = """() => {
  const shown = (e) => { const s = getComputedStyle(e); const r = e.getBoundingClientRect();
    return s.visibility === 'visible' && Number(s.opacity) > 0 && r.width > 2 && r.height > 2; };
  // The theme cuts a long title with an ellipsis inside each topic.
  const topics = [...document.querySelectorAll('.md-header__topic')].filter(shown)
    .map((e) => e.querySelector('.md-ellipsis') || e).map((e) => [e.textContent.trim(), e.scrollWidth, e.clientWidth]);
  const hint = [...document.querySelectorAll('body *')].filter((e) => e.children.length === 0
    && e.textContent.includes('放大文字和按钮') && shown(e)).map((e) => e.className || e.tagName);
  return { topics, hint };
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_elder_header_has_no_cut_title_and_no_hint_over_the_page(shown, width):
    """长辈模式 turned on with the switch: the switch keeps focus; its hint must not stay over the
    result, and the header shows no title cut to "医…" (its two topics used to slide over each other)."""
    page = shown
    open_page(page, width, "p=changchun-employee&c=inpatient&f=provincial&d=2026-03-01&t=20000")
    settled(page)
    page.click(".yb-elder-switch")
    try:
        assert page.evaluate("() => document.documentElement.classList.contains('yb-elder')")
        page.hover("#yb-result")
        page.locator(".yb-elder-switch").focus()
        found = page.evaluate(HEADER)
        assert not found["hint"], found["hint"]
        assert all(scroll <= client + 1 for _, scroll, client in found["topics"]), found["topics"]
        page.evaluate("() => window.scrollTo(0, 600)")
        page.wait_for_function("() => window.scrollY > 0")
        found = page.evaluate(HEADER)
        assert all(scroll <= client + 1 for _, scroll, client in found["topics"]), found["topics"]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        # The hint is still read out to screen readers.
        described = page.get_attribute(".yb-elder-switch", "aria-describedby")
        assert "放大文字和按钮" in page.inner_text(f"#{described}")
    finally:
        page.evaluate("() => { document.documentElement.classList.remove('yb-elder'); localStorage.clear(); }")


@pytest.mark.parametrize("width", WIDTHS)
def test_kiosk_reset_drops_the_previous_visitors_answer(shown, width):
    """计算 and then 清空重来 before the answer comes: the answer, when it comes, is dropped, so the
    next visitor never sees the previous visitor's region."""
    page = shown
    open_page(page, width, "p=xiaogan-maternity&c=maternity&d=2026-03-01", "?kiosk=1")
    page.fill("#yb-costs-total", "6000")
    page.locator("#yb-costs-total").blur()  # the visitor tapped 计算: the field is left, its change handled
    settled(page)
    before = page.evaluate("() => window.ybAnswers")
    # The request leaves for the worker, then the reset, in one task: its answer always comes later.
    page.evaluate(
        """() => { document.querySelector('#yb-panel-estimate button[type=submit]').click();
                   document.getElementById('yb-reset').click(); }"""
    )
    page.wait_for_function("(n) => window.ybAnswers > n", arg=before, timeout=BOOT_MS)
    assert page.get_attribute("#yb-result", "data-state") != "done"
    assert "孝感" not in page.inner_text("#yb-result")
    assert page.is_hidden("#yb-compare")
    default = calculator.bundle()["catalog"]["default_policy"]
    assert page.input_value("#yb-policy") == default


SEGMENTS = """() => [...document.querySelectorAll('#yb-result .yb-seg')].map((s) => ({
  text: s.textContent, fits: s.scrollWidth <= s.clientWidth, cut: s.classList.contains('yb-seg-cut'),
  color: getComputedStyle(s).color }))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_label_too_wide_for_its_part_of_the_bar_is_hidden_not_cut(shown, width):
    """The result's bar labels a part of 15% or more; in large text (长辈模式, 特大) a label wider than
    its part is hidden (the legend below gives it), and one that fits is shown."""
    page = shown
    open_page(page, width, "p=changchun-employee&c=inpatient&f=provincial&t=20000")
    settled(page)
    normal = page.evaluate(SEGMENTS)
    assert [s["text"] for s in normal if s["text"]], "no part of the bar is labelled"
    assert all(s["fits"] != s["cut"] for s in normal), normal
    page.evaluate("() => document.documentElement.classList.add('yb-elder', 'yb-xlarge-text')")
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('#yb-result .yb-seg')]
                .every((s) => s.classList.contains('yb-seg-cut') === (s.scrollWidth > s.clientWidth))""",
            timeout=10_000,
        )
        large = page.evaluate(SEGMENTS)
        shown_labels = [s for s in large if s["text"] and not s["cut"]]
        assert all(s["fits"] for s in shown_labels), large
        assert all(s["color"] == "rgba(0, 0, 0, 0)" for s in large if s["cut"]), large
        if width == 320:  # 您自己支付 (19%) does not fit at 320 px in 特大 text
            assert any(s["cut"] for s in large), large
    finally:
        page.evaluate("() => document.documentElement.classList.remove('yb-elder', 'yb-xlarge-text')")
