"""Connect resources (DataHub connections) through the official SDK, against the backend."""

from __future__ import annotations

import copy
import time
from typing import Any

import pytest

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result

MYSQL = {
    "Port": 3306,
    "UserName": "root",
    "Password": "Db-secret-1",
    "Resource": "cdb-1a2b3c4d",
    "ServiceVip": "10.0.0.31",
    "UniqVpcId": "vpc-1a2b3c4d",
}


ES = {**MYSQL, "SelfBuilt": False}


def beijing(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + 8 * 3600))


def _create_mysql(client: Any, name: str = "orders-db", **members: Any) -> str:
    answer = result(
        client,
        "CreateConnectResource",
        ResourceName=name,
        Type="MYSQL",
        MySQLConnectParam=MYSQL,
        **members,
    )
    resource_id = str(answer["ResourceId"])
    return resource_id


def test_connect_resource_workflow(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    created_at = ckafka.clock.now()
    resource_id = _create_mysql(
        ckafka_client, Description="orders", Tags=[{"TagKey": "team", "TagValue": "shop"}]
    )
    assert resource_id.startswith("resource-")
    (stored,) = ckafka.state.connect_resources()
    assert (stored.resource_id, stored.type, stored.params) == (resource_id, "MYSQL", MYSQL)

    shown = result(ckafka_client, "DescribeConnectResource", ResourceId=resource_id)
    assert {k: shown[k] for k in ("ResourceId", "ResourceName", "Type", "Status")} == {
        "ResourceId": resource_id,
        "ResourceName": "orders-db",
        "Type": "MYSQL",
        "Status": 1,
    }
    assert (shown["CreateTime"], shown["Description"]) == (beijing(created_at), "orders")
    assert shown["Tags"] == [{"TagKey": "team", "TagValue": "shop"}]
    mysql = shown["MySQLConnectParam"]
    assert {k: mysql[k] for k in ("Port", "UserName", "Resource", "ServiceVip")} == {
        "Port": 3306,
        "UserName": "root",
        "Resource": "cdb-1a2b3c4d",
        "ServiceVip": "10.0.0.31",
    }
    assert mysql["Password"] == ""  # never answered
    assert shown["KafkaConnectParam"] is None

    result(
        ckafka_client,
        "ModifyConnectResource",
        ResourceId=resource_id,
        ResourceName="orders-primary",
        Type="MYSQL",
        MySQLConnectParam={"Resource": "cdb-1a2b3c4d", "UserName": "reader"},
    )
    listed = result(ckafka_client, "DescribeConnectResources")
    assert listed["TotalCount"] == 1
    (item,) = listed["ConnectResourceList"]
    assert (item["ResourceName"], item["MySQLConnectParam"]["UserName"]) == (
        "orders-primary",
        "reader",
    )
    assert (item["Description"], item["DatahubTaskCount"]) == ("orders", 0)

    deleted = result(ckafka_client, "DeleteConnectResource", ResourceId=resource_id)
    assert deleted == {"ResourceId": resource_id}
    assert ckafka.state.connect_resources() == []
    assert result(ckafka_client, "DescribeConnectResources")["TotalCount"] == 0


def test_passwords_never_appear_in_any_answer(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.add_connect_resource(
        "seeded", resource_type="ES", params={**MYSQL, "Password": "Seed-secret", "SelfBuilt": True}
    )
    resource_id = _create_mysql(ckafka_client)
    result(ckafka_client, "DescribeConnectResource", ResourceId=resource_id)
    result(ckafka_client, "DescribeConnectResources")
    bodies = [c.reply.body.decode() for c in ckafka.calls]
    assert all("Db-secret-1" not in b and "Seed-secret" not in b for b in bodies)


def test_the_list_filters_by_type_name_and_region_and_pages(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(region="ap-shanghai")
    kafka = {"SelfBuilt": False, "Resource": instance_id, "Region": "ap-shanghai"}
    ckafka.state.add_connect_resource("shanghai-kafka", params=kafka)
    for n in range(3):
        ckafka.state.add_connect_resource(f"db-{n}", resource_type="MYSQL", params=MYSQL)

    def names(**members: Any) -> tuple[int, list[str]]:
        listed = result(ckafka_client, "DescribeConnectResources", **members)
        return listed["TotalCount"], [r["ResourceName"] for r in listed["ConnectResourceList"]]

    assert names() == (4, ["shanghai-kafka", "db-0", "db-1", "db-2"])
    assert names(Type="MYSQL", Offset=1, Limit=1) == (3, ["db-1"])
    assert names(SearchWord="kafka") == (1, ["shanghai-kafka"])
    assert names(ResourceRegion="ap-shanghai") == (1, ["shanghai-kafka"])
    assert names(ResourceRegion="ap-beijing") == (0, [])
    # "Limit: at most 1000 (above 1000, limited to 1000)": read as 1000, not refused.
    assert names(Limit=5000)[0] == 4


def test_a_kafka_connection_names_an_existing_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    code, message = failure(
        ckafka_client,
        "CreateConnectResource",
        ResourceName="kafka",
        Type="KAFKA",
        KafkaConnectParam={"SelfBuilt": False, "Resource": "ckafka-99999999"},
    )
    assert (code, message) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-99999999` (KafkaConnectParam.Resource) does not exist in "
        "region ap-guangzhou.",
    )
    assert ckafka.state.connect_resources() == []
    instance_id = ckafka.state.add_instance()
    created = result(
        ckafka_client,
        "CreateConnectResource",
        ResourceName="kafka",
        Type="KAFKA",
        KafkaConnectParam={"SelfBuilt": False, "Resource": instance_id},
    )
    assert ckafka.state.connect_resource(created["ResourceId"]).params["Resource"] == instance_id


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"ResourceName": "db", "Type": "MYSQLL", "MySQLConnectParam": MYSQL},
            "InvalidParameterValue",
            "The Type `MYSQLL` is not a connect resource type; valid values: CLICKHOUSE, "
            "DORIS, DTS, ES, ICEBERG, KAFKA, MARIADB, MONGODB, MQTT, MYSQL, POSTGRESQL, "
            "SQLSERVER, TDSQL_C_MYSQL, TDSQL_C_POSTGRESQL. Did you mean `MYSQL`?",
        ),
        (
            {"ResourceName": "db", "Type": "TDSQL_C_MYSQL", "EsConnectParam": ES},
            "MissingParameter",
            "The parameter `MySQLConnectParam` is required when Type is TDSQL_C_MYSQL.",
        ),
        (
            {"ResourceName": "k", "Type": "KAFKA", "KafkaConnectParam": {"SelfBuilt": False}},
            "MissingParameter",
            "The parameter `KafkaConnectParam.Resource` (the CKafka instance id) is required "
            "unless SelfBuilt is true.",
        ),
        (
            {
                "ResourceName": "k",
                "Type": "KAFKA",
                "KafkaConnectParam": {"SelfBuilt": True, "NetworkType": "PUBLIC"},
            },
            "MissingParameter",
            "The parameter `KafkaConnectParam.BrokerAddress` is required when NetworkType "
            "is PUBLIC.",
        ),
        (
            {
                "ResourceName": "k",
                "Type": "KAFKA",
                "KafkaConnectParam": {"SelfBuilt": True, "NetworkType": "LAN"},
            },
            "InvalidParameterValue",
            "The parameter `KafkaConnectParam.NetworkType` must be PUBLIC or VPC, got `LAN`.",
        ),
        (
            {"ResourceName": "taken", "Type": "MYSQL", "MySQLConnectParam": MYSQL},
            "InvalidParameterValue.RepetitionValue",
            "The connect resource name `taken` is already used by `resource-taken001`.",
        ),
    ],
)
def test_create_rules_answer_their_codes_and_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, members: dict[str, Any], code: str, message: str
) -> None:
    ckafka.state.add_connect_resource("taken", resource_id="resource-taken001")
    before = ckafka.state.dump()
    assert failure(ckafka_client, "CreateConnectResource", **members) == (code, message)
    assert ckafka.state.dump() == before


@pytest.mark.parametrize(
    ("members", "code", "message"),
    [
        (
            {"ResourceId": "resource-missing1"},
            "ResourceNotFound",
            "The connect resource `resource-missing1` does not exist in region `ap-guangzhou`.",
        ),
        (
            {"Type": "ES"},
            "InvalidParameterValue",
            "The connect resource `resource-db000001` is of Type MYSQL, not ES; its Type "
            "cannot change.",
        ),
        (
            {"EsConnectParam": {"Resource": "es-1"}},
            "InvalidParameterValue",
            "The connect resource `resource-db000001` is of Type MYSQL; `EsConnectParam` does "
            "not apply to it (send `MySQLConnectParam`).",
        ),
        (
            {"MySQLConnectParam": {"Resource": "cdb-other", "UserName": "x"}},
            "InvalidParameterValue",
            "The parameter `MySQLConnectParam.Resource` cannot change: the connect resource "
            "`resource-db000001` connects to `cdb-1a2b3c4d`, got `cdb-other`.",
        ),
        (
            {"ResourceName": "other"},
            "InvalidParameterValue.RepetitionValue",
            "The connect resource name `other` is already used by `resource-db000002`.",
        ),
    ],
)
def test_modify_rules_answer_their_codes_and_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, members: dict[str, Any], code: str, message: str
) -> None:
    state = ckafka.state
    state.add_connect_resource(
        "db", resource_type="MYSQL", params=MYSQL, resource_id="resource-db000001"
    )
    state.add_connect_resource("other", resource_id="resource-db000002")
    before = copy.deepcopy(state.dump())
    params = {"ResourceId": "resource-db000001", **members}
    assert failure(ckafka_client, "ModifyConnectResource", **params) == (code, message)
    assert state.dump() == before


def test_an_empty_name_or_description_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    resource_id = ckafka.state.add_connect_resource("kept", description="as seeded")
    result(
        ckafka_client, "ModifyConnectResource", ResourceId=resource_id, ResourceName="",
        Description="",
    )  # fmt: skip
    kept = ckafka.state.connect_resource(resource_id)
    assert (kept.name, kept.description) == ("kept", "as seeded")


@pytest.mark.parametrize("action", ["DescribeConnectResource", "DeleteConnectResource"])
def test_an_unknown_resource_is_not_found(ckafka_client: Any, action: str) -> None:
    assert failure(ckafka_client, action, ResourceId="resource-nothere1") == (
        "ResourceNotFound",
        "The connect resource `resource-nothere1` does not exist in region `ap-guangzhou`.",
    )


def test_a_seeded_resource_needs_a_known_type_and_a_free_name(ckafka: CKafkaMock) -> None:
    from pytest_ckafka.exceptions import CKafkaUsageError

    with pytest.raises(CKafkaUsageError, match='unknown resource_type "KAFAK"'):
        ckafka.state.add_connect_resource(resource_type="KAFAK")
    ckafka.state.add_connect_resource("hub")
    with pytest.raises(CKafkaUsageError, match=r"\(hub\) already exists"):
        ckafka.state.add_connect_resource("hub")


def test_a_state_dump_keeps_connect_resources(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    resource_id = _create_mysql(ckafka_client, Tags=[{"TagKey": "team", "TagValue": "shop"}])
    dumped = ckafka.state.dump()
    ckafka.state.reset()
    assert ckafka.state.connect_resources() == []
    ckafka.state.load(dumped)
    assert ckafka.state.dump() == dumped
    shown = result(ckafka_client, "DescribeConnectResource", ResourceId=resource_id)
    assert shown["MySQLConnectParam"]["UserName"] == "root"


def test_a_resource_a_task_uses_cannot_be_deleted(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    resource_id = _create_mysql(ckafka_client)
    dumped = ckafka.state.dump()
    task = {"task_id": "task-1a2b3c4d", "name": "t", "task_type": "SOURCE", "created_at": 0}
    dumped["stores"][0]["datahub_tasks"] = {
        "task-1a2b3c4d": {**task, "resource_ids": [resource_id]}
    }
    ckafka.state.load(dumped)
    before = ckafka.state.dump()
    assert failure(ckafka_client, "DeleteConnectResource", ResourceId=resource_id) == (
        "ResourceInUse",
        f"The connect resource `{resource_id}` is used by DataHub task `task-1a2b3c4d`; "
        "delete the task first (DeleteDatahubTask).",
    )
    assert ckafka.state.dump() == before
    listed = result(ckafka_client, "DescribeConnectResources")["ConnectResourceList"]
    assert listed[0]["DatahubTaskCount"] == 1


@pytest.mark.parametrize(
    ("param", "code", "message"),
    [
        (
            {"NetworkType": "LAN"},
            "InvalidParameterValue",
            "The parameter `KafkaConnectParam.NetworkType` must be PUBLIC or VPC, got `LAN`.",
        ),
        (
            {"NetworkType": "VPC"},
            "MissingParameter",
            "The parameter `KafkaConnectParam.UniqVpcId` is required when NetworkType is VPC.",
        ),
        (
            {"Region": "ap-shanghai"},
            "InvalidParameterValue.InstanceNotExist",
            "The instance `{instance}` (KafkaConnectParam.Resource) does not exist in region "
            "ap-shanghai.",
        ),
    ],
)
def test_a_modified_kafka_connection_keeps_the_create_rules(
    ckafka: CKafkaMock, ckafka_client: Any, param: dict[str, Any], code: str, message: str
) -> None:
    instance = ckafka.state.add_instance()
    resource_id = ckafka.state.add_connect_resource(
        "kafka",
        params={"SelfBuilt": False, "Resource": instance, "NetworkType": "PUBLIC",
                "BrokerAddress": "10.0.0.30:9092"},
    )  # fmt: skip
    before = copy.deepcopy(ckafka.state.dump())
    answer = failure(
        ckafka_client, "ModifyConnectResource", ResourceId=resource_id, ResourceName="renamed",
        KafkaConnectParam=param,
    )  # fmt: skip
    assert answer == (code, message.format(instance=instance))
    assert ckafka.state.dump() == before
