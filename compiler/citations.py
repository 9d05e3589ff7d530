"""Every figure cited, every unknown said, every cite resolving: the one place these are checked.

A figure (a key the vocabulary marks `figure`: an amount, a rate, a count…) needs `cite` in the
same mapping; a null figure needs `note` saying what the source leaves open, and a null start or
basis its `from_note` or `basis_note` (the vocabulary's `null_note`); `upto: null` is an open band.
A cite names a document of this file (or of national.yaml) and one of the clauses it declares.
"""

from __future__ import annotations

from decimal import Decimal

from .files import NATIONAL, PolicyFile
from .mistakes import quoted
from .shapes import near, typed_file


def _clause_named(f: PolicyFile, path) -> str | None:
    """A clause of this file whose id names a key of the path (emp-deductible for a deductible),
    the nearest key first."""
    clauses = [(doc_id, c) for doc_id, doc in (f.data.get("documents") or {}).items() for c in doc.get("clauses") or {}]
    for key in reversed(path):
        if isinstance(key, str) and len(key) > 3:
            found = [f"{doc_id}/{c}" for doc_id, c in clauses if key in c.replace("-", "_")]
            if found:
                return found[0]
    return None


def _nearby_cite(f: PolicyFile, path) -> str | None:
    """The cite written closest to path: an enclosing mapping's, or a neighbour's in the same list
    or table (the one before it first)."""
    nodes = [f.data]
    for key in path:
        node = nodes[-1]
        nodes.append(node[key] if isinstance(node, (dict, list)) else None)
    for depth in range(len(path) - 1, -1, -1):
        container, key = nodes[depth], path[depth]
        if isinstance(container, dict) and isinstance(container.get("cite"), str) and depth < len(path) - 1:
            return container["cite"]
        if isinstance(container, list):
            order = list(range(key - 1, -1, -1)) + list(range(key + 1, len(container)))
            neighbours = [container[i] for i in order]
        elif isinstance(container, dict):
            keys = list(container)
            at = keys.index(key) if key in keys else 0
            neighbours = [container[k] for k in keys[:at][::-1] + keys[at + 1 :]]
        else:
            continue
        for item in neighbours:
            if isinstance(item, dict) and isinstance(item.get("cite"), str):
                return item["cite"]
    return None


def _figure_text(value) -> str:
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value).lower()


def _check_mapping(f: PolicyFile, path, shape: dict, node: dict) -> None:
    """A figure held here needs a cite here; a null figure (or a null start, basis, date) its note."""
    uncited = "cite" not in node
    for key, value in node.items():
        child = shape["keys"].get(key) or shape.get("rows") or {}
        if value is None:
            note = child.get("null_note", "note") if (child.get("figure") or child.get("null_note")) else None
            if note and note not in node:
                f.add(path + (key,), "needs-note", note=note)
        elif uncited and child.get("figure"):
            uncited = False  # one report per mapping
            named, nearby = _clause_named(f, path + (key,)), _nearby_cite(f, path + (key,))
            guess = (
                f"“cite: {named}”（条款编号与这里的键相同）"
                if named
                else f"“cite: {nearby}”（旁边一项的出处）"
                if nearby
                else None
            )
            f.add(path + (key,), "needs-cite", figure=_figure_text(value), guess=guess)


def _check_cite(f: PolicyFile, path, cite: str, docs_of) -> bool:
    """True when the cite names a document (its clause is checked too)."""
    here = path + ("cite",)
    doc_id, clause = cite.split("/", 1)
    doc = docs_of(doc_id)
    if doc is None:
        where = f"“{f.name}”" if f.stem == NATIONAL else f"“{f.name}”和“policies/national.yaml”"
        known = list(f.data.get("documents") or {})
        guess = near(doc_id, known)
        f.add(
            here,
            "cite-unknown-document",
            cite=cite,
            where=where,
            doc=doc_id,
            guess=f"“{guess}/{clause}”" if guess else None,
        )
        return False
    clauses = doc.get("clauses") or {}
    if clause not in clauses:
        guess = near(clause, list(clauses))
        f.add(
            here,
            "cite-unknown-clause",
            cite=cite,
            doc=doc_id,
            clause=clause,
            clauses=quoted(clauses.items()),
            guess=f"“{doc_id}/{guess}”（{clauses[guess]}）" if guess else None,
        )
    return True


def check_cites_notes(f: PolicyFile, docs_of) -> list:
    """Figures cited, null figures noted, cites resolving (everything but `documents`).
    Returns [(path, document id)] for every cite that names a document."""
    cited = []
    for path, shape, node in typed_file(f):
        if shape["is"] != "map" or not isinstance(node, dict) or (path and path[0] == "documents" and len(path) > 2):
            continue
        _check_mapping(f, path, shape, node)
        if path[:1] != ("documents",) and isinstance(node.get("cite"), str):
            if _check_cite(f, path, node["cite"], docs_of):
                cited.append((path, node["cite"].split("/", 1)[0]))
    return cited


def check_documents(f: PolicyFile, all_docs: dict) -> None:
    """A document's supersedes and based_on name other documents some file declares."""
    for doc_id, doc in (f.data.get("documents") or {}).items():
        path = ("documents", doc_id)
        for relation in ("supersedes", "based_on"):
            for i, other in enumerate(doc.get(relation) or []):
                if other == doc_id:
                    f.add(path + (relation, i), "document-self", doc=doc_id, relation=relation)
                elif other not in all_docs:
                    guess = near(other, list(all_docs))
                    f.add(
                        path + (relation, i),
                        "document-unknown",
                        doc=doc_id,
                        relation=relation,
                        other=other,
                        guess=f"“{guess}”" if guess else None,
                    )


def collect_documents(files) -> tuple[dict, dict]:
    """All documents by id, and the file declaring each; a repeated id is a mistake."""
    all_docs, doc_file = {}, {}
    for f in files:
        for doc_id, doc in f.data["documents"].items():
            if doc_id in all_docs:
                f.add(("documents", doc_id), "document-declared-twice", doc=doc_id, other=doc_file[doc_id].name)
            else:
                all_docs[doc_id], doc_file[doc_id] = doc, f
    return all_docs, doc_file


def check_all_cited(all_docs: dict, doc_file: dict, cited_by: dict) -> None:
    referenced = {o for d in all_docs.values() for rel in ("supersedes", "based_on") for o in d.get(rel) or []}
    for doc_id, who in cited_by.items():
        if not who and doc_id not in referenced:
            doc_file[doc_id].add(("documents", doc_id), "document-never-cited", doc=doc_id)
