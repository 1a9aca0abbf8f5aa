"""docs/state.md's strictness table is generated from the spec and must match it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pytest_ckafka.api.spec import load_spec
from pytest_ckafka.backend import stateful_actions

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gen_strictness  # noqa: E402


def test_the_strictness_table_is_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_strictness.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_table_has_a_row_for_every_page_size_and_filter_the_backend_enforces() -> None:
    spec = load_spec()
    expected = sorted(
        (action, name)
        for action in stateful_actions()
        for name in spec.input_members(action)
        if name in ("Limit", "SinglePartitionRecordNumber", "MessageCount", "Filters")
    )
    rows = [line.split(" | ") for line in gen_strictness.render().splitlines() if "| `" in line]
    # `Filters.Name`, `Filters.Values` and `GroupState` values all are rules of Filters.
    parameter = {"Filters.Name": "Filters", "Filters.Values": "Filters", "GroupState": "Filters"}
    listed = sorted(
        {(r[0].strip("| "), parameter.get(r[1].split("`")[1], r[1].split("`")[1])) for r in rows}
    )
    assert listed == expected
    for row in rows:
        assert row[-1].rstrip(" |") in (gen_strictness.UNKNOWN, gen_strictness.CLAMPS)


def test_the_documented_clamping_is_read_from_the_reference() -> None:
    spec = load_spec()
    clamping = sorted(a for a in spec.actions for m in spec.input_members(a).values() if m.clamps)
    assert clamping == ["DescribeConnectResources", "DescribeDatahubTasks"]
    limit = spec.input_members("DescribeConnectResources")["Limit"]
    assert (limit.default, limit.maximum) == (20, 1000)
