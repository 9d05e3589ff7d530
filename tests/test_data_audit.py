"""The corrections of the audit against the sources (issue 9, item 9) stay in the data.

Each test names what the sources give and fails if the data loses it again.
"""

import re
from pathlib import Path

import pytest
import yaml

import calculator

ROOT = Path(__file__).resolve().parent.parent


def policy(pid: str) -> dict:
    return calculator.bundle()["policies"][pid]


def doc(doc_id: str) -> dict:
    return calculator.bundle()["documents"][doc_id]


def info(pid: str, key: str) -> dict:
    """An informational entry of a scheme's `lists` (never read by the estimator)."""
    entry = (policy(pid)["lists"] or {}).get(key)
    assert entry, f"{pid}: lists.{key} is missing"
    assert entry.get("cite") and entry.get("text") and entry.get("label")
    return entry


def all_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "policies").glob("*.yaml")))


# ---------------------------------------------------------------- Changchun


def test_low_income_card_credit_of_50_a_year():
    entry = info("changchun-resident", "low_income_card")
    assert "50元" in entry["text"] and entry["cite"] == "cc-2010/res-low-income-card"
    assert "50元" in doc("cc-lss-2008")["summary"]


@pytest.mark.parametrize("pid", ["changchun-employee", "changchun-resident"])
def test_card_re_registration_is_a_local_admission_rule(pid):
    assert "card" not in policy(pid)["remote"]["emergency"]
    entry = info(pid, "admission_card")
    assert "3日" in entry["text"] and entry["cite"] == "cc-2010/inpatient-card"
    result = calculator.check_remote(
        {"policy": "changchun-employee", "reason": "emergency", "visit_date": "2025-09-25", "today": "2025-09-26"}
    )
    assert "card_registration" not in {d["id"] for d in result["deadlines"]}


def test_resident_outpatient_pooling_from_2010_04_01():
    versions = policy("changchun-resident")["versions"]
    assert versions[0]["from"] == "2010-04-01" and set(versions[0]["care"]) == {"outpatient"}
    result = calculator.estimate(
        {
            "policy": "changchun-resident",
            "date": "2010-06-30",
            "care": "outpatient",
            "facility": "district",
            "costs": {"total": "100"},
        }
    )
    assert result["fund_pays"] == "30.00"


def test_one_child_reward_maternity_allowance_and_collection_day():
    assert "500元" in info("changchun-employee", "one_child_reward")["text"]
    allowance = info("changchun-employee", "maternity_allowance")["text"]
    assert "5个月" in allowance and "一年" in allowance
    collect = info("changchun-employee", "claim_collection")["text"]
    assert "第25日" in collect and info("changchun-resident", "claim_collection")


# ---------------------------------------------------------------- documents and figures the sources give


def test_state_council_opinion_and_beijing_basis():
    opinion = doc("gov-2016-3")
    assert (opinion["number"], opinion["date"]) == ("国发〔2016〕3号", "2016-01-03")
    assert "75%" in opinion["summary"] and "六统一" in opinion["summary"]
    assert "gov-2016-3" in doc("bj-notice")["based_on"]


def test_beijing_hebei_yanda():
    assert "燕达医院" in info("beijing-resident", "beijing_hebei")["text"]


@pytest.mark.parametrize(
    "doc_id,number",
    [
        ("xg-2011-40", "孝人社发【2011】40号"),
        ("xg-2011-13", "孝人社发【2011】13号"),
        ("hubei-2013-6", "鄂政办发【2013】6号"),
        ("jz-alliance-146", "焦人社〔2016〕146号"),
        # issue 17: the numbers the seeds name that the data lacked
        ("hubei-2013-12", "鄂医险函【2013】12号"),  # seed 001 第一篇 二（六）
        ("mohrss-2013-158", "人社厅函【2013】158号"),  # seed 001 第一篇 二（四）
        ("hubei-2013-33", "鄂人社办发【2013】33号"),  # seed 001 第一篇 二（四）
        ("gx-2019-23", "桂医保发(2019)23号"),  # seed 004 范文6 第二条
        ("gx-2020-46", "桂医保发(2020)46号"),  # seed 004 范文6 第二条
        ("ty-2019-105", "阳政办发〔2019〕105号"),  # seed 004 范文6 第一条
        ("mols-2007-2", "劳社部发[2007]2号"),  # seed 002 范文3
        ("mohrss-2012-98", "人社部发[2012]98号"),  # seed 003 第3篇 参考文献[2]
        ("center-2020-64", "医保中心【2020】64号"),  # seed 000 范文第2篇 二、1
        ("yb-2020-91", "医保【2020】91号"),  # seed 000 范文第2篇 二、1
        ("poverty-2002-2", "卫扶贫【2002】2号"),  # seed 000 范文第2篇 二、1 (the year as printed)
        ("yb-2020-47", "医保〔2020〕47号"),  # seed 000 范文第2篇 二、2
    ],
)
def test_document_numbers_the_sources_name(doc_id, number):
    assert doc(doc_id)["number"] == number


