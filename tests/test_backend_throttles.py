"""Traffic throttle rules through the official SDK, against the stateful backend."""

from __future__ import annotations

from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result


@pytest.fixture
def instance(ckafka: CKafkaMock) -> str:
    """An instance with the topics ``orders`` and ``refunds``."""
    instance = ckafka.state.add_instance(name="throttled")
    ckafka.state.add_topic(instance, "orders")
    ckafka.state.add_topic(instance, "refunds")
    return instance


def listed(client: Any, instance: str, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    answer = result(client, "DescribeThrottleRules", InstanceId=instance, **params)
    return answer["TotalCount"], answer["ThrottleRuleList"]


def test_throttle_workflow(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    ckafka.clock.advance(1_900_000_000 - ckafka.clock.now())  # 2030-03-18 01:46:40 in Beijing
    answer = result(
        ckafka_client,
        "CreateThrottleRule",
        InstanceId=instance,
        ThrottleType=1,
        UserNameList=["alice", "bob"],
        ClientIdList=["app"],
        ConsumeThrottle=15,
        ProduceThrottle=5,
    )
    assert (answer["ReturnCode"], answer["ReturnMessage"]) == ("0", "apply ok")
    result(
        ckafka_client,
        "CreateThrottleRule",
        InstanceId=instance,
        ThrottleType=2,
        GroupNameList=["billing"],
        ProduceThrottle=8,
    )
    result(
        ckafka_client,
        "CreateThrottleRule",
        InstanceId=instance,
        ThrottleType=3,
        TopicNameList=["orders"],
        ConsumeThrottle=30,
    )
    total, rules = listed(ckafka_client, instance)
    assert total == 3
    assert rules[0] == {
        "ThrottleRuleId": rules[0]["ThrottleRuleId"],
        "ThrottleType": 1,
        "ClientId": "app",
        "UserName": "alice",
        "ConsumeThrottle": 15,
        "UpdateTime": "2030-03-18 01:46:40",
        "TopicName": "",
        "TopicId": "",
    }
    # A group rule shows its group as the client id; it sets no consume throttle.
    assert (rules[2]["ClientId"], rules[2]["ThrottleType"], rules[2]["ConsumeThrottle"]) == (
        "billing",
        2,
        None,
    )
    total, (topic_rule,) = listed(ckafka_client, instance, ThrottleDimension=2)
    assert (total, topic_rule["TopicName"], topic_rule["TopicId"]) == (
        1,
        "orders",
        ckafka.state.topic(instance, "orders").topic_id,
    )
    assert listed(ckafka_client, instance, SearchWord="bob")[0] == 1
    assert listed(ckafka_client, instance, Limit=1, Offset=1)[1][0]["UserName"] == "bob"

    bob = rules[1]["ThrottleRuleId"]
    ckafka.clock.advance(60)
    result(
        ckafka_client,
        "ModifyThrottleRule",
        InstanceId=instance,
        ThrottleRuleId=bob,
        ConsumeThrottle=20,
    )
    (changed,) = listed(ckafka_client, instance, SearchWord="bob")[1]
    assert (changed["ConsumeThrottle"], changed["UpdateTime"]) == (20, "2030-03-18 01:47:40")
    assert ckafka.state.throttle_rules(instance)[1].produce_throttle == 5  # unchanged

    result(ckafka_client, "DeleteThrottleRule", InstanceId=instance, ThrottleRuleId=str(bob))
    assert [r.user_name for r in ckafka.state.throttle_rules(instance)] == ["alice", "", ""]


@pytest.mark.parametrize(
    ("action", "params", "code", "message"),
    [
        (
            "CreateThrottleRule",
            {"ThrottleType": 4, "UserNameList": ["alice"], "ConsumeThrottle": 1},
            "InvalidParameterValue",
            "The parameter `ThrottleType` must be one of 1 (user/client), 2 (consumer group), "
            "3 (topic), got 4.",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 2, "UserNameList": ["alice"], "ConsumeThrottle": 1},
            "InvalidParameterValue",
            "The parameter `UserNameList` does not apply to ThrottleType 2; it takes "
            "`GroupNameList`.",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 1, "UserNameList": ["alice"]},
            "MissingParameter",
            "CreateThrottleRule needs `ConsumeThrottle` or `ProduceThrottle` (MB/s).",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 1, "ConsumeThrottle": 1},
            "InvalidParameterValue",
            "ThrottleType 1 needs a name to throttle in `UserNameList` or `ClientIdList`.",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 3, "TopicNameList": ["orders", "nope"], "ConsumeThrottle": 1},
            "ResourceNotFound",
            "The topic `nope` does not exist in instance `{instance}`.",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 1, "UserNameList": ["bob", "alice"], "ConsumeThrottle": 1},
            "InvalidParameterValue",
            "The user `alice` already has throttle rule {rule}; change it with ModifyThrottleRule.",
        ),
        (
            "CreateThrottleRule",
            {"ThrottleType": 1, "UserNameList": ["a"], "ConsumeThrottle": 1, "InstanceId": "x"},
            "ResourceNotFound",
            "The instance `x` does not exist.",
        ),
        (
            "DescribeThrottleRules",
            {"ThrottleDimension": 3},
            "InvalidParameterValue",
            "The parameter `ThrottleDimension` must be 1 (instance) or 2 (topic), got 3.",
        ),
        (
            "DescribeThrottleRules",
            {"Limit": 201},
            "InvalidParameterValue",
            "The parameter `Limit` must be between 1 and 200, got 201.",
        ),
        (
            "ModifyThrottleRule",
            {"ThrottleRuleId": 99, "ConsumeThrottle": 1},
            "ResourceNotFound",
            "The throttle rule 99 does not exist in instance `{instance}`; rules: {rule}.",
        ),
        (
            "DeleteThrottleRule",
            {"ThrottleRuleId": "99"},
            "ResourceNotFound",
            "The throttle rule 99 does not exist in instance `{instance}`; rules: {rule}.",
        ),
        (
            "DeleteThrottleRule",
            {"ThrottleRuleId": "rule-1"},
            "InvalidParameterValue",
            "The parameter `ThrottleRuleId` must be a rule id (digits), got `rule-1`.",
        ),
    ],
)
def test_throttle_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    action: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    rule = ckafka.state.add_throttle_rule(instance, "alice")
    before = ckafka.state.dump()
    params = {"InstanceId": instance, **params}
    expected = message.replace("{instance}", instance).replace("{rule}", str(rule))
    assert failure(ckafka_client, action, **params) == (code, expected)
    assert ckafka.state.dump() == before


