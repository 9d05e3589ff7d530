"""What a resident reads first about a year: the sums, a headline and one plain sentence, under the
honesty rules of a single estimate (calculator/outcome.py): bounded answers say 最多/至少, an
incomplete one names the visit (第N次就医) and the figure the sources leave open."""

from __future__ import annotations

from decimal import Decimal

from .ledger import visits_name
from .money import ZERO, money, yuan
from .outcome import sentence

AMOUNTS = ("total", "fund_pays", "patient_pays", "hospital_bears")


def _sum(values) -> Decimal | None:
    """The sum, or None when one of them is unknown."""
    values = list(values)
    return None if any(v is None for v in values) else sum((Decimal(v) for v in values), ZERO)


def sums(results: list[dict]) -> dict:
    """The visits' amounts added up exactly, and the range each sum may lie in."""
    out = {key: money(_sum(r[key] for r in results)) for key in AMOUNTS}
    ranges = {}
    for key in ("fund_pays", "patient_pays"):
        low = _sum(r["bounds"][key]["min"] for r in results)
        high = _sum(r["bounds"][key]["max"] for r in results)
        if key == "patient_pays" and low is None:  # what is sure in each visit still adds up
            low = sum((Decimal(r["bounds"][key]["min"] or 0) for r in results), ZERO) or None
        ranges[key] = {"min": None if low is None else money(low), "max": None if high is None else money(high)}
    out["bounds"] = ranges
    return out


def status(named: list) -> str:
    kinds = {r["headline"]["status"] for _, r in named}
    return "incomplete" if "incomplete" in kinds else "bounded" if "bounded" in kinds else "complete"


def _gaps(named: list, kind: str) -> list[tuple[str, str]]:
    """("第1、2次就医", "门诊的报销比例") for the visits of this status, visits with the same gaps together."""
    by_gap: dict[tuple, list[int]] = {}
    for index, result in named:
        if result["headline"]["status"] == kind and result["headline"]["missing"]:
            by_gap.setdefault(tuple(result["headline"]["missing"]), []).append(index)
    return [(visits_name(sorted(indices)), "、".join(gap)) for gap, indices in by_gap.items()]


def _unstated(gaps: list[tuple[str, str]]) -> str:
    return "；".join(f"{visits}：来源没有给出{gap}" for visits, gap in gaps)


def year_headline(named: list) -> dict:
    """The headline of a year (or of all visits): `named` is [(index, estimate result)]."""
    kind = status(named)
    figures = sums([r for _, r in named])
    fund, patient, hospital = (Decimal(figures[k]) for k in ("fund_pays", "patient_pays", "hospital_bears"))
    missing = [f"{v}：{g}" for k in ("incomplete", "bounded") for v, g in _gaps(named, k)]
    if kind == "complete":
        certain = [("医保基金共支付", fund), ("您共需支付", patient)] + ([("医院共承担", hospital)] if hospital else [])
        text = "；".join(f"{label} {yuan(amount)}" for label, amount in certain) + "。"
    elif kind == "bounded":
        certain = [("医保基金最多共支付", fund), ("您至少共支付", patient)]
        text = f"医保基金最多共支付 {yuan(fund)}，您至少共支付 {yuan(patient)}（{_unstated(_gaps(named, kind))}）。"
    else:
        sure = Decimal(figures["bounds"]["patient_pays"]["min"] or 0)
        certain = ([("能算出的基金支付", fund)] if fund else []) + ([("您至少需支付", sure)] if sure else [])
        text = f"{_unstated(_gaps(named, kind))}，无法算出医保一共支付多少。"
        if certain:
            text += "可以确定的是：" + "；".join(f"{label} {yuan(amount)}" for label, amount in certain) + "。"
    return {
        "status": kind,
        "text": text,
        "certain": [{"label": label, "amount": money(amount)} for label, amount in certain],
        "missing": missing,
    }


def _when(years: list[dict]) -> str:
    """2026年, 2025年至2026年 (an insured year that does not start on 1 January: 2026年度)."""
    unit = "年" if all(y["from"].endswith("-01-01") for y in years) else "年度"
    first, last = years[0]["year"], years[-1]["year"]
    return f"{first}{unit}" if first == last else f"{first}{unit}至{last}{unit}"


def year_summary(named: list, years: list[dict]) -> str:
    """One plain sentence, as a single estimate's (calculator.outcome.sentence): 2026年共3次就医，…"""
    figures = sums([r for _, r in named])
    amounts = tuple(Decimal(figures[k]) for k in ("fund_pays", "patient_pays", "hospital_bears"))
    kind = status(named)
    sure = Decimal(figures["bounds"]["patient_pays"]["min"] or 0)
    head = f"{_when(years)}共{len(named)}次就医"
    return sentence(head, kind, amounts, _unstated(_gaps(named, kind)[:1]), sure, together=True)
