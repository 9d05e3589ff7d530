"""Every generated page: schemes, regions, documents, their indexes, the glossary, the home page's cards."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
from pathlib import Path

import jinja2

from compiler.keys import content_key

from . import dating
from .citations import citations, docs_of
from .editing import EditorParts
from .example import worked_example
from .figures import esc, paren
from .glossary import Glossary, load
from .guides import RegionLists
from .history import history
from .labels import STATUS, topic_label, word
from .links import Site
from .policy_page import PolicyPage, version_title

TEMPLATES = Path(__file__).resolve().parent / "templates"


def place(region: dict) -> str:
    """Province and name, without doubling (北京市, not 北京市北京市) or repeating 来源未具名."""
    province, name = region.get("province") or "", region.get("name") or ""
    if not province or province == name or province.startswith("来源未"):
        return name
    return province + name


def descriptive(d: dict) -> bool:
    """The title is ours (a description of the content), not the document's own."""
    notes = "".join(d.get(k) or "" for k in ("title_note", "date_note", "status_note"))
    return bool(d.get("title_descriptive")) or any(
        w in notes + d["title"] for w in ("按内容概括", "标题为本站", "原文标题")
    )


def doc_title(d: dict) -> str:
    """The title as listed; a descriptive title says so (unless its text already does)."""
    if not descriptive(d) or "原文标题" in d["title"]:
        return d["title"]
    return d["title"] + "（标题为本站按内容概括，非原文标题）"


def doc_meta(d: dict) -> str:
    """（发文机关，文号，日期） for lists of documents."""
    bits = [d.get("issuer") or "发文机关来源未载明"]
    if d.get("number"):
        bits.append(d["number"])
    if d.get("date"):
        bits.append(d["date"])
    return paren("，".join(bits))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["e"] = esc
    env.filters["paren"] = paren
    env.globals.update(
        STATUS=STATUS,
        topic_label=topic_label,
        word=word,
        version_title=version_title,
        place=place,
        doc_title=doc_title,
        doc_meta=doc_meta,
        descriptive=descriptive,
    )
    return env


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


