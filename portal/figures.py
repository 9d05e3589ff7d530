"""Figures as HTML: the decimal text in data-v, formatted for residents (thousands separators, percentages)."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from .labels import UNSTATED

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
RATE_WORDS = ("rate", "share", "ratio", "cut", "percent")
COUNT_UNITS = (
    ("points", "个百分点"),
    ("working_days", "个工作日"),
    ("days", "天"),
    ("months", "个月"),
    ("month", "个月"),
    ("years", "年"),
    ("hours", "小时"),
    ("count", "次"),
    ("hospitals", "家"),
)


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


def unit_kind(path: tuple) -> str:
    """'rate', 'money', or a count unit, guessed from the keys leading to a figure."""
    keys = [k for k in path if isinstance(k, str)]
    near = keys[-2:]
    if any(w in k for k in near for w in RATE_WORDS):
        return "rate"
    if "class_b_share" in keys:
        return "rate"
    if near and near[-1] == "count" and any("hospital" in k for k in keys):
        return "家"
    for key in reversed(near):
        for word, unit in COUNT_UNITS:
            if word in key:
                return unit
    return "money"


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
