"""China's official days off and make-up workdays (for deadlines in working days), from chinese_calendar."""

from __future__ import annotations

import datetime


def calendar() -> dict:
    """Official days off and make-up workdays, straight from chinese_calendar."""
    from importlib.metadata import version

    import chinese_calendar
    from chinese_calendar import constants

    holidays = sorted(constants.holidays)
    workdays = sorted(constants.workdays)
    first = datetime.date(min(holidays + workdays).year, 1, 1)
    last = datetime.date(max(holidays + workdays).year, 12, 31)
    try:
        ver = version("chinese-calendar")
    except Exception:  # pragma: no cover - installed without metadata
        ver = getattr(chinese_calendar, "__version__", "?")
    return {
        "source": f"chinese-calendar {ver}",
        "first": first.isoformat(),
        "last": last.isoformat(),
        "holidays": [d.isoformat() for d in holidays],
        "workdays": [d.isoformat() for d in workdays],
    }
