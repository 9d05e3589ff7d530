"""check_remote: out-of-region eligibility, steps, deadlines (hand-worked cases).

Sources: Changchun's 2010 implementing rules (cc-2010: 医保中心医疗审批项目管理
第一至三条, 零散报销 第一至三条, 住院就医管理 第二条), Guangxi's 桂人社发〔2017〕1号
filing rule, and the national cross-province rules (医保发〔2022〕22号 and its 经办规程).
Working days come from the bundle's official calendar (chinese-calendar).
"""

import datetime as dt
import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, check_remote
from calculator.data import bundle
from calculator.workdays import calendar_from

D = dt.date


def run(**kw):
    req = {
        "policy": "changchun-employee",
        "reason": "emergency",
        "member": {},
        "visit_date": "2025-09-25",
        "cross_province": False,
        "today": "2025-09-26",
    }
    req.update(kw)
    return check_remote(req)


def deadline(result, id_):
    found = [d["date"] for d in result["deadlines"] if d["id"] == id_]
    return found[0] if found else None


def texts(result):
    return " ".join(r["text"] for r in result["reasons"])


# ---------------------------------------------------------------- emergencies (cc-2010 审批 第三条)


def test_emergency_thursday_before_national_day_2025():
    # Thu 2025-09-25: Fri 26 (1), make-up Sun 28 (2), Mon 29 (3), Tue 30 (4),
    # Oct 1-8 holiday, Thu Oct 9 (5) -> register by 2025-10-09.
    # At most 30 days away (start day not counted): 2025-10-25; extension 5 days before: 2025-10-20.
    res = run(condition="myocardial_infarction")
    assert res["eligible"] is True
    assert res["rules_applied"] == "local"
    assert deadline(res, "register") == "2025-10-09"
    assert deadline(res, "return_limit") == "2025-10-25"
    assert deadline(res, "extension_request") == "2025-10-20"
    # Employees' remote formula: (total - self-pay - 1950) x 70% (emp-remote).
    s = res["settlement"]
    assert (s["method"], s["deductible"], s["fund_rate"]) == ("remote_settlement", "1950.00", "0.70")
    assert s["source"]["cite"] == "cc-2010/emp-remote"
    assert [d["date"] for d in res["deadlines"]] == sorted(d["date"] for d in res["deadlines"])


def test_emergency_2026_counts_make_up_saturday():
    # Thu 2026-10-01 (holiday): Oct 2-7 off; Thu 8 (1), Fri 9 (2), make-up Sat 10 (3),
    # Mon 12 (4), Tue 13 (5).
    res = run(visit_date="2026-10-01", today="2026-10-02", condition="shock")
    assert deadline(res, "register") == "2026-10-13"
    # Thu 2026-09-24: Mid-Autumn Sep 25-27 off; Mon 28, Tue 29, Wed 30, (Oct 1-7 off), Thu 8, Fri 9.
    res = run(visit_date="2026-09-24", today="2026-09-24", condition="shock")
    assert deadline(res, "register") == "2026-10-09"


def test_emergency_condition_by_label_and_panel_path():
    assert run(condition="急腹症")["eligible"] is True
    res = run(condition="阑尾炎")  # not on the list -> provincial expert panel, answered within 60 days
    assert res["eligible"] is None
    assert "省级医疗专家组" in res["eligible_reason"]
    assert "60天" in texts(res)
    assert run()["eligible"] is None  # condition not given


def test_emergency_registration_late_or_missing():
    # Filed on 2025-10-10, one working day after the 2025-10-09 deadline.
    late = run(condition="coma", filing_date="2025-10-10", today="2025-10-20")
    assert late["eligible"] is False and "2025-10-09" in late["eligible_reason"]
    on_time = run(condition="coma", filing_date="2025-10-09", today="2025-10-20")
    assert on_time["eligible"] is True
    missed = run(condition="coma", filed=False, today="2025-10-10")
    assert missed["eligible"] is False
    unknown = run(condition="coma", today="2025-10-10")
    assert unknown["eligible"] is None
    still_open = run(condition="coma", filed=False, today="2025-10-09")
    assert still_open["eligible"] is True
    assert any("2025-10-09" in c for c in still_open["caveats"])


