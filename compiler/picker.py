"""The region picker's entries (`catalog.index`): one light entry per policy, with the region's
name in pinyin, so the form finds a city typed as 汉字, pinyin or initials (build time: pypinyin)."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def spoken(name: str) -> tuple[str, str]:
    """("changchunshi", "ccs") for 长春市: the name before any note in brackets, lower case, no spaces."""
    short = name.split("（")[0] or name
    full = "".join(lazy_pinyin(short)).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(short, style=Style.FIRST_LETTER)).lower().replace(" ", "")
    return full, initials


def entries(catalog_policies: list[dict]) -> list[dict]:
    """For each policy of the catalogue, in its order: what the picker lists and matches."""
    out = []
    for p in catalog_policies:
        full, initials = spoken(p["region_name"])
        out.append(
            {
                "id": p["id"],
                "title": p["title"],
                "region": p["region"],
                "region_name": p["region_name"],
                "province": p["province"],
                "name": p["name"],
                "pinyin": full,
                "initials": initials,
            }
        )
    return out
