"""Cross-checks the shape cannot express: bands, a scheme's member groups, facilities and versions.

Which values are member groups or facilities is the vocabulary's (`rows_are`, `ids_of`): every
one must be declared by the scheme, and a near miss is named ("是不是想写 provincial").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from vocabulary import SHAPES

from .contradictions import check_contradictions
from .files import PolicyFile
from .mistakes import quoted
from .shapes import near, typed


def check_bands(f: PolicyFile, path, bands: list) -> None:
    """Bands ascending, one way of giving rates, the open end last."""
    prev = Decimal(0)
    first_way = None  # fund_rate or patient_rate, as the first band gives it
    for i, band in enumerate(bands):
        here = path + (i,)
        given = [k for k in ("fund_rate", "patient_rate") if k in band]
        if len(given) == 1:
            if first_way is None:
                first_way = given[0]
            elif given[0] != first_way:
                f.add(here + (given[0],), "bands-mixed-rates", first=first_way, here=given[0])
        upto = band["upto"]
        if upto is None and i != len(bands) - 1:
            f.add(here + ("upto",), "open-band-last")
            return
        if isinstance(upto, Decimal):
            if upto <= prev:
                f.add(here + ("upto",), "bands-ascending", upto=upto, previous=f"上一段的 {prev}" if i else " 0")
                return
            prev = upto


def check_scheme(f: PolicyFile, sid: str, scheme: dict) -> None:
    base = ("schemes", sid)
    _check_members(f, base, scheme["members"])
    _check_versions(f, base, scheme["versions"])
    declared = {
        "group": {m["id"]: m["label"] for m in scheme["members"]},
        "facility": dict(scheme["facilities"]),
    }
    for path, shape, value in typed(SHAPES["scheme"], scheme, base):
        if shape.get("define") == "bands" and isinstance(value, list):
            check_bands(f, path, value)
        if shape.get("rows_are") and isinstance(value, dict):
            for key in value:
                if key not in shape["keys"] and key != "*":
                    _declared(f, path + (key,), key, shape["rows_are"], declared, shape["keys"])
        if shape.get("ids_of") and isinstance(value, list):
            for j, item in enumerate(value):
                _declared(f, path + (j,), item, shape["ids_of"], declared)
    _check_insured_year(f, base, scheme.get("insured_year"))
    check_contradictions(f, sid, scheme)


def _declared(f: PolicyFile, path, value: str, what: str, declared: dict, keys: dict | None = None) -> None:
    """A member group or facility id the scheme declares; else a mistake naming the near one (in a
    table, a near miss of one of its own keys too: `basiss` for `basis`)."""
    known = declared[what]
    if value in known:
        return
    by_label = {label: key for key, label in known.items()}
    guess = by_label.get(value) or near(value, list(known) + list(keys or {}))
    said = (known.get(guess) or (keys or {}).get(guess, {}).get("word")) if guess else None
    f.add(
        path,
        f"unknown-{what}",
        value=value,
        known=quoted(known.items()),
        guess=f"“{guess}”（{said}）" if guess else None,
    )


def _check_insured_year(f: PolicyFile, base, spec) -> None:
    """`insured_year.starts` is a day every year has (MM-DD; not 02-29)."""
    starts = spec.get("starts") if isinstance(spec, dict) else None
    if not isinstance(starts, str):
        return
    try:
        datetime.date(2001, *(int(part) for part in starts.split("-")))
    except ValueError:
        f.add(base + ("insured_year", "starts"), "not-a-day-of-every-year", value=starts)


def _check_members(f: PolicyFile, base, members: list) -> None:
    seen = set()
    for i, m in enumerate(members):
        here = base + ("members", i)
        if m["id"] in seen:
            f.add(here + ("id",), "member-twice", value=m["id"])
        seen.add(m["id"])
        last = i == len(members) - 1
        has_when = "when" in m or "when_any" in m
        if last and has_when:
            f.add(here, "last-member-has-when", value=m["id"])
        if not last and not has_when:
            f.add(here, "member-unreachable", value=m["id"])


def _check_versions(f: PolicyFile, base, versions: list) -> None:
    """Oldest first. Undated ones (from: null) without applies_from come before any
    dated one; an undated one with applies_from is placed by that date."""
    prev = None
    for i, v in enumerate(versions):
        here = base + ("versions", i)
        if v["from"] is not None and "applies_from" in v:
            f.add(here + ("applies_from",), "applies-from-with-date", start=v["from"])
        start = v["from"] or v.get("applies_from")
        if v.get("from_year") is not None and v["from"] is not None:
            f.add(here + ("from_year",), "from-year-with-date")
        if start is None:
            if prev is not None:
                f.add(here + ("from",), "undated-after-dated", previous=prev)
        elif prev is not None and start == prev:
            f.add(here + ("from",), "versions-same-start", start=start)
        elif prev is not None and start < prev:
            f.add(here + ("from",), "versions-order", start=start, previous=prev)
        prev = start if start is not None else prev
