"""The policy data as the browser fetches it: data/index.json and one file per region
(compiler/split.py splits the compiled bundle), each region file named by its content's hash so
any host may cache it for ever; and the bundle the standard library is traced on."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

from compiler.split import split


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def region_files(bundle: dict) -> dict[str, bytes]:
    """Every file of data/regions/ that write() writes, by its path relative to data/ (the build
    compresses them ahead)."""
    return dict(_named(rid, part) for rid, part in split(bundle)[1].items())


def _named(rid: str, part: dict) -> tuple[str, bytes]:
    data = dumps(part).encode("utf-8")
    return f"regions/{rid}.{hashlib.sha256(data).hexdigest()[:10]}.json", data


def write(bundle: dict, out: Path, version: str) -> dict:
    """data/index.json (with `version`, the data version pages show, `region_files`: region id
    -> its file relative to data/, and `region_bytes`: about what all of them transfer) and
    data/regions/<id>.<hash>.json. Returns the index. A region file already there (its name is
    its content's hash) is left as it is, so a rebuild rewrites the regions that changed only."""
    index, parts = split(bundle)
    (out / "regions").mkdir(parents=True, exist_ok=True)
    files, sent = {}, 0
    for rid, part in parts.items():
        name, data = _named(rid, part)
        if not (out / name).is_file() or (out / name).read_bytes() != data:
            (out / name).write_bytes(data)
        files[rid] = name
        sent += len(gzip.compress(data, 6, mtime=0))  # about what a host sends (brotli sends less)
    index["version"] = version
    index["region_files"] = files
    index["region_bytes"] = sent  # keeping every region offline downloads about this much
    wanted = {out / "index.json", *(out / name for name in files.values())}
    # What a fresh build would not hold (a region gone, a file changed); the compressed siblings
    # are sitebuild.compression's, which removes those left without their file.
    for path in sorted(out.rglob("*")):
        if path.is_dir() and path != out / "regions":
            shutil.rmtree(path)
        elif path.is_file() and path not in wanted and not path.name.endswith((".br", ".gz")):
            path.unlink()
    text = dumps(index).encode("utf-8")
    if not (out / "index.json").is_file() or (out / "index.json").read_bytes() != text:
        (out / "index.json").write_bytes(text)
    return index


def shape(node) -> str:
    """A value's structure without its figures and text, as one string: what decides which code
    runs on it (a list's shape is the set of its items' shapes)."""
    if isinstance(node, dict):
        return "{" + ",".join(f"{k!r}:{shape(v)}" for k, v in sorted(node.items())) + "}"
    if isinstance(node, list):
        return "[" + ",".join(sorted({shape(v) for v in node})) + "]"
    return type(node).__name__


def one_of_each_shape(bundle: dict) -> dict:
    """The bundle with one policy of each shape of rules (the first): the standard library's trace
    answers every request the catalogue offers for them, and the same modules serve the rest (a
    synthetic corpus of 340 copies of one region's shape is traced once, not 340 times, and as the
    same input as the 10 regions it copies: the trace's cached result serves both)."""
    seen, keep = set(), []
    for pid, policy in bundle["policies"].items():
        key = shape({k: v for k, v in policy.items() if k not in ("id", "region")})
        if key not in seen:
            seen.add(key)
            keep.append(pid)
    regions = {bundle["policies"][pid]["region"] for pid in keep}
    out = dict(bundle)
    out["policies"] = {pid: bundle["policies"][pid] for pid in keep}
    out["regions"] = {rid: r for rid, r in bundle["regions"].items() if rid in regions}
    out["documents"] = {
        d: {**doc, "cited_by": [c for c in doc.get("cited_by") or [] if c in keep or c == "national"]}
        for d, doc in bundle["documents"].items()
        if doc.get("region") in regions | {"national"}
    }
    out["catalog"] = {
        **bundle["catalog"],
        "policies": [e for e in bundle["catalog"]["policies"] if e["id"] in keep],
        "index": [e for e in bundle["catalog"].get("index", []) if e["id"] in keep],
    }
    return out
