"""Raw HTTP clients (requests, httpx sync and async) against the fake, and what passes through."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import requests
import responses
import respx

import pytest_ckafka
from pytest_ckafka import CKafkaMock

TC3_HEADERS = {
    "Content-Type": "application/json",
    "X-TC-Action": "DescribeTopic",
    "X-TC-Version": "2019-08-19",
    "X-TC-Region": "ap-shanghai",
    "Authorization": "TC3-HMAC-SHA256 Credential=AKIDfake/2026-11-28/ckafka/tc3_request, "
    "SignedHeaders=content-type;host, Signature=00",
}
BODY = {"InstanceId": "ckafka-1", "Limit": 5}
URL = "https://ckafka.tencentcloudapi.com/"


def _error(response: Any) -> Any:
    return response.json()["Response"].get("Error")


def _seed(fake: pytest_ckafka.CKafka) -> None:
    """Seed the instance BODY describes, in the region TC3_HEADERS calls."""
    fake.state.add_instance("ckafka-1", region="ap-shanghai")
    fake.state.add_topic("ckafka-1", "orders")


@pytest.mark.parametrize(
    "host",
    [
        "ckafka.tencentcloudapi.com",
        "ckafka.ap-guangzhou.tencentcloudapi.com",
        "ckafka.intl.tencentcloudapi.com",
    ],
)
def test_raw_requests_to_every_official_host(ckafka: CKafkaMock, host: str) -> None:
    _seed(ckafka)
    response = requests.post(f"https://{host}/", json=BODY, headers=TC3_HEADERS, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert "TopicList" in response.json()["Response"]["Result"]
    assert response.json()["Response"]["Result"]["TopicList"][0]["TopicName"] == "orders"
    call = ckafka.calls[-1]
    assert (call.action, call.region, call.secret_id, dict(call.params)) == (
        "DescribeTopic",
        "ap-shanghai",
        "AKIDfake",
        BODY,
    )


def test_raw_httpx_sync(ckafka: CKafkaMock) -> None:
    ckafka.fail("DescribeTopic", "ResourceNotFound")
    with httpx.Client() as client:
        response = client.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS
        )
    assert response.headers["content-type"] == "application/json"
    assert _error(response)["Code"] == "ResourceNotFound"


async def test_raw_httpx_async(ckafka: CKafkaMock) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS
        )
    assert response.json()["Response"]["RequestId"] == ckafka.calls[-1].request_id


def test_v1_get_and_post(ckafka: CKafkaMock) -> None:
    query = {
        "Action": "DescribeInstances",
        "Version": "2019-08-19",
        "Region": "ap-guangzhou",
        "SecretId": "AKIDfake",
        "Timestamp": "1700000000",
        "Nonce": "42",
        "SignatureMethod": "HmacSHA256",
        "Signature": "x",
        "Status.0": "1",
        "Status.1": "7",
        "Limit": "10",
    }
    requests.get("https://ckafka.tencentcloudapi.com/", params=query, timeout=5)
    requests.post("https://ckafka.tencentcloudapi.com/", data=query, timeout=5)
    for call in ckafka.calls:
        assert call.params == {"Status": [1, 7], "Limit": 10}
        assert (call.action, call.secret_id) == ("DescribeInstances", "AKIDfake")
    assert [c.method for c in ckafka.calls] == ["GET", "POST"]


@pytest.mark.parametrize(
    ("method", "headers", "body", "code", "message"),
    [
        (
            "POST",
            {**TC3_HEADERS, "X-TC-Action": "DescribeInstance"},
            b"{}",
            "InvalidAction",
            "The action `DescribeInstance` does not exist in ckafka 2019-08-19. "
            "Did you mean `DescribeInstances`?",
        ),
        (
            "POST",
            {**TC3_HEADERS, "X-TC-Version": "2017-03-12"},
            b"{}",
            "NoSuchVersion",
            "The API version `2017-03-12` does not exist for ckafka; "
            "the supported version is `2019-08-19`.",
        ),
        ("POST", TC3_HEADERS, b"{not json", "InvalidParameter", None),
        ("PUT", TC3_HEADERS, b"{}", "UnsupportedProtocol", None),
        ("POST", {**TC3_HEADERS, "Content-Type": "text/plain"}, b"{}", "UnsupportedProtocol", None),
    ],
    ids=["unknown-action", "unknown-version", "not-json", "put", "text-plain"],
)
def test_bad_requests_get_the_real_api_answer(
    ckafka: CKafkaMock,
    method: str,
    headers: dict[str, str],
    body: bytes,
    code: str,
    message: str | None,
) -> None:
    response = requests.request(
        method, "https://ckafka.tencentcloudapi.com/", data=body, headers=headers, timeout=5
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    error = _error(response)
    assert error["Code"] == code
    if message is not None:
        assert error["Message"] == message
    assert response.json()["Response"]["RequestId"] == ckafka.calls[-1].request_id


# -- what is not CKafka passes through ------------------------------------------------------


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello from loopback"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


async def test_other_hosts_reach_a_real_local_server(ckafka: CKafkaMock, local_server: str) -> None:
    assert requests.get(local_server, timeout=5).text == "hello from loopback"
    assert httpx.get(local_server).text == "hello from loopback"
    async with httpx.AsyncClient() as client:
        assert (await client.get(local_server)).text == "hello from loopback"
    assert len(ckafka.calls) == 0


def test_a_responses_mock_started_first_keeps_working() -> None:
    with responses.RequestsMock() as mocked:
        mocked.get("https://example.test/x", json={"mocked": "responses"})
        with pytest_ckafka.mock() as fake:
            _seed(fake)
            assert requests.get("https://example.test/x", timeout=5).json() == {
                "mocked": "responses"
            }
            answer = requests.post(URL, json=BODY, headers=TC3_HEADERS, timeout=5)
            assert "Result" in answer.json()["Response"]
    assert len(fake.calls) == 1


def test_a_responses_mock_started_inside_passes_ckafka_through(ckafka: CKafkaMock) -> None:
    """responses' passthrough calls the send it was given: hand it the current one."""
    from requests.adapters import HTTPAdapter

    _seed(ckafka)
    with responses.RequestsMock(real_adapter_send=HTTPAdapter.send) as mocked:
        mocked.get("https://example.test/x", json={"mocked": "responses"})
        mocked.add_passthru(URL)
        assert requests.get("https://example.test/x", timeout=5).json() == {"mocked": "responses"}
        answer = requests.post(URL, json=BODY, headers=TC3_HEADERS, timeout=5)
        assert "Result" in answer.json()["Response"]
    assert len(ckafka.calls) == 1


