"""DataHub tasks and their status machine through the official SDK, against the backend."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from pytest_ckafka import CKafkaMock

from .sdk_calls import sdk_error as failure
from .sdk_calls import sdk_result as result

INSTANCE = "ckafka-dh000001"
ES_RESOURCE = "resource-es000001"
ES = {"Port": 9200, "UserName": "elastic", "Password": "Es-secret-1", "Resource": "es-1",
      "SelfBuilt": True}  # fmt: skip


def beijing(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds + 8 * 3600))


@pytest.fixture
def seeded(ckafka: CKafkaMock) -> CKafkaMock:
    ckafka.state.add_instance(INSTANCE)
    ckafka.state.add_topic(INSTANCE, "orders")
    ckafka.state.add_connect_resource(
        "search", resource_type="ES", params=ES, resource_id=ES_RESOURCE
    )
    return ckafka


def _sink(name: str = "orders-to-es", **members: Any) -> dict[str, Any]:
    return {
        "TaskName": name,
        "TaskType": "SINK",
        "SourceResource": {
            "Type": "KAFKA",
            "KafkaParam": {"SelfBuilt": False, "Resource": INSTANCE, "Topic": "orders"},
        },
        "TargetResource": {
            "Type": "ES",
            "EsParam": {"Resource": ES_RESOURCE, "Index": "orders", "Password": "Index-pw"},
        },
        **members,
    }


def _create(client: Any, **members: Any) -> str:
    return str(result(client, "CreateDatahubTask", **_sink(**members))["TaskId"])


def _status(client: Any, task_id: str) -> int:
    return int(result(client, "DescribeDatahubTask", TaskId=task_id)["Status"])


def test_task_lifecycle(seeded: CKafkaMock, ckafka_client: Any) -> None:
    created_at = seeded.clock.now()
    answer = result(ckafka_client, "CreateDatahubTask", **_sink())
    task_id = answer["TaskId"]
    assert task_id.startswith("task-")
    assert answer["DatahubId"] == "datahub-" + task_id.removeprefix("task-")

    detail = result(ckafka_client, "DescribeDatahubTask", TaskId=task_id)
    assert (detail["Status"], detail["TaskName"], detail["TaskType"]) == (0, "orders-to-es", "SINK")
    assert detail["CreateTime"] == beijing(created_at)
    assert detail["SourceResource"]["KafkaParam"]["Topic"] == "orders"
    assert detail["TargetResource"]["EsParam"]["Password"] == ""  # never answered
    assert detail["TargetResource"]["KafkaParam"] is None
    assert _status(ckafka_client, task_id) == 1  # creating, then running

    steps = []
    for action in ("PauseDatahubTask", "ResumeDatahubTask", "RestartDatahubTask"):
        assert result(ckafka_client, action, TaskId=task_id)["TaskId"] == task_id
        steps.append((_status(ckafka_client, task_id), _status(ckafka_client, task_id)))
    assert steps == [(5, 6), (8, 1), (0, 1)]

    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    listed = result(ckafka_client, "DescribeDatahubTasks")
    assert [(t["TaskId"], t["Status"]) for t in listed["TaskList"]] == [(task_id, 2)]
    assert result(ckafka_client, "DescribeDatahubTasks") == {"TotalCount": 0, "TaskList": []}
    assert seeded.state.datahub_tasks() == []
    assert failure(ckafka_client, "DescribeDatahubTask", TaskId=task_id)[0] == "ResourceNotFound"


def test_each_action_starts_a_flow_describe_task_status_reports(
    seeded: CKafkaMock, ckafka_client: Any
) -> None:
    task_id = _create(ckafka_client)
    task = seeded.state.datahub_task(task_id)
    flow = task.flow_id

    def flow_status() -> int:
        return int(result(ckafka_client, "DescribeTaskStatus", FlowId=flow)["Status"])

    assert flow_status() == 2
    assert flow_status() == 0  # the flow is done ...
    assert _status(ckafka_client, task_id) == 1  # ... so the task runs, described or not
    result(ckafka_client, "PauseDatahubTask", TaskId=task_id)
    assert task.flow_id != flow
    flow = task.flow_id
    assert _status(ckafka_client, task_id) == 5
    assert _status(ckafka_client, task_id) == 6
    assert flow_status() == 0  # the task settled, so did its flow
    kinds = [(t.kind, t.instance_id) for t in seeded.state.tasks()]
    assert kinds == [("CreateDatahubTask", INSTANCE), ("PauseDatahubTask", INSTANCE)]


def test_transitions_settle_on_the_clock(seeded: CKafkaMock, ckafka_client: Any) -> None:
    seeded.state.configure(ready_after_describes=100, ready_after_seconds=30)
    task_id = _create(ckafka_client)
    seeded.clock.advance(29)
    assert _status(ckafka_client, task_id) == 0
    seeded.clock.advance(1)
    assert _status(ckafka_client, task_id) == 1
    result(ckafka_client, "PauseDatahubTask", TaskId=task_id)
    seeded.clock.advance(30)
    assert _status(ckafka_client, task_id) == 6
    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    assert _status(ckafka_client, task_id) == 2
    seeded.clock.advance(30)
    assert result(ckafka_client, "DescribeDatahubTasks")["TotalCount"] == 0


def test_a_connect_resource_in_use_is_deletable_once_its_task_is_gone(
    seeded: CKafkaMock, ckafka_client: Any
) -> None:
    task_id = _create(ckafka_client)
    assert seeded.state.datahub_task(task_id).resource_ids == [ES_RESOURCE]
    code, _ = failure(ckafka_client, "DeleteConnectResource", ResourceId=ES_RESOURCE)
    assert code == "ResourceInUse"
    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    seeded.state.configure(ready_after_seconds=10)
    seeded.clock.advance(10)
    result(ckafka_client, "DeleteConnectResource", ResourceId=ES_RESOURCE)
    assert seeded.state.connect_resources() == []


def _broken_sink(**changes: Any) -> dict[str, Any]:
    request = _sink()
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = request
        for parent in parents:
            target = target[parent]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return request


DIP_TOPIC = "1300957330-clicks"


def _from_dip_topic(name: str = DIP_TOPIC, **topic_param: Any) -> dict[str, Any]:
    return _sink(SourceResource={"Type": "TOPIC", "TopicParam": {"Resource": name, **topic_param}})


@pytest.mark.parametrize(
    ("request_", "code", "message"),
    [
        (
            _broken_sink(TaskName="9lives"),
            "InvalidParameterValue",
            "The parameter `TaskName` must start with a letter and hold only letters, digits, "
            "`-`, `.` and `_`, at most 64 characters; got `9lives`.",
        ),
        (
            _broken_sink(TaskType="BOTH"),
            "InvalidParameterValue",
            "The parameter `TaskType` must be SOURCE or SINK, got `BOTH`.",
        ),
        (
            _broken_sink(TargetResource=None),
            "InvalidParameterValue.NotAllowedEmpty",
            "The parameter `TargetResource` must not be empty.",
        ),
        (
            _broken_sink(TargetResource__EsParam=None),
            "MissingParameter",
            "The parameter `TargetResource.EsParam` is required when Type is ES.",
        ),
        (
            _broken_sink(SourceResource__KafkaParam__Resource="ckafka-nothere1"),
            "InvalidParameterValue.InstanceNotExist",
            "The instance `ckafka-nothere1` (SourceResource.KafkaParam.Resource) does not "
            "exist in region `ap-guangzhou`.",
        ),
        (
            _broken_sink(SourceResource__KafkaParam__Topic="orders,refunds"),
            "ResourceNotFound",
            "The topic `refunds` (SourceResource.KafkaParam.Topic) does not exist in instance "
            "`ckafka-dh000001`.",
        ),
        (
            _broken_sink(TargetResource__EsParam__Resource="resource-nothere"),
            "ResourceNotFound",
            "The connect resource `resource-nothere` (TargetResource.EsParam.Resource) does not "
            "exist in region `ap-guangzhou`.",
        ),
        (
            _broken_sink(TargetResource__Type="MYSQL", TargetResource__MySQLParam={
                "Database": "shop", "Table": "orders", "Resource": ES_RESOURCE}),
            "InvalidParameterValue",
            "The connect resource `resource-es000001` (TargetResource.MySQLParam.Resource) is "
            "of Type ES; a MYSQL resource needs a MYSQL connection.",
        ),
        (
            _broken_sink(SourceResource__KafkaParam__Topic="new-topic",
                         SourceResource__KafkaParam__UseAutoCreateTopic=True),
            "InvalidParameterValue",
            "The parameter `SourceResource.KafkaParam.UseAutoCreateTopic` applies to SOURCE "
            "tasks only (the reference: 目前只支持SOURCE流入任务); got TaskType `SINK`.",
        ),
        (
            _from_dip_topic("1300957330-new", UseAutoCreateTopic=True),
            "InvalidParameterValue",
            "The parameter `SourceResource.TopicParam.UseAutoCreateTopic` applies to SOURCE "
            "tasks only (the reference: 目前只支持SOURCE流入任务); got TaskType `SINK`.",
        ),
        (
            _broken_sink(TaskName="taken"),
            "InvalidParameterValue.RepetitionValue",
            "The task name `taken` is already used by `task-taken001`.",
        ),
        (
            _broken_sink(TaskId="task-taken001"),
            "InvalidParameterValue.RepetitionValue",
            "The DataHub task `task-taken001` already exists.",
        ),
    ],
)  # fmt: skip
def test_create_rules_answer_their_codes_and_change_nothing(
    seeded: CKafkaMock, ckafka_client: Any, request_: dict[str, Any], code: str, message: str
) -> None:
    seeded.state.add_datahub_task("taken", task_id="task-taken001")
    before = seeded.state.dump()
    assert failure(ckafka_client, "CreateDatahubTask", **request_) == (code, message)
    assert seeded.state.dump() == before


def test_a_topic_to_create_need_not_exist(seeded: CKafkaMock, ckafka_client: Any) -> None:
    request = _broken_sink(TaskType="SOURCE", SourceResource__KafkaParam__Topic="new-topic")
    request["SourceResource"]["KafkaParam"]["UseAutoCreateTopic"] = True
    assert result(ckafka_client, "CreateDatahubTask", **request)["TaskId"].startswith("task-")


SOURCE, TARGET, MYSQL_RESOURCE = "resource-src00001", "resource-tgt00001", "resource-db000001"


def _sync(**members: Any) -> dict[str, Any]:
    request = {
        "TaskName": "mirror",
        "SourceResourceId": SOURCE,
        "TargetResourceId": TARGET,
        "TopicList": ["orders"],
        "Separator": ".",
        "OffsetType": "latest",
    }
    request.update(members)
    return {k: v for k, v in request.items() if v is not None}


@pytest.fixture
def connections(seeded: CKafkaMock) -> CKafkaMock:
    state = seeded.state
    state.add_connect_resource(
        "source", params={"SelfBuilt": False, "Resource": INSTANCE}, resource_id=SOURCE
    )
    state.add_connect_resource("target", resource_id=TARGET)
    state.add_connect_resource(
        "db", resource_type="MYSQL", params={"Resource": "cdb-1"}, resource_id=MYSQL_RESOURCE
    )
    return seeded


@pytest.mark.parametrize(
    "action",
    [
        "CreateMetaSyncDatahubTask",
        "CreateMetaAndDataSyncDatahubTask",
        "CreateMetaDataAndOffsetSyncDatahubTask",
    ],
)
def test_a_sync_task_copies_one_kafka_connection_into_another(
    connections: CKafkaMock, ckafka_client: Any, action: str
) -> None:
    members = _sync() if action != "CreateMetaSyncDatahubTask" else _sync(
        TopicList=None, Separator=None, OffsetType=None
    )  # fmt: skip
    task_id = result(ckafka_client, action, **members)["TaskId"]
    task = connections.state.datahub_task(task_id)
    assert (task.kind, task.resource_ids, task.status) == (action, [SOURCE, TARGET], 0)
    detail = result(ckafka_client, "DescribeDatahubTask", TaskId=task_id)
    source = detail["SourceResource"]["KafkaParam"]
    assert (source["Resource"], source["ResourceName"]) == (INSTANCE, "source")
    assert detail["TargetResource"]["KafkaParam"]["Resource"] == TARGET  # self-built
    code, _ = failure(ckafka_client, "DeleteConnectResource", ResourceId=TARGET)
    assert code == "ResourceInUse"


@pytest.mark.parametrize(
    ("action", "members", "code", "message"),
    [
        (
            "CreateMetaSyncDatahubTask",
            {"SourceResourceId": "resource-nothere"},
            "ResourceNotFound",
            "The connect resource `resource-nothere` (SourceResourceId) does not exist in "
            "region `ap-guangzhou`.",
        ),
        (
            "CreateMetaSyncDatahubTask",
            {"TargetResourceId": MYSQL_RESOURCE},
            "InvalidParameterValue",
            "The connect resource `resource-db000001` (TargetResourceId) is of Type MYSQL; an "
            "instance sync task connects two KAFKA resources.",
        ),
        (
            "CreateMetaSyncDatahubTask",
            {"TargetResourceId": SOURCE},
            "InvalidParameterValue",
            "The source and the target are both `resource-src00001`; a sync task copies one "
            "Kafka connect resource into another.",
        ),
        (
            "CreateMetaSyncDatahubTask",
            {"TaskName": "m" * 65},
            "InvalidParameterValue",
            "The parameter `TaskName` must be at most 64 characters, got 65.",
        ),
        (
            "CreateMetaSyncDatahubTask",
            {"Description": "d" * 129},
            "InvalidParameterValue",
            "The parameter `Description` must be at most 128 characters, got 129.",
        ),
        (
            "CreateMetaAndDataSyncDatahubTask",
            {"TopicRegularExpression": "^orders"},
            "InvalidParameterValue",
            "Send `TopicList` or `TopicRegularExpression`, not both (one of the two).",
        ),
        (
            "CreateMetaAndDataSyncDatahubTask",
            {"TopicList": None},
            "InvalidParameterValue.NotAllowedEmpty",
            "The parameter `TopicList` or `TopicRegularExpression` must not be empty.",
        ),
        (
            "CreateMetaAndDataSyncDatahubTask",
            {"TopicList": None, "TopicRegularExpression": "(orders"},
            "InvalidParameterValue",
            "The parameter `TopicRegularExpression` is not a regular expression (missing ), "
            "unterminated subpattern at position 0): `(orders`.",
        ),
        (
            "CreateMetaAndDataSyncDatahubTask",
            {"Separator": "/"},
            "InvalidParameterValue",
            "The parameter `Separator` must be `.`, `-` or `_`, got `/`.",
        ),
        (
            "CreateMetaDataAndOffsetSyncDatahubTask",
            {"OffsetType": "timestamp"},
            "InvalidParameterValue",
            "The parameter `OffsetType` must be one of earliest, latest, got `timestamp`.",
        ),
        (
            "CreateMetaDataAndOffsetSyncDatahubTask",
            {"TopicList": ["orders", "refunds"]},
            "ResourceNotFound",
            "The topic `refunds` (TopicList) does not exist in instance `ckafka-dh000001`.",
        ),
        (
            "CreateMetaAndDataSyncDatahubTask",
            {"TaskName": "taken"},
            "InvalidParameterValue.RepetitionValue",
            "The task name `taken` is already used by `task-taken001`.",
        ),
    ],
)
def test_sync_rules_answer_their_codes_and_change_nothing(
    connections: CKafkaMock,
    ckafka_client: Any,
    action: str,
    members: dict[str, Any],
    code: str,
    message: str,
) -> None:
    connections.state.add_datahub_task("taken", task_id="task-taken001")
    before = connections.state.dump()
    if action == "CreateMetaSyncDatahubTask":  # it has no topic members
        members = {**members, "TopicList": None, "Separator": None, "OffsetType": None}
    assert failure(ckafka_client, action, **_sync(**members)) == (code, message)
    assert connections.state.dump() == before


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("PauseDatahubTask", 6, "is paused (Status 6); only a task that is running (1) can be "
         "paused."),
        ("ResumeDatahubTask", 1, "is running (Status 1); only a task that is paused (6) can be "
         "resumed."),
        ("RestartDatahubTask", 6, "is paused (Status 6); only a task that is running (1) or "
         "failed to create (-1) or failed to pause (7) or failed to resume (9) can be "
         "restarted."),
    ],
)  # fmt: skip
def test_an_action_from_the_wrong_status_fails_and_changes_nothing(
    ckafka: CKafkaMock, ckafka_client: Any, action: str, status: int, message: str
) -> None:
    task_id = ckafka.state.add_datahub_task(status=status)
    before = ckafka.state.dump()
    assert failure(ckafka_client, action, TaskId=task_id) == (
        "FailedOperation",
        f"The DataHub task `{task_id}` {message}",
    )
    assert ckafka.state.dump() == before


def test_a_deleting_task_cannot_be_deleted_or_modified(
    ckafka: CKafkaMock, ckafka_client: Any
) -> None:
    task_id = ckafka.state.add_datahub_task()
    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    before = ckafka.state.dump()
    assert failure(ckafka_client, "DeleteDatahubTask", TaskId=task_id)[0] == "FailedOperation"
    assert failure(ckafka_client, "ModifyDatahubTask", TaskId=task_id, TaskName="x") == (
        "FailedOperation",
        f"The DataHub task `{task_id}` is being deleted (Status 2).",
    )
    assert ckafka.state.dump() == before


@pytest.mark.parametrize(
    "action",
    [
        "DescribeDatahubTask",
        "ModifyDatahubTask",
        "DeleteDatahubTask",
        "PauseDatahubTask",
        "ResumeDatahubTask",
        "RestartDatahubTask",
    ],
)
def test_an_unknown_task_is_not_found(ckafka_client: Any, action: str) -> None:
    assert failure(ckafka_client, action, TaskId="task-nothere1") == (
        "ResourceNotFound",
        "The DataHub task `task-nothere1` does not exist in region `ap-guangzhou`.",
    )


def test_modify_changes_what_it_names(ckafka: CKafkaMock, ckafka_client: Any) -> None:
    task_id = ckafka.state.add_datahub_task("before", description="kept")
    ckafka.state.add_datahub_task("taken")
    result(
        ckafka_client, "ModifyDatahubTask", TaskId=task_id, TaskName="after", TasksMax=3,
        SyncThrottleLimit=40, AutoExpandFlag=False,
    )  # fmt: skip
    shown = result(ckafka_client, "DescribeDatahubTask", TaskId=task_id)
    assert [shown[k] for k in ("TaskName", "Description", "TaskMax", "SyncThrottleLimit")] == [
        "after",
        "kept",
        3,
        40,
    ]
    assert shown["AutoExpandFlag"] is False
    before = ckafka.state.dump()
    assert failure(ckafka_client, "ModifyDatahubTask", TaskId=task_id, TaskName="taken")[0] == (
        "InvalidParameterValue"
    )
    assert failure(ckafka_client, "ModifyDatahubTask", TaskId=task_id, TasksMax=0) == (
        "InvalidParameterValue",
        "The parameter `TasksMax` must be 1 or more, got 0.",
    )
    assert ckafka.state.dump() == before


def test_the_list_filters_and_pages(seeded: CKafkaMock, ckafka_client: Any) -> None:
    first = _create(ckafka_client, name="orders-to-es")
    state = seeded.state
    state.add_datahub_task("http-in")
    for n in range(3):
        state.add_datahub_task(f"bulk-{n}", task_type="SINK")

    def names(**members: Any) -> tuple[int, list[str]]:
        listed = result(ckafka_client, "DescribeDatahubTasks", **members)
        return listed["TotalCount"], [t["TaskName"] for t in listed["TaskList"]]

    assert names()[0] == 5
    assert names(SearchWord="es") == (1, ["orders-to-es"])
    assert names(TaskType="SOURCE") == (1, ["http-in"])
    assert names(SourceType="HTTP", TaskType="SINK", Offset=1, Limit=1) == (3, ["bulk-1"])
    assert names(TargetType="ES") == (1, ["orders-to-es"])
    assert names(Resource=ES_RESOURCE) == names(Resource=INSTANCE) == (1, ["orders-to-es"])
    assert names(Limit=500)[0] == 5  # "at most 100 (above 100, limited to 100)"
    (item,) = result(ckafka_client, "DescribeDatahubTasks", SearchWord="es")["TaskList"]
    assert (item["TaskId"], item["TaskProgress"], item["TaskCurrentStep"]) == (
        first,
        100.0,
        "RUNNING",
    )


def test_passwords_never_appear_in_any_answer(seeded: CKafkaMock, ckafka_client: Any) -> None:
    task_id = _create(ckafka_client)
    result(ckafka_client, "DescribeDatahubTask", TaskId=task_id)
    result(ckafka_client, "DescribeDatahubTasks")
    bodies = [c.reply.body.decode() for c in seeded.calls]
    assert all("Index-pw" not in b and "Es-secret-1" not in b for b in bodies)


def test_a_state_dump_keeps_tasks_where_they_are(seeded: CKafkaMock, ckafka_client: Any) -> None:
    task_id = _create(ckafka_client)
    dumped = seeded.state.dump()
    seeded.state.reset()
    seeded.state.load(dumped)
    assert seeded.state.dump() == dumped
    assert _status(ckafka_client, task_id) == 0
    assert _status(ckafka_client, task_id) == 1


def test_seeding_checks_status_and_connect_resources(ckafka: CKafkaMock) -> None:
    from pytest_ckafka.exceptions import CKafkaUsageError

    with pytest.raises(CKafkaUsageError, match=r"status is one of -1 \(failed to create\)"):
        ckafka.state.add_datahub_task(status=5)
    target = {"Type": "ES", "EsParam": {"Resource": "resource-nothere"}}
    with pytest.raises(CKafkaUsageError, match=r"seed it with state\.add_connect_resource"):
        ckafka.state.add_datahub_task(target=target)
    assert ckafka.state.datahub_tasks() == []


# -- DataHub topics as a task's source or target ----------------------------------------------


def test_a_task_reads_a_datahub_topic_that_exists(seeded: CKafkaMock, ckafka_client: Any) -> None:
    before = seeded.state.dump()
    assert failure(ckafka_client, "CreateDatahubTask", **_from_dip_topic()) == (
        "ResourceNotFound",
        f"The DataHub topic `{DIP_TOPIC}` (SourceResource.TopicParam.Resource) does not exist "
        "in region `ap-guangzhou`.",
    )
    assert seeded.state.dump() == before
    seeded.state.add_datahub_topic(DIP_TOPIC)
    task_id = result(ckafka_client, "CreateDatahubTask", **_from_dip_topic())["TaskId"]
    shown = result(ckafka_client, "DescribeDatahubTask", TaskId=task_id)["SourceResource"]
    assert (shown["Type"], shown["TopicParam"]["Resource"]) == ("TOPIC", DIP_TOPIC)


def test_a_topic_to_be_created_need_not_exist_yet(seeded: CKafkaMock, ckafka_client: Any) -> None:
    request = {**_from_dip_topic("1300957330-new", UseAutoCreateTopic=True), "TaskType": "SOURCE"}
    assert result(ckafka_client, "CreateDatahubTask", **request)["TaskId"].startswith("task-")
    # It is created with the task: listed, described, and in use.
    shown = result(ckafka_client, "DescribeDatahubTopic", Name="1300957330-new")
    assert (shown["Name"], shown["PartitionNum"], shown["Status"]) == ("1300957330-new", 1, 1)
    assert failure(ckafka_client, "DeleteDatahubTopic", Name="1300957330-new")[0] == "ResourceInUse"


def test_a_topic_to_be_created_needs_a_datahub_topic_name(
    seeded: CKafkaMock, ckafka_client: Any
) -> None:
    request = {**_from_dip_topic("no_app_id", UseAutoCreateTopic=True), "TaskType": "SOURCE"}
    before = seeded.state.dump()
    assert failure(ckafka_client, "CreateDatahubTask", **request) == (
        "InvalidParameterValue",
        "The DataHub topic name `no_app_id` is invalid: use your AppId, `-`, then letters, "
        "digits and `-`, at most 128 characters in all (e.g. `1300957330-orders`).",
    )
    assert seeded.state.dump() == before


def test_a_datahub_topic_in_use_is_deletable_once_its_task_is_gone(
    seeded: CKafkaMock, ckafka_client: Any
) -> None:
    seeded.state.add_datahub_topic(DIP_TOPIC)
    task_id = result(ckafka_client, "CreateDatahubTask", **_from_dip_topic())["TaskId"]
    before = seeded.state.dump()
    assert failure(ckafka_client, "DeleteDatahubTopic", Name=DIP_TOPIC) == (
        "ResourceInUse",
        f"The DataHub topic `{DIP_TOPIC}` is used by DataHub task `{task_id}`; delete the "
        "task first (DeleteDatahubTask).",
    )
    assert seeded.state.dump() == before
    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    assert failure(ckafka_client, "DeleteDatahubTopic", Name=DIP_TOPIC)[0] == "ResourceInUse"
    seeded.state.configure(ready_after_seconds=5)
    seeded.clock.advance(5)  # the deletion finishes; no describe needed
    result(ckafka_client, "DeleteDatahubTopic", Name=DIP_TOPIC)
    assert seeded.state.datahub_topics() == []


def test_a_seeded_task_reads_a_seeded_datahub_topic(ckafka: CKafkaMock) -> None:
    from pytest_ckafka.exceptions import CKafkaUsageError

    source = {"Type": "TOPIC", "TopicParam": {"Resource": DIP_TOPIC}}
    with pytest.raises(CKafkaUsageError, match=r"seed it with state\.add_datahub_topic"):
        ckafka.state.add_datahub_task(source=source)
    ckafka.state.add_datahub_topic(DIP_TOPIC)
    task_id = ckafka.state.add_datahub_task(source=source)
    assert ckafka.state.datahub_task(task_id).source == source


def test_the_control_api_seeds_connections_and_tasks() -> None:
    from pytest_ckafka import CKafka
    from pytest_ckafka.server.control import handle_control

    fake = CKafka()
    seeds = [
        {"add": "connect_resource", "name": "db", "resource_type": "MYSQL",
         "params": {"Resource": "cdb-1", "Port": 3306}, "resource_id": "resource-db000001"},
        {"add": "datahub_task", "name": "db-in", "status": 6, "source": {
            "Type": "MYSQL", "MySQLParam": {"Database": "shop", "Table": "orders",
                                            "Resource": "resource-db000001"}}},
    ]  # fmt: skip
    answer = handle_control(fake, "POST", "/_ckafka/state", json.dumps(seeds).encode())
    assert answer.status == 200, answer.body
    (task,) = fake.state.datahub_tasks()
    assert (task.name, task.status, task.resource_ids) == ("db-in", 6, ["resource-db000001"])
    bad = [{"add": "datahub_task", "status": "paused"}]
    answer = handle_control(fake, "POST", "/_ckafka/state", json.dumps(bad).encode())
    assert answer.status == 400
    assert answer.body["error"] == 'seed[0].status: expected an integer, got a string "paused"'


@pytest.mark.parametrize(
    ("actions", "status"),
    [
        ([], 0),
        (["PauseDatahubTask"], 5),
        (["PauseDatahubTask", "describe", "ResumeDatahubTask"], 8),
        (["RestartDatahubTask"], 0),
    ],
)
def test_a_task_is_deleted_from_any_status_but_deleting(
    ckafka: CKafkaMock, ckafka_client: Any, actions: list[str], status: int
) -> None:
    ckafka.state.configure(ready_after_describes=1)
    if actions:
        task_id = ckafka.state.add_datahub_task()
    else:
        task_id = str(result(ckafka_client, "CreateDatahubTask", **_broken_sink(
            SourceResource={"Type": "HTTP"}, TaskType="SOURCE",
            TargetResource={"Type": "KAFKA", "KafkaParam": {"SelfBuilt": True, "Resource": "k"}},
        ))["TaskId"])  # fmt: skip
    for action in actions:
        if action == "describe":
            assert _status(ckafka_client, task_id) != status  # still moving
        else:
            result(ckafka_client, action, TaskId=task_id)
    assert ckafka.state.datahub_task(task_id).status == status
    result(ckafka_client, "DeleteDatahubTask", TaskId=task_id)
    assert ckafka.state.datahub_task(task_id).status == 2
