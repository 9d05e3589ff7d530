"""The portal: a strict MkDocs build from a clean copy, and every policy figure shown next to its source.

The build fixture copies what a fresh clone has (mkdocs.yml, the hand-written
docs/, the portal package's templates and overrides) into a temporary
directory, renders the pages from the policy bundle into its build/docs/ and
runs `mkdocs build --strict` there. The build date is fixed (TODAY), so the
ages written on the pages do not depend on the day the tests run.
"""

import datetime as dt
import html
import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

import portal
from compiler import compile_policies
from portal import dating
from portal.figures import esc
from portal.policy_page import version_title
from sitebuild import CACHE_DIR, POLICY_READINGS, ROOT, dates, pipeline

BUNDLE = compile_policies(ROOT / "policies")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
TODAY = dt.date(2026, 6, 1)


# One worker runs this module (pytest-xdist --dist loadgroup) and clean_build is made once on it
# (session scope: a module fixture is made again whenever the worker comes back from another module).
pytestmark = pytest.mark.xdist_group("test_portal")


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> Path:
    root = _portal_root(tmp_path_factory, "portal")
    # exits (fails the test) on any MkDocs warning
    pipeline.run(pipeline.Build(root, bundle=BUNDLE, epoch=dates.epoch_of(TODAY)), pipeline.PORTAL)
    return root


def generated(root: Path, md: str) -> str:
    return (root / "build" / "docs" / md).read_text(encoding="utf-8")


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


def load_config() -> dict:
    """mkdocs.yml as data; python tags (the toc slugify function) are read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


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
    lines = generated(clean_build, md).splitlines()
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
        text = generated(clean_build, page_md(pid))
        for v in policy["versions"]:
            for note in nulls(v["care"]):
                assert f"来源未规定：{esc(note)}" in text, f"{pid}: unknown not shown: {note}"
                seen += 1
    assert seen


def test_version_history_lists_every_version(clean_build):
    for pid, policy in BUNDLE["policies"].items():
        text = generated(clean_build, page_md(pid))
        history = text.split("## 历次调整", 1)[1]
        for v in policy["versions"]:
            title = version_title(v)  # named as the results name the rules' date
            assert f"### {title}" in history, f"{pid}: version {title} missing"
            assert esc(v["summary"].strip()) in history


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
    config = load_config()
    assert config["theme"]["font"] is False
    assert config["theme"]["language"] == "zh"
    names = {p if isinstance(p, str) else next(iter(p)) for p in config.get("plugins", [])}
    assert not names, f"plugins (social cards, analytics, the theme's own search...): {names}"
    assert not {"analytics", "consent", "social"} & set(config.get("extra") or {})
    assert "navigation.prune" in config["theme"]["features"]
    # independent of the MkDocs plugin API (MkDocs 2 drops it): no hooks, no custom plugins
    assert "hooks" not in config
    assert config["docs_dir"] == "build/docs"


def test_search_maps_traditional_characters(clean_build):
    """t2s.js covers the traditional forms of the index's characters (the browser test runs the queries)."""
    text = (clean_build / "site" / "assets" / "javascripts" / "workers" / "t2s.js").read_text(encoding="utf-8")
    pairs = json.loads(text.split("self.T2S = ", 1)[1])
    mapping = dict(zip(pairs[::2], pairs[1::2], strict=True))
    for simplified, traditional in [("起付线", "起付線"), ("异地就医", "異地就醫"), ("门诊统筹", "門診統籌")]:
        assert "".join(mapping.get(c, c) for c in traditional) == simplified
    html_text = (clean_build / "site" / "index.html").read_text(encoding="utf-8")
    assert "workers/search-zh.js?" in html_text


def test_worked_example_matches_the_calculator(clean_build):
    """The 甲/乙/丙 guide's example is computed from the data; the estimator must agree."""
    from decimal import Decimal

    import calculator

    example = portal.EXAMPLE
    result = calculator.estimate(
        {
            "policy": example["policy"],
            "care": "inpatient",
            "facility": example["facility"],
            "date": calculator.bundle()["policies"][example["policy"]]["versions"][-1]["from"],  # as the page
            "costs": {k: example[k] for k in ("total", "class_b", "self_pay")},
        }
    )
    text = generated(clean_build, "regions/_example.md")
    fund, you = (f"{Decimal(result[k]):,.2f} 元" for k in ("fund_pays", "patient_pays"))
    assert f"医保统筹基金支付 **{fund}**，个人支付 **{you}**" in text


