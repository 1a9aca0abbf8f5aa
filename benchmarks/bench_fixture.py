"""Per-call cost of an official-SDK DescribeInstances answered by pytest-ckafka,
against the same call answered by a bare ``responses`` stub with a fixed body.

Both run interleaved in one process (batches alternate), so machine noise hits
both alike; the figure that matters is the ratio of medians. Target: <= 1.15x.

Usage: python benchmarks/bench_fixture.py [--rounds N] [--batch N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import responses
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential

import pytest_ckafka

URL = "https://ckafka.tencentcloudapi.com/"


def _batch(client: ckafka_client.CkafkaClient, n: int) -> float:
    request = models.DescribeInstancesRequest()
    start = time.perf_counter()
    for _ in range(n):
        client.DescribeInstances(request)
    return (time.perf_counter() - start) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.batch = 1, 3

    client = ckafka_client.CkafkaClient(credential.Credential("AKIDbench", "k"), "ap-guangzhou")
    fixed = json.dumps(pytest_ckafka.success_envelope("DescribeInstances", request_id="r"))
    baseline: list[float] = []
    ours: list[float] = []
    for round_ in range(args.rounds + 1):
        with responses.RequestsMock() as bare:
            bare.add(responses.POST, URL, body=fixed, content_type="application/json")
            b = _batch(client, args.batch)
        with pytest_ckafka.mock() as fake:
            o = _batch(client, args.batch)
            assert len(fake.calls) == args.batch
        if round_:  # the first round warms caches and imports
            baseline.append(b)
            ours.append(o)
    base_median, our_median = statistics.median(baseline), statistics.median(ours)
    print(f"bare responses stub : {base_median * 1e6:8.1f} us/call (median of {args.rounds})")
    print(f"pytest-ckafka       : {our_median * 1e6:8.1f} us/call")
    print(f"ratio               : {our_median / base_median:8.3f}x  (target <= 1.15x)")


if __name__ == "__main__":
    main()
