"""Build time only: policies/*.yaml -> the bundle the engine and the browser read.

Validates every file against policies/schema.json and the cross-checks the
schema cannot express (citations resolve, bands ascending, versions ordered,
ids exist) and reports the first mistakes as `file:line: reason`.
Numbers are read as Decimal from their YAML text (never float) and leave the
bundle as strings; dates leave as "YYYY-MM-DD".

Needs PyYAML, jsonschema and chinese-calendar, so the browser never imports
this module: the runtime package `calculator` never imports it.

    python -m compiler [policies-dir] [--out policies.json]
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from calculator.catalog import build_catalog
from calculator.errors import PolicyDataError
from calculator.labels import all_labels

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "policies" / "schema.json"
NATIONAL = "national"
FORMAT = 1

# A key (or an ancestor key) named like this holds fractions: 0..1.
RATE_KEY = re.compile(r"(^|_)(rates?|ratios?)$|_shares?$")
# Nulls that are structure, not unknown figures: `upto: null` is an open band.
NULL_IS_STRUCTURE = {"upto"}
TABLE_META = {"basis", "cite", "note"}
GROUP_TABLES = ("class_b_share", "deductible", "bands", "cap")


# --------------------------------------------------------------------------
# YAML with line numbers, numbers as Decimal, duplicate keys rejected
# --------------------------------------------------------------------------


class _Mistake(Exception):
    def __init__(self, line, reason):
        super().__init__(reason)
        self.line = line
        self.reason = reason


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$")


def _number(node) -> Decimal:
    text = node.value
    plain = _PLAIN_INT if node.tag == _TAG + "int" else _PLAIN_FLOAT
    if not plain.match(text):
        raise _Mistake(
            node.start_mark.line + 1, f"the number {text!r} must be written as a plain decimal (like 1000 or 0.15)"
        )
    try:
        value = Decimal(text.replace("_", "").lstrip("+"))
    except InvalidOperation:  # pragma: no cover - the patterns above exclude it
        raise _Mistake(node.start_mark.line + 1, f"{text!r} is not a number")
    if "e" in text.lower():
        value = Decimal(format(value, "f"))
    return value


def _scalar(node):
    tag = node.tag
    line = node.start_mark.line + 1
    if tag == _TAG + "str":
        return node.value
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        return node.value.lower() in ("true", "yes", "on", "y")
    if tag in (_TAG + "int", _TAG + "float"):
        return _number(node)
    if tag == _TAG + "timestamp":
        try:
            return datetime.date.fromisoformat(node.value).isoformat()
        except ValueError:
            raise _Mistake(line, f"{node.value!r} is not a real date written YYYY-MM-DD")
    raise _Mistake(line, f"unsupported YAML value {node.value!r} (tag {tag})")


def load_yaml(text: str):
    """Return (data, lines): lines maps a path tuple to the 1-based line of its key or item."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        reason = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
        raise _Mistake(mark.line + 1 if mark else None, reason) from None
    if root is None:
        raise _Mistake(1, "the file is empty")
    lines = {(): 1}

    def build(node, path):
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key_node, value_node in node.value:
                kline = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Mistake(kline, "a key must be plain text")
                if key_node.tag == _TAG + "merge":
                    raise _Mistake(kline, "merge keys (<<) are not supported; write the keys out")
                key = key_node.value
                if key in out:
                    raise _Mistake(
                        kline,
                        f"duplicate key {key!r} (first written on line "
                        f"{lines[path + (key,)]}); a later one would silently win",
                    )
                lines[path + (key,)] = kline
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                items.append(build(item, path + (i,)))
            return items
        return _scalar(node)

    return build(root, ()), lines


# --------------------------------------------------------------------------
# Schema validation with readable messages
# --------------------------------------------------------------------------

_validators: dict = {}


def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _validator(kind: str):
    """A cached validator for '$defs/region_file' or '$defs/national_file'."""
    if kind not in _validators:
        from jsonschema import Draft202012Validator

        schema = load_schema()
        sub = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}
        _validators[kind] = Draft202012Validator(sub)
    return _validators[kind]


