"""The pure core: registration checks, the order answers are picked in, and handle()."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pytest_ckafka import CKafka
from pytest_ckafka.api import strict_json
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.exceptions import (
    CKafkaUsageError,
    UnknownActionError,
    UnknownErrorCodeError,
    UnmatchedCallError,
)

URL = "https://ckafka.tencentcloudapi.com/"


def call(fake: CKafka, action: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Answer one call; with no ``params``, the action's documented (valid) example input."""
    if params is None:
        params = load_spec().action(action).example_input
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    reply = fake.handle("POST", URL, headers, json.dumps(params).encode())
    assert reply.headers == {"Content-Type": "application/json"}
    response: dict[str, Any] = json.loads(reply.body)["Response"]
    return response


def code_of(response: dict[str, Any]) -> str | None:
    return response["Error"]["Code"] if "Error" in response else None


def test_action_stubs_then_star_then_default() -> None:
    # About the synthesized default the stubs fall through to: no stateful backend.
    fake = CKafka(stateful=False)
    fake.fail("*", "InternalError", times=1)
    fake.fail("DeleteTopic", "ResourceInUse", times=1)
    assert code_of(call(fake, "DeleteTopic")) == "ResourceInUse"
    assert code_of(call(fake, "DeleteTopic")) == "InternalError"
    assert code_of(call(fake, "DeleteTopic")) is None
    assert [c.answered_by for c in fake.calls] == ["stub", "stub", "default"]


def test_respond_without_body_overrides_star() -> None:
    fake = CKafka()
    fake.respond("DescribeTopic")
    fake.fail("*", "InternalError")
    assert code_of(call(fake, "DescribeTopic")) is None
    assert code_of(call(fake, "DeleteTopic")) == "InternalError"


def test_times_counts_down_in_registration_order() -> None:
    fake = CKafka()
    fake.respond("DescribeTopic", {"Result": {"TotalCount": 1}}, times=2)
    fake.respond("DescribeTopic", {"Result": {"TotalCount": 2}})
    totals = [call(fake, "DescribeTopic")["Result"]["TotalCount"] for _ in range(4)]
    assert totals == [1, 1, 2, 2]


def test_params_narrow_a_stub() -> None:
    fake = CKafka()
    fake.state.add_instance("ckafka-here")
    fake.fail("DescribeTopic", "ResourceNotFound", params={"InstanceId": "ckafka-gone"})
    assert code_of(call(fake, "DescribeTopic", {"InstanceId": "ckafka-gone"})) == (
        "ResourceNotFound"
    )
    assert code_of(call(fake, "DescribeTopic", {"InstanceId": "ckafka-here"})) is None


def test_request_id_is_fresh_and_recorded() -> None:
    fake = CKafka()
    first, second = call(fake, "DescribeTopic"), call(fake, "DescribeTopic")
    assert first["RequestId"] != second["RequestId"]
    assert [c.request_id for c in fake.calls] == [first["RequestId"], second["RequestId"]]


def test_strict_raises_and_remembers_for_teardown() -> None:
    # Strict mode alone: the stateful backend does not answer DescribeTopic either.
    fake = CKafka(strict=True)
    with pytest.raises(UnmatchedCallError) as info:
        call(fake, "DescribeTopic", {"InstanceId": "ckafka-1"})
    assert str(info.value).splitlines() == [
        'pytest-ckafka strict mode: no stub answers DescribeTopic {"InstanceId": "ckafka-1"}',
        "Registered stubs:",
        "  (none)",
        'Register one with ckafka.respond("DescribeTopic", ...) or '
        'ckafka.fail("DescribeTopic", ...).',
        "Or let the stateful backend answer it too: strict=True, stateful=True.",
    ]
    with pytest.raises(UnmatchedCallError):
        fake.verify()


