"""The compiled policy bundle the engine reads.

The runtime never compiles YAML: the browser worker loads the bundle's index
(data/index.json) and adds the region files it needs (add_region); the CLI
loads the whole bundle or the site's data/ directory (load_path); tests load
the bundle the compiler (a build-time package) returns. Index + a region's file
answer every request for that region exactly as the full bundle does
(DESIGN.md, "Bundles").

load_bundle() checks that what it is given is a bundle of the format this
engine reads (FORMAT, which the compiler writes) and has the parts the
engine looks up, before anything reads it: otherwise BundleError (codes
`not_a_bundle`, `bundle_format`), and no bundle is in use until a good one is
loaded, so a later question is answered with that error, never with a
KeyError deep inside an estimate. add_region() checks a region's part the same way.
"""

import contextlib
import json

FORMAT = 3  # the bundle format this engine reads (3: an index and a part per region, with the vocabulary)

# The parts the engine reads, and their JSON types; the optional ones may be absent.
# labels, fields, words: the vocabulary's words (the engine keeps none of its own: calculator/words.py).
_REQUIRED = {
    "format": int,
    "documents": dict,
    "policies": dict,
    "calendar": dict,
    "labels": dict,
    "fields": dict,
    "words": dict,
}
_OPTIONAL = {"glossary": list, "synonyms": dict, "national": dict, "regions": dict, "catalog": dict}
_CALENDAR = {"first": str, "last": str, "holidays": list, "workdays": list}
_POLICY = {"id": str, "region": str, "region_name": str, "name": str, "facilities": dict, "members": list}
_TYPE_WORDS = {int: "整数", dict: "映射（JSON 对象）", list: "列表", str: "文字"}

_bundle = None
_failure = None  # the BundleError of the last load, when it failed
_regions: dict = {}  # region id -> the part added (add_region), in the order added


class NoBundleError(RuntimeError):
    """The engine was asked a question before any policy bundle was loaded."""


class BundleError(ValueError):
    """What load_bundle() was given is not a policy bundle this engine reads.

    `code`: not_a_bundle (not JSON, or a part missing or of the wrong type) or bundle_format
    (another format version); `message`: Chinese, says what is wrong (callers add which file)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _part(value, key: str, kind: type, where: str) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BundleError("not_a_bundle", f"{where}“{key}”应当是{_TYPE_WORDS[kind]}")


def _check_format(data) -> None:
    """A JSON object of this engine's format, checked before its parts: another format may have other parts."""
    if not isinstance(data, dict):
        raise BundleError("not_a_bundle", "内容应当是一个 JSON 对象")
    if "format" not in data:
        raise BundleError("not_a_bundle", "缺少 format")
    _part(data["format"], "format", int, "格式版本 ")
    if data["format"] != FORMAT:
        raise BundleError(
            "bundle_format",
            f"格式版本是 {data['format']}，这个版本的计算器只能读取格式 {FORMAT}（请用同一版本的程序重新构建）",
        )


def check_bundle(data) -> dict:
    """The bundle itself when its shape and format are the ones this engine reads; else BundleError."""
    _check_format(data)
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise BundleError("not_a_bundle", f"缺少 {'、'.join(missing)}")
    for key, kind in {**_REQUIRED, **_OPTIONAL}.items():
        if key in data:
            _part(data[key], key, kind, "政策数据的 ")
    for key, kind in _CALENDAR.items():
        _part(data["calendar"].get(key), key, kind, "节假日安排（calendar）的 ")
    for pid, policy in data["policies"].items():
        _part(policy, pid, dict, "政策 ")
        for key, kind in _POLICY.items():
            _part(policy.get(key), key, kind, f"政策 {pid} 的 ")
        versions = policy.get("versions")
        if not isinstance(versions, list) or not versions:
            raise BundleError("not_a_bundle", f"政策 {pid} 没有任何版本（versions）")
        for version in versions:
            _part(version, "versions", dict, f"政策 {pid} 的 ")
            _part(version.get("care"), "care", dict, f"政策 {pid} 的版本 ")
            if "from" not in version:
                raise BundleError("not_a_bundle", f"政策 {pid} 的版本缺少 from")
    return data


def load_bundle(data) -> dict:
    """Use this bundle (a dict, or JSON text) from now on: the full bundle, or its index (then
    add_region); BundleError when it is not one."""
    global _bundle, _failure
    _bundle = None
    try:
        if isinstance(data, (str, bytes, bytearray)):
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):
                raise BundleError("not_a_bundle", "内容不是有效的 JSON") from None
        _bundle, _failure = check_bundle(data), None
        _regions.clear()
    except BundleError as exc:
        _failure = exc
        raise
    return _bundle


@contextlib.contextmanager
def bundle_for_now(data):
    """Use this bundle inside the `with` only: the bundle loaded before it, with its regions,
    is back afterwards (the portal's build computes its worked example without changing what
    the rest of the process estimates with)."""
    global _bundle, _failure
    saved = _bundle, _failure, dict(_regions)
    try:
        yield load_bundle(data)
    finally:
        _bundle, _failure = saved[0], saved[1]
        _regions.clear()
        _regions.update(saved[2])


_PART = {"region": str, "documents": dict, "policies": dict, "catalog": list}


def _region_part(data) -> dict:
    """A region's part, checked like a bundle (BundleError `not_a_bundle` otherwise)."""
    if isinstance(data, (str, bytes, bytearray)):
        try:
            data = json.loads(data)
        except (ValueError, RecursionError):
            raise BundleError("not_a_bundle", "地区数据不是有效的 JSON") from None
    if not isinstance(data, dict):
        raise BundleError("not_a_bundle", "地区数据应当是一个 JSON 对象")
    for key, kind in _PART.items():
        _part(data.get(key), key, kind, "地区数据的 ")
    check_bundle({**bundle(), "policies": data["policies"]})
    return data


def add_region(data) -> str:
    """Merge one region's part (a dict, or JSON text: {"region", "documents", "policies",
    "catalog"}) into the loaded index; adding the same region again changes nothing.
    Returns the region's id."""
    part = _region_part(data)
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
        if _failure is not None:
            raise BundleError(_failure.code, _failure.message)
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
