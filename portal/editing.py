"""The generated parts of the editor's guide (docs/editing/index.md): what the vocabulary and the
compiler know, written out for a bureau's staff who keep a region's file current.

    <!-- editor: regions -->   the region files there are, to copy one as a start
    <!-- editor: keys -->      the main keys of a region file: words, how to write the value, cite
    <!-- editor: example -->   a real mistake message: a region file with `facilities` misspelled,
                               compiled in a scratch directory when the page is built
    <!-- editor: codes -->     every mistake code with what is wrong and what to write instead
"""

from __future__ import annotations

import functools
import re
import tempfile
from pathlib import Path

from calculator.errors import PolicyDataError
from compiler import compile_policies
from compiler.mistakes import CODES
from vocabulary import ENUMS, SHAPES
from vocabulary.files import FACILITIES, GROUPS

from .figures import esc

MARKER = re.compile(r"^<!-- editor: ([a-z]+) -->$", re.M)
POLICIES = Path(__file__).resolve().parent.parent / "policies"
# The mappings an editor writes most, in the order a file has them, and what each one is.
MAIN = {
    "region_file": "地区文件的最上层",
    "document": "一份政策文件（documents 下的一项）",
    "scheme": "一个险种（schemes 下的一项）",
    "version": "一个版本（versions 下的一项）",
    "care": "一种就医类型的待遇（care 下的一项）",
    "layer": "基本医保之后的一层保障（layers 下的一项）",
    "remote_reason": "一种异地就医情形的规定（remote 下的一项）",
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
_HOW = {
    "text": "中文文字",
    "note": "中文文字：来源怎么说或没有说",
    "name": "中文文字",
    "cite": "<code>文件编号/条款编号</code>",
    "id": "编号（小写字母、数字、下划线）",
    "doc_id": "文件编号",
    "date": "年-月-日",
    "monthday": "月-日",
    "bool": "<code>true</code> 或 <code>false</code>",
    "true": "<code>true</code>",
    "amount": "金额（元）",
    "upto": "金额（元），没有上限写 <code>null</code>",
    "rate": "0 到 1 的小数（0.15 表示 15%）",
    "year": "年份",
    "map": "下一层的键",
    "table": "编号: 下一层",
    "list": "列表",
    "either": "一个数字或一张表",
}


def _how(node: dict) -> str:
    kind = node["is"]
    if kind == "enum":
        return "、".join(f"<code>{k}</code>（{esc(v)}）" for k, v in ENUMS[node["enum"]].items())
    if kind == "count":
        return f"整数（{esc(node['unit'])}）"
    if kind == "list" and node.get("ids_of"):
        return "本险种声明的" + (GROUPS if node["ids_of"] == "group" else FACILITIES) + "编号列表"
    return _HOW[kind]


class EditorParts:
    def __init__(self, pages):
        self.pages = pages

    def fill(self, md: str, text: str) -> str:
        return MARKER.sub(lambda m: getattr(self, m.group(1))(md), text)

    def regions(self, md: str) -> str:
        rows = ["| 地区 | 文件 | 险种 |", "| --- | --- | --- |"]
        for region in self.pages.regions.values():
            link = self.pages.site.mdrel(md, f"regions/{region['id']}/index.md")
            schemes = "、".join(
                esc(self.pages.policies[p]["name"]) for p in region["policies"] if p in self.pages.policies
            )
            rows.append(f"| [{esc(region['name'])}]({link}) | <code>{esc(region['file'])}</code> | {schemes} |")
        return "\n".join(rows)

    def keys(self, md: str) -> str:
        out = []
        for name, title in MAIN.items():
            shape = SHAPES[name]
            out += [f"#### {esc(title)}", ""]
            out += ["| 键 | 含义 | 怎么写 | 必填 | 要出处 |", "| --- | --- | --- | --- | --- |"]
            for key, child in shape["keys"].items():
                if key in ("cite", "note"):
                    continue
                required = "是" if key in shape["required"] else ""
                cite = "是" if child.get("figure") else ""
                out.append(f"| <code>{key}</code> | {esc(child['word'])} | {_how(child)} | {required} | {cite} |")
            out.append("")
        return "\n".join(out)

    def example(self, md: str) -> str:
        """A real message: the first region file with `facilities` misspelled, compiled in a scratch copy."""
        first = next(iter(self.pages.regions.values()), None)
        source = POLICIES / Path(first["file"]).name if first else None
        if source is None or not source.exists() or "\n    facilities:" not in source.read_text(encoding="utf-8"):
            return "（构建时没有可以演示的地区文件。）"
        files = tuple((path.name, path.read_bytes()) for path in sorted(POLICIES.glob("*.yaml")))
        return _misspelled(files, source.name)

    def codes(self, md: str) -> str:
        rows = ["| 代码 | 问题 | 怎么改 |", "| --- | --- | --- |"]
        for code, (problem, fix) in CODES.items():
            cells = [
                esc(PLACEHOLDER.sub("…", t.replace("{{", "{").replace("}}", "}"))).replace("|", "\\|")
                for t in (problem, fix)
            ]
            rows.append(f"| <code>{code}</code> | {cells[0]} | {cells[1]} |")
        return "\n".join(rows)


@functools.cache
def _misspelled(files: tuple[tuple[str, bytes], ...], name: str) -> str:
    """The compiler's message for policies/<name> with `facilities` misspelled, the other files as
    `files` hold them (name, bytes): the same files give the same message, so each process
    compiles it once (tests render the pages many times)."""
    with tempfile.TemporaryDirectory() as scratch:
        for other, data in files:
            (Path(scratch) / other).write_bytes(data)
        text = dict(files)[name].decode("utf-8").replace("\n    facilities:", "\n    facilites:", 1)
        (Path(scratch) / name).write_text(text, encoding="utf-8")
        try:
            compile_policies(scratch)
        except PolicyDataError as exc:
            message = f"policies/{name}:{exc.line}: {exc.reason.split(chr(10) + '另有')[0]}"
        else:  # pragma: no cover - the misspelling is always refused
            return "（演示失败：编译器没有发现这个错误。）"
    return "```text\n" + message + "\n```"
