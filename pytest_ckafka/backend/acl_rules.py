"""Stateful handlers: named ACL rules (Create/Describe/Modify/DeleteAclRule).

A rule is a list of AclRuleInfo quadruples (operation, permission, principal,
host) that expands into ACLs, the ones DescribeACL lists, on the topics it
applies to. ``PatternType`` says which (the two CreateAclRule documents):

- ``PREFIXED`` (prefix match): every topic whose name starts with ``Pattern``,
  those that exist when the rule is created and those created later, as
  Kafka's own prefixed ACLs do. A trailing ``*`` (the reference's example
  ``topic-*``) is read as the wildcard it shows: no topic name holds a ``*``.
- ``PRESET`` (preset policy): the topics created, or modified, with
  ``EnableAclRule`` 1 and ``AclRuleName`` naming it, and with ``IsApplied`` 1
  every topic created after ("applied to new topics"). ModifyTopicAttributes with
  ``EnableAclRule`` 0 turns the switch off: the topic's preset rules no longer
  apply to it, and the ACLs they made on it go.

Deleting a rule removes the ACLs it added (an ACL that was there before it, or
that another rule also makes, stays). ModifyAclRule changes only a preset
rule's ``IsApplied``, as its reference says; that decides which new topics get
it and leaves the ACLs it made alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Optional

from ..api.wire import compact_json
from .acls import RULE_OPERATIONS, RULE_PERMISSIONS, rule_info
from .models import Acl, AclRule, Instance
from .registry import Body, Context, answers
from .times import java_date

__all__ = [
    "PATTERN_TYPES",
    "apply_rule",
    "create_acl_rule",
    "delete_acl_rule",
    "describe_acl_rule",
    "detach_presets",
    "install_rule",
    "modify_acl_rule",
    "named_rule",
    "preset_rules_of",
    "rule_acls",
    "rule_entry",
    "rules_for_new_topic",
]

TOPIC = 2
# DescribeAclRule's PatternType document names both; PatternTypeTitle is the Chinese one.
PATTERN_TYPES = {"PREFIXED": "前缀匹配", "PRESET": "预设策略"}
_RESOURCE_TYPE = "Topic"  # "目前只支持Topic"
_OPERATION_WORDS = {number: word for word, number in RULE_OPERATIONS.items()}
_PERMISSION_WORDS = {number: word for word, number in RULE_PERMISSIONS.items()}


def rule_entry(operation: int, permission: int, principal: str, host: str) -> dict[str, str]:
    """One AclRuleInfo as DescribeAclRule's ``AclList`` spells it."""
    return {
        "host": host,
        "operation": _OPERATION_WORDS[operation],
        "permissionType": _PERMISSION_WORDS[permission],
        "principal": principal,
    }


def _prefix(rule: AclRule) -> str:
    return rule.pattern[:-1] if rule.pattern.endswith("*") else rule.pattern


def rule_acls(rule: AclRule, topic: str) -> list[Acl]:
    """The ACLs ``rule`` makes on ``topic``."""
    return [
        Acl(
            TOPIC,
            topic,
            RULE_OPERATIONS[entry["operation"]],
            RULE_PERMISSIONS[entry["permissionType"]],
            entry["principal"],
            entry["host"],
        )
        for entry in rule.entries
    ]


def apply_rule(instance: Instance, rule: AclRule, topic: str) -> None:
    """Apply ``rule`` to ``topic``: add its ACLs (each once) and count the topic."""
    if topic not in rule.topics:
        rule.topics.append(topic)
    for acl in rule_acls(rule, topic):
        if acl not in instance.acls:
            instance.acls.append(acl)
            rule.made.append(acl)


def install_rule(instance: Instance, rule: AclRule) -> None:
    """Store ``rule`` and apply it to the topics it picks now (a prefix rule's matches)."""
    instance.acl_rules[rule.name] = rule
    if rule.pattern_type == "PREFIXED":
        prefix = _prefix(rule)
        for name in [t for t in instance.topics if t.startswith(prefix)]:
            apply_rule(instance, rule, name)


def _uninstall(instance: Instance, rule: AclRule) -> None:
    del instance.acl_rules[rule.name]
    _disown(instance, rule, rule.made)


