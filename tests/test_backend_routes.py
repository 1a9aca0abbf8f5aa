"""The stateful route family (CreateRoute, DescribeRoute, DeleteRoute) through the SDK."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from typing import Any, Optional

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.errors import allowed_codes
from pytest_ckafka.backend.routes import ROUTE_LIMIT
from pytest_ckafka.exceptions import CKafkaUsageError

VPC = "vpc-a1b2c3d4"
SUBNET = "subnet-e5f6g7h8"
BEIJING = timezone(timedelta(hours=8))


def _create(
    client: Any,
    instance_id: str,
    vip_type: int = 3,
    *,
    access_type: Optional[int] = None,
    vpc_id: Optional[str] = VPC,
    subnet_id: Optional[str] = SUBNET,
    **members: Any,
) -> Any:
    request = models.CreateRouteRequest()
    request.InstanceId = instance_id
    request.VipType = vip_type
    request.AccessType = access_type
    if vip_type == 3:
        request.VpcId = vpc_id
        request.SubnetId = subnet_id
    for name, value in members.items():
        setattr(request, name, value)
    return client.CreateRoute(request)


def _describe(client: Any, instance_id: str, **members: Any) -> list[Any]:
    request = models.DescribeRouteRequest()
    request.InstanceId = instance_id
    for name, value in members.items():
        setattr(request, name, value)
    return list(client.DescribeRoute(request).Result.Routers)


def _delete(client: Any, instance_id: str, route_id: int, when: Optional[str] = None) -> Any:
    request = models.DeleteRouteRequest()
    request.InstanceId = instance_id
    request.RouteId = route_id
    request.DeleteRouteTime = when
    return client.DeleteRoute(request)


def _error(call: Any, *args: Any, **kwargs: Any) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as info:
        call(*args, **kwargs)
    return info.value


def _routes(ckafka: CKafkaMock, instance_id: str) -> list[Any]:
    return copy.deepcopy(ckafka.state.routes(instance_id))


@pytest.fixture
def instance_id(ckafka: CKafkaMock) -> str:
    return ckafka.state.add_instance(
        "ckafka-rt000001", vpc_id="vpc-main0001", subnet_id="subnet-main0001", vip="10.0.0.10"
    )


# -- the workflow ---------------------------------------------------------------------


def test_create_describe_delete_workflow(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    created = _create(ckafka_client, instance_id, access_type=1, Note="from B")
    flow_id = created.Result.Data.FlowId
    route_id = created.Result.Data.RouteDTO.RouteId
    assert created.Result.ReturnCode == "0"
    assert flow_id > 0 and route_id > 0
    (task,) = ckafka.state.tasks()
    assert (task.flow_id, task.kind, task.instance_id) == (flow_id, "CreateRoute", instance_id)

    (route,) = _describe(ckafka_client, instance_id)
    assert (route.RouteId, route.VipType, route.AccessType) == (route_id, 3, 1)
    assert (route.VpcId, route.Subnet, route.Note) == (VPC, SUBNET, "from B")
    (vip,) = route.VipList
    assert vip.Vip.startswith("10.0.") and vip.Vport == "9092"
    assert [b.Vport for b in route.BrokerVipList] == ["9093", "9094", "9095"]
    assert (route.Domain, route.DomainPort, route.DeleteTimestamp, route.Status) == ("", 0, "", 2)
    assert [r.RouteId for r in _describe(ckafka_client, instance_id, RouteId=route_id)] == [
        route_id
    ]

    deleted = _delete(ckafka_client, instance_id, route_id)
    assert deleted.Result.Data.FlowId > flow_id
    assert _describe(ckafka_client, instance_id) == []
    assert ckafka.state.routes(instance_id) == []
    assert [t.kind for t in ckafka.state.tasks()] == ["CreateRoute", "DeleteRoute"]


def test_public_route_has_a_domain_and_public_vip(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    created = _create(ckafka_client, instance_id, 1, access_type=3, PublicNetwork=3)
    (route,) = _describe(ckafka_client, instance_id)
    assert route.RouteId == created.Result.Data.RouteDTO.RouteId
    assert (route.VipType, route.AccessType, route.VpcId, route.Subnet) == (1, 3, "", "")
    assert route.Domain == f"{instance_id}.ap-guangzhou.ckafka.tencentcloudmq.com"
    assert route.DomainPort == 50000
    assert route.VipList[0].Vip.startswith("203.0.113.")


def test_ip_member_sets_the_vip(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    _create(ckafka_client, instance_id, Ip="10.8.0.5")
    assert [r.vip for r in ckafka.state.routes(instance_id)] == ["10.8.0.5"]


def test_internal_support_route_needs_no_vpc(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    _create(ckafka_client, instance_id, 7)
    (route,) = ckafka.state.routes(instance_id)
    assert (route.vip_type, route.access_type, route.vpc_id) == (7, 0, "")


def test_describe_lists_seeded_routes_in_id_order(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    first = ckafka.state.add_route(instance_id, vip="10.0.0.21")
    second = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    routers = _describe(ckafka_client, instance_id)
    assert [(r.RouteId, r.VipType, r.VipList[0].Vip) for r in routers] == [
        (first, 3, "10.0.0.21"),
        (second, 1, "203.0.113.9"),
    ]


def test_main_route_flag_adds_the_creation_route(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    seeded = ckafka.state.add_route(instance_id, vip="10.0.0.21")
    routers = _describe(ckafka_client, instance_id, MainRouteFlag=True)
    assert [r.RouteId for r in routers] == [0, seeded]
    main = routers[0]
    assert (main.VipType, main.AccessType, main.VpcId, main.Subnet) == (
        3,
        0,
        "vpc-main0001",
        "subnet-main0001",
    )
    assert (main.VipList[0].Vip, main.VipList[0].Vport) == ("10.0.0.10", "9092")
    assert [r.RouteId for r in _describe(ckafka_client, instance_id)] == [seeded]


def test_main_route_flag_does_not_repeat_a_kept_main_route(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    kept = ckafka.state.add_route(instance_id, vip="10.0.0.10", vport="9092")
    routers = _describe(ckafka_client, instance_id, MainRouteFlag=True)
    assert [r.RouteId for r in routers] == [kept]


# -- scheduled deletion ----------------------------------------------------------------


def _beijing(ckafka: CKafkaMock, after: float) -> str:
    return datetime.fromtimestamp(ckafka.clock.now() + after, BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def test_scheduled_deletion_happens_when_the_clock_passes(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    when = _beijing(ckafka, 3600)
    answer = _delete(ckafka_client, instance_id, route_id, when)
    assert answer.Result.Data.FlowId == 0
    (route,) = _describe(ckafka_client, instance_id)
    assert route.DeleteTimestamp == when
    ckafka.clock.advance(3599)
    assert [r.RouteId for r in _describe(ckafka_client, instance_id)] == [route_id]
    ckafka.clock.advance(1)
    assert _describe(ckafka_client, instance_id) == []
    assert ckafka.state.routes(instance_id) == []


def test_a_route_past_its_deletion_time_leaves_the_instance_attributes_too(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    _delete(ckafka_client, instance_id, route_id, _beijing(ckafka, 60))
    ckafka.clock.advance(60)
    request = models.DescribeInstanceAttributesRequest()
    request.InstanceId = instance_id
    vips = ckafka_client.DescribeInstanceAttributes(request).Result.VipList
    assert "203.0.113.9" not in [v.Vip for v in vips]
    assert ckafka.state.routes(instance_id) == []


def test_deleting_a_scheduled_route_now_removes_it(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    _delete(ckafka_client, instance_id, route_id, _beijing(ckafka, 60))
    _delete(ckafka_client, instance_id, route_id)
    assert ckafka.state.routes(instance_id) == []


@pytest.mark.parametrize(
    ("after", "label"), [(0, "now"), (-60, "past"), (86_401, "beyond 24 hours")]
)
def test_schedule_outside_the_next_24_hours_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, after: float, label: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    before = _routes(ckafka, instance_id)
    when = _beijing(ckafka, after)
    error = _error(_delete, ckafka_client, instance_id, route_id, when)
    assert error.code == "InvalidParameterValue"
    assert error.message == (
        "The parameter `DeleteRouteTime` must be within the next 24 hours, after "
        f"{_beijing(ckafka, 0)} and no later than {_beijing(ckafka, 86_400)}; got `{when}`."
    )
    assert _routes(ckafka, instance_id) == before


def test_schedule_in_a_bad_format_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    error = _error(_delete, ckafka_client, instance_id, route_id, "tomorrow")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "The parameter `DeleteRouteTime` must be `YYYY-MM-DD HH:MM:SS`, got `tomorrow`.",
    )
    assert ckafka.state.routes(instance_id)[0].delete_at is None


def test_only_public_routes_can_be_scheduled(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id)
    error = _error(_delete, ckafka_client, instance_id, route_id, _beijing(ckafka, 60))
    assert (error.code, error.message) == (
        "UnsupportedOperation",
        "Only public network routes (VipType 1) can be deleted on a schedule; "
        f"route {route_id} is VipType 3 (VPC).",
    )
    assert ckafka.state.routes(instance_id)[0].delete_at is None


# -- CreateRoute's rules ----------------------------------------------------------------


def _refused(
    ckafka: CKafkaMock, client: Any, instance_id: str, *args: Any, **kwargs: Any
) -> tuple[str, str]:
    before = _routes(ckafka, instance_id)
    tasks = len(ckafka.state.tasks())
    error = _error(_create, client, instance_id, *args, **kwargs)
    assert _routes(ckafka, instance_id) == before
    assert len(ckafka.state.tasks()) == tasks
    assert error.code in allowed_codes("CreateRoute")
    return error.code, error.message


def test_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    error = _error(_create, ckafka_client, "ckafka-nothere1")
    assert (error.code, error.message) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nothere1` does not exist.",
    )


def test_creating_instance_is_unavailable(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance("ckafka-creating", status=0)
    assert _refused(ckafka, ckafka_client, instance_id)[0] == "ResourceUnavailable"


def test_bad_vip_type(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _refused(ckafka, ckafka_client, instance_id, 2) == (
        "InvalidParameterValue",
        "The VipType 2 is not valid; valid values: "
        "1 (public network), 3 (VPC), 7 (internal support).",
    )


@pytest.mark.parametrize(
    ("vip_type", "access_type", "valid"),
    [
        (
            3,
            2,
            "0 (PLAINTEXT), 1 (SASL_PLAINTEXT), 3 (SASL_SSL), 4 (SASL_SCRAM_SHA_256), "
            "5 (SASL_SCRAM_SHA_512)",
        ),
        (7, 4, "0 (PLAINTEXT), 1 (SASL_PLAINTEXT), 3 (SASL_SSL)"),
        (1, 0, "1 (SASL_PLAINTEXT), 3 (SASL_SSL)"),
    ],
)
def test_access_type_must_suit_the_vip_type(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance_id: str,
    vip_type: int,
    access_type: int,
    valid: str,
) -> None:
    names = {1: "public network", 3: "VPC", 7: "internal support"}
    assert _refused(
        ckafka, ckafka_client, instance_id, vip_type, access_type=access_type, PublicNetwork=3
    ) == (
        "InvalidParameterValue",
        f"The AccessType {access_type} is not supported for VipType {vip_type} "
        f"({names[vip_type]}); valid values: {valid}.",
    )


def test_public_route_without_access_type_uses_the_default_0(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    code, message = _refused(ckafka, ckafka_client, instance_id, 1, PublicNetwork=3)
    assert code == "InvalidParameterValue"
    assert message.startswith("The AccessType 0 is not supported for VipType 1")


@pytest.mark.parametrize("missing", ["VpcId", "SubnetId"])
def test_vpc_route_needs_vpc_and_subnet(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, missing: str
) -> None:
    ids = {"vpc_id": None} if missing == "VpcId" else {"subnet_id": None}
    assert _refused(ckafka, ckafka_client, instance_id, **ids) == (
        "MissingParameter",
        f"The parameter `{missing}` is required when VipType is 3 (VPC).",
    )


def test_malformed_vpc_id(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _refused(ckafka, ckafka_client, instance_id, vpc_id="vpc-1") == (
        "InvalidParameterValue.VpcIdInvalid",
        "The VpcId `vpc-1` is not a VPC id; expected `vpc-` and 8 lowercase letters or digits.",
    )


def test_malformed_subnet_id(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _refused(ckafka, ckafka_client, instance_id, subnet_id="Subnet-ABCDEFGH") == (
        "InvalidParameterValue.SubnetIdInvalid",
        "The SubnetId `Subnet-ABCDEFGH` is not a subnet id; "
        "expected `subnet-` and 8 lowercase letters or digits.",
    )


def test_public_route_needs_public_network(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _refused(ckafka, ckafka_client, instance_id, 1, access_type=1) == (
        "MissingParameter",
        "The parameter `PublicNetwork` (public bandwidth, a multiple of 3) is required "
        "when VipType is 1 (public network).",
    )


@pytest.mark.parametrize("bandwidth", [0, 4, -3])
def test_public_network_is_a_positive_multiple_of_3(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, bandwidth: int
) -> None:
    assert _refused(
        ckafka, ckafka_client, instance_id, 1, access_type=1, PublicNetwork=bandwidth
    ) == (
        "InvalidParameterValue",
        f"The parameter `PublicNetwork` must be a positive multiple of 3, got {bandwidth}.",
    )


def test_ip_whitelist_is_for_public_routes_only(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    entry = models.IpWhitelistDTO()
    entry.CidrBlock = "1.2.3.0/24"
    assert _refused(ckafka, ckafka_client, instance_id, IpWhitelist=[entry]) == (
        "InvalidParameterValue",
        "The parameter `IpWhitelist` only applies to VipType 1 (public network), got VipType 3.",
    )


def test_ip_must_be_an_address(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _refused(ckafka, ckafka_client, instance_id, Ip="10.0.0.999") == (
        "InvalidParameterValue",
        "The parameter `Ip` must be an IPv4 address, got `10.0.0.999`.",
    )


def test_ip_already_used(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    route_id = ckafka.state.add_route(instance_id, vip="10.0.0.30")
    assert _refused(ckafka, ckafka_client, instance_id, Ip="10.0.0.30") == (
        "InvalidParameterValue.RepetitionValue",
        f"The vip `10.0.0.30` is already used by route {route_id}.",
    )


def test_same_route_twice(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    route_id = _create(ckafka_client, instance_id).Result.Data.RouteDTO.RouteId
    assert _refused(ckafka, ckafka_client, instance_id) == (
        "InvalidParameterValue.RepetitionValue",
        f"Route {route_id} of instance `{instance_id}` already gives VipType 3 access "
        f"with AccessType 0 in `{VPC}`/`{SUBNET}`.",
    )


def test_same_as_the_main_route(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    assert _refused(
        ckafka, ckafka_client, instance_id, vpc_id="vpc-main0001", subnet_id="subnet-main0001"
    ) == (
        "InvalidParameterValue.RepetitionValue",
        f"Route 0 of instance `{instance_id}` already gives VipType 3 access "
        "with AccessType 0 in `vpc-main0001`/`subnet-main0001`.",
    )


def test_one_sasl_plaintext_route(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    route_id = _create(ckafka_client, instance_id, access_type=1).Result.Data.RouteDTO.RouteId
    assert _refused(ckafka, ckafka_client, instance_id, 1, access_type=1, PublicNetwork=3) == (
        "LimitExceeded.RouteSASLOverLimit",
        f"Instance `{instance_id}` already has a SASL_PLAINTEXT route ({route_id}); "
        "an instance may have only one.",
    )


def test_route_limit(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    for n in range(ROUTE_LIMIT):
        _create(ckafka_client, instance_id, subnet_id=f"subnet-0000000{n}")
    assert _refused(ckafka, ckafka_client, instance_id, subnet_id="subnet-00000009") == (
        "LimitExceeded.RouteOverLimit",
        f"Instance `{instance_id}` already has {ROUTE_LIMIT} routes, the most an instance "
        f"may add ({ROUTE_LIMIT}); delete one first.",
    )
    assert ROUTE_LIMIT == 5


# -- DescribeRoute and DeleteRoute's rules ---------------------------------------------------


def test_describe_unknown_route(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    route_id = ckafka.state.add_route(instance_id)
    error = _error(_describe, ckafka_client, instance_id, RouteId=route_id + 100)
    assert (error.code, error.message) == (
        "ResourceNotFound",
        f"The route {route_id + 100} does not exist in instance `{instance_id}`; "
        f"its routes: {route_id}.",
    )


def test_describe_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    error = _error(_describe, ckafka_client, "ckafka-nothere1")
    assert error.code == "InvalidParameterValue.InstanceNotExist"


def test_delete_unknown_route(ckafka: CKafkaMock, ckafka_client: Any, instance_id: str) -> None:
    error = _error(_delete, ckafka_client, instance_id, 4242)
    assert (error.code, error.message) == (
        "ResourceNotFound",
        f"The route 4242 does not exist in instance `{instance_id}`; its routes: none.",
    )
    assert ckafka.state.tasks() == []


def test_delete_main_route_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    error = _error(_delete, ckafka_client, instance_id, 0)
    assert (error.code, error.message) == (
        "UnsupportedOperation",
        f"Route 0 is the route instance `{instance_id}` was created with; it cannot be deleted.",
    )


def test_delete_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    error = _error(_delete, ckafka_client, "ckafka-nothere1", 1)
    assert error.code == "InvalidParameterValue.InstanceNotExist"


def test_routes_are_per_region(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    other = ckafka.state.add_instance("ckafka-shanghai", region="ap-shanghai")
    error = _error(_describe, ckafka_client, other)
    assert error.code == "InvalidParameterValue.InstanceNotExist"
    assert error.message.startswith("The instance `ckafka-shanghai` does not exist.")
    assert "ap-shanghai" in error.message


# -- async ------------------------------------------------------------------------------------


async def test_async_route_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance_id: str
) -> None:
    request = models.CreateRouteRequest()
    request.InstanceId = instance_id
    request.VipType = 1
    request.AccessType = 3
    request.PublicNetwork = 6
    created = await ckafka_client_async.CreateRoute(request)
    route_id = created.Result.Data.RouteDTO.RouteId
    describe = models.DescribeRouteRequest()
    describe.InstanceId = instance_id
    routers = (await ckafka_client_async.DescribeRoute(describe)).Result.Routers
    assert [(r.RouteId, r.VipType, r.AccessType) for r in routers] == [(route_id, 1, 3)]
    delete = models.DeleteRouteRequest()
    delete.InstanceId = instance_id
    delete.RouteId = route_id
    await ckafka_client_async.DeleteRoute(delete)
    delete.RouteId = route_id
    with pytest.raises(TencentCloudSDKException) as info:
        await ckafka_client_async.DeleteRoute(delete)
    assert info.value.code == "ResourceNotFound"
    assert ckafka.state.routes(instance_id) == []


def test_a_schedule_survives_dump_and_load(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    when = _beijing(ckafka, 600)
    _delete(ckafka_client, instance_id, route_id, when)
    ckafka.state.load(ckafka.state.dump())
    (route,) = _describe(ckafka_client, instance_id)
    assert route.DeleteTimestamp == when


# -- DeleteRouteTriggerTime ------------------------------------------------------------------


def _trigger(client: Any, instance_id: str, when: str) -> Any:
    request = models.DeleteRouteTriggerTimeRequest()
    request.InstanceId = instance_id
    request.DelayTime = when
    return client.DeleteRouteTriggerTime(request)


def test_trigger_time_moves_every_scheduled_deletion(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    first = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    second = ckafka.state.add_route(
        instance_id,
        vip_type=1,
        access_type=1,
        vip="203.0.113.10",
        delete_at=ckafka.clock.now() + 60,
    )
    _delete(ckafka_client, instance_id, first, _beijing(ckafka, 120))
    later = _beijing(ckafka, 7200)
    answer = _trigger(ckafka_client, instance_id, later)
    assert answer.RequestId == ckafka.calls[-1].request_id
    assert [r.DeleteTimestamp for r in _describe(ckafka_client, instance_id)] == [later, later]
    ckafka.clock.advance(7199)
    assert [r.RouteId for r in _describe(ckafka_client, instance_id)] == [first, second]
    ckafka.clock.advance(1)
    assert _describe(ckafka_client, instance_id) == []


def test_trigger_time_leaves_unscheduled_routes(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    kept = ckafka.state.add_route(instance_id)
    ckafka.state.add_route(
        instance_id, vip_type=1, vip="203.0.113.9", delete_at=ckafka.clock.now() + 60
    )
    _trigger(ckafka_client, instance_id, _beijing(ckafka, 600))
    assert [r.delete_at for r in ckafka.state.routes(instance_id)] == [
        None,
        pytest.approx(ckafka.clock.now() + 600, abs=1),  # the DelayTime's whole seconds
    ]
    assert ckafka.state.routes(instance_id)[0].route_id == kept


def test_trigger_time_without_a_scheduled_route_fails(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    before = _routes(ckafka, instance_id)
    error = _error(_trigger, ckafka_client, instance_id, _beijing(ckafka, 600))
    assert (error.code, error.message) == (
        "FailedOperation",
        f"Instance `{instance_id}` has no route scheduled for deletion; "
        "schedule one with DeleteRoute's `DeleteRouteTime` first.",
    )
    assert _routes(ckafka, instance_id) == before


@pytest.mark.parametrize("after", [0, 86_401])
def test_trigger_time_outside_the_next_24_hours_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, after: float
) -> None:
    ckafka.state.add_route(
        instance_id, vip_type=1, vip="203.0.113.9", delete_at=ckafka.clock.now() + 60
    )
    before = _routes(ckafka, instance_id)
    when = _beijing(ckafka, after)
    error = _error(_trigger, ckafka_client, instance_id, when)
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "The parameter `DelayTime` must be within the next 24 hours, after "
        f"{_beijing(ckafka, 0)} and no later than {_beijing(ckafka, 86_400)}; got `{when}`.",
    )
    assert _routes(ckafka, instance_id) == before


def test_trigger_time_in_a_bad_format_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    ckafka.state.add_route(
        instance_id, vip_type=1, vip="203.0.113.9", delete_at=ckafka.clock.now() + 60
    )
    error = _error(_trigger, ckafka_client, instance_id, "'2020-08-21 11:15:54'")
    assert (error.code, error.message) == (
        "InvalidParameterValue",
        "The parameter `DelayTime` must be `YYYY-MM-DD HH:MM:SS`, got `'2020-08-21 11:15:54'`.",
    )
    assert ckafka.state.routes(instance_id)[0].delete_at == ckafka.clock.now() + 60


def test_trigger_time_of_an_unknown_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    error = _error(_trigger, ckafka_client, "ckafka-nothere1", "2030-01-01 00:00:00")
    assert (error.code, error.message) == (
        "ResourceNotFound",
        "The instance `ckafka-nothere1` does not exist.",
    )


def test_only_a_public_route_is_seeded_with_a_deletion_time(
    ckafka: CKafkaMock, instance_id: str
) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_route(instance_id, delete_at=ckafka.clock.now() + 60)
    assert str(info.value) == (
        "state.add_route: only public routes (vip_type=1) are deleted on a schedule"
    )


def test_the_main_route_is_stored_on_the_instance(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    main = ckafka.state.main_route(instance_id)
    assert (main.route_id, main.vip_type, main.access_type, main.vip, main.vpc_id) == (
        0,
        3,
        0,
        "10.0.0.10",
        "vpc-main0001",
    )
    (shown,) = _describe(ckafka_client, instance_id, MainRouteFlag=True)
    assert (shown.RouteId, shown.VipList[0].Vip) == (0, "10.0.0.10")
    assert ckafka.state.routes(instance_id) == []  # the kept routes: the main route is apart
