"""The sales catalog (DescribeRegion, DescribeCkafkaZone) and DescribeTaskStatus via the SDK."""

from __future__ import annotations

from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client as sdk_client

from pytest_ckafka import CKafkaMock, load_spec
from pytest_ckafka.backend import sales

from .sdk_calls import sdk_error as error
from .sdk_calls import sdk_request as _request
from .sdk_calls import sdk_result as call


@pytest.fixture
def client_in(ckafka: CKafkaMock, ckafka_credential: Any) -> Any:
    """A sync SDK client for another region: ``client_in("ap-beijing")``."""
    return lambda region: sdk_client.CkafkaClient(ckafka_credential, region)


# -- DescribeRegion --------------------------------------------------------------------------------


def test_describe_region_lists_every_sold_region(ckafka_client: Any) -> None:
    regions = call(ckafka_client, "DescribeRegion")
    codes = [r["RegionCodeV3"] for r in regions]
    assert sorted(codes) == sorted(load_spec().regions)
    documented = load_spec().action("DescribeRegion").example_output
    assert documented is not None
    assert regions[0] == documented["Result"][0]  # ap-guangzhou, RegionId 1, as documented
    ids = [r["RegionId"] for r in regions]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    beijing = regions[codes.index("ap-beijing")]
    assert (beijing["RegionId"], beijing["RegionName"]) == (8, "北京")  # from its zones
    shanghai = regions[codes.index("ap-shanghai")]
    assert (shanghai["RegionCode"], shanghai["AreaName"]) == ("shanghai", "Asia Pacific")
    assert call(ckafka_client, "DescribeRegion", Business="cmq") == regions


def test_describe_region_paging_and_business(ckafka_client: Any) -> None:
    everything = call(ckafka_client, "DescribeRegion")
    assert call(ckafka_client, "DescribeRegion", Offset=2, Limit=3) == everything[2:5]
    assert call(ckafka_client, "DescribeRegion", Offset=len(everything)) == []
    assert error(ckafka_client, "DescribeRegion", Limit=0) == (
        "InvalidParameterValue",
        "The parameter `Limit` must be 1 or more, got 0.",
    )
    assert error(ckafka_client, "DescribeRegion", Business="cvm") == (
        "InvalidParameterValue",
        "The parameter `Business` must be one of ckafka, cmq, got `cvm`.",
    )


# -- DescribeCkafkaZone ----------------------------------------------------------------------------


def test_zones_of_guangzhou(ckafka_client: Any) -> None:
    result = call(ckafka_client, "DescribeCkafkaZone")
    zones = result["ZoneList"]
    assert [z["ZoneId"] for z in zones] == [str(100000 + n) for n in range(1, 8)]
    assert zones[2]["ZoneName"] == "广州三区"  # the ZoneInfo member's documented example
    assert {(z["SoldOut"], z["ZoneStatus"], z["Flag"]) for z in zones} == {("false", 3, False)}
    sold = {(s["Platform"], s["SoldOut"]) for s in zones[0]["SalesInfo"]}
    assert ("profession", False) in sold and ("standard", True) in sold
    assert result["MaxBuyInstanceNum"] == 20


def test_zones_of_beijing_are_the_documented_ones(client_in: Any) -> None:
    result = call(client_in("ap-beijing"), "DescribeCkafkaZone")
    documented = load_spec().action("DescribeCkafkaZone").example_output
    assert documented is not None
    assert [z["ZoneName"] for z in result["ZoneList"]] == [
        z["ZoneName"] for z in documented["Result"]["ZoneList"]
    ]
    assert result["ZoneList"][0]["ZoneId"] == "800001"


def test_zones_of_a_region_without_documented_zones(client_in: Any) -> None:
    zones = call(client_in("ap-shanghai"), "DescribeCkafkaZone")["ZoneList"]
    info = sales.region_info("ap-shanghai")
    assert info is not None and not info.documented
    assert [z["ZoneName"] for z in zones] == ["ap-shanghai-1", "ap-shanghai-2", "ap-shanghai-3"]
    assert [int(z["ZoneId"]) for z in zones] == [info.region_id * 100000 + n for n in (1, 2, 3)]


