"""``ckafka.state`` for traffic throttles: ``add_throttle_rule`` and ``throttle_rules``.

A seeded rule is what CreateThrottleRule makes from the same values (see
:mod:`~pytest_ckafka.backend.throttles`): one target, its throttles in MB/s.
"""

from __future__ import annotations

from typing import Optional

from ..exceptions import CKafkaUsageError
from .models import ThrottleRule
from .state_base import StateBase
from .throttles import THROTTLE_LISTS, throttle_target

__all__ = ["ThrottleState"]


class ThrottleState(StateBase):
    """Seed and inspect traffic throttle rules."""

    def add_throttle_rule(
        self,
        instance_id: str,
        name: str,
        *,
        throttle_type: int = 1,
        client_id: str = "",
        consume_throttle: Optional[int] = 10,
        produce_throttle: Optional[int] = None,
    ) -> int:
        """Throttle one target and return the ``ThrottleRuleId``.

        ``name`` is what ``throttle_type`` throttles: a user (1, with ``client_id``
        for a user and client pair, or ``""`` and a ``client_id`` alone), a consumer
        group (2) or a topic of the instance (3). Throttles are MB/s; at least one
        is set (``consume_throttle`` 10 by default).
        """
        self._check_seed(
            "add_throttle_rule", instance_id=instance_id, name=name, throttle_type=throttle_type,
            client_id=client_id, consume_throttle=consume_throttle,
            produce_throttle=produce_throttle,
        )  # fmt: skip
        where = "state.add_throttle_rule"
        if throttle_type not in THROTTLE_LISTS:
            raise CKafkaUsageError(
                f"{where}: throttle_type is 1 (user/client), 2 (group) or 3 (topic), "
                f"got {throttle_type!r}"
            )
        if client_id and throttle_type != 1:
            raise CKafkaUsageError(f"{where}: client_id is for throttle_type 1 only")
        if not (name or client_id):
            raise CKafkaUsageError(f"{where}: name (or client_id) names what to throttle")
        if consume_throttle is None and produce_throttle is None:
            raise CKafkaUsageError(f"{where}: set consume_throttle or produce_throttle")
        with self.backend.lock:
            instance = self.instance(instance_id)
            if throttle_type == 3 and name not in instance.topics:
                raise CKafkaUsageError(f"{where}: {instance_id} has no topic {name}")
            rule = ThrottleRule(
                0,
                throttle_type,
                self.backend.clock.now(),
                user_name=name if throttle_type == 1 else "",
                client_id=client_id,
                group_name=name if throttle_type == 2 else "",
                topic_name=name if throttle_type == 3 else "",
                consume_throttle=consume_throttle,
                produce_throttle=produce_throttle,
            )
            for other in instance.throttle_rules.values():
                if throttle_target(other) == throttle_target(rule):
                    raise CKafkaUsageError(
                        f"{where}: {instance_id} already throttles that with rule {other.rule_id}"
                    )
            rule.rule_id = self.backend.next_number()
            instance.throttle_rules[rule.rule_id] = rule
        return rule.rule_id

    def throttle_rules(self, instance_id: str) -> list[ThrottleRule]:
        """The throttle rules of ``instance_id``, oldest first."""
        with self.backend.lock:
            return list(self.instance(instance_id).throttle_rules.values())
