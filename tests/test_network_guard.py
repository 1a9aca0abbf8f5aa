"""Tests for ``pytest_ckafka.cassettes.network_guard``: replay reaches no CKafka host, any client.

The plugin tests run through pytester with a cassette in replay mode, against a
loopback FakeServer registered as a CKafka endpoint, with urllib, http.client,
raw sockets and asyncio. A backstop under the guard (installed first, so the
guard calls it for what it lets through) makes sure no test ever resolves or
reaches a real host, even when the guard is missing.
"""

from __future__ import annotations

import asyncio
import socket
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml  # also keeps one PyYAML (and its C emitter) loaded across pytester's in-process runs

from pytest_ckafka.api.hosts import Endpoints
from pytest_ckafka.cassettes.network_guard import NetworkGuard
from pytest_ckafka.exceptions import CKafkaAssertionError, CKafkaUsageError, NetworkBlockedError
from pytest_ckafka.server.http import FakeServer

BACKSTOP = textwrap.dedent(
    """
    import socket

    import pytest


    @pytest.fixture(autouse=True)
    def backstop(monkeypatch):
        real = socket.getaddrinfo

        def loopback_only(host, *args, **kwargs):
            if host not in ("127.0.0.1", "localhost", "::1"):
                raise AssertionError(f"backstop: the guard let through {host!r}")
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    """
)

CLIENTS = textwrap.dedent(
    """
    import asyncio
    import http.client
    import os
    import socket
    import urllib.request

    import pytest

    CKAFKA = os.environ["CKAFKA_TEST_ENDPOINT"]  # registered: a CKafka endpoint
    OTHER = os.environ["OTHER_ENDPOINT"]  # a loopback server that is not CKafka's
    PUBLIC = "https://ckafka.ap-guangzhou.tencentcloudapi.com/"
    HEADERS = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19",
               "Content-Type": "application/json"}


    def address(endpoint):
        host, port = endpoint.rsplit(":", 1)
        return host, int(port)


    @pytest.mark.ckafka_cassette("guarded")
    def test_urllib_public(ckafka):
        urllib.request.urlopen(urllib.request.Request(PUBLIC, b"{}", HEADERS), timeout=5)


    @pytest.mark.ckafka_cassette("guarded")
    def test_urllib_registered(ckafka):
        request = urllib.request.Request(f"http://{CKAFKA}/", b"{}", HEADERS)
        urllib.request.urlopen(request, timeout=5)


    @pytest.mark.ckafka_cassette("guarded")
    def test_http_client_registered(ckafka):
        connection = http.client.HTTPConnection(*address(CKAFKA), timeout=5)
        connection.request("POST", "/", b"{}", HEADERS)
        connection.getresponse()


    @pytest.mark.ckafka_cassette("guarded")
    def test_raw_socket_registered(ckafka):
        socket.create_connection(address(CKAFKA), timeout=5).close()


    @pytest.mark.ckafka_cassette("guarded")
    def test_raw_socket_public(ckafka):
        socket.create_connection(("ckafka.tencentcloudapi.com", 443), timeout=5).close()


    @pytest.mark.ckafka_cassette("guarded")
    def test_asyncio_registered(ckafka):
        async def connect():
            _, writer = await asyncio.open_connection(*address(CKAFKA))
            writer.close()

        asyncio.run(connect())


    @pytest.mark.ckafka_cassette("guarded")
    def test_other_loopback_is_left_alone(ckafka):
        connection = http.client.HTTPConnection(*address(OTHER), timeout=5)
        connection.request("POST", "/", b"{}", HEADERS)
        assert connection.getresponse().status == 200
    """
)


@pytest.fixture
def servers() -> Iterator[tuple[FakeServer, FakeServer]]:
    with FakeServer(assert_all_used=False) as ckafka, FakeServer(assert_all_used=False) as other:
        yield ckafka, other