def test_a_respx_router_started_inside_keeps_working(ckafka: CKafkaMock) -> None:
    _seed(ckafka)
    with respx.mock(assert_all_called=False) as router:
        router.get("https://example.test/y").respond(json={"mocked": "respx"})
        assert httpx.get("https://example.test/y").json() == {"mocked": "respx"}
        answer = httpx.post(URL, json=BODY, headers=TC3_HEADERS)
        assert "Result" in answer.json()["Response"]
    assert len(ckafka.calls) == 1


def test_concurrent_calls_from_threads(ckafka: CKafkaMock) -> None:
    _seed(ckafka)
    ckafka.fail("DescribeTopic", "RequestLimitExceeded", times=50)

    def call(_: int) -> str | None:
        response = requests.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS, timeout=5
        )
        error = _error(response)
        return error["Code"] if error else None

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(call, range(200)))
    assert codes.count("RequestLimitExceeded") == 50
    assert codes.count(None) == 150
    assert len(ckafka.calls) == 200
    assert len({c.request_id for c in ckafka.calls}) == 200


# -- without pytest -------------------------------------------------------------------------


def test_mock_as_context_manager_and_decorators() -> None:
    with pytest_ckafka.mock() as fake:
        fake.fail("*", "InternalError", times=1)
        first = requests.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS, timeout=5
        )
        assert _error(first)["Code"] == "InternalError"
    assert not fake.active

    @pytest_ckafka.mock
    def bare() -> list[dict[str, Any]]:
        # Nothing reaches this mock to seed: it starts empty, as a fresh account would.
        topics = requests.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS, timeout=5
        )
        region_headers = {**TC3_HEADERS, "X-TC-Action": "DescribeRegion"}
        regions = requests.post(
            "https://ckafka.tencentcloudapi.com/", json={}, headers=region_headers, timeout=5
        )
        return [json.loads(topics.text), json.loads(regions.text)]

    topics, regions = bare()
    assert topics["Response"]["Error"]["Code"] == "InvalidParameterValue.InstanceNotExist"
    assert "Result" in regions["Response"]

    configured = pytest_ckafka.mock(strict=True)

    @configured
    def strict() -> None:
        configured.respond("DescribeTopic", {"Result": {"TotalCount": 0, "TopicList": []}})
        response = requests.post(
            "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS, timeout=5
        )
        assert response.json()["Response"]["Result"]["TotalCount"] == 0

    strict()
    assert len(configured.calls) == 1


