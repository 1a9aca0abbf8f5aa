"""The call log: response/error_code per call and the assertion messages."""

from __future__ import annotations

import json
import re
import time
import typing

import pytest
import requests

from pytest_ckafka import DEFAULT_MAX_CALLS, CKafka, CKafkaMock
from pytest_ckafka.api.envelopes import encode, envelope_reply, error_envelope, success_reply
from pytest_ckafka.exceptions import CKafkaAssertionError, CKafkaUsageError, UnmatchedCallError
from pytest_ckafka.fake import core
from pytest_ckafka.fake.calls import (
    CLIPPED_VALUES,
    MAX_LOG_BYTES,
    AnsweredBy,
    Call,
    CallLog,
    clipped_params,
)
from pytest_ckafka.fake.faults import fault_reply


def make_call(action: str, reply: object, params: dict[str, object] | None = None) -> Call:
    return Call(
        action=action,
        params=params or {},
        region="ap-guangzhou",
        version="2019-08-19",
        request_id="r-1",
        method="POST",
        url="https://ckafka.tencentcloudapi.com/",
        secret_id="AKID",
        language=None,
        reply=reply,  # type: ignore[arg-type]
        answered_by="stub",
    )


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


# -- a bounded log -------------------------------------------------------------------------------


def numbered(n: int, action: str = "DescribeTopic", answered_by: AnsweredBy = "stub") -> Call:
    return Call(
        action=action,
        params={"n": n},
        region=None,
        version="2019-08-19",
        request_id=f"r-{n}",
        method="POST",
        url="u",
        secret_id=None,
        language=None,
        reply=success_reply("{}", f"r-{n}"),
        answered_by=answered_by,
    )


def test_the_log_keeps_the_last_max_calls_and_counts_the_dropped() -> None:
    log = CallLog(max_calls=3)
    for n in range(1, 6):
        log.append(numbered(n))
    assert [c.request_id for c in log] == ["r-3", "r-4", "r-5"]
    assert (len(log), log.dropped, log.total) == (3, 2, 5)
    assert log[0].request_id == "r-3" and log[-1].request_id == "r-5"
    assert log.snapshot() == (2, list(log))
    assert repr(log) == "<CallLog: 3 calls, 2 dropped>"
    assert [c.request_id for c in log.since(3)] == ["r-4", "r-5"]
    assert [c.request_id for c in log.since(1)] == ["r-3", "r-4", "r-5"]  # r-2 is gone
    log.clear()
    assert (len(log), log.dropped, log.total) == (0, 0, 0)


def test_the_default_cap_and_none_for_no_cap() -> None:
    assert CallLog().max_calls == DEFAULT_MAX_CALLS == 10_000
    unbounded = CallLog(max_calls=None)
    for n in range(20_001):
        unbounded.append(numbered(n))
    assert (len(unbounded), unbounded.dropped) == (20_001, 0)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_max_calls_must_be_a_positive_integer_or_none(bad: object) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        CallLog(max_calls=bad)  # type: ignore[arg-type]
    assert str(info.value) == (
        f"max_calls must be a positive integer or None (keep every call), got {bad!r}"
    )


def test_big_requests_and_replies_drop_out_sooner() -> None:
    log = CallLog(max_calls=1000)
    for n in range(10):
        log.append(numbered(n), request_bytes=10 * 1024 * 1024)  # ten 10 MB requests
    assert len(log) == MAX_LOG_BYTES // (10 * 1024 * 1024) and log.dropped == 10 - len(log)
    log.append(numbered(10), request_bytes=2 * MAX_LOG_BYTES)  # alone over the budget: kept
    assert [c.request_id for c in log] == ["r-10"]


def many_names(count: int) -> bytes:
    """A JSON body of ``count`` tiny members: ~6 bytes each on the wire, ~117 once parsed."""
    return b'{"InstanceId":"ckafka-1",' + b",".join(b'"%d":1' % i for i in range(count)) + b"}"


def post(fake: CKafka, action: str, body: bytes) -> None:
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
    }
    fake.handle("POST", "https://ckafka.tencentcloudapi.com/", headers, body)


def test_the_log_counts_params_at_what_they_take_once_parsed() -> None:
    # Eight 2 MB bodies are 16 MB on the wire but ~190 MB of parsed params: the log used
    # to count the wire bytes and kept them all (probe_mem2: 650-850 MB RSS at 9.8 MB each).
    fake = CKafka(validate=False, stateful=False)
    body = many_names(200_000)
    for _ in range(8):
        post(fake, "DescribeTopic", body)
    assert len(body) * 8 < MAX_LOG_BYTES // 3
    assert len(fake.calls) < 8 and fake.calls.dropped == 8 - len(fake.calls)
    assert len(fake.calls[-1].params) == 200_001  # an answered call keeps its params whole


def test_a_refused_call_with_big_params_keeps_a_clipped_copy() -> None:
    fake = CKafka()
    post(fake, "DescribeTopic", many_names(10_000))
    (call,) = fake.calls
    assert call.error_code == "UnknownParameter" and call.answered_by == "invalid"
    assert len(call.params) == CLIPPED_VALUES + 1
    assert list(call.params)[:3] == ["InstanceId", "0", "1"]
    assert call.params["..."] == (
        "9901 more members not kept (the call was refused: its params are clipped)"
    )
    assert fake.calls.assert_called("DescribeTopic", params={"InstanceId": "ckafka-1"})


def test_a_refused_call_with_small_params_keeps_them_whole() -> None:
    fake = CKafka()
    post(fake, "DescribeTopic", many_names(1000))
    assert len(fake.calls[0].params) == 1001