def _disown(instance: Instance, rule: AclRule, acls: list[Acl]) -> None:
    """``rule`` no longer makes ``acls``: another rule that makes one keeps it, else it goes."""
    for acl in acls:
        # Another rule that makes the same ACL keeps it, and owns it from now on.
        keeper = next(
            (
                other
                for other in instance.acl_rules.values()
                if other is not rule
                and acl.resource_name in other.topics
                and acl in rule_acls(other, acl.resource_name)
            ),
            None,
        )
        if keeper is not None:
            keeper.made.append(acl)
        elif acl in instance.acls:
            instance.acls.remove(acl)


def detach_presets(instance: Instance, topic: str) -> None:
    """The topic's preset switch is off (``EnableAclRule`` 0): no preset rule applies to
    it any more, and the ACLs they made on it go (unless another rule makes them)."""
    for rule in instance.acl_rules.values():
        if rule.pattern_type != "PRESET" or topic not in rule.topics:
            continue
        rule.topics.remove(topic)
        made = [acl for acl in rule.made if acl.resource_name == topic]
        rule.made = [acl for acl in rule.made if acl.resource_name != topic]
        _disown(instance, rule, made)


def named_rule(ctx: Context, instance: Instance) -> Optional[AclRule]:
    """The preset rule a CreateTopic/ModifyTopicAttributes call names to apply, checked.

    Only with ``EnableAclRule`` 1 (the switch is off by default); the name must be
    a rule of the instance (``ResourceNotFound``) and a ``PRESET`` one.
    """
    name = ctx.get("AclRuleName")
    if ctx.get("EnableAclRule") != 1 or not name:
        return None
    rule = ctx.owned(instance, instance.acl_rules, "AclRuleName", "ACL rule")
    if rule.pattern_type != "PRESET":
        ctx.fail(
            "InvalidParameterValue",
            f"The ACL rule `{rule.name}` is a {rule.pattern_type} rule; `AclRuleName` names a "
            "PRESET rule (a PREFIXED rule applies to the topics its prefix matches).",
        )
    return rule


def rules_for_new_topic(
    instance: Instance, topic: str, named: Optional[AclRule] = None
) -> list[AclRule]:
    """The rules a topic created now gets: prefix matches, presets for new topics, ``named``."""
    return [
        rule
        for rule in instance.acl_rules.values()
        if rule is named
        or (rule.pattern_type == "PREFIXED" and topic.startswith(_prefix(rule)))
        or (rule.pattern_type == "PRESET" and rule.is_applied == 1)
    ]


def preset_rules_of(instance: Instance, topic: str) -> list[Body]:
    """The preset rules applied to ``topic``, as DescribeTopicAttributes' ``AclRuleList``."""
    return [
        _view(instance, rule, simplified=False)
        for rule in instance.acl_rules.values()
        if rule.pattern_type == "PRESET" and topic in rule.topics
    ]


# -- handlers -----------------------------------------------------------------------------


@answers("CreateAclRule")
def create_acl_rule(ctx: Context) -> Body:
    """Add a named rule and apply it to the topics it picks; answer its id."""
    instance = ctx.running_instance()
    resource_type = str(ctx.get("ResourceType"))
    if resource_type != _RESOURCE_TYPE:
        ctx.reject_shape(
            f"The parameter `ResourceType` must be `{_RESOURCE_TYPE}`, got `{resource_type}`."
        )
    pattern_type = _pattern_type(ctx)
    name = str(ctx.get("RuleName"))  # request validation refuses an empty one
    pattern = str(ctx.get("Pattern", ""))
    if pattern_type == "PREFIXED" and not pattern:
        ctx.reject_shape(
            f"The parameter `Pattern` is required when `PatternType` is PREFIXED (rule `{name}`).",
            "MissingParameter",
        )
    is_applied = _is_applied(ctx)
    parsed = [
        rule_info(ctx, instance, rule, f"RuleList.{index}")
        for index, rule in enumerate(ctx.get("RuleList", []))
    ]
    if name in instance.acl_rules:
        ctx.fail(
            "InvalidParameterValue.RepetitionValue",
            f"The ACL rule `{name}` already exists in instance `{instance.instance_id}`.",
        )
    entries = list({json.dumps(e): e for e in (rule_entry(*p) for p in parsed)}.values())
    rule = AclRule(
        rule_id=ctx.backend.next_number(),
        name=name,
        pattern_type=pattern_type,
        pattern=pattern,
        entries=entries,
        created_at=ctx.now,
        updated_at=ctx.now,
        is_applied=is_applied,
        comment=str(ctx.get("Comment", "")),
    )
    install_rule(instance, rule)
    return {"Result": rule.rule_id}


