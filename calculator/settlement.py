"""How the basic fund pays, one function per settlement method, chosen through METHODS.

    standard        deductible, then the bands of the eligible cost, the cap, then the layers
    fixed_standard  payment by disease: a settlement standard per case
    quota           graded-care diseases: a share of a fixed quota, the hospital bears the excess
    remote_formula  approved out-of-region care under the region's own formula (remote/in_estimate.py)
    not_paid        out-of-region care not covered or not filed

Each returns a Paid record. Where the fund's share is unknown the basic fund is
counted as paying nothing and `basic_known` is False: the layers that pay on the
patient's share after basic insurance then cannot be worked out.
"""

from __future__ import annotations

from decimal import Decimal

from .bands import walk_bands
from .claim import Claim, Paid
from .errors import InputError
from .layers import pay_layers
from .money import ZERO, dec, fen, percent, yuan
from .remote.in_estimate import remote_formula
from .tables import band_rate, lookup, single_rate
from .trace import FUND_MAY_BE_LESS, Trace
from .words import field_label, word


def not_paid(trace: Trace, reason: str, cite: str | None = None) -> Paid:
    trace.step("not_covered", "基金不支付", reason, cite, amount=ZERO, payer="basic")
    return Paid()


def class_b_share(trace: Trace, claim: Claim) -> Decimal | None:
    """The part of class-B costs the patient pays first; None when the sources do not say
    (counted as 0, so the fund's figure is an upper bound: "Silence is not zero")."""
    if not claim.class_b:
        return ZERO
    rate, row = lookup(claim.care.get("class_b_share"), claim.group["id"], claim.facility)
    if rate is None:
        note = (row or {}).get("note") or "来源没有提到乙类费用是否要先由个人自付一部分。"
        trace.unknown(
            word("care", "class_b_share"),
            f"{note}本估算把乙类费用（{yuan(claim.class_b)}）按甲类计算；",
            FUND_MAY_BE_LESS,
            tail="如果当地要求乙类先由个人自付一部分，基金实际支付会更少。",
            assumed=True,
        )
        claim.eligible_exact = False  # the year's eligible total is uncertain from here
        return None
    share = fen(claim.class_b * dec(rate))
    trace.step(
        "class_b_share",
        f"乙类费用个人先行自付 {percent(dec(rate))}",
        f"{yuan(claim.class_b)} × {percent(dec(rate))} = {yuan(share)}",
        row.get("cite"),
        amount=share,
        payer="patient",
    )
    trace.certain("乙类先行自付", share)
    return share


def deductible(trace: Trace, claim: Claim) -> tuple[Decimal, Paid]:
    """The part of the bill the deductible takes (ZERO when there is none or it is unknown), and
    the Paid record that says which (its `deductible` and `deductible_unknown`)."""
    spec = claim.care.get("deductible")
    if spec is None:
        return ZERO, Paid()
    value, row = lookup(spec, claim.group["id"], claim.facility)
    if value is None:
        trace.unknown(word("care", "deductible"), (row or {}).get("note"), FUND_MAY_BE_LESS)
        trace.caveat("本估算未扣除起付线，实际基金支付可能更少。")
        return ZERO, Paid(deductible_unknown=True)
    full = dec(value)
    annual = spec.get("basis") == "year"
    counted = claim.ytd["eligible_costs"]
    if annual and claim.eligible:
        claim.earlier_unsure(trace, "eligible_costs", "合规费用（本年度起付线的累计）")
    remaining = max(full - counted, ZERO) if annual else full
    applied = min(remaining, claim.eligible)
    detail = f"{'本年度起付线' if annual else '起付线（每次住院）'} {yuan(full)}"
    if annual and remaining < full:
        detail += f"，本年已累计 {yuan(counted)}，还剩 {yuan(remaining)}"
    if applied < remaining:
        detail += f"；本次合规费用只有 {yuan(claim.eligible)}，全部由个人承担"
    trace.step(
        "deductible", word("care", "deductible"), detail + "。", row.get("cite"), amount=applied, payer="patient"
    )
    trace.certain(word("care", "deductible"), applied)
    return applied, Paid(deductible=applied)


