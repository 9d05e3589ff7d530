"""What a resident can do next: the last item of every result, read from the data.

    a care's `next`        where this care is settled and what to bring (policy YAML, cited)
    the region's `service` the office that handles claims and questions, and the lines its
                           sources name for questions on what is covered (policy YAML, cited)
    out-of-region care     the first item of the checker's checklist still open (its date too)

Where the sources say nothing, the step says so and names the office to ask; a resident is
never left without a next step, and never given one the data does not support.
"""

from __future__ import annotations

from .trace import Trace

ANY_OFFICE = "参保地医保经办机构（医保局或医保中心）"


def _office(policy: dict, trace: Trace) -> tuple[str, dict | None]:
    office = (policy.get("service") or {}).get("office") or {}
    return office.get("text") or ANY_OFFICE, trace.source(office.get("cite"))


def _contacts(policy: dict, trace: Trace) -> list[dict]:
    """The region's lines for questions about what is covered and how much (an estimate's)."""
    listed = (policy.get("service") or {}).get("contacts") or []
    return [{"label": c["label"], "value": c["value"], "source": trace.source(c.get("cite"))} for c in listed]


def step(trace: Trace, policy: dict, label: str, detail: str, source=None, date=None, contacts=()) -> dict:
    """{label, detail, date, source, office, office_source, contacts}."""
    office, office_source = _office(policy, trace)
    return {
        "label": label,
        "detail": detail,
        "date": date,
        "source": source,
        "office": office,
        "office_source": office_source,
        "contacts": list(contacts),
    }


def ask(trace: Trace, policy: dict, why: str, contacts=()) -> dict:
    """The step left when the sources give no other: ask the office."""
    office, _ = _office(policy, trace)
    return step(trace, policy, "向医保经办机构咨询", f"{why}请向{office}咨询。", contacts=contacts)


def after_estimate(trace: Trace, policy: dict, care: dict) -> dict:
    """In the region: the care's own `next`, or the office when the sources say nothing."""
    rule = care.get("next")
    contacts = _contacts(policy, trace)
    if rule:
        return step(trace, policy, rule["label"], rule["detail"], trace.source(rule.get("cite")), contacts=contacts)
    why = f"来源没有写明{care.get('label', '这项待遇')}的费用在哪里结算、要带什么材料；"
    return ask(trace, policy, why, contacts)


def after_check(trace: Trace, policy: dict, eligible: bool | None, checklist: list, channels: dict) -> dict:
    """The first open item of the checklist, with the lines a source gives for doing it (`channels`:
    item id -> [{label, value, source}]); the office when nothing is open or nothing is payable."""
    if eligible is False:
        return ask(trace, policy, "按您填写的情况，这次费用不能报销；如果情况与填写的不同，或对结果有疑问，")
    for item in checklist:
        if item.get("passed"):
            continue
        return step(
            trace,
            policy,
            item["label"],
            item["text"],
            item["source"],
            item["date"],
            channels.get(item["id"], []),
        )
    return ask(trace, policy, "来源没有写明这种情况下还要办什么手续；")
