"""The official Node.js SDK against a ``FakeServer``, as against ``pytest-ckafka serve``.

The SDK lives in ``tests/node`` (``package.json`` + ``package-lock.json``; ``make``
runs ``npm ci`` there when npm exists). It signs a local endpoint its own way: the
credential scope names service ``127`` (the endpoint's first label) and the host is
signed without its port, while ``Host: 127.0.0.1:PORT`` is sent. The fault and proxy
tests check what docs/other-languages.md says of it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any, Optional

import pytest

from pytest_ckafka import FakeServer

NODE_DIR = Path(__file__).parent / "node"
SDK = NODE_DIR / "node_modules" / "tencentcloud-sdk-nodejs-ckafka"
SECRET_ID, SECRET_KEY = "AKIDnodeclient", "node-secret-key"


def run_node(
    server: FakeServer,
    calls: list[Any],
    environ: Optional[dict[str, str]] = None,
    **config: Any,
) -> list[dict[str, Any]]:
    """Run tests/node/client.js (proxy variables unset, then ``environ``); one outcome per call."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the Node.js SDK test")
    if not SDK.is_dir():
        pytest.skip(f"the Node.js SDK is not installed: run `npm ci` in {NODE_DIR}")
    settings = {"endpoint": server.endpoint, "secretId": SECRET_ID, "secretKey": SECRET_KEY}
    settings.update(config, calls=calls)
    # The SDK sends through $http_proxy when it is set: loopback must stay loopback.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(environ or {})
    done = subprocess.run(
        [node, "client.js", json.dumps(settings)],
        cwd=NODE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcomes: list[dict[str, Any]] = json.loads(done.stdout)
    return outcomes


@pytest.mark.parametrize("req_method", ["POST", "GET"])
def test_node_sdk_against_strict_auth(req_method: str) -> None:
    with FakeServer(strict_auth=True) as server:
        server.add_credentials(SECRET_ID, SECRET_KEY)
        instance = server.state.add_instance()  # the default account: every key sees it
        create = {"InstanceId": instance, "TopicName": "orders", "PartitionNum": 1, "ReplicaNum": 2}
        calls = [["DescribeInstances", {}], ["CreateTopic", create]]
        described, created = run_node(server, calls, reqMethod=req_method)
        assert described["response"]["Result"]["TotalCount"] == 1
        assert described["response"]["Result"]["InstanceList"][0]["InstanceId"] == instance
        assert created["response"]["Result"]["TopicId"].startswith("topic-")
        assert [t.name for t in server.state.topics(instance)] == ["orders"]

        (wrong,) = run_node(server, [["DescribeInstances", {}]], secretKey="not-the-key")
        assert wrong["code"] == "AuthFailure.SignatureFailure"
        assert "not-the-key" not in wrong["message"] and SECRET_ID not in wrong["message"]
        assert [c.error_code for c in server.calls] == [None, None, "AuthFailure.SignatureFailure"]


# -- what the Node.js SDK makes of each fault (docs/other-languages.md) ----------------------


def test_node_sdk_surfaces_an_error_code_with_its_request_id() -> None:
    with FakeServer() as server:
        server.fail("DescribeInstances", "ResourceInUse")
        (outcome,) = run_node(server, [["DescribeInstances", {}]])
        assert outcome == {
            "code": "ResourceInUse",
            "message": "Resource is in use.",
            "name": "TencentCloudSDKHttpException",
            "type": "",
            "httpCode": 0,
            "requestId": server.calls[-1].request_id,
        }


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # The SDK parses any Content-Type as JSON, so the error envelope still raises.
        (
            "wrong_content_type",
            {"code": "InternalError", "message": "Internal error.", "httpCode": 0},
        ),
        # A non-200 status: no code, the status text as the message, the status in httpCode.
        ("http_status", {"code": "", "message": "Service Unavailable", "httpCode": 503}),
    ],
)
def test_node_sdk_raises_its_own_exception_for(kind: str, expected: dict[str, Any]) -> None:
    with FakeServer() as server:
        server.fault("DescribeInstances", kind, status=503)
        (outcome,) = run_node(server, [["DescribeInstances", {}]])
        assert outcome["name"] == "TencentCloudSDKHttpException"
        assert {key: outcome[key] for key in expected} == expected


