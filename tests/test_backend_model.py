"""Property test: random operation sequences against a simple model of the state.

Hypothesis drives the pure core (``CKafka.handle``) through CreateTopic,
DeleteTopic, CreatePartition, DeleteInstancePost and clock moves, and after
every step checks that DescribeTopic lists exactly the live topics (in creation
order, with the right TotalCount) and DescribeTopicAttributes the right
partition counts. Failed calls must answer the predicted code and change nothing.
A second machine drives one instance through ModifyInstancePre, DescribeTaskStatus,
IsolatedInstancePre and RenewCkafkaInstance, checking its status and spec after each.
Another drives consumer groups' offsets (CreateConsumer, BatchModifyGroupOffsets,
DeleteGroupSubscribeTopic, DeleteGroup, CreatePartition, produced messages).
The last drives named ACL rules (Create/Modify/DeleteAclRule, CreateTopic naming
one) against the ACLs DescribeACL lists and DescribeAclRule's topic counts.
Another drives DataHub tasks through create, pause, resume, restart, delete,
DescribeTaskStatus and clock moves, and checks after every step that
DescribeDatahubTasks lists every live task in the status the model predicts.
A last one drives routes and their security groups (CreateRoute, DeleteRoute,
Associate/DisassociateRoutesSecurityGroup, ModifyRouteSecurityGroups) against
DescribeSecurityGroupRoutes.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from pytest_ckafka import CKafka
from pytest_ckafka.backend.partitioner import key_partition

URL = "https://ckafka.tencentcloudapi.com/"
INSTANCE = "ckafka-model001"
NAMES = st.sampled_from(["orders", "payments", "audit", "clicks", "logs"])


def call(fake: CKafka, action: str, params: dict[str, Any]) -> dict[str, Any]:
    headers = {
        "Content-Type": "application/json",
        "X-TC-Action": action,
        "X-TC-Version": "2019-08-19",
        "X-TC-Region": "ap-guangzhou",
    }
    reply = fake.handle("POST", URL, headers, json.dumps(params).encode())
    response: dict[str, Any] = json.loads(reply.body)["Response"]
    return response


def code_of(response: dict[str, Any]) -> Optional[str]:
    error = response.get("Error")
    return None if error is None else str(error["Code"])


class TopicLifecycle(RuleBasedStateMachine):
    """The model: topic name -> (partitions, created at), in creation order."""

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.add_instance(INSTANCE, pay_mode="POSTPAID_BY_HOUR")
        self.topics: dict[str, tuple[int, float]] = {}
        self.now = self.fake.clock.now()

    @rule(name=NAMES, partitions=st.integers(min_value=1, max_value=4))
    def create_topic(self, name: str, partitions: int) -> None:
        params = {
            "InstanceId": INSTANCE,
            "TopicName": name,
            "PartitionNum": partitions,
            "ReplicaNum": 2,
        }
        response = call(self.fake, "CreateTopic", params)
        if name in self.topics:
            assert code_of(response) == "InvalidParameterValue.TopicNameAlreadyExist"
        else:
            assert code_of(response) is None, response
            assert response["Result"]["TopicId"].startswith("topic-")
            self.topics[name] = (partitions, self.now)

    @rule(name=NAMES)
    def delete_topic(self, name: str) -> None:
        response = call(self.fake, "DeleteTopic", {"InstanceId": INSTANCE, "TopicName": name})
        if name not in self.topics:
            assert code_of(response) == "ResourceNotFound"
        elif self.now - self.topics[name][1] < 60:
            assert code_of(response) == "UnsupportedOperation.FrequencyTopicDeleteOperate"
        else:
            assert code_of(response) is None, response
            del self.topics[name]

    @rule(name=NAMES, wanted=st.integers(min_value=1, max_value=6))
    def create_partition(self, name: str, wanted: int) -> None:
        params = {"InstanceId": INSTANCE, "TopicName": name, "PartitionNum": wanted}
        response = call(self.fake, "CreatePartition", params)
        if name not in self.topics:
            assert code_of(response) == "ResourceNotFound"
        elif wanted <= self.topics[name][0]:
            assert code_of(response) == "InvalidParameterValue"
        else:
            assert code_of(response) is None, response
            self.topics[name] = (wanted, self.topics[name][1])

    @rule()
    def delete_instance_with_topics(self) -> None:
        if not self.topics:
            return  # deleting it would end the machine's subject; covered elsewhere
        response = call(self.fake, "DeleteInstancePost", {"InstanceId": INSTANCE})
        assert code_of(response) == "ResourceInUse"

    @rule(seconds=st.sampled_from([0, 1, 30, 59, 60, 61, 120]))
    def advance(self, seconds: int) -> None:
        self.fake.clock.advance(seconds)
        self.now += seconds

    @invariant()
    def describe_lists_exactly_the_live_topics(self) -> None:
        response = call(self.fake, "DescribeTopic", {"InstanceId": INSTANCE, "Limit": 50})
        result = response["Result"]
        assert [t["TopicName"] for t in result["TopicList"]] == list(self.topics)
        assert result["TotalCount"] == len(self.topics)
        assert [t.name for t in self.fake.state.topics(INSTANCE)] == list(self.topics)

    @invariant()
    def partitions_match(self) -> None:
        for name, (partitions, _) in self.topics.items():
            params = {"InstanceId": INSTANCE, "TopicName": name}
            response = call(self.fake, "DescribeTopicAttributes", params)
            assert response["Result"]["PartitionNum"] == partitions


TopicLifecycle.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_topic_lifecycle_matches_the_model = TopicLifecycle.TestCase


# -- an instance's lifecycle: spec changes, isolation, renewal ----------------------------------

LIFECYCLE_INSTANCE = "ckafka-model002"
USED_PARTITIONS = 200
_FIELDS = {"BandWidth": "bandwidth", "DiskSize": "disk_size", "Partition": "partition_limit"}


class InstanceLifecycle(RuleBasedStateMachine):
    """The model: the spec, the status, and the pending change (FlowId, values, looks).

    A change completes at the first look after one that counted (a DescribeTaskStatus
    poll or a DescribeInstanceAttributes); any other call's check of the instance
    completes a change that is due without counting as a look.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.add_instance(LIFECYCLE_INSTANCE, pay_mode="PREPAID")
        self.fake.state.add_topic(LIFECYCLE_INSTANCE, "orders", partitions=USED_PARTITIONS)
        self.spec = {"bandwidth": 40, "disk_size": 500, "partition_limit": 800}
        self.status = 1
        self.pending: Optional[tuple[int, dict[str, int]]] = None
        self.looks = 0

    def _peek(self) -> None:
        if self.pending is not None and self.looks >= 1:
            self.spec.update(self.pending[1])
            self.pending, self.status = None, 1

    def _look(self) -> None:
        self._peek()
        if self.pending is not None:
            self.looks += 1

    @rule(
        bandwidth=st.sampled_from([None, 20, 40, 80]),
        disk=st.sampled_from([None, 500, 600, 650]),
        partitions=st.sampled_from([None, 100, 800, 1000]),
    )
    def modify(
        self, bandwidth: Optional[int], disk: Optional[int], partitions: Optional[int]
    ) -> None:
        sent = {"BandWidth": bandwidth, "DiskSize": disk, "Partition": partitions}
        values = {_FIELDS[k]: v for k, v in sent.items() if v is not None}
        params = {"InstanceId": LIFECYCLE_INSTANCE, **{k: v for k, v in sent.items() if v}}
        response = call(self.fake, "ModifyInstancePre", params)
        self._peek()
        if self.status != 1:
            assert code_of(response) == "ResourceUnavailable"
        elif disk == 650:
            assert code_of(response) == "InvalidParameterValue"
        elif not values:
            assert code_of(response) == "InvalidParameterValue.NotAllowedEmpty"
        elif values.get("partition_limit", USED_PARTITIONS) < USED_PARTITIONS:
            assert code_of(response) == "InvalidParameterValue"
        elif all(self.spec[f] == v for f, v in values.items()):
            assert code_of(response) == "InvalidParameterValue"
        else:
            assert code_of(response) is None, response
            self.pending = (response["Result"]["Data"]["FlowId"], values)
            self.status, self.looks = 7, 0

    @rule()
    def poll(self) -> None:
        if self.pending is None:
            return
        flow_id = self.pending[0]
        self._look()
        response = call(self.fake, "DescribeTaskStatus", {"FlowId": flow_id})
        assert response["Result"]["Status"] == (2 if self.pending else 0)

    @rule()
    def describe(self) -> None:
        self._look()
        response = call(self.fake, "DescribeInstanceAttributes", {"InstanceId": LIFECYCLE_INSTANCE})
        result = response["Result"]
        assert result["Status"] == self.status
        assert (result["Bandwidth"], result["DiskSize"]) == (
            self.spec["bandwidth"] * 8,
            self.spec["disk_size"],
        )

    @rule()
    def isolate(self) -> None:
        response = call(self.fake, "IsolatedInstancePre", {"InstanceId": LIFECYCLE_INSTANCE})
        self._peek()
        if self.status == 5:
            assert code_of(response) == "UnsupportedOperation"
        elif self.status == 7:
            assert code_of(response) == "ResourceUnavailable"
        else:
            assert code_of(response) is None, response
            self.status = 5

    @rule()
    def renew(self) -> None:
        response = call(self.fake, "RenewCkafkaInstance", {"InstanceId": LIFECYCLE_INSTANCE})
        self._peek()
        assert code_of(response) is None, response
        if self.status == 5:
            self.status = 1

    @invariant()
    def the_state_is_the_model(self) -> None:
        instance = self.fake.state.instance(LIFECYCLE_INSTANCE)
        assert instance.status == self.status
        assert {f: getattr(instance, f) for f in self.spec} == self.spec
        assert (instance.change is None) == (self.pending is None)


