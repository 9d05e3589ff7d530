"""Content keys for the build's caches: a hash of a value's canonical JSON.

A pickle is no key: the same value pickles differently once it has crossed to another process
(the objects two parts share are shared differently), so a page rendered there would never be
found again. JSON with sorted keys is the same for equal values; a number or a date carries
its type (a tag that starts with NUL, which no policy text may hold), so 1000 and "1000" differ.
"""

from __future__ import annotations

import hashlib
import json


def _typed(value) -> str:
    return f"\0{type(value).__name__}:{value}"


def content_key(*parts) -> str:
    """A hex digest of the parts (bytes as they are, anything else as canonical JSON)."""
    digest = hashlib.sha256()
    for part in parts:
        if not isinstance(part, bytes):
            part = json.dumps(part, sort_keys=True, ensure_ascii=False, default=_typed).encode("utf-8")
        digest.update(len(part).to_bytes(8, "big") + part)  # its length first: parts cannot run together
    return digest.hexdigest()
