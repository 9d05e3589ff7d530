"""estimate(request): what the fund pays, what the patient pays, step by step.

The rules are data (policies/*.yaml, compiled into the bundle); this module is
the one reading of them, following DESIGN.md "Reading the rules":

    eligible  = total - self-pay (class C) - class-B first share
    deductible, then segment bands of the eligible cost measured from zero
    (or from the year's cumulative eligible cost for annual bands)
    the fund's cap, then the layers that pay after the basic fund.

Where a figure the calculation needs is unknown (null in the data), that part
is paid by nobody but the patient in the estimate, the result is marked
`complete: false` and a caveat quotes the data's note.
"""

import datetime
from decimal import ROUND_HALF_UP

from .choices import overridable
from .data import bundle
from .errors import InputError
from .labels import REMOTE_KINDS
from .money import ONE, ZERO, dec, fen, money, percent, yuan
from .request import (
    get_policy,
    matches,
    member_group,
    parse_bool,
    parse_date,
    parse_member,
    parse_money,
    reject_unknown,
    require_mapping,
    select_version,
)

REQUEST_FIELDS = (
    "policy",
    "date",
    "care",
    "facility",
    "member",
    "costs",
    "remote",
    "year_to_date",
    "overrides",
    "item",
)
COST_FIELDS = {"total": "医疗费用总额", "class_b": "乙类费用", "self_pay": "自费（丙类）费用"}
YTD_FIELDS = {
    "fund_paid": "本年度基金已支付",
    "eligible_costs": "本年度已累计的合规费用",
    "out_of_pocket": "本年度已个人负担的合规费用",
}
NATIONAL_RULES_FROM = datetime.date(2023, 1, 1)
META_KEYS = {"cite", "note", "basis", "overridable", "label"}
TENTH = ONE / 10
_sources = {"documents": None}  # cite -> resolved source, for the bundle in use


class _Run:
    """One estimate being worked out: steps, caveats, payers."""

    def __init__(self, documents):
        self.documents = documents
        self.steps = []
        self.caveats = []
        self.complete = True
        self.payers = {}

    def source(self, cite):
        if not cite:
            return None
        if _sources["documents"] is not self.documents:
            _sources.clear()
            _sources["documents"] = self.documents
        key = cite
        if key not in _sources:
            doc_id, _, clause_id = cite.partition("/")
            doc = self.documents.get(doc_id, {})
            _sources[key] = {
                "document": doc_id,
                "title": doc.get("title"),
                "number": doc.get("number"),
                "clause": doc.get("clauses", {}).get(clause_id, clause_id),
                "cite": cite,
            }
        return dict(_sources[key])

    def step(self, id_, label, amount, detail, cite=None, payer="info"):
        self.steps.append(
            {
                "id": id_,
                "label": label,
                "amount": money(amount),
                "detail": detail,
                "payer": payer,
                "source": self.source(cite),
            }
        )

    def caveat(self, text):
        if text and text not in self.caveats:
            self.caveats.append(text)

    def unknown(self, what, note, *, costs_patient=True):
        """A figure the source does not give."""
        self.complete = False
        tail = "本估算按基金不支付这一部分计算，实际自付可能更少。" if costs_patient else ""
        self.caveat(f"{what}：来源未规定。{note or ''}{tail}")


def lookup(table, group_id, facility):
    """table[group][facility] with "*" fallbacks; (value, row) or (None, None) when absent."""
    if not isinstance(table, dict):
        return None, None
    for g in (group_id, "*"):
        row = table.get(g)
        if isinstance(row, dict):
            for f in (facility, "*"):
                if f in row and f not in META_KEYS:
                    return row[f], row
        elif isinstance(row, list) and g in table:
            return row, None
    return None, None


def band_rate(band):
    """Fund share of a band: fund_rate, or 1 - patient_rate; None when unknown."""
    if band.get("fund_rate") is not None:
        return dec(band["fund_rate"])
    if band.get("patient_rate") is not None:
        return ONE - dec(band["patient_rate"])
    return None