InstanceLifecycle.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_instance_lifecycle_matches_the_model = InstanceLifecycle.TestCase


DATAHUB_NAMES = st.sampled_from(["1300957330-orders", "1300957330-audit", "1300957330-logs"])
KEYS = st.sampled_from(["", "21", "foobar", "abc", "k"])


class DatahubTopicLifecycle(RuleBasedStateMachine):
    """The model: DataHub topic name -> the (key, body) messages sent, by partition.

    CreateDatahubTopic, DeleteDatahubTopic and SendMessage in any order; after
    every step DescribeDatahubTopics lists exactly the live topics (by name) and
    each partition, read with FetchLatestDatahubMessageList, holds what was sent
    there: keyed messages where Kafka's partitioner puts them, a keyless batch in
    the topic's next partition in turn.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.topics: dict[str, list[list[tuple[str, str]]]] = {}
        self.next_keyless: dict[str, int] = {}
        self.sent = 0

    @rule(name=DATAHUB_NAMES, partitions=st.integers(min_value=1, max_value=3))
    def create(self, name: str, partitions: int) -> None:
        params = {"Name": name, "PartitionNum": partitions, "RetentionMs": 60_000}
        response = call(self.fake, "CreateDatahubTopic", params)
        if name in self.topics:
            assert code_of(response) == "InvalidParameter.TopicExist"
        else:
            assert code_of(response) is None, response
            self.topics[name] = [[] for _ in range(partitions)]
            self.next_keyless[name] = 0

    @rule(name=DATAHUB_NAMES)
    def delete(self, name: str) -> None:
        response = call(self.fake, "DeleteDatahubTopic", {"Name": name})
        if name not in self.topics:
            assert code_of(response) == "ResourceNotFound"
        else:
            assert code_of(response) is None, response
            del self.topics[name], self.next_keyless[name]

    @rule(name=DATAHUB_NAMES, keys=st.lists(KEYS, min_size=1, max_size=4))
    def send(self, name: str, keys: list[str]) -> None:
        if name not in self.topics:
            return  # its DataHubId is unknown: covered by the family's tests
        datahub_id = self.fake.state.datahub_topic(name).datahub_id
        batch = []
        for key in keys:
            self.sent += 1
            batch.append({"Body": f"m{self.sent}", **({"Key": key} if key else {})})
        response = call(self.fake, "SendMessage", {"DataHubId": datahub_id, "Message": batch})
        assert code_of(response) is None, response
        partitions = self.topics[name]
        keyless = self.next_keyless[name]
        for item in batch:
            key = item.get("Key", "")
            number = key_partition(key, len(partitions)) if key else keyless
            partitions[number].append((key, item["Body"]))
        if any("Key" not in item for item in batch):
            self.next_keyless[name] = (keyless + 1) % len(partitions)

    @invariant()
    def describe_lists_exactly_the_live_topics(self) -> None:
        result = call(self.fake, "DescribeDatahubTopics", {"Limit": 100})["Result"]
        assert [t["Name"] for t in result["TopicList"]] == sorted(self.topics)
        assert result["TotalCount"] == len(self.topics)

    @invariant()
    def every_partition_holds_what_was_sent_there(self) -> None:
        for name, partitions in self.topics.items():
            for number, expected in enumerate(partitions):
                params = {"Name": name, "Partition": number, "Offset": 0, "MessageCount": 100}
                records = call(self.fake, "FetchLatestDatahubMessageList", params)["Result"]
                assert [(r["Key"], r["Value"]) for r in records] == expected


DatahubTopicLifecycle.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_datahub_topic_lifecycle_matches_the_model = DatahubTopicLifecycle.TestCase


GROUPS = st.sampled_from(["billing", "mailer", "audit"])


class GroupOffsetsLifecycle(RuleBasedStateMachine):
    """The model: group name -> committed offset per partition of ``orders`` (None: no
    subscription), and the number of messages in each partition.

    CreateConsumer, BatchModifyGroupOffsets, DeleteGroupSubscribeTopic, DeleteGroup,
    CreatePartition and produced messages in any order; after every step
    DescribeGroupOffsets answers each group's offsets and lag, and
    DescribeTopicSubscribeGroup exactly the subscribed groups. A failed call must
    answer the predicted code and change nothing.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.add_instance(INSTANCE)
        self.fake.state.add_topic(INSTANCE, "orders", partitions=2)
        self.logs = [0, 0]
        self.groups: dict[str, Optional[list[int]]] = {}

    def _call(self, action: str, **params: Any) -> Optional[str]:
        return code_of(call(self.fake, action, {"InstanceId": INSTANCE, **params}))

    @rule(partition=st.integers(min_value=0, max_value=3), count=st.integers(1, 3))
    def produce(self, partition: int, count: int) -> None:
        if partition < len(self.logs):
            self.fake.state.add_messages(INSTANCE, "orders", ["m"] * count, partition=partition)
            self.logs[partition] += count

    @rule(name=GROUPS)
    def create_consumer(self, name: str) -> None:
        code = self._call("CreateConsumer", GroupName=name, TopicName="orders")
        if name in self.groups:
            assert code == "InvalidParameterValue"
        else:
            assert code is None
            self.groups[name] = list(self.logs)  # the log end: nothing left to read

    @rule(
        name=GROUPS,
        partition=st.integers(min_value=0, max_value=3),
        offset=st.integers(min_value=0, max_value=8),
    )
    def batch_modify(self, name: str, partition: int, offset: int) -> None:
        code = self._call(
            "BatchModifyGroupOffsets",
            GroupName=name,
            TopicName=["orders"],
            Partitions=[{"Partition": partition, "Offset": offset}],
        )
        if name not in self.groups:
            assert code == "ResourceNotFound"
        elif partition >= len(self.logs):
            assert code == "InvalidParameterValue"
        else:
            assert code is None
            committed = self.groups[name] or [-1] * len(self.logs)
            committed[partition] = min(offset, self.logs[partition])
            self.groups[name] = committed

    @rule(name=GROUPS)
    def unsubscribe(self, name: str) -> None:
        code = self._call("DeleteGroupSubscribeTopic", Group=name, Topic="orders")
        if name not in self.groups:
            assert code == "ResourceNotFound"
        elif self.groups[name] is None:
            assert code == "FailedOperation"
        else:
            assert code is None
            self.groups[name] = None

    @rule(name=GROUPS)
    def delete_group(self, name: str) -> None:
        code = self._call("DeleteGroup", Group=name)
        if name not in self.groups:
            assert code == "ResourceNotFound"
        else:
            assert code is None
            del self.groups[name]

    @rule(wanted=st.integers(min_value=1, max_value=4))
    def create_partition(self, wanted: int) -> None:
        code = self._call("CreatePartition", TopicName="orders", PartitionNum=wanted)
        if wanted <= len(self.logs):
            assert code == "InvalidParameterValue"
        else:
            assert code is None
            added = wanted - len(self.logs)
            self.logs += [0] * added
            for committed in self.groups.values():
                if committed is not None:
                    committed += [-1] * added  # never committed to

    @invariant()
    def offsets_and_lag_are_the_model(self) -> None:
        for name, committed in self.groups.items():
            result = call(
                self.fake, "DescribeGroupOffsets", {"InstanceId": INSTANCE, "Group": name}
            )["Result"]
            if committed is None:
                assert result["TopicList"] == []
                continue
            (topic,) = result["TopicList"]
            assert [(p["Offset"], p["LogEndOffset"], p["Lag"]) for p in topic["Partitions"]] == [
                (offset, end, end - max(offset, 0)) for offset, end in zip(committed, self.logs)
            ]

    @invariant()
    def the_topic_lists_its_groups(self) -> None:
        params = {"InstanceId": INSTANCE, "TopicName": "orders"}
        result = call(self.fake, "DescribeTopicSubscribeGroup", params)["Result"]
        subscribed = [name for name, committed in self.groups.items() if committed is not None]
        assert [g["Group"] for g in result["GroupsInfo"]] == subscribed
        assert result["TotalCount"] == len(subscribed)


