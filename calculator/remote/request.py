"""Reading an out-of-region question: every field checked, every error in Chinese."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..choices import REMOTE_CARE
from ..errors import InputError
from ..labels import REMOTE_REASON_ALIASES, REMOTE_REASONS
from ..request import (
    TODAY,
    check_text,
    get_policy,
    parse_bool,
    parse_choice,
    parse_date,
    parse_member,
    parse_number,
    reject_unknown,
    require_mapping,
    select_version,
)

REQUEST_FIELDS = (
    "policy",
    "reason",
    "care",
    "networked",
    "member",
    "visit_date",
    "months_elsewhere",
    "cross_province",
    "filed",
    "filing_date",
    "condition",
    "discharged",
    "days_away",
    "today",
)


@dataclass
class RemoteRequest:
    policy: dict
    reason: str
    care: str
    networked: bool | None
    member: dict
    visit: datetime.date
    version: dict
    version_caveats: list
    months: Decimal | None
    cross_given: bool
    cross: bool
    filed: bool | None
    filing_date: datetime.date | None
    condition: str | None
    discharged: datetime.date | None
    days_away: Decimal | None
    today: datetime.date

    @property
    def inpatient(self) -> bool:
        return self.care == "inpatient"


def _reason(value) -> str:
    reason = REMOTE_REASON_ALIASES.get(value, value) if isinstance(value, str) else value
    choices = "、".join(REMOTE_REASONS.values())
    if reason is None or reason == "":
        raise InputError("reason", "required", f"请选择异地就医的原因：{choices}。")
    if not isinstance(reason, str) or reason not in REMOTE_REASONS:
        raise InputError("reason", "unknown", f"无法识别的异地就医原因“{reason}”，请从以下选择：{choices}。")
    return reason


def _care(value) -> str:
    if value is None or value == "":
        return "inpatient"
    return parse_choice(value, "care", REMOTE_CARE, "就医类型")


def _optional_bool(value, field: str, label: str) -> bool | None:
    return None if value is None else parse_bool(value, field, label)


def _filing(req: dict) -> tuple[bool | None, datetime.date | None]:
    filed = _optional_bool(req.get("filed"), "filed", "是否已办理备案（登记、审批）")
    if req.get("filing_date") in (None, ""):
        return filed, None
    day = parse_date(req.get("filing_date"), "filing_date", "备案（登记、审批）日期")
    if filed is False:
        raise InputError("filing_date", "conflict", "填写了备案日期，但又选择了“未备案”，请核对。")
    return True, day


def _condition(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("condition", "type", "病情请选择急救病种，或填写文字说明。")
    return check_text(value, "condition", "病情", max_length=200).strip() or None


def _number(req: dict, field: str, label: str, maximum: int) -> Decimal | None:
    value = req.get(field)
    return None if value is None else parse_number(value, field, label, maximum=Decimal(maximum))


def read_request(request: Any) -> RemoteRequest:
    req = require_mapping(request, "")
    reject_unknown(req, REQUEST_FIELDS)
    policy = get_policy(req.get("policy"))
    reason = _reason(req.get("reason"))
    care = _care(req.get("care"))
    networked = _optional_bool(req.get("networked"), "networked", "医院是否已接入跨省联网结算")
    member = parse_member(req.get("member"))
    visit = parse_date(req.get("visit_date"), "visit_date", "就诊（入院）日期")
    version, version_caveats = select_version(policy, visit, "visit_date")
    months = _number(req, "months_elsewhere", "在外地居住的月数", 1200)
    cross_given = req.get("cross_province") is not None
    cross = parse_bool(req.get("cross_province"), "cross_province", "是否跨省就医")
    filed, filing_date = _filing(req)
    condition = _condition(req.get("condition"))
    discharged = None
    if req.get("discharged") not in (None, ""):
        discharged = parse_date(req.get("discharged"), "discharged", "出院日期")
        if discharged < visit:
            raise InputError("discharged", "before_visit", "出院日期不能早于就诊（入院）日期。")
    days_away = _number(req, "days_away", "在外地治疗的天数", 3660)
    today = parse_date(req.get("today"), "today", "今天的日期", default=TODAY)
    return RemoteRequest(
        policy=policy,
        reason=reason,
        care=care,
        networked=networked,
        member=member,
        visit=visit,
        version=version,
        version_caveats=version_caveats,
        months=months,
        cross_given=cross_given,
        cross=cross,
        filed=filed,
        filing_date=filing_date,
        condition=condition,
        discharged=discharged,
        days_away=days_away,
        today=today,
    )
