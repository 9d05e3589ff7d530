"""One answer, said the same way everywhere (issue 18): within one result the verdict, the steps,
the dates and the tiles never contradict each other, and an estimate of out-of-region care agrees
with the checker's verdict on the same care.

The page renders what the engine returns (tests/test_results_browser.py checks that part), so
these checks run on the results themselves: every hand-worked case in tests/cases/, and every
route of the out-of-region checker (policy × reason × care × network × filing × province ×
member × date of care).
"""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal

import pytest
from caseload import estimate_cases, remote_cases

import calculator
from calculator.data import bundle

AMOUNT = re.compile(r"(\d[\d,]*\.\d\d) 元")
YEAR = re.compile(r"(?<![\d-])((?:19|20)\d\d)(?![\d-])|(\d{4})-\d\d-\d\d")
PERIOD = re.compile(r"\d+\s*个?(工作日|日|天)")
NOT_FILED = ("补办备案", "还没有备案", "还没有登记")


def yuan(amount: str) -> str:
    return f"{Decimal(amount):,.2f} 元"


def words(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)


def years(text: str) -> set[int]:
    return {int(a or b) for a, b in YEAR.findall(text)}


def national_year() -> int:
    return int(bundle()["national"]["cross_province"]["from"][:4])


def check_dates(result: dict) -> None:
    """One date for the rules used, named one way: the note carries `rules_from`, and no other year
    stands beside it but the national rules' own start."""
    note = result["rules_note"]
    assert note.startswith(f"本次依据的规定：{result['rules_from']}"), note
    if result["as_of"]:
        assert result["rules_from"] == f"{result['as_of']} 起施行"
    allowed = {result["rules_year"], national_year()} - {None}
    assert years(note) <= allowed, note
    if result["age_years"]:
        assert f"{result['age_years']} 年" in note
    if result["age_years"] is not None and result["age_years"] >= 5 or result["rules_year"] is None:
        assert "确认" in note


def check_next(result: dict) -> dict:
    step = result["next_step"]
    assert step["label"] and step["detail"] and step["office"], step
    return step


# ---------------------------------------------------------------- estimates


def check_estimate(result: dict, request: dict) -> None:
    status = result["headline"]["status"]
    summary, headline = result["summary"], result["headline"]["text"]
    bounds = result["bounds"]
    assert "大约" not in summary and "约 " not in summary
    if status == "complete":
        assert f"医保基金支付 {yuan(result['fund_pays'])}" in summary, summary
        assert f"您需支付 {yuan(result['patient_pays'])}" in summary, summary
        assert result["effective_rate"] is not None
    elif status == "bounded":
        # The tiles show the bounds: the sentence and the headline say the same bound words and amounts.
        fund, patient = bounds["fund_pays"], bounds["patient_pays"]
        if fund["max"] is not None and fund["min"] is None:
            assert f"医保基金最多支付 {yuan(fund['max'])}" in summary, summary
            assert f"医保基金最多支付 {yuan(fund['max'])}" in headline, headline
        if patient["min"] is not None and patient["max"] is None:
            assert f"您至少支付 {yuan(patient['min'])}" in summary, summary
        assert result["effective_rate"] is not None
    else:
        assert result["effective_rate"] is None
    if status != "incomplete":  # the sentence's amounts are the tiles' (an incomplete one names segments)
        shown = {yuan(result[k]) for k in ("fund_pays", "patient_pays", "hospital_bears")}
        for amount in AMOUNT.findall(summary):
            assert f"{amount} 元" in shown, (amount, summary)
    elif "能算出的部分" in summary:
        assert f"医保基金支付 {yuan(result['fund_pays'])}" in summary, summary
    # Class B: either its first share is a step, or the sources' silence is named (never a bare 0.00).
    class_b = Decimal(str((request.get("costs") or {}).get("class_b") or "0").replace(",", ""))
    ids = [s["id"] for s in result["steps"]]
    eligible = next((s for s in result["steps"] if s["id"] == "eligible"), None)
    if class_b and eligible:
        assert "class_b_share" in ids or "乙类费用个人先行自付比例" in result["headline"]["missing"], ids
        assert "乙类先行自付 0.00 元" not in eligible["detail"]
    check_dates(result)
    step = check_next(result)
    if "not_covered" in ids and result["fund_pays"] == "0.00":
        assert step["label"] == "向医保经办机构咨询", step


ESTIMATES = estimate_cases()


@pytest.mark.parametrize("case", ESTIMATES, ids=[c["id"] for c in ESTIMATES])
def test_every_estimate_case_agrees_with_itself(case):
    check_estimate(calculator.estimate(case["request"]), case["request"])


# ---------------------------------------------------------------- the checker


def exclusions(policy_id: str) -> set[str]:
    """The region's words for "no such benefit", for every reason."""
    remote = bundle()["policies"][policy_id].get("remote") or {}
    return {e["covered"]["text_no"] for e in remote.values() if isinstance(e, dict) and e.get("covered")}


