"""Stateful handlers: ACL rules (CreateAcl, BatchCreateAcl, DescribeACL, DeleteAcl).

A rule is Kafka's ACL binding: resource (type and name), principal, host,
operation and permission. As in Kafka, adding a rule that exists is a no-op and
a rule may name a topic or group that does not exist (yet). The principal of a
new rule must be ``User:*`` or an existing user: the reference says "the user
can only be one in the user list", and DeleteAcl's reference adds that deleting
does not check it, so policies of deleted users can be cleaned up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from ..api.suggest import closest
from .models import Acl, Instance
from .paging import count_and_page, keep, matches, window
from .registry import Body, Context, answers

__all__ = [
    "RULE_OPERATIONS",
    "RULE_PERMISSIONS",
    "batch_create_acl",
    "create_acl",
    "delete_acl",
    "describe_acl",
    "rule_info",
]

TOPIC, GROUP, CLUSTER = 2, 3, 4
_RESOURCE_TYPES = {TOPIC: "TOPIC", GROUP: "GROUP", CLUSTER: "CLUSTER"}
_OPERATIONS = {
    2: "ALL",
    3: "READ",
    4: "WRITE",
    5: "CREATE",
    6: "DELETE",
    7: "ALTER",
    8: "DESCRIBE",
    9: "CLUSTER_ACTION",
    10: "DESCRIBE_CONFIGS",
    11: "ALTER_CONFIGS",
    12: "IDEMPOTENT_WRITE",
}
# DeleteAcl's reference: the operations each resource type accepts (Kafka's own rule).
_VALID_OPERATIONS = {
    TOPIC: (2, 3, 4, 5, 6, 7, 8, 10, 11),
    GROUP: (2, 3, 6, 8),
    CLUSTER: (2, 5, 7, 8, 9, 10, 11, 12),
}
_PERMISSIONS = {2: "DENY", 3: "ALLOW"}
# AclRuleInfo (BatchCreateAcl, CreateAclRule) spells the enums as words.
RULE_OPERATIONS = {"All": 2, "Read": 3, "Write": 4}
RULE_PERMISSIONS = {"Deny": 2, "Allow": 3}
# Kafka has one cluster resource, always named "kafka-cluster"; the reference
# lets ResourceName be empty for it.
_CLUSTER_NAME = "kafka-cluster"
_ANY_USER = "User:*"


@answers("CreateAcl")
def create_acl(ctx: Context) -> Body:
    """Add rules: one per resource name (ResourceName or ResourceNameList) and host."""
    instance = ctx.running_instance()
    resource_type, operation, permission = _enums(ctx)
    names = _resource_names(ctx, resource_type)
    principal = str(ctx.get("Principal", _ANY_USER))
    _check_principal(ctx, instance, principal)
    hosts = _hosts(ctx)
    rules = [
        Acl(resource_type, name, operation, permission, principal, host)
        for name in names
        for host in hosts
    ]
    _add(instance, rules)
    return ctx.operate()


@answers("BatchCreateAcl")
def batch_create_acl(ctx: Context) -> Body:
    """Add every rule of RuleList to every topic of ResourceNames; Result 0 on success."""
    instance = ctx.running_instance()
    resource_type = int(ctx.get("ResourceType"))
    if resource_type != TOPIC:
        ctx.reject_shape(
            f"The parameter `ResourceType` must be 2 (TOPIC) for BatchCreateAcl, "
            f"got {resource_type}."
        )
    names = [str(n) for n in ctx.get("ResourceNames", [])]
    rules = ctx.get("RuleList", [])
    # Empty lists never get here (request validation); an empty name can.
    if "" in names:
        ctx.reject_shape("The parameter `ResourceNames` has an empty name.")
    parsed = [
        rule_info(ctx, instance, rule, f"RuleList.{index}") for index, rule in enumerate(rules)
    ]
    _add(
        instance,
        [
            Acl(resource_type, name, operation, permission, principal, host)
            for name in names
            for operation, permission, principal, host in parsed
        ],
    )
    return {"Result": 0}


@answers("DescribeACL")
def describe_acl(ctx: Context) -> Body:
    """The rules of one resource type; ResourceName exact, SearchWord fuzzy; paging max 50."""
    instance = ctx.instance()
    offset, limit = window(ctx)
    resource_type = _choice(ctx, "ResourceType", _RESOURCE_TYPES)
    name = ctx.get("ResourceName")
    if resource_type == CLUSTER and name is not None:
        name = _CLUSTER_NAME
    word = ctx.get("SearchWord")
    selected = keep(
        instance.acls,
        lambda a: a.resource_type == resource_type,
        lambda a: name is None or a.resource_name == name,
        lambda a: matches(word, a.resource_name, a.principal, a.host),
    )
    total, page = count_and_page(selected, None, offset, limit)
    listed = [
        {
            "ResourceType": acl.resource_type,
            "ResourceName": acl.resource_name,
            "Principal": acl.principal,
            "Host": acl.host,
            "Operation": acl.operation,
            "PermissionType": acl.permission_type,
        }
        for acl in page
    ]
    return {"Result": {"TotalCount": total, "AclList": listed}}


@answers("DeleteAcl")
def delete_acl(ctx: Context) -> Body:
    """Remove the rule that matches exactly (Host and Principal default to ``*``)."""
    instance = ctx.running_instance()
    resource_type, operation, permission = _enums(ctx)
    name = str(ctx.get("ResourceName", ""))
    # ResourceName is required and non-empty (request validation), so a CLUSTER
    # rule is deleted with any name: Kafka has only the one cluster resource.
    if resource_type == CLUSTER:
        name = _CLUSTER_NAME
    principal = str(ctx.get("Principal", _ANY_USER))
    # The Host list CreateAcl took ("a;b") deletes the rule it made for each host.
    targets = {
        Acl(resource_type, name, operation, permission, principal, host) for host in _hosts(ctx)
    }
    # Kafka's DeleteAcls answers success when nothing matches, so this does too:
    # deleting twice (a retry, a teardown) is not an error.
    instance.acls[:] = [acl for acl in instance.acls if acl not in targets]
    return ctx.operate()


# -- shared --------------------------------------------------------------------------------


def rule_info(
    ctx: Context, instance: Instance, rule: Mapping[str, object], where: str
) -> tuple[int, int, str, str]:
    """One AclRuleInfo at ``where`` (``RuleList.0``): operation, permission, principal, host."""
    operation = _word(ctx, f"{where}.Operation", rule.get("Operation"), RULE_OPERATIONS)
    permission = _word(ctx, f"{where}.PermissionType", rule.get("PermissionType"), RULE_PERMISSIONS)
    principal = str(rule.get("Principal") or _ANY_USER)
    _check_principal(ctx, instance, principal, member=f"{where}.Principal")
    return operation, permission, principal, str(rule.get("Host") or "*")


def _enums(ctx: Context) -> tuple[int, int, int]:
    resource_type = _choice(ctx, "ResourceType", _RESOURCE_TYPES)
    operation = _choice(ctx, "Operation", _OPERATIONS)
    permission = _choice(ctx, "PermissionType", _PERMISSIONS)
    valid = _VALID_OPERATIONS.get(resource_type, ())
    if valid and operation not in valid:
        choices = ", ".join(f"{v} ({_OPERATIONS[v]})" for v in valid)
        ctx.reject_shape(
            f"The Operation {operation} ({_OPERATIONS.get(operation, 'unknown')}) does not apply "
            f"to ResourceType {resource_type} ({_RESOURCE_TYPES[resource_type]}); "
            f"valid operations: {choices}."
        )
    return resource_type, operation, permission


def _hosts(ctx: Context) -> list[str]:
    # The reference: Host accepts IPs or ranges separated by ";".
    return [h.strip() for h in str(ctx.get("Host", "*")).split(";") if h.strip()] or ["*"]


def _choice(ctx: Context, member: str, choices: Mapping[int, str]) -> int:
    value = int(ctx.get(member))
    if value not in choices:
        listed = ", ".join(f"{k} ({v})" for k, v in choices.items())
        ctx.reject_shape(f"The parameter `{member}` must be one of {listed}, got {value}.")
    return value


def _word(ctx: Context, member: str, value: object, choices: Mapping[str, int]) -> int:
    # Not a shape rule: a rule keeps the enum as the number it stands for, and an
    # unknown word stands for none.
    text = str(value)
    if text not in choices:
        message = f"The parameter `{member}` must be one of {', '.join(choices)}, got `{text}`."
        best = closest(text, list(choices), n=1)
        if best:
            message += f" Did you mean `{best[0]}`?"
        ctx.fail("InvalidParameterValue", message)
    return choices[text]


def _resource_names(ctx: Context, resource_type: int) -> list[str]:
    name = ctx.get("ResourceName")
    listed = ctx.get("ResourceNameList")
    if name is not None and listed is not None:
        # Unvalidated, both are read: the rule covers every name given.
        ctx.reject_shape("Give either `ResourceName` or `ResourceNameList`, not both.")
    if resource_type == CLUSTER:
        return [_CLUSTER_NAME]
    names = ([str(name)] if name is not None else []) + _name_list(ctx, listed)
    kind = _RESOURCE_TYPES.get(resource_type, f"ResourceType {resource_type}")
    needs = f"A {kind} rule needs `ResourceName` (or `ResourceNameList`)."
    if not names:
        # Not a shape rule: a rule on no resource is no rule.
        ctx.fail("InvalidParameterValue", needs)
    if "" in names:
        ctx.reject_shape(needs)
    return list(dict.fromkeys(names))


def _name_list(ctx: Context, listed: object) -> list[str]:
    if listed is None:
        return []
    try:
        names = json.loads(str(listed))
    except ValueError:
        names = None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        ctx.reject_shape(
            f'The parameter `ResourceNameList` must be a JSON list of names, e.g. ["a", "b"]; '
            f"got `{listed}`."
        )
        return []  # unreadable, so it names nothing
    return names


def _check_principal(
    ctx: Context, instance: Instance, principal: str, *, member: str = "Principal"
) -> None:
    if not principal.startswith("User:"):
        ctx.reject_shape(
            f"The parameter `{member}` needs the `User:` prefix (e.g. User:alice), "
            f"got `{principal}`."
        )
        return  # names no user of the instance to look for
    user = principal[len("User:") :]
    if user != "*" and user not in instance.users:
        known = ", ".join(sorted(instance.users)) or "(none)"
        ctx.fail(
            "InvalidParameterValue",
            f"The user `{user}` in `{member}` does not exist in instance "
            f"`{instance.instance_id}`; users: {known}.",
        )


def _add(instance: Instance, rules: Iterable[Acl]) -> None:
    for rule in rules:
        if rule not in instance.acls:
            instance.acls.append(rule)
