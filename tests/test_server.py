"""FakeServer: the fake over real HTTP on loopback, driven by real clients and raw sockets."""

from __future__ import annotations

import http.client
import json
import random
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import requests
from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

import pytest_ckafka
from pytest_ckafka.exceptions import (
    CKafkaAssertionError,
    CKafkaUsageError,
    ListenError,
    UnmatchedCallError,
)
from pytest_ckafka.server.http import MAX_BODY_BYTES, FakeServer

JSON_HEADERS = b"X-TC-Action: DescribeRegion\r\nX-TC-Version: 2019-08-19\r\n"
JSON_HEADERS += b"Content-Type: application/json\r\n"


@pytest.fixture
def server() -> Iterator[FakeServer]:
    """A server with short timeouts; leaving it verifies there were no internal errors."""
    with FakeServer(body_timeout=0.5, fault_timeout=5.0) as fake:
        yield fake


def _profile(server: FakeServer, timeout: int = 60) -> ClientProfile:
    return ClientProfile(
        httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http", reqTimeout=timeout)
    )


def _client(server: FakeServer, timeout: int = 60) -> ckafka_client.CkafkaClient:
    cred = credential.Credential("AKIDserverTEST", "secret")
    return ckafka_client.CkafkaClient(cred, "ap-guangzhou", _profile(server, timeout))


def _describe_topic() -> models.DescribeTopicRequest:
    request = models.DescribeTopicRequest()
    request.InstanceId, request.Limit = "ckafka-1", 5
    return request


def _address(server: FakeServer) -> tuple[str, int]:
    host, port = server.endpoint.rsplit(":", 1)
    return host, int(port)


def _raw(server: FakeServer, data: bytes, *, wait: float = 5.0) -> bytes:
    """Send ``data`` on a fresh connection; return the first answer (or all until close)."""
    with socket.create_connection(_address(server), timeout=wait) as sock:
        sock.sendall(data)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
            head, sep, body = raw.partition(b"\r\n\r\n")
            length = re.search(rb"\r\nContent-Length: (\d+)\r\n", head + b"\r\n")
            if sep and length and len(body) >= int(length.group(1)):
                return head + sep + body[: int(length.group(1))]  # more may follow: not ours
    return raw


