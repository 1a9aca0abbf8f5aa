"""The route security groups family through the official SDK: AssociateRoutesSecurityGroup,
DisassociateRoutesSecurityGroup, ModifyRouteSecurityGroups, DescribeSecurityGroupRoutes."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pytest_ckafka import CKafkaMock
from pytest_ckafka.exceptions import CKafkaUsageError
from tests.sdk_calls import sdk_error, sdk_result

INSTANCE = "ckafka-sg000001"
SG1, SG2, SG3 = "sg-aaaa0001", "sg-bbbb0002", "sg-cccc0003"


@pytest.fixture
def instance_id(ckafka: CKafkaMock) -> str:
    return ckafka.state.add_instance(
        INSTANCE, name="shop", vpc_id="vpc-main0001", subnet_id="subnet-main0001", vip="10.0.0.10"
    )


def _pairs(*route_ids: int, instance_id: str = INSTANCE) -> list[dict[str, Any]]:
    return [{"InstanceId": instance_id, "RouteId": r} for r in route_ids]


def _groups(ckafka: CKafkaMock) -> dict[str, Any]:
    """Every route's security groups, to check a failed call changed nothing."""
    state = ckafka.state
    return {
        i.instance_id: copy.deepcopy([i.main_route, *state.routes(i.instance_id)])
        for i in state.instances()
    }


def _listed(client: Any, **members: Any) -> list[tuple[str, int, list[str]]]:
    result = sdk_result(client, "DescribeSecurityGroupRoutes", **members)
    routes = result["SecurityGroupRoutes"]
    assert result["TotalCount"] >= len(routes)
    return [
        (r["InstanceRoute"]["InstanceId"], r["InstanceRoute"]["RouteId"], r["SecurityGroupIds"])
        for r in routes
    ]


# -- the workflow ---------------------------------------------------------------------------


def test_associate_describe_modify_disassociate(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip="10.0.0.21")
    answer = sdk_result(
        ckafka_client,
        "AssociateRoutesSecurityGroup",
        InstanceRoutes=_pairs(0, route_id),
        SecurityGroupId=SG1,
    )
    assert answer == {"ReturnCode": "0", "ReturnMessage": "ok"}
    assert ckafka.state.security_groups(instance_id) == [SG1]
    assert ckafka.state.security_groups(instance_id, route_id) == [SG1]

    result = sdk_result(ckafka_client, "DescribeSecurityGroupRoutes")
    assert result == {
        "TotalCount": 2,
        "SecurityGroupRoutes": [
            {
                "InstanceRoute": {"InstanceId": instance_id, "RouteId": 0},
                "SecurityGroupIds": [SG1],
                "InstanceName": "shop",
                "VpcId": "vpc-main0001",
                "Vip": "10.0.0.10",
            },
            {
                "InstanceRoute": {"InstanceId": instance_id, "RouteId": route_id},
                "SecurityGroupIds": [SG1],
                "InstanceName": "shop",
                "VpcId": "vpc-main0001",
                "Vip": "10.0.0.21",
            },
        ],
    }

    sdk_result(
        ckafka_client,
        "ModifyRouteSecurityGroups",
        InstanceRoute={"InstanceId": instance_id, "RouteId": route_id},
        SecurityGroupIds=[SG3, SG2],
    )
    assert ckafka.state.security_groups(instance_id, route_id) == [SG3, SG2]

    sdk_result(
        ckafka_client,
        "DisassociateRoutesSecurityGroup",
        InstanceRoutes=_pairs(0, route_id),
        SecurityGroupId=SG2,
    )
    assert ckafka.state.security_groups(instance_id) == [SG1]  # never had SG2: unchanged
    assert ckafka.state.security_groups(instance_id, route_id) == [SG3]

    sdk_result(
        ckafka_client,
        "ModifyRouteSecurityGroups",
        InstanceRoute={"InstanceId": instance_id, "RouteId": 0},
    )
    assert ckafka.state.security_groups(instance_id) == []


