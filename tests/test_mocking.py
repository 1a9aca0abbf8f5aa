"""CKafkaMock's lifecycle: nesting, decorators, and what stop() restores."""

from __future__ import annotations

import pytest
import requests
from requests.adapters import HTTPAdapter

import pytest_ckafka

URL = "https://ckafka.tencentcloudapi.com/"
HEADERS = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}


def test_nested_starts_are_counted() -> None:
    original = HTTPAdapter.send
    fake = pytest_ckafka.mock()
    with fake:
        with fake:
            assert fake.active
        assert fake.active
        requests.post(URL, json={}, headers=HEADERS, timeout=5)
    assert not fake.active
    assert HTTPAdapter.send is original
    assert len(fake.calls) == 1


def test_stop_without_start_is_harmless() -> None:
    fake = pytest_ckafka.mock()
    fake.stop()
    assert not fake.active


def test_decorator_keeps_the_function_name_and_result() -> None:
    fake = pytest_ckafka.mock()

    @fake
    def fetch(action: str) -> int:
        """Docstring kept."""
        headers = {**HEADERS, "X-TC-Action": action}
        return requests.post(URL, json={}, headers=headers, timeout=5).status_code

    assert (fetch.__name__, fetch.__doc__) == ("fetch", "Docstring kept.")
    assert fetch("DescribeRegion") == 200
    assert fake.calls[0].action == "DescribeRegion"


def test_strict_answers_only_what_the_test_set_up_unless_state_is_asked_for() -> None:
    from tencentcloud.ckafka.v20190819 import ckafka_client, models
    from tencentcloud.common import credential
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
        TencentCloudSDKException,
    )

    def describe(fake: pytest_ckafka.CKafkaMock) -> object:
        client = ckafka_client.CkafkaClient(credential.Credential("AKID", "k"), "ap-guangzhou")
        with fake:
            try:
                return client.DescribeInstances(models.DescribeInstancesRequest()).Result
            except TencentCloudSDKException as error:
                return error.code

    strict = pytest_ckafka.mock(strict=True)
    assert not strict.stateful
    with pytest.raises(pytest_ckafka.UnmatchedCallError) as info:
        describe(strict)
    assert str(info.value).splitlines()[0] == (
        "pytest-ckafka strict mode: no stub answers DescribeInstances {}"
    )
    assert strict.calls[0].answered_by == "unmatched"

    stateful = pytest_ckafka.mock(strict=True, stateful=True)
    stateful.state.add_instance("ckafka-1")
    assert describe(stateful).TotalCount == 1  # type: ignore[attr-defined]
    assert pytest_ckafka.mock().stateful and not pytest_ckafka.mock(stateful=False).stateful
