"""Every city (issue 16) in Debian's Chromium: the region picker in a 340-region site, the last
choice remembered, two regions used and estimated offline, search offline after a visit.

The 340-region site is the built site/ copied into a temporary directory with its policy data
replaced by that of tests/synthetic.py's corpus (the real build's compile and split: the pages
the calculator reads are the same, so MkDocs need not build 1,000 more pages for these tests);
one copy serves every test here that needs it.
"""

import json
import shutil
import threading

import pytest
from pypinyin import lazy_pinyin
from synthetic import region_names, write_corpus

from compiler import compile_policies
from sitebuild import POLICY_READINGS, bundles

# One worker runs this module (pytest-xdist --dist loadgroup): its costly module fixture is made once.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("test_regions_browser")]

BOOT_MS = 120_000
REGIONS = 340
# How many files of the offline copy (the one cache) have this in their URL.
CACHED = """async (part) => {
  const names = await caches.keys();
  if (names.length !== 1) return 0;
  return (await (await caches.open(names[0])).keys()).filter((r) => r.url.includes(part)).length;
}"""


@pytest.fixture(scope="session")
def big_site(site_dir, tmp_path_factory):
    """Base URL of the site with 340 regions' data (and the corpus's bundle)."""
    from sitebuild.server import make_server

    tmp = tmp_path_factory.mktemp("big")
    write_corpus(tmp / "policies", REGIONS)
    bundle = compile_policies(tmp / "policies", POLICY_READINGS)
    site = tmp / "site"
    shutil.copytree(site_dir, site, ignore=shutil.ignore_patterns("*.br", "*.gz"))
    index = json.loads((site / "data" / "index.json").read_text(encoding="utf-8"))
    bundles.write(bundle, site / "data", index["version"])
    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/", bundle
    server.shutdown()
    server.server_close()


def wait_estimate(page) -> None:
    page.wait_for_selector('#yb-calc[data-engine="ready"]', timeout=BOOT_MS)
    page.wait_for_function(
        """() => { const r = document.getElementById('yb-calc');
            return !r.dataset.pending && Number(r.dataset.done || 0) === Number(r.dataset.seq || 0)
              && document.getElementById('yb-result').dataset.state === 'done'; }""",
        timeout=BOOT_MS,
    )


def pick_by_typing(page, typed: str, name: str) -> None:
    """Type into the search box, check the region is offered, choose it with the keyboard."""
    page.fill("#yb-find", typed)
    option = page.locator("#yb-find-list [role=option]", has_text=name).first
    option.wait_for()
    assert page.get_attribute("#yb-find", "aria-expanded") == "true"
    for _ in range(page.locator("#yb-find-list [role=option]").count()):
        active = page.get_attribute("#yb-find", "aria-activedescendant")
        if active and name in page.inner_text(f"#{active}"):
            break
        page.press("#yb-find", "ArrowDown")
    page.press("#yb-find", "Enter")
    assert page.get_attribute("#yb-find", "aria-expanded") == "false"


def test_a_city_typed_in_hanzi_or_pinyin_gives_an_estimate(browser, big_site):
    base, bundle = big_site
    assert len(bundle["regions"]) == REGIONS
    (rid_a, name_a, _), (rid_b, name_b, _) = region_names(300)[123], region_names(300)[287]
    context = browser.new_context(locale="zh-CN", service_workers="block", viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(base + "calculator/")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=60_000)
        # Province then city: the selects hold every province and that province's cities.
        provinces = page.locator("#yb-province option").all_inner_texts()
        assert len(provinces) == len({r["province"] for r in bundle["regions"].values()})
        for typed, rid, name in [(name_a[:2], rid_a, name_a), ("".join(lazy_pinyin(name_b[:2])), rid_b, name_b)]:
            pick_by_typing(page, typed, name)
            page.wait_for_function(
                "(rid) => document.getElementById('yb-region').value === rid"
                " && !document.getElementById('yb-calc').dataset.pending",
                arg=rid,
                timeout=60_000,
            )
            assert page.input_value("#yb-policy").startswith(rid + "-")
            page.fill("#yb-costs-total", "20000")
            wait_estimate(page)
            assert page.inner_text("#yb-fund-pays").endswith("元")
            assert f"p={rid}-" in page.evaluate("() => location.hash")
        # Initials find a city too, and the width of a small phone holds the picker.
        page.fill("#yb-find", "".join(w[0] for w in lazy_pinyin(name_a[:2])))
        page.locator("#yb-find-list [role=option]", has_text=name_a).first.wait_for()
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        # Only the index and the regions chosen were downloaded, never the others' files.
        fetched = page.evaluate(
            "() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/data/regions/'))"
        )
        assert len(fetched) <= 3 and all(rid_a in u or rid_b in u or "changchun" in u for u in fetched), fetched
    finally:
        context.close()


