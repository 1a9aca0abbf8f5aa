"""``--ckafka-report`` and ``--ckafka-report-json``: the session's error-handling coverage."""

from __future__ import annotations

import json
import re

import pytest

CLIENT = """
import time

import pytest
from tencentcloud.ckafka.v20190819 import models
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

@pytest.fixture(autouse=True)
def orders_topic(ckafka):
    # What delete_topic deletes, so a retry's success is answered by the stateful backend.
    ckafka.state.add_instance("ckafka-1")
    ckafka.state.add_topic("ckafka-1", "orders", partitions=3)

def delete_topic(client):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "orders"
    for attempt in range(3):
        try:
            return client.DeleteTopic(request)
        except TencentCloudSDKException as exc:
            if exc.code != "ResourceInUse" or attempt == 2:
                raise
        time.sleep(1)
"""

MATRIX = (
    CLIENT
    + """
import pytest

@pytest.mark.ckafka_error_codes(
    scope="ckafka",
    category="dry run",  # no ckafka-scope code: only the included ones
    include=["ResourceInUse", "InternalError", "ResourceNotFound"],
)
def test_delete(ckafka, ckafka_client, ckafka_error_code):
    ckafka.assert_handles(ckafka_error_code, lambda: delete_topic(ckafka_client))

def test_describe(ckafka, ckafka_client):
    ckafka.fail("DescribeInstances", "ResourceUnavailable", times=1)
    try:
        ckafka_client.DescribeInstances(models.DescribeInstancesRequest())
    except TencentCloudSDKException:
        pass
    ckafka_client.DescribeInstances(models.DescribeInstancesRequest())
"""
)

SECTION = "pytest-ckafka error-handling report"


def section(result: pytest.RunResult) -> list[str]:
    """The lines of the report section, between its header and the next one."""
    lines = result.stdout.lines
    start = next(n for n, line in enumerate(lines) if SECTION in line)
    end = next(
        (n for n in range(start + 1, len(lines)) if re.match(r"^=+ .* =+$", lines[n])), len(lines)
    )
    return [line for line in lines[start + 1 : end] if line]


def test_report_prints_actions_codes_and_verdicts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MATRIX)
    result = pytester.runpytest("--ckafka-report")
    result.assert_outcomes(passed=3, failed=1)
    assert section(result) == [
        "actions called: DeleteTopic (5), DescribeInstances (2)",
        "action             code                 injected  verdict",
        "DeleteTopic        InternalError        1         mishandled",
        "DeleteTopic        ResourceInUse        2         handled",
        "DeleteTopic        ResourceNotFound     1         handled",
        "DescribeInstances  ResourceUnavailable  1         not checked",
        "2 handled, 1 mishandled, 1 not checked",
    ]


def test_no_report_without_the_option(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MATRIX)
    result = pytester.runpytest()
    assert SECTION not in result.stdout.str()


def test_report_says_when_nothing_was_called(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
def test_nothing(ckafka):
    pass

def test_without_the_fixture():
    pass
"""
    )
    result = pytester.runpytest("--ckafka-report")
    assert section(result) == ["no CKafka API calls were made"]


def test_report_says_when_no_code_was_injected(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        CLIENT
        + """
def test_delete(ckafka, ckafka_client):
    delete_topic(ckafka_client)
"""
    )
    result = pytester.runpytest("--ckafka-report")
    assert section(result) == [
        "actions called: DeleteTopic (1)",
        "no error codes or faults were injected",
    ]


def test_report_json_writes_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MATRIX)
    pytester.runpytest("--ckafka-report-json=reports/ckafka.json").assert_outcomes(
        passed=3, failed=1
    )
    report = json.loads((pytester.path / "reports" / "ckafka.json").read_text("utf-8"))
    assert report["actions"] == {"DeleteTopic": 5, "DescribeInstances": 2}
    assert report["totals"] == {"calls": 7, "handled": 2, "mishandled": 1, "not_checked": 1}
    assert report["codes"][0] == {
        "action": "DeleteTopic",
        "code": "InternalError",
        "injected": 1,
        "handled": 0,
        "mishandled": 1,
        "verdict": "mishandled",
    }
    verdicts = [row for row in report["rows"] if row["kind"] == "verdict"]
    assert verdicts[0] == {
        "kind": "verdict",
        "test": "test_report_json_writes_the_summary.py::test_delete[ResourceInUse]",
        "action": "DeleteTopic",
        "code": "ResourceInUse",
        "expected": "retry",
        "observed": "retried 2×, then succeeded",
        "verdict": "handled",
    }
    assert list(pytester.path.joinpath("reports").iterdir()) == [
        pytester.path / "reports" / "ckafka.json"  # no temporary file left behind
    ]


def test_report_json_alone_prints_no_section(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MATRIX)
    result = pytester.runpytest("--ckafka-report-json=out.json")
    assert SECTION not in result.stdout.str()
    assert (pytester.path / "out.json").exists()


# -- pytest-xdist --------------------------------------------------------------------------------

WORKER_TESTS = (
    CLIENT
    + """
import os
import pytest

@pytest.fixture(autouse=True)
def note_worker():
    with open(f"worker-{os.environ['PYTEST_XDIST_WORKER']}", "a") as seen:
        seen.write("x")

@pytest.mark.parametrize("code", ["ResourceInUse", "ResourceNotFound"])
def test_delete(ckafka, ckafka_client, code):
    ckafka.assert_handles(code, lambda: delete_topic(ckafka_client))
"""
)


def test_xdist_workers_are_merged_into_one_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_one=WORKER_TESTS, test_two=WORKER_TESTS)
    result = pytester.runpytest_subprocess(
        "-n", "2", "--dist", "loadfile", "--ckafka-report", "--ckafka-report-json=merged.json"
    )
    result.assert_outcomes(passed=4)
    assert sorted(p.name for p in pytester.path.glob("worker-*")) == ["worker-gw0", "worker-gw1"]
    assert result.stdout.str().count(SECTION) == 1  # printed by the controller only
    assert section(result) == [
        "actions called: DeleteTopic (8)",
        "action       code              injected  verdict",
        "DeleteTopic  ResourceInUse     4         handled",
        "DeleteTopic  ResourceNotFound  2         handled",
        "2 handled, 0 mishandled, 0 not checked",
    ]
    report = json.loads((pytester.path / "merged.json").read_text("utf-8"))
    assert report["totals"] == {"calls": 8, "handled": 2, "mishandled": 0, "not_checked": 0}
    assert [(c["code"], c["handled"]) for c in report["codes"]] == [
        ("ResourceInUse", 2),
        ("ResourceNotFound", 2),
    ]
    tests = {row["test"] for row in report["rows"] if row["kind"] == "verdict"}
    assert tests == {
        f"test_{file}.py::test_delete[{code}]"
        for file in ("one", "two")
        for code in ("ResourceInUse", "ResourceNotFound")
    }


def test_a_fault_is_one_row_in_the_report(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import requests

URL = "https://ckafka.tencentcloudapi.com/"
HEADERS = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}

def call():
    for attempt in range(5):
        try:
            return requests.post(URL, json={}, headers=HEADERS, timeout=1)
        except requests.ConnectionError:
            continue

def test_fault(ckafka):
    ckafka.assert_handles("connection_error", call, action="DescribeRegion")
"""
    )
    result = pytester.runpytest("--ckafka-report")
    result.assert_outcomes(passed=1)
    result.stdout.re_match_lines(
        [
            r"^DescribeRegion +connection_error +2 +handled$",
            r"^1 handled, 0 mishandled, 0 not checked$",
        ]
    )
