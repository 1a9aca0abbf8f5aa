"""Testing topic_manager.py with pytest-ckafka, as a user of the plugin would.

The ``ckafka`` fixture answers every CKafka call the official SDK makes. Topic calls are
answered by its stateful backend, from the instance and topics ``conftest.py`` seeds
(``ckafka.state``), as the real service would; a test stubs only what it wants to force
(``ckafka.respond``/``fail``/``fault`` win over the state) and reads ``ckafka.calls`` and
``ckafka.state`` afterwards. Run: ``pytest examples``.
"""

from __future__ import annotations

from typing import Any

import pytest
from topic_manager import AsyncTopicManager, TopicManager, TopicManagerError, is_transient

import pytest_ckafka

INSTANCE = "ckafka-abc12345"  # seeded by conftest.py with topics orders and orders-dlq


def topics(*names: str, total: int | None = None) -> dict[str, Any]:
    """A DescribeTopic body listing ``names`` (TotalCount defaults to how many there are)."""
    topic_list = [{"TopicName": name, "TopicId": f"topic-{name}", "Note": ""} for name in names]
    total = len(names) if total is None else total
    return {"Result": {"TotalCount": total, "TopicList": topic_list}}


def topic_names(ckafka: Any) -> list[str]:
    """The topics the fake instance holds now, in creation order."""
    return [topic.name for topic in ckafka.state.topics(INSTANCE)]


@pytest.fixture
def sleeps() -> list[float]:
    """The backoff delays the manager asked for, instead of really sleeping."""
    return []


@pytest.fixture
def manager(ckafka_client: Any, sleeps: list[float]) -> TopicManager:
    return TopicManager(ckafka_client, sleep=sleeps.append, page_size=2)


@pytest.fixture
def async_manager(ckafka_client_async: Any, sleeps: list[float]) -> AsyncTopicManager:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return AsyncTopicManager(ckafka_client_async, sleep=sleep, page_size=2)


# -- happy paths, answered from the seeded state -------------------------------------


def test_list_topics_lists_the_instance_topics(ckafka, manager):
    assert manager.list_topics(INSTANCE) == ["orders", "orders-dlq"]

    ckafka.assert_called("DescribeTopic", times=1, params={"InstanceId": INSTANCE, "Limit": 2})


def test_list_topics_pages_through_the_state(ckafka, manager):
    for name in ("payments", "refunds", "shipments"):
        ckafka.state.add_topic(INSTANCE, name)

    assert manager.list_topics(INSTANCE) == [
        "orders",
        "orders-dlq",
        "payments",
        "refunds",
        "shipments",
    ]

    assert [call.params["Offset"] for call in ckafka.calls] == [0, 2, 4]  # page_size=2


def test_ensure_topic_creates_a_missing_topic(ckafka, manager):
    # SearchWord is fuzzy: "payments-dlq" comes back, but "payments" does not exist yet.
    ckafka.state.add_topic(INSTANCE, "payments-dlq")

    assert manager.ensure_topic(INSTANCE, "payments", partitions=3, replicas=2) is True

    ckafka.assert_called("DescribeTopic", times=1, params={"SearchWord": "payments"})
    ckafka.assert_called(
        "CreateTopic",
        times=1,
        params={
            "InstanceId": INSTANCE,
            "TopicName": "payments",
            "PartitionNum": 3,
            "ReplicaNum": 2,
        },
    )
    created = ckafka.state.topic(INSTANCE, "payments")
    assert (created.partition_num, created.replica_num) == (3, 2)


def test_ensure_topic_skips_an_existing_topic(ckafka, manager):
    # DescribeTopic(SearchWord="orders") answers orders and orders-dlq: orders exists.
    assert manager.ensure_topic(INSTANCE, "orders", partitions=3, replicas=2) is False

    ckafka.assert_not_called("CreateTopic")


def test_a_topic_lives_from_create_to_delete(ckafka, manager):
    assert manager.ensure_topic(INSTANCE, "payments", partitions=3, replicas=2) is True
    assert manager.ensure_topic(INSTANCE, "payments", partitions=3, replicas=2) is False
    assert manager.list_topics(INSTANCE) == ["orders", "orders-dlq", "payments"]

    # As on the real service, a new topic cannot be deleted within its first minute,
    # and that is not an error worth retrying.
    with pytest.raises(TopicManagerError) as excinfo:
        manager.delete_topic(INSTANCE, "payments")
    assert excinfo.value.code == "UnsupportedOperation.FrequencyTopicDeleteOperate"

    ckafka.clock.advance(60)  # the fake clock: no real waiting
    manager.delete_topic(INSTANCE, "payments")

    assert manager.list_topics(INSTANCE) == ["orders", "orders-dlq"]
    assert topic_names(ckafka) == ["orders", "orders-dlq"]


# -- happy paths, stubbed ------------------------------------------------------------


def test_list_topics_pages_until_total_count(ckafka, manager):
    # A stub wins over the state: times=1 stubs answer one call each, in the order they
    # were registered.
    ckafka.respond("DescribeTopic", topics("a", "b", total=5), times=1)
    ckafka.respond("DescribeTopic", topics("c", "d", total=5), times=1)
    ckafka.respond("DescribeTopic", topics("e", total=5), times=1)

    assert manager.list_topics(INSTANCE) == ["a", "b", "c", "d", "e"]

    assert [call.params["Offset"] for call in ckafka.calls] == [0, 2, 4]
    ckafka.assert_called("DescribeTopic", times=3, params={"InstanceId": INSTANCE, "Limit": 2})


