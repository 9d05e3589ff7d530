"""Figures of one rule that contradict each other (policies/README.md, "What the compiler refuses").

Each check reads a scheme's versions merged as the bundle carries them (a later
version changes only what it names) and looks figures up as the engine does
(`calculator.tables`), for every member group and facility, so what is refused
is what an estimate would have read. A mistake is reported at the figure
written last of the two (the version that brought the contradiction), and names
the other with its line. Each check has a stable code (compiler/mistakes.py):

  cap-below-deductible   a cap (the most the fund pays) below the deductible of the same care,
                         group and facility
  band-below-deductible  a band that ends at or below the deductible but gives the fund a share:
                         below the deductible the patient pays everything
  per-case-one-band      fixed_standard and quota care pay one share of a per-case figure:
                         their bands are one open band (the engine reads no other)
  above-cap-without-cap  a layer that pays above the fund's cap (base: above_cap) in a care that
                         writes no cap at all

Checks of one list of bands (ascending, one rate each, bands-mixed-rates) are in
checks.py; rates above 1 (a layer paying more than the patient owes) in check_numbers.
"""

from __future__ import annotations

from decimal import Decimal

from calculator.money import percent
from calculator.tables import band_rate, cap_keys, lookup_keys

from .bundle import merge
from .files import PolicyFile, line_of

PER_CASE = ("fixed_standard", "quota")


class _Care:
    """One care of one merged version, and where each of its figures was written."""

    def __init__(self, f: PolicyFile, base: tuple, versions: list, cid: str, rules: dict):
        self.f, self.base, self.versions, self.cid, self.rules = f, base, versions, cid, rules

    def origin(self, keys: tuple) -> tuple[int, tuple]:
        """(version index, path in the file) of the version that last wrote care[keys]."""
        for j in range(len(self.versions) - 1, -1, -1):
            node = (self.versions[j].get("care") or {}).get(self.cid)
            for key in keys:
                if isinstance(node, dict) and key in node:
                    node = node[key]
                elif isinstance(node, list) and isinstance(key, int) and key < len(node):
                    node = node[key]
                else:
                    break
            else:
                return j, self.base + ("versions", j, "care", self.cid) + keys
        return 0, self.base + ("versions", 0, "care", self.cid) + keys

    def deductible(self, group: str, facility: str) -> tuple[Decimal, tuple] | None:
        """The deductible figure and its keys, when one is written as a number."""
        table = self.rules.get("deductible")
        keys = lookup_keys(table, group, facility)
        if keys is None or keys[1] is None:
            return None
        value = table[keys[0]][keys[1]]
        return (value, ("deductible",) + keys) if isinstance(value, Decimal) else None

    def add_later(self, seen: set, mine: tuple, other: tuple, code: str, **values) -> None:
        """Report at whichever of two figures was written later (ties: `mine`), once per figure."""
        (vm, pm), (vo, po) = self.origin(mine), self.origin(other)
        here, there = (pm, po) if vm >= vo else (po, pm)
        if (code, here) in seen:  # one figure, one report (a cap below several deductibles: the first)
            return
        seen.add((code, here))
        self.f.add(here, code, other=line_of(self.f.lines, there), **values)


def check_bases(f: PolicyFile, here, care_id: str, rules: dict) -> None:
    """Every deductible, band table and cap says per admission, per year or per visit (merged rules);
    only a cap may leave it open (basis: null with basis_note), for the ledger reads it (DESIGN.md)."""
    specs = [(key, rules.get(key)) for key in ("deductible", "bands", "cap")]
    specs += [(f"layers.{layer.get('id')}.cap", layer.get("cap")) for layer in rules.get("layers") or []]
    for key, spec in specs:
        if not isinstance(spec, dict):
            continue
        what = f"“{care_id}.{key}”"
        if "basis" not in spec:
            f.add(here + (care_id,), "no-basis", what=what)
        elif spec["basis"] is None and not key.endswith("cap"):
            f.add(here + (care_id,), "basis-open-not-cap", what=what)


