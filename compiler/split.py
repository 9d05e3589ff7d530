"""The full bundle split for the browser: an index and one part per region (see DESIGN.md, "Bundles").

    index   everything but the regions' own documents, the policies and `catalog.policies`;
            `catalog.index` (one light entry per policy, for the region picker) stays
    part    {"region", "documents", "policies", "catalog"}: one region's documents, its
            policies and their form entries

A region's policies cite only their own documents and national.yaml's (the compiler's cite
check resolves nothing else), so the index and one part answer every request for that
region exactly as the full bundle does; `calculator.data.add_region` merges a part back.
"""

from __future__ import annotations

import copy

from .files import NATIONAL


def split(bundle: dict) -> tuple[dict, dict[str, dict]]:
    """(index, {region id: part}); merging every part into the index gives the bundle back."""
    regional = {d for d, doc in bundle["documents"].items() if doc.get("region") != NATIONAL}
    index = {k: v for k, v in bundle.items() if k not in ("documents", "policies", "catalog")}
    index["documents"] = {d: doc for d, doc in bundle["documents"].items() if d not in regional}
    index["policies"] = {}
    index["catalog"] = {k: v for k, v in bundle["catalog"].items() if k != "policies"}
    index["catalog"]["policies"] = []
    entries = {entry["id"]: entry for entry in bundle["catalog"]["policies"]}
    parts = {}
    for rid, region in bundle["regions"].items():
        parts[rid] = {
            "region": rid,
            "documents": {d: doc for d, doc in bundle["documents"].items() if doc.get("region") == rid},
            "policies": {pid: bundle["policies"][pid] for pid in region["policies"]},
            "catalog": [entries[pid] for pid in region["policies"]],
        }
    return copy.deepcopy(index), parts
