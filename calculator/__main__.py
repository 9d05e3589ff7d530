"""python -m calculator estimate | remote | year | policies | batch

JSON request on stdin, JSON result on stdout. Bad input: {"error": {...}} on
stdout and exit status 2, never a traceback; stdin is read as bytes and must
be UTF-8 (anything else is a typed error, and is never echoed back). The
policy bundle is what the build wrote: $YIBAO_BUNDLE (a full bundle file, or a
site's data/ directory), or site/data/ (python3 build.py build). Every request goes through calculator.api.

batch reads a list of {"op", "request"} and prints the list of their
envelopes ({"result"} or {"error"} each): exit 0 unless the batch itself
cannot be read.

A bundle that cannot be read or is not a policy bundle of this engine's format
is an error too ({"error": {"field": "bundle", "code": "no_bundle" |
"not_a_bundle" | "bundle_format", "message"}} naming the file, exit 2).
"""

import json
import os
import sys
from pathlib import Path

from .api import OPS, call_json
from .data import BundleError, load_path

USAGE = "usage: python -m calculator estimate|remote|year|policies|batch  (JSON request on stdin)"
DEFAULT_BUNDLE = Path(__file__).resolve().parent.parent / "site" / "data"  # a bundle file or a data/ directory


def _bundle_error(path: Path, code: str, why: str) -> dict:
    return {
        "error": {
            "field": "bundle",
            "code": code,
            "message": f"{path} {why}。请先运行 python3 build.py build，"
            "或把环境变量 YIBAO_BUNDLE 指向构建生成的 site/data 目录或完整的政策数据文件。",
        }
    }


def _load_bundle() -> dict | None:
    """None when the bundle is loaded; else the error envelope that names the file."""
    path = Path(os.environ.get("YIBAO_BUNDLE") or DEFAULT_BUNDLE)
    try:
        load_path(path)
    except FileNotFoundError:
        return _bundle_error(path, "no_bundle", "不存在，找不到医保政策数据")
    except OSError:
        return _bundle_error(path, "no_bundle", "无法读取，找不到医保政策数据")
    except BundleError as exc:
        return _bundle_error(path, exc.code, f"不是这个计算器能读取的医保政策数据文件：{exc.message}")
    return None


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
    failed = _load_bundle()
    if failed:
        _write(json.dumps(failed, ensure_ascii=False, indent=2))
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
