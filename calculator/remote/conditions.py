"""Naming the illness: the region's list of emergency conditions, and the synonym table.

A typed name matches a listed name, its id, or an alternative name the bundle's
`synonyms` table (policies/synonyms.yaml: alternative -> listed name) maps to it,
after trimming and normalising (full-width letters, spaces, punctuation). A
wider name (the bundle's `may_mean`: 心肌梗死 also covers an old infarction)
matches nothing: the checker asks which listed condition is meant.
"""

from __future__ import annotations

import unicodedata

_IGNORED = set(" \t\r\n\u3000·•、，,。.；;：:（）()“”\"'‘’")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return "".join(ch for ch in text if ch not in _IGNORED)


def match(typed: str | None, items: dict, synonyms: dict) -> str | None:
    """The listed name `typed` stands for, or None."""
    if not typed:
        return None
    key = normalise(typed)
    names = {normalise(label): label for label in items.values()}
    names.update({normalise(item_id): label for item_id, label in items.items()})
    if key in names:
        return names[key]
    listed = set(items.values())
    for alternative, target in synonyms.items():
        if target in listed and normalise(alternative) == key:
            return target
    return None


def may_mean(typed: str | None, items: dict, table: dict) -> list[str]:
    """The listed names a wider name may stand for (policies/synonyms.yaml `may_mean`); [] when none."""
    if not typed:
        return []
    key, listed = normalise(typed), set(items.values())
    for wider, names in table.items():
        if normalise(wider) == key:
            return [name for name in names if name in listed]
    return []


def question(typed: str, names: list[str]) -> str:
    """Ask which listed condition a wider name means."""
    options = "、".join(f"“{name}”" for name in names)
    which = "这一名称" if len(names) == 1 else "其中相应的名称"
    return (
        f"“{typed}”比清单上的急救病种说得宽：可能是其中的{options}，也可能不是急救病种。"
        f"请确认：如果是，请把病情改填为{which}；如果不是，按清单以外的情况办理（见下）。"
    )
