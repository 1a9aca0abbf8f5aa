"""Property test: random operation sequences against a simple model of the state.

Hypothesis drives the pure core (``CKafka.handle``) through CreateTopic,
DeleteTopic, CreatePartition, DeleteInstancePost and clock moves, and after
every step checks that DescribeTopic lists exactly the live topics (in creation
order, with the right TotalCount) and DescribeTopicAttributes the right
partition counts. Failed calls must answer the predicted code and change nothing.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pytest_ckafka import CKafka

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
