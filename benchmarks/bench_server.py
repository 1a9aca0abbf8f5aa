"""Requests per second and latency through FakeServer, against moto's server in the same run.

Each load runs from ``--clients`` concurrent threads (4 by default):

* raw: keep-alive ``http.client`` connections POSTing one small request. FakeServer
  gets a DescribeInstances JSON body; moto's server gets SQS ListQueues
  (``Action=ListQueues&Version=2012-11-05``, the query protocol, with an
  unchecked SigV4-style ``Authorization`` so moto routes it to SQS);
* sdk: the official sync SDK (``HttpProfile(endpoint=..., protocol="http")``)
  against FakeServer; boto3 ``list_queues()`` (``endpoint_url=...``) against moto.

* at the cap: twice ``--cap`` keep-alive clients (8 by default) against a FakeServer
  capped at ``--cap`` connections (``max_connections``), against the same clients and a
  server with the default cap (256, never reached). Past the cap the server closes
  the longest-idle connection or answers 503 ``RequestLimitExceeded``; these clients
  reconnect at once and retry, so every call still succeeds, and the table shows what
  that churn costs, with the refusals and reconnections counted.

Both servers run in child processes, so clients and servers do not share one GIL,
as with a real service under test. The loads alternate in ``--rounds`` rounds
(FakeServer raw, moto raw, FakeServer SDK, moto boto3, then again), each getting
``--seconds / --rounds`` per round, so drift on a shared machine hits both alike.
Every answer is checked (status 200 and the call's own result). Without
``moto[server]`` installed only FakeServer is measured. The whole run stays well
under 30 s by default.

Usage: python benchmarks/bench_server.py [--seconds 3] [--clients 4] [--rounds 2]
       [--cap 4] [--same-process] [--no-moto] [--smoke]
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import json
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from typing import Any, Callable, Optional

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

MOTO_HEADERS = {
    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
    # moto reads the service from the credential scope; it does not check the signature.
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIDbench/20240101/us-east-1/sqs/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date, Signature=0",
    "X-Amz-Date": "20240101T000000Z",
}
MOTO_BODY = b"Action=ListQueues&Version=2012-11-05"
MOTO_INSTALL = "install it with: pip install 'moto[server]' (the project's bench extra)"

# The child processes: start a server, print its endpoint, serve until stdin closes.
SERVER = """
import sys
from pytest_ckafka.server.http import FakeServer, MAX_CONNECTIONS
cap = int(sys.argv[1]) if len(sys.argv) > 1 else MAX_CONNECTIONS
with FakeServer(assert_all_used=False, max_connections=cap) as server:
    print(server.endpoint, flush=True)
    sys.stdin.read()
    print(len(server.calls), len(server.problems), flush=True)
"""
MOTO_SERVER = """
import logging, sys
from moto.server import ThreadedMotoServer
logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no access log: FakeServer keeps none
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print("%s:%d" % server.get_host_and_port(), flush=True)
sys.stdin.read()
server.stop()
"""

Worker = Callable[[], Callable[[], None]]


@dataclass
class Load:
    """One load: its latencies and busy time, summed over every round it ran."""

    name: str
    server: str
    make_worker: Worker
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    def row(self) -> dict[str, Any]:
        cuts = statistics.quantiles(self.latencies, n=100)
        return {
            "load": self.name,
            "server": self.server,
            "requests": len(self.latencies),
            "rps": len(self.latencies) / self.elapsed,
            "p50_ms": cuts[49] * 1e3,
            "p95_ms": cuts[94] * 1e3,
            "p99_ms": cuts[98] * 1e3,
        }


def run_load(load: Load, clients: int, seconds: float) -> None:
    """Run ``clients`` threads, each calling its worker until the deadline; time each call."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    workers = [load.make_worker() for _ in range(clients)]
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
    load.elapsed += time.perf_counter() - began
    load.latencies += [x for per_thread in latencies for x in per_thread]


