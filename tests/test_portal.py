"""The portal: a strict MkDocs build from a clean copy, and every policy figure shown next to its source.

The build fixture copies mkdocs.yml and the hand-written docs (not the
generated pages) into a temporary directory, renders the pages from the
policy bundle there and runs `mkdocs build --strict`: what a fresh clone does.
"""

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

import build
from compiler import compile_policies

ROOT = build.ROOT
BUNDLE = compile_policies(ROOT / "policies")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("portal")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("regions", "documents", "__pycache__"))
    build.render_pages(BUNDLE, root=root)
    build.run_mkdocs(strict=True, root=root)  # exits (fails the test) on any warning
    return root


def figures(obj, cite=None, path=()):
    """(path, decimal text, cite) for every number in a policy structure; cite = nearest mapping's."""
    if isinstance(obj, dict):
        cite = obj.get("cite", cite)
        for key, value in obj.items():
            if key != "cite":
                yield from figures(value, cite, path + (key,))
    elif isinstance(obj, list):
        for i, value in enumerate(obj):
            yield from figures(value, cite, path + (i,))
    elif isinstance(obj, str) and NUMBER.match(obj):
        yield path, obj, cite


def policy_figures(policy):
    for v in policy["versions"]:
        yield from figures(v["care"], path=("care", v["from"] or "undated"))
    for part in ("remote", "lists"):
        if policy.get(part):
            yield from figures(policy[part], path=(part,))


def page_md(policy_id: str) -> str:
    if policy_id == "national":
        return "regions/national.md"
    p = BUNDLE["policies"][policy_id]
    return f"regions/{p['region']}/{p['scheme']}.md"


def html_path(site: Path, md: str) -> Path:
    stem = md[:-3]
    return site / (stem[:-5] if stem.endswith("index") else stem + "/") / "index.html"


PAGES = [*BUNDLE["policies"], "national"]


@pytest.mark.parametrize("policy_id", PAGES)
def test_every_figure_is_next_to_a_link_to_its_clause(clean_build, policy_id):
    md = page_md(policy_id)
    lines = (clean_build / "docs" / md).read_text(encoding="utf-8").splitlines()
    found = (
        policy_figures(BUNDLE["policies"][policy_id])
        if policy_id != "national"
        else figures(BUNDLE["national"], path=("national",))
    )
    missing = []
    count = 0
    for path, value, cite in found:
        count += 1
        assert cite, f"{policy_id}: figure {value} at {path} has no citation in the data"
        doc, _, clause = cite.partition("/")
        mark = f'data-v="{value}"'
        link = f'/documents/{doc}/#{clause}"'
        if not any(mark in line and link in line for line in lines):
            missing.append(f"{'.'.join(map(str, path))} = {value} ({cite})")
    assert count, f"{policy_id}: no figures found in the data"
    assert not missing, f"{md}: figures without their source link:\n" + "\n".join(missing)


def test_citation_links_reach_the_clause(clean_build):
    """Every 出处 link on a generated page points at an existing document page and clause anchor."""
    site = clean_build / "site"
    ids_cache = {}
    checked = 0
    for page in (site / "regions").rglob("index.html"):
        text = page.read_text(encoding="utf-8")
        base = "http://x/" + page.parent.relative_to(site).as_posix() + "/"
        for href in re.findall(r'<a class="cite" href="([^"]+)"', text):
            url = urlparse(urljoin(base, html.unescape(href)))
            target = site / url.path.lstrip("/") / "index.html"
            assert target.exists(), f"{page}: broken source link {href}"
            if target not in ids_cache:
                ids_cache[target] = set(re.findall(r'id="([^"]+)"', target.read_text(encoding="utf-8")))
            assert url.fragment in ids_cache[target], f"{page}: no clause #{url.fragment} in {target}"
            checked += 1
    assert checked > 50


def test_unknowns_say_the_source_is_silent(clean_build):
    """A null figure with a note shows 来源未规定 and the note on its page."""

    def nulls(obj):
        if isinstance(obj, dict):
            for key, value in obj.items():
                if value is None and obj.get("note") and key in ("value", "fund_rate", "amount"):
                    yield obj["note"]
                yield from nulls(value)
        elif isinstance(obj, list):
            for value in obj:
                yield from nulls(value)

    seen = 0
    for pid, policy in BUNDLE["policies"].items():
        text = (clean_build / "docs" / page_md(pid)).read_text(encoding="utf-8")
        for v in policy["versions"]:
            for note in nulls(v["care"]):
                assert f"来源未规定：{html.escape(note)}" in text, f"{pid}: unknown not shown: {note}"
                seen += 1
    assert seen


