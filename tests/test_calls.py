"""The call log: response/error_code per call and the assertion messages."""

from __future__ import annotations

import json

import pytest

from pytest_ckafka.calls import Call, CallLog
from pytest_ckafka.core import CKafka
from pytest_ckafka.envelopes import encode, envelope_reply, error_envelope, success_reply
from pytest_ckafka.exceptions import CKafkaAssertionError, UnmatchedCallError
from pytest_ckafka.faults import fault_reply


def make_call(action: str, reply: object, params: dict[str, object] | None = None) -> Call:
    return Call(
        action,
        params or {},
        "ap-guangzhou",
        "2019-08-19",
        "r-1",
        "POST",
        "https://ckafka.tencentcloudapi.com/",
        "AKID",
        None,
        reply,
        "stub",
    )  # type: ignore[arg-type]


def test_error_code_per_kind_of_reply() -> None:
    ok = make_call("DeleteTopic", success_reply("{}", "r-1"))
    failed = make_call(
        "DeleteTopic", envelope_reply(error_envelope("ResourceInUse", request_id="r"))
    )
    timeout = make_call("DeleteTopic", fault_reply("timeout", "r"))
    wrong = make_call("DeleteTopic", fault_reply("wrong_content_type", "r"))
    assert [c.error_code for c in (ok, failed, timeout, wrong)] == [
        None,
        "ResourceInUse",
        "fault:timeout",
        "fault:wrong_content_type",
    ]
    assert ok.response == {"Response": {"RequestId": "r-1"}}
    assert timeout.response is None
    assert encode(failed.response or {}).startswith(b'{"Response":{"Error"')


def test_assertion_messages_list_the_calls() -> None:
    log = CallLog()
    log.append(make_call("DescribeTopic", success_reply("{}", "r"), {"InstanceId": "i"}))
    log.assert_called("DescribeTopic", times=1, params={"InstanceId": "i"})
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_called("DescribeTopic", times=2)
    assert str(info.value).splitlines() == [
        "expected DescribeTopic to be called 2 times, it was called 1 time.",
        "Calls made:",
        '  1. DescribeTopic {"InstanceId": "i"} -> success',
    ]
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_not_called("DescribeTopic")
    assert str(info.value).splitlines()[0] == (
        "expected DescribeTopic not to be called, it was called 1 time."
    )
    log.clear()
    assert len(log) == 0


_URL = "https://ckafka.tencentcloudapi.com/"


def _tc3_create_user(
    params: dict[str, str], secret_id: str
) -> tuple[str, str, dict[str, str], bytes]:
    headers = {
        "Authorization": f"TC3-HMAC-SHA256 Credential={secret_id}/2024-01-01/ckafka/tc3_request, "
        "SignedHeaders=content-type;host, Signature=" + "ab12" * 16,
        "X-TC-Action": "CreateUser",
        "X-TC-Version": "2019-08-19",
        "Content-Type": "application/json",
    }
    return "POST", _URL, headers, json.dumps(params).encode()


def test_call_summaries_and_strict_misses_show_no_secret() -> None:
    fake = CKafka(strict=True, stateful=False)
    params = {"InstanceId": "ckafka-1", "Name": "alice", "Password": "Pw-secret-1"}
    with pytest.raises(UnmatchedCallError) as info:
        fake.handle(*_tc3_create_user(params, "AKIDsummary001"))
    assert "Pw-secret-1" not in str(info.value)
    assert str(info.value).splitlines()[0] == (
        "pytest-ckafka strict mode: no stub answers CreateUser "
        '{"InstanceId": "ckafka-1", "Name": "alice", "Password": "SCRUBBED"}'
    )
    assert fake.calls.describe() == (
        '  1. CreateUser {"InstanceId": "ckafka-1", "Name": "alice", "Password": "SCRUBBED"} '
        "-> InternalError"
    )
    with pytest.raises(CKafkaAssertionError) as assertion:
        fake.assert_called("DeleteUser")
    assert "Pw-secret-1" not in str(assertion.value)
    # A v1 call the protocol refuses is summarized by its URL: its credentials are hidden.
    fake = CKafka()
    fake.handle(
        "GET", _URL + "?SecretId=AKIDsummary001&Signature=abc&Token=sts-token-0123", {}, b""
    )
    assert fake.calls.describe() == (
        f"  1. GET {_URL}?SecretId=SCRUBBED&Signature=SCRUBBED&Token=SCRUBBED -> MissingParameter"
    )
