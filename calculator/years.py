"""year(request): a resident's visits of one or more insured years, settled with what accumulates.

    {"policy", "member", "visits": [<an estimate request without policy, member and year_to_date>, …]}

Visits are settled in date order (ties: the order given), each with the running totals of the
same insured year before it (calculator/ledger.py). The answer: every visit's full estimate result
(with its `index` in the request), one entry per insured year (totals, what is left of each yearly
limit, a headline), the totals of all visits (exactly their sum), a summary, a headline and the
caveats. A visit is named as the resident gave it: visits[2] is 第3次就医.
"""

from __future__ import annotations

from typing import Any

from .claim import Claim, read_claim
from .engine import settle
from .errors import InputError
from .ledger import Ledger, insured_year, visit_name
from .limits import remaining
from .request import get_policy, parse_member, reject_unknown, require_mapping
from .words import field, request_keys
from .year_outcome import sums, year_headline, year_summary

SHARED = {
    "policy": "地区和医保类型对全年的每次就医都一样，请填写在最外层（policy），不要写在某一次就医里。",
    "member": "参保人员的情况对全年的每次就医都一样，请填写在最外层（member），不要写在某一次就医里。",
    "year_to_date": "全年计算会按日期自动累计本年度此前的费用，每次就医不需要填写 year_to_date。",
}


def _visits(value: Any) -> list:
    most = field("year", "visits")["maximum"]
    if value is None or value == []:
        raise InputError("visits", "required", "请至少填写一次就医（visits 列表不能为空）。")
    if not isinstance(value, list):
        raise InputError("visits", "type", "visits 必须是一个列表，每一项是一次就医。")
    if len(value) > most:
        raise InputError("visits", "too_many", f"一次最多计算 {most} 次就医，现在有 {len(value)} 次。")
    return value


def _in_visit(index: int, exc: InputError) -> InputError:
    """The error of one visit, named: visits[2].costs.total, 第3次就医：…"""
    inner = "" if exc.field in ("", "request") else exc.field
    field = f"visits[{index}]" + (f".{inner}" if inner else "")
    return InputError(field, exc.code, f"{visit_name(index)}：{exc.message}")


def _claim(policy_id: str, member: Any, visit: Any, index: int) -> Claim:
    try:
        visit = require_mapping(visit, "")
        for key, message in SHARED.items():
            if key in visit:
                raise InputError(key, "unknown_field", message)
        fields = tuple(f for f in request_keys("estimate") if f != "year_to_date")
        reject_unknown(visit, fields)
        return read_claim({**visit, "policy": policy_id, "member": member}, fields, date_required=True)
    except InputError as exc:
        raise _in_visit(index, exc) from None


def _settle_year(claims: dict[int, Claim], indices: list[int]) -> tuple[list, Ledger]:
    ledger, out = Ledger(), []
    for index in indices:
        claim = claims[index]
        ledger.prepare(claim)
        try:
            result, settled = settle(claim)
        except InputError as exc:  # a choice only the settlement checks (e.g. the disease of a case)
            raise _in_visit(index, exc) from None
        ledger.add(index, settled)
        out.append((index, result))
    return out, ledger


def year(request: Any) -> dict:
    """See DESIGN.md ("The estimator's contract"): the visits, the years, the totals, the headline."""
    req = require_mapping(request, "")
    reject_unknown(req, request_keys("year"))
    policy = get_policy(req.get("policy"))
    member = req.get("member")
    parse_member(member)  # an error here is the member's, not a visit's
    visits = _visits(req.get("visits"))
    claims = {i: _claim(policy["id"], member, visit, i) for i, visit in enumerate(visits)}
    order = sorted(claims, key=lambda i: (claims[i].day, i))
    groups: dict[int, list[int]] = {}
    for index in order:
        groups.setdefault(insured_year(policy, claims[index].day)[0], []).append(index)
    results, years, caveats = [], [], []
    if len(visits) > 1 and (policy.get("insured_year") or {}).get("starts", "01-01") is None:
        caveats.append(
            "计算年度从哪一天起算：来源未规定。"
            + (policy["insured_year"].get("note") or "")
            + "本估算按自然年（1月1日至12月31日）累计。"
        )
    for number, indices in groups.items():
        settled, ledger = _settle_year(claims, indices)
        _, begin, end = insured_year(policy, claims[indices[0]].day)
        entry = {"year": number, "from": begin.isoformat(), "to": end.isoformat(), "visits": indices}
        entry.update(sums([r for _, r in settled]))
        entry["remaining"] = remaining([claims[i] for i in indices], ledger)
        entry["headline"] = year_headline(settled)
        years.append(entry)
        results += [{"index": index, "year": number, **result} for index, result in settled]
    named = [(r["index"], r) for r in results]
    everything = sums([r for _, r in named])
    for result in results:
        for text in result["caveats"]:
            if text not in caveats:
                caveats.append(text)
    group = claims[0].group
    terms = {t["term"]: t for r in results for t in r["terms"]}
    dates = [r["as_of"] for r in results if r.get("as_of")]
    return {
        "policy": policy["id"],
        "policy_name": results[0]["policy_name"],
        "member_group": group["id"],
        "member_label": group.get("label", group["id"]),
        "visits": results,
        "years": years,
        "totals": {k: v for k, v in everything.items() if k != "bounds"},
        "complete": all(r["complete"] for r in results),
        "summary": year_summary(named, years),
        "headline": year_headline(named),
        "bounds": everything["bounds"],
        "caveats": caveats,
        "terms": list(terms.values()),
        "as_of": max(dates) if dates else None,
    }
