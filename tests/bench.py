"""Benchmarks (not tests): python3 build.py bench [engine] [hostile_yaml] [portal] [browser]."""

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ALL = ["engine", "hostile_yaml", "portal", "browser"]


def main(argv: list[str]) -> int:
    for name in argv or ALL:
        if name not in ALL:
            print(f"unknown benchmark {name!r}; choose from {', '.join(ALL)}")
            return 2
        try:
            module = importlib.import_module(f"bench_{name}")
        except ModuleNotFoundError:
            print(f"{name}: no benchmark yet")
            continue
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
