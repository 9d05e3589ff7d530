"""check_remote(request): may this out-of-region care be reimbursed, what to do, by when.

The rules are data: a policy's `remote` section (the region's own rules, see
policies/README.md) and the bundle's `national.cross_province` (the national
rules for cross-province direct settlement). DESIGN.md "Reading the rules":
inside the province only the region's rules apply; in another province, for
care on or after the national rules' start date, the national rules apply as
well and prevail where they differ (an emergency counts as filed; long-term
residence is open to workers and residents).

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
      rules: [{id, cite, text}], steps: [{id, label, detail, cite}]
      settlement: {method: remote_settlement | local_standard | unstated, cite, text | note}
    payout: {local_days, remote_months, cite, text}
    ratio_cut: {value | null, note}  # the region's cut for temporary cross-province trips

Periods in days follow the usual reading of Chinese rules: the starting day is
not counted, so "within 3 days of admission" ends on admission + 3, and a stay
of at most 30 days ends on visit + 30.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ..data import bundle
from ..errors import InputError
from ..labels import REMOTE_REASON_ALIASES as REASON_ALIASES
from ..labels import REMOTE_REASONS as REASONS
from ..money import dec, money, percent
from ..request import (
    get_policy,
    matches,
    parse_bool,
    parse_date,
    parse_member,
    parse_number,
    reject_unknown,
    require_mapping,
    select_version,
)
from ..workdays import calendar_from

REQUEST_FIELDS = (
    "policy",
    "reason",
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
# reason -> national category (residence depends on the member: see _category)
NATIONAL_CATEGORY = {"emergency": "emergency", "referral": "referral", "work": "stationed", "temporary": "other"}
TEMPORARY_CUT = {"emergency": "emergency", "referral": "referral", "temporary": "other"}
ORDER = {False: 0, None: 1, True: 2}
D = datetime.date


def _add_months(day: D, months: int) -> D:
    """Same day of the month `months` later (clamped to the month's end)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return D(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class _Part:
    """One reading (local or national): a verdict, and what it says."""

    def __init__(self, result: _Result):
        self.r = result
        self.eligible: bool | None = True
        self.why: str | None = None

    def verdict(self, value: bool | None, why: str) -> None:
        """Lower the verdict (False < None < True); the first lowest reason stays."""
        if ORDER[value] < ORDER[self.eligible]:
            self.eligible, self.why = value, why
        elif value is self.eligible and self.why is None:
            self.why = why


class _Result:
    def __init__(self, documents: dict):
        self.documents = documents
        self.reasons: list[dict] = []
        self.steps: list[dict] = []
        self.deadlines: list[dict] = []
        self.caveats: list[str] = []

    def source(self, cite):
        if not cite:
            return None
        doc_id, _, clause_id = str(cite).partition("/")
        doc = self.documents.get(doc_id, {})
        return {
            "document": doc_id,
            "title": doc.get("title"),
            "number": doc.get("number"),
            "clause": (doc.get("clauses") or {}).get(clause_id, clause_id),
            "cite": cite,
        }

    @classmethod
    def reasons_only(cls, other: _Result) -> _Result:
        copy = cls(other.documents)
        copy.reasons = list(other.reasons)
        return copy

    def reason(self, text: str, cite=None) -> None:
        if text and all(r["text"] != text for r in self.reasons):
            self.reasons.append({"text": text, "source": self.source(cite)})

    def step(self, id_: str, label: str, detail: str, cite=None) -> None:
        if all(s["id"] != id_ for s in self.steps):
            self.steps.append({"id": id_, "label": label, "detail": detail, "source": self.source(cite)})

    def deadline(self, id_: str, day: D, label: str, cite=None, today: D | None = None) -> None:
        if any(d["id"] == id_ for d in self.deadlines):
            return
        item = {"id": id_, "date": day.isoformat(), "label": label, "source": self.source(cite)}
        if today is not None:
            item["passed"] = day < today
        self.deadlines.append(item)

    def caveat(self, text: str) -> None:
        if text and text not in self.caveats:
            self.caveats.append(text)


# ---------------------------------------------------------------- request


class _Request:
    pass


def _parse(request) -> _Request:
    req = require_mapping(request, "")
    reject_unknown(req, REQUEST_FIELDS)
    r = _Request()
    r.policy = get_policy(req.get("policy"))
    reason = req.get("reason")
    reason = REASON_ALIASES.get(reason, reason) if isinstance(reason, str) else reason
    if reason is None or reason == "":
        raise InputError("reason", "required", "请选择异地就医的原因：" + "、".join(REASONS.values()) + "。")
    if not isinstance(reason, str) or reason not in REASONS:
        raise InputError(
            "reason",
            "unknown",
            f"无法识别的异地就医原因“{reason}”，请从以下选择：" + "、".join(REASONS.values()) + "。",
        )
    r.reason = reason
    r.member = parse_member(req.get("member"))
    r.visit = parse_date(req.get("visit_date"), "visit_date", "就诊（入院）日期")
    r.version, r.version_caveats = select_version(r.policy, r.visit, "visit_date")
    months = req.get("months_elsewhere")
    r.months = (
        None if months is None else parse_number(months, "months_elsewhere", "在外地居住的月数", maximum=Decimal(1200))
    )
    r.cross_given = req.get("cross_province") is not None
    r.cross = parse_bool(req.get("cross_province"), "cross_province", "是否跨省就医")
    r.filed = (
        None if req.get("filed") is None else parse_bool(req.get("filed"), "filed", "是否已办理备案（登记、审批）")
    )
    r.filing_date = None
    if req.get("filing_date") not in (None, ""):
        r.filing_date = parse_date(req.get("filing_date"), "filing_date", "备案（登记、审批）日期")
        if r.filed is False:
            raise InputError("filing_date", "conflict", "填写了备案日期，但又选择了“未备案”，请核对。")
        r.filed = True
    condition = req.get("condition")
    if condition is not None and not isinstance(condition, str):
        raise InputError("condition", "type", "病情请选择急救病种，或填写文字说明。")
    r.condition = condition.strip() if isinstance(condition, str) and condition.strip() else None
    r.discharged = None
    if req.get("discharged") not in (None, ""):
        r.discharged = parse_date(req.get("discharged"), "discharged", "出院日期")
        if r.discharged < r.visit:
            raise InputError("discharged", "before_visit", "出院日期不能早于就诊（入院）日期。")
    days = req.get("days_away")
    r.days_away = None if days is None else parse_number(days, "days_away", "在外地治疗的天数", maximum=Decimal(3660))
    r.today = parse_date(req.get("today"), "today", "今天的日期", default=datetime.date.today())
    return r


# ---------------------------------------------------------------- main


def check_remote(request) -> dict:
    """See DESIGN.md: eligibility, reasons, steps, deadlines and the settlement rule."""
    r = _parse(request)
    data = bundle()
    result = _Result(data["documents"])
    for text in r.version_caveats:
        result.caveat(text)
    calendar = calendar_from(data["calendar"])
    national = (data.get("national") or {}).get("cross_province")
    national_from = D.fromisoformat(national["from"]) if national and national.get("from") else None
    applies_national = bool(r.cross and national_from and r.visit >= national_from)
    if not r.cross_given:
        result.caveat("请求没有说明是否跨省，按省内异地就医处理（只适用本地区规定）。")

    remote = r.policy.get("remote") or {}
    # The local reading goes to its own buffer: where national rules prevail
    # over a local restriction, the local steps no longer apply.
    local_out = _Result(data["documents"])
    local = _Part(local_out)
    _local(remote, r, local_out, local, calendar, national_mode=applies_national)

    nat = None
    if applies_national:
        nat_out = _Result(data["documents"])
        nat = _Part(nat_out)
        _national(national, remote, r, nat_out, nat, calendar)
    elif r.cross and national_from and r.visit < national_from:
        result.caveat(
            f"就诊日期早于 {national_from.isoformat()}，国家跨省异地就医直接结算经办规程尚未施行，"
            "只按本地区当时的规定判断。"
        )

    if nat is None:
        eligible, why = local.eligible, local.why
        _merge(result, local_out)
    elif nat.eligible is None and getattr(nat, "fallback", False):
        # Late or no filing: the insured city's own rules decide ([R] 第十四条).
        eligible, why = local.eligible, local.why
        _merge(result, nat_out)
        _merge(result, local_out)
    else:
        eligible, why = nat.eligible, nat.why
        if local.eligible is True:
            _merge(result, nat_out)
            _merge(result, local_out)
        else:
            # National rules prevail: keep the local reasons (they explain the
            # difference) but not the local steps, deadlines and caveats.
            _merge(result, nat_out)
            name = r.policy.get("region_name") or r.policy["region"]
            if local.why:
                first = next((item["source"]["cite"] for item in local_out.reasons if item["source"]), None)
                if first:
                    result.reason(
                        f"参保地（{name}）规定：{local.why}跨省就医时，与国家规定不一致的地方以国家规定为准。", first
                    )
                else:
                    result.caveat(f"{local.why}跨省就医按国家规定判断。")
            _merge(result, _Result.reasons_only(local_out))

    if eligible is True and why is None:
        why = f"符合{REASONS[r.reason]}的报销条件，请按下列步骤和期限办理。"
    settlement = _settlement(remote, r, result, applies_national, national)
    return {
        "policy": r.policy["id"],
        "version": r.version["from"],
        "reason": r.reason,
        "reason_label": REASONS[r.reason],
        "eligible": eligible,
        "eligible_reason": why,
        "rules_applied": "local+national" if applies_national else "local",
        "reasons": result.reasons,
        "steps": result.steps,
        "deadlines": sorted(result.deadlines, key=lambda d: d["date"]),
        "settlement": settlement,
        "caveats": result.caveats,
    }


def _merge(into: _Result, part: _Result) -> None:
    for item in part.reasons:
        if all(r["text"] != item["text"] for r in into.reasons):
            into.reasons.append(item)
    for item in part.steps:
        if all(s["id"] != item["id"] for s in into.steps):
            into.steps.append(item)
    for item in part.deadlines:
        if all(d["id"] != item["id"] for d in into.deadlines):
            into.deadlines.append(item)
    for text in part.caveats:
        into.caveat(text)


# ---------------------------------------------------------------- local rules


def _local(remote: dict, r: _Request, out: _Result, part: _Part, calendar, national_mode: bool) -> None:
    name = r.policy.get("region_name") or r.policy["region"]
    entry = remote.get(r.reason)
    if not isinstance(entry, dict):
        part.verdict(None, f"来源没有规定{name}{r.policy.get('name', '')}的“{REASONS[r.reason]}”待遇。")
        if not national_mode:
            out.caveat(
                f"{name}的来源文件没有关于“{REASONS[r.reason]}”的规定，无法判断能否报销，请向参保地医保经办机构咨询。"
            )
        return
    if entry.get("scope") == "cross_province" and not r.cross:
        part.verdict(None, f"{name}的来源只规定了跨省异地就医的备案，省内异地就医的办法来源未规定。")
        out.caveat(
            f"{name}的来源只规定了跨省异地就医需要备案；省内异地就医怎样办理，来源未规定，请向参保地医保经办机构咨询。"
        )
        return
    who = entry.get("who") or {}
    out.reason(f"{name}规定的适用人员：{who.get('text')}", who.get("cite"))

    if _covered(entry.get("covered"), r, out, part) is False:
        return  # excluded outright: no steps or deadlines to offer
    _months(entry.get("min_months_elsewhere"), r, out, part)
    _conditions(entry.get("conditions"), r, out, part)
    _register(entry.get("register"), r, out, part, calendar, national_mode)
    _approval(entry.get("approval"), r, out, part)
    _validity(entry.get("validity"), r, out, part)
    _stay(entry.get("stay"), r, out)
    _card(entry.get("card"), r, out)
    hospitals = entry.get("hospitals")
    if hospitals:
        out.reason("可以出具转诊意见的医院：" + "、".join(hospitals.get("items") or []) + "。", hospitals.get("cite"))
    chosen = entry.get("chosen_hospitals")
    if chosen:
        out.reason(f"需在居住地选定 {chosen['count']} 所医保定点医院。", chosen.get("cite"))
    for rule in entry.get("rules") or []:
        out.reason(rule["text"], rule.get("cite"))
    for step in entry.get("steps") or []:
        out.step(step["id"], step["label"], step["detail"], step.get("cite"))
    payout = remote.get("payout")
    if payout:
        out.reason(payout["text"], payout.get("cite"))


def _covered(rule, r, out, part) -> bool | None:
    if not rule:
        return True
    if rule.get("nobody"):
        part.verdict(False, rule["text_no"])
        out.reason(rule["text_no"], rule.get("cite"))
        return False
    if matches(rule, r.member):
        return True
    unclear = rule.get("unclear_when_any") or []
    if any(r.member.get(flag) for flag in unclear):
        part.verdict(None, rule["text_unclear"])
        out.reason(rule["text_unclear"], rule.get("cite"))
        return None
    part.verdict(False, rule["text_no"])
    out.reason(rule["text_no"], rule.get("cite"))
    return False


def _months(rule, r, out, part) -> None:
    if not rule:
        return
    need = dec(rule["value"])
    if r.months is None:
        part.verdict(None, f"需要在外地居住满 {need} 个月，请求没有给出已在外地居住的月数。")
        out.reason(f"需要在外地居住满 {need} 个月（一年）以上。", rule.get("cite"))
    elif r.months < need:
        part.verdict(False, f"在外地居住 {r.months} 个月，未满规定的 {need} 个月。")
        out.reason(f"需要在外地居住满 {need} 个月以上，目前只有 {r.months} 个月。", rule.get("cite"))
    else:
        out.reason(f"已在外地居住 {r.months} 个月，满足居住满 {need} 个月的条件。", rule.get("cite"))


def _conditions(rule, r, out, part) -> None:
    if not rule:
        return
    items = rule.get("items") or {}
    otherwise = rule.get("otherwise") or {}
    label = items.get(r.condition) if r.condition else None
    if label is None and r.condition in items.values():
        label = r.condition
    if label:
        out.reason(f"“{label}”属于规定的急救病种。", rule.get("cite"))
        return
    listed = "、".join(items.values())
    what = f"“{r.condition}”" if r.condition else "病情（未说明）"
    part.verdict(None, f"{what}不在规定的急救病种之列，能否报销要由省级医疗专家组审核。")
    out.reason(f"规定的急救病种：{listed}。{what}不在其中或难以界定。", rule.get("cite"))
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
    out.deadline("register", deadline, label, rule.get("cite"), r.today)
    out.reason(
        f"{rule['text']}（就诊日 {r.visit.isoformat()} 之后第 {n} 个工作日是 {deadline.isoformat()}，"
        "已扣除周末和法定节假日、计入调休上班日。）",
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
            part.verdict(None, f"要在 {deadline.isoformat()} 前办理过登记才能报销；请求没有说明是否已登记。")
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
            part.verdict(None, f"要先{rule['label']}才能报销；请求没有说明是否已办理。")
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
        expiry = _add_months(r.filing_date, 12 * years)
        out.deadline("approval_expires", expiry, f"异地居住登记审批到期（最长{years}年），到期前续办", cite, r.today)
        if r.visit >= expiry:
            part.verdict(
                False, f"就诊日期 {r.visit.isoformat()} 时审批已到期（{expiry.isoformat()}），未续办的费用不予支付。"
            )
    if rule.get("no_cancel_months") is not None:
        months = int(dec(rule["no_cancel_months"]))
        out.deadline(
            "earliest_cancel",
            _add_months(r.filing_date, months),
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


# ---------------------------------------------------------------- national rules


def _category(r: _Request) -> str:
    if r.reason == "residence":
        return "resettled" if r.member.get("retired") else "resident"
    return NATIONAL_CATEGORY[r.reason]


def _national(nat: dict, remote: dict, r: _Request, out: _Result, part: _Part, calendar) -> None:
    part.fallback = False
    category_id = _category(r)
    category = nat["categories"][category_id]
    long_term = category["group"] == "long_term"
    filing = nat["filing"]
    out.reason(
        f"跨省异地就医（就诊日期在 {nat['from']} 及以后）：除参保地规定外，还适用国家跨省异地就医直接结算规定，"
        f"两者不一致时以国家规定为准。本次属于“{category['label']}”。",
        category.get("cite"),
    )

    # Who may file: national categories cover every insured person, workers and residents alike.
    if r.reason == "residence":
        out.reason(
            "国家规定的长期异地就医人员包括异地安置退休人员、异地长期居住人员和常驻异地工作人员，"
            "职工和城乡居民都可以办理，不限于退休人员。",
            category.get("cite"),
        )
        out.reason(
            "国家规定以居住证明或本人承诺作为长期居住的依据，没有写居住满多少个月；"
            "本检查跨省时不再套用参保地的居住月数要求。",
            category["bring"].get("cite"),
        )
        need = ((remote.get("residence") or {}).get("min_months_elsewhere") or {}).get("value")
        if need is not None and (r.months is None or r.months < dec(need)):
            out.caveat(
                f"参保地规定要在外地居住满 {need} 个月；跨省备案按国家规定提交居住证明或承诺书即可，"
                "如参保地经办机构另有要求，以其答复为准。"
            )

    # How to file and what to bring.
    channels = "、".join(filing["channels"]["items"])
    bring = list(filing["common_items"]["items"]) + list(category["bring"]["items"])
    if r.reason == "emergency":
        emergency = nat["emergency"]
        out.reason(emergency["counts_as_filed"]["text"], emergency["counts_as_filed"].get("cite"))
        out.reason(emergency["standard"]["text"], emergency["standard"].get("cite"))
        out.step(
            "national_emergency",
            "直接结算急诊费用",
            "跨省急诊抢救视同已备案：在就医地跨省联网定点医院出院时直接结算；"
            "如医院未联网或已全额垫付，回参保地按当地规定报销。",
            emergency["counts_as_filed"].get("cite"),
        )
        items = (remote.get(r.reason) or {}).get("conditions", {}).get("items") or {}
        if r.condition and r.condition not in items and r.condition not in items.values():
            out.caveat(
                "是否属于急诊抢救，由就医医院和参保地医保部门认定；不属于急诊抢救的，需要按临时外出就医办理备案。"
            )
        part.verdict(True, "跨省急诊抢救视同已备案，可以直接结算（按参保地的急诊抢救待遇标准）。")
    else:
        out.reason(filing["required"]["text"], filing["required"].get("cite"))
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
        if processing:
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
                )
        _national_filing_status(nat, r, out, part)

    # Validity of the filing.
    validity = nat["validity"]
    if long_term:
        out.reason(validity["long_term"]["text"], validity["long_term"].get("cite"))
        change = validity["min_period_before_change"]
        out.reason(change["text"], change.get("cite"))
    elif r.reason != "emergency":
        temp = validity["temporary"]
        out.reason(temp["text"], temp.get("cite"))
        if r.filing_date:
            months = int(dec(temp["min_months"]))
            out.deadline(
                "temporary_filing_valid",
                _add_months(r.filing_date, months),
                f"临时外出就医备案至少有效到这一天（不少于{months}个月）",
                temp.get("cite"),
                r.today,
            )
    if r.reason != "emergency":
        out.reason(validity["admission_while_valid"]["text"], validity["admission_while_valid"].get("cite"))

    # Which rules apply.
    rules = nat["rules"]
    out.reason(rules["catalog"]["text"], rules["catalog"].get("cite"))
    out.reason(rules["benefits"]["text"], rules["benefits"].get("cite"))
    if long_term:
        out.reason(rules["long_term"]["text"], rules["long_term"].get("cite"))
        out.reason(nat["two_way"]["text"], nat["two_way"].get("cite"))
    out.reason(nat["no_filing"]["text"], nat["no_filing"].get("cite"))
    injury = nat.get("injury_no_third_party")
    if injury and r.reason in ("emergency", "temporary"):
        out.reason(injury["text"], injury.get("cite"))
    chronic = nat.get("chronic_diseases")
    if chronic:
        names = []
        for entry in chronic.get("lists") or []:
            start = entry.get("from")
            if start is None or D.fromisoformat(start) <= r.visit:
                names.extend(entry["diseases"].values())
        if names:
            out.reason("可以跨省直接结算的门诊慢特病：" + "、".join(names) + "。", chronic.get("cite"))
            out.reason(chronic["filing_required"]["text"], chronic["filing_required"].get("cite"))
            out.reason(chronic["no_local_benefit"]["text"], chronic["no_local_benefit"].get("cite"))


def _national_filing_status(nat: dict, r: _Request, out: _Result, part: _Part) -> None:
    """Filed, may still file before discharge, or past that: the insured city's rules."""
    late = nat["late_filing"]
    if r.filed is True:
        part.verdict(True, "已办理跨省异地就医备案，可以在就医地联网定点医院直接结算。")
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
        return
    if r.filed is False:
        out.caveat("还没有备案：请在出院结算前办好备案，才能直接结算。")
    part.verdict(True, "办好跨省异地就医备案（最晚在出院结算前）后，可以在就医地联网定点医院直接结算。")


# ---------------------------------------------------------------- settlement


def _settlement(remote: dict, r: _Request, out: _Result, applies_national: bool, nat: dict | None) -> dict:
    entry = remote.get(r.reason) if isinstance(remote.get(r.reason), dict) else {}
    rule = entry.get("settlement") or {}
    method = rule.get("method")
    result = {
        "method": method or "unstated",
        "text": None,
        "deductible": None,
        "fund_rate": None,
        "source": out.source(rule.get("cite")),
        "ratio_cut": None,
        "catalog": None,
    }
    if method == "remote_settlement":
        care = (r.version.get("care") or {}).get("inpatient") or {}
        formula = care.get("remote_settlement") or {}
        if r.reason in (formula.get("kinds") or []):
            ded = dec(formula["deductible"]["value"])
            rate = dec(formula["fund_rate"]["value"])
            result.update(
                deductible=money(ded),
                fund_rate=str(rate),
                source=out.source(formula["fund_rate"].get("cite")),
                text=f"住院费用按异地公式报销：（费用总额 − 自费部分 − 异地起付线 {money(ded)} 元）× {percent(rate)} "
                f"由统筹基金支付，其余由个人负担。",
            )
        else:
            result.update(method="unstated", text="来源没有给出这类异地就医的报销公式。")
    elif method == "local_standard":
        result["text"] = rule.get("text") or "按参保地同类人员的本地标准报销。"
    elif method == "unstated":
        result["text"] = f"来源未规定：{rule.get('note')}"
        out.caveat(f"报销办法来源未规定：{rule.get('note')}")
    else:
        result["text"] = "来源没有给出这类异地就医的报销办法。"

    if applies_national:
        rules = nat["rules"]
        result["catalog"] = {"text": rules["catalog"]["text"], "source": out.source(rules["catalog"].get("cite"))}
        if r.reason in ("residence", "work"):
            # Long-term filers get the insured city's local standard ([N] 二（五）).
            result.update(
                method="local_standard",
                text=rules["long_term"]["text"],
                source=out.source(rules["long_term"].get("cite")),
            )
        cut_id = TEMPORARY_CUT.get(r.reason)
        if cut_id:
            cut = nat["ratio_cut"][cut_id]
            points = dec(cut["max_points"])
            local_cut = remote.get("ratio_cut") or nat["ratio_cut"].get("local") or {}
            local_value = local_cut.get("value")
            text = f"跨省临时外出就医的支付比例可以比参保地同级医院低，国家规定最多低 {points} 个百分点；" + (
                f"本地区规定低 {local_value} 个百分点。"
                if local_value is not None
                else f"本地区实际下调多少，来源未规定（{local_cut.get('note') or nat['ratio_cut']['local']['note']}）。"
            )
            result["ratio_cut"] = {
                "max_points": str(points),
                "local_points": None if local_value is None else str(local_value),
                "text": text,
                "source": out.source(cut.get("cite")),
            }
            out.reason(nat["ratio_cut"]["reaffirmed"]["text"], nat["ratio_cut"]["reaffirmed"].get("cite"))
            if local_value is None:
                out.caveat("跨省临时外出就医的支付比例下调幅度：国家规定只给出上限，本地区的具体数值来源未规定。")
            if result["method"] == "remote_settlement":
                out.caveat(
                    "本地区的异地报销公式早于国家跨省直接结算规定；跨省直接结算时实际比例以参保地医保经办机构的结算为准。"
                )
        if r.reason in ("work", "temporary") and result["method"] == "unstated":
            result["text"] = rules["benefits"]["text"]
            result["source"] = out.source(rules["benefits"].get("cite"))
    return result
