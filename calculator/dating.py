"""How old the rules are: the start of the rules used, their age at the date of care, one note.

One date for the rules used, named one way everywhere (the result's `rules_from`, its note, the
page and the print header): the start of the region's version in force on the date of care
("2010-09-03 起施行"), or the year its note infers ("约 2008 年起施行", version `from_year`), or
the year the source shows it in force ("施行日期不详（2014 年已在执行）", `applies_from`), or
"施行日期不详". Documents' own dates are not the rules' date: a 2024 national notice cited in
a check does not make a 2010 local rule new.
"""

import datetime

# Rules this many years older than the date of care are worth confirming with the local office.
OLD_AFTER_YEARS = 5
CONFIRM = "请向当地医保经办机构确认现在的规定。"


def newest_date(documents: dict, doc_ids) -> str | None:
    """The newest `date` (YYYY-MM-DD) among these documents; None when none is dated."""
    dates = [documents[d]["date"] for d in doc_ids if d in documents and documents[d].get("date")]
    return max(dates) if dates else None


def documents_by_policy(documents: dict) -> dict[str, list[str]]:
    """{policy id: ids of the documents it cites}, in one pass (a pass per policy took a second at 340 regions)."""
    out: dict[str, list[str]] = {}
    for doc_id, doc in documents.items():
        for policy_id in doc.get("cited_by") or []:
            out.setdefault(policy_id, []).append(doc_id)
    return out


def age_years(as_of: str | None, day: datetime.date) -> int | None:
    """Whole years from the source date to the date of care (never negative)."""
    if not as_of:
        return None
    start = datetime.date.fromisoformat(as_of)
    years = day.year - start.year - ((day.month, day.day) < (start.month, start.day))
    return max(years, 0)


def rules_year(version: dict) -> int | None:
    """The year of a version: its start, the year its note infers, or the year the source shows it in force."""
    if version.get("from"):
        return int(version["from"][:4])
    if version.get("from_year"):
        return int(version["from_year"])
    return int(version["applies_from"][:4]) if version.get("applies_from") else None


def rules_from(version: dict) -> str:
    """The start of a version, in the words every page uses."""
    if version.get("from"):
        return f"{version['from']} 起施行"
    if version.get("from_year"):
        return f"约 {version['from_year']} 年起施行"
    if version.get("applies_from"):
        return f"施行日期不详（{rules_year(version)} 年已在执行）"
    return "施行日期不详"


def rules_dating(version: dict, statuses: set, day: datetime.date, national_from: str | None = None) -> dict:
    """as_of (the version's start date), rules_year, rules_from, age_years and the one note.

    `statuses`: the status of each document the answer cites (in_force / superseded / unknown);
    `national_from`: the start of the national cross-province rules when the answer used them.
    """
    as_of = version.get("from")
    year = rules_year(version)
    approximate = not as_of and year is not None
    age = age_years(as_of, day) if as_of else (max(day.year - year, 0) if year else None)
    words = rules_from(version)
    note = f"本次依据的规定：{words}"
    if age:
        note += f"，距就诊日{'约' if approximate else '已'} {age} 年"
    if year is None:
        note += "。来源没有写出这些规定从哪一年起施行，也无从得知现在是否仍然有效，" + CONFIRM
    elif age is not None and age >= OLD_AFTER_YEARS:
        note += "，可能已经调整，" + CONFIRM
    elif statuses != {"in_force"}:
        note += "。资料没有说明它们现在是否仍然有效，" + CONFIRM
    else:
        note += "。"
    if national_from:
        note += f"跨省部分另依据国家 {national_from} 起施行的跨省异地就医规定。"
    return {"as_of": as_of, "rules_year": year, "rules_from": words, "age_years": age, "rules_note": note}
