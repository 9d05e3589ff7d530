"""An editor's work, end to end, in scratch copies of policies/ and tests/cases/ (issue 15):

- a new region (a copy of Changchun's file, renamed and marked fictional) plus its cases needs
  no other file to appear on every page that lists regions, in every guide, in the calculator
  and in the tests; removing it leaves no trace;
- the five usual mistakes (a misspelled key, a ratio written 90 for 0.9, a missing cite, a date
  that does not exist, a cap below its deductible) each give one root mistake with file:line,
  the place in words, a suggestion, a code, and no English.
"""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from caseload import load_all
from test_cases import _compare

import calculator
from calculator.errors import PolicyDataError
from compiler import compile_policies
from portal.pages import render
from sitebuild import POLICY_READINGS

ROOT = Path(__file__).resolve().parent.parent
DAY = datetime.date(2026, 12, 1)
FICTIONAL = "huanxi"
NAME = "幻溪市（虚构地区，仅供测试）"


def _scratch(tmp_path: Path) -> tuple[Path, Path]:
    policies, cases = tmp_path / "policies", tmp_path / "cases"
    shutil.copytree(ROOT / "policies", policies)
    shutil.copytree(ROOT / "tests" / "cases", cases)
    return policies, cases


def _add_fictional(policies: Path, cases: Path) -> None:
    """What an editor does: copy a region's file and its cases, rename the region, its documents
    and its policies, and say it is fictional."""
    text = (policies / "changchun.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\bcc-", "hx-", text.replace("region: changchun", f"region: {FICTIONAL}", 1))
    text = text.replace("name: 长春市", f"name: {NAME}", 1).replace("province: 吉林省", "province: 虚构省", 1)
    (policies / f"{FICTIONAL}.yaml").write_text("# 虚构地区：复制长春市的文件而成，仅供测试。\n" + text, "utf-8")
    cases_text = (cases / "changchun.yaml").read_text(encoding="utf-8")
    cases_text = cases_text.replace("region: changchun", f"region: {FICTIONAL}").replace("changchun-", f"{FICTIONAL}-")
    (cases / f"{FICTIONAL}.yaml").write_text(cases_text, encoding="utf-8")


def _pages(bundle: dict, out: Path) -> dict[str, str]:
    shutil.copytree(ROOT / "docs", out)
    render(bundle, out, DAY)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.md")}


# The pages that list every region, and the guides that list the regions their subject concerns
# (Changchun's copy has outpatient pooling, class-B shares, lists, remote rules and injury care).
LISTING_PAGES = ["regions/index.md", "regions/_cards.md", "documents/index.md", "editing/index.md"]
GUIDES = [f"guides/{g}.md" for g in ("outpatient-pooling", "drug-classes", "chronic-diseases", "remote-care")]
GUIDES += ["guides/injury-maternity.md"]


def test_a_new_region_needs_no_other_file_and_leaves_no_trace(tmp_path):
    original = calculator.bundle()
    policies, cases = _scratch(tmp_path)
    _add_fictional(policies, cases)
    bundle = compile_policies(policies)
    try:
        pages = _pages(bundle, tmp_path / "with")
        for page in LISTING_PAGES + GUIDES:
            assert NAME.split("（")[0] in pages[page], f"{page} does not list the new region"
        assert f"regions/{FICTIONAL}/index.md" in pages and f"regions/{FICTIONAL}/employee.md" in pages
        assert "本站资料的更新记录" in pages[f"regions/{FICTIONAL}/index.md"]
        # in the calculator: the form's catalogue offers it, and the engine answers for it
        assert f"{FICTIONAL}-employee" in {p["id"] for p in bundle["catalog"]["policies"]}
        calculator.load_bundle(bundle)
        loaded = load_all(cases)
        mine = {kind: [c for c in loaded[kind] if c["file"] == f"{FICTIONAL}.yaml"] for kind in loaded}
        assert mine["estimate"] and mine["remote"], "its cases are found like any region's"
        for case in mine["estimate"]:
            _compare(calculator.estimate(case["request"]), case["expect"], case)
        for case in mine["remote"]:
            _compare(calculator.check_remote(case["request"]), case["expect"], case)
        for case in mine["year"]:
            _compare(calculator.year(case["request"]), case["expect"], case)
        # removed again: no page, guide, catalogue entry or case mentions it
        (policies / f"{FICTIONAL}.yaml").unlink()
        (cases / f"{FICTIONAL}.yaml").unlink()
        without = compile_policies(policies)
        assert not [pid for pid in without["policies"] if pid.startswith(FICTIONAL)]
        traces = [page for page, text in _pages(without, tmp_path / "without").items() if "幻溪" in text]
        assert not traces, traces
        assert not [c for kind in load_all(cases).values() for c in kind if FICTIONAL in c["id"]]
    finally:
        calculator.load_bundle(original)


CHANGCHUN = (ROOT / "policies" / "changchun.yaml").read_text(encoding="utf-8")
CAP = "              value: null\n              note: 细则提到统筹支付最高限额，但没有给出金额。\n"
# (id, old, new, marker of the line, code, words the place names, what the suggestion says)
USUAL = [
    ("misspelled-key", "    facilities:\n      provincial:", "    facilites:\n      provincial:", "facilites:",
     "unknown-key", "长春市 · 城镇职工基本医疗保险", "“facilities”（医疗机构级别）"),
    ("ratio-as-percent", "patient_rate: 0.15,", "patient_rate: 15,", "patient_rate: 15,",
     "rate-above-one", "2010-09-03 版本 · 住院 · 统筹基金支付比例", "0.15（15%）"),
    ("missing-cite", '"*": {cite: cc-2010/emp-deductible, provincial: 1000', '"*": {provincial: 1000',
     '"*": {provincial: 1000', "needs-cite", "住院 · 起付线", "cite: cc-2010/emp-deductible"),
    ("date-that-does-not-exist", "from: 2010-09-03", "from: 2026-02-30", "from: 2026-02-30",
     "not-a-date", "城镇职工基本医疗保险 · 2026-02-30 版本 · 起始日期", "2026-02-28"),
    ("cap-below-deductible", CAP, "              value: 500\n", "value: 500",
     "cap-below-deductible", "住院 · 统筹基金最高支付限额（封顶线）", "5000"),
]  # fmt: skip