def walk_bands(run, bands, start, end, label, payer, id_prefix, cap=None, shown_from=ZERO):
    """Pay each band's rate on the part of [start, end) it covers (segments from zero).

    Returns (paid, cost_above_cap): once `cap` is reached the rest of the cost
    is counted as above the cap (for layers that pay above it). `shown_from`
    shifts the amounts in labels (bands above a layer's threshold).
    """
    paid = ZERO
    lower = ZERO
    above_cap = ZERO
    for index, band in enumerate(bands, 1):
        upper = dec(band.get("upto"))
        lo = max(lower, start)
        hi = end if upper is None else min(upper, end)
        if upper is not None:
            lower = upper
        if hi <= lo:
            continue
        part = hi - lo
        rate = band_rate(band)
        if lo + shown_from > 0:
            bounds = f"{fen(lo + shown_from):,}–{fen(hi + shown_from):,} 元"
        else:
            bounds = f"{fen(hi):,} 元以内"
        if rate is None:
            run.unknown(f"{label}（{bounds}段）的报销比例", band.get("note"))
            run.step(
                f"{id_prefix}-{index}",
                f"{label}：{bounds}",
                ZERO,
                f"这一段 {yuan(part)} 的报销比例来源未规定，按基金不支付计算。",
                band.get("cite"),
                payer,
            )
            continue
        amount = fen(part * rate)
        if cap is not None and paid + amount > cap:
            amount = max(cap - paid, ZERO)
            reached_at = lo + (amount / rate if rate else ZERO)
            above_cap += hi - reached_at
            detail = f"{yuan(part)} × {percent(rate)}，达到封顶线后只支付 {yuan(amount)}。"
        else:
            detail = f"{yuan(part)} × {percent(rate)} = {yuan(amount)}"
        paid += amount
        run.step(
            f"{id_prefix}-{index}", f"{label}：{bounds}，支付 {percent(rate)}", amount, detail, band.get("cite"), payer
        )
    return paid, above_cap


def _costs(value):
    costs = require_mapping(value if value is not None else {}, "costs")
    reject_unknown(costs, COST_FIELDS, "costs")
    total = parse_money(costs.get("total"), "costs.total", COST_FIELDS["total"])
    class_b = parse_money(costs.get("class_b"), "costs.class_b", COST_FIELDS["class_b"], ZERO)
    self_pay = parse_money(costs.get("self_pay"), "costs.self_pay", COST_FIELDS["self_pay"], ZERO)
    if class_b + self_pay > total:
        raise InputError(
            "costs.class_b",
            "exceeds_total",
            f"乙类费用（{yuan(class_b)}）加自费费用（{yuan(self_pay)}）不能超过费用总额（{yuan(total)}）。",
        )
    return total, class_b, self_pay


def _year_to_date(value):
    ytd = require_mapping(value if value is not None else {}, "year_to_date")
    reject_unknown(ytd, YTD_FIELDS, "year_to_date")
    return {key: parse_money(ytd.get(key), f"year_to_date.{key}", label, ZERO) for key, label in YTD_FIELDS.items()}


def _remote(value):
    if value is None:
        return None
    remote = require_mapping(value, "remote")
    reject_unknown(remote, ("kind", "registered", "cross_province"), "remote")
    kind = remote.get("kind")
    if kind not in REMOTE_KINDS:
        raise InputError("remote.kind", "unknown", "异地就医类型请选择：转外就医、异地急诊或异地长期居住。")
    return {
        "kind": kind,
        "registered": parse_bool(remote.get("registered"), "remote.registered", "是否已备案"),
        "cross_province": parse_bool(remote.get("cross_province"), "remote.cross_province", "是否跨省"),
    }


def _care(version, care_id):
    care = version["care"]
    if care_id is None or care_id == "":
        care_id = "inpatient" if "inpatient" in care else next(iter(care))
    if not isinstance(care_id, str) or care_id not in care:
        labels = "、".join(rule.get("label", key) for key, rule in care.items())
        raise InputError("care", "unknown", f"该政策没有这一就医类型，可选：{labels}。")
    return care_id, care[care_id]


def _facility(policy, value):
    facilities = policy["facilities"]
    if value is None or value == "":
        if len(facilities) == 1:
            return next(iter(facilities))
        raise InputError("facility", "required", "请选择医疗机构级别。")
    if not isinstance(value, str) or value not in facilities:
        raise InputError("facility", "unknown", f"没有这一医疗机构级别“{value}”，请从列表中选择。")
    return value


def _overridable(care):
    """Parameters of this care a request may set (see calculator/choices.py)."""
    return overridable(care)


def _overrides(value, care):
    if value is None:
        return {}
    overrides = require_mapping(value, "overrides")
    allowed = _overridable(care)
    reject_unknown(overrides, allowed, "overrides")
    return {
        key: parse_money(v, f"overrides.{key}", allowed[key]["label"])
        for key, v in overrides.items()
        if v is not None and v != ""
    }


