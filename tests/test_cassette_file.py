"""Tests for ``pytest_ckafka.cassettes.files``: vcrpy's format, safe loading, locked saves."""

from __future__ import annotations

import doctest
import multiprocessing
import os
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import vcr.serialize
from vcr.request import Request
from vcr.serializers import yamlserializer

from pytest_ckafka.cassettes import files as cassette_file
from pytest_ckafka.cassettes.files import (
    FORMAT_VERSION,
    Interaction,
    check_version,
    dumps,
    load,
    save,
)
from pytest_ckafka.cassettes.rewrite import RewriteRun, new_run_id
from pytest_ckafka.exceptions import CassetteFormatError, CKafkaUsageError

URL = "https://ckafka.tencentcloudapi.com/"


def call(
    action: str = "DescribeTopic",
    body: bytes = b'{"InstanceId": "ckafka-1"}',
    response: bytes = b'{"Response":{"RequestId":"r-1"}}',
    **headers: list[str],
) -> Interaction:
    return Interaction(
        method="POST",
        uri=URL,
        headers={
            "Content-Type": ["application/json"],
            "X-TC-Action": [action],
            "X-TC-Version": ["2019-08-19"],
            **headers,
        },
        body=body,
        status=200,
        reason="OK",
        response_headers={"Content-Type": ["application/json"]},
        response_body=response,
    )


def write(tmp_path: Path, text: str, name: str = "x.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- the format ------------------------------------------------------------------------


def test_dumps_writes_vcrpys_format_with_sorted_keys() -> None:
    interaction = call(response='{"Response":{"Name":"数据","RequestId":"r-1"}}'.encode())
    assert dumps([interaction]) == textwrap.dedent(
        """\
        interactions:
        - request:
            body: '{"InstanceId": "ckafka-1"}'
            headers:
              Content-Type:
              - application/json
              X-TC-Action:
              - DescribeTopic
              X-TC-Version:
              - '2019-08-19'
            method: POST
            uri: https://ckafka.tencentcloudapi.com/
          response:
            body:
              string: "{\\"Response\\":{\\"Name\\":\\"\\u6570\\u636E\\",\\"RequestId\\":\\"r-1\\"}}"
            headers:
              Content-Type:
              - application/json
            status:
              code: 200
              message: OK
        version: 1
        """
    )
    assert FORMAT_VERSION == vcr.serialize.CASSETTE_FORMAT_VERSION


def test_dumps_is_byte_identical_to_vcrpys_serializer() -> None:
    ours = [call(), call("CreateTopic", body=b"\xff\x00binary", response=b"")]
    requests = [
        Request(i.method, i.uri, i.body, {k: v[0] for k, v in i.headers.items()}) for i in ours
    ]
    responses = [
        {
            "status": {"code": i.status, "message": i.reason},
            "headers": i.response_headers,
            "body": {"string": i.response_body},
        }
        for i in ours
    ]
    expected = vcr.serialize.serialize(
        {"requests": requests, "responses": responses}, yamlserializer
    )
    assert dumps(ours) == expected


def test_vcrpy_reads_what_we_write() -> None:
    ours = [
        call(),
        call("CreateUser", body='{"Name": "小明"}'.encode()),
        call("X", body=b"\xff\xfe not utf-8", response=b"\x00\x01"),
    ]
    requests, responses = vcr.serialize.deserialize(dumps(ours), yamlserializer)
    for interaction, request, response in zip(ours, requests, responses):
        assert request.method == "POST"
        assert request.uri == URL
        assert request.body == interaction.body
        assert request.headers["x-tc-action"] == interaction.headers["X-TC-Action"][0]
        assert response["status"] == {"code": 200, "message": "OK"}
        assert response["body"]["string"] == interaction.response_body
        assert response["headers"] == interaction.response_headers


def test_we_read_what_vcrpy_writes(tmp_path: Path) -> None:
    request = Request("GET", URL + "?Action=DescribeTopic&Version=2019-08-19", None, {"A": "b"})
    response = {
        "status": {"code": 500, "message": "Internal Server Error"},
        "headers": {"Set-Cookie": ["a=1", "b=2"]},
        "body": {"string": b"oops"},
    }
    text = vcr.serialize.serialize({"requests": [request], "responses": [response]}, yamlserializer)
    path = write(tmp_path, text)
    assert load(path) == [
        Interaction(
            method="GET",
            uri=URL + "?Action=DescribeTopic&Version=2019-08-19",
            headers={"A": ["b"]},
            body=b"",
            status=500,
            reason="Internal Server Error",
            response_headers={"Set-Cookie": ["a=1", "b=2"]},
            response_body=b"oops",
        )
    ]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    ours = [
        call(),
        call("CreateUser", body='{"Name": "小明"}'.encode(), Cookie=["a", "b"]),
        # Bytes that are not JSON: a JSON content type would be refused as hand-broken.
        replace(call("X", body=b"", response=b"\xff\x00"), response_headers={"A": ["b"]}),
        replace(
            call("Y", body=b"a: 1\n- b\n'quoted' \"x\"", response=b"  spaced  \n"),
            response_headers={"Content-Type": ["text/plain"]},
        ),
    ]
    path = tmp_path / "deep" / "er" / "c.yaml"
    save(path, ours, merge=False)
    loaded = load(path)
    assert loaded == ours
    starts = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "- request:"]
    assert [i.line for i in loaded] == starts == [2, 22, 45, 66]
    assert leftovers(path.parent) == ["c.yaml"]  # no lock or temp file left behind


