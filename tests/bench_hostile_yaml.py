"""How fast the compiler refuses hostile policy files (issue 10, item 5): a table for the record.

    .venv/bin/python tests/bench_hostile_yaml.py

Each file of tests/test_policy_data.py::HOSTILE is compiled as a region file;
prints its size, the time to refuse it (best of 3, without tracing), the peak
memory Python allocated (one traced run) and the first line of the message.
Nothing is asserted here: the tests assert file:line, the reason and the memory.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from test_policy_data import HOSTILE, write  # noqa: E402

from calculator.errors import PolicyDataError  # noqa: E402
from compiler import compile_policies  # noqa: E402


def refuse(directory: Path) -> str:
    try:
        compile_policies(directory)
    except PolicyDataError as exc:
        return str(exc).splitlines()[0].replace(str(directory) + "/", "")
    return "ACCEPTED (should have been refused)"


def main() -> None:
    print(f"{'file':26} {'bytes':>10} {'seconds':>8} {'peak MB':>8}  message")
    for name, text, _, _ in HOSTILE:
        with tempfile.TemporaryDirectory() as tmp:
            directory = write(Path(tmp))
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            (directory / "testland.yaml").write_bytes(data)
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                message = refuse(directory)
                best = min(best, time.perf_counter() - start)
            tracemalloc.start()
            refuse(directory)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        print(f"{name:26} {len(data):>10,} {best:>8.3f} {peak / 1e6:>8.1f}  {message}")


if __name__ == "__main__":
    main()
