"""A CKafka call to a host nobody registered is still the fake's: never a silent pass.

A user pointed the official SDK at ``http://127.0.0.1:PORT`` and recorded with
``--ckafka-record-mode=once`` without registering the endpoint: the test passed,
nothing was recorded and ``ckafka.calls`` was empty. Now a Tencent Cloud API
request for CKafka (the ``X-TC-Action``/``X-TC-Version`` headers, or the v1
``Action``/``Version`` parameters) is intercepted whatever its host, through
requests (the sync SDK) and httpx (the async SDK) alike.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator

import httpx
import pytest
import requests
import yaml

from pytest_ckafka.intercept.mock import CKafkaMock
from pytest_ckafka.server.http import FakeServer

CLIENTS = textwrap.dedent(
    """
    import json
    import os

    import pytest
    from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    ENDPOINT = os.environ["CKAFKA_TEST_ENDPOINT"]  # never registered with the fake
    CREDENTIAL = credential.Credential("AKIDunregisteredSECRET", "unregistered-secret-key")


    def profile():
        return ClientProfile(httpProfile=HttpProfile(endpoint=ENDPOINT, protocol="http"))


    def describe():
        request = models.DescribeTopicRequest()
        request.InstanceId = "ckafka-unreg001"
        return request


    def save(name, value):
        with open(name, "w") as handle:
            json.dump(value, handle, sort_keys=True)
    """
)

RECORDED = CLIENTS + textwrap.dedent(
    """

    @pytest.mark.ckafka_cassette
    def test_sync(ckafka):
        client = ckafka_client.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())
        answer = client.DescribeTopic(describe())
        save("sync.json", [json.loads(answer.to_json_string()), [c.action for c in ckafka.calls]])


    @pytest.mark.ckafka_cassette
    async def test_async(ckafka):
        client = ckafka_client_async.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())
        answer = await client.DescribeTopic(describe())
        await client.close()
        save("async.json", [json.loads(answer.to_json_string()), [c.action for c in ckafka.calls]])
    """
)

TOPICS = {"Result": {"TotalCount": 1, "TopicList": [{"TopicName": "orders", "TopicId": "t-1"}]}}


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        fake.respond("DescribeTopic", TOPICS)
        yield fake


@pytest.fixture
def project(
    pytester: pytest.Pytester, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    monkeypatch.setenv("CKAFKA_TEST_ENDPOINT", server.endpoint)
    pytester.makeini("[pytest]\nasyncio_mode = auto\n")  # no ckafka_endpoints
    return pytester


def _saved(project: pytest.Pytester, name: str) -> list[object]:
    data: list[object] = json.loads((project.path / name).read_text())
    return data


def test_recording_from_an_unregistered_endpoint_records_it(
    project: pytest.Pytester, server: FakeServer
) -> None:
    project.makepyfile(test_unreg=RECORDED)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=2)
    assert [c.action for c in server.calls] == ["DescribeTopic", "DescribeTopic"]
    for test, saved in (("test_sync", "sync.json"), ("test_async", "async.json")):
        cassette = project.path / "cassettes" / "test_unreg" / f"{test}.yaml"
        interactions = yaml.safe_load(cassette.read_text())["interactions"]
        assert [i["request"]["uri"].rstrip("?") for i in interactions] == [
            f"http://{server.endpoint}/"
        ]
        answer, logged = _saved(project, saved)
        assert answer["Result"]["TopicList"][0]["TopicName"] == "orders"  # type: ignore[index]
        assert logged == ["DescribeTopic"]  # ckafka.calls saw the call

    server.stop()  # the replay needs no server: the cassette answers
    project.runpytest().assert_outcomes(passed=2)
    assert _saved(project, "sync.json")[0]["Result"]["TopicList"][0]["TopicName"] == "orders"  # type: ignore[index]


def test_replaying_without_a_cassette_fails_naming_it(
    project: pytest.Pytester, server: FakeServer
) -> None:
    project.makepyfile(test_unreg=RECORDED)
    result = project.runpytest("-k", "test_sync")
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+.*pytest-ckafka: no recorded answer for this DescribeTopic call: the cassette "
            r"cassettes/test_unreg/test_sync\.yaml does not exist\.",
            r"^E\s+pytest 'test_unreg\.py::test_sync' --ckafka-record-mode=once$",
        ]
    )
    assert len(server.calls) == 0  # a replay never reaches the endpoint


def test_without_a_cassette_the_fake_answers_an_unregistered_endpoint(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CKAFKA_TEST_ENDPOINT", "127.0.0.1:9")  # nothing listens on discard
    pytester.makeini("[pytest]\nasyncio_mode = auto\n")
    pytester.makepyfile(
        CLIENTS
        + textwrap.dedent(
            """

            def test_sync(ckafka):
                ckafka.respond("DescribeTopic", {"Result": {"TotalCount": 3, "TopicList": []}})
                client = ckafka_client.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())
                assert client.DescribeTopic(describe()).Result.TotalCount == 3
                assert ckafka.calls[0].url == "http://127.0.0.1:9/"


            async def test_async(ckafka):
                ckafka.fail("DescribeTopic", "ResourceNotFound")
                client = ckafka_client_async.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())
                with pytest.raises(Exception, match="ResourceNotFound"):
                    await client.DescribeTopic(describe())
                await client.close()
                ckafka.assert_called("DescribeTopic", times=1)
            """
        )
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_a_test_own_server_still_answers_its_calls(pytester: pytest.Pytester) -> None:
    """Without a cassette, a FakeServer of this process answers and logs its own calls."""
    pytester.makepyfile(
        textwrap.dedent(
            """
            import requests

            HEADERS = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}


            def test_both(ckafka, ckafka_server):
                ckafka_server.fail("DescribeRegion", "InternalError")
                answer = requests.post(ckafka_server.url, json={}, headers=HEADERS, timeout=5)
                assert answer.json()["Response"]["Error"]["Code"] == "InternalError"
                assert len(ckafka.calls) == 0 and len(ckafka_server.calls) == 1
            """
        )
    )
    pytester.runpytest().assert_outcomes(passed=1)


# -- what is and is not a CKafka call, through the transports --------------------------------


@pytest.mark.parametrize(
    ("method", "url", "headers", "body"),
    [
        ("GET", "http://127.0.0.1:9/?Action=DescribeRegion&Version=2019-08-19", {}, None),
        (
            "POST",
            "http://127.0.0.1:9/",
            {"Content-Type": "application/x-www-form-urlencoded"},
            "Action=DescribeRegion&Version=2019-08-19",
        ),
        (
            "POST",
            "http://127.0.0.1:9/",
            {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"},
            "{}",
        ),
    ],
    ids=["v1-get", "v1-form", "tc3"],
)
def test_every_protocol_is_intercepted_on_any_host(
    ckafka: CKafkaMock, method: str, url: str, headers: dict[str, str], body: str | None
) -> None:
    by_requests = requests.request(method, url, headers=headers, data=body, timeout=5)
    by_httpx = httpx.request(method, url, headers=headers, content=body)
    for answer in (by_requests, by_httpx):
        assert answer.json()["Response"]["Result"][0]["RegionCode"] == "gz"
    assert [c.action for c in ckafka.calls] == ["DescribeRegion", "DescribeRegion"]


def test_a_passthrough_host_reaches_an_out_of_process_server(pytester: pytest.Pytester) -> None:
    """``passthrough`` is the way out for a server the test means to talk to (``add_passthru``)."""
    pytester.makepyfile(
        textwrap.dedent(
            """
            import subprocess
            import sys

            import pytest
            import requests

            HEADERS = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}


            @pytest.fixture(scope="module")
            def served():
                command = [sys.executable, "-m", "pytest_ckafka", "serve", "--port", "0"]
                process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
                line = process.stdout.readline()
                yield line.rsplit("(endpoint ", 1)[1].rstrip(")\\n")
                process.terminate()
                process.wait(10)


            def test_intercepted_by_default(ckafka, served):
                ckafka.fail("DescribeRegion", "InternalError")
                answer = requests.post(f"http://{served}/", json={}, headers=HEADERS, timeout=5)
                assert answer.json()["Response"]["Error"]["Code"] == "InternalError"
                assert len(ckafka.calls) == 1


            def test_passed_through(ckafka, served):
                ckafka.add_passthrough(served)
                ckafka.fail("DescribeRegion", "InternalError", times=None)
                answer = requests.post(f"http://{served}/", json={}, headers=HEADERS, timeout=5)
                assert "Error" not in answer.json()["Response"]  # the server's own answer
                assert len(ckafka.calls) == 0
                calls = requests.get(f"http://{served}/_ckafka/calls", timeout=5).json()["calls"]
                assert [c["action"] for c in calls][-1] == "DescribeRegion"
                ckafka.reset()  # the unused stub is not the point here
            """
        )
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
