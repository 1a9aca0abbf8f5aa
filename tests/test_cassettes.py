"""Record through real clients from a loopback server, then replay with the server stopped.

The whole user flow runs through pytester: ``--ckafka-record-mode`` records a
test's CKafka calls with vcrpy, the cassette is scrubbed and written, and the
same test replays it offline (a socket guard proves nothing touches the network).
"""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from pytest_ckafka.server.http import FakeServer

CLIENTS = textwrap.dedent(
    """
    import json
    import os

    import httpx
    import pytest
    from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models
    from tencentcloud.common import credential
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile

    ENDPOINT = os.environ["CKAFKA_TEST_ENDPOINT"]
    CREDENTIAL = credential.Credential("AKIDrecordingSECRETID", "recording-secret-key")


    def profile():
        return ClientProfile(httpProfile=HttpProfile(endpoint=ENDPOINT, protocol="http"))


    def sync_client():
        return ckafka_client.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())


    def async_client():
        return ckafka_client_async.CkafkaClient(CREDENTIAL, "ap-guangzhou", profile())


    def describe(limit):
        request = models.DescribeTopicRequest()
        request.InstanceId, request.Limit = "ckafka-rec00001", limit
        return request


    def save(name, value):
        with open(name, "w") as handle:
            json.dump(value, handle, sort_keys=True)
    """
)

SYNC_TEST = CLIENTS + textwrap.dedent(
    """

    LIMIT = 5


    @pytest.mark.ckafka_cassette
    def test_topics(ckafka):
        client = sync_client()
        topics = client.DescribeTopic(describe(LIMIT))
        user = models.CreateUserRequest()
        user.InstanceId, user.Name, user.Password = "ckafka-rec00001", "alice", "hunter2-pass"
        created = client.CreateUser(user)
        save("sync.json", [json.loads(topics.to_json_string()), created.RequestId])
    """
)

ASYNC_TEST = CLIENTS + textwrap.dedent(
    """

    @pytest.mark.ckafka_cassette("shared/async")
    async def test_async_and_raw_httpx(ckafka):
        client = async_client()
        topics = await client.DescribeTopic(describe(7))
        await client.close()
        headers = {"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19",
                   "Content-Type": "application/json"}
        async with httpx.AsyncClient() as raw:
            region = (await raw.post(f"http://{ENDPOINT}/", json={}, headers=headers)).json()
        save("async.json", [json.loads(topics.to_json_string()), region])
    """
)

SOCKET_GUARD = textwrap.dedent(
    """
    import socket

    import pytest


    @pytest.fixture(autouse=True)
    def no_network(monkeypatch):
        def refuse(self, address):
            raise AssertionError(f"network access in replay: {address!r}")

        monkeypatch.setattr(socket.socket, "connect", refuse)
        monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    """
)


def _seed(server: FakeServer) -> None:
    """A fresh state with the instance the recorded tests use (CreateUser needs it)."""
    server.state.reset()
    server.state.add_instance("ckafka-rec00001")


@pytest.fixture
def server() -> Iterator[FakeServer]:
    with FakeServer() as fake:
        _seed(fake)
        fake.respond(
            "DescribeTopic",
            {"Result": {"TotalCount": 1, "TopicList": [{"TopicName": "orders", "TopicId": "t-1"}]}},
        )
        yield fake