def test_emergency_long_stay_caveat_and_discharge_settlement():
    res = run(condition="coma", days_away=35, discharged="2025-10-30")
    assert any("超过了 30 天" in c for c in res["caveats"])
    # The 7-day discharge settlement and the 3-day card re-registration are Changchun admission
    # rules (住院就医管理 第二条), not out-of-town deadlines (issue 9).
    assert deadline(res, "discharge_settlement") is None
    assert deadline(res, "card_registration") is None


def test_resident_student_covered_adult_not():
    # "城镇居民参保患者（大中小学生除外）不享有外地急诊医疗待遇"
    student = run(policy="changchun-resident", member={"student": True}, condition="shock")
    assert student["eligible"] is True
    # The 1950/70% formula is written for employees only: residents' formula unstated.
    assert student["settlement"]["method"] == "unstated"
    assert student["settlement"]["deductible"] is None
    adult = run(policy="changchun-resident", member={}, condition="shock")
    assert adult["eligible"] is False
    assert "大、中、小学生除外" in adult["eligible_reason"]
    minor = run(policy="changchun-resident", member={"minor": True}, condition="shock")
    assert minor["eligible"] is None  # a pupil is covered, a preschool child is not


def test_cross_province_emergency_counts_as_filed_for_a_covered_student():
    # 经办规程 第八条（五）: emergency rescue counts as filed; national rules decide filing from 2023-01-01.
    res = run(
        policy="changchun-resident",
        member={"student": True},
        condition="骨盆骨折",  # not on Changchun's list: locally an expert panel decides
        cross_province=True,
        visit_date="2024-03-05",
        today="2024-04-30",
        filed=False,
    )
    assert res["eligible"] is True
    assert res["rules_applied"] == "local+national"
    cites = {r["source"]["cite"] for r in res["reasons"] if r["source"]}
    assert "nhsa-2022-22-r/r-8-5" in cites
    cut = res["settlement"]["ratio_cut"]
    assert cut["max_points"] == "10" and cut["local_points"] is None  # 二（六）: at most 10 points
    assert cut["source"]["cite"] == "nhsa-2022-22/n-2-6"
    # The local condition list is explained, but its steps no longer apply; its registration date
    # stays, for a claim at home should the hospital turn out to be off the network.
    assert "以国家规定为准" in texts(res)
    assert [s["id"] for s in res["steps"]] == ["national_emergency"]
    assert deadline(res, "register") == "2024-03-12"
    networked = run(**{**res_request(res), "networked": True})
    assert deadline(networked, "register") is None


def res_request(res):
    return {
        "policy": res["policy"],
        "member": {"student": True},
        "condition": "骨盆骨折",
        "cross_province": True,
        "visit_date": "2024-03-05",
        "today": "2024-04-30",
        "filed": False,
    }


@pytest.mark.parametrize("networked", [True, False, None])
@pytest.mark.parametrize("filed", [True, False, None])
def test_no_benefit_is_no_benefit_on_every_route(networked, filed):
    # "城镇居民参保患者（大中小学生除外）不享有外地急诊医疗待遇" (cc-2010 审批 第三条). Across provinces the
    # national rules settle an emergency under the insured city's emergency standard (经办规程 第三十四条)
    # and leave the benefits to it (医保发〔2022〕22号 二（一）): no benefit, networked hospital or not.
    res = run(
        policy="changchun-resident",
        member={},
        condition="shock",
        cross_province=True,
        visit_date="2024-03-05",
        today="2024-03-06",
        networked=networked,
        filed=filed,
    )
    assert res["eligible"] is False
    assert res["eligible_reason"].startswith("城镇居民（大、中、小学生除外）不享有外地急诊医疗待遇。")
    assert "不论医院是否接入跨省联网结算" in res["eligible_reason"]
    assert res["settlement"]["method"] == "not_covered"
    assert "以国家规定为准" not in " ".join(r["text"] for r in res["reasons"][1:])
    assert not res["deadlines"] and not any(s["id"].startswith("national") for s in res["steps"])
    cites = {r["source"]["cite"] for r in res["reasons"] if r["source"]}
    assert {"nhsa-2022-22/n-2-1", "nhsa-2022-22-r/r-34", "cc-2010/remote-emergency"} <= cites
    # An estimate of the same care says the same.
    from calculator import estimate

    est = estimate(
        {
            "policy": "changchun-resident",
            "date": "2024-03-05",
            "facility": "provincial",
            "costs": {"total": "10000"},
            "remote": {"kind": "emergency", "registered": bool(filed), "cross_province": True},
        }
    )
    assert est["fund_pays"] == "0.00"
    step = next(s for s in est["steps"] if s["id"] == "not_covered")
    assert step["detail"] == res["eligible_reason"]


