"""``--ckafka-report`` and ``--ckafka-report-json``: the session's error-handling coverage."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

import pytest

from pytest_ckafka.checks.policy import DEFAULT_POLICY

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
        "action             code                 injected  other answers  checks  verdict",
        "DeleteTopic        InternalError        1                        1       mishandled",
        "DeleteTopic        ResourceInUse        2                        1       handled",
        "DeleteTopic        ResourceNotFound     1                        1       handled",
        "DescribeInstances  ResourceUnavailable  0         test stub 1    0       not checked",
        "2 handled, 1 mishandled, 1 not checked, 0 not injected",
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
        "no error codes or faults were answered",
    ]


def test_report_json_writes_the_summary(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(MATRIX)
    pytester.runpytest("--ckafka-report-json=reports/ckafka.json").assert_outcomes(
        passed=3, failed=1
    )
    report = json.loads((pytester.path / "reports" / "ckafka.json").read_text("utf-8"))
    assert report["actions"] == {"DeleteTopic": 5, "DescribeInstances": 2}
    assert report["totals"] == {
        "calls": 7,
        "handled": 2,
        "mishandled": 1,
        "not_checked": 1,
        "not_injected": 0,
    }
    assert report["codes"][0] == {
        "action": "DeleteTopic",
        "code": "InternalError",
        "injected": 1,
        "other_answers": {},
        "checks": 1,
        "handled": 0,
        "mishandled": 1,
        "not_injected": 0,
        "verdict": "mishandled",
    }
    assert report["codes"][-1]["other_answers"] == {"test stub": 1}
    verdicts = [row for row in report["rows"] if row["kind"] == "verdict"]
    assert verdicts[0] == {
        "kind": "verdict",
        "test": "test_report_json_writes_the_summary.py::test_delete[ResourceInUse]",
        "action": "DeleteTopic",
        "code": "ResourceInUse",
        "expected": "retry",
        "reason": DEFAULT_POLICY.reason("ResourceInUse"),
        "observed": "retried 2×, then succeeded",
        "injected": 2,
        "verdict": "handled",
        "text": "retried 2×, then succeeded",
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
        "-n",
        "2",
        "--dist",
        "loadfile",
        "--ckafka-report",
        "--ckafka-report-json=merged.json",
        "--ckafka-report-html=merged.html",
    )
    result.assert_outcomes(passed=4)
    assert sorted(p.name for p in pytester.path.glob("worker-*")) == ["worker-gw0", "worker-gw1"]
    assert result.stdout.str().count(SECTION) == 1  # printed by the controller only
    assert section(result) == [
        "actions called: DeleteTopic (8)",
        "action       code              injected  other answers  checks  verdict",
        "DeleteTopic  ResourceInUse     4                        2       handled",
        "DeleteTopic  ResourceNotFound  2                        2       handled",
        "2 handled, 0 mishandled, 0 not checked, 0 not injected",
    ]
    report = json.loads((pytester.path / "merged.json").read_text("utf-8"))
    assert report["totals"] == {
        "calls": 8,
        "handled": 2,
        "mishandled": 0,
        "not_checked": 0,
        "not_injected": 0,
    }
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
    page = read_page(pytester.path / "merged.html")  # written once, by the controller
    assert {pair: klass for pair, (klass, _) in page.cells.items()} == {
        ("DeleteTopic", "ResourceInUse"): "handled",
        ("DeleteTopic", "ResourceNotFound"): "handled",
    }
    _, link = page.cells[("DeleteTopic", "ResourceInUse")]
    assert page.sections[link[1:]]["test"][:2] == [
        "test_one.py::test_delete[ResourceInUse]",
        "test_two.py::test_delete[ResourceInUse]",
    ]
    assert sorted(p.name for p in pytester.path.glob("merged.*")) == ["merged.html", "merged.json"]


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
            r"^DescribeRegion +connection_error +2 +1 +handled$",
            r"^1 handled, 0 mishandled, 0 not checked, 0 not injected$",
        ]
    )


# -- what each row says: injected, other answers, checks ----------------------------------------

ANSWERED_ELSEWHERE = (
    CLIENT
    + """
