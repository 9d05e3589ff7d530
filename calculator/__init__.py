"""医保 estimator: what the fund pays, what you pay, and why.

Pure Python, standard library only at run time, so the same code runs in
CPython and in Pyodide. Policy data comes as a compiled JSON bundle
(see policies/README.md; the build-time package `compiler` writes it).
"""

from .data import add_region, bundle, bundle_for_now, load_bundle
from .engine import estimate
from .errors import InputError, PolicyDataError

__all__ = [
    "estimate",
    "check_remote",
    "year",
    "policies",
    "load_bundle",
    "bundle_for_now",
    "add_region",
    "bundle",
    "InputError",
    "PolicyDataError",
]


def check_remote(request: dict) -> dict:
    """Out-of-region care: eligible or not, what to do, deadlines."""
    from .remote import check_remote as _check_remote

    return _check_remote(request)


def policies() -> dict:
    """The form catalogue: policies, care types, facilities, choices and labels (the bundle's `catalog`)."""
    from .catalog import policies as _policies

    return _policies()


def year(request: dict) -> dict:
    """A resident's visits of a year: each settled with what accumulates, the year's totals and limits."""
    from .years import year as _year

    return _year(request)
