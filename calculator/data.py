"""The compiled policy bundle the engine reads.

The runtime never compiles YAML: the browser worker loads the bundle's index
(data/index.json) and adds the region files it needs; the CLI loads the whole
bundle or the site's data/ directory; tests load the bundle the compiler (a
build-time package) returns. Index + a region's file answer every request for
that region exactly as the full bundle does (DESIGN.md, "Bundles").
"""

import json

_bundle = None
_regions: dict = {}  # region id -> the part added (add_region), in the order added


class NoBundleError(RuntimeError):
    """The engine was asked a question before any policy bundle was loaded."""


def load_bundle(data) -> dict:
    """Use this bundle (a dict, or JSON text): the full bundle, or its index (then add_region)."""
    global _bundle
    _bundle = json.loads(data) if isinstance(data, (str, bytes)) else data
    _regions.clear()
    return _bundle


def add_region(data) -> str:
    """Merge one region's part (a dict, or JSON text: {"region", "documents", "policies",
    "catalog"}) into the loaded index; adding the same region again changes nothing.
    Returns the region's id."""
    part = json.loads(data) if isinstance(data, (str, bytes)) else data
    index = bundle()
    rid = part["region"]
    if rid in _regions:
        return rid
    _regions[rid] = part
    # New dicts, not updated ones: what was derived from the old ones (trace's sources) is redone.
    index["documents"] = {**index["documents"], **part["documents"]}
    index["policies"] = {**index["policies"], **part["policies"]}
    catalog = index.get("catalog")
    if catalog is not None:
        order = {entry["id"]: i for i, entry in enumerate(catalog.get("index") or [])}
        entries = catalog["policies"] + part["catalog"]
        catalog["policies"] = sorted(entries, key=lambda e: order.get(e["id"], len(order)))
    return rid


def loaded_regions() -> list[str]:
    """The regions whose parts were added to the index (empty when a full bundle was loaded)."""
    return list(_regions)


def remove_regions() -> list[dict]:
    """Take every added region out again (the worker's memory snapshot holds the index only);
    returns the parts, for add_region."""
    index = bundle()
    parts = list(_regions.values())
    for part in parts:
        index["documents"] = {k: v for k, v in index["documents"].items() if k not in part["documents"]}
        index["policies"] = {k: v for k, v in index["policies"].items() if k not in part["policies"]}
        if index.get("catalog") is not None:
            ids = {entry["id"] for entry in part["catalog"]}
            index["catalog"]["policies"] = [e for e in index["catalog"]["policies"] if e["id"] not in ids]
    _regions.clear()
    return parts


def region_of(policy_id) -> str | None:
    """The region of a policy the index lists but whose region is not added yet, else None."""
    catalog = bundle().get("catalog") or {}
    for entry in catalog.get("index") or []:
        if entry["id"] == policy_id and entry["id"] not in bundle()["policies"]:
            return entry["region"]
    return None


def bundle() -> dict:
    if _bundle is None:
        raise NoBundleError("no policy bundle loaded: call calculator.load_bundle() with the bundle or its index first")
    return _bundle


def load_path(path) -> dict:
    """Load a bundle file (the full bundle, policies.json) or a site's data/ directory (index.json
    and every region file it lists). OSError when a file cannot be read, ValueError when it is not JSON."""
    from pathlib import Path

    path = Path(path)
    if not path.is_dir():
        return load_bundle(path.read_bytes())
    index = load_bundle((path / "index.json").read_bytes())
    for name in (index.get("region_files") or {}).values():
        add_region((path / name).read_bytes())
    return index
