"""Action handlers and what they are given: the moto-style ``responses`` layer.

A family module registers one function per action with :func:`answers`. The
function reads the request through its :class:`Context`, changes the store,
and returns the ``Response`` members (no ``RequestId``). It raises
:class:`~.errors.ApiError` for a rule the call breaks, and it checks every rule
*before* it changes anything, so a failed call leaves the state as it was.
"""

from __future__ import annotations

import random
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable, NoReturn, Optional, Protocol, TypeVar

from ..api.synth import synthesize
from ..clock import Clock
from ..defaults import DEFAULT_ACCOUNT
from .errors import ApiError, ShapeError, not_found_code
from .models import CHANGING, ISOLATED, RUNNING, Instance, RegionStore, Task, Topic

__all__ = ["HANDLERS", "BackendView", "Context", "Handler", "answers"]

Body = dict[str, Any]
HandlerFunc = Callable[["Context"], Body]
F = TypeVar("F", bound=HandlerFunc)
R = TypeVar("R")

_ID_ALPHABET = string.ascii_lowercase + string.digits


@dataclass(frozen=True)
class Handler:
    """One implemented action: its function and the family (module) it belongs to."""

    action: str
    func: HandlerFunc
    family: str


HANDLERS: dict[str, Handler] = {}


def answers(action: str) -> Callable[[F], F]:
    """Register the decorated function as the stateful answer to ``action``."""

    def register(func: F) -> F:
        if action in HANDLERS:
            raise RuntimeError(f"{action} has two stateful handlers")
        family = func.__module__.rsplit(".", 1)[-1]
        HANDLERS[action] = Handler(action, func, family)
        return func

    return register


class BackendView(Protocol):
    """What a handler reaches of the backend (``dispatch.Backend``) through its :class:`Context`.

    A protocol, so that this module, which every family imports, does not import
    ``dispatch``, which imports every family.
    """

    clock: Clock
    rng: random.Random
    default_region: str

    def store(self, account: str, region: str) -> RegionStore: ...

    def where_is(self, instance_id: str) -> Optional[tuple[str, str]]: ...

    def new_id(self, prefix: str) -> str: ...

    def next_number(self) -> int: ...

    def new_task(self, store: RegionStore, kind: str, instance_id: str, now: float) -> Task: ...

    def observe(self, instance: Instance, now: float, *, count: bool = True) -> None: ...

    def poll(self, task: Task, now: float) -> None: ...

    def due(self, since: float, seen: int, now: float) -> bool: ...


