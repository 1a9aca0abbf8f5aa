"""The stateful backend's cost: per call against the synthesized path, and by size.

1. An official-SDK DescribeTopic answered by the stateful backend (an instance
   holding 2 topics, so the answer is the size of the synthesized one, which
   lists 2) against the same call answered by the synthesized default
   (``stateful=False``), and the same pair through the pure core (no SDK, no
   HTTP library). Batches alternate in one process; the figures are ratios of
   medians.
2. DescribeTopic (one page of 10) through the pure core at 10 and at 10,000
   topics in the instance. The page is cut without walking the list, so the
   ratio must stay near 1.0: the cost grows with the page, not the topic count.
   DescribeTopic with a SearchWord has to look at every name; it is printed too.

Usage: python benchmarks/bench_state.py [--rounds N] [--batch N] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any, Callable

from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential

import pytest_ckafka
from pytest_ckafka import CKafka

URL = "https://ckafka.tencentcloudapi.com/"
INSTANCE = "ckafka-bench001"


def _timed(run: Callable[[], Any], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        run()
    return (time.perf_counter() - start) / n


def _seeded(fake: CKafka, topics: int) -> None:
    fake.state.add_instance(INSTANCE, partition_limit=max(800, topics))  # one partition each
    for i in range(topics):
        fake.state.add_topic(INSTANCE, f"topic-{i:05d}", partitions=1)


def _raw_call(fake: CKafka, params: dict[str, Any]) -> Callable[[], Any]:
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": "DescribeTopic",
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    body = json.dumps(params).encode()

    def run() -> Any:
        reply = fake.handle("POST", URL, headers, body)
        assert b'"TotalCount"' in reply.body, reply.body[:300]
        return reply

    return run


def _sdk_vs_synthesized(rounds: int, batch: int) -> None:
    client = ckafka_client.CkafkaClient(credential.Credential("AKIDbench", "k"), "ap-guangzhou")
    request = models.DescribeTopicRequest()
    request.InstanceId = INSTANCE
    stateful_times: list[float] = []
    synthesized_times: list[float] = []
    for round_ in range(rounds + 1):
        with pytest_ckafka.mock() as fake:
            _seeded(fake, 2)
            s = _timed(lambda: client.DescribeTopic(request), batch)
            assert fake.calls[-1].answered_by == "state"
        with pytest_ckafka.mock(stateful=False) as fake:
            d = _timed(lambda: client.DescribeTopic(request), batch)
            assert fake.calls[-1].answered_by == "default"
        if round_:
            stateful_times.append(s)
            synthesized_times.append(d)
    s_med, d_med = statistics.median(stateful_times), statistics.median(synthesized_times)
    print("1. SDK DescribeTopic, stateful (2 topics) vs synthesized default (lists 2)")
    print(f"   synthesized : {d_med * 1e6:8.1f} us/call (median of {rounds})")
    print(f"   stateful    : {s_med * 1e6:8.1f} us/call")
    print(f"   ratio       : {s_med / d_med:8.3f}x")


def _core_vs_synthesized(rounds: int, batch: int) -> None:
    stateful, synthesized = CKafka(), CKafka(stateful=False)
    _seeded(stateful, 2)
    params = {"InstanceId": INSTANCE}
    times: dict[str, list[float]] = {"state": [], "default": []}
    for round_ in range(rounds + 1):
        for label, fake in (("state", stateful), ("default", synthesized)):
            t = _timed(_raw_call(fake, params), batch * 5)
            fake.calls.clear()
            if round_:
                times[label].append(t)
    s_med, d_med = statistics.median(times["state"]), statistics.median(times["default"])
    print("   the same through the core (handle: bytes in, reply out)")
    print(
        f"   synthesized : {d_med * 1e6:8.1f} us/call, stateful {s_med * 1e6:8.1f} us/call, "
        f"ratio {s_med / d_med:6.3f}x"
    )


def _by_size(rounds: int, batch: int, large_size: int) -> None:
    fakes = {}
    for size in (10, large_size):
        fake = CKafka()
        _seeded(fake, size)
        fakes[size] = fake
    page = {"InstanceId": INSTANCE, "Limit": 10}
    search = {"InstanceId": INSTANCE, "Limit": 10, "SearchWord": "topic-0000"}
    times: dict[tuple[int, str], list[float]] = {}
    for round_ in range(rounds + 1):
        for size, fake in fakes.items():
            for label, params in (("page", page), ("search", search)):
                t = _timed(_raw_call(fake, params), batch)
                fake.calls.clear()
                if round_:
                    times.setdefault((size, label), []).append(t)
    med = {key: statistics.median(values) for key, values in times.items()}
    print("2. DescribeTopic through the core, one page of 10 (Offset 0)")
    for label in ("page", "search"):
        small, large = med[(10, label)], med[(large_size, label)]
        what = "no SearchWord" if label == "page" else "SearchWord  "
        print(
            f"   {what}: {small * 1e6:8.1f} us at 10 topics, {large * 1e6:8.1f} us at "
            f"{large_size:,} "
            f"topics, ratio {large / small:6.2f}x"
        )
    print("   target: no SearchWord stays near 1.0x (the cost is the page, not the list)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.rounds, args.batch = 1, 3
    _sdk_vs_synthesized(args.rounds, args.batch)
    _core_vs_synthesized(args.rounds, args.batch)
    _by_size(args.rounds, args.batch, 100 if args.smoke else 10_000)


if __name__ == "__main__":
    main()
