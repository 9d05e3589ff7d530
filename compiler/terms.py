"""policies/glossary.yaml and policies/synonyms.yaml: word lists beside the policies, not policies.

Both are optional (absent = empty). The glossary is a list of
{term, anchor, short, long}: unique terms and anchors, Chinese text. The
synonym table maps another name of an emergency condition to the name a
region lists under remote.<reason>.conditions.items (the same condition), or a
wider name to {may_mean: [listed names]}: the conditions it may mean, which the
checker asks about instead of matching.
"""

from __future__ import annotations

import re
from pathlib import Path

from .files import PolicyFile, raise_mistakes
from .shapes import near

HAN = re.compile(r"[\u3400-\u9fff]")
GLOSSARY_KEYS = ("term", "anchor", "short", "long")


def _read(path: Path) -> PolicyFile | None:
    if not path.exists():
        return None
    f = PolicyFile(path)
    f.read()
    raise_mistakes([f])
    return f


def glossary(path: Path) -> list:
    """[{term, anchor, short, long}] in the file's order; [] when the file is absent."""
    f = _read(path)
    if f is None:
        return []
    seen: dict[str, dict] = {"term": {}, "anchor": {}}
    for i, entry in enumerate(f.data):
        for key in ("term", "short", "long"):
            if not HAN.search(entry[key]):
                f.add((i, key), "not-chinese", value=entry[key][:40])
        if "\n" in entry["short"].strip():
            f.add((i, "short"), "short-not-one-line")
        for key in ("term", "anchor"):
            first = seen[key].setdefault(entry[key], i)
            if first != i:
                f.add((i, key), "repeated-entry", value=entry[key], first=f.lines[(first,)])
    raise_mistakes([f])
    return [{k: e[k].strip() for k in GLOSSARY_KEYS} for e in f.data]


def listed_conditions(policies: dict) -> set:
    """Every condition name a region lists under remote.<reason>.conditions.items."""
    return {
        label
        for p in policies.values()
        for rule in (p.get("remote") or {}).values()
        if isinstance(rule, dict)
        for label in ((rule.get("conditions") or {}).get("items") or {}).values()
    }


def synonyms(path: Path, policies: dict) -> tuple[dict, dict]:
    """({another name: listed name}, {wider name: [listed names it may mean]}); ({}, {}) when absent."""
    f = _read(path)
    if f is None:
        return {}, {}
    listed = listed_conditions(policies)
    same, wider = {}, {}
    for alt, value in f.data.items():
        if alt in listed:
            f.add((alt,), "synonym-is-listed", value=alt)
        targets = value["may_mean"] if isinstance(value, dict) else [value]
        for i, name in enumerate(targets):
            if name not in listed:
                where = (alt, "may_mean", i) if isinstance(value, dict) else (alt,)
                guess = near(name, sorted(listed), cutoff=0.5)
                f.add(where, "synonym-unlisted", value=name, guess=f"“{guess}”" if guess else None)
        if isinstance(value, dict):
            wider[alt] = list(targets)
        else:
            same[alt] = value
    raise_mistakes([f])
    return same, wider
