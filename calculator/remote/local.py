"""The region's own rules for out-of-region care (a policy's `remote` section, see policies/README.md).

A scheme's `remote` section (all keys optional; every number cited):

    <reason>:                     # emergency | referral | residence | work | temporary
      label, who: {cite, text}
      scope: cross_province       # the rule speaks only of cross-province care
      covered: {cite, when_any | when | nobody: true, unclear_when_any, text_no, text_unclear}
      min_months_elsewhere: {value, cite}
      conditions: {cite, items: {id: label}, otherwise: {answer_days, cite, text}}
      register: {working_days, cite, label, text, channels: [...]}   # after the visit
      approval: {required, before_costs, cite, label, text, unfiled_note}
      validity: {max_years, no_cancel_months, no_reregister_months, cite}
      stay: {max_days, extension_before_days, cite, text}
      card: {register_days, settle_days, cite, text}
      hospitals: {cite, items}, chosen_hospitals: {count, cite}
      rules: [{id, cite, text}], steps: [{id, label, detail, cite}]   # a step `claim` says what to bring home
      settlement: {method: remote_settlement | local_standard | unstated, cite, text | note}
    payout: {local_days, remote_months, cite, text}
    ratio_cut: {value | null, note}  # the region's cut for temporary cross-province trips

Periods in days follow the usual reading of Chinese rules: the starting day is
not counted, so "within 3 days of admission" ends on admission + 3, and a stay
of at most 30 days ends on visit + 30.
"""

from __future__ import annotations

import datetime

from ..data import bundle
from ..money import dec
from ..trace import Trace
from ..words import label
from .conditions import match, may_mean, question
from .coverage import coverage_rule, covered, excluded_text, local_part_applies
from .request import RemoteRequest
from .verdict import Part, add_months


def read_local(remote: dict, r: RemoteRequest, part: Part, calendar, nat: dict | None) -> None:
    """The region's rules for this reason into `part` (its trace and verdict); `nat` is given
    when the national cross-province rules apply (coverage.py: which local parts they replace)."""
    out = part.out
    national_mode = nat is not None
    entry = _entry(remote, r, part, national_mode)
    if entry is None:
        return
    who = entry.get("who") or {}
    out.reason(f"{_name(r)}规定的适用人员：{who.get('text')}", who.get("cite"))
    if _covered(coverage_rule(remote, r.reason, nat), r, out, part, national_mode) is False:
        part.excluded = True
        return  # no such benefit: no steps or deadlines to offer
    if local_part_applies("min_months_elsewhere", r.reason, nat):
        _months(entry.get("min_months_elsewhere"), r, out, part)
    _conditions(entry.get("conditions"), r, out, part)
    _register(entry.get("register"), r, out, part, calendar, national_mode)
    _approval(entry.get("approval"), r, out, part)
    if local_part_applies("validity", r.reason, nat):
        _validity(entry.get("validity"), r, out, part)
    _stay(entry.get("stay"), r, out)
    _card(entry.get("card"), r, out)
    _lists(entry, r, out)
    payout = remote.get("payout")
    if payout:
        out.reason(payout["text"], payout.get("cite"))


def _name(r: RemoteRequest) -> str:
    return r.policy.get("region_name") or r.policy["region"]


def _entry(remote: dict, r: RemoteRequest, part: Part, national_mode: bool) -> dict | None:
    """The region's section for this reason, or None (and why) when it says nothing that applies."""
    name, reason = _name(r), label("remote_reason", r.reason)
    entry = remote.get(r.reason)
    if not isinstance(entry, dict):
        part.verdict(None, f"来源没有规定{name}{r.policy.get('name', '')}的“{reason}”待遇。")
        if not national_mode:
            part.out.caveat(f"{name}的来源文件没有关于“{reason}”的规定，无法判断能否报销，请向参保地医保经办机构咨询。")
        return None
    if entry.get("scope") == "cross_province" and not r.cross:
        part.verdict(None, f"{name}的来源只规定了跨省异地就医的备案，省内异地就医的办法来源未规定。")
        part.out.caveat(
            f"{name}的来源只规定了跨省异地就医需要备案；省内异地就医怎样办理，来源未规定，请向参保地医保经办机构咨询。"
        )
        return None
    return entry


