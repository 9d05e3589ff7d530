"""The compiled policy bundle the engine reads.

In the browser the worker fetches policies.json and calls load_bundle(); in
CPython the bundle is compiled from policies/*.yaml on first use (that path
needs the build-time dependencies: PyYAML, jsonschema, chinese-calendar).
"""

import json
import os
from pathlib import Path

_bundle = None


def load_bundle(data) -> dict:
    """Use this bundle (a dict, or JSON text) from now on."""
    global _bundle
    _bundle = json.loads(data) if isinstance(data, (str, bytes)) else data
    return _bundle


def policy_dir() -> Path:
    return Path(os.environ.get("YIBAO_POLICIES") or Path(__file__).resolve().parent.parent / "policies")


def bundle() -> dict:
    global _bundle
    if _bundle is None:
        from .compile import compile_policies  # build-time path, CPython only

        _bundle = compile_policies(policy_dir())
    return _bundle