@answers("DescribeAclRule")
def describe_acl_rule(ctx: Context) -> Body:
    """The instance's rules in creation order; RuleName and PatternType narrow the list."""
    instance = ctx.instance()
    name = ctx.get("RuleName")
    pattern_type = _pattern_type(ctx) if ctx.get("PatternType") is not None else None
    simplified = bool(ctx.get("IsSimplified", False))
    listed = [
        _view(instance, rule, simplified=simplified)
        for rule in instance.acl_rules.values()
        if (not name or rule.name == name)
        and (pattern_type is None or rule.pattern_type == pattern_type)
    ]
    return {"Result": {"TotalCount": len(listed), "AclRuleList": listed}}


@answers("ModifyAclRule")
def modify_acl_rule(ctx: Context) -> Body:
    """Set whether a preset rule applies to new topics (IsApplied, default 0)."""
    instance = ctx.running_instance()
    rule = ctx.owned(instance, instance.acl_rules, "RuleName", "ACL rule")
    is_applied = _is_applied(ctx)
    if rule.pattern_type != "PRESET":
        ctx.fail(
            "InvalidParameterValue",
            f"The ACL rule `{rule.name}` is a {rule.pattern_type} rule; ModifyAclRule changes "
            "only whether a PRESET rule applies to new topics.",
        )
    rule.is_applied = is_applied
    rule.updated_at = ctx.now
    return {"Result": rule.rule_id}


@answers("DeleteAclRule")
def delete_acl_rule(ctx: Context) -> Body:
    """Delete a rule and the ACLs it added; answer its id."""
    instance = ctx.running_instance()
    rule = ctx.owned(instance, instance.acl_rules, "RuleName", "ACL rule")
    _uninstall(instance, rule)
    return {"Result": rule.rule_id}


# -- shared --------------------------------------------------------------------------------


def _pattern_type(ctx: Context) -> str:
    value = str(ctx.get("PatternType"))
    if value not in PATTERN_TYPES:
        ctx.reject_shape(
            f"The parameter `PatternType` must be one of {', '.join(PATTERN_TYPES)}, got `{value}`."
        )
    return value


def _is_applied(ctx: Context) -> int:
    value = int(ctx.get("IsApplied", 0))
    if value not in (0, 1):
        ctx.reject_shape(f"The parameter `IsApplied` must be 0 or 1, got {value}.")
    return value


def _live_topics(instance: Instance, rule: AclRule) -> list[str]:
    # A deleted topic no longer counts (its ACLs stay, as Kafka keeps them).
    return [t for t in rule.topics if t in instance.topics]


def _view(instance: Instance, rule: AclRule, *, simplified: bool) -> Body:
    topics = _live_topics(instance, rule)
    # IsSimplified ("the brief rules"): the rules without their ACL entries.
    entries: Iterable[Mapping[str, Any]] = () if simplified else rule.entries
    return {
        "RuleName": rule.name,
        "InstanceId": instance.instance_id,
        "PatternType": rule.pattern_type,
        "Pattern": rule.pattern,
        "ResourceType": _RESOURCE_TYPE,
        "AclList": compact_json(list(entries)),
        "CreateTimeStamp": java_date(rule.created_at),
        "IsApplied": rule.is_applied,
        "UpdateTimeStamp": java_date(rule.updated_at),
        "Comment": rule.comment,
        "TopicName": topics[0] if topics else "",
        "TopicCount": len(topics),
        "PatternTypeTitle": PATTERN_TYPES.get(rule.pattern_type, rule.pattern_type),
    }