def _lists(entry: dict, r: RemoteRequest, out: Trace) -> None:
    """Hospitals, other rules and the region's own steps."""
    hospitals = entry.get("hospitals")
    if hospitals:
        out.reason("可以出具转诊意见的医院：" + "、".join(hospitals.get("items") or []) + "。", hospitals.get("cite"))
    chosen = entry.get("chosen_hospitals")
    if chosen:
        out.reason(f"需在居住地选定 {chosen['count']} 所医保定点医院。", chosen.get("cite"))
    for rule in entry.get("rules") or []:
        out.reason(rule["text"], rule.get("cite"))
    for step in entry.get("steps") or []:
        if step.get("filing") and r.filed is True:
            continue  # filed already: nothing left to do for it
        out.step(step["id"], step["label"], step["detail"], step.get("cite"))


def _covered(rule, r, out, part, national_mode) -> bool | None:
    state = covered(rule, r.member)
    if state is False:
        part.verdict(False, excluded_text(rule, national_mode))
        out.reason(rule["text_no"], rule.get("cite"))
    elif state is None:
        part.verdict(None, rule["text_unclear"])
        out.reason(rule["text_unclear"], rule.get("cite"))
    return state


def _months(rule, r, out, part) -> None:
    if not rule:
        return
    need = dec(rule["value"])
    if r.months is None:
        part.verdict(None, f"需要在外地居住满 {need} 个月，您没有填写已在外地居住的月数。")
        out.reason(f"需要在外地居住满 {need} 个月（一年）以上。", rule.get("cite"))
    elif r.months < need:
        part.verdict(False, f"在外地居住 {r.months} 个月，未满规定的 {need} 个月。")
        out.reason(f"需要在外地居住满 {need} 个月以上，目前只有 {r.months} 个月。", rule.get("cite"))
    else:
        out.reason(f"已在外地居住 {r.months} 个月，满足居住满 {need} 个月的条件。", rule.get("cite"))


def _conditions(rule, r, out, part) -> None:
    """Emergency conditions: a listed name, or a synonym of one; nothing typed leaves the answer open."""
    if not rule:
        return
    items = rule.get("items") or {}
    otherwise = rule.get("otherwise") or {}
    listed = "、".join(items.values())
    label = match(r.condition, items, bundle().get("synonyms") or {})
    if label:
        named = "" if label == r.condition or r.condition in items else f"（您填写的“{r.condition}”）"
        out.reason(f"“{label}”{named}属于规定的急救病种。", rule.get("cite"))
        return
    options = may_mean(r.condition, items, bundle().get("may_mean") or {})
    if options:
        part.verdict(None, question(r.condition, options))
        out.reason(f"规定的急救病种：{listed}。", rule.get("cite"))
    elif r.condition is None:
        part.verdict(None, f"请说明病情：规定的急救病种是{listed}；不在其中的，要由专家审核后才能确定能否报销。")
        out.reason(f"规定的急救病种：{listed}。", rule.get("cite"))
    else:
        part.verdict(None, f"“{r.condition}”不在规定的急救病种之列，能否报销要由省级医疗专家组审核。")
        out.reason(f"规定的急救病种：{listed}。“{r.condition}”不在其中或难以界定。", rule.get("cite"))
    if otherwise.get("text"):
        out.reason(otherwise["text"], otherwise.get("cite"))


def _register(rule, r, out, part, calendar, national_mode) -> None:
    """Registration within N working days after the visit (the region's own rule)."""
    if not rule:
        return
    n = int(dec(rule["working_days"]))
    deadline, caveats = calendar.nth_workday_after(r.visit, n)
    for text in caveats:
        out.caveat(text)
    label = rule.get("label") or f"登记截止日（就诊后第{n}个工作日）"
    if national_mode:
        label += "；跨省急诊视同已备案，未能直接结算、回参保地手工报销时按此办理"
    note = calendar.deadline_note(r.visit, deadline)
    if r.filed is not True:  # filed: the date is kept, nothing is left to do by it
        out.deadline("register", deadline, label, rule.get("cite"), r.today, note)
    counted = "只扣除了周末，没有计入官方放假安排以外的节假日" if note else "已扣除周末和法定节假日、计入调休上班日"
    out.reason(
        f"{rule['text']}（就诊日 {r.visit.isoformat()} 之后第 {n} 个工作日是 {deadline.isoformat()}，{counted}。）",
        rule.get("cite"),
    )
    if rule.get("channels"):
        out.reason("登记方式：" + "；".join(rule["channels"]) + "。", rule.get("cite"))
    if r.filed is True:
        if r.filing_date and r.filing_date > deadline:
            part.verdict(
                False, f"登记日期 {r.filing_date.isoformat()} 晚于截止日 {deadline.isoformat()}，超过了规定的登记期限。"
            )
        return
    if r.today > deadline:
        if r.filed is False:
            part.verdict(False, f"没有在 {deadline.isoformat()}（就诊后第{n}个工作日）前办理登记，已超过期限。")
        else:
            part.verdict(None, f"要在 {deadline.isoformat()} 前办理过登记才能报销；您没有说明是否已经登记。")
    else:
        out.caveat(f"还没有登记的，请在 {deadline.isoformat()}（含当天）前办理。")