def test_missing_topic_then_injected(ckafka, ckafka_client):
    ckafka.state.add_topic("ckafka-1", "gone")
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka-1", "missing"
    with pytest.raises(TencentCloudSDKException):  # the backend's own rule, not injected
        ckafka_client.DeleteTopic(request)
    ckafka.assert_handles("ResourceNotFound", lambda: delete_topic(ckafka_client))

def describe_acl(client):
    request = models.DescribeACLRequest()
    request.InstanceId, request.ResourceName = "ckafka-1", "orders"
    request.ResourceType = "TOPIC"  # the API takes 2 for a topic
    return client.DescribeACL(request)

def test_refused_before_injection(ckafka, ckafka_client):
    ckafka.assert_handles("AuthFailure.SignatureFailure", lambda: describe_acl(ckafka_client))
"""
)


def test_each_row_says_which_answers_were_injected_and_what_was_checked(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(ANSWERED_ELSEWHERE)
    result = pytester.runpytest("--ckafka-report")
    result.assert_outcomes(passed=1, failed=1)
    assert section(result) == [
        "actions called: DeleteTopic (2), DescribeACL (1)",
        "action       code                          injected  other answers  checks  verdict",
        "DeleteTopic  ResourceNotFound              1         backend 1      1       handled",
        "DescribeACL  AuthFailure.SignatureFailure  0                        1       not injected",
        "DescribeACL  InvalidParameter              0         validation 1   0       not injected",
        "1 handled, 0 mishandled, 0 not checked, 2 not injected",
    ]


# -- --ckafka-report-html ------------------------------------------------------------------------


class Page(HTMLParser):
    """What a reader of the report page sees: grid cells, sections, totals, and any script."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.cells: dict[tuple[str, str], tuple[str, str]] = {}  # (action, code) -> class, href
        self.sections: dict[str, dict[str, list[str]]] = {}  # id -> {"h3", "test", "verdict"}
        self.totals = ""
        self.tags: set[str] = set()
        self.sources: list[str] = []  # every src= and href= that is not an anchor
        self._stack: list[tuple[str, dict[str, str]]] = []
        self._row: Optional[str] = None
        self._cell: Optional[str] = None
        self._column = 0
        self._section: Optional[str] = None
        self._grid = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        found = {name: value or "" for name, value in attrs}
        self.tags.add(tag)
        self._stack.append((tag, found))
        for name in ("src", "href"):
            if name in found and not found[name].startswith("#"):
                self.sources.append(found[name])
        if tag == "table":
            self._grid = found.get("class") == "grid"
        elif tag == "tr":
            self._row, self._column = None, 0
        elif tag == "td" and self._grid:
            code = self.columns[self._column]
            self._column += 1
            self._cell = code
            assert self._row is not None
            self.cells[(self._row, code)] = (found.get("class", ""), "")
        elif tag == "a" and self._cell is not None:
            assert self._row is not None
            klass = self.cells[(self._row, self._cell)][0]
            self.cells[(self._row, self._cell)] = (klass, found["href"])
        elif tag == "section":
            self._section = found["id"]
            self.sections[self._section] = {"h3": [], "test": [], "verdict": []}

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop()[0] != tag:
            pass
        if tag == "td":
            self._cell = None
        elif tag == "table":
            self._grid = False
        elif tag == "section":
            self._section = None

    def handle_data(self, data: str) -> None:
        if not self._stack:
            return
        tag, attrs = self._stack[-1]
        klass = attrs.get("class", "")
        if tag == "th" and klass == "col":
            self.columns.append(data)
        elif tag == "th" and klass == "row":
            self._row = data
        elif tag == "p" and attrs.get("id") == "totals":
            self.totals += data
        elif self._section is not None:
            key = {"h3": "h3", "code": "test", "pre": "verdict"}.get(tag)
            if key == "test" and klass != "test":
                return
            if key:
                self.sections[self._section][key].append(data)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