# A 文号 in a source: an issuer's abbreviation, a year in brackets (or masked), a number.
NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}\s*[〔【\[(（]\s*(?:\d{4}|20\*\*|20xx)\s*[〕】\])）]\s*\d+\s*号")
BRACKETS = str.maketrans({**{c: "(" for c in "〔【[（"}, **{c: ")" for c in "〕】]）"}})
# Masked in one place, given in full elsewhere: 国发〔20xx〕3号 is 国发〔2016〕3号 (gov-2016-3).
MASKED = {"国发(20xx)3号"}


def bare(number: str) -> str:
    return "".join(number.translate(BRACKETS).split())


def test_every_document_number_in_the_sources_is_in_the_data():
    from test_data_text import seed_texts

    known = {bare(d["number"]) for d in calculator.bundle()["documents"].values() if d["number"]}
    missing = set()
    for text in seed_texts():
        for found in NUMBER.findall(text):
            number = bare(found)
            # the pattern may take a word or two before the issuer's abbreviation (根据, 已严格按)
            if not any(number.endswith(k) for k in known | MASKED):
                missing.add(found)
    assert not missing, f"document numbers in the sources that no document of the data has: {sorted(missing)}"


# ---------------------------------------------------------------- issue 17: rules the data lacked


def test_changchun_personal_account_rules():
    """Seed 001 第五篇, 医疗保障卡管理 第二条 and 医疗门诊就医管理 第二、三条."""
    account = info("changchun-employee", "personal_account")
    assert account["cite"] == "cc-2010/card-account"
    for fact in ("每月划入", "归个人所有", "结转", "继承", "欠费", "灵活就业人员没有个人账户"):
        assert fact in account["text"], fact
    card = info("changchun-employee", "outpatient_card")
    assert card["cite"] == "cc-2010/outpatient-card" and "120急诊抢救除外" in card["text"]
    resident = info("changchun-resident", "personal_account")
    assert "城镇居民没有个人账户" in resident["text"] and resident["cite"] == "cc-2010/card-account"


def test_xiaogan_instant_settlement_is_shown():
    """Seed 001 第一篇 二（八）: 18 Wuhan hospitals via the provincial platform; the city from 2013-05-01."""
    entry = info("xiaogan-basic", "instant_settlement")
    assert entry["cite"] == "xg-2013-h1/instant-settlement"
    assert "武汉的18家医院" in entry["text"] and "2013年5月1日起" in entry["text"]
    assert "来源没有列出这18家医院的名称" in entry["text"]


def test_unnamed_district_graded_care_disease_counts():
    """Seed 003 第9篇 三、重点任务（一）第1条."""
    entry = info("unnamed-resident", "graded_care_diseases")
    assert entry["cite"] == "unnamed-district-plan/task1"
    for fact in ("250+N", "50+N", "500种", "5个以上", "临床路径"):
        assert fact in entry["text"], fact


def test_guangxi_contribution_notices_are_shown():
    entry = info("guangxi-resident", "contribution")
    assert "桂医保发(2019)23号" in entry["text"] and "桂医保发(2020)46号" in entry["text"]
    assert "阳政办发〔2019〕105号" in info("guangxi-resident", "where_to_enrol")["text"]
    assert {"gx-2019-23", "gx-2020-46", "ty-2019-105"} <= set(doc("gx-district-report-2020")["based_on"])


