"""python -m calculator estimate | remote | policies

JSON request on stdin, JSON result on stdout. Bad input: {"error": {...}} on
stdout and exit status 2 — never a traceback. The policy bundle is the JSON
the build wrote: $YIBAO_BUNDLE, or site/policies.json (python3 build.py build).
"""

import json
import os
import sys
from pathlib import Path

from . import check_remote, estimate, load_bundle, policies
from .errors import InputError

COMMANDS = {"estimate": estimate, "remote": check_remote}
USAGE = "usage: python -m calculator estimate|remote|policies  (JSON request on stdin)"
DEFAULT_BUNDLE = Path(__file__).resolve().parent.parent / "site" / "policies.json"


def _load_bundle() -> bool:
    path = Path(os.environ.get("YIBAO_BUNDLE") or DEFAULT_BUNDLE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        print(f"no policy bundle at {path}: run `python3 build.py build` first, or set YIBAO_BUNDLE", file=sys.stderr)
        return False
    load_bundle(text)
    return True


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1 or argv[0] not in (*COMMANDS, "policies"):
        print(USAGE, file=sys.stderr)
        return 2
    if not _load_bundle():
        return 2
    try:
        if argv[0] == "policies":
            result = policies()
        else:
            text = sys.stdin.read()
            try:
                request = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(
                    "request", "invalid_json", f"输入不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）。"
                )
            except (ValueError, RecursionError):  # absurd numbers or nesting
                raise InputError("request", "invalid_json", "输入的 JSON 无法读取（数字过长或嵌套过深）。")
            result = COMMANDS[argv[0]](request)
    except InputError as exc:
        json.dump(exc.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
