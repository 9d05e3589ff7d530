"""Search that scales (DESIGN.md, "Search"): after `mkdocs build`, an index of the built pages split
into shards that the search worker fetches as a query needs them, for Material's own search UI.

    search/search_index.json   what Material's page fetches: its `config` (separator; `yb`: where the
                               pieces are, how many shards) and no documents
    search/<v>/pages.json      [[path, title], ...]: every page, by number
    search/<v>/t<k>.json       shard k: {term: [page, weight, page, weight, ...]} (pages as gaps)
    search/<v>/p<n>.json       page n's sections: [[anchor, title, text], ...] (the result's lines)

<v> is a hash of the whole index, so every piece is named by what it holds. Terms are what
docs/assets/javascripts/workers/search-zh.js makes of a query: each run of Chinese characters as
its pairs of characters (a run of one: the character), each run of letters or digits as a word,
after NFKC and lower case; the worker turns traditional characters into simplified ones first
(t2s.js, from OpenCC, for the characters the index holds). Nothing needs WebAssembly, and every
piece is a plain JSON file the service worker keeps once used.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import os
import pickle
import re
import shutil
import unicodedata
from pathlib import Path

SEPARATOR = r"[\s\u200b\u3000\-、。，．？！；：（）]+"  # what Material's page-side highlighter splits on
SHARD_BYTES = 24_000  # about this much JSON per shard (before compression)
SECTION_CHARS = 600  # text kept per section for the result's lines
SKIP = ("404.html", "bench/")
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[a-z0-9]+")
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEADING = re.compile(r'<h([1-3])\b(?:[^>]*?\sid="([^"]*)")?[^>]*>(.*?)</h\1>', re.S)
DROP = re.compile(r"<(script|style|svg)\b.*?</\1>|<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over the term's code points (the worker computes the same)."""
    h = 0x811C9DC5
    for ch in term:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def terms(text: str) -> list[str]:
    """The index's terms in `text` (pairs of Chinese characters, words of letters and digits)."""
    text = unicodedata.normalize("NFKC", text).lower()
    out = []
    for run in HAN_RUN.findall(text):
        out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    out.extend(WORD.findall(text))
    return out


def plain(fragment: str) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", DROP.sub(" ", fragment)))).strip()


def sections(page_html: str) -> tuple[str, list[list[str]]]:
    """(page title, [[anchor, heading, text], ...]) of a built page: the page's top first (anchor
    ""), then each h2/h3 with an id."""
    title_match = TITLE.search(page_html)
    title = plain(title_match.group(1)).split(" - ")[0] if title_match else ""
    article = ARTICLE.search(page_html)
    body = DROP.sub(" ", article.group(1)) if article else ""
    out, pos = [["", title, []]], 0
    for match in HEADING.finditer(body):
        out[-1][2].append(body[pos : match.start()])
        level, anchor, inner = match.group(1), match.group(2) or "", match.group(3)
        if level == "1":
            out[0][1] = plain(inner) or title
        elif anchor:
            out.append([anchor, plain(inner), []])
        else:
            out[-1][2].append(inner)
        pos = match.end()
    out[-1][2].append(body[pos:])
    return out[0][1], [[a, h, plain(" ".join(t))] for a, h, t in out]


def page_paths(site: Path) -> list[tuple[str, Path]]:
    """(URL path relative to the site, file) of every page, sorted."""
    out = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        rel = "" if rel == "." else rel + "/"
        if not rel.startswith(SKIP):
            out.append((rel, path))
    return out


