"""Markdown for one scheme's rules: tables of figures, each next to the link to its clause."""

from __future__ import annotations

from calculator.dating import rules_from
from vocabulary import ENUMS, MEMBER_FLAGS

from .figures import esc, fig, heading, is_number, paren
from .labels import UNSTATED, child, enum_label, key_word, shape, unit_kind, word
from .tables import table

TEXT_KEYS = ("text", "detail", "summary", "text_no", "text_unclear")
SKIP_KEYS = {"cite", "note", "label", "id", "from", "from_note", "name"}
VALUE_KEYS = {"value", "cite", "note", "basis", "basis_note", "overridable", "label"}
SIMPLE_ITEM = {"id", "label", "detail", "text", "cite"}
# The keys of a care that care() shows in its own way; the rest are shown by generic().
CARE_KEYS = ("label", "method", "facilities", "excluded", "deductible", "class_b_share", "bands", "cap")
CARE_KEYS += ("layers", "remote_settlement", "standards", "caveats", "next")
LAYER_KEYS = ("id", "label", "when", "when_any", "groups", "base", "threshold", "cap", "bands")


def basis_words(spec: dict) -> str:
    """（每年）, or that the source leaves per year or per stay open (basis: null, with its note)."""
    if "basis" in spec and spec["basis"] is None:
        note = (spec.get("basis_note") or "").rstrip("。")
        return f"（按年度还是按次：{UNSTATED}" + (f"。{esc(note)}" if note else "") + "）"
    return f"（{ENUMS['basis'][spec['basis']]}）" if spec.get("basis") in ENUMS["basis"] else ""


def _plain(node: dict | None) -> bool:
    """A list (or an id -> name table) of names: shown as a bulleted list."""
    return bool(node) and node["is"] in ("list", "table") and node["of"]["is"] == "text"


def version_title(v: dict) -> str:
    """A version named as every result names its rules' date (calculator/dating.py), and where
    the estimate starts using an undated one."""
    placed = f"，本站自 {v['applies_from']} 起按这一版本估算" if v.get("applies_from") and not v.get("from") else ""
    return rules_from(v) + placed