def test_associating_a_group_twice_keeps_it_once(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    for _ in range(2):
        sdk_result(
            ckafka_client,
            "AssociateRoutesSecurityGroup",
            InstanceRoutes=_pairs(0, 0),
            SecurityGroupId=SG1,
        )
    assert ckafka.state.security_groups(instance_id) == [SG1]


def test_the_main_route_and_its_groups_survive_dump_and_load(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    ckafka.state.add_security_group(instance_id, SG1)
    ckafka.state.load(ckafka.state.dump())
    assert ckafka.state.security_groups(instance_id) == [SG1]
    assert ckafka.state.main_route(instance_id).vip == "10.0.0.10"
    assert _listed(ckafka_client) == [(instance_id, 0, [SG1])]


async def test_async_associate(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance_id: str
) -> None:
    from tests.sdk_calls import sdk_request

    request = sdk_request(
        "AssociateRoutesSecurityGroup", {"InstanceRoutes": _pairs(0), "SecurityGroupId": SG2}
    )
    answer = await ckafka_client_async.AssociateRoutesSecurityGroup(request)
    assert answer.Result.ReturnCode == "0"
    assert ckafka.state.security_groups(instance_id) == [SG2]


# -- DescribeSecurityGroupRoutes -----------------------------------------------------------


@pytest.fixture
def two_instances(ckafka: CKafkaMock, instance_id: str) -> tuple[int, str]:
    public = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    vpc = ckafka.state.add_route(instance_id, vip="10.0.0.21")
    ckafka.state.add_security_group(instance_id, SG1, route_id=vpc)
    other = ckafka.state.add_instance("ckafka-sg000002", name="billing", vip="10.0.1.10")
    ckafka.state.add_security_group(other, SG2)
    assert public not in (0, vpc)
    return vpc, other


def test_describe_lists_vpc_routes_only_main_first(
    ckafka_client: Any, two_instances: tuple[int, str]
) -> None:
    vpc, other = two_instances
    assert _listed(ckafka_client) == [
        (INSTANCE, 0, []),
        (INSTANCE, vpc, [SG1]),
        (other, 0, [SG2]),
    ]


@pytest.mark.parametrize(
    ("relation", "expected"), [(None, ["vpc"]), ("IN", ["vpc"]), ("NOT_IN", ["main", "other"])]
)
def test_describe_filters_by_security_group(
    ckafka_client: Any, two_instances: tuple[int, str], relation: Any, expected: list[str]
) -> None:
    vpc, other = two_instances
    names = {(INSTANCE, 0): "main", (INSTANCE, vpc): "vpc", (other, 0): "other"}
    flt: dict[str, Any] = {"Name": "security-group-id", "Values": [SG1]}
    if relation:
        flt["Relation"] = relation
    listed = _listed(ckafka_client, Filters=[flt])
    assert [names[(i, r)] for i, r, _ in listed] == expected


def test_describe_search_word_instance_route_and_paging(
    ckafka_client: Any, two_instances: tuple[int, str]
) -> None:
    vpc, other = two_instances
    assert [r for _, r, _ in _listed(ckafka_client, SearchWord="shop")] == [0, vpc]
    assert [i for i, _, _ in _listed(ckafka_client, SearchWord="10.0.1.")] == [other]
    assert [i for i, _, _ in _listed(ckafka_client, SearchWord="sg000002")] == [other]
    named = {"InstanceId": INSTANCE, "RouteId": vpc}
    assert _listed(ckafka_client, InstanceRoute=named) == [(INSTANCE, vpc, [SG1])]
    result = sdk_result(ckafka_client, "DescribeSecurityGroupRoutes", Offset=1, Limit=1)
    assert result["TotalCount"] == 3
    assert [r["InstanceRoute"]["RouteId"] for r in result["SecurityGroupRoutes"]] == [vpc]


def test_describe_with_nothing_lists_nothing(ckafka_client: Any) -> None:
    assert sdk_result(ckafka_client, "DescribeSecurityGroupRoutes") == {
        "TotalCount": 0,
        "SecurityGroupRoutes": [],
    }


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        (
            {"Name": "sg-id", "Values": [SG1]},
            "The filter `sg-id` is not supported here; valid names: security-group-id.",
        ),
        (
            {"Name": "security-group-id", "Values": [SG1, SG2]},
            "The filter `security-group-id` has 2 values; at most 1 is allowed.",
        ),
        (
            {"Name": "security-group-id", "Values": [SG1], "Relation": "EQ"},
            "The filter relation `EQ` is not supported; valid values: IN, NOT_IN.",
        ),
    ],
)
def test_describe_refuses_a_bad_filter(
    ckafka_client: Any, instance_id: str, flt: dict[str, Any], message: str
) -> None:
    assert sdk_error(ckafka_client, "DescribeSecurityGroupRoutes", Filters=[flt]) == (
        "InvalidFilter",
        message,
    )


