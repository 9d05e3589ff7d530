"""Every enumeration a policy file or a request may use: id -> Chinese label (one label per id)."""

# --------------------------------------------------------------------------
# Enumerations: id -> Chinese label (one label per id, everywhere)
# --------------------------------------------------------------------------

MEMBER_FLAGS = {
    "retired": "退休人员",
    "civil_servant": "公务员（含参照管理人员）",
    "minor": "未满18周岁",
    "student": "在校学生（含大学生、中专技校学生）",
    "low_income": "低保人员",
    "relief": "医疗救助对象",
    "flexible": "灵活就业人员",
    "migrant_worker": "农民工",
    "severe_mental_illness": "贫困重度精神病人",
    "pregnant": "孕产妇",
}
REMOTE_REASONS = {
    "emergency": "异地急诊",
    "referral": "转外就医（转诊转院）",
    "residence": "异地长期居住（含异地安置）",
    "work": "常驻异地工作",
    "temporary": "其他临时外出就医",
}
# Out-of-region care an estimate may be settled under (a care's remote_settlement.kinds).
REMOTE_KINDS = {k: REMOTE_REASONS[k] for k in ("referral", "emergency", "residence")}
# Other names a form may send for the national categories.
REMOTE_REASON_ALIASES = {"stationed": "work", "other": "temporary"}

ENUMS = {
    "member_flag": MEMBER_FLAGS,
    "remote_reason": REMOTE_REASONS,
    "remote_kind": REMOTE_KINDS,
    # the out-of-region checker's kinds of care
    "remote_care": {"inpatient": "住院", "outpatient": "门诊", "chronic": "门诊慢特病"},
    "method": {"standard": "按比例分段支付", "fixed_standard": "按病种定额结算", "quota": "按定额结算"},
    "basis": {"admission": "每次住院", "year": "每年", "visit": "每次就诊"},
    "layer_base": {
        "patient_in_policy": "基本医保报销后个人负担的政策范围内费用",
        "above_cap": "超过基本医保最高支付限额的费用",
        "annual_patient_in_policy": "全年累计个人负担的政策范围内费用",
    },
    "remote_method": {
        "remote_settlement": "按经审批的异地就医结算办法",
        "local_standard": "按参保地本地标准",
        "unstated": "来源未说明",
    },
    "document_status": {
        "in_force": "现行有效（来源注明）",
        "superseded": "已被替代",
        "unknown": "来源未说明是否仍然有效",
    },
    "topic": {
        "inpatient": "住院",
        "outpatient": "门诊",
        "remote": "异地就医",
        "special_disease": "门诊慢特病",
        "chronic_disease": "门诊慢性病",
        "maternity": "生育",
        "work_injury": "工伤",
        "single_disease": "单病种",
        "graded_care": "分级诊疗",
        "critical_illness": "大病保险",
        "dialysis": "透析",
        "funding": "筹资",
        "integration": "城乡整合",
        "catalog": "目录",
        "relief": "医疗救助",
        "cap": "支付限额",
        "settlement": "结算",
        "national": "国家规定",
        "large_amount": "大额救助",
        "civil_servant": "公务员医疗补助",
        "pharmacy": "药店",
        "emergency": "急诊抢救",
        "referral": "转诊转院",
        "fund_oversight": "基金监管",
    },
    "scope": {"cross_province": "只适用于跨省异地就医"},
    "category_group": {"long_term": "长期异地就医", "temporary": "临时外出就医"},
    "follows": {"destination": "执行就医地规定", "insured": "执行参保地规定"},
    # who pays a part of the bill (an estimate's `payers`; layers are named by their own label)
    "payer": {"basic": "基本医保基金", "hospital": "医院承担", "patient": "您自己支付"},
    # the out-of-region checklist's phases
    "phase": {"before": "就医前", "during": "就医时（住院期间）", "after": "出院后"},
    # the checker's verdict (`eligible`: true, false, null)
    "verdict": {"yes": "可以报销", "no": "按现有情况不能报销", "open": "需要审核后才能确定"},
    # the words of a yes-or-no select (a field of kind "answer"; its `empty` label is the third)
    "answer": {"yes": "是", "no": "否"},
    # the calculator's two views (the link's `v`)
    "view": {"estimate": "费用估算", "remote": "异地就医检查"},
}