def test_clipped_params_clip_texts_lists_and_nesting() -> None:
    clipped = clipped_params(
        {"Name": "n" * 300, "Tags": [{"TagKey": "k", "TagValue": "v"}] * 200, "x" * 250: 1}
    )
    assert clipped["Name"] == "n" * 200 + "... (300 characters)"
    assert clipped["Tags"][:2] == [{"TagKey": "k", "TagValue": "v"}] * 2
    assert clipped["Tags"][-1] == (
        "... 167 more items not kept (the call was refused: its params are clipped)"
    )
    assert (
        clipped["..."] == "1 more members not kept (the call was refused: its params are clipped)"
    )


def test_answered_here_follows_the_log() -> None:
    log = CallLog(max_calls=2)
    log.append(numbered(1))
    log.append(numbered(2, answered_by="cassette"))
    assert log.answered_here("r-1") and not log.answered_here("r-2")
    log.append(numbered(3, answered_by="state"))
    assert not log.answered_here("r-1") and log.answered_here("r-3")
    log.clear()
    assert not log.answered_here("r-3")


def test_assertions_that_dropped_calls_could_change_fail_saying_so() -> None:
    log = CallLog(max_calls=2)
    for n in range(1, 4):
        log.append(numbered(n))
    log.assert_called("DescribeTopic")  # found among the kept calls: certain
    log.assert_called("DescribeTopic", params={"n": 3})
    note = (
        "That is in the last 2 calls kept: the log dropped the 1 before them (max_calls=2), "
        "so {} is not known. Raise max_calls, or pass max_calls=None to keep every call."
    )
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_called("DescribeTopic", times=2)
    assert str(info.value).splitlines() == [
        "expected DescribeTopic to be called 2 times, it was called 2 times. "
        + note.format("the full count"),
        "Calls made:",
        "  (1 earlier call not listed)",
        '  2. DescribeTopic {"n": 2} -> success',
        '  3. DescribeTopic {"n": 3} -> success',
    ]
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_called("DescribeTopic", params={"n": 1})
    assert str(info.value).splitlines()[0] == (
        'expected DescribeTopic to be called at least once with params {"n": 1}, it was called '
        "0 times. " + note.format("whether a dropped call matched")
    )
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_not_called("DeleteTopic")
    assert str(info.value).splitlines()[0] == (
        "expected DeleteTopic not to be called, it was called 0 times. "
        + note.format("whether a dropped call matched")
    )
    with pytest.raises(CKafkaAssertionError) as info:
        log.assert_called("DescribeTopic", times=1)  # 2 kept already: wrong whatever was dropped
    assert str(info.value).splitlines()[0] == (
        "expected DescribeTopic to be called 1 time, it was called 2 times."
    )


def test_a_long_log_lists_the_last_100_calls_and_clips_params() -> None:
    log = CallLog()
    for n in range(150):
        log.append(numbered(n))
    log.append(numbered(150, action="DeleteTopic"))
    lines = log.describe().splitlines()
    assert lines[0] == "  (51 earlier calls not listed)"
    assert lines[1] == '  52. DescribeTopic {"n": 51} -> success'
    assert lines[-1] == '  151. DeleteTopic {"n": 150} -> success'
    assert len(lines) == 101
    huge = Call(
        action="DescribeTopic",
        params={"InstanceId": "x" * 10**6},
        region=None,
        version="",
        request_id="r",
        method="POST",
        url="u",
        secret_id=None,
        language=None,
        reply=success_reply("{}", "r"),
        answered_by="stub",
    )
    assert huge.summary().endswith("... (1000018 characters) -> success")
    assert len(huge.summary()) < 300


def test_the_fake_resets_its_log_and_what_it_answered(ckafka: CKafkaMock) -> None:
    ckafka.calls.append(numbered(1))
    assert ckafka._is_synthetic("r-1")
    ckafka.reset()
    assert not ckafka._is_synthetic("r-1") and ckafka.calls.total == 0


@pytest.mark.ckafka(max_calls=5)
def test_assert_handles_counts_its_attempts_in_a_full_log(ckafka: CKafkaMock) -> None:
    ckafka.respond("DeleteTopic")
    url = "https://ckafka.tencentcloudapi.com/"
    headers = {"X-TC-Action": "DeleteTopic", "X-TC-Version": "2019-08-19"}

    def delete_with_retries() -> None:
        for _ in range(5):
            params = {"InstanceId": "ckafka-1", "TopicName": "orders"}
            response = requests.post(url, json=params, headers=headers).json()["Response"]
            if "Error" not in response:
                return
            time.sleep(1)
        raise RuntimeError("gave up")

    for _ in range(5):
        delete_with_retries()  # the log is full: len() stays 5 from here on
    assert (len(ckafka.calls), ckafka.calls.dropped) == (5, 0)
    verdict = ckafka.assert_handles("ResourceInUse", delete_with_retries, action="DeleteTopic")
    assert (verdict.ok, verdict.attempts) == (True, 3)
    assert ckafka.calls.dropped == 3


def test_answered_by_lists_every_answerer_in_the_cores_order() -> None:
    """The Literal, the order core.py states and the report's words name the same answerers."""
    from pytest_ckafka.checks.report import SOURCES

    stated = re.findall(r"\(((?:``\w+``(?:, )?)+)\)", core.__doc__ or "")
    labels = [label for group in stated for label in re.findall(r"``(\w+)``", group)]
    in_order = list(dict.fromkeys(labels))  # "protocol" answers at steps 1 and 3
    assert in_order == list(typing.get_args(AnsweredBy))
    assert set(SOURCES) == set(in_order)
