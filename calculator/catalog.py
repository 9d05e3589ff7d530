"""policies(): what a form needs to offer, with Chinese labels, from the bundle."""

from .data import bundle
from .engine import _overridable
from .labels import MEMBER_FLAGS


def policies() -> dict:
    data = bundle()
    out = []
    for policy in data["policies"].values():
        newest = policy["versions"][-1]
        care = [
            {
                "id": care_id,
                "label": rule.get("label", care_id),
                "facilities": rule.get("facilities") or list(policy["facilities"]),
                "items": [{"id": k, "label": v.get("label", k)} for k, v in (rule.get("standards") or {}).items()],
                "overridable": [{"id": key, "label": label} for key, (_, label) in _overridable(rule).items()],
            }
            for care_id, rule in newest["care"].items()
        ]
        out.append(
            {
                "id": policy["id"],
                "name": policy["name"],
                "region": policy["region"],
                "region_name": policy["region_name"],
                "province": policy.get("province"),
                "versions": [
                    {"from": v["from"], "from_note": v.get("from_note"), "summary": v.get("summary")}
                    for v in policy["versions"]
                ],
                "facilities": [{"id": k, "label": v} for k, v in policy["facilities"].items()],
                "members": [
                    {
                        "id": m["id"],
                        "label": m.get("label", m["id"]),
                        "when": m.get("when") or [],
                        "when_any": m.get("when_any") or [],
                    }
                    for m in policy["members"]
                ],
                "care": care,
                "remote": policy.get("remote") is not None,
            }
        )
    return {"policies": out, "member_flags": [{"id": k, "label": v} for k, v in MEMBER_FLAGS.items()]}
