"""Policy data: the real files compile, every figure is cited, broken files are
rejected with the right file, line and reason, and the published JSON Schema
works on its own (as an editor would use it)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import calculator
from calculator.errors import PolicyDataError
from compiler import compile_policies
from compiler.cli import main as compile_main
from sitebuild import POLICY_READINGS

ROOT = Path(__file__).resolve().parent.parent
POLICIES = ROOT / "policies"
SCHEMA = POLICIES / "schema.json"
# glossary.yaml and synonyms.yaml sit beside the policies but are not policies
REAL_FILES = sorted(p for p in POLICIES.glob("*.yaml") if p.stem not in ("glossary", "synonyms"))


# --------------------------------------------------------------------------
# A small valid pair of files, mutated one mistake at a time
# --------------------------------------------------------------------------

NATIONAL = """\
documents:
  n-2022:
    issuer: 国家医疗保障局
    title: 测试用国家文件
    number: 医保发〔2022〕22号
    date: 2022-06-30
    status: in_force
    summary: 测试用国家文件。
    clauses:
      r-8: 第八条
cross_province:
  from: 2023-01-01
  ratio_cut:
    local:
      value: 0.10
      cite: n-2022/r-8
"""

REGION = """\
region: testland
name: 测试市
province: 测试省
documents:
  t-2020:
    issuer: 测试市医疗保障局
    title: 测试市基本医疗保险办法
    number: 测医保发〔2020〕1号
    date: 2020-01-01
    status: superseded
    topics: [inpatient]
    summary: 测试用文件。
    clauses:
      art1: 第一条
      art2: 第二条
  t-2022:
    issuer: 测试市医疗保障局
    title: 测试市基本医疗保险办法（修订）
    number: null
    date: 2022-01-01
    status: in_force
    supersedes: [t-2020]
    summary: 测试用文件（修订）。
    clauses:
      art1: 第一条
schemes:
  employee:
    name: 职工医保
    facilities:
      grade1: 一级
      grade2: 二级
    members:
      - id: retired
        label: 退休人员
        when: [retired]
      - id: working
        label: 在职人员
    versions:
      - from: 2020-01-01
        summary: 首个版本。
        care:
          inpatient:
            label: 住院
            method: standard
            facilities: [grade1, grade2]
            class_b_share:
              "*": {cite: t-2020/art1, "*": 0.10}
            deductible:
              basis: admission
              "*":
                cite: t-2020/art1
                grade1: 200
                grade2: 600
            bands:
              basis: admission
              retired:
                "*":
                  - {upto: 5000, fund_rate: 0.9, cite: t-2020/art2}
                  - {upto: null, fund_rate: 0.95, cite: t-2020/art2}
              "*":
                grade1:
                  - {upto: 5000, fund_rate: 0.8, cite: t-2020/art2}
                  - {upto: 45000, fund_rate: 0.85, cite: t-2020/art2}
                  - {upto: null, fund_rate: null, note: 来源未规定4.5万元以上的比例。}
                grade2:
                  - {upto: null, patient_rate: 0.2, cite: t-2020/art2}
            cap:
              basis: year
              value: null
              note: 来源未给出金额。
      - from: 2022-01-01
        summary: 二级起付线调整。
        care:
          inpatient:
            deductible:
              "*":
                cite: t-2022/art1
                grade2: 500
    remote:
      emergency:
        register:
          working_days: 5
          cite: t-2020/art2
      ratio_cut: {value: 0.1, cite: n-2022/r-8}
