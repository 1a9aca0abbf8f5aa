"""``ckafka.state`` for tokens and access policies: seed and inspect them.

``add_token`` is what CreateToken (and, with ``authorized=True``, AuthorizeToken)
makes; ``add_access_policy`` what ModifyAccessPolicy sets on a public route. A
topic's IP whitelist is seeded with ``add_topic(..., IpWhiteList=[...])``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Optional

from ..exceptions import CKafkaUsageError
from .access import PUBLIC_VIP_TYPE, new_token
from .models import AccessPolicy, Token
from .state_base import StateBase

__all__ = ["AccessState"]

_POLICY_KEYS = ("CidrBlock", "PolicyDescription")


class AccessState(StateBase):
    """Seed and inspect tokens and public routes' IP whitelists."""

    def add_token(
        self,
        instance_id: str,
        user: str,
        *,
        token: Optional[str] = None,
        authorized: bool = False,
    ) -> str:
        """Add a token for ``user`` (a SASL user of the instance) and return it.

        Without ``token`` one is made as CreateToken does (32 hex digits);
        ``authorized=True`` seeds it authorized, as AuthorizeToken leaves it.
        """
        self._check_seed(
            "add_token", instance_id=instance_id, user=user, token=token, authorized=authorized
        )
        with self.backend.lock:
            instance = self.instance(instance_id)
            if user not in instance.users:
                raise CKafkaUsageError(
                    f"state.add_token: {instance_id} has no user {user} (add it with add_user)"
                )
            if token is None:
                token = new_token(self.backend.rng)
            if not token or token in instance.tokens:
                raise CKafkaUsageError(f"state.add_token: {instance_id} already has that token")
            instance.tokens[token] = Token(token, user, self.backend.clock.now(), authorized)
        return token

    def tokens(self, instance_id: str) -> list[Token]:
        """The tokens made for the users of ``instance_id``, oldest first."""
        with self.backend.lock:
            return list(self.instance(instance_id).tokens.values())

    def add_access_policy(
        self,
        instance_id: str,
        route_id: int,
        *,
        ip_whitelist: Optional[Sequence[Mapping[str, str]]] = None,
    ) -> None:
        """Set the IP whitelist of a public route (VipType 1), as ModifyAccessPolicy does.

        ``ip_whitelist`` are IpWhitelistDTO objects, ``{"CidrBlock": "10.0.0.0/24",
        "PolicyDescription": "office"}``; none clears it.
        """
        listed = [dict(e) for e in ip_whitelist or ()]
        self._check_seed(
            "add_access_policy", instance_id=instance_id, route_id=route_id, ip_whitelist=listed
        )
        where = "state.add_access_policy"
        entries = []
        for index, entry in enumerate(listed):
            unknown = sorted(set(entry) - set(_POLICY_KEYS))
            if unknown:
                raise CKafkaUsageError(
                    f"{where}: ip_whitelist[{index}] has unknown key {unknown[0]!r}; "
                    f"keys: {', '.join(_POLICY_KEYS)}"
                )
            block = entry.get("CidrBlock", "")
            try:
                ipaddress.ip_network(block, strict=False)
            except ValueError:
                raise CKafkaUsageError(
                    f"{where}: ip_whitelist[{index}].CidrBlock is no IP or CIDR block: {block!r}"
                ) from None
            entries.append(
                {"CidrBlock": block, "PolicyDescription": entry.get("PolicyDescription", "")}
            )
        with self.backend.lock:
            instance = self.instance(instance_id)
            route = instance.routes.get(route_id)
            if route is None or route.vip_type != PUBLIC_VIP_TYPE:
                raise CKafkaUsageError(
                    f"{where}: {instance_id} has no public route {route_id} "
                    "(add one with add_route(vip_type=1))"
                )
            instance.access_policies[route_id] = AccessPolicy(route_id, entries)

    def access_policy(self, instance_id: str, route_id: int) -> list[dict[str, str]]:
        """The IP whitelist of a public route (IpWhitelistDTO objects)."""
        with self.backend.lock:
            policy = self.instance(instance_id).access_policies.get(route_id)
            return [dict(e) for e in policy.ip_whitelist] if policy else []
