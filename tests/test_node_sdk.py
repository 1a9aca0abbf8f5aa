"""The official Node.js SDK against ``FakeServer(strict_auth=True)``, as ``serve --strict-auth``.

The SDK lives in ``tests/node`` (``package.json`` + ``package-lock.json``; ``make``
runs ``npm ci`` there when npm exists). It signs a local endpoint its own way: the
credential scope names service ``127`` (the endpoint's first label) and the host is
signed without its port, while ``Host: 127.0.0.1:PORT`` is sent.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pytest_ckafka import FakeServer

NODE_DIR = Path(__file__).parent / "node"
SDK = NODE_DIR / "node_modules" / "tencentcloud-sdk-nodejs-ckafka"
SECRET_ID, SECRET_KEY = "AKIDnodeclient", "node-secret-key"


def run_node(server: FakeServer, calls: list[Any], **config: str) -> list[dict[str, Any]]:
    """Run tests/node/client.js; its outcomes, one per call."""
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        pytest.skip("node and npm are needed for the Node.js SDK test")
    if not SDK.is_dir():
        pytest.skip(f"the Node.js SDK is not installed: run `npm ci` in {NODE_DIR}")
    settings = {"endpoint": server.endpoint, "secretId": SECRET_ID, "secretKey": SECRET_KEY}
    settings.update(config, calls=calls)
    # The SDK sends through $http_proxy when it is set: loopback must stay loopback.
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
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
