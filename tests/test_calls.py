"""The call log: response/error_code per call and the assertion messages."""

from __future__ import annotations

import pytest

from pytest_ckafka.calls import Call, CallLog
from pytest_ckafka.envelopes import encode, envelope_reply, error_envelope, success_reply
from pytest_ckafka.exceptions import CKafkaAssertionError
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
