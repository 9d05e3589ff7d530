"""Portal benchmark (not a test): python3 build.py bench portal

Prints:
- the build time of the bundled site (render the pages + `mkdocs build --strict`),
- the build time of a synthetic corpus of 340 regions x 2 schemes x 3 versions,
  generated on the fly from the bundled Changchun data into a temporary directory,
  with seconds per page and per 1000 pages,
- the transfer size of a region page: every file Chromium requests while loading
  it, gzip-compressed (what a static host with compression sends).
Targets: bundled <= 30 s, synthetic <= 45 s per 1000 pages, region page <= 150 KB.
"""

import copy
import gzip
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitebuild import pipeline  # noqa: E402
from sitebuild.server import make_server  # noqa: E402

PROVINCES = [
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
]


def copy_sources(root: Path) -> None:
    """What a fresh clone has: mkdocs.yml, the hand-written docs/ and the portal's templates and overrides."""
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "portal", root / "portal", ignore=shutil.ignore_patterns("__pycache__"))


def build_site(bundle: dict, root: Path) -> tuple[float, int]:
    """Render and build into root/site; seconds and number of HTML pages."""
    start = time.perf_counter()
    pipeline.run(pipeline.Build(root, bundle=bundle), pipeline.PORTAL)
    seconds = time.perf_counter() - start
    return seconds, sum(1 for _ in (root / "site").rglob("index.html"))


def _recite(obj, old: str, new: str):
    """Copy of a policy structure with citations of document `old` pointing at `new`."""
    if isinstance(obj, dict):
        return {
            k: (
                new + v[len(old) :]
                if k == "cite" and isinstance(v, str) and v.startswith(old + "/")
                else _recite(v, old, new)
            )
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_recite(v, old, new) for v in obj]
    return obj


def _scale(obj, factor):
    """Scale the money figures (not the rates) of a care structure, to make versions differ."""
    if isinstance(obj, dict):
        return {
            k: (str(int(int(v) * factor)) if isinstance(v, str) and v.isdigit() and k != "upto" else _scale(v, factor))
            for k, v in obj.items()
        }
    if isinstance(obj, list):
        return [_scale(v, factor) for v in obj]
    return obj


def synthetic_bundle(bundle: dict, regions: int = 340) -> dict:
    """The bundle plus `regions` x 2 schemes x 3 versions, each region with its own document, from
    Changchun's data (the bundled regions stay: the guides link to them)."""
    templates = [bundle["policies"]["changchun-employee"], bundle["policies"]["changchun-resident"]]
    doc = bundle["documents"]["cc-2010"]
    out = copy.deepcopy(bundle)
    for i in range(regions):
        rid = f"city{i:03d}"
        name = f"示例{i:03d}市"
        province = PROVINCES[i % len(PROVINCES)]
        doc_id = f"{rid}-rules"
        out["documents"][doc_id] = {
            **copy.deepcopy(doc),
            "id": doc_id,
            "region": rid,
            "title": f"{name}基本医疗保险待遇支付管理细则",
            "cited_by": [],
        }
        out["regions"][rid] = {
            "id": rid,
            "name": name,
            "province": province,
            "file": f"policies/{rid}.yaml",
            "policies": [],
        }
        for template in templates:
            pid = f"{rid}-{template['scheme']}"
            base = _recite(template["versions"][0]["changes"], "cc-2010", doc_id)
            versions = []
            for n, (start, factor) in enumerate([("2015-01-01", 1), ("2019-01-01", 1.2), ("2023-01-01", 1.5)]):
                changes = (
                    base
                    if n == 0
                    else {
                        cid: {k: v for k, v in _scale(care, factor).items() if k in ("deductible", "cap", "label")}
                        for cid, care in base.items()
                    }
                )
                care = _scale(base, factor)
                versions.append(
                    {
                        "from": start,
                        "from_note": None,
                        "summary": f"第{n + 1}版：调整起付线等金额。",
                        "changes": changes,
                        "care": care,
                    }
                )
            policy = {
                **copy.deepcopy(template),
                "id": pid,
                "region": rid,
                "region_name": name,
                "province": province,
                "versions": versions,
                "remote": _recite(template.get("remote"), "cc-2010", doc_id),
                "lists": _recite(template.get("lists"), "cc-2010", doc_id),
            }
            out["policies"][pid] = policy
            out["regions"][rid]["policies"].append(pid)
            out["documents"][doc_id]["cited_by"].append(pid)
    return out


def transfer_size(site: Path, path: str) -> tuple[int, int, list]:
    """Bytes (raw, gzip) of every same-origin file Chromium requests while loading `path`."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS

    server = make_server(site, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    urls = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: urls.append(r.url))
        page.goto(base + path, wait_until="networkidle")
        browser.close()
    server.shutdown()
    raw = packed = 0
    files = []
    for url in dict.fromkeys(urls):
        rel = unquote(urlparse(url).path).lstrip("/")
        file = site / rel
        if file.is_dir() or not rel:
            file = file / "index.html"
        if file.exists():
            data = file.read_bytes()
            raw += len(data)
            size = len(gzip.compress(data, 6))
            packed += size
            files.append((rel or "index.html", size))
    return raw, packed, files


def main() -> None:
    bundle = pipeline.run(pipeline.Build(), [pipeline.compile_policies]).bundle
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_sources(root)
        seconds, pages = build_site(bundle, root)
        print(
            f"portal: bundled site ({len(bundle['policies'])} schemes): {seconds:.1f} s for {pages} pages "
            f"(target <= 30 s)"
        )
        raw, packed, files = transfer_size(root / "site", "regions/changchun/employee/")
        page_only = sum(size for name, size in files if "search" not in name and "workers" not in name)
        print(
            f"portal: region page regions/changchun/employee/: {packed / 1024:.1f} KB gzip'd "
            f"({raw / 1024:.1f} KB raw, {len(files)} files; page + CSS/JS without the search "
            f"index and worker: {page_only / 1024:.1f} KB) (target <= 150 KB)"
        )
        for name, size in sorted(files, key=lambda f: -f[1])[:6]:
            print(f"         {size / 1024:7.1f} KB  {name}")
    synthetic = synthetic_bundle(bundle)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        copy_sources(root)
        t0 = time.perf_counter()
        pipeline.run(pipeline.Build(root, bundle=synthetic), [pipeline.date_the_build, pipeline.render_pages])
        render = time.perf_counter() - t0
        seconds, pages = build_site(synthetic, root)
        print(
            f"portal: synthetic corpus (bundle + 340 regions x 2 schemes x 3 versions): "
            f"{seconds:.1f} s for {pages} pages (rendering the Markdown: {render:.1f} s), "
            f"{seconds / pages:.3f} s per page, {seconds / pages * 1000:.1f} s per 1000 pages "
            f"(target <= 45 s per 1000 pages)"
        )
        raw, packed, files = transfer_size(root / "site", "regions/city000/employee/")
        index = sum(size for name, size in files if name.startswith("search/"))
        print(
            f"portal: synthetic region page regions/city000/employee/: {packed / 1024:.1f} KB gzip'd, of which "
            f"the site-wide search index {index / 1024:.1f} KB (fetched only once search is used: target 0)"
        )


if __name__ == "__main__":
    main()
