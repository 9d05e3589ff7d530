"""Every input ends in a result or a typed error (issue 10).

The hostile space: wrong types at every field, huge sizes, dates at the
extremes, odd Unicode (lone surrogates, full-width, zero-width, direction
marks), deep nesting, duplicate keys, invalid UTF-8. Whatever comes in,
`calculator.api.call` / `call_json` answer with an envelope: a result, or an
error with a field, a stable code and a Chinese message; never the code
"internal" (a bug), never an exception, never text that is not UTF-8. The CLI
exits 0 or 2 with UTF-8 JSON on stdout and no traceback.

`python tests/test_input_hostile.py [COUNT] [SEED]` runs the seeded fuzzer
alone and prints "N requests fuzzed, M untyped errors" (the figure for the
closing note of issue 10).
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

from calculator import api  # noqa: E402

CJK = range(0x4E00, 0xA000)
HOSTILE = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ESTIMATE_BASE = {
    "policy": "changchun-employee",
    "date": "2026-03-01",
    "care": "inpatient",
    "facility": "provincial",
    "member": {"retired": False},
    "costs": {"total": "20000", "class_b": "2000", "self_pay": "1000"},
    "year_to_date": {"fund_paid": "0", "eligible_costs": "0"},
    "remote": {"kind": "referral", "registered": True, "cross_province": False},
}
REMOTE_BASE = {
    "policy": "changchun-employee",
    "reason": "emergency",
    "member": {"retired": False},
    "visit_date": "2025-09-25",
    "cross_province": False,
    "filed": True,
    "filing_date": "2025-09-26",
    "condition": "shock",
    "discharged": "2025-10-01",
    "months_elsewhere": 12,
    "days_away": 10,
    "today": "2025-09-26",
}
# Paths a hostile value may land on (existing ones and optional ones the engine reads).
ESTIMATE_PATHS = [
    *ESTIMATE_BASE,
    "item",
    "overrides",
    "overrides.quota",
    "member.minor",
    "costs.total",
    "costs.class_b",
    "costs.self_pay",
    "year_to_date.fund_paid",
    "year_to_date.eligible_costs",
    "remote.kind",
    "remote.registered",
    "remote.cross_province",
]
REMOTE_PATHS = [*REMOTE_BASE, "care", "networked", "member.retired", "member.low_income"]
VISIT = {"date": "2026-03-01", "care": "outpatient", "facility": "district", "costs": {"total": "300"}}
YEAR_BASE = {
    "policy": "changchun-resident",
    "member": {"minor": False},
    "visits": [VISIT, {**VISIT, "date": "2026-05-01", "care": "inpatient"}, {**VISIT, "date": "2025-12-31"}],
}
# A year's paths: its own fields, and "visits.<n>." + the fields of an estimate a visit may hold.
YEAR_PATHS = ["policy", "member", "member.minor", "visits"] + [
    f"visits.{n}.{path}" for n in range(3) for path in ESTIMATE_PATHS if path not in ("member", "policy")
]

SURROGATES = ["\ud800", "\udfff", "a\udc80b", "\ud83d"]
ODD_TEXT = [
    "",
    " ",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\u200f1000",
    "１２３４．５",
    "１，２３４",
    "２０２６－０３－０１",
    "٣٤",
    "²",
    "１２３４。５",
    "changchun-employee\u200b",
    "\x00",
    "constructor",
    "__proto__",
    "\U0001f600",
    "零",
    "x" * 10_000,
]
DATES = [
    "9999-12-31",
    "9999-12-01",
    "0001-01-01",
    "1989-12-31",
    "1990-01-01",
    "2100-12-31",
    "2101-01-01",
    "2026-02-29",
    "2024-02-29",
    "2026-3-1",
    "20260301",
    "2026-03-01T00:00",
]
AMOUNTS = [
    "20,50",
    "1,2,3",
    ",2,0,0,0,0,",
    "1,234.50",
    "12,345",
    "1e5",
    "0x10",
    "5.",
    ".5",
    "-0",
    "+5",
    "1_000",
    "9" * 5000,
    "0." + "0" * 5000 + "1",
    "10000000.01",
    "9999999.999",
]


class _HugeInt(int):
    """An int too long to print (Python refuses str() beyond 4,300 digits): a short repr for reports."""

    def __repr__(self) -> str:
        return f"<int of {self.bit_length()} bits>"


class _Nested(list):
    def __repr__(self) -> str:
        depth, node = 0, self
        while isinstance(node, list) and node:
            depth, node = depth + 1, node[0]
        return f"<list nested {depth} deep>"


NUMBERS = [
    0,
    -1,
    1.5,
    -0.0,
    1e308,
    1e-320,
    _HugeInt(10**5000),
    _HugeInt(-(10**5000)),
    2**63,
    float("nan"),
    float("inf"),
]
SHAPES = [None, True, False, [], {}, [1], {"a": 1}, [[[]]], {"kind": []}, {"kind": {}}]


def _deep(depth: int) -> list:
    value: object = 1
    for _ in range(depth):
        value = _Nested([value])
    return value


POOL = [*SURROGATES, *ODD_TEXT, *DATES, *AMOUNTS, *NUMBERS, *SHAPES, _deep(50), _deep(5000), _Nested(range(10_000))]


def set_path(request: dict, path: str, value) -> dict:
    """A copy of `request` with `value` at the dotted `path` (creating objects on the way)."""
    out = dict(request)
    node = out
    *parents, last = path.split(".")
    for key in parents:  # copy only the objects on the path: values may be unserialisable (10**5000)
        node[key] = dict(node[key]) if isinstance(node.get(key), dict) else {}
        node = node[key]
    node[last] = value
    return out


def set_year_path(request: dict, path: str, value) -> dict:
    """set_path for a year request: "visits.<n>.<path>" lands in the n-th visit."""
    head, _, rest = path.partition(".")
    if head != "visits" or not rest:
        return set_path(request, path, value)
    index, _, inner = rest.partition(".")
    visits = list(request["visits"]) if isinstance(request.get("visits"), list) else [dict(VISIT)] * 3
    while len(visits) <= int(index):
        visits.append(dict(VISIT))
    visit = visits[int(index)] if isinstance(visits[int(index)], dict) else {}
    visits[int(index)] = set_path(visit, inner, value)
    return {**request, "visits": visits}


def _is_chinese(text: str) -> bool:
    return any(ord(ch) in CJK for ch in text)


def check_envelope(envelope) -> str:
    """Asserts the envelope's shape; returns "result" or the error code."""
    assert isinstance(envelope, dict) and len(envelope) == 1, envelope
    json.dumps(envelope, ensure_ascii=False).encode("utf-8")  # serialisable, valid UTF-8
    if "result" in envelope:
        return "result"
    error = envelope["error"]
    assert set(error) == {"field", "code", "message"}, error
    assert isinstance(error["field"], str) and error["field"], error
    assert isinstance(error["code"], str) and error["code"] != "internal", error
    assert _is_chinese(error["message"]), error
    return error["code"]


