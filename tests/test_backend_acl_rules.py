"""Named ACL rules (CreateAclRule...) through the official SDK, against the stateful backend."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.models import Acl
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result

WRITE_FOR_ALICE = {
    "Operation": "Write",
    "PermissionType": "Allow",
    "Host": "10.0.0.1",
    "Principal": "User:alice",
}
DENY_ALL = {"Operation": "All", "PermissionType": "Deny", "Host": "*", "Principal": "User:*"}


@pytest.fixture
def instance(ckafka: CKafkaMock) -> str:
    """An instance with the user ``alice``, the topics ``logs-app`` and ``orders``."""
    instance = ckafka.state.add_instance(name="rules")
    ckafka.state.add_user(instance, "alice", "Passw0rd")
    ckafka.state.add_topic(instance, "logs-app")
    ckafka.state.add_topic(instance, "orders")
    return instance


def create_rule(client: Any, instance: str, name: str, **params: Any) -> int:
    params.setdefault("ResourceType", "Topic")
    params.setdefault("PatternType", "PRESET")
    params.setdefault("RuleList", [WRITE_FOR_ALICE])
    answer: int = result(client, "CreateAclRule", InstanceId=instance, RuleName=name, **params)
    return answer


def acl_names(client: Any, instance: str) -> list[tuple[str, str, int]]:
    listed = result(client, "DescribeACL", InstanceId=instance, ResourceType=2)["AclList"]
    return [(a["ResourceName"], a["Principal"], a["Operation"]) for a in listed]


def rules(client: Any, instance: str, **params: Any) -> list[dict[str, Any]]:
    answer = result(client, "DescribeAclRule", InstanceId=instance, **params)
    assert answer["TotalCount"] == len(answer["AclRuleList"])
    listed: list[dict[str, Any]] = answer["AclRuleList"]
    return listed


def create_topic(client: Any, instance: str, name: str, **params: Any) -> None:
    result(
        client,
        "CreateTopic",
        InstanceId=instance,
        TopicName=name,
        PartitionNum=1,
        ReplicaNum=2,
        **params,
    )


def test_a_prefixed_rule_applies_to_the_topics_its_prefix_matches_now_and_later(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    ckafka.clock.advance(1_900_000_000 - ckafka.clock.now())  # 2030-03-18 01:46:40 in Beijing
    rule_id = create_rule(
        ckafka_client,
        instance,
        "logs-writers",
        PatternType="PREFIXED",
        Pattern="logs-*",
        RuleList=[WRITE_FOR_ALICE, DENY_ALL],
        Comment="log shippers",
    )
    assert acl_names(ckafka_client, instance) == [
        ("logs-app", "User:alice", 4),
        ("logs-app", "User:*", 2),
    ]
    create_topic(ckafka_client, instance, "logs-db")
    create_topic(ckafka_client, instance, "metrics")
    assert [name for name, _, _ in acl_names(ckafka_client, instance)] == [
        "logs-app",
        "logs-app",
        "logs-db",
        "logs-db",
    ]
    (rule,) = rules(ckafka_client, instance)
    assert rule == {
        "RuleName": "logs-writers",
        "InstanceId": instance,
        "PatternType": "PREFIXED",
        "Pattern": "logs-*",
        "ResourceType": "Topic",
        "AclList": '[{"host":"10.0.0.1","operation":"Write","permissionType":"Allow",'
        '"principal":"User:alice"},{"host":"*","operation":"All","permissionType":"Deny",'
        '"principal":"User:*"}]',
        "CreateTimeStamp": "Mon Mar 18 01:46:40 CST 2030",
        "IsApplied": 0,
        "UpdateTimeStamp": "Mon Mar 18 01:46:40 CST 2030",
        "Comment": "log shippers",
        "TopicName": "logs-app",
        "TopicCount": 2,
        "PatternTypeTitle": "前缀匹配",
    }
    assert ckafka.state.acl_rules(instance)[0].rule_id == rule_id
    # Deleting the rule removes the ACLs it made, and answers its id.
    assert result(ckafka_client, "DeleteAclRule", InstanceId=instance, RuleName="logs-writers") == (
        rule_id
    )
    assert acl_names(ckafka_client, instance) == []
    assert rules(ckafka_client, instance) == []


def test_deleting_a_rule_keeps_the_acls_it_did_not_add(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    # alice already may write to logs-app: the rule finds that ACL there, and leaves it.
    ckafka.state.add_acl(
        instance,
        "logs-app",
        operation=4,
        permission_type=3,
        principal="User:alice",
        host="10.0.0.1",
    )
    create_rule(ckafka_client, instance, "first", PatternType="PREFIXED", Pattern="logs")
    create_rule(ckafka_client, instance, "second", PatternType="PREFIXED", Pattern="log")
    create_topic(ckafka_client, instance, "logs-db")  # both rules make its one ACL
    result(ckafka_client, "DeleteAclRule", InstanceId=instance, RuleName="first")
    assert acl_names(ckafka_client, instance) == [
        ("logs-app", "User:alice", 4),
        ("logs-db", "User:alice", 4),
    ]
    result(ckafka_client, "DeleteAclRule", InstanceId=instance, RuleName="second")
    assert ckafka.state.acls(instance) == [Acl(2, "logs-app", 4, 3, "User:alice", "10.0.0.1")]


def test_a_preset_rule_applies_to_the_topics_that_name_it_and_with_is_applied_to_new_ones(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    create_rule(ckafka_client, instance, "readers", RuleList=[DENY_ALL])
    assert rules(ckafka_client, instance)[0]["TopicCount"] == 0  # a preset picks no topic itself
    create_topic(ckafka_client, instance, "audit", EnableAclRule=1, AclRuleName="readers")
    create_topic(ckafka_client, instance, "clicks", AclRuleName="readers")  # the switch is off
    assert acl_names(ckafka_client, instance) == [("audit", "User:*", 2)]
    attributes = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName="audit"
    )
    assert attributes["EnableAclRule"] == 1
    assert [r["RuleName"] for r in attributes["AclRuleList"]] == ["readers"]
    assert attributes["AclRuleList"][0]["PatternTypeTitle"] == "预设策略"
    other = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName="orders"
    )
    assert (other["EnableAclRule"], other["AclRuleList"]) == (0, [])
    # ModifyTopicAttributes applies it to an existing topic.
    result(
        ckafka_client,
        "ModifyTopicAttributes",
        InstanceId=instance,
        TopicName="orders",
        EnableAclRule=1,
        AclRuleName="readers",
    )
    listed = result(ckafka_client, "DescribeTopic", InstanceId=instance, AclRuleName="readers")
    assert [t["TopicName"] for t in listed["TopicList"]] == ["orders", "audit"]
    # IsApplied 1: every topic created from now on gets it.
    assert result(
        ckafka_client, "ModifyAclRule", InstanceId=instance, RuleName="readers", IsApplied=1
    ) == (ckafka.state.acl_rules(instance)[0].rule_id)
    create_topic(ckafka_client, instance, "refunds")
    (rule,) = rules(ckafka_client, instance, RuleName="readers", PatternType="PRESET")
    assert (rule["IsApplied"], rule["TopicCount"], rule["TopicName"]) == (1, 3, "audit")
    assert [n for n, _, _ in acl_names(ckafka_client, instance)] == ["audit", "orders", "refunds"]
    # IsApplied 0 (the default when left out) stops that; the ACLs it made stay.
    result(ckafka_client, "ModifyAclRule", InstanceId=instance, RuleName="readers")
    create_topic(ckafka_client, instance, "returns")
    assert len(ckafka.state.acls(instance)) == 3


def test_describe_acl_rule_filters_and_simplifies(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    create_rule(ckafka_client, instance, "readers")
    create_rule(ckafka_client, instance, "logs", PatternType="PREFIXED", Pattern="logs")
    assert [r["RuleName"] for r in rules(ckafka_client, instance)] == ["readers", "logs"]
    assert [r["RuleName"] for r in rules(ckafka_client, instance, PatternType="PREFIXED")] == [
        "logs"
    ]
    assert rules(ckafka_client, instance, RuleName="nope") == []
    (brief,) = rules(ckafka_client, instance, RuleName="logs", IsSimplified=True)
    assert (brief["AclList"], brief["TopicCount"]) == ("[]", 1)


def test_a_deleted_topic_no_longer_counts_for_its_rule(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    create_rule(ckafka_client, instance, "logs", PatternType="PREFIXED", Pattern="logs")
    result(ckafka_client, "DeleteTopic", InstanceId=instance, TopicName="logs-app")
    (rule,) = rules(ckafka_client, instance)
    assert (rule["TopicCount"], rule["TopicName"]) == (0, "")


def test_turning_a_topics_preset_switch_off_detaches_its_preset_rules(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    create_rule(ckafka_client, instance, "readers", RuleList=[DENY_ALL])
    create_rule(ckafka_client, instance, "logs", PatternType="PREFIXED", Pattern="logs")
    create_topic(ckafka_client, instance, "audit", EnableAclRule=1, AclRuleName="readers")
    create_topic(ckafka_client, instance, "logs-db", EnableAclRule=1, AclRuleName="readers")
    for topic in ("audit", "logs-db"):
        result(
            ckafka_client,
            "ModifyTopicAttributes",
            InstanceId=instance,
            TopicName=topic,
            EnableAclRule=0,
        )
        attributes = result(
            ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName=topic
        )
        assert (attributes["EnableAclRule"], attributes["AclRuleList"]) == (0, [])
    assert [(r["RuleName"], r["TopicCount"]) for r in rules(ckafka_client, instance)] == [
        ("readers", 0),
        ("logs", 2),
    ]
    # The preset's ACLs go; the prefix rule's stay (the switch is the presets').
    assert acl_names(ckafka_client, instance) == [
        ("logs-app", "User:alice", 4),
        ("logs-db", "User:alice", 4),
    ]


def test_a_topic_created_again_under_a_deleted_ones_name_has_none_of_its_rules(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    create_rule(ckafka_client, instance, "readers")
    create_topic(ckafka_client, instance, "audit", EnableAclRule=1, AclRuleName="readers")
    ckafka.clock.advance(61)
    result(ckafka_client, "DeleteTopic", InstanceId=instance, TopicName="audit")
    create_topic(ckafka_client, instance, "audit")
    attributes = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName="audit"
    )
    assert (attributes["EnableAclRule"], attributes["AclRuleList"]) == (0, [])
    (rule,) = rules(ckafka_client, instance)
    assert (rule["TopicCount"], rule["TopicName"]) == (0, "")
    listed = result(ckafka_client, "DescribeTopic", InstanceId=instance, AclRuleName="readers")
    assert (listed["TotalCount"], listed["TopicList"]) == (0, [])


RULE = {"ResourceType": "Topic", "PatternType": "PRESET", "RuleList": [WRITE_FOR_ALICE]}


@pytest.mark.parametrize(
    ("changes", "code", "message"),
    [
        (
            {"ResourceType": "Group"},
            "InvalidParameterValue",
            "The parameter `ResourceType` must be `Topic`, got `Group`.",
        ),
        (
            {"PatternType": "LITERAL"},
            "InvalidParameterValue",
            "The parameter `PatternType` must be one of PREFIXED, PRESET, got `LITERAL`.",
        ),
        (
            {"PatternType": "PREFIXED"},
            "MissingParameter",
            "The parameter `Pattern` is required when `PatternType` is PREFIXED (rule `new`).",
        ),
        (
            {"IsApplied": 2},
            "InvalidParameterValue",
            "The parameter `IsApplied` must be 0 or 1, got 2.",
        ),
        (
            {"RuleName": ""},
            "InvalidParameterValue",
            "The parameter `RuleName` must not be empty.",
        ),
        (
            {"RuleList": [WRITE_FOR_ALICE, {**WRITE_FOR_ALICE, "Operation": "write"}]},
            "InvalidParameterValue",
            "The parameter `RuleList.1.Operation` must be one of All, Read, Write, got `write`. "
            "Did you mean `Write`?",
        ),
        (
            {"RuleList": [{**WRITE_FOR_ALICE, "Principal": "User:bob"}]},
            "InvalidParameterValue",
            "The user `bob` in `RuleList.0.Principal` does not exist in instance `{instance}`; "
            "users: alice.",
        ),
        (
            {"RuleName": "taken"},
            "InvalidParameterValue.RepetitionValue",
            "The ACL rule `taken` already exists in instance `{instance}`.",
        ),
        (
            {"InstanceId": "ckafka-nope0000"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nope0000` does not exist.",
        ),
    ],
)
def test_create_acl_rule_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    changes: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_acl_rule(instance, "taken", pattern_type="PREFIXED", pattern="logs")
    before = ckafka.state.dump()
    params = {"InstanceId": instance, "RuleName": "new", **RULE, **changes}
    assert failure(ckafka_client, "CreateAclRule", **params) == (
        code,
        message.replace("{instance}", instance),
    )
    assert ckafka.state.dump() == before


@pytest.mark.parametrize(
    ("action", "params", "code", "message"),
    [
        (
            "ModifyAclRule",
            {"RuleName": "nope", "IsApplied": 1},
            "ResourceNotFound",
            "The ACL rule `nope` does not exist in instance `{instance}`.",
        ),
        (
            "ModifyAclRule",
            {"RuleName": "logs", "IsApplied": 1},
            "InvalidParameterValue",
            "The ACL rule `logs` is a PREFIXED rule; ModifyAclRule changes only whether a PRESET "
            "rule applies to new topics.",
        ),
        (
            "ModifyAclRule",
            {"RuleName": "", "IsApplied": 1},
            "InvalidParameterValue",  # request validation: a required member is empty
            "The parameter `RuleName` must not be empty.",
        ),
        (
            "ModifyAclRule",
            {"RuleName": "readers", "IsApplied": 3},
            "InvalidParameterValue",
            "The parameter `IsApplied` must be 0 or 1, got 3.",
        ),
        (
            "DeleteAclRule",
            {"RuleName": "nope"},
            "ResourceNotFound",
            "The ACL rule `nope` does not exist in instance `{instance}`.",
        ),
        (
            "DescribeAclRule",
            {"PatternType": "prefixed"},
            "InvalidParameterValue",
            "The parameter `PatternType` must be one of PREFIXED, PRESET, got `prefixed`.",
        ),
        (
            "CreateTopic",
            {
                "TopicName": "audit",
                "PartitionNum": 1,
                "ReplicaNum": 2,
                "EnableAclRule": 1,
                "AclRuleName": "nope",
            },
            "ResourceNotFound",
            "The ACL rule `nope` does not exist in instance `{instance}`.",
        ),
        (
            "CreateTopic",
            {
                "TopicName": "audit",
                "PartitionNum": 1,
                "ReplicaNum": 2,
                "EnableAclRule": 1,
                "AclRuleName": "logs",
            },
            "InvalidParameterValue",
            "The ACL rule `logs` is a PREFIXED rule; `AclRuleName` names a PRESET rule (a "
            "PREFIXED rule applies to the topics its prefix matches).",
        ),
        (
            "ModifyTopicAttributes",
            {"TopicName": "orders", "Note": "new", "EnableAclRule": 1, "AclRuleName": "nope"},
            "ResourceNotFound",
            "The ACL rule `nope` does not exist in instance `{instance}`.",
        ),
    ],
)
def test_acl_rule_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    action: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_acl_rule(instance, "logs", pattern_type="PREFIXED", pattern="logs")
    ckafka.state.add_acl_rule(instance, "readers", rules=[DENY_ALL])
    before = ckafka.state.dump()
    assert failure(ckafka_client, action, InstanceId=instance, **params) == (
        code,
        message.replace("{instance}", instance),
    )
    assert ckafka.state.dump() == before


def test_a_creating_instance_refuses_rule_changes(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance(status=0)
    code, _ = failure(ckafka_client, "CreateAclRule", InstanceId=creating, RuleName="r", **RULE)
    assert code == "ResourceUnavailable"
    assert ckafka.state.acl_rules(creating) == []


def test_seeded_rules_apply_and_survive_a_state_file(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    ckafka.state.add_acl_rule(
        instance, "logs", rules=[DENY_ALL], pattern_type="PREFIXED", pattern="logs"
    )
    ckafka.state.add_acl_rule(instance, "everyone", is_applied=1)
    ckafka.state.add_topic(instance, "logs-db")  # seeded topics get the rules CreateTopic would
    assert acl_names(ckafka_client, instance) == [
        ("logs-app", "User:*", 2),
        ("logs-db", "User:*", 2),
        ("logs-db", "User:*", 3),
    ]
    saved = json.loads(json.dumps(ckafka.state.dump()))
    ckafka.state.reset()
    ckafka.state.load(saved)
    assert [r.name for r in ckafka.state.acl_rules(instance)] == ["logs", "everyone"]
    result(ckafka_client, "DeleteAclRule", InstanceId=instance, RuleName="logs")
    assert acl_names(ckafka_client, instance) == [("logs-db", "User:*", 3)]
    # Ids keep counting after a load.
    new = ckafka.state.add_acl_rule(instance, "again")
    assert new > max(r.rule_id for r in ckafka.state.acl_rules(instance)[:-1])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"pattern_type": "PREFIX"}, 'unknown pattern_type "PREFIX": did you mean "PREFIXED"?'),
        ({"pattern_type": "PREFIXED"}, "a PREFIXED rule needs a pattern"),
        ({"rules": [{"Operation": "Reed"}]}, 'rules[0]: unknown Operation "Reed"'),
        ({"is_applied": 2}, "is_applied is 0 or 1, got 2"),
    ],
)
def test_add_acl_rule_refuses_what_create_acl_rule_refuses(
    ckafka: CKafkaMock, instance: str, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_acl_rule(instance, "r", **arguments)
    assert str(info.value).startswith("state.add_acl_rule: ")
    assert message in str(info.value)
    assert ckafka.state.acl_rules(instance) == []


@pytest.mark.parametrize(
    ("rule_name", "message"),
    [
        ("nobody", "instance {instance} has no ACL rule 'nobody'"),
        ("logs", "instance {instance} has a PREFIXED ACL rule 'logs'"),
    ],
)
def test_add_topic_refuses_an_acl_rule_name_create_topic_refuses(
    ckafka: CKafkaMock, instance: str, rule_name: str, message: str
) -> None:
    ckafka.state.add_acl_rule(instance, "logs", pattern_type="PREFIXED", pattern="logs-")
    ckafka.state.add_acl_rule(instance, "writers")
    before = ckafka.state.dump()
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_topic(instance, "metrics", EnableAclRule=1, AclRuleName=rule_name)
    assert str(info.value) == (
        "state.add_topic: "
        + message.format(instance=instance)
        + "; AclRuleName names a PRESET rule (its PRESET rules: writers)"
    )
    assert ckafka.state.dump() == before


async def test_async_acl_rule_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance: str
) -> None:
    create = models.CreateAclRuleRequest()
    create.InstanceId, create.RuleName, create.ResourceType = instance, "orders", "Topic"
    create.PatternType, create.Pattern = "PREFIXED", "orders"
    info = models.AclRuleInfo()
    info.Operation, info.PermissionType, info.Host, info.Principal = "Read", "Allow", "*", "User:*"
    create.RuleList = [info]
    rule_id = (await ckafka_client_async.CreateAclRule(create)).Result
    describe = models.DescribeAclRuleRequest()
    describe.InstanceId = instance
    listed = (await ckafka_client_async.DescribeAclRule(describe)).Result
    assert [(r.RuleName, r.TopicCount) for r in listed.AclRuleList] == [("orders", 1)]
    delete = models.DeleteAclRuleRequest()
    delete.InstanceId, delete.RuleName = instance, "orders"
    assert (await ckafka_client_async.DeleteAclRule(delete)).Result == rule_id
    assert ckafka.state.acls(instance) == []
