"""Tests for ``pytest_ckafka.cassettes.rewrite``: one replacement per cassette per test run."""

from __future__ import annotations

import doctest
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pytest_ckafka.cassettes import rewrite
from pytest_ckafka.cassettes.rewrite import RewriteRun, new_run_id


def test_docstring_examples() -> None:
    assert doctest.testmod(rewrite).failed == 0


def test_first_claim_wins_per_cassette(tmp_path: Path) -> None:
    run = RewriteRun(new_run_id())
    try:
        assert [run.claim(tmp_path / "a.yaml"), run.claim(tmp_path / "b.yaml")] == [True, True]
        assert run.claim(tmp_path / "a.yaml") is False
        # The same file by another spelling of its path is the same cassette.
        assert run.claim(tmp_path / "x" / ".." / "a.yaml") is False
        other = RewriteRun(new_run_id())
        try:
            assert other.claim(tmp_path / "a.yaml") is True  # another run
        finally:
            other.remove()
    finally:
        run.remove()


def _claim(run_id: str, cassette: str, results: multiprocessing.Queue[bool]) -> None:
    results.put(RewriteRun(run_id).claim(Path(cassette)))


def test_exactly_one_process_of_a_run_claims(tmp_path: Path) -> None:
    run = RewriteRun(new_run_id())
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[bool] = context.Queue()
    processes = [
        context.Process(target=_claim, args=(run.id, str(tmp_path / "c.yaml"), results))
        for _ in range(6)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert sorted(results.get(timeout=10) for _ in processes) == [False] * 5 + [True]
    run.remove()
    assert not run.folder.exists()


def test_remove_forgets_and_tolerates_a_missing_folder(tmp_path: Path) -> None:
    run = RewriteRun(new_run_id())
    run.remove()  # nothing claimed yet: no folder
    assert run.claim(tmp_path / "c.yaml") is True
    assert run.folder.is_dir() and run.folder.stat().st_mode & 0o777 == 0o700
    run.remove()
    assert run.claim(tmp_path / "c.yaml") is True
    run.remove()


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "a b"])
def test_a_run_id_cannot_leave_the_temporary_folder(bad: str) -> None:
    with pytest.raises(ValueError, match="a rewrite run id is letters, digits, - and _; got"):
        RewriteRun(bad)


def test_the_suite_leaves_no_rewrite_folder_behind(tmp_path: Path) -> None:
    # Two tests made a RewriteRun and never removed it: every run of the suite left
    # /tmp/pytest-ckafka-rewrite-* folders. Rerun the tests that make runs, and the plugin's
    # rewrite runs (one process and xdist), with a temporary folder of their own.
    root = Path(__file__).parent.parent
    selected = [
        "tests/test_rewrite.py",
        "tests/test_cassette_file.py::test_a_rewrite_run_replaces_once_then_adds_across_processes",
        "tests/test_cassettes.py::test_rewrite_keeps_every_test_of_the_run",
    ]
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selected,
         "--deselect", "tests/test_rewrite.py::test_the_suite_leaves_no_rewrite_folder_behind"],
        cwd=root, env={**os.environ, "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
        timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("pytest-ckafka")) == []