def check_text(text) -> str:
    assert isinstance(text, str)
    text.encode("utf-8")
    return check_envelope(json.loads(text))


# ---------------------------------------------------------------- the findings of issue 10, one by one

FINDINGS = [
    ("remote", {**REMOTE_BASE, "visit_date": "9999-12-31", "today": "9999-12-31"}, "visit_date"),
    ("remote", {**REMOTE_BASE, "discharged": "9999-12-31"}, "discharged"),
    ("remote", {**REMOTE_BASE, "filing_date": "9999-12-31"}, "filing_date"),
    ("remote", {**REMOTE_BASE, "filing_date": "9999-12-01"}, "filing_date"),
    ("estimate", {**ESTIMATE_BASE, "date": "9999-12-31"}, "date"),
    ("estimate", {**ESTIMATE_BASE, "remote": {"kind": []}}, "remote.kind"),
    ("estimate", {**ESTIMATE_BASE, "remote": {"kind": {}}}, "remote.kind"),
    ("estimate", set_path(ESTIMATE_BASE, "costs.total", 10**5000), "costs.total"),
    ("estimate", set_path(ESTIMATE_BASE, "year_to_date.fund_paid", 10**5000), "year_to_date.fund_paid"),
    ("remote", {**REMOTE_BASE, "months_elsewhere": 10**5000}, "months_elsewhere"),
    ("remote", {**REMOTE_BASE, "days_away": 10**5000}, "days_away"),
    ("estimate", {"policy": "\ud800"}, "policy"),
    ("remote", {**REMOTE_BASE, "condition": "\ud800"}, "condition"),
    ("estimate", {**ESTIMATE_BASE, "care": "\udfff"}, "care"),
]


