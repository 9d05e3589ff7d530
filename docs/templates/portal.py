"""Portal pages from the compiled policy bundle (build time only).

render(bundle, docs) writes Markdown into docs/regions/ and docs/documents/
(generated, never committed) and returns the navigation for those pages.

Every figure is written as <span class="fig" data-v="<decimal text>"> next to a
link to the clause it comes from (tests/test_portal.py checks this for every
number in every policy file). Tables are raw HTML so they can carry a
<caption> and scoped <th> headers; their links are therefore written as final
directory URLs (use_directory_urls) and checked by the tests, not by MkDocs.
"""

from __future__ import annotations

import html
import re
import shutil
from decimal import Decimal
from pathlib import Path

import jinja2

from calculator.labels import MEMBER_FLAGS

HERE = Path(__file__).resolve().parent
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
UNSTATED = "来源未规定"

CARE_KEYS = (
    "label",
    "method",
    "facilities",
    "excluded",
    "deductible",
    "class_b_share",
    "bands",
    "cap",
    "layers",
    "remote_settlement",
    "standards",
    "caveats",
)

# Labels for the data's keys; anything not listed is shown as written.
LABELS = {
    "basis": "计算口径",
    "value": "数值",
    "amount": "金额",
    "upto": "上限",
    "threshold": "起付标准",
    "fund_rate": "基金支付比例",
    "patient_rate": "个人负担比例",
    "rate": "比例",
    "cap": "最高支付限额",
    "deductible": "起付线",
    "class_b_share": "乙类先行自付比例",
    "bands": "分段支付比例",
    "layers": "基本医保之后的保障",
    "remote_settlement": "异地就医结算",
    "standards": "定额结算标准",
    "caveats": "提示",
    "kinds": "适用情形",
    "reason": "说明",
    "groups": "适用人员",
    "when": "适用条件",
    "when_any": "适用条件（满足其一）",
    "base": "计算基数",
    "items": "项目",
    "diseases": "病种",
    "valid_months": "有效期（月）",
    "valid_years": "有效期（年）",
    "days": "天数",
    "working_days": "工作日",
    "deadline_working_days": "期限（工作日）",
    "deadline_days": "期限（天）",
    "months": "月数",
    "min_years": "最短年限",
    "filing": "备案",
    "required": "是否需要备案",
    "referral": "转诊转院",
    "emergency": "急诊抢救",
    "residence": "异地长期居住",
    "who": "适用对象",
    "how": "办理方式",
    "bring": "所需材料",
    "documents": "所需材料",
    "where": "办理地点",
    "hospitals": "指定医院",
    "approval": "审批",
    "validity": "有效期",
    "note": "说明",
    "label": "名称",
    "special": "门诊特殊疾病",
    "chronic": "门诊慢性病",
    "special_diseases": "门诊特殊疾病",
    "chronic_diseases": "门诊慢性病",
    "same_province": "省内就医",
    "ratio_cut": "比例下调",
    "max_cut": "最多下调",
    "fund_rate_cut": "支付比例最多下调",
    "effective": "施行日期",
    "from": "起始日期",
    "steps": "办理步骤",
    "channels": "办理渠道",
    "settlement": "结算方式",
    "reimbursement_days": "报销时限（天）",
    "excluded": "不享受待遇的人员",
    "scope": "支付范围",
    "in_scope": "支付范围内",
    "out_of_scope": "不予支付",
    "quota": "定额",
    "cancel_wait_months": "注销等待期（月）",
    "reregister_wait_years": "再次登记等待期（年）",
    "facilities": "适用机构",
    "method": "结算方式",
    "before_costs": "须在发生费用前办理",
    "min_months_elsewhere": "在外地居住至少",
    "covered": "适用人员",
    "chosen_hospitals": "选定医院",
    "max_years": "最长有效期",
    "no_cancel_months": "登记后不能取消的期限",
    "no_reregister_months": "取消后不能重新登记的期限",
    "conditions": "急救病种",
    "otherwise": "其他病情",
    "answer_days": "答复期限",
    "stay": "在外地治疗的期限",
    "extension_before_days": "提前申请延期",
    "card": "未带医保卡住院",
    "register_days": "补办手续期限",
    "settle_days": "出院结算期限",
    "payout": "报销时限",
    "local_days": "本地费用核报",
    "remote_months": "异地费用核报",
    "rules": "其他规定",
    "categories": "人员类别",
    "common_items": "所有人都要带的材料",
    "destination": "就医地",
    "online_processing": "线上办理时限",
    "min_period_before_change": "变更或取消的最短期限",
    "local_min_period": "参保地自定的最短期限",
    "long_term": "长期异地就医",
    "temporary": "临时外出就医",
    "admission_while_valid": "备案有效期内入院",
    "counts_as_filed": "视同已备案",
    "standard": "结算标准",
    "late_filing": "补办备案",
    "before_discharge": "出院结算前补办",
    "after_payment": "全额垫付后补办",
    "no_filing": "未备案",
    "injury_no_third_party": "无第三方责任的外伤",
    "catalog": "目录",
    "benefits": "待遇标准",
    "max_points": "最多下调",
    "reaffirmed": "2024年重申",
    "local": "参保地实际下调",
    "two_way": "回参保地就医",
    "filing_required": "须先备案",
    "no_local_benefit": "参保地无相应待遇时",
    "max_months": "最长期限",
    "min_months": "最短有效期",
    "inpatient": "住院",
    "outpatient": "门诊",
    "register": "登记",
    "lists": "病种名单",
    "special_disease": "门诊特殊疾病",
    "chronic_disease": "门诊慢性病",
    "cross_province": "跨省异地就医",
    "max_days": "最长天数",
    "count": "数量",
    "nobody": "无人适用",
    "unclear_when_any": "情况不明的人员",
    "other": "其他临时外出就医",
}
METHODS = {"standard": "按比例分段支付", "fixed_standard": "按病种定额结算", "quota": "按定额结算"}
BASIS = {"admission": "每次住院", "year": "每年", "visit": "每次就诊", "case": "每例", "month": "每月"}
BASES = {
    "patient_in_policy": "基本医保报销后个人负担的政策范围内费用",
    "above_cap": "超过基本医保最高支付限额的费用",
    "annual_patient_in_policy": "全年累计个人负担的政策范围内费用",
}
FLAGS = MEMBER_FLAGS  # the engine's labels for member flags
REMOTE_KINDS = {
    "referral": "转诊转院",
    "emergency": "急诊抢救",
    "residence": "异地长期居住",
    "temporary": "其他临时外出",
}
STATUS = {"in_force": "现行有效", "superseded": "已被替代", "unknown": "状态不明"}
TOPICS = {
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
}
RATE_WORDS = ("rate", "share", "ratio", "cut", "percent")
COUNT_UNITS = (
    ("points", "个百分点"),
    ("working_days", "个工作日"),
    ("days", "天"),
    ("months", "个月"),
    ("month", "个月"),
    ("years", "年"),
    ("hours", "小时"),
    ("count", "次"),
    ("hospitals", "家"),
)


