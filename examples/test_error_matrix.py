"""Proving that topic_manager.py handles every CKafka error code and transport fault.

``ckafka.assert_handles(code, call)`` injects ``code`` into the calls ``call()`` makes
and checks the outcome against the handling policy (``pytest_ckafka/_data/policy.json``):

- a ``retry`` code answers the first 2 attempts, then the stateful backend answers (the
  instance and topics ``conftest.py`` seeds): ``call()`` must return after exactly 3
  attempts, and a delete really deletes;
- a ``raise`` code answers every attempt: ``call()`` must raise after 1 attempt, with the
  Code and the RequestId reachable from the exception (or from the log).

A test that asks for ``ckafka_error_code`` runs once per catalog code (60), one that asks
for ``ckafka_fault`` once per fault kind (5). Backoff sleeps are recorded, not slept: the
0.5 s + 1 s the manager waits before each retry of a code cost no time.
Run: ``pytest examples/test_error_matrix.py``.
"""

from __future__ import annotations

import pytest
from topic_manager import AsyncTopicManager, TopicManager, TopicManagerError

INSTANCE = "ckafka-abc12345"  # seeded by conftest.py with topics orders and orders-dlq


@pytest.fixture
def manager(ckafka_client):
    # No sleep= injected: the manager calls time.sleep, which assert_handles records.
    return TopicManager(ckafka_client)


@pytest.fixture
def async_manager(ckafka_client_async):
    return AsyncTopicManager(ckafka_client_async)


# -- every error code: 60 runs per test --------------------------------------------------


def test_delete_topic_handles(ckafka, manager, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: manager.delete_topic(INSTANCE, "orders"))


def test_async_delete_topic_handles(ckafka, async_manager, ckafka_error_code):
    # call() may return a coroutine: assert_handles runs it to completion.
    ckafka.assert_handles(ckafka_error_code, lambda: async_manager.delete_topic(INSTANCE, "orders"))


def test_list_topics_handles(ckafka, manager, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: manager.list_topics(INSTANCE))


def test_async_list_topics_handles(ckafka, async_manager, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: async_manager.list_topics(INSTANCE))


# -- every transport fault: timeout, connection_error, http_status (retried), ----------
# -- malformed_json and wrong_content_type (raised) ----------------------------------------


def test_delete_topic_handles_fault(ckafka, manager, ckafka_fault):
    ckafka.assert_handles(ckafka_fault, lambda: manager.delete_topic(INSTANCE, "orders"))


def test_async_delete_topic_handles_fault(ckafka, async_manager, ckafka_fault):
    ckafka.assert_handles(ckafka_fault, lambda: async_manager.delete_topic(INSTANCE, "orders"))


def test_list_topics_handles_fault(ckafka, manager, ckafka_fault):
    ckafka.assert_handles(ckafka_fault, lambda: manager.list_topics(INSTANCE))


def test_async_list_topics_handles_fault(ckafka, async_manager, ckafka_fault):
    ckafka.assert_handles(ckafka_fault, lambda: async_manager.list_topics(INSTANCE))


def test_an_unreadable_answer_is_raised_with_its_request_id(ckafka, manager):
    # wrong_content_type: the SDK returns an empty model instead of raising; the manager
    # notices the missing Result and raises, keeping the RequestId of that answer.
    ckafka.assert_handles("wrong_content_type", lambda: manager.list_topics(INSTANCE))

    with pytest.raises(TopicManagerError) as excinfo:
        ckafka.fault("DescribeTopic", "wrong_content_type")
        manager.list_topics(INSTANCE)
    assert excinfo.value.code == "InvalidResponse"
    assert excinfo.value.request_id == ckafka.calls[-1].request_id


# -- narrowing the matrix, and stricter checks -------------------------------------------


@pytest.mark.ckafka_error_codes(action="DeleteTopic")
def test_delete_topic_handles_its_documented_codes(ckafka, manager, ckafka_error_code):
    # The common codes plus those the API reference lists for DeleteTopic (48, not 60).
    # raises= demands the manager's own error; backoff= demands sleeps between retries.
    ckafka.assert_handles(
        ckafka_error_code,
        lambda: manager.delete_topic(INSTANCE, "orders"),
        action="DeleteTopic",
        raises=TopicManagerError,
        backoff=True,
    )


def test_backoff_is_recorded_not_slept(ckafka, ckafka_clock, manager):
    verdict = ckafka.assert_handles(
        "RequestLimitExceeded.UinLimitExceeded",
        lambda: manager.delete_topic(INSTANCE, "orders"),
        attempts=3,  # 3 throttled answers, then success: 4 attempts
    )

    assert verdict.attempts == 4
    assert verdict.sleeps == (0.5, 1.0, 2.0)  # exponential, and no real second went by
    assert ckafka_clock.sleeps == [0.5, 1.0, 2.0]
    assert [topic.name for topic in ckafka.state.topics(INSTANCE)] == ["orders-dlq"]


# -- the whole matrix in one test --------------------------------------------------------


def test_the_whole_delete_topic_matrix_at_once(ckafka, manager):
    def delete_orders():
        # A retried code ends with a real delete; check_error_handling puts the
        # state back before each code, so every code starts with the topic in place.
        manager.delete_topic(INSTANCE, "orders")

    report = ckafka.check_error_handling(delete_orders, action="DeleteTopic")
    print(report.table())  # pytest -s shows it: code, expected, observed, verdict

    assert report.ok and len(report) == 48 + 5  # DeleteTopic's codes and the 5 faults
    by_code = {verdict.code: verdict for verdict in report}
    assert by_code["ResourceInUse"].observed == "retried 2×, then succeeded"
    assert by_code["AuthFailure.SignatureFailure"].observed == "raised TopicManagerError"
    assert by_code["timeout"].attempts == 3
    assert by_code["malformed_json"].attempts == 1