def test_a_hand_broken_json_answer_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call(), call(response=b'{"Respons": {')], merge=False)
    with pytest.raises(CassetteFormatError) as info:
        load(path)
    assert str(info.value) == (
        f"{path}:35: interactions[1].response.body.string is not valid JSON (Expecting "
        "property name enclosed in double quotes: line 1 column 14 (char 13)); re-record it "
        "or fix the edit"
    )


def test_missing_empty_and_comment_only_files_hold_nothing(tmp_path: Path) -> None:
    assert load(tmp_path / "nope.yaml") == []
    assert load(write(tmp_path, "")) == []
    assert load(write(tmp_path, " \n\n")) == []
    assert load(write(tmp_path, "# recorded later\n")) == []
    assert load(write(tmp_path, "version: 1\ninteractions: []\n")) == []


def test_error_type() -> None:
    assert issubclass(CassetteFormatError, CKafkaUsageError)


def test_docstring_examples() -> None:
    assert doctest.testmod(cassette_file).failed == 0


# -- bad files -------------------------------------------------------------------------

BROKEN_YAML = [
    pytest.param(
        """
        version: 1
        interactions:
        - request: {method: POST
          uri: x
        """,
        "x.yaml:4: invalid YAML: did not find expected ',' or '}' "
        "(while parsing a flow mapping at line 3)",
        id="flow-mapping",
    ),
    pytest.param(
        """
        version: 1
        interactions:
          - a
          b: c
        """,
        "x.yaml:4: invalid YAML: did not find expected '-' indicator "
        "(while parsing a block collection at line 3)",
        id="simple-key",
    ),
    pytest.param(
        "interactions: []\nversion: 1\nversion: 1\n\t- tab\n",
        "x.yaml:4: invalid YAML: found a tab character that violates indentation "
        "(while scanning a plain scalar at line 3)",
        id="tab",
    ),
    pytest.param(
        "version: 1\ninteractions: !!python/object/apply:os.system ['echo pwned']\n",
        "x.yaml:2: unsafe or unknown YAML tag refused: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        id="unsafe-tag",
    ),
    pytest.param(
        "version: 1\ninteractions:\n- request: !!python/name:os.system ''\n",
        "x.yaml:3: unsafe or unknown YAML tag refused: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/name:os.system'",
        id="unsafe-name",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN_YAML)
def test_corrupt_yaml_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == message


def test_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = write(
        tmp_path, f"version: 1\ninteractions: !!python/object/apply:os.system ['touch {marker}']\n"
    )
    with pytest.raises(CassetteFormatError):
        load(path)
    assert not marker.exists()


def test_not_utf8_names_line_and_offset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_bytes(b"version: 1\ninteractions:\n- \xff\n")
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == "x.yaml:3: not valid UTF-8 (byte 0xff at offset 27)"


GOOD = """
version: 1
interactions:
- request:
    body: '{}'
    headers:
      X-TC-Action: [DescribeTopic]
    method: POST
    uri: https://ckafka.tencentcloudapi.com/
  response:
    body: {string: '{}'}
    headers: {}
    status: {code: 200, message: OK}
"""

BAD_SHAPES = [
    pytest.param(
        "- request: {}\n",
        "x.yaml:1: the cassette must be a mapping with `version: 1` and `interactions` "
        "(vcrpy's cassette format), got a list",
        id="old-list-format",
    ),
    pytest.param("just text\n", "x.yaml:1: the cassette must be a mapping", id="scalar"),
    pytest.param("version: 1\n", "x.yaml:1: the cassette has no `interactions`", id="no-list"),
    pytest.param(
        "version: 2\ninteractions: []\n",
        "x.yaml:1: version must be 1 (vcrpy's cassette format), got 2",
        id="version",
    ),
    pytest.param(
        "version: 1\ninteractions:\n  a: 1\n",
        "x.yaml:3: interactions must be a list, got a mapping",
        id="interactions-mapping",
    ),
    pytest.param(
        GOOD + "- just a string\n",
        "x.yaml:13: interactions[1] must be a mapping, got 'just a string'",
        id="item-scalar",
    ),
    pytest.param(
        GOOD + "- request: {method: GET, uri: x, headers: {}, body: null}\n",
        "x.yaml:13: interactions[1] has no `response`",
        id="no-response",
    ),
    pytest.param(
        GOOD.replace("status: {code: 200, message: OK}", "status: {code: OK, message: OK}"),
        "x.yaml:12: interactions[0].response.status.code must be an integer, got 'OK'",
        id="status-not-int",
    ),
    pytest.param(
        GOOD.replace("code: 200", "code: 0"),
        "x.yaml:12: interactions[0].response.status.code must be an HTTP status from 100 "
        "to 599, got 0",
        id="status-zero",
    ),
    pytest.param(
        GOOD.replace("code: 200", "code: 2000"),
        "x.yaml:12: interactions[0].response.status.code must be an HTTP status from 100 "
        "to 599, got 2000",
        id="status-too-big",
    ),
    pytest.param(
        GOOD.replace("code: 200", "code: 99"),
        "x.yaml:12: interactions[0].response.status.code must be an HTTP status from 100 "
        "to 599, got 99",
        id="status-99",
    ),
    pytest.param(
        GOOD.replace("status: {code: 200, message: OK}", "status: 200"),
        "x.yaml:12: interactions[0].response.status must be a mapping, got 200",
        id="status-scalar",
    ),
    pytest.param(
        GOOD.replace("code: 200", "code: true"),
        "x.yaml:12: interactions[0].response.status.code must be an integer, got True",
        id="status-bool",
    ),
    pytest.param(
        GOOD.replace("    method: POST\n", ""),
        "x.yaml:4: interactions[0].request has no `method`",
        id="no-method",
    ),
    pytest.param(
        GOOD.replace("method: POST", "method: [POST]"),
        "x.yaml:7: interactions[0].request.method must be a string, got a list",
        id="method-list",
    ),
    pytest.param(
        GOOD.replace("X-TC-Action: [DescribeTopic]", "X-TC-Action: [1]"),
        "x.yaml:6: interactions[0].request.headers.X-TC-Action must be a list of strings, "
        "got a list",
        id="header-int",
    ),
    pytest.param(
        GOOD.replace("body: {string: '{}'}", "body: '{}'"),
        "x.yaml:10: interactions[0].response.body must be a mapping, got '{}'",
        id="response-body-string",
    ),
    pytest.param(
        GOOD.replace("body: '{}'\n", "body: {a: 1}\n", 1),
        "x.yaml:4: interactions[0].request.body must be a string, binary or null, got a mapping",
        id="request-body-mapping",
    ),
    pytest.param(
        GOOD.replace("body: {string: '{}'}", "body: {}"),
        "x.yaml:10: interactions[0].response.body has no `string`",
        id="no-string",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_SHAPES)
def test_wrong_shape_names_file_interaction_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value).startswith(message)
    if "the cassette must be a mapping" not in message:
        assert str(info.value) == message


DUPLICATE_KEYS = [
    pytest.param(
        GOOD.replace("status: {code: 200, message: OK}", "status: {code: 200, code: 500}"),
        "x.yaml:12: duplicate key 'code' (also at line 12); YAML would silently keep only "
        "the last, remove one",
        id="status-code",
    ),
    pytest.param(
        GOOD.replace(
            "      X-TC-Action: [DescribeTopic]\n",
            "      X-TC-Action: [DescribeTopic]\n      X-TC-Action: [CreateTopic]\n",
        ),
        "x.yaml:7: duplicate key 'X-TC-Action' (also at line 6); YAML would silently keep "
        "only the last, remove one",
        id="header",
    ),
    pytest.param(
        GOOD.replace("version: 1\n", "version: 1\nversion: 1\n"),
        "x.yaml:2: duplicate key 'version' (also at line 1); YAML would silently keep only "
        "the last, remove one",
        id="top-level",
    ),
    pytest.param(
        GOOD + "  response: {}\n",
        "x.yaml:13: duplicate key 'response' (also at line 9); YAML would silently keep "
        "only the last, remove one",
        id="interaction",
    ),
]


@pytest.mark.parametrize(("text", "message"), DUPLICATE_KEYS)
def test_a_duplicate_key_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text)
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == message


