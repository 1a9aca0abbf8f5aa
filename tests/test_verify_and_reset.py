"""``ckafka.reset()`` and ``ckafka.verify()`` do what their names say, seen from a test.

``reset()`` forgets stubs and calls and keeps the seeded resources
(``reset(state=True)`` forgets those too); a problem ``verify()`` raised to the
test is consumed, so teardown does not raise it a second time, while a problem
the code under test swallowed still fails the test at teardown.
"""

from __future__ import annotations

import re

import pytest

import pytest_ckafka
from pytest_ckafka import UnusedStubsError

SDK = """
import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

from pytest_ckafka import CassetteMissError, UnmatchedCallError, UnusedStubsError


def describe_topic(client):
    request = models.DescribeTopicRequest()
    request.InstanceId = "ckafka-1"
    return client.DescribeTopic(request)


def swallowed(client):
    try:
        describe_topic(client)
    except TencentCloudSDKException:
        pass  # the code under test hides the failure
"""

STRICT_MISS = "pytest-ckafka strict mode: no stub answers DescribeTopic"


def _e_lines(result: pytest.RunResult, start: str) -> list[str]:
    """The ``E`` lines of the report that start with ``start`` (after ``E`` and the type)."""
    pattern = re.compile(r"^E\s+(?:[\w.]+: )?(" + re.escape(start) + ".*)$")
    return [m.group(1) for m in map(pattern.match, result.outlines) if m]


# -- reset ----------------------------------------------------------------------------------


def test_reset_forgets_stubs_and_calls_and_keeps_the_state(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

def test_phases(ckafka, ckafka_client):
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders")
    ckafka.fail("DescribeTopic", "InternalError", times=1)
    with pytest.raises(TencentCloudSDKException):
        describe_topic(ckafka_client)

    ckafka.reset()
    assert ckafka.stubs == [] and len(ckafka.calls) == 0
    assert [t.name for t in ckafka.state.topics("ckafka-1")] == ["orders"]
    assert describe_topic(ckafka_client).Result.TotalCount == 1

    ckafka.reset(state=True)
    assert ckafka.state.instances() == [] and len(ckafka.calls) == 0
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_calls_clear_forgets_only_the_call_log(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

def test_clear_the_log(ckafka, ckafka_client):
    ckafka.state.add_instance("ckafka-1")
    stub = ckafka.respond("DescribeTopic", {"Result": {"TotalCount": 7, "TopicList": []}})
    describe_topic(ckafka_client)
    ckafka.calls.clear()
    assert len(ckafka.calls) == 0 and ckafka.stubs == [stub]
    assert [i.instance_id for i in ckafka.state.instances()] == ["ckafka-1"]
    assert describe_topic(ckafka_client).Result.TotalCount == 7
    ckafka.assert_called("DescribeTopic", times=1)
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_reset_forgets_pending_teardown_problems_but_not_the_state() -> None:
    with pytest_ckafka.mock(strict=True) as fake:
        fake.state.add_instance("ckafka-1")
        fake.fail("DeleteTopic", "ResourceInUse", times=1)
        fake.reset()
        assert [i.instance_id for i in fake.state.instances()] == ["ckafka-1"]
    # __exit__ verified: the unused stub was forgotten, so nothing was raised.


# -- verify: a problem raised to the test is consumed ---------------------------------------


def test_a_strict_miss_checked_with_pytest_raises_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.ckafka(strict=True)
def test_expects_the_miss(ckafka, ckafka_client):
    swallowed(ckafka_client)
    with pytest.raises(UnmatchedCallError, match="no stub answers DescribeTopic"):
        ckafka.verify()
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert _e_lines(result, STRICT_MISS) == []


def test_a_verify_in_a_fixture_fails_the_test_once(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.fixture
def checked(ckafka):
    yield ckafka
    ckafka.verify()


@pytest.mark.ckafka(strict=True)
def test_swallows(checked, ckafka_client):
    swallowed(ckafka_client)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    assert _e_lines(result, STRICT_MISS) == [f'{STRICT_MISS} {{"InstanceId": "ckafka-1"}}']
    result.stdout.no_fnmatch_line("*ExceptionGroup*")


def test_a_verify_that_fails_the_test_is_not_raised_again(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.ckafka(strict=True)
def test_verifies(ckafka, ckafka_client):
    swallowed(ckafka_client)
    ckafka.verify()
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    assert _e_lines(result, STRICT_MISS) == [f'{STRICT_MISS} {{"InstanceId": "ckafka-1"}}']


def test_a_miss_the_code_swallowed_still_fails_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.ckafka(strict=True)
def test_swallows(ckafka, ckafka_client):
    swallowed(ckafka_client)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    assert _e_lines(result, STRICT_MISS) == [f'{STRICT_MISS} {{"InstanceId": "ckafka-1"}}']


def test_only_what_verify_raised_is_consumed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.ckafka(strict=True)
def test_two_misses(ckafka, ckafka_client):
    swallowed(ckafka_client)
    with pytest.raises(UnmatchedCallError):
        ckafka.verify()
    ckafka.respond("DescribeTopic", times=2)
    describe_topic(ckafka_client)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    assert _e_lines(result, "1 CKafka stub was") == [
        "1 CKafka stub was registered with times=N but not used up:"
    ]
    assert _e_lines(result, "respond(") == ["respond('DescribeTopic', times=2) [used 1 of 2]"]
    assert _e_lines(result, STRICT_MISS) == []


def test_unused_stubs_checked_with_pytest_raises_pass(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

def test_expects_unused(ckafka):
    ckafka.fail("DeleteTopic", "ResourceInUse", times=1)
    with pytest.raises(UnusedStubsError):
        ckafka.verify()
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_cassette_miss_checked_with_pytest_raises_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.ckafka_cassette
def test_expects_the_miss(ckafka, ckafka_client):
    swallowed(ckafka_client)
    with pytest.raises(CassetteMissError, match="does not exist"):
        ckafka.verify()
"""
    )
    pytester.runpytest().assert_outcomes(passed=1)


def test_an_expected_failure_is_not_raised_again_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        SDK
        + """

@pytest.mark.xfail(raises=TencentCloudSDKException, strict=True)
@pytest.mark.ckafka(strict=True)
def test_known_gap(ckafka, ckafka_client):
    describe_topic(ckafka_client)
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(xfailed=1)


def test_mock_exit_does_not_raise_what_verify_raised() -> None:
    with pytest_ckafka.mock() as fake:
        fake.fail("DeleteTopic", "ResourceInUse", times=1)
        with pytest.raises(UnusedStubsError):
            fake.verify()
