"""Exact money: Decimal inside, strings with two decimals at the boundary."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")


def dec(text: str | int | Decimal | None) -> Decimal | None:
    """A bundle value ("1000", "0.15") as Decimal; None stays None."""
    return None if text is None else Decimal(str(text))


def fen(amount: Decimal) -> Decimal:
    """Round half-up to the fen, as a cashier does."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def money(amount: Decimal) -> str:
    return str(fen(amount))


def yuan(amount: Decimal) -> str:
    """Money for sentences: 12,345.60 元."""
    return f"{fen(amount):,} 元"


def percent(rate: Decimal) -> str:
    """0.85 -> 85%, 0.075 -> 7.5%."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"