@pytest.mark.parametrize("op,request_,field", FINDINGS, ids=[f"{op}:{field}" for op, _, field in FINDINGS])
def test_finding_is_a_typed_error(op, request_, field):
    envelope = api.call(op, request_)
    assert check_envelope(envelope) != "result"
    assert envelope["error"]["field"] == field, envelope


IN_PROCESS = [
    ("check_remote", {**REMOTE_BASE, "filing_date": "9999-12-01"}, "filing_date", "date_out_of_range"),
    ("check_remote", {**REMOTE_BASE, "days_away": _HugeInt(10**5000)}, "days_away", "too_large"),
    ("estimate", set_path(ESTIMATE_BASE, "costs.total", _HugeInt(10**5000)), "costs.total", "too_large"),
    ("estimate", set_path(ESTIMATE_BASE, "costs.total", "9" * 5000), "costs.total", "too_long"),
    ("estimate", {"policy": "\ud800"}, "policy", "invalid_text"),
    ("estimate", {"policy": ["changchun-employee"]}, "policy", "type"),
    ("estimate", {**ESTIMATE_BASE, "remote": {"kind": []}}, "remote.kind", {"type", "unknown"}),
]


@pytest.mark.parametrize("fn,request_,field,code", IN_PROCESS, ids=[f"{fn}:{field}" for fn, _, field, _ in IN_PROCESS])
def test_request_parsing_alone_gives_typed_errors(fn, request_, field, code):
    """The parsers bound and check what they read even without the api's first pass."""
    import calculator

    with pytest.raises(calculator.InputError) as info:
        getattr(calculator, fn)(request_)
    assert info.value.field == field
    assert info.value.code in (code if isinstance(code, set) else {code})
    assert _is_chinese(info.value.message)


def test_dates_outside_the_documented_range():
    for day, code in (("1989-12-31", "date_out_of_range"), ("2101-01-01", "date_out_of_range")):
        envelope = api.call("estimate", {**ESTIMATE_BASE, "date": day})
        assert envelope["error"]["code"] == code
        assert "1990-01-01" in envelope["error"]["message"] and "2100-12-31" in envelope["error"]["message"]
    far = api.call("remote", {**REMOTE_BASE, "visit_date": "2100-12-31", "discharged": None, "today": "2100-12-31"})
    assert check_envelope(far)  # the last day of the range computes, or is a typed error


@pytest.mark.parametrize("text", ["20,50", "1,2,3", ",2,0,0,0,0,", "1,23,456", "12,3456", "1,234,5", "1,,234"])
def test_commas_only_as_thousands_separators(text):
    envelope = api.call("estimate", set_path(ESTIMATE_BASE, "costs.total", text))
    assert envelope["error"]["code"] == "bad_separator", envelope
    assert "逗号" in envelope["error"]["message"]


@pytest.mark.parametrize(
    "text,amount",
    [("1,234.50", "1234.50"), ("12,345", "12345.00"), ("１２３４５", "12345.00"), ("１２，３４５．５０", "12345.50"),
     ("１２３４。５", "1234.50"), ("\u3000 2000 ", "2000.00"), ("1,000,000", "1000000.00")],
)  # fmt: skip
def test_full_width_and_grouped_amounts_are_read(text, amount):
    request = set_path(ESTIMATE_BASE, "costs", {"total": text})
    envelope = api.call("estimate", request)
    assert envelope["result"]["total"] == amount, envelope


def test_full_width_date_is_read():
    envelope = api.call("estimate", {**ESTIMATE_BASE, "date": "２０２６－０３－０１"})
    assert envelope["result"]["date"] == "2026-03-01"


@pytest.mark.parametrize(
    "text", ["١٢٣", "²", "0x10", "1_000", "+5", ".5", "5.", "2千", "万", "2万万", "元2", "e5", "1e"]
)
def test_other_digits_and_notations_are_not_amounts(text):
    envelope = api.call("estimate", set_path(ESTIMATE_BASE, "costs.total", text))
    assert envelope["error"]["code"] == "not_a_number", envelope


