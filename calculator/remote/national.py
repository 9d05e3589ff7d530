"""The national rules for cross-province direct settlement (bundle `national.cross_province`).

For care in another province on or after the rules' start date they apply on
top of the region's own rules and prevail where the two differ. Topics: who
may file and how (filing.py), chronic diseases (chronic.py), emergencies and
which rules apply (here), networked hospitals (here).
"""

from __future__ import annotations

from ..data import bundle
from ..money import dec
from .chronic import chronic_care, list_reasons
from .conditions import match
from .filing import claim_at_home, filing_status, how_to_file, validity
from .national_figures import NATIONAL_CATEGORY
from .request import RemoteRequest
from .verdict import Part


def category(r: RemoteRequest) -> str:
    if r.reason == "residence":
        return "resettled" if r.member.get("retired") else "resident"
    return NATIONAL_CATEGORY[r.reason]


def read_national(nat: dict, remote: dict, r: RemoteRequest, part: Part, calendar, excluded: bool = False) -> None:
    """The national reading into `part` (its trace and verdict). `excluded`: the region's scheme
    has no such benefit for this member; only the rules that say why this holds across provinces."""
    out = part.out
    cat = nat["categories"][category(r)]
    long_term = cat["group"] == "long_term"
    out.reason(
        f"跨省异地就医（就诊日期在 {nat['from']} 及以后）：备案和结算按国家跨省异地就医直接结算规定办理，"
        f"与参保地的办法不一致时以国家规定为准；有没有这项待遇、报销多少，按参保地规定。本次属于“{cat['label']}”。",
        cat.get("cite"),
    )
    if excluded:
        out.reason(nat["rules"]["benefits"]["text"], nat["rules"]["benefits"].get("cite"))
        if r.reason == "emergency":
            out.reason(nat["emergency"]["standard"]["text"], nat["emergency"]["standard"].get("cite"))
        return
    if r.reason == "residence":
        _long_term_residence(remote, cat, r, part)
    on_list = r.care != "chronic" or chronic_care(nat.get("chronic_diseases"), r, part)
    if r.reason == "emergency":
        _emergency(nat, remote, r, part)
    else:
        how_to_file(nat, cat, r, out, calendar)
        if on_list:
            filing_status(nat, r, part)
    validity(nat, long_term, r, out)
    _which_rules(nat, long_term, r, part)
    list_reasons(nat.get("chronic_diseases"), r, part)
    _networked(nat, r, part)


def _long_term_residence(remote: dict, cat: dict, r: RemoteRequest, part: Part) -> None:
    """National categories cover every insured person, workers and residents alike."""
    out = part.out
    out.reason(
        "国家规定的长期异地就医人员包括异地安置退休人员、异地长期居住人员和常驻异地工作人员，"
        "职工和城乡居民都可以办理，不限于退休人员。",
        cat.get("cite"),
    )
    out.reason(
        "国家规定以居住证明或本人承诺作为长期居住的依据，没有写居住满多少个月；"
        "本检查跨省时不再套用参保地的居住月数要求。",
        cat["bring"].get("cite"),
    )
    need = ((remote.get("residence") or {}).get("min_months_elsewhere") or {}).get("value")
    if need is not None and (r.months is None or r.months < dec(need)):
        out.caveat(
            f"参保地规定要在外地居住满 {need} 个月；跨省备案按国家规定提交居住证明或承诺书即可，"
            "如参保地经办机构另有要求，以其答复为准。"
        )


def _emergency(nat: dict, remote: dict, r: RemoteRequest, part: Part) -> None:
    out, emergency = part.out, nat["emergency"]
    out.reason(emergency["counts_as_filed"]["text"], emergency["counts_as_filed"].get("cite"))
    out.reason(emergency["standard"]["text"], emergency["standard"].get("cite"))
    out.step(
        "national_emergency",
        "直接结算急诊费用",
        "跨省急诊抢救视同已备案：在就医地跨省联网定点医疗机构结算时直接结算；"
        "如医院未联网或已全额垫付，回参保地按当地规定报销。",
        emergency["counts_as_filed"].get("cite"),
    )
    items = ((remote.get("emergency") or {}).get("conditions") or {}).get("items") or {}
    if r.condition is not None and match(r.condition, items, bundle().get("synonyms") or {}) is None:
        out.caveat("是否属于急诊抢救，由就医医院和参保地医保部门认定；不属于急诊抢救的，需要按临时外出就医办理备案。")
    part.verdict(True, "跨省急诊抢救视同已备案，可以直接结算（按参保地的急诊抢救待遇标准）。")


def _which_rules(nat: dict, long_term: bool, r: RemoteRequest, part: Part) -> None:
    out, rules = part.out, nat["rules"]
    out.reason(rules["catalog"]["text"], rules["catalog"].get("cite"))
    out.reason(rules["benefits"]["text"], rules["benefits"].get("cite"))
    if long_term:
        out.reason(rules["long_term"]["text"], rules["long_term"].get("cite"))
        out.reason(nat["two_way"]["text"], nat["two_way"].get("cite"))
    out.reason(nat["no_filing"]["text"], nat["no_filing"].get("cite"))
    injury = nat.get("injury_no_third_party")
    if injury and r.reason in ("emergency", "temporary"):
        out.reason(injury["text"], injury.get("cite"))


def _networked(nat: dict, r: RemoteRequest, part: Part) -> None:
    """A hospital off the cross-province network cannot settle directly: the insured city's rules decide."""
    rule = nat["no_filing"]
    if r.networked is False:
        part.fallback = True
        part.verdict(
            None,
            "这家医院没有接入跨省异地就医直接结算，不能在医院直接结算；费用先由自己垫付，"
            "回参保地按参保地规定申请报销。",
        )
        part.out.reason(rule["text"], rule.get("cite"))
        claim_at_home(nat, r, part)
    elif r.networked is None:
        part.out.caveat(
            "请先向医院确认它是否接入了跨省异地就医直接结算：没有接入的，不能在医院直接结算，"
            "要先垫付费用，回参保地按参保地规定报销。"
        )
