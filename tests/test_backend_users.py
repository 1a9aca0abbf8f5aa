"""SASL users through the official SDK, against the stateful backend."""

from __future__ import annotations

import time
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_response as call

SECRET = "Sup3r-secret!"


def beijing(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + 8 * 3600))


@pytest.fixture
def instance(ckafka: CKafkaMock) -> str:
    return ckafka.state.add_instance(name="sasl")


def test_user_workflow(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    created_at = ckafka.clock.now()
    answer = call(ckafka_client, "CreateUser", InstanceId=instance, Name="alice", Password=SECRET)
    assert answer["Result"]["ReturnCode"] == "0"
    (user,) = ckafka.state.users(instance)
    assert (user.name, user.password) == ("alice", SECRET)

    listed = call(ckafka_client, "DescribeUser", InstanceId=instance)["Result"]
    assert listed == {
        "TotalCount": 1,
        "Users": [
            {
                "UserId": user.user_id,
                "Name": "alice",
                "CreateTime": beijing(created_at),
                "UpdateTime": beijing(created_at),
            }
        ],
    }

    ckafka.clock.advance(3600)
    call(
        ckafka_client,
        "ModifyPassword",
        InstanceId=instance,
        Name="alice",
        Password=SECRET,
        PasswordNew="N3w-secret",
    )
    assert ckafka.state.users(instance)[0].password == "N3w-secret"
    (shown,) = call(ckafka_client, "DescribeUser", InstanceId=instance)["Result"]["Users"]
    assert (shown["CreateTime"], shown["UpdateTime"]) == (
        beijing(created_at),
        beijing(created_at + 3600),
    )

    call(ckafka_client, "DeleteUser", InstanceId=instance, Name="alice")
    assert ckafka.state.users(instance) == []
    empty = call(ckafka_client, "DescribeUser", InstanceId=instance)["Result"]
    assert (empty["TotalCount"], empty["Users"]) == (0, [])


def test_passwords_never_appear_in_any_response(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    ckafka.state.add_user(instance, "seeded", "Seed3d-pass")
    call(ckafka_client, "CreateUser", InstanceId=instance, Name="alice", Password=SECRET)
    call(ckafka_client, "DescribeUser", InstanceId=instance)
    call(ckafka_client, "DescribeUser", InstanceId=instance, SearchWord="ali")
    failure(
        ckafka_client,
        "ModifyPassword",
        InstanceId=instance,
        Name="alice",
        Password="Wr0ng-pass",
        PasswordNew="weakweak",
    )
    failure(
        ckafka_client,
        "ModifyPassword",
        InstanceId=instance,
        Name="alice",
        Password=SECRET,
        PasswordNew="weakweak",
    )
    call(
        ckafka_client,
        "ModifyPassword",
        InstanceId=instance,
        Name="alice",
        Password=SECRET,
        PasswordNew="N3w-secret",
    )
    call(ckafka_client, "DescribeUser", InstanceId=instance)
    bodies = [c.reply.body.decode() for c in ckafka.calls]
    assert len(bodies) == 7
    assert '"Name":"alice"' in bodies[-1] or '"Name": "alice"' in bodies[-1]
    for secret in (SECRET, "Seed3d-pass", "Wr0ng-pass", "weakweak", "N3w-secret"):
        assert all(secret not in body for body in bodies), secret


def test_describe_user_pages_newest_first_and_searches(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    for index in range(23):
        ckafka.state.add_user(instance, f"user{index:02d}", "Passw0rd")
    ckafka.state.add_user(instance, "Admin", "Passw0rd")
    first = call(ckafka_client, "DescribeUser", InstanceId=instance)["Result"]
    assert first["TotalCount"] == 24
    names = [u["Name"] for u in first["Users"]]
    assert names[:3] == ["Admin", "user22", "user21"]
    assert len(names) == 20
    rest = call(ckafka_client, "DescribeUser", InstanceId=instance, Offset=20, Limit=10)
    assert [u["Name"] for u in rest["Result"]["Users"]] == ["user03", "user02", "user01", "user00"]
    found = call(ckafka_client, "DescribeUser", InstanceId=instance, SearchWord="user1", Limit=3)
    assert found["Result"]["TotalCount"] == 10
    assert [u["Name"] for u in found["Result"]["Users"]] == ["user19", "user18", "user17"]
    assert failure(ckafka_client, "DescribeUser", InstanceId=instance, Offset=-1) == (
        "InvalidParameterValue",
        "The parameter `Offset` must be 0 or more, got -1.",
    )


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"Name": "alice", "Password": SECRET},
            "InvalidParameterValue.RepetitionValue",
            "The user `alice` already exists in instance `{instance}`.",
        ),
        (
            {"Name": "_bob", "Password": SECRET},
            "InvalidParameterValue",
            "The user name `_bob` is invalid: use 1 to 64 letters, digits, `_`, `-` and `.`, "
            "starting with a letter or a digit.",
        ),
        (
            {"Name": "b" * 65, "Password": SECRET},
            "InvalidParameterValue",
            f"The user name `{'b' * 65}` is invalid: use 1 to 64 letters, digits, `_`, `-` and "
            "`.`, starting with a letter or a digit.",
        ),
        (
            {"Name": "bob"},
            "MissingParameter",
            "CreateUser needs a `Password` for the user `bob`.",
        ),
        (
            {"Name": "bob", "Password": "onlylowercase"},
            "InvalidParameterValue",
            "The parameter `Password` must contain at least two of: lowercase letters, uppercase "
            "letters, digits, special characters ()`~!@#$^&*-_=|{}[]:;',.?/.",
        ),
    ],
)
def test_create_user_rules(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_user(instance, "alice", "Old-pass1")
    assert failure(ckafka_client, "CreateUser", InstanceId=instance, **params) == (
        code,
        message.replace("{instance}", instance),
    )
    assert [(u.name, u.password) for u in ckafka.state.users(instance)] == [("alice", "Old-pass1")]


def test_create_user_accepts_names_the_console_allows(
    ckafka: CKafkaMock, ckafka_client: Any, instance: str
) -> None:
    for name in ("9lives", "svc.orders-writer_1", "B" * 64):
        call(ckafka_client, "CreateUser", InstanceId=instance, Name=name, Password="abc123")
    assert len(ckafka.state.users(instance)) == 3


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"Name": "ghost", "Password": "Old-pass1", "PasswordNew": "N3w-pass"},
            "ResourceNotFound",
            "The user `ghost` does not exist in instance `{instance}`.",
        ),
        (
            {"Name": "alice", "Password": "not-it-1", "PasswordNew": "N3w-pass"},
            "InvalidParameterValue",
            "The parameter `Password` is not the current password of the user `alice`.",
        ),
        (
            {"Name": "alice", "Password": "Old-pass1", "PasswordNew": "12345678"},
            "InvalidParameterValue",
            "The parameter `PasswordNew` must contain at least two of: lowercase letters, "
            "uppercase letters, digits, special characters ()`~!@#$^&*-_=|{}[]:;',.?/.",
        ),
    ],
)
def test_modify_password_rules(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance: str,
    params: dict[str, Any],
    code: str,
    message: str,
) -> None:
    ckafka.state.add_user(instance, "alice", "Old-pass1")
    before = ckafka.state.users(instance)[0].updated_at
    ckafka.clock.advance(60)
    assert failure(ckafka_client, "ModifyPassword", InstanceId=instance, **params) == (
        code,
        message.replace("{instance}", instance),
    )
    (user,) = ckafka.state.users(instance)
    assert (user.password, user.updated_at) == ("Old-pass1", before)