def test_describe_refuses_a_page_size_below_1(ckafka_client: Any) -> None:
    assert sdk_error(ckafka_client, "DescribeSecurityGroupRoutes", Limit=0) == (
        "InvalidParameterValue",
        "The parameter `Limit` must be 1 or more, got 0.",
    )


# -- the rules: each answers its code and changes nothing --------------------------------------


def _refused(ckafka: CKafkaMock, client: Any, action: str, **members: Any) -> tuple[str, str]:
    before = _groups(ckafka)
    answer = sdk_error(client, action, **members)
    assert _groups(ckafka) == before
    return answer


@pytest.mark.parametrize(
    "action", ["AssociateRoutesSecurityGroup", "DisassociateRoutesSecurityGroup"]
)
def test_a_malformed_group_id_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, action: str
) -> None:
    assert _refused(
        ckafka, ckafka_client, action, InstanceRoutes=_pairs(0), SecurityGroupId="sg-xxx1"
    ) == (
        "InvalidParameterValue",
        "The security group id `sg-xxx1` is not valid; "
        "expected `sg-` and 8 lowercase letters or digits.",
    )


def test_an_empty_route_list_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _refused(
        ckafka,
        ckafka_client,
        "AssociateRoutesSecurityGroup",
        InstanceRoutes=[],
        SecurityGroupId=SG1,
    ) == ("InvalidParameterValue", "The parameter `InstanceRoutes` must not be empty.")


@pytest.mark.parametrize(
    "action", ["AssociateRoutesSecurityGroup", "DisassociateRoutesSecurityGroup"]
)
def test_one_unknown_route_refuses_the_whole_list(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str, action: str
) -> None:
    ckafka.state.add_security_group(instance_id, SG1)
    route_id = ckafka.state.add_route(instance_id, vip="10.0.0.21")
    assert _refused(
        ckafka, ckafka_client, action, InstanceRoutes=_pairs(0, 4242), SecurityGroupId=SG1
    ) == (
        "ResourceNotFound",
        f"The route 4242 does not exist in instance `{instance_id}`; its routes: 0, {route_id}.",
    )