GroupOffsetsLifecycle.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_group_offsets_match_the_model = GroupOffsetsLifecycle.TestCase


# -- named ACL rules ---------------------------------------------------------------------

RULE_INSTANCE = "ckafka-model005"
RULE_NAMES = st.sampled_from(["r1", "r2"])
RULE_TOPICS = st.sampled_from(["orders", "ops", "pay", "audit"])
# AclRuleInfo entries and the (operation, permission, principal, host) ACL each makes.
RULE_ENTRIES = {
    "read": ({"Operation": "Read", "PermissionType": "Allow", "Host": "*", "Principal": "User:*"},
             (3, 3, "User:*", "*")),
    "deny": ({"Operation": "All", "PermissionType": "Deny", "Host": "10.0.0.9",
              "Principal": "User:*"}, (2, 2, "User:*", "10.0.0.9")),
}  # fmt: skip
Acl = tuple[str, int, int, str, str]


class AclRuleLifecycle(RuleBasedStateMachine):
    """The model: each rule's kind, prefix, IsApplied, entries and the topics it applies to.

    The ACLs DescribeACL lists must be the seeded one plus, for every live rule, its
    entries on each topic it applies to: deleting a rule takes away what no other rule
    (and no earlier ACL) also makes.
    """

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.add_instance(RULE_INSTANCE)
        self.fake.state.add_acl(RULE_INSTANCE, "orders", operation=3, permission_type=3)
        self.manual: set[Acl] = {("orders", 3, 3, "User:*", "*")}
        self.rules: dict[str, dict[str, Any]] = {}
        self.topics: list[str] = []

    @rule(
        name=RULE_NAMES,
        prefixed=st.booleans(),
        prefix=st.sampled_from(["o", "or", "p"]),
        is_applied=st.sampled_from([0, 1]),
        entries=st.sampled_from([["read"], ["read", "deny"]]),
    )
    def create_rule(
        self, name: str, prefixed: bool, prefix: str, is_applied: int, entries: list[str]
    ) -> None:
        params: dict[str, Any] = {
            "InstanceId": RULE_INSTANCE,
            "RuleName": name,
            "ResourceType": "Topic",
            "PatternType": "PREFIXED" if prefixed else "PRESET",
            "IsApplied": is_applied,
            "RuleList": [RULE_ENTRIES[e][0] for e in entries],
        }
        if prefixed:
            params["Pattern"] = prefix
        response = call(self.fake, "CreateAclRule", params)
        if name in self.rules:
            assert code_of(response) == "InvalidParameterValue.RepetitionValue"
            return
        assert code_of(response) is None, response
        applies = [t for t in self.topics if t.startswith(prefix)] if prefixed else []
        self.rules[name] = {
            "prefixed": prefixed,
            "prefix": prefix,
            "is_applied": is_applied,
            "entries": entries,
            "topics": applies,
        }

    @rule(name=RULE_NAMES, is_applied=st.sampled_from([0, 1]))
    def modify_rule(self, name: str, is_applied: int) -> None:
        params = {"InstanceId": RULE_INSTANCE, "RuleName": name, "IsApplied": is_applied}
        response = call(self.fake, "ModifyAclRule", params)
        if name not in self.rules:
            assert code_of(response) == "ResourceNotFound"
        elif self.rules[name]["prefixed"]:
            assert code_of(response) == "InvalidParameterValue"
        else:
            assert code_of(response) is None, response
            self.rules[name]["is_applied"] = is_applied

    @rule(name=RULE_NAMES)
    def delete_rule(self, name: str) -> None:
        response = call(self.fake, "DeleteAclRule", {"InstanceId": RULE_INSTANCE, "RuleName": name})
        if name not in self.rules:
            assert code_of(response) == "ResourceNotFound"
        else:
            assert code_of(response) is None, response
            del self.rules[name]

    @rule(topic=RULE_TOPICS, named=st.one_of(st.none(), RULE_NAMES))
    def create_topic(self, topic: str, named: Optional[str]) -> None:
        params: dict[str, Any] = {
            "InstanceId": RULE_INSTANCE,
            "TopicName": topic,
            "PartitionNum": 1,
            "ReplicaNum": 2,
        }
        if named is not None:
            params.update(EnableAclRule=1, AclRuleName=named)
        response = call(self.fake, "CreateTopic", params)
        if topic in self.topics:
            assert code_of(response) == "InvalidParameterValue.TopicNameAlreadyExist"
            return
        if named is not None and named not in self.rules:
            assert code_of(response) == "ResourceNotFound"
            return
        if named is not None and self.rules[named]["prefixed"]:
            assert code_of(response) == "InvalidParameterValue"
            return
        assert code_of(response) is None, response
        self.topics.append(topic)
        for name, model in self.rules.items():
            if (
                name == named
                or (model["prefixed"] and topic.startswith(model["prefix"]))
                or (not model["prefixed"] and model["is_applied"] == 1)
            ):
                model["topics"].append(topic)

    @invariant()
    def describe_acl_lists_what_the_rules_make(self) -> None:
        expected = set(self.manual)
        for model in self.rules.values():
            for topic in model["topics"]:
                expected |= {(topic, *RULE_ENTRIES[e][1]) for e in model["entries"]}
        params = {"InstanceId": RULE_INSTANCE, "ResourceType": 2, "Limit": 50}
        listed = call(self.fake, "DescribeACL", params)["Result"]["AclList"]
        got = [
            (a["ResourceName"], a["Operation"], a["PermissionType"], a["Principal"], a["Host"])
            for a in listed
        ]
        assert len(got) == len(set(got))  # each ACL once
        assert set(got) == expected

    @invariant()
    def describe_acl_rule_counts_the_topics(self) -> None:
        params = {"InstanceId": RULE_INSTANCE}
        listed = call(self.fake, "DescribeAclRule", params)["Result"]["AclRuleList"]
        assert {r["RuleName"]: r["TopicCount"] for r in listed} == {
            name: len(model["topics"]) for name, model in self.rules.items()
        }


