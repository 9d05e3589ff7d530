"""The enumerations a request may use, with their Chinese labels: written once.

The compiler validates the policy data against these ids and copies the
labels into the bundle (`labels`), so the browser form and the portal show
the same words as the engine without keeping copies of their own.
"""

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

REMOTE_KINDS = {"referral": "转外就医（转诊）", "emergency": "异地急诊", "residence": "异地长期居住"}

REMOTE_REASONS = {
    "emergency": "异地急诊",
    "referral": "转外就医（转诊转院）",
    "residence": "异地长期居住（含异地安置）",
    "work": "常驻异地工作",
    "temporary": "其他临时外出就医",
}

# Other names a form may send for the national categories.
REMOTE_REASON_ALIASES = {"stationed": "work", "other": "temporary"}


def all_labels() -> dict[str, dict[str, str]]:
    """What travels in the bundle under `labels`."""
    return {
        "member_flags": dict(MEMBER_FLAGS),
        "remote_kinds": dict(REMOTE_KINDS),
        "remote_reasons": dict(REMOTE_REASONS),
    }