"""


def write(tmp_path: Path, region: str = REGION, national: str = NATIONAL) -> Path:
    (tmp_path / "national.yaml").write_text(national, encoding="utf-8")
    (tmp_path / "testland.yaml").write_text(region, encoding="utf-8")
    return tmp_path


def mutate(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"fixture text not found: {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, marker: str) -> int:
    """1-based line of the first line containing marker (the expected error line)."""
    hits = [i for i, ln in enumerate(text.splitlines(), 1) if marker in ln]
    assert hits, f"marker not found: {marker!r}"
    return hits[0]


def assert_for_an_editor(err: PolicyDataError) -> None:
    """The first mistake of a report: Chinese, no English outside the quoted keys, values and code,
    its code in the text and in `mistakes`; never a traceback."""
    first = err.reason.split("\n另有")[0]
    bare = re.sub(r"“[^”]*”|〔[^〕]*〕|<[^>]*>", "", first)
    assert re.search(r"[\u4e00-\u9fff]", first) and not re.search(r"[A-Za-z]", bare), first
    assert f"〔{err.code}〕" in first and err.mistakes[0]["code"] == err.code
    assert "Traceback" not in str(err)


def test_base_fixture_compiles(tmp_path):
    bundle = compile_policies(write(tmp_path))
    assert list(bundle["policies"]) == ["testland-employee"]


# (id, old, new, marker of the expected line, the mistake's code)
BROKEN = [
    (
        "missing-cite",
        "                cite: t-2020/art1\n                grade1: 200",
        "                grade1: 200",
        "grade1: 200",
        "needs-cite",
    ),
    (
        "null-without-note",
        "              value: null\n              note: 来源未给出金额。\n",
        "              value: null\n",
        "value: null",
        "needs-note",
    ),
    (
        "unknown-key",
        "            method: standard\n",
        "            method: standard\n            colour: red\n",
        "colour: red",
        "unknown-key",
    ),
    ("rate-above-one", '"*": 0.10}', '"*": 1.5}', '"*": 1.5}', "rate-above-one"),
    (
        "misspelled-table-key",
        "            deductible:\n              basis: admission",
        "            deductible:\n              basiss: admission",
        "basiss: admission",
        "unknown-key",
    ),
    (
        "bands-not-ascending",
        "{upto: 45000, fund_rate: 0.85",
        "{upto: 4000, fund_rate: 0.85",
        "upto: 4000",
        "bands-ascending",
    ),
    (
        "bands-gap-open-end-not-last",
        "{upto: 5000, fund_rate: 0.8,",
        "{upto: null, fund_rate: 0.8,",
        "{upto: null, fund_rate: 0.8,",
        "open-band-last",
    ),
    (
        "band-both-rates",
        "{upto: null, patient_rate: 0.2,",
        "{upto: null, patient_rate: 0.2, fund_rate: 0.8,",
        "patient_rate: 0.2, fund_rate",
        "one-of",
    ),
    (
        "versions-overlap",
        "      - from: 2022-01-01",
        "      - from: '2020-01-01'",
        "from: '2020-01-01'",
        "versions-same-start",
    ),
    ("versions-unsorted", "      - from: 2022-01-01", "      - from: 2019-06-01", "from: 2019-06-01", "versions-order"),
    (
        "undated-version-not-first",
        "      - from: 2022-01-01",
        "      - from: null\n        from_note: 不详。",
        "from: null",
        "undated-after-dated",
    ),
    (
        "applies-from-with-a-start",
        "      - from: 2022-01-01",
        "      - from: 2022-01-01\n        applies_from: 2022-01-01",
        "applies_from: 2022-01-01",
        "applies-from-with-date",
    ),
    (
        "applies-from-out-of-order",
        "      - from: 2022-01-01",
        "      - from: null\n        applies_from: 2019-06-01\n        from_note: 不详。",
        "from: null",
        "versions-order",
    ),
    (
        "applies-from-without-note",
        "      - from: 2022-01-01",
        "      - from: null\n        applies_from: 2022-01-01",
        "from: null",
        "needs-note",
    ),
    (
        "cite-missing-document",
        "fund_rate: 0.95, cite: t-2020/art2",
        "fund_rate: 0.95, cite: t-2021/art2",
        "t-2021/art2",
        "cite-unknown-document",
    ),
    ("cite-missing-clause", "cite: t-2022/art1", "cite: t-2022/art9", "t-2022/art9", "cite-unknown-clause"),
    ("cite-malformed", "cite: t-2022/art1", "cite: t-2022", "cite: t-2022", "bad-format"),
    (
        "duplicate-key",
        "                grade2: 600\n",
        "                grade2: 600\n                grade1: 300\n",
        "grade1: 300",
        "duplicate-key",
    ),
    (
        "unknown-facility-in-table",
        '"*": {cite: t-2020/art1, "*": 0.10}',
        '"*": {cite: t-2020/art1, grade9: 0.10}',
        "grade9: 0.10",
        "unknown-facility",
    ),
    (
        "unknown-group-in-table",
        '              retired:\n                "*":',
        '              veterans:\n                "*":',
        "veterans:",
        "unknown-group",
    ),
    (
        "unknown-facility-in-list",
        "facilities: [grade1, grade2]",
        "facilities: [grade1, grade3]",
        "facilities: [grade1, grade3]",
        "unknown-facility",
    ),
    ("unknown-member-flag", "when: [retired]", "when: [retierd]", "when: [retierd]", "not-in-list"),
    ("negative-amount", "grade1: 200", "grade1: -200", "grade1: -200", "negative"),
    ("not-a-real-date", "      - from: 2022-01-01", "      - from: 2022-02-30", "from: 2022-02-30", "not-a-date"),
    ("float-syntax", "grade1: 200", "grade1: 0x20", "grade1: 0x20", "number-format"),
    (
        "yaml-syntax-error",
        "            label: 住院\n",
        "            label: 住院: 费用\n",
        "label: 住院: 费用",
        "yaml-syntax",
    ),
    ("region-id-not-file-name", "region: testland", "region: otherland", "region: otherland", "region-not-file-name"),
    (
        "last-member-has-when",
        "        label: 在职人员\n",
        "        label: 在职人员\n        when: [civil_servant]\n",
        "- id: working",
        "last-member-has-when",
    ),
    ("merged-care-without-method", "            method: standard\n", "", "care:", "care-incomplete"),
    ("wrong-type", "            label: 住院\n", "            label: 5\n", "label: 5", "wrong-type"),
    (
        "uncited-document",
        "      art1: 第一条\nschemes:",
        "      art1: 第一条\n  t-2023:\n    issuer: 某局\n"
        "    title: 未引用的文件\n    date: 2023-01-01\n    status: unknown\n    summary: 无。\n    clauses:\n"
        "      art1: 第一条\nschemes:",
        "  t-2023:",
        "document-never-cited",
    ),
    (
        "unknown-facility-in-cap-table",
        "              value: null\n              note: 来源未给出金额。\n",
        '              "*": {cite: t-2020/art1, grade7: 1000}\n',
        "grade7: 1000",
        "unknown-facility",
    ),
    ("negative-in-remote", "working_days: 5", "working_days: -5", "working_days: -5", "negative"),
    ("supersedes-unknown", "supersedes: [t-2020]", "supersedes: [t-2019]", "supersedes: [t-2019]", "document-unknown"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_region_file_rejected_with_line(tmp_path, case):
    _, old, new, marker, code = case
    text = mutate(REGION, old, new)
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=text))
    err = info.value
    assert Path(err.file).name == "testland.yaml", str(err)
    # the care-without-method mistake is reported at the version's care mapping
    expected = line_of(text, marker)
    if case[0] == "merged-care-without-method":
        expected = line_of(text, "        care:")
    assert err.line == expected, str(err)
    assert err.code == code, str(err)
    assert str(err).startswith(f"{err.file}:{err.line}: ")
    assert_for_an_editor(err)


def test_several_undated_versions_may_come_first(tmp_path):
    # sources with masked years (Beijing, Zhenjiang) give "was/now" versions without dates
    text = mutate(REGION, "      - from: 2020-01-01\n", "      - from: null\n        from_note: 年份不详。\n")
    text = mutate(text, "      - from: 2022-01-01\n", "      - from: null\n        from_note: 年份不详。\n")
    versions = compile_policies(write(tmp_path, region=text))["policies"]["testland-employee"]["versions"]
    assert [v["from"] for v in versions] == [None, None]
    assert versions[1]["care"]["inpatient"]["deductible"]["*"]["grade2"] == "500"


def test_undated_version_is_placed_by_applies_from(tmp_path):
    # Dafang: the source gives no start for a change, only the year it reports it for
    undated = "      - from: null\n        applies_from: 2022-01-01\n        from_note: 起始日期不详。\n"
    text = mutate(REGION, "      - from: 2022-01-01\n", undated)
    bundle = compile_policies(write(tmp_path, region=text))
    versions = bundle["policies"]["testland-employee"]["versions"]
    assert [(v["from"], v["applies_from"]) for v in versions] == [("2020-01-01", None), (None, "2022-01-01")]
    old = calculator.bundle()
    calculator.load_bundle(bundle)
    try:
        before, after = (
            calculator.estimate(
                {"policy": "testland-employee", "date": day, "facility": "grade2", "costs": {"total": "10000"}}
            )
            for day in ("2021-12-31", "2022-01-01")
        )
    finally:
        calculator.load_bundle(old)
    assert before["version"] == "2020-01-01" and after["version"] is None
    assert before["deductible"] != after["deductible"]
    assert any("起始日期不详" in c for c in after["caveats"])


def test_broken_national_file_rejected_with_line(tmp_path):
    text = mutate(NATIONAL, "      cite: n-2022/r-8\n", "")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    err = info.value
    assert Path(err.file).name == "national.yaml"
    assert err.line == line_of(text, "value: 0.10")
    assert err.code == "needs-cite"
    assert_for_an_editor(err)


def test_national_rules_need_notes_for_nulls(tmp_path):
    text = mutate(NATIONAL, "      value: 0.10\n", "      value: null\n")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    assert info.value.line == line_of(text, "value: null")
    assert info.value.code == "needs-note"


def test_remote_section_is_strict_and_cited(tmp_path):
    # the remote section was free-form; now an unknown key is a mistake, and so is a bare number
    unknown = mutate(
        REGION, "          working_days: 5\n", "          working_days: 5\n          any_new_key: [a, b]\n"
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=unknown))
    assert info.value.line == line_of(unknown, "any_new_key")
    assert info.value.code == "unknown-key" and "“any_new_key”" in info.value.reason
    bad = mutate(REGION, "      ratio_cut: {value: 0.1, cite: n-2022/r-8}", "      ratio_cut: {value: 0.1}")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "ratio_cut")
    assert info.value.code == "needs-cite"
    uncited = mutate(REGION, "          working_days: 5\n          cite: t-2020/art2\n", "          working_days: 5\n")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=uncited))
    assert info.value.line == line_of(uncited, "working_days: 5")
    assert info.value.code == "needs-cite"


def test_rates_checked_in_remote_section(tmp_path):
    bad = mutate(REGION, "{value: 0.1, cite: n-2022/r-8}", "{value: 10, cite: n-2022/r-8}")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "ratio_cut")
    assert info.value.code == "rate-above-one"


def test_several_mistakes_are_all_listed(tmp_path):
    text = mutate(REGION, "when: [retired]", "when: [retierd]")
    text = mutate(text, "grade1: 200", "grade1: -200")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=text))
    err = info.value
    assert err.line == line_of(text, "when: [retierd]")  # the earliest line first
    assert f":{line_of(text, 'grade1: -200')}: " in err.reason


def test_unknown_flag_in_remote_section(tmp_path):
    bad = mutate(
        REGION,
        "        register:\n",
        "        covered: {cite: t-2020/art2, when_any: [retired, expat]}\n        register:\n",
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "when_any: [retired, expat]")
    assert info.value.code == "not-in-list" and "“expat”" in info.value.reason and "“retired”" in info.value.reason


def test_national_section_is_strict(tmp_path):
    text = mutate(NATIONAL, "  from: 2023-01-01\n", "  from: 2023-01-01\n  colour: red\n")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    assert Path(info.value.file).name == "national.yaml"
    assert info.value.line == line_of(text, "colour: red")
    assert info.value.code == "unknown-key"
    text = mutate(
        NATIONAL, "  from: 2023-01-01\n", "  from: 2023-01-01\n  filing:\n    online_processing: {working_days: 2}\n"
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    assert info.value.line == line_of(text, "working_days: 2") and info.value.code == "needs-cite"
    text = mutate(
        NATIONAL,
        "  from: 2023-01-01\n",
        "  from: 2023-01-01\n  validity:\n    temporary: {min_months: 1.5, cite: n-2022/r-8}\n",
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    assert info.value.line == line_of(text, "min_months: 1.5") and info.value.code == "wrong-type"


def test_lists_section_is_strict(tmp_path):
    lists = "    lists:\n      special_disease:\n        label: 特殊病种\n"
    lists += "        cite: t-2020/art2\n        items: [恶性肿瘤]\n"
    text = mutate(REGION, "    remote:\n", lists + "    remote:\n")
    assert compile_policies(write(tmp_path, region=text))["policies"]["testland-employee"]["lists"] == {
        "special_disease": {"label": "特殊病种", "cite": "t-2020/art2", "items": ["恶性肿瘤"]}
    }
    for old, new, marker, code in [
        (
            "        items: [恶性肿瘤]\n",
            "        items: [恶性肿瘤]\n        colour: red\n",
            "colour: red",
            "unknown-key",
        ),
        ("        items: [恶性肿瘤]\n", "", "special_disease:", "one-of"),
        ("        cite: t-2020/art2\n        items", "        items", "special_disease:", "missing-key"),
    ]:
        bad = mutate(text, old, new)
        with pytest.raises(PolicyDataError) as info:
            compile_policies(write(tmp_path, region=bad))
        assert info.value.line == line_of(bad, marker), str(info.value)
        assert info.value.code == code, str(info.value)


def test_schema_is_the_vocabularys():
    """policies/schema.json and policies/README.md's key reference are generated from the vocabulary
    and checked in: a change to either without `python -m compiler --schema` fails here."""
    from compiler.reference import README, readme_text
    from compiler.schema import schema_text
    from vocabulary import MEMBER_FLAGS, REMOTE_KINDS, REMOTE_REASONS

    assert SCHEMA.read_text(encoding="utf-8") == schema_text(), "stale: run .venv/bin/python -m compiler --schema"
    readme = README.read_text(encoding="utf-8")
    assert readme == readme_text(readme), "policies/README.md's key reference is stale: python -m compiler --schema"
    defs = json.loads(SCHEMA.read_text(encoding="utf-8"))["$defs"]
    assert defs["flags"]["items"]["enum"] == list(MEMBER_FLAGS)
    reasons = set(defs["remote"]["properties"]) - {"payout", "ratio_cut", "cite", "note"}
    assert reasons == set(REMOTE_REASONS)
    assert set(defs["remote_settlement"]["properties"]["kinds"]["items"]["enum"]) == set(REMOTE_KINDS)


def test_document_ids_unique_across_files(tmp_path):
    # Policy ids are <file stem>-<scheme> (ids have no '-'), so they are unique by construction;
    # document ids are global too and must not repeat across files.
    write(tmp_path)
    other = mutate(REGION, "region: testland", "region: otherland")
    other = mutate(other, "name: 测试市", "name: 另一市")
    (tmp_path / "otherland.yaml").write_text(other, encoding="utf-8")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path)
    assert Path(info.value.file).name == "testland.yaml"
    assert "已在" in info.value.reason and "otherland.yaml" in info.value.reason


# --------------------------------------------------------------------------
# glossary.yaml and synonyms.yaml: optional, validated, copied into the bundle
# --------------------------------------------------------------------------

GLOSSARY = """\
- term: 起付线
  anchor: deductible
  short: 医保基金开始支付前，由个人先负担的费用额度。
  long: 每次住院或每年，合规费用先由个人负担到起付线为止，超过的部分才按比例报销。
