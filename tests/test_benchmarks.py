"""Every benchmark script still runs: each ``benchmarks/bench_*.py`` with ``--smoke``.

The convention, for every script in ``benchmarks/``: it is named ``bench_<what>.py``
and accepts ``--smoke``, which shrinks every size, round and duration so the whole
script runs in seconds (its figures then mean nothing). The scripts are found by
glob, so a new one is smoke-tested without being listed here; ``KEY_LINES`` may
name what its output must contain.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(BENCHMARKS.glob("bench_*.py"))

#: Lines (substrings) each script's output must contain, besides a zero exit.
KEY_LINES: dict[str, list[str]] = {
    "bench_fixture.py": ["bare responses stub :", "pytest-ckafka       :", "ratio   "],
    "bench_matrix.py": [
        "1. The whole matrix, 60 codes + 5 faults through the SDK",
        "pytest, the 65-test matrix",
        "added by the matrix:",
        "2. Per-test overhead of the ckafka fixture (2 tests per run)",
        "ckafka adds",
    ],
    "bench_memory.py": [
        "bench_memory: RSS growth between 300 and 600 calls over HTTP (max_calls=100;",
    ],
    "bench_replay.py": [
        "CreateTopic replay through the official SDK, median of 1 rounds",
        "(target <= 1.5x:",
        "vcrpy replay, match_on=[method, uri, body]",
        "(all 10 calls)",
    ],
    "bench_server.py": [
        "FakeServer  raw http.client keep-alive",
        "FakeServer  official SDK (sync)",
        " calls, 0 internal problems",
    ],
    "bench_startup.py": [
        "pytest without plugin :",
        "pytest with plugin    :",
        "plugin import cost",
    ],
    "bench_state.py": [
        "1. SDK DescribeTopic, stateful (2 topics) vs synthesized default (lists 2)",
        "2. DescribeTopic through the core, one page of 10 (Offset 0)",
        "no SearchWord:",
    ],
}


def test_every_benchmark_is_found() -> None:
    assert {p.name for p in SCRIPTS} >= set(KEY_LINES)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_benchmark_runs_with_smoke_sizes(script: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(script), "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCHMARKS.parent,
    )
    assert result.returncode == 0, f"{script.name} --smoke failed:\n{result.stdout}{result.stderr}"
    assert result.stdout.strip(), f"{script.name} --smoke printed nothing"
    for line in KEY_LINES.get(script.name, []):
        assert line in result.stdout, f"{script.name}: {line!r} not in:\n{result.stdout}"
    if script.name == "bench_memory.py":
        # RSS at 300 calls tells nothing; the counts do: the capped log keeps exactly 100
        # calls, the baseline (max_calls=None) every one of its 600.
        actions = [line.split()[0] for line in result.stdout.splitlines()[1:]]
        assert actions == ["DescribeInstances", "DescribeRegion"], result.stdout
        for line in result.stdout.splitlines()[1:]:
            assert re.fullmatch(
                r"  \w+ +[+-][0-9.]+ MB, 100 calls kept  PASS   \(max_calls=None: [+-][0-9.]+ MB, "
                r"600 calls kept, x(?:[0-9]+|inf)\)",
                line,
            ), line
    if script.name == "bench_server.py":
        if importlib.util.find_spec("moto") is None:
            assert "moto's server: not compared (moto is not installed;" in result.stdout
        else:
            assert "FakeServer/moto req/s" in result.stdout
