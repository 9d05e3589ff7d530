"""Who has an out-of-region benefit at all: a region's `covered` rule, and when it still applies.

One reading for every path (check_remote, an estimate with `remote`), DESIGN.md "Reading the
rules", across provinces: the national rules decide how care in another province is filed and
settled; what the scheme pays, including whether it has the benefit at all, stays the insured
region's (医保发〔2022〕22号 二（一）; the 经办规程 settles an emergency "按参保地的急诊抢救待遇
标准", 第三十四条). So a region's "this group has no out-of-town emergency benefit" holds in
another province too, whatever the hospital's network. The national rules speak for themselves
only on long-term residence elsewhere: every insured person may file ([R]第七条（一）) and gets
the insured region's ordinary local standard (二（五）), so there a region's limit on who may
register, how long one must have lived away, and how long a registration lasts give way.
"""

from __future__ import annotations

from ..request import matches
from .national_figures import NATIONAL_CATEGORY

# The parts of a region's long-term section the national rules replace across provinces.
REPLACED_FOR_LONG_TERM = ("covered", "min_months_elsewhere", "validity")


def long_term(nat: dict | None, reason: str) -> bool:
    """Is this reason a national long-term category (resettled, resident, stationed)?"""
    categories = (nat or {}).get("categories") or {}
    cat = categories.get(NATIONAL_CATEGORY.get(reason, "resident")) or {}
    return cat.get("group") == "long_term"


def local_part_applies(key: str, reason: str, nat: dict | None) -> bool:
    """Does the region's `key` (covered, min_months_elsewhere, validity) apply to this question?
    `nat` is given when the national cross-province rules apply."""
    return not (nat is not None and key in REPLACED_FOR_LONG_TERM and long_term(nat, reason))


def coverage_rule(remote: dict, reason: str, nat: dict | None) -> dict | None:
    """The region's `covered` rule for this reason where it applies, else None."""
    entry = remote.get(reason) if isinstance(remote.get(reason), dict) else {}
    rule = entry.get("covered")
    return rule if rule and local_part_applies("covered", reason, nat) else None


def covered(rule: dict | None, flags: dict) -> bool | None:
    """True (covered or no rule), False (excluded), None (the source is unclear for these flags)."""
    if not rule:
        return True
    if rule.get("nobody"):
        return False
    if matches(rule, flags):
        return True
    if any(flags.get(flag) for flag in rule.get("unclear_when_any") or []):
        return None
    return False


def excluded_text(rule: dict, national: bool) -> str:
    """Why the fund pays nothing, said once, the same way in the check and in an estimate."""
    if not national:
        return rule["text_no"]
    return (
        rule["text_no"] + "跨省就医也是这样：国家规定管备案和结算的办法，有没有这项待遇、报销多少仍按参保地规定，"
        "所以不论医院是否接入跨省联网结算，都不能报销。"
    )