@pytest.fixture
def project(
    pytester: pytest.Pytester, server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> pytest.Pytester:
    monkeypatch.setenv("CKAFKA_TEST_ENDPOINT", server.endpoint)
    pytester.makeini(f"[pytest]\nasyncio_mode = auto\nckafka_endpoints =\n    {server.endpoint}\n")
    return pytester


def _cassette(pytester: pytest.Pytester, relative: str) -> Path:
    return pytester.path / "cassettes" / relative


def test_record_then_replay_offline(project: pytest.Pytester, server: FakeServer) -> None:
    project.makepyfile(test_rec=SYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    recorded = json.loads((project.path / "sync.json").read_text())
    path = _cassette(project, "test_rec/test_topics.yaml")
    text = path.read_text()
    assert [c.action for c in server.calls] == ["DescribeTopic", "CreateUser"]
    assert [u.name for u in server.state.users("ckafka-rec00001")] == ["alice"]
    for secret in ("AKIDrecordingSECRETID", "recording-secret-key", "hunter2-pass"):
        assert secret not in text
    assert "Signature=" not in text
    data = yaml.safe_load(text)
    assert data["version"] == 1
    assert [i["request"]["headers"]["X-TC-Action"] for i in data["interactions"]] == [
        ["DescribeTopic"],
        ["CreateUser"],
    ]

    server.stop()
    project.makeconftest(SOCKET_GUARD)
    (project.path / "sync.json").unlink()
    project.runpytest().assert_outcomes(passed=1)
    assert json.loads((project.path / "sync.json").read_text()) == recorded


def test_vcrpy_reads_the_cassette(project: pytest.Pytester) -> None:
    from vcr.serialize import deserialize
    from vcr.serializers import yamlserializer

    project.makepyfile(test_rec=SYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    text = _cassette(project, "test_rec/test_topics.yaml").read_text()
    requests, responses = deserialize(text, yamlserializer)
    assert [r.method for r in requests] == ["POST", "POST"]
    assert all(r["status"]["code"] == 200 for r in responses)


def test_async_sdk_and_raw_httpx_record_and_replay(
    project: pytest.Pytester, server: FakeServer
) -> None:
    project.makepyfile(test_async=ASYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    recorded = json.loads((project.path / "async.json").read_text())
    assert _cassette(project, "shared/async.yaml").is_file()
    server.stop()
    project.makeconftest(SOCKET_GUARD)
    project.runpytest().assert_outcomes(passed=1)
    assert json.loads((project.path / "async.json").read_text()) == recorded


def test_a_miss_explains_itself(project: pytest.Pytester, server: FakeServer) -> None:
    project.makepyfile(test_rec=SYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    server.stop()
    project.makeconftest(SOCKET_GUARD)
    project.makepyfile(test_rec=SYNC_TEST.replace("LIMIT = 5", "LIMIT = 6"))
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+.*pytest-ckafka: no recorded answer for this DescribeTopic call\.$",
            r'^E\s+params:\s+\{"InstanceId": "ckafka-rec00001", "Limit": 6\}$',
            r"^E\s+Limit: 6 \(this call\) != 5 \(recorded\)$",
            r"^E\s+pytest 'test_rec\.py::test_topics' --ckafka-record-mode=new_episodes$",
        ]
    )


def test_stubs_win_over_the_cassette(project: pytest.Pytester) -> None:
    project.makepyfile(test_rec=SYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    project.makepyfile(
        test_rec=SYNC_TEST.replace(
            "    client = sync_client()\n",
            '    client = sync_client()\n    ckafka.fail("CreateUser", "ResourceInUse")\n',
        )
    )
    result = project.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*code:ResourceInUse*"])


def _count(path: Path) -> int:
    return len(yaml.safe_load(path.read_text())["interactions"])


def test_record_modes(project: pytest.Pytester, server: FakeServer) -> None:
    project.makepyfile(test_rec=SYNC_TEST)
    path = _cassette(project, "test_rec/test_topics.yaml")
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    assert (_count(path), len(server.calls)) == (2, 2)
    # once, cassette present: replays, no new call reaches the server
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    assert (_count(path), len(server.calls)) == (2, 2)
    # new_episodes: the recorded calls replay, the new one is recorded
    project.makepyfile(test_rec=SYNC_TEST.replace("LIMIT = 5", "LIMIT = 6"))
    project.runpytest("--ckafka-record-mode=new_episodes").assert_outcomes(passed=1)
    assert (_count(path), len(server.calls)) == (3, 3)
    # all: every call goes to the server, and the old interactions stay
    _seed(server)  # alice exists on the server now: start it afresh to create her again
    project.runpytest("--ckafka-record-mode=all").assert_outcomes(passed=1)
    assert (_count(path), len(server.calls)) == (5, 5)
    # rewrite: only this run's interactions are kept
    _seed(server)
    project.runpytest("--ckafka-record-mode=rewrite").assert_outcomes(passed=1)
    assert (_count(path), len(server.calls)) == (2, 7)


def test_marker_record_mode_beats_the_command_line(
    project: pytest.Pytester, server: FakeServer
) -> None:
    project.makepyfile(
        test_rec=SYNC_TEST.replace(
            "@pytest.mark.ckafka_cassette\n", '@pytest.mark.ckafka_cassette(record_mode="all")\n'
        )
    )
    project.runpytest("--ckafka-record-mode=none").assert_outcomes(passed=1)
    assert len(server.calls) == 2


def test_a_failed_recording_run_keeps_the_previous_cassette(
    project: pytest.Pytester, server: FakeServer
) -> None:
    project.makepyfile(test_rec=SYNC_TEST)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    path = _cassette(project, "test_rec/test_topics.yaml")
    before = path.read_bytes()
    _seed(server)  # so the rewrite run's CreateUser succeeds and the assert below fails it
    project.makepyfile(test_rec=SYNC_TEST + "\n    assert False, 'the test failed'\n")
    result = project.runpytest("--ckafka-record-mode=rewrite")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*AssertionError: the test failed*"])
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "test_topics.yaml",
        "test_topics.yaml.lock",
    ] or sorted(p.name for p in path.parent.iterdir()) == ["test_topics.yaml"]


def test_parallel_recording_under_xdist(project: pytest.Pytester, server: FakeServer) -> None:
    tests = "\n".join(
        textwrap.dedent(
            f"""
            @pytest.mark.ckafka_cassette("shared/parallel")
            def test_{n}(ckafka):
                sync_client().DescribeTopic(describe({n + 1}))
            """
        )
        for n in range(6)
    )
    project.makepyfile(test_par=CLIENTS + tests)
    result = project.runpytest_subprocess("-n", "2", "--ckafka-record-mode=new_episodes")
    result.assert_outcomes(passed=6)
    data = yaml.safe_load(_cassette(project, "shared/parallel.yaml").read_text())
    limits = sorted(json.loads(i["request"]["body"])["Limit"] for i in data["interactions"])
    assert limits == [1, 2, 3, 4, 5, 6]


SHARED_TESTS = "\n".join(
    textwrap.dedent(
        f"""
        @pytest.mark.ckafka_cassette("shared/rewritten")
        def test_{n}(ckafka):
            sync_client().DescribeTopic(describe({n + 1}))
        """
    )
    for n in range(40)
)


def _limits(path: Path) -> list[int]:
    data = yaml.safe_load(path.read_text())
    return sorted(json.loads(i["request"]["body"])["Limit"] for i in data["interactions"])


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["one-process", "xdist"])
def test_rewrite_keeps_every_test_of_the_run(
    project: pytest.Pytester,
    server: FakeServer,
    workers: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))  # where the run keeps its markers, until it ends
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    project.makepyfile(test_shared=CLIENTS + SHARED_TESTS)
    path = _cassette(project, "shared/rewritten.yaml")
    run = project.runpytest_subprocess if workers else project.runpytest
    run(*workers, "--ckafka-record-mode=rewrite").assert_outcomes(passed=40)
    assert _limits(path) == list(range(1, 41))
    # Another rewrite run replaces the previous run's interactions, it does not add to them.
    two = ["test_shared.py::test_3", "test_shared.py::test_4"]
    project.runpytest("--ckafka-record-mode=rewrite", *two).assert_outcomes(passed=2)
    assert _limits(path) == [4, 5]
    run(*workers, "--ckafka-record-mode=rewrite").assert_outcomes(passed=40)
    assert _limits(path) == list(range(1, 41))
    assert len(server.calls) == 82
    assert list(temp.iterdir()) == []
    server.stop()
    project.makeconftest(SOCKET_GUARD)
    run(*workers).assert_outcomes(passed=40)
    assert sorted(p.name for p in path.parent.iterdir()) == ["rewritten.yaml"]


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--ckafka-record-mode=new_episode"],
            'ERROR: --ckafka-record-mode: unknown record mode "new_episode": did you mean '
            '"new_episodes"? Valid choices: all, new_episodes, none, once, rewrite.',
        ),
    ],
)
def test_bad_record_mode(pytester: pytest.Pytester, args: list[str], line: str) -> None:
    pytester.makepyfile("def test_x():\n    pass\n")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert line in result.stderr.lines


