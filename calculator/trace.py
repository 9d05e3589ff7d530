"""One trace of how an answer was reached, shared by estimate() and check_remote().

Steps, reasons, deadlines and caveats, each step and reason citing its source
(document, title, 文号, clause); the figures the sources do not give
(`unknowns`); the amounts that are certain whatever the unknowns (`known`);
and the documents cited (for the answer's date, `as_of`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from .money import money

# What an unknown figure does to the estimate's fund figure.
FUND_MAY_BE_MORE = "more"  # the part was counted as unpaid by the fund (an unknown rate)
FUND_MAY_BE_LESS = "less"  # the part was counted as not limiting the fund (an unknown cap or deductible)

_sources: dict = {"documents": None}  # cite -> resolved source, for the documents in use


def resolve(documents: dict, cite: str | None) -> dict | None:
    """The source a cite ("doc-id/clause-id") points to."""
    if not cite:
        return None
    if _sources["documents"] is not documents:
        _sources.clear()
        _sources["documents"] = documents
    if cite not in _sources:
        doc_id, _, clause_id = str(cite).partition("/")
        doc = documents.get(doc_id, {})
        _sources[cite] = {
            "document": doc_id,
            "title": doc.get("title"),
            "number": doc.get("number"),
            "clause": (doc.get("clauses") or {}).get(clause_id, clause_id),
            "cite": cite,
        }
    return dict(_sources[cite])


class Trace:
    """The record of one answer."""

    def __init__(self, documents: dict, *, unique_steps: bool = False):
        self.documents = documents
        self.unique_steps = unique_steps
        self.steps: list[dict] = []
        self.reasons: list[dict] = []
        self.deadlines: list[dict] = []
        self.caveats: list[str] = []
        self.unknowns: list[dict] = []
        self.known: list[dict] = []
        self.cited: list[str] = []

    def source(self, cite: str | None) -> dict | None:
        found = resolve(self.documents, cite)
        if found and found["document"] not in self.cited:
            self.cited.append(found["document"])
        return found

    def step(self, id_: str, label: str, detail: str, cite: str | None = None, **fields) -> None:
        """A step; estimate steps carry `amount` (Decimal, or None where the sources leave it open) and `payer`."""
        if self.unique_steps and any(s["id"] == id_ for s in self.steps):
            return
        entry = {"id": id_, "label": label}
        if "amount" in fields:
            amount = fields.pop("amount")
            entry["amount"] = None if amount is None else money(amount)
        entry["detail"] = detail
        entry.update(fields)
        entry["source"] = self.source(cite)
        self.steps.append(entry)

    def reason(self, text: str | None, cite: str | None = None) -> None:
        if text and all(r["text"] != text for r in self.reasons):
            self.reasons.append({"text": text, "source": self.source(cite)})

    def deadline(
        self,
        id_: str,
        day: datetime.date,
        label: str,
        cite: str | None = None,
        today: datetime.date | None = None,
        note: str | None = None,
    ) -> None:
        """A dated deadline; `note`: what the date itself needs said (counted without official holidays)."""
        if any(d["id"] == id_ for d in self.deadlines):
            return
        item = {"id": id_, "date": day.isoformat(), "label": label, "source": self.source(cite)}
        if today is not None:
            item["passed"] = day < today
        if note:
            item["note"] = note
        self.deadlines.append(item)

    def caveat(self, text: str | None) -> None:
        if text and text not in self.caveats:
            self.caveats.append(text)

    def unknown(
        self,
        what: str,
        note: str | None = None,
        effect: str = FUND_MAY_BE_MORE,
        *,
        tail: str | None = None,
        assumed: bool = False,
    ) -> None:
        """A figure the sources do not give: named in the headline's `missing`, explained in a caveat.

        `assumed`: the estimate assumed a harmless value (an unstated cap not reached); the
        answer is then a bound, not incomplete.
        """
        if all(u["what"] != what for u in self.unknowns):
            self.unknowns.append({"what": what, "effect": effect, "assumed": assumed})
        if tail is None:
            tail = "本估算按基金不支付这一部分计算，实际自付可能更少。" if effect == FUND_MAY_BE_MORE else ""
        if note is not False:
            self.caveat(f"{what}：来源未规定。{note or ''}{tail}")

    def certain(self, label: str, amount: Decimal, payer: str = "patient") -> None:
        """An amount that holds whatever the unknown figures turn out to be (`payer`: patient or info)."""
        self.known.append({"label": label, "amount": amount, "payer": payer})

    @property
    def complete(self) -> bool:
        return all(u["assumed"] for u in self.unknowns)

    def merge(self, other: Trace, *, reasons_only: bool = False) -> None:
        for item in other.reasons:
            if all(r["text"] != item["text"] for r in self.reasons):
                self.reasons.append(item)
        for doc in other.cited:
            if doc not in self.cited:
                self.cited.append(doc)
        if reasons_only:
            return
        for item in other.steps:
            if all(s["id"] != item["id"] for s in self.steps):
                self.steps.append(item)
        for item in other.deadlines:
            if all(d["id"] != item["id"] for d in self.deadlines):
                self.deadlines.append(item)
        for text in other.caveats:
            self.caveat(text)
