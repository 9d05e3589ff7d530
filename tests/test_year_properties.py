"""Invariants of a resident's year (calculator.year) over generated visits (hypothesis)."""

import datetime
import random
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import calculator
from calculator.ledger import insured_year
from calculator.request import select_version
from calculator.settlement import cap_spec

POLICIES = calculator.bundle()["policies"]
FLAGS = ["retired", "civil_servant", "minor", "student", "low_income", "relief", "flexible", "migrant_worker"]
AMOUNTS = ("total", "fund_pays", "patient_pays", "hospital_bears")
YEAR = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def first_day(policy: dict) -> datetime.date:
    dated = [v["from"] for v in policy["versions"] if v["from"]]
    return max(datetime.date.fromisoformat(dated[0]) if dated else datetime.date(2000, 1, 1), datetime.date(2000, 1, 1))


@st.composite
def visit(draw, policy: dict, start: datetime.date, days: int = 730):
    """One visit of a policy: a date within `days` of `start`, a care of the version then in force."""
    day = start + datetime.timedelta(days=draw(st.integers(0, days)))
    version, _ = select_version(policy, day, "date")
    care_id = draw(st.sampled_from(sorted(version["care"])))
    care = version["care"][care_id]
    total = draw(st.integers(0, 30_000_000))  # fen
    class_b = draw(st.integers(0, total))
    self_pay = draw(st.integers(0, total - class_b))
    out = {
        "date": day.isoformat(),
        "care": care_id,
        "facility": draw(st.sampled_from(care.get("facilities") or sorted(policy["facilities"]))),
        "costs": {"total": money(total), "class_b": money(class_b), "self_pay": money(self_pay)},
    }
    if care.get("standards"):
        out["item"] = draw(st.sampled_from(sorted(care["standards"])))
    return out