def test_a_name_that_escapes_the_folder(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
import pytest

@pytest.mark.ckafka_cassette("../../etc/passwd")
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+.*CKafkaUsageError: cassette name '\.\./\.\./etc/passwd' escapes the "
            r"cassette folder .*"
        ]
    )


def test_a_corrupt_cassette_names_the_file_and_line(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "cassettes" / "test_x"
    folder.mkdir(parents=True)
    (folder / "test_x.yaml").write_text("version: 1\ninteractions:\n- request: {method: POST\n")
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.ckafka_cassette
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [r"^E\s+.*CassetteFormatError: .*cassettes/test_x/test_x\.yaml:\d+: .*"],
    )


@pytest.mark.parametrize(
    ("make", "line"),
    [
        pytest.param(
            lambda path: path.mkdir(),
            r"test_x\.yaml:1: the cassette is a directory, not a file; move the directory away "
            r"or give @pytest\.mark\.ckafka_cassette another name$",
            id="directory",
        ),
        pytest.param(
            lambda path: path.write_text("version: 1\ninteractions: []\ninteractions: []\n"),
            r"test_x\.yaml:3: duplicate key 'interactions' \(also at line 2\); YAML would "
            r"silently keep only the last, remove one$",
            id="duplicate-key",
        ),
    ],
)
def test_a_bad_cassette_is_one_line_naming_the_file_and_line(
    pytester: pytest.Pytester, make: Callable[[Path], Any], line: str
) -> None:
    folder = pytester.path / "cassettes" / "test_x"
    folder.mkdir(parents=True)
    make(folder / "test_x.yaml")
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.ckafka_cassette
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest("--ckafka-record-mode=once")
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines([r"^E\s+.*CassetteFormatError: .*cassettes/test_x/" + line])


