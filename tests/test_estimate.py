"""The estimator against hand-worked cases, bad input, and the CLI."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from caseload import estimate_cases

import calculator
from calculator import InputError

ROOT = Path(__file__).resolve().parent.parent


# The hand-worked cases run in tests/test_cases.py; this one anchors the tests below.
FIRST = next(c for c in estimate_cases() if c["name"] == "changchun-employee provincial, in service")


def test_steps_cite_their_sources():
    result = calculator.estimate(FIRST["request"])
    cited = {s["id"]: s["source"] for s in result["steps"]}
    assert cited["deductible"]["document"] == "cc-2010"
    assert "第一条" in cited["deductible"]["clause"]
    assert cited["band-1"]["cite"] == "cc-2010/emp-coinsurance"
    for step in result["steps"]:
        assert Decimal(step["amount"]) >= 0 and step["detail"]


def test_unstated_cap_is_a_caveat():
    result = calculator.estimate(FIRST["request"])
    assert any("封顶线" in c for c in result["caveats"])


BASE = {
    "policy": "changchun-employee",
    "date": "2026-03-01",
    "care": "inpatient",
    "facility": "provincial",
    "costs": {"total": "1000"},
}


def with_(path, value):
    request = json.loads(json.dumps(BASE))
    *parents, last = path.split(".")
    node = request
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value
    return request


BAD = [
    ("costs.total", "-5", "negative"),
    ("costs.total", "12.345", "too_many_decimals"),
    ("costs.total", "abc", "not_a_number"),
    ("costs.total", "99999999999", "too_large"),
    ("costs.total", None, "required"),
    ("costs.total", True, "type"),
    ("costs.class_b", "2000", "exceeds_total"),
    ("policy", "nowhere-resident", "unknown"),
    ("policy", None, "required"),
    ("facility", "moon", "unknown"),
    ("care", "dentistry", "unknown"),
    ("date", "2026-02-30", "invalid_date"),
    ("date", "yesterday", "invalid_date"),
    ("date", "2001-01-01", "before_policy"),
    ("member.retired", "yes", "type"),
    ("member.astronaut", True, "unknown_field"),
    ("remote.kind", "holiday", "unknown"),
    ("year_to_date.fund_paid", "-1", "negative"),
    ("colour", "blue", "unknown_field"),
]


@pytest.mark.parametrize("field,value,code", BAD, ids=[f"{f}={v!r}" for f, v, _ in BAD])
def test_bad_input_names_the_field(field, value, code):
    with pytest.raises(InputError) as info:
        calculator.estimate(with_(field, value))
    error = info.value
    assert error.code == code
    assert error.field == field
    assert error.message and any("\u4e00" <= ch <= "\u9fff" for ch in error.message)  # Chinese


def test_class_b_plus_self_pay_over_total():
    request = with_("costs.self_pay", "600")
    request["costs"]["class_b"] = "500"
    with pytest.raises(InputError) as info:
        calculator.estimate(request)
    assert info.value.code == "exceeds_total"


def test_request_must_be_an_object():
    for bad in (None, [], "x", 3):
        with pytest.raises(InputError):
            calculator.estimate(bad)


def run_cli(args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "calculator", *args], input=stdin, capture_output=True, text=True, cwd=ROOT
    )


def test_cli_estimate_and_errors():
    done = run_cli(["estimate"], json.dumps(FIRST["request"]))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["fund_pays"] == "15130.00"
    bad = run_cli(["estimate"], json.dumps(with_("costs.total", "-1")))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert json.loads(bad.stdout)["error"]["field"] == "costs.total"
    broken = run_cli(["estimate"], "{not json")
    assert broken.returncode == 2 and json.loads(broken.stdout)["error"]["code"] == "invalid_json"


def test_cli_policies_lists_ids_and_labels():
    done = run_cli(["policies"])
    assert done.returncode == 0, done.stderr
    listed = {p["id"]: p for p in json.loads(done.stdout)["policies"]}
    assert {f["id"] for f in listed["changchun-resident"]["facilities"]} >= {
        "provincial",
        "municipal",
        "district",
        "community_rehab",
    }
    assert listed["dafang-resident"]["versions"][0]["from"] == "2012-06-15"
    assert all(f["label"] for p in listed.values() for f in p["facilities"])