def _answer(raw: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Parse one complete answer: status, headers, envelope; check its framing."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    assert sep, raw
    status_line, *lines = head.decode("latin-1").split("\r\n")
    version, status, _ = status_line.split(" ", 2)
    headers = dict(line.split(": ", 1) for line in lines)
    assert version == "HTTP/1.1"
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Type"] == "application/json"
    envelope = json.loads(body)
    assert uuid.UUID(envelope["Response"]["RequestId"]).version == 4
    return int(status), headers, envelope


def _code(envelope: dict[str, Any]) -> str:
    return str(envelope["Response"]["Error"]["Code"])


# -- lifecycle ------------------------------------------------------------------------------


def test_endpoint_and_url() -> None:
    fake = FakeServer()
    with pytest.raises(CKafkaUsageError, match="no address until start"):
        fake.endpoint  # noqa: B018
    with fake:
        host, port = fake.endpoint.split(":")
        assert host == "127.0.0.1" and int(port) > 0
        assert fake.url == f"http://127.0.0.1:{port}/"
    assert fake.endpoint == f"127.0.0.1:{port}"  # kept after stop, e.g. to prove it is down


def test_a_taken_port_is_a_one_line_usage_error() -> None:
    with FakeServer() as first:
        port = int(first.endpoint.split(":")[1])
        with pytest.raises(CKafkaUsageError, match=f"cannot listen on 127.0.0.1:{port}: ") as info:
            FakeServer(port=port).start()
    assert isinstance(info.value, ListenError)
    assert (info.value.host, info.value.port) == ("127.0.0.1", port)
    assert info.value.reason == "Address already in use"


@pytest.mark.parametrize("name", ["body_timeout", "fault_timeout", "idle_timeout"])
def test_timeouts_must_be_positive(name: str) -> None:
    with pytest.raises(CKafkaUsageError, match=f"{name} must be a positive number of seconds"):
        FakeServer(**{name: 0})  # type: ignore[arg-type]


def test_it_is_the_ckafka_fixture_api() -> None:
    assert issubclass(FakeServer, pytest_ckafka.CKafka)
    with FakeServer() as fake:
        with pytest.raises(pytest_ckafka.UnknownActionError, match=r"DescribeTopics?"):
            fake.respond("DescribeTopicz")


def test_leaving_the_block_verifies_like_the_fixture() -> None:
    with pytest.raises(pytest_ckafka.UnusedStubsError, match="DeleteTopic"):
        with FakeServer() as fake:
            fake.fail("DeleteTopic", "ResourceInUse", times=1)


def test_strict_miss_answers_internal_error_and_fails_verify() -> None:
    # The stateful backend answers DescribeTopic even in strict mode: switch it off.
    fake = FakeServer(strict=True, stateful=False).start()
    try:
        with pytest.raises(TencentCloudSDKException) as info:
            _client(fake).DescribeTopic(_describe_topic())
    finally:
        fake.stop()
    assert info.value.code == "InternalError"
    assert "no stub answers DescribeTopic" in info.value.message
    with pytest.raises(UnmatchedCallError, match="DescribeTopic"):
        fake.verify()


# -- the official SDK, sync -----------------------------------------------------------------


def test_sdk_default_answer_and_calls() -> None:
    # About the synthesized default (the documented example): no stateful backend.
    with FakeServer(stateful=False, body_timeout=0.5, fault_timeout=5.0) as server:
        response = _client(server).DescribeInstances(models.DescribeInstancesRequest())
    example = pytest_ckafka.load_spec().action("DescribeInstances").example_output
    assert example is not None
    assert response.Result.TotalCount == example["Result"]["TotalCount"]
    (call,) = server.calls
    assert (call.action, call.region, call.version, call.secret_id) == (
        "DescribeInstances",
        "ap-guangzhou",
        "2019-08-19",
        "AKIDserverTEST",
    )
    assert call.url == server.url
    assert call.request_id == response.RequestId


def test_sdk_respond_and_assert_called(server: FakeServer) -> None:
    topics = {"TotalCount": 1, "TopicList": [{"TopicName": "o"}]}
    server.respond("DescribeTopic", {"Result": topics})
    result = _client(server).DescribeTopic(_describe_topic()).Result
    assert (result.TotalCount, result.TopicList[0].TopicName) == (1, "o")
    server.assert_called("DescribeTopic", times=1, params={"InstanceId": "ckafka-1", "Limit": 5})
    server.assert_not_called("DeleteTopic")


def test_sdk_fail_raises_with_code_and_request_id(server: FakeServer) -> None:
    server.state.add_instance("ckafka-1")
    server.state.add_topic("ckafka-1", "orders")
    server.fail("DeleteTopic", "ResourceInUse", "busy", times=1)
    client = _client(server)
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    with pytest.raises(TencentCloudSDKException) as info:
        client.DeleteTopic(request)
    assert (info.value.code, info.value.message) == ("ResourceInUse", "busy")
    assert info.value.requestId == server.calls[-1].request_id
    assert client.DeleteTopic(request).Result is not None
    assert [c.error_code for c in server.calls] == ["ResourceInUse", None]
    assert server.state.topics("ckafka-1") == []


@pytest.mark.parametrize(
    ("kind", "code", "text"),
    [
        ("http_status", "ServerNetworkError", "502 Bad Gateway"),
        ("timeout", "ClientNetworkError", "Read timed out"),
        ("connection_error", "ClientNetworkError", "Connection reset by peer"),
        ("malformed_json", "JSONDecodeError", ""),
    ],
)
def test_sdk_faults(kind: str, code: str, text: str) -> None:
    with FakeServer(body_timeout=0.5) as server:  # the default fault_timeout: 120 s
        server.state.add_instance("ckafka-1")
        server.fault("DescribeTopic", kind, times=1)
        client = _client(server, timeout=1)
        started = time.monotonic()
        with pytest.raises(TencentCloudSDKException) as info:
            client.DescribeTopic(_describe_topic())
        assert info.value.code == code
        assert text in str(info.value.message)
        # the client's 1 s timeout ended it, not the server's 120 s cap
        assert time.monotonic() - started < 10
        assert server.calls[-1].error_code == f"fault:{kind}"
        assert client.DescribeTopic(_describe_topic()).RequestId  # the next call is answered


def test_sdk_body_over_10_mb(server: FakeServer) -> None:
    request = _describe_topic()
    request.SearchWord = "x" * MAX_BODY_BYTES
    with pytest.raises(TencentCloudSDKException) as info:
        _client(server).DescribeTopic(request)
    assert info.value.code == "RequestSizeLimitExceeded"
    assert info.value.requestId
    assert len(server.calls) == 0  # refused before the core saw it
    assert server.rejections[-1].startswith("RequestSizeLimitExceeded: ")


def test_sdk_with_https_against_the_plain_server_fails_fast(server: FakeServer) -> None:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=server.endpoint, reqTimeout=60))
    client = ckafka_client.CkafkaClient(credential.Credential("AKID", "k"), "ap-guangzhou", profile)
    started = time.monotonic()
    with pytest.raises(TencentCloudSDKException) as info:
        client.DescribeRegion(models.DescribeRegionRequest())
    assert info.value.code == "ClientNetworkError" and "SSL" in info.value.message
    assert time.monotonic() - started < 10  # answered, not left to the 60 s timeout
    assert "speaks plain HTTP, not TLS (https): use http://" in server.rejections[-1]


