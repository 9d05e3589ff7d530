"""Golden cases, worked out by hand from the sources (figures: POLICY_FACTS.md).

Each case says which rule it exercises and shows the arithmetic. `expect`
holds the fields checked; tests/test_estimate.py runs them in CPython and the
browser tests run the same requests through the Pyodide worker for parity.
"""


def _req(policy, facility, total, class_b="0", self_pay="0", date="2026-03-01", care="inpatient", **extra):
    return {
        "policy": policy,
        "date": date,
        "care": care,
        "facility": facility,
        "costs": {"total": total, "class_b": class_b, "self_pay": self_pay},
        **extra,
    }


ESTIMATE_CASES = [
    # ---- Changchun employees (cc-2010, 城镇职工…待遇支付标准) ----
    {
        "name": "changchun-employee provincial, in service",
        "source": "deductible 1000 (一); class-B share 10%; co-insurance 15% (二.1); fund formula (二.2(1))",
        # B share 2000*10%=200; eligible 20000-1000-200=18800; (18800-1000)*85% = 15130
        "request": _req("changchun-employee", "provincial", "20000", "2000", "1000"),
        "expect": {"fund_pays": "15130.00", "patient_pays": "4870.00", "deductible": "1000.00"},
    },
    {
        "name": "changchun-employee municipal, retired",
        "source": "retired: class-B share 8%, co-insurance 2 points lower (12%-2%=10%), deductible 700",
        # B 1000*8%=80; eligible 10000-500-80=9420; (9420-700)*90% = 7848
        "request": _req("changchun-employee", "municipal", "10000", "1000", "500", member={"retired": True}),
        "expect": {"fund_pays": "7848.00", "patient_pays": "2152.00", "deductible": "700.00"},
    },
    {
        "name": "changchun-employee district, below the deductible",
        "source": "deductible 400 at district hospitals: a 300 bill is all the patient's",
        "request": _req("changchun-employee", "district", "300"),
        "expect": {"fund_pays": "0.00", "patient_pays": "300.00", "deductible": "300.00"},
    },
    {
        "name": "changchun-employee district, civil servant",
        "source": "公务员补助 = (自理 + 起付线 + 自负比例) × 70% (二.3)",
        # eligible 10000; deductible 400; co-ins 9600*9%=864; fund 8736; subsidy (400+864)*70% = 884.80
        "request": _req("changchun-employee", "district", "10000", member={"civil_servant": True}),
        "expect": {
            "fund_pays": "9620.80",
            "patient_pays": "379.20",
            "payers": {"basic": "8736.00", "civil_servant": "884.80"},
        },
    },
    {
        "name": "changchun-employee approved referral out of the city",
        "source": "转外住院费用支付 = 总额 − 自费 − 异地起付线 1950 − 剩余 30% (二.2(3))",
        # (30000 - 2000 - 1950) * 70% = 18235
        "request": _req(
            "changchun-employee", "provincial", "30000", "0", "2000", remote={"kind": "referral", "registered": True}
        ),
        "expect": {"fund_pays": "18235.00", "patient_pays": "11765.00"},
    },
    {
        "name": "changchun-employee emergency away, not registered",
        "source": "DESIGN.md: out-of-region care that needed a filing and has none: the fund pays 0",
        "request": _req("changchun-employee", "provincial", "8000", remote={"kind": "emergency", "registered": False}),
        "expect": {"fund_pays": "0.00", "patient_pays": "8000.00"},
    },
    {
        "name": "changchun-employee in service registered as living elsewhere",
        "source": "cc-2010 审批 第二条: long-term residence elsewhere is for retirees only",
        "request": _req("changchun-employee", "provincial", "10000", remote={"kind": "residence", "registered": True}),
        "expect": {"fund_pays": "0.00", "patient_pays": "10000.00"},
    },
    # ---- Changchun residents (cc-2010, 城镇居民…待遇支付标准) ----
    {
        "name": "changchun-resident adult emergency away from the city",
        "source": "cc-2010 审批 第三条: residents other than students have no out-of-town emergency benefit",
        "request": _req("changchun-resident", "provincial", "10000", remote={"kind": "emergency", "registered": True}),
        "expect": {"fund_pays": "0.00", "patient_pays": "10000.00"},
    },
    {
        "name": "changchun-resident municipal adult, two segments",
        "source": "deductible 600 (一); 60% up to 5000, 65% on 5000-45000 (二); segments from zero",
        # (5000-600)*60% = 2640; (8000-5000)*65% = 1950; fund 4590
        "request": _req("changchun-resident", "municipal", "8000"),
        "expect": {"fund_pays": "4590.00", "patient_pays": "3410.00", "deductible": "600.00"},
    },
    {
        "name": "changchun-resident provincial adult above 45000",
        "source": "no rate above 45000 is stated: the fund pays nothing there, caveat",
        # (5000-900)*50% = 2050; 40000*55% = 22000; 5000 above 45000 unpaid
        "request": _req("changchun-resident", "provincial", "50000"),
        "expect": {"fund_pays": "24050.00", "patient_pays": "25950.00", "complete": False},
    },
    {
        "name": "changchun-resident minor at a district hospital",
        "source": "under-18 deductible 100 (一); students/minors 75% to 10000, 80% to 50000 (五)",
        # (10000-100)*75% = 7425; 2000*80% = 1600
        "request": _req("changchun-resident", "district", "12000", member={"minor": True}),
        "expect": {"fund_pays": "9025.00", "patient_pays": "2975.00", "deductible": "100.00"},
    },
    {
        "name": "changchun-resident low-income adult, district",
        "source": "低保 deductible 100 (一); 70% to 5000, 75% to 45000 (四)",
        # (5000-100)*70% = 3430; 1000*75% = 750
        "request": _req("changchun-resident", "district", "6000", member={"low_income": True}),
        "expect": {"fund_pays": "4180.00", "patient_pays": "1820.00"},
    },
    {
        "name": "changchun-resident adult with class-B costs",
        "source": "residents' class-B first share 15%; deductible 300; 70% at district",
        # B 1000*15%=150; eligible 2850; (2850-300)*70% = 1785
        "request": _req("changchun-resident", "district", "3000", "1000"),
        "expect": {"fund_pays": "1785.00", "patient_pays": "1215.00"},
    },
    {
        "name": "changchun-resident community outpatient, annual band 1-400",
        "source": "门诊统筹: annual costs 1-400 at community centres, adults 30% (三)",
        # year so far 200; this visit 300 -> 200..400 at 30% = 60; 400..500 nothing
        "request": _req(
            "changchun-resident", "district", "300", care="outpatient", year_to_date={"eligible_costs": "200"}
        ),
        "expect": {"fund_pays": "60.00", "patient_pays": "240.00"},
    },
    {
        "name": "changchun-resident accidental-injury outpatient, minor",
        "source": "意外伤害门诊: 100-5000 within a year at 80% (六)",
        # (1000-100)*80% = 720
        "request": _req("changchun-resident", "municipal", "1000", care="outpatient_injury", member={"minor": True}),
        "expect": {"fund_pays": "720.00", "patient_pays": "280.00"},
    },
    # ---- Dafang (seed 002 范文4) ----
    {
        "name": "dafang-resident 2012 version, grade 2",
        "source": "from 2012-06-15: deductible grade 2 100; county designated 100%",
        "request": _req("dafang-resident", "grade2", "5000", date="2013-05-01"),
        "expect": {"fund_pays": "4900.00", "patient_pays": "100.00", "version": "2012-06-15"},
    },
    {
        "name": "dafang-resident 2014 version, grade 3",
        "source": "2014: deductible grade 3 raised to 600; county designated 100%",
        "request": _req("dafang-resident", "grade3", "5000", date="2015-03-01"),
        "expect": {"fund_pays": "4400.00", "patient_pays": "600.00", "version": "2014-01-01"},
    },
    {
        "name": "dafang-resident 2012 non-designated out of county",
        "source": "non-designated 70% (deductible not stated: not deducted, caveat)",
        "request": _req("dafang-resident", "non_designated", "10000", date="2013-05-01"),
        "expect": {"fund_pays": "7000.00", "patient_pays": "3000.00", "complete": False},
    },
    {
        "name": "dafang-resident 2014 non-designated",
        "source": "2014: non-designated 55%",
        "request": _req("dafang-resident", "non_designated", "10000", date="2015-03-01"),
        "expect": {"fund_pays": "5500.00", "patient_pays": "4500.00"},
    },
    # ---- Zhongshan town outpatient (seed 004 范文1) ----
    {
        "name": "zhongshan-outpatient own village station",
        "source": "village/community station: fund 60%, patient 40%",
        "request": _req("zhongshan-outpatient", "village_station", "100", care="outpatient"),
        "expect": {"fund_pays": "60.00", "patient_pays": "40.00"},
    },
    {
        "name": "zhongshan-outpatient town hospital near the annual cap",
        "source": "town hospital 20%; annual fund cap 250 per member",
        # 300*20% = 60, but only 250-240 = 10 left this year
        "request": _req(
            "zhongshan-outpatient", "town_hospital", "300", care="outpatient", year_to_date={"fund_paid": "240"}
        ),
        "expect": {"fund_pays": "10.00", "patient_pays": "290.00"},
    },
    {
        "name": "zhongshan-outpatient elsewhere",
        "source": "outside the designated station and town hospital the fund pays nothing",
        "request": _req("zhongshan-outpatient", "other", "100", care="outpatient"),
        "expect": {"fund_pays": "0.00", "patient_pays": "100.00"},
    },
    # ---- Guangxi residents (桂人社发〔2017〕1号, seed 004 范文6) ----
    {
        "name": "guangxi-resident outpatient pooling, rate not stated",
        "source": "annual limit 200 incl. the general diagnosis fee; the rate is not stated: fund 0, caveat",
        "request": _req("guangxi-resident", "designated", "150", care="outpatient"),
        "expect": {"fund_pays": "0.00", "patient_pays": "150.00", "complete": False},
    },
    # ---- Xiaogan (seed 001 §1: 2013 first-half report; 孝人社规【2013】1号) ----
    {
        "name": "xiaogan-basic appendicitis single-disease standard",
        "source": "acute simple appendicitis settles at 2750; the fund/patient split is not stated",
        "request": _req("xiaogan-basic", "grade2_general", "2750", care="single_disease", item="appendicitis"),
        "expect": {"fund_pays": "0.00", "patient_pays": "2750.00", "complete": False},
    },
    {
        "name": "xiaogan-maternity childbirth at an agreement hospital",
        "source": "孝人社规【2013】1号: maternity costs inside the Hubei catalogues paid at 80%",
        # 6000 * 80% = 4800
        "request": _req("xiaogan-maternity", "agreement", "6000", date="2013-08-01", care="maternity"),
        "expect": {"fund_pays": "4800.00", "patient_pays": "1200.00"},
    },
    {
        "name": "xiaogan-maternity with self-pay items",
        "source": "80% of in-catalogue costs; self-pay outside the catalogue is the patient's",
        # (6000 - 1000) * 80% = 4000
        "request": _req("xiaogan-maternity", "agreement", "6000", self_pay="1000", date="2013-08-01", care="maternity"),
        "expect": {"fund_pays": "4000.00", "patient_pays": "2000.00"},
    },
    # ---- The unnamed city's unified residents' scheme (seed 003 §9) ----
    {
        "name": "unnamed-resident inpatient at a county hospital",
        "source": "grade 2: deductible 600, 75% of in-policy cost",
        # (10000 - 600) * 75% = 7050
        "request": _req("unnamed-resident", "grade2", "10000"),
        "expect": {"fund_pays": "7050.00", "patient_pays": "2950.00", "deductible": "600.00"},
    },
    {
        "name": "unnamed-resident inpatient out of the city",
        "source": "out of the city (provincial): deductible 3000, 50%",
        # (10000 - 3000) * 50% = 3500
        "request": _req("unnamed-resident", "out_of_city", "10000"),
        "expect": {"fund_pays": "3500.00", "patient_pays": "6500.00"},
    },
    {
        "name": "unnamed-resident graded-care disease above its quota",
        "source": "graded care: no deductible, fund 80% of the quota at grade 1, hospital bears the excess",
        # quota 4000 (entered): fund 3200, patient 800, hospital 1000
        "request": _req("unnamed-resident", "grade1", "5000", care="graded_care", overrides={"quota": "4000"}),
        "expect": {"fund_pays": "3200.00", "patient_pays": "800.00", "hospital_bears": "1000.00"},
    },
    {
        "name": "unnamed-resident graded-care disease, quota unknown",
        "source": "the quota per disease is not stated: nothing computed without it, caveat",
        "request": _req("unnamed-resident", "grade3", "5000", care="graded_care"),
        "expect": {"fund_pays": "0.00", "patient_pays": "5000.00", "complete": False},
    },
    # ---- Jiaozuo (seed 004 §5) ----
    {
        "name": "jiaozuo-employee grade 1 hospital",
        "source": "employees: deductible grade 1 200, fund 90% above it",
        # (10000 - 200) * 90% = 8820
        "request": _req("jiaozuo-employee", "grade1", "10000"),
        "expect": {"fund_pays": "8820.00", "patient_pays": "1180.00", "deductible": "200.00"},
    },
    {
        "name": "jiaozuo-employee grade 3 hospital, before the 2014 supplementary insurance",
        "source": "grade 3: deductible 800, fund 80%; undated first version applies before 2014-05",
        # (5000 - 800) * 80% = 3360
        "request": _req("jiaozuo-employee", "grade3", "5000", date="2013-06-01"),
        "expect": {"fund_pays": "3360.00", "patient_pays": "1640.00", "version": None},
    },
    {
        "name": "jiaozuo-employee grade 2, below the deductible",
        "source": "grade 2 deductible 600: a 500 bill is all the patient's",
        "request": _req("jiaozuo-employee", "grade2", "500"),
        "expect": {"fund_pays": "0.00", "patient_pays": "500.00"},
    },
    {
        "name": "jiaozuo-resident critical illness, rates not stated",
        "source": "Henan critical illness: threshold 15000, rates not stated; basic rates not stated",
        "request": _req("jiaozuo-resident", "designated", "30000"),
        "expect": {"fund_pays": "0.00", "patient_pays": "30000.00", "complete": False},
    },
    # ---- Beijing residents (seed 004 范文4) ----
    {
        "name": "beijing-resident critical illness with the threshold entered",
        "source": "above the threshold: first 50000 at 60%, beyond 70%; threshold = last year's rural income (user-entered)",
        # out-of-pocket 100000 (basic rates not stated, so all of it); above 20000: 50000*60% + 30000*70% = 51000
        "request": _req("beijing-resident", "designated", "100000", overrides={"critical_illness.threshold": "20000"}),
        "expect": {
            "fund_pays": "51000.00",
            "patient_pays": "49000.00",
            "complete": False,
            "payers": {"basic": "0.00", "critical_illness": "51000.00"},
        },
    },
    {
        "name": "beijing-resident critical illness counts the year's earlier out-of-pocket",
        "source": "the threshold applies to the year's cumulative out-of-pocket",
        # year so far 15000 + this bill 10000 = 25000; above 20000: 5000*60% = 3000
        "request": _req(
            "beijing-resident",
            "designated",
            "10000",
            year_to_date={"out_of_pocket": "15000"},
            overrides={"critical_illness.threshold": "20000"},
        ),
        "expect": {"fund_pays": "3000.00", "patient_pays": "7000.00"},
    },
    {
        "name": "beijing-resident without the threshold",
        "source": "the threshold's value is not in the source: the layer is not computed, caveat",
        "request": _req("beijing-resident", "designated", "100000"),
        "expect": {"fund_pays": "0.00", "patient_pays": "100000.00", "complete": False},
    },
    # ---- Zhenjiang (seed 000 范文1; undated, newest undated version applies) ----
    {
        "name": "zhenjiang-resident outpatient at 40%",
        "source": "residents' outpatient/emergency compensation raised from 20% to 40%",
        # 1000 * 40% = 400 (no deductible stated: caveat)
        "request": _req("zhenjiang-resident", "designated", "1000", care="outpatient"),
        "expect": {"fund_pays": "400.00", "patient_pays": "600.00", "complete": False},
    },
    {
        "name": "zhenjiang-resident outpatient dialysis at 50%",
        "source": "outpatient dialysis and cancer treatment: 40% to 50% from 1 January of the following year",
        "request": _req("zhenjiang-resident", "designated", "2000", care="dialysis"),
        "expect": {"fund_pays": "1000.00", "patient_pays": "1000.00"},
    },
    {
        "name": "zhenjiang-resident relief recipient in hospital",
        "source": "relief recipients: annual inpatient out-of-pocket above 500 subsidised at 60% (was 50%)",
        # basic rates not stated (0); (10000 - 500) * 60% = 5700
        "request": _req("zhenjiang-resident", "designated", "10000", member={"relief": True}),
        "expect": {
            "fund_pays": "5700.00",
            "patient_pays": "4300.00",
            "payers": {"basic": "0.00", "medical_relief": "5700.00"},
        },
    },
    {
        "name": "zhenjiang-employee inpatient, rates not stated",
        "source": "only the cap (30000 -> 50000) is stated; deductible and ratios are not",
        "request": _req("zhenjiang-employee", "designated", "10000"),
        "expect": {"fund_pays": "0.00", "patient_pays": "10000.00", "complete": False},
    },
]