def _approval(rule, r, out, part) -> None:
    """An approval or filing that must come before the costs it covers."""
    if not rule or not rule.get("required"):
        return
    out.reason(f"{rule['label']}：{rule['text']}", rule.get("cite"))
    if r.filed is True:
        if rule.get("before_costs") and r.filing_date and r.filing_date > r.visit:
            out.reason(
                f"审批（备案）日期 {r.filing_date.isoformat()} 晚于就诊日期 {r.visit.isoformat()}："
                "审批之前发生的费用不予报销，只从审批之日起计算。",
                rule.get("cite"),
            )
            out.caveat(
                f"{r.visit.isoformat()} 至 {(r.filing_date - datetime.timedelta(days=1)).isoformat()} "
                "之间的费用发生在审批之前，不能报销。"
            )
        return
    if r.visit <= r.today and (rule.get("before_costs") or rule.get("unfiled_note")):
        if r.filed is None:
            part.verdict(None, f"要先{rule['label']}才能报销；您没有说明是否已经办理。")
        elif rule.get("before_costs"):
            part.verdict(
                False, f"就诊前没有{rule['label']}，已经发生的费用不予报销；现在办理，只能报销办理之后的费用。"
            )
        else:
            part.verdict(None, rule["unfiled_note"])
            out.reason(rule["unfiled_note"], rule.get("cite"))
    else:
        out.caveat(f"就诊前请先{rule['label']}。")


def _validity(rule, r, out, part) -> None:
    if not rule:
        return
    cite = rule.get("cite")
    years = int(dec(rule["max_years"])) if rule.get("max_years") is not None else None
    if r.filing_date is None:
        if years:
            out.reason(f"登记审批最长有效 {years} 年，到期需要续办。", cite)
        return
    if years:
        expiry = add_months(r.filing_date, 12 * years)
        out.deadline("approval_expires", expiry, f"异地居住登记审批到期（最长{years}年），到期前续办", cite, r.today)
        if r.visit >= expiry:
            part.verdict(
                False, f"就诊日期 {r.visit.isoformat()} 时审批已到期（{expiry.isoformat()}），未续办的费用不予支付。"
            )
    if rule.get("no_cancel_months") is not None:
        months = int(dec(rule["no_cancel_months"]))
        out.deadline(
            "earliest_cancel",
            add_months(r.filing_date, months),
            f"最早可以取消异地居住登记的日期（登记后{months}个月内不能取消）",
            cite,
            r.today,
        )
    if rule.get("no_reregister_months") is not None:
        months = int(dec(rule["no_reregister_months"]))
        out.reason(f"取消登记后 {months} 个月内不能重新登记。", cite)


def _stay(rule, r, out) -> None:
    if not rule:
        return
    cite = rule.get("cite")
    max_days = int(dec(rule["max_days"]))
    before = int(dec(rule["extension_before_days"]))
    limit = r.visit + datetime.timedelta(days=max_days)
    out.deadline(
        "extension_request",
        limit - datetime.timedelta(days=before),
        f"需要在外地治疗超过{max_days}天的，最晚在这一天办理延期（提前{before}天）",
        cite,
        r.today,
    )
    out.deadline(
        "return_limit", limit, f"在外地治疗最多{max_days}天（就诊当日不计入），病情稳定后须转回本地", cite, r.today
    )
    out.reason(rule["text"], cite)
    if r.days_away is not None and r.days_away > max_days:
        out.caveat(f"在外地治疗 {r.days_away} 天，超过了 {max_days} 天：超出的部分须已提前办理延期，否则可能不予报销。")


def _card(rule, r, out) -> None:
    if not rule:
        return
    cite = rule.get("cite")
    days = int(dec(rule["register_days"]))
    out.deadline(
        "card_registration",
        r.visit + datetime.timedelta(days=days),
        f"如在定点医院因急诊未带医保卡、以现金住院：{days}日内持卡补录医保住院手续",
        cite,
        r.today,
    )
    settle = int(dec(rule["settle_days"]))
    if r.discharged:
        out.deadline(
            "discharge_settlement",
            r.discharged + datetime.timedelta(days=settle),
            f"出院后{settle}日内办理出院结算，否则医保卡可能被锁定",
            cite,
            r.today,
        )
    out.reason(rule["text"], cite)