def test_node_sdk_lets_the_http_librarys_parse_error_through_for_malformed_json() -> None:
    with FakeServer() as server:
        server.fault("DescribeInstances", "malformed_json")
        (outcome,) = run_node(server, [["DescribeInstances", {}]])
        # node-fetch's FetchError, not the SDK's exception: no code, no request id.
        assert (outcome["name"], outcome["type"], outcome["code"]) == (
            "FetchError",
            "invalid-json",
            "",
        )
        assert outcome["message"].startswith(f"invalid json response body at {server.url} ")


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("connection_error", "read ECONNRESET"), ("timeout", None)],
)
def test_node_sdk_wraps_a_network_failure(kind: str, reason: Optional[str]) -> None:
    with FakeServer() as server:
        server.fault("DescribeInstances", kind)
        # reqTimeout=1: the timeout fault holds the connection until the client gives up.
        (outcome,) = run_node(server, [["DescribeInstances", {}]], reqTimeout=1)
        assert (outcome["name"], outcome["code"]) == ("TencentCloudSDKHttpException", "")
        if reason:
            assert outcome["message"] == f"request to {server.url} failed, reason: {reason}"
        else:
            assert outcome["message"] == f"network timeout at: {server.url}"


def test_node_sdk_sends_through_a_lowercase_http_proxy_even_to_loopback() -> None:
    with socket.socket() as proxy, FakeServer() as server:
        proxy.bind(("127.0.0.1", 0))  # bound, never listening: connecting to it is refused
        proxy_at = f"127.0.0.1:{proxy.getsockname()[1]}"
        proxy_url = f"http://{proxy_at}"
        no_proxy = "127.0.0.1,localhost"
        environ = {"http_proxy": proxy_url, "no_proxy": no_proxy, "NO_PROXY": no_proxy}
        (through_proxy,) = run_node(server, [["DescribeInstances", {}]], environ)
        assert through_proxy["message"] == (
            f"request to {server.url} failed, reason: connect ECONNREFUSED {proxy_at}"
        )
        assert len(server.calls) == 0  # no_proxy did not keep it on loopback
        # Only the lowercase name is read: HTTP_PROXY and https_proxy change nothing.
        for name in ("HTTP_PROXY", "https_proxy"):
            (direct,) = run_node(server, [["DescribeInstances", {}]], {name: proxy_url})
            assert direct["response"]["Result"]["TotalCount"] == 0
        assert len(server.calls) == 2


def test_node_sdk_drives_the_stateful_families_it_did_not_see_before() -> None:
    """Throttle rules, isolation and renewal from Node.js: each call sees what earlier ones did."""
    with FakeServer() as server:
        instance = server.state.add_instance(name="node")
        server.state.add_topic(instance, "orders")
        throttle = {"InstanceId": instance, "ThrottleType": 3, "TopicNameList": ["orders"]}
        late = {"InstanceId": instance, "TopicName": "late"}
        calls = [
            ["CreateThrottleRule", {**throttle, "ConsumeThrottle": 30}],
            ["DescribeThrottleRules", {"InstanceId": instance, "ThrottleDimension": 2}],
            ["CreateThrottleRule", {**throttle, "ProduceThrottle": 5}],
            ["IsolatedInstancePre", {"InstanceId": instance}],
            ["DescribeInstanceAttributes", {"InstanceId": instance}],
            ["CreateTopic", {**late, "PartitionNum": 1, "ReplicaNum": 2}],
            ["RenewCkafkaInstance", {"InstanceId": instance, "TimeSpan": 1}],
            ["DescribeInstanceAttributes", {"InstanceId": instance}],
        ]
        created, listed, twice, isolated, attributes, refused, renewed, back = run_node(
            server, calls
        )
        assert created["response"]["Result"]["ReturnCode"] == "0"
        rules = listed["response"]["Result"]
        assert (rules["TotalCount"], rules["ThrottleRuleList"][0]["TopicName"]) == (1, "orders")
        assert rules["ThrottleRuleList"][0]["ConsumeThrottle"] == 30
        assert twice["code"] == "InvalidParameterValue"
        assert twice["requestId"] == server.calls[2].request_id
        assert isolated["response"]["Result"]["ReturnCode"] == "0"
        assert attributes["response"]["Result"]["Status"] == 5
        assert (refused["code"], server.calls[5].error_code) == ("ResourceUnavailable",) * 2
        assert renewed["response"]["Result"]["DealName"]
        assert back["response"]["Result"]["Status"] == 1
        assert [t.name for t in server.state.topics(instance)] == ["orders"]
