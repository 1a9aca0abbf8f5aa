"""Nothing lost, nothing poisoned: the server with payloads no SDK sends, and a bounded log.

Raw HTTP on loopback: a lone surrogate (``"\\ud800"``, valid JSON) as a
parameter name or value, a body nested 980 deep, seeds and stubs carrying
either. Each is refused where it enters, and ``GET /_ckafka/calls``,
``GET /_ckafka/state`` and the ``--state`` save keep answering valid JSON.
The call log keeps the last ``max_calls`` calls and says how many it dropped.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import FakeServer
from pytest_ckafka.exceptions import CKafkaAssertionError, CKafkaUsageError
from tests.test_cli import client, http, serve

HEADERS = {
    "X-TC-Version": "2019-08-19",
    "X-TC-Region": "ap-guangzhou",
    "Content-Type": "application/json",
}


def strict_json(raw: bytes) -> Any:
    """Parse an answer, which must be valid UTF-8 (no surrogate) and valid JSON."""
    return json.loads(raw.decode("utf-8"))


def call(server: FakeServer, body: bytes, action: str = "DescribeInstances") -> Any:
    request = urllib.request.Request(server.url, body, {**HEADERS, "X-TC-Action": action})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return strict_json(answer.read())["Response"]


def control(
    server: FakeServer, method: str, path: str, body: Optional[bytes] = None
) -> tuple[int, Any]:
    request = urllib.request.Request(server.url.rstrip("/") + path, body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, strict_json(answer.read())
    except urllib.error.HTTPError as error:
        with error:
            return error.code, strict_json(error.read())


def deep(levels: int) -> bytes:
    return b'{"SearchWord": ' + b"[" * (levels - 1) + b"1" + b"]" * (levels - 1) + b"}"


# -- §3: lone surrogates and deep JSON ---------------------------------------------------------


def test_a_lone_surrogate_name_or_value_is_refused_and_the_log_and_state_serialize() -> None:
    with FakeServer() as server:
        name = call(server, b'{"\\ud800": 1}')
        value = call(server, b'{"SearchWord": "\\ud800"}')
        assert name["Error"] == {
            "Code": "InvalidParameter",
            "Message": "The parameter name `\\ud800` holds a lone surrogate "
            "(\\ud800 at character 0), which is not Unicode text.",
        }
        assert value["Error"] == {
            "Code": "InvalidParameter",
            "Message": "The parameter `SearchWord` holds a lone surrogate "
            "(\\ud800 at character 0), which is not Unicode text.",
        }
        status, log = control(server, "GET", "/_ckafka/calls")
        assert status == 200
        assert [(c["action"], c["params"], c["error_code"]) for c in log["calls"]] == [
            ("DescribeInstances", {}, "InvalidParameter"),
            ("DescribeInstances", {}, "InvalidParameter"),
        ]
        assert control(server, "GET", "/_ckafka/state") == (200, {"state": {"stores": []}})
        assert call(server, b'{"Limit": 1}')["Result"]["TotalCount"] == 0  # still serving


def test_a_body_980_deep_is_refused_and_the_call_log_keeps_answering() -> None:
    with FakeServer() as server:
        response = call(server, deep(980))
        assert response["Error"]["Code"] == "InvalidParameter"
        assert response["Error"]["Message"].endswith("is nested more than 32 levels deep.")
        status, log = control(server, "GET", "/_ckafka/calls")
        assert status == 200 and [c["error_code"] for c in log["calls"]] == ["InvalidParameter"]
        # The limit itself parses: validation then names the type SearchWord wants.
        message = call(server, deep(32))["Error"]["Message"]
        assert message.startswith("The parameter `SearchWord` must be a string, got a list [[")


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        (
            "/_ckafka/state",
            b'{"add": "instance", "instance_id": "ckafka-1", "name": "\\ud800"}',
            "name: the string holds a lone surrogate (\\ud800 at character 0), which is not "
            "Unicode text",
        ),
        (
            "/_ckafka/state",
            b'{"add": "instance", "tags": ' + b"[" * 980 + b"]" * 980 + b"}",
            "seed: is nested more than 32 levels deep",
        ),
        (
            "/_ckafka/stubs",
            b'{"kind": "respond", "action": "DescribeTopic", "params": {"InstanceId": "\\udfff"}}',
            "params.InstanceId: the string holds a lone surrogate (\\udfff at character 0), "
            "which is not Unicode text",
        ),
        (
            "/_ckafka/stubs",
            b'{"kind": "fail", "action": "DeleteTopic", "code": "ResourceInUse", '
            b'"message": "busy \\ud800"}',
            "message: the string holds a lone surrogate (\\ud800 at character 5), "
            "which is not Unicode text",
        ),
    ],
    ids=["seed-surrogate", "seed-deep", "stub-params", "stub-message"],
)
def test_the_control_api_answers_400_to_what_it_could_not_serialize_later(
    path: str, body: bytes, error: str
) -> None:
    with FakeServer() as server:
        assert control(server, "POST", path, body) == (400, {"error": error})
        assert control(server, "GET", "/_ckafka/state") == (200, {"state": {"stores": []}})
        assert control(server, "GET", "/_ckafka/stubs") == (200, {"stubs": []})


def test_putting_a_state_with_a_surrogate_is_400_and_keeps_the_state() -> None:
    with FakeServer() as server:
        server.state.add_instance("ckafka-1", name="shop")
        before = control(server, "GET", "/_ckafka/state")[1]
        dump = json.dumps(before).replace('"shop"', '"\\ud800"').encode()
        status, answer = control(server, "PUT", "/_ckafka/state", dump)
        assert (status, answer["error"]) == (
            400,
            "state.stores[0].instances.ckafka-1.name: the string holds a lone surrogate "
            "(\\ud800 at character 0), which is not Unicode text",
        )
        assert control(server, "GET", "/_ckafka/state") == (200, before)


def test_the_state_file_is_saved_after_refused_surrogates(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    seed = [{"add": "instance", "instance_id": "ckafka-1", "name": "shop"}]
    state.write_text(json.dumps({"seed": seed}))
    with serve("--state", str(state)) as served:
        request = urllib.request.Request(
            served.url,
            b'{"InstanceId": "ckafka-1", "InstanceName": "\\ud800"}',
            {**HEADERS, "X-TC-Action": "ModifyInstanceAttributes"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            error = strict_json(answer.read())["Response"]["Error"]
        assert error["Code"] == "InvalidParameter"
        bad_seed = {"add": "topic", "instance_id": "ckafka-1", "name": "\ud800"}
        assert http(served, "POST", "/_ckafka/state", bad_seed)[0] == 400
        describe = models.DescribeInstanceAttributesRequest()
        describe.InstanceId = "ckafka-1"
        assert client(served).DescribeInstanceAttributes(describe).Result.InstanceName == "shop"
        assert served.stop() == (0, "", "")
    saved = strict_json(state.read_bytes())
    [store] = saved["state"]["stores"]
    assert store["instances"]["ckafka-1"]["name"] == "shop"
    assert store["instances"]["ckafka-1"]["topics"] == {}


# -- §4: a bounded call log ---------------------------------------------------------------------


def test_the_server_keeps_the_last_max_calls_and_says_how_many_it_dropped() -> None:
    with FakeServer(max_calls=3) as server:
        ids = [call(server, b'{"Limit": 1}')["RequestId"] for _ in range(5)]
        status, log = control(server, "GET", "/_ckafka/calls")
        assert status == 200 and log["dropped"] == 2
        assert [c["request_id"] for c in log["calls"]] == ids[2:]
        assert [c.request_id for c in server.calls] == ids[2:]
        assert not server._is_synthetic(ids[0]) and server._is_synthetic(ids[4])
        with pytest.raises(CKafkaAssertionError) as info:
            server.assert_called("DescribeInstances", times=5)
        assert str(info.value).splitlines()[0] == (
            "expected DescribeInstances to be called 5 times, it was called 3 times. That is "
            "in the last 3 calls kept: the log dropped the 2 before them (max_calls=3), so the "
            "full count is not known. Raise max_calls, or pass max_calls=None to keep every call."
        )
        assert control(server, "POST", "/_ckafka/reset")[0] == 200
        assert control(server, "GET", "/_ckafka/calls") == (200, {"calls": [], "dropped": 0})
        assert not server._is_synthetic(ids[4])


def test_the_default_cap_is_10000_calls() -> None:
    assert FakeServer().calls.max_calls == 10_000
    assert FakeServer(max_calls=None).calls.max_calls is None
    with pytest.raises(CKafkaUsageError) as info:
        FakeServer(max_calls=0)
    assert str(info.value) == (
        "max_calls must be a positive integer or None (keep every call), got 0"
    )


def test_serve_max_calls_reaches_the_log() -> None:
    with serve("--max-calls", "2") as served:
        sdk = client(served)
        for _ in range(3):
            sdk.DescribeInstances(models.DescribeInstancesRequest())
        status, _, log = http(served, "GET", "/_ckafka/calls")
        assert (status, len(log["calls"]), log["dropped"]) == (200, 2, 1)
        assert served.stop() == (0, "", "")
