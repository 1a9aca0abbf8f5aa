"""assert_handles and check_error_handling against hand-written clients.

The clients below are the kind of code pytest-ckafka exists to test: thin wrappers
over the official SDK (sync and async) or over raw ``requests``. The well-behaved
ones pass for every code and fault; each broken one fails with the message a user
would read, asserted whole.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any, Optional

import httpx
import pytest
import requests
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.ckafka.v20190819.ckafka_client import CkafkaClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.retry import StandardRetryer

from pytest_ckafka import CKafkaMock, MatrixReport, Verdict
from pytest_ckafka.checks.policy import DEFAULT_POLICY
from pytest_ckafka.exceptions import (
    CKafkaUsageError,
    HandlingError,
    UnknownActionError,
    UnknownErrorCodeError,
)

log = logging.getLogger("topics")

INSTANCE = "ckafka-abcd1234"

# -- a well-behaved client, sync and async ---------------------------------------------------

TRANSIENT_FAMILIES = ("RequestLimitExceeded", "ResourceUnavailable")
TRANSIENT_CODES = {"ResourceInUse", "InternalError", "ServiceUnavailable"}
NETWORK_CODES = {"ClientNetworkError", "ServerNetworkError"}


def is_transient(code: str) -> bool:
    return code in TRANSIENT_CODES | NETWORK_CODES or code.split(".")[0] in TRANSIENT_FAMILIES


class TopicError(Exception):
    """A call that failed for good, with the API's code and RequestId."""

    def __init__(self, code: str, message: str, request_id: Optional[str]) -> None:
        super().__init__(f"{code}: {message} (RequestId: {request_id})")
        self.code, self.request_id = code, request_id

    @classmethod
    def from_sdk(cls, exc: Exception) -> TopicError:
        if isinstance(exc, TencentCloudSDKException):
            return cls(str(exc.get_code()), str(exc.get_message()), exc.get_request_id())
        if isinstance(exc, httpx.TransportError):  # the async SDK lets these through
            return cls("ClientNetworkError", str(exc), None)
        return cls(type(exc).__name__, str(exc), None)


SDK_ERRORS = (TencentCloudSDKException, httpx.TransportError, json.JSONDecodeError)


def _delete_request(name: str) -> models.DeleteTopicRequest:
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = INSTANCE, name
    return request


def _checked(response: Any) -> Any:
    if response.Result is None:  # the SDK turns an answer it cannot read into an empty model
        raise TopicError("EmptyResponse", "no Result in the answer", response.RequestId)
    return response


