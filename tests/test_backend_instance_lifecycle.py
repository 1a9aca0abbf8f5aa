"""The instance lifecycle actions (spec changes, isolation, renewal, versions, prices)."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_ckafka import CKafkaMock
from pytest_ckafka.backend.instances import MONTH_SECONDS
from pytest_ckafka.backend.times import beijing_datetime
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error as error
from .sdk_calls import sdk_request as request
from .sdk_calls import sdk_result as call

PRE, POST = "PREPAID", "POSTPAID_BY_HOUR"


def attributes(client: Any, instance_id: str) -> Any:
    return call(client, "DescribeInstanceAttributes", InstanceId=instance_id)


def task_status(client: Any, flow_id: int) -> Any:
    return call(client, "DescribeTaskStatus", FlowId=flow_id)


def refused(ckafka: CKafkaMock, client: Any, action: str, **params: Any) -> tuple[str, str]:
    """``(code, message)`` of a call that must fail and change nothing."""
    before = ckafka.state.dump()
    answer = error(client, action, **params)
    assert ckafka.state.dump() == before
    return answer


# -- ModifyInstancePre and InstanceScalingDown --------------------------------------------------


def test_modify_instance_pre_applies_the_spec_when_its_task_completes(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(name="shop", pay_mode=PRE)
    ckafka.state.add_topic(instance_id, "orders", partitions=3)
    result = call(
        ckafka_client,
        "ModifyInstancePre",
        InstanceId=instance_id,
        BandWidth=100,
        DiskSize=800,
        Partition=1000,
    )
    assert (result["ReturnCode"], result["ReturnMessage"]) == ("0", "ok")
    data = result["Data"]
    (deal,) = data["DealNames"]
    assert data["InstanceId"] == instance_id
    assert data["DealNameInstanceIdMapping"] == [
        {"DealName": deal, "InstanceIdList": [instance_id]}
    ]
    flow_id = data["FlowId"]
    (task,) = ckafka.state.tasks()
    assert (task.flow_id, task.kind, task.instance_id) == (
        flow_id,
        "ModifyInstancePre",
        instance_id,
    )

    assert refused(
        ckafka, ckafka_client, "ModifyInstanceAttributes", InstanceId=instance_id, InstanceName="x"
    ) == (
        "ResourceUnavailable",
        f"The instance `{instance_id}` is being changed (Status 7, task {flow_id}); wait "
        "until DescribeInstanceAttributes reports Status 1.",
    )

    changing = attributes(ckafka_client, instance_id)
    assert (changing["Status"], changing["Bandwidth"], changing["DiskSize"]) == (7, 320, 500)
    assert changing["RemainingPartitions"] == 800 - 3
    assert ckafka.state.pending_change(instance_id) is not None
    assert task_status(ckafka_client, flow_id) == {"Status": 0, "Output": "success"}
    done = attributes(ckafka_client, instance_id)
    assert (done["Status"], done["Bandwidth"], done["DiskSize"]) == (1, 800, 800)
    assert done["RemainingPartitions"] == 1000 - 3
    assert ckafka.state.pending_change(instance_id) is None


def test_a_change_completes_on_the_clock(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=100, ready_after_seconds=30)
    instance_id = ckafka.state.add_instance(pay_mode=POST)
    call(
        ckafka_client,
        "InstanceScalingDown",
        InstanceId=instance_id,
        UpgradeStrategy=1,
        BandWidth=20,
    )
    (task,) = ckafka.state.tasks()
    assert task.kind == "InstanceScalingDown"
    ckafka.clock.advance(29)
    assert attributes(ckafka_client, instance_id)["Status"] == 7
    assert task_status(ckafka_client, task.flow_id)["Status"] == 2
    ckafka.clock.advance(1)
    after = attributes(ckafka_client, instance_id)
    assert (after["Status"], after["Bandwidth"]) == (1, 160)
    assert task_status(ckafka_client, task.flow_id) == {"Status": 0, "Output": "success"}


def test_instance_scaling_down_scales_a_pay_as_you_go_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(
        pay_mode=POST, bandwidth=100, disk_size=1000, partition_limit=1000
    )
    ckafka.state.add_topic(instance_id, "orders", partitions=150)
    result = call(
        ckafka_client,
        "InstanceScalingDown",
        InstanceId=instance_id,
        UpgradeStrategy=2,
        BandWidth=40,
        DiskSize=600,
        Partition=200,
    )
    (deal,) = result["DealNames"]
    assert len(deal) == 23 and deal.isdigit()
    (task,) = ckafka.state.tasks()
    assert task_status(ckafka_client, task.flow_id)["Status"] == 2
    assert task_status(ckafka_client, task.flow_id)["Status"] == 0
    instance = ckafka.state.instance(instance_id)
    assert (instance.bandwidth, instance.disk_size, instance.partition_limit) == (40, 600, 200)
    assert instance.status == 1


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {},
            "InvalidParameterValue.NotAllowedEmpty",
            "Nothing to change: send at least one of `BandWidth`, `DiskSize` and `Partition`.",
        ),
        (
            {"DiskSize": 650},
            "InvalidParameterValue",
            "The parameter `DiskSize` must be between 100 and 500000 in steps of 100, got 650.",
        ),
        (
            {"Partition": 50_000},
            "InvalidParameterValue",
            "The parameter `Partition` must be between 100 and 40000 in steps of 100, got 50000.",
        ),
        (
            {"BandWidth": 10},
            "InvalidParameterValue",
            "The parameter `BandWidth` must be between 20 and 100000, got 10.",
        ),
        (
            {"BandWidth": 40, "DiskSize": 500},
            "InvalidParameterValue",
            "The instance `ckafka-lifecyc1` already has BandWidth 40 and DiskSize 500; the call "
            "changes nothing.",
        ),
        (
            {"Partition": 100},
            "InvalidParameterValue",
            "The instance `ckafka-lifecyc1` uses 200 partitions; its partition limit cannot go "
            "down to 100.",
        ),
    ],
)
def test_modify_instance_pre_rules_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, params: dict[str, Any], code: str, message: str
) -> None:
    ckafka.state.add_instance("ckafka-lifecyc1", pay_mode=PRE)
    ckafka.state.add_topic("ckafka-lifecyc1", "orders", partitions=200)
    got = refused(
        ckafka, ckafka_client, "ModifyInstancePre", InstanceId="ckafka-lifecyc1", **params
    )
    assert got == (code, message)
    assert ckafka.state.tasks() == []


def test_spec_changes_need_their_pay_mode_and_a_running_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    prepaid = ckafka.state.add_instance(pay_mode=PRE)
    postpaid = ckafka.state.add_instance(pay_mode=POST)
    assert refused(
        ckafka, ckafka_client, "ModifyInstancePre", InstanceId=postpaid, DiskSize=600
    ) == (
        "UnsupportedOperation",
        f"The instance `{postpaid}` is billed POSTPAID_BY_HOUR; change it with "
        "InstanceScalingDown. ModifyInstancePre changes PREPAID instances only.",
    )
    assert refused(
        ckafka,
        ckafka_client,
        "InstanceScalingDown",
        InstanceId=prepaid,
        UpgradeStrategy=1,
        DiskSize=600,
    ) == (
        "UnsupportedOperation",
        f"The instance `{prepaid}` is billed PREPAID; change it with ModifyInstancePre. "
        "InstanceScalingDown changes POSTPAID_BY_HOUR instances only.",
    )
    assert refused(
        ckafka,
        ckafka_client,
        "InstanceScalingDown",
        InstanceId=postpaid,
        UpgradeStrategy=3,
        DiskSize=600,
    ) == (
        "InvalidParameterValue",
        "The parameter `UpgradeStrategy` must be one of 1, 2, got `3`.",
    )
    assert refused(
        ckafka, ckafka_client, "ModifyInstancePre", InstanceId="ckafka-nowhere", DiskSize=600
    ) == ("InvalidParameterValue.InstanceNotExist", "The instance `ckafka-nowhere` does not exist.")
    ckafka.state.configure(ready_after_describes=5)
    creating = ckafka.state.add_instance(status=0)
    assert refused(
        ckafka, ckafka_client, "ModifyInstancePre", InstanceId=creating, DiskSize=600
    ) == (
        "ResourceUnavailable",
        f"The instance `{creating}` is not running yet (Status 0); wait until "
        "DescribeInstanceAttributes reports Status 1.",
    )


# -- isolation and renewal ---------------------------------------------------------------------


def test_an_isolated_instance_refuses_changes_until_renewed(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(pay_mode=PRE)
    result = call(ckafka_client, "IsolatedInstancePre", InstanceId=instance_id)
    assert (result["ReturnCode"], result["Data"]["InstanceId"], result["Data"]["FlowId"]) == (
        "0",
        instance_id,
        0,
    )
    assert attributes(ckafka_client, instance_id)["Status"] == 5
    isolated = call(ckafka_client, "DescribeTypeInstances", Status=[5])
    assert [i["InstanceId"] for i in isolated["InstanceList"]] == [instance_id]
    topic = {"InstanceId": instance_id, "TopicName": "orders", "PartitionNum": 1, "ReplicaNum": 2}
    assert refused(ckafka, ckafka_client, "CreateTopic", **topic) == (
        "ResourceUnavailable",
        f"The instance `{instance_id}` is isolated (Status 5); renew it with "
        "RenewCkafkaInstance first.",
    )
    assert refused(ckafka, ckafka_client, "IsolatedInstancePre", InstanceId=instance_id) == (
        "UnsupportedOperation",
        f"The instance `{instance_id}` is isolated already; renew it (RenewCkafkaInstance) "
        "or delete it (DeleteInstancePre).",
    )
    renewed = call(ckafka_client, "RenewCkafkaInstance", InstanceId=instance_id, TimeSpan=2)
    assert renewed["BigDealId"].isdigit() and renewed["DealName"].isdigit()
    after = attributes(ckafka_client, instance_id)
    assert (after["Status"], after["ExpireTime"]) == (
        1,
        int(ckafka.clock.now()) + 2 * MONTH_SECONDS,
    )
    call(ckafka_client, "CreateTopic", **topic)


def test_an_isolated_prepaid_instance_can_be_deleted(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(status=5)
    call(ckafka_client, "DeleteInstancePre", InstanceId=instance_id)
    assert ckafka.state.instances() == []


def test_isolation_and_renewal_rules_change_nothing(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    postpaid = ckafka.state.add_instance(pay_mode=POST)
    for action in ("IsolatedInstancePre", "RenewCkafkaInstance"):
        assert refused(ckafka, ckafka_client, action, InstanceId=postpaid) == (
            "UnsupportedOperation",
            f"The instance `{postpaid}` is billed POSTPAID_BY_HOUR; {action} applies to "
            "PREPAID instances only.",
        )
    prepaid = ckafka.state.add_instance(pay_mode=PRE)
    assert refused(
        ckafka, ckafka_client, "RenewCkafkaInstance", InstanceId=prepaid, TimeSpan=37
    ) == (
        "InvalidParameterValue",
        "The parameter `TimeSpan` must be between 1 and 36, got 37.",
    )
    assert refused(ckafka, ckafka_client, "RenewCkafkaInstance", InstanceId="ckafka-none") == (
        "ResourceNotFound",
        "The instance `ckafka-none` does not exist.",
    )
    ckafka.state.configure(ready_after_describes=5)
    creating = ckafka.state.add_instance(status=0)
    assert refused(ckafka, ckafka_client, "IsolatedInstancePre", InstanceId=creating)[0] == (
        "ResourceUnavailable"
    )
    assert refused(ckafka, ckafka_client, "RenewCkafkaInstance", InstanceId=creating)[0] == (
        "ResourceUnavailable"
    )


def test_renewal_extends_an_unexpired_instance_from_its_expiry(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    expiry = int(ckafka.clock.now()) + 10 * 86_400
    instance_id = ckafka.state.add_instance(attrs={"ExpireTime": expiry})
    call(ckafka_client, "RenewCkafkaInstance", InstanceId=instance_id)
    assert attributes(ckafka_client, instance_id)["ExpireTime"] == expiry + MONTH_SECONDS


# -- broker versions -----------------------------------------------------------------------------


def test_upgrade_broker_version_then_describe_it(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(kafka_version="2.8.1")
    before = call(ckafka_client, "DescribeCkafkaVersion", InstanceId=instance_id)
    assert (before["KafkaVersion"], before["CurBrokerVersion"]) == ("2.8.1", "v2.8.1_r1.1.6")
    assert {"KafkaVersion": "2.8.1", "BrokerVersion": "v2.8.1_r1.1.6"} in before[
        "LatestBrokerVersion"
    ]
    result = call(
        ckafka_client,
        "UpgradeBrokerVersion",
        InstanceId=instance_id,
        Type=5,
        SourceVersion="v2.8.1_r1.1.6",
        TargetVersion="v2.8.1_r1.1.8",
    )
    flow_id = result["Data"]["FlowId"]
    assert flow_id == ckafka.state.tasks()[0].flow_id
    assert attributes(ckafka_client, instance_id)["Status"] == 7
    assert task_status(ckafka_client, flow_id)["Status"] == 0
    after = call(ckafka_client, "DescribeCkafkaVersion", InstanceId=instance_id)
    assert after["CurBrokerVersion"] == "v2.8.1_r1.1.8"
    assert {"KafkaVersion": "2.8.1", "BrokerVersion": "v2.8.1_r1.1.8"} in after[
        "LatestBrokerVersion"
    ]
    assert ckafka.state.instance(instance_id).broker_version == "v2.8.1_r1.1.8"


def test_a_delayed_upgrade_waits_for_its_time(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(kafka_version="2.8.1")
    when = beijing_datetime(ckafka.clock.now() + 3600)
    result = call(
        ckafka_client,
        "UpgradeBrokerVersion",
        InstanceId=instance_id,
        Type=1,
        SourceVersion="v2.8.1_r1.1.6",
        TargetVersion="v2.8.1_r1.1.7",
        DelayTimeStamp=when,
    )
    flow_id = result["Data"]["FlowId"]
    for _ in range(3):
        assert task_status(ckafka_client, flow_id)["Status"] == 2
    ckafka.clock.advance(3600)
    assert task_status(ckafka_client, flow_id)["Status"] == 0
    version = call(ckafka_client, "DescribeCkafkaVersion", InstanceId=instance_id)
    assert version["CurBrokerVersion"] == "v2.8.1_r1.1.7"


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"SourceVersion": "v2.8.1_r1.1.5"},
            "FailedOperation",
            "The instance `ckafka-lifecyc1` runs broker version `v2.8.1_r1.1.6`, not "
            "`v2.8.1_r1.1.5`.",
        ),
        (
            {"TargetVersion": "v3.2.3_r1.0.7"},
            "FailedOperation",
            "`v3.2.3_r1.0.7` is a build of Kafka 3.2.3; the instance runs Kafka 2.8.1, and "
            "UpgradeBrokerVersion upgrades within it.",
        ),
        (
            {"TargetVersion": "v2.8.1_r1.1.6"},
            "FailedOperation",
            "`v2.8.1_r1.1.6` is not newer than `v2.8.1_r1.1.6`.",
        ),
        (
            {"TargetVersion": "2.8.1"},
            "InvalidParameterValue",
            "The parameter `TargetVersion` must be a broker version such as v2.8.1_r1.1.6 "
            "(DescribeCkafkaVersion lists them), got `2.8.1`.",
        ),
        (
            {"Type": 2},
            "InvalidParameterValue",
            "The parameter `Type` must be one of 1, 5, got `2`.",
        ),
        (
            {"DelayTimeStamp": "tomorrow"},
            "InvalidParameterValue",
            "The parameter `DelayTimeStamp` must read YYYY-MM-DD HH:MM:SS, got `tomorrow`.",
        ),
    ],
)
def test_upgrade_rules_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, params: dict[str, Any], code: str, message: str
) -> None:
    ckafka.state.add_instance("ckafka-lifecyc1", kafka_version="2.8.1")
    upgrade = {
        "InstanceId": "ckafka-lifecyc1",
        "Type": 1,
        "SourceVersion": "v2.8.1_r1.1.6",
        "TargetVersion": "v2.8.1_r1.1.7",
        **params,
    }
    assert refused(ckafka, ckafka_client, "UpgradeBrokerVersion", **upgrade) == (code, message)
    assert ckafka.state.tasks() == []


def test_a_version_the_reference_does_not_list_runs_its_first_release(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(kafka_version="2.4.2")
    version = call(ckafka_client, "DescribeCkafkaVersion", InstanceId=instance_id)
    assert version["CurBrokerVersion"] == "v2.4.2_r1.0.0"


# -- routine maintenance -------------------------------------------------------------------------


def test_maintenance_tasks_are_set_per_type_subtype_and_topic(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance()
    ckafka.state.add_topic(instance_id, "orders")
    base = {"InstanceId": instance_id, "MaintenanceType": "QUOTA"}
    storage = {**base, "MaintenanceSubtype": "INSTANCE_STORAGE_CAPACITY"}
    result = call(
        ckafka_client, "ModifyRoutineMaintenanceTask", **storage, ConfigureThreshold=60, Status=0
    )
    assert (result["ReturnCode"], result["Data"]["FlowId"]) == ("0", 0)
    call(ckafka_client, "ModifyRoutineMaintenanceTask", **storage, ConfigureThreshold=80, Status=1)
    call(
        ckafka_client,
        "ModifyRoutineMaintenanceTask",
        **base,
        MaintenanceSubtype="MESSAGE_RETENTION_PERIOD",
        TopicName="orders",
        PlannedTime=79200,
        Week="1,3,5",
    )
    tasks = ckafka.state.maintenance_tasks(instance_id)
    assert [(t.maintenance_subtype, t.topic_name, t.status) for t in tasks] == [
        ("INSTANCE_STORAGE_CAPACITY", "", 1),
        ("MESSAGE_RETENTION_PERIOD", "orders", 0),
    ]
    assert (tasks[0].configure_threshold, tasks[1].planned_time, tasks[1].week) == (
        80,
        79200,
        "1,3,5",
    )


@pytest.mark.parametrize(
    ("params", "code", "message"),
    [
        (
            {"MaintenanceType": "BACKUP"},
            "InvalidParameterValue",
            "The parameter `MaintenanceType` must be one of QUOTA, ANALYSIS, RE_BALANCE, "
            "ELASTIC_BANDWIDTH, got `BACKUP`.",
        ),
        (
            {"Week": "1,2,2"},
            "InvalidParameterValue.RepetitionValue",
            "The parameter `Week` repeats the day 2.",
        ),
        (
            {"Week": "0,8"},
            "InvalidParameterValue",
            "The parameter `Week` lists week days 1 to 7, got `0,8`.",
        ),
        (
            {"PlannedTime": 86_400},
            "InvalidParameterValue",
            "The parameter `PlannedTime` must be between 0 and 86399, got 86400.",
        ),
        (
            {"Status": 2},
            "InvalidParameterValue",
            "The parameter `Status` must be between 0 and 1, got 2.",
        ),
        (
            {"TopicName": "audit"},
            "ResourceNotFound",
            "The topic `audit` does not exist in instance `ckafka-lifecyc1`.",
        ),
    ],
)
def test_maintenance_rules_change_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, params: dict[str, Any], code: str, message: str
) -> None:
    ckafka.state.add_instance("ckafka-lifecyc1")
    task = {
        "InstanceId": "ckafka-lifecyc1",
        "MaintenanceType": "RE_BALANCE",
        "MaintenanceSubtype": "INSTANCE_PARTITION_RE_BALANCE",
        **params,
    }
    assert refused(ckafka, ckafka_client, "ModifyRoutineMaintenanceTask", **task) == (
        code,
        message,
    )


# -- modify types and type instances --------------------------------------------------------------


def _modify_type(client: Any, instance_id: str, **params: Any) -> tuple[int, bool]:
    spec = {
        "InstanceId": instance_id,
        "BandWidth": 40,
        "DiskSize": 500,
        "DiskType": "CLOUD_PREMIUM",
        "Partition": 800,
        "Topic": 400,
        "Type": "sp_ckafka_profession",
        **params,
    }
    result = call(client, "DescribeModifyType", **spec)
    return result["ModifyType"], result["MigrateFlag"]


def test_describe_modify_type_compares_with_the_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance()
    assert _modify_type(ckafka_client, instance_id) == (1, False)
    assert _modify_type(ckafka_client, instance_id, DiskSize=1000) == (1, False)
    assert _modify_type(ckafka_client, instance_id, BandWidth=320) == (1, True)
    assert _modify_type(ckafka_client, instance_id, Partition=400) == (2, False)
    assert _modify_type(ckafka_client, instance_id, DiskType="CLOUD_SSD") == (1, True)
    assert _modify_type(ckafka_client, instance_id, Type="sp_ckafka_premium") == (1, True)
    assert _modify_type(ckafka_client, instance_id, ModifyZone=True) == (1, True)


def test_describe_modify_type_rules(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance()
    ckafka.state.add_topic(instance_id, "orders", partitions=300)
    spec = {
        "InstanceId": instance_id,
        "BandWidth": 40,
        "DiskSize": 500,
        "DiskType": "CLOUD_PREMIUM",
        "Partition": 800,
        "Topic": 400,
        "Type": "sp_ckafka_profession",
    }
    assert error(ckafka_client, "DescribeModifyType", **{**spec, "Partition": 200}) == (
        "InvalidParameterValue",
        f"The instance `{instance_id}` uses 300 partitions; its partition limit cannot go "
        "down to 200.",
    )
    assert error(ckafka_client, "DescribeModifyType", **{**spec, "Type": "profession"}) == (
        "InvalidParameterValue",
        "The parameter `Type` must be one of sp_ckafka_standard, sp_ckafka_profession, "
        "sp_ckafka_premium, got `profession`.",
    )
    assert error(ckafka_client, "DescribeModifyType", **{**spec, "InstanceId": "ckafka-no"}) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-no` does not exist.",
    )


def test_describe_type_instances_lists_like_describe_instances(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    for n in range(12):
        ckafka.state.add_instance(name=f"shop-{n:02d}")
    typed = call(ckafka_client, "DescribeTypeInstances", SearchWord="shop-0")
    plain = call(ckafka_client, "DescribeInstances", SearchWord="shop-0")
    assert typed["TotalCount"] == plain["TotalCount"] == 10
    assert [i["InstanceId"] for i in typed["InstanceList"]] == [
        i["InstanceId"] for i in plain["InstanceList"]
    ]
    assert {i["IfCommunity"] for i in typed["InstanceList"]} == {False}
    assert call(ckafka_client, "DescribeTypeInstances", Offset=10)["TotalCount"] == 12


# -- prices ----------------------------------------------------------------------------------------

_PURCHASE = {
    "InstanceType": "profession",
    "Bandwidth": 40,
    "InquiryDiskParam": {"DiskSize": 500, "DiskType": "CLOUD_PREMIUM"},
    "MessageRetention": 24,
    "Topic": 30,
    "Partition": 800,
}


def test_a_purchase_is_priced_from_the_documented_figures(ckafka_client: Any) -> None:
    price = call(ckafka_client, "InquireCkafkaPrice", **_PURCHASE)
    assert price["PublicNetworkBandwidthPrice"] is None
    instance = price["InstancePrice"]
    details = instance["DetailPrices"]
    assert details["InstanceTypePrice"]["UnitPrice"] == 190
    assert (details["DiskPrice"]["UnitPrice"], details["DiskPrice"]["Value"]) == (175, 500)
    assert details["DiskPrice"]["DiskType"] == "CLOUD_PREMIUM"
    assert details["BandwidthPrice"]["UnitPrice"] == details["PartitionPrice"]["UnitPrice"] == 0
    assert (instance["UnitPrice"], instance["OriginalPrice"], instance["DiscountPrice"]) == (
        365,
        365,
        365,
    )
    assert (instance["TimeSpan"], instance["TimeUnit"], instance["Currency"]) == (1, "m", "CNY")

    bigger = call(
        ckafka_client,
        "InquireCkafkaPrice",
        **{**_PURCHASE, "Bandwidth": 80, "Partition": 1600},
        InstanceNum=2,
        InstanceChargeParam={"InstanceChargeType": PRE, "InstanceChargePeriod": 3},
    )["InstancePrice"]
    assert bigger["DetailPrices"]["BandwidthPrice"]["UnitPrice"] == 190
    assert bigger["DetailPrices"]["PartitionPrice"]["UnitPrice"] == 190
    assert (bigger["UnitPrice"], bigger["OriginalPrice"], bigger["GoodsNum"]) == (745, 4470, 2)

    hourly = call(
        ckafka_client,
        "InquireCkafkaPrice",
        **_PURCHASE,
        InstanceChargeParam={"InstanceChargeType": POST},
    )["InstancePrice"]
    assert (hourly["UnitPrice"], hourly["TimeUnit"]) == (round(365 / 720, 2), "h")


def test_a_renewal_is_priced_at_the_instance_spec(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance(topic_limit=30)
    renew = {"InstanceType": "profession", "CategoryAction": "renew", "InstanceId": instance_id}
    price = call(ckafka_client, "InquireCkafkaPrice", **renew)["InstancePrice"]
    assert price["UnitPrice"] == 365
    purchase = call(ckafka_client, "InquireCkafkaPrice", **_PURCHASE)["InstancePrice"]
    assert price == purchase
    flow_id = call(ckafka_client, "ModifyInstancePre", InstanceId=instance_id, DiskSize=1000)[
        "Data"
    ]["FlowId"]
    assert call(ckafka_client, "InquireCkafkaPrice", **renew)["InstancePrice"]["UnitPrice"] == 365
    assert task_status(ckafka_client, flow_id)["Status"] == 2
    assert task_status(ckafka_client, flow_id)["Status"] == 0
    assert call(ckafka_client, "InquireCkafkaPrice", **renew)["InstancePrice"]["UnitPrice"] == 540


def test_price_rules(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    postpaid = ckafka.state.add_instance(pay_mode=POST)
    purchase = dict(_PURCHASE)
    del purchase["Partition"]
    assert error(ckafka_client, "InquireCkafkaPrice", **purchase) == (
        "MissingParameter",
        "A purchase quote needs `Partition`.",
    )
    renew = {"InstanceType": "profession", "CategoryAction": "renew"}
    assert error(ckafka_client, "InquireCkafkaPrice", **renew) == (
        "MissingParameter",
        "A renewal quote needs the `InstanceId` to renew.",
    )
    assert error(ckafka_client, "InquireCkafkaPrice", **renew, InstanceId=postpaid) == (
        "InvalidParameterValue",
        f"The instance `{postpaid}` is billed POSTPAID_BY_HOUR; only PREPAID instances are "
        "renewed.",
    )
    prepaid = ckafka.state.add_instance()
    assert error(
        ckafka_client,
        "InquireCkafkaPrice",
        **{**renew, "InstanceType": "premium"},
        InstanceId=prepaid,
    ) == (
        "InvalidParameterValue",
        f"The instance `{prepaid}` is a profession instance, not premium.",
    )
    assert error(
        ckafka_client,
        "InquireCkafkaPrice",
        **_PURCHASE,
        PublicNetworkParam={"PublicNetworkMonthly": 4},
    ) == (
        "InvalidParameterValue",
        "The parameter `PublicNetworkParam.PublicNetworkMonthly` must be 0 or a multiple of 3, "
        "got 4.",
    )
    assert error(ckafka_client, "InquireCkafkaPrice", **_PURCHASE, ZoneIds=[800001]) == (
        "InvalidParameterValue",
        "The zone 800001 is not a CKafka zone of region `ap-guangzhou` (DescribeCkafkaZone "
        "lists them).",
    )


async def test_a_change_seen_through_the_async_client(
    ckafka: CKafkaMock, ckafka_client_async: Any
) -> None:
    instance_id = ckafka.state.add_instance()
    modified = await ckafka_client_async.ModifyInstancePre(
        request("ModifyInstancePre", {"InstanceId": instance_id, "BandWidth": 60})
    )
    describe = request("DescribeInstanceAttributes", {"InstanceId": instance_id})
    statuses = [(await ckafka_client_async.DescribeInstanceAttributes(describe)).Result.Status]
    statuses.append((await ckafka_client_async.DescribeInstanceAttributes(describe)).Result.Status)
    assert statuses == [7, 1]
    assert ckafka.state.instance(instance_id).bandwidth == 60
    assert modified.Result.Data.FlowId == ckafka.state.tasks()[0].flow_id


def test_a_pending_change_and_maintenance_survive_a_state_file(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    instance_id = ckafka.state.add_instance(broker_version="v2.4.2_r1.2.5")
    ckafka.state.add_maintenance_task(instance_id, week="1,2")
    flow_id = call(ckafka_client, "ModifyInstancePre", InstanceId=instance_id, BandWidth=80)[
        "Data"
    ]["FlowId"]
    dumped = ckafka.state.dump()
    ckafka.state.reset()
    ckafka.state.load(dumped)
    assert ckafka.state.dump() == dumped
    assert ckafka.state.pending_change(instance_id) is not None
    assert ckafka.state.maintenance_tasks(instance_id)[0].week == "1,2"
    assert task_status(ckafka_client, flow_id)["Status"] == 2
    assert task_status(ckafka_client, flow_id)["Status"] == 0
    assert ckafka.state.instance(instance_id).bandwidth == 80
    version = call(ckafka_client, "DescribeCkafkaVersion", InstanceId=instance_id)
    assert version["CurBrokerVersion"] == "v2.4.2_r1.2.5"


def test_a_seeded_isolated_instance_is_prepaid(ckafka: CKafkaMock) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        ckafka.state.add_instance(status=5, pay_mode=POST)
    assert str(info.value) == (
        "state.add_instance: only a PREPAID instance is isolated (status 5), as "
        "IsolatedInstancePre isolates"
    )
    assert ckafka.state.instances() == []
