"""The portal in Debian's Chromium: Chinese search (simplified and traditional), privacy, accessibility."""

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