# -- the official SDK, async ----------------------------------------------------------------


@pytest.fixture
async def async_client(server: FakeServer) -> Any:
    cred = credential.Credential("AKIDserverTEST", "secret")
    client = ckafka_client_async.CkafkaClient(cred, "ap-guangzhou", _profile(server, timeout=1))
    yield client
    await client.close()


async def test_async_sdk_default_fail_and_calls(server: FakeServer, async_client: Any) -> None:
    response = await async_client.DescribeInstances(models.DescribeInstancesRequest())
    assert response.RequestId == server.calls[-1].request_id
    server.fail("*", "RequestLimitExceeded", times=1)
    with pytest.raises(TencentCloudSDKException) as info:
        await async_client.DescribeTopic(_describe_topic())
    assert (info.value.code, info.value.requestId) == (
        "RequestLimitExceeded",
        server.calls[-1].request_id,
    )
    assert [c.action for c in server.calls] == ["DescribeInstances", "DescribeTopic"]


@pytest.mark.parametrize(
    ("kind", "raised"),
    [
        ("http_status", TencentCloudSDKException),
        ("timeout", httpx.ReadTimeout),
        ("connection_error", httpx.ReadError),  # a reset, where the in-process fake refuses
    ],
)
async def test_async_sdk_faults(
    server: FakeServer, async_client: Any, kind: str, raised: type[BaseException]
) -> None:
    server.state.add_instance("ckafka-1")
    server.fault("DescribeTopic", kind, times=1)
    with pytest.raises(raised):
        await async_client.DescribeTopic(_describe_topic())
    assert (await async_client.DescribeTopic(_describe_topic())).RequestId


# -- tccli ----------------------------------------------------------------------------------


def test_tccli_with_an_http_url_as_endpoint(server: FakeServer, tccli: Any) -> None:
    # tccli builds HttpProfile(endpoint=...) with no protocol, so a bare host:port means
    # https; a URL with a scheme is used as is (and sent verbatim as the Host header).
    server.fail("DeleteTopic", "ResourceInUse")
    out = tccli(
        "ckafka", "DeleteTopic", "--InstanceId", "ckafka-1", "--TopicName", "o",
        "--endpoint", f"http://{server.endpoint}",
    )  # fmt: skip
    call = server.calls[-1]
    assert out.strip() == (
        "[TencentCloudSDKException] code:ResourceInUse message:Resource is in use. "
        f"requestId:{call.request_id}"
    )
    assert (call.region, call.secret_id, call.url) == ("ap-shanghai", "AKIDtccliFAKE", server.url)
    out = tccli("ckafka", "DescribeRegion", "--endpoint", f"http://{server.endpoint}")
    assert json.loads(out)["RequestId"] == server.calls[-1].request_id


def test_tccli_with_a_bare_endpoint_speaks_https(server: FakeServer, tccli: Any) -> None:
    out = tccli("ckafka", "DescribeRegion", "--endpoint", server.endpoint, "--timeout", "5")
    assert "code:ClientNetworkError" in out and "SSL" in out
    assert len(server.calls) == 0
    assert "not TLS (https)" in server.rejections[-1]


