"""Figures as HTML: the decimal text in data-v, formatted for residents (thousands separators, percentages)."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from .labels import UNSTATED

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
MONEY_IN_TEXT = re.compile(r"(?<![\d,.])(\d{4,})(?=(?:\.\d+)?\s*(?:元|万元))")


def esc(text) -> str:
    """HTML-escaped text; amounts of money in it get thousands separators (3000元 -> 3,000元)."""
    text = MONEY_IN_TEXT.sub(lambda m: f"{int(m.group(1)):,}", str(text))
    return html.escape(text, quote=True)


def paren(text: str) -> str:
    """Text in full-width brackets, without a full stop before the closing bracket (no 「。）」)."""
    return f"（{str(text).strip().rstrip('。；;.')}）"


def heading(level: int, title: str) -> str:
    return f"{'#' * level} {esc(title)}" if level <= 6 else f"**{esc(title)}**"


def is_number(value) -> bool:
    return isinstance(value, str) and bool(NUMBER.match(value))


def grouped(d: Decimal) -> str:
    """A decimal with thousands separators and no trailing zeros (1,000; 0.5; 12,345.6)."""
    d = d.normalize()
    return f"{int(d):,}" if d == d.to_integral() else f"{d:,f}"


def fmt(value: str, kind: str) -> str:
    d = Decimal(value)
    if kind == "rate":
        return f"{(d * 100).normalize():f}%"
    if kind == "money":
        return f"{grouped(d)} 元"
    return f"{grouped(d)} {kind}" if kind else grouped(d)


def fig(value, kind: str, note: str | None = None) -> str:
    """A figure as HTML: the decimal text in data-v, unknowns as 来源未规定 with the note."""
    if value is None:
        extra = f"：{esc(note)}" if note else ""
        return f'<span class="fig unstated">{UNSTATED}{extra}</span>'
    if is_number(value):
        return f'<span class="fig" data-v="{esc(value)}">{esc(fmt(value, kind))}</span>'
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return esc("、".join(str(v) for v in value))
    return esc(value)