AclRuleLifecycle.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_acl_rule_lifecycle_matches_the_model = AclRuleLifecycle.TestCase


# -- DataHub tasks: the status machine on the clock ----------------------------------------

SETTLE_AFTER = 30  # seconds; describes never settle a task here
TASK_NAMES = st.sampled_from(["ingest", "mirror"])
# action -> (the statuses it applies to, the transitional status it moves the task into)
MOVES = {
    "PauseDatahubTask": ((1,), 5),
    "ResumeDatahubTask": ((6,), 8),
    "RestartDatahubTask": ((1,), 0),
    "DeleteDatahubTask": ((0, 1, 5, 6, 8), 2),
}
SETTLES_TO = {0: 1, 5: 6, 8: 1, 2: None}  # None: the task is gone
TASK = {
    "TaskType": "SOURCE",
    "SourceResource": {"Type": "HTTP"},
    "TargetResource": {"Type": "KAFKA", "KafkaParam": {"SelfBuilt": True, "Resource": "k"}},
}


class DatahubTaskLifecycle(RuleBasedStateMachine):
    """The model: task name -> [TaskId, Status, when the status began], in creation order."""

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.configure(ready_after_describes=10**9, ready_after_seconds=SETTLE_AFTER)
        self.tasks: dict[str, list[Any]] = {}
        self.now = self.fake.clock.now()

    def settle(self) -> None:
        for name, (_, status, since) in list(self.tasks.items()):
            if status in SETTLES_TO and self.now >= since + SETTLE_AFTER:
                after = SETTLES_TO[status]
                if after is None:
                    del self.tasks[name]
                else:
                    self.tasks[name][1:] = [after, self.now]

    @initialize()
    def two_running_tasks(self) -> None:
        # Start where the machine is interesting: both names taken, running.
        for name in ("ingest", "mirror"):
            self.create(name)
        self.advance(SETTLE_AFTER)

    @rule(name=TASK_NAMES)
    def create(self, name: str) -> None:
        self.settle()
        response = call(self.fake, "CreateDatahubTask", {"TaskName": name, **TASK})
        if name in self.tasks:
            assert code_of(response) == "InvalidParameterValue.RepetitionValue"
        else:
            assert code_of(response) is None, response
            self.tasks[name] = [response["Result"]["TaskId"], 0, self.now]

    @rule(name=TASK_NAMES, action=st.sampled_from(sorted(MOVES)))
    def move(self, name: str, action: str) -> None:
        self.settle()
        known = self.tasks.get(name)
        task_id = known[0] if known else f"task-{name}"
        response = call(self.fake, action, {"TaskId": task_id})
        allowed, into = MOVES[action]
        if known is None:
            assert code_of(response) == "ResourceNotFound"
        elif known[1] not in allowed:
            assert code_of(response) == "FailedOperation", (action, known, response)
        else:
            assert code_of(response) is None, response
            known[1:] = [into, self.now]

    @rule(name=TASK_NAMES)
    def poll_flow(self, name: str) -> None:
        self.settle()
        if name not in self.tasks:
            return
        task_id, status, _ = self.tasks[name]
        flow = self.fake.state.datahub_task(task_id).flow_id
        response = call(self.fake, "DescribeTaskStatus", {"FlowId": flow})
        assert response["Result"]["Status"] == (2 if status in SETTLES_TO else 0)

    @rule(seconds=st.sampled_from([10, 29, 30, 30, 30, 31]))
    def advance(self, seconds: int) -> None:
        self.fake.clock.advance(seconds)
        self.now += seconds

    @invariant()
    def the_list_shows_every_live_task_in_its_status(self) -> None:
        self.settle()
        response = call(self.fake, "DescribeDatahubTasks", {"Limit": 100})
        listed = [(t["TaskName"], t["Status"]) for t in response["Result"]["TaskList"]]
        assert listed == [(name, status) for name, (_, status, _) in self.tasks.items()]
        assert response["Result"]["TotalCount"] == len(self.tasks)


