"""The hand-worked cases of tests/cases/*.yaml, run in CPython (the browser parity
test in tests/test_browser.py and the Pyodide sweep in tests/test_deploy.py run the
same requests through the worker)."""

from decimal import Decimal
from pathlib import Path

import pytest
from caseload import CaseFileError, estimate_cases, load_file, remote_cases, year_cases

import calculator

ESTIMATE = estimate_cases()
REMOTE = remote_cases()
YEAR = year_cases()


def _keyed(result: dict, key: str) -> dict | None:
    """A year answer's lists as mappings: visits by index, years by number, limits by care/kind."""
    items = result.get(key)
    if key == "visits" and isinstance(items, list):
        return {str(v["index"]): v for v in items}
    if key == "years" and isinstance(items, list):
        return {str(y["year"]): y for y in items}
    if key == "remaining" and isinstance(items, list):
        return {f"{r['care']}/{r['kind']}": r for r in items}
    return None


def _compare(result: dict, expect: dict, case: dict, where: str = "") -> None:
    """Every expected field equals the result's; nested mappings compare key by key,
    `deadlines` compare by deadline id; a year's visits, years and limits by their keys,
    its `order` as the indices in settlement order, `caveats` as texts each must contain."""
    for key, expected in expect.items():
        label = f"{where}{key}"
        keyed = _keyed(result, key) if isinstance(expected, dict) else None
        if keyed is not None:
            for item, fields in expected.items():
                assert item in keyed, f"{label}[{item}]: not in the result ({case['id']})"
                _compare(keyed[item], fields, case, f"{label}[{item}].")
            continue
        if key == "order":
            got = [v["index"] for v in result["visits"]]
            assert got == expected, f"order: {got} != {expected} ({case['id']})"
            continue
        if key == "caveats" and "years" in result:
            for text in expected:
                assert any(text in c for c in result["caveats"]), f"no caveat says {text!r} ({case['id']})"
            continue
        if key == "deadlines" and isinstance(expected, dict):
            got = {d["id"]: d["date"] for d in result.get("deadlines") or []}
            for id_, date in expected.items():
                assert got.get(id_) == date, f"deadline {id_}: {got.get(id_)!r} != {date!r} ({case['id']})"
            continue
        assert key in result, f"{label}: not in the result ({case['id']})"
        if isinstance(expected, dict) and isinstance(result[key], dict):
            _compare(result[key], expected, case, f"{label}.")
        else:
            assert result[key] == expected, f"{label}: {result[key]!r} != {expected!r} ({case['id']}: {case['rule']})"


@pytest.mark.parametrize("case", ESTIMATE, ids=[c["id"] for c in ESTIMATE])
def test_estimate_case(case):
    result = calculator.estimate(case["request"])
    _compare(result, case["expect"], case)
    total = Decimal(result["total"])
    assert Decimal(result["fund_pays"]) + Decimal(result["patient_pays"]) + Decimal(result["hospital_bears"]) == total
    assert sum(Decimal(v) for v in result["payers"].values()) == Decimal(result["fund_pays"])


@pytest.mark.parametrize("case", REMOTE, ids=[c["id"] for c in REMOTE])
def test_remote_case(case):
    _compare(calculator.check_remote(case["request"]), case["expect"], case)


@pytest.mark.parametrize("case", YEAR, ids=[c["id"] for c in YEAR])
def test_year_case(case):
    result = calculator.year(case["request"])
    _compare(result, case["expect"], case)
    for key in ("total", "fund_pays", "patient_pays", "hospital_bears"):
        visits = sum(Decimal(v[key]) for v in result["visits"])
        years = sum(Decimal(y[key]) for y in result["years"])
        assert Decimal(result["totals"][key]) == visits == years, key


def test_every_region_with_a_yearly_rule_has_year_cases():
    """A region whose data counts anything over a year (a yearly cap, annual bands or layers) has a year case."""
    yearly = set()
    for policy in calculator.bundle()["policies"].values():
        for version in policy["versions"]:
            for care in version["care"].values():
                cap = care.get("cap") or {}
                layers = care.get("layers") or []
                if (
                    cap.get("basis") == "year"
                    or (care.get("bands") or {}).get("basis") == "year"
                    or any(layer.get("base") == "annual_patient_in_policy" for layer in layers)
                ):
                    yearly.add(policy["region"])
    assert yearly <= {case["request"]["policy"].split("-")[0] for case in YEAR}


def test_every_policy_has_cases():
    covered = {case["request"]["policy"] for case in ESTIMATE}
    assert set(calculator.bundle()["policies"]) <= covered


def test_case_ids_are_unique():
    ids = [c["id"] for c in ESTIMATE + REMOTE + YEAR]
    assert len(ids) == len(set(ids))


# ---------------------------------------------------------------- the loader refuses what it cannot run

GOOD = """\
region: changchun
estimate:
  - name: a case
    rule: r
    source: s
    arithmetic: a
    request: {policy: changchun-employee, date: '2026-03-01', costs: {total: '1'}}
    expect: {fund_pays: '0.00'}
"""


def _write(tmp_path: Path, text: str, name: str = "changchun.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_accepts_a_plain_case(tmp_path):
    loaded = load_file(_write(tmp_path, GOOD))
    assert loaded["estimate"][0]["id"] == "changchun: a case"
    assert loaded["remote"] == [] and loaded["year"] == []


@pytest.mark.parametrize(
    "text,needle",
    [
        (GOOD.replace("    rule: r\n", "    rule: r\n    colour: blue\n"), "colour"),
        (GOOD + "extra: 1\n", "extra"),
        (GOOD.replace("    arithmetic: a\n", ""), "arithmetic"),
        (GOOD.replace("total: '1'", "total: 1.5"), "float"),
        (GOOD.replace("region: changchun", "region: dafang"), "region"),
        (GOOD.replace("changchun-employee", "dafang-resident"), "policy"),
        (GOOD.replace(" date: '2026-03-01',", ""), "request.date is missing"),
        (GOOD.replace("estimate:", "remote:").replace("date:", "visit_date:"), "request.today is missing"),
    ],
    ids=[
        "unknown case key",
        "unknown file key",
        "missing key",
        "float amount",
        "wrong region",
        "foreign policy",
        "no care date",
        "no today",
    ],
)
def test_loader_names_file_and_case(tmp_path, text, needle):
    with pytest.raises(CaseFileError) as info:
        load_file(_write(tmp_path, text))
    message = str(info.value)
    assert "changchun.yaml" in message and needle in message
    if needle in ("colour", "arithmetic", "float", "policy") or needle.endswith("missing"):
        assert "'a case'" in message


def test_loader_turns_dates_into_text(tmp_path):
    loaded = load_file(_write(tmp_path, GOOD.replace("date: '2026-03-01'", "date: 2026-03-01")))
    assert loaded["estimate"][0]["request"]["date"] == "2026-03-01"
