"""The build itself (sitebuild/): its date, the calendar warning, reproducibility, the entry point."""

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import ROOT, dates, pipeline

CALENDAR = {"calendar": {"source": "chinese-calendar 1.11.0", "last": "2026-12-31"}}


def test_build_date_is_source_date_epoch_when_given(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert dates.source_date_epoch({"documents": {}}) == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(SystemExit, match="SOURCE_DATE_EPOCH"):
        dates.source_date_epoch({"documents": {}})


def test_build_date_is_the_newest_commit_or_the_newest_document(monkeypatch, tmp_path):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    newest = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True)
    if newest.returncode == 0:  # a checkout (CI's is a fresh clone)
        assert dates.source_date_epoch({"documents": {}}) == int(newest.stdout)
    # Outside git: the newest document date in the data (undated documents do not count).
    bundle = {"documents": {"a": {"date": "2013-05-01"}, "b": {"date": "2016-01-03"}, "c": {"date": None}}}
    epoch = dates.source_date_epoch(bundle, root=tmp_path)
    assert dates.day_of(epoch) == dt.date(2016, 1, 3) and epoch == dates.epoch_of(dt.date(2016, 1, 3))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 10, 31), None),  # 61 days left
        (dt.date(2026, 11, 1), "ends on 2026-12-31, 60 days after the build date 2026-11-01"),
        (dt.date(2026, 12, 31), "ends on 2026-12-31, 0 days after"),
        (dt.date(2027, 2, 1), "ends on 2026-12-31, 32 days before the build date 2027-02-01"),
    ],
)
def test_calendar_warning_within_60_days_of_the_build_date(day, expected):
    warning = dates.calendar_warning(CALENDAR, day)
    if expected is None:
        assert warning is None
    else:
        assert warning.startswith("warning: the working-day calendar (chinese-calendar 1.11.0)") and expected in warning
        assert "weekends only" in warning and "pyproject.toml" in warning


def test_the_build_prints_the_calendar_warning_and_goes_on(capsys):
    """A warning on stderr, not a failure; the date it counts from is the build's own."""
    build = pipeline.Build(bundle=CALENDAR, epoch=dates.epoch_of(dt.date(2026, 12, 1)))
    pipeline.date_the_build(build)
    assert "ends on 2026-12-31, 30 days after the build date 2026-12-01" in capsys.readouterr().err
    pipeline.date_the_build(pipeline.Build(bundle=CALENDAR, epoch=dates.epoch_of(dt.date(2026, 6, 1))))
    assert capsys.readouterr().err == ""


def test_steps_say_what_they_need():
    """The pipeline's order is code: every step is named and says in one line what it needs."""
    assert pipeline.STEPS[0] is pipeline.compile_policies and pipeline.STEPS[-1] is pipeline.precompress
    assert len(set(pipeline.STEPS)) == len(pipeline.STEPS)
    for step in pipeline.STEPS:
        doc = step.__doc__ or ""
        assert doc.startswith("Needs ") and "\n" not in doc.strip(), step.__name__


def test_a_second_build_gives_the_same_site_byte_for_byte(site_dir, tmp_path):
    """Reproducible builds: the whole build again, in another directory (another hash seed, a
    later clock), gives every file of site/ (pages, search index, JSON, zips, .br/.gz, the
    service worker's cache name) byte for byte. The caches of compressed files and Pyodide's
    outputs are shared; they are keyed by what they read, and a cold run gives the same bytes."""
    root = tmp_path / "again"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("docs", "portal"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    pipeline.build(root)

    def files(site: Path) -> set[str]:
        # bench/ is written by `build.py bench browser`, not by the build
        return {
            p.relative_to(site).as_posix()
            for p in site.rglob("*")
            if p.is_file() and p.parts[len(site.parts)] != "bench"
        }

    first, second = files(site_dir), files(root / "site")
    stale = "site/ is not what this tree builds (run `python3 build.py build` after a change)"
    assert first == second, (stale, sorted(first ^ second)[:20])
    differ = [rel for rel in sorted(first) if (site_dir / rel).read_bytes() != (root / "site" / rel).read_bytes()]
    assert not differ, (stale, differ[:20])


def test_build_py_runs_before_the_venv_exists():
    """build.py and what it imports first (sitebuild.environment) need only the standard library:
    without site-packages (`python -S`) the command line still starts."""
    done = subprocess.run([sys.executable, "-S", "build.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "serve" in done.stdout and "lock" in done.stdout, done.stderr
