"""Per-call cost of replaying a cassette of N CreateTopic calls through the official SDK.

Three ways to answer the same N calls (each a distinct TopicName, so each
matches exactly one recorded interaction):

* pytest-ckafka: a ``Replayer`` of the cassette attached to a ``CKafkaMock``, as
  the plugin attaches it; opening the file as the plugin does (``CassetteSession``:
  load, version check, index) is timed apart, once per N;
* a bare ``responses`` stub with one fixed body: the floor for any replay;
* vcrpy's own replay of the same file, matching on ``method``, ``uri`` and
  ``body``, the only built-in way for it to tell these calls apart.

pytest-ckafka and the bare stub run interleaved in one process (rounds
alternate), so machine noise hits both alike; the figure that matters is the
ratio of medians, at N=1000 and N=5000. Target: <= 1.5x. vcrpy compares each
call with every recorded interaction up to its match, so it is measured at
N=200 and N=1000 only, on an evenly spread sample of the calls taken in a
shuffled order (call i costs the same whenever it is made), within a time budget.

Usage: python benchmarks/bench_replay.py [--rounds N] [--vcr-budget SECONDS] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

import responses
import vcr
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential

import pytest_ckafka
from pytest_ckafka.api.envelopes import encode, success_envelope
from pytest_ckafka.api.scrub.scrubbers import PLACEHOLDER, Scrubbers
from pytest_ckafka.cassettes.files import Interaction, load, save
from pytest_ckafka.cassettes.replay import Replayer
from pytest_ckafka.cassettes.session import CassetteSession

URL = "https://ckafka.tencentcloudapi.com/"
INSTANCE = "ckafka-bench001"
SIZES = (1000, 5000)
VCR_SIZES = (200, 1000)
WARM_UP = 200  # calls of an untimed first round
Batch = list[models.CreateTopicRequest]
VCR_SAMPLE = 100  # calls measured per vcrpy cassette (all of them when N is smaller)


def _params(i: int) -> dict[str, object]:
    return {"InstanceId": INSTANCE, "PartitionNum": 1, "ReplicaNum": 2, "TopicName": f"topic-{i}"}


def _interaction(i: int) -> Interaction:
    body = json.dumps(_params(i), separators=(",", ":")).encode()
    answer = {"Result": {"TopicId": f"topic-id-{i:08d}"}}
    headers = {
        "Authorization": PLACEHOLDER,
        "Content-Type": "application/json",
        "Host": "ckafka.tencentcloudapi.com",
        "X-TC-Action": "CreateTopic",
        "X-TC-Region": "ap-guangzhou",
        "X-TC-Version": "2019-08-19",
    }
    return Interaction(
        method="POST",
        uri=URL,
        headers={k: [v] for k, v in headers.items()},
        body=body,
        status=200,
        reason="OK",
        response_headers={"Content-Type": ["application/json"]},
        response_body=encode(success_envelope("CreateTopic", answer, request_id=f"r-{i}")),
    )


def _requests(n: int) -> Batch:
    out = []
    for i in range(n):
        request = models.CreateTopicRequest()
        request._deserialize(_params(i))
        out.append(request)
    return out


def _client() -> ckafka_client.CkafkaClient:
    return ckafka_client.CkafkaClient(credential.Credential("AKIDbench", "k"), "ap-guangzhou")


def _calls(client: ckafka_client.CkafkaClient, batch: Batch) -> float:
    start = time.perf_counter()
    for request in batch:
        client.CreateTopic(request)
    return time.perf_counter() - start


def _open(path: Path) -> tuple[float, list[Interaction]]:
    """Seconds to open ``path`` as the plugin does (load, version check, index)."""
    with pytest_ckafka.mock() as fake:
        start = time.perf_counter()
        session = CassetteSession.open(fake, path, "none", Scrubbers())
        opened = time.perf_counter() - start
        session.close(fake, passed=True)
    return opened, load(path)


def _ours(
    client: ckafka_client.CkafkaClient, path: Path, recorded: list[Interaction], batch: Batch
) -> float:
    """Seconds per call, the cassette's replayer attached to the fake as the plugin does."""
    with pytest_ckafka.mock() as fake:
        # A replayer plays each interaction once: every round needs a fresh one.
        fake._cassette = Replayer(path, recorded, Scrubbers(), existed=True)
        per_call = _calls(client, batch) / len(batch)
        assert [c.answered_by for c in fake.calls] == ["cassette"] * len(batch)
    return per_call


