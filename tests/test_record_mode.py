"""Record modes: one enum, one check, one precedence (marker > command line > ini > none)."""

from __future__ import annotations

import re

import pytest
import yaml  # imported here, not first inside an in-process pytester run (see below)

from pytest_ckafka import CKafkaUsageError, RecordMode
from pytest_ckafka.cassettes.record_mode import RECORD_MODES, resolve_record_mode

VALID = "Valid choices: all, new_episodes, none, once, rewrite."


def test_the_modes_in_the_order_the_docs_explain_them() -> None:
    assert RECORD_MODES == ("none", "once", "new_episodes", "all", "rewrite")
    assert [mode.value for mode in RecordMode] == list(RECORD_MODES)
    assert RecordMode.NEW_EPISODES == "new_episodes" and str(RecordMode.ONCE) == "once"
    assert f"--ckafka-record-mode={RecordMode.ALL}" == "--ckafka-record-mode=all"


@pytest.mark.parametrize(
    ("given", "line"),
    [
        ("new_episode", f'unknown record mode "new_episode": did you mean "new_episodes"? {VALID}'),
        ("NONE", f'unknown record mode "NONE": did you mean "none"? {VALID}'),
        ("replay", f'unknown record mode "replay". {VALID}'),
        (3, f"unknown record mode 3. {VALID} A record mode is a string, got int 3."),
    ],
)
def test_a_bad_mode_says_what_was_wrong(given: object, line: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        RecordMode.parse(given)  # type: ignore[arg-type]
    assert str(info.value) == line


def test_parse_takes_a_mode_or_its_name() -> None:
    assert RecordMode.parse("once") is RecordMode.parse(RecordMode.ONCE) is RecordMode.ONCE


@pytest.mark.parametrize(
    ("mode", "existed", "records", "replays"),
    [
        ("none", True, False, True),
        ("none", False, False, True),
        ("once", True, False, True),
        ("once", False, True, False),
        ("new_episodes", True, True, True),
        ("new_episodes", False, True, True),
        ("all", True, True, False),
        ("rewrite", True, True, False),
        ("rewrite", False, True, False),
    ],
)
def test_what_each_mode_does(mode: str, existed: bool, records: bool, replays: bool) -> None:
    parsed = RecordMode(mode)
    assert parsed.records(existed=existed) is records
    assert parsed.replays(existed=existed) is replays
    assert parsed.replaces is (mode == "rewrite")


def test_resolve_each_level() -> None:
    assert resolve_record_mode() is RecordMode.NONE  # the default
    assert resolve_record_mode(ini="once") is RecordMode.ONCE
    assert resolve_record_mode(cli="all", ini="once") is RecordMode.ALL
    assert resolve_record_mode(marker="rewrite", cli="all", ini="once") is RecordMode.REWRITE
    assert resolve_record_mode(marker=None, cli=None, ini="new_episodes") is (
        RecordMode.NEW_EPISODES
    )


@pytest.mark.parametrize(
    ("levels", "line"),
    [
        (
            {"marker": "onse"},
            '@pytest.mark.ckafka_cassette: unknown record mode "onse": did you mean "once"? '
            + VALID,
        ),
        (
            {"cli": "al"},
            f'--ckafka-record-mode: unknown record mode "al": did you mean "all"? {VALID}',
        ),
        (
            {"marker": "once", "ini": "rewrte"},
            'ini ckafka_record_mode: unknown record mode "rewrte": did you mean "rewrite"? '
            + VALID,
        ),
    ],
    ids=["marker", "cli", "ini-under-a-marker"],
)
def test_resolve_names_where_a_bad_mode_was_given(levels: dict[str, str], line: str) -> None:
    with pytest.raises(CKafkaUsageError) as info:
        resolve_record_mode(**levels)
    assert str(info.value) == line


def test_the_help_names_every_mode(pytester: pytest.Pytester) -> None:
    """The plugin writes the modes out in its help (cheaper than importing RecordMode)."""
    help_text = " ".join(pytester.runpytest("--help").stdout.lines)
    match = re.search(r"--ckafka-record-mode=MODE\s+cassette record mode: (.+?) \(ini:", help_text)
    assert match is not None
    named = [word.split(" ")[0] for word in re.sub(r"\s+", " ", match.group(1)).split(", ")]
    assert named == list(RECORD_MODES)


# -- through pytest: the mode a test's cassette runs in ---------------------------------

MISS_TEST = """
import pytest
import requests

HEADERS = {{"X-TC-Action": "DescribeRegion", "X-TC-Version": "2019-08-19"}}

@pytest.mark.ckafka_cassette{marker}
def test_it(ckafka):
    requests.post("https://ckafka.tencentcloudapi.com/", json={{}}, headers=HEADERS, timeout=5)
"""


@pytest.mark.parametrize(
    ("ini", "args", "marker", "mode"),
    [
        ("", [], "", "none"),  # the default
        ("ckafka_record_mode = once", [], "", "once"),
        ("ckafka_record_mode = once", ["--ckafka-record-mode=none"], "", "none"),
        (
            "ckafka_record_mode = none",
            ["--ckafka-record-mode=none"],
            '(record_mode="once")',
            "once",
        ),
    ],
    ids=["default", "ini", "cli-over-ini", "marker-over-cli"],
)
def test_marker_over_cli_over_ini_over_none(
    pytester: pytest.Pytester, ini: str, args: list[str], marker: str, mode: str
) -> None:
    # An existing, empty cassette: "once" replays it as "none" does, so no mode here
    # reaches the network, and the miss message names the mode the test ran in.
    folder = pytester.path / "cassettes" / "test_mode"
    folder.mkdir(parents=True)
    # PyYAML's C loader breaks when pytester drops and re-imports the yaml package
    # between in-process runs; this module holds it imported.
    (folder / "test_it.yaml").write_text(yaml.safe_dump({"interactions": [], "version": 1}))
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile(test_mode=MISS_TEST.format(marker=marker))
    result = pytester.runpytest(*args)
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [
            r"^E\s+"
            + re.escape(
                f"  cassette: cassettes/test_mode/test_it.yaml (no interactions, "
                f"record mode '{mode}')"
            )
            + "$"
        ]
    )


@pytest.mark.parametrize(
    ("ini", "args", "line"),
    [
        (
            "ckafka_record_mode = rewrte",
            [],
            'ERROR: ini ckafka_record_mode: unknown record mode "rewrte": did you mean '
            f'"rewrite"? {VALID}',
        ),
        (
            "",
            ["--ckafka-record-mode=onec"],
            'ERROR: --ckafka-record-mode: unknown record mode "onec": did you mean "once"? '
            + VALID,
        ),
    ],
    ids=["ini", "cli"],
)
def test_a_bad_mode_on_the_command_line_or_ini_stops_the_run(
    pytester: pytest.Pytester, ini: str, args: list[str], line: str
) -> None:
    pytester.makeini(f"[pytest]\n{ini}\n")
    pytester.makepyfile("def test_x():\n    pass\n")
    result = pytester.runpytest(*args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert line in result.stderr.lines


def test_a_bad_mode_in_the_marker_errors_the_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_mode=MISS_TEST.format(marker='(record_mode="new_episode")'))
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            r"^E +(pytest|_pytest\.config\.exceptions)\.UsageError: "
            + re.escape(
                '@pytest.mark.ckafka_cassette: unknown record mode "new_episode": '
                f'did you mean "new_episodes"? {VALID}'
            )
            + "$"
        ]
    )
