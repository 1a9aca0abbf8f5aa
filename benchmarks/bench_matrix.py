"""What the error matrix costs: the whole matrix in one pytest run, and the fixture per test.

1. Matrix: ``pytest`` on a file with one empty test, against a file whose tests use
   ``ckafka_error_code`` and ``ckafka_fault`` with ``ckafka.assert_handles`` through the
   official SDK's sync ``CkafkaClient`` (60 codes + 5 faults = 65 tests). The client
   under test is a few lines that retry transient codes, so the whole matrix passes.
   Added wall time = matrix run - empty run. Target: <= 1 s.
2. Per test: N empty tests against N tests that only request ``ckafka``; the difference
   divided by N is the fixture's cost per test.

Each figure comes from fresh ``pytest`` processes, interleaved (A, B, A, B, ...) after
one discarded warm-up round, so machine noise hits both sides alike. Start-up noise only
ever adds time: the minimum is the stable estimate, the median is shown beside it.

Usage: python benchmarks/bench_matrix.py [--runs N] [--tests N] [--smoke]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EMPTY = """\
def test_nothing():
    pass
"""

MATRIX = """\
import json
import time

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

TRANSIENT = (
    "RequestLimitExceeded", "ResourceUnavailable", "ResourceInUse", "InternalError",
    "ServiceUnavailable", "ClientNetworkError", "ServerNetworkError",
)


def delete_topic(client):
    request = models.DeleteTopicRequest()
    request.from_json_string(json.dumps({"InstanceId": "ckafka-abc12345", "TopicName": "t"}))
    for attempt in range(4):
        try:
            response = client.DeleteTopic(request)
        except TencentCloudSDKException as exc:
            if attempt == 3 or not exc.code.startswith(TRANSIENT):
                raise
            time.sleep(0.5 * 2**attempt)
            continue
        if response.Result is None:  # an answer the SDK could not read
            raise RuntimeError(f"DeleteTopic: no Result (RequestId {response.RequestId})")
        return response


@pytest.fixture(autouse=True)
def topic(ckafka):
    # The stateful backend answers DeleteTopic only for a topic that exists.
    ckafka.state.add_instance("ckafka-abc12345")
    ckafka.state.add_topic("ckafka-abc12345", "t")


def test_code(ckafka, ckafka_client, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: delete_topic(ckafka_client))


def test_fault(ckafka, ckafka_client, ckafka_fault):
    ckafka.assert_handles(ckafka_fault, lambda: delete_topic(ckafka_client))
"""

PER_TEST = """\
import pytest


@pytest.mark.parametrize("n", range({n}))
def test_one(n{fixture}):
    pass
"""


Run = tuple[list[str], int]  # pytest arguments, and how many tests must pass


def _pytest(folder: Path, run: Run) -> float:
    """Wall time of one fresh ``pytest`` run; its tests must all pass."""
    arguments, expected = run
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    elapsed = time.perf_counter() - start
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    if result.returncode != 0 or f"{expected} passed" not in summary:
        raise SystemExit(f"{arguments}: expected {expected} passed, got:\n{result.stdout[-3000:]}")
    return elapsed


def _interleaved(folder: Path, runs: int, *variants: Run, warm_up: bool) -> list[list[float]]:
    times: list[list[float]] = [[] for _ in variants]
    for round_ in range(0 if warm_up else 1, runs + 1):
        measured = [_pytest(folder, variant) for variant in variants]
        if round_:  # round 0 warms the disk cache and the bytecode
            for series, elapsed in zip(times, measured):
                series.append(elapsed)
    return times


def _line(label: str, times: list[float]) -> str:
    return (
        f"  {label:<34} min {min(times) * 1e3:7.1f} ms   "
        f"median {statistics.median(times) * 1e3:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="interleaved rounds (default 9)")
    parser.add_argument("--tests", type=int, default=300, help="N for the per-test figure")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.tests = 1, 2
    n = args.tests

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "pytest.ini").write_text("[pytest]\n")  # keep this repo's config out
        (folder / "test_empty.py").write_text(EMPTY)
        (folder / "test_matrix.py").write_text(MATRIX)
        (folder / "test_bare.py").write_text(PER_TEST.format(n=n, fixture=""))
        (folder / "test_fixture.py").write_text(PER_TEST.format(n=n, fixture=", ckafka"))

        started = time.perf_counter()
        empty, one, matrix = _interleaved(
            folder,
            args.runs,
            (["test_empty.py"], 1),
            (["test_matrix.py", "-k", "test_code and SignatureFailure"], 1),
            (["test_matrix.py"], 65),
            warm_up=not args.smoke,
        )
        bare, fixture = _interleaved(
            folder,
            args.runs,
            (["test_bare.py"], n),
            (["test_fixture.py"], n),
            warm_up=not args.smoke,
        )
        total = time.perf_counter() - started

    print(f"1. The whole matrix, 60 codes + 5 faults through the SDK ({args.runs} runs each)")
    print(_line("pytest, 1 empty test", empty))
    print(_line("pytest, 1 code of the matrix", one))
    print(_line("pytest, the 65-test matrix", matrix))
    added_min = min(matrix) - min(empty)
    added_median = statistics.median(matrix) - statistics.median(empty)
    print(
        f"  added by the matrix: {added_min * 1e3:.0f} ms (min), {added_median * 1e3:.0f} ms "
        f"(median), {added_median / 65 * 1e3:.1f} ms per code on average; ratio "
        f"{statistics.median(matrix) / statistics.median(empty):.2f}x   (target <= 1000 ms)"
    )
    first = statistics.median(one) - statistics.median(empty)
    rest = (statistics.median(matrix) - statistics.median(one)) / 64
    print(
        f"  of which the first code (imports of the SDK, responses, respx, the spec): "
        f"{first * 1e3:.0f} ms; each further code: {rest * 1e3:.1f} ms (medians)"
    )
    print(f"2. Per-test overhead of the ckafka fixture ({n} tests per run)")
    print(_line(f"pytest, {n} empty tests", bare))
    print(_line(f"pytest, {n} tests using ckafka", fixture))
    per_min = (min(fixture) - min(bare)) / n
    per_median = (statistics.median(fixture) - statistics.median(bare)) / n
    print(
        f"  ckafka adds {per_min * 1e3:.2f} ms (min), {per_median * 1e3:.2f} ms (median) per "
        f"test; ratio {statistics.median(fixture) / statistics.median(bare):.2f}x the empty run"
    )
    print(f"(benchmark took {total:.0f} s)")


if __name__ == "__main__":
    main()
