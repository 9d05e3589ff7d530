"""The hand-worked cases of tests/cases/*.yaml, run in CPython (the browser parity
test in tests/test_browser.py runs the same requests through the worker)."""

from decimal import Decimal
from pathlib import Path

import pytest
from caseload import CaseFileError, estimate_cases, load_file, remote_cases

import calculator

ESTIMATE = estimate_cases()
REMOTE = remote_cases()


def _compare(result: dict, expect: dict, case: dict, where: str = "") -> None:
    """Every expected field equals the result's; nested mappings compare key by key,
    `deadlines` compare by deadline id."""
    for key, expected in expect.items():
        label = f"{where}{key}"
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


def test_every_policy_has_cases():
    covered = {case["request"]["policy"] for case in ESTIMATE}
    assert set(calculator.bundle()["policies"]) <= covered


def test_case_ids_are_unique():
    ids = [c["id"] for c in ESTIMATE + REMOTE]
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
    assert loaded["remote"] == []


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