def test_same_province_or_before_2023_no_national_rules():
    same = run(
        policy="changchun-resident",
        condition="shock",
        cross_province=False,
        visit_date="2024-03-05",
        today="2024-03-06",
    )
    assert same["eligible"] is False and same["rules_applied"] == "local"
    before = run(
        policy="changchun-resident", condition="shock", cross_province=True, visit_date="2022-12-31", today="2023-01-03"
    )
    assert before["eligible"] is False and before["rules_applied"] == "local"
    assert any("2023-01-01" in c for c in before["caveats"])


# ---------------------------------------------------------------- long-term residence (审批 第二条)


def residence(**kw):
    base = {
        "reason": "residence",
        "member": {"retired": True},
        "visit_date": "2025-03-03",
        "today": "2025-03-03",
        "filed": True,
    }
    base.update(kw)
    return run(**base)


def test_retiree_residence_12_months_yes_6_no():
    assert residence(months_elsewhere=12)["eligible"] is True
    six = residence(months_elsewhere=6)
    assert six["eligible"] is False and "12" in six["eligible_reason"]
    assert residence()["eligible"] is None  # months not given
    s = residence(months_elsewhere=12)["settlement"]
    assert s["method"] == "local_standard" and s["source"]["cite"] == "cc-2010/claims-scope"


def test_residence_only_retirees_and_not_residents_locally():
    assert residence(member={}, months_elsewhere=24)["eligible"] is False
    assert residence(member={"flexible": True}, months_elsewhere=24)["eligible"] is False
    assert residence(member={"flexible": True, "retired": True}, months_elsewhere=24)["eligible"] is True
    res = residence(policy="changchun-resident", member={"retired": True}, months_elsewhere=24)
    assert res["eligible"] is False  # 零散报销 第一条第3项: 不含城镇居民


def test_cross_province_residence_open_to_workers_and_residents():
    # 医保发〔2022〕22号 二（二）: long-term residents include workers and residents; no months minimum.
    worker = residence(member={}, months_elsewhere=2, cross_province=True)
    assert worker["eligible"] is True and worker["rules_applied"] == "local+national"
    assert worker["settlement"]["source"]["cite"] == "nhsa-2022-22/n-2-5"
    resident = residence(policy="changchun-resident", member={}, months_elsewhere=0, cross_province=True)
    assert resident["eligible"] is True
    # Filed already: nothing left to file, so no filing steps.
    assert not [s for s in resident["steps"] if s["id"].startswith("national_")]
    resident = residence(policy="changchun-resident", member={}, months_elsewhere=0, cross_province=True, filed=None)
    bring = [s for s in resident["steps"] if s["id"] == "national_documents"][0]["detail"]
    assert "居住证" in bring and "备案登记表" in bring  # 经办规程 第八条
    retiree = residence(months_elsewhere=0, cross_province=True, filed=None)
    bring = [s for s in retiree["steps"] if s["id"] == "national_documents"][0]["detail"]
    assert "户口簿" in bring


def test_residence_approval_validity_dates():
    # Approval at most 3 years; no cancelling within 6 months (审批 第二条).
    res = residence(months_elsewhere=14, filing_date="2024-08-31")
    assert deadline(res, "approval_expires") == "2027-08-31"
    assert deadline(res, "earliest_cancel") == "2025-02-28"  # clamped to the month's end
    expired = residence(months_elsewhere=50, filing_date="2021-01-04", visit_date="2024-01-05", today="2024-01-05")
    assert expired["eligible"] is False


# ---------------------------------------------------------------- referral (审批 第一条)


