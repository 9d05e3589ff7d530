"""The form catalogue: what the browser form may offer, from the bundle."""

import calculator
from calculator.catalog import build_catalog, title


def _catalog():
    return calculator.policies()


def _policy(pid):
    return next(p for p in _catalog()["policies"] if p["id"] == pid)


def _care(pid, cid):
    return next(c for c in _policy(pid)["care"] if c["id"] == cid)


def test_the_compiled_bundle_carries_the_catalogue():
    data = calculator.bundle()
    # The compiler adds the region picker's entries (pinyin is build time: compiler/picker.py).
    assert {k: v for k, v in data["catalog"].items() if k != "index"} == build_catalog(data)
    assert [e["id"] for e in data["catalog"]["index"]] == [p["id"] for p in data["catalog"]["policies"]]
    assert _catalog() is data["catalog"]


def test_labels_and_fields_are_the_vocabularys():
    """The form reads the vocabulary's enumerations and fields from the catalogue, never its own."""
    from vocabulary import ENUMS, FIELDS, FORM_STATE

    assert _catalog()["labels"] == ENUMS
    fields = {f["name"]: f for f in _catalog()["fields"]}
    for op, name, path in [("estimate", "costs.total", "costs.total"), ("remote", "check.reason", "reason")]:
        assert {k: v for k, v in fields[name].items() if k not in ("name", "op", "ops", "field")} == FIELDS[op][path]
    assert fields["view"]["key"] == FORM_STATE["view"]["key"]
    keys = [f["key"] for f in fields.values() if f.get("key")]
    assert len(keys) == len(set(keys)), "two fields share a share-link key"


def test_graded_care_quota_is_overridable_with_a_hint():
    care = _care("unnamed-resident", "graded_care")
    assert [o["id"] for o in care["overridable"]] == ["quota"]
    assert "填写" in care["overridable"][0]["hint"]
    assert care["items"] == [{"id": "disease_quota", "label": "病种定额标准"}]


def test_beijing_critical_illness_threshold_is_overridable_and_the_care_not_computable():
    care = _care("beijing-resident", "inpatient")
    assert [o["id"] for o in care["overridable"]] == ["critical_illness.threshold"]
    assert care["computable"] is False


def test_member_flags_only_where_they_change_something():
    maternity = _care("xiaogan-maternity", "maternity")
    assert "retired" not in maternity["member_flags"] and "minor" not in maternity["member_flags"]
    assert maternity["member_flags"] == []
    assert _care("changchun-employee", "inpatient")["member_flags"] == ["retired", "civil_servant"]
    assert _care("zhenjiang-resident", "inpatient")["member_flags"] == ["relief"]
    assert _care("zhenjiang-resident", "outpatient")["member_flags"] == []
    assert set(_care("jiaozuo-resident", "inpatient")["member_flags"]) == {"low_income", "relief"}


def test_default_policy_is_computable():
    catalog = _catalog()
    default = next(p for p in catalog["policies"] if p["id"] == catalog["default_policy"])
    assert default["care"][0]["computable"] is True
    assert catalog["default_policy"] != "beijing-resident"
    first = default["care"][0]
    result = calculator.estimate(
        {
            "policy": default["id"],
            "date": "2026-03-01",
            "care": first["id"],
            "facility": first["facilities"][0],
            "costs": {"total": "10000"},
        }
    )
    assert result["complete"] is True and result["fund_pays"] != "0.00"


def test_titles_never_double_the_region():
    for p in _catalog()["policies"]:
        region = p["region_name"].split("（")[0]
        assert p["title"].count(region) == 1, p["title"]
    assert title({"region_name": "北京市", "name": "北京市城镇居民医保"}) == "北京市城镇居民医保"
    assert title({"region_name": "长春市", "name": "城镇职工基本医疗保险"}) == "长春市城镇职工基本医疗保险"


def test_remote_conditions_and_synonyms_come_from_the_data():
    remote = _policy("changchun-employee")["remote"]
    labels = [c["label"] for c in remote["conditions"]]
    assert "急性心肌梗塞" in labels
    assert {k["id"] for k in remote["kinds"]} == {"referral", "emergency", "residence"}
    assert all(target in labels for target in remote["synonyms"].values())
    assert _policy("dafang-resident")["remote"] is None


def test_synonyms_in_the_bundle_reach_the_catalogue():
    data = dict(calculator.bundle())
    data["synonyms"] = {"心梗": "急性心肌梗塞", "别的": "不在任何列表里"}
    remote = next(p for p in build_catalog(data)["policies"] if p["id"] == "changchun-employee")["remote"]
    assert remote["synonyms"] == {"心梗": "急性心肌梗塞"}


def test_as_of_is_the_newest_dated_source():
    assert _policy("changchun-employee")["as_of"] == "2010-09-03"
    assert _policy("dafang-resident")["as_of"] is None


def test_chronic_diseases_listed_with_their_start():
    listed = {c["label"]: c["from"] for c in _catalog()["chronic_diseases"]}
    assert listed["糖尿病"] is None and listed["冠心病"] == "2024-12-31"
