"""The CDC family through the official SDK: CreateCdcCluster and CheckCdcCluster."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pytest_ckafka import CKafkaMock
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error, sdk_request, sdk_result

CLUSTER = {
    "CdcId": "cluster-d8htgb6k",
    "CdcVpcId": "vpc-ixenz42t",
    "CdcSubnetId": "subnet-k8x1dviw",
    "ZoneId": 100002,
    "Bandwidth": 1200,
    "DiskSize": 800,
    "DiskType": "CLOUD_SSD",
    "SystemDiskType": "CLOUD_PREMIUM",
}


def test_create_then_check_until_success(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    task_id = sdk_result(ckafka_client, "CreateCdcCluster", **CLUSTER)["TaskId"]
    assert task_id > 0
    (cluster,) = ckafka.state.cdc_clusters()
    assert (cluster.cdc_id, cluster.vpc_id, cluster.subnet_id, cluster.zone_id) == (
        "cluster-d8htgb6k",
        "vpc-ixenz42t",
        "subnet-k8x1dviw",
        100002,
    )
    assert (cluster.bandwidth, cluster.disk_size, cluster.disk_type) == (1200, 800, "CLOUD_SSD")
    assert (cluster.system_disk_type, cluster.task_id) == ("CLOUD_PREMIUM", task_id)
    (task,) = ckafka.state.tasks()
    assert (task.flow_id, task.kind) == (task_id, "CreateCdcCluster")
    # The first check sees the task running (ready_after_describes=1), the next done.
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=task_id) == "Running"
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=task_id) == "Success"
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=task_id) == "Success"


def test_ready_after_describes_0_succeeds_at_once(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.configure(ready_after_describes=0)
    task_id = sdk_result(ckafka_client, "CreateCdcCluster", **CLUSTER)["TaskId"]
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=task_id) == "Success"


def test_a_seeded_cluster_has_succeeded_and_survives_dump_and_load(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    done = ckafka.state.add_cdc_cluster("cluster-00000001")
    running = ckafka.state.add_cdc_cluster("cluster-00000002", done=False)
    ckafka.state.load(ckafka.state.dump())
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=done) == "Success"
    assert sdk_result(ckafka_client, "CheckCdcCluster", TaskId=running) == "Running"
    assert [c.cdc_id for c in ckafka.state.cdc_clusters()] == [
        "cluster-00000001",
        "cluster-00000002",
    ]


def test_check_an_unknown_task(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    assert sdk_error(ckafka_client, "CheckCdcCluster", TaskId=111) == (
        "FailedOperation",
        "The task 111 is no CreateCdcCluster task of region `ap-guangzhou`.",
    )


def test_check_a_task_of_another_kind(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    instance_id = ckafka.state.add_instance()
    route = sdk_result(ckafka_client, "CreateRoute", InstanceId=instance_id, VipType=7)
    flow_id = route["Data"]["FlowId"]
    assert sdk_error(ckafka_client, "CheckCdcCluster", TaskId=flow_id) == (
        "FailedOperation",
        f"The task {flow_id} is no CreateCdcCluster task of region `ap-guangzhou`.",
    )


def test_clusters_are_per_region(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    task_id = ckafka.state.add_cdc_cluster("cluster-00000001", region="ap-shanghai")
    assert sdk_error(ckafka_client, "CheckCdcCluster", TaskId=task_id) == (
        "FailedOperation",
        f"The task {task_id} is no CreateCdcCluster task of region `ap-guangzhou`.",
    )


# -- CreateCdcCluster's rules: each answers its code and changes nothing ---------------------


def _refused(ckafka: CKafkaMock, client: Any, **changes: Any) -> tuple[str, str]:
    before = copy.deepcopy(ckafka.state.dump())
    answer = sdk_error(client, "CreateCdcCluster", **{**CLUSTER, **changes})
    assert ckafka.state.dump() == before
    return answer


@pytest.mark.parametrize(
    ("changes", "answer"),
    [
        (
            {"CdcId": "cdc-1"},
            (
                "InvalidParameterValue",
                "The CdcId `cdc-1` is not a CDC id; expected `cluster-` and 8 lowercase "
                "letters or digits.",
            ),
        ),
        (
            {"CdcVpcId": "vpc-1"},
            (
                "InvalidParameterValue.VpcIdInvalid",
                "The CdcVpcId `vpc-1` is not valid; expected `vpc-` and 8 lowercase letters "
                "or digits.",
            ),
        ),
        (
            {"CdcSubnetId": "subnet-1"},
            (
                "InvalidParameterValue.SubnetIdInvalid",
                "The CdcSubnetId `subnet-1` is not valid; expected `subnet-` and 8 lowercase "
                "letters or digits.",
            ),
        ),
        (
            {"ZoneId": 999999},
            (
                "InvalidParameterValue.ZoneNotSupport",
                "The zone 999999 is not a CKafka zone of region `ap-guangzhou`; "
                "DescribeCkafkaZone lists them: 100001, 100002, 100003, 100004, 100005, "
                "100006, 100007.",
            ),
        ),
        (
            {"Bandwidth": 10},
            (
                "InvalidParameterValue",
                "The parameter `Bandwidth` must be between 20 and 100000, got 10.",
            ),
        ),
        (
            {"DiskSize": 0},
            ("InvalidParameterValue", "The parameter `DiskSize` must be above 0, got 0."),
        ),
        (
            {"SystemDiskType": "CLOUD_BASIC"},
            (
                "InvalidParameterValue",
                "The parameter `SystemDiskType` must be one of CLOUD_SSD, CLOUD_PREMIUM, "
                "got `CLOUD_BASIC`.",
            ),
        ),
    ],
)
def test_create_refuses_a_malformed_request(
    ckafka: CKafkaMock, ckafka_client: Any, changes: dict[str, Any], answer: tuple[str, str]
) -> None:
    assert _refused(ckafka, ckafka_client, **changes) == answer


def test_one_cluster_per_cdc(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    task_id = ckafka.state.add_cdc_cluster("cluster-d8htgb6k", vpc_id="vpc-ixenz42t")
    assert _refused(ckafka, ckafka_client) == (
        "InvalidParameterValue.RepetitionValue",
        f"The CDC `cluster-d8htgb6k` already has a CKafka cluster (task {task_id}).",
    )


def test_one_vpc_for_cdc_per_region(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    ckafka.state.add_cdc_cluster("cluster-00000001", vpc_id="vpc-00000001")
    assert _refused(ckafka, ckafka_client) == (
        "InvalidParameterValue.VpcIdInvalid",
        "Region `ap-guangzhou` uses `vpc-00000001` for its CDC clusters (CDC "
        "`cluster-00000001`); a region has one VPC for CDC, got `vpc-ixenz42t`.",
    )
    sdk_result(ckafka_client, "CreateCdcCluster", **{**CLUSTER, "CdcVpcId": "vpc-00000001"})
    assert len(ckafka.state.cdc_clusters()) == 2


async def test_async_create_and_check(ckafka: CKafkaMock, ckafka_client_async: Any) -> None:
    ckafka.state.configure(ready_after_describes=0)
    created = await ckafka_client_async.CreateCdcCluster(sdk_request("CreateCdcCluster", CLUSTER))
    check = sdk_request("CheckCdcCluster", {"TaskId": created.Result.TaskId})
    assert (await ckafka_client_async.CheckCdcCluster(check)).Result == "Success"


def test_seeding_refuses_what_create_refuses(ckafka: CKafkaMock) -> None:
    with pytest.raises(CKafkaUsageError) as bad:
        ckafka.state.add_cdc_cluster("cdc-1")
    assert str(bad.value) == "state.add_cdc_cluster: cdc_id 'cdc-1' is not valid"
    ckafka.state.add_cdc_cluster("cluster-00000001")
    with pytest.raises(CKafkaUsageError) as twice:
        ckafka.state.add_cdc_cluster("cluster-00000001")
    assert str(twice.value) == "state.add_cdc_cluster: cluster-00000001 already has a cluster"
    with pytest.raises(CKafkaUsageError) as vpc:
        ckafka.state.add_cdc_cluster("cluster-00000002", vpc_id="vpc-00000002")
    assert str(vpc.value) == (
        "state.add_cdc_cluster: the region's CDC clusters are in vpc-00000000, not "
        "vpc-00000002 (one VPC per region)"
    )
