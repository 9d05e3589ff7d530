"""What is generated from the vocabulary and checked in: policies/schema.json and, in
policies/README.md, the key reference and the table of mistake codes (between two marker lines).

`python -m compiler --schema` and the build (sitebuild/pipeline.py) rewrite them when stale;
tests/test_policy_data.py fails when either differs from what the vocabulary gives.
"""

from __future__ import annotations

from pathlib import Path

from vocabulary import ENUMS, FILES

from .mistakes import CODES
from .schema import ROOT, SCHEMA_PATH, schema_text

README = ROOT / "policies" / "README.md"
BEGIN = "<!-- generated from vocabulary/ by `python -m compiler --schema`: do not edit by hand -->"
END = "<!-- end of the generated reference -->"
_LEAF = {
    "text": "text",
    "note": "text (what the source says or leaves open)",
    "name": "text",
    "cite": "`<document>/<clause>`",
    "id": "id",
    "doc_id": "document id",
    "date": "date YYYY-MM-DD",
    "monthday": "MM-DD",
    "bool": "true / false",
    "true": "true",
    "anchor": "ascii slug",
    "amount": "yuan",
    "upto": "yuan (null: no upper end)",
    "rate": "rate 0–1",
    "year": "year",
}


def _kind(node: dict, names: dict) -> str:
    """A shape in a few words: its type and unit, or the name of the shape it refers to."""
    if node.get("define") and node["define"] in names:
        return f"`{node['define']}`"
    kind = node["is"]
    if kind == "enum":
        return " \\| ".join(f"`{k}`" for k in ENUMS[node["enum"]])
    if kind == "count":
        return f"whole number ({node['unit']})"
    if kind == "list":
        if node.get("ids_of"):
            return f"list of {node['ids_of']} ids"
        return f"list of {_kind(node['of'], names)}"
    if kind == "table":
        return f"id → {_kind(node['of'], names)}"
    if kind == "either":
        return f"{_kind(node['then'], names)} or {_kind(node['else'], names)}"
    if kind == "map":
        return "mapping, below"
    return _LEAF[kind] + (" or null" if node.get("null") and kind not in ("amount", "upto", "rate") else "")


def _shapes() -> list[tuple[str, dict]]:
    """The mappings to describe, each once: the files, then every named shape, then inline ones."""
    found: dict[str, dict] = {}

    def visit(name: str, node: dict) -> None:
        if node["is"] == "map" and name not in found:
            found[name] = node
        for key, child in (node.get("keys") or {}).items():
            visit(child.get("define") or f"{name}.{key}", child)
        for part in ("rows", "of", "then", "else"):
            if isinstance(node.get(part), dict):
                child = node[part]
                visit(child.get("define") or f"{name}.{'*' if part == 'rows' else part}", child)

    for name, shape in FILES.items():
        visit(name, shape)
    return list(found.items())


def key_reference() -> str:
    shapes = _shapes()
    names = dict(shapes)
    out = [BEGIN, "", "### Key reference", ""]
    out.append(
        "Every mapping of a policy file and its keys, from the vocabulary (`vocabulary/files.py`). "
        "*Words*: what the compiler's messages and the pages call the key. *Figure*: the value needs "
        "`cite` in the same mapping (and `note` when it is null). *Versions*: how a later version's "
        "value carries (inside `care`: mappings merge key by key unless said, lists and values are "
        "replaced)."
    )
    for name, node in shapes:
        out += ["", f"#### `{name}`", ""]
        if node.get("merge") == "whole":
            out += ["A later version that names it replaces it whole.", ""]
        out += ["| key | words | value | required | figure |", "| --- | --- | --- | --- | --- |"]
        for key, child in node["keys"].items():
            required = "yes" if key in node["required"] else ""
            figure = "cite" if child.get("figure") else ""
            out.append(f"| `{key}` | {child.get('word', '')} | {_kind(child, names)} | {required} | {figure} |")
        if node.get("rows"):
            rows = node["rows"]
            what = "member group" if node.get("rows_are") == "group" else "facility"
            out.append(f"| *a {what} id or `*`* | {rows.get('word', '')} | {_kind(rows, names)} |  |  |")
        if node.get("one_of"):
            out += ["", "Exactly one of " + ", ".join(f"`{k}`" for k in node["one_of"]) + "."]
    out += ["", "### Mistake codes", ""]
    out.append(
        "Every mistake the compiler reports has one of these codes (`PolicyDataError.code`, and "
        "〔code〕 at the end of its first line); the words may change, the codes do not."
    )
    out += ["", "| code | 问题 | 怎么改 |", "| --- | --- | --- |"]
    for code, (problem, fix) in CODES.items():
        cell = lambda text: text.replace("|", "\\|").replace("{{", "{").replace("}}", "}")  # noqa: E731
        out.append(f"| `{code}` | {cell(problem)} | {cell(fix)} |")
    out += ["", END]
    return "\n".join(out)


def readme_text(current: str) -> str:
    """The README with its generated part replaced (appended when the markers are missing)."""
    reference = key_reference()
    if BEGIN in current and END in current:
        head, _, rest = current.partition(BEGIN)
        _, _, tail = rest.partition(END)
        return head + reference + tail
    return current.rstrip("\n") + "\n\n" + reference + "\n"


def write_all() -> list[str]:
    """Rewrite what is stale; the names of the files rewritten."""
    written = []
    for path, text in ((SCHEMA_PATH, schema_text()), (README, readme_text(README.read_text(encoding="utf-8")))):
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(str(Path(path).relative_to(ROOT)))
    return written
