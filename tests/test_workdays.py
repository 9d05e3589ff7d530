"""Working days on the official calendar (calculator/workdays.py).

The calendar is built here straight from chinese-calendar (the same source
compiler/holidays.py uses for the bundle), so these tests check the
arithmetic against the real 2025 and 2026 holiday arrangements.
"""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator.workdays import WorkCalendar


def official_calendar() -> dict:
    from chinese_calendar import constants

    days = list(constants.holidays) + list(constants.workdays)
    return {
        "first": f"{min(days).year}-01-01",
        "last": f"{max(days).year}-12-31",
        "holidays": sorted(d.isoformat() for d in constants.holidays),
        "workdays": sorted(d.isoformat() for d in constants.workdays),
    }


CAL = WorkCalendar(official_calendar())
D = dt.date


def test_calendar_matches_known_arrangements():
    # 2025 National Day + Mid-Autumn: Oct 1-8 off, make-up Sun Sep 28 and Sat Oct 11.
    assert not CAL.is_workday(D(2025, 10, 1)) and not CAL.is_workday(D(2025, 10, 8))
    assert CAL.is_workday(D(2025, 9, 28)) and CAL.is_workday(D(2025, 10, 11))
    # 2026: Mid-Autumn Sep 25-27 off, National Day Oct 1-7 off, make-up Sun Sep 20, Sat Oct 10.
    assert not CAL.is_workday(D(2026, 9, 25)) and not CAL.is_workday(D(2026, 10, 7))
    assert CAL.is_workday(D(2026, 9, 20)) and CAL.is_workday(D(2026, 10, 10))
    assert CAL.is_workday(D(2026, 3, 4)) and not CAL.is_workday(D(2026, 3, 7))


def test_five_workdays_thursday_before_national_day_2025():
    # Thu 2025-09-25: Fri 26 (1), make-up Sun 28 (2), Mon 29 (3), Tue 30 (4),
    # Oct 1-8 holiday, Thu Oct 9 (5).
    assert CAL.nth_workday_after(D(2025, 9, 25), 5) == (D(2025, 10, 9), [])


def test_five_workdays_counts_make_up_saturday_2025():
    # Tue 2025-10-07 (holiday): Oct 8 still off; Thu 9 (1), Fri 10 (2),
    # make-up Sat 11 (3), Mon 13 (4), Tue 14 (5).
    assert CAL.nth_workday_after(D(2025, 10, 7), 5)[0] == D(2025, 10, 14)


def test_five_workdays_thursday_before_holidays_2026():
    # Thu 2026-09-24: Mid-Autumn Sep 25-27 off; Mon 28 (1), Tue 29 (2), Wed 30 (3),
    # Oct 1-7 off, Thu Oct 8 (4), Fri Oct 9 (5).
    assert CAL.nth_workday_after(D(2026, 9, 24), 5)[0] == D(2026, 10, 9)


def test_five_workdays_counts_make_up_saturday_2026():
    # Thu 2026-10-01: Oct 2-7 off; Thu 8 (1), Fri 9 (2), make-up Sat 10 (3),
    # Mon 12 (4), Tue 13 (5).
    assert CAL.nth_workday_after(D(2026, 10, 1), 5)[0] == D(2026, 10, 13)


def test_ordinary_week():
    # Wed 2026-03-04: Thu (1), Fri (2), Mon (3), Tue (4), Wed 11 (5).
    assert CAL.nth_workday_after(D(2026, 3, 4), 5)[0] == D(2026, 3, 11)
    assert CAL.nth_workday_after(D(2026, 3, 6), 1)[0] == D(2026, 3, 9)


def test_beyond_calendar_falls_back_to_weekends_with_caveat():
    # Past the calendar's last day (2026-12-31 with chinese-calendar 1.11.0; derived, so a newer
    # release needs no change here) every weekday counts, 1 January included: the deadline is the
    # 5th weekday, and it says it was counted without official holidays.
    start = CAL.last + dt.timedelta(days=1)
    while start.weekday() >= 5:  # from the day before the first weekday past the end
        start += dt.timedelta(days=1)
    start -= dt.timedelta(days=1)
    weekdays = [d for d in (start + dt.timedelta(days=k) for k in range(1, 15)) if d.weekday() < 5]
    day, caveats = CAL.nth_workday_after(start, 5)
    assert day == weekdays[4] > CAL.last
    assert len(caveats) == 1 and (start + dt.timedelta(days=1)).isoformat() in caveats[0]
    assert "只按周末推算" in CAL.deadline_note(start, day)
    # Wholly inside the calendar: no caveat, no note.
    inside = CAL.last - dt.timedelta(days=40)
    day, caveats = CAL.nth_workday_after(inside, 5)
    assert caveats == [] and CAL.deadline_note(inside, day) is None


def test_workdays_between():
    assert CAL.workdays_between(D(2025, 9, 25), D(2025, 10, 9)) == 5
    assert CAL.workdays_between(D(2025, 9, 25), D(2025, 9, 25)) == 0


def test_rejects_nonpositive_n():
    with pytest.raises(ValueError):
        CAL.nth_workday_after(D(2026, 1, 5), 0)


@settings(max_examples=300, deadline=None)
@given(visit=st.dates(min_value=D(2005, 1, 1), max_value=D(2026, 12, 31)), n=st.integers(min_value=1, max_value=10))
def test_deadline_properties(visit, n):
    deadline, _ = CAL.nth_workday_after(visit, n)
    # The deadline is itself a working day, after the visit, at least n calendar
    # days later, and exactly n working days have passed by then.
    assert CAL.is_workday(deadline)
    assert deadline >= visit + dt.timedelta(days=n)
    assert CAL.workdays_between(visit, deadline) == n
    # No later working day fits: the day before has fewer than n working days.
    assert CAL.workdays_between(visit, deadline - dt.timedelta(days=1)) == n - 1
    # Holidays only push it later: never earlier than counting weekdays alone
    # would give, unless a make-up working day was counted on the way.
    weekdays_only = WorkCalendar({"first": "1900-01-01", "last": "9999-12-31"})
    plain, _ = weekdays_only.nth_workday_after(visit, n)
    makeups = [d for d in CAL.workdays if visit < d <= plain]
    if not makeups:
        assert deadline >= plain