def cap_spec(care: dict, group_id: str, facility: str) -> dict | None:
    """The care's cap for this group and facility: {value, basis, basis_note, cite, note}, or None.

    A cap is one figure (`value`) or a table by member group and facility; `basis` is year,
    admission or visit, or None when the source does not say (see DESIGN.md)."""
    cap = care.get("cap")
    if not isinstance(cap, dict):
        return None
    if "value" in cap:
        return cap
    value, row = lookup(cap, group_id, facility)
    if row is None:
        return None
    return {**row, "value": value, "basis": cap.get("basis"), "basis_note": cap.get("basis_note")}


def cap_left(trace: Trace, claim: Claim) -> tuple[Decimal | None, dict | None]:
    """Money the fund may still pay under its cap (None: no cap known), and the cap's row.

    A yearly cap counts what the fund already paid this year; a cap whose basis the source
    leaves open is applied per bill (the fund's larger figure) with `year_left` beside it."""
    row = cap_spec(claim.care, claim.group["id"], claim.facility)
    if row is None or row.get("value") is None:
        return None, row
    limit = dec(row["value"])
    basis = row.get("basis")
    if basis in ("admission", "visit"):
        return limit, row
    paid = claim.ytd["fund_paid"]
    left = max(limit - paid, ZERO)
    if basis is None:
        return limit, {**row, "year_left": left, "year_paid": paid}
    if paid:
        trace.step(
            "cap_left",
            "封顶线剩余额度",
            f"年度封顶 {yuan(limit)} − 本年已支付 {yuan(paid)} = {yuan(left)}",
            row.get("cite"),
            amount=left,
            payer="info",
        )
    return left, row


def _year_readings(trace: Trace, claim: Claim, bands: list, annual: bool, basic: Decimal, cap: dict | None) -> None:
    """What this bill's basic fund figure owes to running totals that may be uncertain or open."""
    if annual and claim.eligible and len({band_rate(b) for b in bands}) > 1:
        claim.earlier_unsure(trace, "eligible_costs", "合规费用（本年度分段的累计）")
    if cap is None or cap.get("value") is None or not basic:
        return
    if cap.get("basis") == "year":
        claim.earlier_unsure(trace, "fund_paid", "基金支付（本年度封顶线的累计）")
    elif cap.get("year_left") is not None and basic > cap["year_left"]:
        trace.unknown("封顶线按年度还是按次计算", False, FUND_MAY_BE_LESS, assumed=True)
        trace.caveat(
            f"来源没有说明封顶线 {yuan(dec(cap['value']))} 是按年度还是按次计算；本估算按每次分别计算，"
            f"本年度此前的基金支付 {yuan(cap['year_paid'])} 不占用这次的额度，医保实际支付可能更少。"
            + (cap.get("basis_note") or "")
        )


