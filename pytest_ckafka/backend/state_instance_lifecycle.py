"""``ckafka.state`` for an instance's lifecycle: routine maintenance tasks and pending changes.

The broker version and an isolated instance are seeded with ``add_instance``
(``broker_version="v2.8.1_r1.1.7"``, ``status=5``); this mixin adds the routine
maintenance settings ModifyRoutineMaintenanceTask makes, and shows them and the
change an instance is going through.
"""

from __future__ import annotations

from typing import Optional

from ..exceptions import CKafkaUsageError
from .instance_lifecycle import maintenance_key
from .models import Change, MaintenanceTask
from .state_base import StateBase

__all__ = ["InstanceLifecycleState"]


class InstanceLifecycleState(StateBase):
    """Seeding and inspection of maintenance tasks and spec changes (a ``State`` mixin)."""

    def add_maintenance_task(
        self,
        instance_id: str,
        maintenance_type: str = "QUOTA",
        maintenance_subtype: str = "INSTANCE_STORAGE_CAPACITY",
        *,
        topic_name: str = "",
        configure_threshold: Optional[int] = None,
        configure_step_size: Optional[int] = None,
        configure_limit: Optional[int] = None,
        planned_time: Optional[int] = None,
        extra_config: str = "",
        status: int = 0,
        week: str = "",
    ) -> None:
        """Set a routine maintenance task, as ModifyRoutineMaintenanceTask does.

        The default is the documented one: disk auto-expansion (``QUOTA``,
        ``INSTANCE_STORAGE_CAPACITY``), on (``status=0``). A ``topic_name`` must exist.
        """
        self._check_seed(
            "add_maintenance_task", instance_id=instance_id, maintenance_type=maintenance_type,
            maintenance_subtype=maintenance_subtype, topic_name=topic_name,
            configure_threshold=configure_threshold, configure_step_size=configure_step_size,
            configure_limit=configure_limit, planned_time=planned_time,
            extra_config=extra_config, status=status, week=week,
        )  # fmt: skip
        task = MaintenanceTask(
            maintenance_type=maintenance_type,
            maintenance_subtype=maintenance_subtype,
            topic_name=topic_name,
            configure_threshold=configure_threshold,
            configure_step_size=configure_step_size,
            configure_limit=configure_limit,
            planned_time=planned_time,
            extra_config=extra_config,
            status=status,
            week=week,
        )
        with self.backend.lock:
            instance = self.instance(instance_id)
            if topic_name and topic_name not in instance.topics:
                raise CKafkaUsageError(
                    f"state.add_maintenance_task: {instance_id} has no topic {topic_name}"
                )
            instance.maintenance[maintenance_key(task)] = task

    def maintenance_tasks(self, instance_id: str) -> list[MaintenanceTask]:
        """The routine maintenance tasks set on ``instance_id``."""
        with self.backend.lock:
            return list(self.instance(instance_id).maintenance.values())

    def pending_change(self, instance_id: str) -> Optional[Change]:
        """The spec or version change ``instance_id`` is going through (Status 7), if any."""
        with self.backend.lock:
            return self.instance(instance_id).change
