"""No 0.00 where nothing is known (issue 17).

The result's line under the headline said 「费用总额 20,000.00 元，其中起付线 0.00 元。」 for
Beijing's residents, whose deductible the sources do not give, and for Xiaogan's
per-disease settlement, which has none. Every result of every hand-worked case and
of a sweep over every policy, version, care, facility, member group and disease is
scanned here for what the page shows (the deductible beside the total, each step's
amount, the certain amounts of the headline): a zero may only be a zero the rules
state, never one that stands for a figure the sources leave open.
"""

from __future__ import annotations

import copy
import datetime

import pytest
from caseload import estimate_cases

import calculator
from calculator import api
from vocabulary import REMOTE_KINDS

# Steps whose 0.00 is stated by the rules: the fund pays nothing for this claim (not covered, not
# filed), or the cap was already reached (the step's figure is what the fund still pays).
ZERO_BY_RULE = {"not_covered", "not_registered", "cap"}
BILLS = ({"total": "8000", "class_b": "1000", "self_pay": "500"}, {"total": "300"}, {"total": "60000"})


def _day_of(versions: list, i: int) -> str:
    """A date on which version i is the one in force: its start, else the day before the next start."""
    start = versions[i]["from"] or versions[i].get("applies_from")
    if start:
        return start
    later = [v["from"] or v.get("applies_from") for v in versions[i + 1 :]]
    later = [d for d in later if d]
    return (datetime.date.fromisoformat(later[0]) - datetime.timedelta(days=1)).isoformat() if later else "2026-03-01"


def _sweep():
    for policy in calculator.bundle()["policies"].values():
        for i, version in enumerate(policy["versions"]):
            day = _day_of(policy["versions"], i)
            for care_id, care in version["care"].items():
                for facility in care.get("facilities") or list(policy["facilities"]):
                    for group in policy["members"]:
                        flags = {f: True for f in (group.get("when") or []) + (group.get("when_any") or [])[:1]}
                        for costs in BILLS:
                            for item in care.get("standards") or [None]:
                                request = {
                                    "policy": policy["id"],
                                    "date": day,
                                    "care": care_id,
                                    "facility": facility,
                                    "member": flags,
                                    "costs": costs,
                                }
                                if item:
                                    request["item"] = item
                                yield request
        # out-of-region care in an estimate: every kind, filed or not, in or out of the province
        inpatient = policy["versions"][-1]["care"].get("inpatient")
        for kind in REMOTE_KINDS if inpatient else ():
            for registered, cross in ((True, False), (False, False), (True, True), (False, True)):
                yield {
                    "policy": policy["id"],
                    "date": "2026-03-01",
                    "facility": (inpatient.get("facilities") or list(policy["facilities"]))[0],
                    "costs": BILLS[0],
                    "remote": {"kind": kind, "registered": registered, "cross_province": cross},
                }


def _results() -> list[tuple[str, dict]]:
    requests = [(case["id"], case["request"]) for case in estimate_cases()]
    requests += [(f"sweep {r['policy']} {r.get('care')} {r['facility']} {r['costs']['total']}", r) for r in _sweep()]
    out = []
    for name, request in requests:
        envelope = api.call("estimate", copy.deepcopy(request))
        if "result" in envelope:
            out.append((name, envelope["result"]))
    return out


@pytest.fixture(scope="module")
def results() -> list[tuple[str, dict]]:
    return _results()


def test_the_scan_covers_every_policy_and_care(results):
    seen = {(r["policy"], r["care"]) for _, r in results}
    bundle = calculator.bundle()["policies"]
    assert seen == {(pid, cid) for pid, p in bundle.items() for v in p["versions"] for cid in v["care"]}
    assert len(results) > 400


def test_no_zero_stands_for_an_unknown(results):
    problems = [problem for name, result in results for problem in _zeros_for_unknowns(name, result)]
    assert not problems, "\n".join(problems[:30])


def _zeros_for_unknowns(name: str, result: dict) -> list[str]:
    """What the page shows of one result that is a 0.00 (or a certainty) the sources do not give."""
    out = []
    missing = result["headline"]["missing"]
    steps = {s["id"]: s for s in result["steps"]}
    # The deductible beside the total: a figure, or why there is none, never 0.00 for an unknown.
    if result["deductible"] is None:
        if result["deductible_reason"] not in ("unknown", "none"):
            out.append(f"{name}: deductible null without a reason")
        if ("起付线" in missing) != (result["deductible_reason"] == "unknown"):
            out.append(f"{name}: deductible_reason {result['deductible_reason']} but missing {missing}")
    else:
        shown = steps.get("deductible") or steps.get("remote_deductible")
        if "起付线" in missing or not shown or shown["amount"] != result["deductible"]:
            out.append(f"{name}: deductible {result['deductible']} is no step's figure (missing: {missing})")
    # Each step's amount: a zero the rules state (a 0% rate, nothing paid, a used-up deductible).
    for step in result["steps"]:
        amount = step.get("amount")
        if "来源未规定" in step["detail"] and amount is not None:
            out.append(f"{name}: {step['label']} shows {amount} for an unknown")
        elif amount == "0.00":
            stated = step["id"] in ZERO_BY_RULE or "× 0%" in step["detail"] or "还剩 0.00 元" in step["detail"]
            if not stated:
                out.append(f"{name}: {step['label']} shows 0.00 ({step['detail']})")
    # What the headline calls certain is certain: never a figure the sources do not give.
    out += [f"{name}: certain {c}" for c in result["headline"]["certain"] if any(m in c["label"] for m in missing)]
    return out


def test_beijing_residents_and_xiaogan_per_disease():
    """The two results the issue names: an unknown deductible, and a settlement that has none."""
    beijing = calculator.estimate(
        {"policy": "beijing-resident", "date": "2026-03-01", "facility": "designated", "costs": {"total": "20000"}}
    )
    assert (beijing["deductible"], beijing["deductible_reason"]) == (None, "unknown")
    assert "起付线" in beijing["headline"]["missing"]
    xiaogan = calculator.estimate(
        {
            "policy": "xiaogan-basic",
            "date": "2026-03-01",
            "care": "single_disease",
            "facility": next(iter(calculator.bundle()["policies"]["xiaogan-basic"]["facilities"])),
            "item": "appendicitis",
            "costs": {"total": "20000"},
        }
    )
    assert (xiaogan["deductible"], xiaogan["deductible_reason"]) == (None, "none")
    assert "起付线" not in xiaogan["headline"]["missing"]
