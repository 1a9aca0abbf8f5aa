"""Rendering: a model :class:`~.models.Topic` as the API's response objects.

:mod:`.topics` decides which topics a call answers; the functions here only
turn one into ``TopicEntity`` (DescribeTopic), ``TopicDetail``
(DescribeTopicDetail), ``TopicAttributesResponse`` (DescribeTopicAttributes)
or their shared ``Config``. They read the model and never change it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .models import Topic
from .registry import Body

__all__ = ["topic_attributes", "topic_config", "topic_detail", "topic_entity"]

# Defaults the documents give (RetentionMs 7200000, SegmentMs 86400000, MinInsyncReplicas 1,
# UncleanLeaderElectionEnable 0, CleanUpPolicy delete). MaxMessageBytes has none: both
# documented examples answer 8388608. Members nobody set answer null, as the examples do.
_CONFIG_DEFAULTS = {
    "Retention": 7_200_000,
    "MinInsyncReplicas": 1,
    "CleanUpPolicy": "delete",
    "SegmentMs": 86_400_000,
    "UncleanLeaderElectionEnable": 0,
    "MaxMessageBytes": 8_388_608,
}


def topic_config(topic: Topic) -> Body:
    """The topic's ``Config``: its configuration members over the documented defaults."""
    config = topic.config
    answer: Body = {
        "Retention": config.get("RetentionMs", _CONFIG_DEFAULTS["Retention"]),
        "SegmentBytes": None,  # not a request member anywhere
        "RetentionBytes": config.get("RetentionBytes"),
        "LogMsgTimestampType": config.get("LogMsgTimestampType"),
    }
    for member in ("MinInsyncReplicas", "CleanUpPolicy", "SegmentMs", "MaxMessageBytes"):
        answer[member] = config.get(member, _CONFIG_DEFAULTS[member])
    unclean = config.get(
        "UncleanLeaderElectionEnable", _CONFIG_DEFAULTS["UncleanLeaderElectionEnable"]
    )
    answer["UncleanLeaderElectionEnable"] = int(unclean)
    return answer


def topic_entity(topic: Topic) -> Body:
    """DescribeTopic's ``TopicEntity``: TopicId, TopicName and Note."""
    return {"TopicId": topic.topic_id, "TopicName": topic.name, "Note": topic.note}


def topic_detail(topic: Topic) -> Body:
    """DescribeTopicDetail's ``TopicDetail``: counts, whitelist, config and retention."""
    retention = int(topic.config.get("RetentionMs", _CONFIG_DEFAULTS["Retention"]))
    whitelist = topic.config.get("IpWhiteList") or []
    return {
        "TopicName": topic.name,
        "TopicId": topic.topic_id,
        "PartitionNum": topic.partition_num,
        "ReplicaNum": topic.replica_num,
        "Note": topic.note,
        "CreateTime": int(topic.created_at),
        "EnableWhiteList": topic.config.get("EnableWhiteList") == 1,
        "IpWhiteListCount": len(whitelist),
        # No COS forwarding in the fake: ForwardStatus 1 means "not backing up".
        "ForwardCosBucket": "",
        "ForwardStatus": 1,
        "ForwardInterval": 0,
        "Config": topic_config(topic),
        "RetentionTimeConfig": {
            "Expect": retention // 60_000,
            "Current": retention // 60_000,
            "ModTimeStamp": int(topic.created_at * 1000),
        },
        "Status": 0,
        "Tags": [dict(t) for t in topic.config["Tags"]] if topic.config.get("Tags") else None,
    }


def topic_attributes(topic: Topic, acl_rules: Sequence[Body] = ()) -> Body:
    """DescribeTopicAttributes' ``TopicAttributesResponse``: partitions, whitelist, quotas.

    ``acl_rules`` are the preset ACL rules applied to the topic (``AclRule`` objects);
    any makes ``EnableAclRule`` 1.
    """
    config = topic.config
    return {
        "TopicId": topic.topic_id,
        "CreateTime": int(topic.created_at),
        "Note": topic.note,
        "PartitionNum": topic.partition_num,
        "EnableWhiteList": int(config.get("EnableWhiteList", 0)),
        "IpWhiteList": list(config.get("IpWhiteList") or []),
        "Config": topic_config(topic),
        "Partitions": [
            # Every leader is healthy; a replica is in sync unless seeded out of sync.
            {
                "Partition": index,
                "LeaderStatus": 0,
                "IsrNum": topic.replica_num - len(partition.out_of_sync),
                "ReplicaNum": topic.replica_num,
            }
            for index, partition in enumerate(topic.partitions)
        ],
        "EnableAclRule": 1 if acl_rules else int(config.get("EnableAclRule", 0)),
        "AclRuleList": [dict(rule) for rule in acl_rules],
        "QuotaConfig": {
            "QuotaProducerByteRate": config.get("QuotaProducerByteRate"),
            "QuotaConsumerByteRate": config.get("QuotaConsumerByteRate"),
        },
        "ReplicaNum": topic.replica_num,
    }
