"""Evidence: what a call printed and logged, kept while it still reaches its streams."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from pytest_ckafka.checks.evidence import Evidence, describe_exception, exception_texts, exit_status


def test_printed_output_is_kept_and_still_shown(capsys: pytest.CaptureFixture[str]) -> None:
    evidence = Evidence()
    with evidence.collecting():
        print("deleted orders")
        print("error: ResourceNotFound", file=sys.stderr)
        sys.stdout.writelines(["a", "b\n"])
    assert evidence.printed() == "deleted orders\nerror: ResourceNotFound\nab\n"
    assert capsys.readouterr() == ("deleted orders\nab\n", "error: ResourceNotFound\n")


def test_the_streams_are_put_back_even_on_an_exit() -> None:
    before = sys.stdout, sys.stderr
    evidence = Evidence()
    with pytest.raises(SystemExit), evidence.collecting():
        assert sys.stdout.encoding == before[0].encoding  # the rest of the stream is there
        raise SystemExit(1)
    assert (sys.stdout, sys.stderr) == before


def test_a_stream_the_code_replaced_for_good_is_left_alone() -> None:
    before = sys.stdout
    mine = io.StringIO()
    try:
        with Evidence().collecting():
            sys.stdout = mine
        assert sys.stdout is mine
    finally:
        sys.stdout = before


def test_overlapping_collections_keep_only_their_own_output() -> None:
    first, second = Evidence(), Evidence()
    before = sys.stdout
    outer, inner = first.collecting(), second.collecting()
    outer.__enter__()
    inner.__enter__()  # another thread's check, started later
    outer.__exit__(None, None, None)  # ends first: the later tee stays installed
    print("after the first")
    inner.__exit__(None, None, None)
    print("after both")
    left = sys.stdout
    sys.stdout = before
    assert first.printed() == "" and second.printed() == "after the first\n"
    assert left is not before and getattr(left, "active", None) is False  # passes through


def test_log_records_with_the_exception_they_carry() -> None:
    evidence = Evidence()
    with evidence.collecting():
        try:
            raise KeyError("r-1")
        except KeyError:
            logging.getLogger("topics").exception("failed: %s", "ResourceNotFound")
    assert list(evidence.log_texts())[:2] == ["failed: ResourceNotFound", "'r-1'"]


def test_exit_status_and_description() -> None:
    assert [exit_status(SystemExit(c)) for c in (None, 0, 3, "no", True)] == [0, 0, 3, 1, 1]
    assert describe_exception(SystemExit("no")) == "SystemExit('no')"
    assert describe_exception(SystemExit()) == "SystemExit()"
    assert describe_exception(KeyError()) == "KeyError"


def test_exception_texts_follow_the_cause_but_not_a_hidden_context() -> None:
    try:
        try:
            raise ValueError("hidden")
        except ValueError:
            raise RuntimeError("shown") from None
    except RuntimeError as exc:
        texts = list(exception_texts(exc))
    assert "shown" in texts and "hidden" not in texts
