"""Every ``ckafka.state.add_*`` default is something the fake's own create action accepts.

A seed skips validation and the handlers' rules, so a default the API would
refuse (an instance on a ``CLOUD_BASIC`` disk) seeds a state no real account
can reach. Each test builds the create request a client would send for the
seeded resource, runs it through request validation and the backend's rules on
a fresh fake, and checks it makes the same resource.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from typing import Any, Callable, Optional

import pytest

from pytest_ckafka import CKafka
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.backend import State
from pytest_ckafka.backend.models import Acl, Instance, MaintenanceTask, Route, Topic

URL = "https://ckafka.tencentcloudapi.com/"
INSTANCE = "ckafka-00000001"


def _call(fake: CKafka, action: str, params: dict[str, Any]) -> dict[str, Any]:
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    reply = fake.handle("POST", URL, headers, json.dumps(params).encode())
    response: dict[str, Any] = json.loads(reply.body)["Response"]
    assert "Error" not in response, f"{action} {params} refused: {response['Error']}"
    return response


def _defaults(method: Callable[..., Any]) -> dict[str, Any]:
    return {
        name: p.default
        for name, p in inspect.signature(method).parameters.items()
        if p.default is not p.empty
    }


# -- instances ---------------------------------------------------------------------------

# Instance field -> the create member that sets it.
_INSTANCE_MEMBERS = {
    "vpc_id": "VpcId",
    "subnet_id": "SubnetId",
    "zone_id": "ZoneId",
    "zone_ids": "ZoneIds",
    "bandwidth": "BandWidth",
    "disk_size": "DiskSize",
    "disk_type": "DiskType",
    "kafka_version": "KafkaVersion",
    "partition_limit": "Partition",
    "topic_limit": "TopicNum",
    "msg_retention_time": "MsgRetentionTime",
    "renew_flag": "RenewFlag",
    "tags": "Tags",
}
# Instance fields no create member sets, and why.
_NOT_REQUESTED = {
    "instance_id": "assigned by CKafka",
    "name": "InstanceName, compared on its own",
    "status": "0 while creating, then 1",
    "created_at": "the clock",
    "pay_mode": "chooses the create action",
    "vip": "assigned by CKafka",
    "vport": "assigned by CKafka",
    "attrs": "the members the model does not keep in fields",
    "topics": "added later",
    "groups": "added later",
    "users": "added later",
    "acls": "added later",
    "routes": "added later",
    "describes": "counts describe calls",
    "acl_rules": "added later",
    "broker_version": "the latest build of kafka_version until UpgradeBrokerVersion",
    "change": "set by ModifyInstancePre, InstanceScalingDown, UpgradeBrokerVersion",
    "maintenance": "set by ModifyRoutineMaintenanceTask",
    "throttle_rules": "added later",
    "main_route": "the creation route, from vpc_id, subnet_id, vip and vport",
    "tokens": "added later",
    "access_policies": "added later",
    "prometheus": "added later",
}
_CREATE = {"PREPAID": "CreateInstancePre", "POSTPAID_BY_HOUR": "CreatePostPaidInstance"}
# Members a create needs that the model does not keep.
_CREATE_EXTRAS = {
    "CreateInstancePre": {"Period": "1m", "InstanceType": 1},
    "CreatePostPaidInstance": {},
}


def test_every_instance_field_is_set_by_a_create_member_or_says_why_not() -> None:
    fields = {f.name for f in dataclasses.fields(Instance)}
    assert fields == set(_INSTANCE_MEMBERS) | set(_NOT_REQUESTED)
    assert Instance.__dataclass_fields__["pay_mode"].default in _CREATE


@pytest.mark.parametrize("pay_mode", [None, *_CREATE])
def test_a_seeded_instance_is_one_its_create_action_makes(pay_mode: Optional[str]) -> None:
    seeding = CKafka()
    attributes = {} if pay_mode is None else {"pay_mode": pay_mode}
    seeded = seeding.state.instance(seeding.state.add_instance(INSTANCE, **attributes))
    action = _CREATE[seeded.pay_mode]
    members = load_spec().input_members(action)
    request = {"InstanceName": seeded.name, **_CREATE_EXTRAS[action]}
    for field, member in _INSTANCE_MEMBERS.items():
        value = getattr(seeded, field)
        if member in members and value != []:
            request[member] = value

    creating = CKafka()
    creating.state.configure(ready_after_describes=0)
    data = _call(creating, action, request)["Result"]["Data"]
    created = creating.state.instance(data["InstanceId"])
    assert {f: getattr(created, f) for f in _INSTANCE_MEMBERS} == {
        f: getattr(seeded, f) for f in _INSTANCE_MEMBERS
    }
    assert (created.name, created.pay_mode) == (seeded.name, seeded.pay_mode)


# -- what lives in an instance -----------------------------------------------------------


def _fresh() -> CKafka:
    fake = CKafka()
    fake.state.add_instance(INSTANCE)
    return fake


def _topic_request(topic: Topic) -> dict[str, Any]:
    return {
        "InstanceId": INSTANCE,
        "TopicName": topic.name,
        "PartitionNum": topic.partition_num,
        "ReplicaNum": topic.replica_num,
        "Note": topic.note,
        **topic.config,
    }


def test_a_seeded_topic_is_one_create_topic_makes() -> None:
    assert set(_defaults(State.add_topic)) == {"partitions", "replicas", "note", "created_at"}
    seeding = _fresh()
    seeding.state.add_topic(INSTANCE, "orders")
    seeded = seeding.state.topic(INSTANCE, "orders")
    creating = _fresh()
    _call(creating, "CreateTopic", _topic_request(seeded))
    created = creating.state.topic(INSTANCE, "orders")
    assert (created.partition_num, created.replica_num, created.note, created.config) == (
        seeded.partition_num,
        seeded.replica_num,
        seeded.note,
        seeded.config,
    )


def test_a_seeded_user_is_one_create_user_makes() -> None:
    assert _defaults(State.add_user) == {}  # nothing to default: name and password are given
    seeding = _fresh()
    seeding.state.add_user(INSTANCE, "alice", "Secret-123")
    (seeded,) = seeding.state.users(INSTANCE)
    creating = _fresh()
    _call(
        creating,
        "CreateUser",
        {"InstanceId": INSTANCE, "Name": seeded.name, "Password": seeded.password},
    )
    (created,) = creating.state.users(INSTANCE)
    assert (created.name, created.password) == (seeded.name, seeded.password)


def _acl_request(acl: Acl) -> dict[str, Any]:
    return {
        "InstanceId": INSTANCE,
        "ResourceType": acl.resource_type,
        "ResourceName": acl.resource_name,
        "Operation": acl.operation,
        "PermissionType": acl.permission_type,
        "Principal": acl.principal,
        "Host": acl.host,
    }


def test_a_seeded_acl_is_one_create_acl_makes() -> None:
    assert set(_defaults(State.add_acl)) == {"resource_type", "principal", "host"}
    seeding = _fresh()
    seeding.state.add_acl(INSTANCE, "orders", operation=3, permission_type=3)
    (seeded,) = seeding.state.acls(INSTANCE)
    creating = _fresh()
    _call(creating, "CreateAcl", _acl_request(seeded))
    assert creating.state.acls(INSTANCE) == [seeded]


def _route_request(route: Route) -> dict[str, Any]:
    request: dict[str, Any] = {
        "InstanceId": INSTANCE,
        "VipType": route.vip_type,
        "AccessType": route.access_type,
        "Ip": route.vip,
    }
    if route.vpc_id:
        request.update(VpcId=route.vpc_id, SubnetId=route.subnet_id)
    if route.vip_type == 1:
        request["PublicNetwork"] = 3  # public bandwidth: a create needs it, the model drops it
    return request


def test_seeded_routes_of_every_vip_type_are_ones_create_route_makes() -> None:
    assert set(_defaults(State.add_route)) == {
        "vip_type",
        "access_type",
        "vip",
        "vport",
        "delete_at",
    }
    seeding, creating = _fresh(), _fresh()
    # Every VipType CreateRoute documents, each with its default access type, side by side.
    for vip_type, vip in ((3, "10.0.0.20"), (1, "203.0.113.9"), (7, "10.0.0.30")):
        seeding.state.add_route(INSTANCE, vip_type=vip_type, vip=vip)
    for seeded in seeding.state.routes(INSTANCE):
        _call(creating, "CreateRoute", _route_request(seeded))
    kept = ("vip_type", "access_type", "vip", "vpc_id", "subnet_id")
    assert [[getattr(r, f) for f in kept] for r in creating.state.routes(INSTANCE)] == [
        [getattr(r, f) for f in kept] for r in seeding.state.routes(INSTANCE)
    ]


def test_a_seeded_connect_resource_is_one_create_connect_resource_makes() -> None:
    assert set(_defaults(State.add_connect_resource)) == {
        "name", "resource_type", "params", "description", "tags", "resource_id", "region",
        "account",
    }  # fmt: skip
    seeding = CKafka()
    seeded = seeding.state.connect_resource(seeding.state.add_connect_resource())
    creating = CKafka()
    request = {
        "ResourceName": seeded.name,
        "Type": seeded.type,
        "Description": seeded.description,
        "KafkaConnectParam": seeded.params,
    }
    resource_id = _call(creating, "CreateConnectResource", request)["Result"]["ResourceId"]
    created = creating.state.connect_resource(resource_id)
    kept = ("name", "type", "description", "params", "tags", "status")
    assert [getattr(created, f) for f in kept] == [getattr(seeded, f) for f in kept]


def _maintenance_request(task: MaintenanceTask) -> dict[str, Any]:
    request = {
        "InstanceId": INSTANCE,
        "MaintenanceType": task.maintenance_type,
        "MaintenanceSubtype": task.maintenance_subtype,
        "TopicName": task.topic_name,
        "ConfigureThreshold": task.configure_threshold,
        "ConfigureStepSize": task.configure_step_size,
        "ConfigureLimit": task.configure_limit,
        "PlannedTime": task.planned_time,
        "ExtraConfig": task.extra_config,
        "Status": task.status,
        "Week": task.week,
    }
    return {k: v for k, v in request.items() if v not in (None, "")}


def test_a_seeded_maintenance_task_is_one_modify_routine_maintenance_task_makes() -> None:
    assert set(_defaults(State.add_maintenance_task)) == {
        "maintenance_type", "maintenance_subtype", "topic_name", "configure_threshold",
        "configure_step_size", "configure_limit", "planned_time", "extra_config", "status",
        "week",
    }  # fmt: skip
    seeding = _fresh()
    seeding.state.add_maintenance_task(INSTANCE)
    (seeded,) = seeding.state.maintenance_tasks(INSTANCE)
    creating = _fresh()
    _call(creating, "ModifyRoutineMaintenanceTask", _maintenance_request(seeded))
    assert creating.state.maintenance_tasks(INSTANCE) == [seeded]


def test_a_seeded_datahub_topic_is_one_create_datahub_topic_makes() -> None:
    assert set(_defaults(State.add_datahub_topic)) == {
        "partitions", "retention_ms", "note", "tags", "datahub_id", "region", "account",
    }  # fmt: skip
    seeding, creating = CKafka(), CKafka()
    seeding.state.add_datahub_topic("1300957330-orders")
    (seeded,) = seeding.state.datahub_topics()
    request = {
        "Name": seeded.name,
        "PartitionNum": seeded.partition_num,
        "RetentionMs": seeded.retention_ms,
        "Note": seeded.note,
        "Tags": seeded.tags,
    }
    _call(creating, "CreateDatahubTopic", request)
    (created,) = creating.state.datahub_topics()
    kept = ("name", "partition_num", "retention_ms", "note", "tags", "status", "group_offsets")
    assert [getattr(created, f) for f in kept] == [getattr(seeded, f) for f in kept]


def test_a_seeded_cdc_cluster_is_one_create_cdc_cluster_makes() -> None:
    assert set(_defaults(State.add_cdc_cluster)) == {
        "vpc_id", "subnet_id", "zone_id", "bandwidth", "disk_size", "disk_type",
        "system_disk_type", "done", "region", "account",
    }  # fmt: skip
    seeding, creating = CKafka(), CKafka()
    seeding.state.add_cdc_cluster("cluster-1a2b3c4d")
    (seeded,) = seeding.state.cdc_clusters()
    request = {
        "CdcId": seeded.cdc_id,
        "CdcVpcId": seeded.vpc_id,
        "CdcSubnetId": seeded.subnet_id,
        "ZoneId": seeded.zone_id,
        "Bandwidth": seeded.bandwidth,
        "DiskSize": seeded.disk_size,
        "DiskType": seeded.disk_type,
        "SystemDiskType": seeded.system_disk_type,
    }
    _call(creating, "CreateCdcCluster", request)
    (created,) = creating.state.cdc_clusters()
    kept = ("cdc_id", "vpc_id", "subnet_id", "zone_id", "bandwidth", "disk_size", "disk_type")
    assert [getattr(created, f) for f in kept] == [getattr(seeded, f) for f in kept]


def test_a_seeded_prometheus_scrape_point_is_one_create_prometheus_makes() -> None:
    assert _defaults(State.add_prometheus) == {"vpc_id": None, "subnet_id": None}
    seeding, creating = _fresh(), _fresh()
    seeding.state.add_prometheus(INSTANCE)
    (seeded,) = seeding.state.prometheus(INSTANCE)
    request = {"InstanceId": INSTANCE, "VpcId": seeded.vpc_id, "SubnetId": seeded.subnet_id}
    _call(creating, "CreatePrometheus", request)
    (created,) = creating.state.prometheus(INSTANCE)
    assert (created.vpc_id, created.subnet_id) == (seeded.vpc_id, seeded.subnet_id)


def test_a_seeded_security_group_is_one_associate_routes_security_group_binds() -> None:
    assert _defaults(State.add_security_group) == {"route_id": 0}
    seeding, creating = _fresh(), _fresh()
    seeding.state.add_security_group(INSTANCE, "sg-1a2b3c4d")
    route = {"InstanceId": INSTANCE, "RouteId": 0}
    request = {"InstanceRoutes": [route], "SecurityGroupId": "sg-1a2b3c4d"}
    _call(creating, "AssociateRoutesSecurityGroup", request)
    assert creating.state.security_groups(INSTANCE) == seeding.state.security_groups(INSTANCE)
    assert creating.state.security_groups(INSTANCE) == ["sg-1a2b3c4d"]


def test_a_seeded_datahub_task_is_one_create_datahub_task_makes() -> None:
    assert set(_defaults(State.add_datahub_task)) == {
        "name", "task_type", "source", "target", "status", "description", "tags", "task_id",
        "region", "account",
    }  # fmt: skip
    seeding = CKafka()
    seeded = seeding.state.datahub_task(seeding.state.add_datahub_task())
    creating = CKafka()
    creating.state.configure(ready_after_describes=0)
    request = {
        "TaskName": seeded.name,
        "TaskType": seeded.task_type,
        "SourceResource": seeded.source,
        "TargetResource": seeded.target,
        "Description": seeded.description,
    }
    task_id = _call(creating, "CreateDatahubTask", request)["Result"]["TaskId"]
    _call(creating, "DescribeDatahubTask", {"TaskId": task_id})  # settles: running
    created = creating.state.datahub_task(task_id)
    kept = ("name", "task_type", "source", "target", "description", "tags", "status")
    assert [getattr(created, f) for f in kept] == [getattr(seeded, f) for f in kept]


# Seeding helpers with no create action, and why.
_NO_CREATE_ACTION = {
    "add_messages": "producers write messages, not the API (SendMessage goes to DataHub)",
    "add_group_member": "consumers join groups, not the API",
    "add_connection": "producers connect to topics, not the API",
    "add_out_of_sync_replica": "brokers fall behind, not the API",
    "add_datahub_messages": "puts messages in a chosen partition; SendMessage picks it by key",
    "add_datahub_group_offsets": "consumers commit offsets, not the API",
}
_COVERED = {
    "add_datahub_topic",
    "add_connect_resource",
    "add_datahub_task",
    "add_group",
    "add_instance",
    "add_topic",
    "add_user",
    "add_acl",
    "add_route",
    "add_acl_rule",
    "add_maintenance_task",
    "add_throttle_rule",
    "add_security_group",
    "add_token",
    "add_access_policy",
    "add_prometheus",
    "add_cdc_cluster",
}


def test_every_seeding_helper_is_checked_against_its_create_action() -> None:
    helpers = {name for name in dir(State) if name.startswith("add_")}
    assert helpers == _COVERED | set(_NO_CREATE_ACTION)


def test_a_seeded_acl_rule_is_one_create_acl_rule_makes() -> None:
    assert set(_defaults(State.add_acl_rule)) == {
        "rules",
        "pattern_type",
        "pattern",
        "is_applied",
        "comment",
    }
    seeding, creating = _fresh(), _fresh()
    for fake in (seeding, creating):
        fake.state.add_topic(INSTANCE, "orders")
    seeding.state.add_acl_rule(INSTANCE, "readers")
    (seeded,) = seeding.state.acl_rules(INSTANCE)
    _call(
        creating,
        "CreateAclRule",
        {
            "InstanceId": INSTANCE,
            "ResourceType": "Topic",
            "RuleName": seeded.name,
            "PatternType": seeded.pattern_type,
            "IsApplied": seeded.is_applied,
            "Comment": seeded.comment,
            "RuleList": [
                {
                    "Operation": e["operation"],
                    "PermissionType": e["permissionType"],
                    "Host": e["host"],
                    "Principal": e["principal"],
                }
                for e in seeded.entries
            ],
        },
    )
    (created,) = creating.state.acl_rules(INSTANCE)
    kept = ("name", "pattern_type", "pattern", "entries", "is_applied", "comment", "topics")
    assert [getattr(created, f) for f in kept] == [getattr(seeded, f) for f in kept]
    assert creating.state.acls(INSTANCE) == seeding.state.acls(INSTANCE)


def test_a_seeded_group_is_one_create_consumer_makes() -> None:
    assert set(_defaults(State.add_group)) == {"offsets", "state", "protocol", "assignor"}
    seeding, creating = _fresh(), _fresh()
    for fake in (seeding, creating):
        fake.state.add_topic(INSTANCE, "orders", partitions=2)
        fake.state.add_messages(INSTANCE, "orders", ["a", "b"])
    # CreateConsumer commits the log end of every partition of its topic.
    seeding.state.add_group(INSTANCE, "billing", offsets={"orders": [2, 0]})
    seeded = seeding.state.group(INSTANCE, "billing")
    request = {"InstanceId": INSTANCE, "GroupName": "billing", "TopicName": "orders"}
    _call(creating, "CreateConsumer", request)
    assert creating.state.group(INSTANCE, "billing") == seeded


def test_a_seeded_throttle_rule_is_one_create_throttle_rule_makes() -> None:
    assert set(_defaults(State.add_throttle_rule)) == {
        "throttle_type",
        "client_id",
        "consume_throttle",
        "produce_throttle",
    }
    seeding, creating = _fresh(), _fresh()
    seeding.state.add_throttle_rule(INSTANCE, "alice")
    (seeded,) = seeding.state.throttle_rules(INSTANCE)
    request: dict[str, Any] = {
        "InstanceId": INSTANCE,
        "ThrottleType": seeded.throttle_type,
        "UserNameList": [seeded.user_name],
        "ConsumeThrottle": seeded.consume_throttle,
    }
    _call(creating, "CreateThrottleRule", request)
    (created,) = creating.state.throttle_rules(INSTANCE)
    assert dataclasses.replace(created, updated_at=0) == dataclasses.replace(seeded, updated_at=0)


def test_a_seeded_token_is_one_create_token_makes() -> None:
    assert set(_defaults(State.add_token)) == {"token", "authorized"}
    seeding, creating = _fresh(), _fresh()
    for fake in (seeding, creating):
        fake.state.add_user(INSTANCE, "alice", "Secret-123")
    seeding.state.add_token(INSTANCE, "alice")
    (seeded,) = seeding.state.tokens(INSTANCE)
    token = _call(creating, "CreateToken", {"InstanceId": INSTANCE, "User": "alice"})["Result"]
    (created,) = creating.state.tokens(INSTANCE)
    assert (len(token), created.user, created.authorized) == (
        len(seeded.token),
        seeded.user,
        seeded.authorized,
    )


def test_a_seeded_access_policy_is_one_modify_access_policy_sets() -> None:
    assert set(_defaults(State.add_access_policy)) == {"ip_whitelist"}
    seeding, creating = _fresh(), _fresh()
    routes = [
        f.state.add_route(INSTANCE, vip_type=1, vip="203.0.113.9") for f in (seeding, creating)
    ]
    seeding.state.add_access_policy(INSTANCE, routes[0])
    request = {"InstanceId": INSTANCE, "RouteId": routes[1]}
    _call(creating, "ModifyAccessPolicy", request)
    assert creating.state.access_policy(INSTANCE, routes[1]) == seeding.state.access_policy(
        INSTANCE, routes[0]
    )


def test_a_seeded_group_defaults_to_a_state_describe_group_filters_on() -> None:
    states = load_spec().input_members("DescribeGroup")["Filters"]
    assert "GroupState" in states.filter_names
    assert _defaults(State.add_group)["state"] in ("Empty", "Stable")
