"""Stubs: the order they answer in, times accounting, params matching, descriptions."""

from __future__ import annotations

import threading

from pytest_ckafka.fake.core import stub_slots
from pytest_ckafka.fake.stubs import Slot, Stub, StubRegistry, params_match


def test_params_match_is_a_recursive_subset() -> None:
    actual = {"InstanceId": "i", "Config": {"Retention": 3, "CleanUp": "delete"}, "Limit": 5}
    assert params_match({"Config": {"Retention": 3}}, actual)
    assert not params_match({"Config": {"Retention": 4}}, actual)
    assert not params_match({"Missing": 1}, actual)
    assert params_match({}, actual)


def test_take_prefers_the_action_then_star_and_counts() -> None:
    registry = StubRegistry()
    star = registry.add(Stub("*", "fail", code="InternalError"))
    once = registry.add(Stub("DeleteTopic", "fail", code="ResourceInUse", times=1))
    assert registry.take(stub_slots("DeleteTopic"), {}) is once
    assert registry.take(stub_slots("DeleteTopic"), {}) is star
    assert registry.take(stub_slots("DescribeTopic"), {}) is star
    assert (once.used, once.exhausted, star.used) == (1, True, 2)
    assert registry.unused() == []


def test_take_searches_the_slots_in_the_order_given() -> None:
    registry = StubRegistry()
    own = registry.add(Stub("DeleteTopic", "fail", code="ResourceInUse"))
    injected = registry.add(Stub("*", "fail", code="InternalError", injected=True))
    assert registry.take(stub_slots("DeleteTopic"), {}) is injected  # injected codes first
    assert registry.take([Slot("DeleteTopic", injected=False)], {}) is own
    assert registry.take([Slot("DeleteTopic", injected=True)], {}) is None
    assert registry.take([], {}) is None


def test_times_are_exact_under_threads() -> None:
    registry = StubRegistry()
    stub = registry.add(Stub("DeleteTopic", "fail", code="ResourceInUse", times=500))
    taken: list[object] = []

    def worker() -> None:
        for _ in range(100):
            taken.append(registry.take(stub_slots("DeleteTopic"), {}))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert taken.count(stub) == 500
    assert taken.count(None) == 300


def test_describe_names_the_registration() -> None:
    stub = Stub("DeleteTopic", "fault", fault="timeout", times=2, params={"TopicName": "t"})
    assert stub.describe() == (
        "fault('DeleteTopic', 'timeout', params={'TopicName': 't'}, times=2) [used 0 of 2]"
    )
    long_body = '{"Result":{"TopicList":[' + "1," * 40 + "1]}}"
    assert Stub("DescribeTopic", "respond", body_json=long_body).describe() == (
        "respond('DescribeTopic', "
        '{"Result":{"TopicList":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,... (108 characters)) '
        "[used 0]"
    )
