"""Memory of a long-running FakeServer: RSS growth between 20k and 40k calls.

A FakeServer in this process answers DescribeInstances (a small reply) and
DescribeRegion (a 4 KB one) over one keep-alive ``http.client`` connection on
loopback, as a long-running ``pytest-ckafka serve`` would. The resident set
size (``/proc/self/statm``; the peak from ``getrusage`` elsewhere) is read
after ``--calls`` calls and again after twice as many: the growth between the
two must stay under ``--target`` MB (10 by default), which holds once the call
log is full (``max_calls``, 10,000 by default) and drops a call for each new one.

The same run with ``max_calls=None`` (every call kept, as before the log was
bounded) is the baseline, printed as a ratio; ``--no-baseline`` skips it. Each
line also says how many calls the log kept: exactly ``max_calls`` when capped
(else the verdict is FAIL), every call in the baseline. At smoke sizes the RSS
figures mean nothing, but those counts still tell a bounded log from an unbounded one.

Usage: python benchmarks/bench_memory.py [--calls 20000] [--max-calls 10000]
       [--target 10] [--no-baseline]
Smoke test: python benchmarks/bench_memory.py --smoke (300 calls, max_calls 100, baseline too)
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import resource
import sys
from typing import Optional

from pytest_ckafka import DEFAULT_MAX_CALLS, FakeServer

ACTIONS = {"DescribeInstances": b'{"Limit": 20}', "DescribeRegion": b"{}"}
MB = 1024 * 1024


def rss_bytes() -> int:
    """The resident set size now (Linux), else the peak so far: growth is bounded by it."""
    gc.collect()
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def growth(action: str, calls: int, max_calls: Optional[int]) -> tuple[float, int]:
    """RSS growth in MB between ``calls`` and ``2 * calls`` calls; and the calls the log kept."""
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    with FakeServer(max_calls=max_calls) as server:
        host, port = server.endpoint.rsplit(":", 1)
        conn = http.client.HTTPConnection(host, int(port), timeout=30)

        def run(n: int) -> None:
            for _ in range(n):
                conn.request("POST", "/", ACTIONS[action], headers)
                answer = conn.getresponse()
                body = answer.read()
                assert answer.status == 200 and b'"Error"' not in body, body[:300]

        try:
            run(calls)
            first = rss_bytes()
            run(calls)
            second = rss_bytes()
        finally:
            conn.close()
        kept = len(server.calls)
        assert json.dumps(server.calls[-1].response)  # the log still serializes
        server.reset()
    return (second - first) / MB, kept


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=20_000, help="first checkpoint (%(default)s)")
    parser.add_argument("--max-calls", type=int, default=DEFAULT_MAX_CALLS)
    parser.add_argument("--target", type=float, default=10.0, help="MB allowed (%(default)s)")
    parser.add_argument("--no-baseline", action="store_true", help="skip max_calls=None")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny sizes (300 calls, max_calls 100)"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.calls, args.max_calls = 300, 100
    print(
        f"bench_memory: RSS growth between {args.calls} and {2 * args.calls} calls over HTTP "
        f"(max_calls={args.max_calls}; target < {args.target:g} MB)"
    )
    ok = True
    for action in ACTIONS:
        capped, kept = growth(action, args.calls, args.max_calls)
        # A bounded log holds exactly max_calls once full: fewer or more is a bug, at any size.
        bounded = kept == min(args.max_calls, 2 * args.calls)
        verdict = "PASS" if capped < args.target and bounded else "FAIL"
        ok = ok and verdict == "PASS"
        line = f"  {action:18} {capped:+7.1f} MB, {kept} calls kept  {verdict}"
        if not args.no_baseline:
            unbounded, kept_all = growth(action, args.calls, None)
            ratio = unbounded / capped if capped > 0.05 else float("inf")
            line += f"   (max_calls=None: {unbounded:+.1f} MB, {kept_all} calls kept, x{ratio:.0f})"
        print(line, flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