@pytest.mark.parametrize(
    "text,amount",
    [("2万", "20000.00"), ("2.5万元", "25000.00"), ("2万元", "20000.00"), ("２万", "20000.00"),
     ("２．５万元", "25000.00"), ("20000元", "20000.00"), ("1.23456万", "12345.60"), ("3萬", "30000.00"),
     (" 2 万 ", "20000.00"),
     ("1,000万", "10000000.00"), ("1e5", "100000.00"), ("2.5E3", "2500.00"), ("１ｅ４", "10000.00")],
)  # fmt: skip
def test_amounts_with_unit_words_and_exponents_are_read(text, amount):
    """2万 is what a resident writes for 20,000: read in the engine's parser, exactly (never through float)."""
    envelope = api.call("estimate", set_path(ESTIMATE_BASE, "costs", {"total": text}))
    assert envelope["result"]["total"] == amount, envelope


@pytest.mark.parametrize(
    "text,code",
    [("1e30", "too_large"), ("1e999999999", "too_large"), ("1001万", "too_large"), ("1.2345678万", "too_many_decimals"),
     ("1e-999999999", "too_many_decimals"), ("1e-3", "too_many_decimals")],
)  # fmt: skip
def test_large_notations_are_too_large_not_letters(text, code):
    """Issue 18: "1e30" was called "not a number"; it is a number, far too large."""
    envelope = api.call("estimate", set_path(ESTIMATE_BASE, "costs.total", text))
    assert envelope["error"]["code"] == code, envelope
    assert envelope["error"]["field"] == "costs.total" and "医疗费用总额" in envelope["error"]["message"]


def test_unit_words_are_for_amounts_only():
    envelope = api.call("remote", {**REMOTE_BASE, "months_elsewhere": "2万"})
    assert envelope["error"]["code"] == "not_a_number", envelope
    assert api.call("remote", {**REMOTE_BASE, "months_elsewhere": "1e30"})["error"]["code"] == "too_large"


@pytest.mark.parametrize("value", ["9" * 5000, 10**5000, 10**15, 1e300], ids=["str5000", "int5000", "int1e15", "1e300"])
def test_huge_amounts_are_refused_before_conversion(value):
    envelope = api.call("estimate", set_path(ESTIMATE_BASE, "costs.total", value))
    assert envelope["error"]["code"] in {"too_large", "too_long"}, envelope


def test_duplicate_keys_are_refused_with_their_path():
    text = '{"policy": "changchun-employee", "costs": {"total": "1", "total": "2"}}'
    error = json.loads(api.call_json("estimate", text))["error"]
    assert (error["field"], error["code"]) == ("costs.total", "duplicate_key")
    error = json.loads(api.call_json("estimate", '{"policy": "a", "policy": "a"}'))["error"]
    assert (error["field"], error["code"]) == ("policy", "duplicate_key")


@pytest.mark.parametrize(
    "text,code",
    [
        ('{"policy": "\\ud800"}', "invalid_text"),
        ('{"\\udc00": 1}', "invalid_text"),
        ('{"costs": {"\\ud800x": "1"}}', "invalid_text"),
        ('{"policy": "changchun-employee", "member": {"retired": "\\udfff"}}', "invalid_text"),
        ("{" * 10 + "}" * 10, "invalid_json"),
        ("[" * 100_000, "too_complex"),
        ('{"a": ' * 50 + "1" + "}" * 50, "too_complex"),
        ('{"costs": {"total": ' + "9" * 5000 + "}}", "too_large"),
        ('{"costs": {"total": 1' + "0" * 60 + ".5}}", "too_large"),
        ("NaN", "invalid_json"),
        ('{"costs": {"total": Infinity}}', "invalid_json"),
        ('"' + "\\\\" * 1000 + '\\"' * 10_000, "invalid_json"),  # unterminated string: linear scan
        ("", "invalid_json"),
        ("\ud800", "invalid_text"),
        ("x" * (api.MAX_TEXT + 1), "too_large"),
    ],
)
def test_strict_json(text, code):
    assert check_text(api.call_json("estimate", text)) == code


