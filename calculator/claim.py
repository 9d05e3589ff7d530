"""The claim an estimate works on: the request read and checked, in one small record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .choices import overridable
from .errors import InputError
from .money import ZERO, yuan
from .request import (
    TODAY,
    get_policy,
    member_group,
    parse_bool,
    parse_choice,
    parse_date,
    parse_member,
    parse_money,
    reject_unknown,
    require_mapping,
    select_version,
)
from .words import field_label, labels, request_keys


def _label(path: str) -> str:
    return field_label("estimate", path)


@dataclass
class Claim:
    """One bill under one policy version, care, facility and member group."""

    policy: dict
    version: dict
    day: datetime.date
    care_id: str
    care: dict
    facility: str
    flags: dict
    group: dict
    total: Decimal
    class_b: Decimal = ZERO
    self_pay: Decimal = ZERO
    ytd: dict = field(default_factory=dict)
    remote: dict | None = None
    overrides: dict = field(default_factory=dict)
    item: str | None = None
    version_caveats: list = field(default_factory=list)
    # Set by the year ledger (calculator/ledger.py): per-layer running totals
    # {layer id: {"out_of_pocket", "paid"}} and the totals earlier visits left
    # uncertain {key: "第1、2次就医"} (keys: fund_paid, eligible_costs, <layer id>).
    layer_ytd: dict = field(default_factory=dict)
    unsure: dict = field(default_factory=dict)
    # Worked out along the way.
    b_share: Decimal = ZERO
    eligible: Decimal = ZERO
    eligible_exact: bool = True  # False when the class-B first share is unknown
    layer_base: dict = field(default_factory=dict)  # annual layers: what this bill added to their base

    @property
    def care_label(self) -> str:
        return self.care.get("label", self.care_id)

    def earlier_unsure(self, trace, key: str, what: str) -> None:
        """A running total of this insured year that earlier visits could not work out (`unsure`):
        this bill, which reads it, cannot be exact either."""
        visits = self.unsure.get(key)
        if visits:
            trace.unknown(
                f"{visits}的{what}",
                f"这次要按本年度的累计数计算，而{visits}的结果不完整，累计数算不准。",
                tail="",
            )


@dataclass
class Paid:
    """What the settlement of a claim came to (the layers' payments are in the payers table).

    `deductible`: the part of the bill the deductible took, None when this settlement has no
    deductible figure: the rule has none (per case, quota, not paid) or the sources do not give
    it (`deductible_unknown`)."""

    basic: Decimal = ZERO
    hospital: Decimal = ZERO
    deductible: Decimal | None = None
    deductible_unknown: bool = False
    basic_known: bool = True


def read_claim(request: Any, fields=None, date_required: bool = False) -> Claim:
    """The request as a Claim; InputError (field, code, Chinese message) on bad input.

    The year ledger reads each visit with its own `fields` and a required date."""
    req = require_mapping(request, "")
    reject_unknown(req, fields or request_keys("estimate"))
    policy = get_policy(req.get("policy"))
    day = parse_date(req.get("date"), "date", _label("date"), default=None if date_required else TODAY)
    version, version_caveats = select_version(policy, day, "date")
    care_id, care = _care(version, req.get("care"))
    facility = _facility(policy, req.get("facility"))
    flags = parse_member(req.get("member"))
    total, class_b, self_pay = _costs(req.get("costs"))
    return Claim(
        policy=policy,
        version=version,
        day=day,
        care_id=care_id,
        care=care,
        facility=facility,
        flags=flags,
        group=member_group(policy, flags),
        total=total,
        class_b=class_b,
        self_pay=self_pay,
        ytd=_year_to_date(req.get("year_to_date")),
        remote=_remote(req.get("remote")),
        overrides=_overrides(req.get("overrides"), care),
        item=req.get("item"),
        version_caveats=version_caveats,
    )


def _costs(value):
    costs = require_mapping(value if value is not None else {}, "costs")
    reject_unknown(costs, request_keys("estimate", "costs"), "costs")
    total = parse_money(costs.get("total"), "costs.total", _label("costs.total"))
    class_b = parse_money(costs.get("class_b"), "costs.class_b", _label("costs.class_b"), ZERO)
    self_pay = parse_money(costs.get("self_pay"), "costs.self_pay", _label("costs.self_pay"), ZERO)
    if class_b + self_pay > total:
        raise InputError(
            "costs.class_b",
            "exceeds_total",
            f"乙类费用（{yuan(class_b)}）加自费费用（{yuan(self_pay)}）不能超过费用总额（{yuan(total)}）。",
        )
    return total, class_b, self_pay


def _year_to_date(value) -> dict:
    ytd = require_mapping(value if value is not None else {}, "year_to_date")
    keys = request_keys("estimate", "year_to_date")
    reject_unknown(ytd, keys, "year_to_date")
    return {key: parse_money(ytd.get(key), f"year_to_date.{key}", _label(f"year_to_date.{key}"), ZERO) for key in keys}


def _remote(value) -> dict | None:
    if value is None:
        return None
    remote = require_mapping(value, "remote")
    reject_unknown(remote, request_keys("estimate", "remote"), "remote")
    kind = parse_choice(remote.get("kind"), "remote.kind", labels("remote_kind"), _label("remote.kind"))
    return {
        "kind": kind,
        "registered": parse_bool(remote.get("registered"), "remote.registered", _label("remote.registered")),
        "cross_province": parse_bool(
            remote.get("cross_province"), "remote.cross_province", _label("remote.cross_province")
        ),
    }


def _care(version: dict, care_id):
    care = version["care"]
    if care_id is None or care_id == "":
        care_id = "inpatient" if "inpatient" in care else next(iter(care))
    if not isinstance(care_id, str) or care_id not in care:
        labels = "、".join(rule.get("label", key) for key, rule in care.items())
        raise InputError("care", "unknown", f"该政策没有这一就医类型，可选：{labels}。")
    return care_id, care[care_id]


def _facility(policy: dict, value) -> str:
    facilities = policy["facilities"]
    if value is None or value == "":
        if len(facilities) == 1:
            return next(iter(facilities))
        raise InputError("facility", "required", "请选择医疗机构级别。")
    if not isinstance(value, str) or value not in facilities:
        raise InputError("facility", "unknown", f"没有这一医疗机构级别“{value}”，请从列表中选择。")
    return value


def _overrides(value, care: dict) -> dict:
    if value is None:
        return {}
    overrides = require_mapping(value, "overrides")
    allowed = overridable(care)
    reject_unknown(overrides, allowed, "overrides")
    return {
        key: parse_money(v, f"overrides.{key}", allowed[key]["label"])
        for key, v in overrides.items()
        if v is not None and v != ""
    }
