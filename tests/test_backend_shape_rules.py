"""``validate=False`` turns off every request-shape rule, the backend's as well as the spec's.

A shape rule reads the request alone: a documented range, enum, length or
format, a filter name, a page size. Validated, breaking one is refused; with
validation off the backend goes on leniently: a page size is clamped into its
documented bounds, an unknown filter is ignored, any other value is kept as
sent. Business rules (what exists, duplicates, quotas, timing) hold either way.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafka, CKafkaMock
from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.backend import Backend, stateful_actions
from pytest_ckafka.backend.errors import ShapeError
from pytest_ckafka.backend.registry import HANDLERS, Handler
from pytest_ckafka.exceptions import CKafkaAssertionError

URL = "https://ckafka.tencentcloudapi.com/"
INSTANCE = "ckafka-00000001"
DATAHUB_TOPIC = "1300957330-orders"
PAGE_SIZES = ("Limit", "SinglePartitionRecordNumber", "MessageCount")


def _answer(fake: CKafka, action: str, params: dict[str, Any]) -> dict[str, Any]:
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    reply = fake.handle("POST", URL, headers, json.dumps(params).encode())
    response: dict[str, Any] = json.loads(reply.body)["Response"]
    return response


def _seeded(*, validate: bool, topics: int = 1, messages: int = 30) -> CKafka:
    fake = CKafka(validate=validate)
    fake.state.add_connect_resource("source", resource_id="resource-src00001")
    fake.state.add_connect_resource("target", resource_id="resource-tgt00001")
    fake.state.add_datahub_task("shape", task_id="task-shape001")
    fake.state.add_instance(INSTANCE, kafka_version="2.8.1")
    for n in range(topics):
        fake.state.add_topic(INSTANCE, "orders" if n == 0 else f"t{n:03d}")
    fake.state.add_messages(INSTANCE, "orders", [f"m{n}" for n in range(messages)])
    fake.state.add_group(INSTANCE, "billing", offsets={"orders": [0]})
    fake.state.add_acl_rule(INSTANCE, "readers")
    fake.state.add_datahub_topic(DATAHUB_TOPIC, datahub_id="datahub-00000001")
    fake.state.add_datahub_messages(DATAHUB_TOPIC, [f"m{n}" for n in range(messages)])
    fake.state.add_datahub_group_offsets(DATAHUB_TOPIC, "billing", [0])
    # An access point whose id is not in DataHub's format: only reached with validation off.
    fake.state.add_datahub_topic("1300957330-legacy", datahub_id="hub-1")
    return fake


# The values of the members a paged action requires.
_REQUIRED = {
    "InstanceId": INSTANCE,
    "ResourceType": 2,
    "Group": "billing",
    "Topic": "orders",
    "Partition": 0,
    "Offset": 0,
    "TopicName": "orders",
    "Name": DATAHUB_TOPIC,
}


def _paged() -> list[tuple[str, str, int]]:
    """``(action, member, bad value)``: each stateful page size just outside its bounds."""
    cases = []
    spec = load_spec()
    for action in stateful_actions():
        for name, member in spec.input_members(action).items():
            if name not in PAGE_SIZES:
                continue
            cases.append((action, name, (member.minimum or 1) - 1))
            if member.maximum is not None and not member.clamps:  # documented: read as the max
                cases.append((action, name, member.maximum + 1))
    return cases


def _base(action: str) -> dict[str, Any]:
    members = load_spec().input_members(action)
    return {name: _REQUIRED[name] for name, member in members.items() if member.required}


def test_every_paged_stateful_action_is_covered() -> None:
    actions = {action for action, _, _ in _paged()}
    assert actions == {
        "DescribeACL",
        "DescribeConnectResources",
        "DescribeConsumerGroup",
        "DescribeDatahubGroupOffsets",
        "DescribeDatahubTopics",
        "DescribeDatahubTasks",
        "DescribeGroup",
        "DescribeGroupOffsets",
        "DescribeInstances",
        "DescribeInstancesDetail",
        "DescribeRegion",
        "DescribeThrottleRules",
        "DescribeSecurityGroupRoutes",
        "DescribeTopic",
        "DescribeTopicDetail",
        "DescribeTopicSubscribeGroup",
        "DescribeTypeInstances",
        "DescribeTopicSyncReplica",
        "DescribeUser",
        "FetchLatestDatahubMessageList",
        "FetchMessageListByOffset",
        "FetchMessageListByTimestamp",
    }


@pytest.mark.parametrize(("action", "member", "value"), _paged())
def test_a_page_size_out_of_bounds_is_refused_validated_and_clamped_without(
    action: str, member: str, value: int
) -> None:
    facts = load_spec().input_members(action)[member]
    low, high = facts.minimum or 1, facts.maximum
    bound = f"between {low} and {high}" if high is not None else f"{low} or more"
    params = {**_base(action), member: value}
    assert _answer(_seeded(validate=True), action, params)["Error"] == {
        "Code": "InvalidParameterValue",
        "Message": f"The parameter `{member}` must be {bound}, got {value}.",
    }
    clamped = min(max(value, low), high if high is not None else value)
    fake = _seeded(validate=False)
    lenient = _answer(fake, action, params)
    exact = _answer(fake, action, {**params, member: clamped})
    assert "Error" not in lenient
    assert lenient["Result"] == exact["Result"]


def test_validate_false_clamps_describe_topic_limit_to_its_documented_maximum(
    pytester: pytest.Pytester,
) -> None:
    # The reported case: 60 topics, Limit=100, validate=False.
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    pytester.makepyfile(
        """
        import pytest
        from tencentcloud.ckafka.v20190819 import models


        @pytest.mark.ckafka(validate=False)
        def test_list_all_topics(ckafka, ckafka_client):
            instance_id = ckafka.state.add_instance()
            for n in range(60):
                ckafka.state.add_topic(instance_id, f"topic-{n:02d}")
            request = models.DescribeTopicRequest()
            request.InstanceId, request.Limit = instance_id, 100
            result = ckafka_client.DescribeTopic(request).Result
            assert (len(result.TopicList), result.TotalCount) == (50, 60)
        """
    )
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.ckafka(validate=False)
async def test_validate_false_clamps_the_page_for_the_async_client_too(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    for n in range(25):
        ckafka.state.add_instance(name=f"shop-{n:02d}")
    request = models.DescribeInstancesDetailRequest()
    request.Limit, request.Offset = 100, -3
    result = (await ckafka_client_async.DescribeInstancesDetail(request)).Result
    assert (len(result.InstanceList), result.TotalCount) == (20, 25)
    assert result.InstanceList[0].InstanceName == "shop-00"


def test_a_page_size_above_a_documented_clamp_is_read_as_the_maximum_validated_too() -> None:
    fake = _seeded(validate=True)
    for n in range(3):
        fake.state.add_connect_resource(f"hub-{n}")
    listed = _answer(fake, "DescribeConnectResources", {"Limit": 1001})["Result"]
    assert (listed["TotalCount"], len(listed["ConnectResourceList"])) == (5, 5)
    tasks = _answer(fake, "DescribeDatahubTasks", {"Limit": 101})["Result"]
    assert (tasks["TotalCount"], len(tasks["TaskList"])) == (1, 1)


def test_validate_false_reads_at_most_the_documented_records_per_partition() -> None:
    params = {**_base("FetchMessageListByOffset"), "SinglePartitionRecordNumber": 100}
    records = _answer(_seeded(validate=False), "FetchMessageListByOffset", params)["Result"]
    assert [r["Offset"] for r in records] == list(range(20))


# -- filters -------------------------------------------------------------------------------


def _topic_names(response: dict[str, Any]) -> list[str]:
    return [t["TopicName"] for t in response["Result"]["TopicList"]]


def test_an_unknown_filter_is_refused_validated_and_ignored_without() -> None:
    params = {"InstanceId": INSTANCE, "Filters": [{"Name": "ReplicaNumber", "Values": ["3"]}]}
    assert _answer(_seeded(validate=True), "DescribeTopicDetail", params)["Error"] == {
        "Code": "InvalidParameterValue",
        "Message": "The filter `ReplicaNumber` is not supported here; valid names: ReplicaNum. "
        "Did you mean `ReplicaNum`?",
    }
    lenient = _answer(_seeded(validate=False, topics=2), "DescribeTopicDetail", params)
    assert sorted(_topic_names(lenient)) == ["orders", "t001"]


def test_more_filter_values_than_documented_are_read_without_validation() -> None:
    ids = [INSTANCE] + [f"ckafka-{n:08d}" for n in range(2, 12)]
    params = {"Filters": [{"Name": "InstanceId", "Values": ids}]}
    assert _answer(_seeded(validate=True), "DescribeInstancesDetail", params)["Error"] == {
        "Code": "InvalidParameterValue",
        "Message": "The filter `InstanceId` has 11 values; at most 10 are allowed.",
    }
    lenient = _answer(_seeded(validate=False), "DescribeInstancesDetail", params)
    assert [i["InstanceId"] for i in lenient["Result"]["InstanceList"]] == [INSTANCE]


def test_an_undocumented_filter_value_matches_nothing_without_validation() -> None:
    params = {"InstanceId": INSTANCE, "Filters": [{"Name": "GroupState", "Values": ["Dead"]}]}
    assert _answer(_seeded(validate=True), "DescribeGroup", params)["Error"]["Message"] == (
        "The GroupState filter value `Dead` is not supported; valid values: Empty, Stable."
    )
    lenient = _answer(_seeded(validate=False), "DescribeGroup", params)
    assert lenient["Result"]["GroupList"] == []


# -- every other shape rule ---------------------------------------------------------------

_NETWORK = {"VpcId": "vpc-1a2b3c4d", "SubnetId": "subnet-1a2b3c4d", "ZoneId": 100003}
_TOPIC = {"InstanceId": INSTANCE, "TopicName": "audit", "PartitionNum": 1, "ReplicaNum": 2}
_ROUTE = {"InstanceId": INSTANCE, "VipType": 3, **_NETWORK}
_ROUTE.pop("ZoneId")
_DATAHUB = {"Name": "1300957330-audit", "PartitionNum": 1, "RetentionMs": 60_000}
_ACL_RULE = {
    "InstanceId": INSTANCE,
    "ResourceType": "Topic",
    "PatternType": "PRESET",
    "RuleName": "writers",
    "RuleList": [
        {"Operation": "Write", "PermissionType": "Allow", "Host": "*", "Principal": "User:*"}
    ],
}

_UPGRADE = {
    "InstanceId": INSTANCE,
    "Type": 1,
    "SourceVersion": "v2.8.1_r1.1.6",
    "TargetVersion": "v2.8.1_r1.1.7",
}
_MAINTENANCE = {"InstanceId": INSTANCE, "MaintenanceType": "QUOTA", "MaintenanceSubtype": "X"}
_MODIFY_TYPE = {
    "InstanceId": INSTANCE,
    "BandWidth": 40,
    "DiskSize": 500,
    "DiskType": "CLOUD_PREMIUM",
    "Partition": 800,
    "Topic": 400,
    "Type": "sp_ckafka_profession",
}
_PRICE = {
    "InstanceType": "profession",
    "Bandwidth": 40,
    "InquiryDiskParam": {"DiskSize": 500},
    "MessageRetention": 24,
    "Topic": 30,
    "Partition": 800,
}

_SYNC = {"TaskName": "mirror", "SourceResourceId": "resource-src00001",
         "TargetResourceId": "resource-tgt00001"}  # fmt: skip


def _task(**changes: Any) -> dict[str, Any]:
    """A CreateDatahubTask request (an HTTP source into a self-built Kafka), changed."""
    request: dict[str, Any] = {
        "TaskName": "ingest",
        "TaskType": "SOURCE",
        "SourceResource": {"Type": "HTTP"},
        "TargetResource": {
            "Type": "KAFKA",
            "KafkaParam": {"SelfBuilt": True, "Resource": "kafka-self-built"},
        },
    }
    request.update(changes)
    return {k: v for k, v in request.items() if v is not None}


# (rule, action, params breaking it, the code a validated call answers)
SHAPE_RULES: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "DiskType enum",
        "CreatePostPaidInstance",
        {**_NETWORK, "DiskType": "CLOUD_BASIC"},
        "InvalidParameterValue",
    ),
    (
        "BandWidth range",
        "CreatePostPaidInstance",
        {**_NETWORK, "BandWidth": 10},
        "InvalidParameterValue",
    ),
    (
        "VpcId format",
        "CreatePostPaidInstance",
        {**_NETWORK, "VpcId": "vpc-1"},
        "InvalidParameterValue.VpcIdInvalid",
    ),
    (
        "ZoneId sold in region",
        "CreatePostPaidInstance",
        {**_NETWORK, "ZoneId": 999999},
        "InvalidParameterValue.ZoneNotSupport",
    ),
    (
        "Period range",
        "CreateInstancePre",
        {**_NETWORK, "InstanceName": "shop", "Period": "48m", "InstanceType": 1},
        "InvalidParameterValue",
    ),
    (
        "MaxMessageByte range",
        "ModifyInstanceAttributes",
        {"InstanceId": INSTANCE, "MaxMessageByte": 10},
        "InvalidParameterValue",
    ),
    ("RetentionMs range", "CreateTopic", {**_TOPIC, "RetentionMs": 1000}, "InvalidParameterValue"),
    (
        "topic name format",
        "CreateTopic",
        {**_TOPIC, "TopicName": "audit log"},
        "InvalidParameterValue",
    ),
    ("ReplicaNum range", "CreateTopic", {**_TOPIC, "ReplicaNum": 5}, "InvalidParameterValue"),
    (
        "CleanUpPolicy enum",
        "ModifyTopicAttributes",
        {"InstanceId": INSTANCE, "TopicName": "orders", "CleanUpPolicy": "keep"},
        "InvalidParameterValue",
    ),
    (
        "topic listed twice",
        "BatchModifyTopicAttributes",
        {"InstanceId": INSTANCE, "Topic": [{"TopicName": "orders"}, {"TopicName": "orders"}]},
        "InvalidParameterValue.RepetitionValue",
    ),
    (
        "OrderBy enum",
        "DescribeTopicDetail",
        {"InstanceId": INSTANCE, "OrderBy": "Name"},
        "InvalidParameterValue",
    ),
    (
        "user name format",
        "CreateUser",
        {"InstanceId": INSTANCE, "Name": "-alice", "Password": "Secret-123"},
        "InvalidParameterValue",
    ),
    (
        "password strength",
        "CreateUser",
        {"InstanceId": INSTANCE, "Name": "alice", "Password": "password"},
        "InvalidParameterValue",
    ),
    (
        "operation for resource type",
        "CreateAcl",
        {
            "InstanceId": INSTANCE,
            "ResourceType": 2,
            "ResourceName": "orders",
            "Operation": 9,
            "PermissionType": 3,
        },
        "InvalidParameterValue",
    ),
    (
        "Principal prefix",
        "CreateAcl",
        {
            "InstanceId": INSTANCE,
            "ResourceType": 2,
            "ResourceName": "orders",
            "Operation": 3,
            "PermissionType": 3,
            "Principal": "alice",
        },
        "InvalidParameterValue",
    ),
    ("VPC route without VpcId", "CreateRoute", {**_ROUTE, "VpcId": ""}, "MissingParameter"),
    ("VipType enum", "CreateRoute", {**_ROUTE, "VipType": 5}, "InvalidParameterValue"),
    ("Ip format", "CreateRoute", {**_ROUTE, "Ip": "10.0.0"}, "InvalidParameterValue"),
    (
        "ShiftTimestamp range",
        "ModifyGroupOffsets",
        {
            "InstanceId": INSTANCE,
            "Group": "billing",
            "Topics": ["orders"],
            "Strategy": 1,
            "ShiftTimestamp": -5,
        },
        "InvalidParameterValue",
    ),
    (
        "StartTime in milliseconds",
        "FetchMessageListByTimestamp",
        {"InstanceId": INSTANCE, "Topic": "orders", "StartTime": 1_700_000_000},
        "InvalidParameterValue",
    ),
    (
        "DataHubId format",
        "SendMessage",
        {"DataHubId": "hub-1", "Message": [{"Body": "x"}]},
        "InvalidParameterValue",
    ),
    ("Business enum", "DescribeRegion", {"Business": "kafka"}, "InvalidParameterValue"),
    (
        "CDC Bandwidth range",
        "CreateCdcCluster",
        {
            "CdcId": "cluster-1a2b3c4d",
            "CdcVpcId": "vpc-1a2b3c4d",
            "CdcSubnetId": "subnet-1a2b3c4d",
            "ZoneId": 100003,
            "Bandwidth": 10,
            "DiskSize": 500,
            "DiskType": "CLOUD_SSD",
            "SystemDiskType": "CLOUD_SSD",
        },
        "InvalidParameterValue",
    ),
    (
        "Prometheus VpcId format",
        "CreatePrometheus",
        {"InstanceId": INSTANCE, "VpcId": "vpc-test", "SubnetId": "subnet-1a2b3c4d"},
        "InvalidParameterValue.VpcIdInvalid",
    ),
    (
        "SecurityGroupId format",
        "AssociateRoutesSecurityGroup",
        {"InstanceRoutes": [{"InstanceId": INSTANCE, "RouteId": 0}], "SecurityGroupId": "sg-1"},
        "InvalidParameterValue",
    ),
    (
        "SecurityGroupIds listed twice",
        "ModifyRouteSecurityGroups",
        {
            "InstanceRoute": {"InstanceId": INSTANCE, "RouteId": 0},
            "SecurityGroupIds": ["sg-1a2b3c4d", "sg-1a2b3c4d"],
        },
        "InvalidParameterValue",
    ),
    (
        "SecurityGroupIds count",
        "ModifyRouteSecurityGroups",
        {
            "InstanceRoute": {"InstanceId": INSTANCE, "RouteId": 0},
            "SecurityGroupIds": [f"sg-0000000{n}" for n in range(6)],
        },
        "LimitExceeded",
    ),
    (
        "security-group-id filter relation",
        "DescribeSecurityGroupRoutes",
        {"Filters": [{"Name": "security-group-id", "Values": ["sg-1"], "Relation": "EQ"}]},
        "InvalidFilter",
    ),
    (
        "connect resource Type",
        "CreateConnectResource",
        {"ResourceName": "db", "Type": "MYSQLL"},
        "InvalidParameterValue",
    ),
    (
        "connect resource parameters for its Type",
        "CreateConnectResource",
        {"ResourceName": "db", "Type": "MYSQL"},
        "MissingParameter",
    ),
    (
        "DataHub task name format",
        "CreateDatahubTask",
        _task(TaskName="9lives"),
        "InvalidParameterValue",
    ),
    ("TaskType enum", "CreateDatahubTask", _task(TaskType="BOTH"), "InvalidParameterValue"),
    (
        "a task's source",
        "CreateDatahubTask",
        _task(SourceResource=None),
        "InvalidParameterValue.NotAllowedEmpty",
    ),
    (
        "a task resource's param for its Type",
        "CreateDatahubTask",
        _task(TargetResource={"Type": "KAFKA"}),
        "MissingParameter",
    ),
    (
        "ModifyDatahubTask TasksMax",
        "ModifyDatahubTask",
        {"TaskId": "task-shape001", "TasksMax": 0},
        "InvalidParameterValue",
    ),
    (
        "sync task Separator",
        "CreateMetaAndDataSyncDatahubTask",
        {**_SYNC, "TopicList": ["orders"], "Separator": "/"},
        "InvalidParameterValue",
    ),
    (
        "sync task topic choice",
        "CreateMetaAndDataSyncDatahubTask",
        _SYNC,
        "InvalidParameterValue.NotAllowedEmpty",
    ),
    (
        "sync task name length",
        "CreateMetaSyncDatahubTask",
        {**_SYNC, "TaskName": "m" * 65},
        "InvalidParameterValue",
    ),
    (
        "Kafka connection NetworkType",
        "CreateConnectResource",
        {
            "ResourceName": "kafka",
            "Type": "KAFKA",
            "KafkaConnectParam": {"SelfBuilt": True, "NetworkType": "LAN"},
        },
        "InvalidParameterValue",
    ),
    (
        "AclRule ResourceType enum",
        "CreateAclRule",
        {**_ACL_RULE, "ResourceType": "Group"},
        "InvalidParameterValue",
    ),
    (
        "AclRule PatternType enum",
        "CreateAclRule",
        {**_ACL_RULE, "PatternType": "LITERAL"},
        "InvalidParameterValue",
    ),
    (
        "PREFIXED rule without Pattern",
        "CreateAclRule",
        {**_ACL_RULE, "PatternType": "PREFIXED"},
        "MissingParameter",
    ),
    ("IsApplied enum", "CreateAclRule", {**_ACL_RULE, "IsApplied": 2}, "InvalidParameterValue"),
    (
        "IsApplied enum on modify",
        "ModifyAclRule",
        {"InstanceId": INSTANCE, "RuleName": "readers", "IsApplied": 2},
        "InvalidParameterValue",
    ),
    (
        "ThrottleType enum",
        "CreateThrottleRule",
        {"InstanceId": INSTANCE, "ThrottleType": 4, "UserNameList": ["a"], "ConsumeThrottle": 1},
        "InvalidParameterValue",
    ),
    (
        "throttle list for its ThrottleType",
        "CreateThrottleRule",
        {
            "InstanceId": INSTANCE,
            "ThrottleType": 3,
            "TopicNameList": ["orders"],
            "UserNameList": ["a"],
            "ConsumeThrottle": 1,
        },
        "InvalidParameterValue",
    ),
    (
        "a throttle value",
        "CreateThrottleRule",
        {"InstanceId": INSTANCE, "ThrottleType": 1, "UserNameList": ["a"]},
        "MissingParameter",
    ),
    (
        "ThrottleDimension enum",
        "DescribeThrottleRules",
        {"InstanceId": INSTANCE, "ThrottleDimension": 0},
        "InvalidParameterValue",
    ),
    (
        "topic whitelist IP format",
        "CreateTopicIpWhiteList",
        {"InstanceId": INSTANCE, "TopicName": "orders", "IpWhiteList": ["host-a"]},
        "InvalidParameterValue",
    ),
    (
        "topic whitelist IP listed twice",
        "CreateTopicIpWhiteList",
        {"InstanceId": INSTANCE, "TopicName": "orders", "IpWhiteList": ["10.0.0.1", "10.0.0.1"]},
        "InvalidParameterValue.RepetitionValue",
    ),
    (
        "PatternType filter enum",
        "DescribeAclRule",
        {"InstanceId": INSTANCE, "PatternType": "ANY"},
        "InvalidParameterValue",
    ),
    (
        "GroupName not empty",
        "CreateConsumer",
        {"InstanceId": INSTANCE, "GroupName": "", "TopicName": "orders"},
        "InvalidParameterValue",
    ),
    (
        "a topic to subscribe to",
        "CreateConsumer",
        {"InstanceId": INSTANCE, "GroupName": "mailer"},
        "MissingParameter",
    ),
    (
        "partition listed twice",
        "BatchModifyGroupOffsets",
        {
            "InstanceId": INSTANCE,
            "GroupName": "billing",
            "Partitions": [{"Partition": 0, "Offset": 1}, {"Partition": 0, "Offset": 2}],
        },
        "InvalidParameterValue.RepetitionValue",
    ),
    (
        "topic listed twice",
        "BatchModifyGroupOffsets",
        {
            "InstanceId": INSTANCE,
            "GroupName": "billing",
            "TopicName": ["orders", "orders"],
            "Partitions": [{"Partition": 0, "Offset": 1}],
        },
        "InvalidParameterValue.RepetitionValue",
    ),
    (
        "offset 0 or more",
        "BatchModifyGroupOffsets",
        {
            "InstanceId": INSTANCE,
            "GroupName": "billing",
            "Partitions": [{"Partition": 0, "Offset": -1}],
        },
        "InvalidParameterValue",
    ),
    (
        "DiskSize step",
        "ModifyInstancePre",
        {"InstanceId": INSTANCE, "DiskSize": 650},
        "InvalidParameterValue",
    ),
    (
        "a spec member to change",
        "ModifyInstancePre",
        {"InstanceId": INSTANCE},
        "InvalidParameterValue.NotAllowedEmpty",
    ),
    (
        "TimeSpan range",
        "RenewCkafkaInstance",
        {"InstanceId": INSTANCE, "TimeSpan": 48},
        "InvalidParameterValue",
    ),
    (
        "upgrade Type enum",
        "UpgradeBrokerVersion",
        {**_UPGRADE, "Type": 3},
        "InvalidParameterValue",
    ),
    (
        "DelayTimeStamp format",
        "UpgradeBrokerVersion",
        {**_UPGRADE, "DelayTimeStamp": "soon"},
        "InvalidParameterValue",
    ),
    (
        "MaintenanceType enum",
        "ModifyRoutineMaintenanceTask",
        {**_MAINTENANCE, "MaintenanceType": "BACKUP"},
        "InvalidParameterValue",
    ),
    (
        "Week days",
        "ModifyRoutineMaintenanceTask",
        {**_MAINTENANCE, "Week": "1,9"},
        "InvalidParameterValue",
    ),
    (
        "modify Type format",
        "DescribeModifyType",
        {**_MODIFY_TYPE, "Type": "profession"},
        "InvalidParameterValue",
    ),
    (
        "PublicNetworkMonthly step",
        "InquireCkafkaPrice",
        {**_PRICE, "PublicNetworkParam": {"PublicNetworkMonthly": 4}},
        "InvalidParameterValue",
    ),
    ("purchase members", "InquireCkafkaPrice", {"InstanceType": "profession"}, "MissingParameter"),
    (
        "DataHub topic name format",
        "CreateDatahubTopic",
        {**_DATAHUB, "Name": "orders"},
        "InvalidParameterValue",
    ),
    (
        "DataHub PartitionNum range",
        "CreateDatahubTopic",
        {**_DATAHUB, "PartitionNum": 501},
        "InvalidParameterValue",
    ),
    (
        "DataHub Note characters",
        "CreateDatahubTopic",
        {**_DATAHUB, "Note": "a note"},
        "InvalidParameterValue",
    ),
    (
        "DataHub RetentionMs range",
        "ModifyDatahubTopic",
        {"Name": DATAHUB_TOPIC, "RetentionMs": 1000},
        "InvalidParameterValue",
    ),
    (
        "DataHub tag key twice",
        "ModifyDatahubTopic",
        {
            "Name": DATAHUB_TOPIC,
            "RetentionMs": 60_000,
            "Tags": [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}],
        },
        "InvalidParameterValue.RepetitionValue",
    ),
    (
        "TopicRegularExpression syntax",
        "DescribeDatahubTopics",
        {"TopicRegularExpression": "t("},
        "InvalidParameterValue",
    ),
    (
        "ConnectResourceId with QueryFromConnectResource",
        "DescribeDatahubTopics",
        {"QueryFromConnectResource": True},
        "MissingParameter",
    ),
    (
        "RankingType enum",
        "DescribeTopicFlowRanking",
        {"InstanceId": INSTANCE, "RankingType": "ALL"},
        "InvalidParameterValue",
    ),
    (
        "BeginDate not after EndDate",
        "DescribeTopicFlowRanking",
        {
            "InstanceId": INSTANCE,
            "RankingType": "PRO",
            "BeginDate": "2024-03-02T00:00:00+08:00",
            "EndDate": "2024-03-01T00:00:00+08:00",
        },
        "InvalidParameterValue",
    ),
]


@pytest.mark.parametrize(("rule", "action", "params", "code"), SHAPE_RULES)
def test_a_shape_rule_is_refused_validated_and_off_without_validation(
    rule: str, action: str, params: dict[str, Any], code: str
) -> None:
    assert _answer(_seeded(validate=True), action, params)["Error"]["Code"] == code
    lenient = _answer(_seeded(validate=False), action, params)
    assert "Error" not in lenient, lenient


def test_a_value_kept_as_sent_is_what_describe_answers() -> None:
    fake = _seeded(validate=False)
    fake.state.configure(ready_after_describes=0)
    params = {**_NETWORK, "DiskType": "CLOUD_BASIC", "InstanceName": "legacy"}
    created = _answer(fake, "CreatePostPaidInstance", params)["Result"]["Data"]["InstanceId"]
    detail = _answer(fake, "DescribeInstancesDetail", {"InstanceId": created})["Result"]
    assert detail["InstanceList"][0]["DiskType"] == "CLOUD_BASIC"


# -- business rules hold either way --------------------------------------------------------

BUSINESS_RULES: list[tuple[str, dict[str, Any], str]] = [
    ("DescribeTopic", {"InstanceId": "ckafka-99999999"}, "InvalidParameterValue.InstanceNotExist"),
    (
        "CreateTopic",
        {**_TOPIC, "TopicName": "orders"},
        "InvalidParameterValue.TopicNameAlreadyExist",
    ),
    (
        "CreatePartition",
        {"InstanceId": INSTANCE, "TopicName": "orders", "PartitionNum": 1},
        "InvalidParameterValue",
    ),
    ("DeleteInstancePost", {"InstanceId": INSTANCE}, "UnsupportedOperation"),
    (
        "FetchMessageByOffset",
        {"InstanceId": INSTANCE, "Topic": "orders", "Partition": 0, "Offset": 30},
        "ResourceNotFound",
    ),
    # Not shape rules: the fake cannot model what they refuse.
    ("CreateTopic", {**_TOPIC, "PartitionNum": 0}, "InvalidParameterValue"),
    ("CreatePostPaidInstance", {**_NETWORK, "InstanceNum": 0}, "InvalidParameterValue"),
    ("ModifyInstancePre", {"InstanceId": INSTANCE, "BandWidth": 40}, "InvalidParameterValue"),
    ("UpgradeBrokerVersion", {**_UPGRADE, "SourceVersion": "v2.8.1_r1.1.5"}, "FailedOperation"),
    ("IsolatedInstancePre", {"InstanceId": "ckafka-99999999"}, "ResourceNotFound"),
    (
        "InquireCkafkaPrice",
        {"InstanceType": "profession", "CategoryAction": "renew"},
        "MissingParameter",
    ),
    ("CreateDatahubTopic", {**_DATAHUB, "PartitionNum": 0}, "InvalidParameterValue"),
    ("CreateDatahubTopic", {**_DATAHUB, "Name": DATAHUB_TOPIC}, "InvalidParameter.TopicExist"),
    (
        "SendMessage",
        {"DataHubId": "datahub-99999999", "Message": [{"Body": "x"}]},
        "ResourceNotFound",
    ),
    (
        "DescribeDatahubGroupOffsets",
        {"Name": DATAHUB_TOPIC, "Group": "nobody"},
        "ResourceNotFound",
    ),
    (
        "DescribeTopicFlowRanking",
        {"InstanceId": INSTANCE, "RankingType": "PRO", "BrokerIp": "10.9.9.9"},
        "InvalidParameterValue",
    ),
    (
        "BatchModifyGroupOffsets",
        {
            "InstanceId": INSTANCE,
            "GroupName": "ghost",
            "Partitions": [{"Partition": 0, "Offset": 0}],
        },
        "ResourceNotFound",
    ),
]


@pytest.mark.parametrize("validate", [True, False])
@pytest.mark.parametrize(("action", "params", "code"), BUSINESS_RULES)
def test_business_rules_hold_with_or_without_validation(
    action: str, params: dict[str, Any], code: str, validate: bool
) -> None:
    assert _answer(_seeded(validate=validate), action, params)["Error"]["Code"] == code


def test_a_topic_deleted_within_a_minute_is_refused_without_validation_too() -> None:
    fake = _seeded(validate=False)
    assert "Error" not in _answer(fake, "CreateTopic", _TOPIC)
    deleted = _answer(fake, "DeleteTopic", {"InstanceId": INSTANCE, "TopicName": "audit"})
    assert deleted["Error"]["Code"] == "UnsupportedOperation.FrequencyTopicDeleteOperate"


def test_a_shape_rule_enforced_without_validation_is_a_bug_not_an_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def rogue(ctx: Any) -> dict[str, Any]:
        raise ShapeError("InvalidParameterValue", "The parameter `Business` is wrong.")

    monkeypatch.setitem(HANDLERS, "DescribeRegion", Handler("DescribeRegion", rogue, "test"))
    with pytest.raises(CKafkaAssertionError) as info:
        Backend().answer("DescribeRegion", {}, None, None, validated=False)
    assert str(info.value) == (
        "pytest-ckafka bug: the stateful DescribeRegion enforced a request-shape rule with "
        "validation off (InvalidParameterValue: The parameter `Business` is wrong.); it must "
        "go through Context.reject_shape"
    )


def _first_topic(response: dict[str, Any]) -> Optional[str]:
    listed = response["Result"]["TopicList"]
    return listed[0]["TopicName"] if listed else None


def test_a_negative_offset_reads_from_the_start_without_validation() -> None:
    params = {"InstanceId": INSTANCE, "Offset": -5, "Limit": 1}
    assert _answer(_seeded(validate=True), "DescribeTopic", params)["Error"]["Message"] == (
        "The parameter `Offset` must be 0 or more, got -5."
    )
    assert _first_topic(_answer(_seeded(validate=False, topics=3), "DescribeTopic", params)) == (
        "orders"
    )


def test_a_negative_message_offset_holds_no_message_without_validation() -> None:
    params = {"InstanceId": INSTANCE, "Topic": "orders", "Partition": 0, "Offset": -1}
    assert _answer(_seeded(validate=True), "FetchMessageByOffset", params)["Error"] == {
        "Code": "InvalidParameterValue",
        "Message": "The parameter `Offset` must be 0 or more, got -1.",
    }
    assert _answer(_seeded(validate=False), "FetchMessageByOffset", params)["Error"] == {
        "Code": "ResourceNotFound",
        "Message": "There is no message at offset -1 of partition 0 of topic `orders`; "
        "the partition has offsets 0 to 29.",
    }


def test_security_group_filters_are_refused_validated_and_lenient_without() -> None:
    bad_name = {"Filters": [{"Name": "sg", "Values": ["sg-1a2b3c4d"]}]}
    two = {"Filters": [{"Name": "security-group-id", "Values": ["sg-1a2b3c4d", "sg-00000000"]}]}
    strict = _seeded(validate=True)
    assert _answer(strict, "DescribeSecurityGroupRoutes", bad_name)["Error"] == {
        "Code": "InvalidFilter",
        "Message": "The filter `sg` is not supported here; valid names: security-group-id.",
    }
    assert _answer(strict, "DescribeSecurityGroupRoutes", two)["Error"] == {
        "Code": "InvalidFilter",
        "Message": "The filter `security-group-id` has 2 values; at most 1 is allowed.",
    }
    lenient = _seeded(validate=False)
    lenient.state.add_security_group(INSTANCE, "sg-1a2b3c4d")
    other = lenient.state.add_instance("ckafka-00000002")
    for params, listed in ((bad_name, [INSTANCE, other]), (two, [INSTANCE])):
        result = _answer(lenient, "DescribeSecurityGroupRoutes", params)["Result"]
        routes = result["SecurityGroupRoutes"]
        assert [r["InstanceRoute"]["InstanceId"] for r in routes] == listed