@pytest.mark.parametrize("case", USUAL, ids=[c[0] for c in USUAL])
def test_a_usual_mistake_gives_one_root_error_an_editor_understands(tmp_path, case):
    _, old, new, marker, code, place, guess = case
    policies, _ = _scratch(tmp_path)
    assert old in CHANGCHUN
    text = CHANGCHUN.replace(old, new, 1)
    (policies / "changchun.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(policies, POLICY_READINGS)
    err = info.value
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if marker in ln)
    assert (Path(err.file).name, err.line, err.code) == ("changchun.yaml", line, code), str(err)
    assert len(err.mistakes) == 1, f"one root mistake, the rest folded under it: {err}"
    first = err.mistakes[0]
    assert place in first["place"] and first["place"].startswith("长春市"), first["place"]
    assert guess in (first["guess"] or ""), first
    # Chinese, with identifiers, values and the code in quotation marks or 〔〕 and no English outside them
    message = err.reason
    assert f"〔{code}〕" in message and "位置：" in message and "是不是想写：" in message and "应当写：" in message
    bare = re.sub(r"“[^”]*”|〔[^〕]*〕|<[^>]*>", "", message)
    assert not re.search(r"[A-Za-z]", bare), bare


def test_a_files_checks_kept_from_the_last_build_still_see_the_national_files_change(tmp_path):
    """compiler.policies keeps a file's clean checks by its bytes and the national file's: a
    clause of a national document removed makes the region file that cites it fail again, with
    its file and line, though the region file did not change."""
    policies, _ = _scratch(tmp_path)
    cache = tmp_path / "cache"
    changchun = policies / "changchun.yaml"
    text = changchun.read_text(encoding="utf-8")
    old = "{cite: cc-2010/emp-deductible, provincial: 1000,"
    changchun.write_text(text.replace(old, "{cite: nhsa-2022-22/n-2-1, provincial: 1000,"), encoding="utf-8")
    assert compile_policies(policies, cache) == compile_policies(policies) == compile_policies(policies, cache)
    national = policies / "national.yaml"
    national.write_text(national.read_text(encoding="utf-8").replace("      n-2-1: 二（一）\n", "", 1), "utf-8")
    with pytest.raises(PolicyDataError) as caught:
        compile_policies(policies, cache)
    assert "changchun.yaml:148" in str(caught.value) and "cite-unknown-clause" in str(caught.value)


def test_the_build_lists_what_changed_in_words_with_the_cite(tmp_path):
    """What `python3 build.py build` prints against the previous build: a figure changed, one
    added, one removed, each by its place in words, with the cited document and clause."""
    from compiler.changes import bundle_figures, report

    policies, _ = _scratch(tmp_path)
    before = compile_policies(policies)
    text = CHANGCHUN.replace("provincial: 1000, municipal: 700", "provincial: 1200, municipal: 700", 1)
    text = text.replace(CAP, "              value: 150000\n", 1)  # a cap the source now gives
    (policies / "changchun.yaml").write_text(text, encoding="utf-8")
    after = compile_policies(policies)
    names = {rid: r["name"] for rid, r in after["regions"].items()}
    cache = tmp_path / "figures-cache"  # as the build reads them: each region's kept by its data
    assert bundle_figures(before, cache) == bundle_figures(before) == bundle_figures(before, cache)
    lines = report(bundle_figures(before, cache), bundle_figures(after, cache), names, after["documents"])
    assert lines == report(bundle_figures(before), bundle_figures(after), names, after["documents"])
    assert lines[0] == "长春市：2 处数字变化", lines
    changed = "  修改 城镇职工基本医疗保险 · 2010-09-03 版本 · 住院 · 起付线 · 所有人员 · "
    cited = "（出处：《长春市基本医疗、工伤、生育保险待遇支付与审批的管理细则》"
    cited += "城镇职工基本医疗保险起付线、待遇支付标准 第一条）"
    assert any(line.startswith(changed) and line.endswith("1000 元 → 1200 元" + cited) for line in lines), lines
    assert any("统筹基金最高支付限额（封顶线） · 数值：来源未规定 → 150000 元" in line for line in lines), lines
    assert report(bundle_figures(after), bundle_figures(after), names, after["documents"]) == []
    removed = report(bundle_figures(after), bundle_figures(before), names, after["documents"])
    assert any("150000 元 → 来源未规定" in line for line in removed)


def test_a_region_page_lists_its_data_history_by_data_version():
    """From the git history of the region's file (the same commit, the same list); none outside git."""
    import subprocess

    from portal.history import history

    if subprocess.run(["git", "-C", str(ROOT), "rev-parse"], capture_output=True).returncode != 0:
        assert history("policies/changchun.yaml") == []
        return
    entries = history("policies/changchun.yaml")
    assert entries and entries == history("policies/changchun.yaml")
    assert entries[-1]["changes"][0].startswith("首次收录：")
    for entry in entries:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", entry["date"]) and re.match(r"[0-9a-f]{8}", entry["version"])
    assert history("policies/no-such-region.yaml") == []
