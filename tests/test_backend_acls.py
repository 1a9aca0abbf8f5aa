"""ACL rules through the official SDK, against the stateful backend."""

from __future__ import annotations

from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.models import Acl

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_response as call


@pytest.fixture
def instance(ckafka: CKafkaMock) -> str:
    """An instance with the user ``alice`` and one ALLOW READ rule for her on ``orders``."""
    instance = ckafka.state.add_instance(name="acl")
    ckafka.state.add_user(instance, "alice", "Passw0rd")
    ckafka.state.add_acl(instance, "orders", operation=3, permission_type=3, principal="User:alice")
    return instance


def acl_list(client: Any, instance: str, **params: Any) -> tuple[int, list[dict[str, Any]]]:
    params.setdefault("ResourceType", 2)
    result = call(client, "DescribeACL", InstanceId=instance, **params)["Result"]
    return result["TotalCount"], result["AclList"]


def test_acl_workflow(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    answer = call(
        ckafka_client,
        "CreateAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceName="orders",
        Operation=4,
        PermissionType=3,
        Principal="User:alice",
        Host="10.0.0.1;10.0.0.2",
    )
    assert answer["Result"]["ReturnCode"] == "0"
    total, rules = acl_list(ckafka_client, instance, ResourceName="orders")
    assert total == 3
    assert rules[1:] == [
        {
            "ResourceType": 2,
            "ResourceName": "orders",
            "Principal": "User:alice",
            "Host": host,
            "Operation": 4,
            "PermissionType": 3,
        }
        for host in ("10.0.0.1", "10.0.0.2")
    ]
    # Adding a rule that exists is a no-op, as in Kafka.
    call(
        ckafka_client,
        "CreateAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceName="orders",
        Operation=4,
        PermissionType=3,
        Principal="User:alice",
        Host="10.0.0.1",
    )
    assert len(ckafka.state.acls(instance)) == 3

    call(
        ckafka_client,
        "DeleteAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceName="orders",
        Operation=4,
        PermissionType=3,
        Principal="User:alice",
        Host="10.0.0.1",
    )
    assert [(a.operation, a.host) for a in ckafka.state.acls(instance)] == [
        (3, "*"),
        (4, "10.0.0.2"),
    ]
    # Deleting what does not exist succeeds, as Kafka's DeleteAcls does.
    call(
        ckafka_client,
        "DeleteAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceName="orders",
        Operation=4,
        PermissionType=3,
        Principal="User:alice",
        Host="10.0.0.1",
    )
    assert len(ckafka.state.acls(instance)) == 2


def test_create_acl_defaults_and_name_list(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    call(
        ckafka_client,
        "CreateAcl",
        InstanceId=instance,
        ResourceType=3,
        Operation=3,
        PermissionType=2,
        ResourceNameList='["billing", "mailer", "billing"]',
    )
    call(
        ckafka_client,
        "CreateAcl",
        InstanceId=instance,
        ResourceType=4,
        Operation=9,
        PermissionType=3,
    )
    new = ckafka.state.acls(instance)[1:]
    assert new == [
        Acl(3, "billing", 3, 2, "User:*", "*"),
        Acl(3, "mailer", 3, 2, "User:*", "*"),
        Acl(4, "kafka-cluster", 9, 3, "User:*", "*"),
    ]
    assert acl_list(ckafka_client, instance, ResourceType=3)[0] == 2
    total, (cluster,) = acl_list(ckafka_client, instance, ResourceType=4, ResourceName="")
    assert (total, cluster["ResourceName"], cluster["Operation"]) == (1, "kafka-cluster", 9)
    # Kafka has one cluster resource: any name deletes its rule.
    call(
        ckafka_client,
        "DeleteAcl",
        InstanceId=instance,
        ResourceType=4,
        ResourceName="x",
        Operation=9,
        PermissionType=3,
    )
    assert acl_list(ckafka_client, instance, ResourceType=4)[0] == 0


CREATE = {"ResourceType": 2, "ResourceName": "orders", "Operation": 3, "PermissionType": 3}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"ResourceType": 5},
            "The parameter `ResourceType` must be one of 2 (TOPIC), 3 (GROUP), 4 (CLUSTER), got 5.",
        ),
        (
            {"Operation": 1},
            "The parameter `Operation` must be one of 2 (ALL), 3 (READ), 4 (WRITE), 5 (CREATE), "
            "6 (DELETE), 7 (ALTER), 8 (DESCRIBE), 9 (CLUSTER_ACTION), 10 (DESCRIBE_CONFIGS), "
            "11 (ALTER_CONFIGS), 12 (IDEMPOTENT_WRITE), got 1.",
        ),
        (
            {"PermissionType": 1},
            "The parameter `PermissionType` must be one of 2 (DENY), 3 (ALLOW), got 1.",
        ),
        (
            {"ResourceType": 3, "Operation": 4},
            "The Operation 4 (WRITE) does not apply to ResourceType 3 (GROUP); valid operations: "
            "2 (ALL), 3 (READ), 6 (DELETE), 8 (DESCRIBE).",
        ),
        (
            {"ResourceName": None},
            "A TOPIC rule needs `ResourceName` (or `ResourceNameList`).",
        ),
        (
            {"ResourceNameList": '["a"]'},
            "Give either `ResourceName` or `ResourceNameList`, not both.",
        ),
        (
            {"ResourceName": None, "ResourceNameList": "orders"},
            'The parameter `ResourceNameList` must be a JSON list of names, e.g. ["a", "b"]; '
            "got `orders`.",
        ),
        (
            {"ResourceName": None, "ResourceNameList": '["a", ""]'},
            "A TOPIC rule needs `ResourceName` (or `ResourceNameList`).",
        ),
        (
            {"Principal": "alice"},
            "The parameter `Principal` needs the `User:` prefix (e.g. User:alice), got `alice`.",
        ),
        (
            {"Principal": "User:bob"},
            "The user `bob` in `Principal` does not exist in instance `{instance}`; users: alice.",
        ),
    ],
)
def test_create_acl_rules_leave_acls_unchanged(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    params = {k: v for k, v in {**CREATE, **changes}.items() if v is not None}
    before = ckafka.state.acls(instance)
    assert failure(ckafka_client, "CreateAcl", InstanceId=instance, **params) == (
        "InvalidParameterValue",
        message.replace("{instance}", instance),
    )
    assert ckafka.state.acls(instance) == before


def test_batch_create_acl(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    rules = [
        {"Operation": "Write", "PermissionType": "Allow", "Host": "*", "Principal": "User:alice"},
        {"Operation": "All", "PermissionType": "Deny", "Host": "10.0.0.9", "Principal": "User:*"},
    ]
    answer = call(
        ckafka_client,
        "BatchCreateAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceNames=["orders", "refunds"],
        RuleList=rules,
    )
    assert answer["Result"] == 0
    assert ckafka.state.acls(instance)[1:] == [
        Acl(2, "orders", 4, 3, "User:alice", "*"),
        Acl(2, "orders", 2, 2, "User:*", "10.0.0.9"),
        Acl(2, "refunds", 4, 3, "User:alice", "*"),
        Acl(2, "refunds", 2, 2, "User:*", "10.0.0.9"),
    ]
    assert acl_list(ckafka_client, instance, ResourceName="refunds")[0] == 2


GOOD_RULE = {"Operation": "Read", "PermissionType": "Allow", "Host": "*", "Principal": "User:*"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"ResourceType": 3},
            "The parameter `ResourceType` must be 2 (TOPIC) for BatchCreateAcl, got 3.",
        ),
        ({"ResourceNames": ["a", ""]}, "The parameter `ResourceNames` has an empty name."),
        (
            {"RuleList": [GOOD_RULE, {**GOOD_RULE, "Operation": "read"}]},
            "The parameter `RuleList.1.Operation` must be one of All, Read, Write, got `read`. "
            "Did you mean `Read`?",
        ),
        (
            {"RuleList": [{**GOOD_RULE, "PermissionType": "Permit"}]},
            "The parameter `RuleList.0.PermissionType` must be one of Deny, Allow, got `Permit`.",
        ),
        (
            {"RuleList": [{**GOOD_RULE, "Principal": "User:nobody"}]},
            "The user `nobody` in `RuleList.0.Principal` does not exist in instance "
            "`{instance}`; users: alice.",
        ),
    ],
)
def test_batch_create_acl_rules_leave_acls_unchanged(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    params = {"ResourceType": 2, "ResourceNames": ["orders"], "RuleList": [GOOD_RULE], **changes}
    before = ckafka.state.acls(instance)
    code, text = failure(ckafka_client, "BatchCreateAcl", InstanceId=instance, **params)
    assert (code, text) == ("InvalidParameterValue", message.replace("{instance}", instance))
    assert ckafka.state.acls(instance) == before


def test_describe_acl_filters_searches_and_pages(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    for index in range(60):
        ckafka.state.add_acl(instance, f"topic-{index:02d}", operation=4, permission_type=3)
    ckafka.state.add_acl(instance, "billing", operation=3, permission_type=3, resource_type=3)
    total, rules = acl_list(ckafka_client, instance)
    assert (total, len(rules)) == (61, 50)
    assert rules[0]["ResourceName"] == "orders"
    total, rules = acl_list(ckafka_client, instance, Offset=50, Limit=50)
    assert (total, [r["ResourceName"] for r in rules][:2]) == (61, ["topic-49", "topic-50"])
    assert len(rules) == 11
    assert acl_list(ckafka_client, instance, SearchWord="alice")[0] == 1
    total, rules = acl_list(ckafka_client, instance, SearchWord="topic-5", Limit=3)
    assert (total, [r["ResourceName"] for r in rules]) == (
        10,
        ["topic-50", "topic-51", "topic-52"],
    )
    total, (group,) = acl_list(ckafka_client, instance, ResourceType=3)
    assert (total, group["ResourceName"], group["Principal"]) == (1, "billing", "User:*")
    assert acl_list(ckafka_client, instance, ResourceName="nope") == (0, [])
    assert failure(ckafka_client, "DescribeACL", InstanceId=instance, ResourceType=2, Limit=51) == (
        "InvalidParameterValue",
        "The parameter `Limit` must be between 1 and 50, got 51.",
    )
    assert failure(ckafka_client, "DescribeACL", InstanceId=instance, ResourceType=1) == (
        "InvalidParameterValue",
        "The parameter `ResourceType` must be one of 2 (TOPIC), 3 (GROUP), 4 (CLUSTER), got 1.",
    )


def test_delete_acl_matches_exactly_and_keeps_rules_of_deleted_users(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    call(ckafka_client, "DeleteUser", InstanceId=instance, Name="alice")
    # The rule of the deleted user is still there (DeleteAcl's reference)...
    assert acl_list(ckafka_client, instance)[0] == 1
    base = {"ResourceType": 2, "ResourceName": "orders", "Operation": 3, "PermissionType": 3}
    # ...and a delete that differs in Principal (default User:*) does not touch it.
    call(ckafka_client, "DeleteAcl", InstanceId=instance, **base)
    assert len(ckafka.state.acls(instance)) == 1
    call(ckafka_client, "DeleteAcl", InstanceId=instance, Principal="User:alice", **base)
    assert ckafka.state.acls(instance) == []


def test_delete_acl_takes_the_host_list_create_acl_took(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    rule = {"ResourceType": 2, "ResourceName": "audit", "Operation": 4, "PermissionType": 3}
    call(ckafka_client, "CreateAcl", InstanceId=instance, Host="10.0.0.1;10.0.0.2", **rule)
    assert acl_list(ckafka_client, instance, ResourceName="audit")[0] == 2
    call(ckafka_client, "DeleteAcl", InstanceId=instance, Host="10.0.0.1; 10.0.0.2", **rule)
    assert acl_list(ckafka_client, instance, ResourceName="audit") == (0, [])
    assert len(ckafka.state.acls(instance)) == 1  # alice's rule on orders stays


def test_delete_acl_rules(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    before = ckafka.state.acls(instance)
    assert failure(
        ckafka_client,
        "DeleteAcl",
        InstanceId=instance,
        ResourceType=4,
        ResourceName="c",
        Operation=3,
        PermissionType=3,
    ) == (
        "InvalidParameterValue",
        "The Operation 3 (READ) does not apply to ResourceType 4 (CLUSTER); valid operations: "
        "2 (ALL), 5 (CREATE), 7 (ALTER), 8 (DESCRIBE), 9 (CLUSTER_ACTION), 10 (DESCRIBE_CONFIGS), "
        "11 (ALTER_CONFIGS), 12 (IDEMPOTENT_WRITE).",
    )
    assert failure(
        ckafka_client,
        "DeleteAcl",
        InstanceId=instance,
        ResourceType=2,
        ResourceName="orders",
        Operation=3,
        PermissionType=4,
    ) == (
        "InvalidParameterValue",
        "The parameter `PermissionType` must be one of 2 (DENY), 3 (ALLOW), got 4.",
    )
    creating = ckafka.state.add_instance(status=0)
    code, _ = failure(
        ckafka_client,
        "DeleteAcl",
        InstanceId=creating,
        ResourceType=2,
        ResourceName="orders",
        Operation=3,
        PermissionType=3,
    )
    assert code == "ResourceUnavailable"
    assert failure(ckafka_client, "DescribeACL", InstanceId="ckafka-nope0000", ResourceType=2) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nope0000` does not exist.",
    )
    assert ckafka.state.acls(instance) == before


async def test_async_acl_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance: str
) -> None:
    create = models.CreateAclRequest()
    create.InstanceId, create.ResourceType, create.ResourceName = instance, 2, "refunds"
    create.Operation, create.PermissionType, create.Principal = 4, 3, "User:alice"
    await ckafka_client_async.CreateAcl(create)
    describe = models.DescribeACLRequest()
    describe.InstanceId, describe.ResourceType, describe.ResourceName = instance, 2, "refunds"
    result = (await ckafka_client_async.DescribeACL(describe)).Result
    assert [(a.ResourceName, a.Principal, a.Operation) for a in result.AclList] == [
        ("refunds", "User:alice", 4)
    ]
    delete = models.DeleteAclRequest()
    delete.InstanceId, delete.ResourceType, delete.ResourceName = instance, 2, "refunds"
    delete.Operation, delete.PermissionType, delete.Principal = 4, 3, "User:alice"
    await ckafka_client_async.DeleteAcl(delete)
    assert [a.resource_name for a in ckafka.state.acls(instance)] == ["orders"]