@pytest.mark.parametrize("raw", [b"\xff", b'{"policy": "\xc3"}', b"\xed\xa0\x80", b'{"a": "\xc0\xaf"}', b"\x80" * 100])
def test_invalid_utf8_bytes(raw):
    assert check_text(api.call_json("estimate", raw)) == "invalid_utf8"


def test_bytes_with_a_byte_order_mark_are_read():
    text = json.dumps(ESTIMATE_BASE, ensure_ascii=False).encode("utf-8")
    assert check_text(api.call_json("estimate", b"\xef\xbb\xbf" + text)) == "result"


def test_unknown_op_and_batch():
    assert check_envelope(api.call("delete", {})) == "unknown_op"
    assert check_text(api.call_json(["estimate"], "{}")) == "unknown_op"
    assert check_envelope(api.call("batch", {"op": "estimate"})) == "type"
    out = api.call(
        "batch",
        [
            {"op": "estimate", "request": ESTIMATE_BASE},
            {"op": "batch", "request": []},
            {"op": "remote", "request": {**REMOTE_BASE, "visit_date": "9999-12-31"}},
            "estimate",
            {"op": "estimate", "request": ESTIMATE_BASE, "extra": 1},
        ],
    )["result"]
    assert [check_envelope(e) for e in out] == ["result", "unknown_op", "date_out_of_range", "type", "type"]
    assert check_envelope(api.call("batch", [{"op": "estimate"}] * (api.MAX_BATCH + 1))) == "too_large"


def test_policies_needs_no_request():
    envelope = json.loads(api.call_json("policies", "\xff garbage"))
    assert check_envelope(envelope) == "result" and envelope["result"]["policies"]


def test_a_bug_is_still_an_envelope(monkeypatch, capsys):
    """An unexpected exception inside the engine: code "internal", valid UTF-8, one line on stderr."""
    import calculator

    def broken(request):
        raise KeyError("\ud800")

    monkeypatch.setattr(calculator, "estimate", broken)
    text = api.call_json("estimate", json.dumps(ESTIMATE_BASE))
    text.encode("utf-8")
    assert json.loads(text)["error"]["code"] == "internal"
    assert api.call("estimate", ESTIMATE_BASE)["error"]["code"] == "internal"
    assert "KeyError" in capsys.readouterr().err


def test_in_process_keys_that_json_cannot_have():
    for key in (_HugeInt(10**5000), 1.5, None, ("a",)):
        assert check_envelope(api.call("estimate", {**ESTIMATE_BASE, key: 1})) == "type"
        assert check_envelope(api.call("estimate", {**ESTIMATE_BASE, "costs": {key: "1"}})) == "type"


def test_in_process_cycle_and_depth():
    loop: dict = {"policy": "changchun-employee"}
    loop["member"] = loop
    assert check_envelope(api.call("estimate", loop)) in {"too_complex", "unknown_field"}
    assert check_envelope(api.call("estimate", {**ESTIMATE_BASE, "overrides": _deep(100_000)})) == "too_complex"


# ---------------------------------------------------------------- properties over the hostile space

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(POOL[:-3]),
)
hostile = st.one_of(
    st.sampled_from(POOL),
    st.text(alphabet=st.characters(codec=None), max_size=40),  # any code point, surrogates included
    st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12),  # noqa: E501
)  # fmt: skip


FIELD_FUZZ = [
    ("estimate", ESTIMATE_BASE, ESTIMATE_PATHS, set_path),
    ("remote", REMOTE_BASE, REMOTE_PATHS, set_path),
    ("year", YEAR_BASE, YEAR_PATHS, set_year_path),
]


@pytest.mark.default_date  # a fuzzed date may be left out: the engine then takes the (frozen) default
@pytest.mark.parametrize("op,base,paths,put", FIELD_FUZZ, ids=[f[0] for f in FIELD_FUZZ])
@HOSTILE
@given(data=st.data())
def test_any_field_any_value(op, base, paths, put, data):
    request = base
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3)):
        request = put(request, path, data.draw(hostile))
    check_envelope(api.call(op, request))


