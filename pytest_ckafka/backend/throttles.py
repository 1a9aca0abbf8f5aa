"""Stateful handlers: traffic throttles (Create/Describe/Modify/DeleteThrottleRule).

A rule throttles one target: a user and/or client id (``ThrottleType`` 1), a
consumer group (2) or a topic (3). CreateThrottleRule makes one rule per name it
lists (for type 1, per user and client id pair), each with its own
``ThrottleRuleId``; a target already throttled is refused
(``InvalidParameterValue``, change it with ModifyThrottleRule). A topic must
exist; users, client ids and groups need not (Kafka quotas apply to names a
client has yet to use). ``DescribeThrottleRules`` lists one dimension at a time:
``ThrottleDimension`` 1 (the default) the instance's user, client and group
rules, 2 its topic rules. Kafka keys quotas on users and client ids only, so a
group rule shows its group in ``ClientId``, the one member that can hold it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .models import Instance, ThrottleRule
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers
from .times import beijing_datetime

__all__ = [
    "THROTTLE_LISTS",
    "create_throttle_rule",
    "delete_throttle_rule",
    "describe_throttle_rules",
    "modify_throttle_rule",
    "throttle_target",
]

USER_OR_CLIENT, GROUP, TOPIC = 1, 2, 3
# The request lists each ThrottleType takes.
THROTTLE_LISTS = {
    USER_OR_CLIENT: ("UserNameList", "ClientIdList"),
    GROUP: ("GroupNameList",),
    TOPIC: ("TopicNameList",),
}
_TYPE_NAMES = {USER_OR_CLIENT: "user/client", GROUP: "consumer group", TOPIC: "topic"}
# ThrottleDimension: 1 the instance's (user, client and group) rules, 2 the topic rules.
_DIMENSIONS = {1: (USER_OR_CLIENT, GROUP), 2: (TOPIC,)}
_APPLIED = "apply ok"  # the ReturnMessage of the documented examples


def throttle_target(rule: ThrottleRule) -> tuple[int, str, str, str, str]:
    """What ``rule`` throttles: two rules on one target are one too many."""
    return (rule.throttle_type, rule.user_name, rule.client_id, rule.group_name, rule.topic_name)


def _names(ctx: Context, member: str) -> list[str]:
    return list(dict.fromkeys(str(n) for n in ctx.get(member) or ()))


@answers("CreateThrottleRule")
def create_throttle_rule(ctx: Context) -> Body:
    """Throttle each listed user/client, group or topic; one rule per target."""
    instance = ctx.running_instance()
    throttle_type = int(ctx.get("ThrottleType"))
    if throttle_type not in THROTTLE_LISTS:
        choices = ", ".join(f"{k} ({v})" for k, v in _TYPE_NAMES.items())
        ctx.reject_shape(
            f"The parameter `ThrottleType` must be one of {choices}, got {throttle_type}."
        )
    takes = THROTTLE_LISTS.get(throttle_type, ())
    for lists in THROTTLE_LISTS.values():
        for member in lists:
            if member not in takes and ctx.get(member):
                ctx.reject_shape(
                    f"The parameter `{member}` does not apply to ThrottleType {throttle_type}; "
                    f"it takes {' or '.join(f'`{m}`' for m in takes) or 'no list'}."
                )
    consume, produce = ctx.get("ConsumeThrottle"), ctx.get("ProduceThrottle")
    if consume is None and produce is None:
        ctx.reject_shape(
            "CreateThrottleRule needs `ConsumeThrottle` or `ProduceThrottle` (MB/s).",
            "MissingParameter",
        )
    targets = _targets(ctx, instance, throttle_type)
    taken = {throttle_target(r): r.rule_id for r in instance.throttle_rules.values()}
    for target in targets:
        if throttle_target(target) in taken:
            ctx.fail(
                "InvalidParameterValue",
                f"The {_describe(target)} already has throttle rule "
                f"{taken[throttle_target(target)]}; change it with ModifyThrottleRule.",
            )
    for target in targets:
        target.rule_id = ctx.backend.next_number()
        target.consume_throttle = None if consume is None else int(consume)
        target.produce_throttle = None if produce is None else int(produce)
        instance.throttle_rules[target.rule_id] = target
    return _applied(ctx)


def _targets(ctx: Context, instance: Instance, throttle_type: int) -> list[ThrottleRule]:
    """One unsaved rule per target the request names; checks that each list is there."""
    if throttle_type == TOPIC:
        topics = _names(ctx, "TopicNameList")
        for name in topics:
            if name not in instance.topics:
                ctx.fail(
                    "ResourceNotFound",
                    f"The topic `{name}` does not exist in instance `{instance.instance_id}`.",
                )
        rules = [ThrottleRule(0, TOPIC, ctx.now, topic_name=name) for name in topics]
    elif throttle_type == GROUP:
        groups = _names(ctx, "GroupNameList")
        rules = [ThrottleRule(0, GROUP, ctx.now, group_name=name) for name in groups]
    else:
        users, clients = _names(ctx, "UserNameList"), _names(ctx, "ClientIdList")
        rules = [
            ThrottleRule(0, USER_OR_CLIENT, ctx.now, user_name=user, client_id=client)
            for user in users or [""]
            for client in clients or [""]
            if user or client
        ]
    if not rules:
        lists = " or ".join(f"`{m}`" for m in THROTTLE_LISTS.get(throttle_type, ()))
        # Not a shape rule: a throttle on nothing is no rule.
        ctx.fail(
            "InvalidParameterValue",
            f"ThrottleType {throttle_type} needs a name to throttle in {lists or 'a list'}.",
        )
    return rules


@answers("DescribeThrottleRules")
def describe_throttle_rules(ctx: Context) -> Body:
    """One dimension's rules, oldest first; SearchWord fuzzy on the names; paging max 200."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    dimension = int(ctx.get("ThrottleDimension", 1))
    if dimension not in _DIMENSIONS:
        ctx.reject_shape(
            f"The parameter `ThrottleDimension` must be 1 (instance) or 2 (topic), got {dimension}."
        )
    types = _DIMENSIONS.get(dimension, ())
    word = ctx.get("SearchWord")
    selected = keep(
        instance.throttle_rules.values(),
        lambda r: r.throttle_type in types,
        lambda r: matches(word, r.user_name, r.client_id, r.group_name, r.topic_name),
    )
    total, page = count_and_page(selected, None, offset, limit)
    return {
        "Result": {"TotalCount": total, "ThrottleRuleList": [_detail(instance, r) for r in page]}
    }


