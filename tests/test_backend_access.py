"""Tokens, access policies and topic IP whitelists through the official SDK."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.times import beijing_datetime
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result

OFFICE = {"CidrBlock": "198.51.100.0/24", "PolicyDescription": "office"}


@pytest.fixture
def instance(ckafka: CKafkaMock) -> str:
    """An instance with the user ``alice``, the topic ``orders`` and a public route."""
    instance = ckafka.state.add_instance(name="access")
    ckafka.state.add_user(instance, "alice", "Passw0rd")
    ckafka.state.add_topic(instance, "orders")
    return instance


@pytest.fixture
def public_route(ckafka: CKafkaMock, instance: str) -> int:
    return ckafka.state.add_route(instance, vip_type=1, vip="203.0.113.9")


def test_token_workflow(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    token = result(ckafka_client, "CreateToken", InstanceId=instance, User="alice")
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    (made,) = ckafka.state.tokens(instance)
    assert (made.token, made.user, made.authorized) == (token, "alice", False)
    call = {"InstanceId": instance, "User": "alice", "Tokens": token}
    assert result(ckafka_client, "AuthorizeToken", **call) == 0
    assert ckafka.state.tokens(instance)[0].authorized is True
    assert result(ckafka_client, "AuthorizeToken", **call) == 0  # again: no change
    assert result(ckafka_client, "CancelAuthorizationToken", **call) == 0
    assert ckafka.state.tokens(instance)[0].authorized is False
    assert result(ckafka_client, "CancelAuthorizationToken", **call) == 0
    # A second token for the same user is another token.
    assert result(ckafka_client, "CreateToken", InstanceId=instance, User="alice") != token


def test_a_deleted_user_takes_its_tokens(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    token = result(ckafka_client, "CreateToken", InstanceId=instance, User="alice")
    call = {"InstanceId": instance, "User": "alice", "Tokens": token}
    result(ckafka_client, "AuthorizeToken", **call)
    result(ckafka_client, "DeleteUser", InstanceId=instance, Name="alice")
    assert ckafka.state.tokens(instance) == []
    result(ckafka_client, "CreateUser", InstanceId=instance, Name="alice", Password="Passw0rd2")
    assert failure(ckafka_client, "AuthorizeToken", **call) == (
        "InvalidParameterValue",
        "The parameter `Tokens` is not a token CreateToken made for the user `alice` in "
        f"instance `{instance}`.",
    )


@pytest.mark.parametrize(
    ("action", "params", "code", "message"),
    [
        (
            "CreateToken",
            {"User": "bob"},
            "InvalidParameterValue",
            "The user `bob` does not exist in instance `{instance}`; users: alice.",
        ),
        (
            "CreateToken",
            {"User": "alice", "InstanceId": "ckafka-nope0000"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nope0000` does not exist.",
        ),
        (
            "AuthorizeToken",
            {"User": "alice", "Tokens": "not-a-token"},
            "InvalidParameterValue",
            "The parameter `Tokens` is not a token CreateToken made for the user `alice` in "
            "instance `{instance}`.",
        ),
        (
            "AuthorizeToken",
            {"User": "carol", "Tokens": "{token}"},
            "InvalidParameterValue",
            "The parameter `Tokens` is not a token CreateToken made for the user `carol` in "
            "instance `{instance}`.",
        ),
        (
            "CancelAuthorizationToken",
            {"User": "bob", "Tokens": "{token}"},
            "InvalidParameterValue",
            "The user `bob` does not exist in instance `{instance}`; users: alice, carol.",
        ),
    ],
)
def test_token_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    action: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    token = ckafka.state.add_token(instance, "alice", authorized=True)
    ckafka.state.add_user(instance, "carol", "Passw0rd")
    if action == "CreateToken" and params["User"] == "bob":
        message = message.replace("users: alice.", "users: alice, carol.")
    before = ckafka.state.dump()
    params = {"InstanceId": instance, **{k: v.replace("{token}", token) for k, v in params.items()}}
    assert failure(ckafka_client, action, **params) == (
        code,
        message.replace("{instance}", instance),
    )
    assert ckafka.state.dump() == before
    assert token not in message  # a token is a credential: never echoed


def test_access_policy_workflow(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str, public_route: int
) -> None:
    call = {"InstanceId": instance, "RouteId": public_route}
    assert result(ckafka_client, "DescribeAccessPolicy", **call) == {
        "TotalCount": 0,
        "IpWhitelist": [],
    }
    home = {"CidrBlock": "203.0.113.7", "PolicyDescription": "home"}
    assert result(ckafka_client, "ModifyAccessPolicy", IpWhitelist=[OFFICE, home], **call) == (
        "Succeed"
    )
    assert result(ckafka_client, "DescribeAccessPolicy", **call) == {
        "TotalCount": 2,
        "IpWhitelist": [OFFICE, home],
    }
    assert ckafka.state.access_policy(instance, public_route) == [OFFICE, home]
    # Without IpWhitelist, every entry goes (the reference: "不传默认删除全部配置").
    result(ckafka_client, "ModifyAccessPolicy", **call)
    assert result(ckafka_client, "DescribeAccessPolicy", **call)["TotalCount"] == 0


def test_create_route_presets_a_public_routes_ip_whitelist(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    answer = result(
        ckafka_client,
        "CreateRoute",
        InstanceId=instance,
        VipType=1,
        AccessType=1,
        PublicNetwork=3,
        IpWhitelist=[OFFICE],
    )
    call = {"InstanceId": instance, "RouteId": answer["Data"]["RouteDTO"]["RouteId"]}
    assert result(ckafka_client, "DescribeAccessPolicy", **call) == {
        "TotalCount": 1,
        "IpWhitelist": [OFFICE],
    }
    before = ckafka.state.dump()
    assert failure(
        ckafka_client,
        "CreateRoute",
        InstanceId=instance,
        VipType=1,
        AccessType=3,
        PublicNetwork=3,
        IpWhitelist=[{"CidrBlock": "10.0.0.300"}],
    ) == (
        "InvalidParameterValue",
        "The parameter `IpWhitelist.0.CidrBlock` must be an IP address or CIDR block "
        "(e.g. 10.0.0.0/24), got `10.0.0.300`.",
    )
    assert ckafka.state.dump() == before


def test_a_route_past_its_scheduled_deletion_has_no_access_policy(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str, public_route: int
) -> None:
    ckafka.state.add_access_policy(instance, public_route, ip_whitelist=[OFFICE])
    when = beijing_datetime(ckafka.clock.now() + 3600)
    result(ckafka_client, "DeleteRoute", InstanceId=instance, RouteId=public_route,
           DeleteRouteTime=when)  # fmt: skip
    ckafka.clock.advance(3601)
    call = {"InstanceId": instance, "RouteId": public_route}
    assert failure(ckafka_client, "DescribeAccessPolicy", **call) == (
        "ResourceNotFound",
        f"The route {public_route} does not exist in instance `{instance}`; routes: (none).",
    )


@pytest.mark.parametrize(
    ("action", "params", "code", "message"),
    [
        (
            "DescribeAccessPolicy",
            {"RouteId": 999},
            "ResourceNotFound",
            "The route 999 does not exist in instance `{instance}`; routes: {routes}.",
        ),
        (
            "ModifyAccessPolicy",
            {"RouteId": "{vpc}", "IpWhitelist": [OFFICE]},
            "UnsupportedOperation",
            "The route {vpc} is VipType 3; an IP whitelist belongs to a public network route "
            "(VipType 1).",
        ),
        (
            "DescribeAccessPolicy",
            {"RouteId": 0},
            "UnsupportedOperation",
            "The route 0 is VipType 3; an IP whitelist belongs to a public network route "
            "(VipType 1).",
        ),
        (
            "ModifyAccessPolicy",
            {"RouteId": "{public}", "IpWhitelist": [OFFICE, {"CidrBlock": "10.0.0.300"}]},
            "InvalidParameterValue",
            "The parameter `IpWhitelist.1.CidrBlock` must be an IP address or CIDR block "
            "(e.g. 10.0.0.0/24), got `10.0.0.300`.",
        ),
        (
            "ModifyAccessPolicy",
            {"RouteId": "{public}", "IpWhitelist": [OFFICE, OFFICE]},
            "InvalidParameterValue",
            "The CIDR block `198.51.100.0/24` appears more than once in `IpWhitelist`; list "
            "each once.",
        ),
        (
            "DescribeAccessPolicy",
            {"RouteId": 1, "InstanceId": "ckafka-nope0000"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nope0000` does not exist.",
        ),
    ],
)
def test_access_policy_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    public_route: int,
    action: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    vpc = ckafka.state.add_route(instance, vip_type=3)
    ckafka.state.add_access_policy(instance, public_route, ip_whitelist=[OFFICE])
    ids = {"{vpc}": vpc, "{public}": public_route}
    params = {
        "InstanceId": instance,
        **{k: ids.get(v, v) if isinstance(v, str) else v for k, v in params.items()},
    }
    before = ckafka.state.dump()
    expected = (
        message.replace("{instance}", instance)
        .replace("{vpc}", str(vpc))
        .replace("{routes}", f"{public_route}, {vpc}")
    )
    assert failure(ckafka_client, action, **params) == (code, expected)
    assert ckafka.state.dump() == before


def test_create_topic_ip_white_list_adds_to_describe_topic_attributes(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    ckafka.state.add_topic(instance, "audit", EnableWhiteList=1, IpWhiteList=["10.0.0.1"])
    answer = result(
        ckafka_client,
        "CreateTopicIpWhiteList",
        InstanceId=instance,
        TopicName="audit",
        IpWhiteList=["10.0.0.2", "10.0.0.1", "10.1.0.0/16"],
    )
    assert (answer["ReturnCode"], answer["ReturnMessage"]) == ("0", "ok[apply success]")
    attributes = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName="audit"
    )
    assert (attributes["EnableWhiteList"], attributes["IpWhiteList"]) == (
        1,
        ["10.0.0.1", "10.0.0.2", "10.1.0.0/16"],
    )
    detail = result(ckafka_client, "DescribeTopicDetail", InstanceId=instance, SearchWord="audit")
    assert detail["TopicList"][0]["IpWhiteListCount"] == 3
    # The switch stays as it is: orders has a whitelist now, still switched off.
    result(
        ckafka_client,
        "CreateTopicIpWhiteList",
        InstanceId=instance,
        TopicName="orders",
        IpWhiteList=["10.0.0.9"],
    )
    orders = result(
        ckafka_client, "DescribeTopicAttributes", InstanceId=instance, TopicName="orders"
    )
    assert (orders["EnableWhiteList"], orders["IpWhiteList"]) == (0, ["10.0.0.9"])


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"TopicName": "nope", "IpWhiteList": ["10.0.0.1"]},
            "ResourceNotFound",
            "The topic `nope` does not exist in instance `{instance}`.",
        ),
        (
            {"TopicName": "orders", "IpWhiteList": ["10.0.0.1", "10.0.0.1"]},
            "InvalidParameterValue.RepetitionValue",
            "The IP `10.0.0.1` appears more than once in `IpWhiteList`; list each once.",
        ),
        (
            {"TopicName": "orders", "IpWhiteList": ["10.0.0.1", "host-a"]},
            "InvalidParameterValue",
            "The parameter `IpWhiteList.1` must be an IP address or CIDR block "
            "(e.g. 10.0.0.0/24), got `host-a`.",
        ),
        (
            {
                "TopicName": "orders",
                "IpWhiteList": [f"10.0.{n // 250}.{n % 250}" for n in range(513)],
            },
            "InvalidParameterValue",
            "The parameter `IpWhiteList` takes at most 512 IPs, got 513.",
        ),
    ],
)
def test_create_topic_ip_white_list_rules_change_nothing(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    before = ckafka.state.dump()
    assert failure(ckafka_client, "CreateTopicIpWhiteList", InstanceId=instance, **params) == (
        code,
        message.replace("{instance}", instance),
    )
    assert ckafka.state.dump() == before


@pytest.mark.ckafka(validate=False)
def test_without_validation_the_address_rules_are_off(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str, public_route: int
) -> None:
    odd = {"CidrBlock": "office-lan", "PolicyDescription": ""}
    call = {"InstanceId": instance, "RouteId": public_route}
    result(ckafka_client, "ModifyAccessPolicy", IpWhitelist=[odd, odd], **call)
    assert ckafka.state.access_policy(instance, public_route) == [odd, odd]


@pytest.mark.parametrize(
    ("method", "arguments", "message"),
    [
        ("add_token", {"user": "bob"}, "has no user bob"),
        ("add_token", {"user": "alice", "token": "t-1"}, "already has that token"),
        ("add_access_policy", {"route_id": 999}, "has no public route 999"),
        (
            "add_access_policy",
            {"route_id": "{public}", "ip_whitelist": [{"CidrBlock": "x"}]},
            "ip_whitelist[0].CidrBlock is no IP or CIDR block: 'x'",
        ),
        (
            "add_access_policy",
            {"route_id": "{public}", "ip_whitelist": [{"Cidr": "10.0.0.1"}]},
            "ip_whitelist[0] has unknown key 'Cidr'",
        ),
    ],
)
def test_seeding_refuses_what_the_actions_refuse(
    ckafka: CKafkaMock,
    instance: str,
    public_route: int,
    method: str,
    arguments: dict[str, Any],
    message: str,
) -> None:
    ckafka.state.add_token(instance, "alice", token="t-1")
    before = ckafka.state.dump()
    arguments = {k: public_route if v == "{public}" else v for k, v in arguments.items()}
    with pytest.raises(CKafkaUsageError) as info:
        getattr(ckafka.state, method)(instance, **arguments)
    assert str(info.value).startswith(f"state.{method}: ")
    assert message in str(info.value)
    assert ckafka.state.dump() == before


async def test_async_token_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance: str
) -> None:
    create = models.CreateTokenRequest()
    create.InstanceId, create.User = instance, "alice"
    token = (await ckafka_client_async.CreateToken(create)).Result
    authorize = models.AuthorizeTokenRequest()
    authorize.InstanceId, authorize.User, authorize.Tokens = instance, "alice", token
    assert (await ckafka_client_async.AuthorizeToken(authorize)).Result == 0
    assert [t.authorized for t in ckafka.state.tokens(instance)] == [True]


def test_a_deleted_route_takes_its_whitelist(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str, public_route: int
) -> None:
    ckafka.state.add_access_policy(instance, public_route, ip_whitelist=[OFFICE])
    result(ckafka_client, "DeleteRoute", InstanceId=instance, RouteId=public_route)
    assert ckafka.state.access_policy(instance, public_route) == []
    assert ckafka.state.add_route(instance, vip_type=1, vip="203.0.113.9") != public_route