- term: 异地就医
  anchor: remote-care
  short: 在参保地以外的地方看病。
  long: 在参保地以外看病，通常需要先备案，才能按规定报销。
"""

# the testland fixture lists one emergency condition
CONDITIONS = (
    "      emergency:\n",
    "      emergency:\n"
    "        conditions:\n          cite: t-2020/art2\n          items:\n            mi: 急性心肌梗塞\n",
)


def test_glossary_and_synonyms_absent_are_empty(tmp_path):
    b = compile_policies(write(tmp_path))
    assert b["glossary"] == [] and b["synonyms"] == {} and b["may_mean"] == {}


def test_glossary_in_bundle(tmp_path):
    write(tmp_path)
    (tmp_path / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    glossary = compile_policies(tmp_path)["glossary"]
    assert [g["anchor"] for g in glossary] == ["deductible", "remote-care"]
    assert glossary[0] == {
        "term": "起付线",
        "anchor": "deductible",
        "short": "医保基金开始支付前，由个人先负担的费用额度。",
        "long": "每次住院或每年，合规费用先由个人负担到起付线为止，超过的部分才按比例报销。",
    }


GLOSSARY_BROKEN = [
    # a duplicate is reported on the second entry: the marker's last line
    ("duplicate-term", "- term: 异地就医", "- term: 起付线", "LAST- term: 起付线", "repeated-entry"),
    ("duplicate-anchor", "anchor: remote-care", "anchor: deductible", "LASTanchor: deductible", "repeated-entry"),
    ("anchor-not-ascii", "anchor: remote-care", "anchor: 异地", "anchor: 异地", "bad-format"),
    ("anchor-upper-case", "anchor: remote-care", "anchor: Remote_Care", "anchor: Remote_Care", "bad-format"),
    (
        "short-not-chinese",
        "short: 在参保地以外的地方看病。",
        "short: care elsewhere",
        "short: care elsewhere",
        "not-chinese",
    ),
    ("long-empty", "long: 在参保地以外看病，通常需要先备案，才能按规定报销。", "long: ''", "long: ''", "empty"),
    (
        "missing-long",
        "  long: 在参保地以外看病，通常需要先备案，才能按规定报销。\n",
        "",
        "- term: 异地就医",
        "missing-key",
    ),
    ("unknown-key", "  anchor: remote-care\n", "  anchor: remote-care\n  colour: red\n", "colour: red", "unknown-key"),
]


@pytest.mark.parametrize("case", GLOSSARY_BROKEN, ids=[c[0] for c in GLOSSARY_BROKEN])
def test_broken_glossary_rejected_with_line(tmp_path, case):
    _, old, new, marker, code = case
    text = mutate(GLOSSARY, old, new)
    write(tmp_path)
    (tmp_path / "glossary.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path)
    err = info.value
    assert Path(err.file).name == "glossary.yaml", str(err)
    if marker.startswith("LAST"):
        expected = [i for i, ln in enumerate(text.splitlines(), 1) if marker[4:] in ln][-1]
    else:
        expected = line_of(text, marker)
    assert err.line == expected, str(err)
    assert err.code == code, str(err)


def test_synonyms_in_bundle(tmp_path):
    write(tmp_path, region=mutate(REGION, *CONDITIONS))
    (tmp_path / "synonyms.yaml").write_text(
        "# 同义词表\n急性心肌梗死: 急性心肌梗塞\n心梗: 急性心肌梗塞\n", encoding="utf-8"
    )
    assert compile_policies(tmp_path)["synonyms"] == {"急性心肌梗死": "急性心肌梗塞", "心梗": "急性心肌梗塞"}


def test_wider_names_in_bundle(tmp_path):
    write(tmp_path, region=mutate(REGION, *CONDITIONS))
    (tmp_path / "synonyms.yaml").write_text(
        "急性心梗: 急性心肌梗塞\n心梗:\n  may_mean: [急性心肌梗塞]\n", encoding="utf-8"
    )
    b = compile_policies(tmp_path)
    assert b["synonyms"] == {"急性心梗": "急性心肌梗塞"}
    assert b["may_mean"] == {"心梗": ["急性心肌梗塞"]}


@pytest.mark.parametrize(
    "text, line, code",
    [
        ("心梗: 急性心肌梗塞\n脑梗: 急性脑梗塞\n", 2, "synonym-unlisted"),
        ("心梗:\n  may_mean:\n    - 急性心肌梗塞\n    - 急性脑梗塞\n", 4, "synonym-unlisted"),
        ("心梗: {may_mean: []}\n", 1, "empty"),
        ("心梗: {may_mean: [急性心肌梗塞], note: 宽}\n", 1, "unknown-key"),
        ("急性心肌梗塞: {may_mean: [急性心肌梗塞]}\n", 1, "synonym-is-listed"),
        ("心梗: 急性心肌梗塞\n急性心肌梗塞: 急性心肌梗塞\n", 2, "synonym-is-listed"),
        ("心梗: 急性心肌梗塞\n心梗: 急性心肌梗塞\n", 2, "duplicate-key"),
        ("心梗: [急性心肌梗塞]\n", 1, "wrong-type"),
        ("- 心梗\n", 1, "wrong-type"),
    ],
)
def test_broken_synonyms_rejected_with_line(tmp_path, text, line, code):
    write(tmp_path, region=mutate(REGION, *CONDITIONS))
    (tmp_path / "synonyms.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path)
    assert Path(info.value.file).name == "synonyms.yaml"
    assert info.value.line == line, str(info.value)
    assert info.value.code == code, str(info.value)


def test_real_synonyms_name_listed_conditions():
    b = compile_policies(POLICIES)
    listed = {
        label
        for p in b["policies"].values()
        for rule in (p["remote"] or {}).values()
        if isinstance(rule, dict)
        for label in ((rule.get("conditions") or {}).get("items") or {}).values()
    }
    assert set(b["synonyms"].values()) <= listed


# --------------------------------------------------------------------------
# Hostile files are refused fast, with file:line, never a traceback or a crash.
# Nothing here times anything: the loader's limits (bytes, depth, aliases,
# values after expansion, number length) make slowness impossible; the times
# are printed (pytest -s, or tests/bench_hostile_yaml.py) for the record.
# --------------------------------------------------------------------------

HEAD = "region: testland\nname: 测试市\n"


def _alias_bomb() -> str:
    """Nine levels of nine aliases each: 9**9 values once expanded, 386 bytes of text."""
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def _bad_entries(n: int) -> str:
    """n unknown keys in one care mapping: n schema errors."""
    return mutate(
        REGION,
        "            method: standard\n",
        "            method: standard\n" + "".join(f"            colour{i}: red\n" for i in range(n)),
    )


# (id, file text or bytes, expected line (None: any line of the file), the mistake's code)
HOSTILE = [
    ("alias-bomb", HEAD + _alias_bomb(), 7, "too-many-values"),
    ("alias-recursive", HEAD + "x: &a [*a]\n", 3, "recursive-alias"),
    ("alias-recursive-mapping", HEAD + "x: &a {y: *a}\n", 3, "recursive-alias"),
    ("aliases-many", HEAD + "a: &a 1\nb: [" + ", ".join(["*a"] * 200) + "]\n", 4, "too-many-aliases"),
    ("nesting-5000", HEAD + "x: " + "[" * 5000 + "]" * 5000 + "\n", 3, "nesting-too-deep"),
    ("nesting-200000", HEAD + "x: " + "[" * 200_000 + "]" * 200_000 + "\n", 3, "nesting-too-deep"),
    ("nesting-block-100", HEAD + "".join(" " * i + f"k{i}:\n" for i in range(100)), 43, "nesting-too-deep"),
    ("number-exponent", HEAD + "x: 1.0e+999999999\n", 3, "exponent-too-large"),
    ("number-5000-digits", HEAD + "x: " + "9" * 5000 + "\n", 3, "number-too-long"),
    ("entries-400000", HEAD + "".join(f"k{i}: {i}\n" for i in range(400_000)), None, "file-too-large"),
    ("values-300000", HEAD + "x: [" + ",".join(["1"] * 300_000) + "]\n", 3, "too-many-values"),
    ("values-block-list", HEAD + "x:\n" + "".join(f"  - {i}\n" for i in range(100_000)), 19_997, "too-many-values"),
    ("not-utf8", HEAD.encode() + b"x: \xff\xfe\n", 3, "not-utf8"),
    ("python-tag", HEAD + "x: !!python/object/apply:os.system [echo hi]\n", 3, "yaml-tag"),
    ("multi-document", HEAD + "---\nx: 1\n", 3, "several-documents"),
    (
        "unique-items-6000-maps",
        mutate(REGION, "topics: [inpatient]", "topics: [" + ", ".join(f"{{a: {i}}}" for i in range(6000)) + "]"),
        11,
        "not-in-list",
    ),
    ("bad-entries-5000", _bad_entries(5000), 45, "unknown-key"),
]


def _refuse(tmp_path: Path, text) -> tuple[PolicyDataError, float, int]:
    """Compile with `text` as the region file: (the error, seconds, peak bytes allocated)."""
    import time
    import tracemalloc

    write(tmp_path)
    target = tmp_path / "testland.yaml"
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        compile_policies(tmp_path)
    except PolicyDataError as exc:
        err = exc
    else:  # pragma: no cover - the assertion below reports it
        err = None
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert err is not None, "the hostile file was accepted"
    return err, seconds, peak


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_file_refused_with_line(tmp_path, case):
    name, text, line, code = case
    err, seconds, peak = _refuse(tmp_path, text)
    print(f"\n{name}: {seconds:.3f} s, peak {peak / 1e6:.1f} MB: {str(err).splitlines()[0][-90:]}")
    assert Path(err.file).name == "testland.yaml", str(err)[:300]
    assert isinstance(err.line, int) and err.line >= 1, str(err)[:300]
    if line is not None:
        assert err.line == line, str(err)[:300]
    assert err.code == code, str(err)[:300]
    assert str(err).startswith(f"{err.file}:{err.line}: ") and "Traceback" not in str(err)
    assert peak < 100e6, f"{name} allocated {peak / 1e6:.0f} MB"


def test_mistakes_deduplicated_and_capped(tmp_path):
    err, _, _ = _refuse(tmp_path, _bad_entries(5000))
    first, _, rest = str(err).partition("\n另有 ")
    lines = rest.splitlines()
    # the first in full, then a header, 19 more, how many are left, where checking stopped (500 mistakes)
    assert len(lines) <= 22, len(lines)
    assert lines[0] == "499 处错误：" and "其余 480 处未列出" in lines[-2], lines[:2] + lines[-2:]
    assert "错误超过 500 处" in lines[-1]
    assert len(set(lines)) == len(lines) and len(err.mistakes) == 500
    # the same mistake found twice is listed once
    from compiler.files import Mistake, PolicyFile, raise_mistakes

    f = PolicyFile(tmp_path / "testland.yaml")
    f.mistakes = [
        Mistake(3, "empty", "重复", "改"),
        Mistake(3, "empty", "重复", "改"),
        Mistake(5, "empty", "别的", "改"),
    ]
    with pytest.raises(PolicyDataError) as info:
        raise_mistakes([f])
    assert str(info.value).count("重复") == 1 and "另有 1 处错误" in str(info.value)


def test_compiler_raises_only_policy_data_error(tmp_path, monkeypatch):
    """An unforeseen failure inside the compiler still ends as PolicyDataError (build.py catches only that)."""
    import compiler.policies as steps

    def broken(*args):
        raise KeyError("boom")

    monkeypatch.setattr(steps, "calendar", broken)
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path))
    assert info.value.code == "internal-error" and "KeyError" in info.value.reason


@pytest.mark.parametrize("name", ["glossary", "synonyms", "national"])
def test_hostile_files_beside_the_policies_refused(tmp_path, name):
    write(tmp_path)
    (tmp_path / f"{name}.yaml").write_text(_alias_bomb(), encoding="utf-8")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path)
    assert Path(info.value.file).name == f"{name}.yaml" and info.value.line == 5
    assert info.value.code == "too-many-values"


FUZZ_VALUES = ["null", "1", "-1", "1.5", "[]", "{}", "[a]", "{a: 1}", "'x'", "2024-02-30", "true", "*a", "&a x", "0x10"]
FUZZ_KEYS = ["cite", "note", "value", "items", "when", "upto", "from", "x_rate", "fund_rate", "care"]


def _fuzzed(rng, text: str) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        j = rng.randrange(len(lines))
        line, op = lines[j], rng.random()
        if op < 0.3 and ":" in line:
            lines[j] = f"{line.split(':')[0]}: {rng.choice(FUZZ_VALUES)}"
        elif op < 0.5:
            del lines[j]
        elif op < 0.7:
            lines.insert(j, lines[rng.randrange(len(lines))])
        elif op < 0.85 and ":" in line:
            lines[j] = line.replace(line.strip().split(":")[0], rng.choice(FUZZ_KEYS), 1)
        else:
            lines[j] = line + rng.choice([" #", "  x", ":", " [", "}"])
    return "\n".join(lines) + "\n"


def test_mutated_files_end_in_a_bundle_or_a_located_mistake(tmp_path):
    """300 random edits of the small region file (fixed seed): each compiles, or is refused at a line
    with a reason; never a traceback, never an internal error (a cross-check trusting a shape the
    schema did not guarantee)."""
    import random

    rng = random.Random(20261201)
    refused = 0
    for _ in range(300):
        text = _fuzzed(rng, REGION)
        try:
            compile_policies(write(tmp_path, region=text))
        except PolicyDataError as err:
            refused += 1
            assert err.line is not None and "内部错误" not in err.reason, f"{err}\n--- file:\n{text}"
    assert refused > 200  # most edits break something


def test_cli_refuses_deep_nesting_without_crashing(tmp_path):
    """200,000-deep nesting crashed the interpreter (segfault): now exit 1 and file:line on stderr."""
    write(tmp_path)
    (tmp_path / "testland.yaml").write_text(HEAD + "x: " + "[" * 200_000 + "]" * 200_000 + "\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "compiler", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1, (r.returncode, r.stderr[-500:])
    assert (
        "testland.yaml:3: 嵌套过深" in r.stderr and "〔nesting-too-deep〕" in r.stderr and "Traceback" not in r.stderr
    )


def test_limits_leave_room_for_real_files():
    """The real files are far inside every limit (so the limits never bite honest data)."""
    import compiler.yaml_loader as ld

    for path in REAL_FILES:
        text = path.read_text(encoding="utf-8")
        assert len(text.encode()) < ld.MAX_BYTES / 10, path.name
        nodes = depth = deepest = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                deepest = max(deepest, depth)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            nodes += isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent))
        assert nodes < ld.MAX_NODES / 4 and deepest < ld.MAX_DEPTH / 2, path.name


# --------------------------------------------------------------------------
# The bundle built from the small files
# --------------------------------------------------------------------------


def test_bundle_shape_and_merge(tmp_path):
    b = compile_policies(write(tmp_path))
    assert b["format"] == calculator.data.FORMAT
    p = b["policies"]["testland-employee"]
    assert (p["region"], p["region_name"], p["province"], p["scheme"]) == ("testland", "测试市", "测试省", "employee")
    assert p["facilities"] == {"grade1": "一级", "grade2": "二级"}
    assert p["members"][0] == {"id": "retired", "label": "退休人员", "when": ["retired"], "when_any": []}
    v1, v2 = p["versions"]
    assert v1["from"] == "2020-01-01" and v2["from"] == "2022-01-01"
    # numbers are their decimal text; the later version merges into the earlier one
    assert v1["care"]["inpatient"]["deductible"]["*"]["grade2"] == "600"
    assert v2["changes"] == {"inpatient": {"deductible": {"*": {"cite": "t-2022/art1", "grade2": "500"}}}}
    d2 = v2["care"]["inpatient"]["deductible"]
    assert d2["basis"] == "admission" and d2["*"]["grade1"] == "200" and d2["*"]["grade2"] == "500"
    assert d2["*"]["cite"] == "t-2022/art1"
    assert v2["care"]["inpatient"]["class_b_share"]["*"]["*"] == "0.10"  # trailing zero kept
    assert v2["care"]["inpatient"]["bands"]["*"]["grade1"][2] == {
        "upto": None,
        "fund_rate": None,
        "note": "来源未规定4.5万元以上的比例。",
    }
    assert p["remote"]["emergency"]["register"]["working_days"] == "5"
    assert p["lists"] is None
    # documents: region, derived superseded_by and cited_by
    docs = b["documents"]
    assert docs["t-2020"]["superseded_by"] == ["t-2022"] and docs["t-2022"]["supersedes"] == ["t-2020"]
    assert docs["t-2020"]["region"] == "testland" and docs["n-2022"]["region"] == "national"
    assert docs["t-2022"]["number"] is None and docs["t-2020"]["date"] == "2020-01-01"
    assert docs["n-2022"]["cited_by"] == ["national", "testland-employee"]
    assert docs["t-2020"]["clauses"] == {"art1": "第一条", "art2": "第二条"}
    assert b["regions"]["testland"] == {
        "id": "testland",
        "name": "测试市",
        "province": "测试省",
        "file": "policies/testland.yaml",
        "policies": ["testland-employee"],
    }
    assert b["national"] == {
        "cross_province": {"from": "2023-01-01", "ratio_cut": {"local": {"value": "0.10", "cite": "n-2022/r-8"}}}
    }
    json.dumps(b)  # JSON-serialisable


def test_calendar_from_chinese_calendar(tmp_path):
    cal = compile_policies(write(tmp_path))["calendar"]
    assert cal["source"].startswith("chinese-calendar ")
    assert cal["first"] == "2004-01-01" and cal["last"] >= "2026-12-31"
    # National Day 2024 was a day off; Sunday 2024-02-04 and Saturday 2024-10-12 were make-up workdays
    assert "2024-10-01" in cal["holidays"] and "2024-10-12" not in cal["holidays"]
    assert {"2024-02-04", "2024-10-12"} <= set(cal["workdays"])
    assert cal["holidays"] == sorted(cal["holidays"]) and not set(cal["holidays"]) & set(cal["workdays"])


def test_cli_writes_bundle_and_reports_errors(tmp_path, capsys):
    out = tmp_path / "policies.json"
    assert compile_main([str(write(tmp_path)), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == calculator.data.FORMAT
    (tmp_path / "testland.yaml").write_text(mutate(REGION, "grade1: 200", "grade1: -200"), encoding="utf-8")
    assert compile_main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "testland.yaml:" in err and "Traceback" not in err


# --------------------------------------------------------------------------
# The real policy files
# --------------------------------------------------------------------------


def test_real_files_exist():
    assert (POLICIES / "national.yaml") in REAL_FILES and len(REAL_FILES) >= 2


def test_real_files_compile():
    b = compile_policies(POLICIES)
    regions = {p.stem for p in REAL_FILES} - {"national"}
    assert set(b["regions"]) == regions
    for region in regions:
        assert b["regions"][region]["policies"], region


def _load_raw(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _numbers(node, owner=None, path=()):
    """Yield (path, number, nearest enclosing mapping) for every number in the YAML."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _numbers(v, node, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, owner, path + (i,))
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        yield path, node, owner


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.name for p in REAL_FILES])
def test_every_figure_has_a_resolving_citation(path):
    """Code health, independent of the compiler: walk the raw YAML (plain safe_load) and
    check every number sits in a mapping whose cite names a declared document and clause."""
    data = _load_raw(path)
    docs = dict(_load_raw(POLICIES / "national.yaml").get("documents") or {})
    docs.update(data.get("documents") or {})
    seen = 0
    for where, number, owner in _numbers({k: v for k, v in data.items() if k != "documents"}):
        seen += 1
        label = f"{path.name}: {'.'.join(map(str, where))} = {number}"
        assert owner is not None and isinstance(owner.get("cite"), str), f"{label} has no cite"
        doc_id, _, clause = owner["cite"].partition("/")
        assert doc_id in docs, f"{label}: cite {owner['cite']} names no declared document"
        assert clause in (docs[doc_id].get("clauses") or {}), f"{label}: cite {owner['cite']} names no clause"
    if path.stem != "national":
        assert seen, f"{path.name} holds no figures at all"