@pytest.fixture
def project(
    pytester: pytest.Pytester,
    servers: tuple[FakeServer, FakeServer],
    monkeypatch: pytest.MonkeyPatch,
) -> pytest.Pytester:
    ckafka, other = servers
    monkeypatch.setenv("CKAFKA_TEST_ENDPOINT", ckafka.endpoint)
    monkeypatch.setenv("OTHER_ENDPOINT", other.endpoint)
    pytester.makeini(f"[pytest]\nckafka_endpoints =\n    {ckafka.endpoint}\n")
    pytester.makeconftest(BACKSTOP)
    pytester.makepyfile(test_guard=CLIENTS)
    return pytester


def _refusal(test: str, host: str) -> str:
    return (
        rf"^E\s+.*pytest-ckafka: test_guard\.py::{test} tried to reach the CKafka host "
        rf"{host} while replaying cassettes/guarded\.yaml \(record mode 'none'\): a replay "
        r"never reaches CKafka\.>?$"
    )


def test_replay_refuses_ckafka_hosts_from_any_client(
    project: pytest.Pytester, servers: tuple[FakeServer, FakeServer]
) -> None:
    ckafka, other = servers
    result = project.runpytest()
    result.assert_outcomes(passed=1, failed=6)
    endpoint = ckafka.endpoint.replace(".", r"\.")
    public = r"ckafka\.ap-guangzhou\.tencentcloudapi\.com:443"
    for test, host in [
        ("test_urllib_public", public),
        ("test_urllib_registered", endpoint),
        ("test_http_client_registered", endpoint),
        ("test_raw_socket_registered", endpoint),
        ("test_raw_socket_public", r"ckafka\.tencentcloudapi\.com:443"),
        ("test_asyncio_registered", endpoint),
    ]:
        result.stdout.re_match_lines([_refusal(test, host)])
    result.stdout.re_match_lines(
        [r"^E\s+.*NetworkBlockedError: pytest-ckafka: test_guard\.py::test_raw_socket_public .*"]
    )
    result.stdout.no_re_match_line(r".*backstop: the guard let through.*")
    assert len(ckafka.calls) == 0
    assert len(other.calls) == 1  # unregistered loopback: not CKafka's, left alone


def test_recording_reaches_the_registered_endpoint(
    project: pytest.Pytester, servers: tuple[FakeServer, FakeServer]
) -> None:
    ckafka, _ = servers
    result = project.runpytest("--ckafka-record-mode=new_episodes", "-k", "http_client or raw")
    # Recording: the registered endpoint is reachable; the public host reaches the backstop.
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.re_match_lines([r"^E\s+AssertionError: backstop: the guard let through .*"])
    assert len(ckafka.calls) == 1
    recorded = yaml.safe_load((project.path / "cassettes" / "guarded.yaml").read_text())
    assert [i["request"]["uri"] for i in recorded["interactions"]] == [f"http://{ckafka.endpoint}/"]


def test_the_guard_is_gone_after_the_test(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_after=textwrap.dedent(
            """
            import os
            import socket


            def test_after(ckafka):
                host, port = os.environ["CKAFKA_TEST_ENDPOINT"].rsplit(":", 1)
                socket.create_connection((host, int(port)), timeout=5).close()
            """
        )
    )
    project.runpytest("test_guard.py::test_raw_socket_registered", "test_after.py").assert_outcomes(
        passed=1, failed=1
    )


BLOCKING = textwrap.dedent(
    """
    import http.client
    import os
    import socket

    import pytest

    OTHER = os.environ["OTHER_ENDPOINT"]


    def other():
        host, port = OTHER.rsplit(":", 1)
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        connection.request("POST", "/", b"{}", {"X-TC-Action": "DescribeRegion"})
        return connection.getresponse().status


    @pytest.mark.ckafka_cassette("guarded")
    def test_remote_refused(ckafka):
        assert other() == 200  # loopback stays reachable
        socket.create_connection(("db.example.com", 5432), timeout=5)


    @pytest.mark.ckafka_cassette("guarded", allowed_hosts=["db.example.com"])
    def test_remote_allowed(ckafka):
        socket.create_connection(("db.example.com", 5432), timeout=5)


    @pytest.mark.ckafka_cassette("guarded", block_network=False)
    def test_marker_turns_it_off(ckafka):
        socket.create_connection(("db.example.com", 5432), timeout=5)
    """
)