def test_delete_unknown_user(ckafka: CKafkaMock, ckafka_client: Any, instance: str) -> None:
    ckafka.state.add_user(instance, "alice", "Old-pass1")
    assert failure(ckafka_client, "DeleteUser", InstanceId=instance, Name="bob") == (
        "ResourceNotFound",
        f"The user `bob` does not exist in instance `{instance}`.",
    )
    assert [u.name for u in ckafka.state.users(instance)] == ["alice"]


def test_user_writes_need_a_running_instance(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    creating = ckafka.state.add_instance(status=0)
    code, message = failure(
        ckafka_client, "CreateUser", InstanceId=creating, Name="alice", Password=SECRET
    )
    assert code == "ResourceUnavailable"
    assert message.startswith(f"The instance `{creating}` is not running yet (Status 0)")
    assert ckafka.state.users(creating) == []
    assert failure(ckafka_client, "DescribeUser", InstanceId="ckafka-nope0000") == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nope0000` does not exist.",
    )


async def test_async_user_workflow(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance: str
) -> None:
    create = models.CreateUserRequest()
    create.InstanceId, create.Name, create.Password = instance, "carol", SECRET
    await ckafka_client_async.CreateUser(create)
    describe = models.DescribeUserRequest()
    describe.InstanceId = instance
    result = (await ckafka_client_async.DescribeUser(describe)).Result
    assert (result.TotalCount, [u.Name for u in result.Users]) == (1, ["carol"])
    modify = models.ModifyPasswordRequest()
    modify.InstanceId, modify.Name = instance, "carol"
    modify.Password, modify.PasswordNew = "wrong-pass1", "N3w-secret"
    with pytest.raises(TencentCloudSDKException) as info:
        await ckafka_client_async.ModifyPassword(modify)
    assert info.value.code == "InvalidParameterValue"
    delete = models.DeleteUserRequest()
    delete.InstanceId, delete.Name = instance, "carol"
    await ckafka_client_async.DeleteUser(delete)
    assert ckafka.state.users(instance) == []
    assert all(SECRET not in c.reply.body.decode() for c in ckafka.calls)
