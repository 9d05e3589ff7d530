"""Choices a request may make that only this engine knows: out-of-region care types and overridable figures.

Read by the engine (to accept the request) and by the form catalogue (to offer them).
"""

REMOTE_CARE = {"inpatient": "住院", "outpatient": "门诊", "chronic": "门诊慢特病"}


def overridable(care: dict) -> dict[str, dict]:
    """Figures of this care a request may set: {id: {"label", "hint", "value"}} (value: the data's figure or None)."""
    found = {}
    if care.get("method") == "quota":  # the hospital can tell the patient the disease's quota
        known = [s.get("amount") for s in (care.get("standards") or {}).values() if s.get("amount") is not None]
        found["quota"] = {
            "label": "定额标准",
            "hint": "医院告诉您的这一病种定额（元）。"
            + ("不填写则按资料中的定额计算。" if known else "资料中没有定额金额，填写后才能估算。"),
            "value": None,
        }
    for layer in care.get("layers") or []:
        threshold = layer.get("threshold")
        if isinstance(threshold, dict) and threshold.get("overridable"):
            label = layer.get("label", layer["id"])
            hint = (
                f"{label}的起付标准（元）。资料中没有具体金额，填写后才能计算{label}。"
                if threshold.get("value") is None
                else f"{label}的起付标准（元）。不填写则按资料中的 {threshold['value']} 元计算。"
            )
            found[f"{layer['id']}.threshold"] = {
                "label": f"{label}起付标准",
                "hint": hint,
                "value": threshold.get("value"),
            }
    return found