@pytest.mark.ckafka(strict=True)
def test_delete_topic_makes_exactly_one_call(ckafka, manager):
    # Strict mode: only the stubs answer; any other call (even one the stateful backend
    # implements) fails the test instead of getting an answer nobody set up.
    ckafka.respond("DeleteTopic", params={"InstanceId": INSTANCE, "TopicName": "orders"})

    manager.delete_topic(INSTANCE, "orders")

    assert [call.action for call in ckafka.calls] == ["DeleteTopic"]


# -- API errors ----------------------------------------------------------------------


@pytest.mark.parametrize("code", pytest_ckafka.error_codes())
def test_retry_policy_agrees_with_the_error_catalog(code):
    assert is_transient(code) is pytest_ckafka.ERROR_CODES[code].retryable


@pytest.mark.parametrize("code", pytest_ckafka.error_codes(action="DeleteTopic", retryable=True))
def test_delete_retries_transient_errors(ckafka, manager, sleeps, code):
    ckafka.fail("DeleteTopic", code, times=2)

    manager.delete_topic(INSTANCE, "orders")

    ckafka.assert_called("DeleteTopic", times=3)
    assert [call.error_code for call in ckafka.calls] == [code, code, None]
    assert sleeps == [0.5, 1.0]  # exponential backoff
    assert topic_names(ckafka) == ["orders-dlq"]  # the third attempt deleted it


@pytest.mark.parametrize("code", pytest_ckafka.error_codes(action="DeleteTopic", retryable=False))
def test_delete_reports_permanent_errors(ckafka, manager, sleeps, code):
    ckafka.fail("DeleteTopic", code)

    with pytest.raises(TopicManagerError) as excinfo:
        manager.delete_topic(INSTANCE, "orders")

    error, call = excinfo.value, ckafka.calls[-1]
    assert (error.code, error.request_id) == (code, call.request_id)
    assert code in str(error) and call.request_id in str(error)
    ckafka.assert_called("DeleteTopic", times=1)
    assert sleeps == []
    assert topic_names(ckafka) == ["orders", "orders-dlq"]  # nothing was deleted


def test_delete_gives_up_after_max_attempts(ckafka, manager, sleeps):
    ckafka.fail("DeleteTopic", "RequestLimitExceeded")  # no times=: every call fails

    with pytest.raises(TopicManagerError, match="RequestLimitExceeded"):
        manager.delete_topic(INSTANCE, "orders")

    ckafka.assert_called("DeleteTopic", times=4)
    assert sleeps == [0.5, 1.0, 2.0]


# -- transport faults ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["timeout", "connection_error", "http_status"])
def test_network_faults_are_retried(ckafka, manager, sleeps, kind):
    ckafka.fault("DescribeTopic", kind, times=1)
    ckafka.respond("DescribeTopic", topics("orders"))

    assert manager.list_topics(INSTANCE) == ["orders"]

    assert ckafka.calls[0].error_code.startswith("fault:")  # e.g. "fault:timeout"
    ckafka.assert_called("DescribeTopic", times=2)
    assert sleeps == [0.5]


@pytest.mark.parametrize(
    ("kind", "code"),
    [("malformed_json", "JSONDecodeError"), ("wrong_content_type", "InvalidResponse")],
)
def test_unreadable_answers_are_errors_not_retried(ckafka, manager, kind, code):
    ckafka.fault("DescribeTopic", kind)

    with pytest.raises(TopicManagerError) as excinfo:
        manager.list_topics(INSTANCE)

    assert excinfo.value.code == code
    ckafka.assert_called("DescribeTopic", times=1)


# -- the async manager, side by side -------------------------------------------------


async def test_async_list_topics_pages_until_total_count(ckafka, async_manager):
    ckafka.respond("DescribeTopic", topics("a", "b", total=3), times=1)
    ckafka.respond("DescribeTopic", topics("c", total=3), times=1)

    assert await async_manager.list_topics(INSTANCE) == ["a", "b", "c"]

    assert [call.params["Offset"] for call in ckafka.calls] == [0, 2]


async def test_async_ensure_topic_creates_a_missing_topic(ckafka, async_manager):
    # DescribeTopic(SearchWord="payments") finds nothing in the seeded instance.
    assert await async_manager.ensure_topic(INSTANCE, "payments", partitions=3, replicas=2)

    ckafka.assert_called("CreateTopic", times=1, params={"TopicName": "payments"})
    assert topic_names(ckafka) == ["orders", "orders-dlq", "payments"]


@pytest.mark.parametrize("code", pytest_ckafka.error_codes(action="DeleteTopic", retryable=True))
async def test_async_delete_retries_transient_errors(ckafka, async_manager, sleeps, code):
    ckafka.fail("DeleteTopic", code, times=2)

    await async_manager.delete_topic(INSTANCE, "orders")

    ckafka.assert_called("DeleteTopic", times=3)
    assert sleeps == [0.5, 1.0]
    assert topic_names(ckafka) == ["orders-dlq"]


@pytest.mark.parametrize("code", pytest_ckafka.error_codes(action="DeleteTopic", retryable=False))
async def test_async_delete_reports_permanent_errors(ckafka, async_manager, code):
    ckafka.fail("DeleteTopic", code)

    with pytest.raises(TopicManagerError) as excinfo:
        await async_manager.delete_topic(INSTANCE, "orders")

    assert excinfo.value.code == code
    assert excinfo.value.request_id == ckafka.calls[-1].request_id


@pytest.mark.parametrize("kind", ["timeout", "connection_error", "http_status"])
async def test_async_network_faults_are_retried(ckafka, async_manager, sleeps, kind):
    ckafka.fault("DescribeTopic", kind, times=1)
    ckafka.respond("DescribeTopic", topics("orders"))

    assert await async_manager.list_topics(INSTANCE) == ["orders"]

    ckafka.assert_called("DescribeTopic", times=2)
    assert sleeps == [0.5]