class Topics:
    """Retries transient codes with exponential backoff, raises TopicError otherwise."""

    def __init__(self, client: Any, max_attempts: int = 4, base_delay: float = 0.5) -> None:
        self.client, self.max_attempts, self.base_delay = client, max_attempts, base_delay

    def delete(self, name: str) -> Any:
        for attempt in range(1, self.max_attempts + 1):
            try:
                return _checked(self.client.DeleteTopic(_delete_request(name)))
            except SDK_ERRORS as exc:
                error = TopicError.from_sdk(exc)
                if not is_transient(error.code) or attempt == self.max_attempts:
                    raise error from exc
            time.sleep(self.base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")


class AsyncTopics(Topics):
    """:class:`Topics` over the async SDK client."""

    async def delete(self, name: str) -> Any:  # type: ignore[override]
        for attempt in range(1, self.max_attempts + 1):
            try:
                return _checked(await self.client.DeleteTopic(_delete_request(name)))
            except SDK_ERRORS as exc:
                error = TopicError.from_sdk(exc)
                if not is_transient(error.code) or attempt == self.max_attempts:
                    raise error from exc
            await asyncio.sleep(self.base_delay * 2 ** (attempt - 1))
        raise AssertionError("unreachable")


# -- a well-behaved client over raw requests --------------------------------------------------

TC3_HEADERS = {
    "Content-Type": "application/json",
    "X-TC-Action": "DeleteTopic",
    "X-TC-Version": "2019-08-19",
    "X-TC-Region": "ap-guangzhou",
    "Authorization": "TC3-HMAC-SHA256 Credential=AKIDfake/2026-11-28/ckafka/tc3_request, "
    "SignedHeaders=content-type;host, Signature=00",
}


def raw_delete(name: str, max_attempts: int = 4) -> Any:
    """DeleteTopic by hand: status, content type and envelope are all checked."""
    for attempt in range(1, max_attempts + 1):
        try:
            answer = requests.post(
                "https://ckafka.tencentcloudapi.com/",
                json={"InstanceId": INSTANCE, "TopicName": name},
                headers=TC3_HEADERS,
                timeout=5,
            )
        except requests.RequestException as exc:
            error = TopicError("ClientNetworkError", str(exc), None)
        else:
            if answer.status_code != 200:
                error = TopicError("ServerNetworkError", f"HTTP {answer.status_code}", None)
            elif answer.headers.get("Content-Type") != "application/json":
                raise TopicError("BadContentType", answer.headers.get("Content-Type", ""), None)
            else:
                try:
                    response = json.loads(answer.text)["Response"]
                except ValueError as exc:
                    raise TopicError("MalformedResponse", str(exc), None) from exc
                if "Error" not in response:
                    return response
                code, message = response["Error"]["Code"], response["Error"]["Message"]
                error = TopicError(code, message, response["RequestId"])
        if not is_transient(error.code) or attempt == max_attempts:
            raise error
        time.sleep(0.1 * 2**attempt)
    raise AssertionError("unreachable")


@pytest.fixture(autouse=True)
def kafka_instance(ckafka: CKafkaMock) -> str:
    """The instance and topics the clients delete from, seeded in the stateful backend.

    After an injected code, the client's next attempt is answered by the backend: the
    "then success" of a retried code is a real delete, so the topic must exist.
    """
    ckafka.state.add_instance(INSTANCE, name="shop")
    ckafka.state.add_topic(INSTANCE, "orders", partitions=3)
    ckafka.state.add_topic(INSTANCE, "orders-dlq")
    return INSTANCE


def _topic_names(ckafka: CKafkaMock) -> list[str]:
    return [topic.name for topic in ckafka.state.topics(INSTANCE)]


# -- (a) the well-behaved clients pass for every code and every fault -------------------------


def test_sync_sdk_client_handles_every_code(
    ckafka: CKafkaMock, ckafka_client: Any, ckafka_error_code: str
) -> None:
    topics = Topics(ckafka_client)
    verdict = ckafka.assert_handles(
        ckafka_error_code,
        lambda: topics.delete("orders"),
        action="DeleteTopic",
        raises=TopicError,
        backoff=True,
    )
    assert verdict.ok
    assert verdict.expected == DEFAULT_POLICY.decide(ckafka_error_code)
    assert verdict.attempts == (3 if verdict.expected == "retry" else 1)


async def test_async_sdk_client_handles_every_code(
    ckafka: CKafkaMock, ckafka_client_async: Any, ckafka_error_code: str
) -> None:
    topics = AsyncTopics(ckafka_client_async)
    verdict = ckafka.assert_handles(
        ckafka_error_code,
        lambda: topics.delete("orders"),
        action="DeleteTopic",
        raises=TopicError,
        backoff=True,
    )
    assert verdict.ok
    assert verdict.attempts == (3 if verdict.expected == "retry" else 1)


def test_raw_requests_client_handles_every_code(ckafka: CKafkaMock, ckafka_error_code: str) -> None:
    verdict = ckafka.assert_handles(
        ckafka_error_code, lambda: raw_delete("orders"), raises=TopicError, backoff=True
    )
    assert (verdict.ok, verdict.action) == (True, "DeleteTopic")


def test_sync_sdk_client_handles_every_fault(
    ckafka: CKafkaMock, ckafka_client: Any, ckafka_fault: str
) -> None:
    topics = Topics(ckafka_client)
    verdict = ckafka.assert_handles(
        ckafka_fault, lambda: topics.delete("orders"), raises=TopicError, backoff=True
    )
    assert verdict.expected == DEFAULT_POLICY.decide(ckafka_fault)


async def test_async_sdk_client_handles_every_fault(
    ckafka: CKafkaMock, ckafka_client_async: Any, ckafka_fault: str
) -> None:
    topics = AsyncTopics(ckafka_client_async)
    verdict = ckafka.assert_handles(
        ckafka_fault, lambda: topics.delete("orders"), raises=TopicError, backoff=True
    )
    assert verdict.expected == DEFAULT_POLICY.decide(ckafka_fault)


def test_raw_requests_client_handles_every_fault(ckafka: CKafkaMock, ckafka_fault: str) -> None:
    ckafka.assert_handles(ckafka_fault, lambda: raw_delete("orders"), raises=TopicError)


def test_backoff_is_recorded_not_slept(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    topics = Topics(ckafka_client, base_delay=30)
    started = time.monotonic()
    verdict = ckafka.assert_handles("RequestLimitExceeded", lambda: topics.delete("orders"))
    assert time.monotonic() - started < 20  # the real backoff would take 90 s
    assert verdict.sleeps == (30.0, 60.0)
    assert verdict.observed == "retried 2×, then succeeded"
    assert ckafka.clock.sleeps == [30.0, 60.0]
    assert _topic_names(ckafka) == ["orders-dlq"]  # the third attempt deleted it


def test_attempts_sets_how_many_failures_come_first(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    topics = Topics(ckafka_client)
    verdict = ckafka.assert_handles("InternalError", lambda: topics.delete("orders"), attempts=3)
    assert (verdict.attempts, verdict.sleeps) == (4, (0.5, 1.0, 2.0))
    assert [c.error_code for c in ckafka.calls] == [*["InternalError"] * 3, None]


async def test_a_coroutine_function_is_awaited(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    topics = AsyncTopics(ckafka_client_async)

    async def delete() -> Any:
        return await topics.delete("orders")

    assert ckafka.assert_handles("ResourceInUse", delete).ok


def test_a_per_call_policy_changes_the_expectation(ckafka: CKafkaMock) -> None:
    def give_up_on_busy() -> Any:
        return raw_delete("orders", max_attempts=1)

    verdict = ckafka.assert_handles(
        "ResourceInUse", give_up_on_busy, policy={"ResourceInUse": "raise"}
    )
    assert (verdict.expected, verdict.observed) == ("raise", "raised TopicError")
    assert ckafka.policy.decide("ResourceInUse") == "retry"  # only for that call


# -- (b) broken clients and the messages they get ---------------------------------------------

DEFAULT_RAISE_REASON = (
    "not transient: stop and surface the Code and RequestId (auth, parameter, quota, "
    "resource-state and request errors do not improve on retry)"
)
THROTTLE_REASON = "throttled: retry with backoff (the SDKs' StandardRetryer lists it as retryable)"


def _failure(ckafka: CKafkaMock, code: str, call: Any, **options: Any) -> str:
    with pytest.raises(HandlingError) as info:
        ckafka.assert_handles(code, call, **options)
    return str(info.value)


def _request_id(ckafka: CKafkaMock) -> str:
    return next(c.request_id for c in ckafka.calls if c.error_code)


def test_a_client_that_swallows_errors(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def swallow() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException:
            return None

    assert _failure(ckafka, "AuthFailure.SignatureFailure", swallow).splitlines() == [
        f"DeleteTopic: AuthFailure.SignatureFailure was mishandled (policy: raise, "
        f"{DEFAULT_RAISE_REASON}).",
        "Expected call() to raise after 1 attempt (AuthFailure.SignatureFailure persists); "
        "it returned normally: the error was swallowed.",
        "Attempts seen: 1",
    ]
    assert _failure(ckafka, "RequestLimitExceeded", swallow).splitlines() == [
        f"DeleteTopic: RequestLimitExceeded was mishandled (policy: retry, {THROTTLE_REASON}).",
        "Expected 3 attempts (2 × RequestLimitExceeded, then success); call() returned after "
        "1: the error was swallowed, not retried.",
        "Attempts seen: 1",
    ]


def test_a_client_that_retries_an_auth_failure(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def retry_three_times() -> Any:
        for attempt in range(3):
            try:
                return ckafka_client.DeleteTopic(_delete_request("orders"))
            except TencentCloudSDKException:
                if attempt == 2:
                    raise
                time.sleep(1)

    assert _failure(ckafka, "AuthFailure.SecretIdNotFound", retry_three_times).splitlines() == [
        f"DeleteTopic: AuthFailure.SecretIdNotFound was mishandled (policy: raise, "
        f"{DEFAULT_RAISE_REASON}).",
        "Expected 1 attempt: AuthFailure.SecretIdNotFound is not transient, but the client "
        "retried it (3 attempts).",
        "Attempts seen: 3; sleeps: 1s, 1s",
    ]


def test_a_client_that_never_retries_throttling(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def no_retry() -> Any:
        return ckafka_client.DeleteTopic(_delete_request("orders"))

    message = _failure(ckafka, "RequestLimitExceeded", no_retry)
    request_id = _request_id(ckafka)
    assert message.splitlines() == [
        f"DeleteTopic: RequestLimitExceeded was mishandled (policy: retry, {THROTTLE_REASON}).",
        "Expected the client to retry and succeed on attempt 3 (2 × RequestLimitExceeded, then "
        "success); it gave up and raised TencentCloudSDKException('[TencentCloudSDKException] "
        "code:RequestLimitExceeded message:The number of requests exceeds the frequency limit. "
        f"requestId:{request_id}') after 1 attempt.",
        "Attempts seen: 1",
    ]


def test_a_client_that_drops_the_request_id(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def delete() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException:
            raise RuntimeError("delete failed") from None  # hides the SDK error

    message = _failure(ckafka, "ResourceNotFound", delete)
    request_id = _request_id(ckafka)
    assert message.splitlines() == [
        f"DeleteTopic: ResourceNotFound was mishandled (policy: raise, {DEFAULT_RAISE_REASON}).",
        "call() raised RuntimeError('delete failed'), but the Code ResourceNotFound and the "
        f"RequestId {request_id} cannot be found in the exception (message, args, "
        "attributes, __cause__/__context__) nor in the 0 log records of the call.",
        "Attempts seen: 1",
    ]


def test_a_client_that_keeps_the_code_but_drops_the_request_id(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    def delete() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException as exc:
            raise RuntimeError(f"delete failed: {exc.get_code()}") from None

    message = _failure(ckafka, "ResourceNotFound", delete)
    assert message.splitlines()[1] == (
        "call() raised RuntimeError('delete failed: ResourceNotFound'), but the RequestId "
        f"{_request_id(ckafka)} cannot be found in the exception (message, "
        "args, attributes, __cause__/__context__) nor in the 0 log records of the call."
    )


def test_a_retry_storm_is_cut(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def retry_everything() -> Any:
        for _ in range(1_000):  # bounded, so a broken cut fails instead of hanging
            try:
                return ckafka_client.DeleteTopic(_delete_request("orders"))
            except TencentCloudSDKException:
                time.sleep(0.1)
        raise AssertionError("the retry storm was not cut")

    message = _failure(ckafka, "UnauthorizedOperation", retry_everything)
    assert message.splitlines() == [
        f"DeleteTopic: UnauthorizedOperation was mishandled (policy: raise, "
        f"{DEFAULT_RAISE_REASON}).",
        "Expected 1 attempt; the client kept retrying and was stopped after 15 attempts "
        "(a retry storm).",
        "Attempts seen: 15; sleeps: " + ", ".join(["0.1s"] * 15),
    ]
    assert len(ckafka.calls) == 15  # the 16th attempt got the cut (RetryStorm), not an answer


def test_a_client_that_catches_everything_cannot_swallow_the_cut(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    def retry_on_any_exception() -> Any:
        for _ in range(1_000):
            try:
                return ckafka_client.DeleteTopic(_delete_request("orders"))
            except Exception:
                pass
        raise AssertionError("the retry storm was not cut")

    verdict = ckafka.check_error_handling(
        retry_on_any_exception, ["InternalError"], policy={"InternalError": "retry"}
    )
    assert [v.observed for v in verdict] == ["retried 2×, then succeeded"]
    with pytest.raises(HandlingError) as info:
        ckafka.assert_handles("InvalidParameter", retry_on_any_exception)
    assert "was stopped after 15 attempts (a retry storm)" in str(info.value)


def test_raises_names_the_expected_type(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def delete() -> Any:
        return ckafka_client.DeleteTopic(_delete_request("orders"))

    message = _failure(ckafka, "InvalidParameter", delete, raises=(TopicError, KeyError))
    assert message.splitlines()[:2] == [
        f"DeleteTopic: InvalidParameter was mishandled (policy: raise, {DEFAULT_RAISE_REASON}).",
        "Expected call() to raise TopicError/KeyError; it raised TencentCloudSDKException("
        "'[TencentCloudSDKException] code:InvalidParameter message:Incorrect parameter. "
        f"requestId:{_request_id(ckafka)}').",
    ]


def test_backoff_true_fails_a_client_that_does_not_sleep(ckafka: CKafkaMock) -> None:
    def hammer() -> Any:
        for _ in range(4):
            try:
                return raw_delete("orders", max_attempts=1)
            except TopicError:
                continue  # straight back in, no pause
        return None

    assert ckafka.assert_handles("ResourceInUse", hammer).ok  # fine without backoff=True
    ckafka.state.add_topic(INSTANCE, "orders")  # the third attempt above deleted it
    assert _failure(ckafka, "ResourceInUse", hammer, backoff=True).splitlines() == [
        "DeleteTopic: ResourceInUse was mishandled (policy: retry, another operation holds the "
        "resource: retry after it finishes, as the Terraform provider does).",
        "Expected the retries to be spaced by a backoff; no sleep was recorded between the 3 "
        "attempts.",
        "Attempts seen: 3",
    ]


def test_a_client_that_makes_no_call(ckafka: CKafkaMock) -> None:
    assert _failure(ckafka, "InternalError", lambda: None, action="DeleteTopic").splitlines()[
        1:
    ] == [
        "call() made no DeleteTopic call at all (returned).",
        "Attempts seen: 0",
    ]


def test_a_client_that_keeps_calling_after_success(ckafka: CKafkaMock) -> None:
    def delete_twice() -> Any:
        raw_delete("orders")
        return raw_delete("orders-dlq")  # a second, successful delete: one call too many

    assert _failure(ckafka, "InternalError", delete_twice).splitlines()[1:] == [
        "Expected 3 attempts; the client made 4 (it kept calling after the call succeeded: a "
        "retry storm).",
        "Attempts seen: 4; sleeps: 0.2s, 0.4s",
    ]


# -- (c) where the RequestId may be found ------------------------------------------------------


class AppError(Exception):
    """An application error whose message says nothing about the API."""


def test_request_id_found_through_the_cause_chain(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def delete() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException as exc:
            raise AppError("could not delete topic orders") from exc

    verdict = ckafka.assert_handles("ResourceNotFound", delete, raises=AppError)
    assert (verdict.observed, verdict.request_id) == ("raised AppError", _request_id(ckafka))


def test_request_id_found_through_the_implicit_context(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    def delete() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException:
            raise AppError("could not delete topic orders")  # noqa: B904  (context kept)

    assert ckafka.assert_handles("ResourceNotFound", delete).ok


def test_request_id_found_in_the_log_records(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def delete() -> Any:
        try:
            return ckafka_client.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException as exc:
            log.error("DeleteTopic failed: %s (RequestId %s)", exc.code, exc.requestId)
            raise AppError("could not delete topic orders") from None

    assert ckafka.assert_handles("ResourceNotFound", delete).ok


def test_request_id_found_in_an_attribute(ckafka: CKafkaMock) -> None:
    class Failed(Exception):
        def __init__(self, code: str, request_id: str) -> None:
            super().__init__("the API said no")
            self.code, self.request_id = code, request_id

    def delete() -> Any:
        try:
            return raw_delete("orders")
        except TopicError as exc:
            raise Failed(exc.code, str(exc.request_id)) from None

    assert ckafka.assert_handles("ResourceNotFound", delete).ok


def test_faults_need_no_request_id(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def delete() -> Any:
        try:
            return _checked(ckafka_client.DeleteTopic(_delete_request("orders")))
        except (TencentCloudSDKException, TopicError):
            raise RuntimeError("delete failed") from None

    assert ckafka.assert_handles("malformed_json", delete).ok
    assert ckafka.assert_handles("wrong_content_type", delete).ok


# -- (d) bad input at the call site -----------------------------------------------------------


def test_unknown_code_suggests(ckafka: CKafkaMock) -> None:
    with pytest.raises(UnknownErrorCodeError) as info:
        ckafka.assert_handles("ResourceInUsed", lambda: None)
    assert str(info.value) == (
        'unknown error code or fault kind "ResourceInUsed": did you mean "ResourceInUse"? '
        "(65 valid error codes and fault kinds; close matches: ResourceInUse, ResourceNotFound, "
        "ResourceInsufficient)"
    )


def test_unknown_fault_kind_suggests(ckafka: CKafkaMock) -> None:
    with pytest.raises(UnknownErrorCodeError) as info:
        ckafka.assert_handles("timout", lambda: None)
    assert str(info.value) == (
        'unknown error code or fault kind "timout": did you mean "timeout"? '
        "(65 valid error codes and fault kinds)"
    )


def test_call_must_be_callable(ckafka: CKafkaMock) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.assert_handles("InternalError", raw_delete("orders"))
    assert str(info.value) == (
        "assert_handles needs a callable that makes the API call, got dict (pass the function "
        "itself, or a lambda, not its result)"
    )


def test_action_must_be_in_the_spec(ckafka: CKafkaMock) -> None:
    with pytest.raises(UnknownActionError) as info:
        ckafka.assert_handles("InternalError", lambda: None, action="DeleteTopics")
    assert str(info.value) == (
        'unknown action "DeleteTopics": did you mean "DeleteTopic"? (105 valid actions; '
        "close matches: DeleteTopic, DeleteDatahubTopic, DeleteGroup)"
    )


@pytest.mark.parametrize("attempts", [0, -1, True, 1.5, "2"])
def test_attempts_must_be_a_positive_integer(ckafka: CKafkaMock, attempts: Any) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.assert_handles("InternalError", lambda: None, attempts=attempts)
    assert str(info.value) == f"attempts must be a positive integer, got {attempts!r}"


def test_bad_input_registers_nothing(ckafka: CKafkaMock) -> None:
    with pytest.raises(CKafkaUsageError):
        ckafka.assert_handles("InternalError", lambda: None, attempts=0)
    assert (ckafka.stubs, ckafka.verdicts) == ([], [])


# -- (e) the whole matrix in one test ---------------------------------------------------------


def test_check_error_handling_reports_a_good_client(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    topics = Topics(ckafka_client)

    def delete_orders() -> Any:
        # A retried code ends with a real delete; the state is put back before each code.
        assert "orders" in _topic_names(ckafka)
        return topics.delete("orders")

    report = ckafka.check_error_handling(delete_orders, action="DeleteTopic")
    assert isinstance(report, MatrixReport)
    assert report.ok and report.mishandled == []
    assert _topic_names(ckafka) == ["orders", "orders-dlq"]  # put back after the last code
    codes = [v.code for v in report]
    assert len(report) == len(codes) == len(set(codes))
    assert {"ResourceInUse", "ResourceNotFound", "timeout", "wrong_content_type"} <= set(codes)
    rows = [line.split("  ") for line in report.table().splitlines()]
    cells = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert cells[0] == ["code", "expected", "observed", "verdict"]
    assert cells[1 + codes.index("ResourceInUse")] == [
        "ResourceInUse",
        "retry",
        "retried 2×, then succeeded",
        "handled",
    ]
    assert cells[1 + codes.index("ResourceNotFound")] == [
        "ResourceNotFound",
        "raise",
        "raised TopicError",
        "handled",
    ]
    assert all(isinstance(v, Verdict) and v.action == "DeleteTopic" for v in report)
    assert ckafka.verdicts == report.verdicts


def test_check_error_handling_fails_with_the_table(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def no_retry() -> Any:
        return ckafka_client.DeleteTopic(_delete_request("orders"))

    codes = ["InternalError", "ResourceNotFound", "RequestLimitExceeded", "timeout"]
    with pytest.raises(HandlingError) as info:
        ckafka.check_error_handling(no_retry, codes, action="DeleteTopic")
    assert str(info.value).splitlines() == [
        "3 of 4 codes were mishandled:",
        "code                  expected  observed                         verdict",
        "InternalError         retry     gave up after 1 attempt          MISHANDLED",
        "ResourceNotFound      raise     raised TencentCloudSDKException  handled",
        "RequestLimitExceeded  retry     gave up after 1 attempt          MISHANDLED",
        "timeout               retry     gave up after 1 attempt          MISHANDLED",
    ]
    report = info.value.report
    assert [v.code for v in report.mishandled] == [
        "InternalError",
        "RequestLimitExceeded",
        "timeout",
    ]
    assert report.mishandled[0].message().startswith("DeleteTopic: InternalError was mishandled")


# -- (f) the official SDK's own StandardRetryer, measured ------------------------------------


def test_sdk_standard_retryer_under_the_default_policy(
    ckafka: CKafkaMock, ckafka_credential: Any
) -> None:
    """Pinned finding (SDK 3.1.x): StandardRetryer alone does not meet the default policy.

    It retries only ClientNetworkError, ServerNetworkError and three RequestLimitExceeded
    codes, and it never resets ``err`` between attempts: once an attempt failed, a later
    success is still treated as a failure, so it sleeps and re-raises the stale error after
    max_attempts. Every retryable code therefore fails: those it does not retry after 1
    attempt, those it does retry after 3. Codes to raise pass; wrong_content_type returns an
    empty model instead of raising.
    """
    profile = ClientProfile()
    profile.retryer = StandardRetryer(max_attempts=3)
    client = CkafkaClient(ckafka_credential, "ap-guangzhou", profile)

    with pytest.raises(HandlingError) as info:
        ckafka.check_error_handling(
            lambda: client.DescribeInstances(models.DescribeInstancesRequest()),
            action="DescribeInstances",
        )
    report: MatrixReport = info.value.report
    assert {v.code: v.observed for v in report.mishandled} == {
        "InternalError": "gave up after 1 attempt",
        "RequestLimitExceeded": "gave up after 3 attempts",
        "RequestLimitExceeded.GlobalRegionUinLimitExceeded": "gave up after 3 attempts",
        "RequestLimitExceeded.IPLimitExceeded": "gave up after 1 attempt",
        "RequestLimitExceeded.UinLimitExceeded": "gave up after 3 attempts",
        "ResourceInUse": "gave up after 1 attempt",
        "ResourceUnavailable": "gave up after 1 attempt",
        "ServiceUnavailable": "gave up after 1 attempt",
        "timeout": "gave up after 3 attempts",
        "connection_error": "gave up after 3 attempts",
        "http_status": "gave up after 3 attempts",
        "wrong_content_type": "returned after 1 attempt",
    }
    handled = [v for v in report if v.ok]
    assert all(v.expected == "raise" and v.attempts == 1 for v in handled)
    assert "malformed_json" in [v.code for v in handled]
    assert len(handled) == len(report) - 12
    stale = next(v for v in report if v.code == "RequestLimitExceeded")
    assert stale.sleeps == (1.0, 2.0, 4.0)  # it even slept after the successful third attempt


def test_the_tests_own_stubs_do_not_hide_the_injected_code(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    ckafka.respond("DeleteTopic", {"Result": {"ReturnCode": "0"}})
    ckafka.respond("DescribeTopic")
    topics = Topics(ckafka_client)
    verdict = ckafka.assert_handles(
        "AuthFailure.SignatureFailure", lambda: topics.delete("orders"), raises=TopicError
    )
    assert (verdict.ok, verdict.attempts) == (True, 1)
    assert ckafka_client.DeleteTopic(_delete_request("orders")).Result.ReturnCode == "0"


# -- (g) what ends call(), and what answers before the injected code ------------------------


def test_keyboard_interrupt_still_stops_the_run(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    def interrupted() -> None:
        ckafka_client.DeleteTopic(_delete_request("orders"))

    def press_ctrl_c() -> None:
        try:
            interrupted()
        except TencentCloudSDKException:
            raise KeyboardInterrupt from None

    with pytest.raises(KeyboardInterrupt):
        ckafka.assert_handles("ResourceNotFound", press_ctrl_c)
    assert ckafka.stubs == []  # the injected code is gone all the same


def _exit_on_error(code: str, request_id: Optional[str]) -> None:
    print(f"topics: {code} (RequestId {request_id})")
    raise SystemExit(2)


async def test_an_async_program_that_exits_from_an_async_test(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    async def main() -> None:
        try:
            await ckafka_client_async.DeleteTopic(_delete_request("orders"))
        except TencentCloudSDKException as exc:
            _exit_on_error(str(exc.code), exc.requestId)

    verdict = ckafka.assert_handles("ResourceNotFound", main, raises=SystemExit)
    assert (verdict.ok, verdict.observed) == (
        True,
        "exited with code 2, printed the Code and RequestId",
    )


def test_a_refused_request_is_not_blamed_on_the_client(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    def delete_without_a_name() -> Any:  # TopicName is required: validation answers first
        request = models.DeleteTopicRequest()
        request.InstanceId = INSTANCE
        return ckafka_client.DeleteTopic(request)

    with pytest.raises(HandlingError) as info:
        ckafka.check_error_handling(delete_without_a_name, ["InternalError", "ResourceNotFound"])
    assert str(info.value).splitlines() == [
        "0 of 2 codes were mishandled and 2 never injected (refused first):",
        "code              expected  observed                                          verdict",
        "InternalError     retry     refused by request validation (MissingParameter)  "
        "NOT INJECTED",
        "ResourceNotFound  raise     refused by request validation (MissingParameter)  "
        "NOT INJECTED",
    ]
    report = info.value.report
    assert [(v.outcome, v.injected, v.request_id) for v in report] == [
        ("not injected", 0, None)
    ] * 2
    assert [c.answered_by for c in ckafka.calls] == ["invalid", "invalid"]
