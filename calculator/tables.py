"""Reading the data's tables: a figure by member group and facility, a band's fund share."""

from decimal import Decimal
from typing import Any

from .money import ONE, dec

META_KEYS = {"cite", "note", "basis", "basis_note", "overridable", "label"}
GROUP_TABLES = ("deductible", "bands", "cap", "class_b_share")


def lookup_keys(table: Any, group_id: str, facility: str) -> tuple[str, str | None] | None:
    """The keys lookup() reads: (group key, facility key), the facility key None for a row that is
    the list itself; None when the table has nothing for them."""
    if not isinstance(table, dict):
        return None
    for g in (group_id, "*"):
        row = table.get(g)
        if isinstance(row, dict):
            for f in (facility, "*"):
                if f in row and f not in META_KEYS:
                    return g, f
        elif isinstance(row, list) and g in table:
            return g, None
    return None


def lookup(table: Any, group_id: str, facility: str) -> tuple[Any, dict | None]:
    """table[group][facility] with "*" fallbacks; (value, row) or (None, None) when absent."""
    keys = lookup_keys(table, group_id, facility)
    if keys is None:
        return None, None
    g, f = keys
    return (table[g], None) if f is None else (table[g][f], table[g])


def cap_keys(cap: Any, group_id: str, facility: str) -> tuple | None:
    """Where a care's cap for this group and facility is written: ("value",) for one figure,
    (group key, facility key) in a table; None when no cap is written for them."""
    if not isinstance(cap, dict):
        return None
    if "value" in cap:
        return ("value",)
    return lookup_keys(cap, group_id, facility)


def band_rate(band: dict) -> Decimal | None:
    """Fund share of a band: fund_rate, or 1 - patient_rate; None when unknown."""
    if band.get("fund_rate") is not None:
        return dec(band["fund_rate"])
    if band.get("patient_rate") is not None:
        return ONE - dec(band["patient_rate"])
    return None


def single_rate(care: dict, group_id: str, facility: str) -> tuple[Decimal | None, dict | None]:
    """The one fund share of a care paid per case (its single band), and the band."""
    bands, _ = lookup(care.get("bands"), group_id, facility)
    if isinstance(bands, list) and bands:
        return band_rate(bands[0]), bands[0]
    return None, None


def group_row(table: Any, group_id: str) -> Any:
    """The part of a group-keyed table a member group reads (its own row, else "*")."""
    if not isinstance(table, dict):
        return None
    return table[group_id] if group_id in table else table.get("*")
