"""Out-of-region care inside an estimate: who is covered, an unfiled claim pays nothing, a filed
referral or emergency may have its own formula. Across provinces, from the date national.yaml
gives, the national rules prevail (an emergency counts as filed; a possible ratio cut)."""

from __future__ import annotations

from ..claim import Claim, Paid
from ..data import bundle
from ..money import ZERO, percent, yuan
from ..trace import FUND_MAY_BE_LESS, Trace
from ..words import label, word
from .coverage import coverage_rule, covered, excluded_text
from .formula import apply_formula, base_text, formula_for
from .national_figures import applies, cite_words, cross_province, max_cut

# The national ratio-cut category of each estimate kind (temporary trips only).
CUT_CATEGORY = {"referral": "referral", "emergency": "emergency"}


def _not_covered(trace: Trace, claim: Claim, national: bool) -> bool:
    """The region's own list of who has this benefit (coverage.py: the same reading as the check)."""
    kind = claim.remote["kind"]
    rule = coverage_rule(claim.policy.get("remote") or {}, kind, cross_province(bundle()) if national else None)
    state = covered(rule, claim.flags)
    if state is None:
        trace.caveat(rule.get("text_unclear"))
    if state is not False:
        return False
    trace.step(
        "not_covered",
        f"{label('remote_kind', kind)}：不享受这项待遇",
        excluded_text(rule, national),
        rule.get("cite"),
        amount=ZERO,
        payer="basic",
    )
    return True


def _registered(trace: Trace, claim: Claim, national: bool) -> bool:
    kind = claim.remote["kind"]
    if claim.remote["registered"]:
        return True
    data = bundle()
    rule = (cross_province(data) or {}).get("emergency", {}).get("counts_as_filed") or {}
    if kind == "emergency" and national and rule.get("value"):
        trace.caveat(f"跨省异地急诊抢救：{rule['text']}（{cite_words(data['documents'], rule.get('cite'))}）")
        return True
    kind_label = label("remote_kind", kind)
    trace.step(
        "not_registered",
        f"{kind_label}未办理备案/登记",
        f"{kind_label}需要先办理备案（登记、审批）才能报销；未备案时本估算按基金不支付计算。"
        "请用“异地就医检查”查看需要办理的手续、所需材料和截止日期，按时补办后可按规定报销。",
        amount=ZERO,
        payer="basic",
    )
    trace.caveat(f"缺少{kind_label}的备案（登记、审批）：基金不支付。补办方法见“异地就医检查”。")
    return False


def remote_method(trace: Trace, claim: Claim, payers: dict) -> str | None:
    """Out-of-region preconditions, then how the claim is settled: "not_paid" (not covered or not
    filed), "remote_formula" (the region's own formula), or None (the care's usual method)."""
    data = bundle()
    kind = claim.remote["kind"]
    national = applies(data, claim.remote["cross_province"], claim.day)
    if _not_covered(trace, claim, national) or not _registered(trace, claim, national):
        payers["basic"] = ZERO
        return "not_paid"
    if formula_for(claim.care, kind) is not None:
        return "remote_formula"
    if kind == "residence":
        trace.caveat("已备案的异地长期居住人员按参保地同类人员的本地标准报销，本估算按本地标准计算。")
    else:
        trace.caveat(f"来源没有给出{label('remote_kind', kind)}的专门报销办法，本估算按参保地本地标准计算。")
        if national:
            _ratio_cut(trace, data, kind)
    return None


def remote_formula(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """The region's formula for approved out-of-region care (it has no class-B first share)."""
    kind = claim.remote["kind"]
    rule = formula_for(claim.care, kind)
    figures = apply_formula(rule, claim.total, claim.self_pay)
    trace.step(
        "remote_deductible",
        word("remote_settlement", "deductible"),
        f"经批准的{label('remote_kind', kind)}按异地起付线 {yuan(figures['deductible'])} 计算。",
        rule["deductible"].get("cite"),
        amount=figures["applied"],
        payer="patient",
    )
    trace.certain(word("remote_settlement", "deductible"), figures["applied"])
    trace.step(
        "remote_band",
        f"统筹基金支付 {percent(figures['rate'])}",
        base_text(figures),
        rule["fund_rate"].get("cite"),
        amount=figures["fund"],
        payer="basic",
    )
    trace.caveat("异地就医按专门公式结算，公务员补助、大额救助等补充待遇未计入本估算。")
    payers["basic"] = figures["fund"]
    return Paid(basic=figures["fund"], deductible=figures["applied"])


def _ratio_cut(trace: Trace, data: dict, kind: str) -> None:
    """Temporary cross-province trips may be paid at a lower ratio: the national upper bound, cited."""
    found = max_cut(data, CUT_CATEGORY.get(kind, "other"))
    if not found:
        return
    points, cite = found
    local = (cross_province(data).get("ratio_cut") or {}).get("local") or {}
    trace.unknown(
        "跨省临时外出就医的比例下调幅度",
        False,
        FUND_MAY_BE_LESS,
        assumed=True,
    )
    trace.caveat(
        f"跨省临时外出就医的报销比例可能比本地同级医院低，国家规定最多低 {points} 个百分点"
        f"（{cite_words(data['documents'], cite)}）；参保地的具体降幅来源未规定，本估算未下调。"
        + (local.get("note") or "")
    )


def next_for_remote(claim: Claim) -> dict:
    """The checker's next step for the same care: one reading of out-of-region care, two answers.
    The estimate knows no date but the date of care, so nothing counts as passed yet."""
    from .check import check_remote  # the checker reads the same modules; imported late, once

    day = claim.day.isoformat()
    request = {
        "policy": claim.policy["id"],
        "reason": claim.remote["kind"],
        "member": {k: v for k, v in claim.flags.items() if v},
        "visit_date": day,
        "today": day,
        "cross_province": claim.remote["cross_province"],
        "filed": claim.remote["registered"],
    }
    return check_remote(request)["next_step"]
