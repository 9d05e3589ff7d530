"""What a resident reads first: the headline (what is known), bounds, one plain sentence, the date
and age of the rules, and the glossary terms the steps use (DESIGN.md, "The estimator's contract")."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from .dating import rules_dating
from .money import ONE, ZERO, money, yuan
from .trace import FUND_MAY_BE_MORE, Trace
from .words import label

TENTH = ONE / 10
OCCASION = (("住院", "这次住院"), ("门诊", "这次看门诊"), ("门急诊", "这次看门急诊"))


def status(trace: Trace) -> str:
    if not trace.unknowns:
        return "complete"
    if any(u["effect"] == FUND_MAY_BE_MORE for u in trace.unknowns):
        return "incomplete"
    return "bounded"


def bounds(trace: Trace, total: Decimal, fund: Decimal, hospital: Decimal) -> dict:
    """The range each answer may lie in (None where the sources leave it open)."""
    more = any(u["effect"] == FUND_MAY_BE_MORE for u in trace.unknowns)
    less = any(u["effect"] != FUND_MAY_BE_MORE for u in trace.unknowns)
    fund_max = None if more else fund
    fund_min = None if less else fund
    sure = sum((k["amount"] for k in trace.known if k["payer"] == "patient"), ZERO)
    patient_min = total - hospital - fund_max if fund_max is not None else (sure or None)
    patient_max = total - hospital - fund_min if fund_min is not None else None
    return {
        "fund_pays": {"min": _m(fund_min), "max": _m(fund_max)},
        "patient_pays": {"min": _m(patient_min), "max": _m(patient_max)},
    }


def _m(amount: Decimal | None) -> str | None:
    return None if amount is None else money(amount)


def headline(trace: Trace, fund: Decimal, patient: Decimal, hospital: Decimal) -> dict:
    kind = status(trace)
    missing = [u["what"] for u in trace.unknowns]
    lacking = "、".join(missing)
    if kind == "complete":
        certain = [{"label": "医保基金支付", "amount": fund}, {"label": "您需支付", "amount": patient}]
        if hospital:
            certain.append({"label": label("payer", "hospital"), "amount": hospital})
        text = "；".join(f"{c['label']} {yuan(c['amount'])}" for c in certain) + "。"
    elif kind == "bounded":
        certain = [{"label": "医保基金最多支付", "amount": fund}, {"label": "您至少支付", "amount": patient}]
        text = f"医保基金最多支付 {yuan(fund)}，您至少支付 {yuan(patient)}（来源没有给出{lacking}）。"
    else:
        certain = [{"label": k["label"], "amount": k["amount"]} for k in trace.known]
        if fund:
            certain.insert(0, {"label": "能算出的基金支付", "amount": fund})
        text = f"来源没有给出{lacking}，无法算出医保一共支付多少。"
        if certain:
            text += "可以确定的是：" + "；".join(f"{c['label']} {yuan(c['amount'])}" for c in certain) + "。"
    return {
        "status": kind,
        "text": text,
        "certain": [{"label": c["label"], "amount": money(c["amount"])} for c in certain],
        "missing": missing,
    }


def occasion(care_id: str, care_label: str) -> str:
    """ "这次住院" / "这次看门诊" / "这次就医", from the care's id or label."""
    words = f"{care_id} {care_label}".replace("inpatient", "住院").replace("outpatient", "门诊")
    found = [text for key, text in OCCASION if key in words]
    return found[-1] if found else "这次就医"


def sentence(head: str, kind: str, amounts: tuple, unstated: str, sure: Decimal, together: bool = False) -> str:
    """One plain sentence in the tiles' words and to the fen: `head` says which care ("这次住院",
    "2026年共3次就医"), `amounts` is (fund, patient, hospital), `unstated` what the sources leave open
    ("来源没有给出起付线"); `together` words a year's sums (共支付)."""
    fund, patient, hospital = amounts
    all_ = "共" if together else ""
    if kind == "complete":
        text = f"{head}，医保基金{all_}支付 {yuan(fund)}，您{all_}需支付 {yuan(patient)}"
        return text + (f"，医院{all_}承担 {yuan(hospital)}。" if hospital else "。")
    if kind == "bounded":
        text = f"{head}，医保基金最多{all_}支付 {yuan(fund)}，您至少{all_}支付 {yuan(patient)}"
        text += f"，医院{all_}承担 {yuan(hospital)}" if hospital else ""
        return text + f"；{unstated}，实际由医保支付的可能更少。"
    if together:
        text = f"{head}；{unstated}，算不出医保一共支付多少"
        text += f"；能算出的部分医保基金共支付 {yuan(fund)}" if fund else ""
        return text + (f"；可以确定您至少要支付 {yuan(sure)}" if sure else "") + "。"
    if fund:
        return f"{head}，能算出的部分医保基金支付 {yuan(fund)}；{unstated}，其余部分算不出来。"
    tail = f"；可以确定您至少要支付 {yuan(sure)}" if sure else ""
    return f"{head}，{unstated}，算不出医保支付多少{tail}。"


def summary(trace: Trace, care: tuple[str, str], fund: Decimal, patient: Decimal, hospital: Decimal) -> str:
    """One plain sentence above the tiles; `care` is (id, label)."""
    main = [u for u in trace.unknowns if u["effect"] == FUND_MAY_BE_MORE] or trace.unknowns
    unstated = f"来源没有给出{main[0]['what']}" if main else ""
    sure = sum((k["amount"] for k in trace.known if k["payer"] == "patient"), ZERO)
    return sentence(occasion(*care), status(trace), (fund, patient, hospital), unstated, sure)


def effective_rate(trace: Trace, fund: Decimal, total: Decimal) -> str | None:
    """The one rate shown: the fund's share of the bill, one decimal, half-up; None when it cannot be known."""
    if status(trace) == "incomplete":
        return None
    share = (fund / total) if total else ZERO
    return str((share * 100).quantize(TENTH, rounding=ROUND_HALF_UP)) + "%"


def dating(data: dict, trace: Trace, version: dict, day: datetime.date, national: bool = False) -> dict:
    """The start of the rules used, their age at the date of care, and the one note that says both
    (dating.py); `national`: the national cross-province rules were applied too."""
    documents = data["documents"]
    own = [d for d in trace.cited if d in documents and documents[d].get("region") != "national"]
    statuses = {documents[d].get("status") for d in own}
    start = ((data.get("national") or {}).get("cross_province") or {}).get("from") if national else None
    return rules_dating(version, statuses, day, start)


def terms(data: dict, texts: list[str]) -> list[dict]:
    """Glossary entries (bundle `glossary`) for the terms these texts use."""
    joined = "\n".join(t for t in texts if t)
    return [
        {"term": g["term"], "short": g.get("short"), "anchor": g.get("anchor")}
        for g in data.get("glossary") or []
        if g.get("term") and g["term"] in joined
    ]