# -- raw HTTP: abuse ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        (b"\x00\x01\x02garbage\xff\r\n\r\n", 400, "Bad request syntax"),
        (b"HELLO\r\n\r\n", 400, "Bad request syntax"),
        (b"   \r\n\r\n", 400, "is empty"),
        (b"GET / HTTP/x.y\r\n\r\n", 400, "Bad request version"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, "Invalid HTTP version"),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414, "exceeds 65536 bytes"),
        (b"GET / HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n", 431, "Line too long"),
        (b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400, "'-1' is not a byte count"),
        (b"POST / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n", 400, "is not a byte count"),
        (b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411, "chunked"),
        (b"GET http://[::1/ HTTP/1.1\r\n\r\n", 400, "Bad request target"),
        (b"GET /\r\n", 400, "has no HTTP version (HTTP/0.9)"),  # answered at once
        (b"POST /\r\n", 400, "has no HTTP version (HTTP/0.9)"),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 400, "not TLS (https)"),
    ],
)
def test_what_is_not_http_gets_an_invalid_request_envelope(
    server: FakeServer, data: bytes, status: int, says: str
) -> None:
    got, headers, envelope = _answer(_raw(server, data))
    assert (got, _code(envelope), headers["Connection"]) == (status, "InvalidRequest", "close")
    assert says in envelope["Response"]["Error"]["Message"]
    assert len(server.calls) == 0 and len(server.rejections) == 1


def _post(body: bytes, extra: bytes = b"", method: bytes = b"POST") -> bytes:
    length = b"Content-Length: %d\r\n" % len(body)
    return method + b" / HTTP/1.1\r\nHost: h\r\n" + JSON_HEADERS + length + extra + b"\r\n" + body


def test_truncated_body_is_invalid_parameter_after_the_body_timeout(server: FakeServer) -> None:
    started = time.monotonic()
    request = _post(b'{"InstanceId": "ckafka-1"}').replace(b"Length: 26", b"Length: 100")
    status, _, envelope = _answer(_raw(server, request))
    assert 0.4 < time.monotonic() - started < 10  # waited out the 0.5 s body timeout
    assert (status, _code(envelope)) == (200, "InvalidParameter")
    assert envelope["Response"]["Error"]["Message"] == (
        "The request body is truncated: Content-Length is 100 but 26 bytes arrived within 0.5 s."
    )


def test_oversize_content_length_is_refused_without_reading_the_body() -> None:
    head = _post(b"").replace(b"Length: 0", b"Length: %d" % (11 * 1024 * 1024))
    with FakeServer(body_timeout=60.0) as server:
        started = time.monotonic()
        raw = _raw(server, head, wait=30)  # the body is never sent
        # reading it would wait out the 60 s body timeout
        assert time.monotonic() - started < 10
    status, headers, envelope = _answer(raw)
    assert (status, _code(envelope), headers["Connection"]) == (
        200,
        "RequestSizeLimitExceeded",
        "close",
    )
    assert "exceeds 10485760 bytes: Content-Length is 11534336" in str(envelope)


def test_an_oversize_body_that_is_sent_still_gets_the_answer(server: FakeServer) -> None:
    headers = {
        "X-TC-Action": "DescribeRegion",
        "X-TC-Version": "2019-08-19",
        "Content-Type": "application/json",
    }
    body = b"{}" + b" " * MAX_BODY_BYTES  # 2 bytes over; body[:-2] is exactly 10 MB
    response = requests.post(server.url, data=body, headers=headers, timeout=10)
    assert _code(response.json()) == "RequestSizeLimitExceeded"
    exactly = requests.post(server.url, data=body[:-2], headers=headers, timeout=10)
    assert "Error" not in exactly.json()["Response"]  # 10 MB itself is allowed


@pytest.mark.parametrize(
    ("request_bytes", "code"),
    [
        (_post(b"{bad json}"), "InvalidParameter"),
        (_post(b"[1, 2]"), "InvalidParameter"),
        (_post(b"\xff\xfe"), "InvalidParameter"),
        (_post(b"{}", method=b"PUT"), "UnsupportedProtocol"),
        (_post(b"", method=b"DELETE"), "UnsupportedProtocol"),
        (_post(b"{}").replace(b"2019-08-19", b"2017-03-12"), "NoSuchVersion"),
    ],
)
def test_bad_requests_get_the_core_error(
    server: FakeServer, request_bytes: bytes, code: str
) -> None:
    status, _, envelope = _answer(_raw(server, request_bytes + b""))
    assert (status, _code(envelope)) == (200, code)
    assert server.calls[-1].error_code == code  # the core answered, so it is a recorded call


