"""Policy data: the real files compile, every figure is cited, broken files are
rejected with the right file, line and reason, and the published JSON Schema
works on its own (as an editor would use it)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from compiler import compile_policies
from compiler.policies import main as compile_main
from calculator.errors import PolicyDataError

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
        file_within_working_days: 5
        cite: t-2020/art2
      cross_province_cut: {value: 0.1, cite: n-2022/r-8}
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


def test_base_fixture_compiles(tmp_path):
    bundle = compile_policies(write(tmp_path))
    assert list(bundle["policies"]) == ["testland-employee"]


# (id, old, new, marker of the expected line, words the reason must contain)
BROKEN = [
    (
        "missing-cite",
        "                cite: t-2020/art1\n                grade1: 200",
        "                grade1: 200",
        "grade1: 200",
        "has no cite",
    ),
    (
        "null-without-note",
        "              value: null\n              note: 来源未给出金额。\n",
        "              value: null\n",
        "value: null",
        "no note",
    ),
    (
        "unknown-key",
        "            method: standard\n",
        "            method: standard\n            colour: red\n",
        "colour: red",
        "unknown key 'colour'",
    ),
    ("rate-above-one", '"*": 0.10}', '"*": 1.5}', '"*": 1.5}', "at most 1"),
    (
        "bands-not-ascending",
        "{upto: 45000, fund_rate: 0.85",
        "{upto: 4000, fund_rate: 0.85",
        "upto: 4000",
        "bands must go up",
    ),
    (
        "bands-gap-open-end-not-last",
        "{upto: 5000, fund_rate: 0.8,",
        "{upto: null, fund_rate: 0.8,",
        "{upto: null, fund_rate: 0.8,",
        "must be the last band",
    ),
    (
        "band-both-rates",
        "{upto: null, patient_rate: 0.2,",
        "{upto: null, patient_rate: 0.2, fund_rate: 0.8,",
        "patient_rate: 0.2, fund_rate",
        "exactly one of fund_rate, patient_rate",
    ),
    ("versions-overlap", "      - from: 2022-01-01", "      - from: '2020-01-01'", "from: '2020-01-01'", "overlap"),
    ("versions-unsorted", "      - from: 2022-01-01", "      - from: 2019-06-01", "from: 2019-06-01", "oldest first"),
    (
        "undated-version-not-first",
        "      - from: 2022-01-01",
        "      - from: null\n        from_note: 不详。",
        "from: null",
        "must come before every dated one",
    ),
    (
        "cite-missing-document",
        "fund_rate: 0.95, cite: t-2020/art2",
        "fund_rate: 0.95, cite: t-2021/art2",
        "t-2021/art2",
        "no document 't-2021'",
    ),
    ("cite-missing-clause", "cite: t-2022/art1", "cite: t-2022/art9", "t-2022/art9", "has no clause 'art9'"),
    ("cite-malformed", "cite: t-2022/art1", "cite: t-2022", "cite: t-2022", "<document-id>/<clause-id>"),
    (
        "duplicate-key",
        "                grade2: 600\n",
        "                grade2: 600\n                grade1: 300\n",
        "grade1: 300",
        "duplicate key 'grade1'",
    ),
    (
        "unknown-facility-in-table",
        '"*": {cite: t-2020/art1, "*": 0.10}',
        '"*": {cite: t-2020/art1, grade9: 0.10}',
        "grade9: 0.10",
        "unknown facility 'grade9'",
    ),
    (
        "unknown-group-in-table",
        '              retired:\n                "*":',
        '              veterans:\n                "*":',
        "veterans:",
        "unknown member group 'veterans'",
    ),
    (
        "unknown-facility-in-list",
        "facilities: [grade1, grade2]",
        "facilities: [grade1, grade3]",
        "facilities: [grade1, grade3]",
        "unknown facility 'grade3'",
    ),
    ("unknown-member-flag", "when: [retired]", "when: [retierd]", "when: [retierd]", "must be one of"),
    ("negative-amount", "grade1: 200", "grade1: -200", "grade1: -200", "at least 0"),
    ("not-a-real-date", "      - from: 2022-01-01", "      - from: 2022-02-30", "from: 2022-02-30", "not a real date"),
    ("float-syntax", "grade1: 200", "grade1: 0x20", "grade1: 0x20", "plain decimal"),
    (
        "yaml-syntax-error",
        "            label: 住院\n",
        "            label: 住院: 费用\n",
        "label: 住院: 费用",
        "YAML syntax error",
    ),
    (
        "region-id-not-file-name",
        "region: testland",
        "region: otherland",
        "region: otherland",
        "file name without .yaml",
    ),
    (
        "last-member-has-when",
        "        label: 在职人员\n",
        "        label: 在职人员\n        when: [civil_servant]\n",
        "- id: working",
        "must have no when",
    ),
    ("merged-care-without-method", "            method: standard\n", "", "care:", "no method"),
    ("wrong-type", "            label: 住院\n", "            label: 5\n", "label: 5", "must be text"),
    (
        "uncited-document",
        "      art1: 第一条\nschemes:",
        "      art1: 第一条\n  t-2023:\n    issuer: 某局\n"
        "    title: 未引用的文件\n    date: 2023-01-01\n    status: unknown\n    summary: 无。\n    clauses:\n"
        "      art1: 第一条\nschemes:",
        "  t-2023:",
        "never cited",
    ),
    (
        "unknown-facility-in-cap-table",
        "              value: null\n              note: 来源未给出金额。\n",
        '              "*": {cite: t-2020/art1, grade7: 1000}\n',
        "grade7: 1000",
        "unknown facility 'grade7'",
    ),
    (
        "negative-in-remote",
        "file_within_working_days: 5",
        "file_within_working_days: -5",
        "file_within_working_days: -5",
        "cannot be negative",
    ),
    (
        "supersedes-unknown",
        "supersedes: [t-2020]",
        "supersedes: [t-2019]",
        "supersedes: [t-2019]",
        "no policy file declares",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_region_file_rejected_with_line(tmp_path, case):
    _, old, new, marker, words = case
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
    assert words in err.reason, str(err)
    assert str(err).startswith(f"{err.file}:{err.line}: ")
    assert "Traceback" not in str(err)


def test_several_undated_versions_may_come_first(tmp_path):
    # sources with masked years (Beijing, Zhenjiang) give "was/now" versions without dates
    text = mutate(REGION, "      - from: 2020-01-01\n", "      - from: null\n        from_note: 年份不详。\n")
    text = mutate(text, "      - from: 2022-01-01\n", "      - from: null\n        from_note: 年份不详。\n")
    versions = compile_policies(write(tmp_path, region=text))["policies"]["testland-employee"]["versions"]
    assert [v["from"] for v in versions] == [None, None]
    assert versions[1]["care"]["inpatient"]["deductible"]["*"]["grade2"] == "500"


def test_broken_national_file_rejected_with_line(tmp_path):
    text = mutate(NATIONAL, "    cite: n-2022/r-8\n", "")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    err = info.value
    assert Path(err.file).name == "national.yaml"
    assert err.line == line_of(text, "value: 0.10")
    assert "has no cite" in err.reason


def test_national_rules_need_notes_for_nulls(tmp_path):
    text = mutate(NATIONAL, "    value: 0.10\n", "    value: null\n")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, national=text))
    assert info.value.line == line_of(text, "value: null")
    assert "no note" in info.value.reason


def test_remote_section_is_loose_but_cited(tmp_path):
    # any keys are fine under remote:, a bare number is not
    ok = mutate(
        REGION,
        "        file_within_working_days: 5\n",
        "        file_within_working_days: 5\n        any_new_key: [a, b]\n",
    )
    compile_policies(write(tmp_path, region=ok))
    bad = mutate(
        REGION, "      cross_province_cut: {value: 0.1, cite: n-2022/r-8}", "      cross_province_cut: {value: 0.1}"
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "cross_province_cut")
    assert "has no cite" in info.value.reason


def test_rates_checked_in_loose_sections(tmp_path):
    bad = mutate(REGION, "{value: 0.1, cite: n-2022/r-8}", "{value: 10, cite: n-2022/r-8}")
    bad = mutate(bad, "cross_province_cut", "cut_rate")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "cut_rate")
    assert "it is a rate" in info.value.reason


def test_several_mistakes_are_all_listed(tmp_path):
    text = mutate(REGION, "when: [retired]", "when: [retierd]")
    text = mutate(text, "grade1: 200", "grade1: -200")
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=text))
    err = info.value
    assert err.line == line_of(text, "when: [retierd]")  # the earliest line first
    assert f":{line_of(text, 'grade1: -200')}: " in err.reason


def test_unknown_flag_in_loose_section(tmp_path):
    bad = mutate(
        REGION,
        "        file_within_working_days: 5\n",
        "        file_within_working_days: 5\n        when_any: [retired, expat]\n",
    )
    with pytest.raises(PolicyDataError) as info:
        compile_policies(write(tmp_path, region=bad))
    assert info.value.line == line_of(bad, "when_any: [retired, expat]")
    assert "unknown member flag 'expat'" in info.value.reason


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
    assert "already declared in" in info.value.reason


# --------------------------------------------------------------------------
# The bundle built from the small files
# --------------------------------------------------------------------------


def test_bundle_shape_and_merge(tmp_path):
    b = compile_policies(write(tmp_path))
    assert b["format"] == 1
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
    assert p["remote"]["emergency"]["file_within_working_days"] == "5"
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
        "cross_province": {"from": "2023-01-01", "ratio_cut": {"value": "0.10", "cite": "n-2022/r-8"}}
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
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == 1
    (tmp_path / "testland.yaml").write_text(mutate(REGION, "grade1: 200", "grade1: -200"), encoding="utf-8")
    assert compile_main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "testland.yaml:" in err and "Traceback" not in err


def test_browser_import_does_not_need_compile():
    code = (
        "import sys, calculator; calculator.load_bundle('{\"format\": 1}'); "
        "bad = [m for m in ('yaml', 'jsonschema', 'chinese_calendar', 'compiler') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


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
    """Code health, independent of compile.py: walk the raw YAML (plain safe_load) and
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
    import compiler.policies as compile_module

    fast = compile_policies(POLICIES)
    monkeypatch.setattr(compile_module, "_Loader", yaml.SafeLoader)
    assert compile_policies(POLICIES) == fast
    with pytest.raises(Exception) as info:
        compile_module.load_yaml("a: 1\nb:\n  c: 2\n  c: 3\n")
    assert info.value.line == 4 and "duplicate key 'c'" in info.value.reason
