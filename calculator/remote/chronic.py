"""Outpatient chronic and special diseases across provinces (national.yaml `chronic_diseases`)."""

from __future__ import annotations

import datetime

from ..data import bundle
from .conditions import match
from .request import RemoteRequest
from .verdict import Part


def listed_diseases(chronic: dict, day: datetime.date) -> dict:
    """{id: name} of the diseases that may be settled directly across provinces on `day`."""
    names = {}
    for entry in chronic.get("lists") or []:
        start = entry.get("from")
        if start is None or datetime.date.fromisoformat(start) <= day:
            names.update(entry["diseases"])
    return names


def list_reasons(chronic: dict | None, r: RemoteRequest, part: Part) -> None:
    """The dated list and its filing rule, for every cross-province question."""
    if not chronic:
        return
    names = listed_diseases(chronic, r.visit)
    if names:
        part.out.reason("可以跨省直接结算的门诊慢特病：" + "、".join(names.values()) + "。", chronic.get("cite"))
        part.out.reason(chronic["filing_required"]["text"], chronic["filing_required"].get("cite"))
        part.out.reason(chronic["no_local_benefit"]["text"], chronic["no_local_benefit"].get("cite"))


def chronic_care(chronic: dict | None, r: RemoteRequest, part: Part) -> bool:
    """Is the disease on the national list? False: no direct settlement (the verdict says why)."""
    names = listed_diseases(chronic or {}, r.visit)
    if r.condition is None:
        part.verdict(None, "请说明所患的门诊慢特病：" + "、".join(names.values()) + "可以跨省直接结算。")
        return False
    found = match(r.condition, names, bundle().get("synonyms") or {})
    if found is None:
        part.fallback = True
        part.verdict(
            None,
            f"“{r.condition}”不在可以跨省直接结算的门诊慢特病之列，不能在外地直接结算；"
            "回参保地后能否报销、怎样报销，按参保地规定执行。",
        )
        return False
    part.out.reason(f"“{found}”属于可以跨省直接结算的门诊慢特病。", (chronic or {}).get("cite"))
    return True
