"""What every part of ``ckafka.state`` shares: the backend, the stores, the instance lookup.

:class:`~.state.State` is this base plus one mixin per resource family (the
instance, topic, group, user, ACL and route seeding live in ``state.py``; a new
family puts its ``add_*`` seeding and its inspection in a ``state_FAMILY.py``
mixin that subclasses :class:`StateBase`, and joins ``State``'s bases). Every
``add_KIND`` method is a seed kind of the control API and ``--seed`` files too.
"""

from __future__ import annotations

from typing import Any, Optional

from ..api.limits import check_data
from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .dispatch import Backend
from .models import Instance, RegionStore
from .seed_arguments import check_arguments

__all__ = ["StateBase"]


class StateBase:
    """The backend behind ``ckafka.state`` and the lookups every family's seeding uses."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def instance(self, instance_id: str) -> Instance:
        """The instance ``instance_id``, in whichever account and region holds it."""
        with self.backend.lock:  # where_is walks the stores a call may be adding to
            where = self.backend.where_is(instance_id)
            if where is None:
                known = [i for _, _, s in self.backend.stores() for i in s.instances]
                if not known:
                    raise CKafkaUsageError(
                        f'ckafka.state: unknown instance "{instance_id}": there are no '
                        "instances yet (add one with state.add_instance)"
                    )
                raise CKafkaUsageError(
                    "ckafka.state: " + unknown_name_message("instance", instance_id, known)
                )
            return self.backend.store(*where).instances[instance_id]

    def _store(self, account: Optional[str], region: Optional[str]) -> RegionStore:
        return self.backend.store(
            account or self.backend.default_account, region or self.backend.default_region
        )

    def _check_seed(self, method: str, **fields: Any) -> None:
        """A seed's arguments: that they serialize (see :mod:`.state`), then their types."""
        check_data(fields, f"state.{method}")
        check_arguments(getattr(type(self), method), fields, f"state.{method}")
