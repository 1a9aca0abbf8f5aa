"""Accounts: which stateful account a key acts in, and keys registered at run time (issue 11).

A user registers the key their client signs with (``strict_auth``) and seeds an
instance: the client must see it. Keys act in the default account unless they
are registered with ``account="NAME"``; messages name the account, never a SecretId.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile

from pytest_ckafka import CKafka, CKafkaUsageError, FakeServer


def profile(server: FakeServer) -> ClientProfile:
    return ClientProfile(httpProfile=HttpProfile(endpoint=server.endpoint, protocol="http"))


def client(server: FakeServer, secret_id: str, secret_key: str, token: str = "") -> Any:
    cred = credential.Credential(secret_id, secret_key, token or None)
    return ckafka_client.CkafkaClient(cred, "ap-guangzhou", profile(server))


def instance_ids(sdk: Any) -> list[str]:
    answer = sdk.DescribeInstances(models.DescribeInstancesRequest())
    return [i.InstanceId for i in answer.Result.InstanceList]


def control(server: FakeServer, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(server.url.rstrip("/") + path, data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


# -- the default account ---------------------------------------------------------------------


def test_a_registered_key_sees_what_was_seeded_under_strict_auth() -> None:
    with FakeServer(strict_auth=True) as server:
        server.add_credentials("AKIDmine", "my-key")
        instance = server.state.add_instance(name="shop")
        assert instance_ids(client(server, "AKIDmine", "my-key")) == [instance]
        assert server.calls[-1].account == "default"


async def test_the_async_sdk_with_a_registered_key_sees_what_was_seeded() -> None:
    with FakeServer(strict_auth=True) as server:
        server.add_credentials("AKIDmine", "my-key")
        instance = server.state.add_instance(name="shop")
        cred = credential.Credential("AKIDmine", "my-key")
        sdk = ckafka_client_async.CkafkaClient(cred, "ap-guangzhou", profile(server))
        try:
            answer = await sdk.DescribeInstances(models.DescribeInstancesRequest())
        finally:
            await sdk.close()
        assert [i.InstanceId for i in answer.Result.InstanceList] == [instance]


def test_two_keys_see_one_seeded_instance_so_it_is_seeded_once() -> None:
    with FakeServer(strict_auth=True) as server:
        server.add_credentials("AKIDservice", "service-key")
        server.add_credentials("AKIDadmin", "admin-key")
        instance = server.state.add_instance("ckafka-shop0001")
        assert instance_ids(client(server, "AKIDservice", "service-key")) == [instance]
        assert instance_ids(client(server, "AKIDadmin", "admin-key")) == [instance]


# -- named accounts --------------------------------------------------------------------------


def test_keys_registered_with_one_account_share_it_and_no_other_key_sees_it() -> None:
    with FakeServer(strict_auth=True) as server:
        server.add_credentials("AKIDteamone", "k1", account="team")
        server.add_credentials("AKIDteamtwo", "k2", account="team")
        server.add_credentials("AKIDother", "k3")
        team = server.state.add_instance("ckafka-team0001", account="team")
        shared = server.state.add_instance("ckafka-shared01")
        assert instance_ids(client(server, "AKIDteamone", "k1")) == [team]
        assert instance_ids(client(server, "AKIDteamtwo", "k2")) == [team]
        assert instance_ids(client(server, "AKIDother", "k3")) == [shared]

        request = models.DescribeTopicRequest()
        request.InstanceId = team
        with pytest.raises(TencentCloudSDKException) as info:
            client(server, "AKIDother", "k3").DescribeTopic(request)
        assert (info.value.code, info.value.message) == (
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-team0001` does not exist. It exists in region ap-guangzhou "
            "(account `team`); this call was made in region ap-guangzhou (default account).",
        )
        assert [(c.secret_id, c.account) for c in server.calls] == [
            ("AKIDteamone", "team"),
            ("AKIDteamtwo", "team"),
            ("AKIDother", "default"),
            ("AKIDother", "default"),
        ]


def test_without_strict_auth_a_registered_key_still_picks_its_account() -> None:
    with FakeServer() as server:
        server.add_credentials("AKIDteam", "anything", account="team")
        team = server.state.add_instance(account="team")
        shared = server.state.add_instance()
        assert instance_ids(client(server, "AKIDteam", "not-checked")) == [team]
        assert instance_ids(client(server, "AKIDunknown", "not-checked")) == [shared]


@pytest.mark.parametrize("account", ["", 7])
def test_an_account_must_be_a_non_empty_string(account: Any) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        CKafka().add_credentials("AKIDx", "key", account=account)
    assert str(info.value) == (
        "account must be a non-empty string (keys registered with the same account share its "
        f"resources) or None for the default account, got {account!r}"
    )


# -- the control API -------------------------------------------------------------------------


def test_credentials_registered_over_http_are_listed_without_their_secrets() -> None:
    with FakeServer(strict_auth=True) as server:
        entries = [
            {"secret_id": "AKIDperm", "secret_key": "perm-key", "account": "team"},
            {
                "secret_id": "AKIDtemp",
                "secret_key": "temp-key",
                "token": "sts-token",
                "token_expires_at": 4102444800,
            },
        ]
        listed = [
            {
                "secret_id": "AKIDperm",
                "account": "team",
                "temporary": False,
                "token_expires_at": None,
            },
            {
                "secret_id": "AKIDtemp",
                "account": "default",
                "temporary": True,
                "token_expires_at": 4102444800.0,
            },
        ]
        assert control(server, "POST", "/_ckafka/credentials", entries) == (
            200,
            {"credentials": listed},
        )
        status, body = control(server, "GET", "/_ckafka/credentials")
        assert (status, body) == (200, {"credentials": listed})
        assert not {"perm-key", "temp-key", "sts-token"} & set(json.dumps(body).split('"'))

        team = server.state.add_instance(account="team")
        assert instance_ids(client(server, "AKIDperm", "perm-key")) == [team]
        assert instance_ids(client(server, "AKIDtemp", "temp-key", "sts-token")) == []
        with pytest.raises(TencentCloudSDKException) as info:
            instance_ids(client(server, "AKIDperm", "wrong-key"))
        assert info.value.code == "AuthFailure.SignatureFailure"

        status, log = control(server, "GET", "/_ckafka/calls")
        assert [(c["secret_id"], c["account"], c["error_code"]) for c in log["calls"]] == [
            ("AKIDperm", "team", None),
            ("AKIDtemp", "default", None),
            ("AKIDperm", None, "AuthFailure.SignatureFailure"),  # refused: it acted nowhere
        ]

        # A reset keeps the keys; DELETE forgets them.
        assert control(server, "POST", "/_ckafka/reset")[0] == 200
        assert len(control(server, "GET", "/_ckafka/credentials")[1]["credentials"]) == 2
        assert control(server, "DELETE", "/_ckafka/credentials") == (200, {"removed": 2})
        with pytest.raises(TencentCloudSDKException) as info:
            instance_ids(client(server, "AKIDperm", "perm-key"))
        assert info.value.code == "AuthFailure.SecretIdNotFound"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (
            [{"secret_id": "AKIDa", "secret_key": "k"}, {"secret_id": "AKIDb"}],
            'credentials[1]: missing "secret_key"',
        ),
        (
            [{"secret_id": "AKIDa", "secret_key": "k", "acount": "team"}],
            'credentials[0]: unknown key "acount": did you mean "account"? Valid choices: '
            "account, secret_id, secret_key, token, token_expires_at.",
        ),
        (
            {"secret_id": "AKIDa", "secret_key": "k", "account": 7},
            "account must be a non-empty string (keys registered with the same account share "
            "its resources) or None for the default account, got 7",
        ),
        (
            ["AKIDa"],
            'credentials[0]: expected an object {"secret_id", "secret_key", "token"?, '
            '"token_expires_at"?, "account"?}, got a string',
        ),
    ],
)
def test_a_bad_credentials_entry_is_a_400_and_registers_nothing(body: Any, error: str) -> None:
    with FakeServer() as server:
        assert control(server, "POST", "/_ckafka/credentials", body) == (400, {"error": error})
        assert control(server, "GET", "/_ckafka/credentials") == (200, {"credentials": []})
