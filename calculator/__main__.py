"""python -m calculator estimate | remote | year | policies | batch

JSON request on stdin, JSON result on stdout. Bad input: {"error": {...}} on
stdout and exit status 2, never a traceback; stdin is read as bytes and must
be UTF-8 (anything else is a typed error, and is never echoed back). The
policy bundle is the JSON the build wrote: $YIBAO_BUNDLE, or site/policies.json
(python3 build.py build). Every request goes through calculator.api.

batch reads a list of {"op", "request"} and prints the list of their
envelopes ({"result"} or {"error"} each): exit 0 unless the batch itself
cannot be read.
"""

import json
import os
import sys
from pathlib import Path

from . import load_bundle
from .api import OPS, call_json

USAGE = "usage: python -m calculator estimate|remote|year|policies|batch  (JSON request on stdin)"
DEFAULT_BUNDLE = Path(__file__).resolve().parent.parent / "site" / "policies.json"


def _load_bundle() -> bool:
    path = Path(os.environ.get("YIBAO_BUNDLE") or DEFAULT_BUNDLE)
    try:
        load_bundle(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(
            f"no readable policy bundle at {path} ({type(exc).__name__}): run `python3 build.py build` first, "
            "or set YIBAO_BUNDLE",
            file=sys.stderr,
        )
        return False
    return True


def _write(text: str) -> None:
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is None:  # a replaced stdout (tests): it takes text
        sys.stdout.write(text + "\n")
        return
    out.write(text.encode("utf-8") + b"\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in OPS:
        print(USAGE, file=sys.stderr)
        return 2
    if not _load_bundle():
        return 2
    op = argv[0]
    raw = b"" if op == "policies" else sys.stdin.buffer.read()
    envelope = json.loads(call_json(op, raw))
    if "error" in envelope:
        _write(json.dumps({"error": envelope["error"]}, ensure_ascii=False, indent=2))
        return 2
    _write(json.dumps(envelope["result"], ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
