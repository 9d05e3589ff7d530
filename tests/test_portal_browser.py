"""The portal in Debian's Chromium.

Chinese search (simplified and traditional, figure words first, loaded only when used), privacy,
accessibility, phone layout (no sideways scrolling, stacked tables) and the site-wide 长辈模式.
"""

from urllib.parse import quote, unquote, urlparse

import pytest

pytestmark = pytest.mark.browser

# (simplified, traditional, a page the query must find)
SEARCHES = [
    ("起付线", "起付線", "regions/changchun/employee/"),
    ("异地就医", "異地就醫", "guides/remote-care/"),
    ("门诊统筹", "門診統籌", "guides/outpatient-pooling/"),
    ("门诊慢特病", "門診慢特病", "guides/chronic-diseases/"),
    ("乙类", "乙類", "guides/drug-classes/"),
]
PAGES = ["", "regions/changchun/employee/", "documents/cc-2010/", "guides/remote-care/"]


# Keep every result message of the search worker: the UI renders results in batches as the
# list scrolls, the message holds them all.
RECORD_RESULTS = """
window.__searchResults = [];
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener("message", e => {
      if (e.data && e.data.type === 3) window.__searchResults.push(e.data.data);
    });
  }
};
"""


def search(page, base: str, query: str) -> tuple[str, list]:
    """Run a query through Material's search (deep link ?q=): the summary shown and the result pages in order."""
    page.add_init_script(RECORD_RESULTS)
    page.goto(base + "?q=" + quote(query))
    page.wait_for_function("() => window.__searchResults.length > 0", timeout=60000)
    page.wait_for_function("() => /\\d|没有/.test(document.querySelector('.md-search-result__meta').textContent)")
    result = page.evaluate("() => window.__searchResults[window.__searchResults.length - 1]")
    pages = [
        unquote(urlparse(base + group[0]["location"]).path)[len(urlparse(base).path) :].split("#")[0]
        for group in result["items"]
    ]
    meta = page.locator(".md-search-result__meta").inner_text()
    assert str(len(pages)) in meta or not pages, f"{query}: shown {meta!r}, {len(pages)} results"
    if pages:  # the first result is on screen
        first = page.locator(".md-search-result__item > a.md-search-result__link").first.get_attribute("href")
        assert unquote(urlparse(first).path).endswith("/" + pages[0]) or pages[0] == ""
    return meta, pages


@pytest.mark.parametrize("simplified,traditional,expected", SEARCHES)
def test_search_finds_the_same_pages_in_both_scripts(page, site_url, simplified, traditional, expected):
    meta_s, pages_s = search(page, site_url, simplified)
    meta_t, pages_t = search(page, site_url, traditional)
    assert expected in pages_s, f"{simplified}: {pages_s}"
    assert pages_s == pages_t and meta_s == meta_t, f"{simplified} vs {traditional}"


def test_every_request_is_same_origin(page, site_url):
    origin = urlparse(site_url).netloc
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
    for path in PAGES:
        page.goto(site_url + path, wait_until="networkidle")
    foreign = [u for u in requests if urlparse(u).scheme not in ("data", "blob") and urlparse(u).netloc != origin]
    assert requests and not foreign, foreign
    assert not failures, failures


@pytest.mark.parametrize("path", PAGES + ["regions/national/", "documents/", "guides/drug-classes/"])
def test_no_serious_accessibility_violations(page, site_url, path):
    from axe_playwright_python.sync_playwright import Axe  # axe-core ships inside the package

    page.goto(site_url + path, wait_until="networkidle")
    result = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def is_scheme_page(path: str) -> bool:
    parts = path.strip("/").split("/")
    return len(parts) == 3 and parts[0] == "regions" and parts[2] != "index"


@pytest.mark.parametrize("query", ["起付线", "报销比例", "封顶线"])
def test_a_figure_word_finds_the_scheme_pages_first(page, site_url, query):
    _, pages = search(page, site_url, query)
    assert pages and is_scheme_page(pages[0]), f"{query}: {pages[:5]}"