TEXT_KEYS = ("text", "detail", "summary", "text_no", "text_unclear")
SKIP_KEYS = {"cite", "note", "label", "id", "from", "from_note", "name"}
LIST_KEYS = {"items", "channels", "diseases", "hospitals", "bring", "conditions", "documents"}
CODE_KEYS = {"basis", "base"}
VALUE_KEYS = {"value", "cite", "note", "basis", "overridable", "label"}
SIMPLE_ITEM = {"id", "label", "detail", "text", "cite"}


def heading(level: int, title: str) -> str:
    return f"{'#' * level} {esc(title)}" if level <= 6 else f"**{esc(title)}**"


def esc(text) -> str:
    return html.escape(str(text), quote=True)


def label_of(key: str) -> str:
    return LABELS.get(key, key)


def is_number(value) -> bool:
    return isinstance(value, str) and bool(NUMBER.match(value))


def unit_kind(path: tuple) -> str:
    """'rate', 'money', or a count unit, guessed from the keys leading to a figure."""
    keys = [k for k in path if isinstance(k, str)]
    near = keys[-2:]
    if any(w in k for k in near for w in RATE_WORDS):
        return "rate"
    if "class_b_share" in keys:
        return "rate"
    if near and near[-1] == "count" and any("hospital" in k for k in keys):
        return "家"
    for key in reversed(near):
        for word, unit in COUNT_UNITS:
            if word in key:
                return unit
    return "money"


def fmt(value: str, kind: str) -> str:
    d = Decimal(value)
    if kind == "rate":
        pct = (d * 100).normalize()
        return f"{pct:f}%"
    if kind == "money":
        text = f"{d:,f}" if d != d.to_integral() else f"{int(d):,}"
        return f"{text} 元"
    return f"{d.normalize():f} {kind}" if kind else f"{d.normalize():f}"


def fig(value, kind: str, note: str | None = None) -> str:
    """A figure as HTML: the decimal text in data-v, unknowns as 来源未规定 with the note."""
    if value is None:
        extra = f"：{esc(note)}" if note else ""
        return f'<span class="fig unstated">{UNSTATED}{extra}</span>'
    if is_number(value):
        return f'<span class="fig" data-v="{esc(value)}">{esc(fmt(value, kind))}</span>'
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return esc("、".join(str(v) for v in value))
    return esc(value)


