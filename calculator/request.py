"""Reading a resident's request: every field checked, every error in Chinese.

Shared by estimate() and check_remote(). Each parser raises InputError with
the dotted field path, a stable code and a message a resident understands.
"""

import datetime
import re
from decimal import Decimal

from .data import bundle
from .errors import InputError
from .labels import MEMBER_FLAGS
from .money import ZERO

# A bill above ten million yuan is a typing mistake, not a hospital stay.
MAX_AMOUNT = Decimal("10000000")
_AMOUNT = re.compile(r"^\d+(\.\d+)?$")


def require_mapping(value, field: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(field or "request", "type", "请求格式不对：这里需要一组字段（JSON 对象）。")
    return value


def reject_unknown(value: dict, allowed, field: str = "") -> None:
    for key in value:
        if key not in allowed:
            path = f"{field}.{key}" if field else str(key)
            raise InputError(path, "unknown_field", f"无法识别的字段“{key}”，请检查拼写。")


def parse_money(value, field: str, label: str, default=None) -> Decimal:
    """An amount in yuan: a number >= 0 with at most two decimals."""
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}。")
    if isinstance(value, bool):
        raise InputError(field, "type", f"{label}必须是金额数字，例如 1234.50。")
    text = value.strip().replace(",", "").replace("，", "") if isinstance(value, str) else repr(value)
    if text.startswith("-"):
        raise InputError(field, "negative", f"{label}不能是负数。")
    if not _AMOUNT.match(text):
        raise InputError(field, "not_a_number", f"{label}必须是金额数字，例如 1234.50（只写数字和小数点）。")
    decimals = text.partition(".")[2]
    if len(decimals.rstrip("0")) > 2:
        raise InputError(field, "too_many_decimals", f"{label}最多保留两位小数（精确到分）。")
    amount = Decimal(text)
    if amount > MAX_AMOUNT:
        raise InputError(field, "too_large", f"{label}超过 1000 万元，请检查是否多输了数字。")
    return amount + ZERO


def parse_number(value, field: str, label: str, default=None, maximum=None) -> Decimal:
    """A count (months, days): a number >= 0."""
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}。")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise InputError(field, "type", f"{label}必须是数字。")
    text = value.strip() if isinstance(value, str) else repr(value)
    if text.startswith("-"):
        raise InputError(field, "negative", f"{label}不能是负数。")
    if not _AMOUNT.match(text):
        raise InputError(field, "not_a_number", f"{label}必须是数字。")
    number = Decimal(text)
    if maximum is not None and number > maximum:
        raise InputError(field, "too_large", f"{label}不能超过 {maximum}。")
    return number


def parse_bool(value, field: str, label: str, default: bool = False) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise InputError(field, "type", f"{label}只能是“是”或“否”（true/false）。")
    return value


def parse_date(value, field: str, label: str, default: datetime.date | None = None) -> datetime.date:
    """YYYY-MM-DD, a real calendar date."""
    if value is None or value == "":
        if default is not None:
            return default
        raise InputError(field, "required", f"请填写{label}（格式：2026-03-01）。")
    if not isinstance(value, str) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value.strip()):
        raise InputError(field, "invalid_date", f"{label}格式不对，请写成 年-月-日，例如 2026-03-01。")
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, "invalid_date", f"{label}“{value}”不是日历上真实存在的日期。")


def get_policy(policy_id, field: str = "policy") -> dict:
    if policy_id is None or policy_id == "":
        raise InputError(field, "required", "请选择地区和医保类型。")
    policies = bundle()["policies"]
    if not isinstance(policy_id, str) or policy_id not in policies:
        raise InputError(field, "unknown", f"没有找到医保政策“{policy_id}”，请从列表中选择。")
    return policies[policy_id]


def select_version(policy: dict, day: datetime.date, field: str) -> tuple[dict, list[str]]:
    """The version in force on `day`, and caveats about its dating.

    The newest version whose start is on or before the day applies; undated
    versions (the source gives no start) apply from the beginning, the last
    undated one standing for the current rules until a dated one starts.
    """
    versions = policy["versions"]
    chosen = None
    for version in versions:
        start = version["from"]
        if start is None or datetime.date.fromisoformat(start) <= day:
            chosen = version
    if chosen is None:
        first = versions[0]["from"]
        raise InputError(
            field,
            "before_policy",
            f"{day.isoformat()} 早于本地区现有政策的最早版本（{first} 起施行），无法按当时的规定估算。",
        )
    caveats = []
    if chosen.get("from_note"):
        caveats.append(f"政策版本：{chosen['from_note']}")
    return chosen, caveats


def parse_member(value, field: str = "member") -> dict:
    """Member flags -> {flag: bool}; unknown flags are an error."""
    if value is None:
        return {flag: False for flag in MEMBER_FLAGS}
    require_mapping(value, field)
    reject_unknown(value, MEMBER_FLAGS, field)
    return {flag: parse_bool(value.get(flag), f"{field}.{flag}", MEMBER_FLAGS[flag]) for flag in MEMBER_FLAGS}


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