def estimate(request) -> dict:
    req = require_mapping(request, "")
    reject_unknown(req, REQUEST_FIELDS)
    policy = get_policy(req.get("policy"))
    day = parse_date(req.get("date"), "date", "就诊日期", default=datetime.date.today())
    version, version_caveats = select_version(policy, day, "date")
    care_id, care = _care(version, req.get("care"))
    facility = _facility(policy, req.get("facility"))
    flags = parse_member(req.get("member"))
    group = member_group(policy, flags)
    total, class_b, self_pay = _costs(req.get("costs"))
    ytd = _year_to_date(req.get("year_to_date"))
    remote = _remote(req.get("remote"))
    overrides = _overrides(req.get("overrides"), care)

    run = _Run(bundle()["documents"])
    for text in version_caveats:
        run.caveat(text)
    if self_pay:
        run.step("self_pay", "自费（丙类）费用", self_pay, "不在医保目录内的费用，全部由个人承担。", payer="patient")

    basic, hospital, deductible = _basic(
        run, policy, care_id, care, facility, group, flags, total, class_b, self_pay, ytd, remote, overrides, day, req
    )
    fund_pays = sum(run.payers.values(), ZERO)
    patient = total - fund_pays - hospital
    run.step(
        "patient_pays",
        "个人共支付",
        patient,
        f"费用总额 {yuan(total)} − 基金支付 {yuan(fund_pays)}"
        + (f" − 医院承担 {yuan(hospital)}" if hospital else "")
        + f" = {yuan(patient)}",
        payer="patient",
    )
    for text in care.get("caveats") or []:
        run.caveat(text)
    paid_share = (fund_pays / total) if total else ZERO
    return {
        "policy": policy["id"],
        "policy_name": f"{policy['region_name']}{policy['name']}",
        "version": version["from"],
        "date": day.isoformat(),
        "care": care_id,
        "care_label": care.get("label", care_id),
        "facility": facility,
        "facility_label": policy["facilities"][facility],
        "member_group": group["id"],
        "member_label": group.get("label", group["id"]),
        "total": money(total),
        "fund_pays": money(fund_pays),
        "patient_pays": money(patient),
        "hospital_bears": money(hospital),
        "deductible": money(deductible),
        "effective_rate": str((paid_share * 100).quantize(TENTH, rounding=ROUND_HALF_UP)) + "%",
        "payers": {key: money(value) for key, value in run.payers.items()},
        "complete": run.complete,
        "steps": run.steps,
        "caveats": run.caveats,
    }


def _not_paid(run, reason, cite=None):
    run.step("not_covered", "基金不支付", ZERO, reason, cite, payer="basic")
    run.payers["basic"] = ZERO
    return ZERO, ZERO, ZERO


