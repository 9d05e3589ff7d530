"""The fields of every request the engine answers (estimate, remote, year), and of the form's own state."""

from .enums import REMOTE_REASON_ALIASES
from .files import FACILITIES, GROUPS

# --------------------------------------------------------------------------
# The requests: operation -> field path -> what the field is
# --------------------------------------------------------------------------
# label      what the form, the engine's messages and the pages call the field (one label everywhere)
# kind       choice (one id), flags (member flags), date, money, count, bool, answer (a select of
#            the field's `empty` label, 是 and 否: sent as nothing, true or false), text, list
# key        the share link's short key (stable: shared links live long); the form names the
#            checker's fields "check.<name>" (calculator/catalog.py, `catalog.fields`)
# visit      a field of one visit in a year (the others are shared by every visit)
# hint, placeholder, empty (the label of "nothing chosen"), optional (the form says （可选）),
# enum (the enumeration of its ids), maximum, aliases (other ids accepted for the same one)


def _field(label_, kind, key=None, **more) -> dict:
    return {"label": label_, "kind": kind, **({"key": key} if key else {}), **more}


_POLICY = _field("参保地区与医保类型", "choice", "p")
_MEMBER = _field(GROUPS, "flags", "m", hint="符合的请勾选。", enum="member_flag")
_CROSS = "就医地在其他省份（跨省）"

FIELDS = {
    "estimate": {
        "policy": _POLICY,
        "date": _field("就诊（入院）日期", "date", "d", visit=True, hint="按这一天施行的政策计算。"),
        "care": _field("就医类型", "choice", "c", visit=True),
        "facility": _field(FACILITIES, "choice", "f", visit=True),
        "item": _field("病种", "choice", "i", visit=True, empty="请选择病种"),
        "member": _MEMBER,
        "costs.total": _field(
            "医疗费用总额", "money", "t", visit=True, hint="发票或费用清单上的总金额。", placeholder="例如 20000"
        ),
        "costs.class_b": _field(
            "乙类费用",
            "money",
            "b",
            visit=True,
            hint="总额中需个人先付一部分的乙类药品、项目，不清楚可填 0。",
            placeholder="0.00",
        ),
        "costs.self_pay": _field(
            "自费（丙类）费用", "money", "s", visit=True, hint="总额中医保目录外、全部自付的费用。", placeholder="0.00"
        ),
        "year_to_date.fund_paid": _field("本年度基金已支付", "money", "yf", placeholder="0.00"),
        "year_to_date.eligible_costs": _field("本年度已累计的合规费用", "money", "ye", placeholder="0.00"),
        "year_to_date.out_of_pocket": _field("本年度已个人负担的合规费用", "money", "yo", placeholder="0.00"),
        "remote.kind": _field("异地就医类型", "choice", "r", visit=True, enum="remote_kind", empty="在参保地本地就医"),
        "remote.registered": _field("已办理备案（登记、审批）", "bool", "rg", visit=True),
        "remote.cross_province": _field(_CROSS, "bool", "rx", visit=True),
        # figures a resident may know (calculator.choices.overridable names them, from the data):
        # a quota, a layer's threshold (`<layer id>.threshold`, labelled with the layer's name)
        "overrides": _field(
            "您知道的数字", "money", "o", visit=True, hint="来源没有给出、但您可能从医院或医保部门得知的数字。"
        ),
        "overrides.quota": _field("定额标准", "money", visit=True),
    },
    "remote": {
        "policy": _POLICY,
        "reason": _field("外地就医的原因", "choice", "xr", enum="remote_reason", aliases=REMOTE_REASON_ALIASES),
        "care": _field("看病方式", "choice", "xq", enum="remote_care"),
        "networked": _field(
            "医院是否已接入跨省联网结算（能直接刷卡结算）",
            "answer",
            "xn",
            hint="不清楚可以问医院的医保窗口。",
            empty="不清楚",
        ),
        "member": _MEMBER,
        "visit_date": _field("就诊（入院）日期", "date", "xd"),
        "discharged": _field("出院日期", "date", "xe", optional=True),
        "filed": _field("是否已办理备案（登记、审批）", "answer", "xf", empty="还不清楚 / 未说明"),
        "filing_date": _field("备案（登记、审批）日期", "date", "xg", optional=True),
        "condition": _field("病情", "text", "xk", optional=True, hint="急诊时填写。可以从列表中选，也可以直接写病名。"),
        "months_elsewhere": _field(
            "在外地居住的月数", "count", "xm", hint="长期居住时填写。", placeholder="例如 12", maximum=1200
        ),
        "days_away": _field("在外地治疗的天数", "count", "xa", optional=True, placeholder="例如 20", maximum=3660),
        "cross_province": _field(_CROSS, "bool", "xc"),
        "today": _field("今天的日期", "date"),
    },
    "year": {
        "policy": _POLICY,
        "member": _MEMBER,
        "visits": _field("全年的就医", "list", maximum=100),
    },
}
# The form's own state beside the requests' fields: which view is open, which visit is in the form.
FORM_STATE = {
    "view": _field("计算器功能", "choice", "v", enum="view"),
    "visit": _field("正在填写的就医", "count", "e"),
    # the region picker (the link carries the policy only)
    "find": _field(
        "查找参保地区",
        "text",
        hint="输入城市名、拼音或拼音首字母，也可以在下面先选省份再选地区。",
        placeholder="例如 长春、changchun 或 cc",
    ),
    "province": _field("省份", "choice"),
    "region": _field("地区", "choice"),
    "scheme": _field("医保类型", "choice"),  # the policy select's label beside the region picker
}
