"""The routes' documented examples the generic seeding in ``tests/test_sdk.py`` cannot serve."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from . import seeds_for

_BEIJING = timezone(timedelta(hours=8))


@seeds_for("DeleteRouteTriggerTime")
def seed_scheduled_route(ckafka: Any, example: dict[str, Any]) -> None:
    # The example is a GET URL whose values keep their quotes ('ckafka-xxx'), and its
    # DelayTime (2020) is long past: the same call, unquoted, an hour from the fake's now,
    # for a public route scheduled for deletion in 10 minutes.
    instance_id = example["InstanceId"].strip("'")
    ckafka.state.add_instance(instance_id)
    ckafka.state.add_route(
        instance_id, vip_type=1, vip="203.0.113.9", delete_at=ckafka.clock.now() + 600
    )
    example.update(InstanceId=instance_id, DelayTime=_later(ckafka, 3600))


def _later(ckafka: Any, seconds: float) -> str:
    when = datetime.fromtimestamp(ckafka.clock.now() + seconds, _BEIJING)
    return when.strftime("%Y-%m-%d %H:%M:%S")
