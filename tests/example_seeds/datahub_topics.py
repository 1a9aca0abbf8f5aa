"""The DataHub topic family's documented examples: what they refer to, and the ones refused.

Several examples name a placeholder topic (``appId-test``, ``resourceName``,
``topic-test``, ``name``): the fake answers ``ResourceNotFound`` for it, and the
fix names the topic seeded here.
"""

from __future__ import annotations

from typing import Any

from . import REFUSED, seeds_for

SEEDED = "1300957330-test"

REFUSED.update(
    {
        action: ("ResourceNotFound", {"Name": SEEDED})
        for action in (
            "ModifyDatahubTopic",
            "FetchDatahubMessageByOffset",
            "FetchLatestDatahubMessageList",
            "DescribeDatahubGroupOffsets",
        )
    }
)


@seeds_for(
    "CreateDatahubTopic",
    "DescribeDatahubTopic",
    "DescribeDatahubTopics",
    "ModifyDatahubTopic",
    "DeleteDatahubTopic",
    "FetchDatahubMessageByOffset",
    "FetchLatestDatahubMessageList",
    "DescribeDatahubGroupOffsets",
    "SendMessage",
)
def seed_datahub_topics(ckafka: Any, example: dict[str, Any]) -> None:
    """A two-partition topic with messages and a group's offsets, and the examples' own names."""
    state = ckafka.state
    state.add_datahub_topic(SEEDED, partitions=2, datahub_id=example.get("DataHubId"))
    for partition in (0, 1):
        state.add_datahub_messages(SEEDED, ["a", ("k", "b"), "c"], partition=partition)
    group = example.get("Group")
    if group is not None:
        state.add_datahub_group_offsets(SEEDED, group, [1, 2])
    name = example.get("Name")
    if name is not None and name.split("-")[0].isdigit() and name != SEEDED:
        if example.get("PartitionNum") is None:  # not CreateDatahubTopic's new name
            state.add_datahub_topic(name)
