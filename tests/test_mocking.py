"""CKafkaMock's lifecycle: nesting, decorators, and what stop() restores."""

from __future__ import annotations

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
