"""A region's own formula for approved out-of-region care (e.g. Changchun's 异地 deductible and ratio).

The formula is read the way the source writes it: (total − self-pay − the
out-of-region deductible) × the fund's rate. It has no class-B first share.
"""

from __future__ import annotations

from decimal import Decimal

from ..money import ZERO, dec, fen, money, percent, yuan


def formula_for(care: dict, kind: str) -> dict | None:
    """The care's remote_settlement rule when it covers this kind of out-of-region care."""
    rule = care.get("remote_settlement")
    if kind != "residence" and isinstance(rule, dict) and kind in (rule.get("kinds") or []):
        return rule
    return None


def apply_formula(rule: dict, total: Decimal, self_pay: Decimal) -> dict:
    """The formula's figures for a bill: deductible applied, base, rate and the fund's payment."""
    ded = dec(rule["deductible"]["value"])
    rate = dec(rule["fund_rate"]["value"])
    base = max(total - self_pay - ded, ZERO)
    return {
        "deductible": ded,
        "applied": min(ded, total - self_pay),
        "rate": rate,
        "base": base,
        "fund": fen(base * rate),
    }


def describe(rule: dict) -> str:
    """The formula in one sentence (for check_remote's settlement)."""
    ded = dec(rule["deductible"]["value"])
    rate = dec(rule["fund_rate"]["value"])
    return (
        f"住院费用按异地公式报销：（费用总额 − 自费部分 − 异地起付线 {money(ded)} 元）× {percent(rate)} "
        f"由统筹基金支付，其余由个人负担。"
    )


def base_text(figures: dict) -> str:
    return f"（总额 − 自费 − 异地起付线）{yuan(figures['base'])} × {percent(figures['rate'])} = {yuan(figures['fund'])}"