def raw_worker(endpoint: str, body: bytes, headers: dict[str, str], expect: bytes) -> Worker:
    """Keep-alive POSTs of ``body``; http.client reconnects if the server closes."""

    def make() -> Callable[[], None]:
        host, port = endpoint.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)

        def call() -> None:
            conn.request("POST", "/", body, headers)
            response = conn.getresponse()
            data = response.read()
            assert response.status == 200 and expect in data, data[:200]

        return call

    return make


@dataclass
class Churn:
    """What the clients of one load met at the cap (summed over its clients)."""

    refused: int = 0  # 503 RequestLimitExceeded answers
    reconnects: int = 0  # connections the server closed (to make room) that were reused
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, refused: int, reconnects: int) -> None:
        with self.lock:
            self.refused += refused
            self.reconnects += reconnects


def reconnecting_worker(endpoint: str, churn: Churn) -> Worker:
    """Keep-alive POSTs that reconnect and retry at once on a 503 or a closed connection."""

    def make() -> Callable[[], None]:
        host, port = endpoint.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=10)

        def call() -> None:
            refused = reconnects = 0
            while True:
                try:
                    conn.request("POST", "/", BODY, HEADERS)
                    response = conn.getresponse()
                    data = response.read()
                except (http.client.HTTPException, ConnectionError):
                    conn.close()  # closed to make room while idle: the next request reconnects
                    reconnects += 1
                    continue
                if response.will_close:
                    conn.close()
                if response.status == 503:
                    assert b"RequestLimitExceeded" in data, data[:200]
                    refused += 1
                    continue
                assert response.status == 200 and b'"RequestId"' in data, data[:200]
                churn.add(refused, reconnects)
                return

        return call

    return make


def sdk_worker(endpoint: str) -> Worker:
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


def boto3_worker(endpoint: str) -> Worker:
    def make() -> Callable[[], None]:
        import boto3  # only with moto[server] installed

        client = boto3.client(
            "sqs",
            endpoint_url=f"http://{endpoint}",
            region_name="us-east-1",
            aws_access_key_id="AKIDbench",
            aws_secret_access_key="bench-secret",
        )

        def call() -> None:
            assert client.list_queues()["ResponseMetadata"]["HTTPStatusCode"] == 200

        return call

    return make