class Pages:
    def __init__(self, bundle: dict, out: Path, today: dt.date, cache: Path | None = None):
        self.bundle = bundle
        self.out = out
        self.today = today
        self.cache = cache  # a region's pages kept by what they are made of (RegionCache)
        self._unit: dict | None = None  # the pages of the region being rendered, by .md path
        self.env = _env()
        self.site = Site(bundle)
        self.documents = bundle.get("documents", {})
        self.regions = bundle.get("regions", {})
        self.policies = bundle.get("policies", {})
        self.policy_md = {pid: f"regions/{p['region']}/{p['scheme']}.md" for pid, p in self.policies.items()}
        self.glossary = Glossary(load(bundle), self.site.rel)

    def emit(self, md: str, text: str) -> None:
        _write(self.out / md, text)
        if self._unit is not None:
            self._unit[md] = text

    def write(self, md: str, template: str, **values) -> None:
        self.emit(md, self.env.get_template(template).render(**values))

    def all(self, hand_written: list[Path], shares: int = 1) -> None:
        """Every page; with `shares` > 1, the region, scheme and document pages of share 0 only
        (another process renders the others: `many`)."""
        self.many(0, shares)
        if self.bundle.get("national"):
            self.national()
        self.document_index()
        self.region_index()
        _write(self.out / "regions" / "_example.md", worked_example(self.bundle, self.site))
        _write(self.out / "guides" / "glossary.md", self.glossary.page())
        self.list_regions_in_guides(hand_written)
        self.explain_words_in_guides()

    def many(self, share: int = 0, shares: int = 1) -> None:
        """The pages of the regions (with their schemes and documents) and of the national
        documents, those of one share of `shares` (every `shares`-th, from `share`). A region's
        pages come from the cache when nothing they are made of changed."""
        cited = citations(self.bundle)
        by_region: dict = {}
        for doc_id, doc in self.documents.items():
            by_region.setdefault(doc.get("region") if doc.get("region") in self.regions else None, []).append(doc_id)
        kept = RegionCache(self) if self.cache is not None else None
        for rid, region in list(self.regions.items())[share::shares]:
            docs, hist = by_region.get(rid, []), history(region["file"]) if region.get("file") else []
            key = kept.key(rid, region, docs, cited, hist) if kept else None
            if key and kept.restore(key):
                continue
            self._unit = {}
            self.region(rid, region, hist)
            for pid in region.get("policies", []):
                if pid in self.policies:
                    self.scheme(self.policies[pid])
            for doc_id in docs:
                self.document(doc_id, self.documents[doc_id], cited.get(doc_id, {}))
            unit, self._unit = self._unit, None
            if key:
                kept.store(key, unit)
        for doc_id in by_region.get(None, [])[share::shares]:
            self.document(doc_id, self.documents[doc_id], cited.get(doc_id, {}))

    def list_regions_in_guides(self, hand_written: list[Path]) -> None:
        """The hand-written pages (copied into the build) get their lists of regions from the data,
        and the editor's guide what the vocabulary and the compiler know."""
        fillers = [("<!-- regions: ", RegionLists(self)), ("<!-- editor: ", EditorParts(self))]
        for path in hand_written:
            text = path.read_text(encoding="utf-8")
            for marker, filler in fillers:
                if marker in text:
                    text = filler.fill(path.relative_to(self.out).as_posix(), text)
                    path.write_text(text, encoding="utf-8")

    def explain_words_in_guides(self) -> None:
        """The hand-written guides (copied into the build) get the same box of explained words under their title."""
        for path in sorted((self.out / "guides").glob("*.md")):
            if path.name in ("glossary.md", "index.md"):
                continue
            md = path.relative_to(self.out).as_posix()
            text = path.read_text(encoding="utf-8")
            box = self.glossary.words_box(text, md)
            head, sep, rest = text.partition("\n# ")
            if box and sep:
                title, _, body = rest.partition("\n")
                path.write_text(f"{head}{sep}{title}\n\n{box}{body}", encoding="utf-8")

    def region(self, rid: str, region: dict, hist: list) -> None:
        md = f"regions/{rid}/index.md"
        schemes = [self.policies[pid] for pid in region.get("policies", []) if pid in self.policies]
        docs_here = sorted(
            (d for d in self.documents.values() if d.get("region") == rid), key=lambda d: d.get("date") or ""
        )
        self.write(
            md,
            "region.md.j2",
            region=region,
            schemes=schemes,
            docs=docs_here,
            calc=self.site.rel(md, "calculator/index.md"),
            link=lambda to, anchor="": self.site.mdrel(md, to, anchor),
            policy_md=self.policy_md,
            history=hist,
        )

    def scheme(self, pol: dict) -> None:
        md = self.policy_md[pol["id"]]
        page = PolicyPage(self.site, pol, md)
        versions = pol.get("versions", [])
        current = versions[-1] if versions else None
        region_md = f"regions/{pol['region']}/index.md"
        text = self.env.get_template("scheme.md.j2").render(
            p=pol,
            place=place(self.regions.get(pol["region"], {})),
            page=page,
            current=current,
            versions=versions,
            lead=page.lead(current["care"], lambda w: self.glossary.link(w, md)) if current else "",
            dated=dating.rules_note(self.documents, docs_of(pol, current_only=True), self.today),
            region_url=self.site.mdrel(md, region_md),
            calc=self.site.rel(md, "calculator/index.md"),
            national=self.site.mdrel(md, "regions/national.md") if self.bundle.get("national") else None,
            docs=[self.documents[d] for d in docs_of(pol) if d in self.documents],
            doc_link=lambda d: self.site.mdrel(md, f"documents/{d}.md"),
        )
        words = self.glossary.words_box(text, md)
        self.emit(md, text.replace("<!-- words -->\n", words))

    def national(self) -> None:
        md = "regions/national.md"
        page = PolicyPage(self.site, {"facilities": {}, "members": []}, md)
        national = self.bundle["national"]
        text = self.env.get_template("national.md.j2").render(
            national={k: v for k, v in national.items() if k != "lists"},
            lists=national.get("lists"),
            page=page,
            docs=[d for d in self.documents.values() if d.get("region") == "national"],
            doc_link=lambda d: self.site.mdrel(md, f"documents/{d}.md"),
        )
        _write(self.out / md, text.replace("<!-- words -->\n", self.glossary.words_box(text, md)))

    def document(self, doc_id: str, doc: dict, refs: dict) -> None:
        md = f"documents/{doc_id}.md"
        users = sorted({pid for lst in refs.values() for pid, _ in lst})
        self.write(
            md,
            "document.md.j2",
            d=doc,
            documents=self.documents,
            region=self.regions.get(doc.get("region"), {}),
            refs=refs,
            users=users,
            policies=self.policies,
            plink=lambda pid: self.site.rel(md, self.policy_md.get(pid, "regions/national.md")),
            mplink=lambda pid: self.site.mdrel(md, self.policy_md.get(pid, "regions/national.md")),
            dlink=lambda d: self.site.rel(md, f"documents/{d}.md"),
            rlink=lambda r: self.site.rel(md, f"regions/{r}/index.md"),
        )

    def document_index(self) -> None:
        by_region: dict = {}
        by_topic: dict = {}
        for doc in self.documents.values():
            by_region.setdefault(doc.get("region") or "national", []).append(doc)
            for t in doc.get("topics") or []:
                by_topic.setdefault(topic_label(t), []).append(doc)
        by_date = sorted(self.documents.values(), key=lambda d: (d.get("date") or "9999", d["id"]))
        md = "documents/index.md"
        self.write(
            md,
            "documents.md.j2",
            by_region=by_region,
            by_topic=by_topic,
            by_date=by_date,
            regions=self.regions,
            dlink=lambda d: self.site.rel(md, f"documents/{d}.md"),
        )

    def region_index(self) -> None:
        provinces: dict = {}
        for region in self.regions.values():
            provinces.setdefault(region.get("province") or "其他", []).append(region)
        md = "regions/index.md"
        self.write(
            md,
            "regions.md.j2",
            provinces=provinces,
            policies=self.policies,
            national=bool(self.bundle.get("national")),
            link=lambda to: self.site.rel(md, to),
            mlink=lambda to: self.site.mdrel(md, to),
            policy_md=self.policy_md,
        )
        # the home page includes this list of cards (pymdownx.snippets)
        self.write(
            "regions/_cards.md",
            "cards.md.j2",
            provinces=provinces,
            policies=self.policies,
            link=lambda to: self.site.rel("index.md", to),
            policy_md=self.policy_md,
        )


