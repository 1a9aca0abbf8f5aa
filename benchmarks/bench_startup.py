"""pytest start-up time added by the plugin when no test uses the fixture.

Two measurements, both in fresh interpreters:

1. ``pytest`` on one empty test, alternately with the plugin and with
   ``-p no:ckafka``; the difference of the minimums (start-up noise only ever
   adds time, so the minimum is the stable estimate) and of the medians.
2. ``python -X importtime -c "import pytest_ckafka.plugin"``: the cumulative
   import cost of the plugin module itself, which is what it adds to start-up.

Target: <= 30 ms. Usage: python benchmarks/bench_startup.py [--runs N] [--smoke]
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _run(folder: Path, extra: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, str(folder)],
        check=True,
        capture_output=True,
        cwd=folder,
    )
    return time.perf_counter() - start


def _import_cost_us() -> int:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pytest; import pytest_ckafka.plugin"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    costs = {}
    for line in out.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\s*)(\S+)", line)
        if match:
            costs[match.group(3)] = int(match.group(1))
    return costs.get("pytest_ckafka.plugin", 0) + costs.get("pytest_ckafka", 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_empty.py").write_text("def test_nothing():\n    pass\n")
        (folder / "pytest.ini").write_text("[pytest]\n")
        with_plugin: list[float] = []
        without: list[float] = []
        for n in range(1 if args.smoke else 0, args.runs + 1):  # round 0 warms up
            w = _run(folder, [])
            wo = _run(folder, ["-p", "no:ckafka"])
            if n:
                with_plugin.append(w)
                without.append(wo)
    imports = min(_import_cost_us() for _ in range(1 if args.smoke else 5))
    ms = 1e3
    print(
        f"pytest without plugin : min {min(without) * ms:6.1f} ms, median "
        f"{statistics.median(without) * ms:6.1f} ms ({args.runs} runs, interleaved)"
    )
    print(
        f"pytest with plugin    : min {min(with_plugin) * ms:6.1f} ms, median "
        f"{statistics.median(with_plugin) * ms:6.1f} ms"
    )
    print(
        f"added (min / median)  : {(min(with_plugin) - min(without)) * ms:6.1f} ms / "
        f"{(statistics.median(with_plugin) - statistics.median(without)) * ms:6.1f} ms"
    )
    print(f"plugin import cost    : {imports / 1e3:6.2f} ms  (target <= 30 ms added)")


if __name__ == "__main__":
    main()
