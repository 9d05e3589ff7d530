"""policies/schema.json, generated from the vocabulary (vocabulary/files.py) for editors' YAML plugins.

The compiler checks files against the vocabulary itself (compiler/shapes.py); this is the same
description written as JSON Schema, so an editor is told of a wrong key as they type. It is
checked in (compiler/reference.py writes it). Rules the schema
cannot say (every figure cited, bands ascending, ids declared) are the compiler's: see
policies/README.md.
"""

from __future__ import annotations

import json
from pathlib import Path

from vocabulary import ENUMS, FILES
from vocabulary.files import FORMATS, YEARS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "policies" / "schema.json"

_LEAVES = {
    "text": {"type": "string", "minLength": 1},
    "note": {"type": "string", "minLength": 1},
    "name": {"type": "string", "minLength": 1},
    "bool": {"type": "boolean"},
    "true": {"const": True},
    "amount": {"type": "number", "minimum": 0},
    "upto": {"type": "number", "minimum": 0},
    "rate": {"type": "number", "minimum": 0, "maximum": 1},
    "count": {"type": "integer", "minimum": 0},
    "year": {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[1]},
}
_PATTERNED = ("id", "doc_id", "cite", "anchor", "date", "monthday")


class _Writer:
    def __init__(self):
        self.defs: dict = {}

    def leaf(self, node: dict) -> dict:
        kind = node["is"]
        if kind in _PATTERNED:
            out = {"type": "string", "pattern": FORMATS[kind][0]}
        elif kind == "enum":
            values = list(ENUMS[node["enum"]])
            labels = "；".join(f"{k}：{v}" for k, v in ENUMS[node["enum"]].items())
            return {"enum": values + ([None] if node.get("null") else []), "description": labels}
        else:
            out = dict(_LEAVES[kind])
        if node.get("null"):
            out["type"] = [out.get("type", "string"), "null"]
        return out

    def node(self, node: dict, top: bool = False) -> dict:
        name = node.get("define")
        if name and not top:
            if name not in self.defs:
                self.defs[name] = None  # reserved: a shape may hold itself only through a list
                self.defs[name] = self.node(node, top=True)
            return self.describe({"$ref": f"#/$defs/{name}"}, node)
        kind = node["is"]
        if kind == "map":
            out = self.mapping(node)
        elif kind == "table":
            out = {"type": "object", "additionalProperties": self.node(node["of"])}
            pattern = {"id": "id", "doc_id": "doc_id", "clause": "clause"}.get(node["names"])
            if pattern:
                out["propertyNames"] = {"pattern": FORMATS[pattern][0]}
            if node["min"]:
                out["minProperties"] = node["min"]
        elif kind == "list":
            out = {"type": "array", "items": self.node(node["of"])}
            if node["min"]:
                out["minItems"] = node["min"]
            if node["unique"]:
                out["uniqueItems"] = True
        elif kind == "either":
            then, other = self.node(node["then"]), self.node(node["else"])
            if node.get("if_key"):
                out = {"if": {"required": [node["if_key"]]}, "then": then, "else": other}
            else:
                out = {"oneOf": [then, other]}
        else:
            out = self.leaf(node)
        return out if top else self.describe(out, node)

    def mapping(self, node: dict) -> dict:
        out = {
            "type": "object",
            "additionalProperties": False,
            "properties": {k: self.node(v) for k, v in node["keys"].items()},
        }
        if node["required"]:
            out["required"] = list(node["required"])
        if node.get("rows"):
            reserved = "|".join(node["keys"])
            pattern = FORMATS["row"][0][1:-1]
            key = f"^(?!({reserved})$){pattern}$" if reserved else f"^{pattern}$"
            out["patternProperties"] = {key: self.node(node["rows"])}
        if node.get("one_of"):
            out["oneOf"] = [{"required": [k]} for k in node["one_of"]]
        return out

    @staticmethod
    def describe(out: dict, node: dict) -> dict:
        words = node.get("word")
        if not words:
            return out
        unit = node.get("unit")
        text = words + (f"（{unit}）" if unit and unit != "比例" else "（0 到 1 的小数）" if unit else "")
        if node.get("hint"):
            text += f"：{node['hint']}"
        return {**out, "description": text}


def json_schema() -> dict:
    writer = _Writer()
    files = {name: writer.node(shape, top=True) for name, shape in FILES.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://yibao.invalid/policies/schema.json",
        "title": "医保政策文件",
        "description": (
            "由 vocabulary/ 生成，请勿手改（python -m compiler --schema）。一个地区文件（policies/<地区>.yaml）"
            "或 policies/national.yaml；glossary.yaml 和 synonyms.yaml 对应 $defs/glossary_file 和 "
            "$defs/synonyms_file。出处、分段递增、编号是否声明等检查由编译器完成（policies/README.md）。"
        ),
        "if": {"required": ["region"]},
        "then": {"$ref": "#/$defs/region_file"},
        "else": {"$ref": "#/$defs/national_file"},
        "$defs": {**files, **dict(sorted(writer.defs.items()))},
    }


def schema_text() -> str:
    """The schema as checked in: one key per line where it helps a reader, stable order."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=1) + "\n"
