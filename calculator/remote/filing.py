"""National filing rules: how to file, what to bring, late filing, and how long a filing lasts."""

from __future__ import annotations

from ..money import dec
from ..trace import Trace
from .request import RemoteRequest
from .verdict import Part, add_months


def how_to_file(nat: dict, category: dict, r: RemoteRequest, out: Trace, calendar) -> None:
    filing = nat["filing"]
    channels = "、".join(filing["channels"]["items"])
    bring = list(filing["common_items"]["items"]) + list(category["bring"]["items"])
    out.reason(filing["required"]["text"], filing["required"].get("cite"))
    if r.filed is True:  # nothing left to do for the filing itself
        out.reason(f"备案可以通过{channels}办理；您已经办理了备案。", filing["channels"].get("cite"))
    else:
        out.step(
            "national_filing",
            "办理跨省异地就医备案",
            f"通过{channels}办理备案，选定就医地。",
            filing["channels"].get("cite"),
        )
        out.step("national_documents", "备案需要准备的材料", "；".join(bring) + "。", category["bring"].get("cite"))
    dest = filing.get("destination")
    if dest:
        out.reason(dest["text"], dest.get("cite"))
    processing = filing.get("online_processing")
    if not processing:
        return
    out.reason(processing["text"], processing.get("cite"))
    if r.filing_date:
        n = int(dec(processing["working_days"]))
        done, caveats = calendar.nth_workday_after(r.filing_date, n)
        for text in caveats:
            out.caveat(text)
        out.deadline(
            "filing_processed",
            done,
            f"线上备案原则上在{n}个工作日内办结（提交后第{n}个工作日）",
            processing.get("cite"),
            r.today,
            calendar.deadline_note(r.filing_date, done),
        )


def filing_status(nat: dict, r: RemoteRequest, part: Part) -> None:
    """Filed, may still file before discharge, or past that: the insured city's rules."""
    out, late = part.out, nat["late_filing"]
    if r.filed is True:
        part.verdict(True, "已办理跨省异地就医备案，可以在就医地联网定点医院直接结算。")
        return
    if not r.inpatient:
        _outpatient_status(nat, r, part)
        return
    out.reason(late["before_discharge"]["text"], late["before_discharge"].get("cite"))
    out.reason(late["after_payment"]["text"], late["after_payment"].get("cite"))
    if r.discharged is not None:
        out.deadline(
            "file_before_discharge",
            r.discharged,
            "出院结算前补办备案，仍可直接结算（最晚在出院结算当天）",
            late["before_discharge"].get("cite"),
            r.today,
        )
    if r.discharged is not None and r.discharged < r.today:
        part.fallback = True
        lead = "出院时没有备案" if r.filed is False else "如果出院时还没有备案"
        part.verdict(None, f"{lead}，就不能直接结算；可以补办备案后回参保地手工报销，按参保地规定执行。")
        claim_at_home(nat, r, part)
        return
    if r.filed is False:
        out.caveat("还没有备案：请在出院结算前办好备案，才能直接结算。")
    part.verdict(True, "办好跨省异地就医备案（最晚在出院结算前）后，可以在就医地联网定点医院直接结算。")


def _outpatient_status(nat: dict, r: RemoteRequest, part: Part) -> None:
    """Outpatient care: without a filing at the time of the visit it is claimed at home."""
    late = nat["late_filing"]["after_payment"]
    part.out.reason(late["text"], late.get("cite"))
    if r.visit <= r.today and r.filed is False:
        part.fallback = True
        part.verdict(None, "就诊时没有备案，不能直接结算；可以补办备案后回参保地手工报销，按参保地规定执行。")
        claim_at_home(nat, r, part)
        return
    part.out.caveat("还没有备案：请在就诊前办好备案，才能直接结算。")
    part.verdict(True, "办好跨省异地就医备案后，可以在就医地联网定点医疗机构直接结算。")


def validity(nat: dict, long_term: bool, r: RemoteRequest, out: Trace) -> None:
    rules = nat["validity"]
    if long_term:
        out.reason(rules["long_term"]["text"], rules["long_term"].get("cite"))
        change = rules["min_period_before_change"]
        out.reason(change["text"], change.get("cite"))
    elif r.reason != "emergency":
        temp = rules["temporary"]
        out.reason(temp["text"], temp.get("cite"))
        if r.filing_date:
            months = int(dec(temp["min_months"]))
            out.deadline(
                "temporary_filing_valid",
                add_months(r.filing_date, months),
                f"临时外出就医备案至少有效到这一天（不少于{months}个月）",
                temp.get("cite"),
                r.today,
            )
    if r.reason != "emergency" and r.inpatient:
        out.reason(rules["admission_while_valid"]["text"], rules["admission_while_valid"].get("cite"))


def claim_at_home(nat: dict, r: RemoteRequest, part: Part) -> None:
    """The way left when direct settlement is not possible: a claim under the insured city's rules."""
    rule = nat["late_filing"]["after_payment"] if r.filed is not True else nat["no_filing"]
    first = "先垫付费用，" + ("" if r.filed is True else "补办备案后")
    part.out.step(
        "claim_at_home",
        "回参保地申请报销",
        f"{first}回参保地医保经办机构按参保地规定手工报销；需要带哪些材料，以参保地的规定为准。",
        rule.get("cite"),
    )