def test_keys_of_different_types_are_not_duplicates(tmp_path: Path) -> None:
    # `1` and `true` are equal in Python but two keys in YAML: this was "duplicate key True".
    [interaction] = load(write(tmp_path, GOOD + "extra: {1: a, true: b}\n"))
    assert interaction.status == 200


@pytest.mark.parametrize("second", ["x-tc-action", "X-Tc-Action"])
def test_a_header_given_twice_in_another_case_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = GOOD.replace(
        "      X-TC-Action: [DescribeTopic]\n",
        f"      X-TC-Action: [DescribeTopic]\n      {second}: [DeleteTopic]\n",
    )
    write(tmp_path, text)
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == (
        f"x.yaml:7: interactions[0].request.headers.{second} repeats the header `X-TC-Action` "
        "(header names ignore case); keep one, with every value in its list"
    )


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        ('{"Response": {"N": NaN}}', "Response.N: NaN is not standard JSON: send a finite number"),
        ('{"Response": {"RequestId": "\\ud800"}}',
         "Response.RequestId: the string holds a lone surrogate (\\ud800 at character 0), "
         "which is not Unicode text"),
        ('{"Response": {"D": ' + "[" * 3000 + "]" * 3000 + "}}",
         "the body: is nested more than 32 levels deep"),
        ('{"Response": {"D": ' + "[" * 40 + "]" * 40 + "}}",
         "Response.D[0][0][0][0][0][0][0][0][0][0]...: is nested more than 32 levels deep"),
    ],
    ids=["nan", "surrogate", "3000-deep", "40-deep"],
)  # fmt: skip
def test_a_json_answer_that_is_not_standard_json_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, answer: str, problem: str
) -> None:
    # A NaN or a lone surrogate loaded and was replayed; 3000 levels raised a RecursionError.
    monkeypatch.chdir(tmp_path)
    text = GOOD.replace("    body: {string: '{}'}", f"    body: {{string: '{answer}'}}")
    text = text.replace("headers: {}", "headers: {Content-Type: [application/json]}")
    write(tmp_path, text)
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == (
        f"x.yaml:10: interactions[0].response.body.string cannot be replayed ({problem}); "
        "re-record it or fix the edit"
    )


