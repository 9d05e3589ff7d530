"""Schema validation (policies/schema.json) with messages in Chinese, each at its line.

The people who keep a region current read Chinese; technical detail (key names,
the path in the file) follows as written in the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "policies" / "schema.json"

_validators: dict = {}


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _canonical(value) -> str:
    """Equal JSON values (1 and 1.0 included, true and 1 not) give equal text."""
    return json.dumps(value, sort_keys=True, default=lambda d: str(d.normalize()))


def _unique_items(validator, unique, instance, schema):
    """uniqueItems in linear time (jsonschema compares unsortable items pairwise: minutes on 8,000 mappings)."""
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        key = _canonical(item)
        if key in seen:
            yield ValidationError(f"{instance!r:.80} has non-unique elements")
            return
        seen.add(key)


def _validator(kind: str):
    """A cached validator for '$defs/<kind>': Decimal whole numbers are integers; uniqueItems is linear."""
    if kind not in _validators:
        from jsonschema import Draft202012Validator, validators

        def is_integer(checker, instance):
            if isinstance(instance, Decimal):
                return instance == instance.to_integral_value()
            return Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer")

        checker = Draft202012Validator.TYPE_CHECKER.redefine("integer", is_integer)
        cls = validators.extend(Draft202012Validator, validators={"uniqueItems": _unique_items}, type_checker=checker)
        schema = load_schema()
        sub = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}
        _validators[kind] = cls(sub)
    return _validators[kind]


def dotted(path) -> str:
    """schemes.employee.versions[0].care: the path as written in the file (long keys cut short)."""
    out = ""
    for part in path:
        part = part if isinstance(part, int) or len(part) <= 60 else part[:57] + "…"
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "文件顶层"


def some(items, limit: int = 12) -> str:
    """A readable list of at most `limit` names (a message never grows with the file)."""
    items = list(items)
    shown = ", ".join(str(x)[:40] for x in items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def line_of(lines: dict, path) -> int:
    """The line of path, or of its nearest ancestor that has one."""
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"文字 {value[:40]!r}"
    if isinstance(value, list):
        return "列表"
    return "映射（键: 值）"


_TYPE_WORDS = {
    "number": "数字",
    "string": "文字",
    "null": "null",
    "object": "映射（键: 值）",
    "array": "列表",
    "boolean": "true 或 false",
    "integer": "整数",
}


def _unknown_keys(err, path, where, lines):
    inst, sch = err.instance, err.schema
    props = sch.get("properties", {})
    pats = [re.compile(p) for p in sch.get("patternProperties", {})]
    allowed = list(props) + (["一个 id（或 '*'）"] if pats else [])
    for key in inst:
        if key not in props and not any(p.search(key) for p in pats):
            yield (
                line_of(lines, path + (key,)),
                f"{where} 里有未知的键 {key!r}（这里可以写：{some(allowed) or '无'}）",
            )


def _required(err, path, where, lines):
    inst = err.instance
    missing = [k for k in err.validator_value if k not in inst]
    figure = next((k for k, v in inst.items() if isinstance(v, Decimal)), None)
    unknown = next((k for k, v in inst.items() if v is None), None)
    if missing == ["cite"] and figure is not None:  # the line of the figure that needs it
        yield (
            line_of(lines, path + (figure,)),
            f"{dotted(path + (figure,))} 是数字（{inst[figure]}），但 {where} 没有注明出处："
            "请加 cite: <文件>/<条款> (has no cite)",
        )
    elif missing == ["note"] and unknown is not None:
        yield (
            line_of(lines, path + (unknown,)),
            f"{dotted(path + (unknown,))} 是 null，但 {where} 没有 note 说明来源未规定什么 (no note)",
        )
    else:
        yield line_of(lines, path), f"{where} 缺少 {', '.join(map(repr, missing))}"


def _dependent(err, path, where, lines):
    for key, needs in err.validator_value.items():
        missing = [k for k in needs if key in err.instance and k not in err.instance]
        if missing:
            here = path + (key,)
            if missing == ["cite"]:
                reason = f"{dotted(here)} 是数字，但 {where} 没有注明出处：请加 cite: <文件>/<条款> (has no cite)"
            else:
                reason = f"{where} 写了 {key}，也必须写 {', '.join(missing)}"
            yield line_of(lines, here), reason


def _type(err, path, where, lines):
    types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
    want = " 或 ".join(_TYPE_WORDS.get(t, t) for t in types)
    yield line_of(lines, path), f"{where} 应当是{want}，而不是{describe(err.instance)}"


def _enum(err, path, where, lines):
    yield (
        line_of(lines, path),
        f"{where} 只能是 {some(err.validator_value)} 之一，而不是{describe(err.instance)}",
    )


def _pattern(err, path, where, lines):
    desc = err.schema.get("description", f"must match {err.validator_value}")
    if "propertyNames" in err.absolute_schema_path:
        yield line_of(lines, path + (err.instance,)), f"{where} 里的键 {err.instance!r} 写法不对（{desc}）"
    else:
        yield line_of(lines, path), f"{where}：{describe(err.instance)} 写法不对（{desc}）"


def _minimum(err, path, where, lines):
    yield line_of(lines, path), f"{where} 是 {err.instance}，不能小于 {err.validator_value}"


def _maximum(err, path, where, lines):
    yield (
        line_of(lines, path),
        f"{where} 是 {err.instance}，不能大于 {err.validator_value}（比例写成小数：0.15 表示 15%）",
    )


def _empty(err, path, where, lines):
    yield line_of(lines, path), f"{where} 不能为空"


def _unique(err, path, where, lines):
    yield line_of(lines, path), f"{where} 里有重复的项"


def _one_of(err, path, where, lines):
    if all(set(s) == {"required"} for s in err.validator_value):
        keys = [k for s in err.validator_value for k in s["required"]]
        yield line_of(lines, path), f"{where} 必须有且只有 {', '.join(keys)} 其中之一"
    else:
        # a branch of the right type says what is wrong (not "should be text" for a mapping)
        fitting = [e for e in err.context or [] if not (e.validator == "type" and not e.relative_path)]
        yield from _other(err, path, where, lines, fitting or None)


def _other(err, path, where, lines, context=None):
    from jsonschema.exceptions import best_match

    context = context or err.context
    inner = best_match(context) if context else err
    if inner is not err and inner.validator in _HANDLERS:
        ipath = tuple(inner.absolute_path)
        yield from _HANDLERS[inner.validator](inner, ipath, dotted(ipath), lines)
        return
    ipath = tuple(inner.absolute_path)
    yield line_of(lines, ipath), f"{dotted(ipath)} 不符合格式要求 ({inner.message[:200]})"


_HANDLERS = {
    "additionalProperties": _unknown_keys,
    "required": _required,
    "dependentRequired": _dependent,
    "type": _type,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _minimum,
    "maximum": _maximum,
    "minItems": _empty,
    "minProperties": _empty,
    "minLength": _empty,
    "uniqueItems": _unique,
    "oneOf": _one_of,
}


def schema_mistakes(kind: str, data: object, lines: dict) -> Iterator[tuple[int, str]]:
    """Yield (line, reason) for every schema error of a file of this kind ('region_file', …)."""
    for err in _validator(kind).iter_errors(data):
        path = tuple(err.absolute_path)
        if err.validator == "additionalProperties" and not isinstance(err.instance, dict):
            continue
        handler = _HANDLERS.get(err.validator, _other)
        yield from handler(err, path, dotted(path), lines)