class Site:
    """Links between generated pages, as directory URLs relative to the page being written."""

    def __init__(self, bundle: dict):
        self.bundle = bundle
        self.docs = bundle.get("documents", {})

    @staticmethod
    def page_url(md_path: str) -> str:
        """docs-relative .md path -> site-relative directory URL."""
        stem = md_path[:-3]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[:-5]
        return stem + "/" if stem and not stem.endswith("/") else stem

    def rel(self, from_md: str, to_md: str, anchor: str = "") -> str:
        src = self.page_url(from_md).rstrip("/").split("/") if self.page_url(from_md) else []
        dst = self.page_url(to_md)
        up = "../" * len([p for p in src if p])
        return (up + dst or "./") + (f"#{anchor}" if anchor else "")

    @staticmethod
    def mdrel(from_md: str, to_md: str, anchor: str = "") -> str:
        """A Markdown link between two .md files (MkDocs checks and rewrites these)."""
        import posixpath

        path = posixpath.relpath(to_md, posixpath.dirname(from_md) or ".")
        return path + (f"#{anchor}" if anchor else "")

    def cite_link(self, cite: str | None, from_md: str) -> str:
        if not cite:
            return ""
        doc_id, _, clause = cite.partition("/")
        doc = self.docs.get(doc_id, {})
        where = doc.get("clauses", {}).get(clause, clause)
        title = where
        href = self.rel(from_md, f"documents/{doc_id}.md", clause)
        return f'<a class="cite" href="{esc(href)}" title="{esc(title)}">出处</a>'


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