def _basic(
    run, policy, care_id, care, facility, group, flags, total, class_b, self_pay, ytd, remote, overrides, day, req
):
    """The basic fund and the layers after it. Returns (basic, hospital_bears, deductible)."""
    excluded = care.get("excluded") or {}
    if group["id"] in (excluded.get("groups") or []):
        return _not_paid(run, excluded.get("reason") or f"{group.get('label')}不享受这项待遇。", excluded.get("cite"))
    covered = care.get("facilities")
    if covered and facility not in covered:
        names = "、".join(policy["facilities"].get(f, f) for f in covered)
        return _not_paid(
            run, f"这项待遇只在以下机构享受：{names}。在“{policy['facilities'][facility]}”就医，基金不支付。"
        )

    # Class-B first share, then the eligible cost.
    b_share = ZERO
    if class_b:
        rate, row = lookup(care.get("class_b_share"), group["id"], facility)
        if row is None and rate is None:
            run.caveat("来源未规定乙类费用的个人先行自付比例，本估算把乙类费用与甲类同样计算。")
        elif rate is None:
            run.unknown("乙类费用个人先行自付比例", row.get("note"), costs_patient=False)
        else:
            b_share = fen(class_b * dec(rate))
            run.step(
                "class_b_share",
                f"乙类费用个人先行自付 {percent(dec(rate))}",
                b_share,
                f"{yuan(class_b)} × {percent(dec(rate))} = {yuan(b_share)}",
                row.get("cite"),
                "patient",
            )
    eligible = total - self_pay - b_share
    run.step(
        "eligible",
        "进入统筹计算的费用",
        eligible,
        f"总额 {yuan(total)} − 自费 {yuan(self_pay)} − 乙类先行自付 {yuan(b_share)} = {yuan(eligible)}",
    )

    if remote is not None:
        handled = _remote_rules(run, policy, care, remote, flags, total, self_pay, day)
        if handled is not None:
            return handled

    method = care.get("method", "standard")
    if method == "fixed_standard":
        return _fixed_standard(run, care, group, facility, req)
    if method == "quota":
        return _quota(run, care, group, facility, eligible, overrides, req)

    deductible = _deductible(run, care, group, facility, eligible, ytd)
    bands_spec = care.get("bands") or {}
    bands, _ = lookup(bands_spec, group["id"], facility)
    if not isinstance(bands, list):
        run.unknown(f"{care.get('label', care_id)}的报销比例", None)
        run.payers["basic"] = ZERO
        return ZERO, ZERO, deductible
    annual = bands_spec.get("basis") == "year"
    start = ytd["eligible_costs"] if annual else ZERO
    cap_left, cap_row = _cap(run, care, group, facility, ytd)
    basic, above_cap = walk_bands(
        run, bands, start + deductible, start + eligible, "统筹基金", "basic", "band", cap_left
    )
    if above_cap:
        run.step(
            "cap",
            "达到基金最高支付限额",
            ZERO,
            f"本次有 {yuan(above_cap)} 的合规费用超过封顶线，基本医保不再支付。",
            cap_row.get("cite"),
        )
    elif cap_row is not None and cap_row.get("value") is None and basic:
        run.caveat("来源未给出统筹基金最高支付限额（封顶线）；本估算假定尚未达到封顶线。" + (cap_row.get("note") or ""))
    run.payers["basic"] = basic
    patient_in_policy = total - self_pay - above_cap - basic
    _layers(run, care, flags, group, patient_in_policy, above_cap, cap_row, ytd, overrides, total - self_pay - basic)
    return basic, ZERO, deductible


def _deductible(run, care, group, facility, eligible, ytd):
    spec = care.get("deductible")
    if spec is None:
        return ZERO
    value, row = lookup(spec, group["id"], facility)
    if row is None and value is None:
        run.unknown("起付线", None, costs_patient=False)
        run.caveat("本估算未扣除起付线，实际基金支付可能更少。")
        return ZERO
    if value is None:
        run.unknown("起付线", row.get("note"), costs_patient=False)
        run.caveat("本估算未扣除起付线，实际基金支付可能更少。")
        return ZERO
    full = dec(value)
    annual = spec.get("basis") == "year"
    remaining = max(full - ytd["eligible_costs"], ZERO) if annual else full
    applied = min(remaining, eligible)
    kind = "本年度起付线" if annual else "起付线（每次住院）"
    detail = f"{kind} {yuan(full)}"
    if annual and remaining < full:
        detail += f"，本年已累计 {yuan(ytd['eligible_costs'])}，还剩 {yuan(remaining)}"
    if applied < remaining:
        detail += f"；本次合规费用只有 {yuan(eligible)}，全部由个人承担"
    run.step("deductible", "起付线", applied, detail + "。", row.get("cite"), "patient")
    return applied


def _cap(run, care, group, facility, ytd):
    """Money the fund may still pay under its cap (None: no cap known), and the cap's row.

    A cap is one figure (`value`) or a table by member group and facility.
    """
    cap = care.get("cap")
    if not isinstance(cap, dict):
        return None, None
    if "value" in cap:
        value, row = cap["value"], cap
    else:
        value, row = lookup(cap, group["id"], facility)
        if row is None:
            return None, None
        row = {**row, "value": value, "basis": cap.get("basis")}
    if value is None:
        return None, row
    limit = dec(value)
    if cap.get("basis", "year") == "year":
        left = max(limit - ytd["fund_paid"], ZERO)
        if ytd["fund_paid"]:
            run.step(
                "cap_left",
                "封顶线剩余额度",
                left,
                f"年度封顶 {yuan(limit)} − 本年已支付 {yuan(ytd['fund_paid'])} = {yuan(left)}",
                row.get("cite"),
            )
        return left, row
    return limit, row