@pytest.mark.parametrize(
    ("args", "ini"),
    [([], "ckafka_block_network = true\n"), (["--ckafka-block-network"], "")],
    ids=["ini", "command-line"],
)
def test_block_network_refuses_every_host_but_loopback(
    project: pytest.Pytester, args: list[str], ini: str
) -> None:
    project.makepyfile(test_block=BLOCKING)
    project.makeini(project.path.joinpath("tox.ini").read_text(encoding="utf-8") + "\n" + ini)
    result = project.runpytest("test_block.py", *args)
    result.assert_outcomes(failed=3)
    result.stdout.re_match_lines(
        [
            r"^E\s+pytest_ckafka\.exceptions\.NetworkBlockedError: pytest-ckafka: "
            r"test_block\.py::test_remote_refused tried to reach db\.example\.com:5432 while "
            r"replaying cassettes/guarded\.yaml \(record mode 'none'\) with block_network: only "
            r"loopback and the allowed hosts \(none\) are reachable\.$",
            r'^E\s+Add "db\.example\.com" to the ckafka_cassette marker\'s allowed_hosts or to '
            r"the ini option ckafka_allowed_hosts, or turn block_network off for this test\.$",
        ]
    )
    # allowed, and not blocked: the guard lets them through to the backstop
    result.stdout.re_match_lines(
        [r"^E\s+AssertionError: backstop: the guard let through 'db\.example\.com'$"] * 2
    )


def test_an_unknown_marker_option_is_named(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.ckafka_cassette(block_networks=True)
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [r'^E\s+.*unknown option "block_networks": did you mean "block_network"\?.*']
    )


# -- the guard without pytest ----------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, int]]:
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[:2]


def test_error_type() -> None:
    assert issubclass(NetworkBlockedError, CKafkaAssertionError)
    assert issubclass(NetworkBlockedError, ConnectionRefusedError)


def test_refuses_resolution_of_public_names_on_any_port() -> None:
    guard = NetworkGuard(Endpoints(), nodeid="t.py::t", cassette=Path("c.yaml"))
    with guard:
        for call in (
            lambda: socket.getaddrinfo("CKafka.tencentcloudapi.com.", 8443),
            lambda: socket.getaddrinfo(b"ckafka.intl.tencentcloudapi.com", "https"),
            lambda: socket.gethostbyname("ckafka.ap-shanghai.tencentcloudapi.com"),
            lambda: socket.gethostbyname_ex("ckafka.tencentcloudapi.com"),
        ):
            with pytest.raises(NetworkBlockedError, match=r"^pytest-ckafka: t\.py::t tried"):
                call()


def test_registered_endpoints_are_refused_on_their_port_only(listener: tuple[str, int]) -> None:
    host, port = listener
    with socket.create_server(("127.0.0.1", 0)) as other:
        other_port = other.getsockname()[1]
        with NetworkGuard(Endpoints([f"{host}:{port}"])):
            with pytest.raises(NetworkBlockedError, match=rf"CKafka host {host}:{port} "):
                socket.create_connection((host, port))
            with socket.socket() as sock, pytest.raises(NetworkBlockedError):
                sock.connect_ex((host, port))
            socket.create_connection((host, other_port)).close()
        socket.create_connection((host, port)).close()  # uninstalled


@pytest.mark.parametrize(
    "spelling", ["localhost", "127.1", "2130706433", "0.0.0.0", "127.000.000.001", "LocalHost"]
)
@pytest.mark.parametrize("method", ["connect", "connect_ex"])
def test_every_spelling_of_a_registered_loopback_endpoint_is_refused(
    listener: tuple[str, int], spelling: str, method: str
) -> None:
    # The guard compared strings: a raw socket to "127.1" or "localhost" reached the endpoint.
    host, port = listener
    with NetworkGuard(Endpoints([f"{host}:{port}"])):
        with socket.socket() as sock, pytest.raises(NetworkBlockedError, match=f":{port} while"):
            getattr(sock, method)((spelling, port))
        with socket.create_server(("127.0.0.1", 0)) as other:  # another port: not CKafka's
            socket.create_connection((spelling, other.getsockname()[1])).close()


