"""How the out-of-region care is paid: the region's method or formula, the national rules, the ratio cut."""

from __future__ import annotations

from ..money import dec, money
from ..trace import Trace
from .formula import describe, formula_for
from .request import RemoteRequest

# reason -> national ratio-cut category (temporary trips only)
TEMPORARY_CUT = {"emergency": "emergency", "referral": "referral", "temporary": "other"}


def settlement(remote: dict, r: RemoteRequest, out: Trace, nat: dict | None, excluded: bool = False) -> dict:
    """The `settlement` of check_remote's result; `nat` is given when the national rules apply.
    `excluded`: no such benefit (method `not_covered`, nothing to say about how it is paid)."""
    entry = remote.get(r.reason) if isinstance(remote.get(r.reason), dict) else {}
    rule = entry.get("settlement") or {}
    if excluded:
        return dict.fromkeys(("text", "deductible", "fund_rate", "source", "ratio_cut", "catalog"), None) | {
            "method": "not_covered"
        }
    result = {
        "method": rule.get("method") or "unstated",
        "text": None,
        "deductible": None,
        "fund_rate": None,
        "source": out.source(rule.get("cite")),
        "ratio_cut": None,
        "catalog": None,
    }
    _local_method(rule, r, out, result)
    if nat:
        _national(nat, remote, r, out, result)
    return result


def _local_method(rule: dict, r: RemoteRequest, out: Trace, result: dict) -> None:
    method = rule.get("method")
    if method == "remote_settlement":
        care = (r.version.get("care") or {}).get("inpatient") or {}
        formula = formula_for(care, r.reason)
        if formula is None:
            result.update(method="unstated", text="来源没有给出这类异地就医的报销公式。")
        elif not r.inpatient:
            result.update(method="unstated", text="来源只给出了住院费用的异地报销公式；门诊费用怎样报销，来源未规定。")
        else:
            result.update(
                deductible=money(dec(formula["deductible"]["value"])),
                fund_rate=str(dec(formula["fund_rate"]["value"])),
                source=out.source(formula["fund_rate"].get("cite")),
                text=describe(formula),
            )
    elif method == "local_standard":
        result["text"] = rule.get("text") or "按参保地同类人员的本地标准报销。"
    elif method == "unstated":
        result["text"] = f"来源未规定：{rule.get('note')}"
        out.caveat(f"报销办法来源未规定：{rule.get('note')}")
    else:
        result["text"] = "来源没有给出这类异地就医的报销办法。"


def _national(nat: dict, remote: dict, r: RemoteRequest, out: Trace, result: dict) -> None:
    rules = nat["rules"]
    result["catalog"] = {"text": rules["catalog"]["text"], "source": out.source(rules["catalog"].get("cite"))}
    if r.reason in ("residence", "work"):
        # Long-term filers get the insured city's local standard.
        result.update(
            method="local_standard",
            text=rules["long_term"]["text"],
            source=out.source(rules["long_term"].get("cite")),
        )
    cut_id = TEMPORARY_CUT.get(r.reason)
    if cut_id:
        result["ratio_cut"] = ratio_cut(nat, remote, cut_id, out)
        if result["method"] == "remote_settlement":
            out.caveat(
                "本地区的异地报销公式早于国家跨省直接结算规定；跨省直接结算时实际比例以参保地医保经办机构的结算为准。"
            )
    if r.reason in ("work", "temporary") and result["method"] == "unstated":
        result["text"] = rules["benefits"]["text"]
        result["source"] = out.source(rules["benefits"].get("cite"))


def ratio_cut(nat: dict, remote: dict, cut_id: str, out: Trace) -> dict:
    """The national upper bound of the ratio cut for a temporary trip, and the region's own figure if known."""
    cuts = nat["ratio_cut"]
    cut = cuts[cut_id]
    points = dec(cut["max_points"])
    local_cut = remote.get("ratio_cut") or cuts.get("local") or {}
    local_value = local_cut.get("value")
    text = f"跨省临时外出就医的支付比例可以比参保地同级医院低，国家规定最多低 {points} 个百分点；" + (
        f"本地区规定低 {local_value} 个百分点。"
        if local_value is not None
        else f"本地区实际下调多少，来源未规定（{local_cut.get('note') or cuts['local']['note']}）。"
    )
    out.reason(cuts["reaffirmed"]["text"], cuts["reaffirmed"].get("cite"))
    if local_value is None:
        out.caveat("跨省临时外出就医的支付比例下调幅度：国家规定只给出上限，本地区的具体数值来源未规定。")
    return {
        "max_points": str(points),
        "local_points": None if local_value is None else str(local_value),
        "text": text,
        "source": out.source(cut.get("cite")),
    }
