"""The CDC family's documented examples: the task CheckCdcCluster's example asks about."""

from __future__ import annotations

from typing import Any

from . import seeds_for


@seeds_for("CheckCdcCluster")
def seed_cdc_task(ckafka: Any, example: dict[str, Any]) -> None:
    # Task ids are the fake's to give: the example's 111 becomes the seeded cluster's.
    example["TaskId"] = ckafka.state.add_cdc_cluster("cluster-d8htgb6k")
