"""Stub bodies are checked against the spec at registration, with exact messages."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_ckafka.api.bodycheck import check_body
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.api.synth import default_body
from pytest_ckafka.exceptions import CKafkaUsageError, UnknownActionError

ACTIONS = sorted(load_spec().actions)


def message(action: str, body: Any) -> str:
    with pytest.raises(CKafkaUsageError) as info:
        check_body(action, body)
    return str(info.value)


@pytest.mark.parametrize("action", ACTIONS)
def test_every_default_body_passes(action: str) -> None:
    check_body(action, default_body(action))


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Result": {}},
        {"Result": {"TotalCount": 3}},
        {"Result": {"InstanceList": [{"InstanceId": "ckafka-1"}, {}]}},
        {"Result": {"InstanceList": ()}},
    ],
    ids=["empty", "empty-result", "one-member", "partial-items", "tuple"],
)
def test_partial_bodies_are_accepted(body: dict[str, Any]) -> None:
    check_body("DescribeInstances", body)


def test_unknown_member_names_the_path_and_suggests() -> None:
    assert message("DescribeInstances", {"Result": {"InstanceLis": []}}) == (
        'DescribeInstances response: unknown member "Result.InstanceLis": '
        'did you mean "InstanceList"? Valid members of InstanceResponse: InstanceList, TotalCount'
    )


def test_unknown_member_without_close_match_lists_the_valid_ones() -> None:
    body = {"Result": {"InstanceList": [{"Zzz": 1}]}}
    assert message("DescribeInstances", body) == (
        'DescribeInstances response: unknown member "Result.InstanceList[0].Zzz". '
        "Valid members of Instance: IfCommunity, InstanceId, InstanceName, Status"
    )
    assert message("DeleteRouteTriggerTime", {"Result": 1}) == (
        'DeleteRouteTriggerTime response: unknown member "Result". '
        "DeleteRouteTriggerTimeResponse has no members"
    )


def test_wrong_type_names_expected_and_received() -> None:
    assert message("DescribeInstances", {"Result": {"TotalCount": "3"}}) == (
        'DescribeInstances response: "Result.TotalCount" must be an integer (int64), '
        'got a string "3"'
    )


def test_wrong_type_inside_a_list() -> None:
    body = {"Result": {"InstanceList": [{"InstanceId": "ok"}, {"InstanceId": 5}]}}
    assert message("DescribeInstances", body) == (
        'DescribeInstances response: "Result.InstanceList[1].InstanceId" must be a string, '
        "got a number 5"
    )


def test_wrong_container_types() -> None:
    assert message("DescribeInstances", {"Result": {"InstanceList": {}}}) == (
        'DescribeInstances response: "Result.InstanceList" must be a list of objects (Instance), '
        "got an object {}"
    )
    assert message("DescribeInstances", {"Result": ["x"]}) == (
        'DescribeInstances response: "Result" must be an object (InstanceResponse), '
        'got a list ["x"]'
    )
    assert message("DescribeInstanceAttributes", {"Result": {"ZoneIds": [1, "2"]}}) == (
        'DescribeInstanceAttributes response: "Result.ZoneIds[1]" must be an integer (int64), '
        'got a string "2"'
    )


def test_bool_is_not_an_int_but_int_is_a_float() -> None:
    assert message("DescribeInstances", {"Result": {"TotalCount": True}}) == (
        'DescribeInstances response: "Result.TotalCount" must be an integer (int64), '
        "got a boolean true"
    )
    check_body("DescribeCkafkaZone", {"Result": {"MessagePrice": {"TotalCost": 3}}})
    assert message("DescribeCkafkaZone", {"Result": {"MessagePrice": {"TotalCost": False}}}) == (
        'DescribeCkafkaZone response: "Result.MessagePrice.TotalCost" must be a number (float), '
        "got a boolean false"
    )


def test_uint64_must_not_be_negative() -> None:
    assert message("DescribeGroup", {"Result": {"GroupCountQuota": -1}}) == (
        'DescribeGroup response: "Result.GroupCountQuota" must be an integer (uint64) >= 0, '
        "got a number -1"
    )


def test_null_is_accepted_unless_output_required_and_not_nullable() -> None:
    check_body("DescribeTopicAttributes", {"Result": {"Config": {"RetentionBytes": None}}})
    check_body("CreatePartition", {"Result": {"Data": None}})  # output-required but nullable
    check_body("DescribeThrottleRules", {"Result": {"TotalCount": None}})  # optional
    assert message("DescribeInstances", {"Result": {"TotalCount": None}}) == (
        'DescribeInstances response: "Result.TotalCount" must be an integer (int64), got null: '
        "the member is output-required and not nullable"
    )
    assert message("DescribeInstances", {"Result": {"InstanceList": [None]}}) == (
        'DescribeInstances response: "Result.InstanceList[0]" must be an object (Instance), '
        "got null"
    )


def test_envelope_members_are_refused_with_the_reason() -> None:
    assert message("DeleteTopic", {"RequestId": "r-1", "Error": {"Code": "X"}}) == (
        'DeleteTopic response: "RequestId" is added by the envelope; remove it from the body\n'
        'DeleteTopic response: "Error" cannot be in a success body; register an error reply '
        "instead"
    )


def test_every_problem_is_reported_one_line_each() -> None:
    body = {"Result": {"InstanceList": [{"InstanceId": 1, "Status": "1"}], "TotalCount": 1.5}}
    assert message("DescribeInstances", body).splitlines() == [
        'DescribeInstances response: "Result.InstanceList[0].InstanceId" must be a string, '
        "got a number 1",
        'DescribeInstances response: "Result.InstanceList[0].Status" must be an integer (int64), '
        'got a string "1"',
        'DescribeInstances response: "Result.TotalCount" must be an integer (int64), '
        "got a number 1.5",
    ]


def test_a_long_report_is_capped() -> None:
    body = {"Result": {"InstanceList": [{"Status": "x"}] * 25}}
    lines = message("DescribeInstances", body).splitlines()
    assert len(lines) == 21
    assert lines[-1] == "DescribeInstances response: ... and 5 more"


def test_long_values_are_echoed_shortened() -> None:
    text = message("DescribeInstances", {"Result": {"TotalCount": "x" * 100}})
    assert text == (
        'DescribeInstances response: "Result.TotalCount" must be an integer (int64), got a string "'
        + "x" * 59
        + "... (102 characters)"
    )


def test_a_body_that_is_not_a_mapping() -> None:
    assert message("DescribeInstances", [{"Result": {}}]) == (
        "DescribeInstances response: the body must be an object of DescribeInstancesResponse "
        'members, got a list [{"Result": {}}]'
    )


def test_unknown_action_suggests_a_close_match() -> None:
    with pytest.raises(UnknownActionError) as info:
        check_body("DescribeInstance", {})
    assert str(info.value) == (
        'unknown action "DescribeInstance": did you mean "DescribeInstances"? '
        "(105 valid actions; close matches: DescribeInstances, DescribeTypeInstances, "
        "DescribeInstancesDetail)"
    )
