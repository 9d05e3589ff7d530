"""Reading a resident's request: every field checked, every error in Chinese.

Shared by estimate() and check_remote(). Each parser raises InputError with
the dotted field path, a stable code and a message a resident understands.
Nothing is converted before it is bounded, so no input can overflow or stall
what comes after:

- dates are YYYY-MM-DD between MIN_DATE (1990-01-01) and MAX_DATE
  (2100-12-31): deadlines and working days computed from them stay far from
  the limits of `datetime.date`;
- amounts and counts are checked as text (length, then shape) before Decimal;
  a Python int is compared with MAX_INTEGER before it is ever turned into text;
- full-width digits and punctuation typed with a Chinese input method
  ("１２，３４５．５０", "１２３４。５") are read as their ASCII forms; a
  comma is accepted only as a real thousands separator ("12,345.50");
  an amount may carry its unit words ("2万", "2.5万元", "20000元"), and any
  number may be written in scientific notation ("1e5"; "1e30" is too large,
  not "not a number"), read exactly, never through float;
- strings are checked for lone surrogates (they cannot be written as UTF-8);
- an id (policy, care, facility, kind…) must be a string before any lookup:
  parse_choice() checks the type first.

Error codes: required, type, unknown, unknown_field, negative, not_a_number,
bad_separator, too_many_decimals, too_large, too_long, invalid_date,
date_out_of_range, invalid_text (plus before_policy and the engine's own).
"""

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .data import bundle, region_of
from .errors import InputError
from .money import FEN, ZERO
from .words import field_label, labels

# A bill above ten million yuan is a typing mistake, not a hospital stay.
MAX_AMOUNT = Decimal("10000000")
MIN_DATE = datetime.date(1990, 1, 1)
MAX_DATE = datetime.date(2100, 12, 31)
MAX_NUMBER_TEXT = 32  # characters: "10,000,000.00" is 13
MAX_INTEGER = 10**15  # an int beyond this is refused before it is turned into text
MAX_ID_TEXT = 200  # an id or a short answer; longer text is refused unread

_NUMBER = re.compile(r"\d+(\.\d+)?", re.ASCII)
_SCIENTIFIC = re.compile(r"(\d+(?:\.\d+)?)[eE]([+-]?\d+)", re.ASCII)
MAX_EXPONENT = 20  # 1e20 is far beyond every bound: larger exponents (either way) are never expanded
# The unit words of an amount, as residents write it: 2万 = 20,000 (suffix, power of ten).
AMOUNT_UNITS = (("万元", 4), ("萬元", 4), ("万", 4), ("萬", 4), ("元", 0))
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a str that holds one cannot be written as UTF-8
# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space and full stop, as typed by
# Chinese input methods; invisible format marks (zero-width, direction) are dropped.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({0x3000: " ", 0x3002: "."})
_HALF_WIDTH.update(dict.fromkeys((0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x061C)))
_HALF_WIDTH.update(dict.fromkeys(range(0x202A, 0x202F)))
_HALF_WIDTH.update(dict.fromkeys(range(0x2066, 0x206A)))


TODAY = object()  # parse_date(default=TODAY): the day the request is read (see default_today)


def default_today() -> datetime.date:
    """The day a request without a date means: a resident asks about now. Looked up when a date
    is missing, never before (tests/conftest.py replaces it to prove no test relies on it)."""
    return datetime.date.today()


def shown(value: Any, limit: int = 30) -> str:
    """A value as it may be quoted in a message: short, printable, valid UTF-8."""
    if not isinstance(value, str):  # never repr(): a huge int cannot even be printed
        return f"<{type(value).__name__}>"
    text = LONE_SURROGATE.sub("\ufffd", value)
    return text if len(text) <= limit else text[:limit] + "…"


def check_text(value: str, field: str, label: str, max_length: int | None = None) -> str:
    """A string that can be written as UTF-8 (no lone surrogate) and is not absurdly long."""
    if LONE_SURROGATE.search(value):
        raise InputError(field, "invalid_text", f"{label}中含有无法识别的字符，请删除后重新输入。")
    if max_length is not None and len(value) > max_length:
        raise InputError(field, "too_long", f"{label}太长了（最多 {max_length} 个字）。")
    return value