def test_a_cassette_from_another_version(pytester: pytest.Pytester) -> None:
    folder = pytester.path / "cassettes" / "test_x"
    folder.mkdir(parents=True)
    interaction = {
        "request": {
            "body": "{}",
            "headers": {"X-TC-Action": ["DescribeTopic"], "X-TC-Version": ["2017-03-12"]},
            "method": "POST",
            "uri": "https://ckafka.tencentcloudapi.com/",
        },
        "response": {
            "body": {"string": '{"Response": {"RequestId": "r"}}'},
            "headers": {"Content-Type": ["application/json"]},
            "status": {"code": 200, "message": "OK"},
        },
    }
    (folder / "test_x.yaml").write_text(
        yaml.safe_dump({"interactions": [interaction], "version": 1})
    )
    pytester.makepyfile(
        test_x="""
import pytest

@pytest.mark.ckafka_cassette
def test_x(ckafka):
    pass
"""
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    assert re.search(r"2017-03-12", result.stdout.str())


def test_classes_get_their_own_cassettes(project: pytest.Pytester, server: FakeServer) -> None:
    methods = textwrap.dedent(
        """

        class TestA:
            @pytest.mark.ckafka_cassette
            def test_it(self, ckafka):
                sync_client().DescribeTopic(describe(1))


        class TestB:
            @pytest.mark.ckafka_cassette
            def test_it(self, ckafka):
                sync_client().DescribeTopic(describe(2))
        """
    )
    project.makepyfile(test_cls=CLIENTS + methods)
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=2)
    folder = _cassette(project, "test_cls")
    assert sorted(p.name for p in folder.iterdir()) == ["TestA.test_it.yaml", "TestB.test_it.yaml"]
    server.stop()
    project.makeconftest(SOCKET_GUARD)
    project.runpytest().assert_outcomes(passed=2)


def test_shipped_examples_replay_in_every_record_mode(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SOCKET_GUARD)
    pytester.makepyfile(
        """
import pytest
from tencentcloud.ckafka.v20190819 import models

@pytest.mark.ckafka_cassette("examples/DeleteTopic")
def test_documented(ckafka, ckafka_client):
    request = models.DeleteTopicRequest()
    request.InstanceId, request.TopicName = "ckafka", "topicname"
    assert ckafka_client.DeleteTopic(request).Result.ReturnCode == "0"
"""
    )
    for mode in ("once", "new_episodes", "all", "rewrite"):
        pytester.runpytest(f"--ckafka-record-mode={mode}").assert_outcomes(passed=1)
    assert not (pytester.path / "cassettes").exists()


def test_a_full_call_log_never_lets_a_fake_answer_into_the_recording(
    project: pytest.Pytester, server: FakeServer
) -> None:
    """The log keeps one call here; the stub's answer, long dropped from it, is still not kept.

    httpx hands the stub's answer to vcrpy too, so only the fake knows it made it.
    """
    project.makepyfile(
        test_rec=CLIENTS
        + textwrap.dedent(
            """

            HEADERS = {"X-TC-Version": "2019-08-19", "Content-Type": "application/json"}


            @pytest.mark.ckafka(max_calls=1)
            @pytest.mark.ckafka_cassette
            def test_mixed(ckafka):
                ckafka.fail("DescribeTopic", "ResourceInUse")
                url = f"http://{ENDPOINT}/"
                with httpx.Client() as raw:
                    stubbed = raw.post(url, json={"InstanceId": "ckafka-rec00001"},
                                       headers={**HEADERS, "X-TC-Action": "DescribeTopic"})
                    for _ in range(3):
                        raw.post(url, json={}, headers={**HEADERS, "X-TC-Action": "DescribeRegion"})
                assert stubbed.json()["Response"]["Error"]["Code"] == "ResourceInUse"
                # each call is logged once (respx resolves a passed-through one twice)
                assert (len(ckafka.calls), ckafka.calls.dropped) == (1, 3)
            """
        )
    )
    project.runpytest("--ckafka-record-mode=once").assert_outcomes(passed=1)
    recorded = yaml.safe_load(_cassette(project, "test_rec/test_mixed.yaml").read_text())
    actions = [i["request"]["headers"]["x-tc-action"][0] for i in recorded["interactions"]]
    assert actions == ["DescribeRegion"] * 3
    assert "ResourceInUse" not in _cassette(project, "test_rec/test_mixed.yaml").read_text()