def check_contradictions(f: PolicyFile, sid: str, scheme: dict) -> None:
    base = ("schemes", sid)
    groups = [m["id"] for m in scheme["members"]]
    versions = scheme["versions"]
    merged: dict = {}
    seen: set = set()
    for i, version in enumerate(versions):
        merged = merge(merged, version.get("care") or {})
        for cid, rules in merged.items():
            if not isinstance(rules, dict):
                continue
            check_bases(f, base + ("versions", i, "care"), cid, rules)
            care = _Care(f, base, versions[: i + 1], cid, rules)
            facilities = rules.get("facilities") or list(scheme["facilities"])
            for group in groups:
                for facility in facilities:
                    _cap_below_deductible(care, group, facility, seen)
                    _band_below_deductible(care, group, facility, seen)
                    _per_case_one_band(care, group, facility, seen)
            _above_cap_without_cap(care, seen)


def _cap_below_deductible(care: _Care, group: str, facility: str, seen: set) -> None:
    cap = care.rules.get("cap")
    keys = cap_keys(cap, group, facility)
    found = care.deductible(group, facility)
    if keys is None or None in keys or found is None:
        return
    value = cap["value"] if keys == ("value",) else cap[keys[0]][keys[1]]
    deductible, ded_keys = found
    if not isinstance(value, Decimal) or value >= deductible:
        return
    # a zero dropped (15000 for 150000) is the usual slip; else the two were swapped
    guess = (
        f"{value * 10}（少写了一个 0？）"
        if value * 10 >= deductible
        else f"对调：封顶线 {deductible}、起付线 {value}？"
    )
    care.add_later(
        seen, ("cap",) + keys, ded_keys, "cap-below-deductible", cap=value, deductible=deductible, guess=guess
    )


def _counted_from_zero(rules: dict) -> bool:
    """Bands and deductible measured on the same stretch of cost (DESIGN.md, "Bands"): per-admission
    bands, or annual bands with an annual deductible. Annual bands after a per-admission deductible
    start where the year's costs stand, so a low band may still be reached."""
    bands, deductible = rules.get("bands") or {}, rules.get("deductible") or {}
    return bands.get("basis") != "year" or deductible.get("basis") == "year"


def _band_below_deductible(care: _Care, group: str, facility: str, seen: set) -> None:
    found = care.deductible(group, facility)
    table = care.rules.get("bands")
    keys = lookup_keys(table, group, facility)
    if found is None or keys is None or not _counted_from_zero(care.rules):
        return
    deductible, ded_keys = found
    bands = table[keys[0]] if keys[1] is None else table[keys[0]][keys[1]]
    if not isinstance(bands, list):
        return
    list_keys = ("bands",) + tuple(k for k in keys if k is not None)
    for k, band in enumerate(bands):
        upto = band.get("upto") if isinstance(band, dict) else None
        rate = band_rate(band) if isinstance(upto, Decimal) else None
        if rate is None or upto > deductible or rate <= 0:
            continue
        care.add_later(
            seen,
            list_keys + (k, "upto"),
            ded_keys,
            "band-below-deductible",
            upto=upto,
            deductible=deductible,
            rate=percent(rate),
        )


def _per_case_one_band(care: _Care, group: str, facility: str, seen: set) -> None:
    method = care.rules.get("method")
    table = care.rules.get("bands")
    keys = lookup_keys(table, group, facility)
    if method not in PER_CASE or keys is None:
        return
    bands = table[keys[0]] if keys[1] is None else table[keys[0]][keys[1]]
    if not isinstance(bands, list) or (len(bands) == 1 and isinstance(bands[0], dict) and bands[0].get("upto") is None):
        return
    # at the band the engine would not read, or at the first band's upper bound
    where = (1,) if len(bands) > 1 else (0, "upto")
    _, path = care.origin(("bands",) + tuple(k for k in keys if k is not None) + where)
    if path in seen:
        return
    seen.add(path)
    care.f.add(path, "per-case-one-band", method=method, count=len(bands))


def _above_cap_without_cap(care: _Care, seen: set) -> None:
    if "cap" in care.rules:
        return
    for k, layer in enumerate(care.rules.get("layers") or []):
        if not isinstance(layer, dict) or layer.get("base") != "above_cap":
            continue
        _, path = care.origin(("layers", k, "base"))
        if path in seen:
            continue
        seen.add(path)
        care.f.add(path, "above-cap-without-cap", layer=layer.get("label") or layer.get("id"))
