"""Engine benchmark (not a test): `python3 build.py bench engine`.

Prints, on this machine:
  - import + policy load time: a fresh interpreter importing `calculator` and
    `calculator.api` and loading the compiled JSON bundle (what the browser
    worker does), median of 5;
  - estimates per second on one core over the hand-worked cases' requests;
  - requests per second through `calculator.api.call_json` (JSON text in and
    out, strict reading included), over one request per policy, care and facility.
Targets (issue 2): <= 150 ms and >= 20,000 estimates/s.
"""

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

LOAD = """
import time
t = time.perf_counter()
import calculator, calculator.api
calculator.load_bundle(open({path!r}, encoding="utf-8").read())
print(time.perf_counter() - t)
"""


def load_time(bundle_path: Path) -> float:
    runs = []
    for _ in range(5):
        out = subprocess.run(
            [sys.executable, "-c", LOAD.format(path=str(bundle_path))],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        runs.append(float(out.stdout))
    return statistics.median(runs)


def throughput(seconds: float = 3.0) -> tuple[float, int]:
    from caseload import estimate_cases

    import calculator

    mix = [case["request"] for case in estimate_cases()]
    for request in mix:  # warm up
        calculator.estimate(request)
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for request in mix:
            calculator.estimate(request)
        count += len(mix)
    return count / (time.perf_counter() - start), len(mix)


def api_mix() -> list[str]:
    """One estimate per policy, care and facility of the catalogue, as the JSON text the worker sends."""
    from calculator import api

    mix = []
    for policy in api.call("policies", None)["result"]["policies"]:
        facilities = [f["id"] for f in policy["facilities"]]
        for care in policy["care"]:
            for facility in care.get("facilities") or facilities:
                request = {"policy": policy["id"], "care": care["id"], "facility": facility}
                mix.append(json.dumps({**request, "date": "2026-03-01", "costs": {"total": "20000"}}))
    return mix


def api_throughput(seconds: float = 3.0) -> tuple[float, int, int]:
    """call_json requests per second; also how many of the mix were answered with a result."""
    from calculator.api import call_json

    mix = api_mix()
    answered = sum('"result"' in call_json("estimate", text)[:12] for text in mix)  # warm up
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in mix:
            call_json("estimate", text)
        count += len(mix)
    return count / (time.perf_counter() - start), len(mix), answered


def main() -> None:
    import calculator
    from compiler import compile_policies

    t = time.perf_counter()
    bundle = compile_policies(ROOT / "policies")
    compile_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "policies.json"
        path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
        load_s = load_time(path)
        size = path.stat().st_size
    calculator.load_bundle(bundle)
    rate, kinds = throughput()
    api_rate, api_kinds, answered = api_throughput()
    print("engine benchmark (one core)")
    print(f"  compile policies/*.yaml (build time): {compile_s * 1000:8.1f} ms")
    print(f"  policies.json size:                   {size / 1024:8.1f} KiB")
    print(f"  import + policy load (JSON bundle):   {load_s * 1000:8.1f} ms   target <= 150 ms")
    print(f"  estimates per second ({kinds} request mix): {rate:8.0f}      target >= 20000")
    print(f"  api.call_json per second ({api_kinds} requests, {answered} with a result): {api_rate:8.0f}")


if __name__ == "__main__":
    main()