def _bare(client: ckafka_client.CkafkaClient, batch: Batch) -> float:
    fixed = encode(success_envelope("CreateTopic", request_id="r"))
    with responses.RequestsMock() as bare:
        bare.add(responses.POST, URL, body=fixed, content_type="application/json")
        return _calls(client, batch) / len(batch)


def _vcrpy(path: Path, batch: Batch, budget: float) -> tuple[float, int]:
    """(seconds per call, calls measured) for vcrpy's replay of ``path``."""
    n = len(batch)
    picked = [int((j + 0.5) * n / VCR_SAMPLE) for j in range(VCR_SAMPLE)] if n > VCR_SAMPLE else []
    sample = [batch[i] for i in picked] or list(batch)
    random.Random(0).shuffle(sample)
    client = _client()  # a fresh connection pool, created under vcrpy's patches
    player = vcr.VCR(record_mode="none", match_on=["method", "uri", "body"])
    spent, done = 0.0, 0
    with player.use_cassette(str(path)):
        for request in sample:
            spent += _calls(client, [request])
            done += 1
            if spent > budget:
                break
    return spent / done, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per size")
    parser.add_argument(
        "--vcr-budget", type=float, default=15.0, help="seconds of vcrpy calls per size"
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes, to check the script runs (its figures mean nothing)",
    )
    args = parser.parse_args()
    sizes, vcr_sizes, warm_up = SIZES, VCR_SIZES, WARM_UP
    if args.smoke:
        args.rounds, sizes, vcr_sizes, warm_up = 1, (20,), (10,), 5

    client = _client()
    rows: dict[int, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        paths: dict[int, Path] = {}
        for n in sorted({*sizes, *vcr_sizes}):
            paths[n] = Path(folder) / f"create_topic_{n}.yaml"
            save(paths[n], [_interaction(i) for i in range(n)], merge=False)

        for n in sizes:
            batch = _requests(n)
            opened, recorded = _open(paths[n])
            _ours(client, paths[n], recorded, batch[:warm_up])  # warms caches, not timed
            _bare(client, batch[:warm_up])
            ours: list[float] = []
            bare: list[float] = []
            for _ in range(args.rounds):
                ours.append(_ours(client, paths[n], recorded, batch))
                bare.append(_bare(client, batch))
            rows[n] = (opened, statistics.median(ours), statistics.median(bare))

        vcr_rows: dict[int, tuple[float, int]] = {}
        for n in vcr_sizes:
            vcr_rows[n] = _vcrpy(paths[n], _requests(n), args.vcr_budget)

    print(f"CreateTopic replay through the official SDK, median of {args.rounds} rounds")
    print(
        f"{'N':>6}  {'pytest-ckafka':>15}  {'bare responses':>15}  {'ratio':>6}"
        f"  {'open':>9}  {'ratio with open':>15}"
    )
    for n, (o_open, o, b) in rows.items():
        ratio = o / b
        verdict = "ok" if ratio <= 1.5 else "MISSED"
        print(
            f"{n:>6}  {o * 1e6:>8.1f} us/call  {b * 1e6:>8.1f} us/call  {ratio:>5.2f}x"
            f"  {o_open * 1e3:>6.0f} ms  {(o + o_open / n) / b:>14.2f}x"
            f"  (target <= 1.5x: {verdict})"
        )
    print("  open: load + version check + index, once per test; ratio with open spreads it")
    print("  over the N calls (a bare stub has no file to read).")
    print("vcrpy replay, match_on=[method, uri, body]")
    for n, (v, done) in vcr_rows.items():
        sampled = f"all {done} calls" if done == n else f"{done} of {n} calls, spread evenly"
        line = f"{n:>6}  {v * 1e6:>9.1f} us/call  ({sampled}"
        if n in rows:
            line += f"; {v / rows[n][1]:.0f}x pytest-ckafka"
        print(line + ")")


if __name__ == "__main__":
    main()