def _layers(run, care, flags, group, patient_in_policy, above_cap, cap_row, ytd, overrides, out_of_pocket):
    """Payers after the basic fund, in the order the data lists them."""
    owed = patient_in_policy + above_cap  # what the patient still owes inside the catalogue
    for layer in care.get("layers") or []:
        if not matches(layer, flags) or (layer.get("groups") and group["id"] not in layer["groups"]):
            continue
        label = layer.get("label", layer["id"])
        base_kind = layer.get("base", "patient_in_policy")
        if base_kind == "above_cap":
            if cap_row is None or cap_row.get("value") is None:
                run.caveat(f"{label}在基本医保封顶线以上才支付；来源未给出封顶线，本估算未计入{label}。")
                continue
            start, end = ZERO, above_cap
        elif base_kind == "annual_patient_in_policy":
            start, end = ytd["out_of_pocket"], ytd["out_of_pocket"] + out_of_pocket
        else:
            start, end = ZERO, patient_in_policy
        threshold = layer.get("threshold")
        if isinstance(threshold, dict):
            key = f"{layer['id']}.threshold"
            value = overrides.get(key, dec(threshold.get("value")))
            if value is None:
                run.unknown(f"{label}的起付标准", threshold.get("note"))
                run.caveat(f"如果您知道{label}的起付标准，可以在“起付标准”一栏填写后重新估算。")
                continue
            origin = "您填写的" if key in overrides else ""
            run.step(
                f"{layer['id']}-threshold",
                f"{label}起付标准",
                value,
                f"个人负担的合规费用超过{origin}起付标准 {yuan(value)} 的部分才由{label}支付。",
                None if origin else threshold.get("cite"),
            )
            start, end = max(start - value, ZERO), max(end - value, ZERO)
            shown_from = value
        else:
            shown_from = ZERO
        cap_value = None
        if isinstance(layer.get("cap"), dict):
            if layer["cap"].get("value") is None:
                run.caveat(f"来源未给出{label}的支付上限；本估算假定未达到上限。")
            else:
                cap_value = dec(layer["cap"]["value"])
        paid, _ = walk_bands(
            run, layer.get("bands") or [], start, end, label, layer["id"], layer["id"], cap_value, shown_from
        )
        for text in layer.get("caveats") or []:
            run.caveat(text)
        paid = min(paid, owed)
        owed -= paid
        run.payers[layer["id"]] = run.payers.get(layer["id"], ZERO) + paid


def _remote_rules(run, policy, care, remote, flags, total, self_pay, day):
    """Out-of-region care: who is covered, unfiled pays nothing, a filed referral/emergency
    may have its own formula. Across provinces from 2023 the national rules prevail."""
    kind = remote["kind"]
    kind_label = REMOTE_KINDS[kind]
    national = remote["cross_province"] and day >= NATIONAL_RULES_FROM
    covered = ((policy.get("remote") or {}).get(kind) or {}).get("covered")
    if covered and not national:  # the region's own list of who has this benefit
        if covered.get("nobody") or not matches(covered, flags):
            if not covered.get("nobody") and any(flags.get(f) for f in covered.get("unclear_when_any") or []):
                run.caveat(covered.get("text_unclear"))
            else:
                run.step(
                    "not_covered",
                    f"{kind_label}：不享受这项待遇",
                    ZERO,
                    covered.get("text_no"),
                    covered.get("cite"),
                    "basic",
                )
                run.payers["basic"] = ZERO
                return ZERO, ZERO, ZERO
    registered = remote["registered"]
    if not registered and kind == "emergency" and national:
        registered = True
        run.caveat("跨省异地急诊抢救：按国家跨省异地就医直接结算规程，视同已备案（2023年1月1日起）。")
    if not registered:
        run.step(
            "not_registered",
            f"{kind_label}未办理备案/登记",
            ZERO,
            f"{kind_label}需要先办理备案（登记、审批）才能报销；未备案时本估算按基金不支付计算。"
            "请用“异地就医检查”查看需要办理的手续、所需材料和截止日期，按时补办后可按规定报销。",
            payer="basic",
        )
        run.caveat(f"缺少{kind_label}的备案（登记、审批）：基金不支付。补办方法见“异地就医检查”。")
        run.payers["basic"] = ZERO
        return ZERO, ZERO, ZERO
    rule = care.get("remote_settlement")
    if kind != "residence" and isinstance(rule, dict) and kind in (rule.get("kinds") or []):
        ded = dec(rule["deductible"]["value"])
        rate = dec(rule["fund_rate"]["value"])
        base = max(total - self_pay - ded, ZERO)
        run.step(
            "remote_deductible",
            "异地就医起付线",
            min(ded, total - self_pay),
            f"经批准的{kind_label}按异地起付线 {yuan(ded)} 计算。",
            rule["deductible"].get("cite"),
            "patient",
        )
        basic = fen(base * rate)
        run.step(
            "remote_band",
            f"统筹基金支付 {percent(rate)}",
            basic,
            f"（总额 − 自费 − 异地起付线）{yuan(base)} × {percent(rate)} = {yuan(basic)}",
            rule["fund_rate"].get("cite"),
            "basic",
        )
        run.caveat("异地就医按专门公式结算，公务员补助、大额救助等补充待遇未计入本估算。")
        run.payers["basic"] = basic
        return basic, ZERO, min(ded, total - self_pay)
    if kind == "residence":
        run.caveat("已备案的异地长期居住人员按参保地同类人员的本地标准报销，本估算按本地标准计算。")
    else:
        run.caveat(f"来源没有给出{kind_label}的专门报销办法，本估算按参保地本地标准计算。")
        if national:
            run.caveat(
                "跨省临时外出就医的报销比例可能比本地同级医院低，最多低 10 个百分点（转诊、急诊），"
                "参保地的具体降幅来源未规定。"
            )
    return None


