"""The library of documented examples in ``cassettes/examples``: current, and replayable.

Every action's cassette is replayed through the official SDK with the replayer
attached to the fake exactly as the plugin attaches it, and the marker is tested
once through pytester, the way a user would name a cassette of this library.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
from tencentcloud.common import credential

import pytest_ckafka
from pytest_ckafka.api.scrub.scrubbers import PLACEHOLDER, Scrubbers
from pytest_ckafka.cassettes.files import Interaction, check_version, load
from pytest_ckafka.cassettes.replay import Replayer

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "gen_cassettes.py"
CASSETTES = ROOT / "cassettes"
EXAMPLES = CASSETTES / "examples"
ACTIONS = sorted(pytest_ckafka.load_spec().actions)


def _run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, timeout=120
    )


def test_the_example_cassettes_are_up_to_date() -> None:
    result = _run_tool("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{EXAMPLES}: {len(ACTIONS)} example cassettes are up to date\n"


def test_check_names_what_is_missing_stale_or_left_over(tmp_path: Path) -> None:
    (tmp_path / "DescribeTopic.yaml").write_text("interactions: []\nversion: 1\n")
    (tmp_path / "DescribeTopics.yaml").write_text("interactions: []\nversion: 1\n")
    result = _run_tool("--check", "--out", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{tmp_path / 'DescribeTopic.yaml'}: stale" in lines
    assert f"{tmp_path / 'DescribeInstances.yaml'}: missing" in lines
    assert (
        lines[-1] == f"{tmp_path / 'DescribeTopics.yaml'}: no such action in the spec (left over)"
    )
    assert result.stderr == "run: python tools/gen_cassettes.py\n"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    first = _run_tool("--out", str(tmp_path))
    assert first.stdout == f"{tmp_path}: wrote {len(ACTIONS)}, unchanged 0, removed 0\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{a}.yaml" for a in ACTIONS]
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name
    (tmp_path / "Gone.yaml").write_text("interactions: []\nversion: 1\n")
    again = _run_tool("--out", str(tmp_path))
    assert again.stdout == f"{tmp_path}: wrote 0, unchanged {len(ACTIONS)}, removed 1\n"


def _without_nulls(value: Any) -> Any:
    # The SDK's models serialize only the members that are set.
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _example(action: str) -> tuple[Path, Interaction]:
    path = EXAMPLES / f"{action}.yaml"
    interactions = load(path)
    check_version(interactions, path)
    assert len(interactions) == 1
    return path, interactions[0]


def _sdk_request(action: str, recorded: Interaction) -> Any:
    request = getattr(models, f"{action}Request")()
    request.from_json_string(recorded.body.decode("utf-8"))
    return request


@pytest.fixture(scope="module")
def sdk_client() -> ckafka_client.CkafkaClient:
    return ckafka_client.CkafkaClient(credential.Credential("AKIDexamples", "k"), "ap-guangzhou")


# "error": a member the SDK model does not know, in the request or the answer,
# makes the SDK warn that it is useless; none may be in a documented exchange.
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS)
def test_every_example_replays_through_the_sdk(
    action: str, sdk_client: ckafka_client.CkafkaClient
) -> None:
    path, recorded = _example(action)
    assert recorded.headers["X-TC-Action"] == [action]
    assert recorded.headers["Authorization"] == [PLACEHOLDER]
    envelope = json.loads(recorded.response_body)
    assert uuid.UUID(envelope["Response"]["RequestId"]).version == 5
    replayer = Replayer(path, [recorded], Scrubbers(), existed=True)
    with pytest_ckafka.mock() as fake:
        fake._cassette = replayer
        response = getattr(sdk_client, action)(_sdk_request(action, recorded))
    assert [c.answered_by for c in fake.calls] == ["cassette"]
    assert response._serialize() == _without_nulls(envelope["Response"])


async def test_an_example_replays_through_the_async_sdk() -> None:
    path, recorded = _example("DescribeInstances")
    client = ckafka_client_async.CkafkaClient(
        credential.Credential("AKIDexamples", "k"), "ap-guangzhou"
    )
    with pytest_ckafka.mock() as fake:
        fake._cassette = Replayer(path, [recorded], Scrubbers(), existed=True)
        response = await client.DescribeInstances(_sdk_request("DescribeInstances", recorded))
        await client.close()
    assert [c.answered_by for c in fake.calls] == ["cassette"]
    envelope = json.loads(recorded.response_body)
    assert response._serialize() == _without_nulls(envelope["Response"])


USER_TESTS = textwrap.dedent(
    """
    import socket

    import pytest
    from tencentcloud.ckafka.v20190819 import models


    @pytest.fixture(autouse=True)
    def no_network(monkeypatch):
        def refuse(self, address):
            raise AssertionError(f"network access in replay: {address!r}")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)


    def describe_topic():
        request = models.DescribeTopicRequest()
        request.InstanceId, request.Limit = "ckafka-mine", 50
        return request


    @pytest.mark.ckafka_cassette("examples/DescribeInstances")
    def test_documented_call(ckafka, ckafka_client):
        request = models.DescribeInstancesRequest()  # the documented example's params
        request.InstanceId, request.SearchWord = "instance-will-s", "tre"
        request.Offset, request.Limit, request.Status = 0, 10, [0, 1, 2]
        response = ckafka_client.DescribeInstances(request)
        assert response.Result.InstanceList[0].InstanceId == "instance-will-s"
        assert response.RequestId == "{request_id}"


    @pytest.mark.ckafka_cassette("examples/DescribeTopic", match_on=("action", "version"))
    def test_any_params(ckafka, ckafka_client):
        assert ckafka_client.DescribeTopic(describe_topic()).Result.TotalCount == 12


    @pytest.mark.ckafka_cassette("examples/DescribeTopic")
    def test_other_params_miss(ckafka, ckafka_client):
        ckafka_client.DescribeTopic(describe_topic())
    """
)


def test_the_marker_replays_the_library(pytester: pytest.Pytester) -> None:
    _, recorded = _example("DescribeInstances")
    request_id = json.loads(recorded.response_body)["Response"]["RequestId"]
    # An absolute folder works: the plugin joins it to the rootdir, and an
    # absolute right-hand side wins.
    pytester.makeini(
        f"[pytest]\nckafka_cassette_dir = {CASSETTES}\n"
        "asyncio_default_fixture_loop_scope = function\n"
    )
    pytester.makepyfile(test_user=USER_TESTS.replace("{request_id}", request_id))
    before = {p.name: p.read_bytes() for p in EXAMPLES.iterdir()}
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+.*pytest-ckafka: no recorded answer for this DescribeTopic call\.$",
            r'^E\s+params:\s+\{"InstanceId": "ckafka-mine", "Limit": 50\}$',
            r'^E\s+InstanceId: "ckafka-mine" \(this call\) != "ckafka-xxooa0" \(recorded\)$',
            r"^E\s+Limit: 50 \(this call\) != 2 \(recorded\)$",
        ]
    )
    # Replay mode never writes: the library is left exactly as it was.
    assert {p.name: p.read_bytes() for p in EXAMPLES.iterdir()} == before


def test_the_shipped_library_replays_without_a_local_copy(pytester: pytest.Pytester) -> None:
    """``examples/<Action>`` falls back to the library that ships with pytest-ckafka."""
    pytester.makepyfile(
        """
import pytest
from tencentcloud.ckafka.v20190819 import models

@pytest.mark.ckafka_cassette("examples/DeleteTopic")
def test_documented(ckafka, ckafka_client):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka", "topicname"
    assert ckafka_client.DeleteTopic(request).Result.ReturnCode == "0"
    assert ckafka.calls[-1].answered_by == "cassette"
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)
    assert not (pytester.path / "cassettes").exists()