class RegionCache:
    """A region's pages (its own, its schemes', its documents'), kept by a hash of everything they
    are made of: the region, its policies and documents, who cites those documents and the
    documents they name, the region file's history, and what every page shares (the bundle but
    its regions, policies and documents and what is derived from them; the national documents,
    which any policy may cite; the date; the portal's, compiler's and vocabulary's code and
    templates). A policy cites only its own region's documents and the national ones (the
    compiler refuses any other), so a rebuild after one region's change renders that region."""

    CODE = ("portal", "portal/templates", "compiler", "calculator", "vocabulary")
    PER_REGION = ("documents", "regions", "policies", "catalog", "synonyms", "may_mean")

    def __init__(self, pages: Pages):
        self.pages, self.dir = pages, Path(pages.cache)
        b = pages.bundle
        national_docs = {d: doc for d, doc in pages.documents.items() if doc.get("region") not in pages.regions}
        shared = ({k: v for k, v in b.items() if k not in self.PER_REGION}, national_docs, pages.today)
        self.shared = content_key(_code_key(self.CODE), shared).encode()

    def key(self, rid: str, region: dict, docs: list, cited: dict, hist: list) -> str:
        pages = self.pages
        own = {d: pages.documents[d] for d in docs}
        named = {s: pages.documents.get(s) for d in own.values() for k in RELATIONS for s in d.get(k) or []}
        refs = {d: cited.get(d, {}) for d in docs}
        users = {pid: pages.policies.get(pid) for r in refs.values() for lst in r.values() for pid, _ in lst}
        policies = {pid: pages.policies.get(pid) for pid in region.get("policies", [])}
        unit = (rid, region, policies, own, named, refs, users, hist)
        return content_key(self.shared, unit)

    def restore(self, key: str) -> bool:
        """Write the region's pages kept under `key`; False if there are none."""
        path = self.dir / f"{key}.pickle"
        if not path.exists():
            return False
        for md, text in pickle.loads(path.read_bytes()).items():
            _write(self.pages.out / md, text)
        return True

    def store(self, key: str, unit: dict) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tmp = self.dir / f"{key}.{os.getpid()}.tmp"  # whole or not at all: builds share the cache
        tmp.write_bytes(pickle.dumps(unit, protocol=5))
        os.replace(tmp, self.dir / f"{key}.pickle")


RELATIONS = ("supersedes", "superseded_by", "based_on")  # other documents a document page names


@functools.cache
def _code_key(packages: tuple[str, ...]) -> bytes:
    """A hash of the code and templates the pages come from (read once per process)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for package in packages:
        for path in sorted(p for p in (root / package).iterdir() if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


# From this many region and document pages on, a second process renders half of them (two cores).
MANY = 200


def render(
    bundle: dict, out: Path, today: dt.date | None = None, processes: int | None = None, cache: Path | None = None
) -> None:
    """Write the generated pages into `out` (a build directory holding a copy of docs/), in
    `processes` processes (1 or 2; by default 2 from MANY region and document pages on); with
    `cache` (a directory), a region's pages are kept there (RegionCache)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    out, day = Path(out), dating.build_date(today)
    hand_written = sorted(out.rglob("*.md"))  # the copy of docs/, before any page is generated
    pages = Pages(bundle, out, day, cache)
    if processes is None:
        processes = 2 if len(pages.regions) + len(pages.documents) >= MANY else 1
    if processes == 1:
        pages.all(hand_written)
        return
    # Spawned, not forked: the build runs subprocesses in the background (sitebuild.compression.warm).
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        other = pool.submit(_render_share, bundle, str(out), day, 1, 2, cache)
        pages.all(hand_written, shares=2)
        other.result()


def _render_share(bundle: dict, out: str, day: dt.date, share: int, shares: int, cache: Path | None) -> None:
    Pages(bundle, Path(out), day, cache).many(share, shares)