class _Yaml12Loader(yaml.SafeLoader):
    """Dates stay text, as in YAML 1.2 editors (the schema's view of a file)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def test_schema_is_valid_json_schema():
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.name for p in REAL_FILES])
def test_real_file_validates_with_plain_jsonschema(path):
    from jsonschema import Draft202012Validator

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in Draft202012Validator(schema).iter_errors(data)
    ]
    assert not errors, "\n".join(errors)


def test_plain_schema_rejects_unknown_keys_and_bad_rates():
    from jsonschema import Draft202012Validator

    v = Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    good = yaml.load(REGION, Loader=_Yaml12Loader)
    assert not list(v.iter_errors(good))
    bad = yaml.load(
        mutate(
            mutate(REGION, '"*": 0.10}', '"*": 1.5}'),
            "            method: standard\n",
            "            method: standard\n            colour: red\n",
        ),
        Loader=_Yaml12Loader,
    )
    messages = " ".join(e.message for e in v.iter_errors(bad))
    assert "1.5" in messages and "colour" in messages


def test_numbers_are_never_floats(tmp_path):
    from compiler import load_yaml

    data, lines = load_yaml("a: 0.1\nb: 1_000\nc: 2.50\nd: 1.5e+3\ne: 2024-01-31\n")
    assert data == {
        "a": Decimal("0.1"),
        "b": Decimal("1000"),
        "c": Decimal("2.50"),
        "d": Decimal("1500"),
        "e": "2024-01-31",
    }
    assert str(data["c"]) == "2.50" and lines[("e",)] == 5


def test_pure_python_loader_gives_the_same_bundle(monkeypatch):
    """CI may lack libyaml: the pure-Python loader must give the same bundle and lines."""
    import compiler.yaml_loader as loader_module

    fast = compile_policies(POLICIES)
    monkeypatch.setattr(loader_module, "_Loader", yaml.SafeLoader)
    assert compile_policies(POLICIES) == fast
    with pytest.raises(loader_module.Refused) as info:
        loader_module.load_yaml("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert info.value.line == 4 and info.value.code == "duplicate-key" and info.value.path == ("b", "c")


# --------------------------------------------------------------------------
# Hostile variants of the real files: figures that contradict each other,
# invisible characters. Each is refused at its line with the check's stable id.
# --------------------------------------------------------------------------

JIAOZUO_CAP = (
    "              value: null\n"
    "              note: 来源提到基本医保的最高支付限额，但没有给出金额；"
    "大额补充保险的规定说明它按一个年度内的报销额度计算。\n"
)
STUDENT_BANDS = "                  - {upto: 10000, fund_rate: 0.75, cite: cc-2010/res-students}\n"
UNNAMED_CAP = "            cap:\n              basis: null\n" + (
    "              basis_note: 来源没有提到封顶线，也就没有说明按年度还是按次计算。\n              value: null\n"
    "              note: 来源转述的市级办法只列出起付线和报销比例，没有提到封顶线。\n"
)
GRADED_GRADE1 = "                  - {upto: null, fund_rate: 0.80, cite: unnamed-city-pooling/graded-care}\n"

# (id, file, old, new, marker of the expected line, words in the reason)
CONTRADICTIONS = [
    ("cap-below-deductible", "jiaozuo", JIAOZUO_CAP, "              value: 100\n", "value: 100", "200"),
    (
        "cap-table-below-deductible",
        "unnamed",
        UNNAMED_CAP,
        "            cap:\n              basis: null\n"
        "              basis_note: 来源没有提到封顶线，也就没有说明按年度还是按次计算。\n"
        '              "*": {cite: unnamed-city-pooling/deductible, out_of_city: 2000}\n',
        "out_of_city: 2000}",
        "3000",
    ),
    (
        "band-below-deductible",
        "changchun",
        STUDENT_BANDS,
        "                  - {upto: 50, fund_rate: 0.75, cite: cc-2010/res-students}\n" + STUDENT_BANDS,
        "{upto: 50, fund_rate: 0.75",
        "起付线 100",
    ),
    (
        "bands-mixed-rates",
        "changchun",
        "                  - {upto: 50000, fund_rate: 0.80, cite: cc-2010/res-students}\n",
        "                  - {upto: 50000, patient_rate: 0.20, cite: cc-2010/res-students}\n",
        "{upto: 50000, patient_rate: 0.20",
        "fund_rate",
    ),
    (
        "per-case-one-band",
        "unnamed",
        GRADED_GRADE1,
        "                  - {upto: 5000, fund_rate: 0.80, cite: unnamed-city-pooling/graded-care}\n" + GRADED_GRADE1,
        GRADED_GRADE1.strip(),
        "quota",
    ),
    (
        "above-cap-without-cap",
        "jiaozuo",
        "            cap:\n              basis: year\n"
        + JIAOZUO_CAP
        + "              cite: jz-article/emp-inpatient\n",
        "",
        "base: above_cap",
        "职工大额医疗费用补充保险",
    ),
]


def _real_variant(tmp_path: Path, stem: str, old: str, new: str) -> str:
    """The real policy directory with one file changed; returns the changed file's text."""
    for path in POLICIES.glob("*.yaml"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    target = tmp_path / f"{stem}.yaml"
    text = mutate(target.read_text(encoding="utf-8"), old, new)
    target.write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize("case", CONTRADICTIONS, ids=[c[0] for c in CONTRADICTIONS])
def test_contradicting_figures_refused_with_line(tmp_path, case):
    name, stem, old, new, marker, words = case
    text = _real_variant(tmp_path, stem, old, new)
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path, POLICY_READINGS)
    err = info.value
    code = name.removeprefix("cap-table-")
    code = "cap-below-deductible" if code == "below-deductible" else code
    assert Path(err.file).name == f"{stem}.yaml", str(err)
    assert err.line == line_of(text, marker), str(err)
    assert err.code == code and words in err.reason, str(err)
    assert_for_an_editor(err)