def _keep_alive(server: FakeServer) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(*_address(server), timeout=5)


def test_head_gets_headers_only_and_the_connection_stays_usable(server: FakeServer) -> None:
    conn = _keep_alive(server)
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    conn.request("HEAD", "/", headers=headers)
    head = conn.getresponse()
    assert (head.status, head.getheader("Content-Length"), head.read()) == (200, "0", b"")
    conn.request("POST", "/", b"{}", {**headers, "Content-Type": "application/json"})
    assert json.loads(conn.getresponse().read())["Response"]["Result"]
    assert [c.method for c in server.calls] == ["HEAD", "POST"]
    assert server.calls[0].error_code == "UnsupportedProtocol"
    conn.close()


def test_post_without_content_length_has_an_empty_body(server: FakeServer) -> None:
    request = b"POST / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n" + JSON_HEADERS + b"\r\n"
    status, _, envelope = _answer(_raw(server, request))
    assert status == 200 and "Result" in envelope["Response"]
    assert server.calls[-1].params == {}


@pytest.mark.parametrize(
    ("host", "url"),
    [
        (b"ckafka.tencentcloudapi.com", "http://ckafka.tencentcloudapi.com/"),
        (b"http://127.0.0.1:1/", None),  # what tccli sends for --endpoint http://...
        (b"\xff bad host", None),
    ],
)
def test_any_host_header_is_answered(server: FakeServer, host: bytes, url: str) -> None:
    request = _post(b"{}", b"Connection: close\r\n").replace(b"Host: h", b"Host: " + host)
    assert _answer(_raw(server, request))[0] == 200
    assert server.calls[-1].url == (url or server.url)


def test_http_1_0_keep_alive(server: FakeServer) -> None:
    request = _post(b"{}").replace(b"HTTP/1.1", b"HTTP/1.0")
    with socket.create_connection(_address(server), timeout=5) as sock:
        sock.sendall(request.replace(b"Host: h", b"Connection: keep-alive"))
        reply = sock.recv(65536)
        assert b"\r\nConnection: keep-alive\r\n" in reply
        sock.sendall(request)  # no keep-alive: answered, then closed
        assert b"\r\nConnection: close\r\n" in sock.recv(65536)
        assert sock.recv(1) == b""
    assert len(server.calls) == 2


def test_mutated_requests_always_get_an_envelope(server: FakeServer) -> None:
    """A bounded fuzz: random byte edits of a valid request never crash the server."""
    rng = random.Random(20190819)
    valid = _post(b'{"InstanceId": "ckafka-1", "Limit": 5}', b"Connection: close\r\n")
    for _ in range(150):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[at] = rng.randrange(256)
            elif choice < 0.7:
                del data[at : at + rng.randint(1, 8)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        if b"\r\n\r\n" not in data:
            data += b"\r\n\r\n"
        status, _, envelope = _answer(_raw(server, bytes(data)))
        assert status in (200, 400, 408, 411, 414, 431, 505)
        assert envelope["Response"]["RequestId"]
    assert list(server.problems) == []


def test_abuse_leaves_the_server_answering_and_stderr_quiet(
    server: FakeServer, capfd: pytest.CaptureFixture[str]
) -> None:
    for data in (b"\x00" * 100, b"GET / HTTP/1.1\r\n", _post(b"{", b"Connection: close\r\n")):
        with socket.create_connection(_address(server), timeout=5) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)  # half-closed mid-request
            while sock.recv(65536):
                pass
    with socket.create_connection(_address(server)) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\n")  # then vanish with a reset
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    assert _client(server).DescribeRegion(models.DescribeRegionRequest()).RequestId
    assert list(server.problems) == []
    assert capfd.readouterr().err == ""


# -- concurrency and shutdown ---------------------------------------------------------------


def test_concurrent_keep_alive_clients(server: FakeServer) -> None:
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    headers["Content-Type"] = "application/json"

    def client(_: int) -> list[str]:
        with requests.Session() as session:
            answers = [session.post(server.url, data=b"{}", headers=headers) for _ in range(25)]
        assert {a.status_code for a in answers} == {200}
        return [a.json()["Response"]["RequestId"] for a in answers]

    with ThreadPoolExecutor(8) as pool:
        ids = [rid for batch in pool.map(client, range(8)) for rid in batch]
    assert len(ids) == len(set(ids)) == 200
    assert {c.request_id for c in server.calls} == set(ids)


