"""Build time only: policies/*.yaml -> the bundle the engine and the browser read.

    read (yaml_loader: limits, Decimal numbers, lines) -> shape (shapes, from the vocabulary)
    -> cross-checks (citations, checks) -> bundle (bundle, holidays, terms)

Every mistake ends as one PolicyDataError `file:line: reason` (Chinese, with its code and
its place in words), the first mistakes listed once each; nothing else escapes
compile_policies. Needs PyYAML and chinese-calendar, so the runtime package `calculator`
never imports this package.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

import vocabulary
from calculator.catalog import build_catalog
from calculator.data import FORMAT  # the format the runtime reads (calculator.load_bundle checks it)
from calculator.errors import PolicyDataError

from . import bundle as assemble
from . import picker, terms
from .checks import check_scheme
from .citations import check_all_cited, check_cites_notes, check_documents, collect_documents
from .files import GLOSSARY, NATIONAL, NOT_POLICIES, SYNONYMS, Mistake, PolicyFile, raise_mistakes
from .holidays import calendar
from .mistakes import words


def _read_one(path: Path) -> tuple:
    f = PolicyFile(path)
    loaded = f.read()
    return loaded, f.data, f.lines, f.mistakes, f.stopped_at


@functools.cache
def source_key() -> bytes:
    """What a file's reading depends on besides the file: the vocabulary's and the compiler's code
    (read once per process: the code does not change under a build)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(
        p for package in ("compiler", "calculator", "vocabulary") for p in (root / package).glob("*.py")
    ):
        digest.update(path.read_bytes())
    return digest.digest()