DatahubTaskLifecycle.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_datahub_task_lifecycle_matches_the_model = DatahubTaskLifecycle.TestCase


# -- routes and their security groups -----------------------------------------------------------

ROUTES_INSTANCE = "ckafka-model004"
GROUP_IDS = st.sampled_from([f"sg-0000000{n}" for n in range(7)])


class RouteSecurityGroupLifecycle(RuleBasedStateMachine):
    """The model: RouteId -> its security groups, in order (RouteId 0: the instance's own)."""

    def __init__(self) -> None:
        super().__init__()
        self.fake = CKafka()
        self.fake.state.add_instance(ROUTES_INSTANCE)
        self.routes: dict[int, list[str]] = {0: []}
        self.subnets = iter(range(10_000))

    def _ids(self) -> st.SearchStrategy[int]:
        """A route the model knows, or one it does not."""
        known = sorted(self.routes)
        return st.sampled_from([*known, max(known) + 1000])

    def _pick(self, data: st.DataObject) -> int:
        return data.draw(self._ids())

    @rule()
    def create_route(self) -> None:
        params = {
            "InstanceId": ROUTES_INSTANCE,
            "VipType": 3,
            "AccessType": 0,
            "VpcId": "vpc-model004",
            "SubnetId": f"subnet-{next(self.subnets):08d}",
        }
        response = call(self.fake, "CreateRoute", params)
        if len(self.routes) - 1 >= 5:
            assert code_of(response) == "LimitExceeded.RouteOverLimit"
        else:
            assert code_of(response) is None, response
            self.routes[response["Result"]["Data"]["RouteDTO"]["RouteId"]] = []

    @rule(data=st.data())
    def delete_route(self, data: st.DataObject) -> None:
        route_id = self._pick(data)
        response = call(
            self.fake, "DeleteRoute", {"InstanceId": ROUTES_INSTANCE, "RouteId": route_id}
        )
        if route_id == 0:
            assert code_of(response) == "UnsupportedOperation"
        elif route_id not in self.routes:
            assert code_of(response) == "ResourceNotFound"
        else:
            assert code_of(response) is None, response
            del self.routes[route_id]

    @rule(data=st.data(), group=GROUP_IDS, bind=st.booleans())
    def associate_or_disassociate(self, data: st.DataObject, group: str, bind: bool) -> None:
        route_ids = data.draw(st.lists(self._ids(), min_size=1, max_size=3))
        action = "AssociateRoutesSecurityGroup" if bind else "DisassociateRoutesSecurityGroup"
        pairs = [{"InstanceId": ROUTES_INSTANCE, "RouteId": r} for r in route_ids]
        response = call(self.fake, action, {"InstanceRoutes": pairs, "SecurityGroupId": group})
        if any(r not in self.routes for r in route_ids):
            assert code_of(response) == "ResourceNotFound"
            return
        full = [r for r in route_ids if group not in self.routes[r] and len(self.routes[r]) >= 5]
        if bind and full:
            assert code_of(response) == "LimitExceeded"
            return
        assert code_of(response) is None, response
        for route_id in dict.fromkeys(route_ids):
            groups = self.routes[route_id]
            if bind and group not in groups:
                groups.append(group)
            if not bind and group in groups:
                groups.remove(group)

    @rule(data=st.data(), groups=st.lists(GROUP_IDS, max_size=6, unique=True))
    def modify(self, data: st.DataObject, groups: list[str]) -> None:
        route_id = self._pick(data)
        named = {"InstanceId": ROUTES_INSTANCE, "RouteId": route_id}
        params = {"InstanceRoute": named, "SecurityGroupIds": groups}
        response = call(self.fake, "ModifyRouteSecurityGroups", params)
        if len(groups) > 5:
            assert code_of(response) == "LimitExceeded"
        elif route_id not in self.routes:
            assert code_of(response) == "ResourceNotFound"
        else:
            assert code_of(response) is None, response
            self.routes[route_id] = list(groups)

    @invariant()
    def describe_lists_every_route_with_its_groups(self) -> None:
        response = call(self.fake, "DescribeSecurityGroupRoutes", {"Limit": 50})
        listed = {
            r["InstanceRoute"]["RouteId"]: r["SecurityGroupIds"]
            for r in response["Result"]["SecurityGroupRoutes"]
        }
        assert listed == self.routes
        assert response["Result"]["TotalCount"] == len(self.routes)


RouteSecurityGroupLifecycle.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_route_security_groups_match_the_model = RouteSecurityGroupLifecycle.TestCase
