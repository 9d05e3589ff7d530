"""The place of a key in a policy file, in words: 长春市 · 城镇职工基本医疗保险 · 2010-09-03 版本 ·
住院 · 起付线 · 省级医院. Fixed keys say their vocabulary words; a scheme, a care type, a member
group, a facility, a document say their own names from the file; a list item its label or number.
"""

from __future__ import annotations

from vocabulary import FILES

SEP = " · "
_FILE_WORDS = {"national_file": "全国规定", "glossary_file": "术语表", "synonyms_file": "同义词表"}


def _short(text, limit: int = 30) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def version_words(version, index: int) -> str:
    """2010-09-03 版本, or 第 2 个版本（未注明日期）."""
    start = version.get("from") if isinstance(version, dict) else None
    return f"{start} 版本" if isinstance(start, str) else f"第 {index + 1} 个版本（未注明日期）"


def _care_label(scheme: dict, version_index: int, care_id: str) -> str | None:
    """A care type's label as merged up to this version (a later version may leave it out)."""
    found = None
    for version in (scheme.get("versions") or [])[: version_index + 1]:
        care = (version.get("care") if isinstance(version, dict) else None) or {}
        rules = care.get(care_id) if isinstance(care, dict) else None
        if isinstance(rules, dict) and isinstance(rules.get("label"), str):
            found = rules["label"]
    return found


class _Walk:
    """One step at a time down a path, keeping what names the next entries (scheme, version)."""

    def __init__(self, data):
        self.scheme: dict = {}
        self.version = 0
        self.data = data

    def row_name(self, rows_are: str, key: str, siblings) -> str:
        if rows_are == "group":
            if key == "*":
                return "其他人员" if any(k != "*" for k in siblings if k not in ("basis", "basis_note")) else "所有人员"
            members = {m.get("id"): m.get("label") for m in self.scheme.get("members") or [] if isinstance(m, dict)}
            return _short(members.get(key) or f"“{key}”")
        if key == "*":
            return "其他各级医疗机构" if any(k not in ("*", "cite", "note") for k in siblings) else "各级医疗机构"
        facilities = self.scheme.get("facilities") if isinstance(self.scheme.get("facilities"), dict) else {}
        return _short(facilities.get(key) or f"“{key}”")

    def entry_name(self, named, key, value, index: int | None) -> str:
        item = value if isinstance(value, dict) else {}
        if named == "scheme":
            self.scheme = item
            return _short(item.get("name") or f"“{key}”")
        if named == "care":
            return _short(_care_label(self.scheme, self.version, key) or f"“{key}”")
        if named == "version":
            self.version = index
            return version_words(item, index)
        if named == "document":
            return f"文件《{_short(item.get('title') or key, 24)}》"
        if named == "band":
            return f"第 {index + 1} 段"
        if named in ("text", "key"):
            return _short(value if named == "text" and isinstance(value, str) else key)
        if named == "from":
            return f"{item['from']} 起的名单" if isinstance(item.get("from"), str) else "未注明日期的名单"
        if named in ("label", "id", "term") and isinstance(item.get(named), str):
            return _short(item[named])
        return f"第 {index + 1} 项" if index is not None else f"“{_short(key)}”"


def place(kind: str, data, path) -> str:
    """The words for `path` in a file of this kind ('region_file', …) holding `data`."""
    walk = _Walk(data)
    if kind == "region_file":
        parts = [_short(data.get("name") if isinstance(data, dict) and isinstance(data.get("name"), str) else "本地区")]
    else:
        parts = [_FILE_WORDS[kind]]
    node, value, pending = FILES[kind], data, None
    for comp in path:
        if node is None:
            break
        if node.get("is") == "either":
            node = node["then"] if _then(node, value) else node["else"]
        kind_ = node.get("is")
        if kind_ == "map" and isinstance(value, dict):
            if comp in node["keys"]:
                node = node["keys"][comp]
                pending = node.get("word")
            elif node.get("rows"):
                parts.append(walk.row_name(node.get("rows_are"), comp, value))
                node, pending = node["rows"], None
            else:  # a key the vocabulary does not know: the mistake names it
                node, pending = None, None
            value = value.get(comp)
            if pending and (node or {}).get("is") not in ("table", "list"):
                parts.append(pending)
                pending = None
            continue
        if kind_ in ("table", "list"):
            index = comp if isinstance(comp, int) else None
            child = (
                value.get(comp)
                if isinstance(value, dict)
                else value[comp]
                if isinstance(value, list) and isinstance(comp, int) and comp < len(value)
                else None
            )
            parts.append(walk.entry_name(node.get("named"), comp, child, index))
            pending = None
            node, value = node["of"], child
            continue
        break
    if pending:
        parts.append(pending)
    return SEP.join(p for p in parts if p)


def _then(node: dict, value) -> bool:
    if node.get("if_key"):
        return isinstance(value, dict) and node["if_key"] in value
    return not isinstance(value, dict)