def _standard_item(care, req):
    """The case's disease (request `item`); the only one when there is one."""
    standards = care.get("standards") or {}
    item_id = req.get("item")
    if item_id is None and len(standards) == 1:
        item_id = next(iter(standards))
    if not isinstance(item_id, str) or item_id not in standards:
        labels = "、".join(s.get("label", k) for k, s in standards.items())
        raise InputError("item", "unknown" if item_id else "required", f"请选择病种：{labels}。")
    return standards[item_id]


def _single_rate(care, group, facility):
    """The one fund share of a care paid per case (its single band), and the band."""
    bands, _ = lookup(care.get("bands"), group["id"], facility)
    if isinstance(bands, list) and bands:
        return band_rate(bands[0]), bands[0]
    return None, None


def _fixed_standard(run, care, group, facility, req):
    """Payment by disease: the settlement standard per case."""
    item = _standard_item(care, req)
    amount = dec(item.get("amount"))
    label = item.get("label")
    if amount is None:
        run.unknown(f"{label}的结算标准", item.get("note"))
    else:
        run.step(
            "standard",
            f"{label}结算标准",
            amount,
            f"按病种付费：这一病种每例按 {yuan(amount)} 结算。{item.get('note') or ''}",
            item.get("cite"),
        )
    rate, band = _single_rate(care, group, facility)
    if rate is not None and amount is not None:
        basic = fen(amount * rate)
        run.step(
            "standard_fund",
            f"基金支付 {percent(rate)}",
            basic,
            f"{yuan(amount)} × {percent(rate)} = {yuan(basic)}",
            band.get("cite"),
            "basic",
        )
    else:
        run.unknown(f"{label}结算标准中基金与个人各付多少", care.get("note"))
        basic = ZERO
    run.payers["basic"] = basic
    return basic, ZERO, ZERO


def _quota(run, care, group, facility, eligible, overrides, req):
    """Graded-care diseases: no deductible, the fund pays a share of a fixed quota, the hospital the excess."""
    item = _standard_item(care, req)
    entered = "quota" in overrides
    quota = overrides["quota"] if entered else dec(item.get("amount"))
    if quota is None:
        run.unknown(f"{item.get('label')}", item.get("note"))
        run.caveat("如果医院告诉了您这一病种的定额，可以在“定额标准”一栏填写后重新估算。")
        run.payers["basic"] = ZERO
        return ZERO, ZERO, ZERO
    base = min(eligible, quota)
    hospital = eligible - base
    run.step(
        "quota",
        "分级诊疗病种定额",
        quota,
        ("按您填写的定额" if entered else "按定额") + f" {yuan(quota)} 结算，不设起付线。",
        None if entered else item.get("cite"),
    )
    rate, band = _single_rate(care, group, facility)
    if rate is None:
        run.unknown("定额内基金支付比例", band.get("note") if band else None)
        basic = ZERO
    else:
        basic = fen(base * rate)
        run.step(
            "quota_fund",
            f"基金支付定额的 {percent(rate)}",
            basic,
            f"{yuan(base)} × {percent(rate)} = {yuan(basic)}",
            band.get("cite"),
            "basic",
        )
    if hospital:
        run.step(
            "hospital_bears",
            "超出定额部分由医院承担",
            hospital,
            f"合规费用 {yuan(eligible)} 超出定额 {yuan(quota)} 的 {yuan(hospital)} 由医院承担，个人不付。",
            band.get("cite") if band else None,
            "hospital",
        )
    run.payers["basic"] = basic
    return basic, hospital, ZERO
