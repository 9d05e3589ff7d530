"""The running totals of one insured year, visit by visit (DESIGN.md, "Reading the rules").

Which total each rule reads, and what is shared:

    fund_paid       the basic fund's payments for the same care type   (yearly caps)
    eligible_costs  the eligible cost of the same care type            (annual bands, yearly deductibles)
    per layer id    the patient's share after the basic fund, and the layer's own payments, of every
                    visit whose care has that layer (annual layers, yearly layer caps): a layer the data
                    gives to two care types (Beijing's critical-illness insurance) counts both

A visit whose answer is not exact (any figure the sources leave open) makes the totals it adds to
uncertain; a later visit that reads one of them names it (`Claim.unsure`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .claim import Claim
from .engine import Settled
from .money import ZERO

ONE_DAY = datetime.timedelta(days=1)


def visit_name(index: int) -> str:
    """第3次就医: the visit as the resident gave it (index in the request, from 0)."""
    return f"第{index + 1}次就医"


def visits_name(indices: list[int]) -> str:
    """第1、3次就医."""
    return f"第{'、'.join(str(i + 1) for i in indices)}次就医"


def insured_year(policy: dict, day: datetime.date) -> tuple[int, datetime.date, datetime.date]:
    """The insured year a date falls in: (the year it starts in, first day, last day).

    The calendar year unless the policy data gives another start (`insured_year.starts`, MM-DD);
    a start the source leaves open (null) is counted as 1 January, with a caveat (years.py)."""
    starts = (policy.get("insured_year") or {}).get("starts") or "01-01"
    month, first = (int(part) for part in starts.split("-"))
    year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    begin = datetime.date(year, month, first)
    return year, begin, datetime.date(year + 1, month, first) - ONE_DAY


class Ledger:
    """What the visits of one insured year have added up to so far."""

    def __init__(self) -> None:
        self.fund: dict[str, Decimal] = {}  # care id -> the basic fund's payments
        self.eligible: dict[str, Decimal] = {}  # care id -> eligible cost
        self.layers: dict[str, dict] = {}  # layer id -> {"out_of_pocket", "paid"}
        self.unsure: dict[tuple, list[int]] = {}  # ("fund"|"eligible", care) or ("layer", id) -> visits

    def prepare(self, claim: Claim) -> None:
        """Give the claim this year's totals before it is settled."""
        care = claim.care_id
        claim.ytd = {
            "fund_paid": self.fund.get(care, ZERO),
            "eligible_costs": self.eligible.get(care, ZERO),
            "out_of_pocket": ZERO,
        }
        claim.layer_ytd = {key: dict(totals) for key, totals in self.layers.items()}
        keys = {("fund", care): "fund_paid", ("eligible", care): "eligible_costs"}
        keys.update({("layer", key): f"layer.{key}" for key in self.layers})
        claim.unsure = {name: visits_name(self.unsure[key]) for key, name in keys.items() if key in self.unsure}

    def add(self, index: int, settled: Settled) -> None:
        """Add a settled visit (its index in the request) to the totals."""
        claim, payers = settled.claim, settled.payers
        exact = not settled.trace.unknowns
        care = claim.care_id
        self.fund[care] = self.fund.get(care, ZERO) + payers.get("basic", ZERO)
        self.eligible[care] = self.eligible.get(care, ZERO) + claim.eligible
        self._mark(("fund", care), index, exact)
        self._mark(("eligible", care), index, claim.eligible_exact)
        for key in set(claim.layer_base) | (set(payers) - {"basic"}):
            totals = self.layers.setdefault(key, {"out_of_pocket": ZERO, "paid": ZERO})
            base = claim.layer_base.get(key)
            totals["out_of_pocket"] += base or ZERO
            totals["paid"] += payers.get(key, ZERO)
            self._mark(("layer", key), index, exact and (base is not None or key not in claim.layer_base))

    def _mark(self, key: tuple, index: int, exact: bool) -> None:
        if not exact:
            self.unsure.setdefault(key, []).append(index)

    def unsure_visits(self, key: tuple) -> str | None:
        """第1次就医 when earlier visits left this total uncertain, else None."""
        return visits_name(self.unsure[key]) if key in self.unsure else None