@answers("ModifyThrottleRule")
def modify_throttle_rule(ctx: Context) -> Body:
    """Change a rule's consume throttle (the one value the action takes)."""
    instance = ctx.running_instance()
    rule = _rule(ctx, instance, int(ctx.get("ThrottleRuleId")))
    consume = ctx.get("ConsumeThrottle")
    if consume is not None:
        rule.consume_throttle = int(consume)
        rule.updated_at = ctx.now
    return _applied(ctx)


@answers("DeleteThrottleRule")
def delete_throttle_rule(ctx: Context) -> Body:
    """Delete a rule; its ``ThrottleRuleId`` comes as a string of digits."""
    instance = ctx.running_instance()
    text = str(ctx.get("ThrottleRuleId")).strip()
    if not text.isdigit():
        ctx.reject_shape(
            f"The parameter `ThrottleRuleId` must be a rule id (digits), got `{text}`."
        )
    rule = _rule(ctx, instance, int(text) if text.isdigit() else -1)
    del instance.throttle_rules[rule.rule_id]
    return _applied(ctx)


# -- shared --------------------------------------------------------------------------------


def _rule(ctx: Context, instance: Instance, rule_id: int) -> ThrottleRule:
    rule = instance.throttle_rules.get(rule_id)
    if rule is None:
        known: Sequence[int] = sorted(instance.throttle_rules)
        ctx.fail(
            "ResourceNotFound",
            f"The throttle rule {rule_id} does not exist in instance `{instance.instance_id}`; "
            f"rules: {', '.join(map(str, known)) or '(none)'}.",
        )
    return rule


def _describe(rule: ThrottleRule) -> str:
    if rule.throttle_type == TOPIC:
        return f"topic `{rule.topic_name}`"
    if rule.throttle_type == GROUP:
        return f"consumer group `{rule.group_name}`"
    parts = [f"user `{rule.user_name}`"] if rule.user_name else []
    parts += [f"client id `{rule.client_id}`"] if rule.client_id else []
    return " with ".join(parts)


def _detail(instance: Instance, rule: ThrottleRule) -> Body:
    topic = instance.topics.get(rule.topic_name) if rule.topic_name else None
    detail: dict[str, Any] = {
        "ThrottleRuleId": rule.rule_id,
        "ThrottleType": rule.throttle_type,
        "ClientId": rule.group_name if rule.throttle_type == GROUP else rule.client_id,
        "UserName": rule.user_name,
        "UpdateTime": beijing_datetime(rule.updated_at),
        "TopicName": rule.topic_name,
        "TopicId": topic.topic_id if topic else "",
    }
    if rule.consume_throttle is not None:  # a produce-only rule has no consume value
        detail["ConsumeThrottle"] = rule.consume_throttle
    return detail


def _applied(ctx: Context) -> Body:
    body = ctx.operate()
    body["Result"]["ReturnMessage"] = _APPLIED
    return body
