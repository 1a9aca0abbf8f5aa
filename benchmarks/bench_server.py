"""Requests per second and latency through FakeServer, the fake CKafka API over HTTP.

Two loads, each for ``--seconds`` from ``--clients`` concurrent threads (4 by default):

* raw: keep-alive ``http.client`` connections POSTing a DescribeInstances JSON body;
* sdk: the official sync SDK (``HttpProfile(endpoint=..., protocol="http")``).

The server runs in a child process, so clients and server do not share one GIL,
as with a real service under test. Every answer is checked (status 200, an
envelope with a RequestId). The whole run stays well under 30 s by default.

Usage: python benchmarks/bench_server.py [--seconds 3] [--clients 4] [--same-process]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from typing import Any, Callable

from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

HEADERS = {
    "Content-Type": "application/json",
    "X-TC-Action": "DescribeInstances",
    "X-TC-Version": "2019-08-19",
    "X-TC-Region": "ap-guangzhou",
}
BODY = b'{"Limit": 20}'

# The child process: start a server, print its endpoint, serve until stdin closes.
SERVER = """
import sys
from pytest_ckafka.server import FakeServer
with FakeServer(assert_all_used=False) as server:
    print(server.endpoint, flush=True)
    sys.stdin.read()
    print(len(server.calls), len(server.problems), flush=True)
"""


def run_load(
    name: str, clients: int, seconds: float, make_worker: Callable[[], Callable[[], None]]
) -> dict[str, Any]:
    """Run ``clients`` threads, each calling its worker until the deadline; time each call."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    workers = [make_worker() for _ in range(clients)]
    for worker in workers:  # warm up: connect, import, first-call caches
        worker()
    start_line = threading.Barrier(clients + 1)
    deadline = 0.0

    def loop(index: int) -> None:
        call, mine, clock = workers[index], latencies[index], time.perf_counter
        start_line.wait()
        while (before := clock()) < deadline:
            call()
            mine.append(clock() - before)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    deadline = time.perf_counter() + seconds
    start_line.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(x for per_thread in latencies for x in per_thread)
    cuts = statistics.quantiles(every, n=100)
    return {
        "load": name,
        "requests": len(every),
        "rps": len(every) / elapsed,
        "p50_ms": cuts[49] * 1e3,
        "p95_ms": cuts[94] * 1e3,
        "p99_ms": cuts[98] * 1e3,
    }


def raw_worker(endpoint: str) -> Callable[[], Callable[[], None]]:
    host, port = endpoint.rsplit(":", 1)

    def make() -> Callable[[], None]:
        conn = http.client.HTTPConnection(host, int(port), timeout=10)

        def call() -> None:
            conn.request("POST", "/", BODY, HEADERS)
            response = conn.getresponse()
            data = response.read()
            assert response.status == 200 and b'"RequestId"' in data, data[:200]

        return call

    return make


def sdk_worker(endpoint: str) -> Callable[[], Callable[[], None]]:
    def make() -> Callable[[], None]:
        profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"))
        cred = credential.Credential("AKIDbench", "bench-secret")
        client = ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile)
        request = models.DescribeInstancesRequest()
        request.Limit = 20

        def call() -> None:
            assert client.DescribeInstances(request).RequestId

        return call

    return make


def moto_loads(clients: int, seconds: float) -> list[dict[str, Any]]:
    """Placeholder for issue 6, item 5: moto's server on a comparable call (SQS ListQueues).

    Start ``moto_server`` in a child process, drive it with the same two loads
    (raw keep-alive POST of ``Action=ListQueues``, and boto3), and return rows in
    the format of :func:`run_load`.
    """
    return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per load (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent threads (default 4)")
    parser.add_argument(
        "--same-process", action="store_true", help="serve from this process (shares the GIL)"
    )
    args = parser.parse_args()

    child = None
    if args.same_process:
        from pytest_ckafka.server import FakeServer

        server = FakeServer(assert_all_used=False).start()
        endpoint = server.endpoint
    else:
        child = subprocess.Popen(
            [sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdin is not None
        endpoint = child.stdout.readline().strip()
        if not endpoint:
            sys.exit(f"bench_server: the server process failed (exit code {child.wait(10)})")
    print(f"FakeServer at {endpoint} ({'same process' if child is None else 'child process'})")
    print(f"{args.clients} client threads, {args.seconds:g} s per load\n")

    rows = [
        run_load("raw http.client keep-alive", args.clients, args.seconds, raw_worker(endpoint)),
        run_load("official SDK (sync)", args.clients, args.seconds, sdk_worker(endpoint)),
        *moto_loads(args.clients, args.seconds),
    ]
    print(f"{'load':<30} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for row in rows:
        print(
            f"{row['load']:<30} {row['requests']:>9} {row['rps']:>9.0f} "
            f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        )
    print("\nmoto server comparison: not measured yet (see moto_loads)")

    if child is not None:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.close()
        calls, problems = child.stdout.readline().split()
        child.wait(10)
    else:
        server.stop()
        calls, problems = str(len(server.calls)), str(len(server.problems))
    print(f"server answered {calls} calls, {problems} internal problems")
    print(json.dumps({"rows": rows}, default=float))


if __name__ == "__main__":
    main()
