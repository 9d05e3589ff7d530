"""The vocabulary (vocabulary/) is the one description of every enumeration, request field and
policy key: the bundle carries it, the engine reads every field it lists and dispatches on every
id it lists, every key has its words, and each label is written in one source file only."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

import calculator
from calculator import api
from calculator.layers import AFTER_BASIC
from calculator.settlement import METHODS
from vocabulary import ENUMS, FIELDS, FILES, FORM_STATE, SHAPES, bundle_parts

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def _nodes(node: dict, where: str):
    """(where, node) for a shape and every shape inside it."""
    yield where, node
    for key, child in (node.get("keys") or {}).items():
        yield from _nodes(child, f"{where}.{key}")
    for part in ("rows", "of", "then", "else"):
        if isinstance(node.get(part), dict):
            yield from _nodes(node[part], f"{where}.{part}")


def test_every_key_has_chinese_words():
    """A key's words name its place in a document and label it on a page: none is missing."""
    for name, shape in FILES.items():
        for where, node in _nodes(shape, name):
            for key, child in (node.get("keys") or {}).items():
                assert HAN.search(child.get("word") or ""), f"{where}.{key} has no Chinese words"


def test_every_label_is_chinese_and_unique_within_its_enumeration():
    for name, values in ENUMS.items():
        assert all(HAN.search(v) for v in values.values()), name
        assert len(set(values.values())) == len(values), f"two ids of {name} read the same"


def test_the_bundle_carries_the_vocabulary():
    data = calculator.bundle()
    parts = bundle_parts()
    assert {k: data[k] for k in parts} == parts
    assert data["catalog"]["labels"] == ENUMS


def test_the_engine_dispatches_on_every_id_the_vocabulary_lists():
    """The ids the data may write are the ids the engine handles (and no fewer)."""
    assert set(ENUMS["method"]) <= set(METHODS)
    assert set(ENUMS["layer_base"]) == {"above_cap", *AFTER_BASIC}
    assert set(ENUMS["remote_kind"]) <= set(ENUMS["remote_reason"])


# A value each kind of field refuses, and the code it gets.
BAD = {"money": ("-5", "negative"), "date": ("2026-02-30", "invalid_date"), "count": ("-1", "negative")}
BAD |= {"choice": ("no-such-id", "unknown"), "bool": ("maybe", "type"), "answer": ("maybe", "type")}
BAD |= {"text": (["a"], "type"), "flags": ({"colour": True}, "unknown_field"), "list": ("x", "type")}
BASE = {
    "estimate": {"policy": "changchun-employee", "date": "2026-03-01", "care": "inpatient", "facility": "provincial",
                 "costs": {"total": "20000"}, "remote": {"kind": "referral", "registered": True}},
    "remote": {"policy": "changchun-employee", "reason": "emergency", "visit_date": "2026-03-01",
               "today": "2026-03-02"},
    "year": {"policy": "changchun-resident", "visits": [{"date": "2026-03-01", "care": "inpatient",
                                                          "facility": "provincial", "costs": {"total": "300"}}]},
}  # fmt: skip
READ_ELSEWHERE = {("estimate", "overrides"), ("estimate", "overrides.quota"), ("estimate", "item")}


def _set(request: dict, path: str, value) -> dict:
    out = {**request}
    head, _, rest = path.partition(".")
    out[head] = _set(dict(out.get(head) or {}), rest, value) if rest else value
    return out


@pytest.mark.parametrize(
    "op,path",
    [(op, path) for op, fields in FIELDS.items() for path in fields if (op, path) not in READ_ELSEWHERE],
)
def test_the_engine_reads_every_field_the_vocabulary_lists(op, path):
    """A field the vocabulary lists is one the engine checks: a bad value names that very field."""
    kind = FIELDS[op][path]["kind"]
    value, code = BAD[kind]
    if path == "policy":
        code = "unknown"
    answer = api.call(op, _set(BASE[op], path, value))
    error = answer.get("error")
    assert error, (op, path, answer)
    assert error["field"].split(".")[0] == path.split(".")[0] and error["code"] == code, (op, path, error)
    assert HAN.search(error["message"])


def test_form_fields_have_unique_share_link_keys():
    keys = [spec["key"] for fields in (*FIELDS.values(), FORM_STATE) for spec in fields.values() if spec.get("key")]
    shared = {FIELDS["estimate"]["policy"]["key"], FIELDS["estimate"]["member"]["key"]}
    assert len(set(keys)) == len(keys) - 2 * len(shared), "a share link key names two fields"


def test_merge_rules_are_the_vocabularys():
    """A later version's `next` replaces the earlier one whole (its words and cite are one unit); a
    table of figures merges key by key (a later version writes only what changed)."""
    from compiler.bundle import merge

    old = {"inpatient": {"next": {"label": "甲", "detail": "乙", "cite": "a/1"}, "deductible": {"basis": "year"}}}
    new = {"inpatient": {"next": {"label": "丙", "detail": "丁", "cite": "b/1"}, "deductible": {"*": {"x": 1}}}}
    merged = merge(old, new)["inpatient"]
    assert merged["next"] == new["inpatient"]["next"]
    assert merged["deductible"] == {"basis": "year", "*": {"x": 1}}
    whole = [w for name, shape in SHAPES.items() for w, node in _nodes(shape, name) if node.get("merge") == "whole"]
    assert whole, "no shape is replaced whole"


# Labels of two characters or fewer are ordinary words (住院, 门诊): any page may write them.
MIN_LENGTH = 3
SOURCES = re.compile(r"\.(py|js|mjs|j2|html)$")


def _labels() -> dict:
    """Every label of an enumeration or a request field, and the words of the keys of a scheme, a
    care, a layer and an out-of-region settlement (the ones the engine and the pages both name)."""
    found = {}
    for name, values in ENUMS.items():
        for key, text in values.items():
            found.setdefault(text, f"{name}.{key}")
    for op, fields in {**FIELDS, "form": FORM_STATE}.items():
        for path, spec in fields.items():
            for part in ("label", "empty"):
                if spec.get(part):
                    found.setdefault(spec[part], f"{op}.{path}")
    for shape in ("scheme", "care", "layer", "remote_settlement"):
        for key, node in SHAPES[shape]["keys"].items():
            if key not in ("cite", "note", "label", "id"):
                found.setdefault(node["word"], f"{shape}.{key}")
    return {text: where for text, where in found.items() if len(text) >= MIN_LENGTH}


def test_each_label_is_written_in_one_source_file():
    """grep: a label of the vocabulary appears as a string of its own ("…", '…' or `…`) in no
    production source file but the vocabulary's (the data in policies/ and the tests are not code)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    files = [f for f in tracked if SOURCES.search(f) and not f.startswith(("vocabulary/", "tests/"))]
    texts = {f: (ROOT / f).read_text(encoding="utf-8") for f in files if (ROOT / f).exists()}
    written = {}
    for text, where in _labels().items():
        pattern = re.compile(r"""(["'`])""" + re.escape(text) + r"\1")
        hits = [f for f, source in texts.items() if pattern.search(source)]
        if hits:
            written[f"{text}（{where}）"] = hits
    assert not written, f"labels written again outside vocabulary/: {written}"
    # and within the vocabulary, once: in the file of its enumeration, field or key
    vocab = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "vocabulary").glob("*.py")}
    for text in _labels():
        pattern = re.compile(r"""(["'])""" + re.escape(text) + r"\1")
        assert sum(1 for source in vocab.values() if pattern.search(source)) == 1, text