async def test_mock_decorates_coroutines() -> None:
    fake = pytest_ckafka.mock()

    @fake
    async def run() -> int:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                "https://ckafka.tencentcloudapi.com/", json=BODY, headers=TC3_HEADERS
            )
        return response.status_code

    assert await run() == 200
    assert fake.calls[0].action == "DescribeTopic"


def test_mock_exit_reports_unused_stubs() -> None:
    with pytest.raises(pytest_ckafka.UnusedStubsError, match="used 0 of 1"):
        with pytest_ckafka.mock() as fake:
            fake.fail("DeleteTopic", "ResourceInUse", times=1)


def test_head_gets_headers_only(ckafka: CKafkaMock) -> None:
    response = requests.head(URL, headers=TC3_HEADERS, timeout=5)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["Content-Type"] == "application/json"
    assert ckafka.calls[-1].summary() == (
        "HEAD https://ckafka.tencentcloudapi.com/ (DescribeTopic) -> UnsupportedProtocol"
    )


@responses.activate
def test_responses_activate_inside_the_fixture(ckafka: CKafkaMock) -> None:
    _seed(ckafka)
    responses.get("https://example.test/z", json={"mocked": "activate"})
    assert requests.get("https://example.test/z", timeout=5).json() == {"mocked": "activate"}
    answer = requests.post(URL, json=BODY, headers=TC3_HEADERS, timeout=5)
    assert "Result" in answer.json()["Response"]
    ckafka.add_endpoint("127.0.0.1:9100")
    local = requests.post("http://127.0.0.1:9100/", json=BODY, headers=TC3_HEADERS, timeout=5)
    assert local.json()["Response"]["RequestId"] == ckafka.calls[-1].request_id
    assert len(ckafka.calls) == 2


def test_the_default_responses_mock_is_restored() -> None:
    before = (responses.mock._real_send, responses.mock.passthru_prefixes)
    with pytest_ckafka.mock():
        pass
    assert (responses.mock._real_send, responses.mock.passthru_prefixes) == before


def test_nested_filters_through_the_fixture(ckafka: CKafkaMock) -> None:
    body = {"Filters": [{"Name": "Ip", "Values": ["10.0.0.1", "10.0.0.2"]}], "Limit": 2}
    headers = {**TC3_HEADERS, "X-TC-Action": "DescribeInstancesDetail"}
    requests.post(URL, json=body, headers=headers, timeout=5)
    v1 = {
        "Action": "DescribeInstancesDetail",
        "Version": "2019-08-19",
        "Filters.0.Name": "Ip",
        "Filters.0.Values.0": "10.0.0.1",
        "Filters.0.Values.1": "10.0.0.2",
        "Limit": "2",
    }
    requests.get(URL, params=v1, timeout=5)
    assert [c.params for c in ckafka.calls] == [body, body]