def test_a_creating_instance_refuses_throttles(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance(status=0)
    code, _ = failure(
        ckafka_client,
        "CreateThrottleRule",
        InstanceId=creating,
        ThrottleType=1,
        ClientIdList=["app"],
        ConsumeThrottle=1,
    )
    assert code == "ResourceUnavailable"
    assert ckafka.state.throttle_rules(creating) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"throttle_type": 4}, "throttle_type is 1 (user/client), 2 (group) or 3 (topic), got 4"),
        ({"throttle_type": 3, "name": "nope"}, "has no topic nope"),
        ({"consume_throttle": None}, "set consume_throttle or produce_throttle"),
        ({"name": ""}, "name (or client_id) names what to throttle"),
        ({"throttle_type": 2, "client_id": "app"}, "client_id is for throttle_type 1 only"),
        ({"name": "alice"}, "already throttles that with rule"),
    ],
)
def test_add_throttle_rule_refuses_what_create_throttle_rule_refuses(
    ckafka: CKafkaMock, instance: str, arguments: dict[str, Any], message: str
) -> None:
    ckafka.state.add_throttle_rule(instance, "alice")
    before = ckafka.state.throttle_rules(instance)
    arguments = {"name": "carol", **arguments}
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_throttle_rule(instance, **arguments)
    assert str(info.value).startswith("state.add_throttle_rule: ")
    assert message in str(info.value)
    assert ckafka.state.throttle_rules(instance) == before


async def test_async_throttle_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance: str
) -> None:
    create = models.CreateThrottleRuleRequest()
    create.InstanceId, create.ThrottleType = instance, 3
    create.TopicNameList, create.ProduceThrottle = ["refunds"], 4
    await ckafka_client_async.CreateThrottleRule(create)
    describe = models.DescribeThrottleRulesRequest()
    describe.InstanceId, describe.ThrottleDimension = instance, 2
    rules = (await ckafka_client_async.DescribeThrottleRules(describe)).Result.ThrottleRuleList
    assert [(r.TopicName, r.ThrottleType) for r in rules] == [("refunds", 3)]
    assert ckafka.state.throttle_rules(instance)[0].produce_throttle == 4


def test_a_deleted_topic_takes_its_throttle_rules(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    ckafka.state.add_throttle_rule(instance, "orders", throttle_type=3)
    ckafka.state.add_throttle_rule(instance, "refunds", throttle_type=3)
    ckafka.state.add_throttle_rule(instance, "alice")
    ckafka.clock.advance(86_400)
    result(ckafka_client, "DeleteTopic", InstanceId=instance, TopicName="orders")
    total, rules = listed(ckafka_client, instance, ThrottleDimension=2)
    assert (total, [r["TopicName"] for r in rules]) == (1, ["refunds"])
    assert [r.user_name for r in ckafka.state.throttle_rules(instance)] == ["", "alice"]
