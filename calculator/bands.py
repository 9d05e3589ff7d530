"""Paying a list of bands over a stretch of cost (segments measured from zero)."""

from __future__ import annotations

from decimal import Decimal

from .money import ZERO, dec, fen, percent, yuan
from .tables import band_rate
from .trace import Trace


def _bounds(lo: Decimal, hi: Decimal, shown_from: Decimal) -> str:
    if lo + shown_from > 0:
        return f"{fen(lo + shown_from):,}–{fen(hi + shown_from):,} 元"
    return f"{fen(hi):,} 元以内"


def walk_bands(
    trace: Trace,
    bands: list,
    span: tuple[Decimal, Decimal],
    label: str,
    payer: str,
    cap: Decimal | None = None,
    shown_from: Decimal = ZERO,
) -> tuple[Decimal, Decimal]:
    """Pay each band's rate on the part of span = [start, end) it covers; steps are named `<payer>-<n>`
    (the basic fund's `band-<n>`).

    Returns (paid, cost_above_cap): once `cap` is reached the rest of the cost
    counts as above the cap (for layers that pay above it). `shown_from`
    shifts the amounts in labels (bands above a layer's threshold).
    """
    start, end = span
    prefix = "band" if payer == "basic" else payer
    paid = above_cap = lower = ZERO
    for index, band in enumerate(bands, 1):
        upper = dec(band.get("upto"))
        lo, hi = max(lower, start), end if upper is None else min(upper, end)
        if upper is not None:
            lower = upper
        if hi <= lo:
            continue
        part, rate, bounds = hi - lo, band_rate(band), _bounds(lo, hi, shown_from)
        if rate is None:
            what = f"{label}的报销比例" if len(bands) == 1 else f"{label}（{bounds}段）的报销比例"
            trace.unknown(what, band.get("note"))
            trace.step(
                f"{prefix}-{index}",
                f"{label}：{bounds}",
                f"这一段 {yuan(part)} 的报销比例来源未规定，按基金不支付计算。",
                band.get("cite"),
                amount=None,  # not a zero: the sources do not say what the fund pays here
                payer=payer,
            )
            continue
        amount = fen(part * rate)
        detail = f"{yuan(part)} × {percent(rate)} = {yuan(amount)}"
        if cap is not None and paid + amount > cap:
            amount = max(cap - paid, ZERO)
            above_cap += hi - (lo + (amount / rate if rate else ZERO))
            detail = f"{yuan(part)} × {percent(rate)}，达到封顶线后只支付 {yuan(amount)}。"
        paid += amount
        trace.step(
            f"{prefix}-{index}",
            f"{label}：{bounds}，支付 {percent(rate)}",
            detail,
            band.get("cite"),
            amount=amount,
            payer=payer,
        )
    return paid, above_cap