@pytest.mark.parametrize(
    ("register", "error", "message"),
    [
        (
            lambda f: f.respond("DescribeTopic", times=0),
            CKafkaUsageError,
            "times must be a positive integer or None, got 0",
        ),
        (
            lambda f: f.fail("DeleteTopic", "ResourceInUse", times=True),
            CKafkaUsageError,
            "times must be a positive integer or None, got True",
        ),
        (
            lambda f: f.fault("DeleteTopic", "timout"),
            CKafkaUsageError,
            'unknown fault kind "timout": did you mean "timeout"? Valid choices: '
            "connection_error, http_status, malformed_json, timeout, wrong_content_type.",
        ),
        (
            lambda f: f.fault("DeleteTopic", "http_status", status=200),
            CKafkaUsageError,
            "http_status fault needs a non-200 status between 300 and 599, got 200",
        ),
        (
            lambda f: f.fail("DeleteTopik", "ResourceInUse"),
            UnknownActionError,
            'unknown action "DeleteTopik": did you mean "DeleteTopic"? (105 valid actions; '
            "close matches: DeleteTopic, DeleteGroup, DeleteDatahubTopic)",
        ),
        (
            lambda f: f.fail("DeleteTopic", "ResourceInUze"),
            UnknownErrorCodeError,
            'unknown error code "ResourceInUze": did you mean "ResourceInUse"? '
            "(60 valid error codes; close matches: ResourceInUse, ResourceInsufficient, "
            "ResourceNotFound). "
            "Pass custom=True to send a code that is not in the catalog.",
        ),
        (
            lambda f: f.respond("DescribeTopic", [1, 2]),
            CKafkaUsageError,
            "DescribeTopic: body must be an object of Response members, got a list",
        ),
    ],
    ids=["times-0", "times-bool", "fault-kind", "fault-status", "action", "code", "body-type"],
)
def test_bad_registrations_say_what_was_wrong(register: Any, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        register(CKafka())
    assert str(info.value) == message


def test_custom_codes_need_opt_in() -> None:
    fake = CKafka()
    fake.fail("DeleteTopic", "Vendor.Specific", "nope", custom=True)
    assert call(fake, "DeleteTopic")["Error"] == {"Code": "Vendor.Specific", "Message": "nope"}


def test_stub_describe_and_reset() -> None:
    fake = CKafka()
    fake.respond("DescribeTopic", {"Result": {"TotalCount": 3}}, times=1)
    call(fake, "DescribeTopic")
    assert [s.describe() for s in fake.stubs] == [
        'respond(\'DescribeTopic\', {"Result":{"TotalCount":3}}, times=1) [used 1 of 1]'
    ]
    fake.reset()
    assert (fake.stubs, len(fake.calls)) == ([], 0)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"InstanceID": "x"},
            'DescribeTopic params: unknown request parameter "InstanceID": did you mean '
            '"InstanceId"? Valid choices: AclRuleName, InstanceId, Limit, Offset, SearchWord.',
        ),
        ("InstanceId=x", "params must be an object of request parameters, got a string"),
    ],
)
def test_params_are_checked_when_registered(params: Any, message: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        CKafka().fail("DescribeTopic", "ResourceNotFound", params=params)
    assert str(info.value) == message


def test_strict_misses_from_threads_each_name_their_own_call() -> None:
    from concurrent.futures import ThreadPoolExecutor

    fake = CKafka(strict=True, stateful=False)

    def miss(n: int) -> str:
        try:
            call(fake, "DescribeTopic", {"InstanceId": f"ckafka-{n}"})
        except UnmatchedCallError as exc:
            return str(exc).splitlines()[0]
        return "answered"

    with ThreadPoolExecutor(max_workers=8) as pool:
        firsts = list(pool.map(miss, range(40)))
    assert firsts == [
        f'pytest-ckafka strict mode: no stub answers DescribeTopic {{"InstanceId": "ckafka-{n}"}}'
        for n in range(40)
    ]


def test_remove_unregisters_a_stub() -> None:
    fake = CKafka()
    fake.state.add_instance("ckafka-xxooa0")  # the instance of DescribeTopic's example input
    stub = fake.fail("DescribeTopic", "InternalError")
    fake.remove(stub)
    assert code_of(call(fake, "DescribeTopic")) is None
    fake.remove(stub)  # removing twice is harmless


# -- validation ------------------------------------------------------------------------------


def test_invalid_requests_are_answered_before_stubs() -> None:
    fake = CKafka()
    stub = fake.fail("DescribeTopic", "ResourceInUse")
    assert call(fake, "DescribeTopic", {"Limit": 20})["Error"] == {
        "Code": "MissingParameter",
        "Message": "The request is missing a required parameter `InstanceId`.",
    }
    unknown = call(fake, "DescribeTopic", {"InstanceId": "ckafka-1", "Foo": 1})["Error"]
    assert unknown["Code"] == "UnknownParameter"
    assert unknown["Message"].startswith("The parameter `Foo` is not recognized.")
    assert [c.answered_by for c in fake.calls] == ["invalid", "invalid"]
    assert stub.used == 0
    assert code_of(call(fake, "DescribeTopic", {"InstanceId": "ckafka-1"})) == "ResourceInUse"


def test_validate_false_lets_anything_through() -> None:
    # An unvalidated request has no InstanceId: only the synthesized default answers it.
    fake = CKafka(validate=False, stateful=False)
    assert code_of(call(fake, "DescribeTopic", {"Foo": "bar", "Limit": "many"})) is None
    fake.fail("DeleteTopic", "ResourceInUse")
    assert code_of(call(fake, "DeleteTopic", {})) == "ResourceInUse"
    assert [c.answered_by for c in fake.calls] == ["default", "stub"]


class _RecordingCassette:
    """A cassette that has nothing and records: every call would go to the network."""

    recording = True

    def answer(self, parsed: Any, host: str, request_id: str, *, peek: bool = False) -> None:
        return None

    def miss_message(self, parsed: Any, host: str, nodeid: str | None) -> str:
        raise AssertionError("a recording cassette never misses")


def test_an_invalid_request_is_answered_not_passed_through() -> None:
    fake = CKafka()
    fake._cassette = _RecordingCassette()
    headers = {"X-TC-Action": "DescribeTopic", "X-TC-Version": "2019-08-19"}
    assert not fake._passes_through("POST", URL, headers, b"{}")
    assert fake._passes_through("POST", URL, headers, b'{"InstanceId": "ckafka-1"}')
    assert call(fake, "DescribeTopic", {})["Error"]["Code"] == "MissingParameter"


def test_teardown_reports_the_first_20_strict_misses_and_counts_the_rest() -> None:
    fake = CKafka(strict=True)
    for n in range(25):
        with pytest.raises(UnmatchedCallError):
            call(fake, "DescribeTopic", {"InstanceId": f"ckafka-{n}"})
    with pytest.raises(UnmatchedCallError) as info:
        fake.verify()
    report = str(info.value)
    assert report.count("no stub answers DescribeTopic") == 20
    assert '{"InstanceId": "ckafka-19"}' in report and "ckafka-20" not in report
    assert report.endswith("\n\n... and 5 more like these")
    fake.reset()
    fake.verify()


def raw_call(fake: CKafka, action: str, body: str) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", "X-TC-Action": action}
    response: dict[str, Any] = json.loads(fake.handle("POST", URL, headers, body.encode()).body)
    return response["Response"]


def test_numbers_past_json_are_refused_even_without_validation() -> None:
    # With validate=False, Limit=1e400 was an InternalError (an OverflowError in paging) and
    # a TagValue of 1e400 was stored, after which the state could no longer be saved.
    fake = CKafka(validate=False)
    instance = fake.state.add_instance()
    answer = raw_call(fake, "DescribeTopic", f'{{"InstanceId": "{instance}", "Limit": 1e400}}')
    assert answer["Error"] == {
        "Code": "InvalidParameter",
        "Message": "Invalid value for parameter `Limit`: 1e400 is out of range: send a finite "
        "number.",
    }
    body = (
        f'{{"InstanceId": "{instance}", "TopicName": "t", "PartitionNum": 1, "ReplicaNum": 2, '
        '"Tags": [{"TagKey": "k", "TagValue": 1e400}]}'
    )
    assert code_of(raw_call(fake, "CreateTopic", body)) == "InvalidParameter"
    assert fake.state.topics(instance) == []
    strict_json.dumps(fake.state.dump())  # still saves
