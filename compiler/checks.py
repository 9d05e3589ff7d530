"""Cross-checks the schema cannot express: rates and amounts, bands, member flags, a scheme's ids and versions."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from .citations import check_date, rule_nodes, walk
from .contradictions import check_contradictions
from .files import PolicyFile
from .messages import dotted, some

# A key (or an ancestor key) named like this holds fractions: 0..1.
RATE_KEY = re.compile(r"(^|_)(rates?|ratios?)$|_shares?$")
TABLE_META = {"basis", "basis_note", "cite", "note"}
GROUP_TABLES = ("class_b_share", "deductible", "bands", "cap")


def check_numbers(f: PolicyFile) -> None:
    """Rates within 0..1, amounts never negative, bands ascending with one open end."""
    for base, part in rule_nodes(f):
        for path, node in walk(part, base):
            if isinstance(node, Decimal):
                if node < 0:
                    f.add(path, f"{dotted(path)} 是 {node}：数字不能是负数 (figures cannot be negative)")
                elif node > 1 and any(isinstance(k, str) and RATE_KEY.search(k) for k in path):
                    f.add(
                        path,
                        f"{dotted(path)} 是 {node}，但它是比例：请写 0 到 1 之间的小数（0.15 表示 15%）(it is a rate)",
                    )
            elif (
                isinstance(node, list)
                and node
                and all(isinstance(b, dict) for b in node)
                and (path[-1] == "bands" or any("upto" in b for b in node))
            ):
                _check_bands(f, path, node)


def _check_bands(f: PolicyFile, path, bands: list) -> None:
    prev = Decimal(0)
    first_way = None  # fund_rate or patient_rate, as the first band gives it
    for i, band in enumerate(bands):
        here = path + (i,)
        if "upto" not in band:
            f.add(here, f"{dotted(here)} 没有 upto（这一段的上限；null 表示没有上限）")
            return
        given = [k for k in ("fund_rate", "patient_rate") if k in band]
        if len(given) != 1:
            f.add(here, f"{dotted(here)} 必须有且只有 fund_rate, patient_rate 其中之一")
        elif first_way is None:
            first_way = given[0]
        elif given[0] != first_way:
            f.add(
                here + (given[0],),
                f"{dotted(here)}：同一组分段的比例要用同一种写法：前面写的是 {first_way}，这里写成了 {given[0]}；"
                "请都写 fund_rate（基金支付比例）或都写 patient_rate（个人负担比例）(bands-mixed-rates)",
            )
        upto = band["upto"]
        if upto is None and i != len(bands) - 1:
            f.add(
                here + ("upto",),
                f"{dotted(here)}：upto: null（没有上限）必须是最后一段；它后面的段永远用不上 (must be the last band)",
            )
            return
        if isinstance(upto, Decimal):
            if upto <= prev:
                after = f"上一段的 {prev}" if i else "0"
                f.add(here + ("upto",), f"{dotted(here)}：分段必须递增，upto {upto} 没有超过{after} (bands must go up)")
                return
            prev = upto


def check_flags(f: PolicyFile, flags) -> None:
    """`when` / `when_any` lists anywhere (remote and national rules too) name request flags."""
    for base, part in rule_nodes(f):
        for path, node in walk(part, base):
            if isinstance(node, list) and path and path[-1] in ("when", "when_any", "unclear_when_any"):
                for j, flag in enumerate(node):
                    if flag not in flags:
                        f.add(
                            path + (j,),
                            f"{dotted(path)}：未知的人员标记 {flag!r}（请求可用的标记：{', '.join(flags)}）"
                            f" (unknown member flag {flag!r})",
                        )


def check_scheme(f: PolicyFile, sid: str, scheme: dict) -> None:
    base = ("schemes", sid)
    groups = [m["id"] for m in scheme["members"]]
    _check_members(f, base, scheme["members"])
    _check_versions(f, base, scheme["versions"])
    for i, v in enumerate(scheme["versions"]):
        for cid, care in (v.get("care") or {}).items():
            _check_tables(f, base + ("versions", i, "care", cid), care, groups, list(scheme["facilities"]))
    _check_id_lists(f, base, scheme, groups)
    _check_insured_year(f, base, scheme.get("insured_year"))
    check_contradictions(f, sid, scheme)


def _check_insured_year(f: PolicyFile, base, spec) -> None:
    """`insured_year.starts` is a day every year has (MM-DD; not 02-29)."""
    starts = spec.get("starts") if isinstance(spec, dict) else None
    if not isinstance(starts, str):
        return
    try:
        datetime.date(2001, *(int(part) for part in starts.split("-")))
    except ValueError:
        here = base + ("insured_year", "starts")
        f.add(here, f"{dotted(here)}：{starts!r} 不是每年都有的日期（写成 MM-DD，例如 01-01）(not a day of every year)")


def _check_members(f: PolicyFile, base, members: list) -> None:
    seen = set()
    for i, m in enumerate(members):
        here = base + ("members", i)
        if m["id"] in seen:
            f.add(here + ("id",), f"人员类别 {m['id']!r} 声明了两次")
        seen.add(m["id"])
        last = i == len(members) - 1
        has_when = "when" in m or "when_any" in m
        if last and has_when:
            f.add(
                here,
                f"最后一个人员类别（{m['id']}）不能有 when/when_any：它接住前面各类都不符合的人 (must have no when)",
            )
        if not last and not has_when:
            f.add(
                here,
                f"人员类别 {m['id']!r} 没有 when/when_any，它后面的类别永远匹配不到（只有最后一类可以不设条件）",
            )


def _check_versions(f: PolicyFile, base, versions: list) -> None:
    """Oldest first. Undated ones (from: null) without applies_from come before any
    dated one; an undated one with applies_from is placed by that date."""
    prev = None
    for i, v in enumerate(versions):
        here = base + ("versions", i)
        check_date(f, here + ("from",), v["from"])
        check_date(f, here + ("applies_from",), v.get("applies_from"))
        if v["from"] is not None and "applies_from" in v:
            f.add(
                here + ("applies_from",),
                f"{dotted(here)}：applies_from 只用于来源没有给出起始日期的版本（from: null）；"
                f"这个版本已有 from: {v['from']} (applies_from needs from: null)",
            )
        start = v["from"] or v.get("applies_from")
        if v["from"] is None and not v.get("from_note"):
            f.add(here + ("from",), f"{dotted(here)}：from 是 null，但没有 from_note")
        if v.get("from_year") is not None and v["from"] is not None:
            f.add(
                here + ("from_year",),
                f"{dotted(here)}：from 已有日期，不能再写 from_year（只用于没有日期的版本）"
                " (from_year only with from: null)",
            )
        if start is None:
            if prev is not None:
                f.add(
                    here + ("from",),
                    f"{dotted(here)}：没有日期的版本（from: null，也没有 applies_from）必须排在所有有日期的版本之前；"
                    f"它排在 {prev} 之后 (must come before every dated one, or say applies_from)",
                )
        elif prev is not None and start == prev:
            f.add(here + ("from",), f"{dotted(here)}：两个版本都从 {start} 开始，互相重叠 (overlap)")
        elif prev is not None and start < prev:
            f.add(here + ("from",), f"{dotted(here)}：版本必须从旧到新排列，但 {start} 排在 {prev} 之后 (oldest first)")
        prev = start if start is not None else prev


def _check_tables(f: PolicyFile, cpath, care: dict, groups: list, facilities: list) -> None:
    """Tables keyed by member group and facility name ids the scheme declares."""
    group_set, facility_set = set(groups), set(facilities)
    for tkey in GROUP_TABLES:
        table = care.get(tkey)
        if not isinstance(table, dict) or "value" in table:  # a cap may be one figure
            continue
        for g, row in table.items():
            if g in TABLE_META:
                continue
            if g != "*" and g not in group_set:
                f.add(
                    cpath + (tkey, g),
                    f"{dotted(cpath + (tkey,))}：未知的人员类别 {g!r}（本险种的类别：{some(groups)}，或 '*'）"
                    f" (unknown member group {g!r})",
                )
            for fac in row or {}:
                if fac not in ("cite", "note", "*") and fac not in facility_set:
                    f.add(
                        cpath + (tkey, g, fac),
                        f"{dotted(cpath + (tkey, g))}：未知的医疗机构级别 {fac!r}"
                        f"（本险种的级别：{some(facilities)}，或 '*'）(unknown facility {fac!r})",
                    )


def _check_id_lists(f: PolicyFile, base, scheme: dict, groups: list) -> None:
    """`facilities:` and `groups:` lists anywhere in the scheme name declared ids."""
    facilities = list(scheme["facilities"])
    for path, node in walk(scheme, base):
        if not isinstance(node, list) or not path or path[-1] not in ("facilities", "groups"):
            continue
        known, what = (facilities, "医疗机构级别") if path[-1] == "facilities" else (groups, "人员类别")
        known_set = set(known)
        english = "facility" if path[-1] == "facilities" else "member group"
        for j, item in enumerate(node):
            if isinstance(item, str) and item not in known_set:
                f.add(
                    path + (j,),
                    f"{dotted(path)}：未知的{what} {item!r}（本险种声明的：{some(known)}）(unknown {english} {item!r})",
                )
