"""A smoke run of benchmarks/bench_server.py at tiny sizes: it runs and prints its figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_server.py"


def test_bench_server_prints_the_throughput_at_the_cap() -> None:
    args = ["--seconds", "0.2", "--rounds", "1", "--clients", "1", "--cap", "1", "--no-moto"]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "At the cap (2 keep-alive clients, max_connections 1): " in result.stdout
    assert "0 internal problems" in result.stdout
    figures = json.loads(result.stdout.splitlines()[-1])
    assert [row["load"] for row in figures["rows"]][-2:] == [
        "2 clients, cap 256",
        "2 clients, cap 1",
    ]
    assert figures["ratios"]["capped/uncapped req/s"] > 0
