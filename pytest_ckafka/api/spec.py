"""The CKafka API spec, loaded lazily from the generated ``_data/spec.json``.

Regenerate the data with ``python tools/gen_spec.py``. Nothing here is loaded
until first use, so a pytest run that never touches the fixture does not pay.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional

from ..exceptions import UnknownActionError
from .suggest import unknown_name_message

__all__ = ["API_VERSION", "SERVICE", "Action", "Member", "Spec", "load_spec", "packaged_data"]

SERVICE = "ckafka"
"""The product the fake stands in for: the service of a TC3 scope and of the host."""
API_VERSION = "2019-08-19"
"""The one API version the fake answers (the generated spec's; a test holds them equal)."""


@dataclass(frozen=True)
class Member:
    """One member of a request, response or data-type object.

    ``type`` is ``string``/``int``/``bool``/``float``/``object``/``list``;
    ``kind`` is the scalar kind (``int64``, ``uint64``, ``datetime``...) or the
    object name for ``object`` and for lists of objects.

    What a request member's document states, for the paging members (``Offset``,
    ``Limit``, ``SinglePartitionRecordNumber``, ``MessageCount``) and ``Filters`` only: ``default``,
    ``minimum`` and ``maximum``; ``clamps`` when it says a value above the maximum
    is treated as the maximum; ``filter_names`` and ``filter_values_max``.

    >>> limit = load_spec().input_members("DescribeTopic")["Limit"]
    >>> (limit.default, limit.maximum, limit.clamps)
    (20, 50, False)
    """

    name: str
    type: str
    kind: str
    required: bool = False
    output_required: bool = False
    nullable: bool = False
    disabled: bool = False
    example: Optional[str] = None
    default: Optional[int] = None
    minimum: Optional[int] = None
    maximum: Optional[int] = None
    clamps: bool = False
    filter_names: tuple[str, ...] = ()
    filter_values_max: Optional[int] = None

    @property
    def is_object(self) -> bool:
        """True when the member (or each list item) is a named object."""
        return self.kind not in _SCALAR_MEMBERS


_SCALAR_MEMBERS = frozenset(
    {"string", "int64", "uint64", "bool", "float", "datetime", "datetime_iso", "double", "int"}
)


@dataclass(frozen=True)
class Action:
    """One API action: its input/output object names, documented errors and examples.

    ``secret_inputs``/``secret_outputs`` are dotted member paths (lists walked
    through) that carry secrets, e.g. ``CreateUser``'s ``Password``.
    """

    name: str
    input: str
    output: str
    status: str
    title: str
    errors: tuple[str, ...]
    example_output: Optional[Mapping[str, Any]]
    example_input: Optional[Mapping[str, Any]]
    secret_inputs: tuple[str, ...] = ()
    secret_outputs: tuple[str, ...] = ()


class Spec:
    """The whole API: ``spec.actions`` by name and ``spec.members(object_name)``."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.service: str = raw["service"]
        self.version: str = raw["version"]
        self.actions: dict[str, Action] = {
            name: Action(
                name=name,
                input=a["input"],
                output=a["output"],
                status=a["status"],
                title=a["title"],
                errors=tuple(a["errors"]),
                example_output=a["example_output"],
                example_input=a["example_input"],
                secret_inputs=tuple(a["secrets"]["input"]),
                secret_outputs=tuple(a["secrets"]["output"]),
            )
            for name, a in raw["actions"].items()
        }
        # Region codes where CKafka is sold (tools/catalog_source.json + DescribeRegion).
        self.regions: frozenset[str] = frozenset(raw.get("regions", ()))
        self._objects: dict[str, dict[str, Member]] = {
            obj: {name: _member(name, m) for name, m in members.items()}
            for obj, members in raw["objects"].items()
        }

    def action(self, name: str) -> Action:
        """Return the action called ``name``; unknown names raise with a suggestion."""
        try:
            return self.actions[name]
        except KeyError:
            raise UnknownActionError(unknown_name_message("action", name, self.actions)) from None

    def members(self, object_name: str) -> dict[str, Member]:
        """Members of a data-type object (or of an action's Request/Response object)."""
        return self._objects[object_name]

    def input_members(self, action: str) -> dict[str, Member]:
        """Request members of ``action``."""
        return self._objects[self.action(action).input]

    def output_members(self, action: str) -> dict[str, Member]:
        """Response members of ``action`` (``RequestId`` excluded)."""
        return self._objects[self.action(action).output]


def _member(name: str, raw: Mapping[str, Any]) -> Member:
    # spec.json names the kind "member" (the API reference's own word for it).
    fields = {key: value for key, value in raw.items() if key != "member"}
    if "filter_names" in fields:
        fields["filter_names"] = tuple(fields["filter_names"])
    return Member(name=name, kind=raw["member"], **fields)


@functools.cache
def load_spec() -> Spec:
    """Load (once) and return the packaged CKafka spec.

    >>> load_spec().action("DescribeInstances").output
    'DescribeInstancesResponse'
    """
    return Spec(json.loads(packaged_data("spec.json")))


def packaged_data(name: str) -> str:
    """The text of ``_data/<name>``: the generated files shipped at the package's top."""
    top = __name__.partition(".")[0]
    return resources.files(top).joinpath(f"_data/{name}").read_text("utf-8")
