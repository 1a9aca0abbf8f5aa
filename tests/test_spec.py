"""The packaged spec matches the installed official SDK and the generator's sources."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tencentcloud.ckafka.v20190819 import ckafka_client, ckafka_client_async, models

from pytest_ckafka.api.spec import API_VERSION, SERVICE, load_spec
from pytest_ckafka.exceptions import UnknownActionError

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def _sdk_actions(cls: type) -> set[str]:
    return {
        name
        for name, _ in inspect.getmembers(cls, callable)
        if name[:1].isupper() and hasattr(models, f"{name}Request")
    }


def test_every_sdk_action_is_in_the_spec_and_vice_versa() -> None:
    spec_actions = set(load_spec().actions)
    assert len(spec_actions) == 105
    assert _sdk_actions(ckafka_client.CkafkaClient) == spec_actions
    assert _sdk_actions(ckafka_client_async.CkafkaClient) == spec_actions


def test_every_spec_object_member_exists_on_the_sdk_model() -> None:
    spec = load_spec()
    missing = []
    for action in spec.actions:
        for side in ("Request", "Response"):
            model = getattr(models, f"{action}{side}")()
            members = (
                spec.input_members(action) if side == "Request" else spec.output_members(action)
            )
            for name in members:
                if not hasattr(model, name):
                    missing.append(f"{action}{side}.{name}")
    assert missing == []


def test_unknown_action_suggests_the_closest() -> None:
    with pytest.raises(UnknownActionError) as info:
        load_spec().action("DescribeInstance")
    assert str(info.value) == (
        'unknown action "DescribeInstance": did you mean "DescribeInstances"? '
        "(105 valid actions; close matches: DescribeInstances, DescribeTypeInstances, "
        "DescribeInstancesDetail)"
    )


def test_the_service_and_version_constants_are_the_generated_specs() -> None:
    """The constants every module reads without loading the spec say what spec.json says."""
    spec = load_spec()
    assert (SERVICE, API_VERSION) == (spec.service, spec.version) == ("ckafka", "2019-08-19")


def test_members_carry_types_and_flags() -> None:
    spec = load_spec()
    status = spec.input_members("DescribeInstances")["Status"]
    assert (status.type, status.kind, status.required) == ("list", "int64", False)
    assert spec.input_members("CreateTopic")["InstanceId"].required is True
    result = spec.output_members("DescribeInstances")["Result"]
    assert (result.type, result.kind, result.output_required) == (
        "object",
        "InstanceResponse",
        True,
    )
    assert spec.action("DeleteTopic").errors  # documented error codes are attached


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")
def test_generated_files_are_up_to_date(tmp_path: Path) -> None:
    """Regenerating from ../shared/data reproduces the packaged files byte for byte."""
    packaged = {
        name: (ROOT / "pytest_ckafka" / "_data" / name).read_text("utf-8")
        for name in ("spec.json", "errors.json")
    }
    script = (ROOT / "tools" / "gen_spec.py").read_text("utf-8")
    sandbox = tmp_path / "repo"
    (sandbox / "tools").mkdir(parents=True)
    (sandbox / "pytest_ckafka" / "_data").mkdir(parents=True)
    (sandbox / "tools" / "gen_spec.py").write_text(script, "utf-8")
    (sandbox / "tools" / "catalog_source.json").write_bytes(
        (ROOT / "tools" / "catalog_source.json").read_bytes()
    )
    (sandbox / "pytest_ckafka" / "_data" / "policy.json").write_bytes(
        (ROOT / "pytest_ckafka" / "_data" / "policy.json").read_bytes()
    )
    out = subprocess.run(
        [sys.executable, str(sandbox / "tools" / "gen_spec.py"), str(SHARED)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == (
        "wrote 105 actions, 398 objects and 60 error codes to pytest_ckafka/_data"
    )
    for name, text in packaged.items():
        regenerated = (sandbox / "pytest_ckafka" / "_data" / name).read_text("utf-8")
        assert json.loads(regenerated) == json.loads(text), name
        assert regenerated == text, name


def test_spec_is_not_loaded_by_importing_the_plugin() -> None:
    code = (
        "import sys, pytest_ckafka.plugin, pytest_ckafka; "
        "print(sorted(m for m in sys.modules if m.startswith(('pytest_ckafka', 'responses', "
        "'respx', 'tencentcloud'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['pytest_ckafka', 'pytest_ckafka.defaults', 'pytest_ckafka.plugin', "
        "'pytest_ckafka.plugin.cassettes', 'pytest_ckafka.plugin.fixtures', "
        "'pytest_ckafka.plugin.matrix']"
    )
