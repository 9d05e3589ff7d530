"""The form catalogue: every choice the browser form offers, with Chinese labels, from the bundle.

The compiler stores `build_catalog(bundle)` in the bundle as `catalog`, so the
form can read it before Python is ready; `policies()` returns the same thing.
"""

import itertools
import json

from .choices import overridable
from .data import bundle
from .dating import documents_by_policy, newest_date
from .request import matches, member_group
from .tables import GROUP_TABLES, band_rate, group_row, lookup, single_rate
from .workdays import range_note

# Flags the estimate's out-of-region choice applies to (the remote formulas are inpatient rules).
REMOTE_ESTIMATE_CARE = "inpatient"
MAX_FLAGS_SEARCHED = 10


def policies() -> dict:
    """The catalogue of the loaded bundle (the compiled one when present)."""
    data = bundle()
    return data.get("catalog") or build_catalog(data)


def build_catalog(data: dict) -> dict:
    """Contract 2 (DESIGN.md): labels, the form's fields, the default policy, and per policy what a
    form may offer. Labels and fields are the vocabulary's, as the bundle carries them."""
    labels = data["labels"]
    synonyms = data.get("synonyms") or {}
    cites = documents_by_policy(data["documents"])
    out = [_policy(data, policy, labels, synonyms, cites) for policy in data["policies"].values()]
    default = next(
        (p["id"] for p in out if p["care"] and p["care"][0]["computable"]),
        out[0]["id"] if out else None,
    )
    return {
        "labels": labels,
        "fields": form_fields(data["fields"]),
        "default_policy": default,
        "policies": out,
        "chronic_diseases": _chronic(data),
        "calendar": _calendar(data),
    }


def form_fields(fields: dict) -> list[dict]:
    """The requests' fields as the form names them: an estimate's by their path (`costs.total`),
    the checker's as `check.<name>` (policy and member are shared: `ops` lists the requests a field
    goes into), a year's visits, and the form's own state; each
    with its share link key, label, kind, hint…: the form keeps no field list of its own."""
    out, names = [], set()
    for op in ("estimate", "remote", "year", "form"):
        for path, spec in fields[op].items():
            name = f"check.{path}" if op == "remote" and path not in ("policy", "member") else path
            if name in names or path == "today":  # today: the page's own day, never a field
                continue
            names.add(name)
            ops = ["estimate", "remote", "year"] if path in ("policy", "member") else [op]
            out.append({"name": name, "op": op, "ops": ops, "field": path, **spec})
    return out


def _calendar(data: dict) -> dict:
    """The working-day calendar's range (one figure of the bundle), in words for the checker's page."""
    cal = data["calendar"]
    return {"first": cal["first"], "last": cal["last"], "source": cal.get("source"), "note": range_note(cal)}


def _chronic(data: dict) -> list[dict]:
    """The national list of outpatient chronic diseases settled across provinces, each with its start date."""
    chronic = ((data.get("national") or {}).get("cross_province") or {}).get("chronic_diseases") or {}
    return [
        {"id": k, "label": v, "from": entry.get("from")}
        for entry in chronic.get("lists") or []
        for k, v in entry["diseases"].items()
    ]


def title(policy: dict) -> str:
    """Region and scheme name, the region written once."""
    region, name = policy["region_name"], policy["name"]
    short = region.split("（")[0]
    return name if name.startswith(short) else f"{region}{name}"


def _policy(data: dict, policy: dict, labels: dict, synonyms: dict, cites: dict) -> dict:
    newest = policy["versions"][-1]
    care_ids = list(newest["care"])
    if "inpatient" in care_ids:  # the engine's default care comes first
        care_ids.remove("inpatient")
        care_ids.insert(0, "inpatient")
    return {
        "id": policy["id"],
        "title": title(policy),
        "region": policy["region"],
        "region_name": policy["region_name"],
        "province": policy.get("province"),
        "name": policy["name"],
        "as_of": newest_date(data["documents"], cites.get(policy["id"], [])),
        "versions": [
            {
                "from": v["from"],
                "applies_from": v.get("applies_from"),
                "from_note": v.get("from_note"),
                "summary": v.get("summary"),
            }
            for v in policy["versions"]
        ],
        "facilities": [{"id": k, "label": v} for k, v in policy["facilities"].items()],
        "care": [_care(data, policy, cid, newest["care"][cid]) for cid in care_ids],
        "remote": _remote(policy, labels, synonyms),
    }


