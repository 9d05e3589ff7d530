"""Every value of a file checked against its shape in the vocabulary (vocabulary/files.py).

The root cause comes first and what follows from it is folded under it: a misspelled key
(`facilites:`) is reported as unknown, with the key it is near ("是不是想写 facilities"), and the
missing `facilities` it leaves is said under it, not as a mistake of its own; nothing inside an
unknown key is checked. Every mistake goes through `add(path, code, **values)` (files.PolicyFile).
Linear in the size of the file; the loader's limits bound its depth.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
from decimal import Decimal, InvalidOperation

from vocabulary import ENUMS, FILES
from vocabulary.files import FACILITIES, FORMATS, GROUPS, YEARS, branch

from .mistakes import quoted

_FORMAT = {name: re.compile(pattern) for name, (pattern, _) in FORMATS.items()}
_WANT = {
    "text": "文字",
    "note": "文字",
    "name": "文字",
    "cite": "文字",
    "id": "文字",
    "doc_id": "文字",
    "anchor": "文字",
    "date": "日期",
    "monthday": "文字",
    "bool": "“true”或“false”",
    "true": "“true”",
    "amount": "数字",
    "upto": "数字",
    "rate": "数字",
    "count": "整数",
    "year": "整数",
    "map": "映射（键: 值）",
    "table": "映射（键: 值）",
    "list": "列表",
    "either": "映射（键: 值）",
}
_EXAMPLE = {
    "amount": "，例如 1000（不带引号、逗号和“元”）",
    "upto": "，例如 5000，没有上限写“null”",
    "rate": "，例如 0.15（表示 15%）",
    "count": "，例如 5",
    "list": "，例如“[甲, 乙]”或每项一行“- …”",
    "map": "：下一行缩进，写“键: 值”",
    "table": "：下一行缩进，写“编号: …”",
}


class StopChecking(Exception):
    """Raised by `add` once a file has too many mistakes to be worth checking further."""


def describe(value) -> str:
    """A value as a message quotes it."""
    if value is None:
        return "“null”"
    if isinstance(value, bool):
        return f"“{str(value).lower()}”"
    if isinstance(value, Decimal):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value[:40]}”"
    if isinstance(value, list):
        return "列表"
    return "映射（键: 值）"


def near(word, choices, cutoff: float = 0.6):
    """The choice `word` is most likely a slip of (difflib), or None."""
    if not isinstance(word, str):
        return None
    found = difflib.get_close_matches(word, [c for c in choices if isinstance(c, str)], n=1, cutoff=cutoff)
    return found[0] if found else None


def real_date_near(text: str) -> str | None:
    """A real date close to a written one that is not (2026-02-30 -> 2026-02-28)."""
    try:
        year, month, day = (int(part) for part in text.split("-"))
    except ValueError:
        return None
    if not 1 <= month <= 12:
        month, day = day, month  # 2026-30-02: day and month swapped
    if not 1 <= month <= 12 or day < 1:
        return None
    for last in range(min(day, 31), 27, -1):
        try:
            return datetime.date(year, month, last).isoformat()
        except ValueError:
            continue
    return None


def is_real_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _canonical(value) -> str:
    """Equal values (1 and 1.0 included, true and 1 not) give equal text."""
    return json.dumps(value, sort_keys=True, default=lambda d: str(d.normalize()))


def _number_in(text: str) -> Decimal | None:
    """The number an editor meant by text such as "1,000" or "1000元" (for a suggestion)."""
    cleaned = text.replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _key_words(node: dict) -> str:
    """The keys a mapping may hold, each with its words."""
    pairs = [(k, v.get("word")) for k, v in node["keys"].items()]
    text = quoted(pairs, limit=40)
    if node.get("rows"):
        text += f"，以及{GROUPS if node.get('rows_are') == 'group' else FACILITIES}的编号或“*”"
    return text


def _slip(key: str, value: dict, node: dict) -> bool:
    """A row key (a member group or facility id) that is a slip of one of the mapping's own keys:
    `basiss: admission` is a misspelled `basis`, not a member group (a row holds a mapping)."""
    return not isinstance(value[key], dict) and near(key, list(node["keys"]), cutoff=0.75) is not None


class Checker:
    def __init__(self, add):
        self.add = add

    def value(self, node: dict, value, path: tuple) -> None:
        kind = node["is"]
        if value is None:
            if not node.get("null"):
                self.wrong(node, value, path)
            return
        check = getattr(self, "_" + kind, None)
        if check is None:
            self.leaf(node, value, path)
        else:
            check(node, value, path)

    def wrong(self, node: dict, value, path: tuple, guess: str | None = None) -> None:
        want = _WANT.get(node["is"], "文字")
        if node.get("null") and node["is"] not in ("map", "table", "list"):
            want += "或“null”"
        self.add(path, "wrong-type", want=want, got=describe(value), example=_EXAMPLE.get(node["is"], ""), guess=guess)

    # ---- containers ----
    def _map(self, node: dict, value, path: tuple) -> None:
        if not isinstance(value, dict):
            self.wrong(node, value, path)
            return
        keys, rows = node["keys"], node.get("rows")
        row_format = _FORMAT["row"]
        is_row = lambda k: rows and row_format.match(k) and not _slip(k, value, node)  # noqa: E731
        unknown = [k for k in value if k not in keys and not is_row(k)]
        missing = [k for k in node["required"] if k not in value]
        one_of = node.get("one_of") or []
        given = [k for k in one_of if k in value]
        folded_one_of = False
        for key in unknown:
            guess = near(key, list(keys))
            folded = []
            if guess in missing:
                missing.remove(guess)
                folded.append(f"缺少“{guess}”（{keys[guess].get('word')}）")
            if guess in one_of and not given:
                folded_one_of = True
                folded.append(f"缺少“{'”或“'.join(one_of)}”")
            self.add(
                path + (key,),
                "unknown-key",
                key=key,
                allowed=_key_words(node),
                guess=f"“{guess}”（{keys[guess].get('word')}）" if guess else None,
                folded=folded,
            )
        for key in missing:
            self.add(path, "missing-key", key=key, word=keys[key].get("word"))
        if one_of and len(given) != 1 and not folded_one_of:
            self.add(path, "one-of", keys="”“".join(one_of), count=f"写了 {len(given)} 个")
        for key, item in value.items():
            if key in keys:
                self.value(keys[key], item, path + (key,))
            elif key not in unknown:
                self.value(rows, item, path + (key,))

    def _table(self, node: dict, value, path: tuple) -> None:
        if not isinstance(value, dict):
            self.wrong(node, value, path)
            return
        if node["min"] and not value:
            self.add(path, "empty")
        names = node["names"]
        for key, item in value.items():
            if names != "name" and not _FORMAT[names].match(key):
                self.add(path + (key,), "bad-format", value=key, format=FORMATS[names][1])
                continue
            self.value(node["of"], item, path + (key,))

    def _list(self, node: dict, value, path: tuple) -> None:
        if not isinstance(value, list):
            self.wrong(node, value, path)
            return
        if len(value) < node["min"]:
            self.add(path, "empty")
        seen = set()
        for i, item in enumerate(value):
            if node["unique"]:
                text = _canonical(item)
                if text in seen:
                    self.add(path + (i,), "repeated-item", value=describe(item))
                    continue
                seen.add(text)
            self.value(node["of"], item, path + (i,))

    def _either(self, node: dict, value, path: tuple) -> None:
        if node.get("if_key"):
            branch = node["then"] if isinstance(value, dict) and node["if_key"] in value else node["else"]
        elif isinstance(value, str):
            branch = node["then"]
        elif isinstance(value, dict):
            branch = node["else"]
        else:
            self.add(path, "wrong-type", want="文字或映射（键: 值）", got=describe(value), example="", guess=None)
            return
        self.value(branch, value, path)

    # ---- values ----
    def _enum(self, node: dict, value, path: tuple) -> None:
        labels = ENUMS[node["enum"]]
        if isinstance(value, str) and value in labels:
            return
        by_label = {v: k for k, v in labels.items()}
        guess = (by_label.get(value) or near(value, list(labels))) if isinstance(value, str) else None
        self.add(
            path,
            "not-in-list",
            value=value if isinstance(value, str) else describe(value),
            allowed=quoted(labels.items(), limit=30),
            guess=f"“{guess}”（{labels[guess]}）" if guess else None,
        )

    def _amount(self, node: dict, value, path: tuple) -> None:
        if not self.number(node, value, path):
            return
        if value < 0:
            self.add(path, "negative", value=value)

    _upto = _amount

    def _rate(self, node: dict, value, path: tuple) -> None:
        if not self.number(node, value, path):
            return
        if value < 0:
            self.add(path, "negative", value=value)
        elif value > 1:
            guess = f"{(value / 100).normalize():f}（{value.normalize():f}%）" if value <= 100 else None
            self.add(path, "rate-above-one", value=value, guess=guess)

    def _count(self, node: dict, value, path: tuple) -> None:
        if not self.number(node, value, path):
            return
        if value != value.to_integral_value():
            self.wrong(node, value, path)
        elif value < 0:
            self.add(path, "negative", value=value)

    def _year(self, node: dict, value, path: tuple) -> None:
        if not self.number(node, value, path):
            return
        if value != value.to_integral_value():
            self.wrong(node, value, path)
        elif not YEARS[0] <= value <= YEARS[1]:
            self.add(path, "year-out-of-range", value=value, first=YEARS[0], last=YEARS[1])

    def number(self, node: dict, value, path: tuple) -> bool:
        if isinstance(value, Decimal):
            return True
        meant = _number_in(value) if isinstance(value, str) else None
        self.wrong(node, value, path, guess=f"{meant.normalize():f}" if meant is not None else None)
        return False

    def _bool(self, node: dict, value, path: tuple) -> None:
        if not isinstance(value, bool):
            self.wrong(node, value, path)

    def _true(self, node: dict, value, path: tuple) -> None:
        if value is not True:
            self.wrong(node, value, path)

    def leaf(self, node: dict, value, path: tuple) -> None:
        """Text: a string, never empty; ids, cites and dates in their format; dates real."""
        kind = node["is"]
        if not isinstance(value, str):
            self.wrong(node, value, path)
            return
        if not value.strip():
            self.add(path, "empty")
            return
        if kind in _FORMAT and not _FORMAT[kind].match(value):
            self.add(path, "bad-format", value=value, format=FORMATS[kind][1])
        elif kind == "date" and not is_real_date(value):
            guess = real_date_near(value)
            self.add(path, "not-a-date", value=value, guess=guess)


def check(kind: str, data, add) -> None:
    """Report every mistake of a file of this kind ('region_file', …) through add(path, code, **values)."""
    try:
        Checker(add).value(FILES[kind], data, ())
    except StopChecking:
        pass


def typed(node: dict, value, path: tuple = ()):
    """Yield (path, shape, value) for a value and everything inside it (a file that passed `check`)."""
    todo = [(path, node, value)]
    while todo:
        path, node, value = todo.pop()
        if node["is"] == "either":
            node = branch(node, value)
        yield path, node, value
        kind, children = node["is"], []
        if kind == "map" and isinstance(value, dict):
            for key, item in value.items():
                child = node["keys"].get(key) or node.get("rows")
                if child:
                    children.append((path + (key,), child, item))
        elif kind == "table" and isinstance(value, dict):
            children = [(path + (key,), node["of"], item) for key, item in value.items()]
        elif kind == "list" and isinstance(value, list):
            children = [(path + (i,), node["of"], item) for i, item in enumerate(value)]
        todo.extend(reversed(children))


def typed_file(f) -> list:
    """Every (path, shape, value) of a checked file."""
    return list(typed(FILES[f.kind], f.data))
