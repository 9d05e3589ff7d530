"""Bundle assembly: validated files -> the JSON-ready dict the runtime reads (see policies/README.md).

Numbers leave as their decimal text, dates as "YYYY-MM-DD"; a scheme's versions
are merged so each version carries its full rules, as the vocabulary says (`merge`).
"""

from __future__ import annotations

from decimal import Decimal

from vocabulary import SHAPES
from vocabulary.files import child

from .files import NATIONAL, PolicyFile
from .shapes import near

# A version's `care`: care id -> the rules of that care type.
CARE_TABLE = SHAPES["scheme"]["keys"]["versions"]["of"]["keys"]["care"]


def merge(old: object, new: object, node: dict | None = CARE_TABLE) -> object:
    """A later version over an earlier one: mappings merge key by key, except those the vocabulary
    replaces whole (a row of figures with its cite); lists and values are replaced."""
    if isinstance(old, dict) and isinstance(new, dict) and not (node and node.get("merge") == "whole"):
        out = dict(old)
        for k, v in new.items():
            out[k] = merge(old[k], v, child(node, k, v)) if k in old else v
        return out
    return new


def plain(obj: object) -> object:
    """Decimal -> its text, recursively (the bundle is JSON)."""
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


def documents(all_docs: dict, doc_file: dict, cited_by: dict) -> dict:
    superseded_by = {d: [] for d in all_docs}
    for doc_id, doc in all_docs.items():
        for old in doc.get("supersedes") or []:
            superseded_by[old].append(doc_id)
    out = {}
    for doc_id, doc in all_docs.items():
        out[doc_id] = {
            "id": doc_id,
            "issuer": doc["issuer"],
            "title": doc["title"],
            "number": doc.get("number"),
            "date": doc.get("date"),
            "date_note": doc.get("date_note"),
            "status": doc["status"],
            "status_note": doc.get("status_note"),
            "supersedes": list(doc.get("supersedes") or []),
            "superseded_by": superseded_by[doc_id],
            "based_on": list(doc.get("based_on") or []),
            "topics": list(doc.get("topics") or []),
            "summary": doc["summary"],
            "clauses": dict(doc["clauses"]),
            "region": doc_file[doc_id].stem,
            "cited_by": cited_by[doc_id],
        }
    return out


def _versions(f: PolicyFile, sid: str, scheme: dict) -> list:
    care, versions, incomplete = {}, [], set()
    for i, v in enumerate(scheme["versions"]):
        changes = v.get("care") or {}
        earlier = list(care)
        care = merge(care, changes)
        for cid, rules in care.items():
            missing = [k for k in ("label", "method") if k not in rules]
            if missing and cid not in incomplete:
                incomplete.add(cid)
                # a care type a later version names wrongly (inpateint) is new, and so has no label
                guess = near(cid, [c for c in earlier if c != cid])
                f.add(
                    ("schemes", sid, "versions", i, "care"),
                    "care-incomplete",
                    care=cid,
                    missing="、".join(f"“{k}”" for k in missing),
                    guess=f"“{guess}”（前面版本里的就医类型）" if guess else None,
                )
        versions.append(
            {
                "from": v["from"],
                "from_year": int(v["from_year"]["value"]) if v.get("from_year") else None,
                "applies_from": v.get("applies_from"),
                "from_note": v.get("from_note"),
                "summary": v["summary"],
                "changes": plain(changes),
                "care": plain(care),
            }
        )
    return versions


def policy(f: PolicyFile, sid: str, scheme: dict) -> dict:
    d = f.data
    return {
        "id": f"{f.stem}-{sid}",
        "region": f.stem,
        "region_name": d["name"],
        "province": d["province"],
        "scheme": sid,
        "name": scheme["name"],
        "facilities": dict(scheme["facilities"]),
        "members": [
            {
                "id": m["id"],
                "label": m["label"],
                "when": list(m.get("when") or []),
                "when_any": list(m.get("when_any") or []),
            }
            for m in scheme["members"]
        ],
        "versions": _versions(f, sid, scheme),
        "remote": plain(scheme.get("remote")),
        "lists": plain(scheme.get("lists")),
        "insured_year": plain(scheme.get("insured_year")),
        "service": plain(d.get("service")),
    }


def regions_and_policies(files) -> tuple[dict, dict]:
    regions, policies = {}, {}
    for f in files:
        if f.stem == NATIONAL:
            continue
        d = f.data
        regions[f.stem] = {
            "id": f.stem,
            "name": d["name"],
            "province": d["province"],
            "file": f"policies/{f.path.name}",
            "policies": [],
        }
        for sid, scheme in d["schemes"].items():
            regions[f.stem]["policies"].append(f"{f.stem}-{sid}")
            policies[f"{f.stem}-{sid}"] = policy(f, sid, scheme)
    return regions, policies


def national(files) -> dict:
    nat = next((f for f in files if f.stem == NATIONAL), None)
    return plain({k: v for k, v in nat.data.items() if k != "documents"}) if nat else {}
