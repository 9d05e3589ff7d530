"""The bundle split for the browser (compiler/split.py, sitebuild/bundles.py): the index and one
file per region answer every request exactly as the full bundle does, and the CLI reads either."""

import copy
import json
import os
import subprocess
import sys

import pytest
from caseload import estimate_cases, remote_cases, year_cases

import calculator
from calculator import api, data
from compiler.split import split
from sitebuild import bundles

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = (
    [("estimate", c) for c in estimate_cases()]
    + [("remote", c) for c in remote_cases()]
    + [("year", c) for c in year_cases()]
)


@pytest.fixture
def full():
    """The full bundle the test session compiled, put back after each test."""
    bundle = data.bundle()
    yield copy.deepcopy(bundle)
    data.load_bundle(bundle)


def answer(op: str, request: dict) -> dict:
    return json.loads(api.call_json(op, json.dumps(request, ensure_ascii=False)))


def test_every_region_merged_into_the_index_is_the_full_bundle(full):
    index, parts = split(full)
    assert set(parts) == set(full["regions"])
    data.load_bundle(copy.deepcopy(index))
    for part in parts.values():
        data.add_region(copy.deepcopy(part))
    assert data.bundle() == full
    assert data.loaded_regions() == list(parts)


@pytest.mark.parametrize("op,case", CASES, ids=[f"{op}-{c['name']}" for op, c in CASES])
def test_index_and_one_region_answer_every_case_as_the_full_bundle(full, op, case):
    """Each hand-worked case, answered from the index plus its own region's file only, is the
    full bundle's answer (the results, caveats and citations too)."""
    expected = answer(op, case["request"])
    index, parts = split(full)
    region = next(p["region"] for p in full["catalog"]["index"] if p["id"] == case["request"]["policy"])
    data.load_bundle(copy.deepcopy(index))
    data.add_region(json.dumps(parts[region], ensure_ascii=False))
    assert answer(op, case["request"]) == expected


def test_a_region_not_added_is_a_typed_error_and_adding_it_twice_changes_nothing(full):
    index, parts = split(full)
    data.load_bundle(copy.deepcopy(index))
    request = {
        "policy": "changchun-employee",
        "date": "2026-03-01",
        "facility": "provincial",
        "costs": {"total": "20000"},
    }
    error = answer("estimate", request)["error"]
    assert error["code"] == "region_not_loaded" and error["field"] == "policy"
    assert "还没有载入" in error["message"]
    assert answer("estimate", {**request, "policy": "nowhere-employee"})["error"]["code"] != "region_not_loaded"
    data.add_region(parts["changchun"])
    once = copy.deepcopy(data.bundle())
    data.add_region(parts["changchun"])
    assert data.bundle() == once and "result" in answer("estimate", request)


def test_the_snapshot_holds_the_index_only(full):
    """What the worker's memory snapshot holds: the regions are taken out and put back unchanged."""
    index, parts = split(full)
    data.load_bundle(copy.deepcopy(index))
    data.add_region(parts["beijing"])
    data.add_region(parts["changchun"])
    with_regions = copy.deepcopy(data.bundle())
    taken = data.remove_regions()
    assert data.bundle() == index and not data.loaded_regions()
    for part in taken:
        data.add_region(part)
    assert data.bundle() == with_regions


@pytest.mark.parametrize(
    "part,code",
    [("{bad", "not_a_bundle"), ("[]", "not_a_bundle"), ('{"region": "x"}', "not_a_bundle")],
)
def test_a_broken_region_file_is_a_typed_error(full, part, code):
    index, _ = split(full)
    data.load_bundle(copy.deepcopy(index))
    with pytest.raises(data.BundleError) as err:
        data.add_region(part)
    assert err.value.code == code


def test_the_written_files_are_named_by_their_content_and_read_back_by_the_cli(full, tmp_path):
    index = bundles.write(full, tmp_path / "data", "v")
    for rid, name in index["region_files"].items():
        assert name.startswith(f"regions/{rid}.") and (tmp_path / "data" / name).exists()
    assert "policies" not in json.dumps(index["policies"]) or index["policies"] == {}
    assert index["catalog"]["policies"] == [] and len(index["catalog"]["index"]) == len(full["policies"])
    # Nothing of a region's own is in the index: its documents and policies live in its file.
    own = {d for d, doc in full["documents"].items() if doc["region"] != "national"}
    assert own and not own & set(index["documents"])
    policy = next(p for p in full["catalog"]["policies"] if p["id"] == "zhenjiang-resident")
    request = {"policy": policy["id"], "date": "2026-03-01", "facility": policy["care"][0]["facilities"][0],
               "costs": {"total": "8000"}}  # fmt: skip
    expected = answer("estimate", request)["result"]
    for bundle_path in (tmp_path / "data", None):
        if bundle_path is None:  # the full bundle as one file reads the same
            bundle_path = tmp_path / "policies.json"
            bundle_path.write_text(json.dumps(full, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "calculator", "estimate"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "YIBAO_BUNDLE": str(bundle_path)},
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout) == expected


def test_the_picker_entries_spell_each_region_in_pinyin(full):
    entries = {e["id"]: e for e in full["catalog"]["index"]}
    assert entries["changchun-employee"]["pinyin"] == "changchunshi"
    assert entries["changchun-employee"]["initials"] == "ccs"
    assert entries["unnamed-resident"]["pinyin"] == "moushi"  # the name before its bracketed note
    assert [e["id"] for e in full["catalog"]["index"]] == [p["id"] for p in full["catalog"]["policies"]]


def test_the_standard_library_is_traced_on_one_policy_of_each_shape(full):
    traced = bundles.one_of_each_shape(full)
    assert set(traced["policies"]) <= set(full["policies"]) and traced["policies"]
    twin = copy.deepcopy(full)
    twin["policies"]["copy-employee"] = {**copy.deepcopy(full["policies"]["changchun-employee"]), "id": "copy-employee"}
    assert set(bundles.one_of_each_shape(twin)["policies"]) == set(traced["policies"])


def test_calculator_exports_add_region():
    assert calculator.add_region is data.add_region
