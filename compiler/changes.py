"""What changed between two states of the data, figure by figure, in words a reviewer reads.

A figure is a value the vocabulary marks `figure` (an amount, a rate, a count, a start…), named
by its place in words (compiler/places.py) and carried with its cite. Two states are compared
by those names: a figure added, one whose value or cite changed, one removed. The build lists
the changes against the previous build (sitebuild/pipeline.py); each region page lists them by
commit of its file (portal/history.py).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from vocabulary import FILES

from .keys import content_key
from .places import SEP, place
from .policies import source_key
from .shapes import typed

# A region's figures: {place in words: {"value": text, "unit": unit words, "cite": cite or None}}.


def _value(value, node: dict) -> str:
    unit = node.get("unit")
    if value is None:
        return "不设上限" if node.get("is") == "upto" else "来源未规定"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal) or (isinstance(value, str) and unit in ("元", "比例")):
        number = Decimal(str(value))
        if unit == "比例":
            return f"{(number * 100).normalize():f}%"
        text = f"{number.normalize():f}"
        return f"{text} 元" if unit == "元" else f"{text} {unit}" if unit else text
    return f"{value} {unit}" if unit and unit not in ("元", "比例") else str(value)


def figures(kind: str, data) -> dict:
    """Every figure of one file's data (as written, or rebuilt from a bundle), by its place."""
    out: dict = {}
    for path, node, value in typed(FILES[kind], data):
        if node.get("is") != "map" or not isinstance(value, dict):
            continue
        for key, item in value.items():
            child = node["keys"].get(key) or node.get("rows") or {}
            if child.get("figure") and not isinstance(item, (dict, list)):
                words = place(kind, data, path + (key,)).split(SEP, 1)[-1]  # the region is the file's
                if words in out:  # two figures with the same words: the path tells them apart
                    words += f"（{'.'.join(map(str, path + (key,)))}）"
                out[words] = {"value": _value(item, child), "cite": value.get("cite")}
    return out


def _version(v: dict) -> dict:
    """A version as written: its start and its own changes (the bundle keeps from_year's value only)."""
    out = {"from": v["from"], "care": v.get("changes") or {}}
    if v.get("from_year") is not None:
        out["from_year"] = {"value": Decimal(v["from_year"])}
    return out


def region_data(bundle: dict, region: str) -> dict:
    """A region's file as written, rebuilt from the bundle (each version's own changes)."""
    policies = [bundle["policies"][pid] for pid in bundle["regions"][region]["policies"]]
    first = policies[0]
    schemes = {
        p["scheme"]: {
            "name": p["name"],
            "facilities": p["facilities"],
            "members": p["members"],
            "versions": [_version(v) for v in p["versions"]],
            **{k: p[k] for k in ("remote", "lists", "insured_year") if p.get(k)},
        }
        for p in policies
    }
    documents = {k: d for k, d in bundle["documents"].items() if d.get("region") == region}
    return {"name": first["region_name"], "documents": documents, "service": first.get("service"), "schemes": schemes}


def bundle_figures(bundle: dict, cache: Path | None = None) -> dict:
    """{region id: its figures} of a whole bundle; the national rules under "national". With
    `cache` (a directory), each region's figures are kept there by what they are read from."""
    out = {rid: _figures("region_file", region_data(bundle, rid), cache) for rid in bundle.get("regions") or {}}
    if bundle.get("national"):
        out["national"] = _figures("national_file", {**bundle["national"], "documents": {}}, cache)
    return out


def _figures(kind: str, data: dict, cache: Path | None) -> dict:
    """figures(kind, data), kept in `cache` by the data's content key (compiler.keys) and the
    compiler's code: a rebuild reads again only the regions that changed."""
    if cache is None:
        return figures(kind, data)
    key = content_key(source_key(), kind, data)
    path = cache / f"{key}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    found = figures(kind, data)
    cache.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    return found


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cite_words(documents: dict, cite: str | None, limit: int = 200) -> str:
    """出处：《title》clause (each cut to `limit` characters), or that there is none."""
    if not cite:
        return "没有出处"
    doc_id, _, clause = cite.partition("/")
    doc = documents.get(doc_id)
    if not isinstance(doc, dict):
        return "出处：本站资料里没有这份文件"
    clauses = doc.get("clauses") if isinstance(doc.get("clauses"), dict) else {}
    return f"出处：《{_short(str(doc.get('title')), limit)}》{_short(str(clauses.get(clause, '')), limit)}"


def diff(old: dict, new: dict, documents: dict, limit: int = 200) -> list[str]:
    """The changes from one region's figures to another's, one line each, in words."""
    lines = []
    for words, now in new.items():
        was = old.get(words)
        where = cite_words(documents, now["cite"], limit)
        if was is None:
            lines.append(f"新增 {words}：{now['value']}（{where}）")
        elif was["value"] != now["value"]:
            lines.append(f"修改 {words}：{was['value']} → {now['value']}（{where}）")
        elif was["cite"] != now["cite"]:
            lines.append(f"改了出处 {words}：{now['value']}（{where}）")
    for words, was in old.items():
        if words not in new:
            lines.append(f"删除 {words}：原为 {was['value']}（{cite_words(documents, was['cite'], limit)}）")
    return lines


def report(old: dict, new: dict, names: dict, documents: dict) -> list[str]:
    """The changes of a whole build, region by region: what a reviewer reads after `build`."""
    out = []
    for rid in sorted(set(old) | set(new)):
        if rid not in old:
            out.append(f"{names.get(rid, rid)}：新增地区（{len(new[rid])} 个数字）")
        elif rid not in new:
            out.append(f"{rid}：地区已删除（原有 {len(old[rid])} 个数字）")
        else:
            lines = diff(old[rid], new[rid], documents)
            if lines:
                out.append(f"{names.get(rid, rid)}：{len(lines)} 处数字变化")
                out += [f"  {line}" for line in lines]
    return out
