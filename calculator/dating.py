"""How old the rules are: the newest source date, the age at the date of care, a note when they may be stale."""

import datetime

# Rules this many years older than the date of care are worth confirming with the local office.
OLD_AFTER_YEARS = 5


def newest_date(documents: dict, doc_ids) -> str | None:
    """The newest `date` (YYYY-MM-DD) among these documents; None when none is dated."""
    dates = [documents[d]["date"] for d in doc_ids if d in documents and documents[d].get("date")]
    return max(dates) if dates else None


def policy_documents(documents: dict, policy_id: str) -> list[str]:
    """Ids of the documents a policy cites."""
    return [doc_id for doc_id, doc in documents.items() if policy_id in (doc.get("cited_by") or [])]


def age_years(as_of: str | None, day: datetime.date) -> int | None:
    """Whole years from the source date to the date of care (never negative)."""
    if not as_of:
        return None
    start = datetime.date.fromisoformat(as_of)
    years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
    return max(years, 0)


def rules_note(documents: dict, doc_ids, day: datetime.date) -> str | None:
    """A plain note when the rules are old or their status is unknown; None when they look current."""
    as_of = newest_date(documents, doc_ids)
    age = age_years(as_of, day)
    statuses = {documents[d].get("status") for d in doc_ids if d in documents}
    confirm = "请向当地医保经办机构确认现在的规定。"
    if as_of is None:
        return "这些规定所依据的文件没有记载日期，也无从得知现在是否仍然有效，" + confirm
    year = as_of[:4]
    if age is not None and age >= OLD_AFTER_YEARS:
        return f"这些规定出自 {year} 年的文件，距就诊日已 {age} 年，可能已经调整，" + confirm
    if statuses != {"in_force"}:
        return f"这些规定出自 {year} 年的文件，资料没有说明它们现在是否仍然有效，" + confirm
    return None
