"""What is left this year of each yearly limit the data states, for the care types a year used.

    a yearly cap           its figure less the basic fund's payments for that care this year
    an annual band range   the top of the last paid band less the year's eligible cost
    a yearly layer cap     its figure less the layer's payments this year
A limit the source leaves open (no figure, or no word on per year or per stay) is listed with
`amount: null` and the reason; so is one that earlier visits of the year leave uncertain.
"""

from __future__ import annotations

from decimal import Decimal

from .claim import Claim
from .ledger import Ledger
from .money import ZERO, dec, money, yuan
from .request import matches
from .settlement import cap_spec
from .tables import band_rate, lookup

UNCERTAIN = "{visits}的结果不完整，本年度已用去多少算不出来。"


def _entry(kind: str, claim: Claim, label: str, limit: Decimal | None, used, unsure, reason=None) -> dict:
    if limit is not None and used is not None and not unsure:
        amount, reason = money(max(limit - used, ZERO)), None
    else:
        amount, reason = None, reason or UNCERTAIN.format(visits=unsure)
    return {
        "kind": kind,
        "care": claim.care_id,
        "label": label,
        "limit": None if limit is None else money(limit),
        "amount": amount,
        "reason": reason,
    }


def _cap(claim: Claim, facility_label: str | None, ledger: Ledger) -> dict | None:
    row = cap_spec(claim.care, claim.group["id"], claim.facility)
    if row is None or row.get("basis") in ("admission", "visit"):
        return None
    limit = dec(row.get("value"))
    where = f"（{facility_label}）" if facility_label and limit is not None else ""  # one line for every open row
    label = f"{claim.care_label}{where}：统筹基金本年度还可支付（封顶线）"
    if limit is None:
        return _entry("cap", claim, label, None, None, None, f"封顶线：来源未规定。{row.get('note') or ''}")
    if row.get("basis") is None:
        open_basis = f"来源没有说明封顶线 {yuan(limit)} 按年度还是按次计算。{row.get('basis_note') or ''}"
        return _entry("cap", claim, label, limit, None, None, open_basis)
    used = ledger.fund.get(claim.care_id, ZERO)
    return _entry("cap", claim, label, limit, used, ledger.unsure_visits(("fund", claim.care_id)))


def _band_top(bands: list) -> Decimal | None:
    """The upper end of the last band that pays anything, when nothing is paid above it."""
    top = None
    for band in bands:
        rate = band_rate(band)
        if rate is None or rate > 0:
            top = dec(band.get("upto"))
            if top is None:
                return None
    return top


def _bands(claim: Claim, ledger: Ledger) -> dict | None:
    spec = claim.care.get("bands") or {}
    bands, _ = lookup(spec, claim.group["id"], claim.facility)
    if spec.get("basis") != "year" or not isinstance(bands, list):
        return None
    top = _band_top(bands)
    if top is None:
        return None
    label = f"{claim.care_label}：本年度还可计入报销段（全年累计 {yuan(top)}以内）的费用"
    used = ledger.eligible.get(claim.care_id, ZERO)
    return _entry("band", claim, label, top, used, ledger.unsure_visits(("eligible", claim.care_id)))


def _layer_caps(claim: Claim, ledger: Ledger) -> list[dict]:
    out = []
    for layer in claim.care.get("layers") or []:
        cap = layer.get("cap")
        if not isinstance(cap, dict) or cap.get("basis") != "year" or not matches(layer, claim.flags):
            continue
        if layer.get("groups") and claim.group["id"] not in layer["groups"]:
            continue
        label = f"{layer.get('label', layer['id'])}：本年度还可支付（年度支付上限）"
        limit = dec(cap.get("value"))
        if limit is None:
            reason = f"支付上限：来源未规定。{cap.get('note') or ''}"
            out.append(_entry("layer_cap", claim, label, None, None, None, reason))
            continue
        used = (ledger.layers.get(layer["id"]) or {}).get("paid", ZERO)
        out.append(_entry("layer_cap", claim, label, limit, used, ledger.unsure_visits(("layer", layer["id"]))))
    return out


def remaining(claims: list[Claim], ledger: Ledger) -> list[dict]:
    """Each yearly limit of the care types these claims (one insured year, settled) used, after them all."""
    latest: dict = {}  # (care, facility where the cap differs by facility) -> the year's last such claim
    for claim in claims:
        by_facility = isinstance(claim.care.get("cap"), dict) and "value" not in claim.care["cap"]
        latest[(claim.care_id, claim.facility if by_facility else None)] = claim
    out, seen = [], set()
    for (_, facility), claim in latest.items():
        if claim.group["id"] in ((claim.care.get("excluded") or {}).get("groups") or []):
            continue
        where = claim.policy["facilities"][facility] if facility else None
        for entry in [_cap(claim, where, ledger), _bands(claim, ledger), *_layer_caps(claim, ledger)]:
            if entry is not None and entry["label"] not in seen:
                seen.add(entry["label"])
                out.append(entry)
    return out
