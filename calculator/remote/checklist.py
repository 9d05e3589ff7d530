"""The answer as a dated checklist: before care, in hospital, after discharge."""

from __future__ import annotations

from ..trace import Trace

PHASES = ("before", "during", "after")
STEP_PHASE = {
    "claim": "after",
    "claim_at_home": "after",
    "register": "during",
    "return_limit": "during",
    "national_emergency": "during",
}
DEADLINE_PHASE = {
    "register": "during",
    "discharge_settlement": "after",
    "earliest_cancel": "after",
    "card_registration": "during",
    "extension_request": "during",
    "return_limit": "during",
    "file_before_discharge": "during",
    "filing_processed": "before",
    "temporary_filing_valid": "before",
    "approval_expires": "before",
}


def _when(deadline: dict) -> str:
    if deadline.get("passed"):
        text = f"期限是 {deadline['date']}，这一天已经过了。"
    else:
        text = f"最晚在 {deadline['date']}（含当天）办好。"
    return text + (deadline.get("note") or "")


def checklist(trace: Trace) -> list[dict]:
    """[{id, phase, label, date, passed, text, source}] from the trace's steps and deadlines, in
    phase order; a step and the deadline of the same id are one item (the step shows the date)."""
    deadlines = {d["id"]: d for d in trace.deadlines}
    items = []
    for step in trace.steps:
        due = deadlines.pop(step["id"], None)
        items.append(
            {
                "id": step["id"],
                "phase": STEP_PHASE.get(step["id"], "before"),
                "label": step["label"],
                "date": due["date"] if due else None,
                "passed": bool(due and due.get("passed")),
                "text": step["detail"] + (_when(due) if due else ""),
                "source": step["source"],
            }
        )
    for due in sorted(deadlines.values(), key=lambda d: d["date"]):
        items.append(
            {
                "id": due["id"],
                "phase": DEADLINE_PHASE.get(due["id"], "during"),
                "label": due["label"],
                "date": due["date"],
                "passed": bool(due.get("passed")),
                "text": _when(due),
                "source": due["source"],
            }
        )
    return sorted(items, key=lambda item: PHASES.index(item["phase"]))