def _care(data: dict, policy: dict, care_id: str, rule: dict) -> dict:
    return {
        "id": care_id,
        "label": rule.get("label", care_id),
        "facilities": list(rule.get("facilities") or policy["facilities"]),
        "items": [{"id": k, "label": v.get("label", k)} for k, v in (rule.get("standards") or {}).items()],
        "member_flags": member_flags(policy, care_id, rule),
        "overridable": [{"id": k, "label": v["label"], "hint": v["hint"]} for k, v in overridable(rule, data).items()],
        "computable": computable(policy, rule),
    }


def computable(policy: dict, rule: dict) -> bool:
    """Can the default request (no member flags, no overrides) produce the basic fund's figure?"""
    group = member_group(policy, {})["id"]
    facilities = rule.get("facilities") or list(policy["facilities"])
    method = rule.get("method", "standard")
    for facility in facilities:
        if method in ("fixed_standard", "quota"):
            rate, _ = single_rate(rule, group, facility)
            amounts = [s.get("amount") for s in (rule.get("standards") or {}).values()]
            if rate is not None and any(a is not None for a in amounts):
                return True
            continue
        bands, _ = lookup(rule.get("bands"), group, facility)
        if isinstance(bands, list) and bands and band_rate(bands[0]) is not None:
            return True
    return False


def _mentioned(policy: dict, care_id: str, rule: dict) -> list[str]:
    """Member flags the policy's data names for this care."""
    named: list[str] = []
    conditions = list(policy["members"]) + list(rule.get("layers") or [])
    if care_id == REMOTE_ESTIMATE_CARE:
        conditions += [e.get("covered") or {} for e in (policy.get("remote") or {}).values() if isinstance(e, dict)]
    for item in conditions:
        for key in ("when", "when_any", "unclear_when_any"):
            for flag in item.get(key) or []:
                if flag not in named:
                    named.append(flag)
    return named


def _signature(policy: dict, care_id: str, rule: dict, flags: dict) -> str:
    """Everything the member flags decide for this care, as one comparable string."""
    gid = member_group(policy, flags)["id"]
    parts = [group_row(rule.get(t), gid) for t in GROUP_TABLES]
    parts.append(gid in ((rule.get("excluded") or {}).get("groups") or []))
    parts.append(
        [
            layer["id"]
            for layer in rule.get("layers") or []
            if matches(layer, flags) and (not layer.get("groups") or gid in layer["groups"])
        ]
    )
    if care_id == REMOTE_ESTIMATE_CARE:
        for kind, entry in sorted((policy.get("remote") or {}).items()):
            covered = entry.get("covered") if isinstance(entry, dict) else None
            if covered:
                unclear = any(flags.get(f) for f in covered.get("unclear_when_any") or [])
                parts.append([kind, matches(covered, flags), unclear])
    return json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)


def member_flags(policy: dict, care_id: str, rule: dict) -> list[str]:
    """The flags whose answer changes something for this care (tried over every combination of the named ones)."""
    named = _mentioned(policy, care_id, rule)[:MAX_FLAGS_SEARCHED]
    matter: set[str] = set()
    for values in itertools.product((False, True), repeat=len(named)):
        flags = dict(zip(named, values, strict=True))
        here = _signature(policy, care_id, rule, flags)
        for flag in named:
            if flag not in matter and _signature(policy, care_id, rule, {**flags, flag: not flags[flag]}) != here:
                matter.add(flag)
    return [f for f in named if f in matter]


def _remote(policy: dict, labels: dict, synonyms: dict) -> dict | None:
    remote = policy.get("remote")
    if not remote:
        return None
    kinds = labels["remote_kind"]
    items = ((remote.get("emergency") or {}).get("conditions") or {}).get("items") or {}
    listed = set(items.values())
    return {
        "kinds": [{"id": k, "label": v} for k, v in kinds.items() if isinstance(remote.get(k), dict)],
        "reasons": [{"id": k, "label": v} for k, v in labels["remote_reason"].items()],
        "conditions": [{"id": k, "label": v} for k, v in items.items()],
        "synonyms": {alt: name for alt, name in synonyms.items() if name in listed},
    }
