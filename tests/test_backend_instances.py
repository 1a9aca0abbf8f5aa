"""The stateful instance actions, driven through the official SDK (sync and async)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client as sdk_client

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as error
from .sdk_calls import sdk_request as _request
from .sdk_calls import sdk_result as call

BAD = "InvalidParameterValue"
VPC, SUBNET = "vpc-abcd1234", "subnet-abcd1234"


def post(client: Any, **params: Any) -> Any:
    """CreatePostPaidInstance with a valid network and zone unless overridden."""
    return call(client, "CreatePostPaidInstance", **{**_valid(), **params})


def pre(client: Any, **params: Any) -> Any:
    """CreateInstancePre with every required member unless overridden."""
    return call(client, "CreateInstancePre", **{**_valid(), **_pre_extra(), **params})


def _valid() -> dict[str, Any]:
    return {"InstanceName": "orders", "VpcId": VPC, "SubnetId": SUBNET, "ZoneId": 100003}


def _pre_extra() -> dict[str, Any]:
    return {"Period": "2m", "InstanceType": 1}


def attributes(client: Any, instance_id: str) -> Any:
    return call(client, "DescribeInstanceAttributes", InstanceId=instance_id)


# -- the whole workflow ----------------------------------------------------------------------------


def test_post_paid_create_describe_modify_delete(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    created = post(
        ckafka_client,
        BandWidth=100,
        DiskSize=800,
        Partition=1200,
        TopicNum=600,
        KafkaVersion="2.8.1",
        MsgRetentionTime=2880,
        Tags=[{"TagKey": "team", "TagValue": "shop"}],
    )
    assert (created["ReturnCode"], created["ReturnMessage"]) == ("0", "ok[apply ok]")
    data = created["Data"]
    instance_id = data["InstanceId"]
    assert re.fullmatch(r"ckafka-[a-z0-9]{8}", instance_id)
    assert data["FlowId"] == 0
    (deal,) = data["DealNames"]
    assert re.fullmatch(r"\d{23}", deal)
    assert data["DealNameInstanceIdMapping"] == [
        {"DealName": deal, "InstanceIdList": [instance_id]}
    ]
    (instance,) = ckafka.state.instances()
    assert (instance.status, instance.pay_mode, instance.name) == (0, "POSTPAID_BY_HOUR", "orders")

    first = attributes(ckafka_client, instance_id)
    assert first["Status"] == 0
    second = attributes(ckafka_client, instance_id)
    assert second["Status"] == 1
    assert (second["InstanceId"], second["InstanceName"]) == (instance_id, "orders")
    assert (second["VpcId"], second["SubnetId"], second["ZoneId"]) == (VPC, SUBNET, 100003)
    assert second["ZoneIds"] == [100003]
    assert (second["Bandwidth"], second["DiskSize"], second["Version"]) == (800, 800, "2.8.1")
    assert (second["MsgRetentionTime"], second["InstanceChargeType"]) == (2880, "POSTPAID_BY_HOUR")
    assert second["Tags"] == [{"TagKey": "team", "TagValue": "shop"}]
    assert (second["RemainingTopics"], second["RemainingPartitions"]) == (600, 1200)
    assert (second["CreateTime"], second["ExpireTime"]) == (int(ckafka.clock.now()), 0)
    assert second["VipList"] == [{"Vip": second["Vip"], "Vport": "9092"}]

    modified = call(
        ckafka_client,
        "ModifyInstanceAttributes",
        InstanceId=instance_id,
        InstanceName="orders-v2",
        MsgRetentionTime=60,
        Config={"AutoCreateTopicEnable": True, "DefaultNumPartitions": 6},
    )
    flow_id = modified["Data"]["FlowId"]
    assert modified["ReturnCode"] == "0" and flow_id > 0
    status = call(ckafka_client, "DescribeTaskStatus", FlowId=flow_id)
    assert status == {"Status": 2, "Output": ""}
    assert call(ckafka_client, "DescribeTaskStatus", FlowId=flow_id) == {
        "Status": 0,
        "Output": "success",
    }
    after = attributes(ckafka_client, instance_id)
    assert (after["InstanceName"], after["MsgRetentionTime"]) == ("orders-v2", 60)
    assert after["Config"] == {
        "AutoCreateTopicsEnable": True,
        "DefaultNumPartitions": 6,
        "DefaultReplicationFactor": 2,
    }

    deleted = call(ckafka_client, "DeleteInstancePost", InstanceId=instance_id)
    assert [t.kind for t in ckafka.state.tasks()] == ["ModifyInstanceAttributes", "DeleteInstance"]
    assert deleted["FlowId"] == ckafka.state.tasks()[-1].flow_id
    assert ckafka.state.instances() == []
    code, message = error(ckafka_client, "DescribeInstanceAttributes", InstanceId=instance_id)
    assert (code, message) == (
        "InvalidParameterValue.InstanceNotExist",
        f"The instance `{instance_id}` does not exist.",
    )


def test_prepaid_create_and_delete(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=0)
    created = pre(ckafka_client, RenewFlag=1, Partition=1000)
    assert (created["ReturnCode"], created["ReturnMessage"], created["Data"]["FlowId"]) == (
        "0",
        "ok",
        0,
    )
    instance_id = created["Data"]["InstanceId"]
    got = attributes(ckafka_client, instance_id)
    assert (got["Status"], got["InstanceChargeType"]) == (1, "PREPAID")
    # Period 2m: two 30-day months; the topic limit is half the partitions.
    assert got["ExpireTime"] == int(ckafka.clock.now()) + 2 * 30 * 86_400
    assert (got["RemainingTopics"], got["RemainingPartitions"]) == (500, 1000)
    deleted = call(ckafka_client, "DeleteInstancePre", InstanceId=instance_id)
    assert (deleted["ReturnCode"], deleted["Data"]["InstanceId"]) == ("0", instance_id)
    assert deleted["Data"]["FlowId"] == 0
    assert ckafka.state.instances() == []


def test_instance_num_buys_suffixed_instances(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    data = post(ckafka_client, InstanceNum=3)["Data"]
    instances = ckafka.state.instances()
    assert [i.name for i in instances] == ["orders-1", "orders-2", "orders-3"]
    ids = [i.instance_id for i in instances]
    assert data["InstanceId"] == ids[0]
    assert data["DealNameInstanceIdMapping"][0]["InstanceIdList"] == ids


def test_post_paid_without_name_is_named_by_its_id(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    params = _valid()
    del params["InstanceName"]
    data = call(ckafka_client, "CreatePostPaidInstance", **params)["Data"]
    assert ckafka.state.instances()[0].name == data["InstanceId"]


def test_multi_zone_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    data = post(ckafka_client, ZoneId=100006, ZoneIds=[100006, 100007], MultiZoneFlag=True)
    got = attributes(ckafka_client, data["Data"]["InstanceId"])
    assert (got["ZoneId"], got["ZoneIds"]) == (100006, [100006, 100007])


# -- becoming ready --------------------------------------------------------------------------------


def test_ready_after_describes_knob(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=3)
    instance_id = post(ckafka_client)["Data"]["InstanceId"]
    seen = [attributes(ckafka_client, instance_id)["Status"] for _ in range(4)]
    assert seen == [0, 0, 0, 1]


def test_every_describe_counts(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=2)
    instance_id = post(ckafka_client)["Data"]["InstanceId"]
    listed = call(ckafka_client, "DescribeInstances")["InstanceList"]
    assert listed[0]["Status"] == 0
    detail = call(ckafka_client, "DescribeInstancesDetail")["InstanceList"]
    assert detail[0]["Status"] == 0
    assert attributes(ckafka_client, instance_id)["Status"] == 1


def test_ready_after_seconds_knob(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=100, ready_after_seconds=30)
    instance_id = post(ckafka_client)["Data"]["InstanceId"]
    assert attributes(ckafka_client, instance_id)["Status"] == 0
    ckafka.clock.advance(29)
    assert attributes(ckafka_client, instance_id)["Status"] == 0
    ckafka.clock.advance(1)
    assert attributes(ckafka_client, instance_id)["Status"] == 1


async def test_async_create_poll_delete(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.state.configure(ready_after_describes=2)
    created = await ckafka_client_async.CreatePostPaidInstance(
        _request("CreatePostPaidInstance", _valid())
    )
    instance_id = created.Result.Data.InstanceId
    statuses = []
    for _ in range(5):
        got = await ckafka_client_async.DescribeInstanceAttributes(
            _request("DescribeInstanceAttributes", {"InstanceId": instance_id})
        )
        statuses.append(got.Result.Status)
        if got.Result.Status == 1:
            break
    assert statuses == [0, 0, 1]
    deleted = await ckafka_client_async.DeleteInstancePost(
        _request("DeleteInstancePost", {"InstanceId": instance_id})
    )
    assert deleted.Result.FlowId == ckafka.state.tasks()[0].flow_id
    assert ckafka.state.instances() == []


# -- create rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"VpcId": "vpc-test"},
            "InvalidParameterValue.VpcIdInvalid",
            "The VpcId `vpc-test` is not a VPC id (vpc- and 8 lowercase letters or digits).",
        ),
        (
            {"SubnetId": "sub-abcd1234"},
            "InvalidParameterValue.SubnetIdInvalid",
            "The SubnetId `sub-abcd1234` is not a subnet id "
            "(subnet- and 8 lowercase letters or digits).",
        ),
        (
            {"ZoneId": 200001},
            "InvalidParameterValue.ZoneNotSupport",
            "The zone 200001 is not a CKafka zone of region `ap-guangzhou`; DescribeCkafkaZone "
            "lists them: 100001, 100002, 100003, 100004, 100005, 100006, 100007.",
        ),
        (
            {"ZoneIds": [100003, 100003]},
            "InvalidParameterValue.RepetitionValue",
            "The parameter `ZoneIds` repeats the zone 100003.",
        ),
        (
            {"ZoneIds": [100006, 100007]},
            BAD,
            "The ZoneId 100003 must be one of the ZoneIds [100006, 100007].",
        ),
        (
            {"MultiZoneFlag": True},
            "MissingParameter",
            "`ZoneIds` is required when `MultiZoneFlag` is true.",
        ),
        (
            {"KafkaVersion": "3.9.0"},
            BAD,
            "The parameter `KafkaVersion` must be one of 2.4.1, 2.4.2, 2.8.1, 3.2.3, got `3.9.0`.",
        ),
        (
            {"DiskType": "CLOUD_BASIC"},
            BAD,
            "The parameter `DiskType` must be one of CLOUD_SSD, CLOUD_PREMIUM, got `CLOUD_BASIC`.",
        ),
        (
            {"MsgRetentionTime": 43201},
            BAD,
            "The parameter `MsgRetentionTime` must be between 1 and 43200, got 43201.",
        ),
        (
            {"DiskSize": 550},
            BAD,
            "The parameter `DiskSize` must be between 100 and 10000000 in steps of 100, got 550.",
        ),
        (
            {"BandWidth": 10},
            BAD,
            "The parameter `BandWidth` must be between 20 and 100000, got 10.",
        ),
        (
            {"InstanceNum": 21},
            BAD,
            "The parameter `InstanceNum` must be between 1 and 20, got 21.",
        ),
        (
            {"InstanceName": "x" * 129},
            BAD,
            "The parameter `InstanceName` is at most 128 characters, got 129.",
        ),
        (
            {"Tags": [{"TagKey": "a", "TagValue": "1"}, {"TagKey": "a", "TagValue": "2"}]},
            "InvalidParameterValue.RepetitionValue",
            "The parameter `Tags` repeats the tag key `a`.",
        ),
    ],
)
def test_bad_post_paid_create_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, params: dict[str, Any], code: str, message: str
) -> None:
    assert error(ckafka_client, "CreatePostPaidInstance", **{**_valid(), **params}) == (
        code,
        message,
    )
    assert ckafka.state.instances() == []


def test_post_paid_empty_name(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    assert error(ckafka_client, "CreatePostPaidInstance", **{**_valid(), "InstanceName": ""}) == (
        "InvalidParameterValue.NotAllowedEmpty",
        "The parameter `InstanceName` is empty.",
    )
    assert ckafka.state.instances() == []


def test_post_paid_needs_a_zone(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    params = _valid()
    del params["ZoneId"]
    assert error(ckafka_client, "CreatePostPaidInstance", **params) == (
        "MissingParameter",
        "One of `ZoneId` and `ZoneIds` is required.",
    )
    assert ckafka.state.instances() == []


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        ({"Period": "37m"}, BAD, "The parameter `Period` must be 1m to 36m (months), got `37m`."),
        ({"Period": "1y"}, BAD, "The parameter `Period` must be 1m to 36m (months), got `1y`."),
        (
            {"MsgRetentionTime": 129601},
            BAD,
            "The parameter `MsgRetentionTime` must be between 1 and 129600, got 129601.",
        ),
        (
            {"SpecificationsType": "premium", "BandWidth": 400},
            BAD,
            "The parameter `BandWidth` must be between 20 and 360, got 400.",
        ),
        ({"RenewFlag": 3}, BAD, "The parameter `RenewFlag` must be between 0 and 2, got 3."),
        (
            {"VpcId": "vpc-ABCD1234"},
            "InvalidParameterValue.VpcIdInvalid",
            "The VpcId `vpc-ABCD1234` is not a VPC id (vpc- and 8 lowercase letters or digits).",
        ),
    ],
)
def test_bad_prepaid_create_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, params: dict[str, Any], code: str, message: str
) -> None:
    full = {**_valid(), **_pre_extra(), **params}
    assert error(ckafka_client, "CreateInstancePre", **full) == (code, message)
    assert ckafka.state.instances() == []


# -- listing ---------------------------------------------------------------------------------------


@pytest.fixture
def many(ckafka: CKafkaMock) -> list[str]:
    """25 running instances named shop-00 .. shop-24."""
    return [ckafka.state.add_instance(name=f"shop-{n:02}") for n in range(25)]


def test_describe_instances_paging(ckafka_client: Any, many: list[str]) -> None:
    first = call(ckafka_client, "DescribeInstances")
    assert first["TotalCount"] == 25
    assert [i["InstanceId"] for i in first["InstanceList"]] == many[:10]
    assert first["InstanceList"][0] == {
        "InstanceId": many[0],
        "InstanceName": "shop-00",
        "Status": 1,
        "IfCommunity": False,
    }
    last = call(ckafka_client, "DescribeInstances", Offset=20, Limit=100)
    assert [i["InstanceId"] for i in last["InstanceList"]] == many[20:]
    assert error(ckafka_client, "DescribeInstances", Limit=101) == (
        BAD,
        "The parameter `Limit` must be between 1 and 100, got 101.",
    )
    assert error(ckafka_client, "DescribeInstances", Offset=-1) == (
        BAD,
        "The parameter `Offset` must be 0 or more, got -1.",
    )


def test_describe_instances_detail_paging(ckafka_client: Any, many: list[str]) -> None:
    page = call(ckafka_client, "DescribeInstancesDetail", Offset=5, Limit=20)
    assert page["TotalCount"] == 25
    assert [i["InstanceId"] for i in page["InstanceList"]] == many[5:25]
    assert len(call(ckafka_client, "DescribeInstancesDetail")["InstanceList"]) == 10
    assert error(ckafka_client, "DescribeInstancesDetail", Limit=21) == (
        BAD,
        "The parameter `Limit` must be between 1 and 20, got 21.",
    )


def test_describe_instances_conditions(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    a = ckafka.state.add_instance(name="orders-prod", vpc_id="vpc-aaaa1111", tags=[
        {"TagKey": "env", "TagValue": "prod"}])  # fmt: skip
    b = ckafka.state.add_instance(name="orders-test", status=0)
    ckafka.state.add_instance(name="billing")

    def ids(**params: Any) -> list[str]:
        result = call(ckafka_client, "DescribeInstances", **params)
        assert result["TotalCount"] == len(result["InstanceList"])
        return [i["InstanceId"] for i in result["InstanceList"]]

    assert ids(Status=[0]) == [b]
    assert ids(Status=[1], SearchWord="orders") == [a, b]  # one describe made b running
    assert ids(SearchWord="orders") == [a, b]
    assert ids(SearchWord=a) == []  # DescribeInstances searches names only
    assert ids(InstanceId=b) == [b]
    assert ids(VpcId="vpc-aaaa1111") == [a]
    assert ids(TagKey="env") == [a]


def test_detail_search_and_filters(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    a = ckafka.state.add_instance(
        name="alpha", vpc_id="vpc-aaaa1111", subnet_id="subnet-aaaa1111", zone_id=100006,
        vip="10.1.1.1", tags=[{"TagKey": "env", "TagValue": "prod"}],
    )  # fmt: skip
    b = ckafka.state.add_instance(
        name="beta", vpc_id="vpc-bbbb2222", subnet_id="subnet-bbbb2222",
        attrs={"SpecificationsType": "premium"}, tags=[{"TagKey": "env", "TagValue": "dev"}],
    )  # fmt: skip

    def ids(**params: Any) -> list[str]:
        result = call(ckafka_client, "DescribeInstancesDetail", **params)
        assert result["TotalCount"] == len(result["InstanceList"])
        return [i["InstanceId"] for i in result["InstanceList"]]

    assert ids(SearchWord="100006") == [a]
    assert ids(SearchWord="bbbb") == [b]
    assert ids(SearchWord=a[-4:]) == [a]
    assert ids(Filters=[{"Name": "VpcId", "Values": ["vpc-bbbb2222"]}]) == [b]
    assert ids(Filters=[{"Name": "SubNetId", "Values": ["subnet-aaaa1111"]}]) == [a]
    assert ids(Filters=[{"Name": "Ip", "Values": ["10.1.1.1"]}]) == [a]
    assert ids(Filters=[{"Name": "InstanceType", "Values": ["premium"]}]) == [b]
    assert ids(Filters=[{"Name": "InstanceId", "Values": [a, b]}]) == [a, b]
    assert ids(InstanceIdList=[b]) == [b]
    assert ids(InstanceIds=json.dumps([a])) == [a]
    assert ids(TagList=[{"TagKey": "env", "TagValue": "dev"}]) == [b]
    assert ids(TagKey="env") == [a, b]
    assert error(
        ckafka_client, "DescribeInstancesDetail", Filters=[{"Name": "Vpc", "Values": []}]
    ) == (
        BAD,
        "The filter `Vpc` is not supported here; valid names: InstanceId, InstanceType, Ip, "
        "SubNetId, VpcId. Did you mean `VpcId`?",
    )
    many = [str(n) for n in range(11)]
    assert error(
        ckafka_client, "DescribeInstancesDetail", Filters=[{"Name": "Ip", "Values": many}]
    ) == (BAD, "The filter `Ip` has 11 values; at most 10 are allowed.")
    assert error(ckafka_client, "DescribeInstancesDetail", InstanceIds="ckafka-1") == (
        BAD,
        'The parameter `InstanceIds` must be a JSON list such as ["ckafka-xxxxxxxx"], got '
        "`ckafka-1`; it is deprecated, use InstanceIdList.",
    )


def test_detail_reports_live_counts(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(
        name="shop", bandwidth=40, partition_limit=900, topic_limit=450, pay_mode="POSTPAID_BY_HOUR"
    )
    ckafka.state.add_topic(instance_id, "orders", partitions=3)
    ckafka.state.add_topic(instance_id, "payments", partitions=2)
    (detail,) = call(ckafka_client, "DescribeInstancesDetail")["InstanceList"]
    assert (detail["TopicNum"], detail["PartitionNumber"]) == (2, 5)
    assert (detail["MaxTopicNumber"], detail["MaxPartitionNumber"]) == (450, 900)
    assert (detail["Bandwidth"], detail["InstanceType"], detail["Cvm"]) == (320, "profession", 1)
    assert detail["PublicNetworkChargeType"] == "BANDWIDTH_POSTPAID_BY_HOUR"
    assert detail["RebalanceTime"] == "0000-00-00 00:00:00"
    got = attributes(ckafka_client, instance_id)
    assert (got["CreatedTopics"], got["CreatedPartitions"]) == (2, 5)
    assert (got["RemainingTopics"], got["RemainderPartitions"]) == (448, 895)


def test_rebalance_time_is_beijing_time(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(name="shop")
    # 2024-01-01 00:00:00 UTC: Tencent Cloud answers datetimes in UTC+8 whatever the region.
    call(
        ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id, RebalanceTime=1704067200
    )
    (detail,) = call(ckafka_client, "DescribeInstancesDetail")["InstanceList"]
    assert detail["RebalanceTime"] == "2024-01-01 08:00:00"


# -- not found, other regions ----------------------------------------------------------------------


def test_instance_in_another_region_is_not_found(
    ckafka: CKafkaMock, ckafka_client: Any, ckafka_credential: Any
) -> None:
    instance_id = ckafka.state.add_instance(region="ap-shanghai")
    code, message = error(ckafka_client, "DescribeInstanceAttributes", InstanceId=instance_id)
    assert code == "InvalidParameterValue.InstanceNotExist"
    # The hint names where the instance is and where the call looked.
    assert message.startswith(f"The instance `{instance_id}` does not exist. It exists ")
    assert "region ap-shanghai" in message and "region ap-guangzhou" in message
    assert call(ckafka_client, "DescribeInstances")["TotalCount"] == 0
    shanghai = sdk_client.CkafkaClient(ckafka_credential, "ap-shanghai")
    assert attributes(shanghai, instance_id)["InstanceId"] == instance_id
    # Zones of a region without documented zone data are not refused (see catalog).
    assert post(shanghai, ZoneId=200002)["ReturnCode"] == "0"


# -- modify ----------------------------------------------------------------------------------------


def test_modify_rules(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance(name="new", status=0)
    ckafka.state.configure(ready_after_describes=5)
    assert error(ckafka_client, "ModifyInstanceAttributes", InstanceId=creating) == (
        "ResourceUnavailable",
        f"The instance `{creating}` is not running yet (Status 0); wait until "
        "DescribeInstanceAttributes reports Status 1.",
    )
    instance_id = ckafka.state.add_instance(name="shop")
    for params, message in [
        (
            {"MsgRetentionTime": 0},
            "The parameter `MsgRetentionTime` must be between 1 and 129600, got 0.",
        ),
        (
            {"MaxMessageByte": 1024},
            "The parameter `MaxMessageByte` must be between 1025 and 12582911, got 1024.",
        ),
        (
            {"InstanceName": "ok", "DeleteProtectionEnable": 2},
            "The parameter `DeleteProtectionEnable` must be between 0 and 1, got 2.",
        ),
        (
            {"Config": {"DefaultReplicationFactor": 0}},
            "The parameter `Config.DefaultReplicationFactor` must be 1 or more, got 0.",
        ),
        # NotAllowedEmpty is documented for the creates only, not for Modify.
        ({"InstanceName": ""}, "The parameter `InstanceName` is empty."),
    ]:
        assert error(
            ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id, **params
        ) == (BAD, message)
    got = attributes(ckafka_client, instance_id)
    assert (got["InstanceName"], got["MsgRetentionTime"], got["DeleteProtectionEnable"]) == (
        "shop",
        1440,
        0,
    )
    assert ckafka.state.tasks() == []
    call(
        ckafka_client,
        "ModifyInstanceAttributes",
        InstanceId=instance_id,
        MaxMessageByte=2_000_000,
        UncleanLeaderElectionEnable=1,
        PublicNetwork=6,
    )
    got = attributes(ckafka_client, instance_id)
    assert (got["MaxMessageByte"], got["UncleanLeaderElectionEnable"], got["PublicNetwork"]) == (
        2_000_000,
        1,
        6,
    )


# -- delete ----------------------------------------------------------------------------------------


def test_delete_rules_change_nothing(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    prepaid = ckafka.state.add_instance(name="pre", pay_mode="PREPAID")
    postpaid = ckafka.state.add_instance(name="post", pay_mode="POSTPAID_BY_HOUR")
    assert error(ckafka_client, "DeleteInstancePost", InstanceId=prepaid) == (
        "UnsupportedOperation",
        f"The instance `{prepaid}` is billed PREPAID; delete it with DeleteInstancePre. "
        "DeleteInstancePost deletes POSTPAID_BY_HOUR instances only.",
    )
    assert error(ckafka_client, "DeleteInstancePre", InstanceId=postpaid) == (
        "UnsupportedOperation",
        f"The instance `{postpaid}` is billed POSTPAID_BY_HOUR; delete it with "
        "DeleteInstancePost. DeleteInstancePre deletes PREPAID instances only.",
    )
    ckafka.state.add_topic(prepaid, "orders")
    ckafka.state.add_topic(postpaid, "a")
    ckafka.state.add_topic(postpaid, "b")
    assert error(ckafka_client, "DeleteInstancePre", InstanceId=prepaid) == (
        "ResourceInUse",
        f"The instance `{prepaid}` still has 1 topic; delete it first (DeleteTopic).",
    )
    assert error(ckafka_client, "DeleteInstancePost", InstanceId=postpaid) == (
        "ResourceInUse",
        f"The instance `{postpaid}` still has 2 topics; delete them first (DeleteTopic).",
    )
    assert len(ckafka.state.instances()) == 2
    assert [t.name for t in ckafka.state.topics(postpaid)] == ["a", "b"]
    assert ckafka.state.tasks() == []


def test_delete_creating_protected_and_unknown(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=5)
    creating = ckafka.state.add_instance(name="new", status=0, pay_mode="POSTPAID_BY_HOUR")
    code, message = error(ckafka_client, "DeleteInstancePost", InstanceId=creating)
    assert (code, message) == (
        "ResourceUnavailable",
        f"The instance `{creating}` is not running yet (Status 0); wait until "
        "DescribeInstanceAttributes reports Status 1.",
    )
    protected = ckafka.state.add_instance(name="keep")
    call(ckafka_client, "ModifyInstanceAttributes", InstanceId=protected, DeleteProtectionEnable=1)
    assert error(ckafka_client, "DeleteInstancePre", InstanceId=protected) == (
        "UnsupportedOperation",
        f"The instance `{protected}` has delete protection on; turn it off with "
        "ModifyInstanceAttributes (DeleteProtectionEnable=0) first.",
    )
    assert len(ckafka.state.instances()) == 2
    assert error(ckafka_client, "DeleteInstancePre", InstanceId="ckafka-nothere") == (
        "ResourceNotFound",
        "The instance `ckafka-nothere` does not exist.",
    )
    assert error(ckafka_client, "DeleteInstancePost", InstanceId="ckafka-nothere") == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nothere` does not exist.",
    )
