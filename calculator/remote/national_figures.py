"""National figures read from the bundle (policies/national.yaml), each with the words that cite it."""

from __future__ import annotations

import datetime

# reason -> national category; residence is "resettled" for retirees, else "resident" (both long-term)
NATIONAL_CATEGORY = {
    "emergency": "emergency",
    "referral": "referral",
    "residence": "resident",
    "work": "stationed",
    "temporary": "other",
}


def cross_province(data: dict) -> dict | None:
    """The national cross-province rules, or None when the bundle has none."""
    return (data.get("national") or {}).get("cross_province") or None


def national_start(data: dict) -> datetime.date | None:
    """The date from which cross-province care follows the national rules (national.yaml `from`)."""
    nat = cross_province(data)
    return datetime.date.fromisoformat(nat["from"]) if nat and nat.get("from") else None


def applies(data: dict, cross: bool, day: datetime.date) -> bool:
    start = national_start(data)
    return bool(cross and start and day >= start)


def cite_words(documents: dict, cite: str | None) -> str:
    """The document number and clause of a cite, for sentences."""
    if not cite:
        return ""
    doc_id, _, clause = cite.partition("/")
    doc = documents.get(doc_id) or {}
    return f"{doc.get('number') or doc.get('title') or ''} {(doc.get('clauses') or {}).get(clause, '')}".strip()


def max_cut(data: dict, category: str) -> tuple[str, str] | None:
    """(max percentage points, cite) of the national ratio cut for a temporary category."""
    nat = cross_province(data) or {}
    cut = (nat.get("ratio_cut") or {}).get(category)
    if not cut:
        return None
    return str(cut["max_points"]), cut.get("cite")