def test_the_last_choice_is_remembered_but_not_in_kiosk_mode(browser, site_url):
    context = browser.new_context(locale="zh-CN", service_workers="block")
    page = context.new_page()
    try:
        page.goto(site_url + "calculator/")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=60_000)
        pick_by_typing(page, "北京", "北京市")
        page.wait_for_function("() => document.getElementById('yb-policy').value === 'beijing-resident'")
        page.wait_for_function("() => localStorage.getItem('yb-policy') === 'beijing-resident'")
        page.goto("about:blank")
        page.goto(site_url + "calculator/")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=60_000)
        assert page.input_value("#yb-policy") == "beijing-resident"
        # A kiosk neither uses nor keeps it, and its reset forgets what was kept.
        page.goto("about:blank")
        page.goto(site_url + "calculator/?kiosk")
        page.wait_for_selector("#yb-calc[data-form-ready]", timeout=60_000)
        assert page.input_value("#yb-policy") != "beijing-resident"
        pick_by_typing(page, "zhenjiang", "镇江市")
        page.wait_for_function("() => document.getElementById('yb-policy').value.startsWith('zhenjiang-')")
        assert page.evaluate("() => localStorage.getItem('yb-policy')") == "beijing-resident"
        page.click("#yb-reset")
        page.wait_for_function("() => localStorage.getItem('yb-policy') === null")
    finally:
        context.close()


def test_a_visitor_who_used_two_regions_can_estimate_both_offline(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000")
        wait_estimate(page)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        page.wait_for_selector("#yb-calc[data-offline]", timeout=60_000)
        pick_by_typing(page, "bj", "北京市")
        wait_estimate(page)
        beijing = page.inner_text("#yb-result")
        page.wait_for_function(f"async () => (await ({CACHED})('/data/regions/')) >= 2", timeout=60_000)
        context.set_offline(True)
        page.goto("about:blank")
        page.goto(site_url + "calculator/#p=changchun-employee&c=inpatient&f=provincial&t=20000")
        wait_estimate(page)
        assert "元" in page.inner_text("#yb-result")
        pick_by_typing(page, "北京", "北京市")
        wait_estimate(page)
        assert page.inner_text("#yb-result") == beijing
        # A region never used is not there offline: the page says so instead of failing silently.
        pick_by_typing(page, "镇江", "镇江市")
        page.wait_for_selector("#yb-status.yb-status-bad", timeout=30_000)
        assert "用过的地区断网后也能使用" in page.inner_text("#yb-status")
    finally:
        context.set_offline(False)
        context.close()


def test_search_works_offline_after_a_visit(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()

    def results() -> tuple[str, list[str]]:
        """起付线 searched on the Changchun page (a search link, ?q=): what is shown, and the links."""
        page.goto("about:blank")
        page.goto(site_url + "regions/changchun/employee/?q=%E8%B5%B7%E4%BB%98%E7%BA%BF")
        page.wait_for_function(
            "() => /\\d/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=60_000
        )
        links = page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
            "(as) => as.map(a => new URL(a.href).pathname)"
        )
        return page.inner_text(".md-search-result__meta"), links

    try:
        page.goto(site_url + "calculator/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=BOOT_MS)
        online = results()
        page.wait_for_function(f"async () => (await ({CACHED})('/search/')) >= 3", timeout=30_000)
        context.set_offline(True)
        assert results() == online
    finally:
        context.set_offline(False)
        context.close()