def test_contradiction_reported_at_the_later_version(tmp_path):
    """A later version that lowers the cap under a deductible written earlier: the later figure's line,
    and the message names the earlier one's line."""
    text = mutate(
        REGION,
        "                grade2: 500\n",
        "                grade2: 500\n            cap:\n              value: 150\n              cite: t-2022/art1\n",
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=text))
    err = info.value
    assert err.line == line_of(text, "value: 150"), str(err)
    assert err.code == "cap-below-deductible" and f"第 {line_of(text, 'grade1: 200')} 行" in err.reason
    # the same cap in the first version, before any deductible is above it, is fine
    assert compile_policies(write(tmp_path, region=mutate(text, "value: 150", "value: 600")))


def test_band_under_an_annual_deductible_is_checked_only_when_both_count_the_same(tmp_path):
    """Annual bands after a per-admission deductible start where the year's costs stand: a low band
    may still pay, so it is not a contradiction; with both per admission it is."""
    low = mutate(
        REGION,
        "{upto: 5000, fund_rate: 0.8,",
        "{upto: 100, fund_rate: 0.7, cite: t-2020/art2}\n                  - {upto: 5000, fund_rate: 0.8,",
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=low))
    assert info.value.code == "band-below-deductible"
    annual = mutate(
        low, "            bands:\n              basis: admission", "            bands:\n              basis: year"
    )
    compile_policies(write(tmp_path, region=annual))
    # a band below the deductible that gives the fund nothing says the same as the deductible
    zero = mutate(low, "{upto: 100, fund_rate: 0.7,", "{upto: 100, fund_rate: 0,")
    compile_policies(write(tmp_path, region=zero))