def test_an_ipv4_mapped_ipv6_spelling_is_refused(listener: tuple[str, int]) -> None:
    host, port = listener
    try:
        probe = socket.socket(socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6")
    with probe, NetworkGuard(Endpoints([f"{host}:{port}"])):
        with pytest.raises(NetworkBlockedError, match=f":{port} while"):
            probe.connect(("::ffff:127.0.0.1", port))


def test_a_registered_name_is_refused_by_any_address_it_resolves_to(
    listener: tuple[str, int],
) -> None:
    _, port = listener
    with NetworkGuard(Endpoints([f"localhost:{port}"])):
        with socket.socket() as sock, pytest.raises(NetworkBlockedError):
            sock.connect(("127.0.0.1", port))


def test_a_registered_name_is_refused_when_looked_up_without_a_port() -> None:
    with NetworkGuard(Endpoints(["localhost:9100"])):
        with pytest.raises(NetworkBlockedError, match="CKafka host localhost while"):
            socket.gethostbyname("localhost")
        assert socket.getaddrinfo("localhost", 9200)  # another port: not CKafka's


def test_ipv6_endpoints() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        server = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback")
    with server:
        port = server.getsockname()[1]
        with NetworkGuard(Endpoints([f"[::1]:{port}"])):
            with pytest.raises(NetworkBlockedError, match=rf"CKafka host \[::1\]:{port} "):
                socket.create_connection(("::1", port))


def test_an_endpoint_added_during_the_test_is_guarded(listener: tuple[str, int]) -> None:
    host, port = listener
    endpoints = Endpoints()
    with NetworkGuard(endpoints):
        socket.create_connection((host, port)).close()
        endpoints.add(f"{host}:{port}")
        with pytest.raises(NetworkBlockedError):
            socket.create_connection((host, port))


def test_asyncio_resolution_is_refused() -> None:
    async def connect() -> Any:
        return await asyncio.open_connection("ckafka.tencentcloudapi.com", 443)

    with NetworkGuard(Endpoints()), pytest.raises(NetworkBlockedError):
        asyncio.run(connect())


def test_block_network_allows_the_addresses_of_allowed_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Below the guard: a resolver and a connect that never leave the machine.
    connected: list[Any] = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.9.8.7", port))
        ],
    )
    monkeypatch.setattr(socket.socket, "connect", lambda sock, address: connected.append(address))
    guard = NetworkGuard(Endpoints(), block_network=True, allowed_hosts=["DB.Internal"])
    with guard, socket.socket() as sock:
        sock.connect(("127.0.0.1", 1))  # loopback
        with pytest.raises(NetworkBlockedError, match=r"tried to reach 10\.9\.8\.7:5432 "):
            sock.connect(("10.9.8.7", 5432))  # not yet known as db.internal's
        socket.getaddrinfo("db.internal", 5432)
        sock.connect(("10.9.8.7", 5432))
        with pytest.raises(NetworkBlockedError, match=r"allowed hosts \(db\.internal\)"):
            socket.getaddrinfo("other.internal", 5432)
        with pytest.raises(NetworkBlockedError, match=r"CKafka host"):
            socket.getaddrinfo("ckafka.tencentcloudapi.com", 443)  # CKafka's: never allowed
    assert connected == [("127.0.0.1", 1), ("10.9.8.7", 5432)]


@pytest.mark.parametrize(
    ("hosts", "message"),
    [
        (
            "db.internal",
            "allowed_hosts must be a list of host names or IP addresses, got the "
            "string 'db.internal'; write allowed_hosts=[\"db.internal\"]",
        ),
        (["http://db.internal/"], "allowed_hosts: 'http://db.internal/' is not a host name"),
        ([""], "allowed_hosts: '' is not a host name"),
        ([5], "allowed_hosts: 5 is not a host name"),
    ],
)
def test_bad_allowed_hosts(hosts: Any, message: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        NetworkGuard(Endpoints(), allowed_hosts=hosts)
    assert str(info.value).startswith(message)


def test_uninstall_restores_what_was_there() -> None:
    before = (socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex)
    guard = NetworkGuard(Endpoints()).install()
    assert guard.install() is guard  # twice is once
    assert socket.getaddrinfo is not before[0]
    guard.uninstall()
    guard.uninstall()
    assert (socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex) == before