def test_merge_keys_may_override_without_being_duplicates(tmp_path: Path) -> None:
    text = GOOD.replace(
        "    status: {code: 200, message: OK}", "    status: {<<: {code: 500}, code: 200}"
    )
    [interaction] = load(write(tmp_path, text))
    assert interaction.status == 200


def test_a_directory_is_not_a_cassette(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").mkdir()
    with pytest.raises(CassetteFormatError) as info:
        load(Path("x.yaml"))
    assert str(info.value) == (
        "x.yaml:1: the cassette is a directory, not a file; move the directory away or "
        "give @pytest.mark.ckafka_cassette another name"
    )


def test_good_template_loads(tmp_path: Path) -> None:
    [interaction] = load(write(tmp_path, GOOD))
    assert interaction.headers == {"X-TC-Action": ["DescribeTopic"]}
    assert (interaction.status, interaction.reason, interaction.line) == (200, "OK", 3)


def test_lenient_where_vcrpy_is(tmp_path: Path) -> None:
    text = GOOD.replace("version: 1\n", "").replace("{code: 200, message: OK}", "{code: 204}")
    text = text.replace("X-TC-Action: [DescribeTopic]", "X-TC-Action: DescribeTopic")
    text = text.replace("body: '{}'\n", "body: null\n", 1) + "metadata: {a: 1}\n"
    [interaction] = load(write(tmp_path, text))
    assert (interaction.status, interaction.reason, interaction.body) == (204, "", b"")
    assert interaction.headers == {"X-TC-Action": ["DescribeTopic"]}


# -- saving ----------------------------------------------------------------------------


def test_merge_appends_and_skips_exact_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    a, b, c = call("A"), call("B"), call("C")
    save(path, [a, a, b], merge=True)  # a call recorded twice on purpose stays twice
    save(path, [a, b, c, a, a], merge=True)
    assert [i.headers["X-TC-Action"][0] for i in load(path)] == ["A", "A", "B", "C", "A"]


def test_duplicates_are_found_whatever_the_header_order(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    one = call()
    reordered = Interaction(
        **{**one.__dict__, "headers": dict(reversed(list(one.headers.items())))}
    )
    save(path, [one], merge=True)
    save(path, [reordered], merge=True)
    assert load(path) == [one]


def test_rewrite_replaces(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call("A"), call("B")], merge=False)
    save(path, [call("C")], merge=False)
    assert load(path) == [call("C")]


def test_merge_refuses_to_clobber_a_corrupt_cassette(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\ninteractions: [\n")
    with pytest.raises(CassetteFormatError, match=r"x\.yaml:3: invalid YAML"):
        save(path, [call()], merge=True)
    assert path.read_text() == "version: 1\ninteractions: [\n"
    assert leftovers(tmp_path) == ["x.yaml"]


def test_file_mode_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call("A")], merge=False)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o600)
    save(path, [call("B")], merge=True)
    assert path.stat().st_mode & 0o777 == 0o600


