"""Cross-checks on citations and documents: every figure cited, every unknown noted, every cite resolves."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from .files import NATIONAL, PolicyFile
from .messages import describe, dotted, some

# Nulls that are structure, not unknown figures: `upto: null` is an open band.
NULL_IS_STRUCTURE = {"upto"}


def walk(obj: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    """Yield (path, value) for every node (iteratively: depth is bounded by the loader anyway)."""
    todo = [(path, obj)]
    while todo:
        path, node = todo.pop()
        yield path, node
        if isinstance(node, dict):
            todo.extend(reversed([(path + (k,), v) for k, v in node.items()]))
        elif isinstance(node, list):
            todo.extend(reversed([(path + (i,), v) for i, v in enumerate(node)]))


def rule_nodes(f: PolicyFile) -> Iterator[tuple[tuple, object]]:
    """The parts of a file that hold rules (everything but `documents`)."""
    for k, v in f.data.items():
        if k != "documents":
            yield (k,), v


def _figure(value) -> str:
    if isinstance(value, list):
        return some(x for x in value if isinstance(x, Decimal))
    return str(value)


def _check_mapping(f: PolicyFile, path, node: dict) -> None:
    """A number held directly needs a cite here; a null figure needs a note here."""
    uncited = "cite" not in node
    for key, value in node.items():
        held = [value] if not isinstance(value, list) else [x for x in value if not isinstance(x, (dict, list))]
        if uncited and any(isinstance(x, Decimal) for x in held):
            uncited = False  # one report per mapping
            f.add(
                path + (key,),
                f"{dotted(path + (key,))} 是数字（{_figure(value)}），但 {dotted(path)} 没有注明出处："
                f"请加 cite: <文件>/<条款> (has no cite)",
            )
        if value is None and key not in NULL_IS_STRUCTURE:
            needed = {"from": "from_note", "basis": "basis_note"}.get(key, "note")
            if needed not in node and (key == "basis" or "note" not in node):
                f.add(
                    path + (key,),
                    f"{dotted(path + (key,))} 是 null，但 {dotted(path)} 没有 {needed} 说明来源未规定什么"
                    f" (no {needed})",
                )


def _check_cite(f: PolicyFile, path, cite, docs_of) -> bool:
    """True when the cite names a document (its clause is checked too)."""
    here = path + ("cite",)
    if not isinstance(cite, str) or "/" not in cite:
        f.add(here, f"{dotted(here)} 要写成 <文件>/<条款>（<document-id>/<clause-id>），而不是{describe(cite)}")
        return False
    doc_id, clause = cite.split("/", 1)
    doc = docs_of(doc_id)
    if doc is None:
        where = f.name if f.stem == NATIONAL else f"{f.name} 或 policies/national.yaml"
        f.add(here, f"出处 {cite!r}：{where} 里没有文件 {doc_id!r} (no document {doc_id!r})")
        return False
    if clause not in (doc.get("clauses") or {}):
        f.add(
            here,
            f"出处 {cite!r}：文件 {doc_id!r} 没有条款 {clause!r}（它的条款：{some(doc.get('clauses') or {})}）"
            f" (has no clause {clause!r})",
        )
    return True


def check_cites_notes(f: PolicyFile, docs_of) -> list:
    """Numbers need a cite in their mapping; null figures need a note; cites resolve.
    Returns [(path, document id)] for every cite that names a document."""
    cited = []
    for base, part in rule_nodes(f):
        for path, node in walk(part, base):
            if not isinstance(node, dict):
                continue
            _check_mapping(f, path, node)
            if "cite" in node and _check_cite(f, path, node["cite"], docs_of):
                cited.append((path, node["cite"].split("/", 1)[0]))
    return cited


def check_date(f: PolicyFile, path, value) -> None:
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            f.add(path, f"{dotted(path)}：{value!r} 不是真实存在的日期（YYYY-MM-DD）(not a real date)")


def check_documents(f: PolicyFile, all_docs: dict) -> None:
    for doc_id, doc in (f.data.get("documents") or {}).items():
        path = ("documents", doc_id)
        if doc.get("date") is None and not doc.get("date_note"):
            f.add(path + ("date",), f"文件 {doc_id}：date 是 null，但没有 date_note 说明原因")
        check_date(f, path + ("date",), doc.get("date"))
        for rel in ("supersedes", "based_on"):
            for i, other in enumerate(doc.get(rel) or []):
                if other == doc_id:
                    f.add(path + (rel, i), f"文件 {doc_id} 在 {rel} 里写了它自己")
                elif other not in all_docs:
                    f.add(
                        path + (rel, i),
                        f"文件 {doc_id}：{rel} 写的 {other!r} 在任何政策文件里都没有声明 (no policy file declares it)",
                    )


def collect_documents(files) -> tuple[dict, dict]:
    """All documents by id, and the file declaring each; a repeated id is a mistake."""
    all_docs, doc_file = {}, {}
    for f in files:
        for doc_id, doc in f.data["documents"].items():
            if doc_id in all_docs:
                f.add(
                    ("documents", doc_id),
                    f"文件编号 {doc_id!r} 已在 {doc_file[doc_id].name} 里声明过 (already declared)",
                )
            else:
                all_docs[doc_id], doc_file[doc_id] = doc, f
    return all_docs, doc_file


def check_all_cited(all_docs: dict, doc_file: dict, cited_by: dict) -> None:
    referenced = {o for d in all_docs.values() for rel in ("supersedes", "based_on") for o in d.get(rel) or []}
    for doc_id, who in cited_by.items():
        if not who and doc_id not in referenced:
            doc_file[doc_id].add(
                ("documents", doc_id),
                f"文件 {doc_id} 从未被引用，也没有别的文件依据它或取代它：请引用它或删除它 (never cited)",
            )