def test_version_history_lists_every_version(clean_build):
    for pid, policy in BUNDLE["policies"].items():
        text = (clean_build / "docs" / page_md(pid)).read_text(encoding="utf-8")
        history = text.split("## 历次调整", 1)[1]
        for v in policy["versions"]:
            title = f"{v['from']} 起" if v["from"] else "起始日期未载明"
            assert f"### {title}" in history, f"{pid}: version {title} missing"
            assert html.escape(v["summary"].strip()) in history


def test_document_pages(clean_build):
    site = clean_build / "site"
    index = (site / "documents" / "index.html").read_text(encoding="utf-8")
    for doc_id, doc in BUNDLE["documents"].items():
        text = (site / "documents" / doc_id / "index.html").read_text(encoding="utf-8")
        assert html.escape(doc["issuer"] or "来源未载明") in text
        assert html.escape(doc["number"] or "来源未载明") in text
        for clause in doc["clauses"]:
            assert f'id="{clause}"' in text, f"{doc_id}: clause {clause} has no anchor"
        for other in doc["superseded_by"] + doc["supersedes"]:
            assert f'href="../{other}/"' in text
        for pid in doc["cited_by"]:
            if pid in BUNDLE["policies"]:
                assert BUNDLE["policies"][pid]["name"] in text
        assert re.search(f'href="(\\.\\./documents/)?{re.escape(doc_id)}/"', index), f"{doc_id} not in the index"


def test_home_page_reaches_every_scheme_in_one_click(clean_build):
    text = (clean_build / "site" / "index.html").read_text(encoding="utf-8")
    for pid, policy in BUNDLE["policies"].items():
        assert f'href="regions/{policy["region"]}/{policy["scheme"]}/"' in text, pid
    assert 'href="calculator/"' in text


def test_pages_are_chinese_private_and_have_table_headers(clean_build):
    third_party = re.compile(r'<(script|link|img|iframe|source|audio|video)\b[^>]*\b(src|href)="(https?:)?//', re.I)
    pages = list((clean_build / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if "<html" not in text:
            continue
        assert re.search(r'<html[^>]* lang="zh(-CN)?"', text), f"{page}: lang is not zh"
        match = third_party.search(text)
        assert not match, f"{page}: third-party request {match.group(0)}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text
        for table in re.findall(r"<table>.*?</table>", text, re.S):
            assert "<th" in table, f"{page}: table without headers"
    for page in (clean_build / "site" / "regions").rglob("index.html"):
        for table in re.findall(r"<table>.*?</table>", page.read_text(encoding="utf-8"), re.S):
            assert "<caption>" in table, f"{page}: table without caption"


def test_no_tracking_plugins():
    config = build._portal().load_config(ROOT / "mkdocs.yml")
    assert config["theme"]["font"] is False
    assert config["theme"]["language"] == "zh"
    names = {p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])}
    assert names <= {"search"}, f"plugins beyond search (social cards, analytics...): {names}"
    assert not {"analytics", "consent", "social"} & set(config.get("extra") or {})
    assert "navigation.prune" in config["theme"]["features"]


def test_search_maps_traditional_characters(clean_build):
    """t2s.js covers the traditional forms of the index's characters (the browser test runs the queries)."""
    text = (clean_build / "site" / "assets" / "javascripts" / "workers" / "t2s.js").read_text(encoding="utf-8")
    pairs = json.loads(text.split("self.T2S = ", 1)[1])
    mapping = dict(zip(pairs[::2], pairs[1::2]))
    for simplified, traditional in [("起付线", "起付線"), ("异地就医", "異地就醫"), ("门诊统筹", "門診統籌")]:
        assert "".join(mapping.get(c, c) for c in traditional) == simplified
    html_text = (clean_build / "site" / "index.html").read_text(encoding="utf-8")
    assert "workers/search-zh.js?" in html_text


def test_worked_example_matches_the_calculator(clean_build):
    """The 甲/乙/丙 guide's example is computed from the data; the estimator must agree."""
    from decimal import Decimal

    import calculator

    example = build._portal().EXAMPLE
    result = calculator.estimate(
        {
            "policy": example["policy"],
            "care": "inpatient",
            "facility": example["facility"],
            "costs": {k: example[k] for k in ("total", "class_b", "self_pay")},
        }
    )
    text = (clean_build / "docs" / "regions" / "_example.md").read_text(encoding="utf-8")
    fund, you = (f"{Decimal(result[k]):,.2f} 元" for k in ("fund_pays", "patient_pays"))
    assert f"医保统筹基金支付 **{fund}**，个人支付 **{you}**" in text