YEAR_ERRORS = [
    ({**YEAR_BASE, "visits": []}, "visits", "required"),
    ({**YEAR_BASE, "visits": None}, "visits", "required"),
    ({**YEAR_BASE, "visits": {"date": "2026-03-01"}}, "visits", "type"),
    ({**YEAR_BASE, "visits": [VISIT] * 101}, "visits", "too_many"),
    (set_year_path(YEAR_BASE, "visits.2.costs.total", "-1"), "visits[2].costs.total", "negative"),
    (set_year_path(YEAR_BASE, "visits.2.colour", "blue"), "visits[2].colour", "unknown_field"),
    (set_year_path(YEAR_BASE, "visits.1.date", "2001-01-01"), "visits[1].date", "before_policy"),
    (set_year_path(YEAR_BASE, "visits.0.date", None), "visits[0].date", "required"),
    (set_year_path(YEAR_BASE, "visits.0.year_to_date", {}), "visits[0].year_to_date", "unknown_field"),
    (set_year_path(YEAR_BASE, "visits.1.policy", "changchun-employee"), "visits[1].policy", "unknown_field"),
    (set_year_path(YEAR_BASE, "visits.2.care", "teleport"), "visits[2].care", "unknown"),
    ({**YEAR_BASE, "visits": [VISIT, "x"]}, "visits[1]", "type"),
    ({**YEAR_BASE, "member": {"minor": "yes"}}, "member.minor", "type"),
    ({**YEAR_BASE, "year_to_date": {}}, "year_to_date", "unknown_field"),
]


@pytest.mark.parametrize("request_,field,code", YEAR_ERRORS, ids=[f"{field}:{code}" for _, field, code in YEAR_ERRORS])
def test_year_errors_name_the_visit_and_the_field(request_, field, code):
    envelope = api.call("year", request_)
    assert check_envelope(envelope) == code, envelope
    assert envelope["error"]["field"] == field, envelope
    if field.startswith("visits["):
        number = int(field[7 : field.index("]")]) + 1
        assert envelope["error"]["message"].startswith(f"第{number}次就医："), envelope


@HOSTILE
@given(op=st.sampled_from([*api.OPS, "nope"]), request_=hostile)
def test_any_request_any_op(op, request_):
    check_envelope(api.call(op, request_))


def _dumps(value, ensure_ascii: bool = True) -> str:
    """JSON text of a hostile value; Python itself cannot write some of them (10**5000, 5,000-deep lists)."""
    try:
        return json.dumps(value, ensure_ascii=ensure_ascii)
    except (ValueError, RecursionError):
        return "[" * 5000


@HOSTILE
@given(
    op=st.sampled_from(["estimate", "remote", "year", "batch"]),
    text=st.one_of(
        st.text(max_size=200),
        st.binary(max_size=200),
        st.builds(lambda v: _dumps(v, ensure_ascii=False), hostile),
        st.builds(_dumps, hostile),
    ),
)
def test_any_text_through_call_json(op, text):
    check_text(api.call_json(op, text))


# ---------------------------------------------------------------- the seeded fuzzer (figure for the closing note)


def _valid_bases() -> list[tuple[str, dict]]:
    """One valid-looking request per policy/care/facility (from the catalogue) and per policy/reason."""
    from vocabulary import REMOTE_REASONS

    bases: list[tuple[str, dict]] = []
    for policy in api.call("policies", None)["result"]["policies"]:
        facilities = [f["id"] for f in policy["facilities"]]
        for care in policy["care"]:
            for facility in care.get("facilities") or facilities:
                request = {**ESTIMATE_BASE, "policy": policy["id"], "care": care["id"], "facility": facility}
                bases.append(("estimate", {**request, "remote": None}))
        for reason in REMOTE_REASONS:
            bases.append(("remote", {**REMOTE_BASE, "policy": policy["id"], "reason": reason}))
        care = policy["care"][0]
        visit = {"date": "2026-03-01", "care": care["id"], "facility": (care["facilities"] or facilities)[0]}
        visits = [{**visit, "costs": {"total": total}} for total in ("300", "20000")]
        bases.append(("year", {"policy": policy["id"], "visits": visits}))
    return bases


def _serialisable(request: dict) -> bool:
    try:
        json.dumps(request)
    except (ValueError, RecursionError):
        return False
    return True


