"""How old the rules on a page are: the newest source date against the build date.

The build date is an argument, or $SOURCE_DATE_EPOCH, or today: tests pass a
date so they never depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import os

# Rules this old (in whole years), or whose status no source states, come with the advice to check locally.
OLD_YEARS = 3
CHECK = "请在就医或办事前向参保地医保经办机构（医保局或医保中心）确认现在执行的规定。"


def build_date(value: dt.date | None = None) -> dt.date:
    if value is not None:
        return value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def age_years(as_of: str, today: dt.date) -> int:
    """Whole years from a YYYY-MM-DD date to `today`."""
    d = dt.date.fromisoformat(as_of)
    return today.year - d.year - ((today.month, today.day) < (d.month, d.day))


def cn_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.year} 年 {d.month} 月 {d.day} 日"


def newest(documents: dict, doc_ids: list) -> str | None:
    dates = [documents[d]["date"] for d in doc_ids if d in documents and documents[d].get("date")]
    return max(dates) if dates else None


def rules_note(documents: dict, doc_ids: list, today: dt.date) -> str:
    """A plain paragraph: the newest source, its age, whether a source says the rules are in force, and advice."""
    as_of = newest(documents, doc_ids)
    docs = [documents[d] for d in doc_ids if d in documents]
    if as_of:
        years = age_years(as_of, today)
        age = f"距本页生成时（{today.year} 年 {today.month} 月）已 {years} 年" if years >= 1 else "不到一年"
        text = f"本页规定所依据的文件中，最新的一份日期为 {cn_date(as_of)}，{age}。"
    else:
        years = None
        text = "本页规定所依据的文件都没有载明日期。"
    in_force = [d for d in docs if d.get("status") == "in_force"]
    if docs and len(in_force) == len(docs):
        text += "来源注明这些文件现行有效。"
        unsure = False
    else:
        text += "来源没有说明" + ("其中部分文件" if in_force else "这些文件") + "现在是否仍然有效。"
        unsure = True
    if unsure or years is None or years >= OLD_YEARS:
        text += CHECK
    return text
