"""``ckafka.state`` for DataHub tasks: seed them, look at them.

A seeded task is settled (running unless ``status`` says otherwise) and refers
to what exists: its connect resources must be seeded first. The defaults seed
what ``CreateDatahubTask`` makes from the same values: an HTTP source into a
self-built Kafka cluster, which needs nothing else seeded.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any, Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .datahub_status import SETTLED, STATUS_NAMES
from .models import DatahubTask
from .state_base import StateBase

__all__ = ["DatahubTaskState"]

_DEFAULT_SOURCE = {"Type": "HTTP"}
_DEFAULT_TARGET = {
    "Type": "KAFKA",
    "KafkaParam": {"SelfBuilt": True, "Resource": "kafka-self-built", "Topic": "events"},
}


class DatahubTaskState(StateBase):
    """Seeding and inspection of DataHub (connector) tasks."""

    def add_datahub_task(
        self,
        name: str = "datahub-task",
        *,
        task_type: str = "SOURCE",
        source: Optional[Mapping[str, Any]] = None,
        target: Optional[Mapping[str, Any]] = None,
        status: int = 1,
        description: str = "",
        tags: Optional[Sequence[Mapping[str, str]]] = None,
        task_id: Optional[str] = None,
        region: Optional[str] = None,
        account: Optional[str] = None,
    ) -> str:
        """Add a task and return its id (``task-xxxxxxxx``; its DatahubId ``datahub-xxxxxxxx``).

        ``source`` and ``target`` are ``DatahubResource`` members as CreateDatahubTask
        takes them; a ``Resource`` of a connect-resource kind (``MySQLParam``...) must
        be a seeded connect resource, a ``TopicParam``'s a seeded DataHub topic.
        ``status`` is a settled one: 1 running, 6
        paused, or a failure (-1, 4, 7, 9).
        """
        sent_source = dict(copy.deepcopy(source if source is not None else _DEFAULT_SOURCE))
        sent_target = dict(copy.deepcopy(target if target is not None else _DEFAULT_TARGET))
        listed = [dict(t) for t in tags or ()]
        self._check_seed(
            "add_datahub_task", name=name, task_type=task_type, source=sent_source,
            target=sent_target, status=status, description=description, tags=listed,
            task_id=task_id, region=region, account=account,
        )  # fmt: skip
        if status not in SETTLED:
            choices = ", ".join(f"{s} ({STATUS_NAMES[s]})" for s in SETTLED)
            raise CKafkaUsageError(
                f"state.add_datahub_task: status is one of {choices}; got {status!r}"
            )
        with self.backend.lock:
            store = self._store(account, region)
            used = []
            for side in (sent_source, sent_target):
                for value in side.values():
                    resource_id = value.get("Resource") if isinstance(value, dict) else None
                    if isinstance(resource_id, str) and resource_id.startswith("resource-"):
                        if resource_id not in store.connect_resources:
                            raise CKafkaUsageError(
                                "state.add_datahub_task: "
                                + unknown_name_message(
                                    "connect resource", resource_id, store.connect_resources
                                )
                                + " (seed it with state.add_connect_resource)"
                            )
                        used.append(resource_id)
            for side in (sent_source, sent_target):
                topic = side.get("TopicParam") if side.get("Type") == "TOPIC" else None
                wanted = topic.get("Resource") if isinstance(topic, dict) else None
                if wanted is not None and wanted not in store.datahub_topics:
                    raise CKafkaUsageError(
                        "state.add_datahub_task: "
                        + unknown_name_message("DataHub topic", str(wanted), store.datahub_topics)
                        + " (seed it with state.add_datahub_topic)"
                    )
            for other in store.datahub_tasks.values():
                if name == other.name or task_id == other.task_id:
                    raise CKafkaUsageError(
                        f"state.add_datahub_task: {other.task_id} ({other.name}) already exists"
                    )
            if task_id is None:
                task_id = self.backend.new_id("task")
            now = self.backend.clock.now()
            store.datahub_tasks[task_id] = DatahubTask(
                task_id=task_id,
                name=name,
                task_type=task_type,
                created_at=now,
                datahub_id="datahub-" + task_id.removeprefix("task-"),
                status=status,
                changed_at=now,
                source=sent_source,
                target=sent_target,
                resource_ids=sorted(set(used)),
                description=description,
                tags=listed,
            )
        return task_id

    def datahub_tasks(
        self, *, region: Optional[str] = None, account: Optional[str] = None
    ) -> list[DatahubTask]:
        """The DataHub tasks of ``account`` in ``region``, in creation order.

        Statuses are as last settled by a call: a transition due on the clock shows
        once an API call has seen it.
        """
        with self.backend.lock:
            return list(self._store(account, region).datahub_tasks.values())

    def datahub_task(self, task_id: str) -> DatahubTask:
        """One DataHub task, in whichever account and region holds it."""
        with self.backend.lock:
            known: list[str] = []
            for _, _, store in self.backend.stores():
                if task_id in store.datahub_tasks:
                    return store.datahub_tasks[task_id]
                known += store.datahub_tasks
            raise CKafkaUsageError(
                "ckafka.state: " + unknown_name_message("DataHub task", task_id, known)
            )
