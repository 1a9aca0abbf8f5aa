"""tccli, driven for real in-process, answered by the ckafka fixture."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tccli.main import main as tccli_main

from pytest_ckafka import CKafkaMock


@pytest.fixture
def tccli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run ``tccli ARGS...`` in this process with fake credentials; return what it printed."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TENCENTCLOUD_SECRET_ID", "AKIDtccliFAKE")
    monkeypatch.setenv("TENCENTCLOUD_SECRET_KEY", "fake-key")
    monkeypatch.setenv("TENCENTCLOUD_REGION", "ap-shanghai")

    def run(*args: str) -> str:
        capsys.readouterr()
        monkeypatch.setattr(sys, "argv", ["tccli", *args])
        tccli_main()
        captured = capsys.readouterr()
        return captured.out + captured.err

    return run


def test_tccli_gets_the_stubbed_answer(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.respond(
        "DescribeTopic",
        {"Result": {"TotalCount": 1, "TopicList": [{"TopicName": "orders", "TopicId": "t-1"}]}},
    )
    out = json.loads(tccli("ckafka", "DescribeTopic", "--InstanceId", "ckafka-1", "--Limit", "5"))
    assert out["Result"]["TopicList"][0]["TopicName"] == "orders"
    assert out["RequestId"] == ckafka.calls[-1].request_id
    call = ckafka.calls[-1]
    assert (call.action, dict(call.params), call.region, call.secret_id) == (
        "DescribeTopic",
        {"InstanceId": "ckafka-1", "Limit": 5},
        "ap-shanghai",
        "AKIDtccliFAKE",
    )


def test_tccli_prints_the_error_code_and_request_id(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.fail("DeleteTopic", "ResourceInUse")
    out = tccli("ckafka", "DeleteTopic", "--InstanceId", "ckafka-1", "--TopicName", "orders")
    request_id = ckafka.calls[-1].request_id
    assert out.strip() == (
        "[TencentCloudSDKException] code:ResourceInUse message:Resource is in use. "
        f"requestId:{request_id}"
    )


def test_tccli_with_a_custom_endpoint(ckafka: CKafkaMock, tccli) -> None:  # type: ignore[no-untyped-def]
    ckafka.add_endpoint("127.0.0.1:9100")
    out = json.loads(tccli("ckafka", "DescribeRegion", "--endpoint", "127.0.0.1:9100"))
    assert out["RequestId"] == ckafka.calls[-1].request_id
    assert ckafka.calls[-1].url.startswith(("https://127.0.0.1:9100/", "http://127.0.0.1:9100/"))