def require_mapping(value: Any, field: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(field or "request", "type", "请求格式不对：这里需要一组字段（JSON 对象）。")
    return value


def reject_unknown(value: dict, allowed: Any, field: str = "") -> None:
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            name = shown(key)
            path = f"{field}.{name}" if field and name else name or field or "request"
            raise InputError(path, "unknown_field", f"无法识别的字段“{name}”，请检查拼写。")


def parse_choice(value: Any, field: str, choices: Mapping, label: str) -> str:
    """An id from a fixed list: type first (a list or a dict is never looked up), then membership.

    When the choices are {id: label} with few entries, the message lists the labels.
    """
    if value is None or value == "":
        raise InputError(field, "required", f"请选择{label}。")
    if not isinstance(value, str):
        raise InputError(field, "type", f"{label}请从列表中选择。")
    check_text(value, field, label)
    if value not in choices:
        names = list(choices.values())
        listed = "，可选：" + "、".join(names) if len(names) <= 12 and all(isinstance(n, str) for n in names) else ""
        raise InputError(field, "unknown", f"没有找到{label}“{shown(value)}”，请从列表中选择{listed}。")
    return value


def _half_width(text: str) -> str:
    return text.translate(_HALF_WIDTH).strip()


def _native_number(value: int | float, field: str, label: str, example: str) -> str:
    """A JSON number's text; its size is checked before it is ever turned into text."""
    if value != value or value in (float("inf"), float("-inf")):
        raise InputError(field, "not_a_number", f"{label}必须是数字，例如 {example}。")
    if value < 0:
        raise InputError(field, "negative", f"{label}不能是负数。")
    if value >= MAX_INTEGER:
        raise InputError(field, "too_large", f"{label}过大，请检查是否多输了数字。")
    return str(value) if isinstance(value, int) else repr(value)


def _unit(text: str) -> tuple[str, int]:
    """An amount's unit word taken off: ("2.5", 4) for 2.5万; the power of ten it stands for."""
    for suffix, digits in AMOUNT_UNITS:
        if text.endswith(suffix):
            return text[: -len(suffix)].rstrip(), digits
    return text, 0


def _exponent(text: str, field: str, label: str) -> tuple[str, int]:
    """Scientific notation split into its digits and exponent; the exponent is bounded, never expanded."""
    scientific = _SCIENTIFIC.fullmatch(text)
    if not scientific:
        return text, 0
    exponent = int(scientific.group(2))
    if exponent > MAX_EXPONENT:  # 1e30: a number, far too large
        raise InputError(field, "too_large", f"{label}过大，请检查是否多输了数字。")
    if exponent < -MAX_EXPONENT:
        raise InputError(field, "too_many_decimals", f"{label}的小数位数过多，请直接写出数字。")
    return scientific.group(1), exponent


def _number(value: Any, field: str, label: str, example: str, *, units: bool = False) -> Decimal:
    """A number, bounded and normalised, or InputError: exact, never through float.

    Plain digits with a decimal point, thousands separators in real groups, full-width forms,
    and scientific notation ("1e5", as a JSON number may be written); with `units` (amounts)
    also the unit words of an amount: 2万, 2.5万元, 20000元."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(field, "type", f"{label}必须是数字，例如 {example}。")
    if not isinstance(value, str):
        value = _native_number(value, field, label, example)
    if len(value) > MAX_NUMBER_TEXT:
        raise InputError(field, "too_long", f"{label}位数过多，请只填写数字，例如 {example}。")
    text = _half_width(check_text(value, field, label))
    if text.startswith("-"):
        raise InputError(field, "negative", f"{label}不能是负数。")
    text, power = _unit(text) if units else (text, 0)
    if "," in text:
        if not _GROUPED.fullmatch(text):
            raise InputError(
                field,
                "bad_separator",
                f"{label}中的逗号位置不对：逗号只能用来每三位分隔（例如 12,345.50），也可以不写逗号。",
            )
        text = text.replace(",", "")
    text, exponent = _exponent(text, field, label)
    power += exponent
    if not _NUMBER.fullmatch(text):
        words = "只写数字和小数点，可以带“万”“元”" if units else "只写数字和小数点"
        raise InputError(field, "not_a_number", f"{label}必须是数字，例如 {example}（{words}）。")
    return Decimal(format(Decimal(f"{text}E{power}"), "f"))  # exact: the constructor never rounds


def parse_money(value: Any, field: str, label: str, default: Decimal | None = None) -> Decimal:
    """An amount in yuan: a number >= 0 with at most two decimals (after 万), at most MAX_AMOUNT."""
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}。")
    amount = _number(value, field, label, "1234.50 或 2万", units=True)
    if amount > MAX_AMOUNT:
        raise InputError(field, "too_large", f"{label}超过 1000 万元，请检查是否多输了数字。")
    if amount != amount.quantize(FEN):
        raise InputError(field, "too_many_decimals", f"{label}最多保留两位小数（精确到分）。")
    return amount + ZERO


def parse_number(
    value: Any, field: str, label: str, default: Decimal | None = None, maximum: Decimal | None = None
) -> Decimal:
    """A count (months, days): a number >= 0, at most `maximum`."""
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}。")
    number = _number(value, field, label, "12")
    if maximum is not None and number > maximum:
        raise InputError(field, "too_large", f"{label}不能超过 {maximum}。")
    return number


def parse_bool(value: Any, field: str, label: str, default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InputError(field, "type", f"{label}只能是“是”或“否”（true/false）。")
    return value


def parse_date(value: Any, field: str, label: str, default: Any = None) -> datetime.date:
    """YYYY-MM-DD, a real calendar date between MIN_DATE and MAX_DATE; `default` (a date, or TODAY)
    when the field is empty."""
    if value is None or value == "":
        if default is TODAY:
            return default_today()
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}（格式：2026-03-01）。")
    text = _half_width(value) if isinstance(value, str) and len(value) <= MAX_ID_TEXT else None
    if text is None or not _DATE.fullmatch(text):
        raise InputError(field, "invalid_date", f"{label}格式不对，请写成 年-月-日，例如 2026-03-01。")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise InputError(field, "invalid_date", f"{label}“{text}”不是日历上真实存在的日期。") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise InputError(
            field,
            "date_out_of_range",
            f"{label}必须在 {MIN_DATE.isoformat()} 到 {MAX_DATE.isoformat()} 之间，请检查年份。",
        )
    return day


def get_policy(policy_id: Any, field: str = "policy") -> dict:
    policies = bundle()["policies"]
    if isinstance(policy_id, str) and policy_id not in policies and region_of(policy_id):
        # The browser's worker adds a region before asking about it: residents never see this.
        raise InputError(field, "region_not_loaded", "这个地区的政策数据还没有载入，请稍候再试。")
    return policies[parse_choice(policy_id, field, policies, field_label("estimate", "policy"))]


def starts(version: dict) -> str | None:
    """The date the estimate starts using a version: its start, or where the source shows it in force."""
    return version["from"] or version.get("applies_from")


def select_version(policy: dict, day: datetime.date, field: str) -> tuple[dict, list[str]]:
    """The version in force on `day`, and caveats about its dating.

    The newest version whose start is on or before the day applies; undated
    versions (the source gives no start) apply from the beginning, the last
    undated one standing for the current rules until a dated one starts. An
    undated version the source shows in force later (`applies_from`) starts
    there (policies/README.md, "Versions").
    """
    versions = policy["versions"]
    chosen = None
    for version in versions:
        start = starts(version)
        if start is None or datetime.date.fromisoformat(start) <= day:
            chosen = version
    if chosen is None:
        first = starts(versions[0])
        raise InputError(
            field,
            "before_policy",
            f"{day.isoformat()} 早于本地区现有政策的最早版本（{first} 起施行），无法按当时的规定估算。",
        )
    caveats = []
    if chosen.get("from_note"):
        caveats.append(f"政策版本：{chosen['from_note']}")
    return chosen, caveats


def parse_member(value: Any, field: str = "member") -> dict:
    """Member flags -> {flag: bool}; unknown flags are an error."""
    flags = labels("member_flag")
    if value is None:
        return {flag: False for flag in flags}
    require_mapping(value, field)
    reject_unknown(value, flags, field)
    return {flag: parse_bool(value.get(flag), f"{field}.{flag}", name) for flag, name in flags.items()}


def matches(rule: dict, flags: dict) -> bool:
    """A member group's or layer's `when` (all flags) / `when_any` (one flag)."""
    if any(not flags.get(flag) for flag in rule.get("when") or []):
        return False
    any_of = rule.get("when_any") or []
    return not any_of or any(flags.get(flag) for flag in any_of)


def member_group(policy: dict, flags: dict) -> dict:
    """The first member group whose conditions hold (the last has none)."""
    for group in policy["members"]:
        if matches(group, flags):
            return group
    return policy["members"][-1]
