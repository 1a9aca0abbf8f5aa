"""Tests for ``pytest_ckafka.api.hosts``."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest
import responses
import respx
from tencentcloud.ckafka.v20190819 import ckafka_client, models
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka.api.hosts import DEFAULT_HOST_PATTERNS, Endpoints, normal_host
from pytest_ckafka.exceptions import CKafkaUsageError

# Requests are captured in-process; a socket opened to the internet would be a bug.
pytestmark = pytest.mark.usefixtures("no_network")

PUBLIC_HOSTS = [
    "ckafka.tencentcloudapi.com",
    "ckafka.ap-guangzhou.tencentcloudapi.com",
    "ckafka.na-siliconvalley.tencentcloudapi.com",
    "ckafka.intl.tencentcloudapi.com",
    "CKafka.TencentCloudAPI.com",
    "ckafka.tencentcloudapi.com:443",
    "ckafka.tencentcloudapi.com:80",
]

NOT_CKAFKA = [
    "cvm.tencentcloudapi.com",
    "ckafka.tencentcloudapi.com.evil.example",
    "evilckafka.tencentcloudapi.com",
    "ckafka.tencentcloudapi.com:8443",
    "ckafka.a.b.tencentcloudapi.com",
    "tencentcloudapi.com",
    "127.0.0.1:9100",
    "localhost",
]


@pytest.mark.parametrize("host", PUBLIC_HOSTS)
def test_public_endpoints_match_by_default(host: str) -> None:
    endpoints = Endpoints()
    assert endpoints.matches(host)
    assert endpoints.url_pattern().match(f"https://{host}/")


@pytest.mark.parametrize("host", NOT_CKAFKA)
def test_other_hosts_do_not_match(host: str) -> None:
    endpoints = Endpoints()
    assert not endpoints.matches(host)
    assert not endpoints.url_pattern().match(f"https://{host}/")


def test_default_patterns_are_host_regexes() -> None:
    assert any(
        re.fullmatch(p, "ckafka.ap-shanghai.tencentcloudapi.com") for p in DEFAULT_HOST_PATTERNS
    )


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("127.0.0.1:9100", "127.0.0.1:9100"),
        ("localhost:8080", "localhost:8080"),
        ("http://127.0.0.1:9100", "127.0.0.1:9100"),
        ("https://127.0.0.1:9100/", "127.0.0.1:9100"),
        ("HTTP://LocalHost:08080", "localhost:8080"),
        ("ckafka.internal.example", "ckafka.internal.example"),
        ("  ckafka.internal.example  ", "ckafka.internal.example"),
        ("[::1]:9100", "[::1]:9100"),
    ],
)
def test_add_normalizes(given: str, normalized: str) -> None:
    endpoints = Endpoints([given])
    assert list(endpoints) == [normalized]


def test_adding_twice_keeps_one() -> None:
    endpoints = Endpoints(["localhost:8080", "http://LOCALHOST:8080"])
    assert list(endpoints) == ["localhost:8080"]
    assert len(endpoints) == 1
    assert repr(endpoints) == "Endpoints(['localhost:8080'])"


ACCEPTED = '"127.0.0.1:9100", "http://127.0.0.1:9100" or "ckafka.internal.example"'


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("http://127.0.0.1:9100/api", 'it contains the path "/api" (an endpoint is a whole host)'),
        ("localhost/x", 'it contains the path "/x" (an endpoint is a whole host)'),
        ("localhost:abc", 'the port "abc" is not a number from 1 to 65535'),
        ("localhost:0", 'the port "0" is not a number from 1 to 65535'),
        ("localhost:65536", 'the port "65536" is not a number from 1 to 65535'),
        ("localhost:", 'the port "" is not a number from 1 to 65535'),
        ("ftp://localhost", 'the scheme "ftp" is not http or https'),
        ("localhost?x=1", "it contains a query"),
        ("user@localhost", "it contains user info"),
        ("local host", "it contains whitespace"),
        (":9100", '"" is not a host name or IP address'),
        ("http://", '"" is not a host name or IP address'),
        ("bad_host!", '"bad_host!" is not a host name or IP address'),
    ],
)
def test_bad_endpoints_say_what_was_wrong(given: str, reason: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        Endpoints().add(given)
    assert str(info.value) == (
        f"invalid CKafka endpoint {given!r}: {reason}; "
        f"give a host with an optional port, e.g. {ACCEPTED}"
    )


def test_endpoint_with_port_matches_only_that_port() -> None:
    endpoints = Endpoints(["127.0.0.1:9100"])
    assert endpoints.matches("127.0.0.1:9100")
    assert not endpoints.matches("127.0.0.1:9101")
    assert not endpoints.matches("127.0.0.1")
    assert not endpoints.matches("127.0.0.1:443")


def test_endpoint_without_port_matches_default_ports_only() -> None:
    endpoints = Endpoints(["ckafka.internal.example"])
    assert endpoints.matches("ckafka.internal.example")
    assert endpoints.matches("CKAFKA.internal.example:443")
    assert endpoints.matches("ckafka.internal.example:80")
    assert not endpoints.matches("ckafka.internal.example:8080")


def test_matches_ignores_user_info_and_handles_ipv6() -> None:
    endpoints = Endpoints(["[::1]:9100", "[fe80::1]"])
    assert endpoints.matches("user:pw@[::1]:9100")
    assert endpoints.matches("[fe80::1]")
    assert endpoints.matches("[fe80::1]:443")
    assert not endpoints.matches("[::1]:9101")


@pytest.mark.parametrize(
    ("url", "matched"),
    [
        ("https://ckafka.tencentcloudapi.com/", True),
        ("https://ckafka.tencentcloudapi.com", True),
        ("http://ckafka.ap-guangzhou.tencentcloudapi.com:80/x/y?Action=A&b=c", True),
        ("HTTPS://CKAFKA.TENCENTCLOUDAPI.COM/", True),
        ("http://127.0.0.1:9100/", True),
        ("http://127.0.0.1:9100?Action=DescribeTopic", True),
        ("http://127.0.0.1:9101/", False),
        ("http://127.0.0.1/", False),
        ("https://ckafka.internal.example/", True),
        ("https://ckafka.internal.example:8443/", False),
        ("https://evil.example/ckafka.tencentcloudapi.com", False),
        ("https://evil.example/?u=https://ckafka.tencentcloudapi.com/", False),
        ("ftp://ckafka.tencentcloudapi.com/", False),
    ],
)
def test_url_pattern(url: str, matched: bool) -> None:
    endpoints = Endpoints(["127.0.0.1:9100", "ckafka.internal.example"])
    assert bool(endpoints.url_pattern().match(url)) is matched


def test_url_pattern_is_recomputed_when_an_endpoint_is_added() -> None:
    endpoints = Endpoints()
    before = endpoints.url_pattern()
    assert before is endpoints.url_pattern()  # cached between additions
    assert not before.match("http://localhost:8080/")
    endpoints.add("localhost:8080")
    assert endpoints.url_pattern().match("http://localhost:8080/")


def _sdk_client(endpoint: str) -> ckafka_client.CkafkaClient:
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=endpoint, protocol="http"))
    cred = credential.Credential("AKIDtest", "secret")
    return ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile)


def test_url_pattern_intercepts_the_sdk_with_responses() -> None:
    endpoints = Endpoints(["127.0.0.1:9100"])
    client = _sdk_client("127.0.0.1:9100")
    with responses.RequestsMock() as mock:
        mock.add(
            responses.POST,
            endpoints.url_pattern(),
            json={"Response": {"RequestId": "r-1", "Result": {"TotalCount": 0}}},
        )
        reply = client.DescribeTopic(models.DescribeTopicRequest())
        sent = mock.calls[0].request
    assert reply.RequestId == "r-1"
    assert endpoints.matches(urlsplit(sent.url).netloc)


def test_url_pattern_routes_httpx_with_respx() -> None:
    endpoints = Endpoints(["127.0.0.1:9100"])
    with respx.mock(assert_all_called=True) as router:
        route = router.route(url__regex=endpoints.url_pattern()).respond(json={"ok": True})
        other = router.route().respond(status_code=404)
        hit = httpx.post("http://127.0.0.1:9100/", json={})
        miss = httpx.post("http://127.0.0.1:9200/", json={})
    assert (hit.status_code, miss.status_code) == (200, 404)
    assert route.call_count == 1 and other.call_count == 1


@pytest.mark.parametrize(
    ("netloc", "expected"),
    [
        ("CKafka.ap-shanghai.tencentcloudapi.com:443", "ckafka.ap-shanghai.tencentcloudapi.com"),
        (
            "user@CKAFKA.ap-shanghai.tencentcloudapi.com:80",
            "ckafka.ap-shanghai.tencentcloudapi.com",
        ),
        ("127.0.0.1:9100", "127.0.0.1:9100"),
        ("[::1]:443", "[::1]"),
        ("[::1]:9100", "[::1]:9100"),
        ("ckafka.internal", "ckafka.internal"),
    ],
)
def test_normal_host_is_the_one_host_comparison(netloc: str, expected: str) -> None:
    assert normal_host(netloc) == expected
    # An endpoint added as the normal form matches every spelling that normalizes to it.
    assert Endpoints([expected], public=False).matches(netloc)