def check_remote(result: dict, request: dict) -> None:
    eligible = result["eligible"]
    text = words({k: v for k, v in result.items() if k != "next_step"})
    reasons = " ".join(r["text"] for r in result["reasons"])
    if eligible is True:
        # A yes never stands beside the region's own "no such benefit".
        assert not [t for t in exclusions(result["policy"]) if t in reasons], reasons
        assert result["settlement"]["method"] != "not_covered"
    if result["settlement"]["method"] == "not_covered":
        assert eligible is False and not result["deadlines"], result["eligible_reason"]
    if request.get("filed") is True:
        found = [w for w in NOT_FILED if w in text]
        assert not found, (found, request)
    # Every deadline is on the checklist with its date; an item that gives a period in days shows
    # the date it ends; the checklist runs before -> during -> after.
    dated = {(c["id"], c["date"]) for c in result["checklist"] if c["date"]}
    assert {(d["id"], d["date"]) for d in result["deadlines"]} <= dated
    for item in result["checklist"]:
        if PERIOD.search(item["label"]):
            assert item["date"], item
    order = [("before", "during", "after").index(c["phase"]) for c in result["checklist"]]
    assert order == sorted(order)
    check_dates(result)
    step = check_next(result)
    if eligible is False:
        assert step["label"] == "向医保经办机构咨询", step
    else:
        open_items = [c for c in result["checklist"] if not c["passed"]]
        if open_items:
            assert (step["label"], step["date"]) == (open_items[0]["label"], open_items[0]["date"])
    assert result["rules_applied"] in ("local", "local+national")


REMOTES = remote_cases()


@pytest.mark.parametrize("case", REMOTES, ids=[c["id"] for c in REMOTES])
def test_every_remote_case_agrees_with_itself(case):
    check_remote(calculator.check_remote(case["request"]), case["request"])


REASONS = ("emergency", "referral", "residence", "work", "temporary")
CARES = ("inpatient", "outpatient", "chronic")
MEMBERS = ({}, {"student": True}, {"retired": True}, {"minor": True})


def routes(policy_id: str, reason: str):
    """Every combination the checker distinguishes, for one policy and reason."""
    conditions = {"emergency": ("休克", "骨盆骨折", None)}.get(reason, (None,))
    tri, days = (True, False, None), ("2022-06-01", "2025-06-03")
    for care, networked, filed, cross, member, visit, condition in itertools.product(
        CARES, tri, tri, (True, False), MEMBERS, days, conditions
    ):
        request = {
            "policy": policy_id,
            "reason": reason,
            "care": care,
            "member": member,
            "visit_date": visit,
            "today": visit,
            "cross_province": cross,
            "months_elsewhere": 13,
        }
        if care == "chronic":
            request["condition"] = "糖尿病"
        elif condition:
            request["condition"] = condition
        if networked is not None:
            request["networked"] = networked
        if filed is not None:
            request["filed"] = filed
        yield request


def first_dated_version(policy: dict) -> bool:
    return all(v["from"] is None or v["from"] <= "2022-06-01" for v in policy["versions"][:1])


@pytest.mark.parametrize("reason", REASONS)
def test_every_route_of_the_checker_agrees(reason):
    for policy_id, policy in bundle()["policies"].items():
        if not first_dated_version(policy):
            continue  # no rules on 2022-06-01: an input error, tested elsewhere
        verdicts: dict = {}
        for request in routes(policy_id, reason):
            result = calculator.check_remote(request)
            check_remote(result, request)
            # Who has the benefit at all does not depend on the hospital's network or the filing.
            key = tuple(json.dumps(request.get(k), sort_keys=True) for k in ("care", "member", "cross_province"))
            key += (request["visit_date"], request.get("condition"))
            verdicts.setdefault(key, set()).add(result["settlement"]["method"] == "not_covered")
        mixed = {k: v for k, v in verdicts.items() if len(v) > 1}
        assert not mixed, (policy_id, reason, list(mixed)[:3])


@pytest.mark.parametrize("kind", sorted(bundle()["labels"]["remote_kind"]))
def test_an_estimate_of_out_of_region_care_agrees_with_the_checker(kind):
    """No benefit in the check is no payment in the estimate, and a payment is never a "no"."""
    for policy_id, policy in bundle()["policies"].items():
        care = "inpatient" if "inpatient" in policy["versions"][-1]["care"] else None
        if care is None or not first_dated_version(policy):
            continue
        facility = next(iter(policy["facilities"]))
        for member, registered, cross, day in itertools.product(
            MEMBERS, (True, False), (True, False), ("2022-06-01", "2025-06-03")
        ):
            request = {
                "policy": policy_id,
                "date": day,
                "care": care,
                "facility": facility,
                "member": member,
                "costs": {"total": "10000"},
                "remote": {"kind": kind, "registered": registered, "cross_province": cross},
            }
            estimate = calculator.estimate(request)
            check_estimate(estimate, request)
            check = calculator.check_remote(
                {
                    "policy": policy_id,
                    "reason": kind,
                    "member": member,
                    "visit_date": day,
                    "today": day,
                    "cross_province": cross,
                    "filed": registered,
                    "condition": "休克" if kind == "emergency" else None,
                }
            )
            excluded = check["settlement"]["method"] == "not_covered"
            not_covered = any(s["id"] == "not_covered" for s in estimate["steps"])
            assert excluded == not_covered, (request, check["eligible_reason"])
            if excluded:
                step = next(s for s in estimate["steps"] if s["id"] == "not_covered")
                assert step["detail"] == check["eligible_reason"]
                assert estimate["fund_pays"] == "0.00"
            # The estimate's next step is the checker's.
            assert estimate["next_step"]["label"] in {check["next_step"]["label"], "向医保经办机构咨询"}