def test_search_index_is_fetched_only_when_search_is_used(page, site_url):
    requested = []
    page.on("request", lambda r: requested.append(urlparse(r.url).path))
    page.goto(site_url + "regions/changchun/employee/", wait_until="networkidle")
    assert not [p for p in requested if p.endswith("search_index.json") or "/workers/" in p], requested
    page.locator("[data-md-component=search-query]").click()
    # Search is ready before the text comes, and the text comes without a key (pasted): still searched.
    page.wait_for_function(
        "() => /键入/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=60000
    )
    page.locator("[data-md-component=search-query]").fill("起付线")
    page.wait_for_function(
        "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=60000
    )
    assert any(p.endswith("search/search_index.json") for p in requested)


def portal_pages(site_dir) -> list[str]:
    """Every page of the portal (not the calculator and embed pages, which their own tests cover)."""
    out = []
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.parent.relative_to(site_dir).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel.split("/")[0] in ("calculator", "embed", "pyodide", "bench", "documents") and rel != "documents/":
            continue
        out.append(rel)
    return out + ["documents/cc-2010/", "documents/nhsa-2024-19/", "404.html"]


# How far the page, or any table's scroll box, is wider than the screen (a table that only scrolls
# inside its box hides its last columns, 出处 included).
SIDEWAYS = """() => Math.max(
  document.documentElement.scrollWidth - document.documentElement.clientWidth,
  ...[...document.querySelectorAll('.md-typeset__scrollwrap')].map(w => w.scrollWidth - w.clientWidth))"""


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
def test_no_portal_page_scrolls_sideways_on_a_phone(browser, site_url, site_dir, elder):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=1)
    if elder:
        context.add_init_script("localStorage.setItem('yb-elder', '1')")
    pg = context.new_page()
    wide = []
    try:
        for path in portal_pages(site_dir):
            pg.goto(site_url + path, wait_until="load")
            if elder:
                assert pg.evaluate("() => document.documentElement.classList.contains('yb-elder')"), path
            overflow = pg.evaluate(SIDEWAYS)
            if overflow > 0:
                wide.append(f"/{path}: {overflow}px")
    finally:
        context.close()
    assert len(portal_pages(site_dir)) > 20
    assert not wide, wide


def test_tables_stack_on_a_phone_with_the_source_on_screen(browser, site_url):
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    pg = context.new_page()
    try:
        pg.goto(site_url + "regions/changchun/employee/", wait_until="load")
        boxes = pg.eval_on_selector_all(
            ".yb-table a.cite", "els => els.map(a => { const r = a.getBoundingClientRect(); return r.right })"
        )
    finally:
        context.close()
    assert boxes and max(boxes) <= 360


ELDER_STATE = "() => [document.documentElement.classList.contains('yb-elder'), localStorage.getItem('yb-elder')]"


def test_elder_mode_on_every_page_and_never_kept_in_kiosk(page, site_url):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url, wait_until="load")
    switch = page.locator(".yb-elder-switch")
    assert switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert page.evaluate(ELDER_STATE) == [True, "1"]
    assert switch.get_attribute("aria-pressed") == "true"
    for path in ("regions/changchun/employee/", "guides/glossary/", "documents/"):
        page.goto(site_url + path, wait_until="load")
        assert page.evaluate(ELDER_STATE)[0], path  # one switch, the whole site
        for target in page.locator(".yb-elder-switch, .md-header__button:visible").all():
            box = target.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44, (path, box)
    # a shared kiosk: the choice is dropped for the next visitor and never stored
    page.goto(site_url + "regions/?kiosk", wait_until="load")
    assert page.evaluate(ELDER_STATE) == [False, None]
    page.locator(".yb-elder-switch").click()
    assert page.evaluate(ELDER_STATE) == [True, None]
    page.goto(site_url + "regions/", wait_until="load")
    assert page.evaluate(ELDER_STATE) == [False, None]