def test_xiaogan_and_fujian_notices_are_related_to_the_report_naming_them():
    assert {"hubei-2013-12", "mohrss-2013-158", "hubei-2013-33"} <= set(doc("xg-2013-h1")["based_on"])
    report = doc("hospital-it-2020")
    assert set(report["based_on"]) == {"center-2020-64", "yb-2020-91", "poverty-2002-2", "yb-2020-47"}
    text = info("unnamed-resident", "hospital_billing_2020")["text"]
    assert "177个病种" in text and "10个病种" in text and "2020年9月1日起" in text


def test_national_fund_oversight_documents_are_cited():
    lists = calculator.bundle()["national"]["lists"]
    assert lists["internal_control"]["cite"] == "mols-2007-2/whole"
    assert lists["social_supervision"]["cite"] == "mohrss-2012-98/whole"
    assert doc("mols-2007-2")["region"] == doc("mohrss-2012-98")["region"] == "national"


@pytest.mark.parametrize(
    "pid,key,figures",
    [
        ("dafang-resident", "ratios_2006", ["60%", "45%", "35%", "20%"]),
        ("zhenjiang-resident", "overall_rate", ["25%", "50%"]),
        ("zhongshan-outpatient", "refusal_penalty", ["1000元"]),
        ("unnamed-resident", "prescription_limits", ["7天", "15天"]),
        ("unnamed-resident", "emergency_before_admission", ["72小时"]),
    ],
)
def test_informational_figures(pid, key, figures):
    text = info(pid, key)["text"]
    assert all(f in text for f in figures), (pid, key, figures)


# ---------------------------------------------------------------- names, issuers, status


def test_inferred_and_unsourced_names():
    assert "推断" in calculator.bundle()["regions"]["zhongshan"]["name"]
    assert "推断" in doc("zs-zhongfu-36")["status_note"]
    assert "百色" not in all_text()


def test_unknown_issuers_and_descriptive_title():
    assert doc("nhsa-2024-21")["issuer"] is None and doc("nhsa-2024-19")["issuer"] is None
    assert "描述性标题" in doc("nhsa-2024-19")["title"]


# No source says that any document is in force today: the national notice and
# its rules say from when they apply (issue 17), so their status is unknown too.
IN_FORCE: set = set()


def test_in_force_only_where_a_source_says_so():
    in_force = {d for d, v in calculator.bundle()["documents"].items() if v["status"] == "in_force"}
    assert in_force <= IN_FORCE
    assert doc("xg-maternity-2013")["status"] == "unknown" and doc("gx-2017-1")["status"] == "unknown"
    silent = [
        d for d, v in calculator.bundle()["documents"].items() if v["status"] == "unknown" and not v["status_note"]
    ]
    assert not silent, f"status unknown without a note saying what the sources tell: {silent}"


def test_national_rules_say_from_when_they_apply_not_that_they_are_in_force():
    for doc_id in ("nhsa-2022-22", "nhsa-2022-22-r"):
        d = doc(doc_id)
        assert d["status"] == "unknown", doc_id
        assert "2023年1月1日起施行" in d["status_note"], doc_id


# ---------------------------------------------------------------- Dafang: dated as the source dates it


def dafang(day: str, facility: str = "grade3") -> dict:
    return calculator.estimate(
        {"policy": "dafang-resident", "date": day, "facility": facility, "costs": {"total": "5000"}}
    )


def test_dafang_raised_deductibles_have_no_start_date():
    """The article gives 200/400/600 and 55% as the figures of 2014 without a start
    (seed 002 范文4, 应对措施 and 实施效果 二); only the 2012-06-15 adjustment is dated."""
    first, raised = policy("dafang-resident")["versions"]
    assert first["from"] == "2012-06-15"
    assert raised["from"] is None and raised["applies_from"] == "2014-01-01"
    assert "没有写明" in raised["from_note"] and "2014年" in raised["from_note"]
    before, after = dafang("2013-12-31"), dafang("2014-01-01")
    assert (before["deductible"], before["version"]) == ("200.00", "2012-06-15")
    assert (after["deductible"], after["version"]) == ("600.00", None)
    assert any("没有写从何时开始" in c for c in before["caveats"])
    assert any("没有写明" in c for c in after["caveats"])
    texts = yaml.safe_load((ROOT / "policies" / "dafang.yaml").read_text(encoding="utf-8"))
    caveats = "".join(texts["schemes"]["resident"]["versions"][1]["care"]["inpatient"]["caveats"])
    assert "只给出年份" not in caveats and "按2014年1月1日起算" not in caveats
    assert "提高到2014年的200" not in doc("dafang-article")["clauses"]["deductible-raise"]