def _mutate(rng: random.Random, op: str, request: dict):
    paths, put = {"estimate": (ESTIMATE_PATHS, set_path), "year": (YEAR_PATHS, set_year_path)}.get(
        op, (REMOTE_PATHS, set_path)
    )
    for _ in range(rng.randint(1, 3)):
        request = put(request, rng.choice(paths), rng.choice(POOL))
    if rng.random() < 0.3 and _serialisable(request):  # as text, sometimes damaged: strict JSON reading is fuzzed too
        text = json.dumps(request, ensure_ascii=rng.random() < 0.5)
        if rng.random() < 0.5:
            cut = rng.randrange(len(text) + 1)
            text = (
                text[:cut]
                + rng.choice(['"', "{", "]", ",", "\\ud800", '"policy": "x", "policy": ', "\\u0000"])
                + text[cut:]
            )
        return text.encode("utf-8", "surrogatepass") if rng.random() < 0.5 else text
    return request


def fuzz(count: int, seed: int = 20261201) -> tuple[int, list]:
    """`count` mutated requests through api.call / api.call_json; returns (count, untyped failures)."""
    rng = random.Random(seed)
    bases = _valid_bases()
    untyped = []
    for _ in range(count):
        op, base = rng.choice(bases)
        request = _mutate(rng, op, base)
        try:
            if isinstance(request, (str, bytes)):
                check_text(api.call_json(op, request))
            else:
                check_envelope(api.call(op, request))
        except Exception as exc:  # noqa: BLE001 - counted and reported
            untyped.append((op, repr(exc)[:300]))
    return count, untyped


@pytest.mark.default_date  # fuzzed requests may leave the date out: they get the frozen day
def test_seeded_fuzz_has_no_untyped_error(capsys):
    count, untyped = fuzz(3000)
    with capsys.disabled():
        print(f"\n{count} requests fuzzed, {len(untyped)} untyped errors")
    assert not untyped, untyped[:5]


# ---------------------------------------------------------------- the CLI


def _main(op: str, raw: bytes, monkeypatch) -> tuple[int, bytes]:
    """calculator.__main__.main() in-process, stdin and stdout as bytes."""
    from calculator import __main__ as cli

    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out = io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    monkeypatch.setattr(sys, "stdout", stdout)
    code = cli.main([op])
    stdout.flush()
    return code, out.getvalue()


def _check_cli(code: int, out: bytes) -> dict:
    assert code in (0, 2)
    answer = json.loads(out.decode("utf-8"))
    if code == 2:
        check_envelope(answer)
    else:
        assert "error" not in answer
    return answer


@settings(max_examples=150, deadline=None, derandomize=True)
@given(op=st.sampled_from(["estimate", "remote", "year", "batch"]), raw=st.binary(max_size=120))
def test_cli_any_bytes(op, raw):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _check_cli(*_main(op, raw, monkeypatch))


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe{", b'{"policy": "\xed\xa0\x80"}', b'{"policy": "\\ud800"}', b"[" * 50_000, b'{"a": 1, "a": 2}',
     json.dumps({**REMOTE_BASE, "visit_date": "9999-12-31"}).encode()],
)  # fmt: skip
def test_cli_subprocess_hostile_input(raw):
    done = subprocess.run([sys.executable, "-m", "calculator", "remote"], input=raw, capture_output=True, cwd=ROOT)
    assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
    check_envelope(json.loads(done.stdout.decode("utf-8")))
    assert raw not in done.stdout or len(raw) < 3


def test_cli_year_bad_visit_exits_2_naming_it():
    bad = set_year_path(YEAR_BASE, "visits.2.costs.total", "abc")
    done = subprocess.run(
        [sys.executable, "-m", "calculator", "year"], input=json.dumps(bad).encode(), capture_output=True, cwd=ROOT
    )
    assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
    error = json.loads(done.stdout.decode("utf-8"))["error"]
    assert error["field"] == "visits[2].costs.total" and error["message"].startswith("第3次就医：")


