"""``ckafka.state`` for connect resources: seed them, look at them.

A connect resource lives in an account and region, like an instance; the
defaults seed what ``CreateConnectResource`` makes from the same values (a
self-built Kafka connection, which needs no instance).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .connect import CONNECT_TYPES
from .models import ConnectResource
from .state_base import StateBase

__all__ = ["ConnectState"]

_DEFAULT_PARAMS = {"SelfBuilt": True, "NetworkType": "PUBLIC", "BrokerAddress": "10.0.0.30:9092"}


class ConnectState(StateBase):
    """Seeding and inspection of connect resources (DataHub connections)."""

    def add_connect_resource(
        self,
        name: str = "connect-resource",
        *,
        resource_type: str = "KAFKA",
        params: Optional[Mapping[str, Any]] = None,
        description: str = "",
        tags: Optional[Sequence[Mapping[str, str]]] = None,
        resource_id: Optional[str] = None,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> str:
        """Add a running connect resource and return its id (``resource-xxxxxxxx``).

        ``params`` are the members of the type's ``<Kind>ConnectParam`` (e.g.
        ``MySQLConnectParam``); without them a Kafka resource is a self-built
        cluster on the public network at ``10.0.0.30:9092``.
        """
        sent = dict(
            _DEFAULT_PARAMS if params is None and resource_type == "KAFKA" else params or {}
        )
        listed = [dict(t) for t in tags or ()]
        self._check_seed(
            "add_connect_resource", name=name, resource_type=resource_type, params=sent,
            description=description, tags=listed, resource_id=resource_id, region=region,
            account=account,
        )  # fmt: skip
        if resource_type not in CONNECT_TYPES:
            message = unknown_name_message("resource_type", resource_type, CONNECT_TYPES)
            raise CKafkaUsageError(f"state.add_connect_resource: {message}")
        with self.backend.lock:
            store = self._store(account, region)
            for other in store.connect_resources.values():
                if name == other.name or resource_id == other.resource_id:
                    raise CKafkaUsageError(
                        f"state.add_connect_resource: {other.resource_id} ({other.name}) "
                        "already exists"
                    )
            if resource_id is None:
                resource_id = self.backend.new_id("resource")
            store.connect_resources[resource_id] = ConnectResource(
                resource_id=resource_id,
                name=name,
                type=resource_type,
                created_at=self.backend.clock.now(),
                description=description,
                params=copy.deepcopy(sent),
                tags=listed,
            )
        return resource_id

    def connect_resources(
        self, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[ConnectResource]:
        """The connect resources of ``account`` in ``region``, in creation order."""
        with self.backend.lock:
            return list(self._store(account, region).connect_resources.values())

    def connect_resource(self, resource_id: str) -> ConnectResource:
        """One connect resource, in whichever account and region holds it."""
        with self.backend.lock:
            known: list[str] = []
            for _, _, store in self.backend.stores():
                if resource_id in store.connect_resources:
                    return store.connect_resources[resource_id]
                known += store.connect_resources
            raise CKafkaUsageError(
                "ckafka.state: " + unknown_name_message("connect resource", resource_id, known)
            )