def boom(*args: Any, **kwargs: Any) -> None:
    raise OSError("disk full")


def interrupt(*args: Any, **kwargs: Any) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("target", "replacement", "error"),
    [
        pytest.param("os.replace", boom, OSError, id="rename-fails"),
        pytest.param("os.fsync", interrupt, KeyboardInterrupt, id="ctrl-c-while-syncing"),
        pytest.param("os.chmod", interrupt, KeyboardInterrupt, id="ctrl-c-before-rename"),
        pytest.param("pytest_ckafka.cassettes.files.dumps", boom, OSError, id="serializer-fails"),
    ],
)
def test_a_failed_save_leaves_the_previous_file_intact(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    replacement: Any,
    error: type[BaseException],
) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call("A")], merge=False)
    before = path.read_bytes()
    monkeypatch.setattr(target, replacement)
    for merge in (True, False):
        with pytest.raises(error):
            save(path, [call("B")], merge=merge)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == ["c.yaml"]
    save(path, [call("B")], merge=True)  # the lock was released
    assert len(load(path)) == 2


def test_interrupted_mid_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call("A")], merge=False)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fd: int, *args: Any) -> None:
            self.file = real_fdopen(fd, *args)

        def __enter__(self) -> HalfWriter:
            return self

        def __exit__(self, *exc: object) -> None:
            self.file.close()

        def write(self, data: bytes) -> None:
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            raise KeyboardInterrupt

    monkeypatch.setattr("os.fdopen", HalfWriter)
    with pytest.raises(KeyboardInterrupt):
        save(path, [call("B"), call("C")], merge=True)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert leftovers(tmp_path) == ["c.yaml"]


