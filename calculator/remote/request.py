"""Reading an out-of-region question: every field checked, every error in Chinese."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import InputError
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
from ..words import field, field_label, labels, request_keys


def _label(path: str) -> str:
    return field_label("remote", path)


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
    reasons = labels("remote_reason")
    reason = field("remote", "reason")["aliases"].get(value, value) if isinstance(value, str) else value
    choices = "、".join(reasons.values())
    if reason is None or reason == "":
        raise InputError("reason", "required", f"请选择{_label('reason')}：{choices}。")
    if not isinstance(reason, str) or reason not in reasons:
        raise InputError("reason", "unknown", f"无法识别的{_label('reason')}“{reason}”，请从以下选择：{choices}。")
    return reason


def _care(value) -> str:
    if value is None or value == "":
        return "inpatient"
    return parse_choice(value, "care", labels("remote_care"), _label("care"))


def _optional_bool(value, name: str) -> bool | None:
    return None if value is None else parse_bool(value, name, _label(name))


def _filing(req: dict) -> tuple[bool | None, datetime.date | None]:
    filed = _optional_bool(req.get("filed"), "filed")
    if req.get("filing_date") in (None, ""):
        return filed, None
    day = parse_date(req.get("filing_date"), "filing_date", _label("filing_date"))
    if filed is False:
        raise InputError("filing_date", "conflict", "填写了备案日期，但又选择了“未备案”，请核对。")
    return True, day


def _condition(value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError("condition", "type", f"{_label('condition')}请选择急救病种，或填写文字说明。")
    return check_text(value, "condition", _label("condition"), max_length=200).strip() or None


def _number(req: dict, name: str) -> Decimal | None:
    value = req.get(name)
    maximum = Decimal(field("remote", name)["maximum"])
    return None if value is None else parse_number(value, name, _label(name), maximum=maximum)


def read_request(request: Any) -> RemoteRequest:
    req = require_mapping(request, "")
    reject_unknown(req, request_keys("remote"))
    policy = get_policy(req.get("policy"))
    reason = _reason(req.get("reason"))
    care = _care(req.get("care"))
    networked = _optional_bool(req.get("networked"), "networked")
    member = parse_member(req.get("member"))
    visit = parse_date(req.get("visit_date"), "visit_date", _label("visit_date"))
    version, version_caveats = select_version(policy, visit, "visit_date")
    months = _number(req, "months_elsewhere")
    cross_given = req.get("cross_province") is not None
    cross = parse_bool(req.get("cross_province"), "cross_province", _label("cross_province"))
    filed, filing_date = _filing(req)
    condition = _condition(req.get("condition"))
    discharged = None
    if req.get("discharged") not in (None, ""):
        discharged = parse_date(req.get("discharged"), "discharged", _label("discharged"))
        if discharged < visit:
            raise InputError("discharged", "before_visit", f"{_label('discharged')}不能早于{_label('visit_date')}。")
    days_away = _number(req, "days_away")
    today = parse_date(req.get("today"), "today", _label("today"), default=TODAY)
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
