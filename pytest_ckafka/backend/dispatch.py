"""The stateful backend: one lock, a store per account and region, the handlers.

:meth:`Backend.answer` is pure like the core: an action and its (validated)
params in, the ``Response`` members out, or an :class:`~.errors.ApiError`.
Calls are serialised by one lock, so threads see every call whole.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Iterator, Mapping
from typing import Any, Optional

from ..api.bodycheck import check_body
from ..clock import Clock
from ..defaults import DEFAULT_ACCOUNT, DEFAULT_REGION
from ..exceptions import CKafkaAssertionError
from .changes import finish_change, may_finish, pending_change
from .errors import ApiError, ShapeError, allowed_codes
from .models import Instance, RegionStore, Task, dump_store, load_store
from .registry import HANDLERS, Context, new_id
from .routes import purge_scheduled

__all__ = ["DEFAULT_ACCOUNT", "Backend", "stateful_actions"]

# The families register their handlers when imported.
from . import (  # noqa: F401  (imported for their registrations)
    access,
    acl_rules,
    acls,
    cdc,
    connect,
    datahub_tasks,
    datahub_topics,
    group_ops,
    groups,
    instance_lifecycle,
    instances,
    messages,
    monitoring,
    routes,
    sales,
    security_groups,
    throttles,
    topic_stats,
    topics,
    users,
)


def stateful_actions() -> dict[str, str]:
    """Every action the backend implements, with its family, sorted by action."""
    return {name: HANDLERS[name].family for name in sorted(HANDLERS)}


class Backend:
    """Resources that live across calls, per account and region.

    A creating instance (Status 0) and a running task (Status 2) finish after
    ``ready_after_describes`` describe calls have seen them, or once the clock
    passes ``ready_after_seconds`` after their creation, whichever comes first.
    """

    check_bodies = False
    """Check every answer against the spec (this project's own suite turns it on)."""

    def __init__(self, clock: Optional[Clock] = None, *, seed: Optional[int] = None) -> None:
        self.clock = clock or Clock()
        self.rng = random.Random(seed)
        self.ready_after_describes = 1
        self.ready_after_seconds: Optional[float] = None
        self.default_account = DEFAULT_ACCOUNT
        self.default_region = DEFAULT_REGION
        self.lock = threading.RLock()
        self._stores: dict[tuple[str, str], RegionStore] = {}
        self._flows = itertools.count(1000)
        self._numbers = itertools.count(1)

    # -- answering -----------------------------------------------------------

    @staticmethod
    def implements(action: str) -> bool:
        """True when ``action`` has a stateful answer."""
        return action in HANDLERS

    def answer(
        self,
        action: str,
        params: Mapping[str, Any],
        account: Optional[str],
        region: Optional[str],
        *,
        validated: bool = True,
    ) -> dict[str, Any]:
        """The ``Response`` members for one call; raises :class:`ApiError` to fail it.

        Handlers trust that ``params`` passed validation. When it was switched off
        (``validated=False``), the backend's own request-shape rules are off too
        (see :class:`~.errors.ShapeError`): page sizes are clamped, unknown
        filters ignored, other values kept as sent. A request a handler cannot
        read at all is answered ``InvalidParameter`` instead of crashing the fake.
        """
        handler = HANDLERS[action]
        with self.lock:
            context = Context(
                self,
                action,
                params,
                account or self.default_account,
                region or self.default_region,
                validated=validated,
            )
            try:
                body = handler.func(context)
            except (TypeError, ValueError, KeyError, AttributeError) as exc:
                if validated:
                    raise
                raise ApiError(
                    "InvalidParameter",
                    f"{action}: the request could not be read ({type(exc).__name__}: {exc}); "
                    "it was not validated against the spec (validate=False).",
                ) from exc
            except ApiError as error:
                if isinstance(error, ShapeError) and not validated:
                    raise CKafkaAssertionError(
                        f"pytest-ckafka bug: the stateful {action} enforced a request-shape rule "
                        f"with validation off ({error}); it must go through Context.reject_shape"
                    ) from error
                if error.code not in allowed_codes(action):
                    raise CKafkaAssertionError(
                        f"pytest-ckafka bug: the stateful {action} answered {error.code}, which "
                        "the API reference does not document for it and is not a common code"
                    ) from error
                raise
        if self.check_bodies:
            check_body(action, body)
        return body

    # -- the stores ------------------------------------------------------------

    def store(self, account: str, region: str) -> RegionStore:
        """The store of ``account`` in ``region`` (created empty on first use)."""
        with self.lock:
            store = self._stores.get((account, region))
            if store is None:
                store = self._stores[account, region] = RegionStore()
            return store

    def stores(self) -> Iterator[tuple[str, str, RegionStore]]:
        """Every non-empty store as ``(account, region, store)``."""
        for (account, region), store in list(self._stores.items()):
            if not store.is_empty():
                yield account, region, store

    def where_is(self, instance_id: str) -> Optional[tuple[str, str]]:
        """``(account, region)`` holding ``instance_id``, if any store does."""
        with self.lock:
            for (account, region), store in self._stores.items():
                if instance_id in store.instances:
                    return account, region
            return None

    def reset(self) -> None:
        """Forget every resource, task and sent message."""
        with self.lock:
            self._stores.clear()

    # -- ids, tasks and time ---------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A fresh CKafka-format id not used in any store."""
        while True:
            candidate = new_id(self.rng, prefix)
            if self.where_is(candidate) is None:
                return candidate

    def next_number(self) -> int:
        """A fresh positive integer (user and route ids)."""
        return next(self._numbers)

    def new_task(self, store: RegionStore, kind: str, instance_id: str, now: float) -> Task:
        """Record a running task (Status 2) and return it."""
        task = Task(next(self._flows), kind, instance_id, now)
        store.tasks[task.flow_id] = task
        return task

    def due(self, since: float, seen: int, now: float) -> bool:
        """True when asynchronous work started at ``since`` and seen ``seen`` times is done."""
        return self._due(since, seen, now)

    def _due(self, created_at: float, seen: int, now: float) -> bool:
        if seen >= self.ready_after_describes:
            return True
        after = self.ready_after_seconds
        return after is not None and now >= created_at + after

    def observe(self, instance: Instance, now: float, *, count: bool = True) -> None:
        """A describe call sees ``instance``: a creating one may start running.

        It reports Status 0 to its first ``ready_after_describes`` describes.
        ``count=False`` only applies the clock (a call that is not a describe).
        Routes whose scheduled deletion time has passed go, so no answer shows them.
        """
        purge_scheduled(instance, now)
        if instance.status == 0 and self._due(instance.created_at, instance.describes, now):
            instance.status = 1
        if count:
            instance.describes += 1
        if instance.change is not None:
            # A describe is a look at the change's task too (see backend/changes.py).
            where = self.where_is(instance.instance_id)
            task = self.store(*where).tasks.get(instance.change.flow_id) if where else None
            if task is None:  # a loaded state without its task: nothing left to wait for
                finish_change(instance)
            else:
                self._advance(task, now, count=count)

    def poll(self, task: Task, now: float) -> None:
        """DescribeTaskStatus sees ``task``: a running one may succeed (and apply its change)."""
        self._advance(task, now, count=True)

    def _advance(self, task: Task, now: float, *, count: bool) -> None:
        where = self.where_is(task.instance_id)
        instance = self.store(*where).instances.get(task.instance_id) if where else None
        change = pending_change(instance, task)
        if task.status == 2 and self._due(task.created_at, task.polls, now):
            if may_finish(change, now):
                task.status = 0
                if instance is not None and change is not None:
                    finish_change(instance)
        if count:
            task.polls += 1

    # -- saving and loading -------------------------------------------------------

    def dump(self) -> dict[str, Any]:
        """The whole state as JSON-ready data (``--state FILE`` writes this)."""
        with self.lock:
            return {
                "stores": [
                    {"account": account, "region": region, **dump_store(store)}
                    for account, region, store in self.stores()
                ]
            }

    def load(self, data: Mapping[str, Any]) -> None:
        """Replace the state with :meth:`dump` data; bad data raises and changes nothing."""
        loaded: dict[tuple[str, str], RegionStore] = {}
        for raw in data.get("stores", []):
            raw = dict(raw)
            key = (str(raw.pop("account")), str(raw.pop("region")))
            loaded[key] = load_store(raw)
        flows = [f for store in loaded.values() for f in store.tasks]
        numbers = [
            n
            for store in loaded.values()
            for instance in store.instances.values()
            for n in (
                *(u.user_id for u in instance.users.values()),
                *instance.routes,
                *(r.rule_id for r in instance.acl_rules.values()),
                *instance.throttle_rules,
            )
        ]
        with self.lock:
            self._stores = loaded
            self._flows = itertools.count(max(flows, default=999) + 1)
            self._numbers = itertools.count(max(numbers, default=0) + 1)
