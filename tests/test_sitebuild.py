"""The build itself (sitebuild/): its date, the calendar warning, reproducibility, the entry point."""

import datetime as dt
import html
import json
import re
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
    _rebuilds_read_what_changed(root, tmp_path)


def _rebuilds_read_what_changed(root: Path, tmp_path: Path) -> None:
    """The later steps keep what they found in each file of site/ until it changes
    (sitebuild.filememo): after a change of one region's figure, a rebuild shows it everywhere,
    leaves nothing stale (placeholders, siblings, the CSP, the offline list), and after the
    change is undone the next rebuild gives the first build's bytes again."""
    import gzip

    import brotli

    from sitebuild import csp, offline

    site = root / "site"

    def snapshot() -> dict[str, bytes]:
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    before = snapshot()
    policies = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", policies)
    changchun = policies / "changchun.yaml"
    text = changchun.read_text(encoding="utf-8")
    old = "{cite: cc-2010/emp-deductible, provincial: 1000,"  # employees' deductible, provincial hospitals
    assert text.count(old) == 1
    changchun.write_text(text.replace(old, old.replace("1000", "1234")), encoding="utf-8")
    pipeline.run(pipeline.Build(root, policies=policies))

    page = (site / "regions" / "changchun" / "employee" / "index.html").read_text(encoding="utf-8")
    index = json.loads((site / "data" / "index.json").read_text(encoding="utf-8"))
    region = (site / "data" / index["region_files"]["changchun"]).read_text(encoding="utf-8")
    assert 'data-v="1234"' in page and '"1234"' in region
    assert sorted(p.name for p in (site / "data" / "regions").glob("changchun.*.json")) == [
        Path(index["region_files"]["changchun"]).name
    ], "the region's old file was left behind"
    for path in site.rglob("*"):
        if path.suffix in (".html", ".js") and "bench" not in path.parts:
            assert not re.search(r"__[A-Z_]+__", path.read_text(encoding="utf-8")), path
        if path.suffix in (".br", ".gz"):
            unpack = brotli.decompress if path.suffix == ".br" else gzip.decompress
            assert unpack(path.read_bytes()) == path.with_suffix("").read_bytes(), path
    embed_guide = (site / "embed" / "guide" / "index.html").read_text(encoding="utf-8")
    assert html.escape(csp.policy(site), quote=False) in embed_guide
    sw = (site / "sw.js").read_text(encoding="utf-8")
    assert json.dumps(offline.precache_list(site), ensure_ascii=False) in sw

    pipeline.run(pipeline.Build(root))
    after = snapshot()
    assert after.keys() == before.keys()
    assert [rel for rel in after if after[rel] != before[rel]] == []


def test_build_py_runs_before_the_venv_exists():
    """build.py and what it imports first (sitebuild.environment) need only the standard library:
    without site-packages (`python -S`) the command line still starts."""
    done = subprocess.run([sys.executable, "-S", "build.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "serve" in done.stdout and "lock" in done.stdout, done.stderr


def test_a_file_memo_reads_a_file_again_once_it_changed_even_with_its_old_size_and_time(tmp_path):
    """sitebuild.filememo: a finding is kept while the file is unchanged and when its directory was renamed;
    a file written again with the same size and its old modification time put back is read again
    (the change time tells), and a memo cut short means every file is read."""
    import os

    from sitebuild.filememo import FileMemo

    site, memo_file = tmp_path / "site", tmp_path / "memo.json"
    (site / "v1").mkdir(parents=True)
    page = site / "v1" / "a.html"
    page.write_text("one")
    reads = []

    def find(path: Path) -> str:
        reads.append(path.name)
        return path.read_text()

    with FileMemo(memo_file, site) as memo:
        assert memo.get(page, find) == "one"
    with FileMemo(memo_file, site) as memo:
        assert memo.get(page, find) == "one" and reads == ["a.html"]  # unchanged: not read
    (site / "v1").rename(site / "v2")  # as the search index's directory is on a rebuild
    page = site / "v2" / "a.html"
    with FileMemo(memo_file, site) as memo:
        assert memo.get(page, find) == "one" and reads == ["a.html"]  # its directory renamed: not read
    old = page.stat()
    page.write_text("two")
    os.utime(page, ns=(old.st_atime_ns, old.st_mtime_ns))
    with FileMemo(memo_file, site) as memo:
        assert memo.get(page, find) == "two" and reads == ["a.html", "a.html"]
    memo_file.write_text('{"v2/a.html": [[3')
    with FileMemo(memo_file, site) as memo:
        assert memo.get(page, find) == "two" and reads == ["a.html", "a.html", "a.html"]
