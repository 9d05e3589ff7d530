"""Naming the illness: the region's list of emergency conditions, and the synonym table.

A typed name matches a listed name, its id, or an alternative name the bundle's
`synonyms` table (policies/synonyms.yaml: alternative -> listed name) maps to it,
after trimming and normalising (full-width letters, spaces, punctuation).
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