def test_stop_is_prompt_with_an_idle_keep_alive_client() -> None:
    fake = FakeServer().start()
    conn = _keep_alive(fake)
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    conn.request("POST", "/", b"{}", headers)
    conn.getresponse().read()
    started = time.monotonic()
    fake.stop()
    assert time.monotonic() - started < 10  # not the 60 s idle timeout
    assert [t for t in threading.enumerate() if "process_request" in t.name] == []
    with pytest.raises(requests.ConnectionError):
        requests.post(fake.url, timeout=1)
    conn.close()


def test_stop_is_prompt_while_a_timeout_fault_holds_a_connection() -> None:
    fake = FakeServer(fault_timeout=30).start()
    fake.fault("DescribeRegion", "timeout")
    errors: list[BaseException] = []

    def call() -> None:
        try:
            _client(fake, timeout=30).DescribeRegion(models.DescribeRegionRequest())
        except TencentCloudSDKException as exc:
            errors.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while not fake.calls:
        time.sleep(0.01)
    started = time.monotonic()
    fake.stop()
    caller.join(20)
    assert time.monotonic() - started < 10  # not the 30 s fault cap or client timeout
    assert [getattr(e, "code", None) for e in errors] == ["ClientNetworkError"]


def test_a_timeout_fault_holds_until_the_client_gives_up() -> None:
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    with FakeServer() as fake:
        assert fake.fault_timeout == 120.0  # past the SDK's default 60 s reqTimeout
        fake.fault("DescribeRegion", "timeout", times=1)
        with pytest.raises(requests.ReadTimeout):  # a timeout, not a reset or a close
            requests.post(fake.url, data=b"{}", headers=headers, timeout=1)
        deadline = time.monotonic() + 10
        while fake.open_connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert fake.open_connections == 0  # the client closed: the holding thread ended
        assert requests.post(fake.url, data=b"{}", headers=headers, timeout=5).ok


def test_the_timeout_fault_cap_closes_the_connection() -> None:
    with FakeServer(fault_timeout=0.3) as fake:
        fake.fault("DescribeRegion", "timeout", times=1)
        started = time.monotonic()
        with pytest.raises(TencentCloudSDKException) as info:
            _client(fake, timeout=60).DescribeRegion(models.DescribeRegionRequest())
        assert 0.25 < time.monotonic() - started < 10  # the 0.3 s cap, not the 60 s timeout
        assert info.value.code == "ClientNetworkError"


def test_a_retry_storm_is_ended_with_a_code_no_policy_retries() -> None:
    fake = FakeServer().start()
    client = _client(fake)
    ended_by: list[str] = []

    def retries_forever() -> Any:
        while True:
            try:
                return client.DescribeTopic(_describe_topic())
            except TencentCloudSDKException as exc:
                if exc.code != "ResourceInUse":
                    ended_by.append(exc.code)
                    raise

    try:
        with pytest.raises(CKafkaAssertionError, match="the client retried it"):
            fake.assert_handles("ResourceInUse", retries_forever, policy={"ResourceInUse": "raise"})
    finally:
        fake.stop()
    assert ended_by == ["FailedOperation"]  # InternalError would be retried by the policy
    (storm,) = fake.problems
    assert storm.startswith("retry storm: pytest-ckafka: DescribeTopic was attempted")
    with pytest.raises(CKafkaAssertionError, match="retry storm"):
        fake.verify()


def test_ipv6_loopback() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        fake = FakeServer("::1").start()
    except CKafkaUsageError as exc:
        pytest.skip(str(exc))
    with fake:
        assert fake.url.startswith("http://[::1]:")
        assert _client(fake).DescribeRegion(models.DescribeRegionRequest()).RequestId


def test_problems_fail_verify(server: FakeServer) -> None:
    server._note(server.problems, "internal error: boom")
    with pytest.raises(CKafkaAssertionError, match="internal error: boom"):
        server.verify()
    server.reset()
    assert list(server.problems) == [] and list(server.rejections) == []


# -- the control API and credentials --------------------------------------------------------