def standard(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """Deductible, the bands of the eligible cost, the cap, then the layers after the basic fund."""
    ded, paid = deductible(trace, claim)
    spec = claim.care.get("bands") or {}
    bands, _ = lookup(spec, claim.group["id"], claim.facility)
    if not isinstance(bands, list):
        trace.unknown(f"{claim.care_label}的报销比例", None)
        payers["basic"] = ZERO
        paid.basic_known = False
        return paid
    annual = spec.get("basis") == "year"
    start = claim.ytd["eligible_costs"] if annual else ZERO
    left, cap_row = cap_left(trace, claim)
    unknown_before = len(trace.unknowns)
    basic, above_cap = walk_bands(trace, bands, (start + ded, start + claim.eligible), "统筹基金", "basic", left)
    known = len(trace.unknowns) == unknown_before
    if known:
        _year_readings(trace, claim, bands, annual, basic, cap_row)
    if above_cap:
        trace.step(
            "cap",
            "达到基金最高支付限额",
            f"本次有 {yuan(above_cap)} 的合规费用超过封顶线，基本医保不再支付。",
            cap_row.get("cite"),
            amount=ZERO,
            payer="info",
        )
    elif cap_row is not None and cap_row.get("value") is None and basic:
        cap_words = word("care", "cap")
        trace.unknown(cap_words, False, FUND_MAY_BE_LESS, assumed=True)
        trace.caveat(f"来源未给出{cap_words}；本估算假定尚未达到封顶线。" + (cap_row.get("note") or ""))
    payers["basic"] = basic
    after = claim.total - claim.self_pay - basic  # what the patient still owes inside the catalogue
    pay_layers(trace, claim, payers, basic_known=known, owed=after, above_cap=above_cap, cap_row=cap_row)
    paid.basic, paid.basic_known = basic, known
    return paid


def _standard_item(claim: Claim) -> dict:
    """The case's disease (request `item`); the only one when there is one."""
    standards = claim.care.get("standards") or {}
    item_id = claim.item
    if item_id is None and len(standards) == 1:
        item_id = next(iter(standards))
    if not isinstance(item_id, str) or item_id not in standards:
        labels = "、".join(s.get("label", k) for k, s in standards.items())
        raise InputError("item", "unknown" if item_id else "required", f"请选择病种：{labels}。")
    return standards[item_id]


def fixed_standard(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """Payment by disease: the settlement standard per case."""
    item = _standard_item(claim)
    amount = dec(item.get("amount"))
    label = item.get("label")
    if amount is None:
        trace.unknown(f"{label}的结算标准", item.get("note"))
    else:
        trace.step(
            "standard",
            f"{label}结算标准",
            f"按病种付费：这一病种每例按 {yuan(amount)} 结算。{item.get('note') or ''}",
            item.get("cite"),
            amount=amount,
            payer="info",
        )
        trace.certain("这一病种的结算标准", amount, "info")
    rate, band = single_rate(claim.care, claim.group["id"], claim.facility)
    basic = ZERO
    if rate is not None and amount is not None:
        basic = fen(amount * rate)
        trace.step(
            "standard_fund",
            f"基金支付 {percent(rate)}",
            f"{yuan(amount)} × {percent(rate)} = {yuan(basic)}",
            band.get("cite"),
            amount=basic,
            payer="basic",
        )
    else:
        trace.unknown(f"{label}结算标准中基金与个人各付多少", claim.care.get("note"))
    payers["basic"] = basic
    return Paid(basic=basic, basic_known=rate is not None and amount is not None)


def quota(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """Graded-care diseases: no deductible, the fund pays a share of a fixed quota, the hospital the excess."""
    item = _standard_item(claim)
    entered = "quota" in claim.overrides
    figure = claim.overrides["quota"] if entered else dec(item.get("amount"))
    if figure is None:
        trace.unknown(f"{item.get('label')}", item.get("note"))
        trace.caveat(
            f"如果医院告诉了您这一病种的定额，可以在“{field_label('estimate', 'overrides.quota')}”一栏填写后重新估算。"
        )
        payers["basic"] = ZERO
        return Paid(basic_known=False)
    base = min(claim.eligible, figure)
    hospital = claim.eligible - base
    trace.step(
        "quota",
        "分级诊疗病种定额",
        ("按您填写的定额" if entered else "按定额") + f" {yuan(figure)} 结算，不设起付线。",
        None if entered else item.get("cite"),
        amount=figure,
        payer="info",
    )
    rate, band = single_rate(claim.care, claim.group["id"], claim.facility)
    basic = ZERO
    if rate is None:
        trace.unknown("定额内基金支付比例", band.get("note") if band else None)
    else:
        basic = fen(base * rate)
        trace.step(
            "quota_fund",
            f"基金支付定额的 {percent(rate)}",
            f"{yuan(base)} × {percent(rate)} = {yuan(basic)}",
            band.get("cite"),
            amount=basic,
            payer="basic",
        )
    if hospital:
        trace.step(
            "hospital_bears",
            "超出定额部分由医院承担",
            f"合规费用 {yuan(claim.eligible)} 超出定额 {yuan(figure)} 的 {yuan(hospital)} 由医院承担，个人不付。",
            band.get("cite") if band else None,
            amount=hospital,
            payer="hospital",
        )
    payers["basic"] = basic
    return Paid(basic=basic, hospital=hospital, basic_known=rate is not None)


def nothing_paid(trace: Trace, claim: Claim, payers: dict) -> Paid:
    """Out-of-region care not covered or not filed: the step saying why is already in the trace."""
    payers["basic"] = ZERO
    return Paid()


METHODS = {
    "standard": standard,
    "fixed_standard": fixed_standard,
    "quota": quota,
    "remote_formula": remote_formula,
    "not_paid": nothing_paid,
}
