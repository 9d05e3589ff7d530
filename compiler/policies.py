"""Build time only: policies/*.yaml -> the bundle the engine and the browser read.

    read (yaml_loader: limits, Decimal numbers, lines) -> shape (shapes, from the vocabulary)
    -> cross-checks (citations, checks) -> bundle (bundle, holidays, terms)

Every mistake ends as one PolicyDataError `file:line: reason` (Chinese, with its code and
its place in words), the first mistakes listed once each; nothing else escapes
compile_policies. Needs PyYAML and chinese-calendar, so the runtime package `calculator`
never imports this package.
"""

from __future__ import annotations

from pathlib import Path

import vocabulary
from calculator.catalog import build_catalog
from calculator.data import FORMAT  # the format the runtime reads (calculator.load_bundle checks it)
from calculator.errors import PolicyDataError

from . import bundle as assemble
from . import terms
from .checks import check_scheme
from .citations import check_all_cited, check_cites_notes, check_documents, collect_documents
from .files import GLOSSARY, NATIONAL, NOT_POLICIES, SYNONYMS, Mistake, PolicyFile, raise_mistakes
from .holidays import calendar
from .mistakes import words


def _read_all(directory: Path) -> list[PolicyFile]:
    """Load and schema-check every policy file (national first)."""
    paths = sorted(
        (p for p in directory.glob("*.yaml") if p.stem not in NOT_POLICIES),
        key=lambda p: (p.stem != NATIONAL, p.name),
    )
    if not paths:
        raise _whole(directory, "no-policy-files")
    files = [PolicyFile(p) for p in paths]
    for f in files:
        if not f.read():
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


def _cross_check(files: list[PolicyFile]) -> tuple[dict, dict, dict]:
    """The checks the schema cannot express; returns documents, their files and who cites each."""
    all_docs, doc_file = collect_documents(files)
    national = next((f for f in files if f.stem == NATIONAL), None)
    national_docs = national.data["documents"] if national else {}
    cited_by: dict[str, list[str]] = {d: [] for d in all_docs}
    for f in files:
        own = f.data["documents"]

        def docs_of(doc_id, own=own):
            return own.get(doc_id) or national_docs.get(doc_id)

        check_documents(f, all_docs)
        for path, doc_id in check_cites_notes(f, docs_of):
            who = NATIONAL if f.stem == NATIONAL else f"{f.stem}-{path[1]}"
            if who not in cited_by[doc_id]:
                cited_by[doc_id].append(who)
        for sid, scheme in (f.data.get("schemes") or {}).items():
            check_scheme(f, sid, scheme)
    check_all_cited(all_docs, doc_file, cited_by)
    raise_mistakes(files)
    return all_docs, doc_file, cited_by


def _compile(directory: Path) -> dict:
    files = _read_all(directory)
    all_docs, doc_file, cited_by = _cross_check(files)
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
    return bundle


def compile_policies(directory: Path | str) -> dict:
    """Validate dir/*.yaml (+ glossary.yaml, synonyms.yaml) and return the bundle.

    Raises PolicyDataError and nothing else: the limits in yaml_loader make
    hostile files fail fast, and anything unforeseen is still reported as a
    PolicyDataError naming the directory, never a traceback."""
    directory = Path(directory)
    try:
        return _compile(directory)
    except PolicyDataError:
        raise
    except (RecursionError, MemoryError):  # pragma: no cover - the loader's limits prevent them
        raise _whole(directory, "too-complex") from None
    except Exception as exc:  # a bug in the compiler, reported without a traceback
        raise _whole(directory, "internal-error", kind=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