def _record_many(path: str, worker: int, count: int) -> None:
    for n in range(count):
        save(Path(path), [call(f"W{worker}N{n}")], merge=True)


def test_parallel_saves_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "c.yaml"
    workers, count = 6, 15
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_record_many, args=(str(path), w, count)) for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    actions = [i.headers["X-TC-Action"][0] for i in load(path)]
    assert sorted(actions) == sorted(f"W{w}N{n}" for w in range(workers) for n in range(count))
    for w in range(workers):  # each worker's own calls stay in the order it made them
        assert [a for a in actions if a.startswith(f"W{w}N")] == [f"W{w}N{n}" for n in range(count)]
    assert leftovers(path.parent) == ["c.yaml"]


def _rewrite_many(path: str, run_id: str, worker: int, count: int) -> None:
    run = RewriteRun(run_id)  # each worker process has its own, as under xdist
    for n in range(count):
        save(Path(path), [call(f"W{worker}N{n}")], merge=False, run=run)


def test_a_rewrite_run_replaces_once_then_adds_across_processes(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    path = tmp_path / "shared" / "c.yaml"
    save(path, [call("Old1"), call("Old2")], merge=False)
    run = RewriteRun(new_run_id())
    request.addfinalizer(run.remove)  # whatever happens below
    workers, count = 4, 10
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_rewrite_many, args=(str(path), run.id, w, count))
        for w in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    actions = [i.headers["X-TC-Action"][0] for i in load(path)]
    assert sorted(actions) == sorted(f"W{w}N{n}" for w in range(workers) for n in range(count))
    assert leftovers(path.parent) == ["c.yaml"]
    # The next run replaces this one's calls.
    following = RewriteRun(new_run_id())
    try:
        save(path, [call("Next")], merge=False, run=following)
    finally:
        following.remove()
    assert [i.headers["X-TC-Action"][0] for i in load(path)] == ["Next"]
    run.remove()
    assert not run.folder.exists() and not following.folder.exists()


# -- API version -----------------------------------------------------------------------


def test_check_version_accepts_2019_08_19_in_header_query_or_form() -> None:
    v1_get = Interaction(
        "GET", URL + "?Action=DescribeTopic&Version=2019-08-19", {}, b"", 200, "OK", {}, b""
    )
    v1_form = Interaction(
        "POST",
        URL,
        {"content-type": ["application/x-www-form-urlencoded"]},
        b"Action=DescribeTopic&Version=2019-08-19",
        200,
        "OK",
        {},
        b"",
    )
    check_version([call(), v1_get, v1_form], Path("cassettes/x.yaml"))


def test_check_version_names_file_line_interaction_and_version(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    save(path, [call(), call(**{"X-TC-Version": ["2018-03-12"]})], merge=False)
    with pytest.raises(CassetteFormatError) as info:
        check_version(load(path), path)
    assert str(info.value) == (
        f"{path}:22: interactions[1] was recorded with API version '2018-03-12', but "
        "pytest-ckafka replays CKafka 2019-08-19; re-record this cassette against 2019-08-19."
    )


def test_check_version_without_a_version() -> None:
    bare = Interaction("POST", URL, {"X-TC-Action": ["DescribeTopic"]}, b"{}", 200, "OK", {}, b"")
    with pytest.raises(CassetteFormatError) as info:
        check_version([bare], Path("cassettes/x.yaml"))
    assert str(info.value) == (
        "cassettes/x.yaml: interactions[0] was recorded with no API version, but "
        "pytest-ckafka replays CKafka 2019-08-19; re-record this cassette against 2019-08-19."
    )
