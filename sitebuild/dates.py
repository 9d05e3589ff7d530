"""The build date, the same for every build of the same tree (reproducible builds).

SOURCE_DATE_EPOCH when given (https://reproducible-builds.org/specs/source-date-epoch/);
else the date of the newest commit; else, outside git, the newest document date in the
data. Pages are dated with it, MkDocs is given it, and the calendar warning counts from it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from . import ROOT

# The build warns when the working-day calendar ends this close to the build date.
CALENDAR_WARN_DAYS = 60


def source_date_epoch(bundle: dict, root: Path = ROOT) -> int:
    """Seconds since 1970 (UTC) that stand for "now" in this build."""
    given = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if given:
        if not given.isdigit():
            sys.exit(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {given!r}")
        return int(given)
    try:
        cmd = ["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "."]
        newest = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        newest = ""
    if newest.isdigit():
        return int(newest)
    dates = [doc["date"] for doc in bundle["documents"].values() if doc.get("date")]
    return epoch_of(dt.date.fromisoformat(max(dates)) if dates else dt.date(1980, 1, 1))


def epoch_of(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def day_of(epoch: int) -> dt.date:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).date()


def calendar_warning(bundle: dict, day: dt.date) -> str | None:
    """A warning when the working-day calendar ends within CALENDAR_WARN_DAYS of `day` (or before it)."""
    calendar = bundle["calendar"]
    last = dt.date.fromisoformat(calendar["last"])
    left = (last - day).days
    if left > CALENDAR_WARN_DAYS:
        return None
    when = f"{left} days after" if left >= 0 else f"{-left} days before"
    return (
        f"warning: the working-day calendar ({calendar['source']}) ends on {last}, {when} the build date {day}: "
        "deadlines in working days after it skip weekends only, not official holidays. "
        "Once a newer chinese-calendar is out, update its pin in pyproject.toml and run `python3 build.py lock`."
    )