def test_cli_subprocess_result():
    done = subprocess.run(
        [sys.executable, "-m", "calculator", "estimate"],
        input=json.dumps(ESTIMATE_BASE).encode(),
        capture_output=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["total"] == "20000.00"


# ---------------------------------------------------------------- a wrong-shaped bundle is a typed error

NOT_BUNDLES = [
    ('{"a":1}', "not_a_bundle", "缺少 format"),
    ("[1, 2]", "not_a_bundle", "JSON 对象"),
    ("{not json", "not_a_bundle", "不是有效的 JSON"),
    ('{"format": 99, "documents": {}, "policies": {}, "calendar": {}}', "bundle_format", "格式版本是 99"),
    ('{"format": 3, "documents": {}, "policies": [], "calendar": {}, "labels": {}, "fields": {}, "words": {}}',
     "not_a_bundle", "“policies”应当是映射"),
    ('{"format": 3, "documents": {}, "policies": {"x": {"id": "x"}}, "labels": {}, "fields": {}, "words": {}, '
     '"calendar": {"first": "2004-01-01", "last": "2026-12-31", "holidays": [], "workdays": []}}',
     "not_a_bundle", "政策 x"),
    ('{"format": 3, "documents": {}, "policies": {}, "calendar": {}}', "not_a_bundle", "缺少 labels"),
]  # fmt: skip


@pytest.mark.parametrize("text,code,words", NOT_BUNDLES, ids=[c[1] + str(i) for i, c in enumerate(NOT_BUNDLES)])
def test_cli_names_the_file_that_is_not_a_bundle(tmp_path, text, code, words):
    """YIBAO_BUNDLE pointing at {"a":1} gave code `internal` (KeyError: 'policies')."""
    path = tmp_path / "policies.json"
    path.write_text(text, encoding="utf-8")
    env = {**os.environ, "YIBAO_BUNDLE": str(path)}
    for op in ("estimate", "policies"):
        done = subprocess.run(
            [sys.executable, "-m", "calculator", op], input=json.dumps(ESTIMATE_BASE).encode(), capture_output=True,
            cwd=ROOT, env=env,
        )  # fmt: skip
        assert done.returncode == 2 and b"Traceback" not in done.stderr, done.stderr
        error = json.loads(done.stdout.decode("utf-8"))["error"]
        assert (error["field"], error["code"]) == ("bundle", code), error
        assert str(path) in error["message"] and words in error["message"], error
        assert re.search(r"[\u4e00-\u9fff]", error["message"])
    done = subprocess.run(
        [sys.executable, "-m", "calculator", "policies"], capture_output=True, cwd=ROOT,
        env={**env, "YIBAO_BUNDLE": str(tmp_path / "missing.json")},
    )  # fmt: skip
    assert done.returncode == 2 and json.loads(done.stdout.decode("utf-8"))["error"]["code"] == "no_bundle"


@pytest.mark.parametrize("text,code,words", NOT_BUNDLES, ids=[c[1] + str(i) for i, c in enumerate(NOT_BUNDLES)])
def test_api_answers_a_typed_error_after_a_bad_bundle(text, code, words):
    """In process: load_bundle refuses it with a typed error, and every question until a good bundle
    is loaded gets that error (never `internal`, never the rules of the bundle before)."""
    import calculator
    from calculator.data import BundleError

    good = calculator.bundle()
    try:
        with pytest.raises(BundleError) as info:
            calculator.load_bundle(text)
        assert info.value.code == code and words in info.value.message
        for op, request_ in (("estimate", ESTIMATE_BASE), ("remote", REMOTE_BASE), ("policies", None)):
            error = api.call(op, request_)["error"]
            assert (error["field"], error["code"]) == ("bundle", code) and words in error["message"], error
            assert json.loads(api.call_json(op, json.dumps(request_)))["error"]["code"] == code
    finally:
        calculator.load_bundle(good)
    assert "result" in api.call("estimate", ESTIMATE_BASE)


def test_the_real_bundle_passes_the_shape_check():
    import calculator
    from calculator.data import FORMAT, check_bundle

    assert check_bundle(calculator.bundle())["format"] == FORMAT


if __name__ == "__main__":
    import calculator
    from compiler import compile_policies

    calculator.load_bundle(compile_policies(ROOT / "policies"))
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 20261201
    start = time.perf_counter()
    total, failures = fuzz(n, seed)
    for op, what in failures[:20]:
        print(f"  {op}: {what}")
    print(f"{total} requests fuzzed (seed {seed}), {len(failures)} untyped errors, {time.perf_counter() - start:.1f} s")
    sys.exit(1 if failures else 0)