def test_create_accepts_the_zones_describe_lists(ckafka: CKafkaMock, client_in: Any) -> None:
    beijing = client_in("ap-beijing")
    zone = int(call(beijing, "DescribeCkafkaZone")["ZoneList"][2]["ZoneId"])
    params = {"VpcId": "vpc-abcd1234", "SubnetId": "subnet-abcd1234", "ZoneId": zone}
    call(beijing, "CreatePostPaidInstance", **params)
    (instance,) = ckafka.state.instances(region="ap-beijing")
    assert instance.zone_id == 800003
    code, message = error(beijing, "CreatePostPaidInstance", **{**params, "ZoneId": 100003})
    assert code == "InvalidParameterValue.ZoneNotSupport"
    assert message.startswith("The zone 100003 is not a CKafka zone of region `ap-beijing`;")


# -- DescribeTaskStatus ----------------------------------------------------------------------------


def test_task_runs_then_succeeds(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=2)
    instance_id = ckafka.state.add_instance(name="shop")
    flow_id = call(ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id)["Data"][
        "FlowId"
    ]
    polls = [call(ckafka_client, "DescribeTaskStatus", FlowId=flow_id) for _ in range(3)]
    assert polls == [
        {"Status": 2, "Output": ""},
        {"Status": 2, "Output": ""},
        {"Status": 0, "Output": "success"},
    ]
    (task,) = ckafka.state.tasks()
    assert (task.flow_id, task.kind, task.instance_id, task.polls) == (
        flow_id,
        "ModifyInstanceAttributes",
        instance_id,
        3,
    )


def test_task_ready_at_once_or_after_seconds(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(name="shop")
    ckafka.state.configure(ready_after_describes=0)
    first = call(ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id)
    assert call(ckafka_client, "DescribeTaskStatus", FlowId=first["Data"]["FlowId"])["Status"] == 0
    ckafka.state.configure(ready_after_describes=50, ready_after_seconds=10)
    second = call(ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id)
    flow_id = second["Data"]["FlowId"]
    assert call(ckafka_client, "DescribeTaskStatus", FlowId=flow_id)["Status"] == 2
    ckafka.clock.advance(10)
    assert call(ckafka_client, "DescribeTaskStatus", FlowId=flow_id)["Status"] == 0


def test_unknown_tasks(ckafka: CKafkaMock, ckafka_client: Any, client_in: Any) -> None:
    assert error(ckafka_client, "DescribeTaskStatus", FlowId=424242) == (
        "ResourceNotFound",
        "The task with FlowId 424242 does not exist in region `ap-guangzhou`.",
    )
    assert error(ckafka_client, "DescribeTaskStatus", FlowId=0) == (
        "ResourceNotFound",
        "The task with FlowId 0 does not exist in region `ap-guangzhou`. CreateInstancePre and "
        "CreatePostPaidInstance answer FlowId 0, which is not a task: poll "
        "DescribeInstanceAttributes until Status is 1 instead.",
    )
    instance_id = ckafka.state.add_instance(name="shop", region="ap-shanghai")
    shanghai = client_in("ap-shanghai")
    flow = call(shanghai, "ModifyInstanceAttributes", InstanceId=instance_id)["Data"]["FlowId"]
    code, _ = error(ckafka_client, "DescribeTaskStatus", FlowId=flow)
    assert code == "ResourceNotFound"
    assert call(shanghai, "DescribeTaskStatus", FlowId=flow)["Status"] == 2


async def test_async_task_polling(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    instance_id = ckafka.state.add_instance(name="shop", pay_mode="POSTPAID_BY_HOUR")
    deleted = await ckafka_client_async.DeleteInstancePost(
        _request("DeleteInstancePost", {"InstanceId": instance_id})
    )
    statuses = []
    for _ in range(3):
        status = await ckafka_client_async.DescribeTaskStatus(
            _request("DescribeTaskStatus", {"FlowId": deleted.Result.FlowId})
        )
        statuses.append(status.Result.Status)
    assert statuses == [2, 0, 0]