def test_an_unknown_instance_is_refused(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert _refused(
        ckafka,
        ckafka_client,
        "AssociateRoutesSecurityGroup",
        InstanceRoutes=_pairs(0) + _pairs(0, instance_id="ckafka-nothere1"),
        SecurityGroupId=SG1,
    ) == ("ResourceNotFound", "The instance `ckafka-nothere1` does not exist.")


def test_a_public_route_takes_no_security_group(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    assert _refused(
        ckafka,
        ckafka_client,
        "AssociateRoutesSecurityGroup",
        InstanceRoutes=_pairs(0, route_id),
        SecurityGroupId=SG1,
    ) == (
        "UnsupportedOperation",
        f"Route {route_id} of instance `{instance_id}` is VipType 1; "
        "only VPC routes (VipType 3) take security groups.",
    )


def test_a_route_takes_at_most_five_groups(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    for n in range(5):
        ckafka.state.add_security_group(instance_id, f"sg-0000000{n}")
    assert _refused(
        ckafka,
        ckafka_client,
        "AssociateRoutesSecurityGroup",
        InstanceRoutes=_pairs(0),
        SecurityGroupId=SG1,
    ) == (
        "LimitExceeded",
        "Route 0 already has 5 security groups, the most a route may have (5); "
        "disassociate one first.",
    )
    six = [f"sg-0000000{n}" for n in range(6)]
    assert _refused(
        ckafka,
        ckafka_client,
        "ModifyRouteSecurityGroups",
        InstanceRoute=_pairs(0)[0],
        SecurityGroupIds=six,
    ) == (
        "LimitExceeded",
        "The parameter `SecurityGroupIds` lists 6 security groups; a route may have at most 5.",
    )


def test_a_creating_instance_is_unavailable(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance("ckafka-creating", status=0)
    code, message = _refused(
        ckafka,
        ckafka_client,
        "ModifyRouteSecurityGroups",
        InstanceRoute={"InstanceId": creating, "RouteId": 0},
        SecurityGroupIds=[SG1],
    )
    assert (code, message) == (
        "ResourceUnavailable",
        "The instance `ckafka-creating` is not running yet (Status 0); wait until "
        "DescribeInstanceAttributes reports Status 1.",
    )


@pytest.mark.parametrize(
    ("members", "answer"),
    [
        (
            {"InstanceRoute": {"InstanceId": "", "RouteId": 0}},
            (
                "InvalidParameterValue.NotAllowedEmpty",
                "The parameter `InstanceRoute.InstanceId` must not be empty.",
            ),
        ),
        (
            {"InstanceRoute": {"InstanceId": INSTANCE, "RouteId": 0}, "SecurityGroupIds": [""]},
            (
                "InvalidParameterValue.NotAllowedEmpty",
                "The parameter `SecurityGroupIds` must not hold an empty id.",
            ),
        ),
        (
            {
                "InstanceRoute": {"InstanceId": INSTANCE, "RouteId": 0},
                "SecurityGroupIds": [SG1, SG1],
            },
            ("InvalidParameterValue", f"The security group `{SG1}` is listed more than once."),
        ),
        (
            {"InstanceRoute": {"InstanceId": INSTANCE, "RouteId": 7}, "SecurityGroupIds": [SG1]},
            (
                "ResourceNotFound",
                f"The route 7 does not exist in instance `{INSTANCE}`; its routes: 0.",
            ),
        ),
    ],
)
def test_modify_rules(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance_id: str,
    members: dict[str, Any],
    answer: tuple[str, str],
) -> None:
    ckafka.state.add_security_group(instance_id, SG3)
    assert _refused(ckafka, ckafka_client, "ModifyRouteSecurityGroups", **members) == answer


def test_create_route_binds_the_security_groups_it_lists(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route = sdk_result(
        ckafka_client,
        "CreateRoute",
        InstanceId=instance_id,
        VipType=3,
        VpcId="vpc-main0001",
        SubnetId="subnet-other001",
        AccessType=0,
        SecurityGroupIds=[SG2, SG1],
    )
    route_id = route["Data"]["RouteDTO"]["RouteId"]
    assert ckafka.state.security_groups(instance_id, route_id) == [SG2, SG1]
    assert _listed(ckafka_client, Filters=[{"Name": "security-group-id", "Values": [SG1]}]) == [
        (instance_id, route_id, [SG2, SG1])
    ]


def test_create_route_refuses_a_malformed_security_group_and_adds_no_route(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    before = _groups(ckafka)
    assert sdk_error(
        ckafka_client,
        "CreateRoute",
        InstanceId=instance_id,
        VipType=3,
        VpcId="vpc-main0001",
        SubnetId="subnet-other001",
        SecurityGroupIds=[SG1, "sg-1"],
    ) == (
        "InvalidParameterValue",
        "The security group id `sg-1` is not valid; "
        "expected `sg-` and 8 lowercase letters or digits.",
    )
    assert _groups(ckafka) == before


# -- seeding ---------------------------------------------------------------------------------


def test_seeding_refuses_what_associate_refuses(ckafka: CKafkaMock, instance_id: str) -> None:
    public = ckafka.state.add_route(instance_id, vip_type=1, vip="203.0.113.9")
    with pytest.raises(CKafkaUsageError) as bad_id:
        ckafka.state.add_security_group(instance_id, "sg-1")
    assert str(bad_id.value) == (
        "state.add_security_group: 'sg-1' is not a security group id "
        "(`sg-` and 8 lowercase letters or digits)"
    )
    with pytest.raises(CKafkaUsageError) as not_vpc:
        ckafka.state.add_security_group(instance_id, SG1, route_id=public)
    assert str(not_vpc.value) == (
        f"state.add_security_group: route {public} of {instance_id} is VipType 1; "
        "only VPC routes (VipType 3) take security groups"
    )
    with pytest.raises(CKafkaUsageError) as missing:
        ckafka.state.security_groups(instance_id, 99)
    assert str(missing.value) == (
        f"state.security_groups: {instance_id} has no route 99; its routes: 0, {public}"
    )