def test_dafang_merger_was_a_trial_in_2011_and_named_in_2012():
    summary = doc("dafang-article")["summary"]
    assert "2011年起" not in summary
    assert "2011年" in summary and "试行" in summary and "2012年" in summary and "统称城乡居民医保" in summary


# ---------------------------------------------------------------- the synonym table


def test_synonyms_map_to_listed_conditions_only():
    path = ROOT / "policies" / "synonyms.yaml"
    header = path.read_text(encoding="utf-8").split("\n\n")[0]
    assert "NOT a policy" in header and "不是政策文件" in header
    table = yaml.safe_load(path.read_text(encoding="utf-8"))
    listed = set(policy("changchun-employee")["remote"]["emergency"]["conditions"]["items"].values())
    same = {k: v for k, v in table.items() if isinstance(v, str)}
    wider = {k: v["may_mean"] for k, v in table.items() if isinstance(v, dict)}
    assert same and set(same.values()) <= listed
    assert wider and {n for names in wider.values() for n in names} <= listed
    assert not set(table) & listed
    assert same["急性心肌梗死"] == same["急性心梗"] == "急性心肌梗塞"
    assert same["急性脑溢血"] == "急性脑出血" and same["心跳骤停"] == "心脏骤停"


# Wider names that used to be mapped to a narrower emergency (issue 17): each also
# covers what is not listed — an old infarction (Changchun lists 冠心病（陈旧性心肌梗塞）
# as a chronic disease), hemiplegia after a haemorrhage (脑血管意外后偏瘫), chronic
# embolism, severe asthma that is not a status asthmaticus.
WIDER = {
    "重症哮喘": ["哮喘持续状态"],
    "心肌梗死": ["急性心肌梗塞"],
    "心肌梗塞": ["急性心肌梗塞"],
    "心梗": ["急性心肌梗塞"],
    "肺栓塞": ["急性肺栓塞"],
    "肺动脉栓塞": ["急性肺栓塞"],
    "脑出血": ["急性脑出血"],
    "脑溢血": ["急性脑出血"],
}


@pytest.mark.parametrize("name", sorted(WIDER))
def test_wider_names_ask_instead_of_matching(name):
    assert name not in calculator.bundle()["synonyms"]
    assert calculator.bundle()["may_mean"][name] == WIDER[name]


# ---------------------------------------------------------------- the glossary says what the sources say


def glossary(term: str) -> str:
    entry = next(e for e in calculator.bundle()["glossary"] if e["term"] == term)
    return entry["short"] + entry["long"]


def test_glossary_names_the_region_where_a_rule_differs():
    ratio = glossary("报销比例")
    assert "退休人员比在职人员高" not in ratio and "只见于长春职工医保" in ratio
    by_disease = glossary("按病种付费")
    assert "一般都按标准算" not in by_disease and "超出定额的费用由医院承担" in by_disease
    second = glossary("二次补偿")
    assert "不能事先确定" not in second and "多见于过去的新农合" not in second
    assert "孝昌县" in second and "3000元到13000元" in second
    deductible = glossary("起付线")
    assert "第二次起降低" not in deductible and "来源没有说一年内第二次住院起付线会降低" in deductible
    filing = glossary("备案")
    assert "微信" not in filing and "支付宝" not in filing
    assert all(channel in filing for channel in ("国家医保服务平台APP", "国家异地就医备案小程序", "经办窗口"))


def test_glossary_has_nothing_the_sources_do_not_support():
    """Phrases of the old glossary that no source backs (issue 17 re-read)."""
    text = "".join(e["short"] + e["long"] for e in calculator.bundle()["glossary"])
    for unsupported in (
        "临床必需",  # 甲类: no source characterises the class
        "价格较高或有替代选择",  # 乙类
        "有没有目录内、疗效相近的替代药品",  # 丙类: advice no source gives
        "以民政部门的认定为准",  # 低保
        "有的由个人负担",  # 定额: no source puts costs above a quota on the patient
        "一般也有自己的年度上限",  # 大额救助: Jiaozuo's has none
        "有的地方按每次住院",  # 封顶线: no source states a cap per admission
    ):
        assert unsupported not in text, unsupported