class PolicyPage:
    """Markdown for one scheme: current rules, out-of-region rules, lists, version history."""

    def __init__(self, site, policy: dict, md_path: str):
        self.site = site
        self.p = policy
        self.md = md_path
        self.facilities = policy.get("facilities", {})
        self.members = {m["id"]: m["label"] for m in policy.get("members", [])}
        self.tables_are = "见下文表格"  # where a table that does not fit a line is: a guide says 见险种页面

    def cite(self, cite):
        return self.site.cite_link(cite, self.md)

    def fac(self, key: str) -> str:
        return "各级定点机构" if key == "*" else esc(self.facilities.get(key) or "其他定点机构")

    def grp(self, key: str, others: bool = False) -> str:
        """A member group; "*" is everyone not listed before it in the same table."""
        if key == "*":
            return "其他参保人员" if others else "所有参保人员"
        return esc(self.members.get(key) or MEMBER_FLAGS.get(key) or "其他参保人员")

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
        head = [word("scheme", "members")] + [self.fac(f) for f in facs] + ["出处"]
        return "\n\n".join([table(caption + basis_words(spec), head, rows)] + notes)

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
        return table(caption, ["费用段", word("layer", "bands"), "出处"], rows)

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
        rows.append(
            [
                caption,
                fig(spec.get("value"), kind, spec.get("note")) + basis_words(spec),
                self.cite(spec.get("cite")) or "—",
            ]
        )
        return table(caption, ["项目", "规定", "出处"], rows)

    def layers(self, layers: list, level: int) -> str:
        parts = []
        for layer in layers:
            title = layer.get("label") or word("care", "layers")
            name = esc(title)
            lines = [heading(level, title), ""]
            who = self.who(layer)
            if who:
                lines += [f"适用人员：{who}。", ""]
            if layer.get("base"):
                lines += [f"{word('layer', 'base')}：{esc(enum_label('layer_base', layer['base']))}。", ""]
            rows = []
            if "threshold" in layer:
                t = layer["threshold"]
                extra = "（可由使用者按实际情况填写）" if t.get("overridable") else ""
                figure = fig(t.get("value"), "money", t.get("note")) + extra
                rows.append([word("layer", "threshold"), figure, self.cite(t.get("cite")) or "—"])
            if "cap" in layer:
                c = layer["cap"]
                figure = fig(c.get("value"), "money", c.get("note")) + basis_words(c)
                rows.append([word("layer", "cap"), figure, self.cite(c.get("cite")) or "—"])
            if rows:
                lines += [table(f"{name}：起付与封顶", ["项目", "规定", "出处"], rows), ""]
            if layer.get("bands"):
                lines += [self.band_list(f"{name}：{word('layer', 'bands')}", layer["bands"]), ""]
            rest = {k: v for k, v in layer.items() if k not in LAYER_KEYS}
            if rest:
                lines += [self.generic(rest, f"{name}：其他规定", "layer", level + 1), ""]
            parts.append("\n".join(lines))
        return "\n".join(parts)

    def who(self, spec: dict) -> str:
        bits = []
        if spec.get("groups"):
            bits.append("、".join(self.grp(g) for g in spec["groups"]))
        if spec.get("when"):
            bits.append("且".join(esc(enum_label("member_flag", f)) for f in spec["when"]))
        if spec.get("when_any"):
            bits.append("或".join(esc(enum_label("member_flag", f)) for f in spec["when_any"]))
        return "；".join(bits)

    def standards(self, caption: str, spec: dict) -> str:
        rows = []
        for item_id, item in spec.items():
            if not isinstance(item, dict):
                continue
            cell = fig(item.get("amount"), "money", item.get("note"))
            rows.append([esc(item.get("label", item_id)), cell, self.cite(item.get("cite")) or "—"])
        return table(caption, ["项目", word("care", "standards"), "出处"], rows)

    # ---- anything else: prose, figure tables and lists, nested mappings as sub-sections ----
    def generic(self, obj, caption: str, node: dict | str | None = None, level: int = 3) -> str:
        """`node`: the shape of `obj` in the vocabulary (or its name), which words every key."""
        node = shape(node) if isinstance(node, str) else node
        if isinstance(obj, list):
            return self.generic_list(obj, caption, node, level)
        if not isinstance(obj, dict):
            return fig(obj, unit_kind(node))
        cite = self.cite(obj.get("cite"))
        out, rows, nested = [], [], []
        for key in TEXT_KEYS:
            if isinstance(obj.get(key), str):
                out.append(f"{esc(obj[key])} {cite}".rstrip())
        if obj.get("from") or obj.get("from_note"):
            when = f"自 {obj['from']} 起" if obj.get("from") else "起始日期未载明"
            out.append(when + (esc(paren(obj["from_note"])) if obj.get("from_note") else ""))
        for key, value in obj.items():
            if key not in SKIP_KEYS and key not in TEXT_KEYS:
                self._generic_entry(obj, key, value, node, cite, out, rows, nested)
        if rows:
            out.append(table(caption, ["项目", "规定", "出处"], rows))
        if obj.get("note") and not any(r for r in rows if UNSTATED in r[1]):
            out.append(f"说明：{esc(obj['note'])}")
        for key, value in nested:
            title = (
                value.get("label")
                if isinstance(value, dict) and isinstance(value.get("label"), str)
                else key_word(node, key)
            )
            body = self.generic(value, f"{caption}：{title}", child(node, key, value), level + 1)
            if body.strip():
                out.append(heading(level, title) + "\n\n" + body)
        return "\n\n".join(o for o in out if o)

    def _generic_entry(self, obj, key, value, node, cite, out, rows, nested) -> None:
        """One entry of a mapping: a list, a row of the figure table, a sub-section, or a line of text."""
        here = child(node, key, value)
        if _plain(here):
            items = value.values() if isinstance(value, dict) else value
            head = f"{esc(key_word(node, key))}：" if key != "items" else ""
            out.append(head + (cite if head and cite else ""))
            out.append("\n".join(f"- {esc(v)}" for v in items) or "- 无")
            if not head and cite and not any(isinstance(obj.get(k), str) for k in TEXT_KEYS):
                out.append(f"依据：{cite}")
        elif isinstance(value, dict) and "value" in value and set(value) <= VALUE_KEYS:
            basis = basis_words(value)
            rows.append(
                [
                    esc(value.get("label") or key_word(node, key)),
                    self.value_text(value["value"], child(here, "value", value["value"]), value.get("note")) + basis,
                    self.cite(value.get("cite")) or cite or "—",
                ]
            )
        elif isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict) for v in value)):
            nested.append((key, value))
        elif isinstance(value, str) and not is_number(value) and (here or {}).get("is") != "enum":
            # an enumeration (method, follows, group) is said by the text beside it
            out.append(f"{esc(key_word(node, key))}：{esc(value)} {cite}".rstrip())
        elif (here or {}).get("is") != "enum" or key == "basis":
            rows.append([esc(key_word(node, key)), self.value_text(value, here, obj.get("note")), cite or "—"])

    def value_text(self, value, node: dict | None, note) -> str:
        """A value in words, as its shape says: an enumeration's labels, declared groups or
        facilities by name, a figure with its unit."""
        node = node or {}
        item = node.get("of") if node.get("is") == "list" else None
        if isinstance(value, list) and item and item.get("is") == "enum":
            return esc("、".join(enum_label(item["enum"], v) for v in value)) or "无"
        if isinstance(value, list) and node.get("ids_of"):
            name = self.grp if node["ids_of"] == "group" else self.fac
            return "、".join(name(v) for v in value)
        if node.get("is") == "enum":
            return esc(enum_label(node["enum"], value))
        if isinstance(value, list):
            return "、".join(fig(v, unit_kind(item)) for v in value) or "无"
        return fig(value, unit_kind(node), note)

    def generic_list(self, items: list, caption: str, node: dict | None, level: int) -> str:
        item_node = child(node, 0)
        if all(not isinstance(v, (dict, list)) for v in items):
            return "\n".join(f"- {fig(v, unit_kind(item_node))}" for v in items)
        simple = all(isinstance(v, dict) and set(v) <= SIMPLE_ITEM for v in items)
        if simple:
            lines = []
            for i, v in enumerate(items, 1):
                lead = f"**{esc(v['label'])}**：" if v.get("label") else ""
                text = esc(v.get("detail") or v.get("text") or "")
                mark = f"{i}." if (node or {}).get("ordered") else "-"
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
            out.append(heading(level, title) + "\n\n" + self.generic(v, f"{caption}：{title}", item_node, level + 1))
        return "\n\n".join(out)

    # ---- one kind of care ----
    def care(self, care_id: str, spec: dict, level: int = 3) -> str:
        h = "#" * level
        name = esc(spec.get("label") or care_id)
        lines = [f"{h} {name}", ""]
        if spec.get("method"):
            lines += [f"{word('care', 'method')}：{esc(enum_label('method', spec['method']))}。", ""]
        if spec.get("facilities"):
            lines += [f"{word('care', 'facilities')}：" + "、".join(self.fac(f) for f in spec["facilities"]) + "。", ""]
        if spec.get("excluded"):
            ex = spec["excluded"]
            groups = "、".join(self.grp(g) for g in ex.get("groups", []))
            reason = esc(paren(ex["reason"])) if ex.get("reason") else ""
            lines += [f"不享受此项待遇：{groups}{reason} {self.cite(ex.get('cite'))}", ""]
        lines += self.care_tables(name, spec)
        if spec.get("remote_settlement"):
            rs = spec["remote_settlement"]
            lines += [
                f"{h}# {name}：{word('care', 'remote_settlement')}",
                "",
                self.generic(rs, f"{name}：{word('care', 'remote_settlement')}", "remote_settlement", level + 2),
                "",
            ]
        if spec.get("layers"):
            lines += [f"{h}# {name}：{word('care', 'layers')}", "", self.layers(spec["layers"], level + 2), ""]
        rest = {k: v for k, v in spec.items() if k not in CARE_KEYS}
        if rest:
            lines += [self.generic(rest, f"{name}：其他规定", "care", level + 1), ""]
        if spec.get("caveats"):
            lines += ['!!! note "提示"', ""] + [f"    - {esc(c)}" for c in spec["caveats"]] + [""]
        if spec.get("next"):
            nxt = spec["next"]
            lines += [f"怎样办理：**{esc(nxt['label'])}**。{esc(nxt['detail'])} {self.cite(nxt.get('cite'))}", ""]
        return "\n".join(lines)

    def service(self, service: dict | None) -> str:
        """Where to turn: the office and the lines the sources name (region `service`)."""
        if not service:
            return "来源没有写明办理报销和咨询的机构，请向参保地医保经办机构（医保局或医保中心）咨询。"
        office = service["office"]
        lines = [f"办理报销和咨询：{esc(office['text'])} {self.cite(office.get('cite'))}", ""]
        for c in service.get("contacts") or []:
            lines += [f"- {esc(c['label'])}：{esc(c['value'])} {self.cite(c.get('cite'))}"]
        return "\n".join(lines)

    def care_tables(self, name: str, spec: dict) -> list[str]:
        """Deductible, class-B share, ratios, cap and standards of one kind of care, each a table."""
        lines = []
        if spec.get("deductible"):
            lines += [self.matrix(f"{name}{word('care', 'deductible')}", spec["deductible"], "money"), ""]
        if spec.get("class_b_share"):
            lines += [self.matrix(f"{name}{word('care', 'class_b_share')}", spec["class_b_share"], "rate"), ""]
        if spec.get("bands"):
            lines += [self.bands(f"{name}{word('care', 'bands')}", spec["bands"]), ""]
        if spec.get("cap"):
            cap, caption = spec["cap"], f"{name}{word('care', 'cap')}"
            if "value" in cap or not any(isinstance(v, dict) for v in cap.values()):
                lines += [self.single(caption, cap), ""]
            else:
                lines += [self.matrix(caption, cap, "money"), ""]
        if spec.get("standards"):
            lines += [self.standards(f"{name}{word('care', 'standards')}", spec["standards"]), ""]
        return lines

    def cares(self, care: dict, level: int = 3, full: dict | None = None) -> str:
        """Rules for each kind of care; `full` (the merged care) names the kinds a partial change omits."""
        out = []
        for cid, spec in care.items():
            if isinstance(spec, dict):
                if "label" not in spec:
                    spec = {"label": ((full or {}).get(cid) or {}).get("label") or cid, **spec}
                out.append(self.care(cid, spec, level))
        return "\n".join(out)

    # ---- what a resident asks first: deductible, ratio, cap ----
    def lead(self, care: dict, term) -> str:
        """One list per kind of care with the deductible, the ratio and the cap, for the main member group.

        `term(word)` links an insurance word to the glossary with its short explanation.
        """
        out = []
        for cid, spec in care.items():
            parts = self.lead_parts(spec, term) if isinstance(spec, dict) else []
            if parts:
                name = esc(spec.get("label") or cid)
                out.append("\n".join([f"**{name}**", ""] + [f"- {part}" for part in parts]))
        return "\n\n".join(out)

    def lead_parts(self, spec: dict, term=lambda w: w) -> list[str]:
        """What a resident asks first of one kind of care: its deductible, its ratio, its cap."""
        parts = []
        if spec.get("deductible"):
            parts.append(f"{term(word('care', 'deductible'))}：{self.lead_matrix(spec['deductible'], 'money')}")
        if spec.get("bands"):
            parts.append(f"{term('报销比例')}：{self._lead_bands(spec['bands'])}")
        if spec.get("cap"):
            parts.append(f"{term('封顶线')}：{self._lead_cap(spec['cap'])}")
        return parts

    @staticmethod
    def _main_group(spec: dict):
        groups = [g for g, v in spec.items() if isinstance(v, dict)]
        if not groups:
            return None, None
        g = "*" if "*" in groups else groups[0]
        return g, spec[g]

    def _who(self, g: str, spec: dict) -> str:
        many = sum(isinstance(v, dict) for v in spec.values()) > 1
        return f"{self.grp(g, many)}：" if many else ""

    def lead_matrix(self, spec: dict, kind: str) -> str:
        g, cell = self._main_group(spec)
        if cell is None:
            return fig(None, kind)
        facs = self.fac_order([f for f in cell if f not in ("cite", "note")])
        many = len(facs) > 1
        parts = [(f"{self.fac(f)} " if many else "") + fig(cell[f], kind, cell.get("note")) for f in facs]
        return f"{self._who(g, spec)}{'；'.join(parts)}{basis_words(spec)} {self.cite(cell.get('cite'))}".rstrip()

    def _lead_bands(self, spec: dict) -> str:
        g, by_fac = self._main_group(spec)
        if by_fac is None:
            return fig(None, "rate")
        parts, cites = [], []
        for f in self.fac_order(list(by_fac)):
            bands = by_fac[f]
            text = self.band_value(bands[0]) if len(bands) == 1 else f"按费用分段计算，{self.tables_are}"
            parts.append((f"{self.fac(f)} " if len(by_fac) > 1 else "") + text)
            link = self.cite(bands[0].get("cite")) if bands else ""
            if link and link not in cites:
                cites.append(link)
        return f"{self._who(g, spec)}{'；'.join(parts)} {' '.join(cites)}".rstrip()

    def _lead_cap(self, spec: dict) -> str:
        if "value" in spec or not any(isinstance(v, dict) for v in spec.values()):
            money = fig(spec.get("value"), "money", spec.get("note"))
            return f"{money}{basis_words(spec)} {self.cite(spec.get('cite'))}".rstrip()
        return self.lead_matrix(spec, "money")
