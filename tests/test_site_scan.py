"""A scan of the whole built site, as a resident would read it.

Every HTML page: no internal id (policy, facility, member, care, topic or
document ids), no English word in the visible text (a short explicit list of
names excepted), no doubled region name (北京市北京市), no 「。）」, no
amount of money without thousands separators, no `some_key：` label, and no
dead link inside the site. The calculator page's links are also collected
after its JavaScript has run (Chromium).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from compiler import compile_policies

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = compile_policies(ROOT / "policies")

# Names that are English in Chinese text too.
ALLOWED_WORDS = {"App", "APP", "JavaScript", "MB"}
# Pages for site operators and editors, not residents: web-server configuration and the policy
# files' keys are English by nature.
OPERATOR_PAGES = {"embed/guide/index.html", "editing/index.html"}

HIDDEN = re.compile(r"<(script|style|svg|pre|code|template|noscript)\b.*?</\1>", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
INLINE_TAG = re.compile(r"</?(?:a|span|strong|em|b|i|abbr|small|sup|sub)\b[^>]*>", re.I)
ENGLISH = re.compile(r"(?<![A-Za-z0-9_./#=-])[A-Za-z][A-Za-z]+(?:[_-][A-Za-z0-9]+)*")
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8}(?:省|市|县|区|自治区))\1")
UNGROUPED_MONEY = re.compile(r"(?<![\d,.])\d{4,}(?:\.\d+)?\s*(?:元|万元)")
KEY_LABEL = re.compile(r"\b[a-z]+(?:_[a-z]+)+\s*[：:]")


def internal_ids() -> set[str]:
    ids = set(BUNDLE["policies"]) | set(BUNDLE["documents"])
    for p in BUNDLE["policies"].values():
        ids |= {k for k in p.get("facilities", {}) if "_" in k or len(k) > 5}
        ids |= {m["id"] for m in p.get("members", []) if "_" in m["id"]}
        for v in p["versions"]:
            ids |= {c for c in v["care"] if "_" in c}
    for d in BUNDLE["documents"].values():
        ids |= {t for t in d.get("topics") or [] if "_" in t}
    return ids


IDS = internal_ids()


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pyodide" not in p.parts and "bench" not in p.parts)


def visible_text(page: str) -> str:
    """The text a resident sees: the page without scripts, code, tags and attribute values."""
    return html.unescape(TAG.sub(" ", INLINE_TAG.sub("", HIDDEN.sub(" ", page))))


def problems(rel: str, text: str) -> list[str]:
    found = []
    words = {w for w in ENGLISH.findall(text)} - ALLOWED_WORDS
    if words and rel not in OPERATOR_PAGES:
        found.append(f"English words {sorted(words)[:12]}")
    ids = {i for i in IDS if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)}
    if ids:
        found.append(f"internal ids {sorted(ids)}")
    if "。）" in text:
        found.append("「。）」 " + text[max(0, text.index("。）") - 30) : text.index("。）") + 2])
    doubled = DOUBLED.search(text)
    if doubled:
        found.append(f"doubled region name {doubled.group(0)}")
    money = UNGROUPED_MONEY.findall(text)
    if money:
        found.append(f"amounts without thousands separators {money[:5]}")
    keys = KEY_LABEL.findall(text)
    if keys and rel not in OPERATOR_PAGES:
        found.append(f"data keys shown as labels {keys[:5]}")
    return found


def test_no_ids_english_doubled_names_or_stray_punctuation(site_dir):
    report = []
    for path in pages(site_dir):
        rel = path.relative_to(site_dir).as_posix()
        for problem in problems(rel, visible_text(path.read_text(encoding="utf-8"))):
            report.append(f"{rel}: {problem}")
    assert len(pages(site_dir)) > 40
    assert not report, "\n".join(report)


def test_the_scan_catches_what_it_looks_for():
    """The checks themselves: each kind of mistake is reported."""
    samples = {
        "政策编号 changchun-employee。": "internal ids",
        "适用机构 provincial": "English",
        "北京市北京市的规定": "doubled",
        "广西壮族自治区广西壮族自治区": "doubled",
        "（按落款日期起算。）": "。）",
        "unfiled_note：没有备案": "data keys",
        "起付线 1950元": "thousands",
    }
    for text, kind in samples.items():
        assert any(kind in p for p in problems("x/index.html", text)), text
    assert not problems("x/index.html", "用手机上的国家医保服务平台 App 办理，起付线 1,000 元。")


def _target(site: Path, url) -> Path | None:
    path = unquote(url.path).lstrip("/")
    candidates = [site / path] if path and not path.endswith("/") else []
    candidates.append(site / path / "index.html")
    return next((c for c in candidates if c.is_file()), None)


def _ids(cache: dict, path: Path) -> set:
    if path not in cache:
        text = path.read_text(encoding="utf-8", errors="replace")
        cache[path] = set(re.findall(r'\bid="([^"]+)"', text))
    return cache[path]


def dead_links(site: Path, page: Path, hrefs: list[str], cache: dict) -> list[str]:
    base = "http://site/" + page.relative_to(site).as_posix()
    dead = []
    for href in hrefs:
        href = html.unescape(href)
        if href.startswith(("mailto:", "tel:", "javascript:", "data:", "blob:")):
            continue
        url = urlparse(urljoin(base, href))
        if url.netloc != "site":
            continue
        target = _target(site, url)
        if target is None:
            dead.append(href)
        elif url.fragment and target.suffix == ".html" and url.fragment not in _ids(cache, target):
            # fragments are checked on pages only; a calculator state (#p=…) is not an id
            if "=" not in url.fragment and not url.fragment.startswith("__"):
                dead.append(href)
    return dead


def test_no_dead_links_inside_the_site(site_dir):
    cache: dict = {}
    report = []
    checked = 0
    for page in pages(site_dir):
        text = page.read_text(encoding="utf-8")
        hrefs = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', text)
        checked += len(hrefs)
        report += [f"{page.relative_to(site_dir)}: {h}" for h in dead_links(site_dir, page, hrefs, cache)]
    assert checked > 500
    assert not report, "\n".join(report)


def test_dead_links_are_caught(site_dir):
    page = site_dir / "guides" / "remote-care" / "index.html"
    assert dead_links(site_dir, page, ["../calculator/"], {}) == ["../calculator/"]
    assert dead_links(site_dir, page, ["../../calculator/", "../glossary/#deductible"], {}) == []
    assert dead_links(site_dir, page, ["../glossary/#no-such-term"], {}) == ["../glossary/#no-such-term"]


@pytest.mark.browser
def test_links_written_by_javascript_on_the_calculator_page(page, site_url, site_dir):
    """Whatever anchors the calculator's scripts put on the page lead somewhere that exists."""
    page.goto(site_url + "calculator/", wait_until="domcontentloaded")
    page.wait_for_selector("form", timeout=60000)
    page.wait_for_load_state("networkidle", timeout=120000)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))")
    texts = visible_text(page.content())
    assert hrefs
    dead = dead_links(site_dir, site_dir / "calculator" / "index.html", hrefs, {})
    assert not dead, dead
    assert not [p for p in problems("calculator/index.html", texts) if "internal ids" in p or "。）" in p]