def test_referral_needs_approval_before_costs():
    ok = run(reason="referral", filed=True, visit_date="2025-05-06", today="2025-05-01")
    assert ok["eligible"] is True
    assert [s["id"] for s in ok["steps"]] == ["claim"]  # approved already: only the claim is left
    planned = run(reason="referral", visit_date="2025-05-06", today="2025-05-01")
    assert [s["id"] for s in planned["steps"]][:2] == ["consult", "approval"]
    assert "吉大一院" in texts(ok)
    missing = run(reason="referral", filed=False, visit_date="2025-05-06", today="2025-05-20")
    assert missing["eligible"] is False
    planned = run(reason="referral", filed=False, visit_date="2025-06-06", today="2025-05-20")
    assert planned["eligible"] is True
    late = run(reason="referral", filing_date="2025-05-08", visit_date="2025-05-06", today="2025-05-20")
    assert late["eligible"] is True
    assert any("2025-05-06 至 2025-05-07" in c for c in late["caveats"])  # costs count from approval
    assert late["settlement"]["deductible"] == "1950.00"


def test_cross_province_referral_file_before_discharge():
    # 二（四）: filing before discharge settlement still allows direct settlement.
    res = run(
        reason="referral",
        cross_province=True,
        filed=False,
        visit_date="2025-05-06",
        discharged="2025-05-20",
        today="2025-05-10",
    )
    assert res["eligible"] is True
    assert deadline(res, "file_before_discharge") == "2025-05-20"
    # After discharge with no filing: manual claim under the insured city's rules,
    # and Changchun pays nothing for an unapproved referral.
    after = run(
        reason="referral",
        cross_province=True,
        filed=False,
        visit_date="2025-05-06",
        discharged="2025-05-20",
        today="2025-05-25",
    )
    assert after["eligible"] is False
    assert after["rules_applied"] == "local+national"


def test_national_filing_processing_and_temporary_validity():
    # Online filing on Tue 2025-09-30: Oct 1-8 off -> Thu 9 (1), Fri 10 (2) (经办规程 第九条).
    res = run(
        reason="temporary", cross_province=True, filing_date="2025-09-30", visit_date="2025-10-12", today="2025-10-01"
    )
    assert res["eligible"] is True
    assert deadline(res, "filing_processed") == "2025-10-10"
    # Temporary filings valid at least 6 months (二（三）).
    assert deadline(res, "temporary_filing_valid") == "2026-03-30"
    assert res["settlement"]["ratio_cut"]["max_points"] == "20"  # other temporary trips


def test_stationed_worker_national_only():
    res = run(reason="work", cross_province=True, visit_date="2025-03-03", today="2025-03-03")
    assert res["eligible"] is True
    assert "派驻" in [s for s in res["steps"] if s["id"] == "national_documents"][0]["detail"]
    same = run(reason="work", cross_province=False, visit_date="2025-03-03", today="2025-03-03")
    assert same["eligible"] is None  # Changchun's rules say nothing about stationed workers


def test_region_without_remote_rules():
    # Dafang's sources say nothing about out-of-region care: unknown locally,
    # national rules across provinces from 2023.
    base = {"policy": "dafang-resident", "reason": "referral", "visit_date": "2025-06-02", "today": "2025-06-01"}
    assert check_remote({**base, "cross_province": False})["eligible"] is None
    res = check_remote({**base, "cross_province": True, "filed": True})
    assert res["eligible"] is True and res["rules_applied"] == "local+national"
    assert run(reason="stationed", cross_province=True, filed=True)["reason"] == "work"


@pytest.mark.parametrize("reason", ["emergency", "referral", "residence", "work", "temporary"])
@pytest.mark.parametrize("cross", [False, True])
def test_every_policy_answers(reason, cross):
    for policy_id, policy in bundle()["policies"].items():
        start = policy["versions"][-1]["from"] or "2025-06-02"
        visit = max(start, "2025-06-02")
        res = check_remote(
            {
                "policy": policy_id,
                "reason": reason,
                "visit_date": visit,
                "cross_province": cross,
                "months_elsewhere": 13,
                "today": visit,
                "member": {"retired": True},
                "condition": "shock",
            }
        )
        assert res["eligible"] in (True, False, None)
        assert res["eligible_reason"]
        assert res["settlement"]["method"] in ("remote_settlement", "local_standard", "unstated", "not_covered")
        json.dumps(res, ensure_ascii=False)


