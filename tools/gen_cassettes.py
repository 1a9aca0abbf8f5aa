"""Regenerate ``cassettes/examples/``: one cassette per CKafka action, its documented exchange.

Usage: ``python tools/gen_cassettes.py [--check] [--out DIR]``

Each ``cassettes/examples/<Action>.yaml`` holds one interaction: the TC3 ``POST`` an
SDK would send with the action's documented example input as its body, and a
``200`` answer whose body is the action's documented example output, completed
from the schema wherever the documentation leaves it incomplete (the same
spec-valid body the ``ckafka`` fixture answers with by default). Everything comes
from the package's generated spec (``pytest_ckafka/_data/spec.json``), so
regenerate the spec first (``make spec``) and then these files. Output is
deterministic: the ``RequestId`` of each answer is a UUID5 of its action, and a
second run rewrites nothing. ``--check`` writes nothing and exits 1 if any file
is missing, stale or left over from an action that no longer exists (for CI).

Replay one in a test with the marker, naming it relative to the cassette folder:

.. code-block:: python

    @pytest.mark.ckafka_cassette("examples/DescribeInstances")
    def test_lists_instances(ckafka, ckafka_client):
        result = ckafka_client.DescribeInstances(models.DescribeInstancesRequest()).Result
        assert result.InstanceList[0].InstanceId == "instance-will-s"

Replay matches on the action, version, region and parameters, so the call must
send the documented example parameters (the ``request.body`` in the file) from
region ``ap-guangzhou``; any other call fails and the failure shows the
difference. To get the documented answer whatever the parameters, match on the
action and version only:

.. code-block:: python

    @pytest.mark.ckafka_cassette("examples/DescribeTopic", match_on=("action", "version"))
    def test_any_topic_query(ckafka, ckafka_client):
        request = models.DescribeTopicRequest()
        request.InstanceId = "ckafka-mine"
        assert ckafka_client.DescribeTopic(request).Result.TotalCount == 12

Each interaction replays once per test (record mode ``none`` never records):
a test that needs the answer twice is better served by ``ckafka.respond``.
Names are relative to the ini option ``ckafka_cassette_dir`` (default ``cassettes``
under the rootdir), so another project copies this folder into its own
``cassettes/examples``, or points ``ckafka_cassette_dir`` at a checkout's
``cassettes`` folder (an absolute path works).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the package of this checkout, installed or not

from pytest_ckafka.api.envelopes import CONTENT_TYPE, encode, success_envelope  # noqa: E402
from pytest_ckafka.api.scrub.scrubbers import PLACEHOLDER, Scrubbers  # noqa: E402
from pytest_ckafka.api.spec import load_spec  # noqa: E402
from pytest_ckafka.cassettes.files import Interaction, dumps, save  # noqa: E402

OUT = ROOT / "cassettes" / "examples"
HOST = "ckafka.tencentcloudapi.com"
URL = f"https://{HOST}/"
REGION = "ap-guangzhou"
# RequestIds are UUID5s in this namespace, so they are stable and never collide
# with the UUID4s the fake or the real API generate.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, URL)


def request_id(action: str) -> str:
    """The deterministic ``RequestId`` of ``action``'s example answer."""
    return str(uuid.uuid5(_NAMESPACE, f"{load_spec().version}/{action}"))


def example_interaction(action: str, scrubbers: Optional[Scrubbers] = None) -> Interaction:
    """The documented exchange of ``action``, scrubbed as a recording would be."""
    spec = load_spec()
    params = _without_nulls(dict(spec.action(action).example_input or {}))
    headers = {
        "Authorization": PLACEHOLDER,
        "Content-Type": CONTENT_TYPE,
        "Host": HOST,
        "X-TC-Action": action,
        "X-TC-Region": REGION,
        "X-TC-Version": spec.version,
    }
    body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # The same scrubbers as a recording, so a documented Password reads SCRUBBED.
    scrubbers = scrubbers or Scrubbers()
    url, headers, body = scrubbers.scrub_request("POST", URL, headers, body)
    answer = encode(success_envelope(action, request_id=request_id(action)))
    return Interaction(
        method="POST",
        uri=url,
        headers={name: [value] for name, value in headers.items()},
        body=body,
        status=200,
        reason="OK",
        response_headers={"Content-Type": [CONTENT_TYPE]},
        response_body=scrubbers.scrub_response(action, answer),
    )


def _without_nulls(value: Any) -> Any:
    # The documentation shows some optional members as null, but no SDK sends a
    # null member (they drop it), and replay keys an absent member and a null
    # one differently: the request is written as an SDK would send it.
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def generate() -> dict[str, Interaction]:
    """Every action's example interaction, by file name."""
    scrubbers = Scrubbers()
    return {
        f"{action}.yaml": example_interaction(action, scrubbers)
        for action in sorted(load_spec().actions)
    }


def _current(path: Path) -> Optional[str]:
    try:
        return path.read_text("utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the files are not current"
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT})")
    args = parser.parse_args(argv)
    out: Path = args.out
    wanted = generate()
    stale = sorted(n for n, i in wanted.items() if _current(out / n) != dumps([i]))
    extra = sorted(p.name for p in out.glob("*.yaml") if p.name not in wanted)
    if args.check:
        if not stale and not extra:
            print(f"{out}: {len(wanted)} example cassettes are up to date")
            return 0
        for name in stale:
            state = "missing" if not (out / name).exists() else "stale"
            print(f"{out / name}: {state}")
        for name in extra:
            print(f"{out / name}: no such action in the spec (left over)")
        print("run: python tools/gen_cassettes.py", file=sys.stderr)
        return 1
    for name in stale:
        save(out / name, [wanted[name]], merge=False)
    for name in extra:
        (out / name).unlink()
    unchanged = len(wanted) - len(stale)
    print(f"{out}: wrote {len(stale)}, unchanged {unchanged}, removed {len(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