def test_report_html_is_a_grid_of_verdicts_linking_to_the_checks(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\nckafka_policy =\n    InternalError = raise\n")
    pytester.makepyfile(test_matrix=MATRIX, test_elsewhere=ANSWERED_ELSEWHERE)
    result = pytester.runpytest("--ckafka-report-html=out/report.html")
    result.assert_outcomes(passed=5, failed=1)
    page = read_page(pytester.path / "out" / "report.html")
    assert page.columns == [
        "AuthFailure.SignatureFailure",
        "InternalError",
        "InvalidParameter",
        "ResourceInUse",
        "ResourceNotFound",
        "ResourceUnavailable",
    ]
    classes = {pair: klass for pair, (klass, _) in page.cells.items() if klass != "empty"}
    assert classes == {
        ("DeleteTopic", "InternalError"): "handled",  # raise, as the ini policy now says
        ("DeleteTopic", "ResourceInUse"): "handled",
        ("DeleteTopic", "ResourceNotFound"): "handled",
        ("DescribeACL", "AuthFailure.SignatureFailure"): "not-injected",
        ("DescribeACL", "InvalidParameter"): "not-injected",
        ("DescribeInstances", "ResourceUnavailable"): "not-checked",
    }
    assert len(page.cells) == 3 * 6  # every other cell is empty
    # Each coloured cell links to the section with its test ids and verdict texts.
    _, link = page.cells[("DescribeACL", "AuthFailure.SignatureFailure")]
    refused = page.sections[link[1:]]
    assert refused["h3"] == ["DescribeACL · AuthFailure.SignatureFailure: not injected"]
    assert refused["test"] == ["test_elsewhere.py::test_refused_before_injection"]
    assert refused["verdict"][0].splitlines()[:2] == [
        "DescribeACL: AuthFailure.SignatureFailure was never injected: request validation "
        "refused the request first, so its handling was not checked.",
        "Request validation answered InvalidParameter: The parameter `ResourceType` must be an "
        'integer, got a string "TOPIC".',
    ]
    _, link = page.cells[("DeleteTopic", "ResourceNotFound")]
    found = page.sections[link[1:]]
    assert found["test"][:2] == [
        "test_elsewhere.py::test_missing_topic_then_injected",
        "test_matrix.py::test_delete[ResourceNotFound]",
    ]
    assert found["verdict"] == ["raised TencentCloudSDKException"] * 2
    _, link = page.cells[("DescribeInstances", "ResourceUnavailable")]
    assert page.sections[link[1:]]["test"] == ["test_matrix.py::test_describe"]  # answered in
    assert page.totals == "3 handled, 0 mishandled, 1 not checked, 2 not injected; 10 API calls"
    # Self-contained: no script, nothing fetched from anywhere.
    assert "script" not in page.tags and "link" not in page.tags and page.sources == []
    text = (pytester.path / "out" / "report.html").read_text("utf-8")
    assert "<code>InternalError = raise</code>" in text  # the policy used
    assert "InternalError</code></td><td>raise</td>" in text


def test_report_html_without_any_call(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(ckafka):\n    pass\n")
    pytester.runpytest("--ckafka-report-html=report.html").assert_outcomes(passed=1)
    page = read_page(pytester.path / "report.html")
    assert page.cells == {} and page.sections == {}
    assert page.totals == "0 handled, 0 mishandled, 0 not checked, 0 not injected; 0 API calls"


def _browser() -> Optional[str]:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_report_html_renders_in_a_headless_browser(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    browser = _browser()
    if browser is None:
        pytest.skip("no chromium, chromium-browser or google-chrome on PATH")
    pytester.makepyfile(MATRIX)
    pytester.runpytest("--ckafka-report-html=report.html").assert_outcomes(passed=3, failed=1)
    screenshot = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={screenshot}",
            "--window-size=1400,900",
            (pytester.path / "report.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