def test_cross_province_chronic_disease_list_dated():
    early = run(reason="temporary", cross_province=True, filed=True, visit_date="2024-06-03", today="2024-06-03")
    late = run(reason="temporary", cross_province=True, filed=True, visit_date="2025-06-03", today="2025-06-03")
    assert "高血压" in texts(early) and "慢性阻塞性肺疾病" not in texts(early)
    assert "慢性阻塞性肺疾病" in texts(late)


# ---------------------------------------------------------------- Guangxi (桂人社发〔2017〕1号)


def gx(**kw):
    base = {
        "policy": "guangxi-resident",
        "reason": "referral",
        "visit_date": "2020-05-01",
        "cross_province": True,
        "today": "2020-04-20",
    }
    base.update(kw)
    return check_remote(base)


def test_guangxi_filing_required_with_reason():
    res = gx(filed=False)
    assert res["eligible"] is True  # visit still ahead: file first
    assert any("请先到参保地医保经办机构" in c for c in res["caveats"])
    step = res["steps"][0]
    assert step["id"] == "filing" and "转院转诊" in step["detail"] and "就医地" in step["detail"]
    assert step["source"]["cite"] == "gx-2017-1/cross-province-filing"
    assert gx(reason="residence", filed=True, today="2020-06-01")["eligible"] is True
    assert "异地安置或居住" in gx(reason="residence")["steps"][0]["detail"]
    assert "常驻工作" in gx(reason="work")["steps"][0]["detail"]
    # After the visit with no filing: no direct settlement; manual claims not stated.
    assert gx(filed=False, today="2020-06-01")["eligible"] is None
    # Inside the province the source is silent.
    assert gx(cross_province=False)["eligible"] is None
    assert gx()["settlement"]["method"] == "unstated"


# ---------------------------------------------------------------- data and outputs


def test_every_reason_and_step_cites_a_declared_clause():
    docs = bundle()["documents"]
    cases = [
        run(condition="shock"),
        residence(months_elsewhere=12, cross_province=True),
        run(reason="referral", cross_province=True, visit_date="2025-05-06", today="2025-05-01"),
        gx(),
        run(reason="temporary", cross_province=True, visit_date="2025-05-06"),
    ]
    for res in cases:
        for item in res["reasons"] + res["steps"] + res["deadlines"]:
            src = item["source"]
            assert src is not None, item
            doc_id, _, clause = src["cite"].partition("/")
            assert clause in docs[doc_id]["clauses"], src["cite"]


def _past_the_calendar(days: int) -> str:
    """A date `days` after the calendar's last day (2027 with chinese-calendar 1.11.0): derived from
    the bundle, so a newer calendar release needs no change here."""
    return (D.fromisoformat(bundle()["calendar"]["last"]) + dt.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("days", [-2, 10, 400], ids=["straddling", "next-year", "two-years-on"])
def test_deadlines_past_the_calendar_say_so_themselves(days):
    """From the calendar's end, deadlines in working days fall back to weekends only: the deadline
    item itself says so (not only a caveat far below), and the reason no longer claims holidays."""
    last = bundle()["calendar"]["last"]
    visit = _past_the_calendar(days)
    res = run(visit_date=visit, today=visit, condition="shock")
    register = next(d for d in res["deadlines"] if d["id"] == "register")
    assert register["date"] > last
    assert "只按周末推算" in register["note"] and last in register["note"]
    item = next(i for i in res["checklist"] if i["date"] == register["date"])
    assert register["note"] in item["text"] and "法定节假日和调休没有计入" in item["text"]
    assert "已扣除周末和法定节假日" not in texts(res) and "只扣除了周末" in texts(res)
    assert any("周末" in c and last in c for c in res["caveats"])


def test_deadlines_inside_the_calendar_carry_no_note():
    visit = _past_the_calendar(-60)
    res = run(visit_date=visit, today=visit, condition="shock")
    register = next(d for d in res["deadlines"] if d["id"] == "register")
    assert "note" not in register and "已扣除周末和法定节假日" in texts(res)
    assert not any("只按周末推算" in i["text"] for i in res["checklist"])


def test_national_filing_deadline_past_the_calendar_says_so():
    day = _past_the_calendar(30)
    res = run(reason="referral", cross_province=True, visit_date=day, filing_date=day, today=day, filed=True)
    processed = next(d for d in res["deadlines"] if d["id"] == "filing_processed")
    assert "只按周末推算" in processed["note"]


def test_the_calendar_range_is_one_figure_of_the_bundle():
    """The checker's page reads the range from the catalogue, in the engine's words."""
    cal = bundle()["calendar"]
    shown = bundle()["catalog"]["calendar"]
    assert (shown["first"], shown["last"], shown["source"]) == (cal["first"], cal["last"], cal["source"])
    assert cal["last"] in shown["note"] and "只按周末推算" in shown["note"]


@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"policy": "shanghai-employee"}, "policy", "unknown"),
        ({"policy": None}, "policy", "required"),
        ({"visit_date": "2026-02-30"}, "visit_date", "invalid_date"),
        ({"visit_date": "2009-12-31"}, "visit_date", "before_policy"),
        ({"reason": "holiday"}, "reason", "unknown"),
        ({"reason": None}, "reason", "required"),
        ({"months_elsewhere": -1}, "months_elsewhere", "negative"),
        ({"months_elsewhere": "twelve"}, "months_elsewhere", "not_a_number"),
        ({"cross_province": "yes"}, "cross_province", "type"),
        ({"member": {"retired": "yes"}}, "member.retired", "type"),
        ({"member": {"alien": True}}, "member.alien", "unknown_field"),
        ({"discharged": "2025-09-01"}, "discharged", "before_visit"),
        ({"filed": False, "filing_date": "2025-09-26"}, "filing_date", "conflict"),
        ({"condition": 5}, "condition", "type"),
        ({"colour": "red"}, "colour", "unknown_field"),
        ({"today": "yesterday"}, "today", "invalid_date"),
    ],
)
def test_bad_input(change, field, code):
    with pytest.raises(InputError) as err:
        run(**change)
    assert err.value.field == field and err.value.code == code
    assert err.value.message and not err.value.message.isascii()


