"""The payers after the basic fund (critical illness, relief, civil-servant top-ups…), in the data's order.

A layer's `base` says what it pays on:
    patient_in_policy         the patient's share of the eligible cost after the basic fund (this bill)
    annual_patient_in_policy  the same, counted over the year (year_to_date.out_of_pocket first; the
                              year ledger counts it per layer: every visit whose care has this layer)
    above_cap                 the eligible cost above the basic fund's cap
A layer cap with basis `year` counts the layer's payments earlier in the year (ledger only).
The first two cannot be worked out when the basic fund's share is unknown: the
estimate then leaves the layer out and names it as missing.
"""

from __future__ import annotations

from decimal import Decimal

from .bands import walk_bands
from .claim import Claim
from .money import ZERO, dec, yuan
from .request import matches
from .trace import Trace

AFTER_BASIC = ("patient_in_policy", "annual_patient_in_policy")


def _span(trace: Trace, claim: Claim, layer: dict, label: str, amounts: dict):
    """[start, end) of the layer's base, or None when it cannot be known."""
    base = layer.get("base", "patient_in_policy")
    if base == "above_cap":
        cap_row = amounts["cap_row"]
        if cap_row is None or cap_row.get("value") is None:
            trace.caveat(f"{label}在基本医保封顶线以上才支付；来源未给出封顶线，本估算未计入{label}。")
            return None
        return ZERO, amounts["above_cap"]
    if not amounts["basic_known"]:
        if base == "annual_patient_in_policy":
            claim.layer_base[layer["id"]] = None  # this bill's share is unknown: so is the year's from here
        trace.unknown(
            label,
            f"{label}按基本医保报销之后个人负担的费用计算；基本医保的报销比例来源未给出，"
            f"个人负担多少算不出来，所以本估算没有计算{label}。",
            tail="",
        )
        return None
    if base == "annual_patient_in_policy":
        start = _year(claim, layer)["out_of_pocket"]
        if amounts["out_of_pocket"]:
            claim.earlier_unsure(trace, "layer." + layer["id"], f"个人负担（{label}的本年度累计）")
        claim.layer_base[layer["id"]] = amounts["out_of_pocket"]
        return start, start + amounts["out_of_pocket"]
    return ZERO, amounts["patient_in_policy"]


def _year(claim: Claim, layer: dict) -> dict:
    """The layer's running totals this year: the ledger's per-layer ones, else the request's."""
    return claim.layer_ytd.get(layer["id"]) or {"out_of_pocket": claim.ytd["out_of_pocket"], "paid": ZERO}


def _cap(trace: Trace, claim: Claim, layer: dict, label: str) -> Decimal | None:
    """What the layer may still pay under its cap (a yearly cap counts its payments earlier this year)."""
    cap = layer.get("cap")
    if not isinstance(cap, dict):
        return None
    if cap.get("value") is None:
        trace.caveat(f"来源未给出{label}的支付上限；本估算假定未达到上限。")
        return None
    limit = dec(cap["value"])
    if cap.get("basis") != "year":
        return limit
    claim.earlier_unsure(trace, "layer." + layer["id"], f"{label}支付（本年度上限的累计）")
    return max(limit - _year(claim, layer)["paid"], ZERO)


def _threshold(trace: Trace, claim: Claim, layer: dict, label: str):
    """The layer's threshold (data or the resident's figure); False when unknown, None when there is none."""
    threshold = layer.get("threshold")
    if not isinstance(threshold, dict):
        return None
    key = f"{layer['id']}.threshold"
    value = claim.overrides.get(key, dec(threshold.get("value")))
    if value is None:
        trace.unknown(f"{label}的起付标准", threshold.get("note"))
        trace.caveat(f"如果您知道{label}的起付标准，可以在“起付标准”一栏填写后重新估算。")
        return False
    origin = "您填写的" if key in claim.overrides else ""
    trace.step(
        f"{layer['id']}-threshold",
        f"{label}起付标准",
        f"个人负担的合规费用超过{origin}起付标准 {yuan(value)} 的部分才由{label}支付。",
        None if origin else threshold.get("cite"),
        amount=value,
        payer="info",
    )
    return value


def _applies(claim: Claim, layer: dict) -> bool:
    return matches(layer, claim.flags) and (not layer.get("groups") or claim.group["id"] in layer["groups"])


def pay_layers(
    trace: Trace,
    claim: Claim,
    payers: dict,
    *,
    basic_known: bool,
    owed: Decimal,
    above_cap: Decimal,
    cap_row: dict | None,
) -> None:
    """Add each applicable layer's payment to `payers`; never more than the patient still owes."""
    amounts = {
        "basic_known": basic_known,
        "above_cap": above_cap,
        "cap_row": cap_row,
        "out_of_pocket": owed,
        "patient_in_policy": owed - above_cap,
    }
    for layer in claim.care.get("layers") or []:
        if not _applies(claim, layer):
            continue
        label = layer.get("label", layer["id"])
        span = _span(trace, claim, layer, label, amounts)
        if span is None:
            continue
        value = _threshold(trace, claim, layer, label)
        if value is False:
            continue
        shown_from = value or ZERO
        start, end = max(span[0] - shown_from, ZERO), max(span[1] - shown_from, ZERO)
        cap = _cap(trace, claim, layer, label)
        paid, _ = walk_bands(trace, layer.get("bands") or [], (start, end), label, layer["id"], cap, shown_from)
        for text in layer.get("caveats") or []:
            trace.caveat(text)
        paid = min(paid, owed)
        owed -= paid
        payers[layer["id"]] = payers.get(layer["id"], ZERO) + paid
