"""check_remote(request): may this out-of-region care be reimbursed, what to do, by when.

The rules are data: a policy's `remote` section (the region's own rules, see
policies/README.md) and the bundle's `national.cross_province` (the national
rules for cross-province direct settlement). Inside the province only the
region's rules apply; in another province, for care on or after the national
rules' start date, the national rules apply as well and prevail where they
differ (DESIGN.md, "Reading the rules").
"""

from __future__ import annotations

from typing import Any

from ..data import bundle
from ..next_step import after_check
from ..outcome import dating
from ..trace import Trace
from ..words import label
from ..workdays import calendar_from
from .checklist import checklist
from .local import read_local
from .national import read_national
from .national_figures import cross_province, national_start
from .request import RemoteRequest, read_request
from .settlement import settlement
from .verdict import Part


def check_remote(request: Any) -> dict:
    """Eligibility (true, false or null when a fact is missing), reasons, steps, deadlines, checklist."""
    r = read_request(request)
    data = bundle()
    result = Trace(data["documents"], unique_steps=True)
    for text in r.version_caveats:
        result.caveat(text)
    calendar = calendar_from(data["calendar"])
    nat = cross_province(data)
    start = national_start(data)
    applies = bool(r.cross and start and r.visit >= start)
    if not r.cross_given:
        result.caveat("您没有说明是否跨省就医，这里按省内异地就医处理（只适用本地区规定）。")
    remote = r.policy.get("remote") or {}
    # The local reading has its own trace: where national rules prevail over a
    # local restriction, the local steps no longer apply.
    local = Part(data["documents"])
    read_local(remote, r, local, calendar, nat if applies else None)
    if not applies:
        _local_care(r, local)
    national = None
    if applies:
        national = Part(data["documents"])
        read_national(nat, remote, r, national, calendar, local.excluded)
    elif r.cross and start and r.visit < start:
        result.caveat(
            f"就诊日期早于 {start.isoformat()}，国家跨省异地就医直接结算经办规程尚未施行，只按本地区当时的规定判断。"
        )
    eligible, why = _combine(result, r, local, national)
    if eligible is True and why is None:
        why = f"符合{label('remote_reason', r.reason)}的报销条件，请按下列步骤和期限办理。"
    paid = settlement(remote, r, result, nat if applies else None, local.excluded)
    items = checklist(result)
    channels = _channels(remote, r, nat if applies else None, result)
    return {
        "policy": r.policy["id"],
        "version": r.version["from"],
        "reason": r.reason,
        "reason_label": label("remote_reason", r.reason),
        "care": r.care,
        "care_label": label("remote_care", r.care),
        "networked": r.networked,
        "eligible": eligible,
        "eligible_reason": why,
        "rules_applied": "local+national" if applies else "local",
        "reasons": result.reasons,
        "steps": result.steps,
        "deadlines": sorted(result.deadlines, key=lambda d: d["date"]),
        "checklist": items,
        "settlement": paid,
        "caveats": result.caveats,
        "next_step": after_check(result, r.policy, eligible, items, channels),
        **dating(data, result, r.version, r.visit, applies),
    }


def _channels(remote: dict, r: RemoteRequest, nat: dict | None, out: Trace) -> dict:
    """Checklist item id -> the lines and channels a source gives for doing it."""
    entry = remote.get(r.reason) if isinstance(remote.get(r.reason), dict) else {}
    register = entry.get("register") or {}
    source = out.source(register.get("cite")) if register.get("channels") else None
    found = {"register": [{"label": "登记方式", "value": c, "source": source} for c in register.get("channels") or []]}
    if nat:
        channels = nat["filing"]["channels"]
        source = out.source(channels.get("cite"))
        found["national_filing"] = [{"label": "备案渠道", "value": c, "source": source} for c in channels["items"]]
    return found


def _local_care(r: RemoteRequest, local: Part) -> None:
    """The regions' own out-of-region rules are written for hospital stays."""
    if r.inpatient:
        return
    local.verdict(
        None,
        f"参保地资料中的异地就医规定是针对住院写的，没有说明在外地{label('remote_care', r.care)}怎样报销，"
        "请向参保地医保经办机构咨询。",
    )


def _combine(result: Trace, r: RemoteRequest, local: Part, national: Part | None):
    """Merge the readings into the result; return (eligible, why). DESIGN.md, "Reading the rules":
    across provinces the national rules decide filing and settlement, the region what it pays."""
    if national is None or local.excluded:
        # In the province, or no such benefit at all (the same answer on every route).
        if national is not None:
            result.merge(national.out, reasons_only=True)
        result.merge(local.out)
        return local.eligible, local.why
    if national.fallback:
        # No direct settlement: the insured city's own rules decide.
        result.merge(national.out)
        result.merge(local.out)
        return local.eligible, national.why + (f"按参保地规定：{local.why}" if local.why else "")
    result.merge(national.out)
    if local.eligible is True:
        result.merge(local.out)
        return national.eligible, national.why
    # National rules prevail over the region's conditions for filing: keep the local reasons
    # (they explain the difference) and, while the hospital may still be off the network, the
    # local dates a claim at home would need; not the local steps.
    name = r.policy.get("region_name") or r.policy["region"]
    if local.why:
        first = next((item["source"]["cite"] for item in local.out.reasons if item["source"]), None)
        if first:
            result.reason(f"参保地（{name}）规定：{local.why}跨省就医时，与国家规定不一致的地方以国家规定为准。", first)
        else:
            result.caveat(f"{local.why}跨省就医按国家规定判断。")
    result.merge(local.out, reasons_only=True)
    if r.networked is not True:
        result.deadlines += [d for d in local.out.deadlines if all(d["id"] != x["id"] for x in result.deadlines)]
    return national.eligible, national.why
