"""Hand-worked cases as data: tests/cases/<region>.yaml, one file per region.

A case file holds `region` and the lists `estimate`, `remote` and/or `year`; each case
has `name`, `rule` (the rule exercised), `source` (document and clause: a string or a
list of strings), `arithmetic` (the working in words), `request` (sent as is to
`calculator.estimate`, `calculator.check_remote` or `calculator.year`; it sets `date`,
or `visit_date` and `today`, and a year sets each visit's `date`, so no case depends on the
day it runs), `expect` (the
result fields compared) and optionally `note`. A year case's `expect` may name visits by
their index in the request (`visits: {0: {...}}`), years by number (`years: {2026: {...}}`),
a year's limits by care and kind (`remaining: {outpatient/band: {...}}`), the settlement
`order` (a list of indices), and `caveats` as texts each caveat list must contain.
Adding a case needs no Python: copy one in the region's file. Unknown keys, missing
keys and floats (money is never a float) fail with the file and the case's name.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).resolve().parent / "cases"

KINDS = ("estimate", "remote", "year")
FILE_KEYS = {"region", *KINDS}
REQUIRED = ("name", "rule", "source", "arithmetic", "request", "expect")
OPTIONAL = ("note",)
CASE_KEYS = set(REQUIRED) | set(OPTIONAL)
# The dates a request must carry: without them the engine takes today's date.
DATED = {"estimate": ("date",), "remote": ("visit_date", "today")}


class CaseFileError(ValueError):
    """A case file that cannot be run as written."""


def _plain(value, where: str):
    """YAML -> what a JSON request would hold: dates back to text, floats refused."""
    if isinstance(value, dict):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        raise CaseFileError(f"{where}: {value!r} is a float; write amounts as quoted strings, e.g. '12.50'")
    return value


def _check_dated(label: str, kind: str, request: dict) -> None:
    """A case never depends on the day it runs (the engine's default date is today)."""
    if kind == "year":  # each visit carries its own date
        for i, visit in enumerate(request.get("visits") or []):
            if not isinstance(visit, dict) or not visit.get("date"):
                raise CaseFileError(f"{label}: request.visits[{i}].date is missing: every case sets its dates")
        return
    for key in DATED[kind]:
        if not request.get(key):
            raise CaseFileError(f"{label}: request.{key} is missing: every case sets its dates")


def _check_case(path: Path, kind: str, index: int, case) -> dict:
    label = f"{path.name}: {kind}[{index}]"
    if not isinstance(case, dict):
        raise CaseFileError(f"{label}: a case must be a mapping with {', '.join(REQUIRED)}")
    name = case.get("name")
    if isinstance(name, str) and name.strip():
        label = f"{path.name}: {kind} case {name!r}"
    unknown = sorted(set(case) - CASE_KEYS)
    if unknown:
        raise CaseFileError(f"{label}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(CASE_KEYS))})")
    missing = [k for k in REQUIRED if k not in case]
    if missing:
        raise CaseFileError(f"{label}: missing key(s) {', '.join(missing)}")
    for key in ("name", "rule", "arithmetic"):
        if not isinstance(case[key], str) or not case[key].strip():
            raise CaseFileError(f"{label}: {key} must be non-empty text")
    source = case["source"]
    if isinstance(source, str):
        source = [source]
    if not source or not all(isinstance(s, str) and s.strip() for s in source):
        raise CaseFileError(f"{label}: source must be text or a list of texts (document and clause)")
    for key in ("request", "expect"):
        if not isinstance(case[key], dict) or not case[key]:
            raise CaseFileError(f"{label}: {key} must be a non-empty mapping")
    request = _plain(case["request"], f"{label}: request")
    expect = _plain(case["expect"], f"{label}: expect")
    _check_dated(label, kind, request)
    region = path.stem
    policy = request.get("policy")
    if not isinstance(policy, str) or policy.split("-")[0] != region:
        raise CaseFileError(f"{label}: request.policy {policy!r} is not a policy of region {region!r}")
    return {
        "id": f"{region}: {case['name']}",
        "name": case["name"],
        "rule": case["rule"],
        "source": "；".join(source),
        "arithmetic": case["arithmetic"],
        "note": case.get("note"),
        "file": path.name,
        "request": request,
        "expect": expect,
    }


def load_file(path: Path) -> dict:
    """{"estimate": [cases], "remote": [cases], "year": [cases]} of one case file, validated."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CaseFileError(f"{path.name}: the file must be a mapping with region, estimate, remote and/or year")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise CaseFileError(
            f"{path.name}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(FILE_KEYS))})"
        )
    if data.get("region") != path.stem:
        raise CaseFileError(f"{path.name}: region must be {path.stem!r} (the file name), not {data.get('region')!r}")
    out = {}
    for kind in KINDS:
        cases = data.get(kind) or []
        if not isinstance(cases, list):
            raise CaseFileError(f"{path.name}: {kind} must be a list of cases")
        out[kind] = [_check_case(path, kind, i, c) for i, c in enumerate(cases)]
    names = [c["name"] for kind in out for c in out[kind]]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CaseFileError(f"{path.name}: case name(s) used twice: {', '.join(dupes)}")
    return out


def load_all(directory: Path = CASES_DIR) -> dict:
    """All case files, in file-name order: {"estimate": [...], "remote": [...], "year": [...]}."""
    merged = {kind: [] for kind in KINDS}
    for path in sorted(directory.glob("*.yaml")):
        loaded = load_file(path)
        for kind in merged:
            merged[kind] += loaded[kind]
    return merged


def estimate_cases(directory: Path = CASES_DIR) -> list[dict]:
    """Cases for calculator.estimate: [{"id", "name", "rule", "source", "arithmetic", "request", "expect", ...}]."""
    return load_all(directory)["estimate"]


def remote_cases(directory: Path = CASES_DIR) -> list[dict]:
    """Cases for calculator.check_remote, same shape as estimate_cases()."""
    return load_all(directory)["remote"]


def year_cases(directory: Path = CASES_DIR) -> list[dict]:
    """Cases for calculator.year, same shape as estimate_cases()."""
    return load_all(directory)["year"]