def _read_files(files: list[PolicyFile], cache: Path | None) -> list[bool]:
    """PolicyFile.read() of every file: cached by the file's bytes (a rebuild reads only the files
    that changed), the rest in two processes when there are many."""
    source = source_key() if cache else b""
    keys = [hashlib.sha256(source + f.path.read_bytes()).hexdigest() if cache else None for f in files]
    results: list = [None] * len(files)
    todo = []
    for i, key in enumerate(keys):
        hit = cache / f"{key}.pickle" if cache else None
        if hit and hit.exists():
            results[i] = pickle.loads(hit.read_bytes())
        else:
            todo.append(i)
    if len(todo) > 8:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Spawned: a forked child of a process with threads (a test's browser, the build's
        # background steps) would inherit their locks and pipes.
        with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
            for i, result in zip(todo, pool.map(_read_one, [files[i].path for i in todo], chunksize=8), strict=True):
                results[i] = result
    else:
        for i in todo:
            results[i] = _read_one(files[i].path)
    for i in todo:
        if cache and not results[i][3]:  # only clean files are kept: a mistake is always reported afresh
            cache.mkdir(parents=True, exist_ok=True)
            tmp = cache / f"{keys[i]}.{os.getpid()}.tmp"
            tmp.write_bytes(pickle.dumps(results[i]))
            os.replace(tmp, cache / f"{keys[i]}.pickle")
    loaded = []
    for f, (ok, data, lines, mistakes, stopped_at) in zip(files, results, strict=True):
        f.data, f.lines, f.mistakes, f.stopped_at = data, lines, list(mistakes), stopped_at
        loaded.append(ok)
    return loaded


def _read_all(directory: Path, cache: Path | None = None) -> list[PolicyFile]:
    """Load and schema-check every policy file (national first)."""
    paths = sorted(
        (p for p in directory.glob("*.yaml") if p.stem not in NOT_POLICIES),
        key=lambda p: (p.stem != NATIONAL, p.name),
    )
    if not paths:
        raise _whole(directory, "no-policy-files")
    files = [PolicyFile(p) for p in paths]
    for f, loaded in zip(files, _read_files(files, cache), strict=True):
        if not loaded:
            continue
        if not isinstance(f.data, dict):
            f.mistakes = [Mistake(1, "not-a-mapping", *words("not-a-mapping"))]
        elif f.kind == "region_file" and isinstance(f.data.get("region"), str) and f.data["region"] != f.stem:
            f.add(("region",), "region-not-file-name", value=f.data["region"], stem=f.stem)
    raise_mistakes(files)
    return files


def _whole(directory: Path, code: str, **values) -> PolicyDataError:
    """A mistake of the whole build (no file, or the compiler's own), naming the directory."""
    problem, fix = words(code, **values)
    return PolicyDataError(str(directory), None, f"{problem}〔{code}〕\n    应当写：{fix}", code=code)


def _cross_check(files: list[PolicyFile], cache: Path | None = None) -> tuple[dict, dict, dict]:
    """The checks the schema cannot express; returns documents, their files and who cites each.
    With `cache`, a file's own checks (its cites and notes, its schemes) found clean are kept
    there by the file's bytes and the national file's (its cites name only its own documents
    and the national ones); the checks across files run every time."""
    all_docs, doc_file = collect_documents(files)
    national = next((f for f in files if f.stem == NATIONAL), None)
    national_docs = national.data["documents"] if national else {}
    common = source_key() + (national.path.read_bytes() if national else b"") if cache else b""
    cited_by: dict[str, list[str]] = {d: [] for d in all_docs}
    for f in files:
        own = f.data["documents"]

        def docs_of(doc_id, own=own):
            return own.get(doc_id) or national_docs.get(doc_id)

        check_documents(f, all_docs)
        kept = cache / f"{hashlib.sha256(common + f.path.read_bytes()).hexdigest()}-checked.pickle" if cache else None
        if kept and kept.exists():
            cited = pickle.loads(kept.read_bytes())
        else:
            cited = check_cites_notes(f, docs_of)
            for sid, scheme in (f.data.get("schemes") or {}).items():
                check_scheme(f, sid, scheme)
            if kept and not f.mistakes:  # a mistake is always reported afresh
                kept.parent.mkdir(parents=True, exist_ok=True)
                tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
                tmp.write_bytes(pickle.dumps(cited))
                os.replace(tmp, kept)
        for path, doc_id in cited:
            who = NATIONAL if f.stem == NATIONAL else f"{f.stem}-{path[1]}"
            if who not in cited_by[doc_id]:
                cited_by[doc_id].append(who)
    check_all_cited(all_docs, doc_file, cited_by)
    raise_mistakes(files)
    return all_docs, doc_file, cited_by


def _compile(directory: Path, cache: Path | None) -> dict:
    files = _read_all(directory, cache)
    all_docs, doc_file, cited_by = _cross_check(files, cache)
    regions, policies = assemble.regions_and_policies(files)
    raise_mistakes(files)  # rules still incomplete after merging the versions
    synonyms, may_mean = terms.synonyms(directory / f"{SYNONYMS}.yaml", policies)
    bundle = {
        "format": FORMAT,
        "calendar": calendar(),
        **vocabulary.bundle_parts(),  # labels, fields, words: what the engine and the browser read
        "glossary": terms.glossary(directory / f"{GLOSSARY}.yaml"),
        "synonyms": synonyms,
        "may_mean": may_mean,
        "documents": assemble.documents(all_docs, doc_file, cited_by),
        "regions": regions,
        "policies": policies,
        "national": assemble.national(files),
    }
    # The one place the bundle is complete: what the form offers is derived from it.
    bundle["catalog"] = build_catalog(bundle)
    bundle["catalog"]["index"] = picker.entries(bundle["catalog"]["policies"])
    return bundle


def compile_policies(directory: Path | str, cache: Path | None = None) -> dict:
    """Validate dir/*.yaml (+ glossary.yaml, synonyms.yaml) and return the bundle. With `cache`
    (a directory), each file's reading is kept there by its content (the build passes one).

    Raises PolicyDataError and nothing else: the limits in yaml_loader make
    hostile files fail fast, and anything unforeseen is still reported as a
    PolicyDataError naming the directory, never a traceback."""
    directory = Path(directory)
    try:
        return _compile(directory, cache)
    except PolicyDataError:
        raise
    except (RecursionError, MemoryError):  # pragma: no cover - the loader's limits prevent them
        raise _whole(directory, "too-complex") from None
    except Exception as exc:  # a bug in the compiler, reported without a traceback
        raise _whole(directory, "internal-error", kind=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
