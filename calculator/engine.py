"""estimate(request): what the fund pays, what the patient pays, step by step.

The rules are data (policies/*.yaml, compiled into the bundle); this module is
the one reading of them (DESIGN.md, "Reading the rules"):

    eligible  = total - self-pay (class C) - class-B first share
    deductible, then segment bands of the eligible cost measured from zero
    (or from the year's cumulative eligible cost for annual bands)
    the fund's cap, then the layers that pay after the basic fund.

Where a figure the calculation needs is unknown (null in the data), that part
is paid by nobody but the patient in the estimate, the result is marked
`complete: false`, the headline says what is known and names what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .claim import Claim, read_claim
from .data import bundle
from .money import ZERO, money, yuan
from .next_step import after_estimate, ask
from .outcome import bounds, dating, effective_rate, headline, summary, terms
from .remote.in_estimate import next_for_remote, remote_method
from .settlement import METHODS, Paid, class_b_share, not_paid, standard
from .trace import Trace
from .words import field_label


def _settle(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """The basic fund and the layers after it."""
    care, group = claim.care, claim.group
    excluded = care.get("excluded") or {}
    if group["id"] in (excluded.get("groups") or []):
        payers["basic"] = ZERO
        return not_paid(trace, excluded.get("reason") or f"{group.get('label')}不享受这项待遇。", excluded.get("cite"))
    covered = care.get("facilities")
    if covered and claim.facility not in covered:
        names = "、".join(claim.policy["facilities"].get(f, f) for f in covered)
        payers["basic"] = ZERO
        here = claim.policy["facilities"][claim.facility]
        return not_paid(trace, f"这项待遇只在以下机构享受：{names}。在“{here}”就医，基金不支付。")
    method = remote_method(trace, claim, payers) if claim.remote is not None else None
    if method is not None:  # settled without the class-B share and the eligible cost
        return METHODS[method](trace, claim, payers)
    share = class_b_share(trace, claim)
    claim.b_share = share if share is not None else ZERO
    claim.eligible = claim.total - claim.self_pay - claim.b_share
    if share is None:  # the sources say nothing of a first share: said here, not shown as 0.00
        detail = (
            f"总额 {yuan(claim.total)} − 自费 {yuan(claim.self_pay)} = {yuan(claim.eligible)}"
            f"（其中乙类 {yuan(claim.class_b)}：来源没有规定先由个人自付多少，按甲类计算）"
        )
    else:
        detail = (
            f"总额 {yuan(claim.total)} − 自费 {yuan(claim.self_pay)} − 乙类先行自付 {yuan(claim.b_share)}"
            f" = {yuan(claim.eligible)}"
        )
    trace.step(
        "eligible",
        "进入统筹计算的费用",
        detail,
        amount=claim.eligible,
        payer="info",
    )
    return METHODS.get(care.get("method", "standard"), standard)(trace, claim, payers)


@dataclass
class Settled:
    """A settled claim beside its answer: what the year ledger adds to its running totals."""

    claim: Claim
    trace: Trace
    payers: dict
    fund: Decimal
    patient: Decimal
    hospital: Decimal


def estimate(request: Any) -> dict:
    """See DESIGN.md: amounts as strings with two decimals, steps with sources, headline and summary."""
    return settle(read_claim(request))[0]


def settle(claim: Claim) -> tuple[dict, Settled]:
    """One claim's answer (the estimate's result) and the settlement behind it."""
    data = bundle()
    trace = Trace(data["documents"])
    for text in claim.version_caveats:
        trace.caveat(text)
    if claim.self_pay:
        words = field_label("estimate", "costs.self_pay")
        trace.step("self_pay", words, "不在医保目录内的费用，全部由个人承担。", amount=claim.self_pay, payer="patient")
        trace.certain(words, claim.self_pay)
    payers: dict = {}
    paid = _settle(trace, claim, payers)
    fund = sum(payers.values(), ZERO)
    hospital = paid.hospital
    patient = claim.total - fund - hospital
    trace.step(
        "patient_pays",
        "个人共支付",
        f"费用总额 {yuan(claim.total)} − 基金支付 {yuan(fund)}"
        + (f" − 医院承担 {yuan(hospital)}" if hospital else "")
        + f" = {yuan(patient)}",
        amount=patient,
        payer="patient",
    )
    for text in claim.care.get("caveats") or []:
        trace.caveat(text)
    policy = claim.policy
    if claim.remote is not None:
        after = next_for_remote(claim)
    elif any(s["id"] == "not_covered" for s in trace.steps):
        after = ask(trace, policy, "这项费用医保基金不支付；对结果有疑问，")
    else:
        after = after_estimate(trace, policy, claim.care)
    sentence = summary(trace, (claim.care_id, claim.care_label), fund, patient, hospital)
    top = headline(trace, fund, patient, hospital)
    words = [s["label"] + s["detail"] for s in trace.steps] + trace.caveats + [sentence, top["text"]]
    result = {
        "policy": policy["id"],
        "policy_name": f"{policy['region_name']}{policy['name']}",
        "version": claim.version["from"],
        "date": claim.day.isoformat(),
        "care": claim.care_id,
        "care_label": claim.care_label,
        "facility": claim.facility,
        "facility_label": policy["facilities"][claim.facility],
        "member_group": claim.group["id"],
        "member_label": claim.group.get("label", claim.group["id"]),
        "total": money(claim.total),
        "fund_pays": money(fund),
        "patient_pays": money(patient),
        "hospital_bears": money(hospital),
        "deductible": None if paid.deductible is None else money(paid.deductible),
        "deductible_reason": None if paid.deductible is not None else "unknown" if paid.deductible_unknown else "none",
        "effective_rate": effective_rate(trace, fund, claim.total),
        "payers": {key: money(value) for key, value in payers.items()},
        "complete": trace.complete,
        "summary": sentence,
        "headline": top,
        "bounds": bounds(trace, claim.total, fund, hospital),
        **dating(data, trace, claim.version, claim.day),
        "terms": terms(data, words),
        "steps": trace.steps,
        "caveats": trace.caveats,
        "next_step": after,
    }
    return result, Settled(claim, trace, payers, fund, patient, hospital)