def start_child(code: str, what: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    """Run ``code`` in a child Python; return it and the endpoint it prints first."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    endpoint = child.stdout.readline().strip()
    if not endpoint:
        sys.exit(f"bench_server: the {what} process failed (exit code {child.wait(10)})")
    return child, endpoint


def moto_missing() -> Optional[str]:
    """The first module moto's server needs that is not installed, if any."""
    for module in ("moto", "flask", "flask_cors", "boto3"):
        if importlib.util.find_spec(module) is None:
            return module
    return None


def start_moto(skip: bool) -> tuple[Optional[subprocess.Popen[str]], str]:
    """Start moto's server in a child unless skipped or not installed; say which."""
    missing = None if skip else moto_missing()
    if skip or missing:
        why = "--no-moto" if skip else f"{missing} is not installed; {MOTO_INSTALL}"
        print(f"moto's server: not compared ({why})")
        return None, ""
    child, endpoint = start_child(MOTO_SERVER, "moto server")
    host, port = endpoint.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("POST", "/", MOTO_BODY, MOTO_HEADERS)
    response = conn.getresponse()
    response.read()
    conn.close()
    # werkzeug's server sends "Connection: close" on every answer: say so, as it costs moto
    how = "closes every connection" if response.will_close else "keeps connections alive"
    print(f"moto {version('moto')}'s server at {endpoint} (child process; {how})")
    return child, endpoint


def stop_child(child: subprocess.Popen[str]) -> str:
    """Close the child's stdin (its signal to stop); return the line it prints on the way out."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.close()
    line = child.stdout.readline()
    child.wait(10)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per load (default 3)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent threads (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="alternations (default 2)")
    parser.add_argument(
        "--cap", type=int, default=4, help="max_connections of the capped server (default 4)"
    )
    parser.add_argument(
        "--same-process", action="store_true", help="serve FakeServer from this process"
    )
    parser.add_argument("--no-moto", action="store_true", help="skip the moto comparison")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.clients, args.rounds, args.cap = 0.2, 1, 1, 1

    child = None
    if args.same_process:
        from pytest_ckafka.server.http import FakeServer

        server = FakeServer(assert_all_used=False).start()
        endpoint = server.endpoint
    else:
        child, endpoint = start_child(SERVER, "FakeServer")
    print(f"FakeServer at {endpoint} ({'same process' if child is None else 'child process'})")
    capped_child, capped_endpoint = start_child(SERVER, "capped FakeServer", str(args.cap))
    moto_child, moto_endpoint = start_moto(args.no_moto)
    print(f"{args.clients} client threads, {args.seconds:g} s per load in {args.rounds} rounds\n")

    raw = "raw http.client keep-alive"
    pairs = {
        "raw keep-alive, DescribeInstances vs SQS ListQueues": (
            Load(raw, "FakeServer", raw_worker(endpoint, BODY, HEADERS, b'"RequestId"')),
            Load(raw, "moto", raw_worker(moto_endpoint, MOTO_BODY, MOTO_HEADERS, b"<ListQueues")),
        ),
        "SDK, tencentcloud DescribeInstances vs boto3 list_queues": (
            Load("official SDK (sync)", "FakeServer", sdk_worker(endpoint)),
            Load("boto3 (sync)", "moto", boto3_worker(moto_endpoint)),
        ),
    }
    loads = [load for pair in pairs.values() for load in pair]
    loads = [load for load in loads if moto_child or load.server != "moto"]
    crowd = 2 * args.cap
    churn = {"uncapped": Churn(), "capped": Churn()}
    at_cap = (
        Load(
            f"{crowd} clients, cap 256",
            "FakeServer",
            reconnecting_worker(endpoint, churn["uncapped"]),
        ),
        Load(
            f"{crowd} clients, cap {args.cap}",
            "FakeServer",
            reconnecting_worker(capped_endpoint, churn["capped"]),
        ),
    )
    for _ in range(args.rounds):  # A, B, A, B: both servers see the same machine state
        for load in loads:
            run_load(load, args.clients, args.seconds / args.rounds)
        for load in at_cap:
            run_load(load, crowd, args.seconds / args.rounds)
    loads += at_cap

    rows = [load.row() for load in loads]
    print(
        f"{'server':<11} {'load':<27} {'requests':>9} {'req/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for row in rows:
        print(
            f"{row['server']:<11} {row['load']:<27} {row['requests']:>9} {row['rps']:>8.0f} "
            f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['p99_ms']:>8.2f}"
        )
    ratios = {}
    if moto_child is not None:
        print()
        for label, (ours, theirs) in pairs.items():
            ratios[label] = ratio = ours.row()["rps"] / theirs.row()["rps"]
            verdict = "meets" if ratio >= 1.0 else "MISSES"
            print(f"FakeServer/moto req/s ({label}): {ratio:.2f}x, {verdict} the target of 1.0")
        stop_child(moto_child)

    uncapped, capped = (load.row()["rps"] for load in at_cap)
    print(
        f"\nAt the cap ({crowd} keep-alive clients, max_connections {args.cap}): "
        f"{capped:.0f} req/s, {capped / uncapped:.2f}x the same clients under the default cap; "
        f"{churn['capped'].refused} 503 refusals and {churn['capped'].reconnects} reconnections "
        f"after an idle connection was closed to make room (default cap: "
        f"{churn['uncapped'].refused} and {churn['uncapped'].reconnects})"
    )
    ratios["capped/uncapped req/s"] = capped / uncapped
    stop_child(capped_child)

    if child is not None:
        calls, problems = stop_child(child).split()
    else:
        server.stop()
        calls, problems = str(len(server.calls)), str(len(server.problems))
    print(f"\nFakeServer answered {calls} calls, {problems} internal problems")
    print(json.dumps({"rows": rows, "ratios": ratios}, default=float))


if __name__ == "__main__":
    main()