# --------------------------------------------------------------------------
# Layout: the generator is a package, docs/ holds hand-written pages only
# --------------------------------------------------------------------------


def test_docs_holds_only_hand_written_pages(clean_build):
    """The build writes nothing into docs/: generated pages live in build/docs/ only."""
    for root in (ROOT, clean_build):
        docs = root / "docs"
        assert not (docs / "regions").exists() and not (docs / "documents").exists()
        assert not (docs / "templates").exists()
        assert not list(docs.rglob("*.py")) and not list(docs.rglob("*.j2"))
    assert (clean_build / "build" / "docs" / "regions" / "index.md").exists()


def test_clean_removes_the_build_dir(tmp_path):
    """Another tree's clean removes its own build and cache, never this checkout's build cache
    (it once did: every build after it in the suite ran cold, a minute more)."""
    (tmp_path / "build" / "docs").mkdir(parents=True)
    (tmp_path / ".cache").mkdir()
    CACHE_DIR.mkdir(exist_ok=True)
    kept = CACHE_DIR / f"kept-by-another-trees-clean-{os.getpid()}"
    kept.write_text("x")
    try:
        pipeline.clean(tmp_path)
        assert kept.exists(), "cleaning another tree removed this checkout's build cache"
    finally:
        kept.unlink(missing_ok=True)
    assert not (tmp_path / "build").exists() and not (tmp_path / ".cache").exists()


