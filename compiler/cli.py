"""python -m compiler [policies-dir] [--out policies.json]: validate the policy files, write the bundle.
python -m compiler --schema: rewrite policies/schema.json and the key reference in policies/README.md
from the vocabulary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from calculator.errors import PolicyDataError

from .policies import compile_policies

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m compiler", description="Validate policies/*.yaml and write the compiled bundle."
    )
    parser.add_argument("dir", nargs="?", default=str(ROOT / "policies"), help="policy directory")
    parser.add_argument("--out", help="write the bundle JSON here")
    parser.add_argument(
        "--schema",
        action="store_true",
        help="rewrite policies/schema.json and policies/README.md's key reference from the vocabulary",
    )
    args = parser.parse_args(argv)
    if args.schema:
        from .reference import write_all

        print(
            "\n".join(f"{name}: rewritten" for name in write_all())
            or "policies/schema.json, policies/README.md: up to date"
        )
        return 0
    try:
        bundle = compile_policies(Path(args.dir))
    except PolicyDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.out:
        Path(args.out).write_text(json.dumps(bundle, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(
        f"ok: {len(bundle['policies'])} schemes in {len(bundle['regions'])} regions, "
        f"{len(bundle['documents'])} documents" + (f" -> {args.out}" if args.out else "")
    )
    return 0
