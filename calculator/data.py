"""The compiled policy bundle the engine reads.

The runtime never compiles YAML: the browser worker fetches policies.json and
calls load_bundle(); the CLI loads the JSON the build wrote; tests load the
bundle the compiler (a build-time package) returns.
"""

import json

_bundle = None


class NoBundleError(RuntimeError):
    """The engine was asked a question before any policy bundle was loaded."""


def load_bundle(data) -> dict:
    """Use this bundle (a dict, or JSON text) from now on."""
    global _bundle
    _bundle = json.loads(data) if isinstance(data, (str, bytes)) else data
    return _bundle


def bundle() -> dict:
    if _bundle is None:
        raise NoBundleError("no policy bundle loaded: call calculator.load_bundle() with policies.json first")
    return _bundle
