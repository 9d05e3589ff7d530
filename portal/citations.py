"""Who cites what: the reverse index of clauses, the documents a scheme relies on, and their dates."""

from __future__ import annotations

from .labels import word
from .policy_page import version_title


def _walk_cites(obj, found):
    """Call found(cite) for every `cite` in a structure, in order."""
    if isinstance(obj, dict):
        c = obj.get("cite")
        if isinstance(c, str):
            found(c)
        for k, v in obj.items():
            if k != "cite":
                _walk_cites(v, found)
    elif isinstance(obj, list):
        for v in obj:
            _walk_cites(v, found)


def citations(bundle: dict) -> dict:
    """doc-id -> clause-id -> [(policy id, where-label)], from every version's changes, remote, lists."""
    out: dict = {}

    def add(obj, pid, where):
        def found(c):
            if "/" in c:
                d, _, cl = c.partition("/")
                lst = out.setdefault(d, {}).setdefault(cl, [])
                if (pid, where) not in lst:
                    lst.append((pid, where))

        _walk_cites(obj, found)

    for pid, pol in bundle.get("policies", {}).items():
        for v in pol.get("versions", []):
            for cid, care in (v.get("changes") or {}).items():
                label = (care.get("label") if isinstance(care, dict) else None) or (
                    (v.get("care") or {}).get(cid) or {}
                ).get("label")
                add(care, pid, f"{label or cid}（{version_title(v)}）")
        if pol.get("remote"):
            add(pol["remote"], pid, word("scheme", "remote"))
        if pol.get("lists"):
            add(pol["lists"], pid, word("scheme", "lists"))
    if bundle.get("national"):
        add(bundle["national"], "national", "全国跨省异地就医规则")
    return out


def docs_of(policy: dict, current_only: bool = False) -> list:
    """Documents a policy cites, in order of first citation (only the newest version's, if asked)."""
    seen: list = []

    def found(c):
        d = c.partition("/")[0]
        if d not in seen:
            seen.append(d)

    versions = policy.get("versions", [])
    if current_only:
        _walk_cites(versions[-1].get("care") if versions else None, found)
        return seen
    for v in versions:
        _walk_cites(v.get("changes"), found)
    _walk_cites(policy.get("remote"), found)
    _walk_cites(policy.get("lists"), found)
    return seen
