"""State seeds as JSON data, for clients that are not Python and for state files.

A seed entry names a :class:`~pytest_ckafka.backend.State` method and its
keyword arguments: ``{"add": "topic", "instance_id": "ckafka-1", "name": "orders",
"partitions": 3}`` calls ``state.add_topic(...)``. Entries are checked against
the method's signature first, names and types, so a typo gets the valid names and a
suggestion and ``"instance_id": 123`` is refused before anything is stored.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any, Callable

from ..api.json_types import check_value
from ..api.suggest import unknown_name_message
from ..backend import Backend, State
from ..backend.models import RegionStore
from ..backend.seed_arguments import check_arguments
from ..exceptions import CKafkaUsageError

__all__ = ["SEED_KINDS", "apply_seeds", "load_dump"]

SEED_KINDS = (
    *sorted(name.removeprefix("add_") for name in dir(State) if name.startswith("add_")),
    "configure",
)
"""What a seed entry's ``"add"`` may name: every ``State.add_KIND`` method, and
``configure`` (the readiness knobs)."""


def apply_seeds(state: State, entries: Any) -> list[Any]:
    """Apply one entry (an object) or several (a list); return what each call returned.

    Every entry is checked before any is applied, and an entry that fails while
    applying (an unknown instance, say) puts the state back, so a bad list seeds
    nothing.

    >>> from pytest_ckafka.backend import Backend
    >>> state = State(Backend())
    >>> apply_seeds(state, {"add": "instance", "instance_id": "ckafka-00000001"})
    ['ckafka-00000001']
    >>> try:  # doctest: +ELLIPSIS
    ...     apply_seeds(state, [{"add": "topc", "instance_id": "ckafka-00000001"}])
    ... except CKafkaUsageError as error:
    ...     print(error)
    seed[0]: unknown seed kind "topc": did you mean "topic"? Valid choices: access_policy, acl, ...
    """
    items = entries if isinstance(entries, list) else [entries]
    calls = [_checked(state, index, entry) for index, entry in enumerate(items)]
    results = []
    with state.backend.lock:  # no call sees a half-applied list
        before = state.dump()
        for index, (method, kwargs) in enumerate(calls):
            try:
                results.append(method(**kwargs))
            except (CKafkaUsageError, TypeError, ValueError, AttributeError) as exc:
                state.load(before)
                raise CKafkaUsageError(f"seed[{index}]: {exc}") from None
    return results


def load_dump(state: State, data: Any) -> None:
    """Replace the state by ``State.dump()`` data; bad data raises and changes nothing.

    The data is loaded into a scratch backend first and every field of every
    model built is checked against its annotation, so ``"partitions": "3"`` or
    ``"instance_id": 123`` is refused with its path before the state changes.
    """
    if not isinstance(data, Mapping):
        raise CKafkaUsageError('state must be an object {"stores": [...]}')
    unknown = [key for key in data if key != "stores"]
    if unknown:
        raise CKafkaUsageError("state: " + unknown_name_message("key", unknown[0], ["stores"]))
    check_value(data.get("stores", []), list[Mapping[str, Any]], "state", ("stores",))
    scratch = Backend()
    try:
        scratch.load(data)
    except (TypeError, KeyError, ValueError, AttributeError) as exc:
        message = f"state: not State.dump() data ({type(exc).__name__}: {exc})"
        raise CKafkaUsageError(message) from None
    for index, raw in enumerate(data.get("stores", [])):
        for key in ("account", "region"):
            check_value(raw[key], str, "state", ("stores", index, key))
        store = scratch.store(raw["account"], raw["region"])
        check_value(store, RegionStore, "state", ("stores", index))
    state.load(data)


def _checked(state: State, index: int, entry: Any) -> tuple[Callable[..., Any], dict[str, Any]]:
    where = f"seed[{index}]"
    if not isinstance(entry, Mapping):
        raise CKafkaUsageError(f'{where}: expected an object {{"add": KIND, ...}}')
    kind = entry.get("add")
    if kind not in SEED_KINDS:
        if kind is None:
            raise CKafkaUsageError(f'{where}: missing "add" (one of {", ".join(SEED_KINDS)})')
        raise CKafkaUsageError(
            f"{where}: " + unknown_name_message("seed kind", kind, SEED_KINDS, list_all=True)
        )
    name = "configure" if kind == "configure" else f"add_{kind}"
    method: Callable[..., Any] = getattr(state, name)
    kwargs = {k: v for k, v in entry.items() if k != "add"}
    parameters = inspect.signature(method).parameters
    accepts_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    named = [n for n, p in parameters.items() if p.kind is not p.VAR_KEYWORD]
    for key in kwargs:
        if key not in named and not accepts_any:
            message = unknown_name_message("argument", key, named, list_all=True)
            raise CKafkaUsageError(f"{where} ({kind}): {message}")
    missing = [
        n
        for n, p in parameters.items()
        if p.default is p.empty and p.kind is not p.VAR_KEYWORD and n not in kwargs
    ]
    if missing:
        raise CKafkaUsageError(f'{where} ({kind}): missing "{missing[0]}"')
    check_arguments(method, kwargs, where)  # the types, as the Python API checks them
    return method, kwargs