def table(caption: str, head: list[str], rows: list[list[str]], row_headers: bool = True) -> str:
    """An HTML table with a caption, column headers and (optionally) row headers. No blank lines."""
    out = [f"<table><caption>{esc(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col">{h}</th>' for h in head]
    # figures and 出处 links stay out of the search index (captions and headers stay in):
    # it would otherwise grow with every table of every version
    out.append("</tr></thead><tbody data-search-exclude>")
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            if i == 0 and row_headers:
                cells.append(f'<th scope="row">{cell}</th>')
            else:
                cells.append(f"<td>{cell}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


class PolicyPage:
    """Markdown for one scheme: current rules, out-of-region rules, lists, version history."""

    def __init__(self, site: Site, policy: dict, md_path: str):
        self.site = site
        self.p = policy
        self.md = md_path
        self.facilities = policy.get("facilities", {})
        self.members = {m["id"]: m["label"] for m in policy.get("members", [])}

    def cite(self, cite):
        return self.site.cite_link(cite, self.md)

    def fac(self, key: str) -> str:
        return "各级定点机构" if key == "*" else esc(self.facilities.get(key, key))

    def grp(self, key: str, others: bool = False) -> str:
        """A member group; "*" is everyone not listed before it in the same table."""
        if key == "*":
            return "其他参保人员" if others else "所有参保人员"
        return esc(self.members.get(key, key))

    def fac_order(self, keys) -> list:
        order = list(self.facilities) + ["*"]
        return sorted(keys, key=lambda k: order.index(k) if k in order else len(order))

    # ---- group x facility tables (deductible, class-B share) ----
    def matrix(self, caption: str, spec: dict, kind: str) -> str:
        groups = [g for g, v in spec.items() if isinstance(v, dict)]
        facs = self.fac_order({f for g in groups for f in spec[g] if f not in ("cite", "note")})
        rows, notes = [], []
        for g in groups:
            cell = spec[g]
            row = [self.grp(g, len(groups) > 1)]
            for f in facs:
                row.append(fig(cell[f], kind) if f in cell else "—")
            row.append(self.cite(cell.get("cite")) or "—")
            rows.append(row)
            if cell.get("note"):
                unknown = any(cell.get(f) is None for f in facs if f in cell)
                notes.append(f"{UNSTATED if unknown else '说明'}：{esc(cell['note'])}")
        head = ["人员类别"] + [self.fac(f) for f in facs] + ["出处"]
        basis = spec.get("basis")
        if basis:
            caption = f"{caption}（{BASIS.get(basis, basis)}）"
        return "\n\n".join([table(caption, head, rows)] + notes)

    # ---- bands ----
    @staticmethod
    def segment_label(lower, upper) -> str:
        lo = fig(lower, "money") if lower else ""
        if upper is None:
            return f"{lo}以上" if lo else "全部费用"
        up = fig(upper, "money")
        return f"{lo}至{up}" if lo else f"{up}及以下"

    @staticmethod
    def band_value(band: dict) -> str:
        if "patient_rate" in band and band["patient_rate"] is not None:
            return "个人负担 " + fig(band["patient_rate"], "rate")
        if band.get("fund_rate") is not None:
            return "基金支付 " + fig(band["fund_rate"], "rate")
        return fig(None, "rate", band.get("note"))

    def band_list(self, caption: str, bands: list) -> str:
        rows, lower = [], None
        for band in bands:
            rows.append(
                [self.segment_label(lower, band.get("upto")), self.band_value(band), self.cite(band.get("cite")) or "—"]
            )
            lower = band.get("upto")
        return table(caption, ["费用段", "支付比例", "出处"], rows)

    def bands(self, caption: str, spec: dict) -> str:
        parts = []
        basis = spec.get("basis")
        if basis == "year":
            caption += "（按全年累计费用分段）"
        for g, by_fac in spec.items():
            if not isinstance(by_fac, dict):
                continue
            facs = self.fac_order(list(by_fac))
            cap = f"{caption}：{self.grp(g, len(spec) > 2)}"
            bounds = {tuple(b.get("upto") for b in by_fac[f]) for f in facs}
            if len(bounds) == 1 and len(facs) > 1:
                # the same segments everywhere: one row per segment, one column per facility
                rows, lower = [], None
                for i, upto in enumerate(next(iter(bounds))):
                    row = [self.segment_label(lower, upto)]
                    cites = []
                    for f in facs:
                        band = by_fac[f][i]
                        row.append(self.band_value(band))
                        link = self.cite(band.get("cite"))
                        if link and link not in cites:
                            cites.append(link)
                    row.append(" ".join(cites) or "—")
                    rows.append(row)
                    lower = upto
                parts.append(table(cap, ["费用段"] + [self.fac(f) for f in facs] + ["出处"], rows))
            else:
                for f in facs:
                    parts.append(self.band_list(f"{cap}，{self.fac(f)}", by_fac[f]))
        return "\n\n".join(parts)

    # ---- single figures ----
    def single(self, caption: str, spec: dict, kind: str = "money") -> str:
        rows = []
        basis = spec.get("basis")
        rows.append(
            [
                caption,
                fig(spec.get("value"), kind, spec.get("note")) + (f"（{BASIS.get(basis, basis)}）" if basis else ""),
                self.cite(spec.get("cite")) or "—",
            ]
        )
        return table(caption, ["项目", "规定", "出处"], rows)

    def layers(self, layers: list, level: int) -> str:
        parts = []
        for layer in layers:
            name = esc(layer.get("label", layer.get("id", "")))
            lines = [heading(level, layer.get("label", layer.get("id", ""))), ""]
            who = self.who(layer)
            if who:
                lines += [f"适用人员：{who}。", ""]
            if layer.get("base"):
                lines += [f"计算基数：{esc(BASES.get(layer['base'], layer['base']))}。", ""]
            rows = []
            if "threshold" in layer:
                t = layer["threshold"]
                extra = "（可由使用者按实际情况填写）" if t.get("overridable") else ""
                rows.append(
                    ["起付标准", fig(t.get("value"), "money", t.get("note")) + extra, self.cite(t.get("cite")) or "—"]
                )
            if "cap" in layer:
                c = layer["cap"]
                rows.append(
                    ["年度最高支付", fig(c.get("value"), "money", c.get("note")), self.cite(c.get("cite")) or "—"]
                )
            if rows:
                lines += [table(f"{name}：起付与封顶", ["项目", "规定", "出处"], rows), ""]
            if layer.get("bands"):
                lines += [self.band_list(f"{name}：支付比例", layer["bands"]), ""]
            rest = {
                k: v
                for k, v in layer.items()
                if k not in ("id", "label", "when", "when_any", "groups", "base", "threshold", "cap", "bands")
            }
            if rest:
                lines += [self.generic(rest, f"{name}：其他规定", ("layers",), level + 1), ""]
            parts.append("\n".join(lines))
        return "\n".join(parts)

    def who(self, spec: dict) -> str:
        bits = []
        if spec.get("groups"):
            bits.append("、".join(self.grp(g) for g in spec["groups"]))
        if spec.get("when"):
            bits.append("且".join(esc(FLAGS.get(f, f)) for f in spec["when"]))
        if spec.get("when_any"):
            bits.append("或".join(esc(FLAGS.get(f, f)) for f in spec["when_any"]))
        return "；".join(bits)

    def standards(self, caption: str, spec: dict) -> str:
        rows = []
        for item_id, item in spec.items():
            if not isinstance(item, dict):
                continue
            extra = {k: v for k, v in item.items() if k not in ("label", "amount", "cite", "note")}
            cell = fig(item.get("amount"), "money", item.get("note"))
            for k, v in extra.items():
                if isinstance(v, (str, type(None))) or is_number(v):
                    cell += f"；{esc(label_of(k))}：{fig(v, unit_kind((k,)), item.get('note'))}"
            rows.append([esc(item.get("label", item_id)), cell, self.cite(item.get("cite")) or "—"])
        return table(caption, ["项目", "定额标准", "出处"], rows)

    # ---- anything else: prose, figure tables and lists, nested mappings as sub-sections ----
    def generic(self, obj, caption: str, path: tuple = (), level: int = 3) -> str:
        if isinstance(obj, list):
            return self.generic_list(obj, caption, path, level)
        if not isinstance(obj, dict):
            return fig(obj, unit_kind(path))
        cite = self.cite(obj.get("cite"))
        out, rows, nested = [], [], []
        for key in TEXT_KEYS:
            if isinstance(obj.get(key), str):
                out.append(f"{esc(obj[key])} {cite}".rstrip())
        if obj.get("from") or obj.get("from_note"):
            when = f"自 {obj['from']} 起" if obj.get("from") else "起始日期未载明"
            out.append(when + (f"（{esc(obj['from_note'])}）" if obj.get("from_note") else ""))
        for key, value in obj.items():
            if key in SKIP_KEYS or key in TEXT_KEYS:
                continue
            kp = path + (key,)
            if key in LIST_KEYS and (
                isinstance(value, list)
                and all(isinstance(v, str) for v in value)
                or isinstance(value, dict)
                and all(isinstance(v, str) for v in value.values())
            ):
                items = value.values() if isinstance(value, dict) else value
                head = f"{esc(label_of(key))}：" if key not in ("items",) else ""
                out.append(head + (cite if head and cite else ""))
                out.append("\n".join(f"- {esc(v)}" for v in items) or "- 无")
                if not head and cite and not any(isinstance(obj.get(k), str) for k in TEXT_KEYS):
                    out.append(f"依据：{cite}")
                continue
            if isinstance(value, dict) and "value" in value and set(value) <= VALUE_KEYS:
                rows.append(
                    [
                        esc(value.get("label") or label_of(key)),
                        self.value_text("value", value["value"], kp + ("value",), value.get("note"))
                        + (f"（{BASIS.get(value['basis'], value['basis'])}）" if value.get("basis") else ""),
                        self.cite(value.get("cite")) or cite or "—",
                    ]
                )
                continue
            if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
                nested.append((key, value))
                continue
            if isinstance(value, str) and not is_number(value) and key not in CODE_KEYS:
                if value.isascii():
                    continue  # machine hints (method, follows, group): the text says it in words
                out.append(f"{esc(label_of(key))}：{esc(value)} {cite}".rstrip())
                continue
            rows.append([esc(label_of(key)), self.value_text(key, value, kp, obj.get("note")), cite or "—"])
        if rows:
            out.append(table(caption, ["项目", "规定", "出处"], rows))
        if obj.get("note") and not any(r for r in rows if UNSTATED in r[1]):
            out.append(f"说明：{esc(obj['note'])}")
        for key, value in nested:
            title = (
                value.get("label") if isinstance(value, dict) and isinstance(value.get("label"), str) else label_of(key)
            )
            body = self.generic(value, f"{caption}：{title}", path + (key,), level + 1)
            if body.strip():
                out.append(heading(level, title) + "\n\n" + body)
        return "\n\n".join(o for o in out if o)

    def value_text(self, key, value, kp, note) -> str:
        if key == "kinds" and isinstance(value, list):
            return esc("、".join(REMOTE_KINDS.get(v, v) for v in value))
        if key in ("when", "when_any", "unclear_when_any") and isinstance(value, list):
            return esc("、".join(FLAGS.get(v, v) for v in value)) or "无"
        if key == "groups" and isinstance(value, list):
            return "、".join(self.grp(v) for v in value)
        if key == "facilities" and isinstance(value, list):
            return "、".join(self.fac(v) for v in value)
        if key == "basis":
            return esc(BASIS.get(value, value))
        if key == "base":
            return esc(BASES.get(value, value))
        if isinstance(value, list):
            return "、".join(fig(v, unit_kind(kp)) for v in value) or "无"
        return fig(value, unit_kind(kp), note)

    def generic_list(self, items: list, caption: str, path: tuple, level: int) -> str:
        if all(not isinstance(v, (dict, list)) for v in items):
            return "\n".join(f"- {fig(v, unit_kind(path))}" for v in items)
        simple = all(isinstance(v, dict) and set(v) <= SIMPLE_ITEM for v in items)
        if simple:
            lines = []
            for i, v in enumerate(items, 1):
                lead = f"**{esc(v['label'])}**：" if v.get("label") else ""
                text = esc(v.get("detail") or v.get("text") or "")
                mark = f"{i}." if path and path[-1] == "steps" else "-"
                lines.append(f"{mark} {lead}{text} {self.cite(v.get('cite'))}".rstrip())
            return "\n".join(lines)
        out = []
        for i, v in enumerate(items, 1):
            if isinstance(v, dict):
                title = (
                    v.get("label")
                    or v.get("name")
                    or ((f"自 {v['from']} 起" if v.get("from") else "起始日期未载明") if "from" in v else f"第 {i} 项")
                )
            else:
                title = f"第 {i} 项"
            out.append(heading(level, title) + "\n\n" + self.generic(v, f"{caption}：{title}", path + (i,), level + 1))
        return "\n\n".join(out)

    # ---- one kind of care ----
    def care(self, care_id: str, spec: dict, level: int = 3) -> str:
        h = "#" * level
        name = esc(spec.get("label") or care_id)
        lines = [f"{h} {name}", ""]
        if spec.get("method"):
            lines += [f"结算方式：{esc(METHODS.get(spec['method'], spec['method']))}。", ""]
        if spec.get("facilities"):
            lines += ["适用机构：" + "、".join(self.fac(f) for f in spec["facilities"]) + "。", ""]
        if spec.get("excluded"):
            ex = spec["excluded"]
            groups = "、".join(self.grp(g) for g in ex.get("groups", []))
            reason = f"（{esc(ex['reason'])}）" if ex.get("reason") else ""
            lines += [f"不享受此项待遇：{groups}{reason} {self.cite(ex.get('cite'))}", ""]
        if spec.get("deductible"):
            lines += [self.matrix(f"{name}起付线", spec["deductible"], "money"), ""]
        if spec.get("class_b_share"):
            lines += [self.matrix(f"{name}乙类药品和项目先行自付比例", spec["class_b_share"], "rate"), ""]
        if spec.get("bands"):
            lines += [self.bands(f"{name}统筹基金支付比例", spec["bands"]), ""]
        if spec.get("cap"):
            cap = spec["cap"]
            if "value" in cap or not any(isinstance(v, dict) for v in cap.values()):
                lines += [self.single(f"{name}统筹基金最高支付限额", cap), ""]
            else:
                lines += [self.matrix(f"{name}统筹基金最高支付限额", cap, "money"), ""]
        if spec.get("standards"):
            lines += [self.standards(f"{name}定额标准", spec["standards"]), ""]
        if spec.get("remote_settlement"):
            rs = spec["remote_settlement"]
            lines += [
                f"{h}# {name}：经审批或登记的异地就医结算",
                "",
                self.generic(rs, f"{name}：异地就医结算", (care_id, "remote_settlement"), level + 2),
                "",
            ]
        if spec.get("layers"):
            lines += [f"{h}# {name}：基本医保之后的保障", "", self.layers(spec["layers"], level + 2), ""]
        rest = {k: v for k, v in spec.items() if k not in CARE_KEYS}
        if rest:
            lines += [self.generic(rest, f"{name}：其他规定", (care_id,), level + 1), ""]
        if spec.get("caveats"):
            lines += ['!!! note "提示"', ""] + [f"    - {esc(c)}" for c in spec["caveats"]] + [""]
        return "\n".join(lines)

    def cares(self, care: dict, level: int = 3, full: dict | None = None) -> str:
        """Rules for each kind of care; `full` (the merged care) names the kinds a partial change omits."""
        out = []
        for cid, spec in care.items():
            if isinstance(spec, dict):
                if "label" not in spec:
                    spec = {"label": ((full or {}).get(cid) or {}).get("label") or label_of(cid), **spec}
                out.append(self.care(cid, spec, level))
        return "\n".join(out)


def version_title(v: dict) -> str:
    return f"{v['from']} 起" if v.get("from") else "起始日期未载明"


# --------------------------------------------------------------------------
# Reverse index: which figures cite each clause
# --------------------------------------------------------------------------


def citations(bundle: dict) -> dict:
    """doc-id -> clause-id -> [(policy id, where-label)], from every version's changes, remote, lists."""
    out: dict = {}

    def walk(obj, pid, where):
        if isinstance(obj, dict):
            c = obj.get("cite")
            if isinstance(c, str) and "/" in c:
                d, _, cl = c.partition("/")
                lst = out.setdefault(d, {}).setdefault(cl, [])
                if (pid, where) not in lst:
                    lst.append((pid, where))
            for k, v in obj.items():
                if k != "cite":
                    walk(v, pid, where)
        elif isinstance(obj, list):
            for v in obj:
                walk(v, pid, where)

    for pid, pol in bundle.get("policies", {}).items():
        for v in pol.get("versions", []):
            for cid, care in (v.get("changes") or {}).items():
                label = care.get("label", cid) if isinstance(care, dict) else cid
                walk(care, pid, f"{label}（{version_title(v)}）")
        if pol.get("remote"):
            walk(pol["remote"], pid, "异地就医规定")
        if pol.get("lists"):
            walk(pol["lists"], pid, "病种目录")
    if bundle.get("national"):
        walk(bundle["national"], "national", "全国跨省异地就医规则")
    return out


# --------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE)),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["e"] = esc
    env.globals.update(STATUS=STATUS, TOPICS=TOPICS, version_title=version_title)
    return env


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def render(bundle: dict, docs: Path) -> dict:
    """Write the generated pages under docs/; return their navigation (for the generated mkdocs config)."""
    env = _env()
    site = Site(bundle)
    for sub in ("regions", "documents"):
        shutil.rmtree(docs / sub, ignore_errors=True)
    documents = bundle.get("documents", {})
    regions = bundle.get("regions", {})
    policies = bundle.get("policies", {})
    cited = citations(bundle)
    policy_md = {pid: f"regions/{p['region']}/{p['scheme']}.md" for pid, p in policies.items()}

    t_scheme = env.get_template("scheme.md.j2")
    t_region = env.get_template("region.md.j2")
    t_doc = env.get_template("document.md.j2")

    nav_regions: dict = {}
    for rid, region in regions.items():
        md = f"regions/{rid}/index.md"
        schemes = [policies[pid] for pid in region.get("policies", []) if pid in policies]
        docs_here = [d for d in documents.values() if d.get("region") == rid]
        docs_here.sort(key=lambda d: d.get("date") or "")
        _write(
            docs / md,
            t_region.render(
                region=region,
                schemes=schemes,
                docs=docs_here,
                calc=site.rel(md, "calculator/index.md"),
                link=lambda to, anchor="", _md=md: site.mdrel(_md, to, anchor),
                policy_md=policy_md,
            ),
        )
        entries = [{region["name"] + "概览": md}]
        for pol in schemes:
            pmd = policy_md[pol["id"]]
            page = PolicyPage(site, pol, pmd)
            versions = pol.get("versions", [])
            _write(
                docs / pmd,
                t_scheme.render(
                    p=pol,
                    page=page,
                    current=versions[-1] if versions else None,
                    versions=versions,
                    region_url=site.mdrel(pmd, md),
                    calc=site.rel(pmd, "calculator/index.md"),
                    national=site.mdrel(pmd, "regions/national.md") if bundle.get("national") else None,
                    docs=[documents[d] for d in _docs_of(pol) if d in documents],
                    doc_link=lambda d, _md=pmd: site.mdrel(_md, f"documents/{d}.md"),
                ),
            )
            entries.append({pol["name"]: pmd})
        nav_regions.setdefault(region.get("province") or "其他", []).append({region["name"]: entries})

    if bundle.get("national"):
        md = "regions/national.md"
        page = PolicyPage(site, {"facilities": {}, "members": []}, md)
        _write(
            docs / md,
            env.get_template("national.md.j2").render(
                national=bundle["national"],
                page=page,
                docs=[d for d in documents.values() if d.get("region") == "national"],
                doc_link=lambda d, _md=md: site.mdrel(_md, f"documents/{d}.md"),
            ),
        )

    for doc_id, doc in documents.items():
        md = f"documents/{doc_id}.md"
        refs = cited.get(doc_id, {})
        users = sorted({pid for lst in refs.values() for pid, _ in lst})
        _write(
            docs / md,
            t_doc.render(
                d=doc,
                region=regions.get(doc.get("region"), {}),
                refs=refs,
                users=users,
                policies=policies,
                plink=lambda pid, _md=md: (
                    site.rel(_md, policy_md[pid]) if pid in policy_md else site.rel(_md, "regions/national.md")
                ),
                mplink=lambda pid, _md=md: site.mdrel(_md, policy_md.get(pid, "regions/national.md")),
                dlink=lambda d, _md=md: site.rel(_md, f"documents/{d}.md"),
                rlink=lambda r, _md=md: site.rel(_md, f"regions/{r}/index.md"),
            ),
        )

    by_region: dict = {}
    for doc in documents.values():
        by_region.setdefault(doc.get("region") or "national", []).append(doc)
    by_topic: dict = {}
    for doc in documents.values():
        for t in doc.get("topics") or []:
            by_topic.setdefault(t, []).append(doc)
    by_date = sorted(documents.values(), key=lambda d: (d.get("date") or "9999", d["id"]))
    md = "documents/index.md"
    _write(
        docs / md,
        env.get_template("documents.md.j2").render(
            by_region=by_region,
            by_topic=by_topic,
            by_date=by_date,
            regions=regions,
            dlink=lambda d: site.rel(md, f"documents/{d}.md"),
        ),
    )

    provinces: dict = {}
    for rid, region in regions.items():
        provinces.setdefault(region.get("province") or "其他", []).append(region)
    md = "regions/index.md"
    _write(
        docs / md,
        env.get_template("regions.md.j2").render(
            provinces=provinces,
            policies=policies,
            national=bool(bundle.get("national")),
            link=lambda to: site.rel(md, to),
            mlink=lambda to: site.mdrel(md, to),
            policy_md=policy_md,
        ),
    )
    # the home page includes this list of cards (pymdownx.snippets)
    _write(
        docs / "regions" / "_cards.md",
        env.get_template("cards.md.j2").render(
            provinces=provinces, policies=policies, link=lambda to: site.rel("index.md", to), policy_md=policy_md
        ),
    )

    _write(docs / "regions" / "_example.md", worked_example(bundle, site))

    nav = [
        {
            "各地政策": ["regions/index.md"]
            + ([{"全国跨省异地就医规则": "regions/national.md"}] if bundle.get("national") else [])
            + [{prov: items} for prov, items in nav_regions.items()]
        },
        {
            "政策文件": ["documents/index.md"]
            + [
                {
                    (regions.get(r, {}).get("name") or "国家"): [
                        f"documents/{d['id']}.md" for d in sorted(ds, key=lambda x: x.get("date") or "")
                    ]
                }
                for r, ds in by_region.items()
            ]
        },
    ]
    import json

    _write(docs / NAV_FILE, json.dumps({"nav": nav}, ensure_ascii=False))
    return {"nav": nav}


EXAMPLE = {
    "policy": "changchun-employee",
    "facility": "provincial",
    "total": "20000",
    "class_b": "2000",
    "self_pay": "1000",
}


def worked_example(bundle: dict, site: Site) -> str:
    """The 甲/乙/丙 guide's example bill, worked out by the estimator itself (one source of truth)."""
    import calculator

    calculator.load_bundle(bundle)
    request = {
        "policy": EXAMPLE["policy"],
        "care": "inpatient",
        "facility": EXAMPLE["facility"],
        "date": bundle["policies"][EXAMPLE["policy"]]["versions"][-1]["from"],
        "costs": {k: EXAMPLE[k] for k in ("total", "class_b", "self_pay")},
    }
    try:
        result = calculator.estimate(request)
    except calculator.InputError:
        return "（示例所需的长春市职工医保数据暂缺。）\n"
    md = "guides/drug-classes.md"
    y = lambda amount: f"{Decimal(amount):,.2f} 元"
    lines = ["| 步骤 | 说明 | 计算 | 依据 | 金额 |", "| --- | --- | --- | --- | ---: |"]
    for number, step in enumerate(result["steps"], 1):
        source = step["source"]
        link = (
            ("[出处](" + site.mdrel(md, f"documents/{source['document']}.md", source["cite"].partition("/")[2]) + ")")
            if source
            else "—"
        )
        lines.append(f"| {number} | {step['label']} | {step['detail']} | {link} | {y(step['amount'])} |")
    lines += [
        "",
        f"合计：医保统筹基金支付 **{y(result['fund_pays'])}**，个人支付 **{y(result['patient_pays'])}**，"
        f"两者相加正好是总费用 {y(result['total'])}。",
        "",
    ]
    return "\n".join(lines)


def _docs_of(policy: dict) -> list:
    """Documents a policy cites, in order of first citation."""
    seen: list = []

    def walk(obj):
        if isinstance(obj, dict):
            c = obj.get("cite")
            if isinstance(c, str):
                d = c.partition("/")[0]
                if d not in seen:
                    seen.append(d)
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)

    for v in policy.get("versions", []):
        walk(v.get("changes"))
    walk(policy.get("remote"))
    walk(policy.get("lists"))
    return seen


# --------------------------------------------------------------------------
# MkDocs: the generated navigation, and search in traditional characters
# --------------------------------------------------------------------------

NAV_FILE = "regions/.nav.json"  # dot-files are never part of the site


def load_config(path: Path) -> dict:
    """mkdocs.yml as data; python tags (the toc slugify function) are read as None."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=Loader)


def write_config(root: Path) -> Path:
    """A config that inherits mkdocs.yml and adds the generated pages to the nested navigation."""
    import json


    base = load_config(root / "mkdocs.yml")
    docs = root / "docs"
    gen = json.loads((docs / NAV_FILE).read_text(encoding="utf-8")) if (docs / NAV_FILE).exists() else {}
    expand = {k: v for entry in gen.get("nav", []) for k, v in entry.items()}
    nav = []
    for entry in base.get("nav", []):
        ((title, target),) = entry.items()
        if title in expand:
            nav.append({title: expand[title]})
        else:
            nav.append(entry)
        if title == "首页" and (docs / "calculator" / "index.md").exists():
            nav.append({"医保费用计算器": "calculator/index.md"})
    # paths in mkdocs.yml are relative to it; this file lives elsewhere
    config = {
        "INHERIT": str((root / "mkdocs.yml").resolve()),
        "nav": nav,
        "theme": {"custom_dir": str((root / base["theme"]["custom_dir"]).resolve())},
        "hooks": [str((root / h).resolve()) for h in base.get("hooks", [])],
        "docs_dir": str(docs.resolve()),
        "site_dir": str((root / "site").resolve()),
    }
    path = root / ".cache" / "mkdocs.generated.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def add_traditional_search(site: Path) -> None:
    """site/assets/javascripts/workers/t2s.js: traditional -> simplified for the characters the index uses
    (and the index itself rewritten in UTF-8).

    The search worker (docs/assets/javascripts/workers/search-zh.js) simplifies
    each query with it, so a query in traditional characters (起付線, 異地就醫)
    finds exactly the pages its simplified form finds.
    """
    import json

    import opencc

    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    # MkDocs writes \uXXXX escapes (6 bytes a character); UTF-8 halves the download
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    used = {c for doc in index["docs"] for c in doc.get("title", "") + doc.get("text", "") if "\u3400" <= c <= "\u9fff"}
    to_simple = opencc.OpenCC("t2s")
    variants = [opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk")]
    pairs = {}
    for c in sorted(used):
        for conv in variants:
            t = conv.convert(c)
            if len(t) == 1 and t != c and to_simple.convert(t) == c:
                pairs[t] = c
    text = "".join(t + s for t, s in sorted(pairs.items()))
    out = site / "assets" / "javascripts" / "workers" / "t2s.js"
    out.write_text(
        "// generated by build.py from OpenCC: traditional, simplified pairs\n"
        f"self.T2S = {json.dumps(text, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
