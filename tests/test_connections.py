"""Slow clients and many connections: FakeServer's read deadline and connection cap.

Raw sockets on loopback with short configured limits, so each test is quick. No
timing is asserted beyond generous "answered before the slow client finished"
bounds; the checks are on what a client reads and on the server's open connections.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import requests
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka.exceptions import CKafkaUsageError
from pytest_ckafka.server.connections import ConnectionCap
from pytest_ckafka.server.http import HEADER_TIMEOUT, MAX_CONNECTIONS, FakeServer

REQUEST = (
    b"POST / HTTP/1.1\r\nHost: h\r\nX-TC-Action: DescribeRegion\r\nX-TC-Version: 2019-08-19\r\n"
    b"Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
)
WAIT = 10.0  # seconds: a generous bound on every wait, for a loaded CI machine


def _connect(server: FakeServer) -> socket.socket:
    host, port = server.endpoint.rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=WAIT)


def _read_answer(sock: socket.socket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """One whole answer: status, headers, JSON body."""
    raw = b""
    while True:
        head, sep, body = raw.partition(b"\r\n\r\n")
        length = re.search(rb"\r\nContent-Length: (\d+)", head)
        if sep and length and len(body) >= int(length.group(1)):
            break
        chunk = sock.recv(65536)
        assert chunk, f"closed before a whole answer: {raw!r}"
        raw += chunk
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, json.loads(body[: int(length.group(1))])


def _until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"not within {WAIT} s: {what}"
        time.sleep(0.01)


def _closed_by_server(sock: socket.socket) -> bool:
    """True when the server has closed ``sock`` (end-of-file or reset), waiting up to WAIT."""
    sock.settimeout(WAIT)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


# -- the request head deadline ------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b"POST / HTTP/1.1\r\nHost: h\r\nX-Slow: " + b"a" * 200,  # headers that never end
        b"POST /" + b"a" * 200,  # a request line that never ends
    ],
    ids=["headers", "request-line"],
)
def test_a_request_head_trickled_a_byte_at_a_time_gets_408_at_the_deadline(head: bytes) -> None:
    # Each byte comes well within body_timeout and idle_timeout: only a deadline on the
    # whole head ends it. Before, each byte restarted a per-read timeout: forever.
    with FakeServer(header_timeout=0.5, body_timeout=5, idle_timeout=5) as server:
        with _connect(server) as sock:
            sent = 0
            while sent < len(head) and not select.select([sock], [], [], 0)[0]:
                sock.sendall(head[sent : sent + 1])
                sent += 1
                time.sleep(0.05)
            assert sent < len(head), "the trickle was never cut off"
            status, headers, body = _read_answer(sock)
            assert _closed_by_server(sock)
        _until(lambda: server.open_connections == 0, "the connection's thread ended")
    assert (status, headers["Connection"]) == (408, "close")
    assert body["Response"]["Error"] == {
        "Code": "InvalidRequest",
        "Message": "The request line and headers did not arrive within 0.5 s of their first "
        "byte (header_timeout).",
    }
    assert list(server.rejections) == [f"InvalidRequest: {body['Response']['Error']['Message']}"]


def test_the_deadline_starts_at_the_first_byte_not_at_connect() -> None:
    # An idle keep-alive may wait idle_timeout for its next request; the head deadline
    # only starts when that request begins.
    with FakeServer(header_timeout=0.3, idle_timeout=5) as server, _connect(server) as sock:
        sock.sendall(REQUEST)
        assert _read_answer(sock)[0] == 200
        time.sleep(0.5)  # idle longer than header_timeout
        sock.sendall(REQUEST)
        assert _read_answer(sock)[0] == 200


def test_the_defaults() -> None:
    server = FakeServer()
    assert (server.header_timeout, server.max_connections, server.fault_timeout) == (
        HEADER_TIMEOUT,
        MAX_CONNECTIONS,
        120.0,
    )
    assert (HEADER_TIMEOUT, MAX_CONNECTIONS) == (10.0, 256)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"header_timeout": 0}, "header_timeout must be a positive number of seconds, got 0"),
        (
            {"header_timeout": float("inf")},
            "header_timeout must be a positive number of seconds, got inf",
        ),
        ({"fault_timeout": float("nan")}, "fault_timeout must be a positive number of seconds"),
        ({"max_connections": 0}, "max_connections must be a positive integer, got 0"),
        ({"max_connections": 2.5}, "max_connections must be a positive integer, got 2.5"),
        ({"max_connections": True}, "max_connections must be a positive integer, got True"),
    ],
)
def test_bad_limits_are_usage_errors(options: dict[str, Any], message: str) -> None:
    with pytest.raises(CKafkaUsageError, match=re.escape(message)):
        FakeServer(**options)


# -- the connection cap ---------------------------------------------------------------------


@pytest.fixture
def capped() -> Iterator[FakeServer]:
    """A server capped at 3 connections, with a long head deadline so busy ones stay busy."""
    with FakeServer(max_connections=3, header_timeout=30) as server:
        yield server


def _busy(server: FakeServer, stack: ExitStack, count: int) -> list[socket.socket]:
    """``count`` connections each in the middle of a request head (so none is idle)."""
    socks = []
    for _ in range(count):  # the request starts at once: never idle, so never closed for room
        socks.append(stack.enter_context(_connect(server)))
        socks[-1].sendall(b"POST / HTTP/1.1\r\nHost: h\r\n")
    _until(lambda: server.open_connections == count, f"{count} connections open")
    return socks


REFUSAL = (
    "The server has 3 open connections, its limit (FakeServer(max_connections=3), "
    "pytest-ckafka serve --max-connections 3) and none is idle: retry later, close unused "
    "connections, or raise the limit."
)


def test_past_the_cap_a_new_connection_is_answered_503_at_once(capped: FakeServer) -> None:
    with ExitStack() as stack:
        busy = _busy(capped, stack, 3)
        with _connect(capped) as sock:
            sock.sendall(REQUEST)
            status, headers, body = _read_answer(sock)
            assert _closed_by_server(sock)
        assert (status, headers["Connection"], headers["Retry-After"]) == (503, "close", "1")
        assert body["Response"]["Error"] == {"Code": "RequestLimitExceeded", "Message": REFUSAL}
        assert capped.rejections[-1] == f"RequestLimitExceeded: {REFUSAL}"
        assert capped.open_connections == 3

        answer = requests.post(capped.url, data=b"{}", timeout=WAIT)  # what requests sees
        assert answer.status_code == 503
        assert answer.json()["Response"]["Error"]["Code"] == "RequestLimitExceeded"

        busy[0].sendall(b"\r\n")  # its request ends and is answered; then it closes
        _read_answer(busy[0])
        busy[0].close()  # room again: the next connection is served
        _until(lambda: capped.open_connections == 2, "the closed connection's thread ended")
        with _connect(capped) as sock:
            sock.sendall(REQUEST)
            assert _read_answer(sock)[0] == 200
        assert len(capped.calls) == 2  # the refusals never reached the core
        assert [r.split(":")[0] for r in capped.rejections] == ["RequestLimitExceeded"] * 2


def test_the_sdk_sees_the_refusal_as_a_server_network_error(capped: FakeServer) -> None:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=capped.endpoint, protocol="http"))
    client = ckafka_client.CkafkaClient(credential.Credential("AKID", "k"), "ap-guangzhou", profile)
    with ExitStack() as stack:
        _busy(capped, stack, 3)
        with pytest.raises(TencentCloudSDKException) as info:
            client.DescribeRegion(models.DescribeRegionRequest())
    # A non-200 status: the SDK's StandardRetryer retries ServerNetworkError.
    assert info.value.code == "ServerNetworkError"
    assert "RequestLimitExceeded" in str(info.value.message)
    assert "--max-connections 3" in str(info.value.message)


def test_at_the_cap_the_longest_idle_keep_alive_is_closed_to_make_room(
    capped: FakeServer,
) -> None:
    with ExitStack() as stack:
        idle = [stack.enter_context(_connect(capped)) for _ in range(3)]
        for sock in idle:  # each served once, then idle, oldest first
            sock.sendall(REQUEST)
            assert _read_answer(sock)[0] == 200
            time.sleep(0.1)  # so "longest idle" is plain, whatever the thread scheduling
        with _connect(capped) as newcomer:
            newcomer.sendall(REQUEST)
            assert _read_answer(newcomer)[0] == 200  # served, not refused
            assert _closed_by_server(idle[0])  # the longest idle made room
            for sock in idle[1:]:  # the others are still served on the same connection
                sock.sendall(REQUEST)
                assert _read_answer(sock)[0] == 200
    assert list(capped.rejections) == []


def test_a_keep_alive_pool_reconnects_after_its_idle_connection_made_room(
    capped: FakeServer,
) -> None:
    headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}
    with requests.Session() as pool, ExitStack() as stack:
        assert pool.post(capped.url, data=b"{}", headers=headers, timeout=WAIT).ok
        time.sleep(0.1)  # so the pool's connection is plainly the longest idle
        others = []
        for _ in range(3):  # the third closes the pool's idle connection to make room
            others.append(stack.enter_context(_connect(capped)))
            others[-1].sendall(REQUEST)
            assert _read_answer(others[-1])[0] == 200
        _until(lambda: capped.open_connections == 3, "the pool's connection closed")
        others[0].close()  # room for the pool's new connection
        _until(lambda: capped.open_connections == 2, "a connection closed")
        assert pool.post(capped.url, data=b"{}", headers=headers, timeout=WAIT).ok


def test_a_flood_of_connections_costs_no_thread_each() -> None:
    with FakeServer(max_connections=4, header_timeout=30) as server, ExitStack() as stack:
        baseline = threading.active_count()
        socks = []
        for _ in range(40):  # each starts a request at once, so none is idle to be closed
            socks.append(stack.enter_context(_connect(server)))
            socks[-1].sendall(b"POST / HTTP/1.1\r\n")
        refused = 0
        for sock in socks[4:]:
            status, _, body = _read_answer(sock)
            refused += (status, body["Response"]["Error"]["Code"]) == (503, "RequestLimitExceeded")
        assert refused == 36
        assert server.open_connections == 4
        assert threading.active_count() <= baseline + 4  # one thread per admitted connection


def test_a_flood_of_idle_connections_keeps_the_newest() -> None:
    with FakeServer(max_connections=4, idle_timeout=30) as server, ExitStack() as stack:
        baseline = threading.active_count()
        socks = [stack.enter_context(_connect(server)) for _ in range(20)]
        for sock in socks[:16]:
            assert _closed_by_server(sock)
        _until(lambda: server.open_connections == 4, "the closed connections' threads ended")
        assert threading.active_count() <= baseline + 4
        socks[-1].sendall(REQUEST)
        assert _read_answer(socks[-1])[0] == 200  # the newest is served


def test_the_cap_counts_exactly() -> None:
    cap = ConnectionCap(2)
    pairs = [socket.socketpair() for _ in range(3)]
    a, b, c = (mine for mine, _ in pairs)
    try:
        assert cap.admit(a) and cap.busy(a) and cap.admit(b) and cap.busy(b)
        assert not cap.admit(c) and cap.count == 2  # both busy: no room
        cap.idle(a)
        assert cap.admit(c) and cap.count == 3  # a, closed to make room, until its thread ends
        assert not cap.busy(a)  # a's thread learns it was closed
        cap.release(a)
        assert cap.count == 2
    finally:
        for pair in pairs:
            for sock in pair:
                sock.close()


def test_headers_cut_off_by_the_end_of_input_are_refused_not_answered_as_a_call() -> None:
    """http.server takes the end of input for the blank line; a half-sent request is no call."""
    with FakeServer() as server, _connect(server) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: h\r\nX-TC-Action: DescribeRegion\r\n")
        sock.shutdown(socket.SHUT_WR)
        status, _, body = _read_answer(sock)
        assert (status, body["Response"]["Error"]["Code"]) == (400, "InvalidRequest")
        assert body["Response"]["Error"]["Message"] == (
            "The connection closed before the blank line that ends the headers."
        )
        assert len(server.calls) == 0