def test_not_a_mapping():
    with pytest.raises(InputError):
        check_remote(["changchun-employee"])


def test_cli_remote():
    ok = subprocess.run(
        [sys.executable, "-m", "calculator", "remote"],
        capture_output=True,
        text=True,
        input=json.dumps(
            {
                "policy": "changchun-employee",
                "reason": "emergency",
                "visit_date": "2025-09-25",
                "condition": "shock",
                "cross_province": False,
                "today": "2025-09-26",
            }
        ),
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["deadlines"]
    bad = subprocess.run(
        [sys.executable, "-m", "calculator", "remote"],
        capture_output=True,
        text=True,
        input=json.dumps({"policy": "changchun-employee", "reason": "emergency", "visit_date": "2026-02-30"}),
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert json.loads(bad.stdout)["error"]["field"] == "visit_date"


@settings(max_examples=150, deadline=None)
@given(
    visit=st.dates(min_value=D(2010, 9, 3), max_value=D(2026, 12, 31)),
    policy=st.sampled_from(["changchun-employee", "changchun-resident"]),
    student=st.booleans(),
    cross=st.booleans(),
)
def test_emergency_deadline_properties(visit, policy, student, cross):
    req = {
        "policy": policy,
        "reason": "emergency",
        "member": {"student": student},
        "visit_date": visit.isoformat(),
        "cross_province": cross,
        "condition": "shock",
        "today": visit.isoformat(),
    }
    res = check_remote(req)
    assert res == check_remote(dict(req))  # same request, same answer
    national = cross and visit >= D(2023, 1, 1)
    assert res["rules_applied"] == ("local+national" if national else "local")
    locally_covered = policy == "changchun-employee" or student
    # Who has the benefit at all is the region's question on every route (DESIGN.md).
    assert res["eligible"] is locally_covered
    # Every deadline is on the checklist with its date, and the checklist runs before -> during -> after.
    dated = {c["date"] for c in res["checklist"] if c["date"]}
    assert {d["date"] for d in res["deadlines"]} <= dated
    order = [("before", "during", "after").index(c["phase"]) for c in res["checklist"]]
    assert order == sorted(order)
    if not locally_covered:
        # No such benefit: no deadlines to keep.
        assert not res["deadlines"]
        return
    cal = calendar_from(bundle()["calendar"])
    reg = D.fromisoformat(deadline(res, "register"))
    # The registration deadline is a working day, at least 5 calendar days after the
    # visit, with exactly 5 working days after the visit up to it.
    assert cal.is_workday(reg)
    assert reg >= visit + dt.timedelta(days=5)
    assert cal.workdays_between(visit, reg) == 5
    assert D.fromisoformat(deadline(res, "return_limit")) == visit + dt.timedelta(days=30)
    assert D.fromisoformat(deadline(res, "extension_request")) == visit + dt.timedelta(days=25)


# ---------------------------------------------------------------- issue 9: names, care, network, checklist


def with_synonyms(table):
    """Run with a synonym table in the bundle (as policies/synonyms.yaml would put it there)."""
    import calculator

    data = bundle()
    calculator.load_bundle({**data, "synonyms": table})
    return data


def test_emergency_condition_by_synonym_after_normalising():
    import calculator

    old = with_synonyms({"急性心肌梗死": "急性心肌梗塞", "心梗": "急性心肌梗塞"})
    try:
        for typed in ("急性心肌梗死", " 心梗 ", "急性心肌梗塞", "myocardial_infarction"):
            res = run(condition=typed)
            assert res["eligible"] is True, typed
            assert "“急性心肌梗塞”" in texts(res)
        assert run(condition="心绞痛")["eligible"] is None
        with_synonyms({})
        assert run(condition="心梗")["eligible"] is None  # without the table, not a listed name
    finally:
        calculator.load_bundle(old)


def test_a_wider_name_is_asked_about_not_matched():
    """心肌梗死 also covers an old infarction, which Changchun lists separately as a chronic
    disease (冠心病（陈旧性心肌梗塞）): the checker offers the listed emergency, never assumes it."""
    for typed, offered in (
        ("心肌梗死", ["急性心肌梗塞"]),
        (" 心梗", ["急性心肌梗塞"]),
        ("重症哮喘", ["哮喘持续状态"]),
        ("脑溢血", ["急性脑出血"]),
        ("肺栓塞", ["急性肺栓塞"]),
        ("心脏病", ["急性心肌梗塞", "急性左心衰", "心脏骤停"]),
    ):
        res = run(condition=typed)
        assert res["eligible"] is None, typed
        why = res["eligible_reason"]
        assert all(f"“{name}”" in why for name in offered), (typed, why)
        assert "说得宽" in why and "改填" in why, why
        assert "属于规定的急救病种" not in texts(res), typed
        assert "省级医疗专家组" in texts(res)  # what happens if it is none of them
    for typed in ("急性心肌梗死", "急性心肌梗塞", "急性脑溢血", "支气管哮喘持续状态"):
        assert run(condition=typed)["eligible"] is True, typed


def test_wider_names_only_offer_conditions_the_region_lists():
    import calculator

    data = bundle()
    calculator.load_bundle({**data, "may_mean": {"心脏病": ["急性心肌梗塞", "别处才列的病"]}})
    try:
        why = run(condition="心脏病")["eligible_reason"]
        assert "“急性心肌梗塞”" in why and "别处才列的病" not in why
        calculator.load_bundle({**data, "may_mean": {"心脏病": ["别处才列的病"]}})
        assert "不在规定的急救病种之列" in run(condition="心脏病")["eligible_reason"]
    finally:
        calculator.load_bundle(data)


def test_no_condition_typed_asks_for_it():
    res = run()
    assert res["eligible"] is None
    assert res["eligible_reason"].startswith("请说明病情")
    assert "未说明" not in json.dumps(res, ensure_ascii=False)
    assert "不在规定的急救病种之列" not in res["eligible_reason"]


def test_no_programmer_words_in_messages():
    for res in (run(), run(reason="residence", cross_province=None), run(reason="referral", visit_date="2025-09-25")):
        assert "请求" not in json.dumps(res, ensure_ascii=False)


def test_care_defaults_to_inpatient_and_is_checked():
    res = run(condition="shock")
    assert res["care"] == "inpatient" and res["care_label"] == "住院"
    with pytest.raises(InputError) as info:
        run(care="dental")
    assert info.value.field == "care" and info.value.code == "unknown"
    with pytest.raises(InputError) as info:
        run(networked="yes")
    assert info.value.field == "networked"


def chronic(**kw):
    base = dict(
        reason="temporary", care="chronic", cross_province=True, filed=True, visit_date="2025-06-03", today="2025-06-03"
    )
    base.update(kw)
    return run(**base)


def test_cross_province_chronic_disease_on_the_national_list():
    ok = chronic(condition="糖尿病")
    assert ok["eligible"] is True and "“糖尿病”属于可以跨省直接结算的门诊慢特病" in texts(ok)
    cites = {r["source"]["cite"] for r in ok["reasons"] if r["source"]}
    assert "nhsa-2024-19/m24-4-1" in cites  # filing required
    # Added to the list for 2024-12-31: not yet on 2024-06-03.
    early = chronic(condition="冠心病", visit_date="2024-06-03", today="2024-06-03")
    assert early["eligible"] is None and "不在可以跨省直接结算" in early["eligible_reason"]
    assert chronic(condition="冠心病")["eligible"] is True
    asked = chronic()
    assert asked["eligible"] is None and asked["eligible_reason"].startswith("请说明所患的门诊慢特病")


def test_cross_province_chronic_without_filing_is_claimed_at_home():
    res = chronic(condition="高血压", filed=False, visit_date="2025-06-03", today="2025-06-10")
    assert res["eligible"] is not True
    assert "claim_at_home" in [s["id"] for s in res["steps"]]
    after = [c for c in res["checklist"] if c["phase"] == "after"]
    assert any(c["label"] == "回参保地申请报销" for c in after)


def test_local_rules_do_not_cover_outpatient_care_in_the_province():
    res = run(condition="shock", care="outpatient")
    assert res["eligible"] is None and "门诊" in res["eligible_reason"]


def test_hospital_off_the_network_means_a_claim_at_home():
    common = dict(reason="referral", cross_province=True, filed=True, visit_date="2025-05-06", today="2025-05-01")
    networked = run(networked=True, **common)
    assert networked["eligible"] is True and networked["networked"] is True
    off = run(networked=False, **common)
    assert off["eligible"] is not True or "回参保地" in off["eligible_reason"]
    assert "claim_at_home" in [s["id"] for s in off["steps"]]
    cites = {r["source"]["cite"] for r in off["reasons"] if r["source"]}
    assert "nhsa-2022-22-r/r-14" in cites
    # The local claim step (what to bring) comes with it.
    assert "claim" in [s["id"] for s in off["steps"]]
    unknown = run(networked=None, **common)
    assert any("接入了跨省异地就医直接结算" in c for c in unknown["caveats"])


def test_checklist_is_dated_and_in_phase_order():
    res = run(condition="coma", visit_date="2025-09-25", today="2025-09-26", discharged="2025-10-30")
    items = res["checklist"]
    phases = [c["phase"] for c in items]
    assert phases == sorted(phases, key=("before", "during", "after").index)
    assert set(items[0]) == {"id", "phase", "label", "date", "passed", "text", "source"}
    # Registration within 5 working days of the visit happens while still away (in hospital),
    # and it is what to do first: the result's next step (issue 18).
    register = [c for c in items if c["date"] == "2025-10-09"]
    assert register and register[0]["phase"] == "during" and register[0]["id"] == "register"
    assert res["next_step"]["label"] == register[0]["label"] and res["next_step"]["date"] == "2025-10-09"
    assert any("0431-85641922" in c["value"] for c in res["next_step"]["contacts"])
    # The card's 7-day settlement is a local admission rule (issue 9 audit), not an out-of-town deadline.
    assert not [c for c in items if c["date"] == "2025-11-06"]
    assert any(c["phase"] == "during" and c["date"] for c in items)  # extension / return limits


def test_remote_result_is_dated():
    local = run(condition="coma")
    assert local["as_of"] == "2010-09-03" and local["age_years"] == 15
    assert local["rules_note"].startswith("本次依据的规定：2010-09-03 起施行")
    national = run(reason="temporary", cross_province=True, filed=True, visit_date="2025-06-03", today="2025-06-03")
    # One date for the region's rules, named the same way; the national rules' own start beside it,
    # never a national notice's date standing for the region's rules (issue 18).
    assert national["as_of"] == "2010-09-03"
    assert "2024" not in national["rules_note"]
    assert national["rules_note"].endswith("跨省部分另依据国家 2023-01-01 起施行的跨省异地就医规定。")
