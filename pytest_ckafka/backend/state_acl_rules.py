"""``ckafka.state`` for named ACL rules: ``add_acl_rule`` and ``acl_rules``.

A seeded rule is what CreateAclRule makes from the same values: a prefix rule
applies at once to the topics its pattern matches, and both kinds apply to the
topics seeded or created after it as :mod:`~pytest_ckafka.backend.acl_rules` says.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Optional

from ..api.suggest import unknown_name_message
from ..exceptions import CKafkaUsageError
from .acl_rules import PATTERN_TYPES, install_rule, rule_entry
from .acls import RULE_OPERATIONS, RULE_PERMISSIONS
from .models import AclRule
from .state_base import StateBase

__all__ = ["AclRuleState"]

_READ_FOR_ALL = {"Operation": "Read", "PermissionType": "Allow", "Host": "*", "Principal": "User:*"}
_RULE_KEYS = ("Operation", "PermissionType", "Host", "Principal")


class AclRuleState(StateBase):
    """Seed and inspect named ACL rules (CreateAclRule's)."""

    def add_acl_rule(
        self,
        instance_id: str,
        name: str,
        *,
        rules: Optional[Sequence[Mapping[str, str]]] = None,
        pattern_type: str = "PRESET",
        pattern: str = "",
        is_applied: int = 0,
        comment: str = "",
    ) -> int:
        """Add a named ACL rule and return its id (CreateAclRule's ``Result``).

        ``rules`` are AclRuleInfo objects, as CreateAclRule's ``RuleList`` takes them
        (default: one that lets every user read, ``{"Operation": "Read",
        "PermissionType": "Allow", "Host": "*", "Principal": "User:*"}``).
        ``pattern_type`` is ``PRESET`` (applied to the topics that name it, and
        with ``is_applied=1`` to every new topic) or ``PREFIXED`` (applied to the
        topics whose name starts with ``pattern``).
        """
        listed = [dict(r) for r in (rules if rules is not None else [_READ_FOR_ALL])]
        self._check_seed(
            "add_acl_rule", instance_id=instance_id, name=name, rules=listed,
            pattern_type=pattern_type, pattern=pattern, is_applied=is_applied, comment=comment,
        )  # fmt: skip
        entries = [_entry(index, rule) for index, rule in enumerate(listed)]
        if pattern_type not in PATTERN_TYPES:
            message = unknown_name_message("pattern_type", pattern_type, PATTERN_TYPES)
            raise CKafkaUsageError(f"state.add_acl_rule: {message}")
        if pattern_type == "PREFIXED" and not pattern:
            raise CKafkaUsageError("state.add_acl_rule: a PREFIXED rule needs a pattern")
        if is_applied not in (0, 1):
            raise CKafkaUsageError(f"state.add_acl_rule: is_applied is 0 or 1, got {is_applied!r}")
        if not name:
            raise CKafkaUsageError("state.add_acl_rule: name must not be empty")
        with self.backend.lock:
            instance = self.instance(instance_id)
            if name in instance.acl_rules:
                raise CKafkaUsageError(
                    f"state.add_acl_rule: {instance_id} already has ACL rule {name}"
                )
            now = self.backend.clock.now()
            rule = AclRule(
                rule_id=self.backend.next_number(),
                name=name,
                pattern_type=pattern_type,
                pattern=pattern,
                entries=copy.deepcopy(entries),
                created_at=now,
                updated_at=now,
                is_applied=is_applied,
                comment=comment,
            )
            install_rule(instance, rule)
        return rule.rule_id

    def acl_rules(self, instance_id: str) -> list[AclRule]:
        """The named ACL rules of ``instance_id``, in creation order."""
        with self.backend.lock:
            return list(self.instance(instance_id).acl_rules.values())


def _entry(index: int, rule: Mapping[str, str]) -> dict[str, str]:
    where = f"state.add_acl_rule: rules[{index}]"
    for key in rule:
        if key not in _RULE_KEYS:
            raise CKafkaUsageError(f"{where}: {unknown_name_message('key', key, _RULE_KEYS)}")
    operation, permission = rule.get("Operation", ""), rule.get("PermissionType", "")
    if operation not in RULE_OPERATIONS:
        message = unknown_name_message("Operation", operation, RULE_OPERATIONS)
        raise CKafkaUsageError(f"{where}: {message}")
    if permission not in RULE_PERMISSIONS:
        message = unknown_name_message("PermissionType", permission, RULE_PERMISSIONS)
        raise CKafkaUsageError(f"{where}: {message}")
    principal = rule.get("Principal") or "User:*"
    if not principal.startswith("User:"):
        raise CKafkaUsageError(f"{where}: Principal needs the User: prefix, got {principal!r}")
    return rule_entry(
        RULE_OPERATIONS[operation],
        RULE_PERMISSIONS[permission],
        principal,
        rule.get("Host") or "*",
    )
