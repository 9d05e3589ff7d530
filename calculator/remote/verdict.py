"""A verdict built from one reading (the region's rules, or the national rules): eligible, and why."""

from __future__ import annotations

import datetime

from ..trace import Trace

ORDER = {False: 0, None: 1, True: 2}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day of the month `months` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Part:
    """One reading (local or national): its own trace, a verdict, and what it says."""

    def __init__(self, documents: dict):
        self.out = Trace(documents, unique_steps=True)
        self.eligible: bool | None = True
        self.why: str | None = None
        self.fallback = False  # the national reading sends the claim back to the insured city's rules
        self.excluded = False  # the region's scheme has no such benefit for this member (coverage.py)

    def verdict(self, value: bool | None, why: str) -> None:
        """Lower the verdict (False < None < True); the first lowest reason stays."""
        if ORDER[value] < ORDER[self.eligible]:
            self.eligible, self.why = value, why
        elif value is self.eligible and self.why is None:
            self.why = why
