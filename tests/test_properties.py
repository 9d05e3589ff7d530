"""Invariants of the estimator over generated requests (hypothesis)."""

import datetime
import re
from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import calculator
from calculator.choices import overridable as _overridable
from calculator.tables import lookup

POLICIES = calculator.bundle()["policies"]
FLAGS = ["retired", "civil_servant", "minor", "student", "low_income", "relief", "flexible", "migrant_worker"]
CENTS = st.integers(min_value=0, max_value=60_000_000)  # up to 600,000 yuan, in fen


def money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


@st.composite
def requests(draw):
    policy = POLICIES[draw(st.sampled_from(sorted(POLICIES)))]
    version = draw(st.sampled_from(policy["versions"]))
    begins = version["from"] or version.get("applies_from")  # applies_from: an undated version placed by the source
    start = datetime.date.fromisoformat(begins) if begins else datetime.date(2000, 1, 1)
    day = start + datetime.timedelta(days=draw(st.integers(0, 400)))
    care_id = draw(st.sampled_from(sorted(version["care"])))
    care = version["care"][care_id]
    total = draw(CENTS)
    class_b = draw(st.integers(0, total))
    self_pay = draw(st.integers(0, total - class_b))
    request = {
        "policy": policy["id"],
        "date": day.isoformat(),
        "care": care_id,
        "facility": draw(st.sampled_from(sorted(policy["facilities"]))),
        "member": {flag: draw(st.booleans()) for flag in FLAGS},
        "costs": {"total": money(total), "class_b": money(class_b), "self_pay": money(self_pay)},
        "year_to_date": {
            "fund_paid": money(draw(st.integers(0, 30_000_000))),
            "eligible_costs": money(draw(st.integers(0, 30_000_000))),
            "out_of_pocket": money(draw(st.integers(0, 10_000_000))),
        },
    }
    overrides = {key: money(draw(st.integers(0, 10_000_000))) for key in _overridable(care) if draw(st.booleans())}
    if overrides:
        request["overrides"] = overrides
    if care.get("standards"):
        request["item"] = draw(st.sampled_from(sorted(care["standards"])))
    if draw(st.booleans()):
        request["remote"] = {
            "kind": draw(st.sampled_from(["referral", "emergency", "residence"])),
            "registered": draw(st.booleans()),
            "cross_province": draw(st.booleans()),
        }
    return request


def run(request):
    try:
        return calculator.estimate(request)
    except calculator.InputError:  # e.g. a date inside a gap the data does not cover
        assume(False)


FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(requests())
def test_fund_plus_patient_is_total_and_nothing_negative(request):
    result = run(request)
    total = Decimal(result["total"])
    fund, patient, hospital = (Decimal(result[k]) for k in ("fund_pays", "patient_pays", "hospital_bears"))
    assert fund + patient + hospital == total
    assert min(fund, patient, hospital) >= 0
    assert all(Decimal(v) >= 0 for v in result["payers"].values())
    assert all(Decimal(s["amount"]) >= 0 for s in result["steps"])
    assert sum(Decimal(v) for v in result["payers"].values()) == fund
    for key in ("total", "fund_pays", "patient_pays", "deductible"):
        assert len(result[key].split(".")[1]) == 2


@FAST
@given(requests())
def test_caps_are_never_exceeded(request):
    result = run(request)
    policy = POLICIES[request["policy"]]
    version = next(v for v in policy["versions"] if v["from"] == result["version"])
    care = version["care"][request["care"]]
    cap = care.get("cap")
    if not isinstance(cap, dict):
        return
    group = result["member_group"]
    value = cap.get("value") if "value" in cap else lookup(cap, group, request["facility"])[0]
    if value is None:
        return
    limit = Decimal(value)
    if cap.get("basis", "year") == "year":
        limit = max(limit - Decimal(request["year_to_date"]["fund_paid"]), Decimal(0))
    assert Decimal(result["payers"]["basic"]) <= limit
    for layer in care.get("layers") or []:
        if isinstance(layer.get("cap"), dict) and layer["cap"].get("value") is not None:
            assert Decimal(result["payers"].get(layer["id"], "0")) <= Decimal(layer["cap"]["value"])


@FAST
@given(requests(), st.integers(1, 5_000_000))
def test_a_bigger_bill_never_costs_the_patient_less(request, extra_cents):
    before = run(request)
    grown = {
        **request,
        "costs": {**request["costs"], "total": money(int(Decimal(request["costs"]["total"]) * 100) + extra_cents)},
    }
    after = run(grown)
    assert Decimal(after["patient_pays"]) >= Decimal(before["patient_pays"])


@settings(max_examples=100, deadline=None)
@given(requests())
def test_same_request_same_result(request):
    assert run(request) == run(request)


# A band whose bounds end in ".00 元" once looked like a bare zero to this test.
BAND_BOUNDS = {
    "policy": "changchun-resident",
    "date": "2010-09-03",
    "care": "inpatient",
    "facility": "community_rehab",
    "member": {"student": True},
    "costs": {"total": "150000.00", "class_b": "0.00", "self_pay": "0.00"},
}


@FAST
@given(requests())
@example(BAND_BOUNDS)
def test_headline_bounds_and_sentence_agree_with_the_figures(request):
    result = run(request)
    top = result["headline"]
    assert top["status"] in ("complete", "incomplete", "bounded")
    assert (top["status"] == "complete") == (top["missing"] == [])
    if top["status"] != "bounded":
        assert result["complete"] is (top["status"] == "complete")
    fund, patient = Decimal(result["fund_pays"]), Decimal(result["patient_pays"])
    for key, value in (("fund_pays", fund), ("patient_pays", patient)):
        low, high = result["bounds"][key]["min"], result["bounds"][key]["max"]
        assert low is None or Decimal(low) <= value
        assert high is None or value <= Decimal(high)
    if top["status"] == "incomplete":
        assert result["effective_rate"] is None
        # Never a bare zero as the answer (a band's bounds such as 80,000.00 元 are fine).
        assert not re.search(r"(?<![\d,])0\.00 元", top["text"].split("可以确定的是")[0])
    else:
        assert result["effective_rate"].endswith("%")
    assert result["summary"].startswith("这次") and result["summary"].endswith("。")
    # Amounts of 1,000 yuan or more carry thousands separators in every sentence.
    for text in [top["text"], result["summary"]] + [s["detail"] for s in result["steps"]]:
        for number in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)? 元", text):
            digits = number.split(".")[0].split(" ")[0]
            assert "," in digits or len(digits) <= 3, text
