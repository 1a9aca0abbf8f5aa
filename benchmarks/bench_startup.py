"""pytest start-up time added by the plugin when no test uses the fixture.

Runs ``pytest`` on one empty test in a subprocess, alternately with the plugin
loaded and with ``-p no:ckafka``, and compares the medians. Target: <= 30 ms.

Usage: python benchmarks/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "test_empty.py").write_text("def test_nothing():\n    pass\n")
        (folder / "pytest.ini").write_text("[pytest]\n")
        with_plugin: list[float] = []
        without: list[float] = []
        for n in range(args.runs + 1):
            w = _run(folder, [])
            wo = _run(folder, ["-p", "no:ckafka"])
            if n:
                with_plugin.append(w)
                without.append(wo)
    added = statistics.median(with_plugin) - statistics.median(without)
    print(f"pytest without plugin : {statistics.median(without) * 1e3:7.1f} ms (median)")
    print(f"pytest with plugin    : {statistics.median(with_plugin) * 1e3:7.1f} ms")
    print(f"added by the plugin   : {added * 1e3:7.1f} ms  (target <= 30 ms)")


if __name__ == "__main__":
    main()