def dotted(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _line_of(lines, path):
    path = tuple(path)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_TYPE_WORDS = {
    "number": "a number",
    "string": "text",
    "null": "null",
    "object": "a mapping",
    "array": "a list",
    "boolean": "true or false",
    "integer": "a whole number",
}


def _schema_mistakes(kind: str, data, lines):
    """Yield (line, reason) for every schema error, in readable English."""
    for err in _validator(kind).iter_errors(data):
        path = tuple(err.absolute_path)
        where = dotted(path)
        v, inst, sch = err.validator, err.instance, err.schema
        if v == "additionalProperties" and isinstance(inst, dict):
            props = sch.get("properties", {})
            pats = [re.compile(p) for p in sch.get("patternProperties", {})]
            allowed = list(props) + (["an id (or '*')"] if pats else [])
            for key in inst:
                if key not in props and not any(p.search(key) for p in pats):
                    yield (
                        _line_of(lines, path + (key,)),
                        f"unknown key {key!r} in {where} (allowed here: {', '.join(allowed) or 'nothing'})",
                    )
            continue
        if v == "required":
            missing = [k for k in err.validator_value if k not in inst]
            yield _line_of(lines, path), f"{where} is missing {', '.join(map(repr, missing))}"
        elif v == "type":
            types = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            want = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
            yield _line_of(lines, path), f"{where} must be {want}, not {_describe(inst)}"
        elif v == "enum":
            yield (
                _line_of(lines, path),
                f"{where} must be one of {', '.join(map(str, err.validator_value))}, not {_describe(inst)}",
            )
        elif v == "pattern" and "propertyNames" in err.absolute_schema_path:
            desc = sch.get("description", f"must match {err.validator_value}")
            yield _line_of(lines, path + (inst,)), f"bad key {inst!r} in {where} ({desc})"
        elif v == "pattern":
            desc = sch.get("description", f"must match {err.validator_value}")
            yield _line_of(lines, path), f"{where}: {_describe(inst)} is not valid ({desc})"
        elif v == "minimum":
            yield _line_of(lines, path), f"{where} is {inst}, it must be at least {err.validator_value}"
        elif v == "maximum":
            yield (
                _line_of(lines, path),
                f"{where} is {inst}, it must be at most {err.validator_value} (rates are fractions: 0.15 = 15%)",
            )
        elif v in ("minItems", "minProperties", "minLength"):
            yield _line_of(lines, path), f"{where} must not be empty"
        elif v == "uniqueItems":
            yield _line_of(lines, path), f"{where} lists the same item twice"
        elif v == "oneOf" and all(set(s) == {"required"} for s in err.validator_value):
            keys = [k for s in err.validator_value for k in s["required"]]
            yield _line_of(lines, path), f"{where} needs exactly one of {', '.join(keys)}"
        else:
            from jsonschema.exceptions import best_match

            inner = best_match(err.context) if err.context else err
            ipath = tuple(inner.absolute_path)
            yield _line_of(lines, ipath), f"{dotted(ipath)}: {inner.message}"


# --------------------------------------------------------------------------
# Cross-checks
# --------------------------------------------------------------------------


class _File:
    def __init__(self, path: Path):
        self.path = path
        self.name = f"policies/{path.name}" if path.parent.name == "policies" else str(path)
        self.stem = path.stem
        self.kind = "national_file" if self.stem == NATIONAL else "region_file"
        self.data = None
        self.lines = {}
        self.mistakes: list[tuple[int | None, str]] = []

    def add(self, path, reason):
        self.mistakes.append((_line_of(self.lines, path), reason))


def _walk(obj, path=()):
    """Yield (path, value) for every node."""
    yield path, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk(v, path + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk(v, path + (i,))


def _rule_nodes(f: _File):
    """The parts of a file that hold rules (everything but `documents`)."""
    for k, v in f.data.items():
        if k != "documents":
            yield (k,), v


def _check_cites_notes(f: _File, docs_of):
    """Numbers need a cite in their mapping; null figures need a note; cites resolve."""
    cited = []
    for base, part in _rule_nodes(f):
        for path, node in _walk(part, base):
            if not isinstance(node, dict):
                continue
            uncited = "cite" not in node
            for key, value in node.items():
                held = [value] if not isinstance(value, list) else [x for x in value if not isinstance(x, (dict, list))]
                if uncited and any(isinstance(x, Decimal) for x in held):
                    uncited = False  # one report per mapping
                    f.add(
                        path + (key,),
                        f"{dotted(path + (key,))} is a figure ({_figure(value)}) but "
                        f"{dotted(path)} has no cite: add cite: <document>/<clause>",
                    )
                if value is None and key not in NULL_IS_STRUCTURE:
                    needed = "from_note" if key == "from" else "note"
                    if needed not in node and "note" not in node:
                        f.add(
                            path + (key,),
                            f"{dotted(path + (key,))} is null but {dotted(path)} has no "
                            f"{needed} saying what the source leaves open",
                        )
            if "cite" in node:
                cite = node["cite"]
                if not isinstance(cite, str) or "/" not in cite:
                    f.add(
                        path + ("cite",),
                        f"{dotted(path + ('cite',))} must be written <document>/<clause>, not {_describe(cite)}",
                    )
                    continue
                doc_id, clause = cite.split("/", 1)
                doc = docs_of(doc_id)
                if doc is None:
                    f.add(
                        path + ("cite",),
                        f"cite {cite!r}: no document {doc_id!r} in {f.name}"
                        f"{'' if f.stem == NATIONAL else ' or policies/national.yaml'}",
                    )
                else:
                    cited.append((path, doc_id))
                    if clause not in (doc.get("clauses") or {}):
                        f.add(
                            path + ("cite",),
                            f"cite {cite!r}: document {doc_id!r} has no clause {clause!r} "
                            f"(its clauses: {', '.join(doc.get('clauses') or {})})",
                        )
    return cited


def _figure(value):
    if isinstance(value, list):
        return ", ".join(str(x) for x in value if isinstance(x, Decimal))
    return str(value)


def _check_numbers(f: _File):
    """Rates within 0..1, amounts never negative, bands ascending with one open end."""
    for base, part in _rule_nodes(f):
        for path, node in _walk(part, base):
            if isinstance(node, Decimal):
                if node < 0:
                    f.add(path, f"{dotted(path)} is {node}: figures cannot be negative")
                elif node > 1 and any(isinstance(k, str) and RATE_KEY.search(k) for k in path):
                    f.add(path, f"{dotted(path)} is {node} but it is a rate: write a fraction within 0..1 (0.15 = 15%)")
            elif (
                isinstance(node, list)
                and node
                and all(isinstance(b, dict) for b in node)
                and (path[-1] == "bands" or any("upto" in b for b in node))
            ):
                _check_bands(f, path, node)


def _check_bands(f: _File, path, bands):
    prev = Decimal(0)
    for i, band in enumerate(bands):
        here = path + (i,)
        if "upto" not in band:
            f.add(here, f"{dotted(here)} has no upto (the upper end of the segment; null: no upper end)")
            return
        rates = [k for k in ("fund_rate", "patient_rate") if k in band]
        if len(rates) != 1:
            f.add(here, f"{dotted(here)} needs exactly one of fund_rate, patient_rate")
        upto = band["upto"]
        if upto is None:
            if i != len(bands) - 1:
                f.add(
                    here + ("upto",),
                    f"{dotted(here)}: upto: null (no upper end) must be the last band; "
                    f"the bands after it leave a gap that can never apply",
                )
                return
        elif isinstance(upto, Decimal):
            if upto <= prev:
                f.add(
                    here + ("upto",),
                    f"{dotted(here)}: bands must go up: upto {upto} does not exceed "
                    f"{'the previous band' + chr(39) + 's ' + str(prev) if i else '0'}",
                )
                return
            prev = upto


def _check_flags(f: _File, flags):
    """`when` / `when_any` lists anywhere (remote and national rules too) name request flags."""
    for base, part in _rule_nodes(f):
        for path, node in _walk(part, base):
            if isinstance(node, list) and path and path[-1] in ("when", "when_any"):
                for j, flag in enumerate(node):
                    if flag not in flags:
                        f.add(
                            path + (j,),
                            f"{dotted(path)}: unknown member flag {flag!r} "
                            f"(flags a request can set: {', '.join(flags)})",
                        )


def _check_documents(f: _File, all_docs):
    for doc_id, doc in (f.data.get("documents") or {}).items():
        path = ("documents", doc_id)
        if doc.get("date") is None and not doc.get("date_note"):
            f.add(path + ("date",), f"document {doc_id}: date is null but there is no date_note saying why")
        _check_date(f, path + ("date",), doc.get("date"))
        for rel in ("supersedes", "based_on"):
            for i, other in enumerate(doc.get(rel) or []):
                if other == doc_id:
                    f.add(path + (rel, i), f"document {doc_id} names itself in {rel}")
                elif other not in all_docs:
                    f.add(path + (rel, i), f"document {doc_id}: {rel} names {other!r}, which no policy file declares")


def _check_date(f, path, value):
    if isinstance(value, str):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            f.add(path, f"{dotted(path)}: {value!r} is not a real date (YYYY-MM-DD)")


def _check_scheme(f: _File, sid: str, scheme: dict):
    base = ("schemes", sid)
    facilities = list(scheme["facilities"])
    members = scheme["members"]
    groups = [m["id"] for m in members]
    for i, m in enumerate(members):
        here = base + ("members", i)
        if m["id"] in groups[:i]:
            f.add(here + ("id",), f"member group {m['id']!r} is declared twice")
        last = i == len(members) - 1
        has_when = "when" in m or "when_any" in m
        if last and has_when:
            f.add(
                here,
                f"the last member group ({m['id']}) must have no when/when_any: "
                f"it catches everyone the earlier groups do not",
            )
        if not last and not has_when:
            f.add(
                here,
                f"member group {m['id']!r} has no when/when_any, so the groups after it "
                f"can never match (only the last group may catch everyone)",
            )

    # Versions: oldest first; undated ones (from: null, in their own order) before any dated one.
    prev = None
    for i, v in enumerate(scheme["versions"]):
        here = base + ("versions", i)
        start = v["from"]
        _check_date(f, here + ("from",), start)
        if start is None:
            if prev is not None:
                f.add(
                    here + ("from",),
                    f"{dotted(here)}: an undated version (from: null) must come before "
                    f"every dated one; this one follows {prev}",
                )
            if not v.get("from_note"):
                f.add(here + ("from",), f"{dotted(here)}: from is null but there is no from_note")
        elif prev is not None:
            if start == prev:
                f.add(here + ("from",), f"{dotted(here)}: two versions start on {start}; they overlap")
            elif start < prev:
                f.add(
                    here + ("from",), f"{dotted(here)}: versions must be oldest first, but {start} comes after {prev}"
                )
        prev = start if start is not None else prev

        for cid, care in (v.get("care") or {}).items():
            cpath = here + ("care", cid)
            for tkey in GROUP_TABLES:
                table = care.get(tkey)
                if not isinstance(table, dict) or "value" in table:  # a cap may be one figure
                    continue
                for g, row in table.items():
                    if g in TABLE_META:
                        continue
                    if g != "*" and g not in groups:
                        f.add(
                            cpath + (tkey, g),
                            f"{dotted(cpath + (tkey,))}: unknown member group {g!r} "
                            f"(this scheme's groups: {', '.join(groups)}, or '*')",
                        )
                    for fac in row or {}:
                        if fac not in ("cite", "note", "*") and fac not in facilities:
                            f.add(
                                cpath + (tkey, g, fac),
                                f"{dotted(cpath + (tkey, g))}: unknown facility {fac!r} "
                                f"(this scheme's facilities: {', '.join(facilities)}, or '*')",
                            )

    # `facilities:` and `groups:` lists anywhere in the scheme name declared ids.
    for path, node in _walk(scheme, base):
        if not isinstance(node, list) or not path or path[-1] not in ("facilities", "groups"):
            continue
        known, what = (facilities, "facility") if path[-1] == "facilities" else (groups, "member group")
        for j, item in enumerate(node):
            if isinstance(item, str) and item not in known:
                f.add(
                    path + (j,), f"{dotted(path)}: unknown {what} {item!r} (this scheme declares: {', '.join(known)})"
                )


def _merge(old, new):
    """Deep merge: mappings merge key by key; lists and scalars replace."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for k, v in new.items():
            out[k] = _merge(old[k], v) if k in old else v
        return out
    return new


def _plain(obj):
    """Decimal -> its text, recursively (the bundle is JSON)."""
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


# --------------------------------------------------------------------------
# The bundle
# --------------------------------------------------------------------------


def calendar() -> dict:
    """Official days off and make-up workdays, straight from chinese_calendar."""
    from importlib.metadata import version

    import chinese_calendar
    from chinese_calendar import constants

    holidays = sorted(constants.holidays)
    workdays = sorted(constants.workdays)
    first = datetime.date(min(holidays + workdays).year, 1, 1)
    last = datetime.date(max(holidays + workdays).year, 12, 31)
    try:
        ver = version("chinese-calendar")
    except Exception:  # pragma: no cover - installed without metadata
        ver = getattr(chinese_calendar, "__version__", "?")
    return {
        "source": f"chinese-calendar {ver}",
        "first": first.isoformat(),
        "last": last.isoformat(),
        "holidays": [d.isoformat() for d in holidays],
        "workdays": [d.isoformat() for d in workdays],
    }


def _raise(files):
    mistakes = [(f, line, reason) for f in files for line, reason in sorted(f.mistakes, key=lambda m: m[0] or 0)]
    if not mistakes:
        return
    f, line, reason = mistakes[0]
    if len(mistakes) > 1:
        more = "\n".join(f"  {g.name}:{ln}: {r}" for g, ln, r in mistakes[1:])
        reason = f"{reason}\n{len(mistakes) - 1} more:\n{more}"
    raise PolicyDataError(f.name, line, reason)


def compile_policies(directory: Path | str) -> dict:
    """Validate dir/*.yaml and return the bundle (see notes in policies/README.md)."""
    directory = Path(directory)
    paths = sorted(directory.glob("*.yaml"), key=lambda p: (p.stem != NATIONAL, p.name))
    if not paths:
        raise PolicyDataError(str(directory), None, "no policy files (*.yaml) found")
    files = [_File(p) for p in paths]

    # 1. Parse and validate each file against the schema.
    for f in files:
        try:
            f.data, f.lines = load_yaml(f.path.read_text(encoding="utf-8"))
        except _Mistake as m:
            f.mistakes.append((m.line, m.reason))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            f.mistakes.append((None, f"cannot read the file: {exc}"))
            continue
        if not isinstance(f.data, dict):
            f.mistakes.append((1, "the file must be a mapping (region, name, documents, schemes, …)"))
            continue
        if f.kind == "region_file" and f.data.get("region") != f.stem:
            f.add(
                ("region",), f"region must be {f.stem!r}, the file name without .yaml (it is {f.data.get('region')!r})"
            )
        f.mistakes.extend(_schema_mistakes(f.kind, f.data, f.lines))
    _raise(files)

    # 2. Cross-checks.
    all_docs, doc_file = {}, {}
    for f in files:
        for doc_id, doc in f.data["documents"].items():
            if doc_id in all_docs:
                f.add(("documents", doc_id), f"document id {doc_id!r} is already declared in {doc_file[doc_id].name}")
            else:
                all_docs[doc_id], doc_file[doc_id] = doc, f
    national = next((f for f in files if f.stem == NATIONAL), None)
    national_docs = national.data["documents"] if national else {}

    cited_by: dict[str, list[str]] = {d: [] for d in all_docs}
    policy_file: dict[str, _File] = {}
    for f in files:
        own = f.data["documents"]

        def docs_of(doc_id, own=own):
            return own.get(doc_id) or national_docs.get(doc_id)

        _check_documents(f, all_docs)
        for path, doc_id in _check_cites_notes(f, docs_of):
            who = NATIONAL if f.stem == NATIONAL else f"{f.stem}-{path[1]}"
            if who not in cited_by[doc_id]:
                cited_by[doc_id].append(who)
        _check_numbers(f)
        _check_flags(f, load_schema()["$defs"]["flag"]["enum"])
        for sid, scheme in (f.data.get("schemes") or {}).items():
            pid = f"{f.stem}-{sid}"
            if pid in policy_file:
                f.add(("schemes", sid), f"policy id {pid!r} is already used by {policy_file[pid].name}")
            policy_file[pid] = f
            _check_scheme(f, sid, scheme)
    referenced = {o for d in all_docs.values() for rel in ("supersedes", "based_on") for o in d.get(rel) or []}
    for doc_id, who in cited_by.items():
        if not who and doc_id not in referenced:
            doc_file[doc_id].add(
                ("documents", doc_id),
                f"document {doc_id} is never cited, and no other document is based on "
                f"it or supersedes it: cite it or remove it",
            )
    _raise(files)

    # 3. Merge versions and build the bundle.
    superseded_by = {d: [] for d in all_docs}
    for doc_id, doc in all_docs.items():
        for old in doc.get("supersedes") or []:
            superseded_by[old].append(doc_id)
    documents = {}
    for doc_id, doc in all_docs.items():
        f = doc_file[doc_id]
        documents[doc_id] = {
            "id": doc_id,
            "issuer": doc["issuer"],
            "title": doc["title"],
            "number": doc.get("number"),
            "date": doc.get("date"),
            "date_note": doc.get("date_note"),
            "status": doc["status"],
            "status_note": doc.get("status_note"),
            "supersedes": list(doc.get("supersedes") or []),
            "superseded_by": superseded_by[doc_id],
            "based_on": list(doc.get("based_on") or []),
            "topics": list(doc.get("topics") or []),
            "summary": doc["summary"],
            "clauses": dict(doc["clauses"]),
            "region": f.stem,
            "cited_by": cited_by[doc_id],
        }

    regions, policies = {}, {}
    for f in files:
        if f.stem == NATIONAL:
            continue
        d = f.data
        regions[f.stem] = {
            "id": f.stem,
            "name": d["name"],
            "province": d["province"],
            "file": f"policies/{f.path.name}",
            "policies": [],
        }
        for sid, scheme in d["schemes"].items():
            pid = f"{f.stem}-{sid}"
            regions[f.stem]["policies"].append(pid)
            care, versions, incomplete = {}, [], set()
            for i, v in enumerate(scheme["versions"]):
                changes = v.get("care") or {}
                care = _merge(care, changes)
                for cid, rules in care.items():
                    missing = [k for k in ("label", "method") if k not in rules]
                    if missing and cid not in incomplete:
                        incomplete.add(cid)
                        f.add(
                            ("schemes", sid, "versions", i, "care"),
                            f"care {cid!r} of {pid} has no {' or '.join(missing)} (after merging "
                            f"the versions up to {v['from'] or 'the first'})",
                        )
                versions.append(
                    {
                        "from": v["from"],
                        "from_note": v.get("from_note"),
                        "summary": v["summary"],
                        "changes": _plain(changes),
                        "care": _plain(care),
                    }
                )
            policies[pid] = {
                "id": pid,
                "region": f.stem,
                "region_name": d["name"],
                "province": d["province"],
                "scheme": sid,
                "name": scheme["name"],
                "facilities": dict(scheme["facilities"]),
                "members": [
                    {
                        "id": m["id"],
                        "label": m["label"],
                        "when": list(m.get("when") or []),
                        "when_any": list(m.get("when_any") or []),
                    }
                    for m in scheme["members"]
                ],
                "versions": versions,
                "remote": _plain(scheme.get("remote")),
                "lists": _plain(scheme.get("lists")),
            }
    _raise(files)

    bundle = {
        "format": FORMAT,
        "calendar": calendar(),
        "labels": all_labels(),
        "documents": documents,
        "regions": regions,
        "policies": policies,
        "national": _plain({k: v for k, v in national.data.items() if k != "documents"}) if national else {},
    }
    bundle["catalog"] = build_catalog(bundle)
    return bundle


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m compiler", description="Validate policies/*.yaml and write the compiled bundle."
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT / "policies"), help="policy directory")
    parser.add_argument("--out", help="write the bundle JSON here")
    args = parser.parse_args(argv)
    try:
        bundle = compile_policies(Path(args.dir))
    except PolicyDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.out:
        Path(args.out).write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(
        f"ok: {len(bundle['policies'])} schemes in {len(bundle['regions'])} regions, "
        f"{len(bundle['documents'])} documents" + (f" -> {args.out}" if args.out else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