class Context:
    """One call as a handler sees it: the request, the caller's store, the clock.

    ``store`` is the :class:`RegionStore` of the calling account and
    region; ``rng`` makes ids (seeded backends make the same ids every run).
    ``validated`` is False when request validation is off (``validate=False``):
    the request-shape rules are off then too (:meth:`reject_shape`).
    """

    def __init__(
        self,
        backend: BackendView,
        action: str,
        params: Mapping[str, Any],
        account: str,
        region: str,
        *,
        validated: bool = True,
    ) -> None:
        self.backend = backend
        self.action = action
        self.params = params
        self.account = account
        self.region = region
        self.validated = validated
        self.store: RegionStore = backend.store(account, region)
        self.now: float = backend.clock.now()
        self.rng: random.Random = backend.rng

    # -- reading the request -------------------------------------------------

    def get(self, name: str, default: Any = None) -> Any:
        """The request member ``name`` (validated against the spec already), or ``default``."""
        value = self.params.get(name)
        return default if value is None else value

    # -- failing ---------------------------------------------------------------

    def fail(self, code: str, message: str) -> NoReturn:
        """Answer this call with the error ``code``; nothing may have changed yet.

        For a business rule, one that reads the state. A rule on the request's
        values alone is a shape rule: :meth:`reject_shape`.
        """
        raise ApiError(code, message)

    def reject_shape(self, message: str, code: str = "InvalidParameterValue") -> None:
        """A request-shape rule is broken: fail the call, unless validation is off.

        Every rule on the request's values alone (a documented range, enum,
        length or format, a filter name, a page size) is answered through here,
        the one place ``validate=False`` turns them off. Then this returns and
        the handler goes on leniently: it clamps a page size into range, ignores
        an unknown filter, and keeps any other value as sent.
        """
        if self.validated:
            raise ShapeError(code, message)

    def check_shape(self, check: Callable[..., None], *args: Any) -> None:
        """Run ``check``, a function of shape rules only (it raises :class:`ShapeError`).

        With validation off the check is skipped, as :meth:`reject_shape` would
        let each of its rules pass.
        """
        if self.validated:
            check(*args)

    # -- finding resources ------------------------------------------------------

    def instance(self, member: str = "InstanceId") -> Instance:
        """The instance named by ``member``, or the not-found error this action documents.

        The message says where the id does exist (another region or account),
        the usual reason a seeded instance is "missing".
        """
        return self.instance_by_id(str(self.get(member, "")))

    def instance_by_id(self, instance_id: str) -> Instance:
        """As :meth:`instance`, for an id read from elsewhere (a list of routes, say)."""
        instance = self.store.instances.get(instance_id)
        if instance is None:
            message = f"The instance `{instance_id}` does not exist."
            elsewhere = self.backend.where_is(instance_id)
            if elsewhere and elsewhere != (self.account, self.region):
                message += (
                    f" It exists in {_where(*elsewhere)}; this call was made in "
                    f"{_where(self.account, self.region)}."
                )
            self.fail(not_found_code(self.action), message)
        return instance

    def running_instance(self, member: str = "InstanceId") -> Instance:
        """As :meth:`instance`, and the instance must be running: not creating (Status 0),
        isolated (5) or changing (7); each is ``ResourceUnavailable``."""
        return self.running(self.instance(member))

    def running(self, instance: Instance) -> Instance:
        """``instance``, which must be running (see :meth:`running_instance`)."""
        self.backend.observe(instance, self.now, count=False)
        if instance.status == ISOLATED:
            self.fail(
                "ResourceUnavailable",
                f"The instance `{instance.instance_id}` is isolated (Status 5); renew it "
                "with RenewCkafkaInstance first.",
            )
        if instance.status == CHANGING:
            self.fail(
                "ResourceUnavailable",
                f"The instance `{instance.instance_id}` is being changed (Status 7, task "
                f"{instance.change.flow_id if instance.change else 0}); wait until "
                "DescribeInstanceAttributes reports Status 1.",
            )
        if instance.status != RUNNING:
            self.fail(
                "ResourceUnavailable",
                f"The instance `{instance.instance_id}` is not running yet "
                f"(Status {instance.status}); wait until DescribeInstanceAttributes "
                "reports Status 1.",
            )
        return instance

    def topic(self, instance: Instance, member: str = "TopicName") -> Topic:
        """The topic named by ``member`` in ``instance``, or ``ResourceNotFound``."""
        return self.owned(instance, instance.topics, member, "topic")

    def owned(self, instance: Instance, owned: Mapping[str, R], member: str, kind: str) -> R:
        """The ``kind`` (topic, user, consumer group...) in ``owned`` named by ``member``.

        A name ``instance`` does not hold answers ``ResourceNotFound``.
        """
        name = str(self.get(member, ""))
        found = owned.get(name)
        if found is None:
            self.fail(
                "ResourceNotFound",
                f"The {kind} `{name}` does not exist in instance `{instance.instance_id}`.",
            )
        return found

    # -- making things ----------------------------------------------------------

    def new_id(self, prefix: str) -> str:
        """A fresh id in CKafka's format, e.g. ``ckafka-k3x9q2ab`` or ``topic-0a1b2c3d``."""
        return self.backend.new_id(prefix)

    def new_task(self, kind: str, instance_id: str) -> Task:
        """Start an asynchronous task (Status 2) whose FlowId DescribeTaskStatus reports on."""
        return self.backend.new_task(self.store, kind, instance_id, self.now)

    def shape(self, object_name: str, **members: Any) -> Body:
        """A complete, spec-valid ``object_name`` with ``members`` set over the defaults."""
        body = synthesize(object_name)
        body.update(members)
        return body

    def operate(self, flow_id: Optional[int] = None) -> Body:
        """The ``JgwOperateResponse`` most write actions answer with."""
        data = {"FlowId": flow_id or 0}
        return {
            "Result": self.shape(
                "JgwOperateResponse", ReturnCode="0", ReturnMessage="ok", Data=data
            )
        }


def _where(account: str, region: str) -> str:
    # The account's name, never a SecretId: keys map to accounts (add_credentials(account=)).
    if account == DEFAULT_ACCOUNT:
        return f"region {region} (default account)"
    return f"region {region} (account `{account}`)"


def new_id(rng: random.Random, prefix: str) -> str:
    """``prefix-`` and eight lowercase letters and digits."""
    return f"{prefix}-" + "".join(rng.choice(_ID_ALPHABET) for _ in range(8))
