"""The shape of every key of a policy file: its type, unit, words, cite and merge rules (see __init__)."""

from .enums import ENUMS, REMOTE_REASON_ALIASES, REMOTE_REASONS

# What each kind of written id or date looks like, and how a message says it.
FORMATS = {
    "id": (r"^[a-z][a-z0-9_]*$", "小写字母开头，只用小写字母、数字和下划线，例如“provincial”"),
    "row": (r"^(\*|[a-z][a-z0-9_]*)$", "一个编号（小写字母、数字和下划线），或“*”表示其余所有"),
    "doc_id": (r"^[a-z0-9][a-z0-9_-]*$", "小写字母或数字开头，只用小写字母、数字、“-”和“_”，例如“cc-2010”"),
    "clause": (r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", "字母或数字开头，只用字母、数字、“.”“-”和“_”"),
    "cite": (
        r"^[a-z0-9][a-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$",
        "“<文件编号>/<条款编号>”，例如“cc-2010/emp-deductible”",
    ),
    "anchor": (r"^[a-z0-9]+(-[a-z0-9]+)*$", "小写字母和数字，用“-”连接，例如“remote-care”"),
    "date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "年-月-日，例如 2010-09-03"),
    "monthday": (r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "月-日，例如 01-01"),
}
# Words several places share: a scheme's member groups and facility levels (a request's `member`
# and `facility` read the same).
GROUPS = "人员类别"
FACILITIES = "医疗机构级别"
# The smallest and largest year a version's from_year may give.
YEARS = (1990, 2100)

# --------------------------------------------------------------------------
# Policy files: the shape of every key
# --------------------------------------------------------------------------


def K(word: str, node: dict, **more) -> dict:
    """A key: its words and its shape (a copy, so one shape can sit under many keys)."""
    return {**node, "word": word, **more}


def mapping(keys: dict, required=(), *, cited: bool = True, **more) -> dict:
    """A mapping with fixed keys (any other key is a mistake); `cited` adds cite and note."""
    if cited:
        keys = {**keys, "cite": K("出处", CITE), "note": K("说明", NOTE)}
    return {"is": "map", "keys": keys, "required": list(required), **more}


def table(of: dict, named: str | None = None, names: str = "id", min_entries: int = 0, **more) -> dict:
    """id -> entry (the ids are the file's own: schemes, care types, documents…)."""
    return {"is": "table", "of": of, "named": named, "names": names, "min": min_entries, **more}


def listing(of: dict, min_items: int = 0, unique: bool = False, **more) -> dict:
    return {"is": "list", "of": of, "min": min_items, "unique": unique, **more}


def enum(name: str, null: bool = False, **more) -> dict:
    return {"is": "enum", "enum": name, "null": null, **more}


TEXT = {"is": "text"}
NOTE = {"is": "note"}
CITE = {"is": "cite"}
ID = {"is": "id"}
DOC_ID = {"is": "doc_id"}
DATE = {"is": "date"}
BOOL = {"is": "bool"}
TEXTS = listing(TEXT)
FLAGS = listing(enum("member_flag"), 1, True, define="flags")
AMOUNT = {"is": "amount", "figure": True, "null": True, "unit": "元"}
RATE = {"is": "rate", "figure": True, "null": True, "unit": "比例"}


def count(unit: str, null: bool = False) -> dict:
    return {"is": "count", "figure": True, "null": null, "unit": unit}


def ids(of: str) -> dict:
    """A list of ids the scheme declares (`facility` or `group`)."""
    return listing(ID, 1, True, ids_of=of)


CITED_TEXT = mapping({"text": K("说明", TEXT)}, ["text"], define="cited_text")
CITED_ITEMS = mapping({"items": K("项目", TEXTS)}, ["items"], define="cited_items")
CITED_FLAG = mapping({"value": K("适用", BOOL, figure=True), "text": K("说明", TEXT)}, ["value"], define="cited_flag")
NAMED_ITEMS = table(TEXT, "text", min_entries=1, define="named_items")
BASIS = enum("basis", null=True, null_note="basis_note")
FIGURE = mapping(
    {
        "value": K("数值", AMOUNT),
        "basis": K("计算口径", BASIS),
        "basis_note": K("计算口径说明", NOTE),
        "overridable": K("可由使用者填写", BOOL),
    },
    ["value"],
    define="figure",
)
RATE_FIGURE = mapping({"value": K("比例", RATE)}, ["value"], define="rate_figure")


def count_figure(unit: str) -> dict:
    """One whole number, or null with a note: {value, cite, note}."""
    return mapping({"value": K("数值", count(unit, null=True))}, ["value"], define="count_figure")


def counted(**counts: tuple[str, str]) -> dict:
    """A rule with its counts and its words: {<key>: n, …, text, cite, note}; counts: key=(words, unit)."""
    return mapping({**{key: K(word, count(unit)) for key, (word, unit) in counts.items()}, "text": K("说明", TEXT)})


# Tables keyed by member group and facility (DESIGN.md: [group][facility], then "*").
FACILITY_AMOUNTS = mapping({}, rows=K("金额", AMOUNT), rows_are="facility", define="facility_amounts")
FACILITY_RATES = mapping({}, rows=K("比例", RATE), rows_are="facility", define="facility_rates")
AMOUNT_TABLE = mapping(
    {"basis": K("计算口径", BASIS), "basis_note": K("计算口径说明", NOTE)},
    rows=K("金额", FACILITY_AMOUNTS),
    rows_are="group",
    cited=False,
    define="amount_table",
)
RATE_TABLE = mapping({}, rows=K("比例", FACILITY_RATES), rows_are="group", cited=False, define="rate_table")
BAND = mapping(
    {
        "upto": K("上限", {"is": "upto", "figure": True, "null": True, "null_note": None, "unit": "元"}),
        "fund_rate": K("基金支付比例", RATE),
        "patient_rate": K("个人负担比例", RATE),
    },
    ["upto"],
    one_of=["fund_rate", "patient_rate"],
    define="band",
)
BANDS = listing(BAND, 1, named="band", define="bands")
BAND_TABLE = mapping(
    {"basis": K("计算口径", BASIS)},
    rows=K("分段", mapping({}, rows=K("分段", BANDS), rows_are="facility", cited=False)),
    rows_are="group",
    cited=False,
    define="band_table",
)
CAP = {"is": "either", "if_key": "value", "then": FIGURE, "else": AMOUNT_TABLE, "define": "cap"}

LAYER = mapping(
    {
        "id": K("编号", ID),
        "label": K("名称", TEXT),
        "when": K("适用条件", FLAGS),
        "when_any": K("适用条件（满足其一）", FLAGS),
        "groups": K("适用人员", ids("group")),
        "base": K("计算基数", enum("layer_base")),
        "threshold": K("起付标准", FIGURE),
        "bands": K("支付比例", BANDS),
        "cap": K("最高支付限额", FIGURE),
        "caveats": K("提示", TEXTS),
    },
    ["id", "label", "base", "bands"],
    define="layer",
)
CARE = mapping(
    {
        "label": K("名称", TEXT),
        "method": K("结算方式", enum("method")),
        "facilities": K("适用机构", ids("facility")),
        "excluded": K(
            "不享受待遇的人员",
            mapping(
                {"groups": K(GROUPS, ids("group")), "reason": K("原因", TEXT)},
                ["groups"],
                merge="whole",
                define="excluded",
            ),
        ),
        "class_b_share": K("乙类费用个人先行自付比例", RATE_TABLE),
        "deductible": K("起付线", AMOUNT_TABLE),
        "bands": K("统筹基金支付比例", BAND_TABLE),
        "cap": K("统筹基金最高支付限额（封顶线）", CAP),
        "layers": K("基本医保之后的保障", listing(LAYER, named="label")),
        "remote_settlement": K(
            "经审批的异地就医结算",
            mapping(
                {
                    "kinds": K("适用情形", listing(enum("remote_kind"), 1, True)),
                    "deductible": K("异地就医起付线", FIGURE),
                    "fund_rate": K("基金支付比例", RATE_FIGURE),
                    "cap": K("最高支付限额", FIGURE),
                    "caveats": K("提示", TEXTS),
                },
                ["kinds"],
                define="remote_settlement",
            ),
        ),
        "standards": K(
            "定额结算标准",
            table(
                mapping(
                    {"label": K("名称", TEXT), "amount": K("定额", AMOUNT)},
                    ["label", "amount"],
                    merge="whole",
                    define="standard",
                ),
                "label",
            ),
        ),
        "caveats": K("提示", TEXTS),
        "next": K(
            "下一步怎么办",
            mapping(
                {"label": K("要做的事", TEXT), "detail": K("具体做法", TEXT), "cite": K("出处", CITE)},
                ["label", "detail", "cite"],
                cited=False,
                merge="whole",
                define="next_step",
            ),
        ),
    },
    define="care",
)

# A region's own rules for care outside it, by reason.
REMOTE_REASON = mapping(
    {
        "label": K("名称", TEXT),
        "who": K("适用对象", CITED_TEXT),
        "scope": K("适用范围", enum("scope")),
        "covered": K(
            "享受这项待遇的人员",
            mapping(
                {
                    "when": K("适用条件", FLAGS),
                    "when_any": K("适用条件（满足其一）", FLAGS),
                    "nobody": K("无人适用", BOOL),
                    "unclear_when_any": K("情况不明的人员", FLAGS),
                    "text_no": K("不享受时的说明", TEXT),
                    "text_unclear": K("情况不明时的说明", TEXT),
                }
            ),
        ),
        "min_months_elsewhere": K("在外地居住至少", count_figure("个月")),
        "conditions": K(
            "急救病种",
            mapping(
                {
                    "items": K("病种", NAMED_ITEMS),
                    "otherwise": K("其他病情", counted(answer_days=("答复期限", "天"))),
                },
                ["items"],
            ),
        ),
        "register": K(
            "登记",
            mapping(
                {
                    "working_days": K("登记期限", count("个工作日")),
                    "label": K("名称", TEXT),
                    "text": K("说明", TEXT),
                    "channels": K("办理渠道", listing(TEXT, 1)),
                }
            ),
        ),
        "approval": K(
            "审批",
            mapping(
                {
                    "required": K("是否需要审批", BOOL),
                    "before_costs": K("须在发生费用前办理", BOOL),
                    "label": K("名称", TEXT),
                    "text": K("说明", TEXT),
                    "unfiled_note": K("未备案时", TEXT),
                }
            ),
        ),
        "validity": K(
            "有效期",
            mapping(
                {
                    "max_years": K("最长有效期", count("年")),
                    "no_cancel_months": K("登记后不能取消的期限", count("个月")),
                    "no_reregister_months": K("取消后不能重新登记的期限", count("个月")),
                }
            ),
        ),
        "stay": K(
            "在外地治疗的期限",
            counted(max_days=("最长天数", "天"), extension_before_days=("提前申请延期", "天")),
        ),
        "card": K("未带医保卡住院", counted(register_days=("补办手续期限", "天"), settle_days=("出院结算期限", "天"))),
        "hospitals": K("指定医院", CITED_ITEMS),
        "chosen_hospitals": K("选定医院", mapping({"count": K("数量", count("家"))}, ["count"])),
        "rules": K(
            "其他规定",
            listing(mapping({"id": K("编号", ID), "text": K("说明", TEXT)}, ["id", "text"]), named="id"),
        ),
        "steps": K(
            "办理步骤",
            listing(
                mapping(
                    {
                        "id": K("编号", ID),
                        "label": K("名称", TEXT),
                        "detail": K("说明", TEXT),
                        "filing": K("属于备案手续", {"is": "true"}),
                    },
                    ["id", "label", "detail"],
                ),
                named="label",
                ordered=True,
            ),
        ),
        "settlement": K(
            "结算方式",
            mapping({"method": K("结算方式", enum("remote_method")), "text": K("说明", TEXT)}, ["method"]),
        ),
    },
    define="remote_reason",
)
REMOTE = mapping(
    {
        **{reason: K(words, REMOTE_REASON) for reason, words in REMOTE_REASONS.items()},
        "payout": K("报销时限", counted(local_days=("本地费用核报", "天"), remote_months=("异地费用核报", "个月"))),
        "ratio_cut": K("跨省临时外出就医的比例下调", RATE_FIGURE),
    },
    define="remote",
)
LISTS = table(
    mapping(
        {
            "label": K("名称", TEXT),
            "validity": K("有效期", TEXT),
            "items": K("项目", listing(TEXT, 1)),
            "text": K("说明", TEXT),
        },
        ["label", "cite"],
        one_of=["items", "text"],
    ),
    "label",
    define="lists",
)

SCHEME = mapping(
    {
        "name": K("险种名称", TEXT),
        "facilities": K(FACILITIES, table(TEXT, "text", min_entries=1)),
        "members": K(
            GROUPS,
            listing(
                mapping(
                    {
                        "id": K("编号", ID),
                        "label": K("名称", TEXT),
                        "when": K("适用条件", FLAGS),
                        "when_any": K("适用条件（满足其一）", FLAGS),
                        "note": K("说明", NOTE),
                    },
                    ["id", "label"],
                    cited=False,
                    define="member",
                ),
                1,
                named="label",
            ),
        ),
        "versions": K(
            "版本",
            listing(
                mapping(
                    {
                        "from": K("起始日期", DATE, null=True, null_note="from_note"),
                        "from_year": K(
                            "大约起始年份",
                            mapping({"value": K("年份", {"is": "year", "figure": True, "unit": "年"})}, ["value"]),
                        ),
                        "applies_from": K("本站起用日期", DATE),
                        "from_note": K("起始日期说明", NOTE),
                        "summary": K("要点", TEXT),
                        "care": K("待遇", table(CARE, "care")),
                    },
                    ["from", "summary", "care"],
                    cited=False,
                    define="version",
                ),
                1,
                named="version",
            ),
        ),
        "remote": K("异地就医规定", REMOTE),
        "lists": K("病种目录和其他规定", LISTS),
        "insured_year": K(
            "医保年度",
            mapping(
                {
                    "starts": K("起始日（月-日）", {"is": "monthday", "figure": True, "null": True}),
                    "term": K("名称", TEXT),
                },
                ["starts"],
                define="insured_year",
            ),
        ),
    },
    ["name", "facilities", "members", "versions"],
    cited=False,
    define="scheme",
)

DOCUMENTS = table(
    mapping(
        {
            "issuer": K("发文机关", TEXT, null=True),
            "title": K("标题", TEXT),
            "number": K("文号", TEXT, null=True),
            "date": K("日期", DATE, null=True, null_note="date_note"),
            "date_note": K("日期说明", NOTE),
            "status": K("效力状态", enum("document_status")),
            "status_note": K("效力状态说明", NOTE),
            "supersedes": K("取代的文件", listing(DOC_ID, unique=True)),
            "based_on": K("依据的文件", listing(DOC_ID, unique=True)),
            "topics": K("主题", listing(enum("topic"), 1, True)),
            "summary": K("摘要", TEXT),
            "clauses": K("条款", table(TEXT, "text", names="clause", min_entries=1)),
        },
        ["issuer", "title", "date", "status", "summary", "clauses"],
        cited=False,
        define="document",
    ),
    "document",
    names="doc_id",
    define="documents",
)
SERVICE = mapping(
    {
        "office": K(
            "经办机构", mapping({"text": K("名称", TEXT), "cite": K("出处", CITE)}, ["text", "cite"], cited=False)
        ),
        "contacts": K(
            "咨询渠道",
            listing(
                mapping(
                    {"label": K("名称", TEXT), "value": K("渠道", TEXT), "cite": K("出处", CITE)},
                    ["label", "value", "cite"],
                    cited=False,
                ),
                named="label",
            ),
        ),
    },
    ["office"],
    cited=False,
    define="service",
)

NATIONAL_CATEGORY = mapping(
    {"label": K("名称", TEXT), "group": K("类别", enum("category_group")), "bring": K("所需材料", CITED_ITEMS)},
    ["label", "group"],
    define="national_category",
)
POINTS_CUT = mapping({"max_points": K("最多下调", count("个百分点")), "text": K("说明", TEXT)}, define="points_cut")
CROSS_PROVINCE = mapping(
    {
        "from": K("起始日期", DATE),
        "from_note": K("起始日期说明", NOTE),
        "summary": K("要点", TEXT),
        "categories": K(
            GROUPS,
            mapping(
                {
                    **{
                        name: K(REMOTE_REASONS[REMOTE_REASON_ALIASES.get(name, name)], NATIONAL_CATEGORY)
                        for name in ("emergency", "referral", "other", "stationed")
                    },
                    "resettled": K("异地安置退休人员", NATIONAL_CATEGORY),
                    "resident": K("异地长期居住人员", NATIONAL_CATEGORY),
                },
                cited=False,
            ),
        ),
        "chronic_diseases": K(
            ENUMS["remote_care"]["chronic"],
            mapping(
                {
                    "filing_required": K("须先备案", CITED_TEXT),
                    "no_local_benefit": K("参保地无相应待遇时", CITED_TEXT),
                    "lists": K(
                        "病种名单",
                        listing(
                            mapping(
                                {
                                    "from": K("起始日期", DATE, null=True, null_note="from_note"),
                                    "from_note": K("起始日期说明", NOTE),
                                    "diseases": K("病种", NAMED_ITEMS),
                                },
                                ["from", "diseases"],
                            ),
                            named="from",
                        ),
                    ),
                }
            ),
        ),
        "emergency": K(
            ENUMS["topic"]["emergency"],
            mapping({"counts_as_filed": K("视同已备案", CITED_FLAG), "standard": K("结算标准", CITED_TEXT)}),
        ),
        "filing": K(
            "备案",
            mapping(
                {
                    "channels": K("办理渠道", CITED_ITEMS),
                    "common_items": K("所有人都要带的材料", CITED_ITEMS),
                    "destination": K("就医地", CITED_TEXT),
                    "online_processing": K("线上办理时限", counted(working_days=("办理时限", "个工作日"))),
                    "required": K("是否需要备案", CITED_FLAG),
                }
            ),
        ),
        "injury_no_third_party": K("无第三方责任的外伤", CITED_TEXT),
        "late_filing": K(
            "补办备案",
            mapping(
                {"after_payment": K("全额垫付后补办", CITED_TEXT), "before_discharge": K("出院结算前补办", CITED_TEXT)}
            ),
        ),
        "no_filing": K("未备案", CITED_TEXT),
        "ratio_cut": K(
            "比例下调",
            mapping(
                {
                    **{
                        name: K(REMOTE_REASONS[REMOTE_REASON_ALIASES.get(name, name)], POINTS_CUT)
                        for name in ("emergency", "referral", "other")
                    },
                    "local": K("参保地实际下调", RATE_FIGURE),
                    "reaffirmed": K("2024年重申", CITED_TEXT),
                }
            ),
        ),
        "rules": K(
            "其他规定",
            table(
                mapping(
                    {
                        "label": K("名称", TEXT),
                        "text": K("说明", TEXT),
                        "follows": K("执行哪里的规定", enum("follows")),
                    },
                    ["label", "text"],
                ),
                "label",
            ),
        ),
        "two_way": K("回参保地就医", CITED_TEXT),
        "validity": K(
            "有效期",
            mapping(
                {
                    "admission_while_valid": K("备案有效期内入院", CITED_TEXT),
                    "local_min_period": K("参保地自定的最短期限", count_figure("个月")),
                    "long_term": K(ENUMS["category_group"]["long_term"], CITED_TEXT),
                    "min_period_before_change": K("变更或取消的最短期限", counted(max_months=("最长期限", "个月"))),
                    "temporary": K(ENUMS["category_group"]["temporary"], counted(min_months=("最短有效期", "个月"))),
                }
            ),
        ),
    },
    ["from"],
    define="cross_province",
)

# The files: a region, the national rules, and the two word lists beside the policies.
FILES = {
    "region_file": mapping(
        {
            "region": K("地区编号", ID, hint="与文件名（不带 .yaml）相同"),
            "name": K("地区名称", TEXT),
            "province": K("省份", TEXT),
            "documents": K("政策文件", DOCUMENTS),
            "service": K("经办机构和咨询渠道", SERVICE),
            "schemes": K("险种", table(SCHEME, "scheme", min_entries=1)),
        },
        ["region", "name", "province", "documents", "schemes"],
        cited=False,
    ),
    "national_file": mapping(
        {
            "name": K("名称", TEXT),
            "documents": K("政策文件", DOCUMENTS),
            "cross_province": K("跨省异地就医", CROSS_PROVINCE),
            "lists": K("其他国家规定", LISTS),
        },
        ["documents"],
        cited=False,
    ),
    "glossary_file": listing(
        mapping(
            {
                "term": K("词语", TEXT),
                "anchor": K("网址片段", {"is": "anchor"}),
                "short": K("一句话解释", TEXT),
                "long": K("详细解释", TEXT),
            },
            ["term", "anchor", "short", "long"],
            cited=False,
        ),
        named="term",
    ),
    "synonyms_file": table(
        {
            "is": "either",
            "then": K("清单里的名称", TEXT),
            "else": mapping({"may_mean": K("可能是", listing(TEXT, 1, True))}, ["may_mean"], cited=False),
        },
        "key",
        names="name",
    ),
}
SHAPES = {
    "document": DOCUMENTS["of"],
    "version": SCHEME["keys"]["versions"]["of"],
    "remote_reason": REMOTE_REASON,
    "care": CARE,
    "layer": LAYER,
    "remote_settlement": CARE["keys"]["remote_settlement"],
    "remote": REMOTE,
    "scheme": SCHEME,
    "lists": LISTS,
    "cross_province": CROSS_PROVINCE,
    **FILES,
}


def child(node: dict | None, key, value=None) -> dict | None:
    """The shape of `key` inside `node` holding `value` (a map's key or row, a table's entry, a list's item)."""
    if node is None:
        return None
    if node["is"] == "either":
        node = branch(node, value)
    if node["is"] == "map":
        return node["keys"].get(key) or node.get("rows")
    return node["of"] if node["is"] in ("table", "list") else None


def branch(node: dict, value) -> dict:
    """The shape an `either` takes for this value (a cap with `value` is one figure, else a table;
    a synonym written as text is the same condition, a mapping lists what it may mean)."""
    if node.get("if_key"):
        return node["then"] if isinstance(value, dict) and node["if_key"] in value else node["else"]
    return node["then"] if isinstance(value, str) else node["else"]


def word(shape: str, key: str) -> str:
    """The words of a policy key in its mapping: word("care", "deductible") is 起付线."""
    return SHAPES[shape]["keys"][key]["word"]
