"""Figures of a care a request may set because the data leaves them to the resident (a quota, a
layer's threshold): read by the engine (to accept the request) and by the form catalogue (to offer them).
"""

from .words import field_label, word


def overridable(care: dict, data: dict | None = None) -> dict[str, dict]:
    """Figures of this care a request may set: {id: {"label", "hint", "value"}} (value: the data's figure or
    None); `data`: the bundle being catalogued, when it is not the loaded one."""
    found = {}
    if care.get("method") == "quota":  # the hospital can tell the patient the disease's quota
        known = [s.get("amount") for s in (care.get("standards") or {}).values() if s.get("amount") is not None]
        found["quota"] = {
            "label": field_label("estimate", "overrides.quota", data),
            "hint": "医院告诉您的这一病种定额（元）。"
            + ("不填写则按资料中的定额计算。" if known else "资料中没有定额金额，填写后才能估算。"),
            "value": None,
        }
    for layer in care.get("layers") or []:
        threshold = layer.get("threshold")
        if isinstance(threshold, dict) and threshold.get("overridable"):
            label, what = layer.get("label", layer["id"]), word("layer", "threshold", data)
            hint = (
                f"{label}的{what}（元）。资料中没有具体金额，填写后才能计算{label}。"
                if threshold.get("value") is None
                else f"{label}的{what}（元）。不填写则按资料中的 {threshold['value']} 元计算。"
            )
            found[f"{layer['id']}.threshold"] = {
                "label": f"{label}{what}",
                "hint": hint,
                "value": threshold.get("value"),
            }
    return found