def money(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


@st.composite
def years(draw, max_visits: int = 6):
    policy = POLICIES[draw(st.sampled_from(sorted(POLICIES)))]
    start = first_day(policy)
    visits = draw(st.lists(visit(policy, start), min_size=1, max_size=max_visits))
    member = {flag: draw(st.booleans()) for flag in FLAGS}
    return {"policy": policy["id"], "member": member, "visits": visits}


def run(request):
    try:
        return calculator.year(request)
    except calculator.InputError:  # e.g. a date in a gap the data does not cover
        assume(False)


def figures(visit: dict) -> dict:
    """What a visit comes to, without the words (they name visits by their place in the request)."""
    keys = (*AMOUNTS, "date", "care", "facility", "deductible", "payers", "complete", "bounds", "effective_rate")
    return {**{k: visit[k] for k in keys}, "status": visit["headline"]["status"]}


def year_figures(entry: dict) -> dict:
    limits = [(r["kind"], r["care"], r["limit"], r["amount"]) for r in entry["remaining"]]
    return {
        **{k: entry[k] for k in (*AMOUNTS, "year", "bounds")},
        "status": entry["headline"]["status"],
        "limits": limits,
    }


@YEAR
@given(years())
def test_totals_are_the_sum_of_the_visits_and_each_visit_adds_up(request):
    result = run(request)
    assert sorted(v["index"] for v in result["visits"]) == list(range(len(request["visits"])))
    for key in AMOUNTS:
        visits = sum(Decimal(v[key]) for v in result["visits"])
        assert Decimal(result["totals"][key]) == visits == sum(Decimal(y[key]) for y in result["years"])
        for entry in result["years"]:
            assert Decimal(entry[key]) == sum(Decimal(v[key]) for v in result["visits"] if v["year"] == entry["year"])
    for v in result["visits"]:
        fund, patient, hospital = (Decimal(v[k]) for k in ("fund_pays", "patient_pays", "hospital_bears"))
        assert fund + patient + hospital == Decimal(v["total"]) and min(fund, patient, hospital) >= 0
        assert sum(Decimal(x) for x in v["payers"].values()) == fund
    assert result["headline"]["status"] in ("complete", "bounded", "incomplete")
    assert (result["headline"]["status"] == "complete") == all(
        v["headline"]["status"] == "complete" for v in result["visits"]
    )
    for entry in result["years"]:
        for limit in entry["remaining"]:
            assert (limit["amount"] is None) == (limit["reason"] is not None)
            assert limit["amount"] is None or Decimal(limit["amount"]) >= 0


@YEAR
@given(years())
def test_yearly_caps_hold_over_the_year(request):
    result = run(request)
    policy = POLICIES[request["policy"]]
    used: dict = {}
    for v in result["visits"]:
        version, _ = select_version(policy, datetime.date.fromisoformat(v["date"]), "date")
        row = cap_spec(version["care"][v["care"]], v["member_group"], v["facility"])
        if row and row.get("basis") == "year" and row.get("value") is not None:
            key = (v["year"], v["care"], row["value"])
            used[key] = used.get(key, Decimal(0)) + Decimal(v["payers"].get("basic", "0"))
            assert used[key] <= Decimal(row["value"]), (key, used[key])


@YEAR
@given(years(), st.randoms(use_true_random=False))
def test_the_order_visits_are_given_in_does_not_matter(request, rng: random.Random):
    days = [v["date"] for v in request["visits"]]
    assume(len(set(days)) == len(days))  # ties are settled in the order given, on purpose
    order = list(range(len(days)))
    rng.shuffle(order)
    shuffled = {**request, "visits": [request["visits"][i] for i in order]}
    first, second = run(request), run(shuffled)
    assert [figures(v) for v in first["visits"]] == [figures(v) for v in second["visits"]]
    assert [order[v["index"]] for v in second["visits"]] == [v["index"] for v in first["visits"]]
    assert first["totals"] == second["totals"]
    assert list(map(year_figures, first["years"])) == list(map(year_figures, second["years"]))


@st.composite
def two_years(draw):
    policy = POLICIES[draw(st.sampled_from(sorted(POLICIES)))]
    start = first_day(policy)
    one = draw(st.lists(visit(policy, start, days=300), min_size=1, max_size=4))
    later = insured_year(policy, start + datetime.timedelta(days=400))[1]  # an insured year after the first's
    two = draw(st.lists(visit(policy, later, days=300), min_size=1, max_size=4))
    return {"policy": policy["id"], "member": {f: draw(st.booleans()) for f in FLAGS}}, one, two


@YEAR
@given(two_years())
def test_visits_in_different_insured_years_do_not_affect_each_other(drawn):
    base, one, two = drawn
    policy = POLICIES[base["policy"]]
    assume({insured_year(policy, datetime.date.fromisoformat(v["date"]))[0] for v in one}.isdisjoint(
        {insured_year(policy, datetime.date.fromisoformat(v["date"]))[0] for v in two}
    ))  # fmt: skip
    together = run({**base, "visits": one + two})
    apart = run({**base, "visits": one})["visits"] + run({**base, "visits": two})["visits"]
    key = lambda v: (v["date"], v["care"], v["total"])  # noqa: E731
    assert sorted(map(figures, together["visits"]), key=key) == sorted(map(figures, apart), key=key)


PER_ADMISSION = sorted(
    (pid, v["from"] or "", care_id)
    for pid, policy in POLICIES.items()
    for v in policy["versions"]
    for care_id, care in v["care"].items()
    if care.get("method", "standard") == "standard" and (care.get("deductible") or {}).get("basis") == "admission"
)


@YEAR
@given(st.sampled_from(PER_ADMISSION), st.data())
def test_splitting_a_stay_never_lowers_what_the_patient_pays(where, data):
    """Where a deductible is paid per admission, the same bill as two stays costs the patient at least as much."""
    pid, start, care_id = where
    policy = POLICIES[pid]
    day = datetime.date.fromisoformat(start) if start else first_day(policy)
    care = select_version(policy, day, "date")[0]["care"][care_id]
    facility = data.draw(st.sampled_from(care.get("facilities") or sorted(policy["facilities"])))
    whole = data.draw(st.integers(1, 300_000))  # whole yuan: splitting adds no rounding of fen
    class_b = data.draw(st.integers(0, whole))
    bill = {"total": whole, "class_b": class_b, "self_pay": data.draw(st.integers(0, whole - class_b))}
    part = data.draw(st.integers(0, whole))
    first = {k: (v * part) // whole for k, v in bill.items()}
    second = {k: v - first[k] for k, v in bill.items()}
    member = {f: data.draw(st.booleans()) for f in FLAGS}

    def stay(costs: dict) -> dict:
        return {
            "date": day.isoformat(),
            "care": care_id,
            "facility": facility,
            "costs": {k: str(v) for k, v in costs.items()},
        }

    one = run({"policy": pid, "member": member, "visits": [stay(bill)]})
    split = run({"policy": pid, "member": member, "visits": [stay(first), stay(second)]})
    assume("incomplete" not in (one["headline"]["status"], split["headline"]["status"]))
    assert Decimal(split["totals"]["patient_pays"]) >= Decimal(one["totals"]["patient_pays"])