def _remote(policy="changchun-employee", reason="emergency", visit_date="2025-09-25", today="2025-09-26", **extra):
    return {
        "policy": policy,
        "reason": reason,
        "member": extra.pop("member", {}),
        "visit_date": visit_date,
        "cross_province": extra.pop("cross_province", False),
        "today": today,
        **extra,
    }


# check_remote cases (hand-worked in detail in tests/test_remote.py); the browser
# parity test runs these through the Pyodide worker as well.
REMOTE_CASES = [
    {
        "name": "changchun emergency before National Day 2025",
        "source": "cc-2010 审批 第三条: register within 5 working days; Oct 1-8 holiday, make-up Sun Sep 28",
        # Fri 26 (1), Sun 28 make-up (2), Mon 29 (3), Tue 30 (4), Thu Oct 9 (5)
        "request": _remote(condition="myocardial_infarction"),
        "expect": {"eligible": True, "rules_applied": "local", "deadlines": {"register": "2025-10-09"}},
    },
    {
        "name": "changchun emergency on National Day 2026 counts the make-up Saturday",
        "source": "working days on the official calendar: Oct 8, 9, Sat 10 (make-up), 12, 13",
        "request": _remote(visit_date="2026-10-01", today="2026-10-02", condition="shock"),
        "expect": {"eligible": True, "deadlines": {"register": "2026-10-13"}},
    },
    {
        "name": "changchun adult resident: no out-of-town emergency benefit",
        "source": "cc-2010 审批 第三条: urban residents other than students have no out-of-town emergency benefit",
        "request": _remote(policy="changchun-resident", condition="shock"),
        "expect": {"eligible": False},
    },
    {
        "name": "changchun adult resident across provinces after 2023: emergency counts as filed",
        "source": "经办规程 第八条（五）: emergency rescue counts as filed; national rules prevail",
        "request": _remote(
            policy="changchun-resident",
            condition="shock",
            cross_province=True,
            visit_date="2024-03-05",
            today="2024-04-30",
            filed=False,
        ),
        "expect": {"eligible": True, "rules_applied": "local+national"},
    },
    {
        "name": "changchun retiree living elsewhere 12 months",
        "source": "cc-2010 审批 第二条: retirees living elsewhere one year or more, registered, are covered",
        "request": _remote(
            reason="residence",
            member={"retired": True},
            months_elsewhere=12,
            filed=True,
            visit_date="2025-03-03",
            today="2025-03-03",
        ),
        "expect": {"eligible": True},
    },
    {
        "name": "changchun retiree elsewhere only 6 months",
        "source": "cc-2010 审批 第二条: less than one year elsewhere does not qualify",
        "request": _remote(
            reason="residence",
            member={"retired": True},
            months_elsewhere=6,
            filed=True,
            visit_date="2025-03-03",
            today="2025-03-03",
        ),
        "expect": {"eligible": False},
    },
]