def _portal_root(tmp_path_factory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for part in ("docs", "portal"):
        shutil.copytree(ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _pages(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_rebuild_renders_only_what_changed_and_equals_a_clean_build(clean_build, tmp_path_factory):
    """portal.incremental: after one document's text changes, MkDocs renders again only the pages
    whose Markdown changed (an untouched page keeps the time of the first build), and the site is
    byte for byte what a clean build of the changed data gives."""
    import copy

    changed = copy.deepcopy(BUNDLE)
    changed["documents"]["zs-zhongfu-36"]["summary"] = "改过的摘要：编辑改了一句话。"
    epoch = dates.epoch_of(TODAY)
    # The first build is the module's (copied with its files' times, which the rebuild compares).
    again = tmp_path_factory.mktemp("rebuilt") / "root"
    shutil.copytree(clean_build, again)
    built = again / "build" / "mkdocs-site"
    untouched = built / "regions" / "changchun" / "employee" / "index.html"
    page = built / "documents" / "zs-zhongfu-36" / "index.html"
    first_build = untouched.stat().st_mtime_ns, page.stat().st_mtime_ns
    pipeline.run(pipeline.Build(again, bundle=changed, epoch=epoch), pipeline.PORTAL)
    assert untouched.stat().st_mtime_ns == first_build[0]  # not rendered again
    assert page.stat().st_mtime_ns > first_build[1]  # rendered again
    assert "编辑改了一句话" in (again / "site" / "documents" / "zs-zhongfu-36" / "index.html").read_text(
        encoding="utf-8"
    )
    clean = _portal_root(tmp_path_factory, "clean")
    pipeline.run(pipeline.Build(clean, bundle=changed, epoch=epoch), pipeline.PORTAL)
    first, second = _pages(again), _pages(clean)
    assert first.keys() == second.keys()
    assert [rel for rel in first if first[rel] != second[rel]] == []


def test_pages_rendered_in_two_processes_are_those_rendered_in_one(tmp_path):
    """portal.render shares the region and document pages between two processes at scale: the
    same files as one process writes."""
    trees = {}
    for processes in (1, 2):
        out = tmp_path / str(processes)
        shutil.copytree(ROOT / "docs", out, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        portal.render(BUNDLE, out, TODAY, processes=processes)
        trees[processes] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert trees[1].keys() == trees[2].keys()
    assert [rel for rel in trees[1] if trees[1][rel] != trees[2][rel]] == []


def test_a_regions_pages_from_the_cache_are_those_rendered_afresh(tmp_path):
    """portal.pages.RegionCache keeps a region's pages by what they are made of: after a change
    to any of it (the national documents any policy may cite, a document's title, the glossary,
    a region's name, the build date), pages rendered with the cache filled before the change are
    those rendered without a cache; unchanged, they are the first render's."""
    import copy

    def tree(bundle: dict, day: dt.date, cache: Path | None) -> dict[str, bytes]:
        out = tmp_path / f"out{len(list(tmp_path.glob('out*')))}"
        shutil.copytree(ROOT / "docs", out, ignore=shutil.ignore_patterns("__pycache__", ".*"))
        portal.render(bundle, out, day, processes=1, cache=cache)
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def recite(node, old: str, new: str):
        if isinstance(node, dict):
            return {k: recite(v, old, new) for k, v in node.items()}
        if isinstance(node, list):
            return [recite(v, old, new) for v in node]
        return new if node == old else node

    # Three regions (the ones changed below; the national documents and the guides come with any):
    # each render here is of every page, and there are twelve.
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    for path in policies.glob("*.yaml"):
        if path.stem not in ("national", "glossary", "synonyms", "changchun", "beijing", "dafang"):
            path.unlink()
    before = compile_policies(policies, POLICY_READINGS)
    assert sorted(before["regions"]) == ["beijing", "changchun", "dafang"]
    # Links the data has not yet: a policy citing a national document, a document naming
    # another region's (the compiler allows both, and a region's pages then show their titles).
    employee = before["policies"]["changchun-employee"]
    before["policies"]["changchun-employee"] = recite(employee, "cc-2010/emp-deductible", "nhsa-2022-22/n-2-1")
    before["documents"]["cc-2010"]["based_on"].append("gov-2016-3")  # Beijing's
    cache = tmp_path / "cache"
    first = tree(before, TODAY, cache)
    assert len(list(cache.iterdir())) == len(before["regions"])
    assert tree(before, TODAY, cache) == first

    def national(b):
        for doc in b["documents"].values():
            if doc.get("region") == "national":
                doc["clauses"] = {k: f"{v}（改）" for k, v in doc["clauses"].items()}

    changes = [
        national,
        lambda b: b["documents"]["gov-2016-3"].update(title=b["documents"]["gov-2016-3"]["title"] + "（改）"),
        lambda b: b["glossary"][0].update(short=b["glossary"][0]["short"] + "（改）"),
        lambda b: b["regions"]["dafang"].update(name=b["regions"]["dafang"]["name"] + "（改）"),
    ]
    scenarios = [(change, TODAY) for change in changes] + [(lambda b: None, TODAY + dt.timedelta(days=400))]
    for change, day in scenarios:  # one at a time: each leaves the other regions' keys as they were
        bundle = copy.deepcopy(before)
        change(bundle)
        cached, afresh = tree(bundle, day, cache), tree(bundle, day, None)
        assert cached.keys() == afresh.keys()
        assert [rel for rel in cached if cached[rel] != afresh[rel]] == []
        assert cached != first


def test_the_worked_example_leaves_the_engines_bundle_as_it_was():
    """The portal computes its worked example with the bundle it renders (calculator.bundle_for_now),
    and the process goes on estimating with the bundle it had: a render once swapped it, and a
    later test in the same process estimated with the rendered bundle."""
    import copy

    import calculator
    from portal.example import worked_example
    from portal.links import Site

    before = calculator.bundle()
    other = copy.deepcopy(BUNDLE)
    assert "按步骤计算" in worked_example(other, Site(other))
    assert calculator.bundle() is before


def test_tables_render_the_same_without_the_markdown_extension():
    """portal.mdskip only skips work: the HTML is the same as Python-Markdown's own."""
    import markdown

    from portal.tables import table

    text = "前文\n\n" + table("标题", ["项目", "出处"], [["起付线", "<a href='x'>出处</a>"]]) + "\n\n后文 *强调*\n"
    plain = markdown.markdown(text)
    md = markdown.Markdown(extensions=["portal.mdskip"])
    fast = md.convert(text)
    assert " ".join(fast.split()) == " ".join(plain.split()) and "<caption>标题</caption>" in fast
    assert any("<caption>标题</caption>" in block for block in md.htmlStash.rawHtmlBlocks)  # set aside whole


def _markdown(root: Path, skip: bool):
    """Python-Markdown as mkdocs.yml configures it, with or without portal.mdskip."""
    import markdown
    import yaml

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.UnsafeLoader)  # our own file
    names, options = [], {}
    for entry in config["markdown_extensions"]:
        name, option = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        if name == "pymdownx.snippets":
            option = {**option, "base_path": [str(root / "build" / "docs")]}
        if skip or name != "portal.mdskip":
            names.append(name)
            options[name] = option
    return markdown.Markdown(extensions=names, extension_configs=options)


def test_every_page_renders_the_same_without_the_markdown_shortcuts(clean_build):
    """portal.mdskip only skips work, on every page of the site (generated and hand-written): the
    HTML is Python-Markdown's own, and the shortcuts are taken (elements set aside, plain text)."""
    from portal import mdskip

    plain, fast = _markdown(clean_build, False), _markdown(clean_build, True)
    set_aside = 0
    for path in sorted((clean_build / "build" / "docs").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        plain.reset()
        fast.reset()
        # the same up to white space between tags (a table set aside loses a blank line after it)
        assert fast.convert(text).split() == plain.convert(text).split(), path.relative_to(clean_build)
        set_aside += sum(bool(mdskip.ELEMENT.fullmatch(block)) for block in fast.htmlStash.rawHtmlBlocks)
    assert set_aside > 100


# --------------------------------------------------------------------------
# What a resident reads: dated, plain words, what matters first
# --------------------------------------------------------------------------


def test_age_is_counted_against_the_build_date(monkeypatch):
    assert dating.age_years("2010-09-03", dt.date(2026, 9, 2)) == 15
    assert dating.age_years("2010-09-03", dt.date(2026, 9, 3)) == 16
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")  # 2020-01-01
    assert dating.build_date() == dt.date(2020, 1, 1)
    assert dating.build_date(dt.date(2021, 5, 6)) == dt.date(2021, 5, 6)


@pytest.mark.parametrize("policy_id", list(BUNDLE["policies"]))
def test_scheme_pages_name_the_newest_source_and_its_age(clean_build, policy_id):
    from portal.citations import docs_of

    text = generated(clean_build, page_md(policy_id))
    policy = BUNDLE["policies"][policy_id]
    used = docs_of(policy, current_only=True)
    newest = dating.newest(BUNDLE["documents"], used)
    if newest:
        assert dating.cn_date(newest) in text
        years = dating.age_years(newest, TODAY)
        assert f"已 {years} 年" in text or (years < 1 and "不到一年" in text)
    statuses = {BUNDLE["documents"][d].get("status") for d in used if d in BUNDLE["documents"]}
    if statuses != {"in_force"} or not newest or dating.age_years(newest, TODAY) >= dating.OLD_YEARS:
        assert dating.CHECK in text, f"{policy_id}: old or unknown-status rules without the advice to check"
    if statuses != {"in_force"}:
        assert "来源没有说明" in text
    # 现行 only where a source states it
    assert "现行规定" not in text and "（现行）" not in text and "现行待遇" not in text


@pytest.mark.parametrize("policy_id", list(BUNDLE["policies"]))
def test_scheme_pages_lead_with_deductible_ratio_and_cap(clean_build, policy_id):
    text = generated(clean_build, page_md(policy_id))
    care = BUNDLE["policies"][policy_id]["versions"][-1]["care"]
    lead, _, rest = text.partition("## 最新规定的全部内容")
    assert rest, f"{policy_id}: no detail section"
    for key, word, anchor in (
        ("deductible", "起付线", "deductible"),
        ("bands", "报销比例", "ratio"),
        ("cap", "封顶线", "cap"),
    ):
        if any(isinstance(c, dict) and c.get(key) for c in care.values()):
            assert f'guides/glossary/#{anchor}">{word}</a><span class="term-short">' in lead, f"{policy_id}: {word}"


GUIDES = sorted(
    f"guides/{p.name}" for p in (ROOT / "docs" / "guides").glob("*.md") if p.name not in ("index.md", "glossary.md")
)


@pytest.mark.parametrize("md", [page_md(pid) for pid in PAGES] + GUIDES)
def test_every_insurance_word_on_a_page_is_explained_there(clean_build, md):
    text = generated(clean_build, md)
    for entry in yaml.safe_load((ROOT / "policies" / "glossary.yaml").read_text(encoding="utf-8")):
        if entry["term"] in text:
            assert f'guides/glossary/#{entry["anchor"]}">{entry["term"]}</a>' in text, f"{md}: {entry['term']}"


def test_glossary_page_has_every_term_and_anchor(clean_build):
    entries = yaml.safe_load((ROOT / "policies" / "glossary.yaml").read_text(encoding="utf-8"))
    terms = {e["term"] for e in entries}
    required = {
        "起付线",
        "统筹基金",
        "报销比例",
        "封顶线",
        "最高支付限额",
        "甲类",
        "乙类",
        "丙类",
        "乙类先行自付",
        "自费",
    }
    required |= {"大病保险", "大额救助", "公务员补助", "异地就医", "备案", "门诊统筹", "门诊慢特病", "按病种付费"}
    required |= {"定额", "二次补偿", "低保", "合规费用", "进入统筹计算的费用"}
    assert required <= terms, required - terms
    text = (clean_build / "site" / "guides" / "glossary" / "index.html").read_text(encoding="utf-8")
    for e in entries:
        assert f'id="{e["anchor"]}"' in text and html.escape(e["short"]) in text


def test_descriptive_titles_are_labelled_wherever_listed(tmp_path):
    """A title the site wrote (the source gives none) says so on every page that lists the document."""
    import copy

    bundle = copy.deepcopy(BUNDLE)
    doc_id = "nhsa-2024-19"
    title = "门诊慢特病跨省结算的说明"
    bundle["documents"][doc_id].update(title=title, title_descriptive=True, issuer=None)
    portal.render(bundle, tmp_path, TODAY)
    pages = [p for p in tmp_path.rglob("*.md") if title in p.read_text(encoding="utf-8")]
    assert len(pages) >= 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.name != f"{doc_id}.md":
            assert text.count(title) == text.count(title + "（标题为本站按内容概括，非原文标题）"), page
    doc_page = (tmp_path / "documents" / f"{doc_id}.md").read_text(encoding="utf-8")
    assert "不是文件的原标题" in doc_page and "国家医疗保障局办公室" not in doc_page


def test_guides_say_what_the_sources_say(clean_build):
    maternity = (ROOT / "docs" / "guides" / "injury-maternity.md").read_text(encoding="utf-8")
    assert "连续缴纳生育保险满半年" not in maternity
    assert "连续工作满半年" in maternity
    for guide in ("injury-maternity.md", "outpatient-pooling.md"):
        text = (ROOT / "docs" / "guides" / guide).read_text(encoding="utf-8")
        assert "中山市" not in text or "推断" in text, guide
    # the filing channels are the three of 医保发〔2022〕22号 三（一), no more (issue 17)
    remote = (ROOT / "docs" / "guides" / "remote-care.md").read_text(encoding="utf-8")
    assert "微信" not in remote and "支付宝" not in remote and "“国家异地就医备案”小程序" in remote


def test_search_ships_as_pieces_and_without_lunr(clean_build):
    """The site's own search: a small manifest, shards by term, a file per page; the theme's lunr
    search (its worker, its language packs) is not shipped."""
    site = clean_build / "site"
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    assert not list((site / "assets" / "javascripts" / "workers").glob("search.*"))
    manifest = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    yb = manifest["config"]["yb"]
    assert manifest["docs"] == [] and len((site / "search" / "search_index.json").read_bytes()) < 2000
    pieces = site / "search" / yb["base"]
    pages = json.loads((pieces / "pages.json").read_text(encoding="utf-8"))
    assert len(pages) == yb["pages"] and ["regions/changchun/employee/", "长春市 · 城镇职工基本医疗保险"] in pages
    assert sorted(p.name for p in pieces.glob("t*.json")) == sorted(f"t{k}.json" for k in range(yb["shards"]))
    # The term 起付 is in the shard its hash names, with the Changchun page among its pages.
    from portal.search import fnv1a

    shard = json.loads((pieces / f"t{fnv1a('起付') % yb['shards']}.json").read_text(encoding="utf-8"))
    numbers, page = [], 0
    for gap in shard["起付"][::2]:
        page += gap
        numbers.append(page)
    assert pages.index(["regions/changchun/employee/", "长春市 · 城镇职工基本医疗保险"]) in numbers


def test_search_index_is_the_same_read_in_two_processes_or_from_the_cache(clean_build, tmp_path, monkeypatch):
    """portal.search reads pages in two processes when many are not cached: the index it writes
    is the one a single process writes, and the one written again from the cache."""
    from portal import search

    def index(name: str, cache: Path | None) -> dict[str, bytes]:
        site = tmp_path / name
        shutil.copytree(clean_build / "site", site, ignore=shutil.ignore_patterns("search"))
        search.build_index(site, cache)
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "search").rglob("*") if p.is_file()}

    one = index("one", None)
    monkeypatch.setattr(search, "MANY", 1)
    two, again = index("two", tmp_path / "cache"), index("again", tmp_path / "cache")
    assert one == two == again and len(one) > 50


def test_search_starts_only_when_used(clean_build):
    """Every page loads search-lazy.js before Material's bundle (the browser test measures the bytes)."""
    text = (clean_build / "site" / "regions" / "index.html").read_text(encoding="utf-8")
    lazy = text.index("assets/javascripts/search-lazy.js")
    assert lazy < text.index("assets/javascripts/bundle.")
    assert "js/elder.js" in text


def test_404_page_is_chinese(clean_build):
    text = (clean_build / "site" / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in text and "Not found" not in text


# ---- issue 17: what the line-by-line audit added or corrected is where a resident looks


ADDED_DOCUMENTS = {
    "xiaogan": ["hubei-2013-12", "mohrss-2013-158", "hubei-2013-33"],
    "guangxi": ["gx-2019-23", "gx-2020-46", "ty-2019-105"],
    "unnamed": ["hospital-it-2020", "center-2020-64", "yb-2020-91", "poverty-2002-2", "yb-2020-47"],
}
ADDED_RULES = {
    "changchun-employee": ["个人账户（医保卡里的钱）", "门诊刷卡"],
    "changchun-resident": ["没有个人账户"],
    "xiaogan-basic": ["住院费用即时结算（2013年）"],
    "unnamed-resident": ["分级诊疗病种有多少", "一家医院2020年的结算调整"],
    "guangxi-resident": ["个人缴费标准", "在哪里参保、按什么缴费"],
}


def test_added_documents_are_on_their_region_page_and_in_the_index(clean_build):
    index = generated(clean_build, "documents/index.md")
    for region, doc_ids in ADDED_DOCUMENTS.items():
        page = generated(clean_build, f"regions/{region}/index.md")
        for doc_id in doc_ids:
            number = BUNDLE["documents"][doc_id]["number"] or ""  # the hospital's report has none
            assert f"documents/{doc_id}.md" in page and esc(number) in page, (region, doc_id)
            assert f'documents/{doc_id}/"' in index and esc(number) in index, doc_id
    national = generated(clean_build, "regions/national.md")
    other = national.split("## 其他国家规定", 1)[1].split("## 依据文件", 1)[0]
    for doc_id in ("mols-2007-2", "mohrss-2012-98"):
        assert f"documents/{doc_id}/" in other and esc(BUNDLE["documents"][doc_id]["number"]) in index, doc_id


def test_added_rules_are_on_the_scheme_page(clean_build):
    for pid, labels in ADDED_RULES.items():
        lists = generated(clean_build, page_md(pid)).split("## 病种目录和其他规定", 1)[1].split("## 历次调整")[0]
        for label in labels:
            assert f"### {esc(label)}" in lists, (pid, label)


def test_undated_versions_and_unknown_status_are_shown_as_the_sources_give_them(clean_build):
    dafang = generated(clean_build, page_md("dafang-resident"))
    assert "2014-01-01** 起执行" not in dafang and "### 2014-01-01 起" not in dafang
    assert "### 施行日期不详（2014 年已在执行），本站自 2014-01-01 起按这一版本估算" in dafang
    assert "最新规定的起始日期来源未载明" in dafang
    for doc_id in ("nhsa-2022-22", "nhsa-2022-22-r"):
        text = generated(clean_build, f"documents/{doc_id}.md")
        assert "现行有效（来源注明）" not in text and "来源未说明是否仍然有效" in text
        assert "自2023年1月1日起施行" in text or "经办规程自2023年1月1日起施行" in text
