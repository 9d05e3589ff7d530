"""Working days on the official calendar (standard library only).

The calendar comes from the bundle (`bundle["calendar"]`, generated at build
time from chinese-calendar): official days off (`holidays`) and make-up
working days on weekends (`workdays`, 调休). A day is a working day when it is
a make-up day, or a weekday that is not a holiday. Outside the calendar's
years we only know weekends: a deadline counted there says so itself
(`deadline_note`), and the result carries a caveat. The calendar's range is one
figure of the bundle (`calendar.first` / `calendar.last`, from the package the
build pins): a newer release of the package extends it, and nothing else changes.
"""

from __future__ import annotations

import datetime as _dt

_cache: dict[int, WorkCalendar] = {}

BEYOND_CAVEAT = (
    "{date}超出了官方节假日安排的已知范围（{first}至{last}），"
    "这部分只按周末计算，未计入当年的法定节假日和调休，请以当年公布的安排为准。"
)


BEYOND_NOTE = (
    "这个日期只按周末推算：本站的官方放假安排只有 {first} 至 {last}，范围以外的法定节假日和调休没有计入，"
    "实际截止日可能不同，请以官方公布的放假安排为准，尽量提前办理。"
)
RANGE_NOTE = (
    "截止日期按官方放假安排计算（扣除周末和法定节假日、计入调休上班日），本站的安排只有 {first} 至 {last}；"
    "范围以外的日期只按周末推算，结果中会逐条注明。"
)


def range_note(calendar: dict) -> str:
    """The calendar's range in words, for the checker's page (the catalogue carries it)."""
    return RANGE_NOTE.format(first=calendar["first"], last=calendar["last"])


def _day(value) -> _dt.date:
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(str(value))


class WorkCalendar:
    """Official working days: weekdays minus holidays plus make-up days."""

    def __init__(self, calendar: dict):
        self.first = _day(calendar["first"])
        self.last = _day(calendar["last"])
        self.holidays = frozenset(_day(d) for d in calendar.get("holidays", ()))
        self.workdays = frozenset(_day(d) for d in calendar.get("workdays", ()))

    def known(self, day: _dt.date) -> bool:
        return self.first <= day <= self.last

    def is_workday(self, day) -> bool:
        day = _day(day)
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def caveat(self, day: _dt.date) -> str:
        return BEYOND_CAVEAT.format(date=day.isoformat(), first=self.first.isoformat(), last=self.last.isoformat())

    def deadline_note(self, start, deadline) -> str | None:
        """What a deadline counted in working days from `start` says of itself: None when every day
        counted lies inside the calendar, else that it was counted by weekends only."""
        first_counted = _day(start) + _dt.timedelta(days=1)
        if self.known(first_counted) and self.known(_day(deadline)):
            return None
        return BEYOND_NOTE.format(first=self.first.isoformat(), last=self.last.isoformat())

    def nth_workday_after(self, start, n: int) -> tuple[_dt.date, list[str]]:
        """The n-th working day strictly after `start` (n >= 1), and caveats.

        "Within 5 working days after the visit" ends with the 5th working day
        after the visit date (DESIGN.md, "Reading the rules").
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        day = _day(start)
        caveats: list[str] = []
        count = 0
        while count < n:
            day += _dt.timedelta(days=1)
            if not self.known(day) and not caveats:
                caveats.append(self.caveat(day))
            if self.is_workday(day):
                count += 1
        return day, caveats

    def workdays_between(self, start, end) -> int:
        """Working days in (start, end]: how many have passed since `start`."""
        start, end = _day(start), _day(end)
        count = 0
        day = start
        while day < end:
            day += _dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


def calendar_from(calendar: dict) -> WorkCalendar:
    """A WorkCalendar for this calendar dict (cached: the bundle's is reused)."""
    key = id(calendar)
    cal = _cache.get(key)
    if cal is None or cal._source is not calendar:
        cal = WorkCalendar(calendar)
        cal._source = calendar
        _cache[key] = cal
    return cal