# (id, file, old, new, marker of the expected line)
INVISIBLE = [
    ("nul-in-summary", "dafang", "region: dafang\n", "region: dafang\n# 备注\x00\n", "# 备注"),
    ("escape-in-text", "jiaozuo", "        label: 参保职工\n", '        label: "参保\\e职工"\n', 'label: "参保'),
    ("zero-width-in-key", "changchun", "region: changchun\n", 'region: changchun\n"x\\u200b": 1\n', '"x\\u200b"'),
    ("direction-override", "glossary", "- term: ", "- term: \u202e", "- term: \u202e"),
    ("escape-in-synonyms", "synonyms", "\n", '\n"心\\0梗": 急性心肌梗塞\n', '"心\\0梗"'),
]


@pytest.mark.parametrize("case", INVISIBLE, ids=[c[0] for c in INVISIBLE])
def test_control_characters_refused_at_their_line(tmp_path, case):
    _, stem, old, new, marker = case
    text = _real_variant(tmp_path, stem, old, new)
    with pytest.raises(PolicyDataError) as info:
        compile_policies(tmp_path, POLICY_READINGS)
    err = info.value
    assert Path(err.file).name == f"{stem}.yaml", str(err)
    assert err.line == line_of(text, marker), str(err)
    assert err.code == "text-control-character", str(err)


def test_tab_newline_and_a_leading_byte_order_mark_are_allowed(tmp_path):
    from compiler import load_yaml

    data, _ = load_yaml('\ufeffa: |\n  一\t二\n  三\nb: "x\\ty"\n')
    assert data == {"a": "一\t二\n三\n", "b": "x\ty"}


def test_invisible_class_is_unicode_control_and_format():
    """The loader's class is exactly what it says: every control character but tab/newline/CR, every
    format character (of the Basic Multilingual Plane, where text lives) and the line separators."""
    import unicodedata

    from compiler.yaml_loader import _INVISIBLE

    for code in range(0x110000):
        char = chr(code)
        cat = unicodedata.category(char)
        listed = bool(_INVISIBLE.match(char))
        if cat == "Cc" or (cat == "Cf" and code < 0x10000) or cat in ("Zl", "Zp"):
            assert listed == (char not in "\t\n\r"), hex(code)
        elif listed:
            assert cat in ("Cf", "Cn"), hex(code)  # astral format characters (Cn: newer than this Python)
