"""The 甲/乙/丙 guide's example bill, worked out by the estimator itself (one source of truth)."""

from __future__ import annotations

from decimal import Decimal

from .figures import esc
from .tables import table

EXAMPLE = {
    "policy": "changchun-employee",
    "facility": "provincial",
    "total": "20000",
    "class_b": "2000",
    "self_pay": "1000",
}
PAGE = "guides/drug-classes.md"


def yuan(amount) -> str:
    return f"{Decimal(amount):,.2f} 元"


def worked_example(bundle: dict, site) -> str:
    import calculator

    request = {
        "policy": EXAMPLE["policy"],
        "care": "inpatient",
        "facility": EXAMPLE["facility"],
        "date": bundle["policies"][EXAMPLE["policy"]]["versions"][-1]["from"],
        "costs": {k: EXAMPLE[k] for k in ("total", "class_b", "self_pay")},
    }
    try:
        with calculator.bundle_for_now(bundle):
            result = calculator.estimate(request)
    except calculator.InputError:
        return "（示例所需的长春市职工医保数据暂缺。）\n"
    rows = []
    for number, step in enumerate(result["steps"], 1):
        source = step.get("source")
        link = "—"
        if source:
            href = site.rel(PAGE, f"documents/{source['document']}.md", source["cite"].partition("/")[2])
            link = f'<a class="cite" href="{esc(href)}">出处</a>'
        rows.append([str(number), esc(step["label"]), esc(step["detail"]), link, esc(yuan(step["amount"]))])
    return "\n".join(
        [
            table("按步骤计算", ["步骤", "说明", "计算", "依据", "金额"], rows),
            "",
            f"合计：医保统筹基金支付 **{yuan(result['fund_pays'])}**，个人支付 **{yuan(result['patient_pays'])}**，"
            f"两者相加正好是总费用 {yuan(result['total'])}。",
            "",
        ]
    )