def _control(server: FakeServer, method: str, path: str, body: bytes = b"") -> tuple[int, Any]:
    conn = http.client.HTTPConnection(*_address(server), timeout=5)
    try:
        conn.request(method, path, body or None)
        answer = conn.getresponse()
        assert answer.getheader("Content-Type") == "application/json"
        return answer.status, json.loads(answer.read())
    finally:
        conn.close()


def test_the_control_api_is_routed_and_not_logged_as_calls(server: FakeServer) -> None:
    entry = b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", "times": 1}'
    assert _control(server, "POST", "/_ckafka/stubs", entry)[0] == 200
    with pytest.raises(TencentCloudSDKException) as info:
        request = models.DeleteTopicRequest()
        request.InstanceId, request.TopicName = "ckafka-1", "t"
        _client(server).DeleteTopic(request)
    assert info.value.code == "ResourceInUse"
    status, log = _control(server, "GET", "/_ckafka/calls")
    assert status == 200 and [c["action"] for c in log["calls"]] == ["DeleteTopic"]
    assert [call.action for call in server.calls] == ["DeleteTopic"]
    assert _control(server, "GET", "/_ckafka/nope")[0] == 404
    assert _control(server, "POST", "/_ckafka/stubs", b"{")[1] == {
        "error": "the request body is not valid JSON: Expecting property name enclosed in "
        "double quotes: line 1 column 2 (char 1)"
    }
    assert len(server.calls) == 1 and list(server.rejections) == []


def test_the_control_api_keeps_the_connection_alive(server: FakeServer) -> None:
    conn = http.client.HTTPConnection(*_address(server), timeout=5)
    try:
        for method in ("GET", "HEAD", "GET"):  # a HEAD answer has no body to break the framing
            conn.request(method, "/_ckafka/health")
            answer = conn.getresponse()
            body = answer.read()
            assert (answer.status, bool(body)) == (200, method == "GET")
    finally:
        conn.close()


def test_strict_auth_and_credentials_are_stored() -> None:
    fake = FakeServer(strict_auth=True)
    assert fake.strict_auth is True and FakeServer().strict_auth is False
    fake.add_credentials("AKIDone", "k1")
    fake.add_credentials("AKIDtwo", "k2", token="tok", token_expires_at=2_000_000_000)
    fake.add_credentials("AKIDone", "k1-rotated")
    stored = {c.secret_id: (c.secret_key, c.token, c.token_expires_at) for c in fake.credentials}
    assert stored == {"AKIDone": ("k1-rotated", None, None), "AKIDtwo": ("k2", "tok", 2e9)}
    fake.reset()
    assert len(fake.credentials) == 2  # configuration, not test state
    with pytest.raises(CKafkaUsageError, match="secret_key must be a non-empty string"):
        fake.add_credentials("AKIDthree", "")


def _signed_client(
    server: FakeServer, secret_key: str, sign_method: str = "TC3-HMAC-SHA256"
) -> Any:
    from tencentcloud.ckafka.v20190819 import ckafka_client
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    profile = ClientProfile(
        signMethod=sign_method,
        httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http"),
    )
    return ckafka_client.CkafkaClient(
        credential.Credential("AKIDserver", secret_key), "ap-guangzhou", profile
    )


@pytest.mark.parametrize("sign_method", ["TC3-HMAC-SHA256", "HmacSHA1", "HmacSHA256"])
def test_strict_auth_over_http(sign_method: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tencentcloud.ckafka.v20190819 import models
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )

    with FakeServer(strict_auth=True) as server:
        server.add_credentials("AKIDserver", "right-key")
        request = models.DescribeInstancesRequest()
        assert _signed_client(server, "right-key", sign_method).DescribeInstances(request)
        with pytest.raises(TencentCloudSDKException) as wrong:
            _signed_client(server, "wrong-key", sign_method).DescribeInstances(request)
        assert wrong.value.code == "AuthFailure.SignatureFailure"
        server._auth_now = lambda: time.time() + 600  # the server's clock is 10 minutes ahead
        with pytest.raises(TencentCloudSDKException) as skewed:
            _signed_client(server, "right-key", sign_method).DescribeInstances(request)
        assert skewed.value.code == "AuthFailure.SignatureExpire"
        assert [c.error_code for c in server.calls] == [
            None,
            "AuthFailure.SignatureFailure",
            "AuthFailure.SignatureExpire",
        ]