def build_index(site: Path, cache: Path | None = None, built: Path | None = None) -> dict:
    """Write search/search_index.json and the pieces into `site`, from the pages of `built` (MkDocs's
    output, which the build's later steps do not change while this runs; by default `site`);
    returns the manifest (`config.yb`)."""
    pages, postings, last = [], {}, {}
    paths = page_paths(built or site)
    read = _read_pages([path for _, path in paths], cache)
    # Each term's [page, weight, page, weight, ...] with pages as gaps, made in one pass (pages
    # come in order): over 2,700 pages this loop runs 1.8 million times.
    for number, ((rel, _path), (title, secs, counts)) in enumerate(zip(paths, read, strict=True)):
        pages.append((rel, title, secs))
        for term, count in counts.items():
            flat = postings.get(term)
            if flat is None:
                postings[term] = [number, count]
            else:
                flat += (number - last[term], count)
            last[term] = number
    body = sum(len(t) * 3 + 4 * len(flat) for t, flat in postings.items())  # 8 bytes a posting
    shards = max(1, math.ceil(body / SHARD_BYTES))
    split: list[dict] = [{} for _ in range(shards)]
    for term in sorted(postings):
        split[fnv1a(term) % shards][term] = postings[term]
    files = {"pages.json": [[rel, title] for rel, title, _ in pages]}
    for k, shard in enumerate(split):
        files[f"t{k}.json"] = shard
    for n, (_rel, _title, secs) in enumerate(pages):
        files[f"p{n}.json"] = [[a, h, t[:SECTION_CHARS]] for a, h, t in secs]
    texts = {name: json.dumps(obj, ensure_ascii=False, separators=(",", ":")) for name, obj in files.items()}
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode() + b"\0" + texts[name].encode("utf-8"))
    version = digest.hexdigest()[:10]
    _write_pieces(site / "search", version, texts)
    out = site / "search"
    yb = {
        "base": f"{version}/",
        "shards": shards,
        "pages": len(pages),
        # What keeps search whole offline (the calculator's keep-all button): without the page
        # pieces, results show the page titles only.
        "files": ["pages.json", *(f"t{k}.json" for k in range(shards))],
    }
    manifest = {"config": {"lang": ["zh"], "separator": SEPARATOR, "pipeline": [], "fields": {}, "yb": yb}, "docs": []}
    (out / "search_index.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    # One string, then its set: a set built character by character took a second at 2,700 pages.
    _traditional(site, set("".join(title + "".join(s[1] + s[2] for s in secs) for _, title, secs in pages)))
    return yb


def _write_pieces(out: Path, version: str, texts: dict[str, str]) -> None:
    """search/<version>/ holding exactly these pieces, and nothing else under search/ but the
    manifest. A rebuild renames the previous version's directory and rewrites only the pieces
    that changed (most pages' pieces are the same under the new name); their .br and .gz
    siblings are sitebuild.compression's, which removes those left without a piece."""
    target = out / version
    previous = sorted(p for p in out.iterdir() if p.is_dir()) if out.is_dir() else []
    if previous and target not in previous:
        previous[0].rename(target)
    for path in out.iterdir() if out.is_dir() else []:
        if path.is_dir() and path != target:
            shutil.rmtree(path)
        elif path.is_file() and not path.name.endswith((".br", ".gz")) and path.name != "search_index.json":
            path.unlink()
    target.mkdir(parents=True, exist_ok=True)
    old = {p.name for p in target.iterdir() if not p.name.endswith((".br", ".gz"))}
    for name in sorted(old - texts.keys()):
        (target / name).unlink()
    for name, text in texts.items():
        data = text.encode("utf-8")
        if name in old and (target / name).read_bytes() == data:
            continue
        (target / name).write_bytes(data)


def _term_counts(secs: list[list[str]]) -> dict[str, int]:
    """How often each term occurs in a page's sections."""
    counts: dict[str, int] = {}
    # Headings count as text: a document's clause names repeat a word its page uses once,
    # while the scheme pages, whose tables hold the figures, use the figure words most.
    for _anchor, heading, text in secs:
        for term in terms(heading) + terms(text):
            counts[term] = counts.get(term, 0) + 1
    return counts


# From this many pages not in the cache, a second process reads half of them (two cores).
MANY = 200


def _read_pages(paths: list[Path], cache: Path | None) -> list:
    """_read_page of every page: those in the cache from it, the others in two processes when
    there are many (a cold build of hundreds of regions)."""
    # Each page's key in the cache: a hash of its bytes (a rebuild reads only pages that changed).
    keys = [cache / f"{hashlib.sha256(p.read_bytes()).hexdigest()}-terms.pickle" if cache else None for p in paths]
    results: list = [None] * len(paths)
    todo = []
    for i, key in enumerate(keys):
        if key is not None and key.exists():
            results[i] = pickle.loads(key.read_bytes())  # not JSON: decoding 2,700 of those took most of a second
        else:
            todo.append(i)
    if len(todo) >= MANY:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Spawned: a forked child of a process with threads (the build's background steps)
        # would inherit their locks and pipes.
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
            done = pool.map(_read_page, [paths[i] for i in todo], [keys[i] for i in todo], chunksize=32)
            for i, result in zip(todo, done, strict=True):
                results[i] = result
    else:
        for i in todo:
            results[i] = _read_page(paths[i], keys[i])
    return results


def _read_page(path: Path, key: Path | None) -> list:
    """[title, sections, term counts] of a page file, kept in the cache as `key` if given."""
    title, secs = sections(path.read_text(encoding="utf-8"))
    result = [title, secs, _term_counts(secs)]
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        tmp = key.with_name(f"{key.name}.{os.getpid()}.tmp")  # whole or not at all: builds share the cache
        tmp.write_bytes(pickle.dumps(result, protocol=5))
        os.replace(tmp, key)
    return result


def _traditional(site: Path, used: set[str]) -> None:
    """site/assets/javascripts/workers/t2s.js: traditional -> simplified for the characters the
    index uses, so a query in traditional characters (起付線, 異地就醫) finds what its simplified
    form finds."""
    import opencc

    used = {c for c in used if "\u3400" <= c <= "\u9fff"}
    to_simple = opencc.OpenCC("t2s")
    variants = [opencc.OpenCC(name) for name in ("s2t", "s2tw", "s2hk")]
    pairs = {}
    for c in sorted(used):
        for conv in variants:
            t = conv.convert(c)
            if len(t) == 1 and t != c and to_simple.convert(t) == c:
                pairs[t] = c
    text = "".join(t + s for t, s in sorted(pairs.items()))
    out = site / "assets" / "javascripts" / "workers" / "t2s.js"
    tmp = out.with_name(f"{out.name}.{os.getpid()}.tmp")  # whole or not at all: the build's other steps run meanwhile
    tmp.write_text(
        "// generated by the build from OpenCC: traditional, simplified pairs\n"
        f"self.T2S = {json.dumps(text, ensure_ascii=False)}\n",
        encoding="utf-8",
    )
    os.replace(tmp, out)


def remove_lunr(site: Path) -> None:
    """Material's own search (lunr, its worker): this site's search worker needs neither."""
    shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)
    for path in (site / "assets" / "javascripts" / "workers").glob("search.*"):
        path.unlink()
