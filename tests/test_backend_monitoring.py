"""The monitoring family through the official SDK: DescribeCvmInfo, CreatePrometheus,
DescribePrometheus."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pytest_ckafka import CKafkaMock
from pytest_ckafka.exceptions import CKafkaUsageError

from .sdk_calls import sdk_error, sdk_request, sdk_result

INSTANCE = "ckafka-br000001"
VPC, SUBNET = "vpc-prom0001", "subnet-prom0001"


@pytest.fixture
def instance_id(ckafka: CKafkaMock) -> str:
    return ckafka.state.add_instance(INSTANCE, vip="10.0.4.10")


# -- DescribeCvmInfo ----------------------------------------------------------------------


def test_cvm_info_lists_one_cvm_per_broker(ckafka_client: Any, instance_id: str) -> None:
    result = sdk_result(ckafka_client, "DescribeCvmInfo", InstanceId=instance_id)
    assert result["TotalCount"] == 3
    assert [(c["CkafkaInstanceId"], c["Ip"]) for c in result["CvmList"]] == [
        (instance_id, "10.0.4.11"),
        (instance_id, "10.0.4.12"),
        (instance_id, "10.0.4.13"),
    ]
    ids = [c["InstanceId"] for c in result["CvmList"]]
    assert len(set(ids)) == 3
    assert all(i.startswith("ins-") and len(i) == 12 for i in ids)
    again = sdk_result(ckafka_client, "DescribeCvmInfo", InstanceId=instance_id)
    assert [c["InstanceId"] for c in again["CvmList"]] == ids  # derived, not random


def test_cvm_info_of_a_standard_edition_instance_is_empty(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    standard = ckafka.state.add_instance(attrs={"SpecificationsType": "standard"})
    assert sdk_result(ckafka_client, "DescribeCvmInfo", InstanceId=standard) == {
        "CvmList": [],
        "TotalCount": 0,
    }


def test_cvm_info_of_a_creating_instance_is_unavailable(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    creating = ckafka.state.add_instance("ckafka-creating", status=0)
    assert sdk_error(ckafka_client, "DescribeCvmInfo", InstanceId=creating) == (
        "ResourceUnavailable",
        "The instance `ckafka-creating` is still being created (Status 0); "
        "its brokers have no CVMs yet.",
    )


def test_cvm_info_of_an_unknown_instance(ckafka_client: Any) -> None:
    assert sdk_error(ckafka_client, "DescribeCvmInfo", InstanceId="ckafka-nothere1") == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nothere1` does not exist.",
    )


# -- CreatePrometheus / DescribePrometheus ----------------------------------------------------


def test_create_then_describe_prometheus(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    assert sdk_result(ckafka_client, "DescribePrometheus", InstanceId=instance_id) == []
    result = sdk_result(
        ckafka_client, "CreatePrometheus", InstanceId=instance_id, VpcId=VPC, SubnetId=SUBNET
    )
    route_id = result["Data"]["RouteDTO"]["RouteId"]
    flow_id = result["Data"]["FlowId"]
    assert (result["ReturnCode"], route_id > 0, flow_id > 0) == ("0", True, True)
    (task,) = ckafka.state.tasks()
    assert (task.flow_id, task.kind, task.instance_id) == (flow_id, "CreatePrometheus", instance_id)
    (point,) = ckafka.state.prometheus(instance_id)
    assert (point.route_id, point.vpc_id, point.subnet_id) == (route_id, VPC, SUBNET)

    targets = sdk_result(ckafka_client, "DescribePrometheus", InstanceId=instance_id)
    assert [(t["Type"], t["SourcePort"], t["BrokerIp"]) for t in targets] == [
        ("JmxExport", 9100, "10.0.4.11"),
        ("JmxExport", 9101, "10.0.4.12"),
        ("JmxExport", 9102, "10.0.4.13"),
        ("NodeExport", 9200, "10.0.4.11"),
        ("NodeExport", 9201, "10.0.4.12"),
        ("NodeExport", 9202, "10.0.4.13"),
    ]
    assert {(t["SourceIp"], t["VpcId"], t["SubnetId"]) for t in targets} == {
        (point.vip, VPC, SUBNET)
    }


def test_seeded_prometheus_is_described_and_survives_dump_and_load(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    first = ckafka.state.add_prometheus(instance_id)
    second = ckafka.state.add_prometheus(instance_id, vpc_id=VPC, subnet_id=SUBNET)
    ckafka.state.load(ckafka.state.dump())
    targets = sdk_result(ckafka_client, "DescribePrometheus", InstanceId=instance_id)
    assert [t["VpcId"] for t in targets] == ["vpc-00000000"] * 6 + [VPC] * 6
    assert [p.route_id for p in ckafka.state.prometheus(instance_id)] == [first, second]


def _refused(ckafka: CKafkaMock, client: Any, **members: Any) -> tuple[str, str]:
    before = copy.deepcopy(ckafka.state.dump())
    answer = sdk_error(client, "CreatePrometheus", **members)
    assert ckafka.state.dump() == before
    return answer


@pytest.mark.parametrize(
    ("members", "answer"),
    [
        (
            {"VpcId": "", "SubnetId": SUBNET},
            ("InvalidParameterValue", "The parameter `VpcId` must not be empty."),
        ),
        (
            {"VpcId": VPC, "SubnetId": ""},
            ("InvalidParameterValue", "The parameter `SubnetId` must not be empty."),
        ),
        (
            {"VpcId": "vpc-test", "SubnetId": SUBNET},
            (
                "InvalidParameterValue.VpcIdInvalid",
                "The VpcId `vpc-test` is not valid; expected `vpc-` and 8 lowercase letters "
                "or digits.",
            ),
        ),
        (
            {"VpcId": VPC, "SubnetId": "subnet-test"},
            (
                "InvalidParameterValue.SubnetIdInvalid",
                "The SubnetId `subnet-test` is not valid; expected `subnet-` and 8 lowercase "
                "letters or digits.",
            ),
        ),
    ],
)
def test_create_prometheus_needs_a_vpc_and_subnet(
    ckafka: CKafkaMock,
    ckafka_client: Any,
    instance_id: str,
    members: dict[str, str],
    answer: tuple[str, str],
) -> None:
    assert _refused(ckafka, ckafka_client, InstanceId=instance_id, **members) == answer


def test_create_prometheus_twice_in_one_subnet(
    ckafka: CKafkaMock, ckafka_client: Any, instance_id: str
) -> None:
    route_id = ckafka.state.add_prometheus(instance_id, vpc_id=VPC, subnet_id=SUBNET)
    assert _refused(ckafka, ckafka_client, InstanceId=instance_id, VpcId=VPC, SubnetId=SUBNET) == (
        "InvalidParameterValue.RepetitionValue",
        f"Instance `{instance_id}` already has Prometheus scrape point {route_id} in "
        f"`{VPC}`/`{SUBNET}`.",
    )


def test_create_prometheus_on_a_standard_edition_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    standard = ckafka.state.add_instance(attrs={"SpecificationsType": "standard"})
    assert _refused(ckafka, ckafka_client, InstanceId=standard, VpcId=VPC, SubnetId=SUBNET) == (
        "OperationDenied",
        f"The instance `{standard}` is a Standard Edition instance; Prometheus monitoring "
        "is for Pro and Advanced Edition instances.",
    )


def test_create_prometheus_on_a_creating_or_unknown_instance(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    creating = ckafka.state.add_instance("ckafka-creating", status=0)
    code, _ = _refused(ckafka, ckafka_client, InstanceId=creating, VpcId=VPC, SubnetId=SUBNET)
    assert code == "ResourceUnavailable"
    assert _refused(
        ckafka, ckafka_client, InstanceId="ckafka-nothere1", VpcId=VPC, SubnetId=SUBNET
    ) == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nothere1` does not exist.",
    )


def test_describe_prometheus_of_an_unknown_instance(ckafka_client: Any) -> None:
    assert sdk_error(ckafka_client, "DescribePrometheus", InstanceId="ckafka-nothere1") == (
        "InvalidParameterValue.InstanceNotExist",
        "The instance `ckafka-nothere1` does not exist.",
    )


async def test_async_create_prometheus(
    ckafka: CKafkaMock, ckafka_client_async: Any, instance_id: str
) -> None:
    request = sdk_request(
        "CreatePrometheus", {"InstanceId": instance_id, "VpcId": VPC, "SubnetId": SUBNET}
    )
    answer = await ckafka_client_async.CreatePrometheus(request)
    assert answer.Result.Data.RouteDTO.RouteId == ckafka.state.prometheus(instance_id)[0].route_id


def test_seeding_refuses_what_create_prometheus_refuses(
    ckafka: CKafkaMock, instance_id: str
) -> None:
    ckafka.state.add_prometheus(instance_id)
    with pytest.raises(CKafkaUsageError) as twice:
        ckafka.state.add_prometheus(instance_id)
    assert str(twice.value).startswith(f"state.add_prometheus: {instance_id} already has")
    with pytest.raises(CKafkaUsageError) as bad:
        ckafka.state.add_prometheus(instance_id, vpc_id="vpc-test")
    assert str(bad.value) == (
        "state.add_prometheus: 'vpc-test'/'subnet-00000000' is no VPC/subnet id pair "
        "(`vpc-`/`subnet-` and 8 lowercase letters or digits)"
    )
    standard = ckafka.state.add_instance(attrs={"SpecificationsType": "standard"})
    with pytest.raises(CKafkaUsageError) as edition:
        ckafka.state.add_prometheus(standard)
    assert str(edition.value) == (
        f"state.add_prometheus: {standard} is a Standard Edition instance, which has no "
        "exporters to open"
    )
